// Shared harness for Accord's end-to-end tests: Node's built-in test runner + playwright-core
// driving Debian's Chromium against dist/ served by scripts/serve.mjs.
//
// Each test file calls `useHarness()` once, at top level. It starts, for that file:
//   - the site server (dist/) and the three fake tracker servers, on ports
//     ACCORD_E2E_PORT (default 18080) for the site and the next three for the trackers
//     (audience, advertising, video). The demo pages and config name the trackers
//     127.0.0.1:8081..8083; serve.mjs rewrites those to the ports in use, so the tests run
//     beside a human's demo server on 8080..8083. Set ACCORD_E2E_PORT=8080 to test on
//     the ports written in the files (the demo server must then be stopped);
//   - one headless Chromium (CHROMIUM, default /usr/bin/chromium).
// Each test gets a fresh browser context (no cookies, no storage) from `h.session(t)`.
// The firewall tests also use: a fourth tracker origin no vendor declares ("unknown", the
// site port + 4), and the test pages of tests/e2e/pages/ served from the site origin at
// /__test/ (same port rewriting; a CSP as strict for scripts that lets every tracker origin
// through every fetch directive, see scripts/serve.mjs). Tests that run in parallel pass
// `h.session(t, { keepLog: true })` and tell their hits apart by the `r` query parameter.
// `useHarness({ header: true })` serves the site (dist/ and /__test/) through a real nginx
// instead, on the site port + 7, with the headers of `accordctl nginx` computed from the
// record cookie of each request (scripts/nginx.mjs; the demo config with "policy":
// "server"): the browser-enforced layer in front of the same pages. Needs nginx and
// target/debug/accordctl.

import { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServers, VENDORS, TRACKERS, TRACKER_SCRIPT_COOKIE } from "../../scripts/serve.mjs";
import { startNginx } from "../../scripts/nginx.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "..", "..");
export const DIST = path.resolve(process.env.ACCORD_DIST || path.join(REPO, "dist"));
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const PURPOSES = ["audience", "advertising", "video"]; // the demo's choosable purposes (audience: exempt by default)
export const TRACKER_COOKIES = ["_aud_id", "_aud_srv", "_adn", "_adn_px", "_vid"];
export { VENDORS, TRACKERS, TRACKER_SCRIPT_COOKIE };
/** The test pages, served at /__test/ on the site origin. */
export const PAGES_DIR = path.join(here, "pages");

/** Accessible names of the UI contract (SPEC §3), exact. */
export const NAMES = {
  fr: {
    acceptAll: "Tout accepter",
    rejectAll: "Tout refuser",
    customize: "Personnaliser",
    close: "Fermer sans accepter",
    partners: "Liste des partenaires",
    save: "Enregistrer mes choix",
    reopen: "Gérer mes cookies",
    purposes: {
      necessary: "Nécessaires au site",
      audience: "Mesure d'audience",
      advertising: "Publicité personnalisée",
      video: "Vidéos intégrées",
    },
  },
  en: {
    acceptAll: "Accept all",
    rejectAll: "Reject all",
    customize: "Customize",
    close: "Close without accepting",
    partners: "List of partners",
    save: "Save my choices",
    reopen: "Manage cookies",
    purposes: {
      necessary: "Needed by the site",
      audience: "Audience measurement",
      advertising: "Personalised advertising",
      video: "Embedded videos",
    },
  },
};

export const VENDOR_NAMES = ["Audimètre (démo, hébergé par la mutuelle)", "PubNet (démo)", "VidéoPlay (démo)"];

