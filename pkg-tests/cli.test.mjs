// The CLI (bin/iam-metaflow.mjs): the files it writes, its diagnostics and its exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, validate } from "iam-metaflow";
import { fixture, fixturePath } from "./builds.mjs";

const bin = fileURLToPath(new URL("../bin/iam-metaflow.mjs", import.meta.url));
const cli = (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const temp = () => mkdtempSync(join(tmpdir(), "iam-metaflow-cli-"));
const display = (d) =>
  `${d.severity} [${d.code}] ${d.path === "" ? "(root)" : d.path}: ${d.message}${d.help === undefined ? "" : ` (${d.help})`}`;

test("--help prints the usage and exits 0", () => {
  const run = cli("--help");
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^Usage: iam-metaflow --input/);
});

test("writes the module call, the module's files, the resources and result.json", () => {
  const out = temp();
  const input = fixturePath("advanced.tfvars.json");
  const run = cli("--input", input, "--out", out);
  assert.equal(run.status, 0, run.stderr);
  const result = generate(fixture("advanced.tfvars.json"));
  assert.deepEqual(JSON.parse(readFileSync(join(out, "result.json"), "utf8")), result);
  assert.equal(readFileSync(join(out, "main.tf"), "utf8"), result.hcl.module_call);
  assert.equal(readFileSync(join(out, "resources", "main.tf"), "utf8"), result.hcl.resources);
  for (const [name, text] of Object.entries(result.hcl.module)) {
    assert.equal(readFileSync(join(out, "shared-modules", "wrapped", "iam_metaflow", name), "utf8"), text);
  }
  // Warnings and infos are printed with their paths, as the Rust Display prints them.
  assert.deepEqual(run.stderr.split("\n").filter(Boolean), result.diagnostics.map(display));
});

test("options: module_source outside DIR puts the module under modules/iam_metaflow", () => {
  const out = temp();
  const options = join(out, "options.json");
  writeFileSync(options, JSON.stringify({ module_source: "../elsewhere", account_id: "123456789012" }));
  const run = cli("-i", fixturePath("basic.tfvars.json"), "-o", options, "-d", out);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
  assert.equal(result.roles[0].arn, "arn:aws:iam::123456789012:role/metaflow-prod-batch-job-role");
  for (const name of Object.keys(result.hcl.module)) assert.ok(existsSync(join(out, "modules", "iam_metaflow", name)));
  assert.ok(!existsSync(join(out, "..", "elsewhere")));
});

test("errors: every diagnostic printed with its path, exit 1, nothing written", () => {
  const out = join(temp(), "out");
  const inputs = { name_prefix: 5, tag: {}, custom_job_policy_statements: { s: { conditions: [] } } };
  const input = join(temp(), "bad.tfvars.json");
  writeFileSync(input, JSON.stringify(inputs));
  const run = cli("--input", input, "--out", out);
  assert.equal(run.status, 1);
  const lines = run.stderr.split("\n").filter(Boolean);
  const diagnostics = validate(inputs);
  assert.deepEqual(lines.slice(0, -1), diagnostics.map(display));
  assert.match(lines[0], /^error \[unknown_key\] tag: /);
  assert.match(lines.at(-1), /2 errors; nothing written/);
  try {
    generate(inputs);
  } catch (e) {
    assert.equal(lines[0], e.message);
  }
  assert.ok(!existsSync(out));
});

test("unreadable input, input that is not JSON, and usage errors exit 2", () => {
  const out = temp();
  assert.equal(cli("--input", join(out, "missing.json"), "--out", out).status, 2);
  const notJson = join(out, "x.json");
  writeFileSync(notJson, "name_prefix = \"x\"");
  const run = cli("--input", notJson, "--out", out);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is not JSON/);
  assert.equal(cli("--out", out).status, 2);
  assert.equal(cli("--input", notJson).status, 2);
  assert.equal(cli("--bogus").status, 2);
});
