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
# The wasm-bindgen glue (an ES module the loader imports) is shipped unminified by
# Trunk: minified, it is about 2 KB smaller brotli (README, "Sizes and speed").
for glue in dist/accord/accord_widget*.js; do
  terser "$glue" --module --compress passes=2 --mangle --ecma 2020 --comments false -o "$glue.min"
  mv "$glue.min" "$glue"
done
# The npm package (dist/npm/accord-consent-<version>.tgz): the same files, the types, the schema.
node scripts/package.mjs
