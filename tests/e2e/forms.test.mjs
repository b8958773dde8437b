// Forms (issue 5, SPEC §7): the prospection block Accord renders inside the insurer's own
// forms (www/demo/souscription.html and concours.html), the sensitive fields it keeps out of
// the submission until their own box is ticked, the internal-code guard, and that nothing
// typed in a form reaches a tracker, a URL, a cookie or the console.
//
// The demo forms post to `POST /demo/recu` on the site server (scripts/serve.mjs), which
// records every submission in `h.servers.forms` ({ path, fields, time, contentType }; a file
// part is { filename }) and answers a « Demande reçue » page showing what it received.
//
// Every rendered checkbox is identified by its label, against the wording table of the Rust
// core (crates/accord-core/src/prospection.rs, `fn wording`), read when this file loads: the tests follow
// the wording, and a label that matches no box of the table fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  useHarness,
  NAMES,
  DIST,
  REPO,
  QUIET_MS,
  UI_TIMEOUT,
  sleep,
  waitFor,
  button,
  banner,
  expectVisible,
  expectHidden,
} from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;

const SUBSCRIPTION = "/demo/souscription.html";
const CONTEST = "/demo/concours.html";
const RECEIVER = "/demo/recu";
const SUBMIT = { subscription: "Valider ma demande", contest: "Participer" };

const LEGEND_FR = "Vos choix pour recevoir nos offres";
const CONTEST_NOTE_FR = "Ces cases sont facultatives : votre participation au jeu ne dépend pas de vos choix.";
const CONTROLLER = "Mutuelle Exemple SA";

/**
 * The boxes of the block (prospection.rs `boxes()`): a prospect, a non-analogous product,
 * one box per channel (issue 13: e-mail, SMS/MMS, automated calls and fax apart) and the
 * demo insurer's e-mails carry an opening pixel (`prospection.email_open_tracking`), so
 * its own box follows the e-mail one (CNIL 2026-042).
 */
const SUBSCRIPTION_BOXES = ["email", "email_open_tracking", "sms_mms", "automated_call", "fax", "post_phone", "partners_email_phone", "partners_postal_phone", "partners_identity"];
/**
 * Accord 0.1's combined keys, still in the payload, derived from the split boxes so that a
 * server reading only them does nothing the person did not allow: an opt-in key is true
 * only when every part is ticked, an opposition key when any part is.
 */
const LEGACY = {
  email_sms_mms: { regime: "opt_in", parts: ["email", "sms_mms"] },
  email_sms_mms_analogous: { regime: "opposition", parts: ["email_analogous", "sms_mms_analogous"] },
  automated_call_fax: { regime: "opt_in", parts: ["automated_call", "fax"] },
};
/** A contest form says neither audience nor product: the safe default, email opt-in. */
const CONTEST_BOXES = SUBSCRIPTION_BOXES;
/** The boxes Accord renders next to the page's sensitive fields. */
const SENSITIVE = { syndicat: "sensitive_union", photo: "photo" };

/** A NIR with its right key (97 - 1841276451089 mod 97 = 46). */
const NIR = "1 84 12 76 451 089 46";
/** A Luhn-valid 16-digit card number (4970 1012 3456 7890 is not Luhn-valid; 7893 is). */
const CARD = "4970 1012 3456 7893";
const CLIENT_CODE = "CLI-2024-00042";

/** What the person types in the subscription form (distinctive, to be searched for in test e). */
const PERSON = {
  prenom: "Ysaline",
  nom: "Quentel-Marivaux",
  email: "ysaline.quentel@exemple-e2e.fr",
  telephone: "06 12 34 56 78",
  adresse: "17 allée des Tilleuls",
  code_postal: "29300",
  ville: "Quimperlé",
  immatriculation: "GK-482-TZ",
  date_permis: "2015-06-30",
  code_client: CLIENT_CODE,
};
/** The fields the subscription form submits when its sensitive fields stay locked. */
const SUBSCRIPTION_FIELDS = [...Object.keys(PERSON), "accord_prospection"].sort();
const ENTRANT = { prenom: "Gaëtan", nom: "Lescoat", email: "gaetan.lescoat@exemple-e2e.fr" };
const CONTEST_FIELDS = [...Object.keys(ENTRANT), "reponse", "accord_prospection"].sort();

const PAYLOAD_KEYS = ["choices", "form", "format", "notice_version", "partners_to_notify", "timestamp"];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

// ------------------------------------------------------------------ the core's wording

