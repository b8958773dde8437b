#![cfg(not(target_arch = "wasm32"))]
//! Audience measurement (SPEC §6, issue 4) as tables: the opt-out marker's codec and
//! meaning, how it combines with the record, what the firewall does with it, what the
//! loader may keep, the Google Consent Mode signals, and what the notice says.

use accord_core::config::Config;
use accord_core::config::Lang;
use accord_core::consent_mode::update;
use accord_core::firewall::{
    cookie_verdict, loader_cache, request_verdict, tag_decision, TagDecision, Verdict,
};
use accord_core::notice::{canonical_text, exempt_note};
use accord_core::record::{
    decide, encode_marker, evaluate, evaluate_with_marker, granted, marker_name, marker_set_at,
    objections, under_gpc, withdrawn, Choice, Intent, NoChoice,
};
use std::fmt::Debug;

fn check<T: PartialEq + Debug>(row: &str, got: T, expected: T) {
    assert_eq!(got, expected, "row: {row}");
}

const CONFIG: &str = r#"{
  "policy_version": "2026-11-01",
  "controller": { "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" },
  "cookie_name": "accord",
  "site_domain": "exemple.fr",
  "purposes": [
    { "id": "necessary", "basis": "necessary",
      "title": { "fr": "Nécessaires", "en": "Necessary" }, "description": { "fr": "Le site.", "en": "The site." } },
    { "id": "audience", "basis": "exempt-audience",
      "title": { "fr": "Mesure d'audience", "en": "Audience measurement" },
      "description": { "fr": "Compte les pages vues.", "en": "Counts page views." } },
    { "id": "analytics", "basis": "consent", "category": "audience",
      "title": { "fr": "Statistiques Google", "en": "Google statistics" }, "description": { "fr": "GA.", "en": "GA." } },
    { "id": "advertising", "basis": "consent",
      "title": { "fr": "Publicité", "en": "Advertising" }, "description": { "fr": "Pubs.", "en": "Ads." } },
    { "id": "video", "basis": "consent",
      "title": { "fr": "Vidéos", "en": "Videos" }, "description": { "fr": "Vidéos.", "en": "Videos." } },
    { "id": "remarketing", "basis": "consent", "google_consent_mode": ["ad_user_data"],
      "title": { "fr": "Relance", "en": "Remarketing" }, "description": { "fr": "Relance.", "en": "Remarketing." } }
  ],
  "vendors": [
    { "id": "matomo", "name": "Matomo", "purpose": "audience", "hosts": ["stats.exemple.fr"], "first_party": true,
      "cookies": [{ "name": "_pk_id.*", "lifetime_days": 395 }], "country": "FR", "data_retention_months": 13,
      "cross_site_identifier": false, "advertising_features": false },
    { "id": "ga", "name": "Google Analytics", "purpose": "analytics", "hosts": ["www.google-analytics.com"],
      "cookies": [{ "name": "_ga", "lifetime_days": 390 }], "country": "US", "transfer_basis": "adequacy" },
    { "id": "adnet", "name": "AdNet", "purpose": "advertising", "hosts": ["ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 390 }], "country": "US", "transfer_basis": "scc" },
    { "id": "videoplay", "name": "VidéoPlay", "purpose": "video", "hosts": ["video.example"],
      "cookies": [{ "name": "_vid", "lifetime_days": 180 }], "country": "IE" }
  ]
}"#;

const T0: i64 = 1_795_408_980; // 2026-11-23T04:43:00Z

fn config() -> Config {
    Config::from_json_str(CONFIG).unwrap_or_else(|e| panic!("test config invalid: {e:?}"))
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn marker_codec() {
    let c = config();
    check(
        "name: the record cookie's, suffixed",
        marker_name(&c),
        "accord_optout".to_owned(),
    );
    check("no objection: no marker", encode_marker(&[], T0), None);
    check(
        "one objection",
        encode_marker(&ids(&["audience"]), T0),
        Some(format!("1|{T0}|audience")),
    );
    #[rustfmt::skip]
    type Row = (&'static str, &'static str, Option<i64>, Vec<String>, bool);
    let rows: Vec<Row> = vec![
        // (row, value, set at, objections, malformed)
        (
            "well formed",
            "1|1795408980|audience",
            Some(T0),
            ids(&["audience"]),
            false,
        ),
        (
            "surrounding spaces",
            " 1|1795408980|audience ",
            Some(T0),
            ids(&["audience"]),
            false,
        ),
        (
            "several ids, config order kept",
            "1|1|video.audience",
            Some(1),
            ids(&["audience"]),
            false,
        ),
        (
            "a consent purpose in the marker is ignored",
            "1|1|advertising",
            Some(1),
            ids(&[]),
            false,
        ),
        (
            "an unknown id is ignored",
            "1|1|chat",
            Some(1),
            ids(&[]),
            false,
        ),
        // malformed: objects to every exempt purpose (fail closed)
        ("garbage", "yes", None, ids(&["audience"]), true),
        ("version 2", "2|1|audience", None, ids(&["audience"]), true),
        ("no ids", "1|1|", None, ids(&["audience"]), true),
        (
            "an empty id",
            "1|1|audience..video",
            None,
            ids(&["audience"]),
            true,
        ),
        (
            "uppercase id",
            "1|1|Audience",
            None,
            ids(&["audience"]),
            true,
        ),
        (
            "date not digits",
            "1|x|audience",
            None,
            ids(&["audience"]),
            true,
        ),
        (
            "date too long",
            "1|1234567890123|audience",
            None,
            ids(&["audience"]),
            true,
        ),
        (
            "four fields",
            "1|1|audience|x",
            None,
            ids(&["audience"]),
            true,
        ),
    ];
    for (row, value, at, obj, malformed) in rows {
        check(&format!("{row}: set at"), marker_set_at(value), at);
        check(
            &format!("{row}: objections"),
            objections(&c, Some(value)),
            (obj, malformed),
        );
    }
    check("absent", objections(&c, None), (vec![], false));
    check(
        "empty value is no marker",
        objections(&c, Some("")),
        (vec![], false),
    );
}

#[test]
fn the_marker_outlives_the_record() {
    let c = config();
    let marker = format!("1|{T0}|audience");
    let all = decide(
        &c,
        &Choice::none(NoChoice::Absent),
        &Intent::AcceptAll,
        T0,
        "0123456789abcdef0123456789abcdef".into(),
    )
    .encode();
    let old = all.replace("2026-11-01", "2025-01-01");
    #[rustfmt::skip]
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, i64, bool);
    let rows: Vec<Row> = vec![
        // (row, record, marker, at, audience granted)
        ("fresh visit: exempt measurement runs", None, None, T0, true),
        ("marker, no record: off", None, Some(&marker), T0, false),
        (
            "marker, valid record that says 1: off",
            Some(&all),
            Some(&marker),
            T0,
            false,
        ),
        (
            "marker, record of an older policy: still off",
            Some(&old),
            Some(&marker),
            T0,
            false,
        ),
        (
            "marker, record expired (7 months on): still off",
            Some(&all),
            Some(&marker),
            T0 + 214 * 86_400,
            false,
        ),
        (
            "no marker, record expired: back on",
            Some(&all),
            None,
            T0 + 214 * 86_400,
            true,
        ),
        ("malformed marker: off", None, Some("garbage"), T0, false),
    ];
    for (row, record, m, at, want) in rows {
        let choice = evaluate_with_marker(&c, record, m, at);
        check(row, granted(&c, &choice, "audience"), want);
        // the marker touches exempt purposes only
        check(
            &format!("{row}: video unchanged"),
            granted(&c, &choice, "video"),
            granted(&c, &evaluate(&c, record, at), "video"),
        );
    }
}

#[test]
fn decisions_keep_an_objection_unless_the_person_changes_it() {
    let c = config();
    let objected = Choice::none(NoChoice::Absent).objecting(ids(&["audience"]));
    let id = || "0123456789abcdef0123456789abcdef".to_owned();
    #[rustfmt::skip]
    let rows: Vec<(&str, Intent, bool)> = vec![
        // « Tout accepter » on a new banner does not undo the opt-out (SPEC §6)
        ("accept all keeps the objection", Intent::AcceptAll, false),
        ("refuse all keeps the objection", Intent::RefuseAll, false),
        ("close keeps the objection", Intent::Close, false),
        ("withdraw keeps the objection", Intent::Withdraw, false),
        ("GPC accept all keeps it too", under_gpc(&c, &objected, Intent::AcceptAll), false),
        // the preferences' box (or the opt-out button) is the person's own choice
        ("custom, audience ticked: lifted", Intent::Custom(vec![("audience".into(), true)]), true),
        ("custom, audience unticked: kept", Intent::Custom(vec![("video".into(), true)]), false),
    ];
    for (row, intent, audience) in rows {
        let r = decide(&c, &objected, &intent, T0, id());
        check(row, r.get("audience"), Some(audience));
    }
    let fresh = Choice::none(NoChoice::Absent);
    check(
        "without an objection, accept all grants audience",
        decide(&c, &fresh, &Intent::AcceptAll, T0, id()).get("audience"),
        Some(true),
    );
    check(
        "without an objection, refuse all keeps exempt audience on",
        decide(&c, &fresh, &Intent::RefuseAll, T0, id()).get("audience"),
        Some(true),
    );
    // objecting withdraws: the purge removes the vendor's cookies and nodes
    check(
        "objecting withdraws audience",
        withdrawn(&c, &fresh, &objected),
        ids(&["audience"]),
    );
    check(
        "lifting it withdraws nothing",
        withdrawn(&c, &objected, &fresh),
        Vec::<String>::new(),
    );
}

#[test]
fn the_firewall_stops_everything_of_an_objected_purpose_at_once() {
    use Verdict::{Allow, Block, Hold};
    let c = config();
    let fresh = Choice::none(NoChoice::Absent);
    let objected = fresh.clone().objecting(ids(&["audience"]));
    #[rustfmt::skip]
    let rows: Vec<(&str, &Choice, &str, Verdict)> = vec![
        ("exempt host before any decision", &fresh, "stats.exemple.fr", Allow),
        // blocked, not held: nothing waits for a decision that cannot grant it
        ("exempt host after the opt-out, no record", &objected, "stats.exemple.fr", Block),
        ("a consent host is still held until the banner is answered", &objected, "ads.example", Hold),
    ];
    for (row, choice, host, want) in rows {
        check(row, request_verdict(&c, choice, host, None).0, want);
    }
    check(
        "its cookie: hidden, never written",
        cookie_verdict(&c, &objected, "_pk_id.1.abcd"),
        Block,
    );
    check(
        "its cookie before the opt-out",
        cookie_verdict(&c, &fresh, "_pk_id.1.abcd"),
        Allow,
    );
    check(
        "its tags stay inert",
        tag_decision(&c, &objected, "audience"),
        TagDecision::Hold,
    );
}

#[test]
fn the_loader_cache_holds_only_for_the_same_record_and_marker() {
    let c = config();
    let fresh = Choice::none(NoChoice::Absent);
    let objected = fresh.clone().objecting(ids(&["audience"]));
    let lines = |ch: &Choice| {
        loader_cache(&c, ch)
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let f = lines(&fresh);
    check("four lines", f.len(), 4);
    check(
        "no record: the answer never lapses (9999-12-31, in ms)",
        f[3].clone(),
        "253402300799000".to_owned(),
    );
    check(
        "no record, no marker, signed out: all three must be absent",
        f[0].clone(),
        "^(?!(?:.*; )?accord=)(?!(?:.*; )?accord_optout=[^;])(?!(?:.*; )?accord_account=[^;])"
            .to_owned(),
    );
    check(
        "fresh: the exempt host is allowed",
        f[2].contains("stats\\.exemple\\.fr"),
        true,
    );
    let o = lines(&objected);
    check(
        "objected: the marker must name the same purposes",
        o[0].clone(),
        "^(?!(?:.*; )?accord=)(?=(?:.*; )?accord_optout=1\\|\\d+\\|audience(?:;|$))(?!(?:.*; )?accord_account=[^;])".to_owned(),
    );
    check(
        "objected: the exempt host is not allowed",
        o[2].contains("stats\\.exemple\\.fr"),
        false,
    );
    check(
        "objected: its cookies are hidden",
        o[1].contains("_pk_id\\."),
        true,
    );
}

#[test]
fn google_consent_mode_signals() {
    let c = config();
    let id = || "0123456789abcdef0123456789abcdef".to_owned();
    let none = Choice::none(NoChoice::Absent);
    let after = |i: Intent| Choice::valid(decide(&c, &none, &i, T0, id()));
    let custom = |list: &[&str]| {
        after(Intent::Custom(
            list.iter().map(|p| (p.to_string(), true)).collect(),
        ))
    };
    let s = |a: bool, an: bool, u: bool, p: bool| {
        vec![
            ("ad_storage", a),
            ("analytics_storage", an),
            ("ad_user_data", u),
            ("ad_personalization", p),
        ]
    };
    #[rustfmt::skip]
    type Row = (&'static str, Choice, Vec<(&'static str, bool)>);
    let rows: Vec<Row> = vec![
        (
            "no decision: all denied (exempt audience grants nothing to Google)",
            none.clone(),
            s(false, false, false, false),
        ),
        (
            "accept all: all granted",
            after(Intent::AcceptAll),
            s(true, true, true, true),
        ),
        (
            "refuse all: all denied",
            after(Intent::RefuseAll),
            s(false, false, false, false),
        ),
        (
            "analytics (category audience) alone: analytics_storage",
            custom(&["analytics"]),
            s(false, true, false, false),
        ),
        (
            "advertising alone: the three ad signals",
            custom(&["advertising"]),
            s(true, false, true, true),
        ),
        (
            "an explicit mapping: remarketing grants ad_user_data only",
            custom(&["remarketing"]),
            s(false, false, true, false),
        ),
        (
            "video and exempt audience: nothing",
            custom(&["video", "audience"]),
            s(false, false, false, false),
        ),
        (
            "GPC accept all: ads denied, analytics granted",
            after(under_gpc(&c, &none, Intent::AcceptAll)),
            s(false, true, true, false),
        ),
    ];
    for (row, choice, want) in rows {
        check(row, update(&c, &choice), want);
    }
}

#[test]
fn the_notice_says_what_is_measured_how_long_and_how_to_object() {
    let c = config();
    let fr = exempt_note(&c, "audience", Lang::Fr);
    for needle in [
        "sans accord préalable",
        "13 mois",
        "gardées 13 mois",
        "opposer",
        "Gérer mes cookies",
        "sans publicité",
    ] {
        check(
            &format!("fr note says {needle:?}: {fr}"),
            fr.contains(needle),
            true,
        );
    }
    let en = exempt_note(&c, "audience", Lang::En);
    for needle in [
        "without prior consent",
        "13 months",
        "object",
        "Manage cookies",
    ] {
        check(
            &format!("en note says {needle:?}: {en}"),
            en.contains(needle),
            true,
        );
    }
    // without data_retention_months the notice says the ceiling, 25 months
    let c25 = Config::from_json_str(&CONFIG.replace("\"data_retention_months\": 13,", "")).unwrap();
    check(
        "default retention",
        exempt_note(&c25, "audience", Lang::Fr).contains("gardées 25 mois"),
        true,
    );
    // the receipt's notice text is the one shown: it carries the note with the purpose
    let text = canonical_text(&c, Lang::Fr, false);
    check(
        "the notice text includes the exempt note",
        text.contains(&format!("Mesure d'audience: Compte les pages vues. {fr}")),
        true,
    );
}
