#!/usr/bin/env node
// Demo and test server for Accord: one Node process, no dependencies.
//
//   node scripts/serve.mjs            site on http://127.0.0.1:8080 (dist/), trackers on 8081-8084
//   PORT=9000 ROOT=dist node scripts/serve.mjs   site on 9000, trackers on 9001-9004
//
// - The site server serves `root` statically. Every HTML response carries a strict
//   Content-Security-Policy with a fresh nonce per request, and every `__CSP_NONCE__` in
//   the HTML is replaced by that nonce (the demo's inline tagged scripts carry it).
//   No 'unsafe-inline' anywhere: the banner must work without inline script or style.
// - Three fake tracker servers, one origin each (= one vendor each): audience (8081),
//   advertising (8082), video (8083), and a fourth origin no vendor declares, "unknown"
//   (8084, for the `unknown_hosts` tests). Every request they receive is appended to `log`
//   (WebSocket upgrades too); GET /__log on a tracker port shows that port's hits as JSON
//   (and is not logged). Endpoints on every tracker port, for the firewall tests:
//     /t/<technique>      logs the hit and answers a small body of the type the request
//                         asks for (Sec-Fetch-Dest, or ?as=gif|js|html|css|json|sse|media):
//                         a GIF for images, JS for scripts (the script writes the vendor's
//                         2-year cookie on every run, and fires ?pixel=/path if given),
//                         HTML for iframes/objects/embeds, CSS for stylesheets,
//                         text/event-stream for EventSource, JSON otherwise (fetch, XHR,
//                         beacon, prefetch); a WebSocket upgrade is logged, then completed;
//     /set-cookie/<name>  sets a 2-year cookie <name> (Set-Cookie), answers a GIF;
//     /cookie.js?name=N&form=max-age|expires|session[&days=730]
//                         JS that writes cookie N in that form on every run;
//     /heartbeat.js       JS that writes the vendor's 2-year cookie and fetches
//                         /t/heartbeat every 500 ms.
//   Every hit records its `r` query parameter (a test's run id) so parallel tests can
//   tell their hits apart; /t/ scripts and heartbeat.js pass their own `r` on.
// - `extraRoots` ({"/__test/": "/abs/dir"}) serves more static roots from the site origin.
//   Their HTML, JS, CSS and JSON get the same port rewriting as the demo, and their HTML a
//   CSP as strict for scripts (no 'unsafe-inline') but that lets every tracker origin
//   through every fetch directive (img, frame, media, object, style, connect, ws), so that a
//   test page proves the firewall blocks a request, not the CSP.
// - A first-party consent log on the site server (the demo config's `consent_log.endpoint`,
//   SPEC §4): `POST /consent-log` keeps each receipt (raw body, parsed JSON, time,
//   Content-Type) in memory and answers 204. `servers.setConsentLog(mode)` makes it fail for
//   the tests: "500" answers HTTP 500 (the attempt goes to `rejected`, not `receipts`),
//   "down" reads the body then destroys the socket without an answer (`dropped`), "ok" is
//   the default. `servers.receipts`, `servers.rejected`, `servers.dropped`,
//   `servers.clearReceipts()`. `GET /__receipts` shows the accepted receipts as JSON (not
//   logged). Run directly, `CONSENT_LOG=500|down` starts the endpoint in that mode.
// - The demo forms' receiver (www/demo/souscription.html, concours.html): `POST /demo/recu`
//   on the site server reads an application/x-www-form-urlencoded or multipart/form-data
//   body (a file part: its field name and filename only), appends `{ path, fields, time,
//   contentType }` to `servers.forms` (`fields`: name -> value, or [values] when a name
//   repeats, a file -> { filename }) and answers an HTML page « Demande reçue » listing every
//   field, HTML-escaped, `accord_prospection` pretty-printed: what the insurer received.
//   `servers.clearForms()` empties the list.
// - The demo pages and config name the trackers as 127.0.0.1:8081..8083 and the site as
//   127.0.0.1:8080. When the servers run on other ports (the e2e tests do, so that they
//   can run beside a human's demo server), the site server rewrites those host:port pairs
//   in HTML and JSON responses to the ports actually in use.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The ports written in the demo pages and config (www/demo, index.html). */
export const SOURCE_PORTS = Object.freeze({ site: 8080, audience: 8081, advertising: 8082, video: 8083, unknown: 8084 });
/** The demo's vendors, one tracker origin each. */
export const VENDORS = Object.freeze(["audience", "advertising", "video"]);
/** Every tracker origin: the vendors, plus "unknown", an origin no vendor declares. */
export const TRACKERS = Object.freeze([...VENDORS, "unknown"]);
/** The cookie the /t/ scripts and heartbeat.js of each tracker write (2 years). */
export const TRACKER_SCRIPT_COOKIE = Object.freeze({ audience: "_aud_id", advertising: "_adn", video: "_vid", unknown: "_unk" });

