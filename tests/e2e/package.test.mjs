// The npm package and its types (issue 17, item 1): scripts/package.mjs packs dist/accord/,
// www/accord.d.ts, the config's JSON Schema and a README into accord-consent-<v>.tgz; the
// tarball installs offline; a page's TypeScript using every part of the types compiles
// under `tsc --strict`, and one with mistakes does not; the types say exactly what the
// page meets at run time (window.Accord's own properties before and after the module is
// ready, the keys of what consent(), audit() and the events give), and the config types
// have the JSON Schema's fields, required fields, enums and kinds.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { useHarness, waitFor, REPO, DIST, UI_TIMEOUT } from "./harness.mjs";
import { crateVersion } from "../../scripts/package.mjs";

const h = useHarness();

const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");
const DTS = fs.readFileSync(path.join(REPO, "www/accord.d.ts"), "utf8");
const SCHEMA_FILE = path.join(REPO, "crates/accordctl/schema/accord-config.schema.json");
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "accord-package-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.error) throw r.error;
  return r;
}

// ---------------------------------------------------------------- reading accord.d.ts
// Enough of a parser for the way accord.d.ts is written: comments stripped, then the body
// of an interface split into members at the `;` that are at its own level.

function stripComments(src) {
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = src.indexOf(c, i + 1); // the file's strings hold no escaped quote
      out += src.slice(i, end + 1);
      i = end;
    } else if (src.startsWith("//", i)) {
      i = src.indexOf("\n", i) - 1;
      if (i < 0) break;
    } else if (src.startsWith("/*", i)) {
      i = src.indexOf("*/", i) + 1;
    } else out += c;
  }
  return out;
}
const CODE = stripComments(DTS);

