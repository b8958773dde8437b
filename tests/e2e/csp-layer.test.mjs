// The browser-enforced layer (SPEC §5 "The browser-enforced layer", issue 8), end to end:
// dist/ served by a real nginx with the snippet of `accordctl nginx` (scripts/nginx.mjs),
// the demo config with "policy": "server", the fake trackers of scripts/serve.mjs, Debian's
// Chromium. The page /demo/sans-balises.html carries UNTAGGED trackers in its HTML (script,
// stylesheet, img, iframe, picture/source, video poster, inline style background) and a
// site script adding a CSS rule through the CSSOM: only the header can stop what the
// preload scanner fetches before any script runs, and what no hook sees.
//
//   node --test tests/e2e/csp-layer.test.mjs
//
// Needs dist/ (the build), target/debug/accordctl (`cargo build --bin accordctl`), nginx
// (scripts/setup.sh installs it) and Chromium.
// Ports: nginx on ACCORD_CSP_E2E_PORT (default 18190), the trackers on the next three
// (audience, advertising, video), the page and config rewritten to those ports by nginx;
// nginx WITHOUT the header (test d) on the port + 6. ACCORD_CSP_E2E_PORT=8090 runs the
// trackers on the ports written in the page (8081-8083): stop the demo server first.
//
// (c) waits for the loader's reload after a grant the header did not allow ("policy":
// "server"), and (e) for Accord.audit().csp_blocked: both are the loader's part of issue 8.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";
import { startServers } from "../../scripts/serve.mjs";
import { startNginx, accordctlBinary, SOURCE_TRACKER_PORTS } from "../../scripts/nginx.mjs";
import { CHROMIUM, CHROMIUM_ARGS, DIST, REPO, NAMES, TRACKER_COOKIES, button, banner, expectVisible, expectHidden, waitFor, sleep } from "./harness.mjs";

const BASE = Number(process.env.ACCORD_CSP_E2E_PORT || 18190);
const TRACKER_PORTS =
  BASE === 8090 ? { ...SOURCE_TRACKER_PORTS } : { audience: BASE + 1, advertising: BASE + 2, video: BASE + 3 };
const PAGE = "/demo/sans-balises.html";
/** How long to watch for requests that must not happen. */
const QUIET = 2000;

/** The untagged tracker resources of the page: [vendor, path, technique]. */
const RESOURCES = [
  ["advertising", "/ads.js", "<script src>"],
  ["advertising", "/t/style.css", "<link rel=stylesheet>"],
  ["advertising", "/pixel.gif", "<img src>"],
  ["advertising", "/t/pic.gif", "<picture><source srcset>"],
  ["advertising", "/t/poster.gif", "<video poster>"],
  ["advertising", "/t/bg.gif", "inline style background-image"],
  // A rule of a constructed style sheet, added by a script of the site: no in-page hook
  // sees style sheets' rules (issue 12); the header's img-src stops its image.
  ["advertising", "/t/cssom.gif", "CSSOM rule (replaceSync + adoptedStyleSheets) background-image"],
  // What a site script does where no hook of the page follows (README, "Known limits"):
  // a worker of the site, a blob: worker, a dynamic import(), a child frame's location.
  ["advertising", "/t/worker.gif", "a worker of the site calling the partner"],
  ["advertising", "/t/blob-worker.gif", "a blob: worker calling the partner"],
  ["advertising", "/t/import.js", "dynamic import() of a partner module"],
  ["advertising", "/t/frame-location", "a child frame's location set to the partner"],
  ["video", "/embed/1", "<iframe src>"],
];

const env = { servers: null, site: null, bare: null, browser: null, pageSource: "dist" };

