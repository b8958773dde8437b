// Nothing survives a withdrawal, an expiry or a refusal (issue 12), counted in a real
// Chromium on dist/:
//   - withdrawal in tab A after « Tout accepter »: the advertising vendor's own script had
//     written a localStorage and a sessionStorage key, an IndexedDB database and a cache
//     (under its declared storage_keys) and inserted its own cookie-sync iframe and a
//     pixel in a shadow root; afterwards none of them exists, in tab A and in tab B;
//   - a record that stopped counting (past its lifetime, or of an older policy_version):
//     on the next page the cookies of every purpose it had granted (every Path variant)
//     and their storage are gone before anything else runs, and Accord.audit() lists the
//     purge with reason "lapsed";
//   - the jar is watched, not only the setters: a vendor cookie set by an HTTP response of
//     a first-party proxy before any choice is gone within 1 s and listed in audit().
// The page /__test/leftovers.html uses tests/e2e/pages/leftovers.json: the demo config
// with storage_keys for the advertising (pubnet:*, pubnet-db, pubnet-cache) and video
// (vp_*) vendors. A second advertising script, served from the vendor's own origin, writes
// under names the config does not declare (pn_uid, pn_s, pn_later, pn-undeclared-db,
// pn-undeclared-cache): Accord attributes them by the script on the call stack, and they
// go with the purpose too; the site's own key (site:theme) stays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, sleep, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const PAGE = "/__test/leftovers.html";

/** What the advertising vendor left in the page and in the origin's storage. */
function leftovers(page) {
  return page.evaluate(async () => {
    const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    const cacheNames = await caches.keys();
    const host = document.getElementById("host");
    const vendor = (k) => k.startsWith("pubnet:") || k.startsWith("pn_");
    return {
      local: Object.keys(localStorage).filter(vendor).sort(),
      session: Object.keys(sessionStorage).filter(vendor).sort(),
      dbs: dbs.filter((n) => n === "pubnet-db" || n === "pn-undeclared-db").sort(),
      caches: cacheNames.filter((n) => n === "pubnet-cache" || n === "pn-undeclared-cache").sort(),
      frames: [...document.querySelectorAll("iframe")].map((f) => f.getAttribute("src")).filter((s) => s && s.includes("/t/cookie-sync")),
      shadowPixels: host && host.shadowRoot ? [...host.shadowRoot.querySelectorAll("img")].map((i) => i.getAttribute("src")) : [],
    };
  });
}

const audit = (page) => page.evaluate(() => window.Accord.audit());

test("withdrawal: the vendor's own storage (localStorage, sessionStorage, IndexedDB, cache; declared or not), its own iframe and its pixel in a shadow root are gone, in both tabs; the site's own storage stays", async (t) => {
  const s = await h.session(t);
  const A = s.page;
  await s.goto(PAGE, A);
  await expectVisible(banner(A), "the first layer");
  await button(A, fr.acceptAll).click();
  await expectHidden(banner(A), 'the banner after "Tout accepter"');
  await waitFor(() => A.evaluate(() => window.__vendor && window.__vendor.done), { timeout: 8000, message: "the advertising vendor's script ran and wrote its storage" });
  await waitFor(() => A.evaluate(() => window.__vendor2 && window.__vendor2.done), { timeout: 8000, message: "the vendor's own-origin script ran and wrote its undeclared storage" });
  const before = await leftovers(A);
  assert.deepEqual(
    [before.local, before.session, before.dbs, before.caches, before.frames.length, before.shadowPixels.length],
    [["pn_later", "pn_uid", "pubnet:uid"], ["pn_s", "pubnet:session"], ["pn-undeclared-db", "pubnet-db"], ["pn-undeclared-cache", "pubnet-cache"], 1, 1],
    `test setup: the vendor's leftovers should all exist after consent: ${JSON.stringify(before)}`,
  );

  const B = await s.newPage();
  await s.goto(PAGE, B);
  await expectVisible(button(B, fr.reopen), `"${fr.reopen}" in tab B`);
  await waitFor(async () => (await leftovers(B)).frames.length === 1, { timeout: 8000, message: "tab B's own vendor iframe" });

  // Withdraw in tab A.
  await A.bringToFront();
  await button(A, fr.reopen).click();
  await button(A, fr.rejectAll).click();
  await expectHidden(banner(A), 'the banner after "Tout refuser"');

  const empty = { local: [], session: [], dbs: [], caches: [], frames: [], shadowPixels: [] };
  const gone = (x) => JSON.stringify(x) === JSON.stringify(empty);
  const afterA = await waitFor(async () => {
    const x = await leftovers(A);
    return gone(x) ? x : null;
  }, { timeout: 3000, message: "tab A: every vendor leftover gone after the withdrawal" }).catch(async (e) => ({ error: e.message, ...(await leftovers(A)) }));
  assert.deepEqual(afterA, empty, "tab A after the withdrawal");
  // Tab B: its own sessionStorage key (per tab) and its own nodes, within 2 s.
  const afterB = await waitFor(async () => {
    const x = await leftovers(B);
    return gone(x) ? x : null;
  }, { timeout: 2000, message: "tab B: every vendor leftover gone" }).catch(async (e) => ({ error: e.message, ...(await leftovers(B)) }));
  assert.deepEqual(afterB, empty, "tab B after the withdrawal in tab A");
  // The vendor's script still runs (its timer): its rewrites are refused from now on.
  const refusedBefore = await A.evaluate(() => window.__vendor2.refused + window.__vendor2.rewrites);
  await sleep(1000);
  const still = await leftovers(A);
  assert.deepEqual(still.local, [], `the vendor's timer rewrote its key after the withdrawal: ${JSON.stringify(still)}`);
  const tries = (await A.evaluate(() => window.__vendor2.refused + window.__vendor2.rewrites)) - refusedBefore;
  assert.ok(tries >= 2, `test setup: the vendor's timer kept trying (${tries} tries in 1 s)`);
  const site = await A.evaluate(() => localStorage.getItem("site:theme"));
  assert.equal(site, "sombre", "the site's own storage stays");

  const a = await audit(A);
  const purge = a.purged.find((p) => p.reason === "withdrawn" && p.purposes.includes("advertising"));
  assert.ok(purge, `Accord.audit().purged lists the withdrawal: ${JSON.stringify(a.purged)}`);
  assert.ok(purge.nodes >= 2, `the purge removed the vendor's iframe and pixel (nodes: ${purge.nodes})`);
  for (const k of ["pubnet:uid", "indexedDB:pubnet-db", "caches:pubnet-cache", "pn_uid", "pn_s", "pn_later", "indexedDB:pn-undeclared-db", "caches:pn-undeclared-cache"]) {
    assert.ok(purge.storage.includes(k), `the purge lists ${k}: ${JSON.stringify(purge.storage)}`);
  }
});

