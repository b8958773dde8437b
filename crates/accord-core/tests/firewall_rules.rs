#![cfg(not(target_arch = "wasm32"))]
//! The firewall's pure decisions (SPEC §5) as tables: what a tagged element does, and
//! what a withdrawal removes (cookies by glob, storage keys, every Domain/Path variant).

use accord_core::config::Config;
use accord_core::firewall::{
    cookie_verdict, cookies_to_purge, deletion_strings, hidden_cookies_regex, loader_cache,
    request_verdict, storage_to_purge, tag_decision, url_withdrawn, TagDecision, Verdict,
};
use accord_core::record::{evaluate, lapsed, Action, Choice, Decision, NoChoice, Record};
use std::fmt::Debug;

/// The one assertion of this file: `got` must equal `expected`; `row` says which row.
fn check<T: PartialEq + Debug>(row: &str, got: T, expected: T) {
    assert_eq!(got, expected, "row: {row}");
}

const CONFIG: &str = r#"{
  "policy_version": "2026-11-01",
  "controller": { "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" },
  "purposes": [
    { "id": "necessary", "basis": "necessary",
      "title": { "fr": "Nécessaires", "en": "Necessary" }, "description": { "fr": "Le site.", "en": "The site." } },
    { "id": "audience", "basis": "exempt-audience",
      "title": { "fr": "Audience", "en": "Audience" }, "description": { "fr": "Compte.", "en": "Counts." } },
    { "id": "advertising", "basis": "consent",
      "title": { "fr": "Publicité", "en": "Advertising" }, "description": { "fr": "Pubs.", "en": "Ads." } },
    { "id": "video", "basis": "consent",
      "title": { "fr": "Vidéos", "en": "Videos" }, "description": { "fr": "Vidéos.", "en": "Videos." } }
  ],
  "vendors": [
    { "id": "matomo", "name": "Matomo", "purpose": "audience", "hosts": ["stats.exemple.fr"], "first_party": true,
      "cookies": [{ "name": "_pk_id.*", "lifetime_days": 395 }, { "name": "_pk_ses.*", "lifetime_days": 1 }],
      "storage_keys": ["_pk_*"], "country": "FR" },
    { "id": "adnet", "name": "AdNet", "purpose": "advertising", "hosts": ["ads.example", "*.ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 390 }, { "name": "_adn_uid*", "lifetime_days": 30 }],
      "storage_keys": ["adn:*", "adn_last"], "country": "US", "transfer_basis": "scc" },
    { "id": "pixelco", "name": "PixelCo", "purpose": "advertising", "hosts": ["px.example"],
      "cookies": [{ "name": "px", "lifetime_days": 90 }], "country": "FR" },
    { "id": "videoplay", "name": "VidéoPlay", "purpose": "video", "hosts": ["video.example"],
      "cookies": [{ "name": "VP_*_ID", "lifetime_days": 180 }],
      "storage_keys": ["vp-*"], "country": "IE" }
  ]
}"#;

const T0: i64 = 1_795_408_980; // 2026-11-23T04:43:00Z
const T0_6M: i64 = 1_811_047_380; // 2027-05-23T04:43:00Z

fn config() -> Config {
    Config::from_json_str(CONFIG).unwrap_or_else(|e| panic!("test config invalid: {e:?}"))
}

