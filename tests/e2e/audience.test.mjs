// Audience measurement exempt from consent, the opt-out, and Google Consent Mode v2
// (SPEC §6, issue 4). The demo's audience purpose is "exempt-audience" here (the default of
// useHarness): the tool (m.js, /hit) runs on a fresh visit before any click; its cookies are
// capped at 13 months after their first deposit; one action objects (the privacy page's
// control, or the preferences' from any page) and from then on nothing reaches the tool's
// origin: not the click itself (m.js reports every click to /event), not any later page.
// Every count is checked in the browser's request log and in the tracker server's log.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  expectVisible,
  expectHidden,
  noneVisible,
  tabTo,
  isFocused,
  addMonthsClamped,
  textContrasts,
} from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const en = NAMES.en;

const PRIVACY = "/demo/confidentialite.html";
const OPTOUT = {
  fr: {
    object: "M'opposer à la mesure d'audience",
    undo: "Ne plus m'opposer à la mesure d'audience",
    active: "La mesure d'audience est active.",
    objected: "Vous vous êtes opposé à la mesure d'audience : plus rien n'est envoyé à l'outil de mesure depuis ce navigateur.",
  },
  en: {
    object: "Object to audience measurement",
    undo: "Stop objecting to audience measurement",
    active: "Audience measurement is on.",
    objected: "You have objected to audience measurement: nothing is sent to the measurement tool from this browser any more.",
  },
};
const ROW_ACTIVE = "Active (exemptée de consentement)";
const ROW_OBJECTED = "Vous vous y êtes opposé";
const DENIED = { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" };
const ADS_GRANTED = { ad_storage: "granted", analytics_storage: "denied", ad_user_data: "granted", ad_personalization: "granted" };
const MINUTE = 60_000;
const iso = (ms) => new Date(ms).toISOString();

// ------------------------------------------------------------------ helpers

/** Waits until the audience tool has loaded and reported this page view (m.js and /hit, browser and server). */
async function waitForAudience(s, when, n = 1) {
  await waitFor(
    () =>
      s.trackerRequests("audience", "/m.js").length >= n &&
      h.trackerHits("audience", "/m.js").length >= n &&
      s.trackerRequests("audience", "/hit").length >= n &&
      h.trackerHits("audience", "/hit").length >= n,
    { message: `${when}: the exempt audience tool (m.js then /hit); so far:\n${s.describeRequests()}` },
  );
}

/** Waits until Accord has started on the page (consent() answers, not the loader's stub). */
async function waitReady(s, pg = s.page) {
  return waitFor(() => pg.evaluate(() => (window.Accord && !Accord.consent().pending ? Accord.consent() : null)), {
    timeout: 10_000,
    message: `Accord ready on ${pg.url()}`,
  });
}

/** Asserts the state of an objection to audience measurement in Accord.consent(). */
async function assertObjected(s, when, pg = s.page) {
  const c = await s.consent(pg);
  assert.deepEqual(c.objections, ["audience"], `${when}: Accord.consent().objections should be ["audience"], got ${JSON.stringify(c)}`);
  assert.equal(c.purposes?.audience, false, `${when}: Accord.consent().purposes.audience should be false, got ${JSON.stringify(c.purposes)}`);
  return c;
}

async function assertNotObjected(s, when, pg = s.page) {
  const c = await s.consent(pg);
  assert.deepEqual(c.objections, [], `${when}: Accord.consent().objections should be [], got ${JSON.stringify(c)}`);
  assert.equal(c.purposes?.audience, true, `${when}: the exempt audience purpose should be active, got ${JSON.stringify(c.purposes)}`);
  return c;
}

/** Asserts that no iframe of the page (in the DOM or in Playwright's frame tree) points at the audience origin. */
async function assertNoAudienceFrame(s, when, pg = s.page) {
  const origin = h.trackerOrigins.audience;
  const srcs = await pg.evaluate(() => [...document.querySelectorAll("iframe")].map((f) => f.getAttribute("src") || ""));
  const bad = srcs.filter((src) => src && new URL(src, location.href).origin === origin);
  assert.deepEqual(bad, [], `${when}: an iframe points at the audience origin`);
  const frames = pg.frames().map((f) => f.url()).filter((u) => u.startsWith(origin));
  assert.deepEqual(frames, [], `${when}: a frame was loaded from the audience origin`);
}

/** The page's opt-out control (data-accord-optout="audience"): its state line and its button. */
const pageControl = (page) => {
  const box = page.locator('[data-accord-optout="audience"]');
  return { box, state: box.locator(".accord-optout-state"), toggle: box.locator('button[data-accord-optout-toggle="audience"]') };
};

/** The text of the audience row of the privacy page's live table #etat-choix. */
const tableRow = (page) =>
  page.evaluate(() => {
    const row = [...document.querySelectorAll("#etat-choix tbody tr")].find((tr) => tr.querySelector("th")?.textContent.trim() === "Mesure d'audience");
    return row ? row.querySelector("td").textContent.trim() : null;
  });

/** The accord_optout cookie, checked: value `1|<unix seconds>|audience` within [lo, hi] ms, expiry = that time + 13 months. */
async function assertOptoutCookie(s, lo, hi, when) {
  const c = await waitFor(() => s.cookie("accord_optout"), { message: `${when}: the accord_optout cookie` });
  const m = /^1\|(\d+)\|audience$/.exec(c.value);
  assert.ok(m, `${when}: accord_optout should read "1|<unix seconds>|audience", reads ${JSON.stringify(c.value)}`);
  const at = Number(m[1]) * 1000;
  assert.ok(at >= lo - 2000 && at <= hi + 2000, `${when}: accord_optout's time ${iso(at)} should be the click's, between ${iso(lo)} and ${iso(hi)}`);
  const cap = addMonthsClamped(new Date(at), 13).getTime();
  const exp = c.expires * 1000;
  assert.ok(Math.abs(exp - cap) <= MINUTE, `${when}: accord_optout should expire 13 months after it was set (${iso(cap)}), expires ${c.expires > 0 ? iso(exp) : "at session end"}`);
  return c;
}

/** The dataLayer, each entry as { args: [...] } for an Arguments object (a gtag() call) or { obj } otherwise. */
const dataLayer = (pg) =>
  pg.evaluate(() =>
    (window.dataLayer || []).map((a) =>
      Object.prototype.toString.call(a) === "[object Arguments]" ? { args: Array.from(a) } : { obj: JSON.parse(JSON.stringify(a)) },
    ),
  );
const isConsent = (e, kind) => !!e.args && e.args[0] === "consent" && e.args[1] === kind;
const consentUpdates = (dl) => dl.filter((e) => isConsent(e, "update"));
const fmtDl = (dl) => dl.map((e, i) => `  ${i}: ${JSON.stringify(e)}`).join("\n") || "  (empty)";

/** Fresh visit to the privacy page, the exempt tool loaded; returns the counts before the opt-out. */
async function privacyPageWithAudience(s, when = "privacy page, fresh visit") {
  await s.goto(PRIVACY);
  await expectVisible(banner(s.page), `${when}: first layer`);
  await waitForAudience(s, when);
  const { toggle } = pageControl(s.page);
  await expectVisible(toggle, `${when}: the opt-out button in <div data-accord-optout="audience">`);
  await waitFor(async () => (await s.cookie("_aud_id")) && (await s.cookie("_aud_srv")), { message: `${when}: the tool's cookies _aud_id and _aud_srv` });
}

/** Clicks the privacy page's opt-out button and waits for the objection. Returns [lo, hi] around the click. */
async function objectOnPrivacyPage(s, when) {
  const lo = Date.now();
  await button(s.page, OPTOUT.fr.object).click();
  await waitFor(() => s.page.evaluate(() => Accord.consent().objections.includes("audience")), { message: `${when}: the objection recorded` });
  return [lo, Date.now()];
}

// ------------------------------------------------------------------ 1. exempt tool, 13-month cap

test("A1. exempt audience runs on a fresh visit before any click; its cookies (script and HTTP) are capped at 13 months after the first deposit and never pushed later", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const T0 = Date.now();
  await s.goto("/");
  await expectVisible(banner(page), "first layer on a fresh visit");
  await waitForAudience(s, "fresh visit, no click");
  await sleep(QUIET_MS);
  s.assertCount("audience", "/m.js", 1, "fresh visit, no click");
  s.assertCount("audience", "/hit", 1, "fresh visit, no click");
  s.assertCount("audience", "/event", 0, "fresh visit, no click");
  for (const v of ["advertising", "video"]) {
    assert.equal(s.trackerRequests(v).length + h.trackerHits(v).length, 0, `fresh visit: the ${v} vendor (consent needed) was contacted:\n${s.describeRequests()}`);
  }
  assert.equal(await page.evaluate(() => window.demoAudienceRuns), 1, "m.js should have run once on the fresh visit");
  await expectVisible(banner(page), "the banner is still shown (the exempt tool is not a decision)");
  const c = await s.consent();
  assert.equal(c.decided, false, `fresh visit: Accord.consent().decided should be false, got ${JSON.stringify(c)}`);
  assert.equal(c.purposes?.audience, true, `fresh visit: the exempt purpose should be active, got ${JSON.stringify(c.purposes)}`);
  assert.equal(await s.cookie("accord"), null, "fresh visit: an accord cookie (a decision) exists before any click");

  const first = await waitFor(() => s.cookie("_aud_id"), { message: "the _aud_id cookie written by m.js" });
  const T1 = Date.now();
  const firstExp = first.expires * 1000;
  assert.ok(first.expires > 0, "_aud_id should be persistent (the tool asks for 2 years), it is a session cookie");
  const hi = addMonthsClamped(new Date(T1), 13).getTime() + MINUTE;
  const lo = addMonthsClamped(new Date(T0), 12).getTime();
  assert.ok(firstExp <= hi, `_aud_id (asked for 2 years) should expire at most 13 months after the first visit (${iso(hi)}), expires ${iso(firstExp)}`);
  assert.ok(firstExp >= lo, `_aud_id should still last at least 12 months (${iso(lo)}), expires ${iso(firstExp)}`);
  t.diagnostic(`_aud_id first deposit expires ${iso(firstExp)} (visit at ${iso(T0)})`);

  let prev = first;
  for (const p of ["/demo/produit.html", PRIVACY, "/demo/en/index.html"]) {
    s.resetCounts();
    await sleep(1100); // the page clock moves on between visits (cookie times are in seconds)
    await s.goto(p);
    await waitForAudience(s, `visit to ${p}`);
    const now = await waitFor(async () => {
      const c = await s.cookie("_aud_id");
      return c && c.value !== prev.value ? c : null;
    }, { message: `m.js rewrote _aud_id on ${p} (a new value)` });
    assert.notEqual(now.value, prev.value, `_aud_id should have been rewritten on ${p}`);
    assert.ok(
      now.expires * 1000 <= firstExp + 1000,
      `the rewrite of _aud_id on ${p} pushed its expiry later: ${iso(now.expires * 1000)} > first ${iso(firstExp)}`,
    );
    assert.ok(now.expires * 1000 >= lo, `the rewrite on ${p} made _aud_id shorter than 12 months: ${iso(now.expires * 1000)}`);
    s.assertCount("audience", "/m.js", 1, `visit to ${p}`);
    prev = now;
  }

  // _aud_srv comes from the /hit response (Set-Cookie, Max-Age 2 years), not from a
  // script: Accord brings it back to 13 months after it first saw it (cookieStore).
  const srv = await waitFor(async () => {
    const c = await s.cookie("_aud_srv");
    return c && c.expires > 0 && c.expires * 1000 <= hi + 10 * MINUTE ? c : null;
  }, { timeout: 3000, message: `_aud_srv (set by HTTP for 2 years) clamped to at most 13 months after the first visit (${iso(hi)}): ${JSON.stringify(await s.cookie("_aud_srv"))}` });
  assert.ok(srv.expires * 1000 >= lo, `_aud_srv should still last at least 12 months (${iso(lo)}), expires ${iso(srv.expires * 1000)}`);
  assert.equal(srv.path, "/", "the clamp replaced the cookie itself (same path)");
  assert.equal((await s.cookies()).filter((c) => c.name === "_aud_srv").length, 1, "the clamp replaced _aud_srv, it did not add a second one");
});

