#!/usr/bin/env node
// The floor of the page's module (issue 15): the core's decisions that the page's module
// runs on every page, alone in a wasm module (bench/floor: the crate accord-floor), built
// the way scripts/build.sh builds the modules (scripts/wasm-module.sh: the release
// profile, wasm-bindgen's glue, wasm-opt -Oz, the short names, terser), weighed beside the page's
// module of dist/ (bash scripts/build.sh first). Whatever the page's module does beyond
// the core's decisions (the loader's answers, the session's effects, the first layer,
// window.Accord) sits on top of this floor, and so does every file a page downloads
// besides the module (the loader, its glue, the styles).
//
//   node bench/floor.mjs [--groups]      (npm run --silent bench:floor)
//
// --groups adds the floor's bytes by owner (bench/twiggy-groups.mjs; twiggy installed).
// A measurement, never a pass/fail threshold.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PATH: `${REPO}/node_modules/.bin:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const run = (cmd, args) => execFileSync(cmd, args, { cwd: REPO, env, stdio: ["ignore", "ignore", "inherit"] });

const out = path.join(REPO, "target", "floor");
run("bash", ["scripts/wasm-module.sh", "accord-floor", out]);
const built = path.join(REPO, "target/wasm32-unknown-unknown/release/accord_floor.wasm");
const wasm = path.join(out, "accord_floor_bg.wasm");
const glue = path.join(out, "accord_floor.js");

const brotli = (file) =>
  zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const dist = path.join(REPO, "dist", "accord");
const rows = [
  ["the core's decisions alone (bench/floor): module", wasm],
  ["the core's decisions alone (bench/floor): glue", glue],
  ["the page's module (dist/accord/accord_widget_bg.wasm)", path.join(dist, "accord_widget_bg.wasm")],
  ["the page's glue (dist/accord/accord_widget.js)", path.join(dist, "accord_widget.js")],
  ["the loader (dist/accord/accord.js)", path.join(dist, "accord.js")],
  ["the styles (dist/accord/accord.css)", path.join(dist, "accord.css")],
];
console.log("| file | raw (B) | brotli -q 11 (B) |\n|---|---:|---:|");
const sizes = {};
for (const [label, file] of rows) {
  if (!fs.existsSync(file)) {
    console.error(`${file} missing: run bash scripts/build.sh first`);
    process.exit(1);
  }
  sizes[file] = brotli(file);
  console.log(`| ${label} | ${fs.statSync(file).size} | ${sizes[file]} |`);
}
const floor = sizes[wasm] + sizes[glue];
const around = ["accord.js", "accord.css"].reduce((s, f) => s + sizes[path.join(dist, f)], 0);
const kib = (b) => (b / 1024).toFixed(1);
console.log(`\nThe core's decisions with their glue: ${floor} B (${kib(floor)} KiB); with the loader and the styles, ` +
  `a page that did nothing else would download ${floor + around} B (${kib(floor + around)} KiB) before the first click.`);
if (process.argv.includes("--groups")) {
  console.log("");
  execFileSync("node", ["bench/twiggy-groups.mjs", built], { cwd: REPO, env, stdio: "inherit" });
}
