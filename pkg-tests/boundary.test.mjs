// The boundary's contract with hostile JS values (src/wasm.rs): whatever the inputs do when read
// (throw, revoke, lie, call back), generate throws an Error with diagnostics or returns, validate
// returns, and the instance keeps working byte for byte; keys a user chose stay own properties;
// the inputs are bounded before they are copied.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { builds, fixture } from "./builds.mjs";
import { put } from "./random.mjs";

/** How often each of the two poisoning calls is repeated; the other hostile inputs a
 * tenth as often (an escaping exception broke an instance within 333-647 calls). */
const REPEAT = Number(process.env.BOUNDARY_REPEAT ?? 10_000);
const advanced = fixture("advanced.tfvars.json");

/** An Error whose `message` getter throws. */
function errorWithThrowingMessage() {
  const e = new Error("hidden");
  Object.defineProperty(e, "message", {
    get() {
      throw new Error("boom");
    },
  });
  return e;
}

/** Inputs that throw, or lie, when the boundary reads them. */
function hostileInputs(pkg) {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwing = (error) => ({
    name_prefix: "x",
    get tags() {
      throw error;
    },
  });
  const trap = (name) => new Proxy({}, { [name]() { throw errorWithThrowingMessage(); } });
  const map = new Map([["name_prefix", "x"]]);
  map[Symbol.iterator] = function* () {
    for (;;) yield ["k", "v"];
  };
  class BadMap extends Map {
    entries() {
      throw new Error("entries");
    }
  }
  const reentrant = {
    name_prefix: "x",
    get tags() {
      pkg.generate(advanced);
      return { a: "b" };
    },
  };
  return [
    ["a revoked Proxy", revoked(), REPEAT],
    ["a getter throwing an Error whose message throws", throwing(errorWithThrowingMessage()), REPEAT],
    ["a revoked Proxy inside", { name_prefix: "x", tags: revoked() }],
    ["a getter throwing a non-Error", throwing(Symbol("s"))],
    ["a Proxy whose ownKeys throws", trap("ownKeys")],
    ["a Proxy whose get throws", new Proxy({ name_prefix: "x" }, { get() { throw errorWithThrowingMessage(); } })],
    ["a Proxy whose getPrototypeOf throws", trap("getPrototypeOf")],
    ["a Proxy of a Map", new Proxy(new Map([["name_prefix", "x"]]), {})],
    ["a Map with an endless iterator of its own", map],
    ["a Map subclass whose entries throws", new BadMap([["name_prefix", "x"]])],
    ["a getter that calls generate", reentrant],
  ];
}

for (const [build, pkg, exports] of await builds()) {
  describe(`${build} build: the boundary`, () => {
    test(`hostile inputs, up to ${REPEAT} times each, leave the instance generating byte for byte`, () => {
      const expected = JSON.stringify(pkg.generate(advanced, { account_id: "123456789012" }));
      for (const [label, inputs, times = REPEAT / 10] of hostileInputs(pkg)) {
        for (let i = 0; i < times; i++) {
          for (const call of [() => pkg.generate(inputs), () => pkg.generate({ name_prefix: "x" }, inputs)]) {
            try {
              call();
            } catch (e) {
              assert.ok(e instanceof Error, `${label}: threw ${String(e)}`);
              assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length > 0, `${label}: ${e.stack}`);
            }
          }
          assert.ok(Array.isArray(pkg.validate(inputs)), `${label}: validate`);
        }
        assert.equal(JSON.stringify(pkg.generate(advanced, { account_id: "123456789012" })), expected, label);
      }
    });

    test("what a throwing read threw is reported at its path, its text cut", () => {
      const long = new Error("x".repeat(1_000_000));
      const [d] = pkg.validate({ name_prefix: "x", get tags() { throw long; } });
      assert.equal(d.code, "type_mismatch");
      assert.equal(d.path, "tags");
      assert.ok(d.message.length < 300, `${d.message.length} characters`);
      const [m] = pkg.validate({ name_prefix: "x", get tags() { throw errorWithThrowingMessage(); } });
      assert.match(m.message, /threw: a value that is not an Error|threw: "/);
    });

    test("each value is read once: a getter cannot show one value to a check and another to the engine", () => {
      let reads = 0;
      const inputs = {
        name_prefix: "x",
        get tags() {
          reads += 1;
          return { a: reads === 1 ? "e\u0301" : "\u00e9" };
        },
      };
      const result = pkg.generate(inputs);
      assert.equal(reads, 1);
      assert.equal(result.roles[0].tags.a, "\u00e9", "normalized to NFC");
    });

    test("__proto__, constructor and prototype stay own keys of the result", () => {
      const inputs = { name_prefix: "x", tags: {}, custom_job_policy_statements: {} };
      for (const key of ["__proto__", "constructor", "prototype"]) put(inputs.tags, key, "v");
      put(inputs.custom_job_policy_statements, "S1", {
        actions: ["s3:GetObject"],
        resources: ["*"],
        condition: ["__proto__", "constructor", "prototype"].map((variable) => ({ test: "StringEquals", variable, values: ["v"] })),
      });
      const result = pkg.generate(inputs);
      const tags = result.roles[0].tags;
      assert.deepEqual(Object.keys(tags), ["__proto__", "constructor", "prototype"]);
      assert.equal(Object.getPrototypeOf(tags), Object.prototype);
      const condition = result.roles[0].inline_policy.document.Statement[0].Condition.StringEquals;
      assert.deepEqual(Object.keys(condition), ["__proto__", "constructor", "prototype"]);
      assert.equal(Object.getOwnPropertyDescriptor(condition, "__proto__").value, "v");
      assert.equal({}.v, undefined);
    });

    test("keys equal once in NFC are a duplicate_key error, from objects and Maps", () => {
      const tags = { "\u212bx": "a", "\u00c5x": "b" };
      const forms = [
        { name_prefix: "x", tags },
        { name_prefix: "x", tags: new Map(Object.entries(tags)) },
        { name_prefix: "x", custom_job_policy_statements: { "\u212bx": { actions: ["s3:*"], resources: ["*"] }, "\u00c5x": { actions: ["s3:*"], resources: ["*"] } } },
      ];
      for (const inputs of forms) {
        const codes = pkg.validate(inputs).map((d) => [d.code, d.pointer.split("/")[1]]);
        assert.deepEqual(codes.filter(([code]) => code === "duplicate_key").length, 1, JSON.stringify(codes));
      }
    });

    test("inputs over the budget are refused before they are copied", () => {
      const memory = () => exports?.memory?.buffer.byteLength ?? 0;
      const before = memory();
      const huge = "x".repeat(150 * 1024 * 1024);
      for (const inputs of [
        { name_prefix: huge },
        { name_prefix: "x", additional_job_policy_arns: Array.from({ length: 300 }, () => huge.slice(0, 1 << 20)) },
        { name_prefix: "x", tags: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, "v"])) },
      ]) {
        const codes = pkg.validate(inputs).map((d) => d.code);
        assert.deepEqual(codes, ["input_too_large"]);
      }
      assert.ok(memory() - before <= 4 << 20, `linear memory grew by ${memory() - before} bytes`);
    });
  });
}
