// Multi-device consent for signed-in people (issue 16 item 6, CNIL 2025-131), end to
// end: two browser contexts are two devices of one account, the site's server having
// set the account cookie (`accord_account`) at sign-in; the demo forwards /consent-log
// to the real accord-server on SQLite. A withdrawal on one device reaches the other
// before anything of it loads there; the account's choice is never written to a
// device, so on a shared device the next person, signed out, keeps the device's own;
// the loader's early answer from a signed-out page never stands on a signed-in one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { useHarness, NAMES, UI_TIMEOUT, QUIET_MS, sleep, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";
import { useConsentService } from "./consent-service.mjs";

const h = useHarness();
const fr = NAMES.fr;
const svc = useConsentService(h);

/** A fresh account identifier, as a site computes it (a keyed hash, base64url). */
const newAccount = () => randomBytes(24).toString("base64url");

/** Signs `s` in as `account`: the cookie the site's server sets at sign-in. */
async function signIn(s, account) {
  await s.context.addCookies([{ name: "accord_account", value: account, url: h.url("/"), sameSite: "Lax" }]);
}

/** Signs `s` out: the site's server deletes the cookie. */
async function signOut(s) {
  await s.context.clearCookies({ name: "accord_account" });
}

/** The account's latest choice as accord-server answers it (null: none). */
async function accountChoice(account) {
  const r = await fetch(`${svc.server.origin}/consent-log/account/${account}`);
  if (r.status === 404) return null;
  const text = await r.text();
  assert.equal(r.status, 200, `GET account: ${text}`);
  return JSON.parse(text);
}

/** Waits until the account's latest choice at accord-server has `action`. */
async function accountSays(account, action) {
  await waitFor(async () => (await accountChoice(account))?.action === action, {
    interval: 250,
    message: `the account's latest choice becomes ${action} at accord-server:\n${svc.server.log()}`,
  });
}

/**
 * Leaves the current page (its trackers' requests stop) and forgets the requests seen
 * so far: what is counted next belongs to the next page only.
 */
async function freshCount(s) {
  await s.page.goto("about:blank");
  await sleep(500);
  s.resetCounts();
}

/** The page's choice, once the module answered. */
async function decidedConsent(s) {
  await s.page.waitForFunction(() => window.Accord && window.Accord.consent && window.Accord.consent().decided !== undefined && window.__e2e && window.__e2e.events.some((e) => e.type === "accord:ready"), null, { timeout: UI_TIMEOUT });
  return s.consent();
}

test("a withdrawal on one device reaches the account's other device before anything of it loads there", async (t) => {
  const account = newAccount();
  const A = await h.session(t);
  await signIn(A, account);
  await A.goto("/");
  await expectVisible(banner(A.page), "device A, first visit, signed in");
  await button(A.page, fr.acceptAll).click();
  await accountSays(account, "accept_all");

  // Device B, signed in to the same account, never decided: no banner, the consent
  // applies, and advertising loads.
  const B = await h.session(t);
  await signIn(B, account);
  await B.goto("/");
  const c = await decidedConsent(B);
  assert.equal(c.decided, true, "device B has the account's choice");
  assert.equal(c.purposes.advertising, true);
  assert.equal(c.record_id, (await A.consent()).record_id, "the choice made on device A");
  await expectHidden(banner(B.page), "device B's banner: the account already chose", 1000);
  await waitFor(() => B.trackerRequests("advertising").length > 0, { message: `advertising loads on device B:\n${B.describeRequests()}` });
  assert.equal(await B.cookie("accord"), null, "the adopted choice is not written to device B");

  // Device A withdraws; device B's next page gets the withdrawal before anything of
  // advertising may load, and what advertising left on B is purged.
  await A.page.evaluate(() => window.Accord.withdraw());
  await accountSays(account, "withdraw");
  await B.context.addCookies([{ name: "_adn", value: "left-by-pubnet", url: h.url("/") }]);
  await freshCount(B);
  await B.goto("/demo/produit.html");
  const after = await decidedConsent(B);
  assert.equal(after.purposes.advertising, false, "the withdrawal reached device B");
  assert.equal(after.action, "withdraw");
  await sleep(QUIET_MS);
  B.assertNoTraffic("device B's next page after the withdrawal on device A", "advertising");
  await waitFor(async () => (await B.cookie("_adn")) === null, { message: "the advertising cookie on device B is purged" });
  await expectHidden(banner(B.page), "device B's banner: a withdrawal is a choice", 1000);
});