fn choice(audience: bool, advertising: bool, video: bool) -> Choice {
    Choice::valid(Record {
        record_id: "0123456789abcdef0123456789abcdef".into(),
        decided_at: T0,
        expires_at: T0_6M,
        policy_version: "2026-11-01".into(),
        action: Action::Custom,
        purposes: vec![
            ("audience".into(), audience),
            ("advertising".into(), advertising),
            ("video".into(), video),
        ],
    })
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn tag_decision_table() {
    use TagDecision::{Activate, Hold, UnknownPurpose};
    let c = config();
    let none = Choice::none(NoChoice::Absent);
    let expired = evaluate(
        &c,
        Some(&match choice(true, true, true).decision {
            Decision::Valid(r) => r.encode(),
            Decision::None(_) => unreachable!(),
        }),
        T0_6M,
    );
    #[rustfmt::skip]
    let rows: Vec<(&str, Choice, &str, TagDecision)> = vec![
        // §5: while no decision exists, everything that needs consent is held
        ("no choice, advertising", none.clone(), "advertising", Hold),
        ("no choice, video", none.clone(), "video", Hold),
        // necessary always runs; exempt audience runs until the opt-out (§6)
        ("no choice, necessary", none.clone(), "necessary", Activate),
        ("no choice, audience", none.clone(), "audience", Activate),
        // consent given → activate
        ("accepted, advertising", choice(true, true, true), "advertising", Activate),
        ("accepted, video", choice(true, true, true), "video", Activate),
        ("custom, video only", choice(true, false, true), "video", Activate),
        // refused → held
        ("custom, video only: advertising", choice(true, false, true), "advertising", Hold),
        ("refused, advertising", choice(true, false, false), "advertising", Hold),
        ("refused, necessary", choice(false, false, false), "necessary", Activate),
        // opted out of audience → held (§6)
        ("opted out, audience", choice(false, true, true), "audience", Hold),
        // §4: an expired record is no choice
        ("expired accept, advertising", expired.clone(), "advertising", Hold),
        ("expired accept, audience", expired, "audience", Activate),
        // the attribute is trimmed
        ("padded id", choice(true, true, true), "  advertising ", Activate),
        ("padded id, no choice", none.clone(), "\tvideo\n", Hold),
        // ids not in the config never activate, whatever the choice
        ("unknown id", choice(true, true, true), "analytics", UnknownPurpose),
        ("unknown id, no choice", none.clone(), "analytics", UnknownPurpose),
        ("case differs", choice(true, true, true), "Advertising", UnknownPurpose),
        ("empty attribute", choice(true, true, true), "", UnknownPurpose),
        ("vendor id, not purpose id", choice(true, true, true), "adnet", UnknownPurpose),
    ];
    for (what, ch, attr, expected) in &rows {
        check(what, tag_decision(&c, ch, attr), *expected);
    }
}

#[test]
fn cookies_to_purge_table() {
    let c = config();
    let jar = [
        "accord",
        "PHPSESSID",
        "_pk_id.1.a1b2",
        "_pk_ses.1.a1b2",
        "_pk_idx",
        "_pk_id.",
        "_adn",
        "_adn_px",
        "_adn_uid",
        "_adn_uid_2",
        "px",
        "pxx",
        "VP_42_ID",
        "VP__ID",
        "VP_42_IDX",
    ];
    #[rustfmt::skip]
    let rows: Vec<(&str, Vec<String>, Vec<&str>)> = vec![
        // `_pk_id.*`: `*` is any run, including none; other names untouched
        ("audience", ids(&["audience"]), vec!["_pk_id.1.a1b2", "_pk_ses.1.a1b2", "_pk_id."]),
        // all vendors of the purpose: adnet and pixelco; `_adn` is exact, `_adn_uid*` a glob
        ("advertising", ids(&["advertising"]), vec!["_adn", "_adn_uid", "_adn_uid_2", "px"]),
        // a glob in the middle
        ("video", ids(&["video"]), vec!["VP_42_ID", "VP__ID"]),
        ("advertising + video", ids(&["advertising", "video"]), vec!["_adn", "_adn_uid", "_adn_uid_2", "px", "VP_42_ID", "VP__ID"]),
        // the record cookie and the site's own cookies are never purged
        ("necessary", ids(&["necessary"]), vec![]),
        ("nothing withdrawn", ids(&[]), vec![]),
        ("unknown purpose", ids(&["ghost"]), vec![]),
    ];
    for (what, purposes, expected) in &rows {
        check(what, cookies_to_purge(&c, purposes, &jar), expected.clone());
    }
    // an empty jar purges nothing
    check(
        "empty jar",
        cookies_to_purge(&c, &ids(&["advertising"]), &[]),
        vec![],
    );
}

#[test]
fn storage_to_purge_table() {
    let c = config();
    let keys = [
        "_pk_testcookie",
        "_pk_",
        "pk_x",
        "adn:segments",
        "adn:",
        "adn_last",
        "adn_last2",
        "vp-resume",
        "vp",
        "accord-receipt",
        "cart",
    ];
    #[rustfmt::skip]
    let rows: Vec<(&str, Vec<String>, Vec<&str>)> = vec![
        ("audience", ids(&["audience"]), vec!["_pk_testcookie", "_pk_"]),
        ("advertising", ids(&["advertising"]), vec!["adn:segments", "adn:", "adn_last"]),
        ("video", ids(&["video"]), vec!["vp-resume"]),
        ("all consent purposes", ids(&["advertising", "video"]), vec!["adn:segments", "adn:", "adn_last", "vp-resume"]),
        // the site's and Accord's own keys stay
        ("necessary", ids(&["necessary"]), vec![]),
        ("nothing", ids(&[]), vec![]),
    ];
    for (what, purposes, expected) in &rows {
        check(
            what,
            storage_to_purge(&c, purposes, &keys),
            expected.clone(),
        );
    }
}

const GONE: &str = "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=";

/// The exact deletion string for `name` on `path`, host-only or with `domain`.
fn del(name: &str, path: &str, domain: Option<&str>) -> String {
    match domain {
        Some(d) => format!("{name}{GONE}{path}; Domain={d}"),
        None => format!("{name}{GONE}{path}"),
    }
}

/// `(row, (cookie name, page hostname, page path), strings that must be there,
/// cookie attributes that must not)`.
type DeletionRow<'a> = (
    &'a str,
    (&'a str, &'a str, &'a str),
    Vec<String>,
    Vec<&'a str>,
);

#[test]
fn deletion_strings_table() {
    #[rustfmt::skip]
    let rows: Vec<DeletionRow> = vec![
        // §5: every domain and path variant a cookie may have been set with
        ("www host, nested page", ("_adn", "www.mutuelle.exemple.fr", "/demo/produit.html"),
         vec![
            del("_adn", "/", None),                                   // host-only, Path=/
            del("_adn", "/demo", None),
            del("_adn", "/demo/", None),
            del("_adn", "/", Some("www.mutuelle.exemple.fr")),
            del("_adn", "/", Some("mutuelle.exemple.fr")),            // parent domain
            del("_adn", "/", Some(".mutuelle.exemple.fr")),           // legacy leading-dot form
            del("_adn", "/", Some("exemple.fr")),
            del("_adn", "/", Some(".exemple.fr")),                    // registrable domain
            del("_adn", "/demo", Some(".exemple.fr")),
            del("_adn", "/demo/", Some("mutuelle.exemple.fr")),
         ],
         // never the bare public suffix
         vec!["Domain=fr", "Domain=.fr"]),
        // an IP has no parent domains: host-only variants only
        ("IPv4 host", ("_pk_id.1.a1b2", "127.0.0.1", "/demo/produit.html"),
         vec![del("_pk_id.1.a1b2", "/", None), del("_pk_id.1.a1b2", "/demo", None), del("_pk_id.1.a1b2", "/demo/", None)],
         vec!["Domain="]),
        ("localhost", ("px", "localhost", "/"), vec![del("px", "/", None)], vec!["Domain="]),
        // a trailing slash page path gives its directory both ways
        ("directory page", ("px", "exemple.fr", "/a/b/"),
         vec![del("px", "/", None), del("px", "/a", None), del("px", "/a/", None), del("px", "/a/b", None),
              del("px", "/a/b/", None), del("px", "/a/b/", Some(".exemple.fr")), del("px", "/", Some("exemple.fr"))],
         vec!["Domain=fr", "Domain=.fr"]),
        ("root page", ("px", "exemple.fr", "/"), vec![del("px", "/", None), del("px", "/", Some("exemple.fr"))], vec!["Path=/a"]),
        ("empty path", ("px", "exemple.fr", ""), vec![del("px", "/", None)], vec!["Domain=fr"]),
    ];
    for (what, (name, host, path), must, must_not) in &rows {
        let got = deletion_strings(name, host, path);
        for want in must {
            check(
                &format!("{what}: contains {want:?} in {got:#?}"),
                got.contains(want),
                true,
            );
        }
        for s in &got {
            // every string expires the cookie now, for this name
            check(
                &format!("{what}: {s:?} deletes"),
                s.starts_with(&format!("{name}{GONE}")),
                true,
            );
            for bad in must_not {
                let hit = s
                    .split("; ")
                    .any(|part| part == *bad || (bad.ends_with('=') && part.starts_with(bad)));
                check(&format!("{what}: {s:?} must not have {bad:?}"), hit, false);
            }
        }
        let mut unique = got.clone();
        unique.sort();
        unique.dedup();
        check(&format!("{what}: no duplicates"), unique.len(), got.len());
    }
}

fn no_choice() -> Choice {
    evaluate(&config(), None, T0)
}

/// (row, choice, host, port, expected verdict, expected vendor id)
type Row<'a> = (
    &'a str,
    &'a Choice,
    &'a str,
    Option<u16>,
    Verdict,
    Option<&'a str>,
);

