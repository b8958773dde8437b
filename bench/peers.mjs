#!/usr/bin/env node
// Accord beside the banners insurers would otherwise pick, on the same bench page, in Debian's
// Chromium (issue 15, deliverable 2).
//
//   node bench/peers.mjs [--runs N] [--port P] [--json FILE]      (npm run --silent bench:peers)
//   node bench/peers.mjs --serve [--port P]     only serve the bench pages, to look at them
//   node bench/peers.mjs --only klaro,accord …   only those banners (ids: accord,
//                                                vanilla-cookieconsent, tarteaucitron, klaro)
//   node bench/peers.mjs --latency 40 …          each request 40 ms later, as on a real network
//   node bench/peers.mjs --js-flags F …          a V8 flag for the browser, without its leading
//                                                dashes (a what-if run: no-wasm-lazy-compilation)
//
// The page: three purposes (audience measurement, advertising, video) and one tracker script,
// http://127.0.0.1:<P+1>/tracker.js, gated under advertising, that the banner must hold until
// consent. One page per banner, identical but for the banner's own snippet in <head>:
//   - Accord, from dist/accord/ (bash scripts/build.sh), the README's one-tag embed and the
//     demo config (www/demo/config.json, its tracker hosts rewritten to the bench ports);
//   - vanilla-cookieconsent, tarteaucitron.js (npm: tarteaucitronjs) and Klaro, from
//     node_modules (pinned in package.json and package-lock.json), each set up the way its
//     README/docs say, in French, the gated script tagged its own way.
// Served on 127.0.0.1:<P> (default 18380) by this script: brotli -q 11 (zlib) when the request
// accepts it, `Cache-Control: public, max-age=86400` for every file but the HTML (no-cache),
// so that a returning visit can be measured with a warm HTTP cache.
//
// One interleaved run: run i loads A, B, C, D in turn (N runs each, default 12), each load in a
// fresh browser context (one warm-up round first, not counted). For each banner, per run:
//   1. first visit: bytes before the first click (encoded bodies of every response until the
//      accept button is visible and the network has been idle 500 ms; CDP Network), of which
//      render-blocking (resources Chromium marks renderBlockingStatus "blocking"), banner visible
//      (performance.now() when the accept button is first visible, probe injected before the
//      page), main-thread script and task time (CDP Performance.getMetrics ScriptDuration and
//      TaskDuration), JS heap used (CDP Runtime.getHeapUsage), wasm memory (the byteLength of
//      every WebAssembly.Memory exported by an instance made through WebAssembly.instantiate or
//      instantiateStreaming), CLS (layout-shift entries before the click), then accept → hidden
//      (from the click event to the first check, by MutationObserver or at an animation frame,
//      that finds neither the accept nor the refuse button visible);
//   2. returning visit, warm: a new page in the same context (the banner's record present, the
//      HTTP cache warm): bytes, script and task time, tracker start (resource timing startTime
//      of the tracker request, ms from navigation start) — measured once the tracker request
//      is seen and the network has been idle 500 ms;
//   3. returning visit, cold: a new context with the first one's cookies and storage
//      (storageState) but an empty HTTP cache: the same figures;
//   4. refuse: a fresh context, the banner visible, refuse → hidden.
// A banner that fails (page error, banner never visible, tracker loaded before consent…) is
// reported as failed with the reason; the others go on; the exit code is then 1.
// Prints a Markdown report: medians, and each median's ratio to the best peer's (the best
// of vanilla-cookieconsent, tarteaucitron and Klaro) in that column. A benchmark, never a
// pass/fail threshold.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { MIME } from "../scripts/serve.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/e2e/harness.mjs";
import { arg, portArg, runsArg } from "./cli.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, "..");
const DIST = path.resolve(process.env.ACCORD_DIST || path.join(REPO, "dist"));
const NM = path.join(REPO, "node_modules");

const RUNS = runsArg(12);
const PORT = portArg(18380);
const JSON_FILE = arg("--json", null);
// --latency MS: every request of every load waits MS more (CDP network emulation), as on a
// real connection, where each round trip a banner's files need in turn shows.
const LATENCY = Number(arg("--latency", 0));
if (!Number.isFinite(LATENCY) || LATENCY < 0 || LATENCY > 2000) {
  console.error("--latency must be a number of milliseconds from 0 to 2000");
  process.exit(2);
}
// --js-flags F: passed to Chromium as --js-flags=--F, to measure what an engine setting
// costs (never a default: the report names it).
const JS_FLAG = arg("--js-flags", null);
const JS_FLAGS = JS_FLAG && `--${JS_FLAG}`;
if (!fs.existsSync(CHROMIUM)) {
  console.error(`Chromium missing at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);
  process.exit(1);
}

const SITE = `http://127.0.0.1:${PORT}`;
const TRACKER_ORIGIN = `http://127.0.0.1:${PORT + 1}`;
const TRACKER = `${TRACKER_ORIGIN}/tracker.js`;
const version = (pkg) => JSON.parse(fs.readFileSync(path.join(NM, pkg, "package.json"), "utf8")).version;
const accordVersion = (/^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(REPO, "Cargo.toml"), "utf8")) || [])[1] || "?";

