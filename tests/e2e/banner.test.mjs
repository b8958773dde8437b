// The first layer, refusal, acceptance, customisation and withdrawal (SPEC §3, §4, §5),
// counted in the real browser and in the fake tracker servers' log.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  PURPOSES,
  TRACKER_COOKIES,
  VENDOR_NAMES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  purposeToggle,
  expectVisible,
  expectHidden,
  noneVisible,
} from "./harness.mjs";

// Written about consent mode: the demo's audience purpose needs consent here (the exempt
// default is tested in audience.test.mjs).
const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;

async function assertNoTrackerCookies(s, when) {
  const found = (await s.trackerCookies()).map((c) => `${c.name}=${c.value}`);
  assert.deepEqual(found, [], `${when}: tracker cookies present in the browser`);
}

async function assertAllRefused(s, when, page = s.page) {
  const c = await s.consent(page);
  assert.equal(c.decided, true, `${when}: Accord.consent().decided should be true, got ${JSON.stringify(c)}`);
  for (const p of PURPOSES) {
    assert.equal(c.purposes?.[p], false, `${when}: purpose ${p} should be explicitly false, got ${JSON.stringify(c.purposes)}`);
  }
  return c;
}

/** Goes to `path` and waits until Accord shows that a choice exists (the reopen button). */
async function visitDecided(s, path, lang = "fr") {
  await s.goto(path);
  await expectVisible(button(s.page, NAMES[lang].reopen), `reopen button "${NAMES[lang].reopen}" on ${path}`);
  await sleep(1000);
  assert.ok(await noneVisible(banner(s.page, lang)), `the banner is shown again on ${path} although a choice exists`);
}

test("1. fresh visit: banner shown, no tracker request, no cookie, nothing activated", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), 'first layer (a dialog or region holding "Tout accepter")');
  const named = page
    .getByRole("dialog", { name: /\S/ })
    .or(page.getByRole("region", { name: /\S/ }))
    .or(page.getByRole("alertdialog", { name: /\S/ }))
    .filter({ has: button(page, fr.acceptAll) });
  await expectVisible(named, "the first layer has an accessible name (its heading)", 1000);
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize, fr.close]) {
    await expectVisible(button(page, name), `button "${name}"`, 1000);
  }
  await sleep(QUIET_MS);

  s.assertNoTraffic("fresh visit");
  await assertNoTrackerCookies(s, "fresh visit");
  assert.equal(await s.cookie("accord"), null, "fresh visit: an accord cookie exists before any choice");
  const ran = await page.evaluate(() => ({
    inline: typeof window.demoInlineAdRuns,
    audience: typeof window.demoAudienceRuns,
    ads: typeof window.demoAdsRuns,
  }));
  assert.deepEqual(ran, { inline: "undefined", audience: "undefined", ads: "undefined" }, "fresh visit: a gated script ran");

  const iframes = await page.evaluate(() =>
    [...document.querySelectorAll("iframe")].map((f) => ({ src: f.getAttribute("src"), tagged: f.hasAttribute("data-accord-purpose") })),
  );
  for (const f of iframes) {
    if (f.tagged) assert.equal(f.src, null, `fresh visit: the tagged video iframe has a src: ${f.src}`);
    assert.ok(!f.src || !h.vendorOf(new URL(f.src, h.origin).href), `fresh visit: an iframe points at a tracker: ${f.src}`);
  }
  const frames = page.frames().map((f) => f.url()).filter((u) => h.vendorOf(u));
  assert.deepEqual(frames, [], "fresh visit: a frame loaded from a tracker origin");
  const c = await s.consent();
  assert.equal(c.decided, false, `fresh visit: Accord.consent().decided should be false, got ${JSON.stringify(c)}`);
});