/** Splits `text` at `sep` where no bracket is open. */
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let cur = "";
  for (const c of text) {
    if ("{[(<".includes(c)) depth++;
    else if ("}])>".includes(c) && !(c === ">" && cur.endsWith("="))) depth--; // `=>` is no bracket
    if (c === sep && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** An interface's members: [{name, optional, method, type}] (and `extends`). */
function iface(name) {
  const m = CODE.match(new RegExp(`export interface ${name}\\b([^{]*)\\{`));
  assert.ok(m, `accord.d.ts declares no interface ${name}`);
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; depth; i++) depth += CODE[i] === "{" ? 1 : CODE[i] === "}" ? -1 : 0;
  const members = [];
  for (const stmt of splitTop(CODE.slice(start, i - 1), ";")) {
    if (stmt.startsWith("[")) {
      members.index = stmt;
      continue;
    }
    const mm = stmt.match(/^(?:readonly\s+)?([A-Za-z_$][\w$]*|"[^"]+")\s*(\?)?\s*([:(<])/);
    assert.ok(mm, `${name}: cannot read the member ${JSON.stringify(stmt)}`);
    members.push({
      name: mm[1].replace(/"/g, ""),
      optional: !!mm[2],
      method: mm[3] !== ":",
      type: mm[3] === ":" ? stmt.slice(mm[0].length).trim() : stmt,
    });
  }
  members.extends = m[1].replace(/^\s*extends\s*/, "").trim();
  return members;
}
const names = (members) => [...new Set(members.map((m) => m.name))].sort();
/** The string literals of a `type X = "a" | "b"` alias. */
function literalAlias(name) {
  const m = CODE.match(new RegExp(`export type ${name}\\s*=([^;]*);`));
  assert.ok(m, `accord.d.ts declares no type ${name}`);
  return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]).sort();
}

// ---------------------------------------------------------------- the tarball

function cargoVersion() {
  // Read here on its own (not with the script's parser): the [workspace.package] version
  // when the package inherits it, else [package]'s.
  const text = fs.readFileSync(path.join(REPO, "Cargo.toml"), "utf8");
  const table = (t) => (text.split(/^\[/m).find((s) => s.startsWith(`${t}]`)) || "");
  const pkg = table("package");
  const own = pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (own) return own[1];
  assert.match(pkg, /^version\.workspace\s*=\s*true/m, "Cargo.toml's [package] has no version");
  return table("workspace.package").match(/^version\s*=\s*"([^"]+)"/m)[1];
}

function filesUnder(dir, prefix = "") {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

let packed; // { tarball, files, pkg, unpacked }
function pack() {
  if (packed) return packed;
  const out = path.join(tmp, "npm");
  const r = run(process.execPath, [path.join(REPO, "scripts/package.mjs"), "--out", out, "--from", path.join(DIST, "accord")], { cwd: REPO });
  assert.equal(r.status, 0, `scripts/package.mjs failed:\n${r.stderr}${r.stdout}`);
  const tarball = r.stdout.trim().split("\n").at(-1);
  assert.ok(path.isAbsolute(tarball) && fs.existsSync(tarball), `package.mjs printed ${JSON.stringify(tarball)}, not a tarball's path`);
  const list = run("tar", ["tzf", tarball]);
  assert.equal(list.status, 0, list.stderr);
  const files = list.stdout.trim().split("\n").filter((f) => !f.endsWith("/")).map((f) => f.replace(/^package\//, "")).sort();
  const unpacked = path.join(tmp, "unpacked");
  fs.mkdirSync(unpacked, { recursive: true });
  assert.equal(run("tar", ["xzf", tarball, "-C", unpacked]).status, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, "package/package.json"), "utf8"));
  packed = { tarball, files, pkg, unpacked: path.join(unpacked, "package") };
  return packed;
}

test("the tarball holds dist/accord/ as built, the types, the schema, package.json and a README; version = the crate's", () => {
  const { tarball, files, pkg, unpacked } = pack();
  const built = filesUnder(path.join(DIST, "accord")).sort();
  assert.ok(built.includes("accord.js") && built.some((f) => f.endsWith(".wasm")), `dist/accord holds ${built}`);
  assert.deepEqual(files, [...built, "README.md", "accord-config.schema.json", "accord.d.ts", "package.json"].sort(), "the tarball's files");
  // The very bytes: what is served is what was built, the types and schema are the sources.
  for (const f of built) assert.ok(fs.readFileSync(path.join(unpacked, f)).equals(fs.readFileSync(path.join(DIST, "accord", f))), `${f} differs from dist/accord/${f}`);
  assert.equal(fs.readFileSync(path.join(unpacked, "accord.d.ts"), "utf8"), DTS, "accord.d.ts is www/accord.d.ts");
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(unpacked, "accord-config.schema.json"), "utf8")), schema, "the schema is accordctl's");

  const version = cargoVersion();
  assert.equal(pkg.version, version, "package.json's version is Cargo.toml's");
  assert.equal(path.basename(tarball), `accord-consent-${version}.tgz`);
  assert.equal(pkg.name, "accord-consent");
  assert.equal(pkg.types, "./accord.d.ts");
  assert.equal(pkg.license, "MIT", "the crate's license");
  assert.ok(pkg.description, "a description");
  assert.equal(pkg.dependencies, undefined, "no dependency");
  assert.equal(pkg.scripts, undefined, "no lifecycle script");

  // Every exports target exists in the tarball; every shipped file but the README is exported.
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, "")), `exports names ${t}, which the tarball lacks`);
  assert.deepEqual(pkg.exports["."], { types: "./accord.d.ts" });
  for (const f of files.filter((f) => f !== "README.md")) assert.equal(pkg.exports[`./${f}`], `./${f}`, `./${f} is exported`);

  const readme = fs.readFileSync(path.join(unpacked, "README.md"), "utf8");
  assert.ok(readme.indexOf("## Français") >= 0 && readme.indexOf("## Français") < readme.indexOf("## English"), "the README: French first, English second");
  assert.match(readme, /accord-consent-\d+\.\d+\.\d+\.tgz/);
});

