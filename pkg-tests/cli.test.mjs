// The CLI (bin/iam-metaflow.mjs): the files it writes, its diagnostics and its exit codes;
// then, in temporary folders holding files and symlinks of the user's, what it must never
// do (issue 16): overwrite a file it did not write, write through a symlink, leave a mix of
// old and new files after a failure, print control characters, block on a FIFO, read without
// bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, validate } from "iam-metaflow";
import { fixture, fixturePath } from "./builds.mjs";

const bin = fileURLToPath(new URL("../bin/iam-metaflow.mjs", import.meta.url));
const cli = (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
const cliWith = (env, ...args) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
const temp = () => mkdtempSync(join(tmpdir(), "iam-metaflow-cli-"));
const display = (d) =>
  `${d.severity} [${d.code}] ${d.path === "" ? "(root)" : d.path}: ${d.message}${d.help === undefined ? "" : ` (${d.help})`}`;

/** Every entry under `dir` as [path, content], symlinks as "-> target", folders as "/". */
function tree(dir) {
  const out = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const full = join(dir, path);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) out.push([path, `-> ${readlinkSync(full)}`]);
      else if (stat.isDirectory()) {
        out.push([path, "/"]);
        walk(path);
      } else out.push([path, readFileSync(full, "utf8")]);
    }
  };
  walk("");
  return out;
}

/** A Terraform root of the user's: their own main.tf, a notes file and a folder. */
function userRoot() {
  const root = temp();
  const out = join(root, "infra");
  mkdirSync(join(out, "modules", "network"), { recursive: true });
  writeFileSync(join(out, "main.tf"), 'module "network" {\n  source = "./modules/network"\n}\n');
  writeFileSync(join(out, "notes.md"), "mine\n");
  writeFileSync(join(out, "modules", "network", "main.tf"), "# the user's module\n");
  return { root, out };
}

function inputFile(dir, inputs, name = "in.tfvars.json") {
  const file = join(dir, name);
  writeFileSync(file, typeof inputs === "string" ? inputs : JSON.stringify(inputs));
  return file;
}

test("--help prints the usage and exits 0", () => {
  const run = cli("--help");
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^Usage: iam-metaflow --input/);
  assert.match(run.stdout, /--force/);
});

test("writes every file of result.files, each holding its source", () => {
  const out = temp();
  const run = cli("--input", fixturePath("advanced.tfvars.json"), "--out", out);
  assert.equal(run.status, 0, run.stderr);
  const result = generate(fixture("advanced.tfvars.json"));
  assert.deepEqual(JSON.parse(readFileSync(join(out, "result.json"), "utf8")), result);
  assert.equal(readFileSync(join(out, "main.tf"), "utf8"), result.hcl.module_call);
  assert.equal(readFileSync(join(out, "resources", "main.tf"), "utf8"), result.hcl.resources);
  for (const [name, text] of Object.entries(result.hcl.module)) {
    assert.equal(readFileSync(join(out, "shared-modules", "wrapped", "iam_metaflow", name), "utf8"), text);
  }
  assert.equal(readFileSync(join(out, "policies", "batch_job.inline.json"), "utf8"), result.roles[0].inline_policy.json);
  // Exactly the layout and the manifest: nothing else.
  const files = tree(out)
    .filter(([, content]) => content !== "/")
    .map(([path]) => path);
  assert.deepEqual(files.sort(), [...result.files.map((f) => f.path), ".iam-metaflow.json"].sort());
  const manifest = JSON.parse(readFileSync(join(out, ".iam-metaflow.json"), "utf8"));
  assert.deepEqual(Object.keys(manifest.files), result.files.map((f) => f.path));
  // Warnings and infos are printed with their paths, as the Rust Display prints them.
  assert.deepEqual(run.stderr.split("\n").filter(Boolean), result.diagnostics.map(display));
});

test("errors: every diagnostic printed with its path, exit 1, nothing written", () => {
  const out = join(temp(), "out");
  const inputs = { name_prefix: 5, tag: {}, custom_job_policy_statements: { s: { conditions: [] } } };
  const run = cli("--input", inputFile(temp(), inputs), "--out", out);
  assert.equal(run.status, 1);
  const lines = run.stderr.split("\n").filter(Boolean);
  assert.deepEqual(lines.slice(0, -1), validate(inputs).map(display));
  assert.match(lines[0], /^error \[unknown_key\] tag: /);
  assert.match(lines.at(-1), /2 errors; nothing written/);
  assert.throws(() => generate(inputs), (e) => e.message === lines[0]);
  assert.ok(!existsSync(out));
});