/** [{ channel, regime, id, fr, en }] from crates/accord-core/src/prospection.rs, fn wording. */
const WORDING = (() => {
  const src = fs.readFileSync(path.join(REPO, "crates/accord-core/src/prospection.rs"), "utf8");
  const start = src.indexOf("fn wording(");
  const end = src.indexOf("fn spec(", start);
  assert.ok(start >= 0 && end > start, "crates/accord-core/src/prospection.rs: fn wording not found");
  const unescape = (s) => s.replace(/\\(.)/g, "$1");
  const re = /\(\s*C::(\w+)\s*,\s*(OptIn|Opposition)\s*\)\s*=>\s*\(\s*"([a-z0-9_]+)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*,?\s*\)/g;
  const rows = [...src.slice(start, end).matchAll(re)].map((m) => ({
    channel: m[1],
    regime: m[2] === "OptIn" ? "opt_in" : "opposition",
    id: m[3],
    fr: unescape(m[4]),
    en: unescape(m[5]),
  }));
  // 17 channels, e-mail and SMS/MMS (and the 0.1 combined box) under both regimes.
  assert.ok(rows.length >= 20, `crates/accord-core/src/prospection.rs: only ${rows.length} boxes read from fn wording (the pattern no longer matches)`);
  return rows;
})();

/** Whitespace collapsed (no-break spaces included), typographic apostrophes made straight. */
const norm = (s) => String(s ?? "").replace(/[\u2019\u02bc]/g, "'").replace(/\s+/g, " ").trim();

/** The core's box whose French label this rendered label is (exactly, or followed by more text). */
function boxOfLabel(label) {
  const l = norm(label);
  return (
    WORDING.find((w) => norm(w.fr) === l) ||
    WORDING.find((w) => l.startsWith(norm(w.fr).replace(/\.$/, ""))) ||
    null
  );
}

// ------------------------------------------------------------------ page helpers

function config() {
  return JSON.parse(fs.readFileSync(path.join(DIST, "demo/config.json"), "utf8"));
}

/**
 * A fresh session on `p` with every request of the context recorded in `s.all`
 * ({ url, method, postData, headers, resourceType }), the banner answered (`decide`:
 * "reject" or "accept") and the prospection block rendered.
 */
async function open(t, p, { decide = "reject" } = {}) {
  const file = path.join(DIST, p);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(REPO, file)} missing: rebuild (trunk build --release) so that www${p} is copied to dist/`);
  }
  h.servers.clearForms();
  const s = await h.session(t);
  s.all = [];
  s.context.on("request", (req) => {
    let postData = null;
    try {
      postData = req.postData();
    } catch {
      /* binary body */
    }
    s.all.push({ url: req.url(), method: req.method(), postData, headers: req.headers(), resourceType: req.resourceType() });
  });
  await s.goto(p);
  await expectVisible(banner(s.page), "the consent banner on a fresh visit");
  await button(s.page, decide === "accept" ? fr.acceptAll : fr.rejectAll).click();
  await expectHidden(banner(s.page), "the banner after the decision");
  await waitForBlock(s.page);
  return s;
}

async function waitForBlock(page) {
  await expectVisible(
    page.locator("form fieldset.accord-prospection"),
    'the prospection block (<fieldset class="accord-prospection"> rendered by Accord inside the form, from <div data-accord-form>)',
  );
}

/** Every checkbox of the page's form, with its label, state and whether it is in the block. */
async function formCheckboxes(page) {
  const raw = await page.locator("form").first().evaluate((form) => {
    const textOf = (ids) =>
      ids
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent || "")
        .join(" ");
    const labelOf = (cb) => {
      if (cb.getAttribute("aria-labelledby")) return textOf(cb.getAttribute("aria-labelledby"));
      if (cb.labels && cb.labels.length) return [...cb.labels].map((l) => l.textContent).join(" ");
      return cb.getAttribute("aria-label") || "";
    };
    return [...form.querySelectorAll('input[type="checkbox"]')].map((cb, index) => ({
      index,
      label: labelOf(cb),
      inBlock: !!cb.closest("fieldset.accord-prospection"),
      name: cb.getAttribute("name"),
      checked: cb.checked,
      defaultChecked: cb.defaultChecked,
      required: cb.required,
      ariaRequired: cb.getAttribute("aria-required"),
      disabled: cb.disabled,
      dataBox: cb.getAttribute("data-accord-box"),
    }));
  });
  return raw.map((b) => {
    const w = boxOfLabel(b.label);
    return { ...b, label: norm(b.label), id: w ? w.id : null, regime: w ? w.regime : null };
  });
}

/** The rendered checkboxes, every one of them identified, each with the expected properties. */
function checkDefaults(boxes, where) {
  assert.ok(boxes.length > 0, `${where}: no checkbox in the form`);
  for (const b of boxes) {
    assert.ok(b.id, `${where}: checkbox #${b.index} "${b.label}" is no box of crates/accord-core/src/prospection.rs`);
    if (b.dataBox !== null) assert.equal(b.dataBox, b.id, `${where}: "${b.label}" carries data-accord-box="${b.dataBox}"`);
    assert.ok(/^J'accepte /.test(b.label) || /^Je m'oppose à /.test(b.label), `${where}: "${b.label}" starts with neither « J'accepte » nor « Je m'oppose à »`);
    assert.equal(b.regime, /^J'accepte /.test(b.label) ? "opt_in" : "opposition", `${where}: "${b.label}": wording and regime disagree`);
    assert.equal(b.checked, false, `${where}: "${b.label}" is checked by default`);
    assert.equal(b.defaultChecked, false, `${where}: "${b.label}" has the checked attribute`);
    assert.equal(b.required, false, `${where}: "${b.label}" is required`);
    assert.notEqual(b.ariaRequired, "true", `${where}: "${b.label}" is aria-required`);
    assert.equal(b.name, null, `${where}: "${b.label}" has name="${b.name}": the boxes are not submitted themselves, only accord_prospection is`);
  }
  const ids = boxes.map((b) => b.id);
  assert.equal(new Set(ids).size, ids.length, `${where}: a box is rendered twice: ${ids.join(", ")}`);
}

