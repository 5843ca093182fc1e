// The HCL reader's figures, printed (never asserted): its wasm's size (raw and gzip after
// wasm-opt -Oz, loaded only by the first fromHcl), the first call in Node (read + compile +
// instantiate + read the text), and fromHcl's mean for the seed's advanced example and the
// every-feature tfvars. Run after `npm run build` (npm run bench runs it after bench.mjs).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bytes = readFileSync(`${root}dist/web/hcl/iam_metaflow_hcl_bg.wasm`);
const main = readFileSync(`${root}dist/web/iam_metaflow_bg.wasm`);
const seed = readFileSync(`${root}tests/fixtures/seed/iam_metaflow-seed.md`, "utf8");
const advanced = seed.split("```hcl\n")[2].split("```")[0];
const features = readFileSync(`${root}tests/fixtures/from_hcl/features.tfvars`, "utf8");
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000) / 10;

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const us = (ns) => `${(ns / 1000).toFixed(1)} µs`;
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
const now = () => process.hrtime.bigint();

const { fromHcl } = await import("../dist/node/hcl.js");
let t = now();
await fromHcl(advanced);
const first = Number(now() - t);

const mean = async (text) => {
  for (let i = 0; i < ITERATIONS / 10; i++) await fromHcl(text);
  const start = now();
  for (let i = 0; i < ITERATIONS; i++) await fromHcl(text);
  return Number(now() - start) / ITERATIONS;
};
const advancedMean = await mean(advanced);
const featuresMean = await mean(features);

const rows = [
  ["HCL reader's wasm, raw (wasm-opt -Oz)", kb(bytes.length), "loaded by the first fromHcl only"],
  ["HCL reader's wasm, gzip -9", kb(gzipSync(bytes, { level: 9 }).length), ""],
  ["package's wasm, gzip -9 (first load)", kb(gzipSync(main, { level: 9 }).length), ""],
  ["first fromHcl in Node (load + compile + read)", ms(first), ""],
  ["fromHcl, seed's advanced module block, mean", us(advancedMean), ""],
  [`fromHcl, features.tfvars (${features.length} bytes), mean`, us(featuresMean), ""],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nfromHcl — ${ITERATIONS} iterations, Node ${process.version}`);
for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
