#!/usr/bin/env node
// Demo and test server for Accord: one Node process, no dependencies.
//
//   node scripts/serve.mjs            site on http://127.0.0.1:8080 (dist/), trackers on 8081-8083
//   PORT=9000 ROOT=dist node scripts/serve.mjs   site on 9000, trackers on 9001-9003
//
// - The site server serves `root` statically. Every HTML response carries a strict
//   Content-Security-Policy with a fresh nonce per request, and every `__CSP_NONCE__` in
//   the HTML is replaced by that nonce (the demo's inline tagged scripts carry it).
//   No 'unsafe-inline' anywhere: the banner must work without inline script or style.
// - Three fake tracker servers, one origin each (= one vendor each): audience (8081),
//   advertising (8082), video (8083). Every request they receive is appended to `log`;
//   GET /__log on a tracker port shows that port's hits as JSON (and is not logged).
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
export const SOURCE_PORTS = Object.freeze({ site: 8080, audience: 8081, advertising: 8082, video: 8083 });
export const VENDORS = Object.freeze(["audience", "advertising", "video"]);

const MIME = {
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

/**
 * Starts the site server and the three tracker servers.
 * @returns {Promise<{site, trackers, log, clearLog, close}>}
 */
export async function startServers({
  root = "dist",
  sitePort = SOURCE_PORTS.site,
  trackerPorts = { audience: SOURCE_PORTS.audience, advertising: SOURCE_PORTS.advertising, video: SOURCE_PORTS.video },
  host = "127.0.0.1",
  quiet = false,
} = {}) {
  const rootDir = path.resolve(root);
  const ports = { site: sitePort, ...trackerPorts };
  for (const v of VENDORS) {
    if (!Number.isInteger(ports[v])) throw new Error(`startServers: trackerPorts.${v} must be a port number`);
  }
  const origin = (p) => `http://${host}:${p}`;
  const siteOrigin = origin(sitePort);
  const trackerOrigins = VENDORS.map((v) => origin(ports[v])).join(" ");

  // host:port pairs of the source files -> the ports in use (identity when they are equal).
  const portMap = new Map();
  for (const key of Object.keys(SOURCE_PORTS)) {
    if (SOURCE_PORTS[key] !== ports[key]) portMap.set(String(SOURCE_PORTS[key]), String(ports[key]));
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

  const say = quiet ? () => {} : (...a) => console.log(...a);

  // ---------------------------------------------------------------- site server
  const site = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
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
    let file = path.join(rootDir, path.normalize(pathname));
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
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
      headers["Content-Security-Policy"] = csp(nonce);
    } else if (ext === ".json" && portMap.size > 0) {
      body = Buffer.from(rewritePorts(body.toString("utf8")), "utf8");
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
    audience: () => `/* Audimètre (démo): audience measurement, deliberately greedy (2-year cookie). */
(function () {
  window.demoAudienceRuns = (window.demoAudienceRuns || 0) + 1;
  var id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  document.cookie = "_aud_id=" + id + "; max-age=63072000; path=/";
  new Image().src = "${origin(ports.audience)}/hit?p=" + encodeURIComponent(location.pathname);
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
  const vendorNames = { audience: "Audimètre (démo)", advertising: "PubNet (démo)", video: "VidéoPlay (démo)" };

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
      if (p === "/privacy") return reply(200, { "Content-Type": "text/html; charset=utf-8" }, privacyPage(vendorNames[vendor]));
      if (vendor === "audience") {
        if (p === "/m.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, trackerScripts.audience());
        if (p === "/hit") return reply(200, { "Content-Type": "image/gif", "Set-Cookie": `_aud_srv=${randomId()}; ${cookieAttrs}` }, GIF);
      } else if (vendor === "advertising") {
        if (p === "/ads.js") return reply(200, { "Content-Type": "text/javascript; charset=utf-8" }, trackerScripts.advertising());
        if (p === "/pixel.gif") return reply(200, { "Content-Type": "image/gif", "Set-Cookie": `_adn_px=${randomId()}; ${cookieAttrs}` }, GIF);
      } else if (vendor === "video") {
        if (p === "/embed/1") return reply(200, { "Content-Type": "text/html; charset=utf-8", "Set-Cookie": `_vid=${randomId()}; ${cookieAttrs}` }, embedPage);
      }
      return reply(404, { "Content-Type": "text/plain; charset=utf-8" }, `404 not found: ${p}\n`);
    };
  }

  const trackerServers = {};
  for (const v of VENDORS) trackerServers[v] = http.createServer(trackerHandler(v, ports[v]));

  const all = [site, ...Object.values(trackerServers)];
  try {
    await listen(site, sitePort, host);
    for (const v of VENDORS) await listen(trackerServers[v], ports[v], host);
  } catch (err) {
    await Promise.all(all.map(closeServer));
    throw err;
  }

  const trackers = {};
  for (const v of VENDORS) trackers[v] = { server: trackerServers[v], port: ports[v], origin: origin(ports[v]) };

  return {
    site: { server: site, port: sitePort, origin: siteOrigin, url: siteOrigin + "/", root: rootDir },
    trackers,
    log,
    clearLog,
    close: () => Promise.all(all.map(closeServer)).then(() => undefined),
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
      : { audience: sitePort + 1, advertising: sitePort + 2, video: sitePort + 3 };
  if (!fs.existsSync(root)) console.warn(`warning: ${root} does not exist (run the build first); serving 404s`);
  startServers({ root, sitePort, trackerPorts })
    .then((s) => {
      console.log(`Accord demo site:   ${s.site.url}  (root ${s.site.root})`);
      for (const v of VENDORS) console.log(`tracker ${v.padEnd(12)} ${s.trackers[v].origin}/  (hits: ${s.trackers[v].origin}/__log)`);
      const stop = () => {
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
