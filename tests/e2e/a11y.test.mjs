// Keyboard use end to end, visible focus, and the English names (SPEC §3).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  useHarness,
  NAMES,
  PURPOSES,
  QUIET_MS,
  sleep,
  waitFor,
  button,
  banner,
  purposeToggle,
  expectVisible,
  expectHidden,
  noneVisible,
  tabTo,
  activeElementInfo,
  textContrasts,
} from "./harness.mjs";

// Written about consent mode: the demo's audience purpose needs consent here (the exempt
// default is tested in audience.test.mjs).
const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;
const en = NAMES.en;

/** True when the focused element (through open shadow roots) is inside `locator`'s element. */
const focusInside = (locator) =>
  locator.evaluate((el) => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return !!a && a !== document.body && el.contains(a);
  });

test("9. keyboard only: Tab into the banner, Enter on Personnaliser, Space ticks, Enter saves, focus returns to the page", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  const first = banner(page).first();
  await expectVisible(first, "first layer");
  await waitFor(() => focusInside(first), {
    timeout: 2000,
    message: "focus moved into the first layer when it opened (document.activeElement inside it)",
  });
  const firstHandle = await first.elementHandle();

  // Tab reaches each of the three buttons.
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize]) {
    const n = await tabTo(page, button(page, name), `Tab to "${name}"`);
    t.diagnostic(`"${name}" reached after ${n} Tab press(es)`);
  }
  await tabTo(page, button(page, fr.customize), `Tab to "${fr.customize}"`);
  await page.keyboard.press("Enter");

  const ads = purposeToggle(page, fr.purposes.advertising).first();
  await expectVisible(ads, `preferences opened by Enter on "${fr.customize}"`);
  await tabTo(page, ads, `Tab to "${fr.purposes.advertising}"`);
  assert.equal(await ads.isChecked(), false, "the advertising box must start unchecked");
  await page.keyboard.press("Space");
  await waitFor(() => ads.isChecked(), { timeout: 1000, message: "Space checked « Publicité personnalisée »" });
  const prefsHandle = await ads.evaluateHandle((el) => el.closest("dialog, [role=dialog], [role=alertdialog], [role=region]") || el.parentElement);

  const save = button(page, fr.save);
  await tabTo(page, save, `Tab to "${fr.save}"`);
  assert.equal(await ads.isChecked(), true, "tabbing unchecked the box");
  await page.keyboard.press("Enter");
  await expectHidden(purposeToggle(page, fr.purposes.advertising), "the preferences after Enter on « Enregistrer mes choix »");

  const c = await s.consent();
  assert.equal(c.decided, true, `record after the keyboard choice: ${JSON.stringify(c)}`);
  assert.deepEqual(
    { audience: c.purposes?.audience, advertising: c.purposes?.advertising, video: c.purposes?.video },
    { audience: false, advertising: true, video: false },
    "the record must reflect exactly what was ticked with the keyboard",
  );

  await sleep(200);
  const focus = await page.evaluate(
    ([prefs, firstLayer]) => {
      let a = document.activeElement;
      while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      return {
        exists: !!a,
        isBody: a === document.body || a === document.documentElement,
        connected: !!a && a.isConnected,
        inPrefs: !!a && !!prefs && prefs.contains(a),
        inFirstLayer: !!a && !!firstLayer && firstLayer.contains(a),
        visible: !!a && a.getClientRects().length > 0,
      };
    },
    [prefsHandle, firstHandle],
  );
  const where = await activeElementInfo(page);
  t.diagnostic(`focus after saving: ${JSON.stringify(where)}`);
  assert.ok(focus.exists, "document.activeElement is null after saving");
  assert.ok(focus.connected, "focus was left on a removed node");
  // When the focused node is removed or hidden, browsers fall back to <body>: that is
  // focus lost, not focus returned to the page.
  assert.ok(!focus.isBody, "focus was lost (document.activeElement is <body>) when the dialog closed; it should return to an element of the page, e.g. the reopen button");
  assert.ok(!focus.inPrefs, `focus stayed inside the closed preferences dialog: ${JSON.stringify(where)}`);
  assert.ok(!focus.inFirstLayer, `focus stayed inside the closed first layer: ${JSON.stringify(where)}`);
  assert.ok(focus.visible, `focus is on an element that is not rendered: ${JSON.stringify(where)}`);
});

