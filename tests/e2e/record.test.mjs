// The consent record: one first-party cookie whose expiry is decided_at + 6 months, never
// rewritten by a visit, and counted as no choice after expiry or a new policy version (SPEC §4).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  PURPOSES,
  TRACKER_COOKIES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  expectVisible,
  expectHidden,
  addMonthsClamped,
} from "./harness.mjs";

// Written about consent mode: the demo's audience purpose needs consent here (the exempt
// default is tested in audience.test.mjs).
const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY = 86_400_000;

/** Fresh visit, "Tout accepter", wait until every tracker cookie exists. Returns Accord.consent(). */
async function acceptAll(s, page = s.page) {
  await s.goto("/", page);
  await expectVisible(banner(page), "first layer");
  await button(page, fr.acceptAll).click();
  await expectHidden(banner(page), 'the banner after "Tout accepter"');
  await waitFor(() => s.cookie("accord"), { message: "the accord cookie after accepting" });
  await waitFor(async () => {
    const names = (await s.trackerCookies()).map((c) => c.name);
    return TRACKER_COOKIES.every((n) => names.includes(n));
  }, { message: "every tracker cookie after accepting" });
  const c = await s.consent(page);
  assert.equal(c.decided, true, `Accord.consent() after accepting: ${JSON.stringify(c)}`);
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], true, `purpose ${p} after accepting: ${JSON.stringify(c.purposes)}`);
  return c;
}

test("6. the accord cookie expires at decided_at + 6 months, and visits never rewrite it", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const before = Date.now();
  const c = await acceptAll(s);
  assert.match(String(c.decided_at), ISO_8601, "decided_at must be an ISO 8601 string");
  assert.match(String(c.expires_at), ISO_8601, "expires_at must be an ISO 8601 string");
  assert.equal(c.policy_version, "2026-11-22", "Accord.consent().policy_version");
  assert.ok(typeof c.record_id === "string" && c.record_id.length >= 8, `record_id should be a random string, got ${JSON.stringify(c.record_id)}`);
  const decided = new Date(c.decided_at);
  const expiresAt = new Date(c.expires_at);
  assert.ok(Math.abs(decided.getTime() - before) < 60_000, `decided_at ${c.decided_at} is not the time of the click (${new Date(before).toISOString()})`);

  const cookie = await s.cookie("accord");
  t.diagnostic(`accord cookie: ${JSON.stringify(cookie)}`);
  assert.ok(cookie.expires > 0, `the accord cookie must be persistent, got expires=${cookie.expires} (session cookie)`);
  assert.equal(cookie.path, "/", "accord cookie Path");
  assert.equal(cookie.sameSite, "Lax", "accord cookie SameSite");
  assert.equal(cookie.httpOnly, false, "accord cookie is set from the page, so not HttpOnly");
  assert.equal(cookie.domain, "127.0.0.1", "accord cookie must be first-party, host-only");

  const cookieExpiry = cookie.expires * 1000;
  const sixMonths = addMonthsClamped(decided, 6).getTime();
  assert.ok(
    cookieExpiry <= sixMonths + 60_000,
    `cookie expires ${new Date(cookieExpiry).toISOString()} later than decided_at + 6 months (${new Date(sixMonths).toISOString()})`,
  );
  assert.ok(
    cookieExpiry >= sixMonths - DAY,
    `cookie expires ${new Date(cookieExpiry).toISOString()} earlier than decided_at + 6 months − 1 day (${new Date(sixMonths - DAY).toISOString()})`,
  );
  assert.ok(
    Math.abs(cookieExpiry - expiresAt.getTime()) <= 60_000,
    `the cookie's browser expiry ${new Date(cookieExpiry).toISOString()} differs from the record's expires_at ${c.expires_at}`,
  );

  // Visits never rewrite or extend the record.
  await sleep(1100); // a rewrite would now carry a later time
  for (const p of ["/", "/demo/produit.html"]) {
    if (p === "/") await page.reload({ waitUntil: "load" });
    else await s.goto(p);
    await expectVisible(button(page, fr.reopen), `reopen button on ${p}`);
    await sleep(1000);
    const again = await s.cookie("accord");
    assert.equal(again.value, cookie.value, `visiting ${p} rewrote the accord cookie's value`);
    assert.equal(again.expires, cookie.expires, `visiting ${p} changed the accord cookie's expiry`);
    const c2 = await s.consent();
    assert.equal(c2.record_id, c.record_id, `record_id changed on ${p}`);
    assert.equal(c2.decided_at, c.decided_at, `decided_at changed on ${p}`);
    assert.equal(c2.expires_at, c.expires_at, `expires_at changed on ${p}`);
  }
});

