#!/usr/bin/env bash
# Builds one wasm module of the workspace the way every module Accord ships is built:
#   bash scripts/wasm-module.sh CRATE OUT_DIR
# the release profile (cargo, --lib), wasm-bindgen's ES module glue, wasm-opt -Oz, then
# the names the module and its glue share shortened in both (short-names.mjs) and the
# glue minified by terser. Writes OUT_DIR/<crate_name>.js and OUT_DIR/<crate_name>_bg.wasm.
# scripts/build.sh runs it for the dialogs and the forms modules; bench/floor.mjs for
# bench/floor. (The page's module is Trunk's: index.html carries the same wasm-opt flags.)
# --low-memory-unused lets wasm-opt fold a small constant added to a pointer into the
# load's or store's offset. The two differ only when the addition wraps past 4 GiB,
# which no valid pointer of a Rust program does (binaryen's OptimizeAddedConstants;
# README, "Sizes and speed"). The producers and target-features sections are for tools,
# never read by a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
crate="$1" out="$2"
name="${crate//-/_}"
cargo build --offline --release --target wasm32-unknown-unknown -p "$crate" --lib
wasm-bindgen --target web --no-typescript --out-dir target/modules --out-name "$name" \
  "target/wasm32-unknown-unknown/release/$name.wasm"
mkdir -p "$out"
wasm-opt -Oz --low-memory-unused --strip-producers --strip-target-features \
  "target/modules/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
cp "target/modules/$name.js" "$out/$name.js"
bash scripts/shorten-glue.sh "$out/$name.js" "$out/${name}_bg.wasm"
