// The same demo with its audience purpose needing consent (SPEC §6: both modes are tested;
// the exempt default is in audience.test.mjs): the audience tool gets nothing before a
// choice, whatever the visitor clicks; « Tout accepter » loads it and grants
// analytics_storage in Google Consent Mode; « Tout refuser » keeps it silent and denied.
// Counts are checked in the browser's request log and in the tracker server's log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, QUIET_MS, sleep, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";

const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;
const DENIED = { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" };
const GRANTED = { ad_storage: "granted", analytics_storage: "granted", ad_user_data: "granted", ad_personalization: "granted" };

const consentUpdates = (pg) =>
  pg.evaluate(() =>
    (window.dataLayer || [])
      .filter((a) => Object.prototype.toString.call(a) === "[object Arguments]" && a[0] === "consent" && a[1] === "update")
      .map((a) => Array.from(a)),
  );
const firstEntry = (pg) => pg.evaluate(() => (window.dataLayer && window.dataLayer[0] ? Array.from(window.dataLayer[0]) : null));

test("C1. consent mode, before any choice: 0 audience requests (m.js, /hit, /event) over 3 pages, clicking around", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await page.locator("h1").first().click();
  await page.getByRole("button", { name: fr.partners, exact: true }).or(page.getByRole("link", { name: fr.partners, exact: true })).first().click();
  await expectVisible(page.getByText("Audimètre (démo, hébergé par la mutuelle)"), "the partner list, naming the audience vendor");
  await page.getByRole("navigation").getByRole("link", { name: "Assurance auto", exact: true }).click();
  await page.waitForURL("**/demo/produit.html");
  await expectVisible(banner(page), "first layer on the product page");
  await page.locator("h1").first().click();
  await button(page, fr.customize).click();
  await expectVisible(page.getByRole("checkbox", { name: fr.purposes.audience, exact: true }), "the audience box in the preferences");
  assert.equal(await page.getByRole("checkbox", { name: fr.purposes.audience, exact: true }).isChecked(), false, "the audience box must start unchecked in consent mode");
  assert.equal(await button(page, "M'opposer à la mesure d'audience").count(), 0, "a consent purpose has no opt-out button (nothing runs to object to)");
  await s.goto("/demo/confidentialite.html");
  await expectVisible(banner(page), "first layer on the privacy page");
  await page.locator("h1").first().click();
  await sleep(QUIET_MS);

  s.assertNoTraffic("3 pages and 4 clicks before any choice", "audience");
  assert.equal(await page.evaluate(() => window.demoAudienceRuns), undefined, "m.js ran before any choice");
  const c = await s.consent();
  assert.equal(c.decided, false, `no decision yet: ${JSON.stringify(c)}`);
  assert.notEqual(c.purposes?.audience, true, `audience active before consent: ${JSON.stringify(c.purposes)}`);
  assert.deepEqual((await s.cookies()).map((x) => x.name).filter((n) => n.startsWith("_aud")), [], "audience cookies before any choice");
  assert.deepEqual(await firstEntry(page), ["consent", "default", DENIED], "dataLayer[0] is the default, all denied");
  assert.deepEqual(await consentUpdates(page), [], "no consent update before any choice");
});

test("C2. consent mode, « Tout accepter »: the audience tool loads once, and the update grants analytics_storage", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await sleep(500);
  s.assertNoTraffic("before accepting", "audience");
  await button(page, fr.acceptAll).click();
  await expectHidden(banner(page), "the banner after « Tout accepter »");
  await waitFor(() => h.trackerHits("audience", "/hit").length >= 1 && s.trackerRequests("audience", "/hit").length >= 1, {
    message: `the audience tool after accepting; so far:\n${s.describeRequests()}`,
  });
  await sleep(QUIET_MS);
  s.assertCount("audience", "/m.js", 1, "after « Tout accepter »");
  s.assertCount("audience", "/hit", 1, "after « Tout accepter »");
  assert.equal(await page.evaluate(() => window.demoAudienceRuns), 1, "m.js should have run once");
  const c = await s.consent();
  assert.equal(c.purposes?.audience, true, `audience granted: ${JSON.stringify(c.purposes)}`);

  const updates = await consentUpdates(page);
  assert.ok(updates.length >= 1, "a consent update after « Tout accepter »");
  assert.deepEqual(updates.at(-1)[2], GRANTED, "the update after « Tout accepter » grants analytics_storage (audience) and the ad_* signals (advertising)");
  assert.deepEqual(await firstEntry(page), ["consent", "default", DENIED], "the default is still dataLayer[0]");

  s.resetCounts();
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "the reopen button on the next page");
  await waitFor(() => h.trackerHits("audience", "/hit").length >= 1, { message: "the audience tool on the next page" });
  await sleep(QUIET_MS);
  s.assertCount("audience", "/m.js", 1, "next page after accepting");
  const next = await consentUpdates(page);
  assert.deepEqual(next.at(-1)?.[2], GRANTED, "the update at load on the next page, from the stored decision");
});