const checkbox = (page, index) => page.locator("form").first().locator('input[type="checkbox"]').nth(index);

async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) await page.locator(`form [name="${name}"]`).fill(value);
}

/** Clicks the submit button, waits for the one POST /demo/recu and the « Demande reçue » page. */
async function submitAndReceive(page, kind) {
  const t0 = Date.now();
  await page.getByRole("button", { name: SUBMIT[kind], exact: true }).click();
  const entry = await waitFor(() => h.servers.forms[0], { timeout: UI_TIMEOUT, message: `the ${kind} form's POST ${RECEIVER} (none received)` });
  await page.waitForURL(h.url(RECEIVER));
  await expectVisible(page.getByRole("heading", { name: "Demande reçue", exact: true }), "the receiver's page");
  await sleep(200);
  assert.equal(h.servers.forms.length, 1, `one submission expected, ${h.servers.forms.length} received`);
  assert.equal(entry.path, RECEIVER);
  return { entry, t0, t1: Date.now() };
}

/** The parsed accord_prospection of a submission. */
function payloadOf(entry) {
  const raw = entry.fields.accord_prospection;
  assert.equal(typeof raw, "string", `accord_prospection missing or repeated in the submission: ${JSON.stringify(entry.fields)}`);
  try {
    return JSON.parse(raw);
  } catch (err) {
    assert.fail(`accord_prospection is not JSON (${err.message}): ${raw}`);
  }
}

/**
 * The payload against the contract: its keys, format 1, the form kind, the notice version of
 * the config, a timestamp taken at submit, one explicit { regime, checked } per rendered box
 * (true exactly for `ticked`) and nothing else, and the partners to notify.
 */
function checkPayload(p, { form, boxes, ticked, t0, t1 }) {
  assert.deepEqual(Object.keys(p).sort(), PAYLOAD_KEYS, `payload keys: ${JSON.stringify(p)}`);
  assert.equal(p.format, 1);
  assert.equal(p.form, form);
  const c = config();
  assert.equal(p.notice_version, c.prospection?.notice_version ?? c.policy_version, "notice_version: the config's prospection.notice_version, else its policy_version");
  assert.match(p.timestamp, ISO, "timestamp: an ISO 8601 date-time");
  const ts = Date.parse(p.timestamp);
  assert.ok(ts >= t0 - 1000 && ts <= t1 + 1000, `timestamp ${p.timestamp} is not the time of the submit (${new Date(t0).toISOString()} .. ${new Date(t1).toISOString()})`);
  assert.ok(p.choices && typeof p.choices === "object" && !Array.isArray(p.choices), "choices: an object");
  const ids = boxes.map((b) => b.id);
  const legacy = Object.entries(LEGACY).filter(([, l]) => l.parts.every((x) => ids.includes(x)));
  assert.deepEqual(Object.keys(p.choices).sort(), [...ids, ...legacy.map(([k]) => k)].sort(), "choices: exactly the rendered boxes, and the 0.1 keys derived from them");
  for (const b of boxes) {
    assert.deepEqual(p.choices[b.id], { regime: b.regime, checked: ticked.includes(b.id) }, `choices.${b.id} ("${b.label}")`);
  }
  for (const [key, l] of legacy) {
    const on = l.parts.map((x) => ticked.includes(x));
    const checked = l.regime === "opt_in" ? on.every(Boolean) : on.some(Boolean);
    assert.deepEqual(p.choices[key], { regime: l.regime, checked, derived_from: l.parts }, `choices.${key}, derived from ${l.parts.join(" and ")}`);
  }
  assert.ok(Array.isArray(p.partners_to_notify), "partners_to_notify: an array");
  for (const name of p.partners_to_notify) assert.ok(typeof name === "string" && name.trim(), `partners_to_notify: ${JSON.stringify(p.partners_to_notify)}`);
  for (const partner of c.prospection?.partners ?? []) {
    assert.ok(p.partners_to_notify.includes(partner.name), `partners_to_notify lacks the config's partner "${partner.name}": ${JSON.stringify(p.partners_to_notify)}`);
  }
}