#[test]
fn request_verdict_table() {
    use Verdict::*;
    let c = config();
    let none = no_choice();
    let refused = choice(true, false, false);
    let ads = choice(true, true, false);
    let opted_out = choice(false, false, false);
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        // SPEC §5: before any decision, a consent purpose's hosts are held…
        ("ads before decision", &none, "ads.example", Some(443), Hold, Some("adnet")),
        ("ads subdomain before decision", &none, "cdn.ads.example", Some(443), Hold, Some("adnet")),
        // …blocked after a refusal…
        ("ads after refusal", &refused, "ads.example", Some(443), Block, Some("adnet")),
        ("second ads vendor after refusal", &refused, "px.example", None, Block, Some("pixelco")),
        ("video after refusal", &refused, "video.example", Some(443), Block, Some("videoplay")),
        // …and allowed once granted.
        ("ads after consent", &ads, "ads.example", Some(443), Allow, Some("adnet")),
        ("ads subdomain after consent", &ads, "x.y.ads.example", Some(80), Allow, Some("adnet")),
        ("video not granted with ads", &ads, "video.example", Some(443), Block, Some("videoplay")),
        // Host matching is case-insensitive and ignores a trailing dot.
        ("uppercase host", &refused, "ADS.EXAMPLE", Some(443), Block, Some("adnet")),
        ("trailing dot", &refused, "ads.example.", Some(443), Block, Some("adnet")),
        // CNIL exemption: the exempt audience tool runs without consent, unless opted out.
        ("exempt before decision", &none, "stats.exemple.fr", Some(443), Allow, Some("matomo")),
        ("exempt after refusal", &refused, "stats.exemple.fr", Some(443), Allow, Some("matomo")),
        ("exempt after opt-out", &opted_out, "stats.exemple.fr", Some(443), Block, Some("matomo")),
        // Undeclared hosts: unknown_hosts = allow (the default).
        ("unknown host before decision", &none, "cdn.other.example", Some(443), Allow, None),
        ("look-alike of a wildcard vendor", &refused, "badads.example", Some(443), Allow, None),
    ];
    for (row, ch, host, port, want, vendor) in rows {
        let (v, who) = request_verdict(&c, ch, host, port);
        check(row, (v, who.map(|w| w.id.as_str())), (want, vendor));
    }
}

