// The firewall catalogue (SPEC §5, issue 3): every way a page script can load a tracker or
// write a tracking cookie, each its own named test, each against the advertising vendor
// (127.0.0.1:8082 in the files, a gated purpose) from /__test/technique.html?t=<technique>,
// whose same-origin script /__test/techniques.js performs the technique after the loader ran.
//
// For each technique, counted in the browser (every request of the context, WebSockets
// included) AND in the tracker servers' log (hits carry the page view's run id `r`):
//   fresh      a fresh visit, the technique performed at load and held ≥ 1.5 s: 0 requests
//              to any tracker origin, 0 tracker cookies (or the seeded cookie not revealed);
//   refused    "Tout refuser", the technique performed again at once, then a reload that
//              performs it again (at load and once the module is ready): still 0;
//   consent    another fresh visit, then "Tout accepter": the item held during the banner
//              is released exactly once (element and image techniques; at most once for the
//              network APIs), the technique performed again works (≥ 1 hit, or the cookie
//              is written / readable), and on the next page view it works at load.
// Two runs of the same catalogue (issue 12, item 9):
//   firewall.test.mjs         "policy": "client": the test pages' CSP lets every tracker
//                             origin through every directive, so 0 means the firewall
//                             stopped it; the consent half proves the same page does reach
//                             the tracker.
//   firewall-header.test.mjs  the same pages behind a real nginx sending the headers of
//                             `accordctl nginx` ("policy": "server"): 0 before consent and
//                             after refusal with both layers, and the grant still works
//                             under the header: "Tout accepter" reloads the page once (the
//                             header of the new record lets the vendor through), the
//                             technique at load on that page reaches the tracker exactly
//                             once (or at most once), again, and on the next page view.
// Tests run in parallel (ACCORD_E2E_PARALLEL, default 6); a summary table is printed last.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  TRACKER_COOKIES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  expectVisible,
  expectHidden,
} from "./harness.mjs";

/** The harness of the run (set by `runCatalogue`). */
let h = null;
/** Header mode: the site is behind nginx with the headers of `accordctl nginx`. */
let HEADER = false;
const fr = NAMES.fr;
const PARALLEL = Number(process.env.ACCORD_E2E_PARALLEL || 6);
/** How long a released item may take to reach the tracker after "Tout accepter". */
const RELEASE_MS = 5000;
/** Extra time watched after the first released hit, to catch a second release. */
const SETTLE_MS = 1000;
/** The banner may take longer to show with 12 pages loading at once on 2 cores. */
const BANNER_MS = 10_000;
const ALL_TRACKER_COOKIES = [...new Set([...TRACKER_COOKIES, "_unk"])];
const SEED = "seeded-before-consent";

