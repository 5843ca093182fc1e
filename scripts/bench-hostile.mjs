// The hostile-input figures (issue 16): for each shape of input at the edge of the input
// budget (1 MiB of text in strings and keys, 100,000 values: src/inputs.rs), the time of
// validate() and generate() in Node and the linear memory of a fresh instance after the calls
// (linear memory never shrinks: its size after the calls is their peak). Printed, never
// asserted; the budget is 100 ms a call. Run after `npm run build`:
//
//   node scripts/bench-hostile.mjs [SHAPE...]
//
// Each shape runs on its own fresh instance of the web build (initSync returns the instance's
// exports, whose `memory` is its WebAssembly.Memory).
import { readFileSync } from "node:fs";

const root = new URL("../dist/web/", import.meta.url);
const bytes = readFileSync(new URL("iam_metaflow_bg.wasm", root));
const module = new WebAssembly.Module(bytes);

const MIB = 1 << 20;
const MAX_VALUES = 10_000;
const RUNS = 5;

/** `n` distinct short names: P0, P1, ... */
const names = (n, prefix = "k") => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36)}`);

/** Strings of length `length` with `count` of them fitting in the text budget beside `reserved` bytes. */
function fitting(length, reserved = 200) {
  return Math.floor((MIB - reserved) / length);
}

/** As many distinct managed policy ARNs as fit in the budget (or `n`). */
function arns(n) {
  const base = "arn:aws:iam::123456789012:policy/P";
  const width = base.length + 4;
  const count = n ?? Math.min(fitting(width), MAX_VALUES - 10);
  return Array.from({ length: count }, (_, i) => `${base}${i.toString(36).padStart(4, "0")}`);
}

const statement = (extra) => ({ actions: ["s3:GetObject"], resources: ["*"], ...extra });

const shapes = {
  // The quadratic duplicate check: 100,000 distinct ARNs took 284 s. 100,000 do not fit in
  // the text budget (each is 20 characters at least): the largest count that does, then 100,000.
  "distinct ARNs, as many as fit": () => ({ name_prefix: "mf", additional_job_policy_arns: arns() }),
  "100,000 distinct ARNs (over the budget)": () => ({ name_prefix: "mf", additional_job_policy_arns: arns(100_000) }),
  "the same ARN, as many as fit": () => ({
    name_prefix: "mf",
    additional_job_policy_arns: Array(Math.min(fitting(44), MAX_VALUES - 10)).fill("arn:aws:iam::123456789012:policy/Same12345"),
  }),
  // "did you mean" on a 1 MB condition test took 4 to 10 s.
  "a 1 MiB condition test": () => ({
    name_prefix: "mf",
    custom_job_policy_statements: {
      S: statement({ condition: [{ test: "S".repeat(MIB - 300), variable: "aws:x", values: ["a"] }] }),
    },
  }),
  "a 1 MiB condition test of ':'": () => ({
    name_prefix: "mf",
    custom_job_policy_statements: {
      S: statement({ condition: [{ test: ":".repeat(MIB - 300), variable: "aws:x", values: ["a"] }] }),
    },
  }),
  // 100,000 unknown keys gave 100,000 diagnostics: the most that fit in the value budget.
  "unknown keys, as many as fit": () => {
    const inputs = { name_prefix: "mf" };
    for (const k of names(MAX_VALUES - 2)) inputs[k] = 0;
    return inputs;
  },
  "unknown keys in statements, as many as fit": () => {
    const s = statement();
    for (const k of names(MAX_VALUES - 10)) s[k] = 0;
    return { name_prefix: "mf", custom_job_policy_statements: { S: s } };
  },
  "100,000 unknown keys (over the budget)": () => {
    const inputs = { name_prefix: "mf" };
    for (const k of names(100_000)) inputs[k] = 0;
    return inputs;
  },
  "numbers converted to strings, as many as fit": () => ({
    name_prefix: "mf",
    additional_job_policy_arns: Array.from({ length: MAX_VALUES - 10 }, (_, i) => i),
  }),
  "a 1 MiB name_prefix": () => ({ name_prefix: "a".repeat(MIB - 100) }),
  // Every character distinct and not allowed: collecting the distinct ones was quadratic.
  "a name_prefix of 262,000 distinct characters": () => ({
    name_prefix: Array.from({ length: Math.floor((MIB - 100) / 4) }, (_, i) => String.fromCodePoint(0x10000 + i)).join(""),
  }),
  "tags, as many as fit (case duplicates)": () => {
    const tags = {};
    for (const k of names(Math.floor((MAX_VALUES - 10) / 2), "Tag")) {
      tags[k] = "v";
      tags[k.toUpperCase()] = "v";
    }
    return { name_prefix: "mf", tags };
  },
  "tags with 3 problems each, as many as fit": () => {
    const tags = {};
    for (const k of names(MAX_VALUES - 10, "aws:#")) tags[k] = "#";
    return { name_prefix: "mf", tags };
  },
  "statements with 5 problems each, as many as fit": () => {
    const statements = {};
    const bad = { effect: "allow", actions: ["iam:*"], resources: ["*"], not_resources: ["x"] };
    for (const k of names(Math.floor((MAX_VALUES - 10) / 8), "s_")) statements[k] = bad;
    return { name_prefix: "mf", custom_job_policy_statements: statements };
  },
  "empty statements, as many as fit": () => {
    const statements = {};
    for (const k of names(MAX_VALUES - 10, "S")) statements[k] = {};
    return { name_prefix: "mf", custom_job_policy_statements: statements };
  },
  "statements, as many as fit": () => {
    const statements = {};
    for (const k of names(Math.floor((MAX_VALUES - 10) / 5), "S")) statements[k] = statement();
    return { name_prefix: "mf", custom_job_policy_statements: statements };
  },
  "statements with one Sid, as many as fit": () => {
    const statements = {};
    for (const k of names(Math.floor((MAX_VALUES - 10) / 6), "S")) statements[k] = statement({ sid: "Same" });
    return { name_prefix: "mf", custom_job_policy_statements: statements };
  },
  "actions in one statement, as many as fit": () => ({
    name_prefix: "mf",
    custom_job_policy_statements: {
      S: { actions: names(MAX_VALUES - 20, "iam:Pass*Role"), resources: ["*"] },
    },
  }),
  "a 1 MiB action": () => ({
    name_prefix: "mf",
    custom_job_policy_statements: { S: { actions: [`iam:${"*a".repeat((MIB - 300) / 2)}`], resources: ["*"] } },
  }),
  "a 1 MiB statement key": () => ({
    name_prefix: "mf",
    custom_job_policy_statements: { ["k".repeat(MIB - 300)]: { actions: Array(50).fill("bad"), resources: ["*"] } },
  }),
  "1 MiB of text (over the budget)": () => ({ name_prefix: "a".repeat(MIB + 1) }),
  // The JS boundary's part (issue 16 part 1): it reads the whole string before the budget.
  "150 MB name_prefix (over the budget)": () => ({ name_prefix: "a".repeat(150_000_000) }),
};

const only = process.argv.slice(2);
const ms = (ns) => `${(ns / 1e6).toFixed(1)} ms`;
const mb = (n) => `${(n / MIB).toFixed(1)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fresh(i) {
  const glue = await import(`../dist/web/iam_metaflow.js?hostile=${i}`);
  const exports = glue.initSync({ module });
  return { glue, memory: exports.memory };
}

function time(f) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    f();
    samples.push(Number(process.hrtime.bigint() - t));
  }
  return median(samples);
}

const rows = [];
let i = 0;
for (const [name, make] of Object.entries(shapes)) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const inputs = make();
  const { glue, memory } = await fresh(i++);
  const before = memory.buffer.byteLength;
  let outcome;
  const validateNs = time(() => {
    const diagnostics = glue.validate(inputs);
    outcome = `${diagnostics.length} diagnostics, first ${diagnostics[0]?.code ?? "none"}`;
  });
  const generateNs = time(() => {
    try {
      glue.generate(inputs);
    } catch (e) {
      if (!Array.isArray(e.diagnostics)) throw e;
    }
  });
  rows.push([name, ms(validateNs), ms(generateNs), mb(memory.buffer.byteLength), mb(before), outcome]);
}

const header = ["input", "validate", "generate", "memory after", "at start", "validate gave"];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
console.log(`hostile inputs, median of ${RUNS} calls each, fresh instance per input, Node ${process.version}`);
for (const r of [header, ...rows]) console.log(r.map((v, c) => (c === 0 || c === 5 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  "));
