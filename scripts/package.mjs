#!/usr/bin/env node
// Assembles the npm package `accord-consent` from the build, then packs it (offline).
//
//   node scripts/package.mjs                 dist/npm/ and dist/npm/accord-consent-<v>.tgz
//   node scripts/package.mjs --out DIR       another folder (the tests use a temp one)
//   node scripts/package.mjs --no-pack       the folder only, no tarball
//   node scripts/package.mjs --from DIR      the embeddable files from DIR, not dist/accord
//
// The package is a folder of static files plus types: what a web team serves under
// /accord/ (copied as dist/accord/ holds it, no renaming, so the loader finds its files
// next to itself), `accord.d.ts` (www/accord.d.ts), the config's JSON Schema (the file
// `accordctl schema` prints) and a short README. Its version is the crate's, so a
// tarball always names the build it holds. Publishing is the insurer's business: this
// only makes the tarball `npm install` takes. No dependency, no lifecycle script.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NAME = "accord-consent";
const SCHEMA_SRC = path.join(REPO, "crates/accordctl/schema/accord-config.schema.json");
const SCHEMA = "accord-config.schema.json"; // its $id's file name, kept in the package
const TYPES_SRC = path.join(REPO, "www/accord.d.ts");
const TYPES = "accord.d.ts";

/** A refusal with its reason: printed as one line, exit 1. */
class PackageError extends Error {}
function fail(message) {
  throw new PackageError(message);
}

function parseArgs(argv) {
  const o = { out: path.join(REPO, "dist/npm"), from: path.join(REPO, "dist/accord"), pack: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--no-pack") o.pack = false;
    else if (a === "--out" || a === "--from") {
      if (!argv[i + 1]) fail(`${a} needs a folder`);
      o[a.slice(2)] = path.resolve(argv[++i]);
    } else if (a === "-h" || a === "--help") {
      console.log("usage: node scripts/package.mjs [--out DIR] [--from DIR] [--no-pack]");
      process.exit(0); // before anything is written
    } else fail(`unknown argument ${a} (usage: [--out DIR] [--from DIR] [--no-pack])`);
  }
  return o;
}

/**
 * The tables of a Cargo.toml and their string keys: enough TOML for `key = "string"`
 * and `key.workspace = true` / `key = { workspace = true }` (no dependency for a parser).
 */