export const MIME = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// 1×1 transparent GIF.
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const randomId = () => crypto.randomBytes(9).toString("base64url");

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") {
        err.message = `port ${host}:${port} is already in use (${err.message}); stop the other server or choose other ports`;
      }
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** The path of the first-party consent log on the site server (www/demo/config.json). */
export const CONSENT_LOG_PATH = "/consent-log";
/** The modes of the consent log: answer 204, answer 500, or drop the connection. */
export const CONSENT_LOG_MODES = Object.freeze(["ok", "500", "down"]);
/** Largest receipt body the consent log reads (a receipt is a few hundred bytes). */
const CONSENT_LOG_MAX_BODY = 64 * 1024;

/**
 * Starts the site server and the tracker servers (the three vendors, and "unknown" on
 * `trackerPorts.unknown`, default the site port + 4; `unknown: null` leaves it out).
 * `extraRoots`: `{ "/__test/": "/abs/dir", … }` more static roots served from the site origin.
 * `consentLog`: the consent log's starting mode ("ok", "500" or "down"; see setConsentLog).
 * `audienceBasis`: "consent" serves the demo config (/demo/config.json) with its audience
 * purpose needing consent instead of exempt (SPEC §6: both modes are tested).
 * @returns {Promise<{site, trackers, log, clearLog, receipts, rejected, dropped, clearReceipts, setConsentLog, consentLogMode, close}>}
 */