// ------------------------------------------------------------------ 2. the opt-out on the privacy page

test("A2. opt-out on the privacy page, no decision: nothing reaches the tool at the click or over 5 pages, its cookies are deleted, accord_optout is the only trace", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await privacyPageWithAudience(s);
  const { state, toggle } = pageControl(page);
  assert.equal((await state.innerText()).trim(), OPTOUT.fr.active, "the control's state line before the opt-out");
  await waitFor(async () => (await tableRow(page)) === ROW_ACTIVE, { message: `#etat-choix audience row « ${ROW_ACTIVE} » before the opt-out` });
  await assertNotObjected(s, "before the opt-out");

  // The tool's click capture is live: an ordinary click is reported to /event.
  await page.getByRole("heading", { level: 1 }).click();
  await waitFor(() => h.trackerHits("audience", "/event").length >= 1 && s.trackerRequests("audience", "/event").length >= 1, {
    message: "test setup: m.js reports an ordinary click to /event (so an opt-out click would be reported if it got through)",
  });
  await sleep(300);
  const before = Object.fromEntries((await s.cookies()).map((c) => [c.name, c]));
  assert.ok(before._aud_id && before._aud_srv, "test setup: _aud_id and _aud_srv exist before the opt-out");
  s.resetCounts();

  const [lo, hi] = await objectOnPrivacyPage(s, "privacy page");
  await sleep(QUIET_MS);
  s.assertNoTraffic("the opt-out click (no /event carrying it, nothing else)", "audience");

  // The only trace: accord_optout; the tool's cookies are gone.
  await waitFor(async () => !(await s.cookie("_aud_id")) && !(await s.cookie("_aud_srv")), {
    timeout: 1000,
    message: "_aud_id and _aud_srv deleted at the opt-out",
  });
  await assertOptoutCookie(s, lo, hi, "after the opt-out");
  const after = (await s.cookies()).map((c) => c.name);
  const added = after.filter((n) => !(n in before)).sort();
  assert.deepEqual(added, ["accord_optout"], `accord_optout should be the only new cookie; cookies now: ${after.join(", ")}`);
  const docCookie = await page.evaluate(() => document.cookie);
  assert.ok(!/(^|; )_aud_(id|srv)=/.test(docCookie), `document.cookie still shows the tool's cookies: ${docCookie}`);

  // What the page says, at once, without a reload.
  await expectVisible(button(page, OPTOUT.fr.undo), `the button now reads « ${OPTOUT.fr.undo} »`, 1000);
  assert.equal((await toggle.innerText()).trim(), OPTOUT.fr.undo, "the control's button after the opt-out");
  assert.equal((await state.innerText()).trim(), OPTOUT.fr.objected, "the control's state line after the opt-out");
  await waitFor(async () => (await tableRow(page)) === ROW_OBJECTED, {
    timeout: 2000,
    message: `#etat-choix audience row « ${ROW_OBJECTED} » without a reload`,
  });
  const c = await assertObjected(s, "after the opt-out");
  assert.equal(c.decided, false, `the opt-out is not a decision: Accord.consent().decided should stay false, got ${JSON.stringify(c)}`);
  assert.ok(await banner(page).first().isVisible(), "the banner should still be shown (no decision yet)");
  assert.equal(await s.cookie("accord"), null, "the opt-out wrote an accord (decision) cookie");
  await assertNoAudienceFrame(s, "privacy page after the opt-out");

  // Five page views, with clicks on each: nothing reaches the tool.
  for (const p of ["/", "/demo/produit.html", "/demo/souscription.html", "/demo/concours.html", "/demo/merci.html"]) {
    await s.goto(p);
    await waitReady(s);
    await expectVisible(banner(page), `the banner on ${p} (still no decision)`);
    await assertObjected(s, `on ${p}`);
    await page.locator("h1").first().click();
    await assertNoAudienceFrame(s, `on ${p}`);
    assert.equal(await page.evaluate(() => window.demoAudienceRuns), undefined, `m.js ran on ${p} after the opt-out`);
  }
  await sleep(QUIET_MS);
  s.assertNoTraffic("5 page views after the opt-out", "audience");
  assert.equal(await s.cookie("_aud_id"), null, "_aud_id came back after the opt-out");
  assert.equal(await s.cookie("_aud_srv"), null, "_aud_srv came back after the opt-out");
  await assertOptoutCookie(s, lo, hi, "after 5 page views");
});

