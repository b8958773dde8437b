// Config rules the CNIL enforced in 2025 and the one the EU proposes (issue 13, items 10
// and 11), end to end on the demo home page with its config changed on the way (the real
// file, one field edited by the test's route):
//   10. "necessary" must be justified: a vendor under a necessary purpose names its
//       exemption of CNIL 2020-091; an advertising vendor labelled necessary (the Condé
//       Nast case, CNIL, November 2025) is a config error naming the vendor, and the
//       page fails closed: no tracker, no banner offering a choice it cannot honour.
//   11. a refusal is remembered at least 6 months (CNIL 2020-092, Digital Omnibus
//       proposal): with choice_lifetime_months 2, « Tout refuser » and a close are kept
//       6 months and « Tout accepter » 2; refusal_lifetime_months under 6 is an error.
// Dates are read from the record cookie and from the browser's own jar, and the banner's
// return is checked on Playwright's clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, QUIET_MS, sleep, waitFor, button, banner, expectVisible, expectHidden, noneVisible, addMonthsClamped } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const DAY = 86_400_000;

/** Serves the demo config with `edit` applied; returns how many times it was served. */
async function editedConfig(s, edit) {
  let served = 0;
  await s.context.route("**/demo/config.json", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    edit(json);
    served++;
    await route.fulfill({ response, json });
  });
  return () => served;
}

async function failsClosed(t, s, what, mustName) {
  const { page } = s;
  const served = await editedConfig(s, what);
  await s.goto("/");
  const first = await waitFor(async () => (await s.events(page, "accord:error"))[0], { message: "an accord:error event for the invalid config" });
  assert.ok(served() >= 1, "test setup: the edited config was never requested");
  t.diagnostic(`accord:error detail: ${JSON.stringify(first.detail)}`);
  assert.equal(first.detail?.code, "ACCORD_CONFIG_INVALID", `the error code: ${JSON.stringify(first.detail)}`);
  const text = JSON.stringify(first.detail);
  for (const word of mustName) assert.ok(text.includes(word), `the error names ${word}: ${text}`);
  await sleep(QUIET_MS);
  assert.deepEqual(s.trackerRequests(), [], `no tracker at all with an invalid config:\n${s.describeRequests()}`);
  s.assertNoTraffic("invalid config");
  for (const name of [fr.acceptAll, fr.customize]) assert.ok(await noneVisible(button(page, name)), `« ${name} » shown although the config is invalid`);
}

test("10a. an advertising vendor labelled necessary (the Condé Nast case) fails closed, naming the vendor", async (t) => {
  const s = await h.session(t);
  await failsClosed(t, s, (json) => {
    const pubnet = json.vendors.find((v) => v.id === "pubnet");
    pubnet.purpose = "necessary";
    pubnet.category = "advertising";
    pubnet.exemption = "security";
  }, ["pubnet", "necessary-exemption", "advertising"]);
});

test("10b. a vendor under a necessary purpose without its exemption fails closed, naming the vendor and the field", async (t) => {
  const s = await h.session(t);
  await failsClosed(t, s, (json) => {
    json.vendors.find((v) => v.id === "videoplay").purpose = "necessary";
  }, ["videoplay", "exemption", "necessary-exemption"]);
});

test("10c. a necessary vendor that states its exemption is accepted and reachable before any choice", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  const host = new URL(h.trackerOrigins.unknown).host;
  const served = await editedConfig(s, (json) => {
    json.vendors.push({ id: "equilibreur", name: "Équilibreur de charge", purpose: "necessary", exemption: "load-balancing",
      hosts: [host], cookies: [], country: "FR" });
  });
  // A test page on the demo config (its CSP lets every tracker origin through: only
  // Accord decides).
  await s.goto("/__test/large-text.html");
  await expectVisible(banner(page), "the first layer");
  assert.ok(served() >= 1, "test setup: the edited config was never requested");
  assert.deepEqual(await s.events(page, "accord:error"), [], "no accord:error for a justified necessary vendor");
  const status = await page.evaluate((origin) => fetch(`${origin}/hit?r=necessary`, { mode: "no-cors" }).then(() => "sent", (e) => String(e)), h.trackerOrigins.unknown);
  assert.equal(status, "sent", "the necessary vendor's request went out before any choice");
  await waitFor(() => h.servers.log.some((e) => e.vendor === "unknown" && e.r === "necessary"), { message: "the necessary vendor's server got the request" });
});

/** The record cookie's decided_at and expires_at (seconds), and the jar's expiry (ms). */
async function record(s) {
  const c = await s.cookie("accord");
  assert.ok(c, "the record cookie is stored");
  const f = decodeURIComponent(c.value).split("|");
  assert.equal(f[0], "1", `record format 1: ${c.value}`);
  return { decided: Number(f[2]) * 1000, expires: Number(f[3]) * 1000, action: f[4], jar: c.expires * 1000 };
}

function assertMonths(r, months, what) {
  const want = addMonthsClamped(new Date(r.decided), months).getTime();
  assert.equal(r.expires, want, `${what}: expires_at is decided_at + ${months} months (${new Date(r.decided).toISOString()} → ${new Date(r.expires).toISOString()}, want ${new Date(want).toISOString()})`);
  assert.ok(Math.abs(r.jar - r.expires) < 2000, `${what}: the browser keeps the cookie until ${new Date(r.jar).toISOString()}, the record's expiry is ${new Date(r.expires).toISOString()}`);
}

// Before the tests that grant: a granted tracker's beacon at page close could reach its
// server after the next test has started counting.
test("11b. refusal_lifetime_months under 6 fails closed, naming the field", async (t) => {
  const s = await h.session(t);
  await failsClosed(t, s, (json) => {
    json.refusal_lifetime_months = 3;
  }, ["refusal_lifetime_months", "refusal-lifetime"]);
});

for (const [label, decide, action, months] of [
  ["« Tout refuser »", fr.rejectAll, "refuse_all", 6],
  ["« Fermer sans accepter »", fr.close, "close", 6],
  ["« Tout accepter »", fr.acceptAll, "accept_all", 2],
]) {
  test(`11. choice_lifetime_months 2: ${label} is kept ${months} months, and the banner comes back after that, not before`, async (t) => {
    const s = await h.session(t);
    const { page } = s;
    const T0 = Date.now();
    await page.clock.install({ time: T0 });
    await editedConfig(s, (json) => {
      json.choice_lifetime_months = 2;
      delete json.refusal_lifetime_months;
    });
    await s.goto("/");
    await expectVisible(banner(page), "the first layer");
    const text = await banner(page).innerText();
    if (months === 6) assert.match(text, /accord est gardé 2 mois et votre refus 6 mois/, `the first layer says how long each is kept: ${text}`);
    await button(page, decide).click();
    await expectHidden(banner(page), `the first layer after ${label}`);
    const r = await record(s);
    assert.equal(r.action, action);
    assertMonths(r, months, label);

    // A day before the expiry: no banner. A day after: the banner is back.
    for (const [offset, shown] of [[-DAY, false], [DAY, true]]) {
      await page.clock.setSystemTime(new Date(r.expires + offset));
      await s.goto("/");
      const when = `${new Date(r.expires + offset).toISOString().slice(0, 10)} (${months} months ${offset < 0 ? "less" : "plus"} a day)`;
      if (shown) await expectVisible(banner(page), `the first layer on ${when}`);
      else {
        await expectVisible(button(page, fr.reopen), `« ${fr.reopen} » on ${when}`);
        assert.ok(await noneVisible(banner(page)), `the first layer asked again on ${when}, before the ${months} months`);
      }
    }
  });
}
