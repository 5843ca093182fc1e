// `npm pack` produces the package the manifest describes: every file package.json points at is
// packed, one wasm, the LICENSE, each entry exports exactly what the declarations declare (no
// internal test exports); and it installs into an empty folder and works there: the import (no
// init call in Node), `require`, and the CLI bin. pkg-tests/consumers.test.mjs runs it in real
// projects of each kind.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { fixturePath } from "./builds.mjs";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
let work;
let packed;
let files;

before(() => {
  work = mkdtempSync(join(tmpdir(), "iam-metaflow-pack-"));
  const pack = execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" });
  [packed] = JSON.parse(pack);
  files = packed.files.map((f) => f.path);
});

/** Every file path the manifest points at: exports' targets, main, browser, types, bin, sideEffects. */
function targets(value) {
  if (typeof value === "string") return [value.replace(/^\.\//, "")];
  if (Array.isArray(value)) return value.flatMap(targets);
  return Object.values(value ?? {}).flatMap(targets);
}

test("every file package.json points at is packed; one copy of each wasm, the LICENSE, no sources", () => {
  const fields = ["exports", "main", "browser", "types", "bin", "sideEffects"].map((field) => manifest[field]);
  for (const file of targets(fields)) assert.ok(files.includes(file), `${file} is packed`);
  // The package's wasm, and the HCL reader's, which fromHcl loads on its first call.
  assert.deepEqual(files.filter((f) => f.endsWith(".wasm")).sort(), ["dist/web/hcl/iam_metaflow_hcl_bg.wasm", "dist/web/iam_metaflow_bg.wasm"]);
  assert.match(readFileSync(join(root, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  assert.ok(files.includes("LICENSE"));
  assert.equal(manifest.license, "Apache-2.0");
  assert.ok(!files.some((f) => /^(src|js|node_modules|target|pkg-tests|www)\//.test(f)), files.join("\n"));
  console.log(`tarball ${packed.size} bytes, unpacked ${packed.unpackedSize} bytes, ${files.length} files`);
});

test("each entry exports exactly what dist/index.d.ts declares, and no internal test export", async () => {
  const declared = readFileSync(join(root, "dist/index.d.ts"), "utf8");
  const functions = [...declared.matchAll(/^export (?:default )?function (\w+)/gm)].map((m) => m[1]);
  const expected = [...new Set([...functions, "init", "default"])].sort();
  const entries = {
    "node (import)": await import("../dist/node/index.js"),
    "node (require)": createRequire(import.meta.url)("../dist/node/index.cjs"),
    web: await import("../dist/web/index.js"),
    inline: await import("../dist/web/inline.js"),
  };
  for (const [name, entry] of Object.entries(entries)) {
    assert.deepEqual(Object.keys(entry).filter((k) => k !== "__esModule").sort(), expected, name);
    assert.equal(entry.default, entry.init, `${name}: the default export is init`);
  }
  // "iam-metaflow/hcl": what dist/hcl.d.ts declares, and nothing else.
  const hclDeclared = readFileSync(join(root, "dist/hcl.d.ts"), "utf8");
  const hclFunctions = [...hclDeclared.matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(hclFunctions, ["fromHcl", "initHcl"]);
  const hclEntries = {
    "hcl, node (import)": await import("../dist/node/hcl.js"),
    "hcl, node (require)": createRequire(import.meta.url)("../dist/node/hcl.cjs"),
    "hcl, web": await import("../dist/web/hcl.js"),
  };
  for (const [name, entry] of Object.entries(hclEntries)) {
    assert.deepEqual(Object.keys(entry).filter((k) => k !== "__esModule").sort(), hclFunctions, name);
  }
});

test("npm pack installs into an empty folder; import, require and the bin work there", () => {
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
const r = generate({ name_prefix: "packed" });
console.log(JSON.stringify({ version: version(), name: r.roles[0].name }));`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ["main.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(out, { version: manifest.version, name: "packed-batch-job-role" });

  const cjs = `console.log(require("iam-metaflow").generate({ name_prefix: "cjs" }).roles[0].name);`;
  writeFileSync(join(app, "main.cjs"), cjs);
  const required = execFileSync(process.execPath, ["main.cjs"], { cwd: app, encoding: "utf8" });
  assert.equal(required.trim(), "cjs-batch-job-role");

  // fromHcl from its own entry, by import and by require: the installed HCL reader's wasm.
  const hcl = `{ const r = await h.fromHcl('name_prefix = "hcl"'); console.log(r.inputs.name_prefix); }`;
  writeFileSync(join(app, "hcl.mjs"), `import * as h from "iam-metaflow/hcl";\n${hcl}`);
  writeFileSync(join(app, "hcl.cjs"), `const h = require("iam-metaflow/hcl");\n(async () => ${hcl})();`);
  for (const file of ["hcl.mjs", "hcl.cjs"]) {
    assert.equal(execFileSync(process.execPath, [file], { cwd: app, encoding: "utf8" }).trim(), "hcl", file);
  }

  const bin = join(app, "node_modules", ".bin", "iam-metaflow");
  const run = spawnSync(bin, ["--input", fixturePath("basic.tfvars.json"), "--out", join(app, "out")], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(existsSync(join(app, "out", "result.json")));
  assert.equal(spawnSync(bin, ["--help"], { encoding: "utf8" }).status, 0);
});
