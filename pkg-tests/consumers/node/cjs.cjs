// Node, `require` (Node 18 has no `require` of ES modules): nothing is read at require.
const fs = require("node:fs");

const reads = [];
for (const name of ["readFileSync", "readFile", "openSync", "open"]) {
  const original = fs[name];
  fs[name] = (...args) => (reads.push(String(args[0])), original(...args));
}
const pkg = require("iam-metaflow");
const readAtImport = reads.filter((path) => path.includes(".wasm"));
import("./probe.js")
  .then(({ probe }) => probe(pkg))
  .then((result) => console.log(JSON.stringify({ ...result, readAtImport })));