test("unreadable input, input that is not JSON, and usage errors exit 2", () => {
  const out = temp();
  assert.equal(cli("--input", join(out, "missing.json"), "--out", out).status, 2);
  const run = cli("--input", inputFile(out, 'name_prefix = "x"', "x.json"), "--out", out);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is not JSON/);
  assert.equal(cli("--out", out).status, 2);
  assert.equal(cli("--input", join(out, "x.json")).status, 2);
  assert.equal(cli("--bogus").status, 2);
  assert.deepEqual(readdirSync(out), ["x.json"]);
});

// ---------------------------------------------------------------------------------------------
// 5. Files the CLI did not write, module_source, symlinks, failures

test("an existing Terraform root: its main.tf is not overwritten without --force", () => {
  const { root, out } = userRoot();
  const before = tree(out);
  const input = inputFile(root, { name_prefix: "mf" });
  const run = cli("-i", input, "-d", out);
  assert.equal(run.status, 4, run.stderr);
  assert.match(run.stderr, /main\.tf was not written by iam-metaflow; --force replaces it/);
  assert.match(run.stderr, /nothing written/);
  assert.deepEqual(tree(out), before);

  const forced = cli("-i", input, "-d", out, "--force", "-q");
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(readFileSync(join(out, "main.tf"), "utf8"), generate({ name_prefix: "mf" }).hcl.module_call);
  // Files that are not in the layout are the user's and stay.
  assert.equal(readFileSync(join(out, "notes.md"), "utf8"), "mine\n");
  assert.equal(readFileSync(join(out, "modules", "network", "main.tf"), "utf8"), "# the user's module\n");
});

test("its own files are replaced; an edited one is not; stale ones go unless edited", () => {
  const { root, out } = userRoot();
  const run = (inputs, ...flags) => cli("-i", inputFile(root, inputs), "-d", join(out, "gen"), "-q", ...flags);
  assert.equal(run({ name_prefix: "mf", enable_spot_fleet_role: true }).status, 0);
  const spot = join(out, "gen", "policies", "spot_fleet.trust.json");
  assert.ok(existsSync(spot));
  // Again, with other inputs: every file is the CLI's and unchanged, so all are replaced,
  // and the Spot Fleet role's policy, gone from the layout, is removed.
  const again = run({ name_prefix: "mf2" });
  assert.equal(again.status, 0, again.stderr);
  assert.match(readFileSync(join(out, "gen", "main.tf"), "utf8"), /"mf2"/);
  assert.ok(!existsSync(spot));

  // An edited file stops the next run, which writes nothing.
  writeFileSync(join(out, "gen", "resources", "main.tf"), "# edited\n");
  const before = tree(out);
  const refused = run({ name_prefix: "mf3" });
  assert.equal(refused.status, 4);
  assert.match(refused.stderr, /resources\/main\.tf was changed since iam-metaflow wrote it/);
  assert.deepEqual(tree(out), before);

  // A stale file that was edited is kept, and said so.
  assert.equal(run({ name_prefix: "mf", enable_spot_fleet_role: true }, "--force").status, 0);
  writeFileSync(spot, "{}\n");
  const kept = run({ name_prefix: "mf" });
  assert.equal(kept.status, 0, kept.stderr);
  assert.match(kept.stderr, /kept policies\/spot_fleet\.trust\.json/);
  assert.equal(readFileSync(spot, "utf8"), "{}\n");
});

test("module_source that leaves DIR, is DIR or collides with another file: exit 1, nothing written", () => {
  for (const source of ["./", "./resources", "./main.tf", "../elsewhere", "./..\\..\\evil", "./.iam-metaflow.json"]) {
    const { root, out } = userRoot();
    const before = tree(root);
    const options = inputFile(root, { module_source: source }, "options.json");
    const run = cli("-i", inputFile(root, { name_prefix: "mf" }), "-o", options, "-d", out, "--force");
    assert.equal(run.status, 1, `${source}: ${run.stderr}`);
    assert.match(run.stderr, /warning \[module_source_folder\] options\.module_source: /);
    assert.match(run.stderr, /module_source cannot be a folder in .*; nothing written/);
    const after = tree(root).filter(([path]) => path !== "options.json" && path !== "in.tfvars.json");
    assert.deepEqual(after, before, source);
  }
});

test("a registry module_source puts the module's files under modules/iam_metaflow", () => {
  const out = temp();
  const options = inputFile(out, { module_source: "terraform-aws-modules/x/aws", account_id: "123456789012" }, "options.json");
  const run = cli("-i", fixturePath("basic.tfvars.json"), "-o", options, "-d", out);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
  assert.equal(result.roles[0].arn, "arn:aws:iam::123456789012:role/metaflow-prod-batch-job-role");
  for (const name of Object.keys(result.hcl.module)) assert.ok(existsSync(join(out, "modules", "iam_metaflow", name)));
});

