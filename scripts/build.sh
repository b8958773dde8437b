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
# wasm app per page; this second one gets the same steps by scripts/wasm-module.sh: the
# release profile, wasm-bindgen's ES module glue, wasm-opt -Oz (as Trunk's
# data-wasm-opt="z", with index.html's data-wasm-opt-params), the short names, terser.
# The forms module (crates/accord-forms) the same way: fetched only on pages with a form.
for module in dialogs forms; do
  bash scripts/wasm-module.sh "accord-$module" dist/accord
done
terser www/accord.js --compress passes=3,unsafe_methods \
  --mangle --ecma 2017 --comments false -o dist/accord/accord.js
# The styles, on every page: minified by csso without restructuring (the rules keep
# their order and their selectors; comments and spaces go): 3,036 -> 1,670 B brotli.
# The commented source, with the theme's variables explained, is www/accord.css.
node -e 'const fs = require("fs"), f = process.argv[1];
fs.writeFileSync(f, require("csso").minify(fs.readFileSync(f, "utf8"), { restructure: false }).css);' \
  dist/accord/accord.css
# The page's module, from Trunk: the names it shares with its glue shortened in both,
# the glue minified (scripts/shorten-glue.sh, as for the two modules above).
bash scripts/shorten-glue.sh dist/accord/accord_widget.js dist/accord/accord_widget_bg.wasm
# The page's glue runs most of its functions (the wasm's imports) while the module boots:
# Chromium's compile hint has them compiled with the file, off the main thread, instead
# of one by one on first call (a first visit's script time: medians 40.7 -> 36.6 ms over
# 60 paired loads, the pairs' median difference -1.9 ms; README, "Main-thread time").
# The hint must be the first line.
{ echo '//# allFunctionsCalledOnLoad'; cat dist/accord/accord_widget.js; } > dist/accord/accord_widget.js.hinted
mv dist/accord/accord_widget.js.hinted dist/accord/accord_widget.js
# The npm package (dist/npm/accord-consent-<version>.tgz): the same files, the types, the schema.
node scripts/package.mjs
