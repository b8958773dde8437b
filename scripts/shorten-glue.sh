#!/usr/bin/env bash
# A module's glue and its wasm, as shipped: the names they share (hashed by wasm-bindgen)
# shortened in both files (short-names.mjs: 6.4 KB brotli off every page), then the
# glue minified by terser (shipped unminified by wasm-bindgen and Trunk: about 2 KB
# brotli more; README, "Sizes and speed").
#   bash scripts/shorten-glue.sh GLUE.js MODULE_bg.wasm
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/short-names.mjs "$1" "$2"
terser "$1" --module --compress passes=2 --mangle --ecma 2020 --comments false -o "$1.min"
mv "$1.min" "$1"
