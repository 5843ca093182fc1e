// The same data in every form JS can give it gets the same outcome: a plain object, its objects
// as Maps, with keys in another order, on null-prototype objects, with its text in NFD rather
// than NFC — and the same from the Node and the web build. For the fixtures and thousands of random inputs, generate and
// validate give exactly the same result, error message and diagnostics every way.
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

/** A lone surrogate, or text that NFC changes. */
const badText = (s) => !s.isWellFormed() || s.normalize("NFC") !== s;

/** The outcome of generate: the result, or the error's message and diagnostics. */
function outcome(pkg, inputs, options) {
  try {
    return { result: pkg.generate(inputs, options) };
  } catch (e) {
    assert.ok(e instanceof Error, "generate throws Errors");
    return { message: e.message, diagnostics: e.diagnostics };
  }
}

/** `v` rebuilt by `object` (for each plain object, given its entries) and `string`. */
function rebuilt(v, object, string = (s) => s) {
  if (typeof v === "string") return string(v);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => rebuilt(x, object, string));
  return object(Object.entries(v).map(([k, x]) => [string(k), rebuilt(x, object, string)]));
}

const entriesOf = (entries) => {
  const o = {};
  for (const [k, v] of entries) put(o, k, v);
  return o;
};

/** The other forms of `inputs` (plain data whose strings are NFC and well-formed). */
function forms(inputs) {
  const all = [
    ["Maps", rebuilt(inputs, (entries) => new Map(entries))],
    ["keys reversed", rebuilt(inputs, (entries) => entriesOf(entries.reverse()))],
    ["null prototypes", rebuilt(inputs, (entries) => Object.setPrototypeOf(entriesOf(entries), null))],
    ["text in NFD", rebuilt(inputs, entriesOf, (s) => s.normalize("NFD"))],
  ];
  return inputs === null || typeof inputs !== "object" || Array.isArray(inputs) ? [] : all;
}

/** Every form of `inputs`, on both builds, gives the outcome of the plain object on the first. */
function same(packages, inputs, options, label) {
  const [[, first]] = packages;
  const expected = outcome(first, inputs, options);
  const diagnostics = first.validate(inputs, options);
  for (const [build, pkg] of packages) {
    assert.deepStrictEqual(outcome(pkg, inputs, options), expected, `${label}: ${build} build`);
    for (const [form, other] of forms(inputs)) {
      assert.deepStrictEqual(outcome(pkg, other, options), expected, `${label}: ${form}, ${build} build: generate`);
      assert.deepStrictEqual(pkg.validate(other, options), diagnostics, `${label}: ${form}, ${build} build: validate`);
    }
  }
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
 * Random plain data near the module's variables: strings well-formed and in NFC, numbers safe
 * integers but -0 (whose JSON text is "0"), objects with Object.prototype.
 */
function generator(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => random() < p;
  const KEYS = ["name_prefix", "tags", "enable_spot_fleet_role", "additional_job_policy_arns", "custom_job_policy_statements", "sid", "actions", "not_actions", "effect", "resources", "not_resources", "principals", "not_principals", "condition", "type", "identifiers", "test", "variable", "values", "account_id", "partition", "module_name", "module_source", "__proto__", "constructor", "toString", "", "1", "0", "10", "a/b~c", "tag", "Name_Prefix", "é", "e\u0301", "漢字", "🎉"].filter((k) => !badText(k));

  function string() {
    switch (int(10)) {
      case 0:
        return "";
      case 1:
        return pick(["metaflow-prod", "p", "a.b@c", "aws:tag", "*", "s3:*", "s3:GetObject", "Allow", "Deny", "AWS", "Service", "StringEquals", "Bool", "aws:SecureTransport", "true", "123456789012", "aws-cn", "aws-us-gov"]);
      case 2:
        return pick(['"\\', "\n\r\t", "\u0000\u001f\u007f", "${var.x}", "%{ if }", "<&>", "\u2028\u2029", "x".repeat(300)]);
      case 3:
        return pick(["é", "漢字", "🎉", "Ωμέγα", "ﬁ", "\u00c5", "한국어", "e\u0301"].filter((s) => !badText(s)));
      case 4:
        return `arn:${pick(["aws", "aws-cn", "aws-us-gov", "aws-mars"])}:iam::${pick(["aws", "123456789012"])}:policy/${pick(["A", "service-role/B", "a b"])}`;
      case 5:
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
        return pick([0, 1, -1, 42, 2 ** 53 - 1, -(2 ** 53 - 1), 123456789012]);
      case 4:
        return undefined;
      default:
        return string();
    }
  }

  function value(depth) {
    if (depth > 4 || chance(0.45)) return scalar();
    if (chance(0.4)) return Array.from({ length: int(5) }, () => value(depth + 1));
    const o = {};
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
    const i = inputs();
    const o = options();
    return { inputs: i, options: o };
  };
}

const packages = await builds();

describe("the same data in every form", () => {
  test("every fixture", () => {
    for (const [name, inputs, options] of fixtures()) same(packages, inputs, options, name);
  });

  test(`${CALLS} random inputs`, () => {
    const next = generator(prng(SEED));
    for (let i = 0; i < CALLS; i++) {
      const { inputs, options } = next();
      same(packages, inputs, options, `call ${i} (seed ${SEED}): ${JSON.stringify([inputs, options])}`);
    }
  });
});
