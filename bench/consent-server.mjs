// Load figure of the consent service (issue 16, item 8): receipts per second and
// latency percentiles of `POST /consent-log` on this machine, for SQLite and for
// PostgreSQL, each answer given only once the receipt is durable. A benchmark, never a
// test: it prints a Markdown table for the README.
//
//   cargo build --release -p accord-server && cargo build --release --bin accordctl
//   node bench/consent-server.mjs [--requests 4000] [--clients 8]
//
// The receipts are real ones of the demo config (the notice hash is `accordctl notice`'s
// text hashed), each with a fresh record id; the clients keep their connections alive.

import http from "node:http";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { startConsentServer, REPO } from "../scripts/consent-server.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const REQUESTS = arg("requests", 4000);
const CLIENTS = arg("clients", 8);
const BIN = process.env.ACCORD_SERVER || path.join(REPO, "target", "release", "accord-server");
const CTL = process.env.ACCORDCTL || path.join(REPO, "target", "release", "accordctl");
const CONFIG = path.join(REPO, "www", "demo", "config.json");
const configText = fs.readFileSync(CONFIG, "utf8");
const config = JSON.parse(configText);

const notice = spawnSync(CTL, ["notice", "--config", CONFIG, "--lang", "fr"], { encoding: "utf8" });
if (notice.status !== 0) throw new Error(`accordctl notice failed (build it: cargo build --release --bin accordctl): ${notice.stderr}`);
const noticeSha = crypto.createHash("sha256").update(notice.stdout.replace(/\n$/, "")).digest("hex");
const purposes = config.purposes.filter((p) => p.basis !== "necessary").map((p) => p.id);

function receipt() {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const later = new Date(now);
  later.setUTCMonth(later.getUTCMonth() + 6);
  const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
  return JSON.stringify({
    format: 1,
    record_id: crypto.randomBytes(16).toString("hex"),
    decided_at: iso(now),
    expires_at: iso(later),
    policy_version: config.policy_version,
    widget_version: "0.1.0",
    action: "accept_all",
    purposes: Object.fromEntries(purposes.map((p) => [p, true])),
    language: "fr",
    notice_sha256: noticeSha,
  });
}

function post(agent, port, body) {
  return new Promise((ok, fail) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: "127.0.0.1", port, path: "/consent-log", method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 201 ? ok(Number(process.hrtime.bigint() - t0) / 1e6) : fail(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", fail);
    req.end(body);
  });
}

async function load(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const bodies = Array.from({ length: REQUESTS }, receipt);
  const latencies = [];
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) latencies.push(await post(agent, port, bodies[next++]));
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rate: REQUESTS / seconds, p50: pct(50), p99: pct(99) };
}

function freePort() {
  return new Promise((ok) => {
    const s = http.createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
}

/** A private PostgreSQL 15 cluster, as the unprivileged `postgres` user when root. */
async function postgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-bench-pg-"));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  if (root) spawnSync("chown", ["-R", "postgres", dir]);
  const sh = (cmd) => {
    const out = root ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", cmd], { encoding: "utf8" }) : spawnSync("sh", ["-c", cmd], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${cmd}: ${out.stderr}`);
  };
  const bin = "/usr/lib/postgresql/15/bin";
  sh(`${bin}/initdb -D ${dir}/data -A trust -U postgres -E UTF8 --no-instructions > /dev/null`);
  sh(`${bin}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}" start > /dev/null`);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop: () => sh(`${bin}/pg_ctl -D ${dir}/data -m fast -w stop > /dev/null`) };
}

const rows = [];
for (const backend of ["SQLite (WAL, synchronous=FULL)", "PostgreSQL 15 (synchronous_commit=on)"]) {
  const pg = backend.startsWith("PostgreSQL") ? await postgres() : null;
  const port = await freePort();
  const server = await startConsentServer({ configText, port, database: pg?.url, bin: BIN });
  await load(port); // warm-up run, not counted
  const r = await load(port);
  await server.stop();
  pg?.stop();
  rows.push(`| ${backend} | ${Math.round(r.rate)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
}
console.log(`${REQUESTS} receipts, ${CLIENTS} clients with keep-alive, on ${os.cpus().length} cores (${os.cpus()[0].model})\n`);
console.log("| database | receipts per second | p50 (ms) | p99 (ms) |\n|---|---:|---:|---:|");
for (const r of rows) console.log(r);
