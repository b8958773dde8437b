// The 13-month cap (SPEC §5, issue 3): every cookie written from the page, by any script,
// expires at most 13 months after the first time that name was deposited on the site, and
// rewriting never pushes it later. A consented advertising tracker rewrites _adn (Max-Age
// 2 years) and _adn_px (Expires = page clock + 2 years) on every visit; the site's own
// script rewrites fp_pref (5 years) and fp_session (no expiry). Visits at 0, 3, 7, 12 and
// 14 months on Playwright's clock, in one browser context (same cookie jar, same
// localStorage ledger); the record expires after 6 months, so the banner comes back at 7
// and 14 and is accepted again. Expiries are read from the browser's own jar.
// At 14 months the record of the visit at 7 has lapsed (at 13): expiry is a withdrawal
// (issue 12), so the advertising cookies deposited under it are purged when the page
// loads (listed in Accord.audit().purged) and the new consent deposits them afresh: their
// cap is then 13 months after that new deposit. The site's own fp_pref, which no consent
// governs, keeps its first deposit's cap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, waitFor, sleep, button, banner, expectHidden, addMonthsClamped } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const VISITS_MONTHS = [0, 3, 7, 12, 14];
const PERSISTENT = ["_adn", "_adn_px", "fp_pref"];
/** The advertising cookies: purged when their consent lapses, deposited afresh on a new one. */
const LAPSING = ["_adn", "_adn_px"];
const SLACK_MS = 2000; // seconds rounding in cookie dates
const iso = (ms) => (ms > 0 ? new Date(ms).toISOString() : String(ms));

