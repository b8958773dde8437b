#!/usr/bin/env node
// Where a wasm module's bytes go, by owner: `twiggy top` of the module as cargo left it
// (target/wasm32-unknown-unknown/release/NAME.wasm: names kept; wasm-bindgen's
// descriptions left out; wasm-opt -Oz then shrinks every group by about a tenth), summed
// by crate and module path. Usage: node bench/twiggy-groups.mjs FILE.wasm [--top N]
// (twiggy: `cargo install twiggy --version 0.7.0`, about 2 minutes; not in scripts/setup.sh,
// whose installs are what the tests need: only this measurement uses it).
import { execFileSync } from "node:child_process";

const file = process.argv[2];
const top = Number(process.argv[process.argv.indexOf("--top") + 1]) || 25;
if (!file) {
  console.error("usage: node bench/twiggy-groups.mjs FILE.wasm [--top N]");
  process.exit(2);
}
const rows = JSON.parse(execFileSync("twiggy", ["top", "-n", "1000000", "-f", "json", file], { maxBuffer: 1 << 28 }));
// The owner of an item: its crate and first module for Rust symbols (generic impls are
// named by the trait's self type), the section for the rest.
function owner(name) {
  if (name.startsWith("data segment") || /^data\[\d+\]/.test(name)) return "data (strings, tables)";
  if (name.startsWith('"function names"') || name.startsWith("custom section")) return null; // not shipped after wasm-opt
  // cargo's output (what twiggy 0.7 can read: wasm-bindgen's adds table.fill, which it
  // cannot) still holds wasm-bindgen's type descriptions, which wasm-bindgen removes.
  if (/__wbindgen_describe|WasmDescribe/.test(name)) return null;
  let n = name.replace(/^<+/, "").replace(/\[[0-9a-f]+\]/g, "");
  const m = n.match(/^([a-z_][a-z0-9_]*)::([a-z_][a-z0-9_]*)?/);
  if (!m) return /^(import|export|elem|table|memory|type|global|code)/.test(name) ? "wasm sections" : "other";
  const [crate, module] = [m[1], m[2]];
  if (["core", "alloc", "std", "dlmalloc", "hashbrown"].includes(crate)) return `Rust std (${crate})`;
  if (crate === "accord" || crate === "accord_core" || crate === "accord_dialogs") return `${crate}::${module ?? ""}`;
  return crate;
}
const groups = new Map();
let shipped = 0;
for (const r of rows) {
  const o = owner(r.name);
  if (!o) continue;
  groups.set(o, (groups.get(o) || 0) + r.shallow_size);
  shipped += r.shallow_size;
}
const sorted = [...groups].sort((a, b) => b[1] - a[1]);
console.log(`| owner | bytes | share |\n|---|---:|---:|`);
for (const [o, b] of sorted.slice(0, top)) console.log(`| ${o} | ${b} | ${((100 * b) / shipped).toFixed(1)} % |`);
const rest = sorted.slice(top).reduce((s, [, b]) => s + b, 0);
if (rest) console.log(`| ${sorted.length - top} more | ${rest} | ${((100 * rest) / shipped).toFixed(1)} % |`);
console.log(`| **all but the names section** | **${shipped}** | |`);