// release: "once" = the item held during the banner is released exactly once after
//          "Tout accepter" (issue 3: "a held item is released exactly once if its purpose
//          is granted"), for elements and network APIs alike;
//          "atMostOnce" = released once or dropped, never twice (the looser reading, if the
//          contract ever says a network call made before a decision is dropped, not held);
//          "none" = cookie techniques (nothing to release; the write after consent works).
// repeatable: the technique can be performed again after load (not document.write).
const el = (id, label, extra = {}) => ({ id, label, kind: "request", release: "once", repeatable: true, paths: [`/t/${id}`], ...extra });
const net = (id, label) => el(id, label, { release: "once" });
export const TECHNIQUES = [
  el("script-createElement-appendChild", "createElement('script') + .src + appendChild"),
  el("script-setAttribute-insertBefore", "script setAttribute('src') + insertBefore"),
  el("script-append", "script via ParentNode.append()"),
  el("script-prepend", "script via ParentNode.prepend()"),
  el("script-replaceWith", "script via ChildNode.replaceWith()"),
  el("script-replaceChild", "script via Node.replaceChild()"),
  el("script-before", "script via ChildNode.before()"),
  el("script-after", "script via ChildNode.after()"),
  el("innerHTML-img", "innerHTML with <img src>"),
  el("innerHTML-iframe", "innerHTML with <iframe src>"),
  el("outerHTML-img", "outerHTML with <img src>"),
  el("insertAdjacentHTML-img", "insertAdjacentHTML with <img src>"),
  el("document-write-script", "document.write('<script src>') while parsing", { repeatable: false }),
  el("new-Image", "new Image().src (detached pixel)"),
  el("img-setAttribute-detached", "img.setAttribute('src') on a detached img"),
  el("img-srcset", "img.srcset"),
  el("picture-source-srcset", "<picture><source srcset>"),
  el("iframe-createElement", "createElement('iframe') + .src"),
  el("embed-src", "<embed src>"),
  el("object-data", "<object data>"),
  el("link-stylesheet", "<link rel=stylesheet href>"),
  el("link-preload", "<link rel=preload as=image>"),
  el("link-prefetch", "<link rel=prefetch>"),
  el("video-source-src", "<video><source src>"),
  el("video-poster", "video.poster"),
  net("fetch", "fetch()"),
  net("fetch-request", "fetch(new Request())"),
  net("fetch-url", "fetch(new URL())"),
  net("xhr", "XMLHttpRequest"),
  net("sendBeacon", "navigator.sendBeacon()"),
  // A socket or a stream is an object the page holds at once: Accord cannot hand back a
  // real one later, so one opened before a decision is refused (a closed stand-in, see
  // the README) and the page opens it again once granted (the "again" half).
  el("websocket", "new WebSocket()", { release: "atMostOnce" }),
  el("eventsource", "new EventSource()", { release: "atMostOnce" }),
  el("createContextualFragment-script", "Range.createContextualFragment('<script src>')"),
  el("DOMParser-importNode-img", "DOMParser + document.importNode + append"),
  el("DOMParser-adoptNode-img", "DOMParser + document.adoptNode + append"),
  el("tag-manager", "tag manager (allowed same-origin script) injects a tracker that sets a cookie and fires a pixel", {
    paths: ["/t/tag-manager", "/t/tag-manager-pixel"],
  }),
  { id: "document.cookie-write", label: "document.cookie = '_adn=…; max-age=2 years'", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "cookieStore-set", label: "cookieStore.set({name: '_adn', expires: +2 years})", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  // Fresh realms (issue 12): a same-origin child window (about:blank, srcdoc, a popup) has
  // its own document.cookie, fetch, XHR, sendBeacon and DOM; it gets the same hooks.
  { id: "realm-iframe-cookie", label: "about:blank iframe: contentDocument.cookie", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-frames-index-cookie", label: "innerHTML <iframe>, then frames[i].document.cookie", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-cookie-setter-on-top", label: "a fresh realm's Document.prototype cookie setter called on the page's document", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-cookieStore-proto-on-top", label: "a fresh realm's CookieStore.prototype.set called on the page's cookieStore", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-renavigated-cookie", label: "a frame navigated twice, window[i].document.cookie in its onload", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-sync-onload-cookie", label: "an iframe's synchronous onload (inside appendChild) writes window[i].document.cookie", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  { id: "realm-srcdoc-cookie", label: "srcdoc iframe whose script writes document.cookie", kind: "cookie-write", release: "none", repeatable: true, paths: [] },
  el("realm-fetch", "fetch taken from an about:blank iframe's window"),
  el("realm-xhr", "XMLHttpRequest of an about:blank iframe's window"),
  el("realm-sendBeacon", "navigator.sendBeacon of an about:blank iframe's window"),
  el("realm-script-in-child-document", "<script src> inserted into an about:blank iframe's document"),
  el("realm-srcdoc-script-src", "srcdoc iframe with <script src>"),
  el("realm-srcdoc-script-fetch", "srcdoc iframe whose (same-origin) script calls fetch"),
  el("realm-srcdoc-entity-encoded", "srcdoc iframe whose <script src> is entity-encoded (https&#58;//…)"),
  el("realm-open-blank-fetch", "window.open('about:blank'), then the popup's fetch"),
  // The 2026 channels (issue 12). A link's ping and a popup are sent only when they
  // happen: a ping held during the banner is not sent later (the click is over), so
  // they are "atMostOnce"; the same goes for fetchLater and WebSocketStream (refused
  // until granted, like a WebSocket).
  el("FontFace-url", "new FontFace(family, 'url(vendor)').load()", { release: "atMostOnce" }),
  el("a-ping-property", "<a ping> set by property, then clicked", { release: "atMostOnce" }),
  el("a-ping-setAttribute", "<a ping> set by setAttribute, then clicked", { release: "atMostOnce" }),
  el("a-ping-innerHTML", "<a ping> from innerHTML, then clicked", { release: "atMostOnce" }),
  // Playwright does not always report a worklet's module fetch as a request of the page:
  // after consent, only the tracker server's count (exact) is required.
  el("paintWorklet-addModule", "CSS.paintWorklet.addModule(vendor)", { serverCount: true }),
  el("audioWorklet-addModule", "audioWorklet.addModule(vendor)", { serverCount: true }),
  el("fetchLater", "fetchLater(vendor, {activateAfter: 0})", { release: "atMostOnce" }),
  el("websocketstream", "new WebSocketStream()", { release: "atMostOnce" }),
  el("form-requestSubmit", "form (action = vendor) requestSubmit()"),
  el("form-submit", "form (action = vendor) submit()"),
  // The person's own submission cannot wait (a navigation): refused before a decision.
  el("form-button-click", "form (action = vendor) submitted by its button", { release: "atMostOnce" }),
  el("window-open-vendor", "window.open(vendor, a frame's name)", { release: "atMostOnce" }),
  // CSS naming a vendor (issue 12): a style attribute (setAttribute, element.style,
  // cssText, setProperty, escaped), a <style>'s text (inserted, set later, from
  // innerHTML), a rule added through the CSSOM. Held as a whole, put back on grant.
  el("innerHTML-styled-subtree", "innerHTML with a styled wrapper and an SVG path around <img src>"),
  el("css-style-setAttribute", "setAttribute('style', 'background-image:url(vendor)')"),
  el("css-style-property", "element.style.backgroundImage = 'url(vendor)'"),
  el("css-style-cssText", "element.style.cssText with url(vendor)"),
  el("css-style-setProperty", "element.style.setProperty('background-image', 'url(vendor)')"),
  el("css-style-element", "<style> with url(vendor), inserted"),
  el("css-style-element-text-later", "<style> inserted empty, its textContent set after"),
  el("css-style-innerHTML", "innerHTML with a <style> naming url(vendor)"),
  el("css-style-escaped", "style attribute with a CSS-escaped u\\72 l(vendor)"),
  // (A rule added through the CSSOM, insertRule or replaceSync, is the CSP layer's:
  // tests/e2e/csp-layer.test.mjs.)
  { id: "document.cookie-read-seeded", label: "read a pre-existing _adn through document.cookie", kind: "cookie-read", release: "none", repeatable: true, paths: [] },
  { id: "cookieStore-get-seeded", label: "read a pre-existing _adn through cookieStore.get/getAll", kind: "cookie-read", release: "none", repeatable: true, paths: [] },
];

// ---------------------------------------------------------------- helpers

const results = new Map(); // technique id -> { fresh, refused, consent }
const runIds = new Set(); // every run id handed out (to attribute the server's hits)
let runSeq = 0;
function newRun(id) {
  const r = `${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}${++runSeq}x${Math.random().toString(36).slice(2, 7)}`;
  runIds.add(r);
  return r;
}

async function gotoTechnique(s, page, id, r) {
  return s.goto(`/__test/technique.html?t=${encodeURIComponent(id)}&r=${r}`, page);
}

const kOf = (url) => {
  try {
    return new URL(url).searchParams.get("k") || "";
  } catch {
    return "";
  }
};

/** Everything the context sent to any tracker origin, and the servers' hits of these run ids. */
function traffic(s, runs, { k, path } = {}) {
  // Header mode: a request the header made the browser refuse never left it (the
  // servers' count is the proof); it is not traffic.
  const browser = s.requests.filter((q) => (!k || kOf(q.url) === k) && (!path || q.path === path) && !(HEADER && blockedByHeader(q)));
  const server = h.servers.log.filter((e) => runs.includes(e.r) && (!k || new URLSearchParams(e.query).get("k") === k) && (!path || e.path === path));
  return { browser, server };
}
/** Did the browser refuse this request because of a policy header (CSP)? */
const blockedByHeader = (q) => /^csp$|BLOCKED_BY_CSP/i.test(q.failed || "");
function describeTraffic({ browser, server }) {
  const b = browser.map((q) => `  browser ${q.websocket ? "WS " : ""}${q.url}${q.failed ? ` (failed: ${q.failed})` : ""}`);
  const v = server.map((e) => `  server  ${e.vendor} ${e.method} ${e.path}${e.query} (dest ${e.dest || "?"})`);
  return [...b, ...v].join("\n") || "  (none)";
}

/** Tracker cookies in the jar (the seeded one excepted when it still holds its seed value). */
async function trackerCookies(s, { seeded = false } = {}) {
  const all = await s.context.cookies();
  return all.filter((c) => ALL_TRACKER_COOKIES.includes(c.name) && !(seeded && c.name === "_adn" && c.value === SEED));
}

async function seedAdn(s) {
  await s.context.addCookies([{ name: "_adn", value: SEED, url: h.url("/"), expires: Math.floor(Date.now() / 1000) + 730 * 86400 }]);
}

const techState = (page) => page.evaluate(() => (window.__tech ? JSON.parse(JSON.stringify(window.__tech)) : null));

/** Reads recorded by the page for performance `k` (waits for async reads). */
async function readsFor(page, k, timeout = 3000) {
  return waitFor(
    async () => {
      const st = await techState(page);
      const reads = (st?.reads || []).filter((x) => x.k === k);
      if (reads.length) return reads;
      if (st?.errors?.some((e) => e.startsWith(k + ":"))) return [{ k, error: st.errors.join("; ") }];
      return null;
    },
    { timeout, message: `the page's read of _adn (performance "${k}")` },
  );
}

/** Zero-leak check of one phase (what was not already seen by an earlier phase of the same context). */
async function zeroLeaks(s, tech, runs, phase, { seen = { browser: new Set(), server: new Set() }, page } = {}) {
  const problems = [];
  const tr = traffic(s, runs);
  const delta = { browser: tr.browser.filter((x) => !seen.browser.has(x)), server: tr.server.filter((x) => !seen.server.has(x)) };
  const cookies = await trackerCookies(s, { seeded: tech.kind === "cookie-read" });
  if (delta.browser.length || delta.server.length) {
    problems.push(`${phase}: ${delta.browser.length} request(s) from the browser and ${delta.server.length} hit(s) on the tracker servers, expected 0:\n${describeTraffic(delta)}`);
  }
  if (cookies.length) problems.push(`${phase}: tracker cookie(s) in the browser: ${cookies.map((c) => `${c.name}=${c.value}`).join(", ")}`);
  let revealed = false;
  if (tech.kind === "cookie-read" && page) {
    const st = await techState(page);
    const bad = (st?.reads || []).filter((x) => x.revealed);
    if (bad.length) {
      revealed = bad.map((x) => x.k).join("+");
      problems.push(`${phase}: the page read the pre-existing _adn cookie (performance ${bad.map((x) => `"${x.k}"`).join(", ")}): ${JSON.stringify(bad)}`);
    }
  }
  // Informative: the technique threw in the page (a firewall may refuse loudly; the summary shows it).
  const st = page ? await techState(page).catch(() => null) : null;
  const threw = (st?.errors || []).filter((e) => !e.includes("document.write only while"));
  const n = delta.browser.length + delta.server.length;
  const cell = (problems.length
    ? `LEAK${n ? ` ${delta.browser.length}b/${delta.server.length}s` : ""}${cookies.length ? ` ${cookies.length}c` : ""}${revealed ? ` read@${revealed}` : ""}`
    : "0") + (threw.length ? ` (threw: ${threw[0].slice(0, 60)})` : "");
  return { problems, cell, seen: { browser: new Set(tr.browser), server: new Set(tr.server) } };
}

/**
 * Header mode: the page's response carries accordctl's CSP, and it lets the advertising
 * origin through only when `granted`.
 */
function headerProblems(resp, granted, when) {
  const csp = resp?.headers()["content-security-policy"];
  if (!csp) return [`${when}: no Content-Security-Policy header on the page (nginx without the accordctl snippet?)`];
  const ads = new URL(h.trackerOrigins.advertising).host;
  const allows = csp.split(/[\s;]+/).includes(ads);
  return allows === granted ? [] : [`${when}: the header ${granted ? "does not let" : "lets"} ${ads} through: ${csp}`];
}

// ---------------------------------------------------------------- phases

async function freshThenRefuse(t, tech) {
  const s = await h.session(t, { keepLog: true });
  const { page } = s;
  const problems = [];
  const res = results.get(tech.id);
  if (tech.kind === "cookie-read") await seedAdn(s);

  const r1 = newRun(tech.id);
  const resp = await gotoTechnique(s, page, tech.id, r1);
  if (HEADER) problems.push(...headerProblems(resp, false, "fresh visit"));
  await expectVisible(banner(page), "the first layer on the test page", BANNER_MS);
  await sleep(QUIET_MS);
  const fresh = await zeroLeaks(s, tech, [r1], "fresh visit (banner shown, no decision)", { page });
  problems.push(...fresh.problems);
  res.fresh.push(fresh.cell);
  if (tech.kind === "cookie-write" && tech.id.startsWith("realm-")) {
    // The jar sweep would delete a cookie that got in: only a hooked realm keeps it out.
    const a = await page.evaluate(() => window.Accord.audit());
    const swept = (a.cookies || []).filter((c) => c.name === "_adn" && c.swept > 0);
    if (swept.length) problems.push(`fresh visit: _adn reached the jar and was swept afterwards (the realm was not hooked): ${JSON.stringify(swept)}`);
  }

  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), 'the banner after "Tout refuser"');
  if (tech.repeatable) await page.evaluate(() => window.__perform("again"));
  await sleep(QUIET_MS);
  if (tech.kind === "cookie-read") {
    const st = await techState(page);
    const bad = (st?.reads || []).filter((x) => x.revealed);
    if (bad.length) problems.push(`after "Tout refuser", same page: the page read the pre-existing _adn cookie: ${JSON.stringify(bad)}`);
  }
  const r2 = newRun(tech.id);
  await gotoTechnique(s, page, tech.id, r2);
  await expectVisible(button(page, fr.reopen), `"${fr.reopen}" after refusing`, BANNER_MS);
  if (tech.repeatable) await page.evaluate(() => window.__perform("again"));
  await sleep(QUIET_MS);
  const refused = await zeroLeaks(s, tech, [r1, r2], 'after "Tout refuser" (held item dropped, performed again, then reload and again)', {
    seen: fresh.seen,
    page,
  });
  problems.push(...refused.problems);
  res.refused.push(refused.cell);
  const st = await techState(page);
  if (st?.errors?.length) t.diagnostic(`${tech.id} page errors after refusal (informative): ${st.errors.join("; ")}`);
  return problems;
}

