// Other tabs (SPEC §5, issue 3): a withdrawal in tab A stops the withdrawn purposes in the
// site's other open tabs within 2 s. Tab B runs a consented advertising tracker that writes
// _adn and hits /t/heartbeat every 500 ms; tab A withdraws ("Gérer mes cookies" → "Tout
// refuser"); from 2 s to 5 s after the click, B's tracker must reach its server 0 times and
// _adn must be gone (B's tracker would rewrite it every 500 ms if B had not stopped it).
// The second test does the same for the audience opt-out (SPEC §6).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, sleep, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const STOP_WITHIN_MS = 2000;
const WATCH_UNTIL_MS = 5000;

test("tabs: withdrawing in tab A stops tab B's advertising tracker within 2 s (0 hits from 2 s to 5 s) and its cookie is gone", async (t) => {
  const s = await h.session(t);
  const A = s.page;
  await s.goto("/", A);
  await expectVisible(banner(A), "the first layer in tab A");
  await button(A, fr.acceptAll).click();
  await expectHidden(banner(A), 'the banner in tab A after "Tout accepter"');

  const B = await s.newPage();
  await s.goto("/__test/heartbeat.html", B);
  await expectVisible(button(B, fr.reopen), `"${fr.reopen}" in tab B (the choice exists)`);
  const beats = () => h.servers.log.filter((e) => e.vendor === "advertising" && e.path === "/t/heartbeat");
  await waitFor(() => beats().length >= 3, { timeout: 8000, message: "tab B's consented heartbeat reaching the advertising server (≥ 3 hits)" });
  await waitFor(async () => (await s.cookies()).some((c) => c.name === "_adn"), { timeout: 3000, message: "the _adn cookie written by tab B's tracker" });
  const cB = await s.consent(B);
  assert.equal(cB.purposes?.advertising, true, `test setup: tab B should see advertising granted: ${JSON.stringify(cB)}`);

  // Withdraw in tab A.
  await A.bringToFront();
  await button(A, fr.reopen).click();
  await expectVisible(button(A, fr.rejectAll), `"${fr.rejectAll}" after reopening in tab A`);
  await button(A, fr.rejectAll).click();
  const t0 = Date.now();
  const beforeWithdrawal = beats().filter((e) => e.time < t0).length;

  await sleep(WATCH_UNTIL_MS - (Date.now() - t0));
  const late = beats().filter((e) => e.time >= t0 + STOP_WITHIN_MS && e.time <= t0 + WATCH_UNTIL_MS);
  const all = beats().filter((e) => e.time >= t0);
  const lateBrowser = s.requests.filter((q) => q.vendor === "advertising" && q.time >= t0 + STOP_WITHIN_MS && q.time <= t0 + WATCH_UNTIL_MS);
  const lastBeat = all.length ? all[all.length - 1].time - t0 : null;
  t.diagnostic(`heartbeats before withdrawal: ${beforeWithdrawal}; after: ${all.length} (last ${lastBeat === null ? "none" : `${lastBeat} ms`} after the click)`);

  const problems = [];
  if (late.length || lateBrowser.length) {
    problems.push(
      `tab B's tracker still reached the advertising server ${late.length} time(s) (browser saw ${lateBrowser.length}) between ${STOP_WITHIN_MS} and ${WATCH_UNTIL_MS} ms after the withdrawal in tab A: ${late.map((e) => `+${e.time - t0} ms ${e.path}${e.query}`).join(", ")}`,
    );
  }
  const adn = (await s.cookies()).filter((c) => c.name === "_adn" || c.name === "_adn_px");
  if (adn.length) problems.push(`the advertising cookie(s) still exist ${WATCH_UNTIL_MS} ms after the withdrawal: ${adn.map((c) => `${c.name}=${c.value}`).join(", ")}`);
  const cB2 = await s.consent(B);
  if (cB2.purposes?.advertising !== false) problems.push(`tab B's Accord.consent() still grants advertising: ${JSON.stringify(cB2.purposes)}`);
  const cA = await s.consent(A);
  assert.equal(cA.purposes?.advertising, false, `test setup: tab A should have withdrawn advertising: ${JSON.stringify(cA)}`);
  assert.deepEqual(problems, [], `withdrawal in another tab:\n- ${problems.join("\n- ")}`);
});

test("tabs: the audience opt-out in tab A stops the exempt tool already running in tab B within 2 s (its click reports blocked, its cookies gone)", async (t) => {
  const s = await h.session(t);
  const A = s.page;
  await s.goto("/demo/confidentialite.html", A);
  await waitFor(() => h.trackerHits("audience", "/hit").length >= 1, { message: "the exempt audience tool in tab A" });

  const B = await s.newPage();
  await s.goto("/demo/produit.html", B);
  await waitFor(() => h.trackerHits("audience", "/hit").some((e) => e.query.includes("produit")), { message: "the exempt audience tool running in tab B" });
  // Test setup: tab B's tool reports clicks to /event while it may.
  await B.locator("h1").first().click();
  await waitFor(() => h.trackerHits("audience", "/event").length >= 1, { message: "test setup: tab B's tool reports an ordinary click" });

  await A.bringToFront();
  await A.getByRole("button", { name: "M'opposer à la mesure d'audience", exact: true }).first().click();
  const t0 = Date.now();
  await waitFor(async () => ((await s.consent(B)).objections || []).includes("audience"), {
    timeout: 2000,
    message: "tab B knows of the objection within 2 s",
  });
  await sleep(Math.max(0, t0 + 2000 - Date.now()));
  const from = Date.now();
  await B.bringToFront();
  await B.locator("h1").first().click(); // tab B's tool tries to report this click
  await sleep(1500);
  const late = h.trackerHits("audience").filter((e) => e.time >= from);
  const lateBrowser = s.requests.filter((q) => q.vendor === "audience" && q.time >= from);
  assert.deepEqual(late.map((e) => e.path + e.query), [], "tab B's tool reached its server after the objection in tab A");
  assert.equal(lateBrowser.length, 0, `tab B's browser requested the audience origin after the objection: ${lateBrowser.map((q) => q.url).join(", ")}`);
  const left = (await s.cookies()).filter((c) => c.name === "_aud_id" || c.name === "_aud_srv");
  assert.deepEqual(left.map((c) => c.name), [], "the tool's cookies are gone");
});