test('1b. "Liste des partenaires" shows every vendor, with no request to any of them', async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  const partners = page
    .getByRole("button", { name: fr.partners, exact: true })
    .or(page.getByRole("link", { name: fr.partners, exact: true }));
  await expectVisible(partners, `control "${fr.partners}"`, 1000);
  await partners.first().click();
  for (const name of VENDOR_NAMES) {
    await expectVisible(page.getByText(name), `vendor "${name}" in the partner list`, 2000);
  }
  for (const v of ["audience", "advertising", "video"]) {
    const href = `${h.trackerOrigins[v]}/privacy`;
    assert.ok((await page.locator(`a[href="${href}"]`).count()) > 0, `the partner list has no privacy link ${href}`);
  }
  await sleep(QUIET_MS);
  s.assertNoTraffic("partner list shown");
  await assertNoTrackerCookies(s, "partner list shown");
});

test('2. "Tout refuser": nothing loads, the refusal is recorded and remembered over 5 pages', async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.rejectAll).click();
  await expectHidden(banner(page), 'the banner after "Tout refuser"');
  await expectVisible(button(page, fr.reopen), `reopen button "${fr.reopen}" after refusing`);
  await waitFor(() => s.cookie("accord"), { message: "the accord cookie after refusing" });
  await assertAllRefused(s, "after Tout refuser");
  await sleep(QUIET_MS);
  s.assertNoTraffic("after Tout refuser");

  for (const p of ["/", "/demo/produit.html", "/demo/confidentialite.html", "/", "/demo/produit.html"]) {
    await visitDecided(s, p);
    await assertAllRefused(s, `on ${p} after refusing`);
  }
  s.assertNoTraffic("5 pages after refusing");
  await assertNoTrackerCookies(s, "5 pages after refusing");
});

test("2b. a data-accord-open link opens the preferences, all unchecked again after a refusal", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.rejectAll).click();
  await expectVisible(button(page, fr.reopen), "reopen button after refusing");
  await s.goto("/demo/produit.html");
  await expectVisible(button(page, fr.reopen), "reopen button on the product page");
  await page.locator("footer [data-accord-open]").click();
  for (const p of PURPOSES) {
    const toggle = purposeToggle(page, fr.purposes[p]);
    await expectVisible(toggle, `checkbox "${fr.purposes[p]}" after clicking the data-accord-open link`);
    assert.equal(await toggle.first().isChecked(), false, `"${fr.purposes[p]}" is checked when reopened after a refusal`);
  }
  const necessary = purposeToggle(page, fr.purposes.necessary);
  await expectVisible(necessary, `checkbox "${fr.purposes.necessary}"`, 1000);
  assert.equal(await necessary.first().isChecked(), true, `"${fr.purposes.necessary}" should be checked`);
  assert.equal(await necessary.first().isDisabled(), true, `"${fr.purposes.necessary}" should be disabled`);
  await sleep(500);
  s.assertNoTraffic("preferences reopened after refusal");
});

test('2c. "Fermer sans accepter" is not consent: nothing loads, recorded as a refusal', async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.close).click();
  await expectHidden(banner(page), 'the banner after "Fermer sans accepter"');
  await waitFor(() => s.cookie("accord"), { message: "the accord cookie after closing" });
  await assertAllRefused(s, "after Fermer sans accepter");
  await visitDecided(s, "/demo/produit.html");
  s.assertNoTraffic("after Fermer sans accepter");
  await assertNoTrackerCookies(s, "after Fermer sans accepter");
});