// ---------------------------------------------------------------- the bench pages
const WORDS = {
  audience: {
    title: "Mesure d'audience",
    text: "Nous comptons les visites et les pages consultées sur ce site, pour savoir quelles informations vous sont utiles et améliorer le site.",
  },
  advertising: {
    title: "Publicité personnalisée",
    text: "Notre partenaire PubNet utilise des cookies pour vous montrer, sur d'autres sites, des publicités pour nos offres adaptées à vos centres d'intérêt.",
  },
  video: {
    title: "Vidéos intégrées",
    text: "Nos vidéos sont hébergées par VidéoPlay. Les afficher permet à VidéoPlay de déposer des cookies et de connaître les vidéos que vous regardez.",
  },
  notice: "Avec votre accord, nous et nos partenaires utilisons des cookies pour mesurer l'audience du site, vous montrer des publicités adaptées et afficher nos vidéos. Vous pouvez changer d'avis à tout moment.",
};

const page = (title, head, tail = "") => `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Assurance habitation — Mutuelle Exemple (${title})</title>
${head}
</head>
<body>
  <header><p><strong>Mutuelle Exemple</strong></p></header>
  <main>
    <h1>Assurance habitation</h1>
    <p>Protégez votre logement et vos biens : incendie, dégâts des eaux, vol, responsabilité civile. Devis en ligne en cinq minutes, sans engagement.</p>
    <h2>Nos formules</h2>
    <ul><li>Essentielle : les garanties obligatoires du locataire.</li><li>Confort : le mobilier et les appareils électriques.</li><li>Intégrale : tous les risques, assistance 24 h/24.</li></ul>
    <p>Les prix s'entendent toutes taxes comprises. Conditions générales et notice d'information sur demande.</p>
  </main>
  <footer><p><a href="/confidentialite.html">Données personnelles</a></p></footer>
${tail}
</body>
</html>
`;

const privacyPage = page("confidentialité", "", "");

// Accord: the README's embed; the tracker tagged for the advertising purpose.
function accordConfig() {
  const text = fs.readFileSync(path.join(REPO, "www", "demo", "config.json"), "utf8");
  const map = { "8081": PORT + 2, "8082": PORT + 1, "8083": PORT + 3 }; // advertising (PubNet) = the bench tracker
  return text.replace(/127\.0\.0\.1:(808[123])/g, (m, p) => `127.0.0.1:${map[p]}`);
}
const accordPage = page(
  "Accord",
  `  <script src="/accord/accord.js" data-config="/accord/config.json"></script>
  <script type="text/plain" data-accord-purpose="advertising" data-src="${TRACKER}"></script>`,
);

// vanilla-cookieconsent 3: the stylesheet in <head>, the config as a module importing the UMD
// build (its "basic usage"), scripts tagged type="text/plain" data-category.
const vccConfig = `import "./cookieconsent.umd.js";

CookieConsent.run({
  // The default hides the banner from user agents it takes for bots, headless Chromium included.
  hideFromBots: false,
  cookie: { name: "cc_cookie", expiresAfterDays: 182 },
  guiOptions: {
    consentModal: { layout: "box", position: "bottom right", equalWeightButtons: true },
    preferencesModal: { layout: "box", equalWeightButtons: true },
  },
  categories: {
    necessary: { enabled: true, readOnly: true },
    audience: {},
    advertising: {},
    video: {},
  },
  language: {
    default: "fr",
    translations: {
      fr: {
        consentModal: {
          title: "Vos choix sur les cookies",
          description: ${JSON.stringify(WORDS.notice)},
          acceptAllBtn: "Tout accepter",
          acceptNecessaryBtn: "Tout refuser",
          showPreferencesBtn: "Personnaliser",
          footer: '<a href="/confidentialite.html">Données personnelles</a>',
        },
        preferencesModal: {
          title: "Gérer mes cookies",
          acceptAllBtn: "Tout accepter",
          acceptNecessaryBtn: "Tout refuser",
          savePreferencesBtn: "Enregistrer mes choix",
          closeIconLabel: "Fermer",
          sections: [
            { title: "Nécessaires au site", description: "Ils retiennent vos choix sur les cookies et sécurisent votre navigation.", linkedCategory: "necessary" },
            { title: ${JSON.stringify(WORDS.audience.title)}, description: ${JSON.stringify(WORDS.audience.text)}, linkedCategory: "audience" },
            { title: ${JSON.stringify(WORDS.advertising.title)}, description: ${JSON.stringify(WORDS.advertising.text)}, linkedCategory: "advertising" },
            { title: ${JSON.stringify(WORDS.video.title)}, description: ${JSON.stringify(WORDS.video.text)}, linkedCategory: "video" },
          ],
        },
      },
    },
  },
});
`;
const vccPage = page(
  "vanilla-cookieconsent",
  `  <link rel="stylesheet" href="/vanilla-cookieconsent/cookieconsent.css">
  <script type="text/plain" data-category="advertising" data-src="${TRACKER}"></script>`,
  `  <script type="module" src="/vanilla-cookieconsent/config.js"></script>`,
);

