// Types d'Accord : window.Accord, les événements accord:*, Accord.audit() et la
// configuration. / Accord's types: window.Accord, the accord:* events, Accord.audit()
// and the config.
//
// Written by hand from what the code really does, and checked (tests/e2e/package.test.mjs):
// the members of AccordApi are exactly the own properties window.Accord has at run time,
// before and after the module is ready; the keys of consent(), audit() and accord:error's
// detail are those the module produces; the config types have the JSON Schema's fields,
// required fields and enums (crates/accordctl/schema/accord-config.schema.json); the
// error codes are those of crates/accord-core/src/rules.rs. A sample that uses all of it
// compiles under `tsc --strict`, and one with mistakes does not.
//
// Use: `import type { AccordConfig } from "accord-consent"` (which also brings the
// globals), or `"types": ["accord-consent"]` in tsconfig.json for the globals alone.

/* ---------------------------------------------------------------- window.Accord */

/**
 * `window.Accord`, présent dès que `accord.js` a tourné. Avant que le module soit prêt,
 * ce sont les remplaçants du chargeur : `consent()` répond `{decided: false, pending: true,
 * purposes: {}}`, les autres appels sont mis en file (ils renvoient `undefined`) et rejoués
 * dans l'ordre quand le module est prêt.
 *
 * `window.Accord`, present as soon as `accord.js` ran. Until the module is ready these are
 * the loader's stand-ins: `consent()` answers `{decided: false, pending: true, purposes: {}}`,
 * the other calls are queued (they return `undefined`) and replayed in order once the
 * module is ready.
 */
export interface AccordApi {
  /**
   * Le choix en vigueur. / The choice in force.
   * `pending: true` tant que le module n'est pas prêt. / `pending: true` until the module is ready.
   */
  consent(): AccordConsent;
  /** Ouvre les préférences. / Opens the preferences. */
  open(): void;
  /**
   * Enregistre « Tout accepter » ; renvoie le choix qui en résulte (`undefined` si l'appel
   * est mis en file). / Records "accept all"; returns the resulting choice (`undefined`
   * when the call is queued).
   */
  acceptAll(): AccordConsentView | undefined;
  /** Enregistre « Tout refuser ». / Records "refuse all". */
  refuseAll(): AccordConsentView | undefined;
  /**
   * Retire le consentement : ce que les finalités accordées ont déposé est supprimé.
   * / Withdraws consent: what the granted purposes left behind is deleted.
   */
  withdraw(): AccordConsentView | undefined;
  /**
   * Change ces finalités, garde les autres. Un id inconnu ou nécessaire : rien ne change,
   * `accord:error` `ACCORD_API_INVALID`. / Changes these purposes, keeps the others. An
   * unknown or necessary id: nothing changes, `accord:error` `ACCORD_API_INVALID`.
   */
  set(choices: { readonly [purposeId: string]: boolean }): AccordConsentView | undefined;
  /**
   * Ce que la page a tenté (l'autocontrôle du site). / What the page tried (the site
   * owner's self-check). `undefined` when the call is queued (before the module is ready).
   */
  audit(): AccordAudit | undefined;
  /**
   * `cb(detail)` à chaque `accord:<event>` ; `ready` répond aussitôt s'il a déjà eu lieu
   * (une fois le module prêt). / `cb(detail)` on each `accord:<event>`; `ready` answers at
   * once if it already happened (once the module is ready).
   */
  on<K extends keyof AccordEventDetails>(event: K, callback: (detail: AccordEventDetails[K]) => void): void;
  /**
   * Interne : l'objet que partagent le chargeur et le module (non énumérable). Pas une API.
   * / Internal: the object the loader and the module share (not enumerable). Not an API.
   */
  readonly _boot?: unknown;
}

/** Ce que renvoie `consent()`. / What `consent()` returns. */
export type AccordConsent = AccordConsentView | AccordConsentPending;

/**
 * Le choix en vigueur, tel que le module le donne (`consent()`, `accord:ready`,
 * `accord:change`). / The choice in force, as the module gives it.
 */