export async function startServers({
  root = "dist",
  sitePort = SOURCE_PORTS.site,
  trackerPorts = { audience: SOURCE_PORTS.audience, advertising: SOURCE_PORTS.advertising, video: SOURCE_PORTS.video },
  host = "127.0.0.1",
  quiet = false,
  extraRoots = {},
  consentLog = "ok",
  audienceBasis = "exempt-audience",
} = {}) {
  if (!["exempt-audience", "consent"].includes(audienceBasis)) throw new Error(`startServers: audienceBasis must be "exempt-audience" or "consent", got ${JSON.stringify(audienceBasis)}`);
  const rootDir = path.resolve(root);
  const ports = { site: sitePort, ...trackerPorts };
  if (ports.unknown === undefined) ports.unknown = sitePort + 4;
  for (const v of VENDORS) {
    if (!Number.isInteger(ports[v])) throw new Error(`startServers: trackerPorts.${v} must be a port number`);
  }
  if (ports.unknown !== null && !Number.isInteger(ports.unknown)) throw new Error("startServers: trackerPorts.unknown must be a port number or null");
  const activeTrackers = TRACKERS.filter((v) => ports[v] !== null);
  const roots = Object.entries(extraRoots).map(([prefix, dir]) => {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) throw new Error(`startServers: extraRoots key ${JSON.stringify(prefix)} must start and end with "/"`);
    return { prefix, dir: path.resolve(dir) };
  });
  const origin = (p) => `http://${host}:${p}`;
  const siteOrigin = origin(sitePort);
  const trackerOrigins = VENDORS.map((v) => origin(ports[v])).join(" ");
  const allTrackerOrigins = activeTrackers.map((v) => origin(ports[v])).join(" ");
  const allTrackerWs = activeTrackers.map((v) => `ws://${host}:${ports[v]}`).join(" ");

  // host:port pairs of the source files -> the ports in use (identity when they are equal).
  const portMap = new Map();
  for (const key of Object.keys(SOURCE_PORTS)) {
    if (ports[key] !== null && SOURCE_PORTS[key] !== ports[key]) portMap.set(String(SOURCE_PORTS[key]), String(ports[key]));
  }
  const rewritePorts = (text) =>
    portMap.size === 0
      ? text
      : text.replace(/(127\.0\.0\.1|localhost):(\d{4,5})(?!\d)/g, (m, h, p) => (portMap.has(p) ? `${h}:${portMap.get(p)}` : m));

  const csp = (nonce) =>
    [
      "default-src 'self'",
      `script-src 'self' 'wasm-unsafe-eval' 'nonce-${nonce}' ${trackerOrigins}`,
      "style-src 'self'",
      `img-src 'self' data: ${trackerOrigins}`,
      `frame-src ${origin(ports.video)}`,
      `connect-src 'self' ${trackerOrigins}`,
    ].join("; ");

  // Test pages (extraRoots): scripts as strict as the demo's, every tracker origin allowed
  // in every fetch directive, so that only the firewall can stop a tracker request; inline
  // styles allowed, so that CSS naming a vendor (a style attribute, a <style>) is only
  // stopped by the firewall too.
  const cspTest = (nonce) => {
    const t = allTrackerOrigins;
    return [
      `default-src 'self' ${t}`,
      `script-src 'self' 'wasm-unsafe-eval' 'nonce-${nonce}' ${t}`,
      `style-src 'self' 'unsafe-inline' ${t}`,
      `img-src 'self' data: ${t}`,
      `media-src 'self' ${t}`,
      `font-src 'self' ${t}`,
      `frame-src 'self' ${t}`,
      `object-src 'self' ${t}`,
      `connect-src 'self' ${t} ${allTrackerWs}`,
    ].join("; ");
  };

  const say = quiet ? () => {} : (...a) => console.log(...a);

  // ---------------------------------------------------------------- consent log
  // Every attempt: { time, body (the raw string), json (parsed, or null when the body is
  // not JSON), contentType, status (204, 500, or null for "down") }.
  const receipts = []; // accepted (204)
  const rejected = []; // answered 500
  const dropped = []; // connection destroyed without an answer
  const clearReceipts = () => {
    receipts.length = 0;
    rejected.length = 0;
    dropped.length = 0;
  };
  const checkMode = (mode) => {
    if (!CONSENT_LOG_MODES.includes(mode)) throw new Error(`consent log mode must be one of ${CONSENT_LOG_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
    return mode;
  };
  let consentLogMode = checkMode(String(consentLog));
  const setConsentLog = (mode) => {
    consentLogMode = checkMode(String(mode));
  };
  // In mode "ok", receipts go to the real consent service when one is set
  // (scripts/consent-server.mjs): its answer, Set-Cookie included, comes back as is.
  let consentLogUpstream = null;
  const setConsentLogUpstream = (origin) => {
    consentLogUpstream = origin;
  };
  function forward(req, body, entry, send) {
    const u = new URL(CONSENT_LOG_PATH, consentLogUpstream);
    const headers = { "Content-Type": req.headers["content-type"] || "", "Content-Length": Buffer.byteLength(body), "X-Forwarded-Proto": "http" };
    if (req.headers.cookie) headers.Cookie = req.headers.cookie;
    const up = http.request(u, { method: "POST", headers }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => {
        const answer = Buffer.concat(chunks);
        entry.status = r.statusCode;
        entry.setCookie = r.headers["set-cookie"] || [];
        entry.answer = answer.toString("utf8");
        (r.statusCode >= 200 && r.statusCode < 300 ? receipts : rejected).push(entry);
        say(`[consent-log] ${r.statusCode} from accord-server: ${entry.answer}`);
        const out = { "Content-Type": r.headers["content-type"] || "application/json" };
        if (r.headers["set-cookie"]) out["Set-Cookie"] = r.headers["set-cookie"];
        send(r.statusCode, out, answer);
      });
    });
    up.on("error", (e) => {
      entry.status = 502;
      rejected.push(entry);
      say(`[consent-log] 502: accord-server unreachable (${e.message})`);
      send(502, { "Content-Type": "text/plain; charset=utf-8" }, "502 consent service unreachable\n");
    });
    up.end(body);
  }

  // GET under the consent log (a person's receipts, a signed-in account's choice) goes
  // to the real consent service as is; without one there is nothing to read.
  function consentLogRead(req, send) {
    if (req.method !== "GET" || !consentLogUpstream) {
      return send(404, { "Content-Type": "application/json" }, '{"error":{"code":"ACCORD_NOT_FOUND","message":"no consent service behind this demo"}}');
    }
    const headers = { "X-Forwarded-For": req.socket.remoteAddress || "127.0.0.1", "X-Forwarded-Proto": "http" };
    const up = http.request(new URL(req.url, consentLogUpstream), { method: "GET", headers }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => send(r.statusCode, { "Content-Type": r.headers["content-type"] || "application/json" }, Buffer.concat(chunks)));
    });
    up.on("error", (e) => {
      say(`[consent-log] 502: accord-server unreachable (${e.message})`);
      send(502, { "Content-Type": "text/plain; charset=utf-8" }, "502 consent service unreachable\n");
    });
    up.end();
  }

  function consentLogHandler(req, res, send) {
    if (req.method !== "POST") {
      return send(405, { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" }, "405 method not allowed\n");
    }
    const mode = consentLogMode; // the mode when the request arrived
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c) => {
      size += c.length;
      if (size > CONSENT_LOG_MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("error", () => {});
    req.on("end", () => {
      if (tooLarge) return send(413, { "Content-Type": "text/plain; charset=utf-8" }, "413 receipt too large\n");
      const body = Buffer.concat(chunks).toString("utf8");
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        /* kept as the raw body */
      }
      const entry = { time: Date.now(), body, json, contentType: req.headers["content-type"] || "", status: null };
      const what = json && typeof json === "object" ? `${json.action} ${json.record_id}` : `${body.length} bytes (not JSON)`;
      if (mode === "down") {
        dropped.push(entry);
        say(`[consent-log] dropped (mode "down"): ${what}`);
        req.socket.destroy();
        return;
      }
      if (mode === "500") {
        entry.status = 500;
        rejected.push(entry);
        say(`[consent-log] 500 (mode "500"): ${what}`);
        return send(500, { "Content-Type": "text/plain; charset=utf-8" }, "500 consent log unavailable (test mode)\n");
      }
      if (consentLogUpstream) return forward(req, body, entry, send);
      entry.status = 204;
      receipts.push(entry);
      say(`[consent-log] 204 ${what}`);
      send(204, {}, undefined);
    });
  }

  // ---------------------------------------------------------------- demo forms' receiver
  // POST /demo/recu: what the insurer's server receives from the demo forms
  // (www/demo/souscription.html, concours.html). Every submission: { path, fields, time,
  // contentType }, `fields` being name -> value, or [values] when a name repeats; a file
  // part is recorded as { filename } (its bytes are read and dropped). The answer is an
  // HTML page listing every field, HTML-escaped, `accord_prospection` pretty-printed.
  const FORM_RECEIVER_PATH = "/demo/recu";
  const FORM_MAX_BODY = 20 * 1024 * 1024;
  const forms = [];
  const clearForms = () => {
    forms.length = 0;
  };
  const addField = (fields, name, value) => {
    if (!Object.hasOwn(fields, name)) {
      Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
    } else if (Array.isArray(fields[name])) fields[name].push(value);
    else fields[name] = [fields[name], value];
  };
  // A Content-Disposition parameter (`name`, `filename`), as browsers write them
  // (quoted; `"`, CR and LF percent-encoded); null when absent.
  const dispositionParam = (disposition, key) => {
    const m = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(disposition);
    if (!m) return null;
    return m[1].replace(/\\(.)/g, "$1").replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
  };
  const parseMultipart = (buf, boundary) => {
    const fields = {};
    const delimiter = Buffer.from(`--${boundary}`);
    const next = Buffer.from(`\r\n--${boundary}`);
    let pos = buf.indexOf(delimiter);
    if (pos < 0) return fields;
    pos += delimiter.length;
    while (buf.subarray(pos, pos + 2).toString("latin1") !== "--") {
      if (buf.subarray(pos, pos + 2).toString("latin1") === "\r\n") pos += 2;
      const end = buf.indexOf(next, pos);
      if (end < 0) break;
      const part = buf.subarray(pos, end);
      const headEnd = part.indexOf("\r\n\r\n");
      if (headEnd >= 0) {
        const head = part.subarray(0, headEnd).toString("utf8");
        const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? "";
        const name = dispositionParam(disposition, "name");
        const filename = dispositionParam(disposition, "filename");
        if (name !== null) addField(fields, name, filename !== null ? { filename } : part.subarray(headEnd + 4).toString("utf8"));
      }
      pos = end + next.length;
    }
    return fields;
  };
  const escapeHtml = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const showValue = (name, value) => {
    if (value !== null && typeof value === "object") {
      return value.filename ? `fichier « ${escapeHtml(value.filename)} » (contenu non conservé)` : "aucun fichier";
    }
    if (name === "accord_prospection") {
      try {
        return `<pre>${escapeHtml(JSON.stringify(JSON.parse(value), null, 2))}</pre>`;
      } catch {
        return `<pre>${escapeHtml(value)}</pre><p class="note">(ce n'est pas du JSON valide)</p>`;
      }
    }
    return value === "" ? `<span class="note">(vide)</span>` : escapeHtml(value);
  };
  const receivedPage = (entry) => {
    const rows = Object.entries(entry.fields)
      .flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((one) => `          <tr><th scope="row"><code>${escapeHtml(name)}</code></th><td>${showValue(name, one)}</td></tr>`))
      .join("\n");
    return `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Demande reçue — Mutuelle Exemple</title>
  <script src="/accord/accord.js" data-config="/demo/config.json"></script>
  <link rel="stylesheet" href="/demo/site.css">
</head>
<body>
  <header class="site-header">
    <div class="wrap header-inner">
      <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">ME</span> Mutuelle Exemple</a>
    </div>
  </header>
  <main id="contenu" class="wrap prose">
    <h1>Demande reçue</h1>
    <p>Voici, champ par champ, ce que le formulaire a envoyé au serveur de Mutuelle Exemple (serveur de démonstration : rien n'est écrit sur disque).</p>
    <div class="table-scroll">
      <table>
        <caption>Champs reçus (${Object.keys(entry.fields).length})</caption>
        <thead><tr><th scope="col">Champ</th><th scope="col">Valeur</th></tr></thead>
        <tbody>
${rows || '          <tr><td colspan="2">Aucun champ reçu.</td></tr>'}
        </tbody>
      </table>
    </div>
    <p><a class="button" href="/">Retour à l'accueil</a></p>
  </main>
</body>
</html>
`;
  };

  function formReceiverHandler(req, res, send) {
    if (req.method !== "POST") {
      return send(405, { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" }, "405 method not allowed: the demo forms post here\n");
    }
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c) => {
      size += c.length;
      if (size > FORM_MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("error", () => {});
    req.on("end", () => {
      if (tooLarge) return send(413, { "Content-Type": "text/plain; charset=utf-8" }, "413 form too large\n");
      const body = Buffer.concat(chunks);
      const contentType = req.headers["content-type"] || "";
      let fields = {};
      if (/^multipart\/form-data/i.test(contentType)) {
        const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
        if (m) fields = parseMultipart(body, m[1] || m[2]);
      } else {
        for (const [name, value] of new URLSearchParams(body.toString("utf8"))) addField(fields, name, value);
      }
      const entry = { path: FORM_RECEIVER_PATH, fields, time: Date.now(), contentType };
      forms.push(entry);
      say(`[form] POST ${FORM_RECEIVER_PATH}: ${Object.keys(fields).join(", ") || "(no field)"}`);
      const nonce = crypto.randomBytes(16).toString("base64");
      const html = Buffer.from(receivedPage(entry), "utf8");
      send(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp(nonce), "Content-Length": html.length }, html);
    });
  }

  // ---------------------------------------------------------------- site server
  const site = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const rawPath = req.url.split("?")[0];
    if (rawPath === CONSENT_LOG_PATH) return consentLogHandler(req, res, send);
    if (rawPath.startsWith(CONSENT_LOG_PATH + "/")) return consentLogRead(req, send);
    // Test pages only: a first-party proxy that sets a vendor's cookie by HTTP (the
    // cookie jar must be watched, not only the page's setters).
    if (rawPath === "/__proxy/set-cookie" && roots.length) {
      const name = new URL(req.url, siteOrigin).searchParams.get("name") || "_adn";
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) return send(400, { "Content-Type": "text/plain; charset=utf-8" }, "400 bad cookie name\n");
      return send(204, { "Set-Cookie": `${name}=proxied; Max-Age=63072000; Path=/; SameSite=Lax` }, undefined);
    }
    if (rawPath === FORM_RECEIVER_PATH) return formReceiverHandler(req, res, send);
    if (rawPath === "/__receipts" && (req.method === "GET" || req.method === "HEAD")) {
      const body = Buffer.from(JSON.stringify(receipts, null, 2), "utf8");
      return send(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length }, body);
    }
    // POST is accepted for HTML pages only (the demo's quote form posts to a thank-you
    // page); the body is read and discarded: this demo keeps no form data.
    const isPost = req.method === "POST";
    if (req.method !== "GET" && req.method !== "HEAD" && !isPost) {
      return send(405, { Allow: "GET, HEAD, POST", "Content-Type": "text/plain; charset=utf-8" }, "405 method not allowed\n");
    }
    if (isPost) req.resume();
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, siteOrigin).pathname);
    } catch {
      return send(400, { "Content-Type": "text/plain; charset=utf-8" }, "400 bad request\n");
    }
    if (pathname.includes("\0")) return send(400, { "Content-Type": "text/plain; charset=utf-8" }, "400 bad request\n");
    const extra = roots.find((r) => pathname.startsWith(r.prefix));
    const baseDir = extra ? extra.dir : rootDir;
    let file = path.join(baseDir, path.normalize(extra ? "/" + pathname.slice(extra.prefix.length) : pathname));
    if (file !== baseDir && !file.startsWith(baseDir + path.sep)) {
      return send(403, { "Content-Type": "text/plain; charset=utf-8" }, "403 forbidden\n");
    }
    let stat;
    try {
      stat = fs.statSync(file);
      if (stat.isDirectory()) {
        if (!pathname.endsWith("/")) {
          return send(301, { Location: pathname + "/", "Content-Type": "text/plain; charset=utf-8" }, "moved\n");
        }
        file = path.join(file, "index.html");
        stat = fs.statSync(file);
      }
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      // Browsers ask for /favicon.ico on their own: answer it quietly instead of a 404
      // that would show up as a console error in the tests.
      if (pathname === "/favicon.ico") return send(204, {}, undefined);
      return send(404, { "Content-Type": "text/plain; charset=utf-8" }, `404 not found: ${pathname}\n`);
    }
    const ext = path.extname(file).toLowerCase();
    if (isPost && ext !== ".html" && ext !== ".htm") {
      return send(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }, "405 method not allowed\n");
    }
    const type = MIME[ext] || "application/octet-stream";
    let body = fs.readFileSync(file);
    const headers = { "Content-Type": type };
    if (ext === ".html" || ext === ".htm") {
      const nonce = crypto.randomBytes(16).toString("base64");
      body = Buffer.from(rewritePorts(body.toString("utf8")).replaceAll("__CSP_NONCE__", nonce), "utf8");
      headers["Content-Security-Policy"] = extra ? cspTest(nonce) : csp(nonce);
    } else if ((ext === ".json" || (extra && [".js", ".mjs", ".css"].includes(ext))) && portMap.size > 0) {
      body = Buffer.from(rewritePorts(body.toString("utf8")), "utf8");
    }
    if (pathname === "/demo/config.json" && audienceBasis !== "exempt-audience") {
      const config = JSON.parse(body.toString("utf8"));
      for (const p of config.purposes) if (p.id === "audience") p.basis = audienceBasis;
      body = Buffer.from(JSON.stringify(config, null, 2), "utf8");
    }
    headers["Content-Length"] = body.length;
    send(200, headers, body);
  });

  // ---------------------------------------------------------------- tracker servers
  const log = [];
  const clearLog = () => {
    log.length = 0;
  };

  const trackerScripts = {
    audience: () => `/* Audimètre (démo): audience measurement, deliberately greedy: a 2-year cookie, and
 * like a real tool it also reports every click (capture phase, before the page sees it)
 * to /event. An opt-out click would be reported if it got through. */
(function () {
  window.demoAudienceRuns = (window.demoAudienceRuns || 0) + 1;
  var id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  document.cookie = "_aud_id=" + id + "; max-age=63072000; path=/";
  new Image().src = "${origin(ports.audience)}/hit?p=" + encodeURIComponent(location.pathname);
  document.addEventListener("click", function (e) {
    var t = e.target && e.target.closest ? e.target.closest("a,button,input,label") : null;
    var what = t ? (t.textContent || t.value || t.tagName).trim().slice(0, 60) : "";
    new Image().src = "${origin(ports.audience)}/event?e=click&p=" + encodeURIComponent(location.pathname) + "&t=" + encodeURIComponent(what);
  }, true);
})();
`,
    advertising: () => `/* PubNet (démo): advertising, deliberately greedy (2-year cookie). */
(function () {
  window.demoAdsRuns = (window.demoAdsRuns || 0) + 1;
  var id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  document.cookie = "_adn=" + id + "; max-age=63072000; path=/";
})();
`,
  };

  const embedPage = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Vidéo de démonstration</title>
