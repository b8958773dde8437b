// The demo against the real consent service (issue 16): Chromium clicks the real
// banner, the site forwards POST /consent-log to accord-server (crates/accord-server,
// `cargo build -p accord-server`), and the receipt is read back from its real SQLite
// file. The record cookie the server sets is the one the browser wrote, byte for byte.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { useHarness, NAMES, PURPOSES, UI_TIMEOUT, waitFor, button, banner, expectVisible, expectHidden } from "./harness.mjs";
import { useConsentService } from "./consent-service.mjs";
import { CONSENT_LOG_PATH } from "../../scripts/serve.mjs";

const h = useHarness();
const fr = NAMES.fr;
const svc = useConsentService(h);

/** The receipts in accord-server's database, read with Debian's sqlite3. */
function stored() {
  const file = svc.server.database.replace(/^sqlite:/, "");
  const out = spawnSync("sqlite3", ["-json", file, "SELECT receipt_id, record_id, action, body FROM receipts ORDER BY received_us"], { encoding: "utf8" });
  assert.equal(out.status, 0, `sqlite3 failed (is Debian's sqlite3 installed? scripts/setup.sh installs it): ${out.stderr}`);
  return out.stdout.trim() ? JSON.parse(out.stdout) : [];
}

/** Every answer of /consent-log the page got: { status, setCookie }. */
function answers(s) {
  const list = [];
  s.page.on("response", async (r) => {
    if (new URL(r.url()).pathname === CONSENT_LOG_PATH) list.push({ status: r.status(), setCookie: await r.headerValue("set-cookie") });
  });
  return list;
}

test("« Tout accepter »: the receipt is in accord-server's database, and its Set-Cookie is the browser's record cookie", async (t) => {
  const before = stored().length;
  const s = await h.session(t);
  const got = answers(s);
  await s.goto("/");
  await expectVisible(banner(s.page), "first layer");
  await button(s.page, fr.acceptAll).click();
  await waitFor(() => got.length >= 1, { message: `an answer from ${CONSENT_LOG_PATH}:\n${svc.server.log()}` });
  assert.equal(got[0].status, 201, `accord-server stored it: ${JSON.stringify(got)}\n${svc.server.log()}`);

  const c = await s.consent();
  const rows = stored();
  assert.equal(rows.length, before + 1, "one row more in the database");
  const row = rows.at(-1);
  assert.equal(row.record_id, c.record_id);
  assert.equal(row.action, "accept_all");
  const receipt = JSON.parse(row.body);
  for (const p of PURPOSES) assert.equal(receipt.purposes[p], true, `purpose ${p} granted in the stored receipt`);

  // The server's cookie is the browser's: same value, same expiry (the record's own).
  const jar = (await s.context.cookies()).find((k) => k.name === "accord");
  assert.ok(jar, "the record cookie is in the jar");
  assert.ok(got[0].setCookie, `the answer sets the record cookie:\n${svc.server.log()}`);
  const [pair, ...attrs] = got[0].setCookie.split("; ");
  assert.equal(pair, `accord=${jar.value}`, "the same record, byte for byte");
  const expires = attrs.find((a) => a.startsWith("Expires="))?.slice(8);
  assert.equal(Date.parse(expires) / 1000, Date.parse(c.expires_at) / 1000, "Expires is the record's expires_at");
  // (Chromium keeps the expiry below the second: compare whole seconds.)
  assert.equal(Math.floor(jar.expires), Date.parse(c.expires_at) / 1000, `the jar keeps it until then, not longer (${jar.expires})`);
  assert.ok(attrs.includes("Path=/") && attrs.includes("SameSite=Lax"), got[0].setCookie);
  assert.ok(!attrs.some((a) => /httponly/i.test(a)), "the widget reads it: not HttpOnly");
});

test("the service is down: « Tout refuser » is honoured at once, and the receipt reaches the database when it is back", async (t) => {
  await svc.server.stop("SIGKILL");
  const s = await h.session(t);
  await s.goto("/");
  await expectVisible(banner(s.page), "first layer");
  const t0 = Date.now();
  await button(s.page, fr.rejectAll).click();
  await expectHidden(banner(s.page), "the banner after « Tout refuser » with the consent service down", 1000);
  assert.ok(Date.now() - t0 < 1000, "a failing service never delays a refusal");
  const c = await s.consent();
  assert.equal(c.decided, true);
  assert.ok(!stored().some((r) => r.record_id === c.record_id), "nothing stored while it is down");

  // Back, on the same database: the next page sends the kept receipt, once.
  await svc.restart();
  await s.goto("/demo/produit.html");
  await waitFor(() => stored().some((r) => r.record_id === c.record_id), {
    message: `the kept receipt reaches the database on the next page:\n${svc.server.log()}`,
    timeout: UI_TIMEOUT,
  });
  const rows = stored().filter((r) => r.record_id === c.record_id);
  assert.equal(rows.length, 1, "stored once");
  assert.equal(rows[0].action, "refuse_all");
});