// ------------------------------------------------------------------ 3. persistence

test("A3. the objection survives a reload, a new tab and a later « Tout accepter »", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await privacyPageWithAudience(s);
  const [lo, hi] = await objectOnPrivacyPage(s, "privacy page");
  s.resetCounts();

  await page.reload({ waitUntil: "load" });
  await waitReady(s);
  await assertObjected(s, "after a reload");
  await expectVisible(button(page, OPTOUT.fr.undo), "the control after a reload reads « Ne plus m'opposer … »");
  await waitFor(async () => (await tableRow(page)) === ROW_OBJECTED, { message: `#etat-choix « ${ROW_OBJECTED} » after a reload` });

  const tab = await s.newPage();
  await s.goto("/demo/produit.html", tab);
  await waitReady(s, tab);
  await assertObjected(s, "in a new tab", tab);
  await expectVisible(banner(tab), "the banner in the new tab (still no decision)");
  await sleep(QUIET_MS);
  s.assertNoTraffic("reload and new tab after the opt-out", "audience");

  // « Tout accepter » does not undo an objection; the page works (advertising loads).
  await button(tab, fr.acceptAll).click();
  await expectHidden(banner(tab), "the banner after « Tout accepter »");
  await waitFor(() => h.trackerHits("advertising", "/ads.js").length >= 1 && s.trackerRequests("advertising", "/ads.js").length >= 1, {
    message: "the advertising tag after « Tout accepter » (the page still works)",
  });
  const c = await assertObjected(s, "after « Tout accepter »", tab);
  assert.equal(c.decided, true, `« Tout accepter » is a decision: ${JSON.stringify(c)}`);
  assert.equal(c.purposes.advertising, true, `advertising granted by « Tout accepter »: ${JSON.stringify(c.purposes)}`);
  const rec = await s.cookie("accord");
  assert.ok(rec && /(^|[|&])audience=0(&|$)/.test(rec.value), `the record written by « Tout accepter » should keep audience=0: ${rec && rec.value}`);

  await s.goto("/", tab);
  await expectVisible(button(tab, fr.reopen), "the reopen button on the next page");
  await assertObjected(s, "next page after « Tout accepter »", tab);
  await waitFor(() => h.trackerHits("advertising", "/ads.js").length >= 2, { message: "the advertising tag on the next page" });
  await sleep(QUIET_MS);
  s.assertNoTraffic("reload, new tab, « Tout accepter » and the next page", "audience");
  assert.deepEqual(
    (await s.cookies()).map((x) => x.name).filter((n) => n.startsWith("_aud")),
    [],
    "the audience tool's cookies came back",
  );
  await assertOptoutCookie(s, lo, hi, "after « Tout accepter »");
});

// ------------------------------------------------------------------ 4. two actions from any page