export interface AccordConsentView {
  /** Un choix est enregistré. / A choice is recorded. */
  decided: boolean;
  /** Absent : le module répond. / Absent: the module answers. */
  pending?: undefined;
  /** Chaque finalité : accordée ou non (`necessary` toujours vrai). / Each purpose: granted or not (`necessary` always true). */
  purposes: { [purposeId: string]: boolean };
  /** ISO 8601, `null` sans choix. / ISO 8601, `null` without a choice. */
  decided_at: string | null;
  /** ISO 8601, `null` sans choix. / ISO 8601, `null` without a choice. */
  expires_at: string | null;
  policy_version: string;
  /** L'identifiant de l'enregistrement, celui des preuves. / The record's id, the receipts' one. */
  record_id: string | null;
  /** Comment le choix a été fait. / How the choice was made. */
  action: AccordAction | null;
  /** Les finalités exemptées auxquelles la personne s'est opposée. / The exempt purposes the person objected to. */
  objections: string[];
}

/** Avant que le module soit prêt. / Before the module is ready. */
export interface AccordConsentPending {
  decided: false;
  pending: true;
  /** Vide. / Empty. */
  purposes: { [purposeId: string]: never };
}

export type AccordAction = "accept_all" | "refuse_all" | "custom" | "withdraw" | "close";

/* ---------------------------------------------------------------- events */

/** Le `detail` de chaque événement, par nom (`Accord.on`). / Each event's `detail`, by name. */
export interface AccordEventDetails {
  ready: AccordConsentView;
  change: AccordConsentView;
  error: AccordErrorDetail;
}

/** Le `detail` de `accord:error`. / `accord:error`'s `detail`. */
export interface AccordErrorDetail {
  code: AccordErrorCode;
  message: string;
  /**
   * Toutes les erreurs (`ACCORD_CONFIG_INVALID`) ; absent quand le chargeur échoue
   * (`ACCORD_MODULE_*`). / Every error; absent when the loader fails.
   */
  errors?: string[];
}

/** Les codes stables d'erreur (SPEC §8). / The stable error codes. */
export type AccordErrorCode =
  | "ACCORD_CONFIG_UNREACHABLE"
  | "ACCORD_CONFIG_MISSING"
  | "ACCORD_CONFIG_SYNTAX"
  | "ACCORD_CONFIG_INVALID"
  | "ACCORD_MODULE_TIMEOUT"
  | "ACCORD_MODULE_UNAVAILABLE"
  | "ACCORD_DIALOGS_UNAVAILABLE"
  | "ACCORD_FORMS_UNAVAILABLE"
  | "ACCORD_STORAGE"
  | "ACCORD_RANDOM"
  | "ACCORD_RECORD_CORRUPT"
  | "ACCORD_CLOCK"
  | "ACCORD_OPTOUT_CORRUPT"
  | "ACCORD_OPTOUT_UNKNOWN_PURPOSE"
  | "ACCORD_TAG_UNKNOWN_PURPOSE"
  | "ACCORD_VENDOR_SAME_ORIGIN"
  | "ACCORD_API_INVALID"
  | "ACCORD_FORM_KIND"
  | "ACCORD_FORM_SENSITIVE"
  | "ACCORD_ACCOUNT_INVALID"
  | "ACCORD_ACCOUNT_UNAVAILABLE";

/* ---------------------------------------------------------------- Accord.audit() */

export interface AccordAudit {
  decided: boolean;
  /** Les requêtes vers d'autres origines, par hôte. / Requests to other origins, by host. */
  hosts: AccordHostAudit[];
  cookies: AccordCookieAudit[];
  undeclared_hosts: string[];
  undeclared_cookies: string[];
  /** Les éléments balisés `data-accord-purpose`. / The tagged elements. */
  tags: AccordTagAudit[];
  /** Les `data-accord-purpose` que la config ne déclare pas. / Those the config does not declare. */
  undeclared_purposes: string[];
  /** Ce que la CSP du serveur a bloqué. / What the server's CSP blocked. */
  csp_blocked: AccordCspAudit[];
  /** Chaque purge (retrait, ou choix qui ne compte plus). / Each purge (withdrawal, or a choice that no longer counts). */
  purged: AccordPurgeAudit[];
}

export interface AccordHostAudit {
  /** `host` ou `host:port`. */
  host: string;
  vendor: string | null;
  purpose: string | null;
  declared: boolean;
  held: number;
  blocked: number;
  allowed: number;
}

