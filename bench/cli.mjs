// The benchmarks' command line (`--name value` options) and the bench pages' server.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The value after `name` on the command line, `def` without it; exit 2 when it has none. */
export function arg(name, def) {
  const i = process.argv.indexOf(name);
  if (i === -1) return def;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return v;
}

/** `--runs N`: how many measured loads, a positive integer (`def` without it; exit 2 otherwise). */
export function runsArg(def) {
  const runs = Number(arg("--runs", def));
  if (!Number.isInteger(runs) || runs < 1) {
    console.error("--runs must be a positive integer");
    process.exit(2);
  }
  return runs;
}

/** `--port P` of a bench server whose tracker listens on P + 1 (`def` without it; exit 2 otherwise). */
export function portArg(def) {
  const port = Number(arg("--port", def));
  if (!Number.isInteger(port) || port < 1024 || port > 65534) {
    console.error("--port must be a port number (1024-65534; the tracker uses the next one)");
    process.exit(2);
  }
  return port;
}

/**
 * Starts `bench/peers.mjs --serve` on `port` (its tracker on port + 1), serving Accord from
 * `dist` (ACCORD_DIST; dist/ without it): `{ server, url }`, `url` a promise of Accord's
 * bench page, rejected if the server exits first. Kill `server` when done.
 */
export function servePeers(port, dist) {
  const peers = path.join(path.dirname(fileURLToPath(import.meta.url)), "peers.mjs");
  const env = dist ? { ...process.env, ACCORD_DIST: dist } : process.env;
  const server = spawn(process.execPath, [peers, "--serve", "--port", String(port)], { env, stdio: ["ignore", "pipe", "inherit"] });
  const url = new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (b) => {
      out += b;
      const m = /^Accord\s+(\S+)/m.exec(out);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`bench/peers.mjs --serve exited (${code})`)));
  });
  return { server, url };
}
