//! Raw JSON in, typed [`Config`] out: every rule of SPEC §2 checked, every error
//! reported at once with the path of the field and the rule it breaks.

use super::hosts::{globs_overlap, HostPattern};
use super::identifiers::CodeShape;
use super::json::Json;
use crate::law::{
    ADEQUATE, DEFAULT_CHOICE_MONTHS, EU_EEA, HEALTH_WORDS, MAX_COOKIE_DAYS,
    MAX_EXEMPT_RETENTION_MONTHS, MAX_MONTHS, MIN_REFUSAL_MONTHS, NEVER_NECESSARY,
};
use crate::rules::Rule;
use std::fmt;

pub use crate::lang::Lang;

/// A broken rule's explanation, in plain words for people. Natively (`accordctl check`,
/// the tests) it is written out. In the wasm it is not built at all: the browser names
/// the field, the rule and the value it found ([`found`]), and `accordctl check`, which
/// runs these same rules, gives the sentence. The sentences and their formatting were
/// 3.4 KB brotli of every page's module (issue 15).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! sentence {
    ($($t:tt)*) => { format!($($t)*) };
}
#[cfg(target_arch = "wasm32")]
macro_rules! sentence {
    // Type-checked as the native sentence (and its values counted as used), then
    // dropped: the optimiser removes the words and the formatting.
    ($($t:tt)*) => {{
        let _ = format_args!($($t)*);
        String::new()
    }};
}

/// A text given in each configured language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    /// The French text; `None` when French is not a configured language.
    pub fr: Option<String>,
    /// The English text; `None` when English is not a configured language.
    pub en: Option<String>,
}

impl Text {
    /// The text in `lang`, falling back to the other language (validation guarantees
    /// that every configured language is present).
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Fr => (&self.fr, &self.en),
            Lang::En => (&self.en, &self.fr),
        };
        first.as_deref().or(second.as_deref()).unwrap_or("")
    }
}

/// The legal basis of a purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Strictly necessary: always on, never asked.
    Necessary,
    /// CNIL-exempt first-party audience measurement: on by default, with an opt-out.
    ExemptAudience,
    /// Needs prior consent.
    Consent,
}

/// A purpose: what trackers are used for, and on which legal basis.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Purpose {
    /// The purpose's stable id, as it appears in the record cookie.
    pub id: String,
    /// Its legal basis: necessary, exempt audience or consent.
    pub basis: Basis,
    /// Its short name, shown in the banner and the preferences.
    pub title: Text,
    /// What it does, in plain words, shown in the preferences.
    pub description: Text,
    /// `advertising` or `partner-sharing` (what Global Privacy Control refuses by
    /// default), or another free word; never health.
    pub category: Option<String>,
    /// The Google Consent Mode signals this purpose grants (see `consent_mode`);
    /// `None`: the default mapping from its category.
    pub google_consent_mode: Option<Vec<String>>,
}

impl Purpose {
    /// Does a Global Privacy Control signal refuse this purpose by default (SPEC §6)?
    /// Its category says so; without one, the id `advertising` does.
    pub fn refused_by_gpc(&self) -> bool {
        match self.category.as_deref() {
            Some(c) => c == "advertising" || c == "partner-sharing",
            None => self.id == "advertising",
        }
    }
}

/// A cookie a vendor declares. `name` may end with or contain `*` (any characters).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CookieDecl {
    /// The cookie's name, or a name pattern.
    pub name: String,
    /// How long the cookie lives, in days: 1 to 395 (13 months).
    pub lifetime_days: u32,
}

/// The safeguard of a transfer outside the EU/EEA (`transfer_basis`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferBasis {
    /// An adequacy decision (GDPR art. 45).
    Adequacy,
    /// Standard contractual clauses (GDPR art. 46).
    Scc,
    /// Binding corporate rules (GDPR art. 47).
    Bcr,
    /// A derogation of GDPR art. 49.
    Art49,
}

impl TransferBasis {
    /// The config's word for it: `adequacy`, `scc`, `bcr` or `art49`.
    pub fn code(self) -> &'static str {
        match self {
            TransferBasis::Adequacy => "adequacy",
            TransferBasis::Scc => "scc",
            TransferBasis::Bcr => "bcr",
            TransferBasis::Art49 => "art49",
        }
    }
}

/// A tool or partner serving one purpose: its hosts, cookies and storage follow it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Vendor {
    /// The vendor's stable id, unique in the config.
    pub id: String,
    /// Its name, as the partner list shows it.
    pub name: String,
    /// The id of the purpose it serves.
    pub purpose: String,
    /// The hosts it loads from and sends to: a request to one follows its purpose.
    pub hosts: Vec<HostPattern>,
    /// The tool runs as the site's own (declared; required for exempt audience).
    pub first_party: bool,
    /// The cookies it declares: writing or reading one follows its purpose.
    pub cookies: Vec<CookieDecl>,
    /// localStorage / sessionStorage keys (patterns like cookie names) removed on withdrawal.
    pub storage_keys: Vec<String>,
    /// Its country, an ISO 3166-1 alpha-2 code (`FR`, `US`).
    pub country: String,
    /// The safeguard of a transfer outside the EU/EEA; required there unless the country
    /// has a whole-country adequacy decision.
    pub transfer_basis: Option<TransferBasis>,
    /// The URL of its privacy policy (empty: none given).
    pub privacy_url: String,
    /// How long the vendor keeps the data, in months (an exempt audience tool: 25 at most).
    pub data_retention_months: Option<u32>,
    /// The vendor links the visitor across sites (declared; forbids exempt audience).
    pub cross_site_identifier: bool,
    /// The vendor uses the data for advertising (declared; forbids exempt audience).
    pub advertising_features: bool,
    /// The vendor's own category (`advertising`, `social`, `audience`, …), as declared.
    pub category: Option<String>,
    /// Under a `necessary` purpose: which exemption of CNIL 2020-091 applies.
    pub exemption: Option<Exemption>,
    /// The vendor opens WebSockets to its hosts (a chat, live measurement): the
    /// browser-enforced header then lists them with `ws://` too once its purpose is
    /// granted (`policy::host_source`). Declared, default false: a scheme-less CSP
    /// source never matches `ws:`/`wss:`, and listing every host twice would push the
    /// header of a large config past 8 KB.
    pub websocket: bool,
}

/// The trackers CNIL deliberation 2020-091 (art. 5, loi Informatique et Libertés
/// art. 82) exempts from consent, as a vendor under a `necessary` purpose declares
/// them (`exemption`). A closed list: anything else needs consent. Audience measurement
/// is not here: it has its own basis, `exempt-audience`, with its own conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exemption {
    /// « traceurs conservant le choix exprimé par les utilisateurs sur le dépôt de
    /// traceurs ».
    ConsentRecord,
    /// « traceurs destinés à l'authentification auprès d'un service ».
    Authentication,
    /// « y compris ceux visant à assurer la sécurité du mécanisme d'authentification »
    /// (fraud and abuse prevention of the service the person uses).
    Security,
    /// « traceurs destinés à garder en mémoire le contenu d'un panier d'achat … ou à
    /// facturer à l'utilisateur le ou les produits et/ou services achetés ».
    Cart,
    /// « traceurs de personnalisation de l'interface utilisateur (par exemple, pour le
    /// choix de la langue ou de la présentation d'un service), lorsqu'une telle
    /// personnalisation constitue un élément intrinsèque et attendu du service ».
    UserPreference,
    /// « traceurs permettant l'équilibrage de la charge des équipements concourant à un
    /// service de communication ».
    LoadBalancing,
    /// « traceurs permettant aux sites payants de limiter l'accès gratuit à un
    /// échantillon de contenu demandé par les utilisateurs ».
    MeteredAccess,
}

impl Exemption {
    /// Every exemption with its config value, in the README's order.
    pub const ALL: [(&'static str, Exemption); 7] = [
        ("consent-record", Exemption::ConsentRecord),
        ("authentication", Exemption::Authentication),
        ("security", Exemption::Security),
        ("cart", Exemption::Cart),
        ("user-preference", Exemption::UserPreference),
        ("load-balancing", Exemption::LoadBalancing),
        ("metered-access", Exemption::MeteredAccess),
    ];
}

/// Is a purpose's or a vendor's `category` one that is never strictly necessary?
fn never_necessary(category: &str) -> bool {
    NEVER_NECESSARY.contains(&category.to_ascii_lowercase().as_str())
}

impl Vendor {
    /// This vendor's host that some request to `h` would also match, if any.
    fn host_clash(&self, h: &HostPattern) -> Option<&HostPattern> {
        self.hosts.iter().find(|oh| oh.overlaps(h))
    }