// tarteaucitron.js: the script in <head>, tarteaucitron.init, one custom service per purpose
// ("Create custom service"), the gated script loaded by the advertising service's js().
const tacInit = {
  privacyUrl: "/confidentialite.html",
  bodyPosition: "top",
  hashtag: "#tarteaucitron",
  cookieName: "tarteaucitron",
  orientation: "bottom",
  groupServices: true,
  showDetailsOnClick: true,
  serviceDefaultState: "wait",
  showAlertSmall: false,
  cookieslist: false,
  showIcon: true,
  iconPosition: "BottomLeft",
  adblocker: false,
  DenyAllCta: true,
  AcceptAllCta: true,
  highPrivacy: true,
  alwaysNeedConsent: false,
  handleBrowserDNTRequest: false,
  removeCredit: false,
  moreInfoLink: true,
  useExternalCss: false,
  useExternalJs: false,
  readmoreLink: "",
  mandatory: true,
  mandatoryCta: false,
  googleConsentMode: false,
  bingConsentMode: false,
  pianoConsentMode: false,
  softConsentMode: false,
  dataLayer: false,
  serverSide: false,
  partnersList: false,
};
const tacPage = page(
  "tarteaucitron",
  `  <script>var tarteaucitronForceLanguage = "fr";</script>
  <script src="/tarteaucitron/tarteaucitron.min.js"></script>
  <script>
  tarteaucitron.init(${JSON.stringify(tacInit)});
  tarteaucitron.services.audimetre = { key: "audimetre", type: "analytic", name: "Audimètre", uri: "/confidentialite.html", needConsent: true, cookies: ["_aud_id"], js: function () {}, fallback: function () {} };
  tarteaucitron.services.pubnet = { key: "pubnet", type: "ads", name: "PubNet", uri: "/confidentialite.html", needConsent: true, cookies: ["_adn"], js: function () { "use strict"; tarteaucitron.addScript(${JSON.stringify(TRACKER)}); }, fallback: function () {} };
  tarteaucitron.services.videoplay = { key: "videoplay", type: "video", name: "VidéoPlay", uri: "/confidentialite.html", needConsent: true, cookies: ["_vid"], js: function () {}, fallback: function () {} };
  (tarteaucitron.job = tarteaucitron.job || []).push("audimetre", "pubnet", "videoplay");
  </script>`,
);

// Klaro: the config script then klaro.js (CSS and translations included), both defer, as its
// README says; the gated script with data-name / data-type / data-src.
const klaroConfig = `var klaroConfig = ${JSON.stringify(
  {
    version: 1,
    elementID: "klaro",
    lang: "fr",
    storageMethod: "cookie",
    cookieName: "klaro",
    cookieExpiresAfterDays: 182,
    default: false,
    mustConsent: false,
    acceptAll: true,
    hideDeclineAll: false,
    hideLearnMore: false,
    noticeAsModal: false,
    groupByPurpose: true,
    htmlTexts: false,
    translations: {
      fr: {
        privacyPolicyUrl: "/confidentialite.html",
        acceptAll: "Tout accepter",
        ok: "Tout accepter", // the notice's accept button
        decline: "Tout refuser",
        consentNotice: { description: WORDS.notice, learnMore: "Personnaliser" },
        consentModal: { title: "Gérer mes cookies", description: "Choisissez, finalité par finalité, ce que vous acceptez." },
        purposes: {
          audience: { title: WORDS.audience.title, description: WORDS.audience.text },
          advertising: { title: WORDS.advertising.title, description: WORDS.advertising.text },
          video: { title: WORDS.video.title, description: WORDS.video.text },
        },
        audimetre: { title: "Audimètre", description: "Mesure d'audience hébergée par la mutuelle." },
        pubnet: { title: "PubNet", description: "Régie publicitaire." },
        videoplay: { title: "VidéoPlay", description: "Hébergeur de nos vidéos." },
      },
    },
    services: [
      { name: "audimetre", purposes: ["audience"], cookies: ["_aud_id"] },
      { name: "pubnet", purposes: ["advertising"], cookies: ["_adn"] },
      { name: "videoplay", purposes: ["video"], cookies: ["_vid"] },
    ],
  },
  null,
  2,
)};
`;
const klaroPage = page(
  "Klaro",
  `  <script defer src="/klaro/config.js"></script>
  <script defer src="/klaro/klaro.js"></script>
  <script type="text/plain" data-type="text/javascript" data-name="pubnet" data-src="${TRACKER}"></script>`,
);