before(async () => {
  if (!fs.existsSync(path.join(DIST, "accord/accord.js"))) {
    throw new Error(`dist/ missing or incomplete (${DIST}): run the build first (trunk build --release)`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  accordctlBinary(); // a clear error when accordctl is not built
  // The page and its blank image come from dist/ once the build has them; until then
  // from www/demo/ (the same files: trunk copies www/demo to dist/demo).
  const overrides = {};
  for (const f of ["sans-balises.html", "blank.gif"]) {
    if (!fs.existsSync(path.join(DIST, "demo", f))) {
      overrides[`/demo/${f}`] = path.join(REPO, "www/demo", f);
      env.pageSource = "www/demo (not in dist/ yet: rebuild)";
    }
  }
  env.servers = await startServers({
    root: DIST,
    sitePort: BASE + 5, // unused by these tests: nginx is the site
    trackerPorts: { ...TRACKER_PORTS, unknown: null },
    quiet: true,
  });
  const common = { root: DIST, trackerPorts: TRACKER_PORTS, overrides };
  env.site = await startNginx({ ...common, port: BASE });
  env.bare = await startNginx({ ...common, port: BASE + 6, csp: false });
  env.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await env.browser?.close();
  await env.site?.close();
  await env.bare?.close();
  await env.servers?.close();
});

/** Hits the tracker servers logged, as "vendor path" strings. */
const hits = () => env.servers.log.map((h) => `${h.vendor} ${h.path}`);
const clearHits = () => env.servers.log.splice(0);
const countOf = (vendor, p) => env.servers.log.filter((h) => h.vendor === vendor && h.path === p).length;

/** Records Accord's events and CSP violations in every page (outside the page's CSP). */
function recorder() {
  if (window.__csp) return;
  const rec = { events: [], violations: [] };
  Object.defineProperty(window, "__csp", { value: rec });
  for (const type of ["accord:ready", "accord:change", "accord:error"]) {
    document.addEventListener(type, () => rec.events.push(type), true);
  }
  document.addEventListener("securitypolicyviolation", (e) => rec.violations.push({ uri: e.blockedURI, directive: e.effectiveDirective }), true);
}

/** A fresh context (no cookies) and page; counts main-frame navigations and documents. */
async function session(t) {
  clearHits();
  const context = await env.browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  await context.addInitScript(recorder);
  const page = await context.newPage();
  const s = { context, page, navigations: 0, documents: [], browserRequests: [] };
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) s.navigations++;
  });
  page.on("response", (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
      s.documents.push({ url: r.url(), csp: r.headers()["content-security-policy"] ?? null });
      s.reloadedAt = Date.now();
    }
  });
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (Object.values(TRACKER_PORTS).includes(Number(u.port))) s.browserRequests.push(`${u.port} ${u.pathname}`);
  });
  t.after(() => context.close());
  s.trackerCookies = async () => (await context.cookies()).filter((c) => TRACKER_COOKIES.includes(c.name)).map((c) => c.name);
  s.describe = () => `tracker servers: ${JSON.stringify(hits())}; browser saw: ${JSON.stringify(s.browserRequests)}`;
  return s;
}

