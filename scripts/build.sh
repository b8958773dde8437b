#!/usr/bin/env bash
# Builds dist/ (the demo site and the embeddable files) with Trunk, offline, then
# minifies the loader (the only render-blocking file) with terser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
# The dialogs module (crates/accord-dialogs: the preferences and the partner list, in
# Yew), fetched by the page's module only when one of them must show. Trunk builds one
# wasm app per page; this second one gets the same steps by hand: the release profile,
# wasm-bindgen's ES module glue, wasm-opt -Oz (as Trunk's data-wasm-opt="z").
# The forms module (crates/accord-forms) the same way: fetched only on pages with a form.
# --low-memory-unused (all three modules; index.html's data-wasm-opt-params) lets
# wasm-opt fold a small constant added to a pointer into the load's or store's offset.
# The two differ only when the addition wraps past 4 GiB, which no valid pointer of a
# Rust program does (binaryen's OptimizeAddedConstants; README, "Sizes and speed").
# The producers and target-features sections are for tools, never read by a browser.
for module in dialogs forms; do
  cargo build --offline --release --target wasm32-unknown-unknown -p "accord-$module" --lib
  wasm-bindgen --target web --no-typescript --out-dir target/modules --out-name "accord_$module" \
    "target/wasm32-unknown-unknown/release/accord_$module.wasm"
  wasm-opt -Oz --low-memory-unused --strip-producers --strip-target-features \
    "target/modules/accord_${module}_bg.wasm" \
    -o "dist/accord/accord_${module}_bg.wasm"
  cp "target/modules/accord_$module.js" "dist/accord/accord_$module.js"
done
terser www/accord.js --compress passes=3,unsafe_methods \
  --mangle --ecma 2017 --comments false -o dist/accord/accord.js
# The styles, on every page: minified by csso without restructuring (the rules keep
# their order and their selectors; comments and spaces go): 3,036 -> 1,670 B brotli.
# The commented source, with the theme's variables explained, is www/accord.css.
node -e 'const fs = require("fs"), f = process.argv[1];
fs.writeFileSync(f, require("csso").minify(fs.readFileSync(f, "utf8"), { restructure: false }).css);' \
  dist/accord/accord.css
# The wasm-bindgen glue (an ES module the loader imports) is shipped unminified by
# Trunk: minified, it is about 2 KB smaller brotli (README, "Sizes and speed"). Before
# that, the names each module and its glue share (hashed by wasm-bindgen) are shortened
# in both files: 6.4 KB brotli off every page.
for module in widget dialogs forms; do
  glue="dist/accord/accord_$module.js"
  node scripts/short-names.mjs "$glue" "dist/accord/accord_${module}_bg.wasm"
  terser "$glue" --module --compress passes=2 --mangle --ecma 2020 --comments false -o "$glue.min"
  mv "$glue.min" "$glue"
done
# The page's glue runs most of its functions (the wasm's imports) while the module boots:
# Chromium's compile hint has them compiled with the file, off the main thread, instead
# of one by one on first call (a first visit's script time: medians 40.7 -> 36.6 ms over
# 60 paired loads, the pairs' median difference -1.9 ms; README, "Main-thread time").
# The hint must be the first line.
{ echo '//# allFunctionsCalledOnLoad'; cat dist/accord/accord_widget.js; } > dist/accord/accord_widget.js.hinted
mv dist/accord/accord_widget.js.hinted dist/accord/accord_widget.js
# The npm package (dist/npm/accord-consent-<version>.tgz): the same files, the types, the schema.
node scripts/package.mjs
