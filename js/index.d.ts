// The entries' own declarations (scripts/build.sh puts wasm-bindgen's, from the Rust types,
// above them). They name no DOM or Node type, so that they check in any TypeScript setup, a
// Node-only `lib: ["es2022"]` included: a global's type is used where the setup declares it.
type Class<T> = abstract new (...args: any) => T;
type Global<K extends string, Else = never> = typeof globalThis extends { [_ in K]: Class<infer T> } ? T : Else;
type Wasm<K extends string, Else = never> =
  typeof globalThis extends { WebAssembly: { [_ in K]: Class<infer T> } } ? T : Else;
type Bytes = ArrayBuffer | ArrayBufferView;

/** Where `init` can load the wasm from: its URL, a fetch Response, its bytes, a compiled module. */
export type InitInput = string | Global<"URL"> | Global<"Request"> | Global<"Response"> | Bytes | Wasm<"Module">;
/** `module_or_path`: only to load the wasm from elsewhere; each entry knows where its own is. */
export type InitOptions = { module_or_path?: InitInput | Promise<InitInput> };
/** `module`: the wasm's bytes or a compiled module; not needed in Node. */
export type InitSyncOptions = { module?: Bytes | Wasm<"Module"> };
/** The wasm instance's exports: tests measure its `memory`; the rest is no part of the API. */
export type InitOutput = { readonly memory: Wasm<"Memory", { readonly buffer: ArrayBuffer }> };

/** Loads the wasm once: `await init()` before any other call in a browser; optional in Node. */
export default function init(options?: InitOptions): Promise<InitOutput>;
export { init };
/** Loads the wasm synchronously from `module` (in Node, from the package when omitted). */
export function initSync(options?: InitSyncOptions): InitOutput;