/** `accordctl csp` for the config nginx serves (no Cookie header: no decision). */
function accordctlCsp(configFile, cookie) {
  const args = ["csp", "--config", configFile, ...(cookie ? ["--cookie", cookie] : [])];
  const r = spawnSync(accordctlBinary(), args, { encoding: "utf8" });
  assert.equal(r.status, 0, `accordctl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

async function openFresh(s, origin = env.site.origin) {
  const resp = await s.page.goto(origin + PAGE, { waitUntil: "load" });
  assert.ok(resp && resp.ok(), `GET ${PAGE} answered ${resp ? resp.status() : "nothing"}`);
  return resp;
}

test("(a) fresh visit: the header stops every untagged tracker, 0 requests, 0 cookies", async (t) => {
  t.diagnostic(`page from ${env.pageSource}; nginx ${env.site.origin}, trackers ${JSON.stringify(TRACKER_PORTS)}`);
  const s = await session(t);
  const resp = await openFresh(s);
  assert.equal(
    resp.headers()["content-security-policy"],
    accordctlCsp(env.site.configFile),
    "nginx sends the no-decision header of `accordctl csp` for a first visit",
  );
  await expectVisible(banner(s.page), "banner on a fresh visit");
  await sleep(QUIET);
  assert.deepEqual(hits(), [], `no request may reach a tracker before a decision: ${s.describe()}`);
  assert.deepEqual(await s.trackerCookies(), [], "no tracker cookie before a decision");
  const violations = await s.page.evaluate(() => window.__csp.violations.map((v) => v.uri));
  t.diagnostic(`CSP violations seen by the page: ${violations.length} (${[...new Set(violations)].join(", ")})`);
});

test("(b) Tout refuser: no reload, still 0 tracker requests", async (t) => {
  const s = await session(t);
  await openFresh(s);
  assert.equal(s.navigations, 1, "one navigation: the visit");
  await expectVisible(banner(s.page), "banner on a fresh visit");
  await button(s.page, NAMES.fr.rejectAll).click();
  await expectHidden(banner(s.page), "banner after Tout refuser");
  await waitFor(async () => (await s.context.cookies()).some((c) => c.name === "accord"), { message: "the record cookie after Tout refuser" });
  await sleep(QUIET);
  assert.equal(s.navigations, 1, `a refusal never reloads the page (navigations: ${s.navigations}, documents: ${JSON.stringify(s.documents.map((d) => d.url))})`);
  assert.deepEqual(hits(), [], `no tracker request after Tout refuser: ${s.describe()}`);
  assert.deepEqual(await s.trackerCookies(), [], "no tracker cookie after Tout refuser");
});

test("(c) Tout accepter: exactly one reload, then each tracker resource loads exactly once", async (t) => {
  const s = await session(t);
  await openFresh(s);
  await expectVisible(banner(s.page), "banner on a fresh visit");
  assert.deepEqual(hits(), [], `nothing before the choice: ${s.describe()}`);
  await button(s.page, NAMES.fr.acceptAll).click();
  try {
    await waitFor(() => s.navigations >= 2, { timeout: 5000, message: "the reload after Tout accepter" });
  } catch (err) {
    assert.fail(
      `"policy": "server": after a grant the header did not allow, the loader must reload the page once so the new header applies (issue 8 item 4); navigations: ${s.navigations}. ${err.message}`,
    );
  }
  await s.page.waitForLoadState("load");
  const cookie = (await s.context.cookies()).find((c) => c.name === "accord");
  assert.ok(cookie, "the record cookie after Tout accepter");
  const last = s.documents.at(-1);
  assert.equal(
    last?.csp,
    accordctlCsp(env.site.configFile, `accord=${cookie.value}`),
    "the reloaded page carries the header of `accordctl csp` for the new record",
  );
  await waitFor(() => RESOURCES.every(([v, p]) => countOf(v, p) >= 1), {
    timeout: 5000,
    message: `every untagged tracker resource after the reload (${s.describe()})`,
  }).catch((err) => assert.fail(err.message));
  await sleep(QUIET);
  assert.equal(s.navigations, 2, `exactly one reload, never a loop (documents: ${JSON.stringify(s.documents.map((d) => d.url))})`);
  // Each resource once: a second request means something fetched it again after the
  // browser had (e.g. the loader re-activating an element it held while the module decided).
  const timeline = env.servers.log.map((h) => `+${h.time - s.reloadedAt} ms ${h.vendor} ${h.path} (${h.dest})`).join("\n    ");
  const twice = RESOURCES.filter(([v, p]) => countOf(v, p) !== 1).map(([v, p, technique]) => `${technique} ${p}: ${countOf(v, p)} requests`);
  assert.deepEqual(twice, [], `each tracker resource exactly once after the reload; hits from the reloaded document's response:\n    ${timeline}`);
  assert.equal(env.servers.log.length, RESOURCES.length, `no other tracker request: ${s.describe()}`);
  assert.equal(await s.page.evaluate(() => window.demoAdsRuns), 1, "the untagged ads.js ran exactly once");
});

test("(d) the same page WITHOUT the header: what the in-page layer alone lets through", async (t) => {
  const s = await session(t);
  const resp = await openFresh(s, env.bare.origin);
  assert.equal(resp.headers()["content-security-policy"], undefined, "nginx without the snippet sends no CSP");
  await sleep(QUIET + 1000);
  const reached = RESOURCES.filter(([v, p]) => countOf(v, p) > 0);
  const stopped = RESOURCES.filter(([v, p]) => countOf(v, p) === 0);
  const fmt = (list) => list.map(([v, p, technique]) => `${technique} (${v} ${p})`).join(", ") || "none";
  t.diagnostic(`without the header, fresh visit: ${reached.length} of ${RESOURCES.length} untagged resources reached the tracker: ${fmt(reached)}`);
  t.diagnostic(`without the header, stopped by the in-page layer: ${fmt(stopped)}`);
  t.diagnostic(`tracker cookies set without the header: ${JSON.stringify(await s.trackerCookies())}; all hits: ${JSON.stringify(hits())}`);
  assert.equal(reached.length + stopped.length, RESOURCES.length, "every resource measured");
  assert.equal(await s.page.evaluate(() => window.demoAdsRuns), undefined, "the loader still kept the untagged ads.js from running");
});