test("9b. Escape on a fresh banner refuses, like « Fermer sans accepter »", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  await sleep(300);
  await page.keyboard.press("Escape");
  await expectHidden(banner(page), "the banner after Escape");
  await waitFor(() => s.cookie("accord"), { message: "the accord cookie after Escape" });
  const c = await s.consent();
  assert.equal(c.decided, true, `Escape must record a refusal: ${JSON.stringify(c)}`);
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], false, `purpose ${p} after Escape: ${JSON.stringify(c.purposes)}`);
  await expectVisible(button(page, fr.reopen), "reopen button after Escape");
  await sleep(QUIET_MS);
  s.assertNoTraffic("after Escape");
});

test("9c. keyboard focus is visible on the banner's controls", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize, fr.close]) {
    const b = button(page, name);
    await tabTo(page, b, `Tab to "${name}"`);
    // (The style reader is written out twice: the page's CSP forbids building it with eval.)
    const focused = await b.evaluate((el) => {
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0 ? `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}` : "none";
      return { matches: el.matches(":focus-visible"), style: { outline, boxShadow: cs.boxShadow, background: cs.backgroundColor } };
    });
    assert.ok(focused.matches, `"${name}" is focused by Tab but does not match :focus-visible`);
    const rested = await b.evaluate((el) => {
      el.blur();
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0 ? `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}` : "none";
      return { outline, boxShadow: cs.boxShadow, background: cs.backgroundColor };
    });
    const indicator = focused.style.outline !== "none" || (focused.style.boxShadow !== "none" && focused.style.boxShadow !== rested.boxShadow);
    assert.ok(
      indicator,
      `"${name}" shows no focus indicator (outline or box-shadow) when focused: focused ${JSON.stringify(focused.style)}, rest ${JSON.stringify(rested)}`,
    );
  }
});

test("10. English page: English names for the banner and the reopen control", async (t) => {
  const s = await h.session(t, { locale: "fr-FR" }); // the page's lang decides, not the browser's
  const { page } = s;
  await s.goto("/demo/en/index.html");
  await expectVisible(banner(page, "en"), `English first layer (holding "${en.acceptAll}")`);
  for (const name of [en.acceptAll, en.rejectAll, en.customize, en.close]) {
    await expectVisible(button(page, name), `English button "${name}"`, 1000);
  }
  const partners = page.getByRole("button", { name: en.partners, exact: true }).or(page.getByRole("link", { name: en.partners, exact: true }));
  await expectVisible(partners, `English control "${en.partners}"`, 1000);
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize, fr.close]) {
    assert.equal(await button(page, name).count(), 0, `French button "${name}" on the English page`);
  }

  await button(page, en.customize).click();
  for (const p of PURPOSES) {
    await expectVisible(purposeToggle(page, en.purposes[p]), `English checkbox "${en.purposes[p]}"`);
  }
  await expectVisible(button(page, en.save), `English button "${en.save}"`, 1000);
  await button(page, en.save).click();
  await expectVisible(button(page, en.reopen), `English reopen button "${en.reopen}"`);
  assert.equal(await button(page, fr.reopen).count(), 0, `French reopen button "${fr.reopen}" on the English page`);
  const c = await s.consent();
  assert.equal(c.decided, true);
  for (const p of PURPOSES) assert.equal(c.purposes?.[p], false, `saving with nothing ticked must refuse ${p}`);

  // A later visit to an English page shows only the reopen control, in English.
  await s.goto("/demo/en/index.html");
  await expectVisible(button(page, en.reopen), `English reopen button "${en.reopen}" on the next visit`);
  await sleep(500);
  assert.ok(await noneVisible(banner(page, "en")), "the English banner came back although a choice exists");
  s.assertNoTraffic("English pages after saving nothing");

  // And "Reject all" works as the one-click refusal on a fresh English visit.
  const s2 = await h.session(t);
  await s2.goto("/demo/en/index.html");
  await expectVisible(button(s2.page, en.rejectAll), `English button "${en.rejectAll}"`);
  await button(s2.page, en.rejectAll).click();
  await expectVisible(button(s2.page, en.reopen), `English reopen button "${en.reopen}" after "${en.rejectAll}"`);
  const c2 = await s2.consent();
  for (const p of PURPOSES) assert.equal(c2.purposes?.[p], false, `"${en.rejectAll}" must refuse ${p}`);
});

