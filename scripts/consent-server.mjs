// Starts the real consent service (crates/accord-server) for the demo and the end-to-end
// tests: `startConsentServer({ configText, port, database })` writes the config the
// pages are served (so the notice hashes match), starts the binary on 127.0.0.1 and
// resolves once it listens. The demo site's POST /consent-log is then forwarded to it
// (scripts/serve.mjs, `setConsentLogUpstream`).

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "..");

/** The accord-server binary: $ACCORD_SERVER, else the debug build of the workspace. */
export function accordServerBinary(bin = process.env.ACCORD_SERVER) {
  const b = bin || path.join(REPO, "target", "debug", "accord-server");
  if (!fs.existsSync(b)) throw new Error(`accord-server not found at ${b}: run \`cargo build -p accord-server\` (or set ACCORD_SERVER)`);
  return b;
}

/**
 * @param {{configText: string, port: number, database?: string, bin?: string}} o
 * `database`: a `sqlite:PATH` or `postgres://…` URL (default: a fresh SQLite file).
 * @returns {Promise<{origin: string, database: string, log: () => string, stop: (signal?: string) => Promise<number|null>}>}
 */
export async function startConsentServer({ configText, port, database, bin }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-consent-"));
  const config = path.join(dir, "config.json");
  fs.writeFileSync(config, configText);
  const db = database || `sqlite:${path.join(dir, "consent.sqlite3")}`;
  const child = spawn(accordServerBinary(bin), ["--config", config, "--listen", `127.0.0.1:${port}`, "--database", db], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const exited = new Promise((ok) => child.on("exit", (code) => ok(code)));
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`accord-server did not start in 10 s:\n${log}`)), 10_000);
    child.stderr.on("data", (d) => {
      log += d.toString("utf8");
      if (log.includes("listening on http://")) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`accord-server exited (${code}) before listening:\n${log}`));
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    database: db,
    log: () => log,
    /** Stops it (SIGTERM: a clean stop; SIGKILL: none) and resolves with its exit code. */
    stop: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