/** A v1 record cookie value granting everything. */
function record({ decidedAt, expiresAt, policy }) {
  const id = "0123456789abcdef0123456789abcdef";
  return `1|${id}|${decidedAt}|${expiresAt}|accept_all|${encodeURIComponent(policy)}|audience=1&advertising=1&video=1`;
}

for (const [label, rec] of [
  ["past its lifetime (decided 7 months ago, expires_at passed)", () => {
    const now = Math.floor(Date.now() / 1000);
    return record({ decidedAt: now - 214 * 86400, expiresAt: now - 30 * 86400, policy: "2026-11-22" });
  }],
  ["of an older policy_version", () => {
    const now = Math.floor(Date.now() / 1000);
    return record({ decidedAt: now - 86400, expiresAt: now + 150 * 86400, policy: "2026-11-01" });
  }],
]) {
  test(`expiry is a withdrawal: a record ${label} leaves no cookie (every Path variant) and no storage of what it had granted`, async (t) => {
    const s = await h.session(t);
    const url = h.url("/");
    const far = Math.floor(Date.now() / 1000) + 300 * 86400;
    await s.context.addCookies([
      // The record cookie itself still in the jar (a browser keeps it to its own expiry).
      { name: "accord", value: rec(), url, expires: far },
      { name: "_adn", value: "old-root", domain: "127.0.0.1", path: "/", expires: far },
      { name: "_adn", value: "old-test", domain: "127.0.0.1", path: "/__test", expires: far },
      { name: "_adn_px", value: "old", domain: "127.0.0.1", path: "/__test/", expires: far },
      { name: "_vid", value: "old", domain: "127.0.0.1", path: "/", expires: far },
      { name: "site_pref", value: "kept", domain: "127.0.0.1", path: "/", expires: far },
    ]);
    // Storage written under the old consent, before this page (from a page without
    // Accord, which would purge it at once).
    await s.goto("/__test/blank.html");
    await s.page.evaluate(() => {
      localStorage.setItem("pubnet:uid", "old");
      localStorage.setItem("vp_last", "old");
      localStorage.setItem("site:theme", "kept");
      // An undeclared key the advertising vendor wrote on an earlier visit, as Accord
      // remembered it then (its storage ledger).
      localStorage.setItem("pn_old", "old");
      localStorage.setItem("accord.storage", "1\nadvertising storage pn_old");
    });
    const jarBefore = (await s.cookies()).map((c) => `${c.name}@${c.path}`).sort();
    assert.ok(jarBefore.includes("_adn@/__test"), `test setup: the old cookies are in the jar: ${jarBefore}`);

    await s.goto(PAGE);
    await expectVisible(banner(s.page), "the banner (the record no longer counts)");
    const jar = await waitFor(async () => {
      const left = (await s.cookies()).filter((c) => ["_adn", "_adn_px", "_vid"].includes(c.name));
      return left.length === 0 ? true : null;
    }, { timeout: 2000, message: "the old advertising and video cookies gone" }).catch(async () => (await s.cookies()).map((c) => `${c.name}@${c.path}=${c.value}`));
    assert.equal(jar, true, `cookies of the lapsed purposes still in the jar: ${JSON.stringify(jar)}`);
    const kept = (await s.cookies()).find((c) => c.name === "site_pref");
    assert.ok(kept, "the site's own cookie stays");
    const keys = await s.page.evaluate(() => Object.keys(localStorage));
    assert.ok(!keys.includes("pubnet:uid") && !keys.includes("vp_last") && !keys.includes("pn_old"), `storage of the lapsed purposes gone: ${keys}`);
    assert.ok(keys.includes("site:theme"), `the site's own storage stays: ${keys}`);
    const a = await audit(s.page);
    const purge = a.purged.find((p) => p.reason === "lapsed");
    assert.ok(purge, `Accord.audit().purged lists the lapse: ${JSON.stringify(a.purged)}`);
    assert.deepEqual([...purge.purposes].sort(), ["advertising", "video"], "the lapsed purposes (audience is exempt: it stays on)");
    for (const c of ["_adn", "_adn_px", "_vid"]) assert.ok(purge.cookies.includes(c), `the purge lists ${c}: ${JSON.stringify(purge.cookies)}`);
    s.assertNoTraffic("a page whose record no longer counts, before any choice", "advertising");
    s.assertNoTraffic("a page whose record no longer counts, before any choice", "video");
  });
}

