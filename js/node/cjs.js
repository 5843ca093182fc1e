// Node's `require` (Node 18, Jest, TypeScript's CommonJS output), bundled with the bindings
// into node/index.cjs by esbuild (Node 18 cannot `require` an ES module). It reads the wasm
// file on the first call, not at require: the inline copy stays with the ES module entries.
export * from "../web/api.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initFunctions } from "../web/load.js";

export const { init, initSync } = initFunctions({ wasmSync: readWasm });
export default init;

function readWasm() {
  const path = join(__dirname, "..", "web", "iam_metaflow_bg.wasm");
  try {
    return readFileSync(path);
  } catch (e) {
    const fix = 'load it with `import`, keep "iam-metaflow" external, or call initSync({ module: bytes }) first';
    throw new Error(`iam-metaflow: cannot read ${path} (${e.code}): a bundler moved it; ${fix}.`, { cause: e });
  }
}
