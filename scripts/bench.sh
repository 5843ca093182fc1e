#!/usr/bin/env bash
# npm run bench: builds (installing what is missing), then prints the figures (SPEC §10).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
node scripts/bench.mjs
node scripts/bench-hcl.mjs
# Time and peak memory at the edge of the input budget.
exec node scripts/bench-hostile.mjs
