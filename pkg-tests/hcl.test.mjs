// HCL from JS, parsed by HashiCorp's HCL parser (@cdktf/hcl2json) and compared with the
// inputs; the seed's module calls compared with the seed's text (tests/fixtures/seed/*.module_call.tf).
// The HCL writer lives on another branch: while it returns empty texts these tests skip,
// visibly.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import { builds, fixture, fixtureText } from "./builds.mjs";

/**
 * A string as hcl2json returns it (Terraform's JSON syntax, a template) read back as the
 * literal it stands for: `$${` is `${`, `%%{` is `%{`; a real interpolation is a failure.
 */
function literal(s) {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const two = s.slice(i, i + 2);
    if ((two === "$$" || two === "%%") && s[i + 2] === "{") {
      out += `${s[i]}{`;
      i += 2;
    } else if ((two === "${" || two === "%{") && s[i - 1] !== s[i]) {
      throw new Error(`an interpolation in ${JSON.stringify(s)}`);
    } else {
      out += s[i];
    }
  }
  return out;
}

/**
 * What HCL reads back from a string: HCL normalizes string literals to Unicode NFC (hclsyntax),
 * so Terraform itself sees "e\u0301" as "é".
 */
const asHclReads = (v) =>
  typeof v === "string"
    ? v.normalize("NFC")
    : Array.isArray(v)
      ? v.map(asHclReads)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.normalize("NFC"), asHclReads(x)]))
        : v;

/** Every string in a parsed value read back as a literal. */
const literals = (v) =>
  typeof v === "string"
    ? literal(v)
    : Array.isArray(v)
      ? v.map(literals)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [literal(k), literals(x)]))
        : v;

/** The inputs as the module block must hold them: defaults left out, effect always written. */
function expectedBlock(inputs, source) {
  const block = { source };
  if (inputs.name_prefix != null) block.name_prefix = inputs.name_prefix;
  if (inputs.enable_spot_fleet_role === true) block.enable_spot_fleet_role = true;
  if (inputs.additional_job_policy_arns?.length) block.additional_job_policy_arns = inputs.additional_job_policy_arns;
  if (inputs.custom_job_policy_statements != null) {
    block.custom_job_policy_statements = Object.fromEntries(
      Object.entries(inputs.custom_job_policy_statements).map(([key, s]) => {
        const statement = Object.fromEntries(Object.entries(s).filter(([, v]) => v != null));
        statement.effect ??= "Allow";
        return [key, statement];
      }),
    );
  }
  if (inputs.tags != null && Object.keys(inputs.tags).length > 0) block.tags = inputs.tags;
  return block;
}

// Strings HCL must escape, where IAM allows them (tag values allow letters, spaces and
// _.:/=+-@ only; condition values and resources IAM's policy alphabet: tab, line feed, carriage
// return and U+0020-U+00FF; map keys with an explicit sid anything).
const hostile = {
  name_prefix: "metaflow-dev",
  tags: { "Cost Center": "é 漢 x:y/z=1+2-3@4", Empty: "" },
  custom_job_policy_statements: {
    'key with "quotes" and ${x}': {
      sid: "Templates",
      actions: ["s3:GetObject"],
      resources: ["arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::b/%{ if true }x%{ endif }"],
      condition: [
        {
          test: "StringLike",
          variable: "s3:prefix",
          values: ["home/${aws:username}/", "a\nb\tc\r", 'say "hi" \\ there', "e\u0301 ÿ\u00a0", "$", "%", "$${x}"],
        },
      ],
    },
  },
};

// The comparison itself, checked on the seed's own text: the seed's blocks hold the seed's inputs.
test("the seed's module calls, parsed, hold the seed's inputs", async () => {
  for (const name of ["basic", "advanced"]) {
    const parsed = await parse("main.tf", fixtureText(`${name}.module_call.tf`));
    const block = literals(parsed.module.metaflow_iam[0]);
    assert.deepEqual(block, expectedBlock(fixture(`${name}.tfvars.json`), block.source));
  }
  assert.equal(literal("a $${b} %%{c} $ %"), "a ${b} %{c} $ %");
  assert.throws(() => literal("${var.x}"));
});

for (const [build, pkg] of await builds()) {
  describe(`${build} build: HCL`, () => {
    for (const name of ["basic", "advanced"]) {
      test(`the seed's ${name} module call is the seed's text`, (t) => {
        const { hcl } = pkg.generate(fixture(`${name}.tfvars.json`));
        if (hcl.module_call === "") return t.skip("hcl.module_call is empty: the HCL writer is not merged yet");
        assert.equal(hcl.module_call, fixtureText(`${name}.module_call.tf`));
      });
    }

    test("keys align by grapheme clusters as terraform fmt counts them (Intl.Segmenter in wasm)", () => {
      // Tag keys of several code points per grapheme cluster (Hangul jamo, Thai, Malayalam
      // prepend, CJK); the expected text is a fixed point of `terraform fmt` (fixtures/README.md).
      const { hcl } = pkg.generate(fixture("grapheme-keys.tfvars.json"));
      assert.equal(hcl.module_call, fixtureText("grapheme-keys.module_call.tf"));
    });

    for (const [name, inputs, options] of [
      ["basic", fixture("basic.tfvars.json"), undefined],
      ["advanced", fixture("advanced.tfvars.json"), { module_name: "iam", module_source: "../modules/iam" }],
      ["hostile strings", hostile, undefined],
    ]) {
      test(`the ${name} module call parses and holds the inputs`, async (t) => {
        const { hcl } = pkg.generate(inputs, options);
        if (hcl.module_call === "") return t.skip("hcl.module_call is empty: the HCL writer is not merged yet");
        const parsed = await parse("main.tf", hcl.module_call);
        const label = options?.module_name ?? "metaflow_iam";
        assert.deepEqual(Object.keys(parsed.module), [label]);
        const block = literals(parsed.module[label][0]);
        const expected = expectedBlock(inputs, options?.module_source ?? "./shared-modules/wrapped/iam_metaflow");
        assert.deepEqual(block, asHclReads(expected));
      });

      test(`the ${name} module files, resources and integrations parse`, async (t) => {
        const { hcl } = pkg.generate(inputs, options);
        if (Object.keys(hcl.module).length === 0) return t.skip("hcl.module is empty: the HCL writer is not merged yet");
        for (const [file, text] of Object.entries(hcl.module)) {
          if (file.endsWith(".tf")) await parse(file, text);
        }
        assert.deepEqual(
          Object.keys(hcl.module).sort(),
          ["README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf"],
        );
        const resources = await parse("resources.tf", hcl.resources);
        const roles = Object.values(resources.resource.aws_iam_role).map((r) => r[0]);
        assert.equal(roles.length, pkg.generate(inputs, options).roles.length);
        if (hcl.integrations !== "") await parse("integrations.tf", hcl.integrations);
      });
    }
  });
}
