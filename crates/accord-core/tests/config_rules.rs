#![cfg(not(target_arch = "wasm32"))]
//! Config validation as a table: a valid base config (SPEC §2), then one mutation per
//! row and the exact set of `(field path, rule)` errors it must produce.

use accord_core::config::{Config, ConfigError, PolicyMode, UnknownHosts};
use serde_json::{json, Value};

/// Modelled on SPEC §2: necessary / exempt audience (first-party Matomo) / advertising
/// (consent, a US vendor under SCC), with `_comment` keys that the validator must ignore.
const BASE: &str = r#"{
  "_comment": "base config of the test table",
  "policy_version": "2026-11-01",
  "languages": ["fr", "en"],
  "controller": {
    "name": "Mutuelle Exemple SA",
    "address": "12 rue de l'Exemple, 75009 Paris",
    "contact": "dpo@exemple.fr",
    "dpo": "Délégué à la protection des données",
    "privacy_url": "/confidentialite",
    "group_entities": ["Mutuelle Exemple Assistance"]
  },
  "purposes": [
    { "id": "necessary", "basis": "necessary",
      "title": { "fr": "Nécessaires", "en": "Necessary" },
      "description": { "fr": "Font fonctionner le site.", "en": "Make the site work." } },
    { "id": "audience", "basis": "exempt-audience",
      "title": { "fr": "Mesure d'audience", "en": "Audience measurement" },
      "description": { "fr": "Compte les visites.", "en": "Counts visits." } },
    { "id": "advertising", "basis": "consent",
      "title": { "fr": "Publicité", "en": "Advertising" },
      "description": { "fr": "Publicités ciblées.", "en": "Targeted ads." } }
  ],
  "vendors": [
    { "id": "matomo", "name": "Matomo (auto-hébergé)", "purpose": "audience",
      "hosts": ["stats.exemple.fr"], "first_party": true,
      "cookies": [{ "name": "_pk_id.*", "lifetime_days": 395 },
                  { "name": "_pk_ses.*", "lifetime_days": 1 }],
      "country": "FR", "privacy_url": "/confidentialite#matomo" },
    { "id": "adnet", "name": "AdNet", "purpose": "advertising",
      "hosts": ["ads.example", "*.ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 390 }],
      "country": "US", "transfer_basis": "scc", "privacy_url": "https://ads.example/privacy" }
  ],
  "choice_lifetime_months": 6,
  "consent_log": { "endpoint": "/consent-log" },
  "prospection": { "analogous_products": ["auto", "habitation"],
                   "unsubscribe_contact": "desinscription@exemple.fr" },
  "unknown_hosts": "allow",
  "allowed_hosts": ["cdn.exemple.fr"],
  "policy": "client"
}"#;

/// One edit of the base document. Paths read like the validator's: `vendors[1].hosts[0]`;
/// the empty path is the root.
enum Op {
    Set(&'static str, Value),
    Remove(&'static str),
    Push(&'static str, Value),
}
use Op::{Push, Remove, Set};

enum Seg {
    Key(String),
    Idx(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_owned()));
        }
        for idx in rest.split('[') {
            let n = idx.trim_end_matches(']');
            if !n.is_empty() {
                out.push(Seg::Idx(n.parse().expect("index in test path")));
            }
        }
    }
    out
}

fn at<'a>(mut v: &'a mut Value, segs: &[Seg], path: &str) -> &'a mut Value {
    for s in segs {
        v = match s {
            Seg::Key(k) => v.get_mut(k.as_str()),
            Seg::Idx(i) => v.get_mut(*i),
        }
        .unwrap_or_else(|| panic!("test path {path} does not exist in the base"));
    }
    v
}

fn apply(doc: &mut Value, op: &Op) {
    match op {
        Set(path, value) => {
            let segs = segments(path);
            match segs.split_last() {
                None => *doc = value.clone(),
                Some((Seg::Key(k), parent)) => {
                    at(doc, parent, path)
                        .as_object_mut()
                        .expect("parent is an object")
                        .insert(k.clone(), value.clone());
                }
                Some((Seg::Idx(_), _)) => *at(doc, &segs, path) = value.clone(),
            }
        }
        Remove(path) => {
            let segs = segments(path);
            let (last, parent) = segs.split_last().expect("remove needs a path");
            let parent = at(doc, parent, path);
            let removed = match last {
                Seg::Key(k) => parent.as_object_mut().and_then(|o| o.remove(k.as_str())),
                Seg::Idx(i) => parent.as_array_mut().map(|a| a.remove(*i)),
            };
            assert!(
                removed.is_some(),
                "test path {path} does not exist in the base"
            );
        }
        Push(path, value) => at(doc, &segments(path), path)
            .as_array_mut()
            .expect("push onto an array")
            .push(value.clone()),
    }
}

fn validate(ops: &[Op]) -> Result<Config, Vec<ConfigError>> {
    let mut doc: Value = serde_json::from_str(BASE).expect("BASE is JSON");
    for op in ops {
        apply(&mut doc, op);
    }
    Config::from_json_str(&doc.to_string())
}

/// The base with `ops` applied must produce exactly the errors `expected` (as a set of
/// `(path, rule)`; order-independent, duplicates counted). Empty `expected`: valid.
fn check(ops: &[Op], expected: &[(&str, &str)]) {
    let got: Vec<(String, String)> = match validate(ops) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| (e.path.clone(), e.rule.name().to_owned()))
            .collect(),
    };
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(p, r)| ((*p).to_owned(), (*r).to_owned()))
        .collect();
    want.sort();
    let describe: Vec<String> = ops
        .iter()
        .map(|op| match op {
            Set(p, v) => format!("set {p} = {v}"),
            Remove(p) => format!("remove {p}"),
            Push(p, v) => format!("push {p} += {v}"),
        })
        .collect();
    assert_eq!(got_sorted, want, "mutation [{}]", describe.join("; "));
}

/// A purpose object with id `id` (for rows that add a purpose without touching others).
fn purpose(id: &str) -> Value {
    json!({ "id": id, "basis": "consent",
            "title": { "fr": "Titre", "en": "Title" },
            "description": { "fr": "Texte", "en": "Text" } })
}

fn adnet_copy() -> Value {
    let doc: Value = serde_json::from_str(BASE).unwrap();
    doc["vendors"][1].clone()
}

