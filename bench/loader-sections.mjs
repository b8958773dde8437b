#!/usr/bin/env node
// How long the loader (www/accord.js) runs, section by section, on a first visit (issue 15:
// main-thread script time). The loader is render-blocking and runs before any page script,
// so each of its milliseconds delays the page.
//
//   node bench/loader-sections.mjs [--runs N] [--port P] [--returning]
//
// Serves the peers' bench page (bench/peers.mjs --serve, on P and P+1) from dist/ (bash
// scripts/build.sh), and answers /accord/accord.js with a copy of www/accord.js (unminified)
// that records performance.now() at the start, at each `/* ---- section ---- */` comment and
// at the end. Each load is a fresh browser context (a first visit: nothing in localStorage);
// prints the median and the spread of each section over N loads (default 11). With
// --returning, each context first accepts on a first visit, then the page is loaded again
// (the record cookie and the cached answer present, the HTTP cache warm) and that second
// load is the one measured: most page views. A measurement, never a pass/fail threshold.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/e2e/harness.mjs";
import { portArg, runsArg, servePeers } from "./cli.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, "..");
const RUNS = runsArg(11);
const PORT = portArg(18390);
const RETURNING = process.argv.includes("--returning");

/** The loader with a mark at its start, before each section comment, and before its end. */
function marked(source) {
  const lines = source.split("\n");
  const out = [];
  for (const line of lines) {
    const m = /^\s*\/\* ---- (.+?) ---- \*\/\s*$/.exec(line);
    if (m) out.push(`  window.__accordMarks.push([${JSON.stringify(m[1])}, performance.now()]);`);
    out.push(line);
  }
  let text = out.join("\n");
  const start = text.indexOf("(function (w, d) {");
  const end = text.lastIndexOf("})(window, document);");
  if (start < 0 || end < 0) throw new Error("www/accord.js: its (function (w, d) { … })(window, document) wrapper was not found");
  text =
    text.slice(0, start) +
    'window.__accordMarks = [["start", performance.now()]];\n' +
    text.slice(start, end) +
    '  window.__accordMarks.push(["end", performance.now()]);\n' +
    text.slice(end);
  return text;
}

const loader = marked(fs.readFileSync(path.join(REPO, "www", "accord.js"), "utf8"));
const { server, url: served } = servePeers(PORT);
const url = await served;

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const runs = [];
try {
  for (let i = 0; i < RUNS + 1; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" });
    const page = await ctx.newPage();
    await page.route("**/accord/accord.js", (route) => route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: loader }));
    if (RETURNING) {
      await page.goto(url, { waitUntil: "load" });
      await page.getByRole("button", { name: "Tout accepter" }).click();
      await page.waitForFunction(() => /(^|; )accord=/.test(document.cookie));
    }
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.__accordMarks?.some((m) => m[0] === "end"));
    const marks = await page.evaluate(() => window.__accordMarks);
    // Each interval is named after the mark it starts from; the first load warms up.
    if (i > 0) runs.push(marks.slice(1).map((m, k) => [marks[k][0], m[1] - marks[k][1]]));
    await ctx.close();
  }
} finally {
  await browser.close();
  server.kill();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`The loader's sections on a ${RETURNING ? "returning visit (after « Tout accepter »)" : "first visit"} (www/accord.js, unminified), ${RUNS} loads, a fresh context each; ms:`);
console.log();
console.log("| section | median | min | max |");
console.log("|---|---:|---:|---:|");
const totals = runs.map((r) => r.reduce((s, [, ms]) => s + ms, 0));
runs[0].forEach(([name], k) => {
  const xs = runs.map((r) => r[k][1]);
  console.log(`| ${name === "start" ? "before the first section (Consent Mode default, helpers)" : name} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
});
console.log(`| **all** | **${median(totals).toFixed(1)}** | ${Math.min(...totals).toFixed(1)} | ${Math.max(...totals).toFixed(1)} |`);
