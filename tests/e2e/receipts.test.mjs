// Consent receipts (issue 6, SPEC §4 last paragraph, §10 `accordctl verify`): every decision
// sends exactly one receipt to the first-party `consent_log.endpoint` (POST /consent-log on
// the site server, see scripts/serve.mjs); a receipt the endpoint did not accept is kept in
// localStorage `accord.receipts` and re-sent on the next page; a failing endpoint never
// delays a refusal; the person downloads the same bytes from the preferences; accordctl
// checks the notice hash.
//
// Every POST is counted twice: by the endpoint (h.servers.receipts / rejected / dropped) and
// by the browser (context "request" events). "down" is only counted by the browser: Chromium
// retries a POST whose connection was reset, so the endpoint may see one attempt several times.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import {
  useHarness,
  NAMES,
  PURPOSES,
  DIST,
  REPO,
  QUIET_MS,
  UI_TIMEOUT,
  sleep,
  waitFor,
  button,
  banner,
  purposeToggle,
  expectVisible,
  expectHidden,
  noneVisible,
} from "./harness.mjs";
import { accordctlBinary } from "../../scripts/nginx.mjs";
import { CONSENT_LOG_PATH, SOURCE_PORTS } from "../../scripts/serve.mjs";

// Written about consent mode: the demo's audience purpose needs consent here (the exempt
// default is tested in audience.test.mjs).
const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;

/** The receipt's keys, in the order of the contract. */
const KEYS = ["format", "record_id", "decided_at", "expires_at", "policy_version", "widget_version", "action", "purposes", "language", "notice_sha256"];
const POLICY_VERSION = "2026-11-22";
/** The crate's version (Cargo.toml), which the widget reports as widget_version. */
const WIDGET_VERSION = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(REPO, "Cargo.toml"), "utf8"))[1];
const PENDING_KEY = "accord.receipts";
const DOWNLOAD = {
  fr: { name: "Télécharger ma preuve de consentement", file: (id) => `preuve-consentement-${id}.json` },
  en: { name: "Download my consent receipt", file: (id) => `consent-receipt-${id}.json` },
};
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ALL = (v) => Object.fromEntries(PURPOSES.map((p) => [p, v]));

/** Whether the built config declares the endpoint (a hint in failure messages). */
function configHint() {
  try {
    const c = JSON.parse(fs.readFileSync(path.join(DIST, "demo/config.json"), "utf8"));
    return c.consent_log?.endpoint
      ? `dist/demo/config.json declares consent_log.endpoint ${JSON.stringify(c.consent_log.endpoint)}`
      : "dist/demo/config.json has no consent_log.endpoint: rebuild after adding it to www/demo/config.json";
  } catch (err) {
    return `dist/demo/config.json unreadable: ${err.message}`;
  }
}

const fmt = (list) => list.map((e, i) => `  #${i + 1} [${e.status ?? "dropped"}] ${e.body}`).join("\n") || "  (none)";

/**
 * A fresh session with the endpoint in `mode`, on `page` with the first layer shown.
 * `s.posts` lists the POSTs to the endpoint the browser made ({ body, contentType }).
 */
async function start(t, { page: p = "/", lang = "fr", mode = "ok", init } = {}) {
  h.servers.setConsentLog(mode);
  h.servers.clearReceipts();
  t.after(() => h.servers.setConsentLog("ok"));
  const s = await h.session(t);
  if (init) await s.context.addInitScript(init);
  s.posts = [];
  s.context.on("request", (req) => {
    let u;
    try {
      u = new URL(req.url());
    } catch {
      return;
    }
    if (u.origin === h.origin && u.pathname === CONSENT_LOG_PATH) {
      s.posts.push({ method: req.method(), body: req.postData(), contentType: req.headers()["content-type"] || "" });
    }
  });
  await s.goto(p);
  await expectVisible(banner(s.page, lang), "first layer");
  return s;
}

