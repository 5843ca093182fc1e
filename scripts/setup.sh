#!/usr/bin/env bash
# Installs what the build needs when it is missing; fast when everything is present.
# Sourced by build.sh, test.sh and start.sh. Needs only cargo (rustup), node and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# The wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "setup: adding the rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli, the exact version of the wasm-bindgen crate in Cargo.lock.
# (Installed without --locked: its lock pins a crate version the registry does not serve.)
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
    echo "setup: installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# npm packages (binaryen's wasm-opt, typescript, ajv, the HCL parser): when node_modules is
# missing or older than package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing npm packages"
    npm ci --no-audit --no-fund
fi
