// The split (issue 15): every page loads the page's module (no Yew); the dialogs module
// (Yew: the preferences, the partner list) is fetched only when one of them must show,
// or as soon as a pointer comes near a button that opens one; the forms module only on
// a page with a form block, a sensitive field or a guarded field. If the dialogs module
// cannot be had, the page says so (ACCORD_DIALOGS_UNAVAILABLE), the person stays where
// they were, nothing gated runs, and the next click tries again; if the forms module
// cannot be had (ACCORD_FORMS_UNAVAILABLE), the sensitive and guarded fields stay
// disabled, so nothing is submitted without the box that allows it. Counted in the real
// browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useHarness, NAMES, QUIET_MS, sleep, waitFor, button, banner, purposeToggle, expectVisible, expectHidden } from "./harness.mjs";

const h = useHarness({ audienceBasis: "consent" });
const fr = NAMES.fr;

/** Every request for Accord's own files (/accord/…), by file name, in order. */
function accordFiles(s) {
  const seen = [];
  s.context.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/accord/")) seen.push(u.pathname.slice("/accord/".length));
  });
  return seen;
}
const PAGE_MODULE = ["accord.css", "accord.js", "accord_widget.js", "accord_widget_bg.wasm"];
const isDialogs = (name) => name.startsWith("accord_dialogs");
const FORMS_MODULE = ["accord_forms.js", "accord_forms_bg.wasm"];

test("first and returning visits load only the page's module; no dialogs module, so no Yew", async (t) => {
  const s = await h.session(t);
  const files = accordFiles(s);
  await s.goto("/");
  await expectVisible(banner(s.page), "the first layer");
  await sleep(QUIET_MS);
  assert.deepEqual([...new Set(files)].sort(), PAGE_MODULE, "a first visit downloads the loader, the styles and the page's module");
  await button(s.page, fr.acceptAll).click();
  await expectHidden(banner(s.page), "the first layer after « Tout accepter »");
  // The focus moves to « Gérer mes cookies » by itself after the decision: that fetches
  // nothing either.
  await expectVisible(button(s.page, fr.reopen), "« Gérer mes cookies » after the decision");
  await sleep(QUIET_MS);
  assert.deepEqual([...new Set(files)].sort(), PAGE_MODULE, "a first visit, decision included, downloads no other module");
  files.splice(0);
  await s.goto("/demo/sans-balises.html");
  await expectVisible(button(s.page, fr.reopen), "« Gérer mes cookies » on a returning visit");
  await sleep(QUIET_MS);
  assert.deepEqual([...new Set(files)].sort(), PAGE_MODULE, "a returning visit downloads no dialogs module");
  const c = await s.consent();
  assert.equal(c.decided, true);
});

test("« Personnaliser » fetches the dialogs module once: the preferences show, focused; reopening needs no second fetch", async (t) => {
  const s = await h.session(t);
  const files = accordFiles(s);
  await s.goto("/");
  await expectVisible(banner(s.page), "the first layer");
  assert.equal(files.filter(isDialogs).length, 0, "nothing of the dialogs before a dialog is asked for");
  await button(s.page, fr.customize).click();
  const prefs = s.page.getByRole("dialog", { name: "Personnaliser mes choix" });
  await expectVisible(prefs, "the preferences");
  await waitFor(() => s.page.evaluate(() => !!document.activeElement?.closest(".accord-prefs")), {
    message: "the focus moved into the preferences",
  });
  assert.deepEqual(files.filter(isDialogs).sort(), ["accord_dialogs.js", "accord_dialogs_bg.wasm"]);
  // Close (a refusal: nothing was decided), then reopen from « Gérer mes cookies ».
  await s.page.keyboard.press("Escape");
  await expectHidden(prefs, "the preferences after Escape");
  await button(s.page, fr.reopen).click();
  await expectVisible(prefs, "the preferences again");
  await expectVisible(purposeToggle(s.page, "Publicité personnalisée"), "a purpose's checkbox");
  assert.equal(files.filter(isDialogs).length, 2, "the dialogs module is fetched once per page");
  s.assertNoTraffic("after a refusal and a reopening");
});

