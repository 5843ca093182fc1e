// The results' crossing (serde_json's text, parsed by JSON.parse) against the native Rust
// result: for every fixture of tests/snapshots.rs, what generate returns in JS (or the message
// and diagnostics it throws) is exactly the insta snapshot that serde_json wrote natively,
// keys, key order and every value; and JS-specific cases (non-ASCII text, `__proto__` keys,
// many calls on one instance) build plain data.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builds } from "./builds.mjs";

const root = new URL("../tests/", import.meta.url);

/** [name, inputs, options, expected] for each snapshot of tests/snapshots.rs. */
function snapshots() {
  const all = [];
  for (const [dir, pattern] of [
    ["fixtures/inputs/", /\.json$/],
    ["fixtures/seed/", /\.tfvars\.json$/],
  ]) {
    for (const name of readdirSync(new URL(dir, root)).filter((n) => pattern.test(n))) {
      const { options, ...inputs } = JSON.parse(readFileSync(new URL(dir + name, root), "utf8"));
      const snap = readFileSync(new URL(`snapshots/snapshots__fixtures@${name}.snap`, root), "utf8");
      // insta's file: a header between two `---` lines, then serde_json's pretty text.
      const expected = JSON.parse(snap.slice(snap.indexOf("\n---\n", 4) + 5));
      all.push([name, inputs, options, expected]);
    }
  }
  return all;
}

function outcome(pkg, inputs, options) {
  try {
    return pkg.generate(inputs, options);
  } catch (e) {
    return { error: e.message, diagnostics: e.diagnostics };
  }
}

/** Whether `v` is plain data all the way down: arrays and Object.prototype objects. */
function plainAllTheWay(v) {
  if (v === null || typeof v !== "object") return true;
  if (Array.isArray(v)) return Object.getPrototypeOf(v) === Array.prototype && v.every(plainAllTheWay);
  return Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(plainAllTheWay);
}

for (const [build, pkg] of await builds()) {
  describe(`${build} build: results cross exactly`, () => {
    test("every fixture's result is its native snapshot, key order included", () => {
      const all = snapshots();
      assert.ok(all.length >= 9, `snapshots read: ${all.length}`);
      for (const [name, inputs, options, expected] of all) {
        const actual = outcome(pkg, inputs, options);
        assert.equal(JSON.stringify(actual), JSON.stringify(expected), name);
        assert.deepStrictEqual(actual, expected, name);
        assert.ok(plainAllTheWay(actual), `${name}: plain objects and arrays`);
      }
    });

    test("the same call twice gives equal, separate results", () => {
      const [[, inputs, options]] = snapshots();
      const a = pkg.generate(inputs, options);
      const b = pkg.generate(inputs, options);
      assert.deepStrictEqual(a, b);
      assert.notEqual(a.roles, b.roles);
      a.roles[0].tags.changed = "yes";
      assert.equal(b.roles[0].tags.changed, undefined);
      // Documents too.
      for (const role of a.roles) role.assume_role_policy.document.Statement[0].Sid = "changed";
      const c = pkg.generate(inputs, options);
      for (const r of [b, c]) {
        for (const role of r.roles) {
          assert.deepStrictEqual(role.assume_role_policy.document, JSON.parse(role.assume_role_policy.minified_json));
        }
      }
      assert.notEqual(b.roles[0].assume_role_policy.document, c.roles[0].assume_role_policy.document);
    });

    test("a `__proto__` key in a policy document stays an own key, call after call", () => {
      const condition = [{ test: "StringEquals", variable: "__proto__", values: ["x"] }];
      const inputs = { name_prefix: "p", custom_job_policy_statements: { a: { actions: ["s3:GetObject"], resources: ["*"], condition } } };
      for (let i = 0; i < 3; i++) {
        const equals = pkg.generate(inputs).roles[0].inline_policy.document.Statement[0].Condition.StringEquals;
        assert.ok(Object.hasOwn(equals, "__proto__"));
        assert.equal(Object.getPrototypeOf(equals), Object.prototype);
        assert.deepStrictEqual(equals["__proto__"], "x");
      }
    });

    test("non-ASCII text and `__proto__` keys cross as they are", () => {
      // A policy holds only IAM's alphabet (U+0009, U+000A, U+000D, U+0020-U+00FF: policy_chars);
      // text beyond the BMP crosses in a tag value (𝒜 is a letter, U+1D49C).
      const tags = { "é": "漢字", Ωμέγα: "한국어 e\u0301 𝒜", key_x: "x" };
      Object.defineProperty(tags, "__proto__", { value: "p", enumerable: true, writable: true, configurable: true });
      const statements = { "s3é": { sid: "S3", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bücket/ÿ/*"] } };
      // Terraform normalizes to NFC, so the expected values are the NFC forms of the inputs.
      const nfc = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.normalize("NFC"), v.normalize("NFC")]));
      for (const inputs of [
        { name_prefix: "p", tags, custom_job_policy_statements: statements },
        // And through the Walker (an object whose prototype is not Object.prototype).
        Object.assign(Object.create(Object.create(null)), { name_prefix: "p", tags, custom_job_policy_statements: statements }),
      ]) {
        const r = pkg.generate(inputs);
        for (const role of r.roles) {
          assert.deepStrictEqual(Object.entries(role.tags).sort(), Object.entries(nfc).sort());
          assert.equal(Object.getPrototypeOf(role.tags), Object.prototype);
          assert.ok(Object.hasOwn(role.tags, "__proto__"));
        }
        const inline = r.roles[0].inline_policy;
        assert.deepStrictEqual(inline.document, JSON.parse(inline.minified_json));
        assert.equal(inline.document.Statement[0].Resource, "arn:aws:s3:::bücket/ÿ/*");
        assert.ok(r.hcl.module_call.includes("한국어 é 𝒜"));
        assert.ok(plainAllTheWay(r));
      }
    });

    test("validate's diagnostics and generate's error cross as plain data", () => {
      const diagnostics = pkg.validate({ name_prefix: "bad prefix é", tags: { "aws:x": "漢" } });
      assert.ok(diagnostics.length > 0 && plainAllTheWay(diagnostics));
      assert.ok(diagnostics.every((d) => typeof d.message === "string" && typeof d.code === "string"));
      assert.throws(() => pkg.generate({ name_prefix: "bad prefix é" }), (e) => {
        assert.ok(plainAllTheWay(e.diagnostics));
        assert.deepStrictEqual(e.diagnostics, pkg.validate({ name_prefix: "bad prefix é" }));
        return true;
      });
    });
  });
}
