#!/usr/bin/env node
// Sizes of the embeddable files in dist/accord: raw, gzip -9 and brotli -q 11 bytes.
// Usage: bash scripts/build.sh && node bench/sizes.mjs [--markdown]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "accord");
const files = [
  ["accord.js", "loader (render-blocking)"],
  ["accord_widget.js", "wasm-bindgen glue"],
  ["accord_widget_bg.wasm", "module"],
  ["accord.css", "styles"],
];
const md = process.argv.includes("--markdown");
const rows = [];
let total = [0, 0, 0];
for (const [name, role] of files) {
  const p = path.join(dir, name);
  if (!fs.existsSync(p)) {
    console.error(`${p} missing: run bash scripts/build.sh first`);
    process.exit(1);
  }
  const b = fs.readFileSync(p);
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  rows.push([name, role, b.length, gz, br]);
  total = [total[0] + b.length, total[1] + gz, total[2] + br];
}
rows.push(["total", "bytes before the first click", ...total]);
if (md) {
  console.log("| file | role | raw | gzip | brotli |\n|---|---|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]} |`);
} else {
  for (const r of rows) console.log(`${r[0].padEnd(24)} ${String(r[2]).padStart(8)} ${String(r[3]).padStart(8)} ${String(r[4]).padStart(8)}  ${r[1]}`);
}