/** Waits for `n` entries in `list` (one of the endpoint's arrays), watches QUIET_MS more, asserts exactly `n`. */
async function expectEntries(list, n, what) {
  await waitFor(() => list.length >= n, { message: `${what}: ${n} POST(s) to ${CONSENT_LOG_PATH} (${configHint()}); got:\n${fmt(list)}` });
  await sleep(QUIET_MS);
  assert.equal(list.length, n, `${what}: expected exactly ${n} POST(s), got ${list.length}:\n${fmt(list)}`);
  return list;
}

/** The pending receipts the widget keeps in localStorage (missing key = none). */
async function pending(page) {
  const raw = await page.evaluate((k) => localStorage.getItem(k), PENDING_KEY);
  if (raw === null) return [];
  let v;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new Error(`localStorage ${PENDING_KEY} is not JSON: ${raw}`);
  }
  assert.ok(Array.isArray(v) && v.every((x) => typeof x === "string"), `localStorage ${PENDING_KEY} must be an array of receipt strings: ${raw}`);
  return v;
}

async function expectNoPending(page, what) {
  let last;
  try {
    await waitFor(async () => (last = await pending(page)).length === 0, { timeout: 2000, message: `${what}: ${PENDING_KEY} empty` });
  } catch (err) {
    throw new Error(`${err.message}; still pending: ${JSON.stringify(last)}`);
  }
}

/** Asserts that at most `ms` passed since `t0` (measured from before the click: a click
 * that blocks the page, e.g. on a synchronous send, counts too). */
function assertWithin(t0, ms, what) {
  const took = Date.now() - t0;
  assert.ok(took <= ms, `${what}: took ${took} ms from the click, more than ${ms} ms`);
}

/**
 * Checks one accepted receipt against the contract and against Accord.consent() now.
 * Returns the parsed receipt.
 */
async function checkReceipt(s, entry, { action, lang = "fr", purposes }, what) {
  const { page } = s;
  const body = entry.body;
  assert.match(entry.contentType, /^application\/json(;|$)/i, `${what}: Content-Type of the POST`);
  let r;
  try {
    r = JSON.parse(body);
  } catch (err) {
    assert.fail(`${what}: the body is not JSON (${err.message}): ${body}`);
  }
  assert.deepEqual(Object.keys(r), KEYS, `${what}: the receipt's keys, in order (and no other field): ${body}`);
  assert.equal(body, JSON.stringify(r), `${what}: the body is compact JSON exactly as specified`);
  assert.equal(r.format, 1, `${what}: format`);
  assert.match(r.record_id, /^[0-9a-f]{32}$/, `${what}: record_id is 32 lowercase hex digits`);
  assert.match(r.decided_at, ISO, `${what}: decided_at`);
  assert.match(r.expires_at, ISO, `${what}: expires_at`);
  assert.ok(Date.parse(r.expires_at) > Date.parse(r.decided_at), `${what}: expires_at after decided_at`);
  assert.equal(r.policy_version, POLICY_VERSION, `${what}: policy_version`);
  assert.equal(r.widget_version, WIDGET_VERSION, `${what}: widget_version (the crate version in Cargo.toml)`);
  assert.equal(r.action, action, `${what}: action`);
  assert.equal(r.language, lang, `${what}: language`);
  assert.match(r.notice_sha256, /^[0-9a-f]{64}$/, `${what}: notice_sha256 is 64 lowercase hex digits`);
  assert.deepEqual(Object.keys(r.purposes).sort(), [...PURPOSES].sort(), `${what}: purposes names every choosable purpose, and only them`);
  for (const [k, v] of Object.entries(r.purposes)) assert.equal(typeof v, "boolean", `${what}: purposes.${k} is an explicit boolean`);
  assert.deepEqual(r.purposes, purposes, `${what}: purposes`);

  const c = await s.consent();
  assert.equal(c.decided, true, `${what}: Accord.consent().decided`);
  assert.equal(r.record_id, c.record_id, `${what}: record_id = Accord.consent().record_id`);
  assert.equal(r.decided_at, c.decided_at, `${what}: decided_at = Accord.consent().decided_at`);
  assert.equal(r.expires_at, c.expires_at, `${what}: expires_at = Accord.consent().expires_at`);
  assert.equal(r.policy_version, c.policy_version, `${what}: policy_version = Accord.consent().policy_version`);
  assert.equal(r.action, c.action, `${what}: action = Accord.consent().action`);
  const { necessary, ...choosable } = c.purposes;
  assert.equal(necessary, true, `${what}: Accord.consent().purposes.necessary`);
  assert.deepEqual(r.purposes, choosable, `${what}: purposes = Accord.consent().purposes without necessary`);

  // No personal data: nothing of the visitor's address, browser, page or cookies.
  const ua = await page.evaluate(() => navigator.userAgent);
  for (const [label, needle] of [
    ["the user agent", ua],
    ["a browser name", "Mozilla"],
    ["a browser name", "Chrome"],
    ["an IP address", "127.0.0.1"],
    ["the page address", new URL(page.url()).pathname],
    ["the site origin", h.origin],
  ]) {
    if (needle.length < 2) continue;
    assert.ok(!body.includes(needle), `${what}: the receipt contains ${label} (${needle}): ${body}`);
  }
  for (const ck of await s.cookies()) {
    if (ck.name !== "accord" && ck.value.length >= 8) assert.ok(!body.includes(ck.value), `${what}: the receipt contains the value of cookie ${ck.name}`);
  }
  assert.ok(!/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/.test(body), `${what}: the receipt contains something like an IP address: ${body}`);
  return r;
}