test("(e) Accord.audit().csp_blocked lists the tracker hosts the header blocked, by purpose", async (t) => {
  const s = await session(t);
  await openFresh(s);
  await expectVisible(banner(s.page), "banner on a fresh visit");
  await sleep(500);
  const audit = await waitFor(
    () =>
      s.page.evaluate(() => {
        try {
          const a = window.Accord.audit();
          return a && typeof a === "object" ? a : null;
        } catch {
          return null;
        }
      }),
    { message: "Accord.audit() returns an object once the module is ready" },
  );
  assert.ok(Array.isArray(audit.csp_blocked), `Accord.audit().csp_blocked must list what the CSP blocked (issue 8 item 4); audit keys: ${Object.keys(audit).join(", ")}`);
  t.diagnostic(`csp_blocked: ${JSON.stringify(audit.csp_blocked)}`);
  for (const [purpose, port] of [["advertising", TRACKER_PORTS.advertising], ["video", TRACKER_PORTS.video]]) {
    const host = `127.0.0.1:${port}`;
    const entry = audit.csp_blocked.find((e) => e.host === host);
    assert.ok(entry, `csp_blocked lists ${host} (${purpose}): ${JSON.stringify(audit.csp_blocked)}`);
    assert.equal(entry.purpose, purpose, `${host} is ${purpose}'s host`);
    assert.ok(entry.blocked >= 1, `${host} blocked at least once`);
  }
  assert.deepEqual(hits(), [], `and nothing reached the trackers: ${s.describe()}`);
});

/** `accordctl headers` for the config nginx serves: { name (lower case): value }. */
function accordctlHeaders(configFile, cookie) {
  const args = ["headers", "--config", configFile, ...(cookie ? ["--cookie", cookie] : [])];
  const r = spawnSync(accordctlBinary(), args, { encoding: "utf8" });
  assert.equal(r.status, 0, `accordctl ${args.join(" ")}: ${r.stderr}`);
  return Object.fromEntries(r.stdout.trim().split("\n").map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
}

// Issue 12, item 7: nginx also sends Connection-Allowlist-Report-Only and, while nothing
// that needs consent is granted, Permissions-Policy: deferred-fetch=(), deferred-fetch-minimal=(). In the browser:
// fetchLater is refused before a decision, even to the site itself (0 requests), and
// works after « Tout accepter »; the report-only allowlist blocks nothing the person does.
test("(f) Permissions-Policy: no fetchLater before a decision, fetchLater after consent; the allowlist only reports", async (t) => {
  const s = await session(t);
  const resp = await openFresh(s);
  const want = accordctlHeaders(env.site.configFile);
  for (const name of ["content-security-policy", "connection-allowlist-report-only", "permissions-policy"]) {
    assert.equal(resp.headers()[name], want[name], `nginx sends ${name} as \`accordctl headers\` computes it for a first visit`);
  }
  assert.equal(want["permissions-policy"], "deferred-fetch=(), deferred-fetch-minimal=()", "no fetchLater before a decision");
  await expectVisible(banner(s.page), "banner on a fresh visit");
  const selfHits = [];
  s.context.on("request", (r) => r.url().includes("/__fetchlater") && selfHits.push(r.url()));
  const before = await s.page.evaluate(() => {
    try {
      fetchLater("/__fetchlater?before", { activateAfter: 0 });
      return "sent";
    } catch (e) {
      return e.name;
    }
  });
  // The policy leaves the page no deferred-fetch quota: Chromium throws QuotaExceededError.
  assert.equal(before, "QuotaExceededError", "fetchLater is refused by the browser before a decision");
  await sleep(500);
  assert.deepEqual(selfHits, [], "no deferred request left the page");

  await button(s.page, NAMES.fr.acceptAll).click();
  await waitFor(() => s.navigations >= 2, { timeout: 5000, message: "the reload after Tout accepter" });
  await s.page.waitForLoadState("load");
  const cookie = (await s.context.cookies()).find((c) => c.name === "accord");
  const after = accordctlHeaders(env.site.configFile, `accord=${cookie.value}`);
  assert.equal(after["permissions-policy"], undefined, "no Permissions-Policy once a consent purpose is granted");
  const doc = await s.page.evaluate(() => {
    try {
      fetchLater(location.origin + "/__fetchlater?after", { activateAfter: 0 });
      return "sent";
    } catch (e) {
      return e.name;
    }
  });
  assert.equal(doc, "sent", "fetchLater works once consent is given");
  await waitFor(() => selfHits.some((u) => u.includes("after")), { timeout: 5000, message: "the deferred request sent after consent" });

  // Report-only: a click on an ordinary link to another site still gets there.
  const other = `http://127.0.0.1:${TRACKER_PORTS.video}/privacy`;
  await s.page.evaluate((href) => {
    const a = document.createElement("a");
    a.href = href;
    a.id = "out";
    a.textContent = "Politique du partenaire";
    document.body.append(a);
  }, other);
  await s.page.click("#out");
  await s.page.waitForURL(other, { timeout: 5000 });
});
