// Strict CSP (SPEC §3: no inline style or script), failing closed on a bad config (SPEC §8),
// and the JavaScript API's events (SPEC §9).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  PURPOSES,
  VENDOR_NAMES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  expectVisible,
  expectHidden,
  noneVisible,
} from "./harness.mjs";

// Written about consent mode: the demo's audience purpose needs consent here (the exempt
// default is tested in audience.test.mjs).
const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;

const errorsOf = (s) => s.console.filter((m) => m.type === "error");
const fmt = (list) => (list.length ? list.map((x) => JSON.stringify(x)).join("\n") : "(none)");

test("11. strict CSP: no violation and no console error, before and after accepting; every tracker loads", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const resp = await s.goto("/");
  const csp = resp.headers()["content-security-policy"] || "";
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'nonce-[A-Za-z0-9+/=]+'/, `test setup: the page must be served with the strict CSP, got: ${csp}`);
  assert.match(csp, /style-src 'self'(;|$)/, "test setup: style-src must be 'self' only");
  assert.ok(!csp.includes("unsafe-inline"), "test setup: the CSP must not allow unsafe-inline");

  // Fresh visit: first layer, then the partner list.
  await expectVisible(banner(page), "first layer under the strict CSP");
  const partners = page.getByRole("button", { name: fr.partners, exact: true }).or(page.getByRole("link", { name: fr.partners, exact: true }));
  await partners.first().click();
  await expectVisible(page.getByText(VENDOR_NAMES[1]), "the partner list under the strict CSP", 2000);
  await sleep(QUIET_MS);
  assert.deepEqual(await s.violations(), [], `CSP violations on a fresh visit:\n${fmt(await s.violations())}`);
  assert.deepEqual(errorsOf(s), [], `console errors on a fresh visit:\n${fmt(errorsOf(s))}`);
  assert.deepEqual(s.pageErrors, [], `uncaught errors on a fresh visit:\n${fmt(s.pageErrors)}`);
  s.assertNoTraffic("fresh visit");

  // Still fresh after a reload (nothing was decided): accept all from the first layer.
  await page.reload({ waitUntil: "load" });
  await expectVisible(banner(page), "first layer after reload");
  await button(page, fr.acceptAll).click();
  await expectHidden(banner(page), 'the banner after "Tout accepter"');
  const expected = [
    ["audience", "/m.js"],
    ["audience", "/hit"],
    ["advertising", "/ads.js"],
    ["advertising", "/pixel.gif"],
    ["video", "/embed/1"],
  ];
  await waitFor(() => expected.every(([v, p]) => h.trackerHits(v, p).length === 1), {
    message: `every tracker loaded under the CSP; so far:\n${s.describeRequests()}`,
  });
  await waitFor(() => page.evaluate(() => window.demoInlineAdRuns === 1), {
    timeout: 2000,
    message: "the inline advertising tag ran (Accord must copy its nonce)",
  });
  await sleep(QUIET_MS);
  assert.deepEqual(await s.violations(), [], `CSP violations after accepting:\n${fmt(await s.violations())}`);

  // The reopen control and the dialog it opens.
  await button(page, fr.reopen).click();
  await sleep(800);
  assert.deepEqual(await s.violations(), [], `CSP violations with the dialog reopened:\n${fmt(await s.violations())}`);

  // A later page view with consent: the trackers are activated from the record.
  s.resetCounts();
  await s.goto("/demo/produit.html");
  await waitFor(() => h.trackerHits("audience", "/hit").length === 1 && h.trackerHits("advertising", "/ads.js").length === 1, {
    message: "trackers on the next page under the CSP",
  });
  await sleep(500);
  assert.deepEqual(await s.violations(), [], `CSP violations on the next page:\n${fmt(await s.violations())}`);
  assert.deepEqual(errorsOf(s), [], `console errors:\n${fmt(errorsOf(s))}`);
  assert.deepEqual(s.pageErrors, [], `uncaught errors:\n${fmt(s.pageErrors)}`);
});