<style>
  html, body { margin: 0; height: 100%; }
  body { display: flex; align-items: center; justify-content: center; background: #1d2433;
         color: #fff; font: 16px/1.4 system-ui, sans-serif; }
  .box { text-align: center; padding: 1rem; border: 2px solid #8fb3ff; border-radius: 8px; }
  .play { font-size: 2.5rem; line-height: 1; }
</style>
</head>
<body>
  <div class="box"><div class="play" aria-hidden="true">&#9654;</div><p>Vidéo de démonstration</p><p>VidéoPlay (démo)</p></div>
</body>
</html>
`;

  const privacyPage = (name) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${name} — politique de confidentialité (démo)</title></head>
<body><h1>${name}</h1><p>Fausse politique de confidentialité d'un partenaire de démonstration.</p></body></html>
`;
  const vendorNames = { audience: "Audimètre (démo, hébergé par la mutuelle)", advertising: "PubNet (démo)", video: "VidéoPlay (démo)", unknown: "Inconnu (démo)" };

  // ---- generic endpoints of every tracker port (firewall tests)
  const TWO_YEARS = 63072000;
  const js = (v) => JSON.stringify(v);
  /** JS of a tracker script served by /t/<name>: counts its runs, writes the vendor's 2-year cookie, fires ?pixel. */
  const tScript = (vendor, port, name, url) => {
    const r = url.searchParams.get("r") || "";
    const cookie = url.searchParams.get("cookie") || TRACKER_SCRIPT_COOKIE[vendor];
    const pixel = url.searchParams.get("pixel");
    const pixelUrl = pixel ? `${origin(port)}${pixel.startsWith("/") ? "" : "/"}${pixel}${pixel.includes("?") ? "&" : "?"}r=${encodeURIComponent(r)}` : null;
    return `/* fake tracker script ${name} (${vendor}) */
(function () {
  var runs = window.__trackerRuns = window.__trackerRuns || [];
  runs.push(${js(name)});
  document.cookie = ${js(cookie)} + "=" + Math.random().toString(36).slice(2) + "; max-age=${TWO_YEARS}; path=/";
  ${pixelUrl ? `new Image().src = ${js(pixelUrl)};` : ""}
})();
`;
  };
  const tHtml = (name) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${name}</title></head><body><p>tracker frame ${name}</p></body></html>\n`;
  const tCss = (name) => `/* tracker stylesheet ${name} */\n.tracker-${name.replace(/[^a-z0-9_-]/gi, "_")} { color: inherit; }\n`;
  const cookieJs = (url) => {
    const name = url.searchParams.get("name") || "_adn";
    const form = url.searchParams.get("form") || "max-age";
    const days = Number(url.searchParams.get("days") || 730);
    const attr =
      form === "session"
        ? ""
        : form === "expires"
          ? `"; expires=" + new Date(Date.now() + ${days * 86400000}).toUTCString() + `
          : `"; max-age=${days * 86400}" + `;
    return `/* writes ${name} (${form}) on every run */
(function () {
  var runs = window.__cookieRuns = window.__cookieRuns || [];
  runs.push(${js(name + ":" + form)});
  document.cookie = ${js(name)} + "=" + Math.random().toString(36).slice(2) + ${attr}"; path=/";
})();
`;
  };
  const heartbeatJs = (vendor, port, url) => {
    const r = url.searchParams.get("r") || "";
    const cookie = TRACKER_SCRIPT_COOKIE[vendor];
    return `/* heartbeat (${vendor}): writes ${cookie} and fetches /t/heartbeat every 500 ms */
(function () {
  var n = 0;
  window.__heartbeats = 0;
  function beat() {
    n++;
    window.__heartbeats = n;
    document.cookie = ${js(cookie)} + "=hb" + n + "; max-age=${TWO_YEARS}; path=/";
    try { fetch(${js(origin(port) + "/t/heartbeat?r=" + encodeURIComponent(r) + "&n=")} + n).catch(function () {}); } catch (e) {}
  }
  beat();
  setInterval(beat, 500);
})();
`;
  };
  /** Which body /t/<name> answers: ?as=… or the request's destination. */
  const tKind = (req, url) => {
    const as = url.searchParams.get("as");
    if (as) return as;
    const dest = req.headers["sec-fetch-dest"] || "";
    const accept = req.headers.accept || "";
    if (accept.includes("text/event-stream")) return "sse";
    if (dest === "image") return "gif";
    if (dest === "script") return "js";
    if (dest === "style") return "css";
    if (["iframe", "frame", "embed", "object", "document"].includes(dest)) return "html";
    if (dest === "video" || dest === "audio" || dest === "track") return "media";
    if (!dest) {
      if (accept.startsWith("image/")) return "gif";
      if (accept.startsWith("text/css")) return "css";
      if (accept.startsWith("text/html")) return "html";
    }
    return "json";
  };

  function trackerHandler(vendor, port) {
    const cookieAttrs = "Max-Age=63072000; Path=/; SameSite=Lax";
    return (req, res) => {
      const url = new URL(req.url, origin(port));
      const base = {
        "Access-Control-Allow-Origin": siteOrigin,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      };
      if (req.method === "GET" && url.pathname === "/__log") {
        const body = JSON.stringify(log.filter((h) => h.port === port), null, 2);
        res.writeHead(200, { ...base, "Content-Type": "application/json; charset=utf-8" });
        return res.end(body);
      }
      const hit = {
        vendor,
        port,
        method: req.method,
        path: url.pathname,
        query: url.search,
        r: url.searchParams.get("r") || "",
        dest: req.headers["sec-fetch-dest"] || "",
        time: Date.now(),
        cookie: req.headers.cookie || "",
        referer: req.headers.referer || "",
      };
      log.push(hit);
      say(`[tracker:${vendor}] ${req.method} ${req.url}${hit.cookie ? `  (cookie: ${hit.cookie})` : ""}`);

      const reply = (status, headers, body) => {
        res.writeHead(status, { ...base, ...headers });
        res.end(req.method === "HEAD" ? undefined : body);
      };
      if (req.method === "OPTIONS") {
        return reply(204, { "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type" });
      }
      const p = url.pathname;
      // Test pages only: a script of tests/e2e/pages served from this tracker's origin, so
      // that the page sees it as the vendor's own (storage attribution by call stack).
      if (p.startsWith("/pages/") && p.endsWith(".js") && roots.length) {
        const file = path.join(roots[0].dir, path.basename(p));
        if (!fs.existsSync(file)) return reply(404, { "Content-Type": "text/plain; charset=utf-8" }, `404 not found: ${p}\n`);
        return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, rewritePorts(fs.readFileSync(file, "utf8")));
      }
      if (p === "/privacy") return reply(200, { "Content-Type": "text/html; charset=utf-8" }, privacyPage(vendorNames[vendor]));
      if (p.startsWith("/t/")) {
        const name = decodeURIComponent(p.slice(3)) || "t";
        switch (tKind(req, url)) {
          case "gif":
            return reply(200, { "Content-Type": "image/gif" }, GIF);
          case "js":
            return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, tScript(vendor, port, name, url));
          case "html":
            return reply(200, { "Content-Type": "text/html; charset=utf-8" }, tHtml(name));
          case "css":
            return reply(200, { "Content-Type": "text/css; charset=utf-8" }, tCss(name));
          case "sse":
            // One event, then a retry delay of a day: the EventSource does not reconnect during a test.
            return reply(200, { "Content-Type": "text/event-stream" }, "retry: 86400000\ndata: hello\n\n");
          case "media":
            return reply(200, { "Content-Type": "application/octet-stream" }, GIF);
          default:
            return reply(200, { "Content-Type": "application/json; charset=utf-8" }, JSON.stringify({ ok: true, technique: name }));
        }
      }
      if (p.startsWith("/set-cookie/")) {
        const name = decodeURIComponent(p.slice("/set-cookie/".length));
        if (!/^[A-Za-z0-9_.-]+$/.test(name)) return reply(400, { "Content-Type": "text/plain; charset=utf-8" }, "400 bad cookie name\n");
        return reply(200, { "Content-Type": "image/gif", "Set-Cookie": `${name}=${randomId()}; ${cookieAttrs}` }, GIF);
      }
      if (p === "/cookie.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, cookieJs(url));
      if (p === "/heartbeat.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, heartbeatJs(vendor, port, url));
      if (vendor === "audience") {
        if (p === "/m.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, trackerScripts.audience());
        if (p === "/hit") return reply(200, { "Content-Type": "image/gif", "Set-Cookie": `_aud_srv=${randomId()}; ${cookieAttrs}` }, GIF);
        if (p === "/event") return reply(200, { "Content-Type": "image/gif" }, GIF);
      } else if (vendor === "advertising") {
        if (p === "/ads.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, trackerScripts.advertising());
        if (p === "/pixel.gif") return reply(200, { "Content-Type": "image/gif", "Set-Cookie": `_adn_px=${randomId()}; ${cookieAttrs}` }, GIF);
      } else if (vendor === "video") {
        if (p === "/embed/1") return reply(200, { "Content-Type": "text/html; charset=utf-8", "Set-Cookie": `_vid=${randomId()}; ${cookieAttrs}` }, embedPage);
      }
      return reply(404, { "Content-Type": "text/plain; charset=utf-8" }, `404 not found: ${p}\n`);
    };
  }

  // WebSocket upgrades: logged like any hit, then a minimal handshake (RFC 6455) is
  // completed so the page sees an open socket; the socket stays idle until it closes.
  const upgraded = new Set();
  function upgradeHandler(vendor, port) {
    return (req, socket) => {
      const url = new URL(req.url, origin(port));
      log.push({
        vendor,
        port,
        method: req.method,
        path: url.pathname,
        query: url.search,
        r: url.searchParams.get("r") || "",
        dest: req.headers["sec-fetch-dest"] || "websocket",
        upgrade: String(req.headers.upgrade || "").toLowerCase(),
        time: Date.now(),
        cookie: req.headers.cookie || "",
        referer: req.headers.referer || "",
      });
      say(`[tracker:${vendor}] UPGRADE ${req.url}`);
      upgraded.add(socket);
      socket.on("close", () => upgraded.delete(socket));
      socket.on("error", () => socket.destroy());
      const key = req.headers["sec-websocket-key"];
      if (!key || String(req.headers.upgrade || "").toLowerCase() !== "websocket") {
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
      }
      const accept = crypto.createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    };
  }

  const trackerServers = {};
  for (const v of activeTrackers) {
    trackerServers[v] = http.createServer(trackerHandler(v, ports[v]));
    trackerServers[v].on("upgrade", upgradeHandler(v, ports[v]));
  }

  const all = [site, ...Object.values(trackerServers)];
  try {
    await listen(site, sitePort, host);
    for (const v of activeTrackers) await listen(trackerServers[v], ports[v], host);
  } catch (err) {
    await Promise.all(all.map(closeServer));
    throw err;
  }

  const trackers = {};
  for (const v of activeTrackers) trackers[v] = { server: trackerServers[v], port: ports[v], origin: origin(ports[v]) };

  return {
    site: { server: site, port: sitePort, origin: siteOrigin, url: siteOrigin + "/", root: rootDir, extraRoots: Object.fromEntries(roots.map((r) => [r.prefix, r.dir])) },
    trackers,
    log,
    clearLog,
    receipts,
    rejected,
    dropped,
    clearReceipts,
    setConsentLog,
    setConsentLogUpstream,
    consentLogMode: () => consentLogMode,
    forms,
    clearForms,
    close: () => {
      for (const sock of upgraded) sock.destroy();
      return Promise.all(all.map(closeServer)).then(() => undefined);
    },
  };
}

// ---------------------------------------------------------------- run directly
const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = process.env.ROOT || path.join(here, "..", "dist");
  const sitePort = process.env.PORT ? Number(process.env.PORT) : SOURCE_PORTS.site;
  const trackerPorts =
    sitePort === SOURCE_PORTS.site
      ? undefined
      : { audience: sitePort + 1, advertising: sitePort + 2, video: sitePort + 3, unknown: sitePort + 4 };
  // EXTRA_ROOTS="/__test/=tests/e2e/pages,/__bench/=bench/pages" serves those folders too.
  const extraRoots = Object.fromEntries(
    (process.env.EXTRA_ROOTS || "")
      .split(",")
      .filter(Boolean)
      .map((pair) => {
        const i = pair.indexOf("=");
        return [pair.slice(0, i), path.resolve(pair.slice(i + 1))];
      }),
  );
  if (!fs.existsSync(root)) console.warn(`warning: ${root} does not exist (run the build first); serving 404s`);
  // AUDIENCE_BASIS=consent: the demo's audience tool needs consent instead of being exempt.
  startServers({ root, sitePort, trackerPorts, extraRoots, consentLog: process.env.CONSENT_LOG || "ok", audienceBasis: process.env.AUDIENCE_BASIS || "exempt-audience" })
    .then(async (s) => {
      console.log(`Accord demo site:   ${s.site.url}  (root ${s.site.root})`);
      console.log(`consent log         POST ${s.site.origin}${CONSENT_LOG_PATH} (mode "${s.consentLogMode()}"; receipts: ${s.site.origin}/__receipts)`);
      // CONSENT_SERVER=1 (scripts/serve.sh): the receipts go to the real accord-server,
      // on SQLite, with the very config the pages get (so the notice hashes match).
      let consent = null;
      if (process.env.CONSENT_SERVER === "1") {
        const { startConsentServer } = await import("./consent-server.mjs");
        const configText = await (await fetch(`${s.site.origin}/demo/config.json`)).text();
        const dbDir = path.join(here, "..", "target", "demo");
        fs.mkdirSync(dbDir, { recursive: true });
        consent = await startConsentServer({
          configText,
          port: Number(process.env.CONSENT_SERVER_PORT || 8088),
          database: process.env.ACCORD_DATABASE || `sqlite:${path.join(dbDir, "consent.sqlite3")}`,
        });
        s.setConsentLogUpstream(consent.origin);
        console.log(`consent service     accord-server on ${consent.origin}, database ${consent.database}`);
      }
      for (const [prefix, dir] of Object.entries(s.site.extraRoots)) console.log(`extra root          ${s.site.origin}${prefix}  (${dir})`);
      for (const v of Object.keys(s.trackers)) console.log(`tracker ${v.padEnd(12)} ${s.trackers[v].origin}/  (hits: ${s.trackers[v].origin}/__log)`);
      const stop = async () => {
        await consent?.stop();
        s.close().then(() => process.exit(0));
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    })
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}