/** The submit-relative position of the block and of each sensitive box. */
async function positions(page) {
  return page.locator("form").first().evaluate((form) => {
    const after = (a, b) => !!(a && b && a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    const block = form.querySelector("fieldset.accord-prospection");
    const submit = form.querySelector('button[type="submit"], button:not([type]), input[type="submit"]');
    const boxes = [...form.querySelectorAll('input[type="checkbox"]')].filter((cb) => !cb.closest("fieldset.accord-prospection"));
    return {
      blockBeforeSubmit: after(block, submit),
      hidden: [...form.querySelectorAll('[name="accord_prospection"]')].map((el) => ({ tag: el.tagName.toLowerCase(), type: el.getAttribute("type") })),
      // For each sensitive box: the named field right before it and the next named field after it.
      sensitive: boxes.map((cb) => {
        const named = [...form.querySelectorAll("[name]")];
        const before = named.filter((el) => after(el, cb)).pop();
        const next = named.find((el) => after(cb, el));
        return { before: before?.getAttribute("name") ?? null, next: next?.getAttribute("name") ?? null };
      }),
    };
  });
}

// ------------------------------------------------------------------ a. subscription

test("a. subscription: unchecked, optional, « J'accepte » / « Je m'oppose à » boxes, the notice, and the payload the insurer receives", async (t) => {
  const s = await open(t, SUBSCRIPTION);
  const { page } = s;

  const legend = norm(await page.locator("form fieldset.accord-prospection > legend").first().textContent());
  assert.equal(legend, LEGEND_FR, "the block's legend");
  const pos = await positions(page);
  assert.ok(pos.blockBeforeSubmit, "the block comes before the submit button");
  assert.deepEqual(pos.hidden, [{ tag: "input", type: "hidden" }], 'exactly one <input type="hidden" name="accord_prospection"> in the form');

  const boxes = await formCheckboxes(page);
  checkDefaults(boxes, "subscription");
  const listed = boxes.filter((b) => b.inBlock);
  assert.deepEqual(listed.map((b) => b.id).sort(), [...SUBSCRIPTION_BOXES].sort(), "the block's boxes (prospect, non-analogous product: email is opt-in)");
  assert.ok(listed.some((b) => b.regime === "opt_in") && listed.some((b) => b.regime === "opposition"), "the block has both opt-in and opposition boxes");
  assert.deepEqual(boxes.filter((b) => !b.inBlock).map((b) => b.id).sort(), Object.values(SENSITIVE).sort(), "the sensitive boxes next to the union and photo fields");

  const notice = page.locator("aside.accord-form-notice");
  await expectVisible(notice, '<aside class="accord-form-notice">');
  const text = norm(await notice.first().textContent());
  const c = config();
  // The rights, as nouns (« droit d'accès ») or in plain verbs (« vous pouvez accéder … »).
  const NOTICE = [
    ["the controller", new RegExp(CONTROLLER)],
    ["the right of access", /\baccès\b|\baccéder\b/i],
    ["the right of rectification", /rectification|rectifier/i],
    ["the right to object", /droit d'opposition|vous opposer|s'opposer/i],
    ["free of charge", /gratuit/i],
    ["at any time", /à tout moment/i],
    ["how to use them (the controller's contact)", new RegExp(c.controller.contact.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))],
    // issue 13 item 7, NS 56 « Information et droits des personnes »
    ["the purposes", new RegExp(`Utilisation : ${c.prospection.purposes.fr.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)],
    ["the transfers outside the EU", /Transferts hors de l'Union européenne : .*Courtage Partenaire Inc\. \(US\) — Clauses contractuelles types/],
    ["the right to erasure", /effacer|effacement/i],
    ["the right to complain to the CNIL", /réclamation à la CNIL/],
    ["how long a prospect's data are kept (3 years from collection or the last contact)", /3 ans après leur collecte ou votre dernier contact/],
  ];
  for (const [what, re] of NOTICE) assert.match(text, re, `the notice does not state ${what}: ${text}`);
  const BASIS = { scc: /clauses contractuelles types/i, adequacy: /adéquation/i, bcr: /règles d'entreprise contraignantes/i };
  for (const partner of c.prospection?.partners ?? []) {
    assert.ok(text.includes(partner.name), `the notice does not name the partner « ${partner.name} »: ${text}`);
    if (BASIS[partner.transfer_basis]) assert.match(text, BASIS[partner.transfer_basis], `the notice does not give the transfer basis of « ${partner.name} » (${partner.transfer_basis})`);
  }

  await fill(page, PERSON);
  // One opt-in, one opposition; e-mail accepted and SMS left unticked (GDPR recital 43:
  // consent is specific), the open-tracking box left unticked (CNIL 2026-042).
  const ticked = ["email", "post_phone"];
  for (const id of ticked) await checkbox(page, boxes.find((b) => b.id === id).index).check();
  assert.deepEqual(
    (await formCheckboxes(page)).filter((b) => b.checked).map((b) => b.id).sort(),
    [...ticked].sort(),
    "exactly the two boxes ticked",
  );

  const { entry, t0, t1 } = await submitAndReceive(page, "subscription");
  assert.deepEqual(Object.keys(entry.fields).sort(), SUBSCRIPTION_FIELDS, "the submitted fields: the page's own, plus accord_prospection (no checkbox, no locked sensitive field)");
  for (const [name, value] of Object.entries(PERSON)) assert.equal(entry.fields[name], value, `field ${name}`);
  assert.ok(!Object.values(entry.fields).includes("on"), "a checkbox was submitted (value \"on\")");
  const p = payloadOf(entry);
  checkPayload(p, { form: "subscription", boxes, ticked, t0, t1 });
  assert.equal(Object.values(p.choices).filter((c) => c.checked).length, 2);
  const emailBox = listed.find((b) => b.id === "email");
  const pixelBox = listed.find((b) => b.id === "email_open_tracking");
  assert.ok(emailBox && pixelBox && pixelBox.index === emailBox.index + 1, "the opening-pixel box is its own, right after the e-mail box");
  assert.deepEqual(p.choices.email, { regime: "opt_in", checked: true }, "e-mail accepted");
  assert.deepEqual(p.choices.sms_mms, { regime: "opt_in", checked: false }, "SMS refused");
  assert.deepEqual(p.choices.email_open_tracking, { regime: "opt_in", checked: false }, "opening pixel refused, apart from e-mail");
  assert.equal(p.choices.email_sms_mms.checked, false, "the 0.1 key: no consent to « e-mail, SMS or MMS » without SMS");
  assert.equal(p.choices.post_phone.regime, "opposition");

  // What a person sees: the receiver's page shows the same payload, pretty-printed.
  const shown = JSON.parse(await page.locator("pre").first().textContent());
  assert.deepEqual(shown, p, "the « Demande reçue » page shows the received accord_prospection");
});

// ------------------------------------------------------------------ b. contest

test("b. contest: submits at once with every box unticked; every choice false; form \"contest\"", async (t) => {
  const s = await open(t, CONTEST);
  const { page } = s;

  const block = page.locator("form fieldset.accord-prospection").first();
  assert.ok(norm(await block.textContent()).includes(CONTEST_NOTE_FR), `the contest note « ${CONTEST_NOTE_FR} » is missing from the block`);
  const boxes = await formCheckboxes(page);
  checkDefaults(boxes, "contest");
  assert.deepEqual(boxes.map((b) => b.id).sort(), [...CONTEST_BOXES].sort(), "the contest block's boxes (no audience/product: email opt-in)");
  assert.ok(boxes.every((b) => b.inBlock), "a contest form has no box outside the block");

  await fill(page, ENTRANT);
  await page.getByRole("radio", { name: "1948", exact: true }).check();
  // Nothing ticked: the entry goes through on the first click.
  const { entry, t0, t1 } = await submitAndReceive(page, "contest");
  assert.deepEqual(Object.keys(entry.fields).sort(), CONTEST_FIELDS, "the submitted fields");
  for (const [name, value] of Object.entries(ENTRANT)) assert.equal(entry.fields[name], value, `field ${name}`);
  assert.equal(entry.fields.reponse, "1948");
  const p = payloadOf(entry);
  checkPayload(p, { form: "contest", boxes, ticked: [], t0, t1 });
  assert.ok(Object.values(p.choices).every((c) => c.checked === false), "every choice false");
});

// ------------------------------------------------------------------ c. the guard

test("c. guard: a NIR and a card number as client code are refused inline and block the submit; a client code passes", async (t) => {
  const s = await open(t, SUBSCRIPTION);
  const { page } = s;
  const code = page.locator('form [name="code_client"]');
  const message = page.locator("p.accord-guard-error");
  const state = () =>
    code.evaluate((el) => {
      const next = el.nextElementSibling;
      return {
        invalid: el.getAttribute("aria-invalid"),
        describedby: (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean),
        valid: el.checkValidity(),
        customError: el.validity.customError,
        nextIsMessage: !!next && next.matches("p.accord-guard-error"),
        messageId: document.querySelector("p.accord-guard-error")?.id || null,
      };
    });
  const blocked = async (what) => {
    await page.getByRole("button", { name: SUBMIT.subscription, exact: true }).click();
    await sleep(QUIET_MS);
    assert.equal(h.servers.forms.length, 0, `${what}: the form reached the server`);
    assert.equal(page.url(), h.url(SUBSCRIPTION), `${what}: the page navigated away`);
  };

  await fill(page, { ...PERSON, code_client: NIR });
  await code.blur();
  await expectVisible(message, "the guard's message for a NIR");
  assert.match(norm(await message.first().textContent()), /sécurité sociale/, "the NIR message says why");
  let st = await state();
  assert.equal(st.invalid, "true", "aria-invalid for a NIR");
  assert.ok(st.messageId && st.describedby.includes(st.messageId), `aria-describedby (${st.describedby.join(" ")}) points to the message (id ${st.messageId})`);
  assert.ok(st.nextIsMessage, "the message comes right after the field");
  assert.ok(!st.valid && st.customError, "the field's custom validity is set");
  await blocked("a NIR");

  await code.fill(CARD);
  await code.blur();
  await waitFor(async () => /carte bancaire/.test(norm(await message.first().textContent().catch(() => ""))), { message: "the guard's message for a card number mentions « carte bancaire »" });
  assert.doesNotMatch(norm(await message.first().textContent()), /sécurité sociale/, "the message follows the new value");
  st = await state();
  assert.equal(st.invalid, "true", "aria-invalid for a card number");
  assert.ok(!st.valid && st.customError, "the field's custom validity is set for a card number");
  await blocked("a card number");

  await code.fill(CLIENT_CODE);
  await code.blur();
  await expectHidden(message, "the guard's message after a valid client code");
  st = await state();
  assert.notEqual(st.invalid, "true", "aria-invalid cleared");
  assert.ok(st.valid && !st.customError, "the custom validity is cleared");
  assert.ok(st.describedby.includes("code_client-aide"), `the page's own description of the field is kept (aria-describedby: ${st.describedby.join(" ") || "none"})`);
  // Issue 13 item 8: a code of the shape the config declares (internal_code.shapes,
  // "CLI-******") passes, though without its hyphen it would look like a 2021 identity
  // card number.
  for (const value of ["CLI-8R5T2W", "cli 8r5t2w", CLIENT_CODE]) {
    await code.fill(value);
    await code.blur();
    await expectHidden(message, `the guard's message after the client code ${value}`);
    st = await state();
    assert.ok(st.valid && !st.customError, `${value}: the custom validity is cleared`);
  }
  const { entry } = await submitAndReceive(page, "subscription");
  assert.equal(entry.fields.code_client, CLIENT_CODE);
});

test("c2. guard without declared shapes: a hyphenated code passes, a 2021 identity-card number is refused", async (t) => {
  let served = 0;
  h.servers.clearForms();
  const s = await h.session(t);
  await s.context.route("**/demo/config.json", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    delete json.internal_code;
    served++;
    await route.fulfill({ response, json });
  });
  const { page } = s;
  await s.goto(SUBSCRIPTION);
  await button(page, fr.rejectAll).click();
  await waitForBlock(page);
  assert.ok(served >= 1, "test setup: the config without internal_code was never requested");
  const code = page.locator('form [name="code_client"]');
  const message = page.locator("p.accord-guard-error");
  await code.fill("X4RTBPFW4");
  await code.blur();
  await expectVisible(message, "the guard's message for a 2021 identity-card number");
  assert.match(norm(await message.first().textContent()), /carte d'identité/);
  // A 2021 card number is printed with no separator: a hyphen inside makes it a code.
  await code.fill("CLI-8R5T2W");
  await code.blur();
  await expectHidden(message, "the guard's message after CLI-8R5T2W");
  await fill(page, { ...PERSON, code_client: "CLI-8R5T2W" });
  const { entry } = await submitAndReceive(page, "subscription");
  assert.equal(entry.fields.code_client, "CLI-8R5T2W", "the subscription with CLI-8R5T2W is sent");
});

// ------------------------------------------------------------------ d. sensitive fields

test("d. sensitive: the union and photo fields are disabled and left out until their own box is ticked", async (t) => {
  const s = await open(t, SUBSCRIPTION);
  const { page } = s;
  const union = page.locator('form [name="syndicat"]');
  const photo = page.locator('form [name="photo"]');
  await waitFor(async () => (await union.isDisabled()) && (await photo.isDisabled()), { message: "the union and photo fields disabled by Accord" });

  let boxes = await formCheckboxes(page);
  checkDefaults(boxes, "subscription");
  const sensitive = boxes.filter((b) => !b.inBlock);
  assert.deepEqual(sensitive.map((b) => b.id).sort(), Object.values(SENSITIVE).sort(), "one box per sensitive field");
  for (const b of sensitive) assert.equal(b.regime, "opt_in", `${b.id} is an opt-in box`);
  // Each box right after its own field (before the next field of the form).
  const pos = await positions(page);
  const byBox = Object.fromEntries(sensitive.map((b, i) => [b.id, pos.sensitive[i]]));
  assert.equal(byBox.sensitive_union.before, "syndicat", "the union box follows the union field");
  assert.equal(byBox.sensitive_union.next, "photo", "the union box comes before the next field");
  assert.equal(byBox.photo.before, "photo", "the photo box follows the photo field");

  // A value sits in the locked field (as if restored by the browser): it must not be sent.
  await union.evaluate((el) => {
    el.value = "CFDT";
  });
  await fill(page, PERSON);
  let r = await submitAndReceive(page, "subscription");
  assert.ok(!("syndicat" in r.entry.fields), `the locked union field was submitted: ${JSON.stringify(r.entry.fields.syndicat)}`);
  assert.ok(!("photo" in r.entry.fields), "the locked photo field was submitted");
  assert.deepEqual(Object.keys(r.entry.fields).sort(), SUBSCRIPTION_FIELDS);
  let p = payloadOf(r.entry);
  checkPayload(p, { form: "subscription", boxes, ticked: [], t0: r.t0, t1: r.t1 });

  // Tick the union box: the field opens, its value goes with the form, the photo stays locked.
  h.servers.clearForms();
  await s.goto(SUBSCRIPTION);
  await waitForBlock(page);
  boxes = await formCheckboxes(page);
  await waitFor(() => union.isDisabled(), { message: "the union field locked again on a new page" });
  await checkbox(page, boxes.find((b) => b.id === "sensitive_union").index).check();
  await waitFor(async () => !(await union.isDisabled()), { message: "the union field enabled once its box is ticked" });
  assert.ok(await photo.isDisabled(), "the photo field stays disabled: its own box is not ticked");
  await union.fill("CFDT");
  await fill(page, PERSON);
  r = await submitAndReceive(page, "subscription");
  assert.equal(r.entry.fields.syndicat, "CFDT", "the union field is submitted once its box is ticked");
  assert.ok(!("photo" in r.entry.fields), "the photo field stays out");
  p = payloadOf(r.entry);
  checkPayload(p, { form: "subscription", boxes, ticked: ["sensitive_union"], t0: r.t0, t1: r.t1 });
  assert.deepEqual(p.choices.sensitive_union, { regime: "opt_in", checked: true });

  // Tick the photo box: the file goes with the form (multipart), the union field stays locked.
  h.servers.clearForms();
  await s.goto(SUBSCRIPTION);
  await waitForBlock(page);
  boxes = await formCheckboxes(page);
  await waitFor(() => photo.isDisabled(), { message: "the photo field locked again on a new page" });
  await checkbox(page, boxes.find((b) => b.id === "photo").index).check();
  await waitFor(async () => !(await photo.isDisabled()), { message: "the photo field enabled once its box is ticked" });
  await photo.setInputFiles({ name: "ma-photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]) });
  await fill(page, PERSON);
  r = await submitAndReceive(page, "subscription");
  assert.deepEqual(r.entry.fields.photo, { filename: "ma-photo.jpg" }, "the photo is submitted once its box is ticked");
  assert.ok(!("syndicat" in r.entry.fields), "the union field stays out");
  p = payloadOf(r.entry);
  checkPayload(p, { form: "subscription", boxes, ticked: ["photo"], t0: r.t0, t1: r.t1 });
});

// ------------------------------------------------------------------ e. nothing to trackers

test("e. nothing of the form reaches a tracker, a URL, a cookie, storage or the console, even with every tracker accepted", async (t) => {
  const s = await open(t, SUBSCRIPTION, { decide: "accept" });
  const { page } = s;
  // The trackers are live on this page: a leak would be seen.
  await waitFor(() => h.trackerHits("audience", "/m.js").length > 0 && h.trackerHits("advertising", "/ads.js").length > 0, {
    message: "the audience and advertising trackers loaded after « Tout accepter »",
  });

  await fill(page, PERSON);
  const boxes = await formCheckboxes(page);
  await checkbox(page, boxes.find((b) => b.id === "email").index).check();
  const before = page.url();
  const { entry } = await submitAndReceive(page, "subscription");
  assert.equal(entry.fields.email, PERSON.email);
  await sleep(QUIET_MS); // late beacons (unload, timers) included

  const needles = [PERSON.email, PERSON.nom, PERSON.prenom, PERSON.code_client, PERSON.telephone, PERSON.telephone.replace(/\s/g, ""), PERSON.adresse, PERSON.immatriculation].map((n) => n.toLowerCase());
  const variants = (s) => {
    const out = [String(s ?? "")];
    for (const f of [(x) => decodeURIComponent(x), (x) => decodeURIComponent(x.replace(/\+/g, " "))]) {
      try {
        out.push(f(out[0]));
      } catch {
        /* not URI-encoded */
      }
    }
    return out.map((x) => x.toLowerCase());
  };
  const leaks = (where, text) => {
    const found = needles.filter((n) => variants(text).some((v) => v.includes(n)));
    return found.length ? [`${where}: ${found.join(", ")} in ${String(text).slice(0, 300)}`] : [];
  };
  const found = [];

  // The tracker servers: URL, query, cookies and referer of every hit.
  assert.ok(h.servers.log.length > 0, "the tracker servers logged the trackers' requests");
  for (const hit of h.servers.log) found.push(...leaks(`tracker ${hit.vendor} ${hit.method} ${hit.path}`, `${hit.path}${hit.query} cookie=${hit.cookie} referer=${hit.referer}`));

  // Every request the browser made (any origin), but the form's own POST to the insurer.
  const formPost = s.all.filter((r) => r.method === "POST" && new URL(r.url).pathname === RECEIVER);
  assert.equal(formPost.length, 1, "the browser made one POST to the receiver");
  assert.ok(String(formPost[0].postData ?? "").includes(PERSON.email), "the search sees the typed values in a request body (the form's own POST)");
  for (const r of s.all) {
    if (r === formPost[0]) continue;
    found.push(...leaks(`request ${r.method} ${r.url}`, `${r.url} ${r.postData ?? ""} ${JSON.stringify(r.headers)}`));
  }
  found.push(...leaks("form page URL at submit", before), ...leaks("page URL", page.url()));

  // Cookies (sent to every port of 127.0.0.1, trackers included) and storage (readable by
  // any script of the site's origin, trackers included).
  for (const c of await s.cookies()) found.push(...leaks(`cookie ${c.name}`, `${c.name}=${c.value}`));
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  found.push(...leaks("storage", storage));

  // The console and uncaught errors.
  for (const m of s.console) found.push(...leaks(`console.${m.type}`, m.text));
  for (const e of s.pageErrors) found.push(...leaks("page error", e));

  assert.deepEqual(found, [], "the form's values leaked:\n" + found.join("\n"));
});

// ------------------------------------------------------------------ f. the receiver itself

test("f. the receiver: url-encoded and multipart bodies recorded, every value HTML-escaped, the site's CSP, no inline script or style", async () => {
  h.servers.clearForms();
  const url = h.url(RECEIVER);
  const prospection = JSON.stringify({ format: 1, form: "contest", note: "<b>x</b>" });
  let res = await fetch(url, {
    method: "POST",
    body: new URLSearchParams([["nom", "<script>alert(1)</script> & co"], ["reponse", "1948"], ["reponse", "1968"], ["accord_prospection", prospection]]),
  });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(res.headers.get("content-type"), /^text\/html/);
  const demoCsp = (await fetch(h.url("/demo/produit.html"))).headers.get("content-security-policy");
  const strip = (c) => String(c).replace(/'nonce-[^']+'/, "'nonce-…'");
  assert.equal(strip(res.headers.get("content-security-policy")), strip(demoCsp), "the receiver's page has the demo pages' CSP");
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), "no inline script");
  assert.ok(!/<style|\sstyle=/i.test(html), "no inline style");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") && !html.includes("<script>alert"), "values are HTML-escaped");
  assert.ok(html.includes("Demande reçue"));
  assert.ok(html.includes(`<pre>${JSON.stringify(JSON.parse(prospection), null, 2).replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</pre>`), "accord_prospection pretty-printed in a <pre>");
  assert.equal(h.servers.forms.length, 1);
  assert.deepEqual(h.servers.forms[0].fields, { nom: "<script>alert(1)</script> & co", reponse: ["1948", "1968"], accord_prospection: prospection });

  const fd = new FormData();
  fd.append("prenom", "Zoé");
  fd.append("photo", new Blob([Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0xd9])], { type: "image/jpeg" }), "ma photo.jpg");
  fd.append("adresse", "1 rue A\r\nBâtiment B");
  res = await fetch(url, { method: "POST", body: fd });
  assert.equal(res.status, 200);
  const html2 = await res.text();
  assert.ok(html2.includes("ma photo.jpg"), "the file's name is shown");
  assert.equal(h.servers.forms.length, 2);
  assert.deepEqual(h.servers.forms[1].fields, { prenom: "Zoé", photo: { filename: "ma photo.jpg" }, adresse: "1 rue A\r\nBâtiment B" });
  assert.match(h.servers.forms[1].contentType, /^multipart\/form-data/);

  res = await fetch(url);
  assert.equal(res.status, 405, "GET is refused");
  await res.text();
  assert.equal(h.servers.forms.length, 2);
  h.servers.clearForms();
  assert.equal(h.servers.forms.length, 0);
});
