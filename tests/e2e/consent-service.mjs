// The real consent service behind the demo for one test file: accord-server on a fresh
// SQLite file, started with the config the pages get, the demo's /consent-log forwarded
// to it, stopped at the end. `svc.server` is the running server (scripts/consent-server.mjs);
// `svc.restart()` starts it again on the same database (after a kill).

import { before, after } from "node:test";
import { startConsentServer } from "../../scripts/consent-server.mjs";

export function useConsentService(h) {
  const port = Number(process.env.ACCORD_E2E_PORT || 18080) + 8;
  const svc = {
    server: null,
    configText: "",
    async restart() {
      svc.server = await startConsentServer({ configText: svc.configText, port, database: svc.server.database });
      h.servers.setConsentLogUpstream(svc.server.origin);
    },
  };
  before(async () => {
    svc.configText = await (await fetch(h.url("/demo/config.json"))).text();
    svc.server = await startConsentServer({ configText: svc.configText, port });
    h.servers.setConsentLogUpstream(svc.server.origin);
  });
  after(async () => {
    h.servers.setConsentLogUpstream(null);
    await svc.server?.stop();
  });
  return svc;
}