test("the version comes from Cargo.toml's [package], inherited from [workspace.package] or its own; absent, a clear refusal", () => {
  assert.equal(crateVersion('[workspace.package]\nversion = "9.8.7"\n\n[package]\nname = "accord"\nversion.workspace = true\n'), "9.8.7");
  assert.equal(crateVersion('[package]\nname = "accord"\nversion = "1.2.3" # a comment\n[dependencies]\nversion = "0.0.1"\n'), "1.2.3");
  assert.throws(() => crateVersion('[package]\nname = "accord"\n[dependencies]\nversion = "1.0.0"\n'), /no version in Cargo\.toml's \[package\]/);
  assert.throws(() => crateVersion('[package]\nversion.workspace = true\n'), /no version in Cargo\.toml's \[package\]/);
  assert.throws(() => crateVersion('[package]\nversion = "one"\n'), /not a semver version/);
});

// ---------------------------------------------------------------- TypeScript

/** Installs the tarball offline into a fresh project; returns its folder. */
let project;
function installProject() {
  if (project) return project;
  const { tarball } = pack();
  project = path.join(tmp, "project");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "site", version: "1.0.0", private: true }));
  fs.copyFileSync(tarball, path.join(project, path.basename(tarball)));
  const r = run("npm", ["install", "--offline", "--no-audit", "--no-fund", `./${path.basename(tarball)}`], { cwd: project });
  assert.equal(r.status, 0, `npm install --offline failed:\n${r.stderr}${r.stdout}`);
  assert.ok(fs.existsSync(path.join(project, "node_modules/accord-consent/accord.d.ts")), "installed in node_modules/accord-consent");
  for (const f of ["sample.ts", "errors.ts"]) fs.copyFileSync(path.join(REPO, "tests/types", f), path.join(project, f));
  // The demo's config, and the test pages' configs, typed as AccordConfig as they are.
  const configs = [path.join(REPO, "www/demo/config.json")];
  const pages = path.join(REPO, "tests/e2e/pages");
  for (const f of fs.readdirSync(pages).filter((f) => f.endsWith(".json"))) {
    if ("policy_version" in JSON.parse(fs.readFileSync(path.join(pages, f), "utf8"))) configs.push(path.join(pages, f));
  }
  fs.writeFileSync(
    path.join(project, "configs.ts"),
    'import type { AccordConfig } from "accord-consent";\n' +
      configs.map((f, i) => `// ${path.relative(REPO, f)}\nexport const config${i}: AccordConfig = ${fs.readFileSync(f, "utf8")};\n`).join(""),
  );
  return project;
}

function tsc(files, resolution, extra = []) {
  const module = { bundler: "esnext", node16: "node16", node10: "commonjs" }[resolution];
  return run(process.execPath, [TSC, "--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom", "--module", module, "--moduleResolution", resolution, ...extra, ...files], {
    cwd: installProject(),
  });
}

test("tsc --strict compiles a page's code using every method, event, field and the demo's config, from the installed package", () => {
  assert.ok(fs.existsSync(TSC), "typescript is installed (npm ci)");
  assert.match(run(process.execPath, [TSC, "--version"]).stdout, /^Version 5\./);
  // bundler and node16 read `exports` ("." → types), node10 the `types` field.
  for (const resolution of ["bundler", "node16", "node10"]) {
    const r = tsc(["sample.ts", "configs.ts"], resolution);
    assert.equal(r.status, 0, `tsc (--moduleResolution ${resolution}) refused the sample:\n${r.stdout}${r.stderr}`);
  }
  // The globals with no import at all, as the package README says: `"types": ["accord-consent"]`.
  fs.writeFileSync(
    path.join(installProject(), "globals.ts"),
    'Accord.open();\ndocument.addEventListener("accord:change", (e) => console.log(e.detail.purposes));\nexport {};\n',
  );
  const g = tsc(["globals.ts"], "bundler", ["--types", "accord-consent"]);
  assert.equal(g.status, 0, `tsc --types accord-consent refused the globals:\n${g.stdout}${g.stderr}`);
});

test("tsc --strict refuses each deliberate mistake of tests/types/errors.ts, on its own line and nowhere else", () => {
  const src = fs.readFileSync(path.join(REPO, "tests/types/errors.ts"), "utf8").split("\n");
  const expected = src.map((l, i) => (/^(?!\s*\/\/).*\/\/ ERROR\b/.test(l) ? i + 1 : 0)).filter(Boolean);
  assert.ok(expected.length >= 15, `only ${expected.length} marked mistakes`);
  const r = tsc(["errors.ts"], "bundler");
  assert.notEqual(r.status, 0, "tsc accepted errors.ts: the types let mistakes through");
  const lines = [...new Set([...r.stdout.matchAll(/^errors\.ts\((\d+),\d+\): error/gm)].map((m) => +m[1]))].sort((a, b) => a - b);
  const missed = expected.filter((l) => !lines.includes(l)).map((l) => `${l}: ${src[l - 1].trim()}`);
  const extra = lines.filter((l) => !expected.includes(l)).map((l) => `${l}: ${src[l - 1].trim()}`);
  assert.deepEqual(missed, [], `mistakes tsc let through:\n${missed.join("\n")}`);
  assert.deepEqual(extra, [], `errors on lines not marked:\n${extra.join("\n")}\n${r.stdout}`);
});

// ---------------------------------------------------------------- the types against the code

