#!/usr/bin/env node
// Two builds of dist/ side by side: a first visit's main-thread script time, in pairs
// (issue 15: a change to the loader, a glue or a module, weighed before it is kept).
//
//   node bench/ab.mjs --a DIST_A --b DIST_B [--runs N] [--port P]     (npm run --silent bench:ab -- …)
//
// Serves the peers' bench page (bench/peers.mjs --serve) once from each dist (ACCORD_DIST),
// on P and P + 2 (default 18420), then loads A and B in turn N times (default 40; one
// warm-up pair first, not counted; the order swapped every other pair), each load in a fresh
// browser context, and reads CDP Performance.getMetrics ScriptDuration 600 ms after the
// page's load event, and when « Tout accepter » was first visible (performance.now(), by a
// probe installed before the page: at each animation frame and DOM change, the rule of
// bench/peers.mjs). Prints, for each, the medians of A and B and, since a 2-core machine's
// load swings from one second to the next, the median and quartiles of the pairs'
// differences (B − A): a change is real when the quartiles agree on its sign. A
// measurement, never a threshold.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/e2e/harness.mjs";
import { arg, portArg, runsArg, servePeers } from "./cli.mjs";

const RUNS = runsArg(40);
const PORT = portArg(18420);
const dists = ["--a", "--b"].map((name) => {
  const dir = arg(name, null);
  if (!dir || !fs.existsSync(path.join(dir, "accord", "accord.js"))) {
    console.error(`${name} must name a dist/ directory holding accord/accord.js (bash scripts/build.sh makes one)`);
    process.exit(2);
  }
  return path.resolve(dir);
});

const servers = dists.map((d, i) => servePeers(PORT + 2 * i, d));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const a = [];
const b = [];
// When « Tout accepter » is first visible (bench/peers.mjs's rule: connected, visible, in
// the viewport), installed before any script of the page.
function probe() {
  if (window.top !== window) return;
  const shown = (el) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const check = () => {
    if (window.__visible !== undefined) return true;
    for (const el of document.querySelectorAll("button")) {
      if (el.textContent.trim() === "Tout accepter" && shown(el)) {
        window.__visible = performance.now();
        return true;
      }
    }
    return false;
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { subtree: true, childList: true, attributes: true });
  const frame = () => (check() ? mo.disconnect() : requestAnimationFrame(frame));
  requestAnimationFrame(frame);
}
try {
  const [urlA, urlB] = await Promise.all(servers.map((s) => s.url));
  const load = async (url) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" });
    try {
      const page = await ctx.newPage();
      await page.addInitScript(probe);
      const cdp = await ctx.newCDPSession(page);
      await cdp.send("Performance.enable");
      await page.goto(url, { waitUntil: "load" });
      await page.waitForTimeout(600);
      const { metrics } = await cdp.send("Performance.getMetrics");
      const visible = await page.evaluate(() => window.__visible ?? NaN);
      return { script: metrics.find((m) => m.name === "ScriptDuration").value * 1000, visible };
    } finally {
      await ctx.close();
    }
  };
  for (let i = 0; i <= RUNS; i++) {
    let x, y;
    if (i % 2) {
      x = await load(urlA);
      y = await load(urlB);
    } else {
      y = await load(urlB);
      x = await load(urlA);
    }
    if (i > 0) {
      a.push(x);
      b.push(y);
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.server.kill());
}

const at = (xs, f) => [...xs].sort((p, q) => p - q)[Math.floor((xs.length - 1) * f)];
const ms = (v) => v.toFixed(1);
console.log(`A ${dists[0]}\nB ${dists[1]}\nfirst visit, ${RUNS} pairs, a fresh context per load:`);
for (const [key, what] of [["script", "main-thread script (ms)"], ["visible", "« Tout accepter » visible (ms)"]]) {
  const x = a.map((r) => r[key]);
  const y = b.map((r) => r[key]);
  const diff = x.map((v, i) => y[i] - v).filter((v) => !Number.isNaN(v));
  console.log(`  ${what}: median A ${ms(at(x, 0.5))}, B ${ms(at(y, 0.5))}; B − A per pair: median ${ms(at(diff, 0.5))}, quartiles ${ms(at(diff, 0.25))} … ${ms(at(diff, 0.75))}`);
}