/** One decision → exactly one receipt (endpoint and browser), checked; the pending copy removed. */
async function expectOneReceipt(s, expected, what) {
  const [entry] = await expectEntries(h.servers.receipts, 1, what);
  assert.equal(h.servers.rejected.length + h.servers.dropped.length, 0, `${what}: failed POSTs although the endpoint is "ok"`);
  assert.equal(s.posts.length, 1, `${what}: the browser made ${s.posts.length} POST(s) to ${CONSENT_LOG_PATH}:\n${s.posts.map((p) => "  " + p.body).join("\n")}`);
  assert.equal(s.posts[0].method, "POST");
  assert.equal(s.posts[0].body, entry.body, `${what}: the body the browser sent is the body the endpoint got`);
  const r = await checkReceipt(s, entry, expected, what);
  await expectNoPending(s.page, `${what}, after the endpoint answered 204`);
  return { entry, receipt: r };
}

/** Opens the preferences of a decided page and downloads the receipt; returns { file, content }. */
async function downloadReceipt(s, lang, open) {
  const { page } = s;
  await open();
  const control = page
    .getByRole("button", { name: DOWNLOAD[lang].name, exact: true })
    .or(page.getByRole("link", { name: DOWNLOAD[lang].name, exact: true }));
  await expectVisible(control, `« ${DOWNLOAD[lang].name} » in the preferences`);
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: UI_TIMEOUT }), control.first().click()]);
  const file = dl.suggestedFilename();
  const p = await dl.path();
  assert.ok(p, `the download failed: ${await dl.failure()}`);
  return { file, content: fs.readFileSync(p, "utf8") };
}

// ------------------------------------------------------------------ a. one receipt per action

test("R1a. « Tout accepter » sends exactly one receipt: accept_all, every purpose true", async (t) => {
  const s = await start(t);
  await button(s.page, fr.acceptAll).click();
  await expectOneReceipt(s, { action: "accept_all", purposes: ALL(true) }, "after « Tout accepter »");
});

test("R1b. « Tout refuser » sends exactly one receipt: refuse_all, every purpose false", async (t) => {
  const s = await start(t);
  await button(s.page, fr.rejectAll).click();
  await expectOneReceipt(s, { action: "refuse_all", purposes: ALL(false) }, "after « Tout refuser »");
  s.assertNoTraffic("after « Tout refuser »");
});