test('3. "Tout accepter": each tracker loads exactly once, then once per page view', async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await sleep(500);
  s.assertNoTraffic("before accepting");
  await button(page, fr.acceptAll).click();
  await expectHidden(banner(page), 'the banner after "Tout accepter"');

  const expected = [
    ["audience", "/m.js"],
    ["audience", "/hit"],
    ["advertising", "/ads.js"],
    ["advertising", "/pixel.gif"],
    ["video", "/embed/1"],
  ];
  await waitFor(() => expected.every(([v, p]) => h.trackerHits(v, p).length >= 1), {
    message: `every tagged tracker loaded after accepting; so far:\n${s.describeRequests()}`,
  });
  await sleep(QUIET_MS);
  for (const [v, p] of expected) s.assertCount(v, p, 1, "home page after Tout accepter");
  assert.equal(h.trackerHits().length, expected.length, `unexpected extra tracker hits:\n${s.describeRequests()}`);
  const ran = await page.evaluate(() => [window.demoInlineAdRuns, window.demoAudienceRuns, window.demoAdsRuns]);
  assert.deepEqual(ran, [1, 1, 1], "[inline ad tag, m.js, ads.js] should each have run exactly once");

  const c = await s.consent();
  assert.equal(c.decided, true);
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], true, `purpose ${p} should be true after Tout accepter: ${JSON.stringify(c.purposes)}`);
  await waitFor(async () => {
    const names = (await s.trackerCookies()).map((x) => x.name);
    return TRACKER_COOKIES.every((n) => names.includes(n));
  }, { message: `all tracker cookies (${TRACKER_COOKIES.join(", ")}) present after accepting` });
  const videoSrc = await page.evaluate(() => [...document.querySelectorAll("iframe")].map((f) => f.src));
  assert.ok(videoSrc.includes(`${h.trackerOrigins.video}/embed/1`), `the video iframe was not activated: ${JSON.stringify(videoSrc)}`);

  s.resetCounts();
  await s.goto("/demo/produit.html");
  await waitFor(() => h.trackerHits("audience", "/hit").length >= 1 && h.trackerHits("advertising", "/ads.js").length >= 1, {
    message: "the audience and advertising scripts on the next page",
  });
  await sleep(QUIET_MS);
  s.assertCount("audience", "/m.js", 1, "product page after accepting");
  s.assertCount("audience", "/hit", 1, "product page after accepting");
  s.assertCount("advertising", "/ads.js", 1, "product page after accepting");
  assert.ok(await noneVisible(banner(page)), "the banner is shown again on the next page after accepting");
  await expectVisible(button(page, fr.reopen), "reopen button on the next page");
});

test("4. Personnaliser → only « Publicité personnalisée » → only the advertising vendor is contacted", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.customize).click();
  for (const p of PURPOSES) {
    const toggle = purposeToggle(page, fr.purposes[p]);
    await expectVisible(toggle, `checkbox "${fr.purposes[p]}" in the preferences`);
    assert.equal(await toggle.first().isChecked(), false, `"${fr.purposes[p]}" must be unchecked by default`);
    assert.equal(await toggle.first().isDisabled(), false, `"${fr.purposes[p]}" must be enabled`);
  }
  const necessary = purposeToggle(page, fr.purposes.necessary);
  await expectVisible(necessary, `checkbox "${fr.purposes.necessary}"`, 1000);
  assert.equal(await necessary.first().isChecked(), true, `"${fr.purposes.necessary}" must be checked`);
  assert.equal(await necessary.first().isDisabled(), true, `"${fr.purposes.necessary}" must be disabled`);

  const ads = purposeToggle(page, fr.purposes.advertising).first();
  await ads.check();
  assert.equal(await ads.isChecked(), true, "ticking « Publicité personnalisée » did not check it");
  await sleep(300);
  s.assertNoTraffic("after ticking, before saving");
  await button(page, fr.save).click();
  await expectHidden(purposeToggle(page, fr.purposes.advertising), "the preferences after « Enregistrer mes choix »");

  await waitFor(() => h.trackerHits("advertising", "/ads.js").length >= 1 && h.trackerHits("advertising", "/pixel.gif").length >= 1, {
    message: "the advertising tags after saving",
  });
  await sleep(QUIET_MS);
  s.assertCount("advertising", "/ads.js", 1, "after saving advertising only");
  s.assertCount("advertising", "/pixel.gif", 1, "after saving advertising only");
  assert.equal(s.trackerRequests("audience").length + h.trackerHits("audience").length, 0, `audience contacted:\n${s.describeRequests()}`);
  assert.equal(s.trackerRequests("video").length + h.trackerHits("video").length, 0, `video contacted:\n${s.describeRequests()}`);
  assert.equal(await page.evaluate(() => window.demoInlineAdRuns), 1, "the inline advertising tag should have run once");

  const c = await s.consent();
  assert.equal(c.decided, true);
  assert.deepEqual(
    { audience: c.purposes?.audience, advertising: c.purposes?.advertising, video: c.purposes?.video },
    { audience: false, advertising: true, video: false },
    "Accord.consent().purposes after saving advertising only",
  );
  const names = (await s.trackerCookies()).map((x) => x.name).sort();
  assert.deepEqual(names, ["_adn", "_adn_px"], "only the advertising cookies should exist");
});

