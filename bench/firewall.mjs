#!/usr/bin/env node
// Firewall overhead and banner timings, in Debian's Chromium against dist/.
//
//   node bench/firewall.mjs [--runs N] [--port P] [--json]
//
// 1. Work page (bench/pages/, served at /__bench/ from the site origin): insert 10,000
//    elements, write 1,000 cookies, make 1,000 same-origin fetches, timed in the page with
//    performance.now() around the work. Two variants, identical but for the loader:
//    with.html (Accord's loader first, the work starts after accord:ready) and
//    without.html (no Accord, the work starts after load); 200 ms of idle time first in both.
//    Interleaved in one run (with/without alternate which goes first), a fresh browser
//    context per load, N runs each (default 11, at least 10): medians and the ratio.
// 2. The demo home page (/), fresh context per load, N runs: navigation start → the
//    "Tout accepter" button visible (median), and "Tout refuser" clicked → the banner gone
//    (median; in the DOM, and at the next animation frame).
// Prints the figures and Markdown rows for the README. Never a pass/fail threshold: the
// target (ratio ≤ 1.10) is printed beside the figure.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServers } from "../scripts/serve.mjs";
import { arg, runsArg } from "./cli.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, "..");
const DIST = path.resolve(process.env.ACCORD_DIST || path.join(REPO, "dist"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

const RUNS = runsArg(11);
const PORT = Number(arg("--port", 18280));
const JSON_OUT = process.argv.includes("--json");
if (RUNS < 10) console.warn(`warning: --runs ${RUNS}: the README figures need at least 10 runs each`);

// ---------------------------------------------------------------- dist/ must exist
{
  const needed = ["index.html", "demo/config.json", "accord/accord.js"];
  const missing = needed.filter((f) => !fs.existsSync(path.join(DIST, f)));
  const acc = path.join(DIST, "accord");
  if (!fs.existsSync(acc) || !fs.readdirSync(acc).some((f) => f.endsWith(".wasm"))) missing.push("accord/*.wasm");
  if (missing.length) {
    console.error(`${DIST} is missing ${missing.join(", ")}: build first (bash scripts/build.sh or trunk build --release)`);
    process.exit(1);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`Chromium missing at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);
    process.exit(1);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 0) => (x === null || Number.isNaN(x) ? "n/a" : x.toFixed(d));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Installed before the demo page's scripts: times when "Tout accepter" first shows, and,
// after a click on "Tout refuser", when it is gone (DOM: MutationObserver; frame: rAF).
function bannerTimerInitScript() {
  const T = (window.__bannerTimes = { visible: null, refuseClick: null, goneDom: null, goneFrame: null });
  const ACCEPT = "Tout accepter";
  const REFUSE = "Tout refuser";
  function findButton(label, root) {
    const list = (root || document).querySelectorAll("button, [role=button]");
    for (const b of list) if (b.textContent.trim() === label || b.getAttribute("aria-label") === label) return b;
    for (const el of (root || document).querySelectorAll("*")) if (el.shadowRoot) {
      const f = findButton(label, el.shadowRoot);
      if (f) return f;
    }
    return null;
  }
  function shown(el) {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === "function") return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }
  function check() {
    const b = findButton(ACCEPT);
    const now = performance.now();
    if (T.visible === null && shown(b)) T.visible = now;
    if (T.refuseClick !== null && T.goneDom === null && !shown(b)) T.goneDom = now;
  }
  const mo = new MutationObserver(check);
  mo.observe(document, { subtree: true, childList: true, attributes: true });
  function frame() {
    check();
    if (T.refuseClick !== null && T.goneFrame === null && !shown(findButton(ACCEPT))) T.goneFrame = performance.now();
    if (T.goneFrame === null) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
  window.addEventListener(
    "click",
    (e) => {
      const b = e.target && e.target.closest ? e.target.closest("button, [role=button]") : null;
      if (b && (b.textContent.trim() === REFUSE || b.getAttribute("aria-label") === REFUSE) && T.refuseClick === null) T.refuseClick = performance.now();
    },
    true,
  );
}

async function main() {
  const servers = await startServers({
    root: DIST,
    sitePort: PORT,
    trackerPorts: { audience: PORT + 1, advertising: PORT + 2, video: PORT + 3, unknown: PORT + 4 },
    quiet: true,
    extraRoots: { "/__bench/": path.join(here, "pages") },
  });
  const origin = servers.site.origin;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const version = browser.version();
  const out = { with: [], without: [], banner: [], refuse: [] };

  async function workOnce(variant) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/__bench/${variant}.html`, { waitUntil: "load", timeout: 30_000 });
      const res = await page.waitForFunction(() => window.__bench, null, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue());
      if (res.error) throw new Error(`${variant}: ${res.error}`);
      return res;
    } finally {
      await context.close();
    }
  }

  async function bannerOnce() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" });
    try {
      await context.addInitScript(bannerTimerInitScript);
      const page = await context.newPage();
      await page.goto(`${origin}/`, { waitUntil: "commit", timeout: 30_000 });
      const accept = page.getByRole("button", { name: "Tout accepter", exact: true });
      await accept.waitFor({ state: "visible", timeout: 15_000 });
      await page.waitForFunction(() => window.__bannerTimes && window.__bannerTimes.visible !== null, null, { timeout: 5000 });
      await sleep(300);
      await page.getByRole("button", { name: "Tout refuser", exact: true }).click();
      const t = await page
        .waitForFunction(() => window.__bannerTimes.goneFrame !== null && window.__bannerTimes.goneDom !== null && window.__bannerTimes, null, { timeout: 5000, polling: 20 })
        .then((h) => h.jsonValue());
      return { visible: t.visible, goneDom: t.goneDom - t.refuseClick, goneFrame: t.goneFrame - t.refuseClick };
    } finally {
      await context.close();
    }
  }

  try {
    // Warm-up (not counted): one of each, so the OS file cache and Chromium are warm.
    await workOnce("without");
    await workOnce("with");
    await bannerOnce();
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 ? ["with", "without"] : ["without", "with"];
      for (const v of order) out[v].push(await workOnce(v));
      const b = await bannerOnce();
      out.banner.push(b.visible);
      out.refuse.push(b);
      process.stderr.write(`run ${i + 1}/${RUNS}: without ${fmt(out.without.at(-1).total)} ms, with ${fmt(out.with.at(-1).total)} ms, banner ${fmt(b.visible)} ms, refuse→gone ${fmt(b.goneFrame, 1)} ms\n`);
    }
  } finally {
    await browser.close();
    await servers.close();
  }

  const med = (list, key) => median(list.map((x) => x[key]));
  const w = { total: med(out.with, "total"), elements: med(out.with, "elements"), cookies: med(out.with, "cookies"), fetches: med(out.with, "fetches") };
  const wo = { total: med(out.without, "total"), elements: med(out.without, "elements"), cookies: med(out.without, "cookies"), fetches: med(out.without, "fetches") };
  const ratio = w.total / wo.total;
  // Each run's with/without pair ran back to back: the median of the pairwise ratios is less
  // sensitive to the machine's load drifting during the run.
  const pairRatio = median(out.with.map((x, i) => x.total / out.without[i].total));
  const banner = median(out.banner);
  const goneDom = median(out.refuse.map((r) => r.goneDom));
  const goneFrame = median(out.refuse.map((r) => r.goneFrame));

  if (JSON_OUT) {
    console.log(JSON.stringify({ runs: RUNS, chromium: version, load_average: os.loadavg(), with: w, without: wo, ratio, pair_ratio: pairRatio, banner_visible_ms: banner, refuse_gone_dom_ms: goneDom, refuse_gone_frame_ms: goneFrame, raw: out }, null, 2));
    return;
  }
  const cpu = os.cpus();
  console.log(`Accord firewall benchmark: ${DIST}`);
  console.log(`Chromium ${version}, ${cpu.length} × ${cpu[0] ? cpu[0].model.trim() : "CPU"}; ${RUNS} runs each, interleaved, fresh context per load; medians`);
  const load = os.loadavg()[0];
  if (load > cpu.length) console.log(`WARNING: load average ${load.toFixed(1)} on ${cpu.length} CPUs: other work is running, these figures are noise; re-run on an idle machine`);
  console.log("");
  console.log("work page: 10,000 element insertions + 1,000 cookie writes + 1,000 same-origin fetches (ms, in-page)");
  console.log("             total   elements   cookies   fetches");
  const line = (name, x) => console.log(`${name.padEnd(12)} ${fmt(x.total, 1).padStart(6)} ${fmt(x.elements, 1).padStart(10)} ${fmt(x.cookies, 1).padStart(9)} ${fmt(x.fetches, 1).padStart(9)}`);
  line("without", wo);
  line("with Accord", w);
  console.log(`ratio with/without: ${fmt(ratio, 3)} (medians), ${fmt(pairRatio, 3)} (median of the ${RUNS} pairwise ratios)  (target ≤ 1.10)`);
  console.log(`per part, with/without (medians): elements ${fmt(w.elements / wo.elements, 2)}×, cookies ${fmt(w.cookies / wo.cookies, 2)}×, fetches ${fmt(w.fetches / wo.fetches, 2)}×`);
  console.log("");
  console.log(`demo home page, fresh visit: navigation start → "Tout accepter" visible: ${fmt(banner)} ms (median)`);
  console.log(`"Tout refuser" clicked → banner gone: ${fmt(goneDom, 1)} ms in the DOM, ${fmt(goneFrame, 1)} ms at the next frame (median; target ≤ 16 ms)`);
  console.log("");
  console.log("Markdown (README):");
  console.log("| page work (10,000 insertions, 1,000 cookies, 1,000 fetches) | without Accord | with Accord | ratio | banner visible | refuse → banner gone |");
  console.log("|---|---:|---:|---:|---:|---:|");
  console.log(`| median of ${RUNS}, interleaved, Chromium ${version.split(".")[0]} | ${fmt(wo.total)} ms | ${fmt(w.total)} ms | ${fmt(ratio, 2)} | ${fmt(banner)} ms | ${fmt(goneFrame, 0)} ms |`);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