test("A4. from any page in two actions: « Personnaliser » → « M'opposer … » acts at once, the dialog stays open; after a decision « Gérer mes cookies » → « M'opposer … »", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  let clicks = 0;
  await s.goto("/demo/produit.html");
  await expectVisible(banner(page), "first layer on the product page");
  await waitForAudience(s, "product page, fresh visit");

  await button(page, fr.customize).click();
  clicks++;
  const object = button(page, OPTOUT.fr.object);
  await expectVisible(object, `« ${OPTOUT.fr.object} » in the preferences opened by « ${fr.customize} »`);
  // The tool reported the « Personnaliser » click (before the opt-out, it may): wait for it, then count from zero.
  await waitFor(() => h.trackerHits("audience", "/event").length >= 1, { message: "test setup: m.js reported the « Personnaliser » click" });
  await sleep(300);
  s.resetCounts();

  await object.click();
  clicks++;
  await waitFor(() => page.evaluate(() => Accord.consent().objections.includes("audience")), { message: "the objection recorded from the preferences" });
  assert.equal(clicks, 2, "the opt-out should take two actions from the product page");
  const c = await assertObjected(s, "after the opt-out in the preferences");
  assert.equal(c.decided, false, `the opt-out is not a decision: ${JSON.stringify(c)}`);

  // The dialog stays open and shows the new state; nothing to save.
  await expectVisible(button(page, OPTOUT.fr.undo), `the preferences still open, showing « ${OPTOUT.fr.undo} »`, 1000);
  await expectVisible(button(page, fr.save), `« ${fr.save} » still shown (the dialog stayed open)`, 1000);
  const dialogState = page.locator(".accord-prefs .accord-optout-state");
  assert.equal((await dialogState.innerText()).trim(), OPTOUT.fr.objected, "the state line in the preferences after the opt-out");
  await sleep(QUIET_MS);
  s.assertNoTraffic("the opt-out click in the preferences", "audience");
  assert.equal(await s.cookie("_aud_id"), null, "_aud_id left after the opt-out in the preferences");
  assert.equal(await s.cookie("_aud_srv"), null, "_aud_srv left after the opt-out in the preferences");
  assert.ok(await s.cookie("accord_optout"), "accord_optout missing after the opt-out in the preferences");
  assert.equal(await s.cookie("accord"), null, "the opt-out in the preferences wrote a decision");

  // Second half: a decision exists, the reopen button → the opt-out button.
  const s2 = await h.session(t);
  const p2 = s2.page;
  await s2.goto("/");
  await button(p2, fr.acceptAll).click();
  await expectVisible(button(p2, fr.reopen), "the reopen button after « Tout accepter »");
  await waitForAudience(s2, "home page after « Tout accepter »");
  const rec0 = await waitFor(() => s2.cookie("accord"), { message: "the accord cookie after « Tout accepter »" });
  const c0 = await s2.consent();
  assert.equal(c0.action, "accept_all", `test setup: the first record is accept_all: ${JSON.stringify(c0)}`);
  let clicks2 = 0;
  await button(p2, fr.reopen).click();
  clicks2++;
  const object2 = button(p2, OPTOUT.fr.object);
  await expectVisible(object2, `« ${OPTOUT.fr.object} » in the preferences opened by « ${fr.reopen} »`);
  await waitFor(() => h.trackerHits("audience", "/event").length >= 1, { message: "test setup: m.js reported the « Gérer mes cookies » click" });
  await sleep(300);
  s2.resetCounts();
  await object2.click();
  clicks2++;
  await waitFor(() => p2.evaluate(() => Accord.consent().objections.includes("audience")), { message: "the objection recorded after a decision" });
  assert.equal(clicks2, 2, "the opt-out should take two actions once a choice exists");
  await expectVisible(button(p2, OPTOUT.fr.undo), `the preferences still open, showing « ${OPTOUT.fr.undo} »`, 1000);
  const c1 = await assertObjected(s2, "after the opt-out over a decision");
  assert.equal(c1.decided, true, `the decision still stands: ${JSON.stringify(c1)}`);
  assert.equal(c1.action, "custom", `the opt-out over a decision is recorded as a new custom record: ${JSON.stringify(c1)}`);
  assert.notEqual(c1.record_id, c0.record_id, "the opt-out over a decision should make a new record");
  assert.equal(c1.purposes.advertising, true, `the rest of the decision is kept: ${JSON.stringify(c1.purposes)}`);
  const rec1 = await waitFor(async () => {
    const r = await s2.cookie("accord");
    return r && r.value !== rec0.value ? r : null;
  }, { message: "the accord cookie rewritten by the opt-out" });
  assert.match(rec1.value, /(^|[|&])audience=0(&|$)/, `the new record should have audience=0: ${rec1.value}`);
  await sleep(QUIET_MS);
  s2.assertNoTraffic("the opt-out click after a decision", "audience");
  assert.equal(await s2.cookie("_aud_id"), null, "_aud_id left after the opt-out over a decision");
});

test("A4b. the notice: the exempt purpose's description says it runs without prior consent, 13 months, 25 months, and how to object", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/demo/produit.html");
  await button(page, fr.customize).click();
  await expectVisible(button(page, OPTOUT.fr.object), "the preferences");
  const desc = await page.locator("#accord-d-audience").innerText();
  const note = await page.locator("#accord-d-audience .accord-note").innerText();
  assert.ok(desc.indexOf(note) > 0, `the note should follow the audience description: ${desc}`);
  for (const words of ["sans accord préalable", "13 mois", "25 mois", "opposer"]) {
    assert.ok(note.includes(words), `the exempt note should say « ${words} »: ${note}`);
  }
});

// ------------------------------------------------------------------ 5. reversal

test("A5. reversal in one click: « Ne plus m'opposer … » deletes accord_optout and the tool runs again", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await privacyPageWithAudience(s);
  await objectOnPrivacyPage(s, "privacy page");
  await waitFor(async () => !(await s.cookie("_aud_id")), { message: "_aud_id deleted" });
  s.resetCounts();
  await s.goto("/demo/produit.html");
  await waitReady(s);
  await s.goto(PRIVACY);
  await waitReady(s);
  await sleep(QUIET_MS);
  s.assertNoTraffic("two pages after the opt-out (test setup)", "audience");
  s.resetCounts();

  await button(page, OPTOUT.fr.undo).click(); // one click
  await waitFor(async () => !(await s.cookie("accord_optout")), { timeout: 2000, message: "accord_optout deleted by one click on « Ne plus m'opposer … »" });
  await expectVisible(button(page, OPTOUT.fr.object), `the button reads « ${OPTOUT.fr.object} » again`, 1000);
  assert.equal((await pageControl(page).state.innerText()).trim(), OPTOUT.fr.active, "the state line after the reversal");
  await waitFor(async () => (await tableRow(page)) === ROW_ACTIVE, { timeout: 2000, message: `#etat-choix « ${ROW_ACTIVE} » again` });
  await assertNotObjected(s, "after the reversal");
  await sleep(QUIET_MS);
  const onThisPage = s.trackerRequests("audience", "/m.js").length;
  t.diagnostic(`m.js requests on the page of the reversal: ${onThisPage}`);
  assert.ok(onThisPage <= 1, `m.js loaded ${onThisPage} times on the page of the reversal`);

  s.resetCounts();
  await s.goto("/demo/produit.html");
  await waitForAudience(s, "the next page after the reversal");
  await sleep(QUIET_MS);
  s.assertCount("audience", "/m.js", 1, "the next page after the reversal");
  s.assertCount("audience", "/hit", 1, "the next page after the reversal");
  await waitFor(() => s.cookie("_aud_id"), { message: "_aud_id set again after the reversal" });
  assert.equal(await s.cookie("accord_optout"), null, "accord_optout came back");
});

// ------------------------------------------------------------------ 6. keyboard