#[test]
fn base_config_is_valid() {
    let config = validate(&[]).unwrap_or_else(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("BASE must be valid:\n{}", lines.join("\n"))
    });
    assert_eq!(config.policy_version, "2026-11-01");
    assert_eq!(config.purposes.len(), 3);
    assert_eq!(config.vendors.len(), 2);
    assert_eq!(config.choice_lifetime_months, 6);
    assert_eq!(config.refusal_lifetime_months, 6); // the choice lifetime, never under 6
    assert_eq!(config.consent_log_endpoint.as_deref(), Some("/consent-log"));
    assert_eq!(config.unknown_hosts, UnknownHosts::Allow);
    assert_eq!(config.policy, PolicyMode::Client);
    assert_eq!(config.cookie_name, "accord"); // §4: default record cookie name
    assert_eq!(config.vendors[0].cookies[0].lifetime_days, 395);
}

/// `(edits of the base, expected (path, rule) errors)`.
type MutationRow = (Vec<Op>, Vec<(&'static str, &'static str)>);

#[test]
fn mutation_table() {
    let rows = rows();
    assert!(rows.len() > 150, "table shrank: {} rows", rows.len());
    for (ops, expected) in &rows {
        check(ops, expected);
    }
}

/// The forms module reads only its sections of a config (`FormsConfig`), with the same
/// section checkers: on every row of the table it must read the very values the whole
/// validator reads, and report an error only where the whole validator reports it.
#[test]
fn forms_config_reads_the_same_sections_as_the_validator() {
    use accord_core::config::FormsConfig;
    use accord_core::json::Json;
    let pairs = |errors: &[ConfigError]| -> Vec<(String, String)> {
        errors
            .iter()
            .map(|e| (e.path.clone(), e.rule.name().to_owned()))
            .collect()
    };
    let mut read = 0;
    for (ops, _) in &rows() {
        let mut doc: Value = serde_json::from_str(BASE).expect("BASE is JSON");
        for op in ops {
            apply(&mut doc, op);
        }
        let json: Json = serde_json::from_value(doc.clone()).expect("a JSON document");
        let forms = FormsConfig::from_json(&json);
        match (Config::from_json(&json), forms) {
            (Ok(whole), Ok(part)) => {
                read += 1;
                assert_eq!(part.policy_version, whole.policy_version, "{doc}");
                assert_eq!(part.controller, whole.controller, "{doc}");
                assert_eq!(part.prospection, whole.prospection, "{doc}");
                assert_eq!(
                    part.internal_code_shapes, whole.internal_code_shapes,
                    "{doc}"
                );
            }
            (Ok(_), Err(e)) => panic!("the forms refused a valid config: {e:?}\n{doc}"),
            (Err(whole), Err(part)) => {
                let whole = pairs(&whole);
                for p in pairs(&part) {
                    assert!(
                        whole.contains(&p),
                        "forms error {p:?} not the validator's: {whole:?}\n{doc}"
                    );
                }
            }
            // A config broken only outside the forms' sections: they are still read.
            (Err(_), Ok(_)) => {}
        }
    }
    assert!(read > 40, "only {read} valid rows");
}

