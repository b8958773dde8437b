#!/usr/bin/env bash
# One command for a person: install what is missing, build, and serve the demo insurer
# site on http://127.0.0.1:8080 with its fake trackers on 127.0.0.1:8081-8083.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs
