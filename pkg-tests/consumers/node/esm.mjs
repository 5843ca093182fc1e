// Node, `import`: nothing is read at import; the first call loads the wasm.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const reads = [];
for (const name of ["readFileSync", "readFile", "openSync", "open"]) {
  const original = fs[name];
  fs[name] = (...args) => (reads.push(String(args[0])), original(...args));
}
syncBuiltinESMExports();
const pkg = await import("iam-metaflow");
const { probe } = await import("./probe.js");
const readAtImport = reads.filter((path) => path.includes(".wasm"));
console.log(JSON.stringify({ ...(await probe(pkg)), readAtImport }));