#[test]
fn unknown_hosts_block_and_allowed_hosts() {
    // unknown_hosts = block: an undeclared host waits for a decision, then is allowed;
    // allowed_hosts are never held.
    let mut doc: serde_json::Value = serde_json::from_str(CONFIG).unwrap();
    doc["unknown_hosts"] = "block".into();
    doc["allowed_hosts"] = serde_json::json!(["cdn.exemple.fr", "*.fonts.example"]);
    let c = Config::from_json_str(&doc.to_string()).unwrap();
    let none = evaluate(&c, None, T0);
    let refused = choice(true, false, false);
    #[rustfmt::skip]
    let rows: Vec<(&str, &Choice, &str, Verdict)> = vec![
        ("unknown before decision", &none, "cdn.other.example", Verdict::Hold),
        ("unknown after a refusal", &refused, "cdn.other.example", Verdict::Allow),
        ("allowed host before decision", &none, "cdn.exemple.fr", Verdict::Allow),
        ("allowed wildcard before decision", &none, "a.fonts.example", Verdict::Allow),
        ("vendor still follows its purpose", &none, "ads.example", Verdict::Hold),
    ];
    for (row, ch, host, want) in rows {
        check(row, request_verdict(&c, ch, host, Some(443)).0, want);
    }
}

#[test]
fn cookie_verdict_table() {
    use Verdict::*;
    let c = config();
    let none = no_choice();
    let refused = choice(true, false, false);
    let ads = choice(true, true, false);
    #[rustfmt::skip]
    let rows: Vec<(&str, &Choice, &str, Verdict)> = vec![
        // SPEC §5: a gated vendor's cookies are neither written nor read before consent.
        ("vendor cookie before decision", &none, "_adn", Hold),
        ("vendor glob cookie before decision", &none, "_adn_uid42", Hold),
        ("vendor cookie after refusal", &refused, "_adn", Block),
        ("vendor cookie after consent", &ads, "_adn", Allow),
        ("other vendor of the same purpose", &ads, "px", Allow),
        ("video cookie not granted", &ads, "VP_main_ID", Block),
        // Exempt audience cookies run without consent.
        ("exempt cookie before decision", &none, "_pk_id.1.abcd", Allow),
        // Cookies no vendor declares are the site's own: allowed (and clamped).
        ("site cookie before decision", &none, "panier", Allow),
        ("record cookie", &none, "accord", Allow),
    ];
    for (row, ch, name, want) in rows {
        check(row, cookie_verdict(&c, ch, name), want);
    }
}