fn rows() -> Vec<MutationRow> {
    #[rustfmt::skip]
    let rows: Vec<MutationRow> = vec![
        // ---- type errors (§2: validated before use, each error names the field) ----
        (vec![Set("purposes", json!("all"))], vec![("purposes", "type"),
            // no purposes survive, so both vendors point nowhere
            ("vendors[0].purpose", "vendor-purpose"), ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Set("vendors", json!({}))], vec![("vendors", "type"),
            // the exempt purpose is left without its first-party tool
            ("purposes[1].basis", "exempt-audience")]),
        (vec![Set("controller", json!("Mutuelle"))], vec![("controller", "type")]),
        (vec![Set("languages", json!("fr"))], vec![("languages", "type")]),
        (vec![Set("languages", json!([1]))], vec![("languages[0]", "type")]),
        (vec![Set("purposes[0]", json!(5))], vec![("purposes[0]", "type")]),
        (vec![Set("purposes[2].title", json!("Publicité"))], vec![("purposes[2].title", "type")]),
        (vec![Set("purposes[2].title.fr", json!(1))], vec![("purposes[2].title.fr", "type")]),
        (vec![Set("vendors[1].first_party", json!("yes"))], vec![("vendors[1].first_party", "type")]),
        (vec![Set("vendors[0].hosts[0]", json!(42))], vec![("vendors[0].hosts[0]", "type")]),
        (vec![Set("vendors[1].hosts", json!("ads.example"))], vec![("vendors[1].hosts", "type")]),
        (vec![Set("allowed_hosts[0]", json!(true))], vec![("allowed_hosts[0]", "type")]),
        (vec![Set("allowed_hosts", json!("cdn.exemple.fr"))], vec![("allowed_hosts", "type")]),
        (vec![Set("choice_lifetime_months", json!("6"))], vec![("choice_lifetime_months", "type")]),
        (vec![Set("vendors[0].storage_keys", json!([1]))], vec![("vendors[0].storage_keys[0]", "type")]),
        (vec![Set("vendors[1].cookies[0]", json!("_adn"))], vec![("vendors[1].cookies[0]", "type")]),
        (vec![Set("vendors[1].cookies", json!({}))], vec![("vendors[1].cookies", "type")]),
        (vec![Set("policy_version", json!(20261101))], vec![("policy_version", "type")]),
        (vec![Set("vendors[1].id", json!(7))], vec![("vendors[1].id", "type")]),
        (vec![Set("controller.group_entities", json!([""]))], vec![("controller.group_entities[0]", "type")]),
        (vec![Set("unknown_hosts", json!(false))], vec![("unknown_hosts", "type")]),
        (vec![Set("vendors[1].transfer_basis", json!(1))], vec![("vendors[1].transfer_basis", "type"),
            // an unreadable basis is no basis: the US vendor is refused too
            ("vendors[1].transfer_basis", "transfer-basis")]),

        // ---- required fields (§2: every vendor has a purpose, hosts, cookies with a lifetime) ----
        (vec![Remove("policy_version")], vec![("policy_version", "required")]),
        (vec![Set("policy_version", json!("  "))], vec![("policy_version", "required")]),
        (vec![Set("policy_version", json!(null))], vec![("policy_version", "required")]),
        (vec![Remove("controller")], vec![("controller", "required")]),
        (vec![Remove("controller.name")], vec![("controller.name", "required")]),
        (vec![Remove("controller.contact")], vec![("controller.contact", "required")]),
        (vec![Remove("purposes")], vec![("purposes", "required"),
            ("vendors[0].purpose", "vendor-purpose"), ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Set("purposes", json!([]))], vec![("purposes", "required"),
            ("vendors[0].purpose", "vendor-purpose"), ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Remove("purposes[2].basis")], vec![("purposes[2].basis", "required"),
            // a purpose without a basis is not declared, so adnet's purpose is unknown
            ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Remove("purposes[1].description")], vec![("purposes[1].description", "required")]),
        (vec![Remove("purposes[2].id")], vec![("purposes[2].id", "required"), ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Remove("vendors[1].name")], vec![("vendors[1].name", "required")]),
        (vec![Remove("vendors[1].purpose")], vec![("vendors[1].purpose", "required")]),
        (vec![Remove("vendors[1].hosts")], vec![("vendors[1].hosts", "required")]),
        (vec![Remove("vendors[1].cookies")], vec![("vendors[1].cookies", "required")]),
        (vec![Remove("vendors[1].country")], vec![("vendors[1].country", "required")]),
        (vec![Remove("vendors[1].cookies[0].name")], vec![("vendors[1].cookies[0].name", "required")]),
        (vec![Set("vendors[1].cookies[0].name", json!(""))], vec![("vendors[1].cookies[0].name", "required")]),
        (vec![Remove("vendors[0].id")], vec![("vendors[0].id", "required"),
            // matomo is dropped, so the exempt purpose has no tool
            ("purposes[1].basis", "exempt-audience")]),
        (vec![Remove("consent_log.endpoint")], vec![("consent_log.endpoint", "required")]),
        // optional fields may be left out
        (vec![Remove("vendors[1].privacy_url"), Remove("controller.address"), Remove("controller.dpo"),
              Remove("controller.privacy_url"), Remove("controller.group_entities")], vec![]),
        (vec![Remove("prospection"), Remove("consent_log"), Remove("allowed_hosts"),
              Remove("unknown_hosts"), Remove("policy"), Remove("languages"), Remove("vendors")],
            // ...but an exempt purpose still needs its tool
            vec![("purposes[1].basis", "exempt-audience")]),
        (vec![Set("vendors[1].cookies", json!([]))], vec![]), // a cookieless vendor (a pixel) is fine

        // ---- unknown fields (§2: a typo is an error, not silently ignored); `_x` is a comment ----
        (vec![Set("tracking", json!(true))], vec![("tracking", "unknown-field")]),
        (vec![Set("controller.siret", json!("123"))], vec![("controller.siret", "unknown-field")]),
        (vec![Set("purposes[2].legitimate_interest", json!(true))], vec![("purposes[2].legitimate_interest", "unknown-field")]),
        (vec![Set("vendors[1].tcf_id", json!(755))], vec![("vendors[1].tcf_id", "unknown-field")]),
        (vec![Set("vendors[1].cookies[0].domain", json!(".ads.example"))], vec![("vendors[1].cookies[0].domain", "unknown-field")]),
        (vec![Set("consent_log.method", json!("GET"))], vec![("consent_log.method", "unknown-field")]),
        (vec![Set("prospection.channels", json!([]))], vec![("prospection.channels", "unknown-field")]),
        (vec![Set("purposes[0].title.de", json!("Notwendig"))], vec![("purposes[0].title.de", "unknown-field")]),
        // a misspelt transfer_basis: the typo is reported and the US vendor has no basis
        (vec![Remove("vendors[1].transfer_basis"), Set("vendors[1].transferbasis", json!("scc"))],
            vec![("vendors[1].transferbasis", "unknown-field"), ("vendors[1].transfer_basis", "transfer-basis")]),
        (vec![Set("controller._comment", json!("x")), Set("purposes[0]._comment", json!({"a": 1})),
              Set("vendors[0]._note", json!(["x"])), Set("vendors[0].cookies[0]._comment", json!(1)),
              Set("consent_log._comment", json!(null)), Set("prospection._why", json!("NS 56"))], vec![]),

        // ---- purpose basis (§2: necessary | exempt-audience | consent) ----
        (vec![Set("purposes[2].basis", json!("legitimate-interest"))], vec![("purposes[2].basis", "enum"),
            ("vendors[1].purpose", "vendor-purpose")]),
        (vec![Set("purposes[2].basis", json!("Consent"))], vec![("purposes[2].basis", "enum"),
            ("vendors[1].purpose", "vendor-purpose")]),
        // any of the three is accepted (a vendor under necessary states its exemption)
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("load-balancing"))], vec![]),

        // ---- "necessary" must be justified (CNIL 2020-091 art. 5; Condé Nast, Nov. 2025) ----
        (vec![Set("purposes[2].basis", json!("necessary"))], vec![("vendors[1].exemption", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("advertising"))],
            vec![("vendors[1].exemption", "enum")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("security")),
              Set("vendors[1].category", json!("advertising"))], vec![("vendors[1].category", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("security")),
              Set("vendors[1].category", json!("Social"))], vec![("vendors[1].category", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("security")),
              Set("vendors[1].category", json!("audience"))], vec![("vendors[1].category", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("cart")),
              Set("vendors[1].advertising_features", json!(true))], vec![("vendors[1].advertising_features", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("cart")),
              Set("vendors[1].cross_site_identifier", json!(true))], vec![("vendors[1].cross_site_identifier", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!("cart")),
              Set("purposes[2].category", json!("advertising"))], vec![("purposes[2].category", "necessary-exemption")]),
        (vec![Set("vendors[1].exemption", json!("consent-record"))], vec![("vendors[1].exemption", "necessary-exemption")]),
        (vec![Set("purposes[2].basis", json!("necessary")), Set("vendors[1].exemption", json!(null))],
            vec![("vendors[1].exemption", "necessary-exemption")]),
        (vec![Set("vendors[0].exemption", json!("authentication"))], vec![("vendors[0].exemption", "necessary-exemption")]),
        (vec![Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary",
            "hosts": ["auth.exemple.fr"], "cookies": [{"name": "sid", "lifetime_days": 1}], "country": "FR"}))],
            vec![("vendors[2].exemption", "necessary-exemption")]),

        // ---- unique ids (§2: ids are unique) ----
        (vec![Push("purposes", purpose("advertising"))], vec![("purposes[3].id", "unique-id")]),
        (vec![Push("vendors", adnet_copy())], vec![("vendors[2].id", "unique-id")]),

        // ---- id format: lowercase letters, digits, - _, starting with a letter, ≤ 40 ----
        (vec![Push("purposes", purpose("1pub"))], vec![("purposes[3].id", "id-format")]),
        (vec![Push("purposes", purpose("Video"))], vec![("purposes[3].id", "id-format")]),
        (vec![Push("purposes", purpose("pub lic"))], vec![("purposes[3].id", "id-format")]),
        (vec![Push("purposes", purpose("ads.v2"))], vec![("purposes[3].id", "id-format")]),
        (vec![Push("purposes", purpose(&"a".repeat(41)))], vec![("purposes[3].id", "id-format")]),
        (vec![Push("purposes", purpose(&"a".repeat(40)))], vec![]), // 40 is the limit
        (vec![Push("purposes", purpose("video_2-hd"))], vec![]),
        (vec![Set("vendors[1].id", json!("Ad Net"))], vec![("vendors[1].id", "id-format")]),

        // ---- health data (NS 56 excludes it: a purpose or category declared as health is refused) ----
        (vec![Push("purposes", purpose("sante"))], vec![("purposes[3].id", "health-excluded")]),
        (vec![Push("purposes", purpose("health"))], vec![("purposes[3].id", "health-excluded")]),
        (vec![Push("purposes", purpose("medical"))], vec![("purposes[3].id", "health-excluded")]),
        (vec![Push("purposes", purpose("santé"))], vec![("purposes[3].id", "id-format"), ("purposes[3].id", "health-excluded")]),
        (vec![Set("purposes[2].category", json!("health"))], vec![("purposes[2].category", "health-excluded")]),
        (vec![Set("purposes[2].category", json!(" Santé "))], vec![("purposes[2].category", "health-excluded")]),
        (vec![Set("purposes[2].category", json!("marketing"))], vec![]),
        (vec![Set("vendors[1].category", json!("medical"))], vec![("vendors[1].category", "health-excluded")]),
        (vec![Set("vendors[1].category", json!("Health-Data"))], vec![("vendors[1].category", "health-excluded")]),
        (vec![Set("vendors[1].data_categories", json!(["contact", "santé"]))], vec![("vendors[1].data_categories", "health-excluded")]),
        (vec![Set("vendors[1].data_categories", json!(["contact", "navigation"]))], vec![]),
        (vec![Set("prospection.analogous_products", json!(["auto", "santé"]))], vec![("prospection.analogous_products[1]", "health-excluded")]),
        (vec![Set("prospection.analogous_products", json!(["Sante"]))], vec![("prospection.analogous_products[0]", "health-excluded")]),
        // Forms (issue 5): the block's notice comes from the config; partners outside the
        // EU/EEA need a transfer basis; no health purpose or recipient (NS 56)
        (vec![Set("prospection.partners", json!([{"name": "Assistance SA", "country": "FR"}]))], vec![]),
        (vec![Set("prospection.partners", json!([{"name": "Broker Inc.", "country": "US"}]))], vec![("prospection.partners[0].transfer_basis", "transfer-basis")]),
        (vec![Set("prospection.partners", json!([{"name": "Broker Inc.", "country": "US", "transfer_basis": "scc"}]))], vec![]),
        (vec![Set("prospection.partners", json!([{"country": "FR"}]))], vec![("prospection.partners[0].name", "required")]),
        (vec![Set("prospection.purposes", json!({"fr": "Vos offres santé", "en": "Health offers"}))], vec![("prospection.purposes", "health-excluded")]),
        (vec![Set("prospection.recipients", json!({"fr": "Nos services"}))], vec![("prospection.recipients.en", "required")]),
        (vec![Set("prospection.notice_version", json!(7))], vec![("prospection.notice_version", "type")]),

        // ---- vendor purpose must be declared (§2: every vendor has a purpose) ----
        (vec![Set("vendors[1].purpose", json!("marketing"))], vec![("vendors[1].purpose", "vendor-purpose")]),

        // ---- vendor hosts (§2: every vendor has hosts) ----
        (vec![Set("vendors[1].hosts", json!([]))], vec![("vendors[1].hosts", "vendor-hosts")]),

        // ---- host format (host only, lowercase, wildcard only as leading *.) ----
        (vec![Set("vendors[1].hosts[0]", json!("https://ads.example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("ads.example/pixel"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("Ads.Example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("ads.*.example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("*ads.example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("*.*.ads.example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("*"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("ads.example:0"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("ads.example:99999"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!("publicité.example"))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("vendors[1].hosts[0]", json!(""))], vec![("vendors[1].hosts[0]", "host-format")]),
        (vec![Set("allowed_hosts[0]", json!("cdn.exemple.fr/"))], vec![("allowed_hosts[0]", "host-format")]),
        (vec![Set("vendors[0].hosts[0]", json!("stats.exemple.fr:8443"))], vec![]), // a port is allowed
        (vec![Set("vendors[0].hosts[0]", json!("127.0.0.1:8081"))], vec![]),        // so is an IPv4 address

        // ---- cookie lifetime (CNIL: at most 13 months = 395 days, declared for every cookie) ----
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(0))], vec![("vendors[1].cookies[0].lifetime_days", "cookie-lifetime")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(396))], vec![("vendors[1].cookies[0].lifetime_days", "cookie-lifetime")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(730))], vec![("vendors[1].cookies[0].lifetime_days", "cookie-lifetime")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(-1))], vec![("vendors[1].cookies[0].lifetime_days", "cookie-lifetime")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(2.5))], vec![("vendors[1].cookies[0].lifetime_days", "cookie-lifetime")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(395))], vec![]), // exactly 13 months is allowed
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(1))], vec![]),
        (vec![Remove("vendors[1].cookies[0].lifetime_days")], vec![("vendors[1].cookies[0].lifetime_days", "required")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!(null))], vec![("vendors[1].cookies[0].lifetime_days", "required")]),
        (vec![Set("vendors[1].cookies[0].lifetime_days", json!("390"))], vec![("vendors[1].cookies[0].lifetime_days", "type")]),

        // ---- cookie names (no ; , = space or control characters; * is a glob) ----
        (vec![Set("vendors[1].cookies[0].name", json!("_adn id"))], vec![("vendors[1].cookies[0].name", "cookie-name")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_adn;x"))], vec![("vendors[1].cookies[0].name", "cookie-name")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_adn=1"))], vec![("vendors[1].cookies[0].name", "cookie-name")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_a,b"))], vec![("vendors[1].cookies[0].name", "cookie-name")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_a\tb"))], vec![("vendors[1].cookies[0].name", "cookie-name")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_adn*"))], vec![]),

        // ---- country format (ISO 3166-1 alpha-2, uppercase) ----
        (vec![Set("vendors[1].country", json!("us"))], vec![("vendors[1].country", "country-format")]),
        (vec![Set("vendors[1].country", json!("USA"))], vec![("vendors[1].country", "country-format")]),
        (vec![Set("vendors[1].country", json!("U1"))], vec![("vendors[1].country", "country-format")]),
        // a lowercase EU code is not recognised as EU either, so a basis is asked for too
        (vec![Set("vendors[0].country", json!("fr"))], vec![("vendors[0].country", "country-format"),
            ("vendors[0].transfer_basis", "transfer-basis")]),

        // ---- transfer basis (§2: outside EU/EEA without adequacy needs adequacy|scc|bcr|art49) ----
        (vec![Remove("vendors[1].transfer_basis")], vec![("vendors[1].transfer_basis", "transfer-basis")]),
        (vec![Set("vendors[1].country", json!("CN")), Remove("vendors[1].transfer_basis")], vec![("vendors[1].transfer_basis", "transfer-basis")]),
        (vec![Set("vendors[1].country", json!("IN")), Remove("vendors[1].transfer_basis")], vec![("vendors[1].transfer_basis", "transfer-basis")]),
        (vec![Set("vendors[1].country", json!("CH")), Remove("vendors[1].transfer_basis")], vec![]), // adequacy decision
        (vec![Set("vendors[1].country", json!("GB")), Remove("vendors[1].transfer_basis")], vec![]), // adequacy decision
        (vec![Set("vendors[1].country", json!("JP")), Remove("vendors[1].transfer_basis")], vec![]), // adequacy decision
        (vec![Set("vendors[1].country", json!("IE")), Remove("vendors[1].transfer_basis")], vec![]), // EU
        (vec![Set("vendors[1].country", json!("NO")), Remove("vendors[1].transfer_basis")], vec![]), // EEA
        (vec![Set("vendors[1].transfer_basis", json!("adequacy"))], vec![]), // US under the DPF
        (vec![Set("vendors[1].transfer_basis", json!("bcr"))], vec![]),
        (vec![Set("vendors[1].transfer_basis", json!("art49"))], vec![]),
        (vec![Set("vendors[1].transfer_basis", json!("privacy-shield"))], vec![("vendors[1].transfer_basis", "enum"),
            ("vendors[1].transfer_basis", "transfer-basis")]),

        // ---- exempt audience (§2: first-party, single-site only; never a silent downgrade) ----
        (vec![Set("vendors[0].first_party", json!(false))], vec![("vendors[0].first_party", "exempt-audience")]),
        (vec![Remove("vendors[0].first_party")], vec![("vendors[0].first_party", "exempt-audience")]),
        // ...and its wildcard would also cover cdn.exemple.fr, which allowed_hosts lets through
        (vec![Set("vendors[0].hosts", json!(["*.exemple.fr"]))], vec![("allowed_hosts[0]", "allowed-host-conflict"),
            ("vendors[0].hosts", "exempt-audience")]),
        (vec![Remove("vendors[0]")], vec![("purposes[1].basis", "exempt-audience")]),
        // adnet moved to audience: neither first-party nor single-site, two errors
        (vec![Set("vendors[1].purpose", json!("audience"))], vec![("vendors[1].first_party", "exempt-audience"),
            ("vendors[1].hosts", "exempt-audience")]),
        // a second first-party single-host tool is fine
        (vec![Push("vendors", json!({"id": "mesure", "name": "Mesure", "purpose": "audience",
            "hosts": ["mesure.exemple.fr"], "first_party": true, "cookies": [], "country": "FR"}))], vec![]),
        // issue 4: no cross-site identifier, no advertising use, data kept 25 months at most
        (vec![Set("vendors[0].cross_site_identifier", json!(true))], vec![("vendors[0].cross_site_identifier", "exempt-audience")]),
        (vec![Set("vendors[0].cross_site_identifier", json!(false))], vec![]),
        (vec![Set("vendors[0].cross_site_identifier", json!("no"))], vec![("vendors[0].cross_site_identifier", "type")]),
        (vec![Set("vendors[0].advertising_features", json!(true))], vec![("vendors[0].advertising_features", "exempt-audience")]),
        (vec![Set("vendors[0].advertising_features", json!(false))], vec![]),
        (vec![Set("vendors[0].data_retention_months", json!(26))], vec![("vendors[0].data_retention_months", "exempt-audience")]),
        (vec![Set("vendors[0].data_retention_months", json!(25))], vec![]),
        (vec![Set("vendors[0].data_retention_months", json!(13))], vec![]),
        (vec![Set("vendors[0].data_retention_months", json!(0))], vec![("vendors[0].data_retention_months", "type")]),
        (vec![Set("vendors[0].data_retention_months", json!("25"))], vec![("vendors[0].data_retention_months", "type")]),
        (vec![Set("vendors[1].data_retention_months", json!(36))], vec![]), // a consent vendor says what it says
        (vec![Set("purposes[1].category", json!("advertising"))], vec![("purposes[1].category", "exempt-audience")]),
        (vec![Set("purposes[1].category", json!("partner-sharing"))], vec![("purposes[1].category", "exempt-audience")]),
        (vec![Set("purposes[1].category", json!("audience"))], vec![]),
        // the site's own domain, when declared, bounds the exempt tool's hosts
        (vec![Set("site_domain", json!("exemple.fr"))], vec![]),
        (vec![Set("site_domain", json!("stats.exemple.fr"))], vec![]),
        (vec![Set("site_domain", json!("autre-assureur.fr"))], vec![("vendors[0].hosts", "exempt-audience")]),
        (vec![Set("site_domain", json!("ple.fr"))], vec![("vendors[0].hosts", "exempt-audience")]), // not a label boundary
        (vec![Set("site_domain", json!("https://exemple.fr"))], vec![("site_domain", "site-domain")]),
        (vec![Set("site_domain", json!("*.exemple.fr"))], vec![("site_domain", "site-domain")]),
        // sharing a host or a cookie with another purpose's vendor: a cross-purpose identifier
        (vec![Push("vendors", json!({"id": "retarget", "name": "Retarget", "purpose": "advertising",
            "hosts": ["stats.exemple.fr"], "cookies": [], "country": "FR"}))], vec![("vendors[0].hosts", "exempt-audience")]),
        (vec![Push("vendors", json!({"id": "retarget", "name": "Retarget", "purpose": "advertising",
            "hosts": ["retarget.example"], "cookies": [{"name": "_pk_id.1.abcd", "lifetime_days": 30}], "country": "FR"}))],
            vec![("vendors[0].cookies", "exempt-audience")]),
        (vec![Push("vendors", json!({"id": "retarget", "name": "Retarget", "purpose": "advertising",
            "hosts": ["retarget.example"], "cookies": [{"name": "_rt", "lifetime_days": 30}], "country": "FR"}))], vec![]),
        // two wildcard patterns that neither matches the other, but one name matches both (_pk_id.1)
        (vec![Push("vendors", json!({"id": "retarget", "name": "Retarget", "purpose": "advertising",
            "hosts": ["retarget.example"], "cookies": [{"name": "*.1", "lifetime_days": 30}], "country": "FR"}))],
            vec![("vendors[0].cookies", "exempt-audience")]),

        // ---- vendors of different purposes share no host and no cookie (the first would win) ----
        (vec![Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["pixel.ads.example"], "cookies": [], "country": "FR"}))], vec![("vendors[2].hosts[0]", "vendor-overlap")]),
        (vec![Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["*.example"], "cookies": [], "country": "FR"}))], vec![("vendors[2].hosts[0]", "vendor-overlap")]),
        (vec![Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["session.exemple.fr"], "cookies": [{"name": "_adn", "lifetime_days": 1}], "country": "FR"}))],
            vec![("vendors[2].cookies[0].name", "vendor-overlap")]),
        (vec![Set("vendors[1].cookies[0].name", json!("_adn*")),
              Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["session.exemple.fr"], "cookies": [{"name": "_a*x", "lifetime_days": 1}], "country": "FR"}))],
            vec![("vendors[2].cookies[0].name", "vendor-overlap")]),
        (vec![Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["session.exemple.fr"], "cookies": [{"name": "_ad", "lifetime_days": 1}], "country": "FR"}))], vec![]),
        // one error per field, naming the first vendor it clashes with (two advertising vendors share ads.example)
        (vec![Push("vendors", json!({"id": "pixelco", "name": "PixelCo", "purpose": "advertising",
            "hosts": ["ads.example"], "cookies": [], "country": "FR"})),
              Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["ads.example"], "cookies": [], "country": "FR"}))], vec![("vendors[3].hosts[0]", "vendor-overlap")]),
        // *.ads.example covers the subdomains only: no request matches both
        (vec![Set("vendors[1].hosts", json!(["*.ads.example"])),
              Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["ads.example"], "cookies": [], "country": "FR"}))], vec![]),
        // two purposes that are always on may share a host and a cookie
        (vec![Push("purposes", json!({"id": "securite", "basis": "necessary",
            "title": {"fr": "Sécurité", "en": "Security"}, "description": {"fr": "Protège les formulaires.", "en": "Protects forms."}})),
              Push("vendors", json!({"id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication",
            "hosts": ["www.exemple.fr"], "cookies": [{"name": "sid*", "lifetime_days": 1}], "country": "FR"})),
              Push("vendors", json!({"id": "captcha", "name": "Captcha", "purpose": "securite", "exemption": "security",
            "hosts": ["www.exemple.fr"], "cookies": [{"name": "sid_c", "lifetime_days": 1}], "country": "FR"}))], vec![]),
        // the same purpose may have two vendors on one host
        (vec![Push("vendors", json!({"id": "adnet2", "name": "AdNet 2", "purpose": "advertising",
            "hosts": ["pixel.ads.example"], "cookies": [{"name": "_adn", "lifetime_days": 30}], "country": "US",
            "transfer_basis": "scc"}))], vec![]),

        // ---- Google Consent Mode mapping (issue 4: only consent purposes grant a signal) ----
        (vec![Set("purposes[2].google_consent_mode", json!(["ad_storage", "ad_user_data"]))], vec![]),
        (vec![Set("purposes[2].google_consent_mode", json!([]))], vec![]),
        (vec![Set("purposes[2].google_consent_mode", json!(["ads"]))], vec![("purposes[2].google_consent_mode", "consent-mode")]),
        (vec![Set("purposes[1].google_consent_mode", json!(["analytics_storage"]))], vec![("purposes[1].google_consent_mode", "consent-mode")]),
        (vec![Set("purposes[0].google_consent_mode", json!(["ad_storage"]))], vec![("purposes[0].google_consent_mode", "consent-mode")]),

        // ---- choice lifetime (§2/§4: at most 13 months, 6 recommended) ----
        (vec![Set("choice_lifetime_months", json!(0))], vec![("choice_lifetime_months", "choice-lifetime")]),
        (vec![Set("choice_lifetime_months", json!(14))], vec![("choice_lifetime_months", "choice-lifetime")]),
        (vec![Set("choice_lifetime_months", json!(-6))], vec![("choice_lifetime_months", "choice-lifetime")]),
        (vec![Set("choice_lifetime_months", json!(6.5))], vec![("choice_lifetime_months", "choice-lifetime")]),
        (vec![Set("choice_lifetime_months", json!(13))], vec![]),
        (vec![Set("choice_lifetime_months", json!(1))], vec![]),
        (vec![Remove("choice_lifetime_months")], vec![]), // defaults to 6 (see defaults test)

        // ---- refusal lifetime (CNIL 2020-092: a refusal is kept at least 6 months, at most 13) ----
        (vec![Set("refusal_lifetime_months", json!(6))], vec![]),
        (vec![Set("refusal_lifetime_months", json!(13))], vec![]),
        (vec![Set("refusal_lifetime_months", json!(5))], vec![("refusal_lifetime_months", "refusal-lifetime")]),
        (vec![Set("refusal_lifetime_months", json!(0))], vec![("refusal_lifetime_months", "refusal-lifetime")]),
        (vec![Set("refusal_lifetime_months", json!(14))], vec![("refusal_lifetime_months", "refusal-lifetime")]),
        (vec![Set("refusal_lifetime_months", json!(6.5))], vec![("refusal_lifetime_months", "refusal-lifetime")]),
        (vec![Set("refusal_lifetime_months", json!("6"))], vec![("refusal_lifetime_months", "type")]),
        // a consent may be asked again sooner than a refusal
        (vec![Set("choice_lifetime_months", json!(2)), Set("refusal_lifetime_months", json!(12))], vec![]),

        // ---- prospection.email_open_tracking (CNIL 2026-042): a boolean ----
        (vec![Set("prospection.email_open_tracking", json!(true))], vec![]),
        (vec![Set("prospection.email_open_tracking", json!("yes"))], vec![("prospection.email_open_tracking", "type")]),

        // ---- internal_code: the shapes of the insurer's client codes (NS 56 guard) ----
        (vec![Set("internal_code", json!({"shapes": ["CLI-******", "########"]}))], vec![]),
        (vec![Set("internal_code", json!({"shapes": ["CLIENT"]}))], vec![("internal_code.shapes[0]", "code-shape")]),
        (vec![Set("internal_code", json!({"shapes": ["CLI-é****"]}))], vec![("internal_code.shapes[0]", "code-shape")]),
        (vec![Set("internal_code", json!({"shapes": ["#".repeat(65)]}))], vec![("internal_code.shapes[0]", "code-shape")]),
        (vec![Set("internal_code", json!({"shapes": [7]}))], vec![("internal_code.shapes[0]", "type")]),
        (vec![Set("internal_code", json!({}))], vec![("internal_code.shapes", "required")]),
        (vec![Set("internal_code", json!({"shapes": [], "pattern": "x"}))], vec![("internal_code.pattern", "unknown-field")]),

        // ---- consent log endpoint (§4: first party only) ----
        (vec![Set("consent_log.endpoint", json!("https://x/log"))], vec![("consent_log.endpoint", "first-party-endpoint")]),
        (vec![Set("consent_log.endpoint", json!("//x/log"))], vec![("consent_log.endpoint", "first-party-endpoint")]),
        (vec![Set("consent_log.endpoint", json!("consent-log"))], vec![("consent_log.endpoint", "first-party-endpoint")]),
        (vec![Set("consent_log.endpoint", json!("/\\evil.example/log"))], vec![("consent_log.endpoint", "first-party-endpoint")]),
        (vec![Set("consent_log.endpoint", json!("/api/consent-log?v=1"))], vec![]),
        (vec![Set("consent_log", json!("/consent-log"))], vec![("consent_log", "type")]),

        // ---- enums: unknown_hosts (allow|block), policy (client|server) ----
        (vec![Set("unknown_hosts", json!("deny"))], vec![("unknown_hosts", "enum")]),
        (vec![Set("unknown_hosts", json!("block"))], vec![]),
        (vec![Set("policy", json!("edge"))], vec![("policy", "enum")]),
        (vec![Set("policy", json!("server"))], vec![]),

        // ---- allowed hosts may not open a door to a consent vendor ----
        (vec![Push("allowed_hosts", json!("ads.example"))], vec![("allowed_hosts[1]", "allowed-host-conflict")]),
        (vec![Push("allowed_hosts", json!("pixel.ads.example"))], vec![("allowed_hosts[1]", "allowed-host-conflict")]), // under *.ads.example
        (vec![Push("allowed_hosts", json!("ads.example:8443"))], vec![("allowed_hosts[1]", "allowed-host-conflict")]), // portless vendor host = any port
        (vec![Push("allowed_hosts", json!("*.example"))], vec![("allowed_hosts[1]", "allowed-host-conflict")]),
        // matomo is exempt, but the opt-out must be able to stop it
        (vec![Push("allowed_hosts", json!("stats.exemple.fr"))], vec![("allowed_hosts[1]", "allowed-host-conflict")]),
        (vec![Push("allowed_hosts", json!("ads.example.org"))], vec![]),
        (vec![Push("allowed_hosts", json!("badads.example"))], vec![]),

        // ---- record cookie name (§4: default `accord`; letters, digits, - and _) ----
        (vec![Set("cookie_name", json!("accord_v2-fr"))], vec![]),
        (vec![Set("cookie_name", json!("acc ord"))], vec![("cookie_name", "cookie-name")]),
        (vec![Set("cookie_name", json!("accord;x"))], vec![("cookie_name", "cookie-name")]),
        (vec![Set("cookie_name", json!("accordé"))], vec![("cookie_name", "cookie-name")]),
        (vec![Set("cookie_name", json!(""))], vec![("cookie_name", "required")]),

        // ---- languages (fr, en; French by default) ----
        (vec![Set("languages", json!([]))], vec![("languages", "language")]),
        (vec![Set("languages", json!(["fr", "fr"]))], vec![("languages[1]", "language")]),
        (vec![Set("languages", json!(["fr", "de"]))], vec![("languages[1]", "language")]),
        (vec![Set("languages", json!(["fr"]))], vec![]),
        (vec![Set("languages", json!(["en"]))], vec![]),

        // ---- texts: one per configured language ----
        (vec![Remove("purposes[0].title.en")], vec![("purposes[0].title.en", "required")]),
        (vec![Set("purposes[2].description.fr", json!(""))], vec![("purposes[2].description.fr", "required")]),
        (vec![Set("languages", json!(["fr"])), Remove("purposes[0].title.en")], vec![]),
        (vec![Set("languages", json!(["en"])), Remove("purposes[0].title.fr")], vec![]),
        (vec![Set("languages", json!(["en"])), Remove("purposes[0].title.en")], vec![("purposes[0].title.en", "required")]),
        // without `languages` both are required
        (vec![Remove("languages"), Remove("purposes[1].title.fr")], vec![("purposes[1].title.fr", "required")]),

        // ---- policy version (carried in the record, §4) ----
        (vec![Set("policy_version", json!("v".repeat(65)))], vec![("policy_version", "policy-version")]),
        (vec![Set("policy_version", json!("2026\n11"))], vec![("policy_version", "policy-version")]),
        (vec![Set("policy_version", json!("2026-11-01 rév. 2 | été"))], vec![]),

        // ---- "$schema" names the JSON Schema for editors (accordctl schema) ----
        (vec![Set("$schema", json!("https://accord.example/schema/accord-config.schema.json"))], vec![]),

        // ---- the root must be an object ----
        (vec![Set("", json!([]))], vec![("", "type")]),
        (vec![Set("", json!(null))], vec![("", "type")]),
        (vec![Set("", json!("config"))], vec![("", "type")]),
        (vec![Set("", json!(42))], vec![("", "type")]),
    ];
    rows
}