test("R1c. Personnaliser → only « Publicité personnalisée » → « Enregistrer mes choix » sends one custom receipt", async (t) => {
  const s = await start(t);
  const { page } = s;
  await button(page, fr.customize).click();
  const ads = purposeToggle(page, fr.purposes.advertising);
  await expectVisible(ads, `checkbox "${fr.purposes.advertising}"`);
  await ads.first().check();
  await sleep(300);
  assert.equal(h.servers.receipts.length + s.posts.length, 0, "ticking a box sent a receipt before « Enregistrer mes choix »");
  await button(page, fr.save).click();
  await expectOneReceipt(s, { action: "custom", purposes: { audience: false, advertising: true, video: false } }, "after « Enregistrer mes choix »");
});

test("R1d. « Fermer sans accepter » sends one close receipt, every purpose false", async (t) => {
  const s = await start(t);
  await button(s.page, fr.close).click();
  await expectOneReceipt(s, { action: "close", purposes: ALL(false) }, "after « Fermer sans accepter »");
  s.assertNoTraffic("after « Fermer sans accepter »");
});

test("R1e. Accord.withdraw() after accepting sends one withdraw receipt, every purpose false", async (t) => {
  const s = await start(t);
  await button(s.page, fr.acceptAll).click();
  const first = await expectOneReceipt(s, { action: "accept_all", purposes: ALL(true) }, "after « Tout accepter »");
  h.servers.clearReceipts();
  s.posts.length = 0;
  await s.page.evaluate(() => window.Accord.withdraw());
  const { receipt } = await expectOneReceipt(s, { action: "withdraw", purposes: ALL(false) }, "after Accord.withdraw()");
  t.diagnostic(`accept record ${first.receipt.record_id}, withdraw record ${receipt.record_id}`);
});

test("R1f. the placeholder's « Autoriser et afficher » sends one custom receipt granting video alone", async (t) => {
  const s = await start(t);
  const { page } = s;
  await button(page, fr.rejectAll).click();
  await expectOneReceipt(s, { action: "refuse_all", purposes: ALL(false) }, "after « Tout refuser »");
  h.servers.clearReceipts();
  s.posts.length = 0;
  await button(page, "Autoriser et afficher").click();
  await expectOneReceipt(s, { action: "custom", purposes: { audience: false, advertising: false, video: true } }, "after « Autoriser et afficher »");
});

test("R1g. English page: « Accept all » sends one receipt with language en", async (t) => {
  const s = await start(t, { page: "/demo/en/index.html", lang: "en" });
  await button(s.page, NAMES.en.acceptAll).click();
  await expectOneReceipt(s, { action: "accept_all", lang: "en", purposes: ALL(true) }, "after « Accept all » (en)");
});

// ------------------------------------------------------------------ b, c. a failing endpoint

test("R1h. a store that refuses the queue (full): « Tout refuser » still sends exactly one receipt", async (t) => {
  // Before any script: localStorage refuses the pending queue's key, as a full store does.
  const s = await start(t, {
    init: () => {
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (k === "accord.receipts") throw new DOMException("the store is full", "QuotaExceededError");
        return set.call(this, k, v);
      };
    },
  });
  await button(s.page, fr.rejectAll).click();
  await expectOneReceipt(s, { action: "refuse_all", purposes: ALL(false) }, "after « Tout refuser » with a full store");
  s.assertNoTraffic("after « Tout refuser » with a full store");
});