/** How long the banner (or the reopen button) may take to appear. */
export const UI_TIMEOUT = 5000;
/** How long to watch for requests that should not happen. */
export const QUIET_MS = 1500;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `message` (plus the last value) after `timeout`. */
export async function waitFor(fn, { timeout = UI_TIMEOUT, interval = 50, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for: ${message}` + (last === undefined ? "" : ` (last value: ${JSON.stringify(last)})`));
    }
    await sleep(interval);
  }
}

function checkDist() {
  if (!fs.existsSync(DIST) || !fs.statSync(DIST).isDirectory()) {
    throw new Error(`dist/ missing: run the build first (trunk build --release); looked for ${DIST}`);
  }
  const needed = ["index.html", "accord/accord.js", "demo/config.json", "demo/produit.html", "demo/confidentialite.html", "demo/en/index.html"];
  const missing = needed.filter((f) => !fs.existsSync(path.join(DIST, f)));
  const accordDir = path.join(DIST, "accord");
  const hasWasm = fs.existsSync(accordDir) && fs.readdirSync(accordDir).some((f) => f.endsWith(".wasm"));
  if (!hasWasm) missing.push("accord/*.wasm");
  if (missing.length) {
    throw new Error(`dist/ incomplete (missing ${missing.join(", ")}): run the build first (trunk build --release)`);
  }
}

/**
 * Registers the file-level before/after hooks and returns the harness object `h`.
 * Its fields are filled in when the `before` hook has run.
 */
/**
 * `audienceBasis`: the demo config's audience purpose is exempt (SPEC §6) by default;
 * "consent" serves it needing consent, for the suites written about consent mode.
 */
export function useHarness({ audienceBasis = "exempt-audience", header = false } = {}) {
  if (header && audienceBasis !== "exempt-audience") throw new Error("useHarness: header mode serves the demo config as it is (audienceBasis must stay exempt-audience)");
  const base = Number(process.env.ACCORD_E2E_PORT || 18080);
  const h = {
    servers: null,
    browser: null,
    nginx: null, // header mode: the nginx in front of the site
    origin: `http://127.0.0.1:${base}`,
    trackerOrigins: {}, // vendor (and "unknown") -> origin
    /** Absolute URL of a site path. */
    url: (p = "/") => new URL(p, h.origin + "/").href,
    /** Which vendor an URL belongs to, or null. */
    vendorOf(url) {
      let o;
      try {
        const u = new URL(url);
        // ws:// URLs belong to the tracker on the same host:port.
        o = u.protocol === "ws:" || u.protocol === "wss:" ? `http://${u.host}` : u.origin;
      } catch {
        return null;
      }
      for (const v of TRACKERS) if (h.trackerOrigins[v] === o) return v;
      return null;
    },
    /** Hits recorded by the tracker servers (optionally one vendor, optionally one path). */
    trackerHits(vendor, pathname) {
      return h.servers.log.filter((e) => (!vendor || e.vendor === vendor) && (!pathname || e.path === pathname));
    },
    clearLog: () => h.servers.log.splice(0),
    session: (t, opts) => newSession(h, t, opts),
  };

  before(async () => {
    checkDist();
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium missing at ${CHROMIUM}: apt-get install -y chromium chromium-driver (or set CHROMIUM)`);
    }
    h.servers = await startServers({
      root: DIST,
      sitePort: base,
      trackerPorts: { audience: base + 1, advertising: base + 2, video: base + 3, unknown: base + 4 },
      quiet: true,
      extraRoots: { "/__test/": PAGES_DIR },
      audienceBasis,
    });
    for (const v of TRACKERS) h.trackerOrigins[v] = h.servers.trackers[v].origin;
    if (header) {
      // Every test page, exactly where the node server serves it (/__test/<file>).
      const overrides = {};
      for (const f of fs.readdirSync(PAGES_DIR)) overrides[`/__test/${f}`] = path.join(PAGES_DIR, f);
      h.nginx = await startNginx({
        root: DIST,
        port: base + 7,
        trackerPorts: { audience: base + 1, advertising: base + 2, video: base + 3 },
        overrides,
      });
      h.origin = h.nginx.origin;
    }
    h.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await h.browser?.close();
    await h.nginx?.close();
    await h.servers?.close();
  });

  return h;
}

// Installed in every page before its own scripts: records Accord's DOM events and CSP
// violations. (Playwright injects it outside the page's CSP.)
function recorderInitScript() {
  if (window.__e2e) return;
  const rec = { events: [], violations: [] };
  Object.defineProperty(window, "__e2e", { value: rec, enumerable: false });
  const clone = (v) => {
    try {
      return v === undefined ? null : JSON.parse(JSON.stringify(v));
    } catch {
      return String(v);
    }
  };
  for (const type of ["accord:ready", "accord:change", "accord:error"]) {
    document.addEventListener(type, (e) => rec.events.push({ type, detail: clone(e.detail) }), true);
  }
  document.addEventListener(
    "securitypolicyviolation",
    (e) =>
      rec.violations.push({
        directive: e.violatedDirective,
        effectiveDirective: e.effectiveDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
        disposition: e.disposition,
      }),
    true,
  );
}

async function newSession(h, t, { locale = "fr-FR", viewport = { width: 1280, height: 800 }, keepLog = false } = {}) {
  if (!keepLog) h.clearLog();
  const context = await h.browser.newContext({ locale, viewport });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  await context.addInitScript(recorderInitScript);

  const requests = []; // tracker requests seen by the browser: { vendor, url, path, pageUrl, failed? }
  // A request the browser refused itself (a CSP, the header mode's) is still a "request"
  // event: its failure says so (`failed`: "csp" in this Chromium).
  const entries = new WeakMap();
  const console_ = []; // { type, text, pageUrl }
  const pageErrors = []; // uncaught exceptions
  context.on("request", (req) => {
    const vendor = h.vendorOf(req.url());
    if (!vendor) return;
    let pageUrl = "";
    try {
      pageUrl = req.frame().page().url();
    } catch {
      /* service worker or detached frame */
    }
    let r = "";
    try {
      r = new URL(req.url()).searchParams.get("r") || "";
    } catch {
      /* not a URL with a query */
    }
    const entry = { vendor, url: req.url(), path: new URL(req.url()).pathname, pageUrl, r, time: Date.now() };
    requests.push(entry);
    entries.set(req, entry);
  });
  context.on("requestfailed", (req) => {
    const entry = entries.get(req);
    if (entry) entry.failed = req.failure()?.errorText || "failed";
  });
  // WebSockets are not "request" events in Playwright: count their opening handshakes too.
  context.on("page", (pg) =>
    pg.on("websocket", (ws) => {
      const vendor = h.vendorOf(ws.url());
      if (!vendor) return;
      const u = new URL(ws.url());
      requests.push({ vendor, url: ws.url(), path: u.pathname, pageUrl: pg.url(), r: u.searchParams.get("r") || "", time: Date.now(), websocket: true });
    }),
  );
  context.on("console", (msg) => console_.push({ type: msg.type(), text: msg.text(), pageUrl: msg.page()?.url() ?? "" }));
  context.on("weberror", (err) => pageErrors.push(String(err.error()?.stack || err.error())));

  const page = await context.newPage();
  t.after(() => context.close());

  const s = {
    context,
    page,
    requests,
    console: console_,
    pageErrors,
    async newPage() {
      return context.newPage();
    },
    /** Navigates and waits for `load`; returns the response (fails on HTTP errors). */
    async goto(p, pg = page) {
      const resp = await pg.goto(h.url(p), { waitUntil: "load" });
      if (!resp || !resp.ok()) throw new Error(`GET ${p} answered ${resp ? resp.status() : "nothing"}`);
      return resp;
    },
    /** Tracker requests seen by the browser (optionally one vendor, optionally one path). */
    trackerRequests(vendor, pathname) {
      return requests.filter((r) => (!vendor || r.vendor === vendor) && (!pathname || r.path === pathname));
    },
    /** Forgets the requests seen so far, in the browser and in the tracker servers' log. */
    resetCounts() {
      requests.splice(0);
      h.clearLog();
    },
    /**
     * Asserts that nothing reached the trackers (or only `vendor`'s origin), neither in
     * the browser's request log nor in the tracker servers' logs.
     */
    assertNoTraffic(when, vendor) {
      const what = vendor ? `the ${vendor} origin` : "tracker URLs";
      const srv = h.servers.log.filter((e) => !vendor || e.vendor === vendor);
      assert.deepEqual(this.trackerRequests(vendor).map((r) => r.url), [], `${when}: the browser requested ${what}:\n${this.describeRequests()}`);
      assert.deepEqual(srv.map((e) => `${e.vendor} ${e.path}${e.query}`), [], `${when}: the tracker servers were hit:\n${this.describeRequests()}`);
    },
    /** Asserts `count` requests to `vendor` `path`, seen both by the browser and by its server. */
    assertCount(vendor, pathname, count, when) {
      const b = this.trackerRequests(vendor, pathname).length;
      const srv = h.trackerHits(vendor, pathname).length;
      assert.equal(b, count, `${when}: browser made ${b} request(s) to ${vendor} ${pathname}, expected ${count}\n${this.describeRequests()}`);
      assert.equal(srv, count, `${when}: ${vendor} server got ${srv} hit(s) on ${pathname}, expected ${count}\n${this.describeRequests()}`);
    },
    /** A readable summary of every tracker request, for failure messages. */
    describeRequests() {
      const b = requests.map((r) => `browser ${r.vendor} ${r.url}`);
      const srv = h.servers.log.map((e) => `server  ${e.vendor} ${e.method} ${e.path}${e.query}`);
      return [...b, ...srv].join("\n") || "(none)";
    },
    async cookies() {
      return context.cookies();
    },
    async cookie(name) {
      return (await context.cookies()).find((c) => c.name === name) || null;
    },
    async trackerCookies() {
      return (await context.cookies()).filter((c) => TRACKER_COOKIES.includes(c.name));
    },
    /** Accord.consent() in the page. */
    async consent(pg = page) {
      return pg.evaluate(() => {
        if (!window.Accord || typeof window.Accord.consent !== "function") throw new Error("window.Accord.consent is not a function");
        return window.Accord.consent();
      });
    },
    /** Accord DOM events recorded in the page. */
    async events(pg = page, type) {
      const all = await pg.evaluate(() => (window.__e2e ? window.__e2e.events : null));
      if (all === null) throw new Error("the e2e recorder is missing from the page");
      return type ? all.filter((e) => e.type === type) : all;
    },
    async violations(pg = page) {
      return pg.evaluate(() => window.__e2e.violations);
    },
  };
  return s;
}

// ------------------------------------------------------------------ UI helpers

export const button = (page, name) => page.getByRole("button", { name, exact: true });

/** The first layer: a dialog or region that holds the "accept all" button. */
export function banner(page, lang = "fr") {
  const accept = page.getByRole("button", { name: NAMES[lang].acceptAll, exact: true });
  return page.getByRole("dialog").or(page.getByRole("region")).or(page.getByRole("alertdialog")).filter({ has: accept });
}

/** A purpose's checkbox (or switch), named by the purpose's title. */
export function purposeToggle(page, title) {
  return page.getByRole("checkbox", { name: title, exact: true }).or(page.getByRole("switch", { name: title, exact: true }));
}

/** Waits until `locator` is visible; a clear error otherwise. */
export async function expectVisible(locator, what, timeout = UI_TIMEOUT) {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch (err) {
    const n = await locator.count().catch(() => "?");
    throw new Error(`${what}: not visible within ${timeout} ms (${n} matching element(s)). ${err.message.split("\n")[0]}`);
  }
}

/** Waits until `locator` is hidden or detached; a clear error otherwise. */
export async function expectHidden(locator, what, timeout = UI_TIMEOUT) {
  try {
    await locator.first().waitFor({ state: "hidden", timeout });
  } catch (err) {
    throw new Error(`${what}: still visible after ${timeout} ms. ${err.message.split("\n")[0]}`);
  }
}

/** True when no element of `locator` is visible. */
export async function noneVisible(locator) {
  const n = await locator.count();
  for (let i = 0; i < n; i++) if (await locator.nth(i).isVisible()) return false;
  return true;
}

/** Description of the focused element, looking through open shadow roots. */
export async function activeElementInfo(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    return {
      tag: a.tagName.toLowerCase(),
      role: a.getAttribute("role"),
      text: (a.getAttribute("aria-label") || a.textContent || "").trim().replace(/\s+/g, " ").slice(0, 80),
      isBody: a === document.body,
      connected: a.isConnected,
      inDialog: !!a.closest("dialog, [role=dialog], [role=alertdialog]"),
    };
  });
}

/** True when `locator`'s element is the focused element (through open shadow roots). */
export async function isFocused(locator) {
  return locator.evaluate((el) => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a === el;
  });
}

/** Presses Tab until `locator` has focus (at most `max` presses); returns how many presses. */
export async function tabTo(page, locator, what, max = 40) {
  for (let i = 0; i <= max; i++) {
    if (await isFocused(locator)) return i;
    await page.keyboard.press("Tab");
  }
  const at = await activeElementInfo(page);
  throw new Error(`${what}: not reached after ${max} Tab presses (focus is on ${JSON.stringify(at)})`);
}

/** Months added the calendar way, clamped to the end of the month (31 Aug + 6 = 28/29 Feb). */
export function addMonthsClamped(date, months) {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * WCAG contrast of every element matching `selector` that has text of its own:
 * `[{text, ratio}]`, against the first opaque background up the tree (white if none).
 */
export function textContrasts(page, selector) {
  return page.evaluate((sel) => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const bg = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest("[aria-hidden=true]")) continue;
      const fg = rgb(getComputedStyle(el).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(bg(el))].sort((x, y) => y - x);
      out.push({ text: el.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05) });
    }
    return out;
  }, selector);
}