test("symlinks inside DIR are never followed", () => {
  const { root, out } = userRoot();
  const outside = join(root, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "main.tf"), "# outside\n");
  writeFileSync(join(outside, "secret"), "secret\n");
  const input = inputFile(root, { name_prefix: "mf" });
  // A folder of the layout that is a symlink: refused, even with --force.
  const gen = join(out, "gen");
  mkdirSync(gen);
  symlinkSync(outside, join(gen, "resources"));
  const before = tree(root);
  for (const flags of [[], ["--force"]]) {
    const run = cli("-i", input, "-d", gen, ...flags);
    assert.equal(run.status, 4, run.stderr);
    assert.match(run.stderr, /resources is a symlink; iam-metaflow never writes through one/);
    assert.deepEqual(tree(root), before);
  }
  // A file of the layout that is a symlink: refused; --force replaces the link, not its target.
  const gen2 = join(out, "gen2");
  mkdirSync(gen2);
  symlinkSync(join(outside, "secret"), join(gen2, "result.json"));
  assert.equal(cli("-i", input, "-d", gen2).status, 4);
  const forced = cli("-i", input, "-d", gen2, "--force", "-q");
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(!lstatSync(join(gen2, "result.json")).isSymbolicLink());
  assert.equal(readFileSync(join(outside, "secret"), "utf8"), "secret\n");
  assert.equal(readFileSync(join(outside, "main.tf"), "utf8"), "# outside\n");
  // DIR itself may be a symlink the user chose.
  symlinkSync(gen2, join(root, "link"));
  assert.equal(cli("-i", input, "-d", join(root, "link"), "-q").status, 0);
});

test("a failure while writing leaves DIR as it was; a killed run is undone by the next", () => {
  const { root, out } = userRoot();
  const first = inputFile(root, { name_prefix: "mf", enable_spot_fleet_role: true }, "first.json");
  const second = inputFile(root, { name_prefix: "other" }, "second.json");
  assert.equal(cli("-i", first, "-d", out, "--force", "-q").status, 0);
  const before = tree(out);
  // The new layout and the manifest: each file moved in is two steps (the old one out, the
  // new one in), the Spot Fleet policy's removal one, the end one.
  const files = generate({ name_prefix: "other" }).files.length + 1;
  const steps = 2 * files + 2;
  const crashes = ["stage:0", "stage:5", `stage:${files - 1}`];
  for (let step = 0; step < steps; step += 3) crashes.push(`commit:${step}`);
  crashes.push(`commit:${steps - 1}`);
  for (const crash of crashes) {
    const run = cliWith({ IAM_METAFLOW_TEST_CRASH: crash }, "-i", second, "-d", out, "-q");
    assert.equal(run.status, 4, `${crash}: ${run.stderr}`);
    assert.match(run.stderr, /nothing written/);
    assert.deepEqual(tree(out), before, crash);
    assert.deepEqual(readdirSync(root).filter((n) => n.includes("staging")), [], crash);
  }
  // Killed in the middle of moving files in: a mix, until the next run undoes it.
  const killed = cliWith({ IAM_METAFLOW_TEST_CRASH: "kill:9" }, "-i", second, "-d", out, "-q");
  assert.equal(killed.signal, "SIGKILL");
  assert.notDeepEqual(tree(out), before);
  // The next run undoes the killed one first; here it then fails itself: DIR is as before.
  const next = cliWith({ IAM_METAFLOW_TEST_CRASH: "stage:0" }, "-i", second, "-d", out, "-q");
  assert.equal(next.status, 4);
  assert.deepEqual(tree(out), before);
  // And a run that succeeds leaves exactly the new files beside the user's.
  assert.equal(cli("-i", second, "-d", out, "-q").status, 0);
  assert.equal(readFileSync(join(out, "notes.md"), "utf8"), "mine\n");
  assert.ok(!existsSync(join(out, "policies", "spot_fleet.trust.json")));
  assert.match(readFileSync(join(out, "main.tf"), "utf8"), /"other"/);
});

test("DIR that is a file, and a DIR that does not exist yet", () => {
  const root = temp();
  const file = inputFile(root, "x", "file");
  const input = inputFile(root, { name_prefix: "mf" });
  const run = cli("-i", input, "-d", file);
  assert.equal(run.status, 4);
  assert.match(run.stderr, /is not a folder/);
  // A missing DIR (and its parents) is created whole, in one rename.
  const deep = join(root, "a", "b", "out");
  assert.equal(cli("-i", input, "-d", deep, "-q").status, 0);
  assert.ok(existsSync(join(deep, ".iam-metaflow.json")));
  assert.deepEqual(readdirSync(join(root, "a", "b")), ["out"]);
});

// ---------------------------------------------------------------------------------------------
// 6. What the CLI prints

