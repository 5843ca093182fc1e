// Hostile inputs through the package (issue 16 parts 2-5): the input budget with the peak
// linear memory of the largest accepted input printed, the cap on the number of diagnostics,
// the cap on echoes, and the layout the page zips (no `..`, no backslash, whatever
// module_source says). Speed: scripts/bench-hostile.mjs prints the figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { builds } from "./builds.mjs";

const MIB = 1 << 20;
const wasm = readFileSync(new URL("../dist/web/iam_metaflow_bg.wasm", import.meta.url));

/** A fresh instance of the web build and its WebAssembly.Memory. */
async function fresh(tag) {
  const glue = await import(`../dist/web/iam_metaflow.js?hostile-test=${tag}`);
  const exports = glue.initSync({ module: new WebAssembly.Module(wasm) });
  return { glue, memory: exports.memory };
}

const codes = (diagnostics) => diagnostics.map((d) => d.code);

test("the largest accepted input is read; one byte more is refused; the peak memory is printed", async (t) => {
  // {"name_prefix": S}: 11 bytes of key, the rest of the budget in S.
  const largest = { name_prefix: "a".repeat(MIB - 11) };
  const over = { name_prefix: "a".repeat(MIB - 10) };
  const shapes = {
    "a 1 MiB string": largest,
    "10,000 values": { name_prefix: "mf", additional_job_policy_arns: Array(10_000 - 3).fill("arn:aws:iam::aws:policy/A") },
    "10,000 empty statements": {
      name_prefix: "mf",
      custom_job_policy_statements: Object.fromEntries(Array.from({ length: 9_997 }, (_, i) => [`S${i}`, {}])),
    },
  };
  let i = 0;
  for (const [name, inputs] of Object.entries(shapes)) {
    const { glue, memory } = await fresh(i++);
    const start = memory.buffer.byteLength;
    const diagnostics = glue.validate(inputs);
    assert.ok(!codes(diagnostics).includes("input_too_large"), name);
    assert.throws(() => glue.generate(inputs), (e) => Array.isArray(e.diagnostics));
    const peak = memory.buffer.byteLength;
    t.diagnostic(`${name}: linear memory ${(start / MIB).toFixed(1)} MiB at start, ${(peak / MIB).toFixed(1)} MiB after validate and generate`);
    // The bound the robustness test keeps too.
    assert.ok(peak <= 32 * MIB, `${name}: ${peak}`);
  }
  for (const [name, mod] of await builds()) {
    assert.deepEqual(codes(mod.validate(over)), ["input_too_large"], name);
    assert.deepEqual(codes(mod.validate({ ...largest, tag: 1 })), ["input_too_large"], name);
    const tooMany = { name_prefix: "mf", additional_job_policy_arns: Array(10_000 - 2).fill(0) };
    assert.deepEqual(codes(mod.validate(tooMany)), ["input_too_large"], name);
    const error = (() => {
      try {
        mod.generate(over);
      } catch (e) {
        return e;
      }
    })();
    assert.match(error.message, /^error \[input_too_large\] \(root\): .*1,048,576 bytes/);
  }
});

test("at most 100 diagnostics, the last saying how many were left out", async () => {
  for (const [name, mod] of await builds()) {
    const inputs = { name_prefix: "mf" };
    for (let i = 0; i < 5_000; i++) inputs[`k${i}`] = 0;
    const diagnostics = mod.validate(inputs);
    assert.equal(diagnostics.length, 100, name);
    assert.ok(diagnostics.slice(0, 99).every((d) => d.code === "unknown_key"), name);
    assert.equal(diagnostics[99].code, "diagnostics_truncated");
    assert.equal(diagnostics[99].message, "4,902 more diagnostics were left out (4,901 errors, 1 warning): at most 100 are given");
  }
});

test("what JSON cannot hold is capped as every diagnostic is", async () => {
  for (const [name, mod] of await builds()) {
    const inputs = { name_prefix: "mf", additional_job_policy_arns: Array(150).fill(Symbol("s")) };
    const diagnostics = mod.validate(inputs);
    assert.equal(diagnostics.length, 100, name);
    assert.ok(diagnostics.slice(0, 99).every((d) => d.code === "type_mismatch"), name);
    assert.equal(diagnostics[99].code, "diagnostics_truncated");
    assert.equal(diagnostics[99].message, "51 more diagnostics were left out (51 errors): at most 100 are given");
  }
});

test("no diagnostic echoes more than a cut of the user's text", async () => {
  const big = `\u001b\u202e${"x".repeat(MIB / 8)}`;
  const statement = { actions: [big, `s3:${big}`], resources: ["*"], condition: [{ test: big, variable: "aws:x", values: ["a"] }] };
  const inputs = {
    name_prefix: "mf",
    [big]: 1,
    tags: { [`k${"y".repeat(300)}`]: "v" },
    custom_job_policy_statements: { [`s${"z".repeat(300)}`]: statement },
  };
  for (const [name, mod] of await builds()) {
    for (const options of [undefined, { module_name: big }, { account_id: big }, { partition: big }]) {
      const diagnostics = mod.validate(inputs, options);
      assert.ok(diagnostics.length > 3, name);
      const text = JSON.stringify(diagnostics);
      assert.ok(text.length < 40_000, `${name}: ${text.length} characters of diagnostics`);
      for (const d of diagnostics) {
        for (const field of ["path", "pointer", "message", "help"]) {
          assert.ok((d[field] ?? "").length <= 1_000, `${name} ${d.code} ${field}: ${d[field].length}`);
        }
        assert.doesNotMatch(`${d.path}${d.message}${d.help ?? ""}`, /[\u001b\u202e]/, d.code);
      }
    }
  }
});

test("result.files: paths the page can zip, whatever module_source says", async () => {
  const sources = [
    "./..\\..\\evil",
    "../../etc",
    "./",
    "./a/../../b",
    "./resources",
    "./.iam-metaflow.json",
    "./\u0000",
    "./ok/folder",
    "registry.example.com/x/y/aws",
    "/absolute",
  ];
  for (const [name, mod] of await builds()) {
    for (const module_source of sources) {
      const result = mod.generate({ name_prefix: "mf", enable_spot_fleet_role: true }, { module_source });
      const paths = result.files.map((f) => f.path);
      for (const path of paths) {
        assert.ok(!path.includes("\\") && !path.startsWith("/"), `${name} ${module_source}: ${path}`);
        assert.ok(path.split("/").every((s) => s !== "" && s !== "." && s !== ".."), `${name} ${module_source}: ${path}`);
        assert.doesNotMatch(path, /[\u0000-\u001f]/);
      }
      assert.equal(new Set(paths.map((p) => p.toLowerCase())).size, paths.length);
      const hasModule = result.files.some((f) => f.source.startsWith("/hcl/module/"));
      const warned = result.diagnostics.some((d) => d.code === "module_source_folder");
      assert.equal(hasModule, !warned, `${name} ${module_source}`);
      // Every source is a string of the result, or the result itself.
      for (const { source } of result.files) {
        if (source === "") continue;
        const value = source
          .split("/")
          .slice(1)
          .reduce((v, token) => v?.[token.replaceAll("~1", "/").replaceAll("~0", "~")], result);
        assert.equal(typeof value, "string", source);
      }
    }
  }
});
