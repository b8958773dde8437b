#!/usr/bin/env node
// Sizes of the embeddable files in dist/accord: raw, gzip -9 and brotli -q 11 bytes,
// per file and per visit: what every page downloads (a first visit and a returning
// visit alike), what opening the preferences or the partner list adds, and what a page
// with a form adds.
// Usage: bash scripts/build.sh && node bench/sizes.mjs [--markdown]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "accord");
// [file, role, when it is downloaded]
const files = [
  ["accord.js", "loader (render-blocking)", "page"],
  ["accord_widget.js", "page module's wasm-bindgen glue", "page"],
  ["accord_widget_bg.wasm", "page module (no Yew)", "page"],
  ["accord.css", "styles", "page"],
  ["accord_dialogs.js", "dialogs module's glue", "dialogs"],
  ["accord_dialogs_bg.wasm", "dialogs module (Yew: preferences, partner list)", "dialogs"],
  ["accord_forms.js", "forms module's glue", "forms"],
  ["accord_forms_bg.wasm", "forms module (prospection block, sensitive fields, guard)", "forms"],
];
const md = process.argv.includes("--markdown");
const rows = [];
const sum = { page: [0, 0, 0], dialogs: [0, 0, 0], forms: [0, 0, 0] };
for (const [name, role, when] of files) {
  const p = path.join(dir, name);
  if (!fs.existsSync(p)) {
    console.error(`${p} missing: run bash scripts/build.sh first`);
    process.exit(1);
  }
  const b = fs.readFileSync(p);
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  rows.push([name, role, b.length, gz, br]);
  sum[when] = sum[when].map((v, i) => v + [b.length, gz, br][i]);
}
const plus = (part) => sum.page.map((v, i) => v + sum[part][i]);
rows.push(["every page", "first visit and returning visit: bytes before the first click", ...sum.page]);
rows.push(["+ dialogs", "once « Personnaliser », « Gérer mes cookies » or « Nos partenaires » is used", ...plus("dialogs")]);
rows.push(["+ forms", "a page with data-accord-form, data-accord-sensitive or data-accord-guard", ...plus("forms")]);
if (md) {
  console.log("| file | role | raw | gzip | brotli |\n|---|---|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]} |`);
} else {
  for (const r of rows) console.log(`${r[0].padEnd(24)} ${String(r[2]).padStart(8)} ${String(r[3]).padStart(8)} ${String(r[4]).padStart(8)}  ${r[1]}`);
}