test("A6. keyboard: Tab to the privacy page's opt-out button, Enter objects, focus stays on it and its name changes", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await privacyPageWithAudience(s);
  s.resetCounts();
  const { toggle } = pageControl(page);
  const presses = await tabTo(page, toggle, `Tab to « ${OPTOUT.fr.object} »`, 120);
  t.diagnostic(`reached after ${presses} Tab press(es)`);
  assert.equal((await toggle.innerText()).trim(), OPTOUT.fr.object, "the focused button's name before Enter");
  await page.keyboard.press("Enter");
  await waitFor(() => page.evaluate(() => Accord.consent().objections.includes("audience")), { message: "Enter on the opt-out button objected" });
  await assertObjected(s, "after Enter");
  await expectVisible(button(page, OPTOUT.fr.undo), `the accessible name changed to « ${OPTOUT.fr.undo} »`, 1000);
  assert.ok(await isFocused(toggle), "focus should stay on the opt-out button after Enter");
  const focusedName = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
  assert.equal(focusedName, OPTOUT.fr.undo, "the focused element's name after Enter");
  await sleep(QUIET_MS);
  s.assertNoTraffic("the keyboard opt-out (no /event for the key press)", "audience");
  assert.ok(await s.cookie("accord_optout"), "accord_optout missing after the keyboard opt-out");
});

// ------------------------------------------------------------------ 7. English

test("A7. English page: the control in « Customize » reads « Object to audience measurement », then « Stop objecting … »", async (t) => {
  const s = await h.session(t, { locale: "en-GB" });
  const { page } = s;
  await s.goto("/demo/en/index.html");
  await expectVisible(banner(page, "en"), "the English first layer");
  await waitForAudience(s, "English page, fresh visit");
  await button(page, en.customize).click();
  const object = button(page, OPTOUT.en.object);
  await expectVisible(object, `« ${OPTOUT.en.object} » in the English preferences`);
  const state = page.locator(".accord-prefs .accord-optout-state");
  assert.equal((await state.innerText()).trim(), OPTOUT.en.active, "the English state line before");
  await waitFor(() => h.trackerHits("audience", "/event").length >= 1, { message: "test setup: m.js reported the « Customize » click" });
  await sleep(300);
  s.resetCounts();
  await object.click();
  await expectVisible(button(page, OPTOUT.en.undo), `« ${OPTOUT.en.undo} » after objecting`);
  assert.equal((await state.innerText()).trim(), OPTOUT.en.objected, "the English state line after objecting");
  await assertObjected(s, "English page");
  await sleep(QUIET_MS);
  s.assertNoTraffic("the English opt-out click", "audience");
  await button(page, OPTOUT.en.undo).click();
  await expectVisible(button(page, OPTOUT.en.object), `« ${OPTOUT.en.object} » again after « ${OPTOUT.en.undo} »`);
  await waitFor(async () => !(await s.cookie("accord_optout")), { timeout: 2000, message: "accord_optout deleted by « Stop objecting … »" });
});

// ------------------------------------------------------------------ 8. Google Consent Mode v2

test("G1. Consent Mode: the default (all denied) is dataLayer[0]; « Tout accepter » → update ad_* granted (analytics denied: exempt); « Tout refuser » and Accord.withdraw() → all denied", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await waitReady(s);
  let dl = await dataLayer(page);
  assert.ok(dl.length >= 1 && isConsent(dl[0], "default"), `dataLayer[0] should be an Arguments object ('consent', 'default', …):\n${fmtDl(dl)}`);
  assert.deepEqual(dl[0].args[2], DENIED, "the default denies the four signals");
  assert.equal(dl.filter((e) => isConsent(e, "default")).length, 1, `one default only:\n${fmtDl(dl)}`);
  assert.deepEqual(consentUpdates(dl), [], `no update before any decision (the exempt tool grants no Google signal):\n${fmtDl(dl)}`);

  await button(page, fr.acceptAll).click();
  dl = await waitFor(async () => {
    const d = await dataLayer(page);
    return consentUpdates(d).length >= 1 ? d : null;
  }, { message: "a consent update after « Tout accepter »" });
  let last = dl[dl.length - 1];
  assert.ok(isConsent(last, "update"), `the last entry after « Tout accepter » should be the update:\n${fmtDl(dl)}`);
  assert.deepEqual(last.args[2], ADS_GRANTED, "« Tout accepter »: advertising grants ad_*; the exempt audience grants no analytics_storage");
  assert.ok(isConsent(dl[0], "default"), `the default is still first:\n${fmtDl(dl)}`);

  // The next page: the default first, then an update from the stored decision.
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "reopen button on the next page");
  dl = await waitFor(async () => {
    const d = await dataLayer(page);
    return consentUpdates(d).length >= 1 ? d : null;
  }, { message: "an update at page load from the stored decision" });
  assert.ok(isConsent(dl[0], "default"), `next page: dataLayer[0] is the default:\n${fmtDl(dl)}`);
  assert.deepEqual(consentUpdates(dl).at(-1).args[2], ADS_GRANTED, "next page: the update from the stored decision");

  await button(page, fr.reopen).click();
  await button(page, fr.rejectAll).first().click();
  dl = await waitFor(async () => {
    const d = await dataLayer(page);
    const u = consentUpdates(d);
    return u.length >= 2 ? d : null;
  }, { message: "a second update after « Tout refuser »" });
  last = dl[dl.length - 1];
  assert.ok(isConsent(last, "update"), `the last entry after « Tout refuser » should be the update:\n${fmtDl(dl)}`);
  assert.deepEqual(last.args[2], DENIED, "« Tout refuser »: all four denied");

  // Accept again, then Accord.withdraw().
  await button(page, fr.reopen).click();
  await button(page, fr.acceptAll).first().click();
  await waitFor(async () => {
    const u = consentUpdates(await dataLayer(page));
    return u.length >= 3 && u.at(-1).args[2].ad_storage === "granted";
  }, { message: "an update granting ad_storage after accepting again" });
  await page.evaluate(() => Accord.withdraw());
  dl = await waitFor(async () => {
    const d = await dataLayer(page);
    return consentUpdates(d).length >= 4 ? d : null;
  }, { message: "an update after Accord.withdraw()" });
  last = dl[dl.length - 1];
  assert.ok(isConsent(last, "update"), `the last entry after Accord.withdraw() should be the update:\n${fmtDl(dl)}`);
  assert.deepEqual(last.args[2], DENIED, "Accord.withdraw(): all four denied");
});