test("R2. endpoint answers 500: the refusal applies at once, the receipt is kept, then delivered once on the next page", async (t) => {
  const s = await start(t, { mode: "500" });
  const { page } = s;
  const t0 = Date.now();
  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), "the banner after « Tout refuser » (endpoint answering 500)", 1000);
  assertWithin(t0, 1000, "the banner gone after « Tout refuser » (endpoint answering 500)");
  const c = await s.consent();
  assert.equal(c.decided, true, "the refusal is recorded at once");
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], false, `purpose ${p} refused at once`);

  const [attempt] = await expectEntries(h.servers.rejected, 1, "with the endpoint answering 500");
  assert.equal(h.servers.receipts.length, 0, "no receipt accepted while the endpoint answers 500");
  assert.equal(s.posts.length, 1, "the browser made exactly one POST on the decision's page");
  const r = JSON.parse(attempt.body);
  assert.equal(r.action, "refuse_all");
  assert.equal(r.record_id, c.record_id);
  const kept = await pending(page);
  assert.deepEqual(kept, [attempt.body], `${PENDING_KEY} keeps exactly the refused receipt, byte for byte`);
  s.assertNoTraffic("after « Tout refuser » with the endpoint answering 500");
  assert.deepEqual(await s.trackerCookies(), [], "no tracker cookie");

  h.servers.setConsentLog("ok");
  s.posts.length = 0;
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "reopen button on the next page");
  const [delivered] = await expectEntries(h.servers.receipts, 1, "the kept receipt on the next page");
  assert.equal(delivered.body, attempt.body, "the receipt delivered on the next page is byte-identical to the refused one");
  assert.equal(h.servers.rejected.length, 1, "no further 500");
  assert.equal(s.posts.length, 1, "the browser re-sent it exactly once");
  await expectNoPending(page, "after the re-sent receipt was accepted");
  assert.ok(await noneVisible(banner(page)), "the banner is back on the next page");
  assert.equal((await s.consent()).record_id, c.record_id, "the same record on the next page");

  await s.goto("/demo/confidentialite.html");
  await expectVisible(button(page, fr.reopen), "reopen button on a third page");
  await sleep(QUIET_MS);
  assert.equal(h.servers.receipts.length, 1, `an accepted receipt was sent again:\n${fmt(h.servers.receipts)}`);
  s.assertNoTraffic("three pages after refusing with a failing endpoint");
});

test("R3. endpoint down: « Tout refuser » is honoured within 1 s, nothing loads, the receipt waits", async (t) => {
  const s = await start(t, { mode: "down" });
  const { page } = s;
  const t0 = Date.now();
  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), "the banner after « Tout refuser » with the endpoint down", 1000);
  t.diagnostic(`banner gone ${Date.now() - t0} ms after the click began`);
  assertWithin(t0, 1000, "the banner gone after « Tout refuser » with the endpoint down");
  const c = await s.consent();
  assert.equal(c.decided, true, "the refusal is recorded at once");
  assert.equal(c.action, "refuse_all");
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], false, `purpose ${p} refused`);

  await waitFor(() => s.posts.length >= 1, { message: `the widget tried to send the receipt (${configHint()})` });
  await sleep(QUIET_MS);
  assert.equal(s.posts.length, 1, "the browser made exactly one POST for the decision");
  assert.ok(h.servers.dropped.length >= 1, "the endpoint saw the attempt and dropped it");
  assert.equal(h.servers.receipts.length, 0, "nothing was accepted");
  assert.deepEqual(await pending(page), [s.posts[0].body], `${PENDING_KEY} keeps the unsent receipt`);
  s.assertNoTraffic("after « Tout refuser » with the endpoint down");
  assert.deepEqual(await s.trackerCookies(), [], "no tracker cookie");

  // Still down on the next page: still refused, the receipt kept once (not duplicated).
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "reopen button on the next page");
  await sleep(QUIET_MS);
  assert.ok(await noneVisible(banner(page)), "the banner is back on the next page");
  const again = await s.consent();
  assert.equal(again.record_id, c.record_id, "the same record on the next page");
  for (const p of PURPOSES) assert.equal(again.purposes?.[p], false, `purpose ${p} still refused on the next page`);
  assert.deepEqual(await pending(page), [s.posts[0].body], `${PENDING_KEY} still holds the one receipt, not a copy`);
  s.assertNoTraffic("next page with the endpoint down");
});

// ------------------------------------------------------------------ d. the person's copy