async function freshThenAccept(t, tech) {
  const s = await h.session(t, { keepLog: true });
  const { page } = s;
  const problems = [];
  const res = results.get(tech.id);
  const notes = [];
  if (tech.kind === "cookie-read") await seedAdn(s);

  const r3 = newRun(tech.id);
  await gotoTechnique(s, page, tech.id, r3);
  await expectVisible(banner(page), "the first layer on the test page", BANNER_MS);
  await sleep(QUIET_MS);
  const fresh = await zeroLeaks(s, tech, [r3], "fresh visit before accepting", { page });
  problems.push(...fresh.problems);
  res.fresh.push(fresh.cell);

  if (HEADER) {
    // "policy": "server": the grant is not in this page's header, so the module reloads
    // the page once; the held item is released into a CSP that still refuses the vendor.
    const reload = page.waitForNavigation({ waitUntil: "load", timeout: 15_000 });
    await button(page, fr.acceptAll).click();
    const resp = await reload.catch(() => null);
    if (!resp) problems.push('"Tout accepter" did not reload the page for the new header ("policy": "server")');
    else problems.push(...headerProblems(resp, true, 'the page reloaded after "Tout accepter"'));
    await expectHidden(banner(page), 'the banner on the page reloaded after "Tout accepter"');
  } else {
    await button(page, fr.acceptAll).click();
    await expectHidden(banner(page), 'the banner after "Tout accepter"');
  }

  if (tech.kind === "request") {
    // The item held during the banner: released exactly once (or at most once).
    if (tech.release === "once") {
      try {
        await waitFor(() => tech.paths.every((p) => traffic(s, [r3], { k: "load", path: p }).server.length >= 1), {
          timeout: RELEASE_MS,
          message: `the held ${tech.paths.join(" + ")} released after "Tout accepter"`,
        });
      } catch (err) {
        problems.push(`after "Tout accepter": the item held during the banner was not released within ${RELEASE_MS} ms (${err.message.split("\n")[0]})`);
      }
      await sleep(SETTLE_MS);
    } else {
      await sleep(QUIET_MS);
    }
    const counts = tech.paths.map((p) => {
      const tr = traffic(s, [r3], { k: "load", path: p });
      // Header mode: the page reloads for the new header right after the click, and an
      // item released on the page being left is aborted by that navigation
      // (net::ERR_ABORTED); the tracker servers' count says whether anything arrived.
      // (Only aborted ones: a fetch the tracker answers without CORS headers also
      // "fails" in the page, after reaching it.)
      const b = HEADER ? tr.browser.filter((q) => !/ERR_ABORTED/.test(q.failed || "")).length : tr.browser.length;
      return { p, b, s: tr.server.length, tr };
    });
    for (const c of counts) {
      const max = 1;
      const min = tech.release === "once" ? 1 : 0;
      if (c.b > max || c.s > max || (c.b < min && !tech.serverCount) || c.s < min) {
        problems.push(
          `after "Tout accepter": the held ${c.p} reached the tracker ${c.s} time(s) (browser saw ${c.b}), expected ${min === max ? "exactly once" : "at most once"}:\n${describeTraffic(c.tr)}`,
        );
      }
    }
    notes.push(`released ${counts.map((c) => c.s).join("+")}`);

    // Performed again once granted: works.
    if (tech.repeatable) {
      await page.evaluate(() => window.__perform("again"));
      try {
        await waitFor(() => tech.paths.every((p) => traffic(s, [r3], { k: "again", path: p }).server.length >= 1), {
          timeout: RELEASE_MS,
          message: `${tech.id} performed after consent reaches the tracker`,
        });
        notes.push("again ok");
      } catch (err) {
        problems.push(`after "Tout accepter": performing ${tech.id} again did not reach the tracker (${err.message.split("\n")[0]})`);
        notes.push("again FAIL");
      }
    }
    // The next page view: the technique at load works too (held until the module has read the record).
    const r4 = newRun(tech.id);
    await gotoTechnique(s, page, tech.id, r4);
    try {
      await waitFor(() => tech.paths.every((p) => traffic(s, [r4], { k: "load", path: p }).server.length >= 1), {
        timeout: RELEASE_MS + 2000,
        message: `${tech.id} at load on the next page view reaches the tracker`,
      });
      notes.push("next page ok");
    } catch (err) {
      problems.push(`next page view after consent: ${tech.id} at load did not reach the tracker (${err.message.split("\n")[0]})`);
      notes.push("next page FAIL");
    }
    if (tech.id === "tag-manager") {
      const adn = (await s.context.cookies()).find((c) => c.name === "_adn");
      if (!adn) problems.push("tag manager after consent: the injected tracker ran but no _adn cookie was written");
    }
  } else if (tech.kind === "cookie-write") {
    await sleep(500);
    const held = (await s.context.cookies()).find((c) => c.name === "_adn");
    notes.push(held ? "held write applied" : "held write dropped");
    await s.context.clearCookies({ name: "_adn" });
    await page.evaluate(() => window.__perform("again"));
    try {
      const c = await waitFor(async () => (await s.context.cookies()).find((x) => x.name === "_adn" && x.value.startsWith("again")), {
        timeout: 3000,
        message: "the _adn cookie written after consent",
      });
      notes.push("write ok");
      t.diagnostic(`${tech.id}: after consent _adn expires ${c.expires > 0 ? new Date(c.expires * 1000).toISOString() : "session"}`);
    } catch (err) {
      problems.push(`after "Tout accepter": ${tech.id} did not write _adn (${err.message.split("\n")[0]})`);
      notes.push("write FAIL");
    }
  } else if (tech.kind === "cookie-read") {
    await seedAdn(s); // in case the firewall removed it meanwhile
    await page.evaluate(() => window.__perform("again"));
    const reads = await readsFor(page, "again").catch((err) => [{ error: err.message }]);
    if (!reads.some((x) => x.revealed && x.value === SEED)) {
      problems.push(`after "Tout accepter": ${tech.id} did not reveal the _adn cookie to the page: ${JSON.stringify(reads)}`);
      notes.push("read FAIL");
    } else notes.push("read ok");
  }
  const st = await techState(page).catch(() => null);
  if (problems.length && st?.errors?.length) problems.push(`(errors the page's technique script saw: ${st.errors.join("; ")})`);
  res.consent.push(notes.join(", "));
  return problems;
}

