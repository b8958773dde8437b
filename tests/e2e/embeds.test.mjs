// Held embeds keep their place and size (issue 13 item 2; SPEC §5: a placeholder « in its
// place and at its size »). The page tests/e2e/pages/embeds.html sizes four held frames the
// ways sites do: attributes on an inline frame, CSS on a block frame, a fluid 16:9 frame,
// a percentage attribute. The reference is the same page with JavaScript off (the frames
// laid out as the site wrote them, empty); with Accord, each placeholder must cover exactly
// its frame's box, nothing after it may move, and granting the video (« Autoriser et
// afficher ») loads the frames where they are, moving nothing either.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, sleep, waitFor, button, banner, expectVisible } from "./harness.mjs";

const h = useHarness();
const fr = NAMES.fr;
const FRAMES = ["a", "b", "c", "d"];
const PAGE = "/__test/embeds.html";

/** Each frame's box and the box of the paragraph after it, in page coordinates, rounded. */
const layout = (page) =>
  page.evaluate((ids) => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY), w: Math.round(r.width), h: Math.round(r.height) };
    };
    const out = {};
    for (const id of ids) {
      const frame = document.getElementById(id);
      out[id] = {
        frame: box(frame),
        after: box(document.getElementById(`after-${id}`)),
        placeholder: box(frame?.parentElement?.querySelector(":scope > .accord-placeholder")),
      };
    }
    return out;
  }, FRAMES);

test("held embeds: each placeholder is its frame's size, nothing moves, and granting moves nothing", async (t) => {
  // The reference: the page as the site wrote it, without any script.
  const ref = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  t.after(() => ref.close());
  const refPage = await ref.newPage();
  await refPage.goto(h.url(PAGE), { waitUntil: "load" });
  const want = await layout(refPage);
  t.diagnostic(`reference: ${JSON.stringify(want)}`);
  assert.deepEqual(
    Object.fromEntries(FRAMES.map((id) => [id, [want[id].frame.w, want[id].frame.h]])),
    { a: [324, 184], b: [400, 225], c: [480, 270], d: [304, 154] },
    "test setup: the frames' own sizes (a 2 px default border on a and d)",
  );

  const s = await h.session(t);
  const { page } = s;
  await s.goto(PAGE);
  await expectVisible(banner(page), "the first layer");
  await waitFor(async () => (await page.locator(".accord-placeholder").count()) === FRAMES.length, { message: "a placeholder over each held frame" });
  const held = await layout(page);
  for (const id of FRAMES) {
    assert.deepEqual(held[id].frame, want[id].frame, `frame ${id}: held, it keeps the box the site gave it`);
    assert.deepEqual(held[id].placeholder, want[id].frame, `frame ${id}: the placeholder covers exactly the frame's box`);
    assert.deepEqual(held[id].after, want[id].after, `frame ${id}: what follows it has not moved`);
  }
  assert.equal(s.trackerRequests("video").length, 0, "nothing loaded from the video vendor while held");

  await button(page, fr.rejectAll).click();
  await button(page, "Autoriser et afficher").first().click();
  await waitFor(() => h.trackerHits("video", "/embed/1").length >= FRAMES.length, { message: "the four frames loaded after « Autoriser et afficher »" });
  await waitFor(async () => (await page.locator(".accord-placeholder").count()) === 0, { message: "the placeholders gone" });
  await sleep(300);
  const shown = await layout(page);
  for (const id of FRAMES) {
    assert.deepEqual(shown[id].frame, want[id].frame, `frame ${id}: loaded where it was held, at the same size`);
    assert.deepEqual(shown[id].after, want[id].after, `frame ${id}: nothing after it moved when it loaded`);
  }
});