test("a pointer over « Personnaliser » starts fetching the dialogs module before the click", async (t) => {
  const s = await h.session(t);
  const files = accordFiles(s);
  await s.goto("/");
  await expectVisible(banner(s.page), "the first layer");
  await button(s.page, fr.customize).hover();
  await waitFor(() => files.includes("accord_dialogs_bg.wasm"), { message: "the dialogs module requested on hover" });
  assert.ok(await banner(s.page).isVisible(), "hovering changes nothing on screen");
});

const dialogsErrors = async (s) =>
  (await s.events(s.page, "accord:error")).filter((e) => e.detail?.code === "ACCORD_DIALOGS_UNAVAILABLE").length;

test("the dialogs module's glue aborted: one ACCORD_DIALOGS_UNAVAILABLE, back on the first layer, nothing decided; the next click tries again", async (t) => {
  // Chromium fetches a module whose import failed again when it is imported again, so a
  // click after the failure can still open the preferences.
  const s = await h.session(t);
  const isGlue = (u) => u.pathname === "/accord/accord_dialogs.js";
  await s.context.route(isGlue, (route) => route.abort("blockedbyclient"));
  await s.goto("/");
  await expectVisible(banner(s.page), "the first layer");
  await button(s.page, fr.customize).click();
  await waitFor(async () => (await dialogsErrors(s)) >= 1, { message: "one accord:error ACCORD_DIALOGS_UNAVAILABLE" });
  await waitFor(() => s.page.evaluate(() => !!document.activeElement?.classList.contains("accord-banner")), {
    message: "the focus back on the first layer",
  });
  await button(s.page, fr.customize).hover();
  await sleep(QUIET_MS);
  assert.equal(await dialogsErrors(s), 1, "a pointer passing by after a failure fetches nothing and raises nothing");
  assert.equal((await s.consent()).decided, false);
  s.assertNoTraffic("after the dialogs glue failed");
  await s.context.unroute(isGlue);
  await button(s.page, fr.customize).click();
  await expectVisible(s.page.getByRole("dialog", { name: "Personnaliser mes choix" }), "the preferences, once the glue can be had");
  await button(s.page, fr.rejectAll).click();
  await expectHidden(banner(s.page), "the first layer after « Tout refuser »");
  const after = await s.consent();
  assert.equal(after.decided, true);
  for (const p of ["audience", "advertising", "video"]) assert.equal(after.purposes[p], false, `${p} refused: ${JSON.stringify(after)}`);
});

for (const [how, answer] of [
  ["aborted", (route) => route.abort("blockedbyclient")],
  ["HTTP 404", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "404\n" })],
]) {
  test(`the dialogs module ${how}: ACCORD_DIALOGS_UNAVAILABLE, the first layer stays, nothing gated runs; the next click tries again`, async (t) => {
    const s = await h.session(t);
    let refused = 0;
    const isDialogsWasm = (u) => u.pathname === "/accord/accord_dialogs_bg.wasm";
    await s.context.route(isDialogsWasm, (route) => (refused++, answer(route)));
    await s.goto("/");
    await expectVisible(banner(s.page), "the first layer");
    await button(s.page, fr.customize).click();
    await waitFor(async () => (await s.events(s.page, "accord:error")).some((e) => e.detail?.code === "ACCORD_DIALOGS_UNAVAILABLE"), {
      message: "one accord:error ACCORD_DIALOGS_UNAVAILABLE",
    });
    assert.ok(refused >= 1, "the dialogs module was asked for");
    await expectVisible(banner(s.page), "the first layer, still there");
    await waitFor(() => s.page.evaluate(() => !!document.activeElement?.classList.contains("accord-banner")), {
      message: "the focus back on the first layer (the dialog is back on it, not waiting for the preferences)",
    });
    assert.equal(await s.page.getByRole("dialog", { name: "Personnaliser mes choix" }).count(), 0, "no preferences");
    const c = await s.consent();
    assert.equal(c.decided, false, `nothing was decided for the person: ${JSON.stringify(c)}`);
    await sleep(QUIET_MS);
    s.assertNoTraffic("after the dialogs module failed");
    assert.deepEqual(await s.trackerCookies(), [], "no tracker cookie");
    // The first layer still works: the person can refuse in one click.
    await s.context.unroute(isDialogsWasm);
    await button(s.page, fr.customize).click();
    await expectVisible(s.page.getByRole("dialog", { name: "Personnaliser mes choix" }), "the preferences, once the module can be had");
    await button(s.page, fr.rejectAll).click();
    const after = await s.consent();
    assert.equal(after.decided, true);
    for (const p of ["audience", "advertising", "video"]) assert.equal(after.purposes[p], false, `${p} refused: ${JSON.stringify(after)}`);
  });
}