function cargoTables(text) {
  const tables = {};
  let current = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const header = line.match(/^\[([^\[\]]+)\]$/);
    if (header) {
      current = tables[header[1].trim()] ??= {};
      continue;
    }
    if (line.startsWith("[[")) {
      current = null; // arrays of tables ([[bin]]): nothing read there
      continue;
    }
    if (!current) continue;
    let m = line.match(/^([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"$/);
    if (m) {
      current[m[1]] = JSON.parse(`"${m[2]}"`);
      continue;
    }
    m = line.match(/^([A-Za-z0-9_-]+)(?:\.workspace\s*=\s*true|\s*=\s*\{\s*workspace\s*=\s*true\s*\})$/);
    if (m) current[m[1]] = { workspace: true };
  }
  return tables;
}

/** `[package] key` of the root Cargo.toml, following `key.workspace = true`; undefined if absent. */
export function crateField(key, cargoText = fs.readFileSync(path.join(REPO, "Cargo.toml"), "utf8")) {
  const t = cargoTables(cargoText);
  const v = t.package?.[key];
  if (v && typeof v === "object") return t["workspace.package"]?.[key];
  return v;
}

/** The crate's version, which the package takes; throws when absent or not semver. */
export function crateVersion(cargoText) {
  const v = crateField("version", cargoText);
  if (typeof v !== "string" || !/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(v)) {
    fail(
      v === undefined
        ? "no version in Cargo.toml's [package] (nor in [workspace.package] when it says version.workspace = true)"
        : `Cargo.toml's [package] version ${JSON.stringify(v)} is not a semver version npm accepts`,
    );
  }
  return v;
}

/** Every file under `dir`, as paths relative to it with "/" separators, sorted. */
function listFiles(dir, prefix = "") {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function readme(version, repository) {
  const link = (anchor, words) => (repository ? `[${words}](${repository.replace(/\/$/, "")}#${anchor})` : `« ${words} »`);
  const embedding = link("embedding", "Embedding");
  const api = link("javascript-api-and-events", "JavaScript API and events");
  return `# accord-consent ${version}

## Français

Accord est un bandeau de consentement aux cookies pour les sites des assureurs
français : rien de ce qui demande un accord ne tourne avant l'accord, refuser est aussi
simple qu'accepter, et chaque choix est enregistré pour 13 mois au plus. Ce paquet
contient les fichiers à servir (\`accord.js\`, \`accord.css\`, le module WebAssembly de chaque page, celui des
dialogues, chargé seulement quand une personne personnalise ses choix, et celui des
formulaires, chargé seulement sur les pages qui en ont un), les
types TypeScript (\`accord.d.ts\`) et le schéma JSON de la configuration
(\`${SCHEMA}\`).

Deux façons de l'intégrer, le même résultat :

1. copier les fichiers du dossier \`dist/accord/\` de la construction sur le site,
   sous \`/accord/\` ;
2. installer ce paquet (\`npm install ./${NAME}-${version}.tgz\`, ou depuis le registre
   de l'assureur) et servir les fichiers de \`node_modules/${NAME}/\` sous \`/accord/\`.

Puis, en premier script de la page, synchrone :

\`\`\`html
<script src="/accord/accord.js" data-config="/accord/config.json"></script>
\`\`\`

En TypeScript : \`import type { AccordConfig } from "${NAME}"\` ; \`window.Accord\` et
les événements \`accord:ready\`, \`accord:change\`, \`accord:error\` sont typés (sans
import, \`"types": ["${NAME}"]\` dans \`tsconfig.json\`). Dans la configuration,
\`"$schema"\` avec le chemin de \`node_modules/${NAME}/${SCHEMA}\` depuis le fichier
fait vérifier le fichier par l'éditeur pendant la saisie ; \`accordctl check\` vérifie
en plus les règles entre champs.

Tout le reste est dans le README du dépôt d'Accord, sections ${embedding} et
${api}.

## English

Accord is a consent and cookie banner for French insurers' websites: nothing that needs
consent runs before consent, refusing is as easy as accepting, and every choice is kept
for at most 13 months. This package holds the files to serve (\`accord.js\`,
\`accord.css\`, the page's WebAssembly module, the dialogs module, fetched only when a
person customizes, and the forms module, fetched only on pages with a form), the
TypeScript types (\`accord.d.ts\`) and the
config's JSON Schema (\`${SCHEMA}\`).

Two ways to embed it, with the same result:

1. copy the files of the build's \`dist/accord/\` folder to the site, under \`/accord/\`;
2. install this package (\`npm install ./${NAME}-${version}.tgz\`, or from the insurer's
   registry) and serve the files of \`node_modules/${NAME}/\` under \`/accord/\`.

Then, as the page's first script, synchronous: the tag above.

In TypeScript: \`import type { AccordConfig } from "${NAME}"\`; \`window.Accord\` and
the \`accord:ready\`, \`accord:change\`, \`accord:error\` events are typed (with no
import, \`"types": ["${NAME}"]\` in \`tsconfig.json\`). In the config, \`"$schema"\` set
to the path of \`node_modules/${NAME}/${SCHEMA}\` from the file has the editor check it
as it is typed; \`accordctl check\` also checks the rules between fields.

Everything else is in the README of Accord's repository, sections ${embedding} and
${api}.
`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cargo = fs.readFileSync(path.join(REPO, "Cargo.toml"), "utf8");
  const version = crateVersion(cargo);

  if (!fs.existsSync(opts.from) || !fs.statSync(opts.from).isDirectory()) {
    fail(`${opts.from} missing: build first (scripts/build.sh)`);
  }
  const built = listFiles(opts.from);
  for (const need of ["accord.js", "accord.css"]) {
    if (!built.includes(need)) fail(`${opts.from} has no ${need}: build first (scripts/build.sh)`);
  }
  if (!built.some((f) => f.endsWith(".wasm"))) fail(`${opts.from} has no .wasm module: build first (scripts/build.sh)`);
  for (const f of [TYPES, SCHEMA, "README.md", "package.json"]) {
    if (built.includes(f)) fail(`${opts.from} holds a ${f}, which would clash with the package's own`);
  }

  // A fresh folder each time, so nothing of an older build is shipped; refuse to empty a
  // folder that is not one of ours.
  if (fs.existsSync(opts.out)) {
    const pj = path.join(opts.out, "package.json");
    const ours = fs.existsSync(pj) && (() => { try { return JSON.parse(fs.readFileSync(pj, "utf8")).name === NAME; } catch { return false; } })();
    if (!ours && fs.readdirSync(opts.out).length) fail(`${opts.out} exists and is not an ${NAME} package folder: not emptying it`);
    fs.rmSync(opts.out, { recursive: true, force: true });
  }
  fs.mkdirSync(opts.out, { recursive: true });

  for (const f of built) {
    fs.mkdirSync(path.dirname(path.join(opts.out, f)), { recursive: true });
    fs.copyFileSync(path.join(opts.from, f), path.join(opts.out, f));
  }
  fs.copyFileSync(TYPES_SRC, path.join(opts.out, TYPES));
  fs.copyFileSync(SCHEMA_SRC, path.join(opts.out, SCHEMA));
  const repository = crateField("repository", cargo);
  fs.writeFileSync(path.join(opts.out, "README.md"), readme(version, repository));

  const shipped = [...built, TYPES, SCHEMA];
  const exports = { ".": { types: `./${TYPES}` } };
  for (const f of shipped) exports[`./${f}`] = `./${f}`;
  exports["./package.json"] = "./package.json";
  const license = crateField("license", cargo);
  const crateDescription = crateField("description", cargo);
  const pkg = {
    name: NAME,
    version,
    description:
      "Bandeau de consentement aux cookies pour les sites des assureurs français : fichiers à servir, types, schéma de la configuration" +
      (crateDescription ? ` / ${crateDescription}` : ""),
    ...(license ? { license } : {}),
    ...(repository ? { repository } : {}),
    files: [...shipped, "README.md"],
    types: `./${TYPES}`,
    exports,
  };
  fs.writeFileSync(path.join(opts.out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");

  if (!opts.pack) {
    console.log(opts.out);
    return;
  }
  // In the folder itself (the package's `files` leaves the tarball out of the next one).
  const npm = spawnSync("npm", ["pack", "--offline", "--ignore-scripts", "--json", "--pack-destination", opts.out], {
    cwd: opts.out,
    encoding: "utf8",
  });
  if (npm.status !== 0) fail(`npm pack failed (exit ${npm.status}):\n${npm.stderr}${npm.stdout}`);
  let filename;
  try {
    filename = JSON.parse(npm.stdout)[0].filename;
  } catch {
    fail(`npm pack printed no JSON:\n${npm.stdout}`);
  }
  const tarball = path.join(opts.out, filename);
  if (!fs.existsSync(tarball)) fail(`npm pack said ${filename}, which is not in ${opts.out}`);
  console.log(tarball);
}

// Run only as a script (the tests import crateField/crateVersion).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    console.error(`package.mjs: ${e.message}`);
    process.exit(1);
  }
}