export interface AccordCookieAudit {
  name: string;
  vendor: string | null;
  purpose: string | null;
  declared: boolean;
  /** ISO 8601 ; `null` : cookie de session, ou écrit avant Accord. / `null`: a session cookie, or one written before Accord ran. */
  expires: string | null;
  first_deposit: string | null;
  /** Sa durée a été ramenée à 13 mois du premier dépôt. / Its lifetime was cut to 13 months from the first deposit. */
  clamped: boolean;
  held: number;
  blocked: number;
  /** Fois où il a été trouvé et supprimé sans accord. / Times it was found without consent, and deleted. */
  swept: number;
  swept_by: "cookieStore" | "load" | "visibilitychange" | null;
}

export interface AccordTagAudit {
  purpose: string;
  /** Nom de l'élément en minuscules (`script`, `iframe`…). / The element's name, lowercase. */
  tag: string;
  /** Son `data-src`. / Its `data-src`. */
  src: string | null;
  state: "active" | "queued" | "held" | "blocked";
}

export interface AccordCspAudit {
  host: string;
  vendor: string | null;
  purpose: string | null;
  blocked: number;
}

export interface AccordPurgeAudit {
  /** `withdrawn` : un retrait (ici ou dans un autre onglet) ; `lapsed` : le choix ne compte plus. / `withdrawn`: a withdrawal; `lapsed`: the choice stopped counting. */
  reason: "withdrawn" | "lapsed";
  purposes: string[];
  cookies: string[];
  storage: string[];
  /** Éléments retirés de la page. / Elements removed from the page. */
  nodes: number;
}

/* ---------------------------------------------------------------- the config */

/** Un commentaire : toute clé commençant par `_`, ignorée. / A comment: any key starting with `_`, ignored. */
export type AccordComments = { [comment: `_${string}`]: unknown };

/**
 * La configuration du bandeau (SPEC §2). Le type vérifie la forme ; `accordctl check`
 * vérifie aussi les règles entre champs. / The banner's config. The type checks the shape;
 * `accordctl check` also checks the rules between fields.
 */
export interface AccordConfig extends AccordComments {
  /** Le schéma, pour que l'éditeur vérifie le fichier. / The schema, so an editor checks the file. */
  $schema?: string;
  /** La changer redemande à tout le monde. / A change asks everyone again. */
  policy_version: string;
  /** Les langues proposées, la première par défaut (`["fr", "en"]`). / The languages offered, the first being the default. */
  languages?: AccordLanguage[];
  /** Le responsable du traitement. / The controller. */
  controller: AccordController;
  /** Les finalités, dans l'ordre affiché. / The purposes, in the order shown. */
  purposes: AccordPurpose[];
  /** Les partenaires et leurs traceurs. / The vendors and their trackers. */
  vendors?: AccordVendor[];
  /** Durée d'un choix qui accorde, en mois (1 à 13, 6 par défaut). / How long a granting choice is kept, in months. */
  choice_lifetime_months?: number;
  /** Durée d'un refus, en mois (6 à 13). / How long a refusal is kept, in months. */
  refusal_lifetime_months?: number;
  consent_log?: AccordConsentLog;
  /** Les formulaires (NS 56). / The forms (NS 56). */
  prospection?: AccordProspection;
  /** Les hôtes qu'aucun partenaire ne déclare (`allow` par défaut). / Hosts no vendor declares. */
  unknown_hosts?: "allow" | "block";
  /** Hôtes tiers nécessaires, pas des traceurs (CDN, polices, paiement). / Third-party hosts the site needs that are not trackers. */
  allowed_hosts?: string[];
  /** `server` : le serveur envoie la CSP d'accordctl. / `server`: the server sends accordctl's CSP. */
  policy?: "client" | "server";
  /** Le nom du cookie d'enregistrement (`accord`). / The record cookie's name. */
  cookie_name?: string;
  /** Le domaine du site (exemple.fr). / The site's own domain. */
  site_domain?: string;
  internal_code?: AccordInternalCode;
}

export type AccordLanguage = "fr" | "en";

/** Un texte par langue proposée. / One text per language offered. */
export interface AccordText extends AccordComments {
  fr?: string;
  en?: string;
}

