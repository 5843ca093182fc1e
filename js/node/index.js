// Node's `import`: the wasm's bytes are in web/wasm-inline.js, so no file is read, at import or
// later, and the module stays whole when a server bundler (Next.js, Docusaurus, esbuild
// --platform=node) moves it. The first call loads the wasm when `init()` was not called.
export * from "../web/api.js";
import { gunzipSync } from "node:zlib";
import wasm from "../web/wasm-inline.js";
import { initFunctions } from "../web/load.js";

export const { init, initSync } = initFunctions({ wasmSync: () => gunzipSync(Buffer.from(wasm, "base64")) });
export default init;
