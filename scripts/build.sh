#!/usr/bin/env bash
# Builds dist/ (the demo site and the embeddable files) with Trunk, offline, then
# minifies the loader (the only render-blocking file) with terser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
terser www/accord.js --compress passes=3,unsafe_methods \
  --mangle --ecma 2017 --comments false -o dist/accord/accord.js