#[test]
fn hidden_cookies_regex_table() {
    // What the loader hides while the module loads on the next page: the cookies of
    // purposes not granted, as one JavaScript regex (globs become .*, dots escaped).
    let c = config();
    let none = no_choice();
    let ads = choice(true, true, false);
    let all = choice(true, true, true);
    check(
        "no decision: every consent vendor's cookies",
        hidden_cookies_regex(&c, &none),
        r"^(?:_adn|_adn_uid.*|px|VP_.*_ID)$".to_owned(),
    );
    check(
        "advertising granted: video's only",
        hidden_cookies_regex(&c, &ads),
        r"^(?:VP_.*_ID)$".to_owned(),
    );
    check(
        "all granted: nothing hidden, never matches",
        hidden_cookies_regex(&c, &all),
        "(?!)".to_owned(),
    );
    let opted_out = choice(false, false, false);
    check(
        "exempt audience opted out: its cookies too, dots escaped",
        hidden_cookies_regex(&c, &opted_out),
        r"^(?:_pk_id\..*|_pk_ses\..*|_adn|_adn_uid.*|px|VP_.*_ID)$".to_owned(),
    );
}

fn encoded(ch: &Choice) -> String {
    ch.record().expect("a record").encode()
}

/// Expiry is a withdrawal (issue 12): what a stored record granted and no longer counts.
#[test]
fn lapsed_table() {
    let c = config();
    let all = encoded(&choice(true, true, true));
    let video_only = encoded(&choice(true, false, true));
    let mut newer = config();
    newer.policy_version = "2027-01-01".into();
    let mut shorter = config();
    shorter.choice_lifetime_months = 3;
    let t3m = T0 + 100 * 86_400; // past 3 months, within 6
    type Row<'a> = (&'a str, &'a Config, Option<&'a str>, i64, Vec<String>);
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        // a record that counts lapses nothing
        ("valid record", &c, Some(&all), T0 + 60, ids(&[])),
        // past expires_at: every consent purpose it granted (exempt audience stays on)
        ("expired accept-all", &c, Some(&all), T0_6M, ids(&["advertising", "video"])),
        ("expired video only", &c, Some(&video_only), T0_6M + 1, ids(&["video"])),
        // a newer policy_version, a shorter lifetime in today's config
        ("older policy", &newer, Some(&all), T0 + 60, ids(&["advertising", "video"])),
        ("shorter lifetime", &shorter, Some(&all), t3m, ids(&["advertising", "video"])),
        // dated in the future (clock or cookie wrong): its grants do not count either
        ("clock skew", &c, Some(&all), T0 - 10 * 86_400, ids(&["advertising", "video"])),
        // nothing to read: nothing known to purge (the jar sweep handles the rest)
        ("absent", &c, None, T0, ids(&[])),
        ("corrupt", &c, Some("1|zz|garbage"), T0, ids(&[])),
    ];
    for (what, cfg, stored, now, expected) in rows {
        let ch = evaluate(cfg, stored, now);
        check(what, lapsed(cfg, stored, &ch), expected);
    }
    // An objection to the exempt purpose, on an expired record, lapses it too.
    let ch = evaluate(&c, Some(&all), T0_6M).objecting(ids(&["audience"]));
    check(
        "expired, audience objected",
        lapsed(&c, Some(&all), &ch),
        ids(&["audience", "advertising", "video"]),
    );
}