test("C3. consent mode, « Tout refuser » on a fresh context: 0 audience requests over 2 pages, analytics_storage denied", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), "the banner after « Tout refuser »");
  const updates = await waitFor(async () => {
    const u = await consentUpdates(page);
    return u.length >= 1 ? u : null;
  }, { message: "a consent update after « Tout refuser »" });
  assert.deepEqual(updates.at(-1)[2], DENIED, "the update after « Tout refuser » denies all four, analytics_storage included");
  await page.locator("h1").first().click();
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "the reopen button on the next page");
  await page.locator("h1").first().click();
  await sleep(QUIET_MS);
  s.assertNoTraffic("« Tout refuser », then 2 pages with clicks", "audience");
  const c = await s.consent();
  assert.equal(c.decided, true, `the refusal is a decision: ${JSON.stringify(c)}`);
  assert.equal(c.purposes?.audience, false, `audience refused: ${JSON.stringify(c.purposes)}`);
  const next = await consentUpdates(page);
  assert.equal(next.at(-1)?.[2]?.analytics_storage, "denied", `analytics_storage on the next page: ${JSON.stringify(next)}`);
  assert.deepEqual((await s.cookies()).map((x) => x.name).filter((n) => n.startsWith("_aud")), [], "audience cookies after refusing");
});

test("C4. consent mode, the privacy page's control: « Donner mon accord » grants audience alone, « Retirer mon accord » withdraws it; nothing before", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/demo/confidentialite.html");
  await expectVisible(banner(page), "the first layer on the privacy page");
  const control = page.locator('[data-accord-optout="audience"]');
  const state = control.locator(".accord-optout-state");
  await expectVisible(state, "the control's state line");
  assert.equal((await state.innerText()).trim(), "« Mesure d'audience » est désactivé : rien n'est envoyé sans votre accord.", "before any choice");
  await sleep(QUIET_MS);
  s.assertNoTraffic("privacy page, before any choice", "audience");

  await control.getByRole("button", { name: "Donner mon accord", exact: true }).click();
  await waitFor(() => h.trackerHits("audience", "/hit").length >= 1, { message: "the audience tool after « Donner mon accord »" });
  const c = await s.consent();
  assert.deepEqual(
    { decided: c.decided, action: c.action, audience: c.purposes.audience, advertising: c.purposes.advertising, video: c.purposes.video },
    { decided: true, action: "custom", audience: true, advertising: false, video: false },
    "the control grants audience alone, as a recorded custom choice",
  );
  assert.equal((await state.innerText()).trim(), "Vous avez accepté « Mesure d'audience ».", "after giving consent");
  assert.equal(s.trackerRequests("advertising").length + h.trackerHits("advertising").length, 0, "nothing else was granted");

  await control.getByRole("button", { name: "Retirer mon accord", exact: true }).click();
  await waitFor(async () => (await s.consent()).purposes.audience === false, { message: "audience withdrawn by « Retirer mon accord »" });
  await waitFor(async () => !(await s.cookie("_aud_id")) && !(await s.cookie("_aud_srv")), { timeout: 1000, message: "the tool's cookies purged" });
  s.resetCounts();
  await s.goto("/demo/produit.html");
  await sleep(QUIET_MS);
  s.assertNoTraffic("the next page after « Retirer mon accord »", "audience");
});