test("control and bidi characters are escaped in everything printed", () => {
  const root = temp();
  const key = "\u001b]0;PWNED\u0007\u001b[2J\u202eevil\u2066";
  const run = cli("-i", inputFile(root, { name_prefix: "mf", [key]: 1, tags: { [key]: "v\u001b[31m" } }), "-d", join(root, "out"));
  assert.equal(run.status, 1);
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  assert.doesNotMatch(run.stderr, raw);
  assert.match(run.stderr, /\\u001B\]0;PWNED\\u0007\\u001B\[2J\\u202Eevil\\u2066/);
  // File names given on the command line, in errors and in the list of files written.
  const missing = cli("-i", join(root, "in\u001b[2J\u202e.json"), "-d", join(root, "out"));
  assert.equal(missing.status, 2);
  assert.doesNotMatch(missing.stderr, raw);
  assert.match(missing.stderr, /in\\u001B\[2J\\u202E\.json/);
  const odd = join(root, "out\u001b[2J");
  const written = cli("-i", inputFile(root, { name_prefix: "mf" }), "-d", odd);
  assert.equal(written.status, 0, written.stderr);
  assert.doesNotMatch(written.stdout, raw);
  assert.match(written.stdout, /out\\u001B\[2J\/main\.tf/);
});

// ---------------------------------------------------------------------------------------------
// 7. Reading: a byte order mark, FIFOs, devices, size, internal failures

test("a UTF-8 byte order mark is accepted", () => {
  const root = temp();
  const file = join(root, "bom.json");
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name_prefix":"bom"}')]));
  const run = cli("-i", file, "-d", join(root, "out"), "-q");
  assert.equal(run.status, 0, run.stderr);
  assert.match(readFileSync(join(root, "out", "main.tf"), "utf8"), /"bom"/);
});

test("a FIFO with no writer does not block; one whose writer comes later is read", async () => {
  const root = temp();
  const fifo = join(root, "fifo");
  execFileSync("mkfifo", [fifo]);
  const started = Date.now();
  const run = cli("-i", fifo, "-d", join(root, "out"));
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /the input .*fifo sent no data for 10 s/);
  assert.ok(Date.now() - started < 30_000);
  assert.ok(!existsSync(join(root, "out")));
  // A writer that opens the FIFO after the CLI, and writes after a while.
  const child = spawn(process.execPath, [bin, "-i", fifo, "-d", join(root, "out"), "-q"], { stdio: "pipe" });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  execFileSync("timeout", ["20", "sh", "-c", `exec > '${fifo}'; sleep 0.3; printf '{"name_prefix":"fifo"}'`]);
  assert.equal(await exited, 0);
  assert.match(readFileSync(join(root, "out", "main.tf"), "utf8"), /"fifo"/);
});

test("devices and folders are refused; reading stops at 8 MiB", () => {
  const root = temp();
  for (const [input, pattern] of [
    ["/dev/zero", /is a device/],
    [root, /is a folder/],
  ]) {
    const run = cli("-i", input, "-d", join(root, "out"));
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, pattern);
  }
  const big = join(root, "big.json");
  writeFileSync(big, `{"name_prefix":"x"${" ".repeat(9 * 1024 * 1024)}}`);
  const run = cli("-i", big, "-d", join(root, "out"));
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is over 8 MiB/);
  // Standard input without end: stopped once over the bound.
  const endless = spawnSync("sh", ["-c", `head -c 20000000 /dev/zero | '${process.execPath}' '${bin}' -i - -d '${join(root, "out")}'`], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(endless.status, 2, endless.stderr);
  assert.match(endless.stderr, /is over 8 MiB/);
  assert.ok(!existsSync(join(root, "out")));
});

test("an internal failure exits 3 with one line", () => {
  // The CLI beside a stand-in package whose generate throws a plain TypeError.
  const root = temp();
  cpSync(fileURLToPath(new URL("../bin", import.meta.url)), join(root, "bin"), { recursive: true });
  const pkg = join(root, "node_modules", "iam-metaflow");
  mkdirSync(pkg, { recursive: true });
  const exports = { ".": "./index.js", "./hcl": "./hcl.js" };
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "iam-metaflow", type: "module", exports }));
  writeFileSync(
    join(pkg, "index.js"),
    'export const version = () => "0"; export function generate() { null.x; }',
  );
  writeFileSync(
    join(pkg, "hcl.js"),
    "export async function fromHcl(text) { return { inputs: JSON.parse(text), options: {}, diagnostics: [] }; }",
  );
  const run = spawnSync(process.execPath, [join(root, "bin", "iam-metaflow.mjs"), "-i", inputFile(root, { name_prefix: "mf" }), "-d", join(root, "out")], {
    encoding: "utf8",
  });
  assert.equal(run.status, 3);
  const lines = run.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^iam-metaflow: internal error: Cannot read properties of null/);
});