    /// This vendor's cookie that some cookie named like `name` (a pattern) would also
    /// match, if any.
    fn cookie_clash(&self, name: &str) -> Option<&CookieDecl> {
        self.cookies.iter().find(|c| globs_overlap(&c.name, name))
    }
}

/// The controller: the insurer responsible for the processing (`controller`).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Controller {
    /// Its name (required).
    pub name: String,
    /// Its postal address (empty: not given).
    pub address: String,
    /// Where a person exercises their rights (required).
    pub contact: String,
    /// Its data protection officer's contact (empty: not given).
    pub dpo: String,
    /// The URL of its privacy policy (empty: not given).
    pub privacy_url: String,
    /// The other entities of its group, by name.
    pub group_entities: Vec<String>,
}

/// What a request to a host no vendor declares gets (`unknown_hosts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownHosts {
    /// Allowed (the default).
    Allow,
    /// Held until a decision exists, then allowed.
    Block,
}

/// Who enforces the policy besides the page (`policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyMode {
    /// The page alone (the default).
    Client,
    /// The site's server also sends the CSP of `accordctl`: the page reloads once after a
    /// grant.
    Server,
}

/// The prospection block of subscription and contest forms (SPEC §7).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Prospection {
    /// The insurer's products and services counted as analogous (NS 56's opposition
    /// regime); never health.
    pub analogous_products: Vec<String>,
    /// Where a person unsubscribes from prospection (empty: not given).
    pub unsubscribe_contact: String,
    /// The version of the form's information notice (default: `policy_version`).
    pub notice_version: String,
    /// What the form's data are used for, and who receives them.
    pub purposes: Option<Text>,
    /// Who receives the form's data (`None`: not said).
    pub recipients: Option<Text>,
    /// Partner controllers the data go to, told of an opposition.
    pub partners: Vec<Partner>,
    /// The insurer's e-mails carry an opening pixel: the blocks add its own opt-in box
    /// (CNIL deliberation 2026-042).
    pub email_open_tracking: bool,
}

/// A partner controller the form's data go to (`prospection.partners`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Partner {
    /// Its name.
    pub name: String,
    /// Its country, an ISO 3166-1 alpha-2 code (`FR`, `US`).
    pub country: String,
    /// The safeguard of a transfer outside the EU/EEA, as for a vendor.
    pub transfer_basis: Option<TransferBasis>,
}

/// A validated configuration. Only [`Config::from_json`] builds one: the type and its
/// parts are `#[non_exhaustive]`, so no other crate can write one by hand and skip the
/// validator; they read its fields.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Config {
    /// The version of the policy: a change asks everyone again.
    pub policy_version: String,
    /// The languages offered, the first one being the default.
    pub languages: Vec<Lang>,
    /// Who is responsible for the processing.
    pub controller: Controller,
    /// The purposes, in config order.
    pub purposes: Vec<Purpose>,
    /// The vendors, in config order.
    pub vendors: Vec<Vendor>,
    /// How long a choice granting a consent purpose is kept: 1 to 13 months (default 6).
    pub choice_lifetime_months: u32,
    /// How long a refusal (or a close) is remembered: at least 6 months, at most 13.
    pub refusal_lifetime_months: u32,
    /// The path on this site that receives the receipts (`consent_log.endpoint`), if any.
    pub consent_log_endpoint: Option<String>,
    /// The prospection block of the forms, if any.
    pub prospection: Option<Prospection>,
    /// What a request to a host no vendor declares gets.
    pub unknown_hosts: UnknownHosts,
    /// Third-party hosts the site needs that are not trackers (CDN, fonts, payment):
    /// always allowed.
    pub allowed_hosts: Vec<HostPattern>,
    /// Whether the site's server also sends the CSP header.
    pub policy: PolicyMode,
    /// Name of the record cookie (default `accord`).
    pub cookie_name: String,
    /// The site's own registrable domain (`exemple.fr`): when set, an exempt audience
    /// tool must load from it or one of its subdomains.
    pub site_domain: Option<String>,
    /// The shapes of the insurer's own client codes (`internal_code.shapes`), which the
    /// internal-code guard never refuses unless checksum-verified (SPEC §7).
    pub internal_code_shapes: Vec<CodeShape>,
}

/// The sections of a config that the forms module uses (SPEC §7; CNIL NS 56), read by
/// [`FormsConfig::from_json`] with the very section checkers of [`Config::from_json`]:
/// the same values, without the rest of the validator (its other sections, the checks
/// between purposes and vendors), which the forms module would otherwise download a
/// second time. Only for a config the page's module has already validated whole: a
/// form is never rendered from a config the page refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FormsConfig {
    /// As [`Config::policy_version`].
    pub policy_version: String,
    /// As [`Config::controller`].
    pub controller: Controller,
    /// As [`Config::prospection`].
    pub prospection: Option<Prospection>,
    /// As [`Config::internal_code_shapes`].
    pub internal_code_shapes: Vec<CodeShape>,
}

impl FormsConfig {
    /// Reads the forms' sections of `doc`; the errors of those sections, as
    /// [`Config::from_json`] gives them, when one is broken.
    pub fn from_json(doc: &Json) -> Result<FormsConfig, Vec<ConfigError>> {
        // The calls of `Config::from_json` for these sections, in its order (the
        // languages are read for the prospection texts): the same values, the same errors.
        let mut c = Checker { errors: Vec::new() };
        let Some(root) = c.object(doc, "", TOP_FIELDS) else {
            return Err(c.into_errors(doc));
        };
        let policy_version = policy_version(&mut c, root);
        let langs = languages(&mut c, root);
        let controller = controller(&mut c, root);
        let prospection = prospection(&mut c, root, &langs, &policy_version);
        let internal_code_shapes = internal_code(&mut c, root);
        if !c.errors.is_empty() {
            return Err(c.into_errors(doc));
        }
        Ok(FormsConfig {
            policy_version: policy_version.unwrap_or_default(),
            controller,
            prospection,
            internal_code_shapes,
        })
    }
}

/// Sizes a config may have, so that validating a hostile one stays fast (every check
/// between vendors is pairwise): purposes, vendors, hosts and cookies per vendor,
/// declared cookies in all, entries of a list of names, and characters of a name.
pub const MAX_PURPOSES: usize = 32;
/// At most this many vendors.
pub const MAX_VENDORS: usize = 200;
/// At most this many hosts per vendor.
pub const MAX_HOSTS_PER_VENDOR: usize = 32;
/// At most this many cookies per vendor.
pub const MAX_COOKIES_PER_VENDOR: usize = 64;
/// At most this many declared cookies in all vendors.
pub const MAX_COOKIES: usize = 500;
/// At most this many entries in a list of names.
pub const MAX_LIST: usize = 100;
/// At most this many characters in a name.
pub const MAX_NAME_CHARS: usize = 128;

/// The Google Consent Mode v2 signals, in the order they are sent (`consent_mode`);
/// a purpose's `google_consent_mode` may name only these.
pub const CONSENT_MODE_SIGNALS: [&str; 4] = [
    "ad_storage",
    "analytics_storage",
    "ad_user_data",
    "ad_personalization",
];

/// One broken rule: where, which rule, and what is wrong in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Field path, e.g. `vendors[1].cookies[0].lifetime_days`.
    pub path: String,
    /// The rule, e.g. [`Rule::CookieLifetime`] (`cookie-lifetime`).
    pub rule: Rule,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The document itself (an empty path) is named as a whole: `config`.
        let path = if self.path.is_empty() {
            "config"
        } else {
            &self.path
        };
        write!(f, "{path}: {} [{}]", self.message, self.rule)
    }
}

const TOP_FIELDS: &[&str] = &[
    // The JSON Schema an editor checks the file against (`accordctl schema`).
    "$schema",
    "policy_version",
    "languages",
    "controller",
    "purposes",
    "vendors",
    "choice_lifetime_months",
    "refusal_lifetime_months",
    "consent_log",
    "prospection",
    "unknown_hosts",
    "allowed_hosts",
    "policy",
    "cookie_name",
    "site_domain",
    "internal_code",
];
const CONTROLLER_FIELDS: &[&str] = &[
    "name",
    "address",
    "contact",
    "dpo",
    "privacy_url",
    "group_entities",
];
const PURPOSE_FIELDS: &[&str] = &[
    "id",
    "basis",
    "title",
    "description",
    "category",
    "google_consent_mode",
];
const VENDOR_FIELDS: &[&str] = &[
    "id",
    "name",
    "purpose",
    "hosts",
    "first_party",
    "cookies",
    "storage_keys",
    "country",
    "transfer_basis",
    "privacy_url",
    "category",
    "data_categories",
    "data_retention_months",
    "cross_site_identifier",
    "advertising_features",
    "exemption",
    "websocket",
];

