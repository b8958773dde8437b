// `accordctl scan` (issue 17 item 3) against the demo site on 127.0.0.1: the real
// binary drives Debian's Chromium over the DevTools protocol in four fresh browsers
// (no action, « Tout refuser », « Tout accepter », accept then withdraw). The demo
// leaks nothing (exit 0) and every cookie, host and key is reported with where it was
// first seen; a page without Accord that loads the advertising pixel, an undeclared
// host and a two-year cookie makes it exit 1 with each leak and finding named, and a
// draft of the vendors to declare.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useHarness, CHROMIUM } from "./harness.mjs";
import { accordctlBinary } from "../../scripts/nginx.mjs";

const h = useHarness();

/** Runs `accordctl scan` over `pages` with the config the site serves. */
async function scan(pages) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-scan-"));
  try {
    const config = path.join(dir, "config.json");
    fs.writeFileSync(config, await (await fetch(h.url("/demo/config.json"))).text());
    const json = path.join(dir, "report.json");
    // Asynchronously: the site's servers run in this very process.
    const out = await run(["scan", "--config", config, "--json", json, "--chromium", CHROMIUM, ...pages.map((p) => h.url(p))]);
    const report = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : null;
    return { status: out.status, stdout: out.stdout, stderr: out.stderr, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs accordctl without blocking this process: { status, stdout, stderr }. */
function run(args) {
  return new Promise((resolve) => {
    const child = spawn(accordctlBinary(), args);
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const host = (vendor) => new URL(h.trackerOrigins[vendor]).host;

test("the demo site: no leak (exit 0), every cookie, host and storage key with where it was first seen", async () => {
  const r = await scan(["/", "/demo/produit.html"]);
  assert.equal(r.status, 0, `exit 0 expected:\n${r.stdout}\n${r.stderr}`);
  assert.ok(r.report, "the JSON report is written");
  assert.deepEqual(r.report.leaks, [], r.stdout);
  const hosts = Object.fromEntries(r.report.hosts.map((x) => [x.host, x]));
  for (const [vendor, id] of [["audience", "audimetre"], ["advertising", "pubnet"], ["video", "videoplay"]]) {
    assert.equal(hosts[host(vendor)]?.vendor, id, `${host(vendor)} reported as ${id}: ${JSON.stringify(r.report.hosts)}`);
    assert.equal(hosts[host(vendor)].declared, true);
  }
  // Consent purposes are first contacted after « Tout accepter », never before.
  assert.deepEqual(hosts[host("advertising")].first_seen.phase, "after-consent");
  assert.deepEqual(hosts[host("advertising")].first_seen.scenario, "accept-all");
  const cookies = Object.fromEntries(r.report.cookies.map((c) => [c.name, c]));
  assert.equal(cookies.accord?.first_seen.scenario, "refuse-all", "the record, first written by « Tout refuser »");
  assert.equal(cookies._adn?.vendor, "pubnet");
  assert.equal(cookies._adn.first_seen.phase, "after-consent");
  assert.ok(cookies._aud_id, "the exempt audience cookie, before any decision");
  assert.equal(cookies._aud_id.first_seen.phase, "before-decision");
  assert.ok(r.report.storage.some((k) => k.area === "localStorage" && k.key === "accord.receipt"), JSON.stringify(r.report.storage));
  assert.match(r.stdout, /0 fuite\(s\) \/ leak\(s\)/);
});

test("a page that leaks on purpose: exit 1, each leak and finding named, and a draft of the vendors to declare", async () => {
  const r = await scan(["/", "/__test/scan-leak.html"]);
  assert.equal(r.status, 1, `exit 1 expected:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /leak\(s\) of a purpose that needs consent/);
  const leaks = r.report.leaks.filter((l) => l.kind === "request" && l.vendor === "pubnet" && l.url.includes("scan-leak-pixel"));
  const phases = new Set(leaks.map((l) => `${l.scenario}/${l.phase}`));
  for (const where of ["no-action/before-decision", "refuse-all/after-refusal", "accept-then-withdraw/after-withdrawal"]) {
    assert.ok(phases.has(where), `the pixel's leak in ${where}: ${[...phases].join(", ")}`);
  }
  assert.ok(!phases.has("accept-all/after-consent"), "after « Tout accepter » the pixel is no leak");
  assert.match(r.stdout, /FUITE \/ LEAK \[no-action · [^\]]*scan-leak\.html\] a request to [^ ]+ \(pubnet for "advertising"\) before any decision/);
  const kinds = (k) => r.report.findings.filter((f) => f.kind === k);
  assert.ok(kinds("undeclared-host").some((f) => f.host === host("unknown")), JSON.stringify(r.report.findings));
  assert.ok(kinds("undeclared-cookie").some((f) => f.cookie === "leaky_id"), JSON.stringify(r.report.findings));
  assert.ok(kinds("over-13-months").some((f) => f.cookie === "leaky_id"), "a two-year cookie is over 13 months");
  const draft = r.report.draft_vendors.find((v) => v.hosts.includes(host("unknown")));
  assert.ok(draft, `a draft vendor for ${host("unknown")}: ${JSON.stringify(r.report.draft_vendors)}`);
  assert.equal(draft.purpose, "A COMPLETER / TO FILL IN");
  assert.ok(r.report.draft_vendors.some((v) => v.cookies.some((c) => c.name === "leaky_id" && c.lifetime_days <= 395)), "the undeclared cookie in a draft, within 13 months");
});

test("bad command lines are named (exit 2), and a browser that cannot start is refused (exit 1)", async () => {
  const run = (args) => spawnSync(accordctlBinary(), ["scan", ...args], { encoding: "utf8" });
  const noConfig = run([h.url("/")]);
  assert.equal(noConfig.status, 2);
  assert.match(noConfig.stderr, /scan needs --config/);
  const notUrl = run(["--config", "www/demo/config.json", "ftp://x"]);
  assert.equal(notUrl.status, 2);
  assert.match(notUrl.stderr, /not an http:\/\/ or https:\/\/ URL/);
  const noBrowser = run(["--config", path.join(process.cwd(), "www/demo/config.json"), "--chromium", "/nonexistent/chromium", h.url("/")]);
  assert.equal(noBrowser.status, 1, noBrowser.stderr);
  assert.match(noBrowser.stderr, /--chromium \/nonexistent\/chromium: cannot start it/);
});
