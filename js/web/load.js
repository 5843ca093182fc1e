// Loading the wasm, for every entry (web/index.js, web/inline.js, node/index.js, node/cjs.js):
// an entry says where its wasm is, `initFunctions` gives it `init` and `initSync`, and `ready`
// guards each call into the wasm (api.js). A call before loading throws an Error that says to
// call `await init()` (browsers compile asynchronously), except in Node, whose entries have
// the bytes at hand: there the first call loads them, and nothing happens at import (server
// bundlers move or drop the files a module reads then). Only what wasm-bindgen's `--target web`
// output documents is used: its default export takes `{ module_or_path }`, `initSync` `{ module }`.
import glueInit, { initSync as glueInitSync } from "./iam_metaflow.js";

let instance; // the wasm instance's exports, once loaded
let loading;
let firstUse = () => {
  throw new Error("iam-metaflow is not loaded yet: call `await init()` once before using it.");
};

export function ready() {
  if (!instance) firstUse();
}

const loadSync = (module) => (instance = glueInitSync({ module }));

/** The option `init` or `initSync` takes; wasm-bindgen's older positional form is refused. */
function option(options, key, call) {
  if (options == null) return undefined;
  if (Object.getPrototypeOf(options) === Object.prototype) return options[key];
  throw new TypeError(`iam-metaflow: ${call} takes an options object: ${call}({ ${key}: ... }).`);
}

/** `init` and `initSync`, which give the instance's exports (tests read `memory`). `wasm()`:
 *  what `init()` loads by default (a URL, Response or bytes, or a promise of one); `wasmSync()`
 *  (Node): bytes at hand, which the first call loads when `init` was not called. */
export function initFunctions({ wasm, wasmSync }) {
  if (wasmSync) firstUse = () => loadSync(wasmSync());
  function initSync(options) {
    const module = option(options, "module", "initSync");
    if (instance) return instance;
    if (module !== undefined) return loadSync(module);
    if (wasmSync) return loadSync(wasmSync());
    throw new Error("iam-metaflow: initSync needs the wasm here: initSync({ module }), or `await init()`.");
  }
  async function init(options) {
    const source = option(options, "module_or_path", "init");
    if (instance) return instance;
    if (source === undefined && wasmSync) return initSync();
    loading ??= glueInit({ module_or_path: source ?? wasm() }).finally(() => (loading = undefined));
    return (instance = await loading);
  }
  return { init, initSync };
}