/// Vendor nodes go with their purpose: which element URLs a withdrawal removes.
#[test]
fn url_withdrawn_table() {
    let c = config();
    let ads = ids(&["advertising"]);
    #[rustfmt::skip]
    let rows = [
        ("vendor host", "https://ads.example/sync.html", true),
        ("vendor subdomain", "https://cdn.ads.example/p.gif?x=1", true),
        ("other vendor of the same purpose", "http://px.example/t", true),
        ("vendor of another purpose", "https://video.example/embed/1", false),
        ("exempt audience host", "https://stats.exemple.fr/m.js", false),
        ("undeclared host", "https://cdn.exemple.fr/app.js", false),
        ("not a URL", "about:blank", false),
        ("data URL", "data:image/gif;base64,R0lGOD", false),
        ("look-alike host", "https://ads.example.evil.fr/x", false),
    ];
    for (what, url, expected) in rows {
        check(what, url_withdrawn(&c, &ads, url), expected);
    }
}

/// The loader's cached answer lapses with the record it was given for.
#[test]
fn loader_cache_lapses_with_the_record() {
    let c = config();
    let ch = choice(true, true, true);
    let until: i64 = loader_cache(&c, &ch)
        .lines()
        .nth(3)
        .and_then(|l| l.parse().ok())
        .expect("a fourth line, in ms");
    check("expires_at, in ms", until, T0_6M * 1000);
    let mut shorter = config();
    shorter.choice_lifetime_months = 3;
    let until: i64 = loader_cache(&shorter, &ch)
        .lines()
        .nth(3)
        .and_then(|l| l.parse().ok())
        .expect("a fourth line");
    check(
        "a shorter lifetime in the config: earlier",
        until,
        accord_core::calendar::add_months(T0, 3) * 1000,
    );
}

/// Storage attributed as it is written (issue 12, item 1): whose write it is, from the
/// script URL on the call stack, and what happens to it.
#[test]
fn storage_write_decision_table() {
    use accord_core::attribution::{write_decision, Write};
    let c = config();
    let granted = |p: &str| p == "video" || p == "audience";
    #[rustfmt::skip]
    let rows = [
        ("granted vendor's script", "https://video.example/player.js:10:3", "vp_state", Write::Remember("video")),
        ("vendor not granted (still running)", "https://cdn.ads.example/tag.js:1:99", "adn_id", Write::Refuse("advertising")),
        ("another vendor of that purpose", "http://px.example/p.js:1:1", "px", Write::Refuse("advertising")),
        ("exempt audience, not objected", "https://stats.exemple.fr/m.js:2:2", "_pk_x", Write::Remember("audience")),
        ("undeclared host: the site's business", "https://cdn.exemple.fr/app.js:1:1", "theme", Write::Free),
        ("Accord's own key, whoever called", "https://video.example/player.js:1:1", "accord.c", Write::Free),
        ("not a URL", "accord-tag:video", "k", Write::Free),
    ];
    for (what, url, name, expected) in rows {
        check(what, write_decision(&c, granted, url, name), expected);
    }
}

#[test]
fn storage_ledger_codec() {
    use accord_core::attribution::{StorageLedger, Store, LEDGER_MAX};
    let mut l = StorageLedger::default();
    check(
        "new",
        l.add("advertising", Store::Storage, "pn uid"),
        Some(true),
    );
    check(
        "again",
        l.add("advertising", Store::Storage, "pn uid"),
        Some(false),
    );
    check(
        "db",
        l.add("advertising", Store::Database, "pn-db"),
        Some(true),
    );
    check("cache", l.add("video", Store::Cache, "vp"), Some(true));
    check(
        "newline refused",
        l.add("video", Store::Storage, "a\nb"),
        None,
    );
    check("empty refused", l.add("video", Store::Storage, ""), None);
    let back = StorageLedger::decode(&l.encode());
    check("round trip", &back, &l);
    let ads = ids(&["advertising"]);
    check(
        "of advertising",
        back.of(&ads).collect::<Vec<_>>(),
        vec![(Store::Storage, "pn uid"), (Store::Database, "pn-db")],
    );
    // Damaged text only forgets.
    check(
        "garbage",
        StorageLedger::decode("1\nadvertising nope x\n\nvideo cache vp\nbad").len(),
        1,
    );
    check(
        "wrong version",
        StorageLedger::decode("2\nvideo cache vp").len(),
        0,
    );
    // Full: a further name is refused (it could not be purged).
    let mut full = StorageLedger::default();
    for i in 0..LEDGER_MAX {
        full.add("video", Store::Storage, &format!("k{i}"));
    }
    check("full", full.add("video", Store::Storage, "one more"), None);
}