export interface AccordController extends AccordComments {
  name: string;
  /** Adresse postale. / Postal address. */
  address?: string;
  /** Où exercer ses droits. / Where a person exercises their rights. */
  contact: string;
  /** Le contact du DPO. / The data protection officer's contact. */
  dpo?: string;
  /** Sa politique de confidentialité. / Its privacy policy. */
  privacy_url?: string;
  /** Les autres entités du groupe. / The other entities of its group. */
  group_entities?: string[];
}

export interface AccordPurpose extends AccordComments {
  /** `^[a-z][a-z0-9_-]*$` */
  id: string;
  /**
   * necessary : exemptée ; exempt-audience : mesure d'audience exemptée, avec opposition ;
   * consent : accord préalable. / necessary: exempt; exempt-audience: exempt audience
   * measurement, with an opt-out; consent: prior consent.
   */
  basis: "necessary" | "exempt-audience" | "consent";
  title: AccordText;
  description: AccordText;
  /** advertising, partner-sharing, audience, analytics, social… */
  category?: string;
  /** Les signaux Google Consent Mode que cette finalité accorde. / The Consent Mode signals this purpose grants. */
  google_consent_mode?: ("ad_storage" | "analytics_storage" | "ad_user_data" | "ad_personalization")[];
}

export interface AccordVendor extends AccordComments {
  id: string;
  name: string;
  /** L'id d'une finalité déclarée. / The id of a declared purpose. */
  purpose: string;
  /** Hôtes sans schéma ni chemin : ads.example, *.ads.example, 127.0.0.1:8081. / Hosts, no scheme or path. */
  hosts: string[];
  /** Servi par le site lui-même. / Served by the site itself. */
  first_party?: boolean;
  /** Ses cookies, chacun avec sa durée. / Its cookies, each with its lifetime. */
  cookies: AccordVendorCookie[];
  storage_keys?: string[];
  /** ISO 3166-1 alpha-2 (FR, US…). */
  country: string;
  transfer_basis?: AccordTransferBasis;
  privacy_url?: string;
  category?: string;
  data_categories?: string[];
  /** Combien de mois il garde les données. / How many months it keeps the data. */
  data_retention_months?: number;
  cross_site_identifier?: boolean;
  advertising_features?: boolean;
  /** Sous une finalité necessary : l'exemption qui s'applique (CNIL 2020-091 art. 5). / Under a necessary purpose: the exemption that applies. */
  exemption?: "consent-record" | "authentication" | "security" | "cart" | "user-preference" | "load-balancing" | "metered-access";
  /** Ouvre des WebSockets vers ses hôtes. / Opens WebSockets to its hosts. */
  websocket?: boolean;
}

export interface AccordVendorCookie extends AccordComments {
  /** Le nom ; `*` pour n'importe quels caractères. / The name; `*` for any characters. */
  name: string;
  /** De 1 jour à 13 mois (395 jours). / From 1 day to 13 months (395 days). */
  lifetime_days: number;
}

/** La garantie d'un transfert hors UE/EEE (RGPD art. 45 à 49). / The safeguard of a transfer outside the EU/EEA. */
export type AccordTransferBasis = "adequacy" | "scc" | "bcr" | "art49";

export interface AccordConsentLog extends AccordComments {
  /** Un chemin de ce site qui reçoit les preuves (/consent-log). / A path on this site that receives the receipts. */
  endpoint?: string;
}

export interface AccordProspection extends AccordComments {
  notice_version?: string;
  analogous_products?: string[];
  unsubscribe_contact?: string;
  purposes?: AccordText;
  recipients?: AccordText;
  partners?: AccordProspectionPartner[];
  email_open_tracking?: boolean;
}

export interface AccordProspectionPartner extends AccordComments {
  name: string;
  country: string;
  transfer_basis?: AccordTransferBasis;
}

export interface AccordInternalCode extends AccordComments {
  /** # un chiffre, @ une lettre, * l'un ou l'autre. / # a digit, @ a letter, * either. */
  shapes?: string[];
}

/* ---------------------------------------------------------------- globals */

declare global {
  interface Window {
    Accord: AccordApi;
  }
  /** `Accord` sans `window.` / `Accord` without `window.` */
  var Accord: AccordApi;
  interface DocumentEventMap {
    "accord:ready": CustomEvent<AccordConsentView>;
    "accord:change": CustomEvent<AccordConsentView>;
    "accord:error": CustomEvent<AccordErrorDetail>;
  }
}
