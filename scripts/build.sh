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

# The entries: `init` is exported by both (a no-op in Node, where the module loads at import).
cat > dist/web/index.js <<'JS'
// Browsers and bundlers: `await init()` once before calling anything.
export * from "./iam_metaflow.js";
export { default, default as init } from "./iam_metaflow.js";
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
JS
cat > dist/index.d.ts <<'TS'
// The types come from the Rust types (tsify) through wasm-bindgen's declarations.
export * from "./web/iam_metaflow.js";
export { default, default as init } from "./web/iam_metaflow.js";
TS

raw=$(wc -c < dist/web/iam_metaflow_bg.wasm)
# Gzip as `npm run bench` measures it (Node's zlib at level 9; the gzip command's -9 differs by
# a few hundred bytes).
gz=$(node -e 'const z=require("zlib"),fs=require("fs");console.log(z.gzipSync(fs.readFileSync(process.argv[1]),{level:9}).length)' dist/web/iam_metaflow_bg.wasm)
echo "build: dist/ ready; wasm $raw bytes raw, $gz bytes gzip"

# The page serves the web build from www/pkg/ (a copy, ignored by git): www/ stays a static
# folder any server can host.
rm -rf www/pkg
mkdir -p www/pkg
cp dist/web/index.js dist/web/iam_metaflow.js dist/web/iam_metaflow_bg.wasm dist/web/iam_metaflow.d.ts www/pkg/

# The page's zip library: the browser ES module of the npm package fflate (a devDependency),
# copied beside the page (ignored by git) so the page loads it from its own origin.
rm -rf www/vendor
mkdir -p www/vendor
cp node_modules/fflate/esm/browser.js www/vendor/fflate.js