#[test]
fn storage_writer_read_off_the_stack() {
    // Issue 12: the loader passes the whole call stack; the writer is the innermost
    // script that is not Accord's, and the page's own scripts write for the site.
    use accord_core::attribution::writer;
    let base = "https://www.exemple.fr/accord/";
    let page = "www.exemple.fr";
    #[rustfmt::skip]
    let rows: [(&str, &str, Option<&str>); 6] = [
        ("a vendor's script under Accord's hook",
         "Error\n    at refused (https://www.exemple.fr/accord/accord.js:1:200)\n    at Storage.setItem (https://www.exemple.fr/accord/accord.js:1:900)\n    at track (https://ads.example/a.js:3:14)\n    at https://ads.example/a.js:9:1",
         Some("https://ads.example/a.js:3:14")),
        ("the site's own script, called back by a vendor",
         "Error\n    at refused (https://www.exemple.fr/accord/accord.js:1:200)\n    at save (https://www.exemple.fr/js/app.js:10:2)\n    at https://ads.example/a.js:9:1",
         None),
        ("an anonymous frame", "Error\n    at https://www.exemple.fr/accord/accord.js:1:1\n    at https://cdn.vendor.example/x.js:1:2", Some("https://cdn.vendor.example/x.js:1:2")),
        ("no URL at all", "Error\n    at <anonymous>:1:1", None),
        ("only Accord's files", "Error\n    at https://www.exemple.fr/accord/accord.js:1:1", None),
        ("the page's host in another case", "at (https://WWW.EXEMPLE.FR/app.js:1:1)", None),
    ];
    for (what, stack, want) in rows {
        check(what, writer(stack, base, page), want);
    }
}

#[test]
fn cookie_store_calls_as_cookie_strings() {
    // cookieStore.set takes the document.cookie path (the same answers, the same clamp).
    use accord_core::cookies::cookie_store_text;
    #[rustfmt::skip]
    let rows: [(&str, Option<String>); 6] = [
        ("name and value", cookie_store_text("_adn", "1", None, None, None, None)),
        ("every option", cookie_store_text("_adn", "x", Some("/a"), Some("exemple.fr"), Some(1_795_408_980_000.0), Some("lax"))),
        ("a ; in the value", cookie_store_text("_adn", "1; domain=evil.example", None, None, None, None)),
        ("an = in the name", cookie_store_text("a=b", "1", None, None, None, None)),
        ("a date out of range", cookie_store_text("_adn", "1", None, None, Some(1e20), None)),
        ("a control character", cookie_store_text("_adn", "1\n", None, None, None, None)),
    ];
    let want = [
        Some("_adn=1; path=/".to_owned()),
        Some("_adn=x; path=/a; domain=exemple.fr; expires=Mon, 23 Nov 2026 04:43:00 GMT; samesite=lax".to_owned()),
        None,
        None,
        None,
        None,
    ];
    for ((what, got), want) in rows.into_iter().zip(want) {
        check(what, got, want);
    }
}

#[test]
fn declared_hosts_as_the_firewall_matches_them() {
    // Issue 14 item 7: Accord.audit() listed a host as undeclared when a wildcard or an
    // explicit :443 of allowed_hosts allowed it; it now asks the firewall's own matcher.
    use accord_core::firewall::declared_host;
    let mut doc: serde_json::Value = serde_json::from_str(CONFIG).unwrap();
    doc["allowed_hosts"] = serde_json::json!(["*.cdn.example", "fonts.example:443"]);
    let c = Config::from_json_str(&doc.to_string()).expect("valid");
    #[rustfmt::skip]
    let rows: [(&str, &str, Option<u16>, bool); 6] = [
        ("a wildcard's subdomain", "a.cdn.example", Some(443), true),
        ("a wildcard's subdomain, trailing dot, capitals", "A.CDN.example.", Some(443), true),
        ("an explicit :443, https", "fonts.example", Some(443), true),
        ("an explicit :443, another port", "fonts.example", Some(8443), false),
        ("a vendor's host", "stats.exemple.fr", Some(443), true),
        ("nobody's", "other.example", Some(443), false),
    ];
    for (what, host, port, want) in rows {
        check(what, declared_host(&c, host, port), want);
    }
}
