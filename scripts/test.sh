#!/usr/bin/env bash
# npm test: every suite, from a fresh clone. Installs what is missing first (scripts/setup.sh:
# the wasm target, the pinned wasm-bindgen-cli, npm packages; Chromium below).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Chromium for the browser test, from Debian, only when it is missing.
if [ ! -x /usr/bin/chromium ]; then
    echo "test: installing chromium"
    if [ "$(id -u)" = 0 ]; then
        apt-get update && apt-get install -y chromium
    else
        sudo apt-get update && sudo apt-get install -y chromium
    fi
fi

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -- -D warnings
# The HCL reader's wasm: the same crate with the feature hcl-wasm (scripts/build.sh).
cargo clippy --target wasm32-unknown-unknown --features hcl-wasm --target-dir target/hcl-wasm -- -D warnings
cargo test

bash scripts/build.sh

# The package, against both builds (Node and web), types, schema, CLI, npm pack, robustness.
# --- The browser test (headless Chromium, /usr/bin/chromium installed above) ---
# Every pkg-tests/*.test.mjs runs here, so a pkg-tests/browser.test.mjs runs with this suite;
# a browser test with another name or runner goes on the line after this one.
node --test --test-reporter=spec pkg-tests/
