// Browsers and every bundler but webpack (the "default" condition): the wasm is inside this
// module's JS, gzipped (wasm-inline.js), so no tool has to emit or serve a file (esbuild and
// Rollup do not; Vite ≤ 7's dev server moves dependencies to .vite/deps without theirs). Served
// gzipped it weighs what the gzipped file weighs; `await init()` inflates and compiles it as a stream.
export * from "./api.js";
import wasm from "./wasm-inline.js";
import { initFunctions } from "./load.js";

export const { init, initSync } = initFunctions({ wasm: inflate });
export default init;

function inflate() {
  const text = atob(wasm);
  const gzipped = new Uint8Array(text.length); // a loop: Uint8Array.from(text, ...) takes 10 times as long
  for (let i = 0; i < text.length; i++) gzipped[i] = text.charCodeAt(i);
  const stream = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream, { headers: { "content-type": "application/wasm" } });
}