#[test]
fn defaults() {
    // §2: choice_lifetime_months absent → 6 (CNIL recommended re-ask interval)
    let c = validate(&[Remove("choice_lifetime_months")]).unwrap();
    assert_eq!(c.choice_lifetime_months, 6);
    // refusal_lifetime_months absent → the choice lifetime, never under 6 (CNIL 2020-092)
    for (choice, refusal) in [(1, 6), (5, 6), (6, 6), (9, 9), (13, 13)] {
        let c = validate(&[Set("choice_lifetime_months", json!(choice))]).unwrap();
        assert_eq!(
            c.refusal_lifetime_months, refusal,
            "choice lifetime {choice}"
        );
    }
    let c = validate(&[
        Set("choice_lifetime_months", json!(13)),
        Set("refusal_lifetime_months", json!(6)),
    ])
    .unwrap();
    assert_eq!(
        (c.choice_lifetime_months, c.refusal_lifetime_months),
        (13, 6)
    );
    // unknown_hosts absent → allow, policy absent → client, languages absent → fr, en
    let c = validate(&[
        Remove("unknown_hosts"),
        Remove("policy"),
        Remove("languages"),
    ])
    .unwrap();
    assert_eq!(c.unknown_hosts, UnknownHosts::Allow);
    assert_eq!(c.policy, PolicyMode::Client);
    assert_eq!(
        c.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
        ["fr", "en"]
    );
    // `_comment` keys are ignored, not kept anywhere
    let c = validate(&[Set("_comment", json!("x"))]).unwrap();
    assert_eq!(c.purposes.len(), 3);
}