test("15. reflow at 320 px (WCAG 1.4.10): every layer fits, no sideways scrolling, the three choices in view on arrival, every control reachable", async (t) => {
  const s = await h.session(t, { viewport: { width: 320, height: 640 } });
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer at 320 px");
  const fits = async (what) => {
    const r = await page.evaluate(() => {
      const layer = document.querySelector("#accord-root [role=dialog]");
      const box = layer ? layer.getBoundingClientRect() : null;
      return { scroll: document.documentElement.scrollWidth, view: window.innerWidth, left: box && box.left, right: box && box.right };
    });
    assert.ok(r.scroll <= r.view, `${what}: the page scrolls sideways (${r.scroll} > ${r.view})`);
    assert.ok(r.left >= 0 && r.right <= r.view, `${what}: the dialog overflows the viewport (${r.left}..${r.right} of ${r.view})`);
  };
  await fits("first layer");
  // On arrival, without any scrolling, the three choices are in view and on top (the
  // banner's text scrolls above them), and so is the refusal sentence.
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize]) {
    const seen = await button(page, name).first().evaluate((b) => {
      const r = b.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { inView: r.top >= 0 && r.bottom <= innerHeight, onTop: top === b || b.contains(top) };
    });
    assert.deepEqual(seen, { inView: true, onTop: true }, `"${name}" should be visible at 320 × 640 without scrolling`);
  }
  const refusal = await page.getByText("Vous pouvez refuser", { exact: false }).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  assert.ok(refusal, "« Vous pouvez refuser … » should be visible at 320 × 640 without scrolling");
  for (const name of [fr.acceptAll, fr.rejectAll, fr.customize, fr.close]) {
    const b = button(page, name).first();
    await b.scrollIntoViewIfNeeded();
    const box = await b.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `"${name}" is cut off at 320 px: ${JSON.stringify(box)}`);
  }
  await button(page, fr.customize).click();
  await expectVisible(purposeToggle(page, fr.purposes.video), "preferences at 320 px");
  await fits("preferences");
  const save = button(page, fr.save).first();
  await save.scrollIntoViewIfNeeded();
  await save.click();
  await expectVisible(button(page, fr.reopen), "the reopen control at 320 px");
  const c = await s.consent();
  assert.equal(c.decided, true, "the choice saved at 320 px");
});

/** The reader's text size doubled (WCAG 1.4.4), as Chromium's own font-size setting does. */
async function doubleText(s) {
  const cdp = await s.context.newCDPSession(s.page);
  await cdp.send("Page.enable");
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: 32, fixed: 26 } });
}