test("12. invalid config: fails closed and says why, once; the page stays usable", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.context.route("**/demo/config.json", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: '{"policy_version": 3}' }),
  );
  await s.goto("/");
  const first = await waitFor(async () => (await s.events(page, "accord:error"))[0], {
    message: "an accord:error event for the invalid config",
  });
  const code = first.detail && first.detail.code;
  assert.ok(typeof code === "string" && code.length > 0, `the accord:error event carries no code: ${JSON.stringify(first.detail)}`);
  t.diagnostic(`accord:error detail: ${JSON.stringify(first.detail)}`);
  await sleep(QUIET_MS);

  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize, fr.close, fr.save, fr.reopen]) {
    assert.ok(await noneVisible(button(page, name)), `button "${name}" is shown although the config is invalid`);
  }
  const errorEvents = await s.events(page, "accord:error");
  assert.equal(errorEvents.length, 1, `accord:error should fire once, fired ${errorEvents.length}: ${JSON.stringify(errorEvents)}`);
  const withCode = errorsOf(s).filter((m) => m.text.includes(code));
  assert.equal(withCode.length, 1, `exactly one console error should name ${code}, got:\n${fmt(errorsOf(s))}`);
  s.assertNoTraffic("invalid config");
  const ran = await page.evaluate(() => [typeof window.demoInlineAdRuns, typeof window.demoAudienceRuns, typeof window.demoAdsRuns]);
  assert.deepEqual(ran, ["undefined", "undefined", "undefined"], "a gated script ran with an invalid config");
  const c = await s.consent();
  assert.notEqual(c.decided, true, `no consent may be assumed with an invalid config: ${JSON.stringify(c)}`);
  for (const p of PURPOSES) assert.notEqual(c.purposes?.[p], true, `purpose ${p} granted with an invalid config`);
  assert.equal(await s.cookie("accord"), null, "an accord cookie was written with an invalid config");

  // The page stays usable: a link click navigates.
  await page.getByRole("navigation").getByRole("link", { name: "Assurance auto", exact: true }).click();
  await page.waitForURL("**/demo/produit.html", { timeout: 5000 });
  await expectVisible(page.getByRole("heading", { level: 1, name: "Assurance auto" }), "the product page after clicking the link");
});

test("13. JS API: accord:ready on load, accord:change and Accord.on('change') on a decision, consent() shape", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await waitFor(async () => (await s.events(page, "accord:ready")).length >= 1, { message: "an accord:ready event on load" });
  assert.equal((await s.events(page, "accord:ready")).length, 1, "accord:ready should fire once per page");
  assert.equal((await s.events(page, "accord:change")).length, 0, "accord:change fired before any decision");

  await page.evaluate(() => {
    window.__onChange = [];
    window.Accord.on("change", (detail) => window.__onChange.push(detail === undefined ? null : JSON.parse(JSON.stringify(detail))));
  });
  await button(page, fr.acceptAll).click();
  await waitFor(async () => (await s.events(page, "accord:change")).length >= 1, { message: "an accord:change event after accepting" });
  await waitFor(() => page.evaluate(() => window.__onChange.length >= 1), { timeout: 2000, message: "the Accord.on('change') callback" });
  await sleep(500);
  assert.equal((await s.events(page, "accord:change")).length, 1, "accord:change should fire once per decision");
  assert.equal(await page.evaluate(() => window.__onChange.length), 1, "Accord.on('change') should be called once per decision");

  const c = await s.consent();
  for (const key of ["decided", "purposes", "decided_at", "expires_at", "policy_version", "record_id"]) {
    assert.ok(key in c, `Accord.consent() lacks "${key}": ${JSON.stringify(c)}`);
  }
  assert.equal(c.decided, true);
  for (const p of PURPOSES) assert.equal(c.purposes[p], true, `purpose ${p} after accepting`);
  assert.ok(!Number.isNaN(Date.parse(c.decided_at)) && !Number.isNaN(Date.parse(c.expires_at)), "decided_at/expires_at must be dates");
});
