// The inputs' fast path (js/boundary.js + src/json_text.rs: plain data crosses as one JSON text)
// against the Walker (src/wasm.rs: every JS value walked, the source of exact diagnostics):
// for the fixtures and thousands of random inputs, generate and validate give exactly the same
// result, error message and diagnostics either way.
//
// The Walker is forced by a copy of the inputs whose prototype is an empty object: the Walker
// reads own properties only, the fast path refuses any object whose prototype is neither
// Object.prototype nor null. The test-only
// export __plainTaken says whether an input takes the fast path: plain inputs must take it
// (else the comparison would test the Walker against itself), inputs that are not plain
// (floats, non-NFC text, Maps, ...) must not.
//
// EQUIVALENCE_CALLS overrides the count of random inputs (default 3,000); EQUIVALENCE_SEED the
// PRNG seed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builds, fixture } from "./builds.mjs";
import { prng, put } from "./random.mjs";

const CALLS = Number(process.env.EQUIVALENCE_CALLS ?? 3_000);
const SEED = Number(process.env.EQUIVALENCE_SEED ?? 4242);

/**
 * Whether `v` holds something the generator below makes and the fast path must refuse: a
 * number that is not a safe integer, a BigInt, a function, a Date or Map, a string or key that
 * is not well-formed NFC, an object whose prototype is neither Object.prototype nor null.
 */
function notPlain(v) {
  switch (typeof v) {
    case "undefined":
    case "boolean":
      return false;
    case "number":
      return !Number.isSafeInteger(v);
    case "string":
      return badText(v);
    case "object":
      if (v === null) return false;
      if (Array.isArray(v)) return v.some((x) => notPlain(x));
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return true;
      // A key whose value is undefined is left out either way, whatever its text.
      return Object.keys(v).some((k) => v[k] !== undefined && (badText(k) || notPlain(v[k])));
    default:
      return true;
  }
}

/** A lone surrogate, or text that NFC changes. */
const badText = (s) => !s.isWellFormed() || s.normalize("NFC") !== s;

/**
 * `inputs` copied onto an empty object as its prototype (an array: with Object.prototype as
 * its prototype, still an array to the Walker): the same data, through the Walker. Undefined
 * for a scalar; `inputs` itself when it is an object the fast path refuses anyway.
 */
function walked(inputs) {
  if (inputs === null || typeof inputs !== "object") return undefined;
  if (Array.isArray(inputs)) return Object.setPrototypeOf([...inputs], Object.prototype);
  // Maps, Dates, class instances: the fast path refuses them as they are.
  const proto = Object.getPrototypeOf(inputs);
  if (proto !== Object.prototype && proto !== null) return inputs;
  const copy = Object.create(Object.create(null));
  for (const key of Reflect.ownKeys(inputs)) Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(inputs, key));
  return copy;
}

/** The outcome of generate: the result, or the error's message and diagnostics. */
function outcome(pkg, inputs, options) {
  try {
    return { result: pkg.generate(inputs, options) };
  } catch (e) {
    assert.ok(e instanceof Error, "generate throws Errors");
    return { message: e.message, diagnostics: e.diagnostics };
  }
}

/** Both paths give the same outcomes for `inputs`; returns whether the fast path was taken. */
function same(pkg, inputs, options, label) {
  const forced = walked(inputs);
  // A scalar's outcome is `input_not_object` either way (api.test.mjs).
  if (forced === undefined) return pkg.__plainTaken(inputs, options);
  assert.equal(pkg.__plainTaken(forced, options), false, `${label}: the copy goes through the Walker`);
  const taken = pkg.__plainTaken(inputs, options);
  assert.deepStrictEqual(outcome(pkg, inputs, options), outcome(pkg, forced, options), `${label}: generate`);
  assert.deepStrictEqual(pkg.validate(inputs, options), pkg.validate(forced, options), `${label}: validate`);
  return taken;
}

/** Every fixture of inputs in the repository: the seed's, the snapshot tests', the package's. */
function fixtures() {
  const all = [
    ["basic.tfvars.json", fixture("basic.tfvars.json"), undefined],
    ["advanced.tfvars.json", fixture("advanced.tfvars.json"), { account_id: "123456789012" }],
    ["grapheme-keys.tfvars.json", fixture("grapheme-keys.tfvars.json"), undefined],
  ];
  const dir = new URL("../tests/fixtures/inputs/", import.meta.url);
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const { options, ...inputs } = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
    all.push([name, inputs, options]);
  }
  return all;
}

