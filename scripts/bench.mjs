// The benchmark figures of SPEC §10 and the boundary issue, printed (never asserted): the web
// build's wasm and JS glue (gzip), generate() mean and p99 in Node for the seed's advanced
// example beside the same work natively in Rust, instantiation time, and the size of the
// hand-written boundary. Run after `npm run build`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const wasmPath = `${root}dist/web/iam_metaflow_bg.wasm`;
const bytes = readFileSync(wasmPath);
const inputs = JSON.parse(readFileSync(`${root}tests/fixtures/seed/advanced.tfvars.json`, "utf8"));
const options = { account_id: "123456789012" };
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const us = (ns) => `${(ns / 1000).toFixed(1)} µs`;
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => process.hrtime.bigint();

// Size.
const raw = bytes.length;
const gz = (data) => gzipSync(data, { level: 9 }).length;
const gzip = gz(bytes);
// The web entry's JS: the entry, its functions, the loader and wasm-bindgen's glue, as a page
// that imports "iam-metaflow/web" loads them (gzip each, as a server sends them).
const glue = ["index.js", "api.js", "load.js", "iam_metaflow.js"]
  .map((f) => gz(readFileSync(`${root}dist/web/${f}`)))
  .reduce((a, b) => a + b, 0);
let unoptimized = null;
try {
  unoptimized = statSync(`${root}target/wasm32-unknown-unknown/release/iam_metaflow.wasm`).size;
} catch {}

// Instantiation: compile, and instantiate a compiled module, each in a fresh copy of the glue.
const compile = [];
const instantiate = [];
for (let i = 0; i < 20; i++) {
  const glue = await import(`../dist/web/iam_metaflow.js?instance=${i}`);
  let t = now();
  const module = new WebAssembly.Module(bytes);
  compile.push(Number(now() - t));
  t = now();
  glue.initSync({ module });
  instantiate.push(Number(now() - t));
}
// The Node entry: its import (nothing loads), then its first call (inflate, compile, instantiate).
let t = now();
const { generate, validate } = await import("../dist/node/index.js");
const nodeImport = Number(now() - t);
t = now();
generate(inputs, options);
const nodeFirstCall = Number(now() - t);

// generate() in Node (the Node build), the seed's advanced example with an account_id.
for (let i = 0; i < 2000; i++) generate(inputs, options);
const samples = new Float64Array(ITERATIONS);
const start = now();
for (let i = 0; i < ITERATIONS; i++) {
  const t0 = now();
  generate(inputs, options);
  samples[i] = Number(now() - t0);
}
const total = Number(now() - start);
const mean = total / ITERATIONS;
const sorted = [...samples].sort((a, b) => a - b);
const p50 = sorted[Math.floor(ITERATIONS * 0.5)];
const p99 = sorted[Math.floor(ITERATIONS * 0.99)];

// validate() in Node: the same pipeline without outputs and HCL, and without building the result.
for (let i = 0; i < 2000; i++) validate(inputs, options);
t = now();
for (let i = 0; i < ITERATIONS; i++) validate(inputs, options);
const validateMean = Number(now() - t) / ITERATIONS;

// The hand-written boundary: src/wasm.rs and js/, non-blank lines.
const jsFiles = (() => {
  try {
    return readdirSync(`${root}js`, { recursive: true });
  } catch {
    return [];
  }
})();
const boundaryFiles = ["src/wasm.rs", "src/wasm_hcl.rs", ...jsFiles.filter((f) => /\.(c|m)?js$|\.d\.ts$/.test(f)).map((f) => `js/${f}`)];
const boundaryLines = boundaryFiles
  .map((f) => readFileSync(`${root}${f}`, "utf8").split("\n").filter((line) => line.trim() !== "").length)
  .reduce((a, b) => a + b, 0);

// The same work natively.
let native = null;
try {
  const out = execFileSync("cargo", ["run", "--release", "--quiet", "--example", "bench", "--", String(ITERATIONS)], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const m = /mean_ns=(\d+) generate_only_ns=(\d+) validate_ns=(\d+)/.exec(out);
  if (m) native = { mean: Number(m[1]), generateOnly: Number(m[2]), validate: Number(m[3]) };
} catch (e) {
  console.error(`native benchmark failed: ${e.message}`);
}

const rows = [
  ["web build, wasm + JS glue, gzip -9", kb(gzip + glue), "budget 100 KB"],
  ["  wasm, gzip -9", kb(gzip), ""],
  ["  JS (entry, functions, loader, glue), gzip -9", kb(glue), ""],
  ["wasm size, raw (wasm-opt -Oz)", kb(raw), ""],
  ["wasm size before wasm-opt", unoptimized === null ? "n/a" : kb(unoptimized), ""],
  ["compile (WebAssembly.Module), median", ms(median(compile)), ""],
  ["instantiate (initSync), median", ms(median(instantiate)), ""],
  ["import of the Node entry", ms(nodeImport), ""],
  ["its first generate() (inflate+compile+instantiate)", ms(nodeFirstCall), ""],
  ["generate() in Node, mean", us(mean), "budget 250 µs"],
  ["generate() in Node, p50", us(p50), ""],
  ["generate() in Node, p99", us(p99), ""],
  ["native Rust, generate + JSON, mean", native ? us(native.mean) : "n/a", ""],
  ["native Rust, generate only, mean", native ? us(native.generateOnly) : "n/a", ""],
  ["ratio Node / native (generate + JSON)", native ? `${(mean / native.mean).toFixed(1)}×` : "n/a", ""],
  ["ratio Node / native (generate only)", native ? `${(mean / native.generateOnly).toFixed(1)}×` : "n/a", ""],
  ["validate() in Node, mean", us(validateMean), ""],
  ["native Rust, validate, mean", native ? us(native.validate) : "n/a", ""],
  ["hand-written boundary, non-blank lines", String(boundaryLines), `budget 600 (src/wasm.rs, src/wasm_hcl.rs, js/)`],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`iam-metaflow ${JSON.parse(readFileSync(`${root}package.json`, "utf8")).version} — seed's advanced example, ${ITERATIONS} iterations, Node ${process.version}`);
for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
