#!/usr/bin/env bash
# One command for a person: install what is missing, build, and serve the demo insurer
# site on http://127.0.0.1:8080 with its fake trackers on 127.0.0.1:8081-8083, its
# receipts kept by the real consent service (accord-server on 127.0.0.1:8088, SQLite in
# target/demo/consent.sqlite3).
#
#   scripts/serve.sh           the demo with the in-page layer (accord.js)
#   scripts/serve.sh --nginx   also the same site through a real nginx that sends the
#                              CSP computed by `accordctl nginx`, on http://127.0.0.1:8090
#                              (try /demo/sans-balises.html, a page with untagged trackers)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# The demo's consent log is the real consent service, on SQLite (target/demo/).
cargo build -q -p accord-server
export CONSENT_SERVER=1
if [ "${1:-}" = "--nginx" ]; then
  cargo build -q --bin accordctl
  node scripts/serve.mjs &
  trap 'kill $! 2>/dev/null' EXIT
  node scripts/nginx.mjs
else
  exec node scripts/serve.mjs
fi
