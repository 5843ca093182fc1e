#!/usr/bin/env bash
# npm test: every suite, from a fresh clone. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test