/** Overflow of the open layer at the current size: the page's, the layer's, and any control or text past the viewport. */
async function overflow(page) {
  return page.evaluate(() => {
    const layer = document.querySelector("#accord-root [role=dialog]");
    const out = { page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth, layer: null, outside: [] };
    if (!layer) return out;
    out.layer = { scroll: layer.scrollWidth, client: layer.clientWidth };
    for (const el of layer.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(el).position === "absolute") continue;
      if (r.left < -0.5 || r.right > out.view + 0.5) out.outside.push(`${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out;
  });
}

test("15b. reflow at 320 px with 200 % text (WCAG 1.4.4 + 1.4.10): no sideways scrolling in any layer, « Tout accepter » and « Tout refuser » in view together and of the same size", async (t) => {
  const s = await h.session(t, { viewport: { width: 320, height: 640 } });
  const { page } = s;
  await doubleText(s);
  await s.goto("/");
  await expectVisible(banner(page), "first layer at 320 px, 200 % text");
  const root = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.equal(root, "32px", "test setup: the reader's text size is doubled");
  const fits = async (what) => {
    const o = await overflow(page);
    t.diagnostic(`${what}: ${JSON.stringify(o)}`);
    assert.ok(o.page <= o.view, `${what}: the page scrolls sideways (${o.page} px of content in ${o.view})`);
    assert.ok(o.layer && o.layer.scroll <= o.layer.client, `${what}: the layer's content overflows its box (${o.layer?.scroll} px in ${o.layer?.client})`);
    assert.deepEqual(o.outside, [], `${what}: past the viewport`);
  };
  await fits("first layer");
  const seen = await page.evaluate(({ a, r }) => {
    const find = (name) => [...document.querySelectorAll("#accord-root button")].find((b) => b.textContent.trim() === name);
    return [a, r].map((name) => {
      const b = find(name);
      const box = b.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return { inView: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth, onTop: top === b || b.contains(top), width: Math.round(box.width), height: Math.round(box.height), font: getComputedStyle(b).fontSize };
    });
  }, { a: fr.acceptAll, r: fr.rejectAll });
  t.diagnostic(JSON.stringify(seen));
  for (const [i, name] of [fr.acceptAll, fr.rejectAll].entries()) {
    assert.ok(seen[i].inView && seen[i].onTop, `« ${name} » is in view and on top on arrival: ${JSON.stringify(seen[i])}`);
    assert.ok(parseFloat(seen[i].font) >= 32, `« ${name} » keeps the enlarged text (${seen[i].font})`);
  }
  assert.deepEqual([seen[1].width, seen[1].height], [seen[0].width, seen[0].height], "« Tout accepter » and « Tout refuser » are the same size");

  await page.getByRole("button", { name: fr.partners, exact: true }).first().click();
  await expectVisible(page.getByRole("dialog", { name: "Nos partenaires" }), "the partners layer");
  await fits("partners");
  const back = page.locator("#accord-root .accord-partners .accord-actions button");
  await back.scrollIntoViewIfNeeded();
  await back.click();
  await expectVisible(banner(page), "first layer again");
  await button(page, fr.customize).click();
  await expectVisible(purposeToggle(page, fr.purposes.video), "preferences at 320 px, 200 % text");
  await fits("preferences");
  const save = button(page, fr.save).first();
  await save.scrollIntoViewIfNeeded();
  await save.click();
  await expectVisible(button(page, fr.reopen), "the reopen control");
  assert.equal((await s.consent()).decided, true, "the choice saved at 320 px with 200 % text");
});

test("16. contrast (WCAG 1.4.3): every text of the banner and the preferences is at least 4.5:1 on its background", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/");
  await expectVisible(banner(page), "first layer");
  const measure = () => textContrasts(page, "#accord-root [role=dialog] *");
  const check = (list, where) => {
    assert.ok(list.length > 5, `${where}: texts measured (${list.length})`);
    const low = list.filter((x) => x.ratio < 4.5);
    assert.deepEqual(low, [], `${where}: texts under 4.5:1`);
  };
  check(await measure(), "first layer");
  await button(page, fr.customize).click();
  await expectVisible(purposeToggle(page, fr.purposes.video), "preferences");
  check(await measure(), "preferences");
});