test("the jar is watched: a vendor cookie set by a first-party HTTP response before any choice is gone within 1 s and listed in audit()", async (t) => {
  const s = await h.session(t);
  await s.goto(PAGE);
  await expectVisible(banner(s.page), "the first layer");
  await s.page.evaluate(() => fetch("/__proxy/set-cookie?name=_adn"));
  const t0 = Date.now();
  await waitFor(async () => !(await s.cookie("_adn")), { timeout: 1000, message: "_adn (set by HTTP) deleted" });
  t.diagnostic(`_adn gone ${Date.now() - t0} ms after the response`);
  const a = await audit(s.page);
  const entry = a.cookies.find((c) => c.name === "_adn");
  assert.ok(entry && entry.swept >= 1, `audit() lists _adn as swept: ${JSON.stringify(entry)}`);
  assert.equal(entry.swept_by, "cookieStore");
  assert.equal(entry.purpose, "advertising");
  // After « Tout refuser », the same.
  await button(s.page, fr.rejectAll).click();
  await expectHidden(banner(s.page), 'the banner after "Tout refuser"');
  await s.page.evaluate(() => fetch("/__proxy/set-cookie?name=_vid"));
  await waitFor(async () => !(await s.cookie("_vid")), { timeout: 1000, message: "_vid (set by HTTP after refusal) deleted" });
  // And a granted purpose's cookie set the same way stays.
  await s.page.evaluate(() => window.Accord.set({ video: true }));
  await sleep(300);
  await s.page.evaluate(() => fetch("/__proxy/set-cookie?name=_vid"));
  await sleep(1000);
  assert.ok(await s.cookie("_vid"), "a granted vendor's cookie set by HTTP stays");
});

// A vendor declared on the page's own origin (wrongly: Accord says it cannot block it,
// ACCORD_VENDOR_SAME_ORIGIN) must not make a withdrawal remove the site's own nodes: its
// stylesheet, its image, Accord's own accord.css.
test("a withdrawal never removes the site's own elements, even with a vendor declared on the page's origin", async (t) => {
  const s = await h.session(t);
  await s.goto("/__test/same-origin-vendor.html");
  await waitFor(() => s.page.evaluate(() => !Accord.consent().pending), { message: "the module to be ready" });
  const own = () =>
    s.page.evaluate(() => ({
      sheets: [...document.querySelectorAll("link[rel=stylesheet]")].map((l) => new URL(l.href).pathname).sort(),
      img: !!document.getElementById("own-img"),
    }));
  const before = await own();
  assert.deepEqual(before, { sheets: ["/__test/corner.css", "/accord/accord.css"], img: true }, "test setup: the site's own nodes");
  await s.page.evaluate(() => Accord.set({ audience: false })); // an objection: a withdrawal of that vendor's purpose
  await waitFor(() => s.page.evaluate(() => Accord.consent().purposes.audience === false), { message: "audience withdrawn" });
  const a = await audit(s.page);
  assert.ok(a.purged.some((p) => p.reason === "withdrawn" && p.purposes.includes("audience")), `the withdrawal was purged: ${JSON.stringify(a.purged)}`);
  assert.deepEqual(await own(), before, "the site's own stylesheet, image and accord.css stay");
});
