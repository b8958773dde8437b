#!/usr/bin/env node
// The demo site behind a real nginx that sends Accord's Content-Security-Policy (SPEC §5,
// "The browser-enforced layer"), computed per request by the snippet of `accordctl nginx`.
//
// nginx serves the site only; the fake trackers keep running from scripts/serve.mjs.
// To try it by hand, in two terminals:
//
//   node scripts/serve.mjs      # trackers on 127.0.0.1:8081-8083 (and the plain site on 8080)
//   node scripts/nginx.mjs      # dist/ through nginx on http://127.0.0.1:8090
//
// then open http://127.0.0.1:8090/demo/sans-balises.html (a page with untagged trackers in
// its HTML) and watch serve.mjs's log: nothing reaches a tracker until a choice grants it.
// Needs dist/ (the build), target/debug/accordctl (`cargo build --bin accordctl`) and
// nginx (/usr/sbin/nginx, installed by scripts/setup.sh).
//
// Environment of `node scripts/nginx.mjs`:
//   PORT=8090                   the site port
//   ROOT=dist                   the folder served
//   CONFIG=www/demo/config.json the config of the snippet (served at /demo/config.json with
//                               "policy": "server", so the loader reloads after a grant)
//   ACCORDCTL=path              the accordctl binary (default target/debug/accordctl, or
//                               target/release/accordctl when only that one exists)
//   NGINX=/usr/sbin/nginx       the nginx binary
//   NO_CSP=1                    serve the same site without the header (to compare)
//
// As a module: `startNginx({ root, port, accordctl, config, trackerPorts, ... })` writes
// nginx.conf under a fresh temp prefix (daemon off; pid, logs and every *_temp_path inside
// it), runs `nginx -t` then `nginx -c … -p …` as a child process, waits until it answers,
// and returns `{ url, origin, port, prefix, snippet, close() }`.
//
// Notes for insurers' own nginx, shown by this config:
// - the snippet goes in http {}; nginx inherits add_header into a server or location block
//   only if that block has no add_header of its own: a block that adds any header must
//   include the snippet's add_header line again (here every add_header is at http level);
// - nginx cannot compare dates: it relies on the record cookie's own Expires (= expires_at).

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "..");

/** The tracker ports written in the demo pages and config (as in serve.mjs). */
export const SOURCE_TRACKER_PORTS = Object.freeze({ audience: 8081, advertising: 8082, video: 8083 });
/** The default port of the nginx demo site. */
export const NGINX_PORT = 8090;

/** The nginx binary, or a clear error. */
export function nginxBinary(bin = process.env.NGINX || "/usr/sbin/nginx") {
  if (!fs.existsSync(bin)) {
    throw new Error(`nginx is missing at ${bin}: scripts/setup.sh installs it (Debian package nginx), or set NGINX=/path/to/nginx`);
  }
  return bin;
}

/** The accordctl binary, or a clear error. */
export function accordctlBinary(bin = process.env.ACCORDCTL) {
  if (bin) {
    if (!fs.existsSync(bin)) throw new Error(`accordctl is missing at ${bin}`);
    return bin;
  }
  const debug = path.join(REPO, "target/debug/accordctl");
  const release = path.join(REPO, "target/release/accordctl");
  if (fs.existsSync(debug)) return debug;
  if (fs.existsSync(release)) return release;
  throw new Error(`accordctl is missing (looked for ${debug} and ${release}): run \`cargo build --bin accordctl\` first`);
}

