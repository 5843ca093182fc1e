#!/usr/bin/env bash
# npm run build: the wasm, the JS bindings for browsers/bundlers (dist/web) and Node (dist/node),
# wasm-opt -Oz, and the package entries. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

cargo build --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/iam_metaflow.wasm

rm -rf dist/web dist/node
wasm-bindgen --target web --out-dir dist/web --out-name iam_metaflow "$wasm"
wasm-bindgen --target experimental-nodejs-module --out-dir dist/node --out-name iam_metaflow "$wasm"
rm -f dist/node/package.json

# wasm-opt from the npm package binaryen (never Debian's: it corrupts wasm-bindgen output).
# Each target has its own copy of the wasm; when wasm-bindgen made the same bytes for both
# (it does in 0.2.130), optimise once.
if cmp -s dist/web/iam_metaflow_bg.wasm dist/node/iam_metaflow_bg.wasm; then
    node_modules/.bin/wasm-opt -Oz dist/web/iam_metaflow_bg.wasm -o dist/web/iam_metaflow_bg.wasm
    cp dist/web/iam_metaflow_bg.wasm dist/node/iam_metaflow_bg.wasm
else
    node_modules/.bin/wasm-opt -Oz dist/web/iam_metaflow_bg.wasm -o dist/web/iam_metaflow_bg.wasm
    node_modules/.bin/wasm-opt -Oz dist/node/iam_metaflow_bg.wasm -o dist/node/iam_metaflow_bg.wasm
fi

# The HCL reader's wasm (src/wasm_hcl.rs): `fromHcl` only, loaded on the first fromHcl call
# (js/from_hcl.js), so that the first load does not carry the HCL parser. The same crate with
# the feature hcl-wasm, in a target directory of its own (no rebuild ping-pong with the above).
# One web-target copy serves both entries: Node instantiates it with initSync.
cargo build --release --target wasm32-unknown-unknown --features hcl-wasm --target-dir target/hcl-wasm
wasm-bindgen --target web --out-dir dist/web/hcl --out-name iam_metaflow_hcl \
    target/hcl-wasm/wasm32-unknown-unknown/release/iam_metaflow.wasm
node_modules/.bin/wasm-opt -Oz dist/web/hcl/iam_metaflow_hcl_bg.wasm -o dist/web/hcl/iam_metaflow_hcl_bg.wasm
cp js/from_hcl.js dist/web/hcl/index.js
cp js/from_hcl.d.ts dist/web/hcl/index.d.ts
# The glue's own declarations name types only the package's d.ts declares (Policy, ...):
# index.d.ts takes the result's types from there, and the glue's are not shipped.
rm dist/web/hcl/iam_metaflow_hcl.d.ts dist/web/hcl/iam_metaflow_hcl_bg.wasm.d.ts

# The entries: `init` is exported by both (a no-op in Node, where the module loads at import).
cat > dist/web/index.js <<'JS'
// Browsers and bundlers: `await init()` once before calling anything.
export * from "./iam_metaflow.js";
export { default, default as init } from "./iam_metaflow.js";

// fromHcl loads the HCL reader's wasm (hcl/) on its first call; initHcl(input) loads it ahead.
import { hclReader } from "./hcl/index.js";
export const { fromHcl, initHcl } = hclReader(async (input) => {
  const glue = await import("./hcl/iam_metaflow_hcl.js");
  await glue.default(input === undefined ? undefined : { module_or_path: input });
  return glue;
});
JS
cat > dist/node/index.js <<'JS'
// Node: the wasm is instantiated at import; `init` and `initSync` are no-ops kept for code
// that runs in both Node and browsers.
export * from "./iam_metaflow.js";

/** A no-op in Node. */
export default async function init() {}
export { init };

/** A no-op in Node. */
export function initSync() {}

// fromHcl loads the HCL reader's wasm (../web/hcl/) on its first call.
import { hclReader } from "../web/hcl/index.js";
export const { fromHcl, initHcl } = hclReader(async () => {
  const [glue, { readFileSync }] = await Promise.all([
    import("../web/hcl/iam_metaflow_hcl.js"),
    import("node:fs"),
  ]);
  glue.initSync({ module: readFileSync(new URL("../web/hcl/iam_metaflow_hcl_bg.wasm", import.meta.url)) });
  return glue;
});
JS
cat > dist/index.d.ts <<'TS'
// The types come from the Rust types (tsify) through wasm-bindgen's declarations.
export * from "./web/iam_metaflow.js";
export { default, default as init } from "./web/iam_metaflow.js";
export { fromHcl, initHcl } from "./web/hcl/index.js";
export type { FromHcl, FromHclOptions, HclOptions } from "./web/hcl/index.js";
TS

raw=$(wc -c < dist/web/iam_metaflow_bg.wasm)
# Gzip as `npm run bench` measures it (Node's zlib at level 9; the gzip command's -9 differs by
# a few hundred bytes).
gz=$(node -e 'const z=require("zlib"),fs=require("fs");console.log(z.gzipSync(fs.readFileSync(process.argv[1]),{level:9}).length)' dist/web/iam_metaflow_bg.wasm)
echo "build: dist/ ready; wasm $raw bytes raw, $gz bytes gzip"
raw=$(wc -c < dist/web/hcl/iam_metaflow_hcl_bg.wasm)
gz=$(node -e 'const z=require("zlib"),fs=require("fs");console.log(z.gzipSync(fs.readFileSync(process.argv[1]),{level:9}).length)' dist/web/hcl/iam_metaflow_hcl_bg.wasm)
echo "build: the HCL reader's wasm (loaded on the first fromHcl) $raw bytes raw, $gz bytes gzip"

# The page serves the web build from www/pkg/ (a copy, ignored by git): www/ stays a static
# folder any server can host.
rm -rf www/pkg
mkdir -p www/pkg
cp dist/web/index.js dist/web/iam_metaflow.js dist/web/iam_metaflow_bg.wasm dist/web/iam_metaflow.d.ts www/pkg/
# The HCL reader's wasm, loaded by the page's first fromHcl.
cp -r dist/web/hcl www/pkg/

# The page's zip library: the browser ES module of the npm package fflate (a devDependency),
# copied beside the page (ignored by git) so the page loads it from its own origin.
rm -rf www/vendor
mkdir -p www/vendor
cp node_modules/fflate/esm/browser.js www/vendor/fflate.js