test("a page with a form fetches the forms module; the prospection block and the guards are there", async (t) => {
  const s = await h.session(t);
  const files = accordFiles(s);
  await s.goto("/demo/souscription.html");
  await expectVisible(s.page.getByRole("group", { name: "Vos choix pour recevoir nos offres" }), "the prospection block");
  assert.deepEqual([...new Set(files)].filter((f) => f.startsWith("accord_forms")).sort(), FORMS_MODULE);
  assert.equal(files.filter(isDialogs).length, 0, "no dialogs module for a form");
  assert.equal(await s.page.locator("#syndicat").isDisabled(), true, "a sensitive field waits for its box");
});

for (const [how, answer] of [
  ["aborted", (route) => route.abort("blockedbyclient")],
  ["HTTP 404", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "404\n" })],
]) {
  test(`the forms module ${how}: ACCORD_FORMS_UNAVAILABLE, sensitive and guarded fields disabled, no box offered; the banner still works`, async (t) => {
    const s = await h.session(t);
    let refused = 0;
    const isFormsWasm = (u) => u.pathname === "/accord/accord_forms_bg.wasm";
    await s.context.route(isFormsWasm, (route) => (refused++, answer(route)));
    await s.goto("/demo/souscription.html");
    await waitFor(async () => (await s.events(s.page, "accord:error")).some((e) => e.detail?.code === "ACCORD_FORMS_UNAVAILABLE"), {
      message: "one accord:error ACCORD_FORMS_UNAVAILABLE",
    });
    assert.ok(refused >= 1, "the forms module was asked for");
    for (const id of ["syndicat", "photo", "code_client"]) {
      assert.equal(await s.page.locator(`#${id}`).isDisabled(), true, `#${id} stays disabled`);
    }
    assert.equal(await s.page.locator("input[data-accord-box]").count(), 0, "no prospection box without the module");
    assert.equal(await s.page.locator("#nom").isDisabled(), false, "the rest of the form stays usable");
    await button(s.page, fr.rejectAll).click();
    await expectHidden(banner(s.page), "the first layer after « Tout refuser »");
    assert.equal((await s.consent()).decided, true);
  });
}

test("until the forms module comes, sensitive and guarded fields are held closed; then what was typed is judged", async (t) => {
  const s = await h.session(t);
  const isFormsWasm = (u) => u.pathname === "/accord/accord_forms_bg.wasm";
  let release;
  const arrived = new Promise((r) => (release = r));
  await s.context.route(isFormsWasm, async (route) => {
    await arrived;
    await route.continue();
  });
  await s.goto("/demo/souscription.html");
  await expectVisible(banner(s.page), "the first layer");
  for (const id of ["syndicat", "photo", "code_client"]) {
    await waitFor(() => s.page.locator(`#${id}`).isDisabled(), { message: `#${id} held closed before the forms module` });
  }
  // What an autofill could put there before the guard comes: a NIR with its key.
  await s.page.evaluate(() => { document.getElementById("code_client").value = "1 84 12 76 451 089 46"; });
  release();
  await waitFor(() => s.page.locator("#code_client").isEnabled(), { message: "the guarded field opened by the forms module" });
  await waitFor(async () => (await s.page.locator("#code_client").getAttribute("aria-invalid")) === "true", {
    message: "the NIR typed before the guard came is refused at once",
  });
  assert.equal(await s.page.locator("#syndicat").isDisabled(), true, "a sensitive field still waits for its box");
  assert.equal(await s.page.locator("#code_client").getAttribute("data-accord-held"), null, "the hold mark is gone");
});