/// Is `code` an EU or EEA member state?
pub fn in_eu_eea(code: &str) -> bool {
    EU_EEA.contains(&code)
}

/// Is `code` an EU/EEA country or one with a full adequacy decision?
pub fn country_needs_no_basis(code: &str) -> bool {
    EU_EEA.contains(&code) || ADEQUATE.contains(&code)
}

/// Does a name declare health data? Any of its words (split on anything but letters
/// and digits) is a health word: `sante`, `donnees-sante`, `Health data`.
fn is_health_word(word: &str) -> bool {
    // ASCII case folding plus the accented capitals of the list: no Unicode tables in
    // the wasm.
    let w = word.to_ascii_lowercase().replace('É', "é");
    w.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
        .any(|token| HEALTH_WORDS.contains(&token))
}

/// Purpose and vendor ids: lowercase ASCII letters, digits, `-` and `_`, 1 to 40 chars,
/// starting with a letter.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && id.len() <= 40
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_'))
}

/// Walks the document, collecting errors.
struct Checker {
    errors: Vec<ConfigError>,
}

impl Checker {
    /// The errors, each told (in the wasm, where no sentence is built) what the document
    /// holds at its path ([`found`]).
    fn into_errors(self, doc: &Json) -> Vec<ConfigError> {
        let mut errors = self.errors;
        if cfg!(target_arch = "wasm32") {
            for e in &mut errors {
                e.message = found(doc, &e.path);
            }
        }
        errors
    }

    fn err(&mut self, path: &str, rule: Rule, message: impl Into<String>) {
        // In the wasm the words are `accordctl check`'s ([`sentence`]); `from_json`
        // tells what it found at `path` instead.
        #[cfg(target_arch = "wasm32")]
        let message = {
            let _ = message;
            String::new()
        };
        #[cfg(not(target_arch = "wasm32"))]
        let message = message.into();
        self.errors.push(ConfigError {
            path: path.to_owned(),
            rule,
            message,
        });
    }