const ALL_BANNERS = [
  { id: "accord", name: `**Accord ${accordVersion} (dist/accord)**`, label: "Accord", page: "/accord.html", peer: false },
  { id: "vanilla-cookieconsent", name: `vanilla-cookieconsent ${version("vanilla-cookieconsent")}`, label: "vanilla-cookieconsent", page: "/vanilla-cookieconsent.html", peer: true },
  { id: "tarteaucitron", name: `tarteaucitron ${version("tarteaucitronjs")}`, label: "tarteaucitron", page: "/tarteaucitron.html", peer: true },
  { id: "klaro", name: `Klaro ${version("klaro")}`, label: "Klaro", page: "/klaro.html", peer: true },
];
// --only id,id: a subset, for trying a page out (the report needs them all).
const ONLY = arg("--only", null);
const BANNERS = ONLY ? ALL_BANNERS.filter((b) => ONLY.split(",").includes(b.id)) : ALL_BANNERS;
if (!BANNERS.length) {
  console.error(`--only: none of ${ALL_BANNERS.map((b) => b.id).join(", ")}`);
  process.exit(2);
}
const LABELS = { accept: ["Tout accepter"], refuse: ["Tout refuser"] };

// Files served: generated ones, then static roots.
const generated = new Map([
  ["/accord.html", accordPage],
  ["/vanilla-cookieconsent.html", vccPage],
  ["/tarteaucitron.html", tacPage],
  ["/klaro.html", klaroPage],
  ["/confidentialite.html", privacyPage],
  ["/accord/config.json", accordConfig()],
  ["/vanilla-cookieconsent/config.js", vccConfig],
  ["/klaro/config.js", klaroConfig],
]);
const roots = [
  ["/accord/", path.join(DIST, "accord")],
  ["/vanilla-cookieconsent/", path.join(NM, "vanilla-cookieconsent", "dist")],
  ["/tarteaucitron/", path.join(NM, "tarteaucitronjs")],
  ["/klaro/", path.join(NM, "klaro", "dist")],
];
{
  const missing = [
    [path.join(DIST, "accord", "accord.js"), "bash scripts/build.sh"],
    [path.join(DIST, "accord", "accord_widget_bg.wasm"), "bash scripts/build.sh"],
    [path.join(NM, "vanilla-cookieconsent", "dist", "cookieconsent.umd.js"), "npm ci"],
    [path.join(NM, "tarteaucitronjs", "tarteaucitron.min.js"), "npm ci"],
    [path.join(NM, "klaro", "dist", "klaro.js"), "npm ci"],
  ].filter(([f]) => !fs.existsSync(f));
  if (missing.length) {
    console.error(`missing ${missing.map(([f, how]) => `${path.relative(REPO, f)} (${how})`).join(", ")}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------- the server
const cache = new Map(); // path -> { type, raw, br, cacheControl }
function resolveFile(p) {
  if (generated.has(p)) return { body: Buffer.from(generated.get(p), "utf8"), file: p };
  for (const [prefix, dir] of roots) {
    if (!p.startsWith(prefix)) continue;
    const file = path.resolve(dir, "." + p.slice(prefix.length - 1));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
    return { body: fs.readFileSync(file), file };
  }
  return null;
}
function asset(p) {
  if (cache.has(p)) return cache.get(p);
  const found = resolveFile(p);
  if (!found) return null;
  const ext = path.extname(found.file).toLowerCase();
  const type = MIME[ext] || "application/octet-stream";
  const a = {
    type,
    raw: found.body,
    br: zlib.brotliCompressSync(found.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: found.body.length } }),
    cacheControl: ext === ".html" ? "no-cache" : "public, max-age=86400",
  };
  cache.set(p, a);
  return a;
}
const siteServer = http.createServer((req, res) => {
  let p;
  try {
    p = decodeURIComponent(req.url.split("?")[0]);
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
    return res.end("400 bad path\n");
  }
  if (p === "/consent-log") {
    // Accord's receipts (the demo config's consent_log): read and dropped.
    req.resume();
    req.on("end", () => {
      res.writeHead(204, { "Cache-Control": "no-store" });
      res.end();
    });
    return;
  }
  const a = asset(p === "/" ? "/accord.html" : p);
  if (!a || (req.method !== "GET" && req.method !== "HEAD")) {
    res.writeHead(a ? 405 : 404, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
    return res.end(a ? "405\n" : `404 not found: ${p}\n`);
  }
  const br = /\bbr\b/.test(req.headers["accept-encoding"] || "");
  const body = br ? a.br : a.raw;
  const headers = { "Content-Type": a.type, "Content-Length": body.length, "Cache-Control": a.cacheControl, Vary: "Accept-Encoding", "X-Content-Type-Options": "nosniff" };
  if (br) headers["Content-Encoding"] = "br";
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
});
const TRACKER_JS = `/* bench tracker (advertising): runs only with consent */
window.__trackerRan = performance.now();
document.cookie = "_adn=" + Math.random().toString(36).slice(2) + "; max-age=63072000; path=/";
`;
const trackerServer = http.createServer((req, res) => {
  if (req.url.split("?")[0] === "/tracker.js") {
    res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store", "Timing-Allow-Origin": "*" });
    return res.end(TRACKER_JS);
  }
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end("404\n");
});
const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once("error", (err) => reject(err.code === "EADDRINUSE" ? new Error(`port 127.0.0.1:${port} is already in use: choose another with --port`) : err));
    server.listen(port, "127.0.0.1", resolve);
  });
const close = (server) =>
  new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections?.();
  });

// ---------------------------------------------------------------- the in-page probe
// Installed before any script of the page (top frame only): banner visible, click → hidden,
// CLS, and the wasm memories of the instances the page makes.
function probe(labels) {
  if (window.top !== window) return;
  const P = (window.__probe = { visible: null, cls: 0, clickAt: null, clickKind: null, hiddenDom: null, hiddenFrame: null, wasm: [] });
  const keep = (r) => {
    try {
      const ex = r && (r.instance || r).exports;
      if (ex) for (const k of Object.keys(ex)) if (ex[k] instanceof WebAssembly.Memory) P.wasm.push(ex[k]);
    } catch {}
    return r;
  };
  for (const fn of ["instantiate", "instantiateStreaming"]) {
    const orig = WebAssembly[fn];
    if (typeof orig === "function") {
      WebAssembly[fn] = function (...a) {
        return orig.apply(this, a).then(keep);
      };
    }
  }
  P.wasmBytes = () => P.wasm.reduce((s, m) => s + m.buffer.byteLength, 0);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) P.cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  } catch {}
  const norm = (s) => String(s || "").replace(/\s+/g, " ").trim();
  const kindOf = (b) => {
    const t = norm(b.textContent);
    const a = norm(b.getAttribute("aria-label"));
    for (const kind of ["accept", "refuse"]) for (const l of labels[kind]) if (t === l || a === l || (t.endsWith(l) && t.length <= l.length + 3)) return kind;
    return null;
  };
  const shown = (el) => {
    if (!el.isConnected) return false;
    if (typeof el.checkVisibility === "function" && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  P.find = (kind) => {
    for (const b of document.querySelectorAll("button, [role=button], a")) if (kindOf(b) === kind && shown(b)) return b;
    return null;
  };
  const check = (viaFrame) => {
    const now = performance.now();
    if (P.visible === null) {
      if (P.find("accept")) P.visible = now;
      return;
    }
    if (P.clickAt !== null && P.hiddenFrame === null && !P.find("accept") && !P.find("refuse")) {
      if (P.hiddenDom === null) P.hiddenDom = now;
      if (viaFrame) P.hiddenFrame = now;
    }
  };
  const mo = new MutationObserver(() => check(false));
  const frame = () => {
    check(true);
    // Until the banner shows, then from the click until it is gone.
    if (P.visible === null || (P.clickAt !== null && P.hiddenFrame === null)) requestAnimationFrame(frame);
    else mo.disconnect();
  };
  // A returning visit does not watch (the watching would be counted as the page's script
  // time): it only asks P.find() once, at the end.
  if (!labels.watch) return;
  mo.observe(document, { subtree: true, childList: true, attributes: true });
  requestAnimationFrame(frame);
  addEventListener(
    "click",
    (e) => {
      const b = e.target && e.target.closest ? e.target.closest("button, [role=button], a") : null;
      const kind = b && kindOf(b);
      if (kind && P.clickAt === null && P.visible !== null) {
        P.clickAt = performance.now();
        P.clickKind = kind;
        mo.observe(document, { subtree: true, childList: true, attributes: true });
        requestAnimationFrame(frame);
      }
    },
    true,
  );
}

// ---------------------------------------------------------------- one load
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const VIEWPORT = { width: 1280, height: 800 };
const CONTEXT_OPTIONS = { viewport: VIEWPORT, locale: "fr-FR" };

/** Opens `url` in a new page of `context`, watching the network and the main thread over CDP. */
async function open(context, url, watch = true) {
  const page = await context.newPage();
  await page.addInitScript(probe, { ...LABELS, watch });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e.message || e).split("\n")[0]));
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  let lastActivity = Date.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.url.startsWith("data:")) return;
    requests.set(e.requestId, { url: e.request.url, type: e.type, headers: 0, total: 0, done: false, cached: false });
    lastActivity = Date.now();
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.headers = e.response.encodedDataLength || 0;
      r.status = e.response.status;
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) r.cached = true;
    }
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.total = e.encodedDataLength || 0;
      r.done = true;
    }
    lastActivity = Date.now();
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.done = true;
      r.failed = e.errorText;
    }
    lastActivity = Date.now();
  });
  await cdp.send("Network.enable");
  if (LATENCY) await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: LATENCY, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.send("Performance.enable");
  const base = await metrics(cdp);
  const response = await page.goto(url, { waitUntil: "commit", timeout: 30_000 });
  if (!response || response.status() !== 200) throw new Error(`${url}: HTTP ${response ? response.status() : "no response"}`);
  return {
    page,
    cdp,
    errors,
    requests,
    base,
    /** Waits until no request has been in flight for `quiet` ms (at most `max` ms). */
    async idle(quiet = 500, max = 8000) {
      const end = Date.now() + max;
      for (;;) {
        const inflight = [...requests.values()].some((r) => !r.done);
        if (!inflight && Date.now() - lastActivity >= quiet) return true;
        if (Date.now() > end) return false;
        await sleep(50);
      }
    },
    /** Encoded body bytes received from the network so far (the cache's answers count 0). */
    bytes(filter = () => true) {
      let sum = 0;
      let n = 0;
      for (const r of requests.values()) {
        if (!r.done || r.failed || !filter(r)) continue;
        const body = r.cached ? 0 : Math.max(0, r.total - r.headers);
        sum += body;
        if (body > 0) n++;
      }
      return { bytes: sum, requests: n };
    },
  };
}

async function metrics(cdp) {
  const m = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((x) => [x.name, x.value]));
  return { script: (m.ScriptDuration || 0) * 1000, task: (m.TaskDuration || 0) * 1000 };
}
async function mainThread(o) {
  const now = await metrics(o.cdp);
  // The counters are the page's since Performance.enable; a cross-process navigation may
  // start them again from zero: then the base (about:blank) does not apply.
  const d = (k) => (now[k] >= o.base[k] ? now[k] - o.base[k] : now[k]);
  return { script: d("script"), task: d("task") };
}
async function heap(o) {
  try {
    return (await o.cdp.send("Runtime.getHeapUsage")).usedSize;
  } catch {
    return null;
  }
}

const trackerStart = (page) =>
  page.evaluate((origin) => {
    const e = performance.getEntriesByType("resource").find((x) => x.name.startsWith(origin));
    return e ? e.startTime : null;
  }, TRACKER_ORIGIN);

async function waitBanner(o, timeout = 15_000) {
  try {
    await o.page.waitForFunction(() => window.__probe && window.__probe.visible !== null, null, { timeout, polling: 50 });
  } catch {
    const why = o.errors.length ? `; page errors: ${o.errors.slice(0, 2).join(" | ")}` : "";
    throw new Error(`banner never visible within ${timeout / 1000} s${why}`);
  }
}

// Between "visible and idle" and the click: tarteaucitron 1.34 binds its buttons 500 ms after
// it shows them ("a little timeout to be sure everything is accessible"); every banner gets
// the same wait, so that no click falls on a button that does nothing yet.
const SETTLE_MS = 700;

/** Clicks the visible accept or refuse button; returns the ms from the click to the banner hidden. */
async function clickAndTime(o, kind) {
  await sleep(SETTLE_MS);
  const handle = await o.page.evaluateHandle((k) => window.__probe.find(k), kind);
  const el = handle.asElement();
  if (!el) throw new Error(`no visible ${kind} button`);
  await el.click({ timeout: 5000 });
  try {
    const t = await o.page
      .waitForFunction(() => window.__probe.hiddenFrame !== null && window.__probe, null, { timeout: 5000, polling: 20 })
      .then((h) => h.jsonValue());
    return { frame: t.hiddenFrame - t.clickAt, dom: t.hiddenDom - t.clickAt };
  } catch {
    const still = await o.page
      .evaluate(() => {
        const P = window.__probe;
        const b = P.find("accept") || P.find("refuse");
        return `${P.clickAt === null ? "the click was not seen; " : ""}${b ? b.outerHTML.slice(0, 120) : "?"}`;
      })
      .catch(() => "?");
    throw new Error(`${kind}: banner still visible 5 s after the click (${still})`);
  }
}

/** First visit, accept, then the returning visits (warm, cold). */
async function acceptRun(browser, banner) {
  const url = SITE + banner.page;
  const ctx = await browser.newContext(CONTEXT_OPTIONS);
  let cold = null;
  try {
    const o = await open(ctx, url);
    await waitBanner(o);
    await o.idle();
    const { bytes, requests } = o.bytes();
    const blockingUrls = new Set(
      await o.page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.renderBlockingStatus === "blocking").map((e) => e.name)),
    );
    const blocking = o.bytes((r) => blockingUrls.has(r.url)).bytes;
    const mt = await mainThread(o);
    const jsHeap = await heap(o);
    const p = await o.page.evaluate(() => ({ visible: window.__probe.visible, cls: window.__probe.cls, wasm: window.__probe.wasmBytes() }));
    const trackerEarly = await trackerStart(o.page);
    if (trackerEarly !== null) throw new Error("the tracker was requested before consent");
    const accept = await clickAndTime(o, "accept");
    // The choice stored (cookie or storage) and the tracker started before the record is read back.
    await o.idle(500, 5000);
    const trackerAfterAccept = await trackerStart(o.page);
    if (trackerAfterAccept === null) throw new Error("the tracker did not start after « Tout accepter »");
    await o.page.close();
    const first = { bytes, requests, blocking, visible: p.visible, script: mt.script, task: mt.task, heap: jsHeap, wasm: banner.id === "accord" ? p.wasm : null, cls: p.cls, accept: accept.frame, acceptDom: accept.dom };

    const warm = await returning(ctx, url);
    const state = await ctx.storageState();
    cold = await browser.newContext({ ...CONTEXT_OPTIONS, storageState: state });
    const coldR = await returning(cold, url);
    return { first, warm, cold: coldR };
  } finally {
    await ctx.close().catch(() => {});
    if (cold) await cold.close().catch(() => {});
  }
}

async function returning(ctx, url) {
  const o = await open(ctx, url, false);
  try {
    await o.page.waitForLoadState("load", { timeout: 15_000 });
    const end = Date.now() + 10_000;
    let tracker = null;
    while ((tracker = await trackerStart(o.page)) === null && Date.now() < end) await sleep(50);
    if (tracker === null) throw new Error("returning visit: the granted tracker never started");
    await o.idle();
    const { bytes, requests } = o.bytes();
    const mt = await mainThread(o);
    const shown = await o.page.evaluate(() => window.__probe.find("accept") !== null);
    if (shown) throw new Error("returning visit: the banner showed again (the choice was not kept)");
    return { bytes, requests, script: mt.script, task: mt.task, tracker };
  } finally {
    await o.page.close().catch(() => {});
  }
}

async function refuseRun(browser, banner) {
  const ctx = await browser.newContext(CONTEXT_OPTIONS);
  try {
    const o = await open(ctx, SITE + banner.page);
    await waitBanner(o);
    await o.idle(300, 5000);
    const refuse = await clickAndTime(o, "refuse");
    await o.idle(300, 3000);
    if ((await trackerStart(o.page)) !== null) throw new Error("the tracker started after « Tout refuser »");
    return { refuse: refuse.frame, refuseDom: refuse.dom };
  } finally {
    await ctx.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- the report
const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number" && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const KiB = (b) => (b === null ? null : b / 1024);
const MiB = (b) => (b === null ? null : b / 1048576);

async function main() {
  await listen(siteServer, PORT);
  await listen(trackerServer, PORT + 1);
  if (process.argv.includes("--serve")) {
    for (const b of BANNERS) console.log(`${b.label.padEnd(22)} ${SITE}${b.page}`);
    console.log(`tracker                ${TRACKER}`);
    return new Promise(() => {});
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: JS_FLAGS ? [...CHROMIUM_ARGS, `--js-flags=${JS_FLAGS}`] : CHROMIUM_ARGS });
  const chromiumVersion = browser.version();
  const started = new Date();
  const raw = Object.fromEntries(BANNERS.map((b) => [b.id, { runs: [], failures: [] }]));
  const MAX_FAILURES = 3;
  const once = async (b, i) => {
    const r = raw[b.id];
    if (r.failures.length >= MAX_FAILURES) return null;
    try {
      const a = await acceptRun(browser, b);
      const f = await refuseRun(browser, b);
      const run = { ...a, refuse: f };
      if (i >= 0) r.runs.push(run);
      return run;
    } catch (err) {
      const msg = String(err && err.message ? err.message : err).split("\n")[0];
      r.failures.push({ run: i + 1, reason: msg });
      process.stderr.write(`  ${b.label}: FAILED (run ${i < 0 ? "warm-up" : i + 1}): ${msg}\n`);
      return null;
    }
  };
  try {
    process.stderr.write("warm-up round (not counted)\n");
    for (const b of BANNERS) await once(b, -1);
    for (let i = 0; i < RUNS; i++) {
      const parts = [];
      for (const b of BANNERS) {
        const run = await once(b, i);
        parts.push(`${b.label} ${run ? `${(run.first.bytes / 1024).toFixed(1)} KiB, visible ${run.first.visible.toFixed(0)} ms` : "failed"}`);
      }
      process.stderr.write(`run ${i + 1}/${RUNS}: ${parts.join("; ")}\n`);
    }
  } finally {
    await browser.close().catch(() => {});
    await close(siteServer);
    await close(trackerServer);
  }

  const rows = BANNERS.map((b) => {
    const runs = raw[b.id].runs;
    const m = (f) => median(runs.map(f));
    return {
      banner: b,
      n: runs.length,
      failures: raw[b.id].failures,
      first: {
        bytes: KiB(m((r) => r.first.bytes)),
        requests: m((r) => r.first.requests),
        blocking: KiB(m((r) => r.first.blocking)),
        visible: m((r) => r.first.visible),
        script: m((r) => r.first.script),
        task: m((r) => r.first.task),
        heap: MiB(m((r) => r.first.heap)),
        wasm: b.id === "accord" ? MiB(m((r) => r.first.wasm)) : null,
        cls: m((r) => r.first.cls),
        accept: m((r) => r.first.accept),
        refuse: m((r) => r.refuse.refuse),
      },
      warm: { bytes: KiB(m((r) => r.warm.bytes)), script: m((r) => r.warm.script), task: m((r) => r.warm.task), tracker: m((r) => r.warm.tracker) },
      cold: { bytes: KiB(m((r) => r.cold.bytes)), script: m((r) => r.cold.script), task: m((r) => r.cold.task), tracker: m((r) => r.cold.tracker) },
    };
  });
  const ok = rows.filter((r) => r.n > 0);
  // The best peer in a column (smallest is best in every column here).
  const best = (part, key) => {
    const xs = ok.filter((r) => r.banner.peer).map((r) => r[part][key]).filter((x) => x !== null);
    return xs.length ? Math.min(...xs) : null;
  };
  const cell = (row, part, key, digits) => {
    const v = row[part][key];
    if (v === null) return "—";
    const b = best(part, key);
    const s = v.toFixed(digits);
    if (b === null || b <= 0) return s;
    return `${s} (${(v / b).toFixed(2)}×)`;
  };
  const lines = [];
  const say = (s = "") => lines.push(s);
  const cpu = os.cpus();
  say(`Chromium ${chromiumVersion} (headless, ${CHROMIUM}), ${cpu.length} × ${cpu[0] ? cpu[0].model.trim() : "CPU"}; ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; ${RUNS} runs per banner, interleaved, a fresh context per load; medians, and in brackets the ratio to the best peer in the column (vanilla-cookieconsent, tarteaucitron, Klaro); brotli -q 11, 127.0.0.1${LATENCY ? `, every request ${LATENCY} ms later (CDP network emulation: --latency ${LATENCY})` : ""}${JS_FLAGS ? `, V8 flags --js-flags=${JS_FLAGS}` : ""}.`);
  const load = os.loadavg()[0];
  if (load > cpu.length) say(`Load average ${load.toFixed(1)} on ${cpu.length} CPUs at the end of the run: the browser is busy; treat the timings as indicative.`);
  say();
  say("First visit (no choice yet; the banner must show):");
  say();
  say("| banner | bytes before the first click (KiB) | of which render-blocking (KiB) | requests | banner visible (ms) | main-thread script (ms) | main-thread tasks (ms) | JS heap (MiB) | wasm memory (MiB) | CLS | accept → hidden (ms) | refuse → hidden (ms) |");
  say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    if (!r.n) {
      say(`| ${r.banner.name} | failed: ${r.failures.map((f) => f.reason).filter((x, i, a) => a.indexOf(x) === i).join("; ").replace(/\|/g, "\\|")} | | | | | | | | | | |`);
      continue;
    }
    say(
      `| ${r.banner.name} | ${cell(r, "first", "bytes", 1)} | ${cell(r, "first", "blocking", 1)} | ${r.first.requests} | ${cell(r, "first", "visible", 0)} | ${cell(r, "first", "script", 0)} | ${cell(r, "first", "task", 0)} | ${cell(r, "first", "heap", 2)} | ${r.first.wasm === null ? "—" : r.first.wasm.toFixed(2)} | ${r.first.cls === null ? "—" : r.first.cls.toFixed(3)} | ${cell(r, "first", "accept", 1)} | ${cell(r, "first", "refuse", 1)} |`,
    );
  }
  say();
  say("Returning visit (the banner's record present after « Tout accepter »; the tracker granted):");
  say();
  say("| banner | warm cache: bytes (KiB) | warm: script (ms) | warm: tracker starts (ms) | cold cache: bytes (KiB) | cold: script (ms) | cold: tracker starts (ms) |");
  say("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    if (!r.n) {
      say(`| ${r.banner.name} | failed | | | | | |`);
      continue;
    }
    say(`| ${r.banner.name} | ${cell(r, "warm", "bytes", 1)} | ${cell(r, "warm", "script", 0)} | ${cell(r, "warm", "tracker", 0)} | ${cell(r, "cold", "bytes", 1)} | ${cell(r, "cold", "script", 0)} | ${cell(r, "cold", "tracker", 0)} |`);
  }
  const failed = rows.filter((r) => r.failures.length);
  if (failed.length) {
    say();
    for (const r of failed) say(`${r.banner.label}: ${r.failures.length} failed load(s)${r.n ? ` (medians of the ${r.n} good runs)` : ""}: ${r.failures.map((f) => `run ${f.run < 1 ? "warm-up" : f.run}: ${f.reason}`).join("; ")}`);
  }
  console.log(lines.join("\n"));

  if (JSON_FILE) {
    const out = { date: started.toISOString(), chromium: chromiumVersion, runs: RUNS, latency_ms: LATENCY, js_flags: JS_FLAGS, cpus: cpu.length, load_average: os.loadavg(), site: SITE, tracker: TRACKER, banners: BANNERS.map(({ id, name, page }) => ({ id, name, page })), medians: rows.map((r) => ({ id: r.banner.id, n: r.n, first: r.first, warm: r.warm, cold: r.cold, failures: r.failures })), raw };
    fs.writeFileSync(JSON_FILE, JSON.stringify(out, null, 2) + "\n");
    console.error(`raw numbers written to ${JSON_FILE}`);
  }
  return failed.length ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  });