test("a shared device: the account's choice holds while signed in, and the device's own choice is back once signed out", async (t) => {
  const account = newAccount();
  // The account consented on another device.
  const other = await h.session(t);
  await signIn(other, account);
  await other.goto("/");
  await button(other.page, fr.acceptAll).click();
  await accountSays(account, "accept_all");

  // The shared device: someone signed out refused.
  const shared = await h.session(t);
  await shared.goto("/");
  await button(shared.page, fr.rejectAll).click();
  await expectHidden(banner(shared.page), "the banner after « Tout refuser »", 1000);
  const own = await shared.cookie("accord");
  assert.ok(own, "the device's own record");

  // The account holder signs in on it: their consent applies, the device's record stays.
  await signIn(shared, account);
  await freshCount(shared);
  await shared.goto("/");
  const signedIn = await decidedConsent(shared);
  assert.equal(signedIn.purposes.advertising, true, "the account's consent, signed in");
  await waitFor(() => shared.trackerRequests("advertising").length > 0, { message: `advertising loads signed in:\n${shared.describeRequests()}` });
  assert.equal((await shared.cookie("accord")).value, own.value, "the device's record is untouched");

  // Signed out: the device's own refusal, from the first request of the page on (the
  // loader's early answer was not taken from the signed-in page).
  await signOut(shared);
  await freshCount(shared);
  await shared.goto("/");
  const signedOut = await decidedConsent(shared);
  assert.equal(signedOut.purposes.advertising, false, "the device's own refusal is back");
  assert.equal(signedOut.record_id, own.value.split("|")[1], "the device's own record");
  await sleep(QUIET_MS);
  shared.assertNoTraffic("the shared device once signed out", "advertising");
});

test("the loader's early answer from a signed-out page never stands on a signed-in page whose account refused", async (t) => {
  const account = newAccount();
  const other = await h.session(t);
  await signIn(other, account);
  await other.goto("/");
  await button(other.page, fr.rejectAll).click();
  await accountSays(account, "refuse_all");

  // This device consented signed out, and its next signed-out page started advertising
  // from the loader's early answer.
  const s = await h.session(t);
  await s.goto("/");
  await button(s.page, fr.acceptAll).click();
  await s.goto("/demo/produit.html");
  await waitFor(() => s.trackerRequests("advertising").length > 0, { message: "advertising loads signed out" });

  await signIn(s, account);
  await freshCount(s);
  await s.goto("/");
  const c = await decidedConsent(s);
  assert.equal(c.purposes.advertising, false, "the account's refusal, signed in");
  await sleep(QUIET_MS);
  s.assertNoTraffic("a signed-in page whose account refused", "advertising");
});

test("signed in, a decision names the account in its receipt; a malformed account cookie is named and the page counts as signed out", async (t) => {
  const account = newAccount();
  const s = await h.session(t);
  await signIn(s, account);
  await s.goto("/");
  await button(s.page, fr.rejectAll).click();
  await accountSays(account, "refuse_all");
  const mine = await s.consent();
  const choice = await accountChoice(account);
  assert.equal(choice.record, (await s.cookie("accord")).value, "the account's choice is the record this device wrote");
  assert.equal(choice.record.split("|")[1], mine.record_id);

  const bad = await h.session(t);
  await bad.context.addCookies([{ name: "accord_account", value: "12345", url: h.url("/") }]);
  await bad.goto("/");
  await expectVisible(banner(bad.page), "first layer: no account, no choice");
  const errors = await bad.events(bad.page, "accord:error");
  const err = errors.find((e) => e.detail && e.detail.code === "ACCORD_ACCOUNT_INVALID");
  assert.ok(err, `ACCORD_ACCOUNT_INVALID raised: ${JSON.stringify(errors)}`);
  assert.match(err.detail.message, /accord_account/, "the message names the cookie");
  // A listener added after the fact is told of it at once (README: `Accord.on`).
  const late = await bad.page.evaluate(() => {
    const got = [];
    window.Accord.on("error", (d) => got.push(d.code));
    return got;
  });
  assert.ok(late.includes("ACCORD_ACCOUNT_INVALID"), `Accord.on("error") replays past errors: ${JSON.stringify(late)}`);
  await button(bad.page, fr.rejectAll).click();
  await sleep(300);
  const rows = await (await fetch(`${svc.server.origin}/consent-log/account/12345`)).json();
  assert.equal(rows.error.code, "ACCORD_ACCOUNT_ID", "and the service refuses to look it up");
});

test("the consent service is down on a signed-in page: told to the page, the device's own choice applies, nothing of the account's is guessed", async (t) => {
  const account = newAccount();
  const s = await h.session(t);
  await s.goto("/");
  await button(s.page, fr.rejectAll).click();
  await expectHidden(banner(s.page), "the banner after « Tout refuser »", 1000);
  await signIn(s, account);
  await svc.server.stop("SIGKILL");
  try {
    await freshCount(s);
    await s.goto("/demo/produit.html");
    const c = await decidedConsent(s);
    assert.equal(c.purposes.advertising, false, "the device's own refusal");
    const errors = await s.events(s.page, "accord:error");
    assert.ok(errors.some((e) => e.detail && e.detail.code === "ACCORD_ACCOUNT_UNAVAILABLE"), `ACCORD_ACCOUNT_UNAVAILABLE raised: ${JSON.stringify(errors)}`);
    await expectHidden(banner(s.page), "no banner: the device's choice stands", 1000);
    await sleep(QUIET_MS);
    s.assertNoTraffic("a signed-in page while the service is down", "advertising");
  } finally {
    await svc.restart();
  }
});