test("G2. Consent Mode before any tag: the page's gtag snippet finds the default already there; the advertising tags run after an update granting ad_storage", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/gcm.html");
  await waitReady(s);
  const atStart = await page.evaluate(() => window.__dlAtStart);
  assert.ok(Array.isArray(atStart) && atStart.length === 1, `the page's first script should find exactly the default in the dataLayer, found ${JSON.stringify(atStart)}`);
  assert.deepEqual(atStart[0], ["consent", "default", DENIED], "what the page's first script found");
  let dl = await dataLayer(page);
  assert.equal(await page.evaluate(() => window.__dlAtConfig), 3, `dataLayer length after the page's 'js' and 'config' (default + 2):\n${fmtDl(dl)}`);
  assert.ok(isConsent(dl[0], "default"), `dataLayer[0] should be the default:\n${fmtDl(dl)}`);
  assert.deepEqual(dl[0].args[2], DENIED, "the default denies all four");
  assert.equal(dl[1].args?.[0], "js", `dataLayer[1] should be the page's gtag('js'):\n${fmtDl(dl)}`);
  assert.deepEqual(dl[2].args, ["config", "G-TEST"], `dataLayer[2] should be the page's gtag('config'):\n${fmtDl(dl)}`);
  await sleep(QUIET_MS);
  assert.equal(s.trackerRequests("advertising").length + h.trackerHits("advertising").length, 0, `advertising before consent:\n${s.describeRequests()}`);
  assert.equal(await page.evaluate(() => window.__probeRuns), undefined, "the tagged probe ran before consent");

  await expectVisible(banner(page), "first layer on the test page");
  await button(page, fr.acceptAll).click();
  await waitFor(() => page.evaluate(() => window.demoAdsRuns === 1 && window.__probeRuns === 1), { message: "ads.js and the tagged probe ran after « Tout accepter »" });
  const seen = await page.evaluate(() => window.__dlAtProbe);
  assert.deepEqual(seen[0], ["consent", "default", DENIED], `the tagged script saw the default first: ${JSON.stringify(seen)}`);
  const granted = seen.filter((a) => a[1] === "update" && a[2].ad_storage === "granted");
  assert.equal(granted.length, 1, `when the tagged advertising script ran, an update granting ad_storage was already in the dataLayer: ${JSON.stringify(seen)}`);
  assert.deepEqual(granted[0][2], ADS_GRANTED, "the update the tagged script saw");
  dl = await dataLayer(page);
  const iUpdate = dl.findIndex((e) => isConsent(e, "update"));
  assert.ok(iUpdate > 2, `the update comes after the default and the page's commands:\n${fmtDl(dl)}`);
  assert.equal(await page.evaluate(() => window.demoAdsRuns), 1, "ads.js should have run once");
  await waitFor(() => h.trackerHits("advertising", "/ads.js").length === 1, { message: "the advertising server got ads.js once" });
});

test("G3. Consent Mode: the page replaces window.dataLayer; the module puts the default back in front of the new array as soon as it starts, before any decision", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/gcm-replaced.html");
  await waitReady(s);
  let dl = await dataLayer(page);
  assert.ok(await page.evaluate(() => window.dataLayer.__pageArray === true), "test setup: window.dataLayer is the page's own array");
  assert.deepEqual(dl[1], { obj: { event: "x" } }, `the page's array keeps its own first entry, right after the default:\n${fmtDl(dl)}`);
  assert.ok(isConsent(dl[0], "default"), `before any decision, the default is back in front of the page's array:\n${fmtDl(dl)}`);
  assert.deepEqual(dl[0].args[2], DENIED, "the default put back before any decision denies all four");
  assert.deepEqual(consentUpdates(dl), [], `no update before any decision:\n${fmtDl(dl)}`);

  await expectVisible(banner(page), "first layer on the test page");
  await button(page, fr.acceptAll).click();
  await waitFor(() => page.evaluate(() => window.demoAdsRuns === 1 && window.__probeRuns === 1), { message: "ads.js and the tagged probe ran after « Tout accepter »" });
  dl = await dataLayer(page);
  assert.ok(await page.evaluate(() => window.dataLayer.__pageArray === true), "the module replaced the page's array instead of writing to it");
  const iDefault = dl.findIndex((e) => isConsent(e, "default"));
  const iUpdate = dl.findIndex((e) => isConsent(e, "update"));
  assert.ok(iDefault >= 0, `the default should be back in the page's new array:\n${fmtDl(dl)}`);
  assert.equal(iDefault, 0, `the default should be in front of the page's array:\n${fmtDl(dl)}`);
  assert.deepEqual(dl[iDefault].args[2], DENIED, "the re-inserted default denies all four");
  assert.ok(iUpdate > iDefault, `the update should come after the default:\n${fmtDl(dl)}`);
  assert.deepEqual(dl[iUpdate].args[2], ADS_GRANTED, "the update after « Tout accepter »");
  assert.equal(dl.filter((e) => isConsent(e, "default")).length, 1, `one default only:\n${fmtDl(dl)}`);
  for (const want of [{ obj: { event: "x" } }]) assert.ok(dl.some((e) => JSON.stringify(e) === JSON.stringify(want)), `the page's own entries are kept:\n${fmtDl(dl)}`);
  assert.ok(dl.some((e) => e.args?.[0] === "config"), `the page's gtag('config') is kept:\n${fmtDl(dl)}`);
  const seen = await page.evaluate(() => window.__dlAtProbe);
  assert.ok(seen.length >= 2 && seen[0][1] === "default" && seen.some((a) => a[1] === "update" && a[2].ad_storage === "granted"), `the tagged script saw the default then the granting update: ${JSON.stringify(seen)}`);
});

test("G4. Consent Mode: the page's own array opens with a default granting everything; Accord's denied default goes in front and an update denies all four before any decision", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/gcm-page-default.html");
  await waitReady(s);
  let dl = await dataLayer(page);
  assert.ok(await page.evaluate(() => window.dataLayer.__pageArray === true), "test setup: window.dataLayer is the page's own array");
  const defaults = dl.filter((e) => isConsent(e, "default"));
  assert.equal(defaults.length, 2, `Accord's default and the page's (kept):\n${fmtDl(dl)}`);
  assert.ok(isConsent(dl[0], "default"), `dataLayer[0] should be Accord's default:\n${fmtDl(dl)}`);
  assert.deepEqual(dl[0].args[2], DENIED, "Accord's default, in front, denies all four");
  const iPage = dl.findIndex((e, i) => i > 0 && isConsent(e, "default"));
  assert.equal(dl[iPage].args[2].ad_storage, "granted", `test setup: the page's own default grants ad_storage:\n${fmtDl(dl)}`);
  const updates = consentUpdates(dl);
  assert.equal(updates.length, 1, `one update before any decision, overriding the page's default:\n${fmtDl(dl)}`);
  assert.deepEqual(updates[0].args[2], DENIED, "the update before any decision denies all four");
  assert.ok(isConsent(dl[iPage + 1], "update"), `the update comes right after the page's default, before its gtag('js') and gtag('config'):\n${fmtDl(dl)}`);
  assert.equal(dl[iPage + 2].args?.[0], "js", `the page's gtag('js') follows the update:\n${fmtDl(dl)}`);
  await sleep(QUIET_MS);
  assert.equal(s.trackerRequests("advertising").length + h.trackerHits("advertising").length, 0, `advertising before consent:\n${s.describeRequests()}`);

  await expectVisible(banner(page), "first layer on the test page");
  await button(page, fr.acceptAll).click();
  await waitFor(() => page.evaluate(() => window.__probeRuns === 1), { message: "the tagged probe ran after « Tout accepter »" });
  dl = await dataLayer(page);
  assert.deepEqual(consentUpdates(dl).at(-1).args[2], ADS_GRANTED, `after « Tout accepter », the last update:\n${fmtDl(dl)}`);
  assert.equal(dl.filter((e) => isConsent(e, "default")).length, 2, `no further default after the decision:\n${fmtDl(dl)}`);
});

