#!/usr/bin/env bash
# npm start: installs what is missing, builds, serves www/ on 127.0.0.1 and prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve.mjs www
