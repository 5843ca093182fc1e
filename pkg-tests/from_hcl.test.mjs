// fromHcl (the HCL reader's wasm, loaded on first use) against both builds: the seed's own
// examples read as their tfvars.json, the crossing into JS (own keys, exact numbers), the
// diagnostics' lines, argument checks, and its result going straight into generate.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { builds, fixture, fixtureText } from "./builds.mjs";

/** The seed's ```hcl blocks, verbatim (comments and the metaflow_s3 block included). */
const seedExamples = fixtureText("iam_metaflow-seed.md")
  .split("```hcl\n")
  .slice(1)
  .map((rest) => rest.split("```")[0]);

const features = readFileSync(new URL("../tests/fixtures/from_hcl/features.tfvars", import.meta.url), "utf8");
const terraform = JSON.parse(
  readFileSync(new URL("../tests/fixtures/from_hcl/features.terraform.json", import.meta.url), "utf8"),
);

for (const [build, engine] of await builds()) {
  // "iam-metaflow/hcl" beside the engine's entry of the same build.
  const hcl = await import(new URL(`../dist/${build}/hcl.js`, import.meta.url));
  if (build === "web") {
    // The web build in Node: the HCL reader's wasm given as bytes, as initSync is for the engine's.
    await hcl.initHcl(readFileSync(new URL("../dist/web/hcl/iam_metaflow_hcl_bg.wasm", import.meta.url)));
  }
  const pkg = { ...engine, ...hcl };

  describe(`${build} build`, () => {
    test("the seed's examples read as their tfvars.json, and generate writes them back", async () => {
      assert.equal(seedExamples.length, 2);
      for (const [text, name] of [
        [seedExamples[0], "basic"],
        [seedExamples[1], "advanced"],
      ]) {
        const read = await pkg.fromHcl(text);
        assert.deepEqual(read.inputs, fixture(`${name}.tfvars.json`));
        assert.deepEqual(read.options, {
          module_name: "metaflow_iam",
          module_source: "./shared-modules/wrapped/iam_metaflow",
        });
        assert.ok(read.diagnostics.every((d) => d.severity === "info"));
        const generated = pkg.generate(read.inputs, read.options);
        assert.equal(generated.hcl.module_call, fixtureText(`${name}.module_call.tf`));
      }
      const [ignored] = (await pkg.fromHcl(seedExamples[0])).diagnostics;
      assert.equal(ignored.code, "hcl_ignored");
      assert.equal(ignored.line, 13);
    });

    test("every HCL feature reads as Terraform reads it (tests/fixtures/from_hcl)", async () => {
      const read = await pkg.fromHcl(features);
      assert.deepEqual(read.diagnostics, []);
      assert.deepEqual(read.inputs, terraform);
    });

    test("keys stay own properties and unreadable numbers stay exact, as strings", async () => {
      const read = await pkg.fromHcl(
        'name_prefix = "p"\ntags = {\n  "__proto__" = "x"\n  big = 12345678901234567890\n  small = 1.50\n}\n',
      );
      assert.deepEqual(Object.keys(read.inputs.tags), ["__proto__", "big", "small"]);
      assert.equal(Object.getPrototypeOf(read.inputs.tags), Object.prototype);
      assert.equal(read.inputs.tags.big, "12345678901234567890");
      assert.equal(read.inputs.tags.small, 1.5);
      assert.deepEqual(
        read.diagnostics.map((d) => [d.code, d.path, d.line, d.column]),
        [["hcl_number_as_string", 'tags["big"]', 4, 9]],
      );
      const generated = pkg.generate(read.inputs, read.options);
      assert.equal(generated.roles[0].tags.big, "12345678901234567890");
      assert.equal(generated.roles[0].tags.small, "1.5");
    });

    test("references get a diagnostic at their line and column; the rest loads", async () => {
      const read = await pkg.fromHcl('name_prefix = "p"\ntags = {\n  a = var.owner\n  b = "c"\n}\n');
      assert.deepEqual(read.inputs, { name_prefix: "p", tags: { b: "c" } });
      const [d] = read.diagnostics;
      assert.deepEqual([d.severity, d.code, d.path, d.pointer, d.line, d.column], [
        "error",
        "hcl_not_static",
        'tags["a"]',
        "/tags/a",
        3,
        7,
      ]);
      assert.match(d.message, /^Variables not allowed/);
    });

    test("several module blocks: an error listing them, and the module option picks one", async () => {
      const text = 'module "a" {\n  source = "./iam_metaflow"\n  name_prefix = "a"\n}\nmodule "b" {\n  source = "./iam_metaflow"\n  name_prefix = "b"\n}\n';
      const both = await pkg.fromHcl(text);
      assert.equal(both.diagnostics[0].code, "hcl_module_ambiguous");
      assert.match(both.diagnostics[0].message, /module "a" \(line 1\), module "b" \(line 5\)/);
      const b = await pkg.fromHcl(text, { module: "b" });
      assert.deepEqual(b.inputs, { name_prefix: "b" });
      assert.equal(b.options.module_name, "b");
      assert.deepEqual(await pkg.fromHcl(text, { module: null }), both);
    });

    test("a terraform.tfvars.json: the seed's, numbers with every digit, a repeated key, a syntax error", async () => {
      // The same inputs as JSON.parse gives, for the seed's examples.
      for (const name of ["basic.tfvars.json", "advanced.tfvars.json"]) {
        const read = await pkg.fromHcl(fixtureText(name));
        assert.deepEqual(read, { inputs: fixture(name), options: {}, diagnostics: [] }, name);
      }
      // JSON.parse would round 12345678901234567890 to 12345678901234567000: read here, it is
      // the string Terraform converts it to, with an info.
      const big = await pkg.fromHcl('{"name_prefix": "p", "tags": {"build": 12345678901234567890, "n": 42}}');
      assert.deepEqual(big.inputs.tags, { build: "12345678901234567890", n: 42 });
      assert.deepEqual(big.diagnostics.map((d) => [d.code, d.path]), [["hcl_number_as_string", 'tags["build"]']]);
      assert.equal(pkg.generate(big.inputs).roles[0].tags.build, "12345678901234567890");
      // Terraform rejects a key written twice (Duplicate object attribute); JSON.parse keeps
      // the last unseen.
      const twice = await pkg.fromHcl('{"name_prefix": "p", "tags": {"a": "1", "a": "2"}}');
      assert.deepEqual(twice.diagnostics.map((d) => [d.code, d.path]), [["duplicate_key", 'tags["a"]']]);
      assert.match(twice.diagnostics[0].message, /^Duplicate object attribute/);
      const broken = await pkg.fromHcl('{\n  "name_prefix": "p",\n}');
      assert.deepEqual(broken.diagnostics.map((d) => [d.code, d.line]), [["input_not_json", 3]]);
    });

    test("a syntax error is a diagnostic with its line", async () => {
      const read = await pkg.fromHcl('name_prefix = "p"\ntags = = {}\n');
      assert.deepEqual(read.inputs, {});
      assert.equal(read.diagnostics[0].code, "hcl_syntax");
      assert.equal(read.diagnostics[0].line, 2);
    });

    test("wrong arguments are TypeErrors", async () => {
      await assert.rejects(pkg.fromHcl(42), TypeError);
      await assert.rejects(pkg.fromHcl(undefined), TypeError);
      await assert.rejects(pkg.fromHcl("", { module: 1 }), TypeError);
      await assert.rejects(pkg.fromHcl("", { modul: "a" }), /unknown option "modul"/);
    });
  });
}
