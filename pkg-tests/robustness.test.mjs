// 150,000 random and hostile inputs in a row (100,000 and a replay of the second half) against
// one instance of each build: every call
// returns a result or throws an Error carrying diagnostics, nothing else; validate never
// throws; afterwards the same instance still generates the seed's example exactly as before,
// and its linear memory stays under MEMORY_BOUND.
//
// ROBUSTNESS_CALLS overrides the count (default 100,000); ROBUSTNESS_SEED the PRNG seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builds, fixture } from "./builds.mjs";
import { prng, put } from "./random.mjs";

const CALLS = Number(process.env.ROBUSTNESS_CALLS ?? 100_000);
const SEED = Number(process.env.ROBUSTNESS_SEED ?? 20261129);
/** The bound on linear memory after the run: inputs carry strings of up to 1 MB. */
const MEMORY_BOUND = 32 * 1024 * 1024;

const VARIABLES = ["name_prefix", "tags", "enable_spot_fleet_role", "additional_job_policy_arns", "custom_job_policy_statements"];
const ATTRIBUTES = ["sid", "actions", "not_actions", "effect", "resources", "not_resources", "principals", "not_principals", "condition"];
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", "conditions", "tag", "Name_Prefix", "\u0000", "a/b~c", "${x}"];

function generator(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => random() < p;

  function string() {
    switch (int(12)) {
      case 0:
        return "";
      case 1:
        // Over IAM's limits (64, 128, 256, 2,048, 10,240); rarely huge (up to 256 KB).
        return "x".repeat(chance(0.01) ? 1 << (12 + int(7)) : 1 + int(300));
      case 2:
        return String.fromCharCode(...Array.from({ length: 1 + int(20) }, () => int(0x10000))); // lone surrogates too
      case 3:
        return pick(["${var.x}", "%{ if }", '"\\', "\n\r\t", "aws:tag", "*", "s3:*", "iam:PassRole", "Allow", "Deny", "true", "false", "null"]);
      case 4:
        return `arn:${pick(["aws", "aws-cn", "aws-us-gov", "aws-mars", ""])}:iam::${pick(["aws", "123456789012", "x"])}:policy/${pick(["A", "service-role/B", "", "a b"])}`;
      case 5:
        return pick(HOSTILE_KEYS);
      case 6:
        return "e\u0301漢🎉";
      default:
        return random().toString(36).slice(2, 2 + int(12));
    }
  }

  function scalar() {
    switch (int(14)) {
      case 0:
        return null;
      case 1:
        return undefined;
      case 2:
        return chance(0.5);
      case 3:
        return pick([0, -0, 1, -1, 1.5, 1e21, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity]);
      case 4:
        return pick([0n, 10n, -(2n ** 63n), 2n ** 64n, 2n ** 200n]);
      case 5:
        return Symbol(string().slice(0, 10));
      case 6:
        return pick([() => 1, function named() {}, class A {}, Math.max]);
      case 7:
        return pick([new Date(0), /re/g, new Error("x"), new Set([1]), new Uint8Array(3), new ArrayBuffer(4), Promise.resolve(1), new WeakMap()]);
      default:
        return string();
    }
  }

  function nested(depth) {
    let v = scalar();
    for (let i = 0; i < depth; i++) v = chance(0.5) ? [v] : { [pick(HOSTILE_KEYS)]: v };
    return v;
  }

  function hostileObject(inner) {
    switch (int(10)) {
      case 0: {
        const o = Object.create(null);
        o.name_prefix = inner;
        return o;
      }
      case 1:
        return JSON.parse(`{"__proto__": {"polluted": true}, "name_prefix": "p", "constructor": {"prototype": {"x": 1}}}`);
      case 2: {
        const o = { name_prefix: "p" };
        Object.defineProperty(o, "tags", { enumerable: true, get() { throw new Error("getter"); } });
        return o;
      }
      case 3:
        return new Proxy({}, { ownKeys() { throw new TypeError("ownKeys trap"); } });
      case 4:
        return new Proxy({ name_prefix: "p" }, { get() { throw 42; } });
      case 5: {
        const o = { name_prefix: "p" };
        o.tags = o;
        o.custom_job_policy_statements = { s: { condition: [o] } };
        return o;
      }
      case 6: {
        const a = [];
        a.length = 2 ** 32 - 1;
        return { name_prefix: "p", additional_job_policy_arns: a };
      }
      case 7:
        return { name_prefix: "p", [Symbol("s")]: 1, tags: { [Symbol.iterator]: 1 } };
      case 8: {
        const m = new Map([[1, "a"], [true, "b"], [{}, "c"]]);
        return new Map([["name_prefix", "p"], ["tags", chance(0.5) ? m : new Map([["k", inner]])]]);
      }
      default: {
        const m = new Map([["name_prefix", "p"]]);
        m[Symbol.iterator] = function* () { yield 1; throw new Error("iterator"); };
        return m;
      }
    }
  }

  function value(depth = 0) {
    if (depth > 3 || chance(0.4)) return scalar();
    if (chance(0.5)) return Array.from({ length: int(4) }, () => value(depth + 1));
    const o = {};
    for (let i = int(4); i > 0; i--) put(o, chance(0.7) ? pick([...ATTRIBUTES, "type", "identifiers", "test", "variable", "values"]) : pick(HOSTILE_KEYS), value(depth + 1));
    return o;
  }

  function statement() {
    const s = {};
    for (const a of ATTRIBUTES) if (chance(0.4)) s[a] = chance(0.7) ? pick([[string()], [string(), string()], ["s3:GetObject"], ["*"]]) : value(1);
    if (chance(0.3)) s.principals = [{ type: pick(["AWS", "Service", string()]), identifiers: [string()] }];
    if (chance(0.3)) s.condition = [{ test: pick(["StringEquals", "Bool", "Null", "ForAnyValue:StringLike", string()]), variable: string(), values: [string(), scalar()] }];
    if (chance(0.1)) put(s, pick(HOSTILE_KEYS), scalar());
    return s;
  }

  /** Mostly near-valid inputs with a few things wrong; the rest anything at all. */
  return function input() {
    const kind = int(20);
    if (kind === 0) return scalar();
    if (kind === 1) return nested(1 + int(int(2) ? 40 : 5000));
    if (kind === 2) return hostileObject(value());
    if (kind === 3) return value();
    const inputs = {};
    for (const v of VARIABLES) {
      if (!chance(0.6)) continue;
      if (chance(0.15)) {
        inputs[v] = value();
        continue;
      }
      switch (v) {
        case "name_prefix":
          inputs[v] = chance(0.8) ? pick(["metaflow-prod", "p", "a.b@c", string()]) : scalar();
          break;
        case "tags":
          inputs[v] = Object.fromEntries(Array.from({ length: int(chance(0.05) ? 60 : 4) }, () => [pick([string(), "Environment", "aws:x", "env", "Env"]), chance(0.8) ? string() : scalar()]));
          break;
        case "enable_spot_fleet_role":
          inputs[v] = pick([true, false, "true", "false", "yes", 1, null]);
          break;
        case "additional_job_policy_arns":
          inputs[v] = Array.from({ length: int(chance(0.05) ? 25 : 3) }, () => (chance(0.8) ? string() : scalar()));
          break;
        default:
          inputs[v] = Object.fromEntries(Array.from({ length: int(4) }, () => [pick(["s3", "secrets", "A1", string()]), statement()]));
      }
    }
    if (chance(0.1)) put(inputs, pick(HOSTILE_KEYS), value());
    return inputs;
  };
}