#[test]
fn all_errors_are_reported_at_once() {
    // §2: all errors are reported at once, each with its own path.
    let errors = validate(&[
        Set("policy_version", json!("")),
        Push("purposes", purpose("sante")),
        Set("vendors[1].cookies[0].lifetime_days", json!(400)),
        Remove("vendors[1].transfer_basis"),
        Set("choice_lifetime_months", json!(24)),
        Set("consent_log.endpoint", json!("https://tiers.example/log")),
        Set("unknown_hosts", json!("maybe")),
    ])
    .expect_err("seven broken rules");
    let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(
        errors.len() >= 5,
        "only {} errors: {errors:?}",
        errors.len()
    );
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths.len(),
        errors.len(),
        "each error has its own path: {errors:?}"
    );
    for want in [
        "policy_version",
        "purposes[3].id",
        "vendors[1].cookies[0].lifetime_days",
        "vendors[1].transfer_basis",
        "choice_lifetime_months",
        "consent_log.endpoint",
        "unknown_hosts",
    ] {
        assert!(paths.contains(&want), "no error at {want}: {errors:?}");
    }
}

#[test]
fn display_is_path_message_rule() {
    let errors = validate(&[Set("vendors[1].cookies[0].lifetime_days", json!(396))]).unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    let shown = e.to_string();
    assert_eq!(shown, format!("{}: {} [{}]", e.path, e.message, e.rule));
    assert!(
        shown.starts_with("vendors[1].cookies[0].lifetime_days: "),
        "{shown}"
    );
    assert!(shown.ends_with(" [cookie-lifetime]"), "{shown}");
    assert!(!e.message.is_empty());
}