test("R4. « Télécharger ma preuve de consentement » downloads preuve-consentement-<record_id>.json, the body the endpoint got", async (t) => {
  const s = await start(t);
  const { page } = s;
  await button(page, fr.acceptAll).click();
  const { entry, receipt } = await expectOneReceipt(s, { action: "accept_all", purposes: ALL(true) }, "after « Tout accepter »");
  const { file, content } = await downloadReceipt(s, "fr", async () => {
    await expectVisible(button(page, fr.reopen), `« ${fr.reopen} »`);
    await button(page, fr.reopen).click();
  });
  assert.equal(file, `preuve-consentement-${receipt.record_id}.json`, "the downloaded file's name");
  assert.equal(content, entry.body, "the downloaded file is byte for byte the receipt the endpoint received");
  await sleep(500);
  assert.equal(h.servers.receipts.length, 1, "opening the preferences and downloading sent no receipt");
});

test("R4b. English: « Download my consent receipt » (opened with Accord.open()) downloads consent-receipt-<record_id>.json", async (t) => {
  const s = await start(t, { page: "/demo/en/index.html", lang: "en" });
  const { page } = s;
  await button(page, NAMES.en.acceptAll).click();
  const { entry, receipt } = await expectOneReceipt(s, { action: "accept_all", lang: "en", purposes: ALL(true) }, "after « Accept all »");
  const { file, content } = await downloadReceipt(s, "en", () => page.evaluate(() => window.Accord.open()));
  assert.equal(file, `consent-receipt-${receipt.record_id}.json`, "the downloaded file's name");
  assert.equal(content, entry.body, "the downloaded file is byte for byte the receipt the endpoint received");
});

// ------------------------------------------------------------------ e. the verifier

/** Runs accordctl; returns { status, stdout, stderr }. */
function accordctl(bin, args) {
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 30_000 });
  if (r.error) throw new Error(`accordctl ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectExit(res, code, what) {
  assert.equal(res.status, code, `${what}: accordctl exited ${res.status}, expected ${code}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
}