test("AccordErrorCode lists exactly the ErrorCode names of crates/accord-core/src/rules.rs", () => {
  const rules = fs.readFileSync(path.join(REPO, "crates/accord-core/src/rules.rs"), "utf8");
  const codes = [...new Set([...rules.matchAll(/=\s*"(ACCORD_[A-Z_]+)"/g)].map((m) => m[1]))].sort();
  assert.ok(codes.length >= 15, `only ${codes.length} codes read from rules.rs`);
  assert.deepEqual(literalAlias("AccordErrorCode"), codes);
});

test("the config types have the JSON Schema's fields, required fields, enums and kinds, at every level", () => {
  // (d) the top level first, on its own.
  const top = iface("AccordConfig");
  assert.deepEqual(names(top), Object.keys(schema.properties).sort(), "AccordConfig's keys = the schema's top-level properties");

  const resolve = (s) => (s.$ref ? { ...resolve(schema.$defs[s.$ref.replace("#/$defs/", "")]), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) } : s);
  const aliases = (type) => type.replace(/\b(Accord[A-Za-z]+)\b/g, (m) => (CODE.includes(`export type ${m} =`) ? literalAlias(m).map((x) => `"${x}"`).join(" | ") : m));
  const literals = (type) => [...aliases(type).matchAll(/"([^"]*)"/g)].map((m) => m[1]).sort();
  const seen = new Set();

  function compare(where, objSchema, ifaceName) {
    seen.add(ifaceName);
    const members = iface(ifaceName);
    assert.deepEqual(names(members), Object.keys(objSchema.properties).sort(), `${where} (${ifaceName}): fields`);
    const required = members.filter((m) => !m.optional).map((m) => m.name).sort();
    assert.deepEqual(required, [...(objSchema.required || [])].sort(), `${where} (${ifaceName}): required fields`);
    // Comments: a `_` key is allowed where the schema has patternProperties ^_, and nothing else is.
    assert.equal(members.extends === "AccordComments", !!objSchema.patternProperties?.["^_"], `${where} (${ifaceName}): _comments`);
    assert.equal(members.index, undefined, `${where} (${ifaceName}): no other index signature (additionalProperties: false)`);
    assert.equal(objSchema.additionalProperties, false, `${where}: closed in the schema`);
    for (const m of members) {
      const p = resolve(objSchema.properties[m.name]);
      const what = `${where}.${m.name}: ${m.type}`;
      const kinds = { string: /^string$/, integer: /^number$/, boolean: /^boolean$/ };
      if (p.enum) assert.deepEqual(literals(m.type), [...p.enum].sort(), `${what}: the schema's enum`);
      else if (kinds[p.type]) assert.match(m.type, kinds[p.type], `${what}: a ${p.type}`);
      else if (p.type === "array") {
        const items = resolve(p.items);
        assert.match(m.type, /\[\]$/, `${what}: an array`);
        const item = m.type.replace(/^\((.*)\)\[\]$|\[\]$/, "$1") || m.type.slice(0, -2);
        if (items.enum) assert.deepEqual(literals(item), [...items.enum].sort(), `${what}: the items' enum`);
        else if (items.properties) compare(`${where}.${m.name}[]`, items, item);
        else assert.match(item, kinds[items.type], `${what}: items of type ${items.type}`);
      } else if (p.type === "object") compare(`${where}.${m.name}`, p, m.type);
      else assert.equal(m.type, "string", `${what}: $schema is a string, the only untyped one`);
    }
  }
  compare("config", schema, "AccordConfig");
  assert.ok(seen.size >= 10, `only ${[...seen]} compared`);
});

// ---------------------------------------------------------------- in the browser

/** The own properties of window.Accord: {methods, others} (names, sorted). */
const ownProperties = (page) =>
  page.evaluate(() => {
    const a = window.Accord;
    const all = Object.getOwnPropertyNames(a).sort();
    return { methods: all.filter((n) => typeof a[n] === "function"), others: all.filter((n) => typeof a[n] !== "function") };
  });

