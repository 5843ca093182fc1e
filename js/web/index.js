// Browsers, webpack (its "webpack" condition) and "iam-metaflow/web": the wasm is a file beside
// this one, compiled as it streams by `await init()`, lighter than the inline entry over brotli.
// Only tools that emit what `new URL(..., import.meta.url)` points at serve it: webpack, Vite's
// build, Turbopack, Parcel; not esbuild, Rollup, nor Vite ≤ 7's dev server.
export * from "./api.js";
import { initFunctions } from "./load.js";

export const { init, initSync } = initFunctions({ wasm: fetchWasm });
export default init;

/** A missing file (a bundler that did not emit it; a dev server's HTML fallback) is an Error
 *  that names the fix, rather than a CompileError about magic words. */
async function fetchWasm() {
  const url = new URL("./iam_metaflow_bg.wasm", import.meta.url);
  const response = await fetch(url);
  const type = response.headers.get("content-type") ?? "";
  if (response.ok && !type.startsWith("text/html")) return response;
  throw new Error(
    `iam-metaflow: ${url} is not its wasm (HTTP ${response.status}, ${type}): the bundler did not emit it. ` +
      'Import "iam-metaflow" (the wasm inside the JS) rather than "iam-metaflow/web"; in Vite ≤ 7\'s dev server, ' +
      'add optimizeDeps: { exclude: ["iam-metaflow"] }; or serve the file and call init({ module_or_path: its URL }).',
  );
}
