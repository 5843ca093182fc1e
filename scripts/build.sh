#!/usr/bin/env bash
# npm run build: the wasm, its JS bindings, wasm-opt -Oz, and the package's entries: browsers
# and bundlers (dist/web), Node (dist/node). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

cargo build --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/iam_metaflow.wasm

rm -rf dist
# One wasm and one glue (wasm-bindgen's --target web output) in dist/web, for every entry.
# The declarations come from the same wasm without the web target's loading part, which names
# DOM types (RequestInfo, BufferSource, WebAssembly); js/index.d.ts declares the entries' own.
wasm-bindgen --target web --no-typescript --out-dir dist/web --out-name iam_metaflow "$wasm"
types=$(mktemp -d)
wasm-bindgen --target bundler --out-dir "$types" --out-name iam_metaflow "$wasm"
cat "$types/iam_metaflow.d.ts" js/index.d.ts > dist/index.d.ts
rm -rf "$types"
# The same declarations for `require` (TypeScript's CommonJS projects read .d.cts).
cp dist/index.d.ts dist/index.d.cts
cp js/wasm.d.ts dist/wasm.d.ts
# "iam-metaflow/hcl": its functions' declarations (the result's types are in index.d.ts).
cp js/hcl.d.ts dist/hcl.d.ts
cp js/hcl.d.ts dist/hcl.d.cts

# wasm-opt from the npm package binaryen (never Debian's: it corrupts wasm-bindgen output).
node_modules/.bin/wasm-opt -Oz dist/web/iam_metaflow_bg.wasm -o dist/web/iam_metaflow_bg.wasm

# The entries (js/; js/load.js says how each loads the wasm). The wasm also goes inside a JS
# module, gzipped and base64-encoded, for Node's ES module entry and for tools that cannot
# load a file: base64 of gzip weighs what the file weighs once the server gzips it.
cp js/web/*.js dist/web/
mkdir -p dist/node
cp js/node/index.js js/node/hcl.js dist/node/
node -e '
const { gzipSync } = require("node:zlib"), { readFileSync, writeFileSync } = require("node:fs");
const base64 = gzipSync(readFileSync("dist/web/iam_metaflow_bg.wasm"), { level: 9 }).toString("base64");
writeFileSync("dist/web/wasm-inline.js", `// iam_metaflow_bg.wasm, gzipped, base64.\nexport default "${base64}";\n`);'
# The HCL reader's wasm (src/wasm_hcl.rs): `fromHcl` only, loaded by the first fromHcl call
# (js/web/hcl.js), so that the first load does not carry the HCL parser. The same crate with the
# feature hcl-wasm, in a target directory of its own (no rebuild ping-pong with the above); its
# glue's declarations are not shipped (js/index.d.ts declares fromHcl from the Rust types).
cargo build --release --target wasm32-unknown-unknown --features hcl-wasm --target-dir target/hcl-wasm
wasm-bindgen --target web --no-typescript --out-dir dist/web/hcl --out-name iam_metaflow_hcl \
    target/hcl-wasm/wasm32-unknown-unknown/release/iam_metaflow.wasm
node_modules/.bin/wasm-opt -Oz dist/web/hcl/iam_metaflow_hcl_bg.wasm -o dist/web/hcl/iam_metaflow_hcl_bg.wasm

# Node 18 cannot `require` an ES module: esbuild bundles the CommonJS entry with the glue.
cp js/node/cjs.js dist/node/cjs.js
node_modules/.bin/esbuild dist/node/cjs.js --bundle --platform=node --format=cjs --target=node18 \
    --outfile=dist/node/index.cjs --log-level=warning --log-override:empty-import-meta=silent
rm dist/node/cjs.js
node_modules/.bin/esbuild dist/node/hcl.js --bundle --platform=node --format=cjs --target=node18 \
    --outfile=dist/node/hcl.cjs --log-level=warning --log-override:empty-import-meta=silent

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
cp dist/web/index.js dist/web/api.js dist/web/load.js dist/web/hcl.js dist/web/hcl-reader.js \
    dist/web/iam_metaflow.js dist/web/iam_metaflow_bg.wasm www/pkg/
cp -r dist/web/hcl www/pkg/

# The page's zip library: the browser ES module of the npm package fflate (a devDependency),
# copied beside the page (ignored by git) so the page loads it from its own origin.
rm -rf www/vendor
mkdir -p www/vendor
cp node_modules/fflate/esm/browser.js www/vendor/fflate.js
