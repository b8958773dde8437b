// SPEC §9: window.Accord exists as soon as accord.js ran; calls made before the module
// is ready are queued and replayed in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, waitFor } from "./harness.mjs";

const h = useHarness();

test("calls made before the module is ready are queued, then replayed in order", async (t) => {
  const s = await h.session(t);
  await s.goto("/__test/queued.html");
  const early = await s.page.evaluate(() => window.__queued.early);
  assert.equal(early.decided, false, "before the module, consent() says nothing is decided");
  assert.equal(early.pending, true, "before the module, consent() says it is pending");
  const c = await waitFor(() => s.page.evaluate(() => (Accord.consent().decided ? Accord.consent() : null)), {
    message: "the queued Accord.set calls to be replayed",
  });
  // The demo's audience purpose is exempt (SPEC §6): on until the person objects, so
  // choices about other purposes leave it on.
  assert.deepEqual(
    { audience: c.purposes.audience, advertising: c.purposes.advertising, video: c.purposes.video },
    { audience: true, advertising: true, video: true },
    "both queued set() calls applied, in order, the second keeping the first's grant; exempt audience untouched",
  );
  const q = await s.page.evaluate(() => window.__queued);
  assert.equal(q.readyCalls, 1, "Accord.on('ready') registered before the module fires once");
  assert.equal(q.changes.length, 2, "one accord:change per replayed decision");
  assert.equal(await s.page.evaluate(() => new Promise((ok) => Accord.on("ready", () => ok(true)))), true,
    "Accord.on('ready') registered after the fact answers at once");
});

test("a bad argument to Accord.set changes nothing and says why once (ACCORD_API_INVALID)", async (t) => {
  const s = await h.session(t);
  await s.goto("/");
  await waitFor(() => s.page.evaluate(() => !Accord.consent().pending), { message: "the module to be ready" });
  const r = await s.page.evaluate(() => {
    const errors = [];
    document.addEventListener("accord:error", (e) => errors.push(e.detail.code));
    Accord.set({ video: "oui" });
    Accord.set({ sante: true });
    Accord.set({ necessary: false });
    Accord.set("video");
    return { errors, consent: Accord.consent() };
  });
  assert.deepEqual(r.errors, ["ACCORD_API_INVALID", "ACCORD_API_INVALID", "ACCORD_API_INVALID", "ACCORD_API_INVALID"]);
  assert.equal(r.consent.decided, false, "no decision was recorded by a bad call");
  assert.equal(await s.cookie("accord"), null, "no record cookie was written");
});
