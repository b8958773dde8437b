// A module that arrives after the loader's 10 s limit (issue 13 item 5: a slow mobile
// network). The loader still fails closed at 10 s: one accord:error ACCORD_MODULE_TIMEOUT,
// and what it held (an advertising pixel inserted before any answer) is dropped for good.
// When the module does arrive it boots as usual: the banner shows, a choice is recorded,
// and what is granted loads from then on (the declared tag, a pixel inserted after the
// choice); the dropped pixel never loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, sleep, waitFor, button, banner, expectVisible, expectHidden, noneVisible } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const isWasm = (url) => /\/accord\/[^/]+\.wasm$/.test(url.pathname);
const DELAY_MS = 12_000;
const hits = (r) => h.servers.log.filter((e) => e.vendor === "advertising" && e.r === r);

test("a module later than 10 s: fails closed at 10 s, then boots when it arrives: banner, choice, what is granted loads from then on", async (t) => {
  const s = await h.session(t);
  const { page, context } = s;
  let delivered = 0;
  await context.route(isWasm, async (route) => {
    await new Promise((r) => setTimeout(r, DELAY_MS).unref());
    try {
      await route.continue();
      delivered++;
    } catch {
      /* the page went away */
    }
  });
  const started = Date.now();
  await page.goto(h.url("/__test/late.html"), { waitUntil: "domcontentloaded" });

  // At 10 s: failed closed, one error, no banner, nothing loaded.
  const error = await waitFor(async () => (await s.events(page, "accord:error"))[0], { timeout: 11_500, message: "accord:error at the 10 s limit" });
  assert.equal(error.detail?.code, "ACCORD_MODULE_TIMEOUT");
  assert.ok(Date.now() - started < DELAY_MS, "test setup: the module was still on its way when the loader gave up");
  assert.ok(await noneVisible(button(page, fr.acceptAll)), "no banner before the module arrives");
  assert.equal(s.trackerRequests("advertising").length, 0, `nothing loaded before the module:\n${s.describeRequests()}`);

  // The module arrives: the banner shows, and the page is still failed closed for what it held.
  await expectVisible(banner(page), "the first layer once the late module arrives", 10_000);
  assert.equal(delivered, 1, "test setup: the module was delivered late");
  const ready = await s.events(page, "accord:ready");
  assert.equal(ready.length, 1, `accord:ready once the module booted: ${JSON.stringify(ready)}`);
  assert.equal((await s.consent()).decided, false, "no choice assumed");
  await sleep(500);
  assert.equal(s.trackerRequests("advertising").length, 0, `nothing loaded before a choice:\n${s.describeRequests()}`);

  // The person accepts: the tag loads, a pixel inserted from now on loads, the dropped one never.
  await button(page, fr.acceptAll).click();
  await expectHidden(banner(page), "the first layer after « Tout accepter »");
  await waitFor(() => hits("late-tag").length === 1, { message: "the declared advertising tag loaded after « Tout accepter »" });
  await page.evaluate(() => window.insertPixel("late-after"));
  await waitFor(() => hits("late-after").length === 1, { message: "a pixel inserted after the choice loaded" });
  await sleep(1000);
  assert.equal(hits("late-early").length, 0, "the pixel held before the 10 s limit was dropped for good");
  assert.equal((await s.consent()).decided, true, "the choice is recorded");
  assert.equal((await s.events(page, "accord:error")).length, 1, "still exactly one accord:error");
});