/** Runs `accordctl args`; returns stdout, or throws with its stderr. */
function accordctl(bin, args) {
  const r = spawnSync(bin, args, { encoding: "utf8" });
  if (r.error) throw new Error(`accordctl ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`accordctl ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

const MIME_TYPES = `types {
        text/html                 html htm;
        text/javascript           js mjs;
        application/wasm          wasm;
        application/json          json map;
        text/css                  css;
        image/gif                 gif;
        image/svg+xml             svg;
        image/png                 png;
        image/jpeg                jpg jpeg;
        image/webp                webp;
        image/x-icon              ico;
        text/plain                txt;
        font/woff2                woff2;
    }
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/html text/css text/javascript application/json text/plain;`;

/** An nginx string literal. */
const q = (s) => `"${String(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function waitUntilAnswering(url, child, errorLog, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  return new Promise((resolve, reject) => {
    let exited = null;
    child.once("exit", (code, signal) => {
      exited = `nginx exited (${signal || code}) before answering`;
    });
    const attempt = () => {
      if (exited) return reject(new Error(`${exited}:\n${readLog(errorLog)}`));
      const req = http.get(url, (res) => {
        res.resume();
        resolve();
      });
      req.on("error", () => {
        if (Date.now() > deadline) return reject(new Error(`nginx did not answer at ${url} within ${timeout} ms:\n${readLog(errorLog)}`));
        setTimeout(attempt, 50);
      });
      req.setTimeout(2000, () => req.destroy());
    };
    attempt();
  });
}

/** Rejects with a clear message when host:port is taken (nginx would only log it). */
function checkPortFree(host, port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err) =>
      reject(new Error(`port ${host}:${port} is already in use (${err.code}); stop the other server or choose another port`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function readLog(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "(no error log)";
  }
}

/**
 * Serves `root` through nginx on `host:port` with the Accord header of `config`.
 *
 * - `config`: the config the snippet is generated from (`accordctl nginx --config`). It is
 *   also served at `configPath` (default /demo/config.json, `null`: not served), with
 *   `"policy": "server"` unless `policyServer` is false, so the page and the header use
 *   the same config.
 * - `trackerPorts` ({audience, advertising, video}): where the trackers run. When they
 *   differ from the ports written in the demo (8081-8083), the config is rewritten before
 *   the snippet is generated, and HTML, JSON, CSS and JS responses are rewritten by nginx
 *   (sub_filter), as serve.mjs does.
 * - `csp: false` leaves the snippet out: the same site without the header.
 * - `overrides` ({"/url/path": "/abs/file"}): exact paths served from other files.
 * @returns {Promise<{url, origin, port, prefix, snippet, configFile, close}>}
 */
export async function startNginx({
  root = path.join(REPO, "dist"),
  port = NGINX_PORT,
  host = "127.0.0.1",
  accordctl: accordctlPath,
  config = path.join(REPO, "www/demo/config.json"),
  trackerPorts = SOURCE_TRACKER_PORTS,
  csp = true,
  policyServer = true,
  configPath = "/demo/config.json",
  overrides = {},
  nginx: nginxPath,
} = {}) {
  const bin = nginxBinary(nginxPath);
  const rootDir = path.resolve(root);
  if (!fs.existsSync(rootDir)) throw new Error(`${rootDir} does not exist: run the build first (trunk build --release)`);
  await checkPortFree(host, port);

  // A fresh prefix. Readable by all: as root, nginx's worker runs as nobody.
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "accord-nginx-"));
  fs.chmodSync(prefix, 0o755);
  for (const d of ["logs", "tmp", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"]) fs.mkdirSync(path.join(prefix, d), { recursive: true });
  const errorLog = path.join(prefix, "logs/error.log");

  // host:port pairs of the demo -> the ports in use.
  const portMap = [];
  for (const v of Object.keys(SOURCE_TRACKER_PORTS)) {
    const to = trackerPorts?.[v];
    if (to !== undefined && to !== null && to !== SOURCE_TRACKER_PORTS[v]) portMap.push([SOURCE_TRACKER_PORTS[v], to]);
  }
  const rewrite = (text) => portMap.reduce((t, [from, to]) => t.replace(new RegExp(`(127\\.0\\.0\\.1|localhost):${from}(?!\\d)`, "g"), `$1:${to}`), text);

  // The config of the page and of the header.
  const configSource = path.resolve(config);
  let configText = rewrite(fs.readFileSync(configSource, "utf8"));
  if (policyServer) {
    const parsed = JSON.parse(configText);
    parsed.policy = "server";
    configText = JSON.stringify(parsed, null, 2) + "\n";
  }
  const configFile = path.join(prefix, "config.json");
  fs.writeFileSync(configFile, configText);

  let snippet = "";
  if (csp) {
    try {
      snippet = accordctl(accordctlBinary(accordctlPath), ["nginx", "--config", configFile]);
    } catch (err) {
      fs.rmSync(prefix, { recursive: true, force: true });
      throw err;
    }
    fs.writeFileSync(path.join(prefix, "accord.conf"), snippet);
  }

  const served = { ...(configPath ? { [configPath]: configFile } : {}), ...overrides };
  const exact = Object.entries(served)
    .map(([p, file]) => `        location = ${q(p)} {\n            alias ${q(path.resolve(file))};\n        }`)
    .join("\n");
  const subFilters = portMap
    .flatMap(([from, to]) => [
      `        sub_filter "127.0.0.1:${from}" "127.0.0.1:${to}";`,
      `        sub_filter "localhost:${from}" "localhost:${to}";`,
    ])
    .join("\n");

  const conf = `# Generated by scripts/nginx.mjs: Accord's demo site behind nginx (temporary prefix).
daemon off;
# One process, as the user who runs it: no switch to an unprivileged worker user that
# could not read a private checkout (a CI clone in a 0700 temporary directory).
master_process off;
worker_processes 1;
pid ${q(path.join(prefix, "nginx.pid"))};
error_log ${q(errorLog)} warn;
events { worker_connections 256; }
http {
    access_log off;
    server_tokens off;
    client_body_temp_path ${q(path.join(prefix, "tmp/body"))};
    proxy_temp_path ${q(path.join(prefix, "tmp/proxy"))};
    fastcgi_temp_path ${q(path.join(prefix, "tmp/fastcgi"))};
    uwsgi_temp_path ${q(path.join(prefix, "tmp/uwsgi"))};
    scgi_temp_path ${q(path.join(prefix, "tmp/scgi"))};

    ${MIME_TYPES}

    # No caching: every response is fetched again (each test and each reload sees the
    # current header). Every add_header is here, at http level, beside the snippet's:
    # an add_header in a server or location block would drop them all there.
    etag off;
    if_modified_since off;
    add_header Cache-Control "no-store" always;
    add_header X-Content-Type-Options "nosniff" always;
${csp ? `    include ${q(path.join(prefix, "accord.conf"))};` : "    # no Accord snippet: the site without the header"}

    server {
        listen ${host}:${port};
        server_name _;
        root ${q(rootDir)};
        index index.html;
        # The demo's quote form posts to a static thank-you page.
        error_page 405 =200 $uri;
${subFilters ? `        sub_filter_once off;\n        sub_filter_types application/json text/css text/javascript;\n${subFilters}` : ""}
        location = /favicon.ico {
            return 204;
        }
${exact}
    }
}
`;
  const confFile = path.join(prefix, "nginx.conf");
  fs.writeFileSync(confFile, conf);

  const args = ["-c", confFile, "-p", prefix + "/", "-e", errorLog];
  const test = spawnSync(bin, ["-t", ...args], { encoding: "utf8" });
  if (test.status !== 0) {
    // The prefix stays, to read the config nginx refused.
    throw new Error(`nginx -t refused ${confFile}:\n${test.stderr}${test.stdout}\n${readLog(errorLog)}`);
  }

  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  const origin = `http://${host}:${port}`;
  try {
    await waitUntilAnswering(origin + "/", child, errorLog);
  } catch (err) {
    killOnExit();
    process.off("exit", killOnExit);
    err.message += stderr ? `\n${stderr}` : "";
    throw err;
  }

  let closing = null;
  const close = () =>
    (closing ??= new Promise((resolve) => {
      process.off("exit", killOnExit);
      const done = () => {
        clearTimeout(timer);
        fs.rmSync(prefix, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      // SIGTERM: the master stops its worker; SIGKILL if it has not within 5 s.
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", done);
      child.kill("SIGTERM");
    }));

  return { url: origin + "/", origin, port, prefix, snippet, configFile, errorLog, close };
}

// ---------------------------------------------------------------- run directly
const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const port = process.env.PORT ? Number(process.env.PORT) : NGINX_PORT;
  const root = process.env.ROOT || path.join(REPO, "dist");
  const config = process.env.CONFIG || path.join(REPO, "www/demo/config.json");
  const csp = !process.env.NO_CSP;
  startNginx({ root, port, config, csp })
    .then((s) => {
      console.log(`Accord demo site through nginx: ${s.url}  (root ${path.resolve(root)})`);
      console.log(`  page with untagged trackers:  ${s.origin}/demo/sans-balises.html`);
      console.log(csp ? `  Content-Security-Policy from \`accordctl nginx --config ${config}\` (policy "server")` : "  WITHOUT the Accord header (NO_CSP=1)");
      console.log(`  trackers: run \`node scripts/serve.mjs\` beside it (127.0.0.1:8081-8083)`);
      console.log(`  nginx prefix: ${s.prefix} (removed on exit); Ctrl-C stops`);
      const stop = () => s.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    })
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}
