// `iam-metaflow/iam_metaflow_bg.wasm`, the package's wasm file. A bundler's file or asset
// loader (esbuild's --loader:.wasm=file, webpack's asset/resource) gives its URL, which
// `init({ module_or_path: url })` takes.
declare const url: string;
export default url;