test("5. withdrawal: accept all, then « Gérer mes cookies » → « Tout refuser » purges at once and stops everything", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.acceptAll).click();
  await waitFor(async () => {
    const names = (await s.trackerCookies()).map((x) => x.name);
    return TRACKER_COOKIES.every((n) => names.includes(n));
  }, { message: "all tracker cookies after accepting" });
  await sleep(500);

  await button(page, fr.reopen).click();
  await expectVisible(button(page, fr.rejectAll), `"${fr.rejectAll}" after reopening with "${fr.reopen}"`);
  await button(page, fr.rejectAll).first().click();
  const t0 = Date.now();
  let left = [];
  try {
    await waitFor(async () => {
      left = (await s.trackerCookies()).map((c) => c.name);
      return left.length === 0;
    }, { timeout: 1000, message: "tracker cookies purged within 1 s of withdrawing" });
  } catch (err) {
    throw new Error(`${err.message}; still present: ${left.join(", ")}`);
  }
  t.diagnostic(`tracker cookies gone ${Date.now() - t0} ms after the click`);
  const docCookie = await page.evaluate(() => document.cookie);
  for (const n of TRACKER_COOKIES) assert.ok(!new RegExp(`(^|; )${n}=`).test(docCookie), `document.cookie still shows ${n}: ${docCookie}`);
  await assertAllRefused(s, "after withdrawing");

  s.resetCounts();
  await sleep(500);
  for (const p of ["/", "/demo/produit.html", "/demo/confidentialite.html"]) {
    await visitDecided(s, p);
    await assertAllRefused(s, `on ${p} after withdrawing`);
  }
  s.assertNoTraffic("3 pages after withdrawing");
  await assertNoTrackerCookies(s, "3 pages after withdrawing");
});

test("14. held video: a placeholder names the vendor, loads nothing, and « Autoriser et afficher » grants video alone and loads it once", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  const placeholder = page.locator(".accord-placeholder");
  await expectVisible(placeholder, "the placeholder over the held video");
  const text = await placeholder.innerText();
  assert.match(text, /VidéoPlay \(démo\)/, `the placeholder names the vendor: ${text}`);
  assert.match(text, /Vidéos intégrées/, `the placeholder names the purpose: ${text}`);
  assert.match(text, /déposer des traceurs/, `the placeholder says the vendor sets trackers: ${text}`);
  await sleep(QUIET_MS);
  s.assertNoTraffic("with the placeholder shown");

  // Still there after a refusal, and still nothing loaded.
  await button(page, fr.rejectAll).click();
  await expectVisible(placeholder, "the placeholder after « Tout refuser »");
  await sleep(500);
  s.assertNoTraffic("after « Tout refuser »");

  await button(page, "Autoriser et afficher").click();
  await waitFor(() => h.trackerHits("video", "/embed/1").length >= 1, { message: "the video after « Autoriser et afficher »" });
  await sleep(QUIET_MS);
  s.assertCount("video", "/embed/1", 1, "after « Autoriser et afficher »");
  assert.equal(s.trackerRequests("audience").length + s.trackerRequests("advertising").length, 0, `other vendors contacted:\n${s.describeRequests()}`);
  assert.equal(await placeholder.count(), 0, "the placeholder is gone once the video shows");
  const c = await s.consent();
  assert.deepEqual(
    { decided: c.decided, audience: c.purposes?.audience, advertising: c.purposes?.advertising, video: c.purposes?.video },
    { decided: true, audience: false, advertising: false, video: true },
    "« Autoriser et afficher » records a decision granting video only",
  );
});