const sha256 = (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

test("R5. accordctl verify: a genuine receipt is valid; a changed notice or a changed hash is refused", async (t) => {
  const bin = accordctlBinary(); // fails clearly when target/debug/accordctl is not built
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-receipts-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The config exactly as the browser got it: serve.mjs rewrites the tracker ports of
  // www/demo/config.json, and the notice names the vendors' privacy URLs.
  const servedConfig = path.join(dir, "config.json");
  const served = await fetch(h.url("/demo/config.json"));
  assert.equal(served.status, 200, "GET /demo/config.json");
  fs.writeFileSync(servedConfig, await served.text());

  const receipts = {};
  for (const lang of ["fr", "en"]) {
    const s = await start(t, { page: lang === "fr" ? "/" : "/demo/en/index.html", lang });
    await button(s.page, NAMES[lang].acceptAll).click();
    const { entry } = await expectOneReceipt(s, { action: "accept_all", lang, purposes: ALL(true) }, `after accepting (${lang})`);
    const { content } = await downloadReceipt(s, lang, async () => {
      await expectVisible(button(s.page, NAMES[lang].reopen), `« ${NAMES[lang].reopen} »`);
      await button(s.page, NAMES[lang].reopen).click();
    });
    assert.equal(content, entry.body, `the downloaded receipt (${lang}) is the body the endpoint got`);
    receipts[lang] = content;
  }

  const notices = path.join(dir, "notices");
  fs.mkdirSync(notices);
  const texts = {};
  for (const lang of ["fr", "en"]) {
    const res = accordctl(bin, ["notice", "--config", servedConfig, "--lang", lang]);
    expectExit(res, 0, `accordctl notice --lang ${lang}`);
    const text = res.stdout;
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"), `the notice (${lang}) ends with exactly one newline`);
    assert.ok(text.length > 200, `the notice (${lang}) is a real text: ${JSON.stringify(text)}`);
    for (const p of ["audience", "advertising", "video"]) {
      assert.ok(text.includes(NAMES[lang].purposes[p]), `the notice (${lang}) names the purpose « ${NAMES[lang].purposes[p]} »`);
    }
    assert.ok(text.includes("Mutuelle Exemple SA"), `the notice (${lang}) names the controller`);
    // The hash the widget sent is the hash of this text without its trailing newline.
    const r = JSON.parse(receipts[lang]);
    assert.equal(r.notice_sha256, sha256(text.slice(0, -1)), `notice_sha256 of the ${lang} receipt = SHA-256 of \`accordctl notice --lang ${lang}\` without its newline`);
    fs.writeFileSync(path.join(notices, `${POLICY_VERSION}.${lang}.txt`), text);
    texts[lang] = text;

    // The same config as www/demo/config.json, up to the ports serve.mjs rewrote and the
    // audience basis this suite asked for (consent).
    const source = JSON.parse(fs.readFileSync(path.join(REPO, "www/demo/config.json"), "utf8"));
    for (const p of source.purposes) if (p.id === "audience") p.basis = "consent";
    const sourceConfig = path.join(dir, "source-config.json");
    fs.writeFileSync(sourceConfig, JSON.stringify(source));
    const src = accordctl(bin, ["notice", "--config", sourceConfig, "--lang", lang]);
    expectExit(src, 0, `accordctl notice --config www/demo/config.json (audience: consent) --lang ${lang}`);
    const ports = new Map(["audience", "advertising", "video"].map((v) => [String(SOURCE_PORTS[v]), String(new URL(h.trackerOrigins[v]).port)]));
    const rewritten = src.stdout.replace(/127\.0\.0\.1:(\d+)/g, (m, p) => (ports.has(p) ? `127.0.0.1:${ports.get(p)}` : m));
    assert.equal(rewritten, text, `the notice of www/demo/config.json (${lang}) is the served one, up to the tracker ports`);
  }
  assert.notEqual(JSON.parse(receipts.fr).notice_sha256, JSON.parse(receipts.en).notice_sha256, "the French and English notices hash differently");

  const frReceipt = path.join(dir, "receipt.json");
  fs.writeFileSync(frReceipt, receipts.fr);
  const enReceipt = path.join(dir, "receipt-en.json");
  fs.writeFileSync(enReceipt, receipts.en);
  const ok = accordctl(bin, ["verify", frReceipt, "--notices", notices]);
  expectExit(ok, 0, "verify a genuine French receipt");
  assert.match(ok.stdout, /valid/, "verify says « valid »");
  expectExit(accordctl(bin, ["verify", enReceipt, "--notices", notices]), 0, "verify a genuine English receipt");

  // One character of the notice changed (not the trailing newline).
  const changed = path.join(dir, "changed");
  fs.mkdirSync(changed);
  const i = texts.fr.indexOf("Publicité");
  assert.ok(i > 0, "the notice contains « Publicité »");
  const tampered = texts.fr.slice(0, i) + "p" + texts.fr.slice(i + 1);
  assert.equal(tampered.length, texts.fr.length);
  fs.writeFileSync(path.join(changed, `${POLICY_VERSION}.fr.txt`), tampered);
  expectExit(accordctl(bin, ["verify", frReceipt, "--notices", changed]), 1, "verify against a notice with one character changed");

  // The receipt's hash changed (last hex digit), against the genuine notice.
  const r = JSON.parse(receipts.fr);
  const last = r.notice_sha256.at(-1);
  const forged = receipts.fr.replace(r.notice_sha256, r.notice_sha256.slice(0, -1) + (last === "0" ? "1" : "0"));
  assert.notEqual(forged, receipts.fr);
  const forgedPath = path.join(dir, "forged.json");
  fs.writeFileSync(forgedPath, forged);
  expectExit(accordctl(bin, ["verify", forgedPath, "--notices", notices]), 1, "verify a receipt whose notice_sha256 was changed");

  // A malformed receipt, and a usage error.
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, receipts.fr.slice(0, -10));
  expectExit(accordctl(bin, ["verify", bad, "--notices", notices]), 1, "verify a receipt that is not JSON");
  expectExit(accordctl(bin, ["verify", frReceipt]), 2, "verify without --notices");
});