test("lifetime: 2-year and 5-year cookies rewritten on every visit stay ≤ first deposit + 13 months, never pushed later; session cookies stay session", async (t) => {
  const s = await h.session(t);
  const { page, context } = s;
  const T0 = Date.now();
  await page.clock.install({ time: T0 });

  let first = null; // page-clock window around the first deposit: { lo, hi }
  const prev = {};
  const table = [];
  const within = []; // problems on the visits before the cap (0, 3, 7, 12 months)
  const past = []; // problems on the visit past the cap (14 months)

  for (const m of VISITS_MONTHS) {
    const at = addMonthsClamped(new Date(T0), m);
    if (m > 0) await page.clock.setSystemTime(at);
    await s.goto("/__test/lifetime.html");
    const pageStart = await page.evaluate(() => Date.now());
    assert.ok(Math.abs(pageStart - at.getTime()) < 60_000, `test setup: the page clock should read ${at.toISOString()}, reads ${iso(pageStart)}`);

    // Accept when asked (first visit, and after the 6-month record has expired).
    const accept = button(page, fr.acceptAll);
    const reopen = button(page, fr.reopen);
    await accept.or(reopen).first().waitFor({ state: "visible", timeout: 10_000 });
    const asked = await accept.isVisible();
    if (asked) {
      await accept.click();
      await expectHidden(banner(page), `the banner after "Tout accepter" (visit at +${m} months)`);
    }
    // The tracker scripts and the site's script ran on this visit (the writes happened).
    await waitFor(() => page.evaluate(() => (window.__cookieRuns || []).length >= 2 && window.__fpRuns >= 1), {
      timeout: 8000,
      message: `the advertising cookie scripts and the site's cookie script ran on the visit at +${m} months`,
    });
    await sleep(800);
    const pageNow = await page.evaluate(() => Date.now());
    if (m === 0) first = { lo: at.getTime(), hi: pageNow };
    const capHi = addMonthsClamped(new Date(first.hi), 13).getTime();
    const capLo = addMonthsClamped(new Date(first.lo), 13).getTime();
    const problems = pageNow > capLo ? past : within;

    const jar = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
    const row = { visit: `+${m} mo`, page: iso(pageNow).slice(0, 10), asked };
    // Past the cap: the lapsed consent's cookies were purged at load, before the new one.
    let purged = [];
    let audit = null;
    if (pageNow > capLo) {
      audit = await page.evaluate(() => window.Accord.audit());
      purged = (audit.purged || []).filter((p) => p.reason === "lapsed").flatMap((p) => p.cookies);
      for (const name of LAPSING) {
        if (!purged.includes(name)) problems.push(`+${m} months: the record had lapsed, but Accord.audit().purged does not list ${name} as purged: ${JSON.stringify(audit.purged)}`);
      }
    }
    for (const name of PERSISTENT) {
      const c = jar[name];
      const exp = c ? c.expires * 1000 : null;
      if (purged.includes(name)) {
        // A new deposit under the new consent. What Accord wrote is read from its audit:
        // the jar's expiry is also capped by Chromium at 400 days of its real clock, which
        // the page clock (+14 months) does not move.
        row[name] = c ? iso(exp).slice(0, 16) : "absent";
        if (!c || !(c.expires > 0)) problems.push(`+${m} months: ${name} should be deposited again, persistent, under the new consent (${c ? "session" : "absent"})`);
        const e = (audit.cookies || []).find((x) => x && x.name === name);
        const fd = e && Date.parse(e.first_deposit);
        if (!e || !(fd >= at.getTime() - 60_000 && fd <= pageNow + 60_000)) {
          problems.push(`+${m} months: Accord.audit() should date ${name}'s new first deposit at this visit (${iso(at.getTime())}): ${JSON.stringify(e)}`);
        } else if (!e.clamped || Math.abs(Date.parse(e.expires) - addMonthsClamped(new Date(fd), 13).getTime()) > SLACK_MS) {
          problems.push(`+${m} months: Accord should write ${name} to die 13 months after its new deposit (${iso(addMonthsClamped(new Date(fd), 13).getTime())}): ${JSON.stringify(e)}`);
        }
        prev[name] = exp;
        continue;
      }
      row[name] = c ? (c.expires > 0 ? iso(exp).slice(0, 16) : "session") : "absent";
      if (pageNow < capLo - 60_000) {
        // Before the cap: the cookie exists, is persistent, and is clamped.
        if (!c) {
          problems.push(`+${m} months: ${name} is absent (the visit rewrote it; it should exist until ${iso(capLo)})`);
          continue;
        }
        if (!(c.expires > 0)) {
          problems.push(`+${m} months: ${name} became a session cookie (expires ${c.expires}); a persistent cookie must stay persistent, clamped`);
          continue;
        }
      }
      if (c && c.expires > 0) {
        if (exp > capHi + SLACK_MS) {
          const note = pageNow > capLo ? " (this visit is past the cap: a rewrite after the first 13 months must not start a new lifetime)" : "";
          problems.push(`+${m} months: ${name} expires ${iso(exp)}, later than its first deposit (${iso(first.hi)} at the latest) + 13 months = ${iso(capHi)}${note}`);
        }
        if (prev[name] && exp > prev[name] + SLACK_MS) {
          problems.push(`+${m} months: rewriting ${name} pushed its expiry later: ${iso(prev[name])} → ${iso(exp)}`);
        }
        if (m === 0 && exp < addMonthsClamped(new Date(first.lo), 12).getTime()) {
          problems.push(`first visit: ${name} expires ${iso(exp)}, sooner than 12 months: a 2-year or 5-year write should be clamped to ~13 months, not cut short`);
        }
        prev[name] = exp;
      }
    }
    const sess = jar.fp_session;
    row.fp_session = sess ? (sess.expires === -1 ? "session" : iso(sess.expires * 1000).slice(0, 16)) : "absent";
    if (!sess) problems.push(`+${m} months: the session cookie fp_session is missing`);
    else if (sess.expires !== -1) problems.push(`+${m} months: the session cookie fp_session got an expiry (${iso(sess.expires * 1000)}); it must stay a session cookie`);
    table.push(row);

    // The self-audit on the last visit before the cap: the clamped cookies with their first deposit.
    if (m === 12) {
      const audit = await page.evaluate(() => window.Accord.audit());
      t.diagnostic(`Accord.audit().cookies at +${m} months: ${JSON.stringify(audit && audit.cookies)}`);
      const cookies = (audit && audit.cookies) || [];
      for (const name of ["_adn", "fp_pref"]) {
        const e = cookies.find((x) => x && x.name === name);
        if (!e) {
          problems.push(`Accord.audit().cookies lists no ${name}`);
          continue;
        }
        const fd = Date.parse(e.first_deposit);
        if (!(fd >= first.lo - 60_000 && fd <= first.hi + 60_000)) {
          problems.push(`Accord.audit(): ${name}.first_deposit ${e.first_deposit} is not the first visit (${iso(first.lo)} … ${iso(first.hi)})`);
        }
        if (e.expires !== null && Date.parse(e.expires) > capHi + SLACK_MS) problems.push(`Accord.audit(): ${name}.expires ${e.expires} is past first deposit + 13 months`);
        if (e.clamped !== true) problems.push(`Accord.audit(): ${name}.clamped is ${JSON.stringify(e.clamped)}, expected true (a 2-/5-year write was clamped)`);
      }
      const se = cookies.find((x) => x && x.name === "fp_session");
      if (se && se.expires !== null) problems.push(`Accord.audit(): fp_session.expires should be null (session cookie), got ${JSON.stringify(se.expires)}`);
    }
  }

  console.log(
    [
      "",
      `Cookie lifetime across visits (first deposit ${iso(first.lo)}; cap = first deposit + 13 months = ${iso(addMonthsClamped(new Date(first.lo), 13).getTime())})`,
      "| visit | page date | banner | _adn (Max-Age 2 y) | _adn_px (Expires +2 y) | fp_pref (5 y, first party) | fp_session |",
      "|---|---|---|---|---|---|---|",
      ...table.map((r) => `| ${r.visit} | ${r.page} | ${r.asked ? "accepted" : "-"} | ${r._adn} | ${r._adn_px} | ${r.fp_pref} | ${r.fp_session} |`),
      "",
    ].join("\n"),
  );
  await t.test("visits at 0, 3, 7 and 12 months: every rewrite ≤ first deposit + 13 months, never later than before; session cookies stay session; Accord.audit()", () => {
    assert.deepEqual(within, [], `cookie lifetimes:\n- ${within.join("\n- ")}`);
  });
  await t.test("visit at 14 months (the record lapsed at 13): the lapsed consent's cookies are purged and deposited afresh (≤ 13 months from then); the site's own cookie does not start a new lifetime past first deposit + 13 months", () => {
    assert.deepEqual(past, [], `cookie lifetimes past the cap:\n- ${past.join("\n- ")}`);
  });
});