// ---------------------------------------------------------------- the catalogue

/**
 * Registers the catalogue's tests for one test file: `header: false` with the test pages'
 * permissive CSP (the firewall alone), `header: true` behind nginx with accordctl's headers.
 */
export function runCatalogue({ header = false } = {}) {
  HEADER = header;
  h = useHarness({ header });
  describe(`firewall catalogue${HEADER ? " under the accordctl header" : ""}: each technique, against the advertising vendor`, { concurrency: PARALLEL }, () => {
    for (const tech of TECHNIQUES) {
      results.set(tech.id, { fresh: [], refused: [], consent: [] });
      test(`${tech.id}: ${tech.label}: 0 requests and 0 cookies before consent and after refusal; works after consent`, async (t) => {
        const [a, b] = await Promise.all([freshThenRefuse(t, tech), freshThenAccept(t, tech)]);
        const problems = [...a, ...b];
        assert.deepEqual(problems, [], `${tech.id} (${tech.label}):\n- ${problems.join("\n- ")}`);
      });
    }

    after(() => {
      // Every hit the tracker servers got during this file must belong to a run of this file:
      // an unattributed hit would be a leak the per-technique filters cannot see.
      const stray = h.servers ? h.servers.log.filter((e) => !runIds.has(e.r)) : [];
      const rows = TECHNIQUES.map((tc) => {
        const r = results.get(tc.id);
        const cell = (xs) => (xs.length ? xs.join(" / ") : "not run");
        return `| ${tc.id} | ${cell(r.fresh)} | ${cell(r.refused)} | ${cell(r.consent)} |`;
      });
      console.log(
        [
          "",
          "Firewall catalogue (advertising vendor; 0 = no request and no cookie; b = browser requests, s = server hits, c = cookies)",
          "| technique | fresh visit (2 contexts) | after refusal | after consent |",
          "|---|---|---|---|",
          ...rows,
          stray.length ? `UNATTRIBUTED tracker hits (no run id): ${stray.map((e) => `${e.vendor} ${e.method} ${e.path}${e.query}`).join(", ")}` : "no unattributed tracker hit",
          "",
        ].join("\n"),
      );
    });
  });

  test("no tracker hit outside the catalogue's runs", () => {
    const stray = h.servers.log.filter((e) => !runIds.has(e.r));
    assert.deepEqual(
      stray.map((e) => `${e.vendor} ${e.method} ${e.path}${e.query}`),
      [],
      "tracker hits that carry no run id of this file (a technique leaked through a path the per-test counts cannot attribute)",
    );
  });

  // Speculation rules (issue 12): no CSP directive governs their prefetches. In this headless
  // Chromium a speculation-rules prefetch never fires, even to an allowed origin, so no
  // request can be counted either way: this checks the mechanism instead. Rules inserted by
  // script that name a gated vendor are emptied before they are inserted (dropped, not
  // held: they only make pages faster); rules naming the site itself are left alone.
  test("speculation rules inserted by script: a gated vendor's are dropped, the site's own kept", async (t) => {
    const s = await h.session(t);
    await s.page.goto(h.url("/__test/technique.html?t=none&r=" + newRun("spec")), { waitUntil: "load" });
    await expectVisible(banner(s.page), "the first layer");
    const ads = h.trackerOrigins.advertising;
    const texts = await s.page.evaluate((ads) => {
      const rules = (url) => JSON.stringify({ prefetch: [{ source: "list", urls: [url], eagerness: "immediate" }] });
      return [ads + "/t/spec?r=x", "//" + ads.slice(7) + "/t/spec", location.origin + "/__test/other.html"].map((url) => {
        const el = document.createElement("script");
        el.type = "speculationrules";
        el.text = rules(url);
        document.head.appendChild(el);
        return el.text;
      });
    }, ads);
    assert.deepEqual(texts.map((x) => x === ""), [true, true, false], `the rules' text after insertion: ${JSON.stringify(texts)}`);
  });
}
