// Hosts no vendor declares (SPEC §5, issue 3): allowed by default ("unknown_hosts":
// "allow"), held until a decision exists with "unknown_hosts": "block", and listed by
// Accord.audit().undeclared_hosts either way. The page /__test/unknown.html reaches
// 127.0.0.1:8084 (the "unknown" tracker server) with a pixel and a fetch at load.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, QUIET_MS, sleep, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const PATHS = ["/t/unknown-img", "/t/unknown-fetch"];

let seq = 0;
const newRun = (tag) => `${tag}${++seq}x${Math.random().toString(36).slice(2, 7)}`;
const hits = (r, { k, path } = {}) =>
  h.servers.log.filter((e) => e.vendor === "unknown" && e.r === r && (!k || new URLSearchParams(e.query).get("k") === k) && (!path || e.path === path));
const unknownHost = () => new URL(h.trackerOrigins.unknown).host; // 127.0.0.1:<base+4>

async function blockConfig(s) {
  let served = 0;
  await s.context.route("**/demo/config.json", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.unknown_hosts = "block";
    served++;
    await route.fulfill({ response, json });
  });
  return () => served;
}

/** Accord.audit().undeclared_hosts, once the module answers it (entries may be strings or {host}). */
async function undeclaredHosts(page) {
  const audit = await waitFor(
    () => page.evaluate(() => (window.Accord && typeof window.Accord.audit === "function" ? window.Accord.audit() : null)).then((a) => (a && Array.isArray(a.undeclared_hosts) ? a : null)),
    { timeout: 5000, message: "Accord.audit() with an undeclared_hosts array" },
  ).catch((err) => ({ error: err.message }));
  if (audit.error) return { hosts: null, raw: audit };
  return { hosts: audit.undeclared_hosts.map((x) => (typeof x === "string" ? x : x && (x.host || x.origin || JSON.stringify(x)))), raw: audit.undeclared_hosts };
}
const listed = (hosts, host) => Array.isArray(hosts) && hosts.some((x) => typeof x === "string" && (x === host || x.endsWith("//" + host) || x.includes(host)));

describe("unknown_hosts", { concurrency: 3 }, () => {
  test('default ("allow"): an undeclared origin is reached before any decision, and Accord.audit() lists it', async (t) => {
    const s = await h.session(t, { keepLog: true });
    const { page } = s;
    const r = newRun("allow");
    await s.goto(`/__test/unknown.html?r=${r}`);
    await expectVisible(banner(page), "the first layer (no decision yet)");
    await waitFor(() => PATHS.every((p) => hits(r, { path: p }).length >= 1), {
      timeout: 5000,
      message: `the undeclared origin reached by the pixel and the fetch with the default config (hits: ${JSON.stringify(hits(r).map((e) => e.path))})`,
    });
    const { hosts, raw } = await undeclaredHosts(page);
    t.diagnostic(`undeclared_hosts: ${JSON.stringify(raw)}`);
    assert.ok(listed(hosts, unknownHost()), `Accord.audit().undeclared_hosts should list ${unknownHost()}: ${JSON.stringify(raw)}`);
  });

  for (const decision of ["acceptAll", "rejectAll"]) {
    test(`"block": an undeclared origin gets 0 requests before a decision, and is reached after "${fr[decision]}"; Accord.audit() lists it`, async (t) => {
      const s = await h.session(t, { keepLog: true });
      const { page } = s;
      const served = await blockConfig(s);
      const r = newRun(decision);
      await s.goto(`/__test/unknown.html?r=${r}`);
      await expectVisible(banner(page), "the first layer (no decision yet)");
      await sleep(QUIET_MS);
      assert.ok(served() >= 1, "test setup: the config with unknown_hosts=block was never requested");
      const early = hits(r);
      const earlyBrowser = s.requests.filter((q) => q.vendor === "unknown");
      assert.deepEqual(
        [...earlyBrowser.map((q) => `browser ${q.url}`), ...early.map((e) => `server ${e.method} ${e.path}${e.query}`)],
        [],
        'with "unknown_hosts": "block", the undeclared origin was reached before any decision',
      );
      const { hosts, raw } = await undeclaredHosts(page);
      t.diagnostic(`undeclared_hosts before the decision: ${JSON.stringify(raw)}`);
      assert.ok(listed(hosts, unknownHost()), `Accord.audit().undeclared_hosts should list the held ${unknownHost()}: ${JSON.stringify(raw)}`);

      await button(page, fr[decision]).click();
      await expectHidden(banner(page), `the banner after "${fr[decision]}"`);
      // Held items: released at most once (the SPEC says "blocked until a decision exists").
      await sleep(QUIET_MS);
      for (const p of PATHS) {
        const n = hits(r, { k: "load", path: p }).length;
        assert.ok(n <= 1, `the held ${p} reached the undeclared origin ${n} times after the decision (at most once)`);
      }
      t.diagnostic(`held items released after "${fr[decision]}": ${PATHS.map((p) => `${p}=${hits(r, { k: "load", path: p }).length}`).join(", ")}`);
      await page.evaluate(() => window.__perform("again"));
      await waitFor(() => PATHS.every((p) => hits(r, { k: "again", path: p }).length >= 1), {
        timeout: 5000,
        message: `the undeclared origin reached once a decision exists ("${fr[decision]}")`,
      });
      const r2 = newRun(decision);
      await s.goto(`/__test/unknown.html?r=${r2}`);
      await waitFor(() => PATHS.every((p) => hits(r2, { path: p }).length >= 1), {
        timeout: 7000,
        message: "the undeclared origin reached on the next page view (a decision exists)",
      });
    });
  }
});
