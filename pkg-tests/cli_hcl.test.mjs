// The CLI's HCL input (bin/iam-metaflow.mjs readInputs): .tfvars, .tf and .json by extension,
// stdin by content, --module, and HCL errors exiting 1 with their line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "iam-metaflow";
import { fixture, fixtureText } from "./builds.mjs";

const bin = fileURLToPath(new URL("../bin/iam-metaflow.mjs", import.meta.url));
const cli = (args, input) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", input });
const temp = () => mkdtempSync(join(tmpdir(), "iam-metaflow-cli-hcl-"));
const [basicTf, advancedTf] = fixtureText("iam_metaflow-seed.md")
  .split("```hcl\n")
  .slice(1)
  .map((rest) => rest.split("```")[0]);
const advancedTfvars = `name_prefix            = "metaflow-prod"
enable_spot_fleet_role = true # as in the seed's advanced example
additional_job_policy_arns = ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"]
custom_job_policy_statements = {
  secrets_access = {
    sid       = "AllowSecretsManagerAccess"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:*:*:secret:metaflow/*"]
  }
}
tags = {
  Environment = "production"
  Project     = "metaflow"
}
`;

/** Runs the CLI on `text` written to a file named `name`; the run and the written result. */
function runOn(name, text, ...args) {
  const dir = temp();
  const input = join(dir, name);
  writeFileSync(input, text);
  const out = join(dir, "out");
  const run = cli(["--input", input, "--out", out, ...args]);
  const written = join(out, "result.json");
  return { run, out, result: existsSync(written) ? JSON.parse(readFileSync(written, "utf8")) : undefined };
}

test("a .tfvars gives the same result as its tfvars.json", () => {
  const { run, result } = runOn("terraform.tfvars", advancedTfvars);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(result, generate(fixture("advanced.tfvars.json")));
});

test("a .tf's module block gives the inputs and the options (name, source)", () => {
  for (const [text, name] of [
    [basicTf, "basic"],
    [advancedTf, "advanced"],
  ]) {
    const { run, out, result } = runOn("main.tf", text);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(result, generate(fixture(`${name}.tfvars.json`)));
    assert.equal(readFileSync(join(out, "main.tf"), "utf8"), fixtureText(`${name}.module_call.tf`));
  }
  // The seed's second block is another module's: an info, printed with its line.
  const { run } = runOn("main.tf", basicTf);
  assert.match(run.stderr, /^info \[hcl_ignored\] line 13, column 1: module "metaflow_s3" ignored/m);
  const quiet = runOn("main.tf", basicTf, "--quiet").run;
  assert.equal(quiet.stderr, "");
});

test("--options goes over the module block's name and source", () => {
  const dir = temp();
  const options = join(dir, "options.json");
  writeFileSync(options, JSON.stringify({ module_name: "from_options", account_id: "123456789012" }));
  const text = 'module "from_block" {\n  source      = "./modules/iam_metaflow"\n  name_prefix = "p"\n}\n';
  const { run, out, result } = runOn("main.tf", text, "--options", options);
  assert.equal(run.status, 0, run.stderr);
  assert.match(readFileSync(join(out, "main.tf"), "utf8"), /^module "from_options" \{\n {2}source = "\.\/modules\/iam_metaflow"/);
  assert.ok(existsSync(join(out, "modules", "iam_metaflow", "main.tf")));
  assert.equal(result.roles[0].arn, "arn:aws:iam::123456789012:role/p-batch-job-role");
});

test("--module picks one of several module blocks; without it, exit 1 listing them", () => {
  const text = 'module "a" {\n  source = "./iam_metaflow"\n  name_prefix = "a"\n}\n\nmodule "b" {\n  source = "./iam_metaflow"\n  name_prefix = "b"\n}\n';
  const both = runOn("main.tf", text);
  assert.equal(both.run.status, 1);
  assert.match(both.run.stderr, /^error \[hcl_module_ambiguous\] line 1, column 1: 2 module blocks calling iam_metaflow: module "a" \(line 1\), module "b" \(line 6\)/m);
  assert.equal(both.result, undefined);
  const b = runOn("main.tf", text, "--module", "b");
  assert.equal(b.run.status, 0, b.run.stderr);
  assert.equal(b.result.roles[0].name, "b-batch-job-role");
  // --module reads a .tf only.
  const json = runOn("in.json", JSON.stringify({ name_prefix: "p" }), "--module", "b");
  assert.equal(json.run.status, 2);
});

test("an HCL syntax error exits 1 with its line, nothing written", () => {
  const { run, out } = runOn("terraform.tfvars", 'name_prefix = "p"\ntags = = {}\n');
  assert.equal(run.status, 1);
  const lines = run.stderr.split("\n").filter(Boolean);
  assert.match(lines[0], /^error \[hcl_syntax\] line 2, column \d+: /);
  assert.equal(lines.at(-1), `iam-metaflow: 1 error in ${join(out, "..", "terraform.tfvars")}; nothing written`);
  assert.ok(!existsSync(out));
});

test("what only Terraform knows exits 1 with the place", () => {
  const { run, out } = runOn("terraform.tfvars", 'name_prefix = "${var.env}-metaflow"\n');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^error \[hcl_not_static\] name_prefix \(line 1, column 18\): Variables not allowed/m);
  assert.ok(!existsSync(out));
});

test("stdin is read by content: HCL, or JSON when it starts with {", () => {
  const out = join(temp(), "out");
  const hcl = cli(["--input", "-", "--out", out], advancedTfvars);
  assert.equal(hcl.status, 0, hcl.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(out, "result.json"), "utf8")), generate(fixture("advanced.tfvars.json")));
  const out2 = join(temp(), "out");
  const json = cli(["--input", "-", "--out", out2], ` \n${JSON.stringify(fixture("basic.tfvars.json"))}`);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(out2, "result.json"), "utf8")), generate(fixture("basic.tfvars.json")));
  // A .json name is JSON whatever it holds (the CLI suite checks it exits 2, "is not JSON").
  assert.equal(runOn("in.json", 'name_prefix = "p"\n').run.status, 2);
});