test("window.Accord's own properties are exactly AccordApi's members, before the module is ready and after accord:ready; the runtime shapes are the declared ones", async (t) => {
  const api = iface("AccordApi");
  const methods = names(api.filter((m) => m.method));
  const others = names(api.filter((m) => !m.method));
  assert.deepEqual(methods, ["acceptAll", "audit", "consent", "on", "open", "refuseAll", "set", "withdraw"], "the README's and SPEC §9's methods");

  const s = await h.session(t);
  // The module is held back (its wasm answered only on release) to observe the loader's
  // stand-ins; released well within the loader's 10 s.
  let release;
  const held = new Promise((r) => (release = r));
  await s.context.route("**/accord/*.wasm", async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await s.page.goto(h.url("/"), { waitUntil: "domcontentloaded" });
  const before = await ownProperties(s.page);
  const early = await s.page.evaluate(() => ({ consent: Accord.consent(), audit: Accord.audit() === undefined, pending: !window.__e2e.events.some((e) => e.type === "accord:ready") }));
  assert.ok(early.pending, "the module was not ready yet");
  assert.deepEqual(before, { methods, others }, "before the module is ready: the loader's stand-ins");
  assert.deepEqual(Object.keys(early.consent).sort(), names(iface("AccordConsentPending")), "the pending consent()'s keys");
  assert.deepEqual(early.consent, { decided: false, pending: true, purposes: {} });
  assert.ok(early.audit, "a queued audit() answers undefined, as typed");
  release();

  const ready = await waitFor(() => s.page.evaluate(() => window.__e2e.events.find((e) => e.type === "accord:ready")), { message: "accord:ready", timeout: 10_000 });
  assert.deepEqual(await ownProperties(s.page), { methods, others }, "after accord:ready: the module's methods");

  // The shapes, field by field, against the interfaces.
  const viewKeys = names(iface("AccordConsentView").filter((m) => m.name !== "pending")); // pending: declared absent
  assert.deepEqual(Object.keys(ready.detail).sort(), viewKeys, "accord:ready's detail");
  const keysOf = (v) => (v && typeof v === "object" ? Object.keys(v).sort() : v);
  const actions = literalAlias("AccordAction");
  const accepted = await s.page.evaluate(() => Accord.acceptAll());
  assert.deepEqual(keysOf(accepted), viewKeys, "acceptAll()'s answer");
  assert.ok(actions.includes(accepted.action), `action ${accepted.action} is an AccordAction`);
  assert.deepEqual(keysOf(await s.page.evaluate(() => Accord.consent())), viewKeys, "consent() once ready");

  const auditWith = (what, pick) =>
    waitFor(async () => {
      const a = await s.page.evaluate(() => Accord.audit());
      return pick(a) ? a : null;
    }, { message: what, timeout: UI_TIMEOUT });
  // After « Tout accepter » the demo's trackers load and write their cookies.
  let audit = await auditWith("audit() with hosts, cookies and tags", (a) => a.hosts.length && a.cookies.some((c) => c.vendor) && a.tags.length);
  assert.deepEqual(keysOf(audit), names(iface("AccordAudit")), "audit()'s keys");
  for (const [list, type] of [["hosts", "AccordHostAudit"], ["cookies", "AccordCookieAudit"], ["tags", "AccordTagAudit"]]) {
    for (const e of audit[list]) assert.deepEqual(keysOf(e), names(iface(type)), `audit().${list}[]'s keys`);
  }
  const tagStates = [...iface("AccordTagAudit").find((m) => m.name === "state").type.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  for (const tag of audit.tags) assert.ok(tagStates.includes(tag.state), `tag state ${tag.state} is declared`);

  await s.page.evaluate(() => Accord.withdraw());
  audit = await auditWith("audit().purged after a withdrawal", (a) => a.purged.length);
  for (const p of audit.purged) {
    assert.deepEqual(keysOf(p), names(iface("AccordPurgeAudit")), "audit().purged[]'s keys");
    assert.ok(["withdrawn", "lapsed"].includes(p.reason), p.reason);
  }
  // csp_blocked needs a server-sent CSP (the header mode): its entries are checked when present.
  for (const c of audit.csp_blocked) assert.deepEqual(keysOf(c), names(iface("AccordCspAudit")), "audit().csp_blocked[]'s keys");

  // accord:error's detail, from the module (the loader's lacks `errors`, declared optional).
  const error = await s.page.evaluate(() => {
    const got = new Promise((ok) => Accord.on("error", ok));
    Accord.set({ pas_une_finalite: true });
    return got;
  });
  assert.deepEqual(keysOf(error), names(iface("AccordErrorDetail")), "accord:error's detail");
  assert.ok(literalAlias("AccordErrorCode").includes(error.code), error.code);
  const change = await s.page.evaluate(() => window.__e2e.events.filter((e) => e.type === "accord:change").at(-1));
  assert.deepEqual(keysOf(change.detail), viewKeys, "accord:change's detail");
});