test("G5. Consent Mode: a first default of the page's that does not deny all four everywhere (a v1 leftover, one region only, a plain array gtag ignores) gets Accord's denied default in front", async (t) => {
  for (const v of ["partial", "region", "array"]) {
    const s = await h.session(t);
    const { page } = s;
    await s.goto(`/__test/gcm-page-default.html?v=${v}`);
    await waitReady(s);
    const dl = await dataLayer(page);
    assert.ok(await page.evaluate(() => window.dataLayer.__pageArray === true), `${v}: test setup: window.dataLayer is the page's own array`);
    assert.ok(isConsent(dl[0], "default"), `${v}: dataLayer[0] should be Accord's default:\n${fmtDl(dl)}`);
    assert.deepEqual(dl[0].args[2], DENIED, `${v}: Accord's default, in front, denies all four, for every region`);
    const pageEntry = v === "array" ? dl[1].obj : dl[1].args?.[2];
    assert.ok(pageEntry, `${v}: test setup: the page's own default is kept, second:\n${fmtDl(dl)}`);
    assert.deepEqual(consentUpdates(dl), [], `${v}: no update before any decision (the page's default grants nothing):\n${fmtDl(dl)}`);
  }
});

// ------------------------------------------------------------------ 9. invalid exempt config

test("A8. an exempt vendor with a cross-site identifier: ACCORD_CONFIG_INVALID naming the field, and nothing gated runs (fail closed)", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/exempt-invalid.html");
  const first = await waitFor(async () => (await s.events(page, "accord:error"))[0], { message: "an accord:error event for the invalid exempt config" });
  t.diagnostic(`accord:error detail: ${JSON.stringify(first.detail)}`);
  assert.equal(first.detail?.code, "ACCORD_CONFIG_INVALID", `the error code: ${JSON.stringify(first.detail)}`);
  const text = JSON.stringify(first.detail);
  assert.ok(text.includes("cross_site_identifier"), `the error should name "cross_site_identifier": ${text}`);
  assert.ok(text.includes("exempt-audience"), `the error should name "exempt-audience": ${text}`);
  await sleep(QUIET_MS);
  const errors = await s.events(page, "accord:error");
  assert.equal(errors.length, 1, `accord:error should fire once, fired ${errors.length}: ${JSON.stringify(errors)}`);
  s.assertNoTraffic("invalid exempt config", "audience");
  assert.deepEqual(s.trackerRequests(), [], `no tracker at all with an invalid config:\n${s.describeRequests()}`);
  assert.equal(await page.evaluate(() => window.demoAudienceRuns), undefined, "m.js ran with an invalid config");
  assert.equal(await s.cookie("_aud_id"), null, "_aud_id set with an invalid config");
  for (const name of [fr.acceptAll, fr.customize]) assert.ok(await noneVisible(button(page, name)), `« ${name} » shown although the config is invalid`);
});

test("A9. the opt-out control is legible and reflows: texts at least 4.5:1 on the privacy page and in the preferences, nothing cut off at 320 px", async (t) => {
  const s = await h.session(t, { viewport: { width: 320, height: 640 } });
  const { page } = s;
  await privacyPageWithAudience(s, "privacy page at 320 px");
  // At 320 px the first layer covers most of the screen: answer it first (refusing
  // consent leaves the exempt tool on), then look at the page's own control.
  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), "the first layer after « Tout refuser »");
  const check = async (selector, where) => {
    const list = await textContrasts(page, selector);
    assert.ok(list.length >= 2, `${where}: the state line and the button measured (${JSON.stringify(list)})`);
    assert.deepEqual(list.filter((x) => x.ratio < 4.5), [], `${where}: texts under 4.5:1`);
  };
  await check("[data-accord-optout] *", "privacy page control");
  const { toggle } = pageControl(page);
  await toggle.scrollIntoViewIfNeeded();
  const box = await toggle.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `the opt-out button is cut off at 320 px: ${JSON.stringify(box)}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the privacy page scrolls sideways at 320 px (${width})`);
  await toggle.click();
  await expectVisible(button(page, OPTOUT.fr.undo), "the control after the opt-out at 320 px");
  await check("[data-accord-optout] *", "privacy page control, objected");

  await button(page, fr.reopen).click();
  const inPrefs = page.locator("#accord-root [role=dialog] .accord-optout");
  await expectVisible(inPrefs, "the opt-out under « Mesure d'audience » in the preferences");
  await check("#accord-root [role=dialog] .accord-optout *", "preferences control");
  const prefsButton = inPrefs.getByRole("button");
  await prefsButton.scrollIntoViewIfNeeded();
  const pbox = await prefsButton.boundingBox();
  assert.ok(pbox && pbox.x >= 0 && pbox.x + pbox.width <= 320, `the preferences' opt-out button is cut off at 320 px: ${JSON.stringify(pbox)}`);
});

// ------------------------------------------------------------------ 10-12. edge cases

test("A10. a first choice about something else is no objection: Accord.set({video: true}) on a first visit keeps exempt audience on, writes no marker", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/demo/produit.html");
  await waitForAudience(s, "first visit");
  await waitReady(s);
  await page.evaluate(() => Accord.set({ video: true }));
  const c = await waitFor(async () => ((await s.consent()).decided ? s.consent() : null), { message: "the custom decision of Accord.set" });
  assert.equal(c.purposes.video, true, "video granted");
  assert.equal(c.purposes.audience, true, `exempt audience stays on: ${JSON.stringify(c)}`);
  assert.deepEqual(c.objections, [], "no objection");
  assert.equal(await s.cookie("accord_optout"), null, "no opt-out marker was written");
  s.resetCounts();
  await s.goto("/");
  await waitForAudience(s, "the next page");
});

test("A11. an objection recorded only in an older record (audience=0, older policy) becomes the marker; lifting it drops that stale record so it does not come back", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const now = Math.floor(Date.now() / 1000);
  const stale = `1|0123456789abcdef0123456789abcdef|${now - 86400}|${now + 90 * 86400}|custom|2025-01-01|audience=0&advertising=0&video=0`;
  await s.context.addCookies([{ name: "accord", value: stale, url: h.url("/") }]);
  await s.goto(PRIVACY);
  await expectVisible(banner(page), "the banner (the old record is of another policy version)");
  await waitReady(s);
  await assertObjected(s, "an objection from the older record");
  const marker = await s.cookie("accord_optout");
  assert.ok(marker && /^1\|\d+\|audience$/.test(marker.value), `the marker was written from the older record: ${JSON.stringify(marker)}`);
  await sleep(QUIET_MS);
  s.assertNoTraffic("the page with the older objection", "audience");

  await pageControl(page).toggle.click();
  await waitFor(async () => !(await s.cookie("accord_optout")), { timeout: 2000, message: "the marker deleted by « Ne plus m'opposer »" });
  assert.equal(await s.cookie("accord"), null, "the stale record was dropped with it");
  s.resetCounts();
  await s.goto("/demo/produit.html");
  await waitForAudience(s, "the next page: the objection did not come back");
  await assertNotObjected(s, "the next page");
});

