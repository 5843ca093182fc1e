// `npm pack` produces a package that installs into an empty folder and works there: the
// import (no init call in Node) and the CLI bin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { fixturePath } from "./builds.mjs";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("npm pack installs into an empty folder; import and the bin work there", () => {
  const work = mkdtempSync(join(tmpdir(), "iam-metaflow-pack-"));
  const [packed] = JSON.parse(
    execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" }),
  );
  const files = packed.files.map((f) => f.path);
  for (const f of [
    "package.json",
    "bin/iam-metaflow.mjs",
    "dist/index.d.ts",
    "dist/node/index.js",
    "dist/node/iam_metaflow_bg.wasm",
    "dist/web/index.js",
    "dist/web/iam_metaflow_bg.wasm",
  ]) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  // The bindings are wasm-bindgen's glue alone: no JS of the crate's own beside it.
  assert.ok(!files.some((f) => f.includes("/snippets/")), "no snippets are packed");
  assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("node_modules/") || f.startsWith("target/")));

  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync(npm, ["install", "--offline", "--no-audit", "--no-fund", join(work, packed.filename)], {
    cwd: app,
    encoding: "utf8",
  });

  writeFileSync(
    join(app, "main.mjs"),
    `import { generate, version } from "iam-metaflow";
import init from "iam-metaflow";
await init();
const r = generate({ name_prefix: "packed" });
console.log(JSON.stringify({ version: version(), name: r.roles[0].name }));`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ["main.mjs"], { cwd: app, encoding: "utf8" }));
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  assert.deepEqual(out, { version, name: "packed-batch-job-role" });

  // CommonJS consumers can reach it with a dynamic import.
  writeFileSync(join(app, "main.cjs"), `import("iam-metaflow").then((m) => console.log(m.version()));`);
  assert.equal(execFileSync(process.execPath, ["main.cjs"], { cwd: app, encoding: "utf8" }).trim(), version);

  const bin = join(app, "node_modules", ".bin", "iam-metaflow");
  const run = spawnSync(bin, ["--input", fixturePath("basic.tfvars.json"), "--out", join(app, "out")], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(existsSync(join(app, "out", "result.json")));
  assert.equal(spawnSync(bin, ["--help"], { encoding: "utf8" }).status, 0);
});
