// A page's code using every part of accord.d.ts, as a web team would. It must compile
// under `tsc --noEmit --strict` against the packed package (tests/e2e/package.test.mjs):
// a method, event or field the types lose or rename breaks it. Not run, only compiled.

import type {
  AccordApi,
  AccordAudit,
  AccordConfig,
  AccordConsent,
  AccordConsentView,
  AccordErrorCode,
  AccordErrorDetail,
} from "accord-consent";

// window.Accord and the bare global are the same object, typed.
const api: AccordApi = window.Accord;
const same: boolean = api === Accord;

// consent(): the loader's stand-in until the module is ready, then the module's view.
const c: AccordConsent = Accord.consent();
if (c.pending) {
  const nothingYet: false = c.decided;
  console.log("module not ready", nothingYet, Object.keys(c.purposes).length);
} else {
  const decided: boolean = c.decided;
  const video: boolean | undefined = c.purposes["video"];
  const at: string | null = c.decided_at;
  const until: string | null = c.expires_at;
  const version: string = c.policy_version;
  const id: string | null = c.record_id;
  const how = c.action;
  if (how === "accept_all" || how === "refuse_all" || how === "custom" || how === "withdraw" || how === "close" || how === null) {
    console.log(how);
  }
  const objected: string[] = c.objections;
  console.log(decided, video, at, until, version, id, objected);
}

// The decisions: each returns the new view, or undefined when queued before ready.
Accord.open();
const afterAccept: AccordConsentView | undefined = Accord.acceptAll();
if (afterAccept) console.log(afterAccept.purposes.advertising, afterAccept.action);
Accord.refuseAll();
Accord.withdraw();
const afterSet = Accord.set({ video: true, advertising: false });
console.log(afterSet?.record_id);

// audit(): every list and every field of their entries.
const audit: AccordAudit | undefined = Accord.audit();
if (audit) {
  const decided: boolean = audit.decided;
  for (const h of audit.hosts) {
    const n: number = h.held + h.blocked + h.allowed;
    const who: string | null = h.vendor ?? h.purpose;
    console.log(h.host, h.declared, n, who);
  }
  for (const k of audit.cookies) {
    const by: "cookieStore" | "load" | "visibilitychange" | null = k.swept_by;
    const dates: (string | null)[] = [k.expires, k.first_deposit];
    console.log(k.name, k.vendor, k.purpose, k.declared, k.clamped, k.held + k.blocked + k.swept, by, dates);
  }
  for (const t of audit.tags) {
    const state: "active" | "queued" | "held" | "blocked" = t.state;
    console.log(t.purpose, t.tag, t.src, state);
  }
  for (const b of audit.csp_blocked) console.log(b.host, b.vendor, b.purpose, b.blocked);
  for (const p of audit.purged) {
    const why: "withdrawn" | "lapsed" = p.reason;
    console.log(why, p.purposes, p.cookies, p.storage, p.nodes);
  }
  const lists: string[][] = [audit.undeclared_hosts, audit.undeclared_cookies, audit.undeclared_purposes];
  console.log(decided, lists);
}

// The events, as DOM events on document and through Accord.on.
document.addEventListener("accord:ready", (e) => {
  const view: AccordConsentView = e.detail;
  console.log(view.decided, view.purposes);
});
document.addEventListener("accord:change", (e) => {
  console.log(e.detail.purposes.advertising, e.detail.decided_at, e.detail.objections);
});
document.addEventListener("accord:error", (e) => {
  const code: AccordErrorCode = e.detail.code;
  const all: string[] = e.detail.errors ?? [];
  console.log(code, e.detail.message, all);
});
Accord.on("ready", (view) => console.log(view.policy_version));
Accord.on("change", (view) => console.log(view.purposes));
Accord.on("error", (detail: AccordErrorDetail) => {
  if (detail.code === "ACCORD_CONFIG_INVALID") console.log(detail.errors?.join("\n"));
});

// A config, typed: every field of the schema, comments (`_…`) and `$schema` included.
export const config: AccordConfig = {
  $schema: "./node_modules/accord-consent/accord-config.schema.json",
  _note: "a comment, ignored",
  policy_version: "2026-12-01",
  languages: ["fr", "en"],
  controller: {
    name: "Mutuelle Exemple SA",
    address: "12 rue de l'Exemple, 75009 Paris",
    contact: "dpo@mutuelle-exemple.fr",
    dpo: "DPO, 12 rue de l'Exemple, 75009 Paris",
    privacy_url: "/confidentialite.html",
    group_entities: ["Mutuelle Exemple Assistance"],
  },
  purposes: [
    {
      id: "necessary",
      basis: "necessary",
      title: { fr: "Nécessaires au site", en: "Needed by the site" },
      description: { fr: "…", en: "…" },
    },
    {
      id: "advertising",
      basis: "consent",
      category: "advertising",
      title: { fr: "Publicité personnalisée" },
      description: { fr: "…" },
      google_consent_mode: ["ad_storage", "ad_user_data", "ad_personalization"],
    },
  ],
  vendors: [
    {
      id: "pubnet",
      name: "PubNet",
      purpose: "advertising",
      hosts: ["ads.example", "*.ads.example"],
      first_party: false,
      cookies: [{ name: "_adn*", lifetime_days: 390 }],
      storage_keys: ["adn_state"],
      country: "US",
      transfer_basis: "scc",
      privacy_url: "https://ads.example/privacy",
      category: "advertising",
      data_categories: ["identifiers"],
      data_retention_months: 13,
      cross_site_identifier: true,
      advertising_features: true,
      websocket: false,
    },
    {
      id: "session",
      name: "Le site",
      purpose: "necessary",
      hosts: ["auth.mutuelle-exemple.fr"],
      cookies: [],
      country: "FR",
      exemption: "authentication",
    },
  ],
  choice_lifetime_months: 6,
  refusal_lifetime_months: 6,
  consent_log: { endpoint: "/consent-log" },
  prospection: {
    notice_version: "2026-11-01",
    analogous_products: ["auto"],
    unsubscribe_contact: "dpo@mutuelle-exemple.fr",
    purposes: { fr: "…" },
    recipients: { fr: "…" },
    partners: [{ name: "Courtage Partenaire Inc.", country: "US", transfer_basis: "scc" }],
    email_open_tracking: false,
  },
  unknown_hosts: "block",
  allowed_hosts: ["cdn.example"],
  policy: "server",
  cookie_name: "accord",
  site_domain: "mutuelle-exemple.fr",
  internal_code: { shapes: ["CLI-####-#####"] },
};

console.log(same);