test("A12. a vendor served from the page's own origin: one ACCORD_VENDOR_SAME_ORIGIN error says Accord cannot block its requests", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/same-origin-vendor.html");
  const errors = await waitFor(async () => {
    const e = (await s.events(page, "accord:error")).filter((x) => x.detail?.code === "ACCORD_VENDOR_SAME_ORIGIN");
    return e.length ? e : null;
  }, { message: "an accord:error ACCORD_VENDOR_SAME_ORIGIN" });
  assert.equal(errors.length, 1, "said once");
  assert.match(errors[0].detail.message, /"maison"/, "it names the vendor");
  assert.match(errors[0].detail.message, /data-accord-purpose/, "it says what stays under control");
});

test("A13. a single-page app adds <div data-accord-optout=\"audience\"> after Accord started (or sets the attribute later): the control fills in, and its button objects with nothing sent to the tool", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await waitForAudience(s, "home page, fresh visit");
  await waitReady(s);
  assert.equal(await page.locator("[data-accord-optout]").count(), 0, "test setup: the home page has no opt-out container");

  // The app renders its privacy view client-side, as an SPA router would, some time after Accord started.
  await page.evaluate(() => {
    const view = document.createElement("section");
    view.id = "spa-privacy";
    view.innerHTML = '<h2>Vie privée</h2><div data-accord-optout="audience"></div>';
    document.querySelector("main").append(view);
  });
  const { state, toggle } = pageControl(page);
  await expectVisible(toggle, "the opt-out button in the container the app added", 2000);
  assert.equal((await toggle.innerText()).trim(), OPTOUT.fr.object, "the added control's button");
  assert.equal((await state.innerText()).trim(), OPTOUT.fr.active, "the added control's state line");

  s.resetCounts();
  await toggle.click();
  await waitFor(() => page.evaluate(() => Accord.consent().objections.includes("audience")), { message: "the objection recorded from the added control" });
  await sleep(QUIET_MS);
  s.assertNoTraffic("the click on the added control", "audience");
  assert.equal((await toggle.innerText()).trim(), OPTOUT.fr.undo, "the added control's button after the opt-out");
  await assertObjected(s, "after the opt-out from the added control");

  // A second container added later shows the state as it is now.
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "second";
    d.setAttribute("data-accord-optout", "audience");
    document.querySelector("#spa-privacy").append(d);
  });
  await waitFor(async () => (await page.locator("#second .accord-optout-state").textContent())?.trim() === OPTOUT.fr.objected, {
    timeout: 2000,
    message: "a second container added after the opt-out says the objection is in place",
  });
  // An element already in the page that gets the attribute later.
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "third";
    document.querySelector("#spa-privacy").append(d);
  });
  await sleep(200);
  await page.evaluate(() => document.querySelector("#third").setAttribute("data-accord-optout", "audience"));
  await waitFor(async () => (await page.locator("#third .accord-optout-state").count()) === 1 && (await page.locator("#third .accord-optout-state").textContent())?.trim() === OPTOUT.fr.objected, {
    timeout: 2000,
    message: "an element given data-accord-optout after it was inserted fills in too",
  });
});

// Issue 13 item 3: before any choice, the first layer may not hide content the person
// cannot reach. On the privacy page (controller.privacy_url) the layer takes its place at
// the top of the page, so the policy and its opt-out stay readable and usable with a mouse;
// on every other page the page keeps room under the floating layer, so it can always be
// scrolled until its last content sits clear of the layer.
for (const viewport of [{ width: 1280, height: 800 }, { width: 320, height: 640 }]) {
  const size = `${viewport.width} × ${viewport.height}`;
  test(`A10. ${size}: before any choice the privacy page's opt-out is not under the banner and a mouse click on it objects`, async (t) => {
    const s = await h.session(t, { viewport });
    const { page } = s;
    await privacyPageWithAudience(s, `privacy page at ${size}`);
    const { toggle } = pageControl(page);
    await toggle.scrollIntoViewIfNeeded();
    const hit = await toggle.evaluate((b) => {
      const r = b.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const layer = document.querySelector("#accord-root [role=dialog]").getBoundingClientRect();
      const overlap = !(r.bottom <= layer.top || r.top >= layer.bottom || r.right <= layer.left || r.left >= layer.right);
      return { onTop: top === b || b.contains(top), overlap, inView: r.top >= 0 && r.bottom <= innerHeight };
    });
    assert.deepEqual(hit, { onTop: true, overlap: false, inView: true }, `the opt-out button is in view, on top and clear of the first layer at ${size}`);
    // A real mouse click at the button's centre.
    const box = await toggle.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitFor(() => page.evaluate(() => Accord.consent().objections.includes("audience")), { message: "the objection recorded by a mouse click, before any choice" });
    assert.equal((await s.consent()).decided, false, "objecting is not a decision on the banner");
    await expectVisible(banner(page), "the first layer, still asking");
  });

  for (const path of ["/", "/__test/large-text.html"]) {
    test(`A11. ${size}: on ${path} the page can be scrolled until its last content sits clear of the floating first layer`, async (t) => {
      const s = await h.session(t, { viewport });
      const { page } = s;
      await s.goto(path);
      await expectVisible(banner(page), "the first layer");
      await sleep(300);
      const r = await page.evaluate(() => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        const layer = document.querySelector("#accord-root [role=dialog]").getBoundingClientRect();
        // The page's own content: every element outside Accord's, with a box.
        let bottom = 0;
        let last = "";
        for (const el of document.body.querySelectorAll("*")) {
          if (el.closest("#accord-root, .accord-reserve, script, style")) continue;
          const b = el.getBoundingClientRect();
          if (!b.width || !b.height) continue;
          if (b.bottom > bottom) [bottom, last] = [b.bottom, `${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 30)}"`];
        }
        return { bottom: Math.round(bottom), last, layerTop: Math.round(layer.top), position: getComputedStyle(document.querySelector("#accord-root [role=dialog]")).position };
      });
      t.diagnostic(JSON.stringify(r));
      assert.equal(r.position, "fixed", "test setup: the first layer floats on this page");
      assert.ok(r.bottom <= r.layerTop, `scrolled to the end, the page's last content (${r.last}, bottom ${r.bottom}) is still under the first layer (top ${r.layerTop})`);
    });
  }
}
