// SPEC §6, issue 4 item 5: a browser sending Global Privacy Control gets advertising
// refused by default, the banner says why, and the person can still grant it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, QUIET_MS, sleep, waitFor, button, banner, purposeToggle, expectVisible } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;

async function gpcSession(t) {
  const s = await h.session(t);
  await s.page.context().addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
  });
  return s;
}

test("GPC: « Tout accepter » leaves advertising refused, says why, and the advertising vendor gets nothing", async (t) => {
  const s = await gpcSession(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  const note = page.locator(".accord-gpc");
  await expectVisible(note, "the GPC explanation in the banner");
  assert.match(await note.innerText(), /Global Privacy Control/);
  assert.match(await note.innerText(), /Publicité personnalisée/);
  await button(page, fr.acceptAll).click();
  const c = await waitFor(() => s.page.evaluate(() => (Accord.consent().decided ? Accord.consent() : null)), { message: "a decision" });
  assert.deepEqual(
    { audience: c.purposes.audience, advertising: c.purposes.advertising, video: c.purposes.video },
    { audience: true, advertising: false, video: true },
    "under GPC, accept all grants everything but advertising",
  );
  await waitFor(() => h.trackerHits("audience").length >= 1, { message: "the audience tracker after accepting" });
  await sleep(QUIET_MS);
  assert.equal(s.trackerRequests("advertising").length + h.trackerHits("advertising").length, 0, `advertising contacted:\n${s.describeRequests()}`);
});

test("GPC: the person can still grant advertising explicitly", async (t) => {
  const s = await gpcSession(t);
  const { page } = s;
  await s.goto("/");
  await button(page, fr.customize).click();
  const ads = purposeToggle(page, fr.purposes.advertising).first();
  await expectVisible(ads, "the advertising box");
  assert.equal(await ads.isChecked(), false);
  await ads.check();
  await button(page, fr.save).click();
  const c = await waitFor(() => s.page.evaluate(() => (Accord.consent().decided ? Accord.consent() : null)), { message: "a decision" });
  assert.equal(c.purposes.advertising, true, "an explicit grant stands under GPC");
  await waitFor(() => h.trackerHits("advertising", "/ads.js").length >= 1, { message: "the advertising tracker after the explicit grant" });
});

test("without GPC, no explanation is shown", async (t) => {
  const s = await h.session(t);
  await s.goto("/");
  await expectVisible(banner(s.page), "first layer");
  assert.equal(await s.page.locator(".accord-gpc").count(), 0);
});
