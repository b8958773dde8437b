#!/usr/bin/env node
// Shortens the names a wasm module and its wasm-bindgen glue share (issue 15: bytes).
//
//   node scripts/short-names.mjs GLUE.js MODULE_bg.wasm      (rewrites both in place)
//
// wasm-bindgen names each import after the JS it calls plus a 16-digit hash
// (`__wbg_get_2080c49015e35254`), and each closure shim's export after a Rust symbol hash;
// both files carry every name once, and hashes do not compress: about 8 bytes of brotli
// per name and per file. Here each such name becomes a short one in both files at once:
//   - an import of the glue's module ("./accord_x_bg.js", renamed "a" too) keeps its
//     place in the wasm and gets a short field name, which the glue defines as the same
//     key of its imports object;
//   - an export gets a short name, which the glue reads as `wasm.<name>` (a wrapper
//     function of the glue's that has the same name keeps it: terser mangles it).
// A name is renamed only where the glue uses it exactly so (a key defined once; reads
// through `wasm.` and never as a string); anything else keeps its name. The wasm's other sections are copied
// byte for byte. Fails (exit 1), naming what it found, on a file it cannot read that way.
import fs from "node:fs";

const [jsPath, wasmPath] = process.argv.slice(2);
if (!jsPath || !wasmPath) {
  console.error("usage: node scripts/short-names.mjs GLUE.js MODULE_bg.wasm");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-names: ${why}`);
  process.exit(1);
};
let js = fs.readFileSync(jsPath, "utf8");
const wasm = fs.readFileSync(wasmPath);
if (wasm.readUInt32BE(0) !== 0x0061736d || wasm.readUInt32LE(4) !== 1) fail(`${wasmPath} is not a wasm module (version 1)`);

// ---- reading and writing the binary format ----
let at = 8;
const u32 = () => {
  let r = 0;
  let shift = 0;
  for (;;) {
    const b = wasm[at++];
    r += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return r;
    shift += 7;
  }
};
const name = () => {
  const n = u32();
  const s = wasm.toString("utf8", at, at + n);
  at += n;
  return s;
};
const leb = (n) => {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const str = (s) => {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([leb(b.length), b]);
};

// a, b, …, z, A, …, Z, aa, ab, …: never a name wasm-bindgen writes (they all start with
// "__" or carry a hash), so a short name cannot meet a kept one.
const ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function short(i) {
  let s = "";
  do {
    s = ALPHA[i % 52] + s;
    i = Math.floor(i / 52) - 1;
  } while (i >= 0);
  return s;
}

const count = (re) => (js.match(re) || []).length;
const esc = (s) => s.replace(/[$.*+?^(){}|[\]\\/]/g, "\\$&");
const word = (s) => new RegExp(`(?<![\\w$])${esc(s)}(?![\\w$])`, "g");

const sections = [];
while (at < wasm.length) {
  const id = wasm[at++];
  const size = u32();
  const start = at;
  at = start + size;
  sections.push({ id, body: wasm.subarray(start, start + size) });
}
if (at !== wasm.length) fail(`${wasmPath}: its last section runs past the end`);

let renamed = 0;
let kept = 0;

for (const sec of sections) {
  if (sec.id !== 2 && sec.id !== 7) continue;
  const body = sec.body;
  const base = body.byteOffset - wasm.byteOffset; // the readers read `wasm` from `at`
  at = base;
  const n = u32();
  const parts = [leb(n)];
  if (sec.id === 2) {
    // Imports: module, field, then the import's description (kind and type), copied.
    const modules = new Map();
    for (let i = 0; i < n; i++) {
      const mod = name();
      const field = name();
      const descStart = at;
      const kind = wasm[at++];
      if (kind === 0) u32(); // a function: its type index
      else if (kind === 1) { at++; const f = wasm[at++]; u32(); if (f & 1) u32(); } // a table
      else if (kind === 2) { const f = wasm[at++]; u32(); if (f & 1) u32(); } // a memory
      else if (kind === 3) { at += 2; } // a global: value type, mutability
      else fail(`${wasmPath}: import ${mod}.${field} has an unknown kind ${kind}`);
      const desc = wasm.subarray(descStart, at);
      let newMod = mod;
      if (mod.startsWith("./") && mod.endsWith("_bg.js")) {
        if (!modules.has(mod)) {
          const quoted = new RegExp(`"${esc(mod)}"`, "g");
          const times = count(quoted);
          if (times !== 1) fail(`${jsPath}: the module "${mod}" is named ${times} times, expected once`);
          modules.set(mod, short(modules.size));
          js = js.replace(quoted, `"${modules.get(mod)}"`);
        }
        newMod = modules.get(mod);
      }
      let newField = field;
      // The glue defines the import once, as a key of its imports object ("field:").
      const key = new RegExp(`(?<![\\w$])${esc(field)}:`, "g");
      if (newMod !== mod && count(word(field)) === 1 && count(key) === 1) {
        newField = short(i);
        js = js.replace(key, `${newField}:`);
        renamed++;
      } else if (newMod !== mod) kept++;
      parts.push(str(newMod), str(newField), Buffer.from(desc));
    }
  } else {
    // Exports: name, kind, index; the glue reads them as wasm.<name> and nothing else.
    for (let i = 0; i < n; i++) {
      const ex = name();
      const descStart = at;
      at++;
      u32();
      const desc = wasm.subarray(descStart, at);
      let newName = ex;
      // Read as wasm.<name>; any other use is a bare identifier of the glue's own (a
      // wrapper function of the same name, which terser then mangles), never a string
      // or another object's property.
      const read = new RegExp(`(?<![\\w$])wasm\\.${esc(ex)}(?![\\w$])`, "g");
      const reads = count(read);
      const dotted = count(new RegExp(`\\.${esc(ex)}(?![\\w$])`, "g"));
      const quoted = count(new RegExp(`["'\`]${esc(ex)}["'\`]`, "g"));
      if (reads > 0 && dotted === reads && quoted === 0) {
        newName = `_${short(i)}`; // exports and imports live in separate namespaces; "_" keeps them apart to the eye
        js = js.replace(read, `wasm.${newName}`);
        renamed++;
      } else kept++;
      parts.push(str(newName), Buffer.from(desc));
    }
  }
  if (at !== base + body.length) fail(`${wasmPath}: section ${sec.id} was not read to its end`);
  sec.body = Buffer.concat(parts);
}

const out = [wasm.subarray(0, 8)];
for (const sec of sections) out.push(Buffer.from([sec.id]), leb(sec.body.length), sec.body);
const result = Buffer.concat(out);
if (!WebAssembly.validate(result)) fail(`${wasmPath}: the renamed module does not validate`);
fs.writeFileSync(wasmPath, result);
fs.writeFileSync(jsPath, js);
console.log(`short-names: ${wasmPath}: ${renamed} names shortened, ${kept} kept`);