    fn object<'a>(&mut self, v: &'a Json, path: &str, known: &[&str]) -> Option<&'a Json> {
        match v {
            Json::Obj(members) => {
                for (k, _) in members {
                    if !known.contains(&k.as_str()) && !k.starts_with('_') {
                        self.err(
                            &join(path, k),
                            Rule::UnknownField,
                            sentence!("unknown field (known fields: {})", known.join(", ")),
                        );
                    }
                }
                Some(v)
            }
            other => {
                self.err(
                    path,
                    Rule::Type,
                    sentence!("must be an object, found {}", other.kind()),
                );
                None
            }
        }
    }

    /// An optional `true`/`false` (absent: false).
    fn flag(&mut self, parent: &Json, key: &str, path: &str) -> bool {
        match parent.get(key) {
            None | Some(Json::Null) => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                self.err(
                    &join(path, key),
                    Rule::Type,
                    sentence!("must be true or false, found {}", other.kind()),
                );
                false
            }
        }
    }

    fn string(&mut self, parent: &Json, key: &str, path: &str, required: bool) -> Option<String> {
        let p = join(path, key);
        match parent.get(key) {
            Some(Json::Str(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Json::Str(_)) => {
                self.err(&p, Rule::Required, "must not be empty");
                None
            }
            None | Some(Json::Null) if !required => None,
            None | Some(Json::Null) => {
                self.err(&p, Rule::Required, "is required");
                None
            }
            Some(other) => {
                self.err(
                    &p,
                    Rule::Type,
                    sentence!("must be a string, found {}", other.kind()),
                );
                None
            }
        }
    }

    fn array<'a>(
        &mut self,
        parent: &'a Json,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<&'a [Json]> {
        let p = join(path, key);
        match parent.get(key) {
            Some(Json::Arr(items)) => Some(items),
            None | Some(Json::Null) if !required => None,
            None | Some(Json::Null) => {
                self.err(&p, Rule::Required, "is required");
                None
            }
            Some(other) => {
                self.err(
                    &p,
                    Rule::Type,
                    sentence!("must be an array, found {}", other.kind()),
                );
                None
            }
        }
    }

    /// The first `max` items of a list, with a `too-many` error naming the bound when
    /// there are more (the rest is not checked).
    fn bounded<'a>(&mut self, items: &'a [Json], path: &str, max: usize, what: &str) -> &'a [Json] {
        if items.len() > max {
            self.err(
                path,
                Rule::TooMany,
                sentence!(
                    "{} {what}: at most {max} (only the first {max} were checked)",
                    items.len()
                ),
            );
        }
        &items[..items.len().min(max)]
    }

    /// A name (cookie, storage key, host) of at most [`MAX_NAME_CHARS`] characters.
    fn short(&mut self, path: &str, name: &str) -> bool {
        let n = name.chars().count();
        if n > MAX_NAME_CHARS {
            self.err(
                path,
                Rule::TooLong,
                sentence!("{n} characters: a name has at most {MAX_NAME_CHARS}"),
            );
        }
        n <= MAX_NAME_CHARS
    }

    fn strings(&mut self, parent: &Json, key: &str, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(items) = self.array(parent, key, path, false) {
            let items = self.bounded(items, &join(path, key), MAX_LIST, "entries");
            for (i, item) in items.iter().enumerate() {
                match item {
                    Json::Str(s)
                        if !s.trim().is_empty() && !self.short(&index(&join(path, key), i), s) => {}
                    Json::Str(s) if !s.trim().is_empty() => out.push(s.clone()),
                    other => self.err(
                        &index(&join(path, key), i),
                        Rule::Type,
                        sentence!("must be a non-empty string, found {}", other.kind()),
                    ),
                }
            }
        }
        out
    }

    fn text(&mut self, parent: &Json, key: &str, path: &str, langs: &[Lang]) -> Text {
        let p = join(path, key);
        let mut text = Text::default();
        match parent.get(key) {
            Some(obj @ Json::Obj(_)) => {
                self.object(obj, &p, &["fr", "en"]);
                for &lang in langs {
                    let s = self.string(obj, lang.code(), &p, true);
                    match lang {
                        Lang::Fr => text.fr = s,
                        Lang::En => text.en = s,
                    }
                }
            }
            None | Some(Json::Null) => self.err(&p, Rule::Required, "is required"),
            Some(other) => self.err(
                &p,
                Rule::Type,
                sentence!(
                    "must be an object with one text per language, found {}",
                    other.kind()
                ),
            ),
        }
        text
    }

    fn enumerated<T: Copy>(
        &mut self,
        parent: &Json,
        key: &str,
        path: &str,
        choices: &[(&str, T)],
        default: Option<T>,
    ) -> Option<T> {
        let p = join(path, key);
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        match parent.get(key) {
            None | Some(Json::Null) if default.is_some() => default,
            None | Some(Json::Null) => {
                self.err(
                    &p,
                    Rule::Required,
                    sentence!("is required (one of: {})", names.join(", ")),
                );
                None
            }
            Some(Json::Str(s)) => match choices.iter().find(|(n, _)| n == s) {
                Some((_, v)) => Some(*v),
                None => {
                    self.err(
                        &p,
                        Rule::Enum,
                        sentence!("\"{s}\" is not one of: {}", names.join(", ")),
                    );
                    None
                }
            },
            Some(other) => {
                self.err(
                    &p,
                    Rule::Type,
                    sentence!(
                        "must be one of: {} (found {})",
                        names.join(", "),
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    /// `transfer_basis` of a vendor or partner: required outside the EU/EEA and the
    /// whole-country adequacy list.
    fn transfer(
        &mut self,
        item: &Json,
        path: &str,
        country: Option<&str>,
        who: &str,
    ) -> Option<TransferBasis> {
        let basis = self
            .enumerated(
                item,
                "transfer_basis",
                path,
                &[
                    ("adequacy", Some(TransferBasis::Adequacy)),
                    ("scc", Some(TransferBasis::Scc)),
                    ("bcr", Some(TransferBasis::Bcr)),
                    ("art49", Some(TransferBasis::Art49)),
                ],
                Some(None),
            )
            .flatten();
        if let Some(cc) = country {
            if basis.is_none() && !country_needs_no_basis(cc) {
                self.err(
                    &join(path, "transfer_basis"),
                    Rule::TransferBasis,
                    sentence!("a {who} in {cc} (outside the EU/EEA, no adequacy decision) needs a transfer_basis: adequacy, scc, bcr or art49"),
                );
            }
        }
        basis
    }

    fn hosts(&mut self, items: &[Json], path: &str) -> Vec<HostPattern> {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            match item {
                Json::Str(s) if !self.short(&p, s) => {}
                Json::Str(s) => match HostPattern::parse(s) {
                    Ok(h) => out.push(h),
                    Err(why) => self.err(
                        &p,
                        Rule::HostFormat,
                        sentence!("\"{s}\" is not a host: {why}"),
                    ),
                },
                other => self.err(
                    &p,
                    Rule::Type,
                    sentence!("must be a host name string, found {}", other.kind()),
                ),
            }
        }
        out
    }
}

/// What `doc` holds at `path` (`vendors[3].category`), in a few words without a
/// sentence: `found "advertising" in "pubnet"` (the value, then the `id` of the list
/// entry it sits in), `found nothing`, `found an array`. The wasm's message for an
/// error: with the field and the rule, enough to find the line; `accordctl check`
/// explains it.
pub fn found(doc: &Json, path: &str) -> String {
    let mut at = Some(doc);
    let mut id = None;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        let key = pieces.next().unwrap_or_default();
        if !key.is_empty() {
            at = at.and_then(|v| v.get(key));
        }
        for i in pieces {
            let i = i.strip_suffix(']').and_then(|i| i.parse::<usize>().ok());
            at = match (at, i) {
                (Some(Json::Arr(items)), Some(i)) => items.get(i),
                _ => None,
            };
            if let Some(Json::Str(s)) = at.and_then(|v| v.get("id")) {
                id = Some(s);
            }
        }
    }
    let mut out = String::from("found ");
    match at {
        None => out.push_str("nothing"),
        Some(Json::Str(s)) => quoted(&mut out, s),
        Some(Json::Num(n)) => out.push_str(&number(*n)),
        Some(Json::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        Some(v) => out.push_str(v.kind()),
    }
    if let Some(id) = id {
        out.push_str(" in ");
        quoted(&mut out, id);
    }
    out
}

/// `s` in double quotes, cut to 60 characters.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    out.extend(s.chars().take(60));
    out.push('"');
}

/// A JSON number for a message, without the float formatter (it weighs 14 KB of wasm):
/// whole numbers as such, others with up to three decimals.
fn number(n: f64) -> String {
    if !n.is_finite() || n.abs() >= 1e15 {
        return "a number out of range".to_owned();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let milli = (n.abs() * 1000.0).round() as u64;
    let (whole, frac) = (milli / 1000, milli % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{frac:03}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

impl Config {
    /// Validates a parsed JSON document. Returns every error found, in document order.
    pub fn from_json(doc: &Json) -> Result<Config, Vec<ConfigError>> {
        let mut c = Checker { errors: Vec::new() };
        let Some(root) = c.object(doc, "", TOP_FIELDS) else {
            return Err(c.into_errors(doc));
        };

        let policy_version = policy_version(&mut c, root);
        let langs = languages(&mut c, root);
        let controller = controller(&mut c, root);
        let purposes = purposes(&mut c, root, &langs);
        necessary_categories(&mut c, &purposes);
        let vendors = vendors(&mut c, root, &purposes);
        let site_domain = site_domain(&mut c, root);
        vendor_overlap(&mut c, &purposes, &vendors);
        exempt_audience(&mut c, &purposes, &vendors, &site_domain);
        let choice_lifetime_months = choice_lifetime(&mut c, root);
        let refusal_lifetime_months = refusal_lifetime(&mut c, root, choice_lifetime_months);
        let consent_log_endpoint = consent_log(&mut c, root);
        let prospection = prospection(&mut c, root, &langs, &policy_version);
        let (unknown_hosts, policy) = modes(&mut c, root);
        let allowed_hosts = allowed_hosts(&mut c, root, &purposes, &vendors);
        let cookie_name = cookie_name(&mut c, root);
        let internal_code_shapes = internal_code(&mut c, root);

        if !c.errors.is_empty() {
            return Err(c.into_errors(doc));
        }
        Ok(Config {
            policy_version: policy_version.unwrap_or_default(),
            languages: langs,
            controller,
            purposes,
            vendors,
            choice_lifetime_months,
            refusal_lifetime_months,
            consent_log_endpoint,
            prospection,
            unknown_hosts,
            allowed_hosts,
            policy,
            cookie_name,
            site_domain,
            internal_code_shapes,
        })
    }

    /// Parses JSON text and validates it (native callers: accordctl, tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json_str(text: &str) -> Result<Config, Vec<ConfigError>> {
        match serde_json::from_str::<Json>(text) {
            Ok(doc) => Config::from_json(&doc),
            Err(e) => Err(vec![ConfigError {
                path: format!("line {} column {}", e.line(), e.column()),
                rule: Rule::JsonSyntax,
                message: format!("not valid JSON: {e}"),
            }]),
        }
    }

    /// The purpose with id `id`, if any.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// Purposes a person can decide on (everything but `necessary`).
    pub fn choosable(&self) -> impl Iterator<Item = &Purpose> {
        self.purposes.iter().filter(|p| p.basis != Basis::Necessary)
    }

    /// Exempt audience purposes (the ones the opt-out objects to), in config order.
    pub fn exempt(&self) -> impl Iterator<Item = &Purpose> {
        self.purposes
            .iter()
            .filter(|p| p.basis == Basis::ExemptAudience)
    }

    /// The vendors of `purpose`, in config order.
    pub fn vendors_of<'a>(&'a self, purpose: &'a str) -> impl Iterator<Item = &'a Vendor> + 'a {
        self.vendors.iter().filter(move |v| v.purpose == purpose)
    }
}

// ---------------------------------------------------------------- the sections of a config
// One function per section, each checking its rules (`Config::from_json` calls them in
// document order).

/// `policy_version` (SPEC §4: receipts name the notice version; `Rule::PolicyVersion`).
fn policy_version(c: &mut Checker, root: &Json) -> Option<String> {
    let policy_version = c.string(root, "policy_version", "", true);
    if let Some(v) = &policy_version {
        if v.len() > 64 || v.chars().any(|ch| ch.is_control()) {
            c.err(
                "policy_version",
                Rule::PolicyVersion,
                "must be at most 64 printable characters",
            );
        }
    }
    policy_version
}

/// `languages`: French first (`Rule::Language`); the languages offered, never empty.
fn languages(c: &mut Checker, root: &Json) -> Vec<Lang> {
    // languages
    let mut languages = Vec::new();
    match root.get("languages") {
        None | Some(Json::Null) => languages = vec![Lang::Fr, Lang::En],
        Some(Json::Arr(items)) => {
            for (i, item) in items.iter().enumerate() {
                let p = index("languages", i);
                match item {
                    Json::Str(s) => match Lang::from_code(s) {
                        Some(l) if languages.contains(&l) => {
                            c.err(&p, Rule::Language, sentence!("\"{s}\" is listed twice"))
                        }
                        Some(l) => languages.push(l),
                        None => c.err(
                            &p,
                            Rule::Language,
                            sentence!("\"{s}\" is not supported (fr, en)"),
                        ),
                    },
                    other => c.err(
                        &p,
                        Rule::Type,
                        sentence!("must be a language code, found {}", other.kind()),
                    ),
                }
            }
            if items.is_empty() {
                c.err(
                    "languages",
                    Rule::Language,
                    "must list at least one language (fr, en)",
                );
            }
        }
        Some(other) => c.err(
            "languages",
            Rule::Type,
            sentence!("must be an array of language codes, found {}", other.kind()),
        ),
    }
    if languages.is_empty() {
        vec![Lang::Fr]
    } else {
        languages
    }
}

/// `controller`: who is responsible for the processing (GDPR art. 13).
fn controller(c: &mut Checker, root: &Json) -> Controller {
    // controller
    let mut controller = Controller::default();
    match root.get("controller") {
        Some(obj) => {
            if c.object(obj, "controller", CONTROLLER_FIELDS).is_some() {
                controller.name = c
                    .string(obj, "name", "controller", true)
                    .unwrap_or_default();
                controller.address = c
                    .string(obj, "address", "controller", false)
                    .unwrap_or_default();
                controller.contact = c
                    .string(obj, "contact", "controller", true)
                    .unwrap_or_default();
                controller.dpo = c
                    .string(obj, "dpo", "controller", false)
                    .unwrap_or_default();
                controller.privacy_url = c
                    .string(obj, "privacy_url", "controller", false)
                    .unwrap_or_default();
                controller.group_entities = c.strings(obj, "group_entities", "controller");
            }
        }
        None => c.err(
            "controller",
            Rule::Required,
            "is required (who is responsible for the processing)",
        ),
    }
    controller
}

/// `purposes[]`: ids, bases, titles and descriptions in every language, no health data (`Rule::HealthExcluded`), Consent Mode signals.
fn purposes(c: &mut Checker, root: &Json, langs: &[Lang]) -> Vec<Purpose> {
    // purposes
    let mut purposes: Vec<Purpose> = Vec::new();
    if let Some(items) = c.array(root, "purposes", "", true) {
        let items = c.bounded(items, "purposes", MAX_PURPOSES, "purposes");
        if items.is_empty() {
            c.err(
                "purposes",
                Rule::Required,
                "must declare at least one purpose",
            );
        }
        for (i, item) in items.iter().enumerate() {
            let p = index("purposes", i);
            if c.object(item, &p, PURPOSE_FIELDS).is_none() {
                continue;
            }
            let id = c.string(item, "id", &p, true);
            if let Some(id) = &id {
                if !valid_id(id) {
                    c.err(&join(&p, "id"), Rule::IdFormat, sentence!("\"{id}\" must be lowercase letters, digits, - or _, starting with a letter"));
                }
                if purposes.iter().any(|q| &q.id == id) {
                    c.err(
                        &join(&p, "id"),
                        Rule::UniqueId,
                        sentence!("purpose id \"{id}\" is used twice"),
                    );
                }
                if is_health_word(id) {
                    c.err(
                        &join(&p, "id"),
                        Rule::HealthExcluded,
                        "health data may not be processed (NS 56 excludes it)",
                    );
                }
            }
            let category = c.string(item, "category", &p, false);
            if let Some(cat) = &category {
                if is_health_word(cat) {
                    c.err(
                        &join(&p, "category"),
                        Rule::HealthExcluded,
                        "health data may not be processed (NS 56 excludes it)",
                    );
                }
            }
            let basis = c.enumerated(
                item,
                "basis",
                &p,
                &[
                    ("necessary", Basis::Necessary),
                    ("exempt-audience", Basis::ExemptAudience),
                    ("consent", Basis::Consent),
                ],
                None,
            );
            let title = c.text(item, "title", &p, langs);
            let description = c.text(item, "description", &p, langs);
            let google_consent_mode = match item.get("google_consent_mode") {
                None | Some(Json::Null) => None,
                Some(_) => {
                    let gp = join(&p, "google_consent_mode");
                    let list = c.strings(item, "google_consent_mode", &p);
                    for s in &list {
                        if !CONSENT_MODE_SIGNALS.contains(&s.as_str()) {
                            c.err(&gp, Rule::ConsentMode, sentence!("\"{s}\" is not a Google Consent Mode v2 signal (ad_storage, analytics_storage, ad_user_data, ad_personalization)"));
                        }
                    }
                    if !list.is_empty() && basis.is_some_and(|b| b != Basis::Consent) {
                        c.err(&gp, Rule::ConsentMode, "only a consent purpose may grant a Google signal: a Google tag always needs consent");
                    }
                    Some(list)
                }
            };
            if let (Some(id), Some(basis)) = (id, basis) {
                purposes.push(Purpose {
                    id,
                    basis,
                    title,
                    description,
                    category,
                    google_consent_mode,
                });
            }
        }
    }
    purposes
}

/// A necessary purpose in a category that never is (CNIL 2020-091 art. 5; `Rule::NecessaryExemption`).
fn necessary_categories(c: &mut Checker, purposes: &[Purpose]) {
    // A necessary purpose in a category that never is (CNIL sanction against Condé
    // Nast, November 2025).
    for (i, q) in purposes.iter().enumerate() {
        if let Some(cat) = q
            .category
            .as_deref()
            .filter(|cat| q.basis == Basis::Necessary && never_necessary(cat))
        {
            c.err(&join(&index("purposes", i), "category"), Rule::NecessaryExemption, sentence!("purpose \"{}\" is necessary but in the \"{cat}\" category, which is never strictly necessary: make it a consent purpose", q.id));
        }
    }
}

/// `vendors[]`: hosts, cookies and their lifetimes (13 months), transfers (GDPR art.
/// 44–46), exemptions (CNIL 2020-091 art. 5).
fn vendors(c: &mut Checker, root: &Json, purposes: &[Purpose]) -> Vec<Vendor> {
    let mut vendors: Vec<Vendor> = Vec::new();
    let mut budget = CookieBudget::default();
    if let Some(items) = c.array(root, "vendors", "", false) {
        let items = c.bounded(items, "vendors", MAX_VENDORS, "vendors");
        for (i, item) in items.iter().enumerate() {
            let p = index("vendors", i);
            if c.object(item, &p, VENDOR_FIELDS).is_some() {
                if let Some(v) = vendor(c, item, &p, purposes, &vendors, &mut budget) {
                    vendors.push(v);
                }
            }
        }
    }
    vendors
}

/// How many cookies all vendors declared so far (`MAX_COOKIES` in all), and whether
/// the bound was already reported.
#[derive(Default)]
struct CookieBudget {
    used: usize,
    reported: bool,
}

/// One vendor at `p`: its id (`Rule::IdFormat`, `Rule::UniqueId` against `seen`), its
/// purpose (`Rule::VendorPurpose`), no health data (`Rule::HealthExcluded`), its hosts,
/// cookies, country and transfer, and the exemption of a necessary one.
fn vendor(
    c: &mut Checker,
    item: &Json,
    p: &str,
    purposes: &[Purpose],
    seen: &[Vendor],
    budget: &mut CookieBudget,
) -> Option<Vendor> {
    let id = c.string(item, "id", p, true);
    if let Some(id) = &id {
        if !valid_id(id) {
            c.err(
                &join(p, "id"),
                Rule::IdFormat,
                sentence!(
                    "\"{id}\" must be lowercase letters, digits, - or _, starting with a letter"
                ),
            );
        }
        if seen.iter().any(|v| &v.id == id) {
            c.err(
                &join(p, "id"),
                Rule::UniqueId,
                sentence!("vendor id \"{id}\" is used twice"),
            );
        }
    }
    let name = c.string(item, "name", p, true);
    let purpose = c.string(item, "purpose", p, true);
    if let Some(pid) = &purpose {
        if !purposes.iter().any(|q| &q.id == pid) {
            c.err(
                &join(p, "purpose"),
                Rule::VendorPurpose,
                sentence!("\"{pid}\" is not a declared purpose id"),
            );
        }
    }
    let category = c.string(item, "category", p, false);
    if category.as_deref().is_some_and(is_health_word) {
        health_excluded(c, &join(p, "category"));
    }
    let exemption = c
        .enumerated(
            item,
            "exemption",
            p,
            &Exemption::ALL.map(|(n, e)| (n, Some(e))),
            Some(None),
        )
        .flatten();
    for cat in c.strings(item, "data_categories", p) {
        if is_health_word(&cat) {
            health_excluded(c, &join(p, "data_categories"));
        }
    }
    let hosts = vendor_hosts(c, item, p);
    let first_party = c.flag(item, "first_party", p);
    let cross_site_identifier = c.flag(item, "cross_site_identifier", p);
    let advertising_features = c.flag(item, "advertising_features", p);
    let websocket = c.flag(item, "websocket", p);
    let data_retention_months = data_retention(c, item, p);
    let cookies = vendor_cookies(c, item, p, budget);
    let storage_keys = c.strings(item, "storage_keys", p);
    let country = c.string(item, "country", p, true);
    if let Some(cc) = &country {
        if cc.len() != 2 || !cc.chars().all(|ch| ch.is_ascii_uppercase()) {
            c.err(
                &join(p, "country"),
                Rule::CountryFormat,
                sentence!("\"{cc}\" must be an ISO 3166-1 alpha-2 code such as FR or US"),
            );
        }
    }
    let transfer_basis = c.transfer(item, p, country.as_deref(), "vendor");
    let privacy_url = c.string(item, "privacy_url", p, false).unwrap_or_default();
    let necessary = purpose.as_deref().is_some_and(|pid| {
        purposes
            .iter()
            .any(|q| q.id == pid && q.basis == Basis::Necessary)
    });
    necessary_exemption(
        c,
        item,
        p,
        id.as_deref().unwrap_or("?"),
        necessary,
        category.as_deref(),
        (advertising_features, cross_site_identifier),
        exemption,
    );
    Some(Vendor {
        id: id?,
        name: name?,
        purpose: purpose?,
        hosts,
        first_party,
        cookies,
        storage_keys,
        country: country?,
        transfer_basis,
        privacy_url,
        data_retention_months,
        cross_site_identifier,
        advertising_features,
        category,
        exemption,
        websocket,
    })
}

/// `Rule::HealthExcluded`: no vendor processes health data (NS 56 excludes it), by its
/// category or its data categories.
fn health_excluded(c: &mut Checker, path: &str) {
    c.err(
        path,
        Rule::HealthExcluded,
        "health data may not be processed (NS 56 excludes it)",
    );
}

/// `Rule::VendorHosts`: at least one host the vendor loads from (at most
/// `MAX_HOSTS_PER_VENDOR`), each a valid pattern.
fn vendor_hosts(c: &mut Checker, item: &Json, p: &str) -> Vec<HostPattern> {
    let hp = join(p, "hosts");
    match c.array(item, "hosts", p, true) {
        Some([]) => {
            c.err(
                &hp,
                Rule::VendorHosts,
                "must list at least one host the vendor loads from",
            );
            Vec::new()
        }
        Some(items) => {
            let items = c.bounded(items, &hp, MAX_HOSTS_PER_VENDOR, "hosts");
            c.hosts(items, &hp)
        }
        None => Vec::new(),
    }
}

/// `data_retention_months`: a whole number of months from 1 (what the notice says of
/// an exempt audience tool's data; 25 months at most is checked with the purpose).
fn data_retention(c: &mut Checker, item: &Json, p: &str) -> Option<u32> {
    match item.get("data_retention_months") {
        None | Some(Json::Null) => None,
        Some(Json::Num(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1200.0 => Some(*n as u32),
        Some(other) => {
            c.err(
                &join(p, "data_retention_months"),
                Rule::Type,
                sentence!(
                    "must be a whole number of months from 1, found {}",
                    match other {
                        Json::Num(n) => number(*n),
                        o => o.kind().to_owned(),
                    }
                ),
            );
            None
        }
    }
}

/// The vendor's cookies (at most `MAX_COOKIES_PER_VENDOR`, and `MAX_COOKIES` in all
/// vendors: `Rule::TooMany`, once), each a name and a lifetime.
fn vendor_cookies(
    c: &mut Checker,
    item: &Json,
    p: &str,
    budget: &mut CookieBudget,
) -> Vec<CookieDecl> {
    let cp = join(p, "cookies");
    let Some(items) = c.array(item, "cookies", p, true) else {
        return Vec::new();
    };
    let mut items = c.bounded(items, &cp, MAX_COOKIES_PER_VENDOR, "cookies");
    if budget.used + items.len() > MAX_COOKIES {
        if !budget.reported {
            // once, at the vendor where the bound is passed
            c.err(&cp, Rule::TooMany, sentence!("more than {MAX_COOKIES} cookies declared in all vendors: only the first {MAX_COOKIES} were checked"));
            budget.reported = true;
        }
        items = &items[..MAX_COOKIES.saturating_sub(budget.used)];
    }
    budget.used += items.len();
    items
        .iter()
        .enumerate()
        .filter_map(|(j, ck)| cookie_decl(c, ck, &index(&cp, j)))
        .collect()
}

/// One declared cookie at `kp`: a cookie name (`Rule::CookieName`) and a lifetime of
/// 1 day to 13 months (`Rule::CookieLifetime`; CNIL 2020-091 art. 5, `law.rs`).
fn cookie_decl(c: &mut Checker, ck: &Json, kp: &str) -> Option<CookieDecl> {
    c.object(ck, kp, &["name", "lifetime_days"])?;
    let name = c
        .string(ck, "name", kp, true)
        .filter(|n| c.short(&join(kp, "name"), n));
    if let Some(n) = &name {
        if n.chars()
            .any(|ch| matches!(ch, ';' | ',' | '=' | ' ') || ch.is_control())
        {
            c.err(
                &join(kp, "name"),
                Rule::CookieName,
                sentence!("\"{n}\" is not a cookie name"),
            );
        }
    }
    let lp = join(kp, "lifetime_days");
    let lifetime = match ck.get("lifetime_days") {
        Some(Json::Num(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_COOKIE_DAYS as f64 => {
            Some(*n as u32)
        }
        Some(Json::Num(n)) => {
            c.err(&lp, Rule::CookieLifetime, sentence!("{} days: a tracker may live at most 13 months ({MAX_COOKIE_DAYS} days), and at least 1 day", number(*n)));
            None
        }
        None | Some(Json::Null) => {
            c.err(
                &lp,
                Rule::Required,
                "is required: every declared cookie states its lifetime",
            );
            None
        }
        Some(other) => {
            c.err(
                &lp,
                Rule::Type,
                sentence!("must be a whole number of days, found {}", other.kind()),
            );
            None
        }
    };
    Some(CookieDecl {
        name: name?,
        lifetime_days: lifetime?,
    })
}

/// `Rule::NecessaryExemption`: a vendor under a necessary purpose names the exemption
/// of CNIL 2020-091 that applies, and is never advertising or a cross-site identifier;
/// an exemption is named only there.
#[allow(clippy::too_many_arguments)]
fn necessary_exemption(
    c: &mut Checker,
    item: &Json,
    p: &str,
    who: &str,
    necessary: bool,
    category: Option<&str>,
    (advertising_features, cross_site_identifier): (bool, bool),
    exemption: Option<Exemption>,
) {
    if !necessary {
        if exemption.is_some() {
            c.err(&join(p, "exemption"), Rule::NecessaryExemption, sentence!("vendor \"{who}\" is not under a necessary purpose: an exemption applies only there"));
        }
        return;
    }
    // CNIL 2020-091 art. 5: only the listed trackers are exempt from consent; CNIL
    // sanction against Condé Nast (November 2025): advertising declared « strictement
    // nécessaire » is a breach.
    if let Some(cat) = category.filter(|cat| never_necessary(cat)) {
        c.err(&join(p, "category"), Rule::NecessaryExemption, sentence!("vendor \"{who}\" is in the \"{cat}\" category, which is never strictly necessary: put it under a consent purpose (or an exempt-audience one for a first-party audience tool)"));
    }
    if advertising_features || cross_site_identifier {
        let what = if advertising_features {
            "advertising_features"
        } else {
            "cross_site_identifier"
        };
        c.err(&join(p, what), Rule::NecessaryExemption, sentence!("vendor \"{who}\" declares {what}, which is never strictly necessary: put it under a consent purpose"));
    }
    if exemption.is_none() && matches!(item.get("exemption"), None | Some(Json::Null)) {
        let names: Vec<&str> = Exemption::ALL.iter().map(|(n, _)| *n).collect();
        c.err(&join(p, "exemption"), Rule::NecessaryExemption, sentence!("vendor \"{who}\" is under a necessary purpose: say which exemption of CNIL 2020-091 applies (one of: {})", names.join(", ")));
    }
}

/// `site_domain`: a bare registrable domain (`Rule::SiteDomain`).
fn site_domain(c: &mut Checker, root: &Json) -> Option<String> {
    let site_domain = c
        .string(root, "site_domain", "", false)
        .map(|d| d.to_ascii_lowercase())
        .filter(|d| {
            let bare = !d.starts_with('.')
                && !d.ends_with('.')
                && !d.contains(['*', '/', ':', ' '])
                && d.contains(|ch: char| ch.is_ascii_alphanumeric());
            if !bare {
                c.err("site_domain", Rule::SiteDomain, sentence!("\"{d}\" must be a bare domain such as exemple.fr (no scheme, port, path or wildcard)"));
            }
            bare
        });
    site_domain
}

/// Vendors of different purposes share no host and no cookie (`Rule::VendorOverlap`).
fn vendor_overlap(c: &mut Checker, purposes: &[Purpose], vendors: &[Vendor]) {
    // Vendors of different purposes may not share a host or a cookie: a request or a
    // cookie belongs to the first vendor that declares it, so refusing one purpose
    // could let the other's tracker through, depending on the order of the list.
    // Two purposes that are always on (necessary) may share. An exempt vendor's
    // sharing is an exempt-audience error below, with its reason. One error per
    // field, naming the first vendor it clashes with.
    let basis_of = |id: &str| purposes.iter().find(|q| q.id == id).map(|q| q.basis);
    let clash = |a: &Vendor, b: &Vendor| {
        let (x, y) = (basis_of(&a.purpose), basis_of(&b.purpose));
        a.purpose != b.purpose
            && x != Some(Basis::ExemptAudience)
            && y != Some(Basis::ExemptAudience)
            && !(x == Some(Basis::Necessary) && y == Some(Basis::Necessary))
    };
    for (j, v) in vendors.iter().enumerate() {
        let others: Vec<&Vendor> = vendors[..j].iter().filter(|o| clash(o, v)).collect();
        let vp = index("vendors", j);
        for (k, h) in v.hosts.iter().enumerate() {
            let hit = others
                .iter()
                .find_map(|o| o.host_clash(h).map(|oh| (o, oh)));
            if let Some((o, oh)) = hit {
                c.err(&index(&join(&vp, "hosts"), k), Rule::VendorOverlap, sentence!("\"{h}\" of vendor \"{}\" (purpose \"{}\") overlaps \"{oh}\" of vendor \"{}\" (purpose \"{}\"): a request would follow whichever vendor comes first; declare the host under one vendor only", v.id, v.purpose, o.id, o.purpose));
            }
        }
        for (k, ck) in v.cookies.iter().enumerate() {
            let hit = others
                .iter()
                .find_map(|o| o.cookie_clash(&ck.name).map(|oc| (o, oc)));
            if let Some((o, oc)) = hit {
                c.err(&join(&index(&join(&vp, "cookies"), k), "name"), Rule::VendorOverlap, sentence!("cookie \"{}\" of vendor \"{}\" (purpose \"{}\") overlaps cookie \"{}\" of vendor \"{}\" (purpose \"{}\"): a cookie would follow whichever vendor comes first; name each cookie under one vendor only", ck.name, v.id, v.purpose, oc.name, o.id, o.purpose));
            }
        }
    }
}

/// The conditions of exempt audience measurement a config can show (CNIL 2020-091 art. 5; `Rule::ExemptAudience`).
fn exempt_audience(
    c: &mut Checker,
    purposes: &[Purpose],
    vendors: &[Vendor],
    site_domain: &Option<String>,
) {
    // exempt-audience: the CNIL exemption conditions a config can show (first-party,
    // single site, no cross-site identifier, no advertising use, data kept 25 months
    // at most). Each failure is an error, never a silent downgrade to consent.
    for (i, q) in purposes.iter().enumerate() {
        if q.basis != Basis::ExemptAudience {
            continue;
        }
        // Each error names the field that breaks the condition (the browser names only
        // the field, the rule and its value: issue 15).
        let p = join(&index("purposes", i), "basis");
        let own: Vec<(usize, &Vendor)> = vendors
            .iter()
            .enumerate()
            .filter(|(_, v)| v.purpose == q.id)
            .collect();
        if own.is_empty() {
            c.err(
                &p,
                Rule::ExemptAudience,
                sentence!(
                    "purpose \"{}\" is exempt-audience but no vendor measures it",
                    q.id
                ),
            );
        }
        if q.refused_by_gpc() {
            let cp = join(&index("purposes", i), "category");
            c.err(&cp, Rule::ExemptAudience, sentence!("purpose \"{}\" is in an advertising or partner-sharing category: exempt measurement may have no advertising use", q.id));
        }
        for (j, v) in own {
            let at = |field: &str| join(&index("vendors", j), field);
            if !v.first_party {
                c.err(&at("first_party"), Rule::ExemptAudience, sentence!("vendor \"{}\" is not first_party: only a first-party audience tool may run without consent", v.id));
            }
            if v.hosts.iter().any(|h| h.wildcard) {
                c.err(
                    &at("hosts"),
                    Rule::ExemptAudience,
                    sentence!(
                        "vendor \"{}\" uses wildcard hosts: an exempt tool serves this single site",
                        v.id
                    ),
                );
            }
            if let Some(domain) = &site_domain {
                for h in v.hosts.iter().filter(|h| !h.within_domain(domain)) {
                    c.err(&at("hosts"), Rule::ExemptAudience, sentence!("vendor \"{}\" loads from \"{h}\", which is not the site's own domain \"{domain}\" (site_domain)", v.id));
                }
            }
            if v.cross_site_identifier {
                c.err(&at("cross_site_identifier"), Rule::ExemptAudience, sentence!("vendor \"{}\" declares cross_site_identifier: exempt measurement may not follow visitors across sites", v.id));
            }
            if v.advertising_features {
                c.err(&at("advertising_features"), Rule::ExemptAudience, sentence!("vendor \"{}\" declares advertising_features: exempt measurement may have no advertising use", v.id));
            }
            if let Some(m) = v
                .data_retention_months
                .filter(|m| *m > MAX_EXEMPT_RETENTION_MONTHS)
            {
                c.err(&at("data_retention_months"), Rule::ExemptAudience, sentence!("vendor \"{}\" keeps data {m} months: exempt measurement keeps it {MAX_EXEMPT_RETENTION_MONTHS} months at most (data_retention_months)", v.id));
            }
            // The same hosts or cookies in another purpose's vendor: the exempt data
            // would reach a tool used for something else (a shared identifier).
            for o in vendors.iter().filter(|o| o.purpose != q.id) {
                if v.hosts.iter().any(|h| o.host_clash(h).is_some()) {
                    c.err(&at("hosts"), Rule::ExemptAudience, sentence!("vendor \"{}\" shares a host with vendor \"{}\" of purpose \"{}\": an exempt tool may not pass its data to another use", v.id, o.id, o.purpose));
                }
                if let Some(ck) = v
                    .cookies
                    .iter()
                    .find(|ck| o.cookie_clash(&ck.name).is_some())
                {
                    c.err(&at("cookies"), Rule::ExemptAudience, sentence!("vendor \"{}\" shares the cookie \"{}\" with vendor \"{}\" of purpose \"{}\": an exempt tool's identifier may not serve another use", v.id, ck.name, o.id, o.purpose));
                }
            }
        }
    }
}

/// `choice_lifetime_months`: 1 to 13 (CNIL 2020-092; `Rule::ChoiceLifetime`).
fn choice_lifetime(c: &mut Checker, root: &Json) -> u32 {
    // choice lifetime
    let choice_lifetime_months = match root.get("choice_lifetime_months") {
        None | Some(Json::Null) => DEFAULT_CHOICE_MONTHS,
        Some(Json::Num(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_MONTHS as f64 => *n as u32,
        Some(Json::Num(n)) => {
            c.err(
                "choice_lifetime_months",
                Rule::ChoiceLifetime,
                sentence!(
                    "{}: a choice is kept at most 13 months (6 recommended), at least 1",
                    number(*n)
                ),
            );
            DEFAULT_CHOICE_MONTHS
        }
        Some(other) => {
            c.err(
                "choice_lifetime_months",
                Rule::Type,
                sentence!("must be a whole number of months, found {}", other.kind()),
            );
            DEFAULT_CHOICE_MONTHS
        }
    };
    choice_lifetime_months
}

/// `refusal_lifetime_months`: 6 to 13 (CNIL 2020-092; `Rule::RefusalLifetime`).
fn refusal_lifetime(c: &mut Checker, root: &Json, choice_lifetime_months: u32) -> u32 {
    // refusal lifetime (CNIL 2020-092: a refusal is remembered at least 6 months)
    let default_refusal = choice_lifetime_months.max(MIN_REFUSAL_MONTHS);
    let refusal_lifetime_months = match root.get("refusal_lifetime_months") {
        None | Some(Json::Null) => default_refusal,
        Some(Json::Num(n))
            if n.fract() == 0.0 && *n >= MIN_REFUSAL_MONTHS as f64 && *n <= MAX_MONTHS as f64 =>
        {
            *n as u32
        }
        Some(Json::Num(n)) => {
            c.err(
                "refusal_lifetime_months",
                Rule::RefusalLifetime,
                sentence!(
                    "{}: a refusal is remembered at least {MIN_REFUSAL_MONTHS} months (CNIL 2020-092) and at most {MAX_MONTHS}",
                    number(*n)
                ),
            );
            default_refusal
        }
        Some(other) => {
            c.err(
                "refusal_lifetime_months",
                Rule::Type,
                sentence!("must be a whole number of months, found {}", other.kind()),
            );
            default_refusal
        }
    };
    refusal_lifetime_months
}

/// `consent_log.endpoint`: a path on this site (`Rule::FirstPartyEndpoint`).
fn consent_log(c: &mut Checker, root: &Json) -> Option<String> {
    // consent log
    let mut consent_log_endpoint = None;
    if let Some(obj) = root.get("consent_log") {
        if c.object(obj, "consent_log", &["endpoint"]).is_some() {
            if let Some(ep) = c.string(obj, "endpoint", "consent_log", true) {
                if !ep.starts_with('/') || ep.starts_with("//") || ep.contains('\\') {
                    c.err("consent_log.endpoint", Rule::FirstPartyEndpoint, sentence!("\"{ep}\" must be a path on this site, such as /consent-log: receipts never go to a third party"));
                } else {
                    consent_log_endpoint = Some(ep);
                }
            }
        }
    }
    consent_log_endpoint
}

/// `prospection`: the forms' block (CNIL NS 56).
fn prospection(
    c: &mut Checker,
    root: &Json,
    langs: &[Lang],
    policy_version: &Option<String>,
) -> Option<Prospection> {
    // prospection (forms)
    let mut prospection = None;
    if let Some(obj) = root.get("prospection") {
        if c.object(
            obj,
            "prospection",
            &[
                "analogous_products",
                "unsubscribe_contact",
                "notice_version",
                "purposes",
                "recipients",
                "partners",
                "email_open_tracking",
            ],
        )
        .is_some()
        {
            let analogous_products = c.strings(obj, "analogous_products", "prospection");
            for (i, prod) in analogous_products.iter().enumerate() {
                if is_health_word(prod) {
                    c.err(
                        &index("prospection.analogous_products", i),
                        Rule::HealthExcluded,
                        "health data may not be processed (NS 56 excludes it)",
                    );
                }
            }
            let unsubscribe_contact = c
                .string(obj, "unsubscribe_contact", "prospection", false)
                .unwrap_or_default();
            let notice_version = c
                .string(obj, "notice_version", "prospection", false)
                .or_else(|| policy_version.clone())
                .unwrap_or_default();
            let optional_text = |c: &mut Checker, key: &str| match obj.get(key) {
                None | Some(Json::Null) => None,
                Some(_) => Some(c.text(obj, key, "prospection", langs)),
            };
            let purposes_text = optional_text(c, "purposes");
            let recipients = optional_text(c, "recipients");
            for (key, t) in [("purposes", &purposes_text), ("recipients", &recipients)] {
                if let Some(t) = t {
                    if [&t.fr, &t.en]
                        .iter()
                        .any(|s| s.as_deref().is_some_and(is_health_word))
                    {
                        c.err(
                            &join("prospection", key),
                            Rule::HealthExcluded,
                            "health data may not be processed (NS 56 excludes it)",
                        );
                    }
                }
            }
            let mut partners = Vec::new();
            if let Some(items) = c.array(obj, "partners", "prospection", false) {
                for (i, item) in items.iter().enumerate() {
                    let p = index("prospection.partners", i);
                    if c.object(item, &p, &["name", "country", "transfer_basis"])
                        .is_none()
                    {
                        continue;
                    }
                    let name = c.string(item, "name", &p, true);
                    let country = c.string(item, "country", &p, true);
                    let basis = c.transfer(item, &p, country.as_deref(), "partner");
                    if let (Some(name), Some(country)) = (name, country) {
                        partners.push(Partner {
                            name,
                            country,
                            transfer_basis: basis,
                        });
                    }
                }
            }
            let email_open_tracking = c.flag(obj, "email_open_tracking", "prospection");
            prospection = Some(Prospection {
                email_open_tracking,
                analogous_products,
                unsubscribe_contact,
                notice_version,
                purposes: purposes_text,
                recipients,
                partners,
            });
        }
    }
    prospection
}

/// `unknown_hosts` and `policy`.
fn modes(c: &mut Checker, root: &Json) -> (UnknownHosts, PolicyMode) {
    let unknown_hosts = c
        .enumerated(
            root,
            "unknown_hosts",
            "",
            &[
                ("allow", UnknownHosts::Allow),
                ("block", UnknownHosts::Block),
            ],
            Some(UnknownHosts::Allow),
        )
        .unwrap_or(UnknownHosts::Block);
    let policy = c
        .enumerated(
            root,
            "policy",
            "",
            &[
                ("client", PolicyMode::Client),
                ("server", PolicyMode::Server),
            ],
            Some(PolicyMode::Client),
        )
        .unwrap_or(PolicyMode::Client);
    (unknown_hosts, policy)
}

/// `allowed_hosts`: never a host of a purpose that can be refused (`Rule::AllowedHostConflict`).
fn allowed_hosts(
    c: &mut Checker,
    root: &Json,
    purposes: &[Purpose],
    vendors: &[Vendor],
) -> Vec<HostPattern> {
    let mut allowed_hosts = Vec::new();
    if let Some(items) = c.array(root, "allowed_hosts", "", false) {
        let items = c.bounded(items, "allowed_hosts", MAX_LIST, "hosts");
        allowed_hosts = c.hosts(items, "allowed_hosts");
        for (i, h) in allowed_hosts.iter().enumerate() {
            for v in vendors {
                let basis = purposes.iter().find(|q| q.id == v.purpose).map(|q| q.basis);
                let why = match basis {
                    Some(Basis::Consent) => "which needs consent",
                    Some(Basis::ExemptAudience) => {
                        "whose measurement a visitor can object to (the opt-out must stop it)"
                    }
                    _ => continue,
                };
                if v.host_clash(h).is_some() {
                    c.err(
                        &index("allowed_hosts", i),
                        Rule::AllowedHostConflict,
                        sentence!("\"{h}\" is also a host of vendor \"{}\", {why}", v.id),
                    );
                }
            }
        }
    }
    allowed_hosts
}

/// `cookie_name` (`Rule::CookieName`).
fn cookie_name(c: &mut Checker, root: &Json) -> String {
    let cookie_name = c
        .string(root, "cookie_name", "", false)
        .unwrap_or_else(|| "accord".to_owned());
    if !cookie_name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
    {
        c.err(
            "cookie_name",
            Rule::CookieName,
            sentence!("\"{cookie_name}\" may contain only letters, digits, - and _"),
        );
    }
    cookie_name
}

/// `internal_code.shapes` (SPEC §7; `Rule::CodeShape`).
fn internal_code(c: &mut Checker, root: &Json) -> Vec<CodeShape> {
    // internal_code: the shapes of the insurer's own client codes
    let mut internal_code_shapes = Vec::new();
    if let Some(obj) = root.get("internal_code") {
        if c.object(obj, "internal_code", &["shapes"]).is_some() {
            if let Some(items) = c.array(obj, "shapes", "internal_code", true) {
                for (i, item) in items.iter().enumerate() {
                    let p = index("internal_code.shapes", i);
                    match item {
                        Json::Str(text) => match CodeShape::parse(text) {
                            Ok(shape) => internal_code_shapes.push(shape),
                            Err(why) => c.err(&p, Rule::CodeShape, sentence!("\"{text}\" {why}")),
                        },
                        other => c.err(
                            &p,
                            Rule::Type,
                            sentence!(
                                "must be a shape string such as \"CLI-******\", found {}",
                                other.kind()
                            ),
                        ),
                    }
                }
            }
        }
    }
    internal_code_shapes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages() {
        for (n, want) in [
            (400.0, "400"),
            (2.5, "2.5"),
            (0.125, "0.125"),
            (-3.0, "-3"),
            (1e20, "a number out of range"),
        ] {
            assert_eq!(number(n), want);
        }
    }

    #[test]
    fn health_words_are_found_inside_names() {
        // NS 56 excludes health data: any word of the name counts, in any case.
        for name in [
            "sante",
            "Santé",
            "SANTÉ",
            "donnees-sante",
            "sante_prevoyance",
            "Health data",
            "medical",
        ] {
            assert!(is_health_word(name), "{name} must be refused");
        }
        for name in [
            "auto",
            "habitation",
            "assurance-vie",
            "audience",
            "healthy-living-blog",
        ] {
            assert!(!is_health_word(name), "{name} must pass");
        }
    }
}