function options(random) {
  const r = random();
  if (r < 0.7) return undefined;
  if (r < 0.75) return pick(random, [null, 5, "x", [], () => 1, Symbol("o")]);
  return {
    account_id: pick(random, [undefined, "123456789012", "12345", 123456789012, null]),
    partition: pick(random, [undefined, "aws", "aws-cn", "aws-us-gov", "aws-mars", 1]),
    module_name: pick(random, [undefined, "iam", "1bad", ""]),
    module_source: pick(random, [undefined, "./m", ""]),
    ...(random() < 0.1 ? { acount_id: "x" } : {}),
  };
}

const pick = (random, xs) => xs[Math.floor(random() * xs.length)];

/** What a call did, as long as it is allowed; throws an assertion error otherwise. */
function outcome(call) {
  let result;
  try {
    result = call();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
    assert.ok(Array.isArray(e.diagnostics), `an Error without diagnostics: ${e.stack}`);
    assert.ok(e.diagnostics.some((d) => d.severity === "error"), `no error among the diagnostics: ${e.message}`);
    assert.equal(typeof e.message, "string");
    return "error";
  }
  assert.ok(Array.isArray(result.roles) && result.roles.length >= 3, "a result without roles");
  assert.ok(Array.isArray(result.diagnostics));
  return "result";
}

const advanced = fixture("advanced.tfvars.json");

/** Runs `count` generated inputs from `seed` through generate (and every tenth through validate). */
function run(pkg, count, seed, counts) {
  const random = prng(seed);
  const input = generator(random);
  for (let i = 0; i < count; i++) {
    const inputs = input();
    const opts = options(random);
    try {
      counts[outcome(() => pkg.generate(inputs, opts))]++;
      if (i % 10 === 0) assert.ok(Array.isArray(pkg.validate(inputs, opts)), "validate did not return an array");
    } catch (e) {
      e.message = `call ${i} (seed ${seed}): ${e.message}`;
      throw e;
    }
  }
}

for (const [build, pkg, exports] of await builds()) {
  test(`${build} build: ${CALLS} random and hostile inputs in a row on one instance, half of them replayed twice`, (t) => {
    const expected = pkg.generate(advanced, { account_id: "123456789012" });
    const counts = { result: 0, error: 0 };
    // Two halves, then the second again: the first replay may still grow the heap once (the
    // default allocator's free lists settle: measured, one step of 320 KB, then flat for six
    // more replays), so any growth in the second replay is a leak.
    run(pkg, CALLS / 2, SEED, counts);
    run(pkg, CALLS / 2, SEED, counts);
    // The instance's linear memory, where the loader gives its exports.
    const bytes = () => exports?.memory?.buffer.byteLength;
    const half = bytes();
    run(pkg, CALLS / 2, SEED, counts);
    assert.equal({}.polluted, undefined, "Object.prototype polluted");
    assert.deepEqual(pkg.generate(advanced, { account_id: "123456789012" }), expected);
    assert.ok(counts.result > CALLS / 100 && counts.error > CALLS / 100, JSON.stringify(counts));
    const memory = bytes();
    if (memory === undefined) {
      t.diagnostic(`${build}: ${counts.result} results, ${counts.error} errors; this loader does not expose the instance's memory`);
      return;
    }
    const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    t.diagnostic(`${build}: ${counts.result} results, ${counts.error} errors; linear memory ${mib(half)} after the first replay, ${mib(memory)} after the second (bound ${mib(MEMORY_BOUND)})`);
    assert.ok(memory <= MEMORY_BOUND, `linear memory ${memory} bytes over ${MEMORY_BOUND}`);
    assert.equal(memory, half, "linear memory grew while replaying the same inputs");
  });
}