test("7. a record past its expiry counts as no choice: banner again, no tracker", async (t) => {
  const s = await h.session(t);
  const c = await acceptAll(s);
  await sleep(500);
  await s.page.close();
  s.resetCounts();

  const later = addMonthsClamped(new Date(), 7);
  const page = await s.newPage();
  await page.clock.install({ time: later });
  await s.goto("/", page);
  const pageNow = await page.evaluate(() => Date.now());
  assert.ok(Math.abs(pageNow - later.getTime()) < 60_000, `the page clock was not moved (page time ${new Date(pageNow).toISOString()})`);
  assert.ok(pageNow > new Date(c.expires_at).getTime(), "test setup: the page's clock should be past expires_at");
  assert.ok(await s.cookie("accord"), "test setup: the browser still holds the accord cookie (its real-time expiry is not reached)");

  await expectVisible(banner(page), "the banner once the record has expired");
  await sleep(QUIET_MS);
  s.assertNoTraffic("visit after the record expired");
  const c2 = await s.consent(page);
  assert.equal(c2.decided, false, `an expired record must count as no choice: ${JSON.stringify(c2)}`);
  for (const p of PURPOSES) assert.notEqual(c2.purposes?.[p], true, `purpose ${p} still granted after expiry`);
  const ran = await page.evaluate(() => [typeof window.demoInlineAdRuns, typeof window.demoAudienceRuns, typeof window.demoAdsRuns]);
  assert.deepEqual(ran, ["undefined", "undefined", "undefined"], "a gated script ran after expiry");
});

test("8. a new policy_version makes the old record count as no choice: banner again, no tracker", async (t) => {
  const s = await h.session(t);
  const c = await acceptAll(s);
  assert.equal(c.policy_version, "2026-11-22");
  await sleep(500);

  let served = 0;
  await s.context.route("**/demo/config.json", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.policy_version = "2027-01-15";
    served++;
    await route.fulfill({ response, json });
  });
  s.resetCounts();
  await s.goto("/");
  await expectVisible(banner(s.page), "the banner after the policy version changed");
  assert.ok(served >= 1, "test setup: the config with the new policy_version was never requested");
  await sleep(QUIET_MS);
  s.assertNoTraffic("visit with a new policy version");
  const c2 = await s.consent();
  assert.equal(c2.decided, false, `a record of another policy version must count as no choice: ${JSON.stringify(c2)}`);
  for (const p of PURPOSES) assert.notEqual(c2.purposes?.[p], true, `purpose ${p} still granted under the new policy version`);
});

test("6b. a valid record with no loader cache (the site's localStorage cleared, cookies kept) is still read: no banner, the choice applies", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const now = Math.floor(Date.now() / 1000);
  const record = `1|0123456789abcdef0123456789abcdef|${now - 3600}|${now + 90 * 86400}|custom|2026-11-22|audience=0&advertising=1&video=0`;
  await s.context.addCookies([{ name: "accord", value: record, url: h.url("/") }]);
  await s.goto("/");
  await waitFor(() => h.trackerHits("advertising", "/ads.js").length >= 1, { message: "the advertising tag the record grants" });
  const c = await s.consent();
  assert.deepEqual(
    { decided: c.decided, record_id: c.record_id, advertising: c.purposes.advertising, audience: c.purposes.audience },
    { decided: true, record_id: "0123456789abcdef0123456789abcdef", advertising: true, audience: false },
    "the stored record is the choice",
  );
  await expectVisible(button(page, fr.reopen), "the reopen control (a choice exists)");
  assert.equal(await banner(page).count(), 0, "no banner: the choice was read");
  await sleep(QUIET_MS);
  assert.equal(s.trackerRequests("audience").length + h.trackerHits("audience").length, 0, "audience (refused) got nothing");
});