test("17. focus not obscured (WCAG 2.4.11): the floating « Gérer mes cookies » steps aside for a focused control under it (the other bottom corner, else the top) and stays reachable", async (t) => {
  const s = await h.session(t);
  const { page } = s;
  await s.goto("/__test/corner.html");
  await expectVisible(banner(page), "first layer");
  await button(page, fr.acceptAll).click();
  const reopen = button(page, fr.reopen);
  await expectVisible(reopen, "the reopen control after « Tout accepter »");

  const rect = (sel) => page.evaluate((q) => {
    const r = document.querySelector(q).getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }, sel);
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const reopenRect = () => rect(".accord-reopen");

  const home = await reopenRect();
  const vh = await page.evaluate(() => innerHeight);
  assert.ok(home.left < 100 && home.bottom > vh - 40, `the reopen control starts in the bottom-left corner: ${JSON.stringify(home)}`);
  assert.ok(overlap(home, await rect("#corner")), `test setup: in its corner the reopen control covers #corner: ${JSON.stringify(home)} / ${JSON.stringify(await rect("#corner"))}`);
  assert.ok(overlap(home, await rect("#bar")), "test setup: in its corner the reopen control covers #bar");

  await tabTo(page, page.locator("#top"), "the link at the top of the page");
  assert.deepEqual(await reopenRect(), home, "focus far from the corner: the reopen control stays where it is");

  for (const [id, where] of [["#bar", "a bar across the whole bottom"], ["#corner", "a link in the bottom-left corner"]]) {
    await tabTo(page, page.locator(id), where);
    const r = await waitFor(async () => {
      const now = await reopenRect();
      return overlap(now, await rect(id)) ? null : now;
    }, { timeout: 1000, message: `the reopen control still covers the focused ${where} (${id}): ${JSON.stringify(await reopenRect())} over ${JSON.stringify(await rect(id))}` });
    t.diagnostic(`${id} focused: reopen control at ${JSON.stringify(r)}`);
  }

  // Still in the tab order, and back home once it has the focus itself or the focus moves away.
  await tabTo(page, reopen, "the reopen control after the page's last link", 3);
  await expectVisible(reopen, "the reopen control with the focus");
  await page.locator("#top").focus();
  await waitFor(async () => JSON.stringify(await reopenRect()) === JSON.stringify(home), { timeout: 1000, message: "the reopen control back in its corner once the focus left the bottom" });
  await reopen.press("Enter");
  await expectVisible(page.getByRole("dialog"), "Enter on the reopen control opens the preferences");
});

// Issue 13, 1: « Fermer sans accepter » rendered at 14 px on a 16 px page. Refusing (by
// closing too) must be as legible as accepting (EDPB cookie banner taskforce, 2023):
// every control of every layer is at least the page's body text size, on the demo (16 px)
// and on a page whose text is 18 px.
for (const [label, path] of [["the demo (16 px text)", "/"], ["an 18 px page", "/__test/large-text.html"]]) {
  test(`18. every control of every layer is at least the page's body text size: ${label}`, async (t) => {
    const s = await h.session(t);
    const { page } = s;
    await s.goto(path);
    await expectVisible(banner(page), "the first layer");
    const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    const smaller = (layer) =>
      page.evaluate(
        ({ layer, body }) => {
          const root = document.getElementById("accord-root");
          const out = [];
          for (const el of root.querySelectorAll("button, a, input, label, summary, select, [role=button]")) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") continue;
            const px = parseFloat(getComputedStyle(el).fontSize);
            if (px + 0.01 < body) out.push(`${layer}: "${(el.textContent || el.getAttribute("aria-label") || el.tagName).trim().slice(0, 40)}" is ${px}px`);
          }
          return out;
        },
        { layer, body },
      );
    const problems = [];
    problems.push(...(await smaller("first layer")));
    const sizes = await page.evaluate(({ a, c }) => {
      const find = (name) => [...document.querySelectorAll("#accord-root button")].find((b) => (b.getAttribute("aria-label") || b.textContent).trim().startsWith(name));
      return [a, c].map((n) => parseFloat(getComputedStyle(find(n)).fontSize));
    }, { a: fr.acceptAll, c: fr.close });
    assert.equal(sizes[1], sizes[0], `« ${fr.close} » is the size of « ${fr.acceptAll} » (${sizes.join(" vs ")} px)`);
    await button(page, fr.customize).click();
    await expectVisible(purposeToggle(page, fr.purposes.advertising), "the preferences");
    problems.push(...(await smaller("preferences")));
    const partners = page.getByRole("button", { name: fr.partners, exact: true }).or(page.getByRole("link", { name: fr.partners, exact: true }));
    await partners.first().click();
    await sleep(200);
    problems.push(...(await smaller("partners")));
    await page.keyboard.press("Escape");
    await s.goto(path);
    const reject = button(page, fr.rejectAll);
    if (await reject.isVisible().catch(() => false)) await reject.click();
    await expectVisible(button(page, fr.reopen), `« ${fr.reopen} »`);
    problems.push(...(await smaller("reopen control")));
    assert.ok(body >= 16, `test setup: the page's body text is ${body}px`);
    assert.deepEqual(problems, [], `controls smaller than the page's ${body}px body text`);
  });
}