/// What the wasm says instead of the sentence (issue 15): the value at the error's path
/// and the id of the list entry it sits in, enough to find the line that
/// `accordctl check` then explains.
#[test]
fn found_names_the_value_at_the_path_and_its_entry() {
    let mut doc: Value = serde_json::from_str(BASE).unwrap();
    doc["vendors"][1]["category"] = json!("advertising");
    doc["vendors"][1]["name"] = json!("x".repeat(100));
    let doc: accord_core::json::Json = serde_json::from_value(doc).unwrap();
    let adnet_cookie = "vendors[1].cookies[0].name";
    let rows: &[(&str, String)] = &[
        (
            "vendors[1].category",
            r#"found "advertising" in "adnet""#.to_owned(),
        ),
        ("vendors[1].id", r#"found "adnet" in "adnet""#.to_owned()),
        (adnet_cookie, {
            let name = doc_str(BASE, |v| v["vendors"][1]["cookies"][0]["name"].clone());
            format!(r#"found "{name}" in "adnet""#)
        }),
        (
            "vendors[0].cookies[0].lifetime_days",
            r#"found 395 in "matomo""#.to_owned(),
        ),
        (
            "vendors[0].first_party",
            r#"found true in "matomo""#.to_owned(),
        ),
        (
            "vendors[1].name",
            format!(r#"found "{}" in "adnet""#, "x".repeat(60)),
        ),
        (
            "vendors[1].exemption",
            r#"found nothing in "adnet""#.to_owned(),
        ),
        ("purposes", "found an array".to_owned()),
        ("controller", "found an object".to_owned()),
        ("choice_lifetime_months", "found 6".to_owned()),
        ("no_such_field", "found nothing".to_owned()),
        ("", "found an object".to_owned()),
        ("vendors[9].id", "found nothing".to_owned()),
        ("vendors[x].id", "found nothing".to_owned()),
        ("policy_version.x", "found nothing".to_owned()),
    ];
    for (path, want) in rows {
        assert_eq!(&accord_core::config::found(&doc, path), want, "at {path:?}");
    }
}

/// One string of the base config, read with serde_json.
fn doc_str(base: &str, pick: impl Fn(&Value) -> Value) -> String {
    pick(&serde_json::from_str(base).unwrap())
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_key_twice_in_one_object_is_refused() {
    // Issue 14 item 7: JSON.parse (the browser) keeps the last of two equal keys, serde
    // the first: one file would validate as two configs. Refused, with where and why.
    for text in [
        r#"{"policy_version": "a", "policy_version": "b"}"#,
        r#"{"controller": {"name": "A", "name": "B"}}"#,
    ] {
        let errors = Config::from_json_str(text).expect_err(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].rule, "json-syntax");
        assert!(
            errors[0].message.contains("appears twice"),
            "{}",
            errors[0].message
        );
    }
}

#[test]
fn hostile_sizes_are_bounded_and_named() {
    // Issue 14 item 7: every check between vendors is pairwise, so the sizes a config
    // may have are bounded, each with its own error (rule too-many / too-long).
    let long = "*a".repeat(16_000);
    let errors = validate(&[Push("vendors", json!({"id": "big", "name": "Big", "purpose": "advertising",
        "hosts": ["big.example"], "cookies": [{"name": long, "lifetime_days": 1}], "country": "FR"}))])
    .expect_err("a 32,000-character cookie name");
    assert!(
        errors
            .iter()
            .any(|e| e.rule == "too-long" && e.path == "vendors[2].cookies[0].name"),
        "{errors:?}"
    );
    let many: Vec<Value> = (0..40).map(|i| purpose(&format!("p{i}"))).collect();
    let errors = validate(&[Set("purposes", json!(many))]).expect_err("40 purposes");
    assert!(
        errors
            .iter()
            .any(|e| e.rule == "too-many" && e.path == "purposes"),
        "{errors:?}"
    );
    let cookies: Vec<Value> = (0..100)
        .map(|i| json!({"name": format!("c{i}*"), "lifetime_days": 1}))
        .collect();
    let errors = validate(&[Set("vendors[1].cookies", json!(cookies))]).expect_err("100 cookies");
    assert!(
        errors
            .iter()
            .any(|e| e.rule == "too-many" && e.path == "vendors[1].cookies"),
        "{errors:?}"
    );
}

#[test]
fn json_syntax_error_has_line_and_column() {
    // §2: an unreadable config is refused with a located error, never a panic.
    for (text, line) in [
        ("{\n  \"policy_version\": \"x\",\n  oops\n}", 3), // bare word on line 3
        ("{\"a\": 1,}", 1),                                // trailing comma
        ("", 1),                                           // empty file
        ("{\"a\": \"unterminated", 1),
    ] {
        let errors = Config::from_json_str(text).expect_err(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].rule, "json-syntax");
        let prefix = format!("line {line} column ");
        assert!(
            errors[0].path.starts_with(&prefix)
                && errors[0].path[prefix.len()..].parse::<usize>().is_ok(),
            "path {:?} should be `line {line} column N`",
            errors[0].path
        );
    }
}