/**
 * Random inputs near the module's variables. `plain` values only when `plainOnly`; otherwise
 * now and then a value the fast path must refuse (it records that in `state.impure`).
 */
function generator(random, plainOnly) {
  const int = (n) => Math.floor(random() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => random() < p;
  let impure = false;
  const KEYS = ["name_prefix", "tags", "enable_spot_fleet_role", "additional_job_policy_arns", "custom_job_policy_statements", "sid", "actions", "not_actions", "effect", "resources", "not_resources", "principals", "not_principals", "condition", "type", "identifiers", "test", "variable", "values", "account_id", "partition", "module_name", "module_source", "__proto__", "constructor", "toString", "", "1", "0", "10", "a/b~c", "tag", "Name_Prefix", "é", "e\u0301", "漢字", "🎉"].filter((k) => !plainOnly || !badText(k));

  function string() {
    switch (int(10)) {
      case 0:
        return "";
      case 1:
        return pick(["metaflow-prod", "p", "a.b@c", "aws:tag", "*", "s3:*", "s3:GetObject", "Allow", "Deny", "AWS", "Service", "StringEquals", "Bool", "aws:SecureTransport", "true", "123456789012", "aws-cn", "aws-us-gov"]);
      case 2:
        return pick(['"\\', "\n\r\t", "\u0000\u001f\u007f", "${var.x}", "%{ if }", "<&>", "\u2028\u2029", "x".repeat(300)]);
      case 3:
        return pick(["é", "漢字", "🎉", "Ωμέγα", "ﬁ", "\u00c5", "한국어", "e\u0301"].filter((s) => !plainOnly || s.normalize("NFC") === s));
      case 4:
        return `arn:${pick(["aws", "aws-cn", "aws-us-gov", "aws-mars"])}:iam::${pick(["aws", "123456789012"])}:policy/${pick(["A", "service-role/B", "a b"])}`;
      case 5:
        if (!plainOnly && chance(0.5)) {
          impure = true;
          return pick(["e\u0301", "\ud800", "a\udc00b", "\u212b"]); // not NFC, or lone surrogates
        }
        return pick(KEYS);
      default:
        return random().toString(36).slice(2, 2 + int(12));
    }
  }

  function scalar() {
    switch (int(9)) {
      case 0:
        return null;
      case 1:
        return chance(0.5);
      case 2:
        return pick([0, -0, 1, -1, 42, 2 ** 53 - 1, -(2 ** 53 - 1), 123456789012]);
      case 3:
        if (!plainOnly) {
          impure = true;
          return pick([1.5, 2 ** 53, 1e21, NaN, Infinity, 10n, new Date(0), new Map([["a", 1]]), () => 1]);
        }
        return undefined;
      case 4:
        return undefined;
      default:
        return string();
    }
  }

  function value(depth) {
    if (depth > 4 || chance(0.45)) return scalar();
    if (chance(0.4)) return Array.from({ length: int(5) }, () => value(depth + 1));
    const o = plainOnly || chance(0.9) ? {} : Object.create(null);
    for (let i = int(5); i > 0; i--) {
      const key = chance(0.5) ? pick(KEYS) : string();
      put(o, key, value(depth + 1));
    }
    return o;
  }

  function statement() {
    const s = {};
    for (const a of ["sid", "actions", "not_actions", "effect", "resources", "not_resources"]) {
      if (chance(0.4)) s[a] = chance(0.8) ? pick([[string()], [string(), string()], ["s3:GetObject"], ["*"], string()]) : value(2);
    }
    if (chance(0.3)) s.principals = [{ type: pick(["AWS", "Service", "*", string()]), identifiers: [string(), string()] }];
    if (chance(0.3)) s.condition = [{ test: pick(["StringEquals", "Bool", "ForAnyValue:StringLike", string()]), variable: string(), values: [string(), scalar()] }];
    if (chance(0.1)) put(s, pick(KEYS), value(2));
    return s;
  }

  function inputs() {
    const kind = int(12);
    // Undefined inputs go through the Walker (api.test.mjs covers them).
    if (kind === 0) return value(0) ?? null;
    const o = {};
    if (chance(0.9)) o.name_prefix = chance(0.85) ? pick(["metaflow-prod", "p", "team-a"]) : scalar();
    if (chance(0.5)) o.tags = Object.fromEntries(Array.from({ length: int(5) }, () => [pick([string(), "Environment", "Project", "aws:x"]), chance(0.85) ? string() : scalar()]));
    if (chance(0.4)) o.enable_spot_fleet_role = pick([true, false, null, "true", 1]);
    if (chance(0.5)) o.additional_job_policy_arns = Array.from({ length: int(4) }, () => (chance(0.8) ? pick(["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/Custom", string()]) : scalar()));
    if (chance(0.6)) o.custom_job_policy_statements = Object.fromEntries(Array.from({ length: int(4) }, () => [pick(["s3", "secrets", "A1", string()]), chance(0.9) ? statement() : scalar()]));
    if (chance(0.1)) put(o, pick(KEYS), value(1));
    return o;
  }

  function options() {
    if (chance(0.5)) return pick([undefined, null]);
    return {
      account_id: pick([undefined, "123456789012", "12345", 123456789012, null]),
      partition: pick([undefined, "aws", "aws-cn", "aws-us-gov", "aws-mars"]),
      module_name: pick([undefined, "iam", "1bad"]),
      ...(chance(0.1) ? { acount_id: "x" } : {}),
    };
  }

  return () => {
    impure = false;
    const i = inputs();
    const o = options();
    return { inputs: i, options: o, impure };
  };
}

for (const [build, pkg] of await builds()) {
  describe(`${build} build: the fast path equals the Walker`, () => {
    test("every fixture takes the fast path and gives the Walker's outcome", () => {
      for (const [name, inputs, options] of fixtures()) {
        assert.equal(same(pkg, inputs, options, name), true, `${name} takes the fast path`);
      }
    });

    test(`${CALLS} random plain inputs take the fast path and give the Walker's outcomes`, () => {
      const next = generator(prng(SEED), true);
      for (let i = 0; i < CALLS; i++) {
        const { inputs, options } = next();
        const label = `call ${i} (seed ${SEED}): ${JSON.stringify([inputs, options])}`;
        assert.equal(same(pkg, inputs, options, label), true, `${label}: takes the fast path`);
      }
    });

    test(`${CALLS} random inputs, some not plain: exactly the plain ones take the fast path`, () => {
      const next = generator(prng(SEED + 1), false);
      let refused = 0;
      for (let i = 0; i < CALLS; i++) {
        const { inputs, options } = next();
        const label = `call ${i} (seed ${SEED + 1})`;
        const taken = same(pkg, inputs, options, label);
        const impure = notPlain(inputs) || notPlain(options);
        assert.equal(taken, !impure, `${label}: takes the fast path exactly when plain`);
        if (impure) refused += 1;
      }
      assert.ok(refused > CALLS / 10, `enough inputs were not plain (${refused})`);
    });

    test("inputs that are not plain data never take the fast path", () => {
      const base = { name_prefix: "p" };
      const getter = { name_prefix: "p" };
      Object.defineProperty(getter, "tags", { enumerable: true, get: () => ({ a: "b" }) });
      const hidden = { name_prefix: "p" };
      Object.defineProperty(hidden, "tags", { enumerable: false, value: { a: "b" } });
      const deep = { name_prefix: "p", tags: {} };
      let d = deep.tags;
      for (let i = 0; i < 40; i++) d = d.x = {};
      const cyclic = { name_prefix: "p" };
      cyclic.tags = cyclic;
      class Custom {}
      for (const [label, inputs, options] of [
        ["a float", { ...base, tags: { a: 1.5 } }],
        ["an unsafe integer", { ...base, tags: { a: 2 ** 53 } }],
        ["NaN", { ...base, tags: { a: NaN } }],
        ["a BigInt", { ...base, tags: { a: 1n } }],
        ["a Map", new Map([["name_prefix", "p"]])],
        ["a Date", { ...base, tags: { a: new Date(0) } }],
        ["a class instance", Object.assign(new Custom(), base)],
        ["a non-enumerable key", hidden],
        ["a function", { ...base, tags: () => 1 }],
        ["a symbol", { ...base, tags: Symbol("s") }],
        ["a string not in NFC", { ...base, tags: { a: "e\u0301" } }],
        ["a key not in NFC", { ...base, tags: { "e\u0301": "a" } }],
        ["a lone surrogate", { ...base, tags: { a: "\ud800" } }],
        ["a lone surrogate in a key", { ...base, tags: { "\udc00": "a" } }],
        ["a lone surrogate beside non-ASCII text", { ...base, tags: { a: "\ud800", b: "é" } }],
        ["deeper than 32 levels", deep],
        ["a cycle", cyclic],
        ["options that are not plain", base, { account_id: 1.5 }],
        ["options with a non-enumerable key", base, Object.defineProperty({}, "account_id", { value: "123456789012" })],
        ["undefined inputs", undefined],
        ["an array with a non-Array prototype", { ...base, additional_job_policy_arns: Object.setPrototypeOf(["a"], Object.prototype) }],
      ]) {
        assert.equal(pkg.__plainTaken(inputs, options), false, label);
      }
      assert.equal(pkg.__plainTaken(getter, undefined), true, "a getter that returns plain data is read like a property");
      assert.equal(pkg.__plainTaken({ ...base, tags: { a: -0, b: 2 ** 53 - 1 } }, null), true, "-0 and safe integers");
      assert.equal(pkg.__plainTaken(Object.assign(Object.create(null), base), undefined), true, "a null prototype");
      // Keys whose value is undefined: left out by the Walker and JSON.stringify alike.
      const unset = { ...base, tags: { "e\u0301": undefined, "\ud800": undefined, b: "é" } };
      assert.equal(pkg.__plainTaken(unset, undefined), true, "keys of undefined values");
      assert.deepStrictEqual(pkg.generate(unset), pkg.generate(walked(unset)));
      // Symbol keys: the Walker and JSON.stringify both leave them out.
      const symbolic = { ...base, [Symbol("s")]: 1, tags: { [Symbol.iterator]: 1 } };
      assert.equal(pkg.__plainTaken(symbolic, undefined), true, "symbol keys");
      assert.deepStrictEqual(pkg.generate(symbolic), pkg.generate(walked(symbolic)));
      Object.prototype.toJSON = () => ({});
      try {
        assert.equal(pkg.__plainTaken(base, undefined), false, "an inherited toJSON");
      } finally {
        delete Object.prototype.toJSON;
      }
      const throwing = { name_prefix: "p" };
      Object.defineProperty(throwing, "tags", { enumerable: true, get() { throw new Error("getter"); } });
      assert.equal(pkg.__plainTaken(throwing, undefined), false, "a throwing getter");
      assert.deepStrictEqual(pkg.validate(throwing), pkg.validate(walked(throwing)));
    });

    test("long and non-ASCII texts and a getter that calls generate take the fast path", () => {
      // The JSON text crosses through a 16 KB buffer of the wasm's memory (src/wasm.rs
      // INPUT_TEXT), made larger when JS finds it too small: past it in UTF-16 units, and past
      // it in UTF-8 bytes only (3 bytes per unit here).
      const actions = Array.from({ length: 2000 }, (_, i) => `s3:Get${i}`);
      const long = { name_prefix: "p", custom_job_policy_statements: { s3: { actions, resources: ["*"] } } };
      const wide = { name_prefix: "p", tags: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "漢".repeat(200)])) };
      assert.ok(JSON.stringify(long).length > 16 * 1024 && JSON.stringify(wide).length < 16 * 1024);
      const calls = [];
      const reentrant = { name_prefix: "p" };
      Object.defineProperty(reentrant, "tags", {
        enumerable: true,
        get() {
          calls.push(pkg.generate(fixture("advanced.tfvars.json")).roles.length);
          return { a: "é" };
        },
      });
      for (const [label, inputs] of [["long", long], ["wide", wide], ["reentrant", reentrant], ["long again", long]]) {
        assert.equal(same(pkg, inputs, undefined, label), true, `${label} takes the fast path`);
      }
      assert.equal(pkg.generate(wide).roles[0].tags.k39, "漢".repeat(200));
      assert.ok(calls.length > 0 && calls.every((n) => n === 4), "the nested calls generate too");
    });
  });
}
