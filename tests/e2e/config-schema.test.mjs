// The config's JSON Schema (issue 17, item 2), checked against the validator itself
// (`accordctl check`, the code the widget runs): every config it accepts validates
// against the schema, and every structural fault the schema rejects, it rejects too.
// No browser: Ajv (draft 2020-12) and the real accordctl binary.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Ajv2020 from "ajv/dist/2020.js";
import { accordctlBinary, REPO } from "../../scripts/nginx.mjs";

const SCHEMA_FILE = path.join(REPO, "crates/accordctl/schema/accord-config.schema.json");
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true, strictTypes: false }).compile(schema);
const demoText = fs.readFileSync(path.join(REPO, "www/demo/config.json"), "utf8");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-schema-"));

/** `accordctl check` on a config object: { ok, stderr }. */
function check(config) {
  const file = path.join(dir, `c${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  const out = spawnSync(accordctlBinary(), ["check", file], { encoding: "utf8" });
  return { ok: out.status === 0, stderr: out.stderr };
}

const demo = () => JSON.parse(demoText);

test("accordctl schema prints the shipped schema, a valid draft 2020-12 schema", () => {
  const out = spawnSync(accordctlBinary(), ["schema"], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), schema);
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
});

test("every config the validator accepts validates against the schema (the demo's, the test pages', with \"$schema\")", () => {
  const configs = { "www/demo/config.json": demo() };
  for (const f of fs.readdirSync(path.join(REPO, "tests/e2e/pages")).filter((f) => f.endsWith(".json"))) {
    configs[`tests/e2e/pages/${f}`] = JSON.parse(fs.readFileSync(path.join(REPO, "tests/e2e/pages", f), "utf8"));
  }
  configs["the demo with $schema"] = { $schema: schema.$id, ...demo() };
  configs["the demo with every optional field"] = {
    ...demo(),
    languages: ["fr"],
    refusal_lifetime_months: 12,
    unknown_hosts: "block",
    allowed_hosts: ["cdn.example"],
    policy: "server",
    cookie_name: "accord_x",
    internal_code: { shapes: ["CLI-######"] },
    _note: "a comment",
  };
  let accepted = 0;
  for (const [name, config] of Object.entries(configs)) {
    const c = check(config);
    // Only a test page may be invalid on purpose (exempt-invalid.json); the rest must pass.
    if (!c.ok && name.startsWith("tests/e2e/pages/")) continue;
    assert.ok(c.ok, `${name}: the validator refuses it: ${c.stderr}`);
    accepted++;
    assert.ok(validate(config), `${name}: accepted by the validator, refused by the schema: ${JSON.stringify(validate.errors, null, 1)}`);
  }
  assert.ok(accepted >= 4, `only ${accepted} configs accepted`);
});

test("every structural fault the schema rejects, the validator rejects too", () => {
  const d = demo;
  const faults = [
    ["no policy_version", () => { const c = d(); delete c.policy_version; return c; }],
    ["policy_version a number", () => ({ ...d(), policy_version: 3 })],
    ["a language not offered", () => ({ ...d(), languages: ["de"] })],
    ["no controller", () => { const c = d(); delete c.controller; return c; }],
    ["controller without contact", () => { const c = d(); delete c.controller.contact; return c; }],
    ["an unknown field", () => ({ ...d(), colour: "blue" })],
    ["an unknown controller field", () => { const c = d(); c.controller.phone = "01"; return c; }],
    ["no purposes", () => ({ ...d(), purposes: [] })],
    ["a purpose basis out of the list", () => { const c = d(); c.purposes[1].basis = "legitimate-interest"; return c; }],
    ["a purpose id with capitals", () => { const c = d(); c.purposes[1].id = "Audience"; return c; }],
    ["a title that is not an object", () => { const c = d(); c.purposes[1].title = "Audience"; return c; }],
    ["a Consent Mode signal out of the list", () => { const c = d(); c.purposes[2].google_consent_mode = ["ads"]; return c; }],
    ["a vendor without hosts", () => { const c = d(); delete c.vendors[0].hosts; return c; }],
    ["a vendor with no host", () => { const c = d(); c.vendors[0].hosts = []; return c; }],
    ["a host with a scheme", () => { const c = d(); c.vendors[1].hosts = ["https://ads.example/x"]; return c; }],
    ["a cookie over 13 months", () => { const c = d(); c.vendors[1].cookies[0].lifetime_days = 400; return c; }],
    ["a cookie lifetime that is not whole", () => { const c = d(); c.vendors[1].cookies[0].lifetime_days = 2.5; return c; }],
    ["a cookie without lifetime", () => { const c = d(); delete c.vendors[1].cookies[0].lifetime_days; return c; }],
    ["a lowercase country", () => { const c = d(); c.vendors[1].country = "us"; return c; }],
    ["a transfer basis out of the list", () => { const c = d(); c.vendors[1].transfer_basis = "consent"; return c; }],
    ["an exemption out of the list", () => { const c = d(); c.vendors[0].exemption = "analytics"; return c; }],
    ["first_party a string", () => { const c = d(); c.vendors[0].first_party = "yes"; return c; }],
    ["a choice kept 14 months", () => ({ ...d(), choice_lifetime_months: 14 })],
    ["a refusal kept 3 months", () => ({ ...d(), refusal_lifetime_months: 3 })],
    ["unknown_hosts out of the list", () => ({ ...d(), unknown_hosts: "ask" })],
    ["policy out of the list", () => ({ ...d(), policy: "edge" })],
    ["a cookie_name with a space", () => ({ ...d(), cookie_name: "my cookie" })],
    ["an internal code shape with no # @ or *", () => ({ ...d(), internal_code: { shapes: ["CLIENT"] } })],
    ["a prospection partner without country", () => ({ ...d(), prospection: { partners: [{ name: "X" }] } })],
    ["consent_log with an unknown field", () => ({ ...d(), consent_log: { endpoint: "/consent-log", retries: 3 } })],
  ];
  for (const [what, make] of faults) {
    const config = make();
    assert.equal(validate(config), false, `${what}: the schema should reject it`);
    const c = check(config);
    assert.equal(c.ok, false, `${what}: rejected by the schema, accepted by the validator`);
  }
});
