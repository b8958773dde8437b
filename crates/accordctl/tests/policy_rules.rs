#![cfg(not(target_arch = "wasm32"))]
//! The browser-enforced layer (SPEC §5 "The browser-enforced layer", §10 `accordctl csp`
//! and `nginx`) as tables: the Content-Security-Policy header for a Cookie header at a
//! given time, golden headers for the demo config, the size for 50 vendors, the nginx
//! snippet, and the real nginx (`nginx -t`, then the header it sends for each record).
//!
//! nginx: /usr/sbin/nginx (or `NGINX=/path`); scripts/setup.sh installs it. The live tests
//! run it unprivileged-style under a temp prefix on a free 127.0.0.1 port and stop it on
//! drop, even when an assertion fails.

use accord_core::calendar::{add_months, Timestamp};
use accord_core::config::Config;
use accord_core::hosts::HostPattern;
use accord_core::record::{Action, Record};
use accordctl::policy::{
    csp, headers, host_source, nginx, record_from_cookie_header, url_pattern, websocket_source,
};
use std::fmt::Debug;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The one assertion of this file: `got` must equal `expected`; `row` says which row
/// and which rule.
fn check<T: PartialEq + Debug>(row: &str, got: T, expected: T) {
    assert_eq!(got, expected, "row: {row}");
}

// ------------------------------------------------------------------ fixtures

/// Every purpose basis, every kind of host: a necessary vendor, an exempt first-party
/// audience tool, a consent purpose with a bare host, a wildcard and an explicit port
/// (two vendors sharing `ads.example`), a consent purpose with an IP:port, and
/// `allowed_hosts` with a bare host, a wildcard and a port.
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
    { "id": "session", "name": "Session", "purpose": "necessary", "exemption": "authentication", "hosts": ["auth.exemple.fr"], "first_party": true,
      "cookies": [{ "name": "sid", "lifetime_days": 1 }], "country": "FR" },
    { "id": "matomo", "name": "Matomo", "purpose": "audience", "hosts": ["stats.exemple.fr"], "first_party": true,
      "cookies": [{ "name": "_pk_id.*", "lifetime_days": 395 }], "country": "FR" },
    { "id": "adnet", "name": "AdNet", "purpose": "advertising", "hosts": ["ads.example", "*.ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 390 }], "country": "US", "transfer_basis": "scc" },
    { "id": "pixelco", "name": "PixelCo", "purpose": "advertising", "hosts": ["px.example:8443", "ads.example"],
      "cookies": [{ "name": "px", "lifetime_days": 90 }], "country": "FR" },
    { "id": "videoplay", "name": "VidéoPlay", "purpose": "video", "hosts": ["video.example", "127.0.0.1:8083"],
      "cookies": [{ "name": "VP_ID", "lifetime_days": 180 }], "country": "IE" }
  ],
  "allowed_hosts": ["cdn.exemple.fr", "*.fonts.example", "pay.example:8443"],
  "policy": "server"
}"#;

/// The sources of [`CONFIG`], in the order the header lists them.
const STATIC: &[&str] = &[
    "cdn.exemple.fr:*",
    "*.fonts.example:*",
    "pay.example:8443",
    "auth.exemple.fr:*",
];
const AUDIENCE: &[&str] = &["stats.exemple.fr:*"];
const ADVERTISING: &[&str] = &["ads.example:*", "*.ads.example:*", "px.example:8443"];
const VIDEO: &[&str] = &["video.example:*", "127.0.0.1:8083"];

const T0: Timestamp = 1_795_408_980; // 2026-11-23T04:43:00Z
const DAY: Timestamp = 86_400;
const RECORD_ID: &str = "0123456789abcdef0123456789abcdef";

fn config() -> Config {
    Config::from_json_str(CONFIG).unwrap_or_else(|e| panic!("test config invalid: {e:?}"))
}

fn demo_config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/config.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Config::from_json_str(&text).unwrap_or_else(|e| panic!("demo config invalid: {e:?}"))
}

/// The header as SPEC §5 shapes it: 'self', inline, eval, wasm, data:, blob: and the hosts,
/// in `default-src` (every fetch directive falls back to it) and in `form-action`.
fn header(groups: &[&[&str]]) -> String {
    let hosts: String = groups
        .iter()
        .flat_map(|g| g.iter())
        .map(|h| format!(" {h}"))
        .collect();
    format!(
        "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:{hosts}; form-action 'self'{hosts}"
    )
}

/// A record cookie value: `purposes` decided at `decided_at`, valid 6 months.
fn record_at(
    decided_at: Timestamp,
    action: Action,
    version: &str,
    purposes: &[(&str, bool)],
) -> String {
    Record {
        record_id: RECORD_ID.into(),
        decided_at,
        expires_at: add_months(decided_at, 6),
        policy_version: version.into(),
        action,
        purposes: purposes
            .iter()
            .map(|(p, v)| ((*p).to_owned(), *v))
            .collect(),
    }
    .encode()
}

/// A record of [`CONFIG`] decided at T0 with these values of audience, advertising, video.
fn record(audience: bool, advertising: bool, video: bool) -> String {
    record_at(
        T0,
        Action::Custom,
        "2026-11-01",
        &[
            ("audience", audience),
            ("advertising", advertising),
            ("video", video),
        ],
    )
}

fn cookie(value: &str) -> String {
    format!("accord={value}")
}

// ------------------------------------------------------------------ the header

#[test]
fn header_table() {
    let c = config();
    let now = T0 + DAY;
    let all = record(true, true, true);
    let expires_at = add_months(T0, 6);
    let old_version = record_at(
        T0,
        Action::AcceptAll,
        "2026-01-01",
        &[("audience", true), ("advertising", true), ("video", true)],
    );
    let no_video = record_at(
        T0,
        Action::AcceptAll,
        "2026-11-01",
        &[("audience", true), ("advertising", true)],
    );
    let extra_purpose = record_at(
        T0,
        Action::AcceptAll,
        "2026-11-01",
        &[
            ("audience", true),
            ("advertising", true),
            ("video", true),
            ("chat", true),
        ],
    );
    let thirteen_months = Record {
        record_id: RECORD_ID.into(),
        decided_at: T0,
        expires_at: add_months(T0, 13),
        policy_version: "2026-11-01".into(),
        action: Action::AcceptAll,
        purposes: vec![
            ("audience".into(), true),
            ("advertising".into(), true),
            ("video".into(), true),
        ],
    }
    .encode();
    let future = record_at(
        now + 2 * DAY,
        Action::AcceptAll,
        "2026-11-01",
        &[("audience", true), ("advertising", true), ("video", true)],
    );
    let unknown_action = all.replace("|custom|", "|bogus|");
    let refuse_all_exempt_kept = record_at(
        T0,
        Action::RefuseAll,
        "2026-11-01",
        &[("audience", true), ("advertising", false), ("video", false)],
    );
    let opted_out_expired = record(false, false, false);

    let none: &[&[&str]] = &[STATIC, AUDIENCE];
    #[rustfmt::skip]
    let rows: Vec<(&str, Option<String>, Timestamp, String)> = vec![
        // §5: no decision: 'self', allowed_hosts, necessary and exempt vendors only
        ("no Cookie header: no decision", None, now, header(none)),
        ("a Cookie header without the record: no decision", Some("sid=1; theme=dark".into()), now, header(none)),
        ("an empty record cookie: no decision", Some("accord=".into()), now, header(none)),
        // §5: the hosts of granted purposes, each alone
        ("exempt audience granted alone (consent purposes refused)", Some(cookie(&record(true, false, false))), now, header(&[STATIC, AUDIENCE])),
        ("advertising granted alone (audience opted out)", Some(cookie(&record(false, true, false))), now, header(&[STATIC, ADVERTISING])),
        ("video granted alone (audience opted out)", Some(cookie(&record(false, false, true))), now, header(&[STATIC, VIDEO])),
        ("everything granted", Some(cookie(&all)), now, header(&[STATIC, AUDIENCE, ADVERTISING, VIDEO])),
        ("everything refused, audience opted out: allowed_hosts and necessary only", Some(cookie(&record(false, false, false))), now, header(&[STATIC])),
        ("refuse_all keeps the exempt purpose as it was (§6)", Some(cookie(&refuse_all_exempt_kept)), now, header(&[STATIC, AUDIENCE])),
        // §4/§5: an expired record is no decision; the second before it is still valid
        ("one second before expires_at: still valid", Some(cookie(&all)), expires_at - 1, header(&[STATIC, AUDIENCE, ADVERTISING, VIDEO])),
        ("now == expires_at: expired, no decision", Some(cookie(&all)), expires_at, header(none)),
        ("long after expires_at: expired, no decision", Some(cookie(&all)), add_months(T0, 12), header(none)),
        ("expires_at 13 months out, config lifetime 6: expired at 6 months (§4)", Some(cookie(&thirteen_months)), add_months(T0, 7), header(none)),
        ("an expired opt-out is no decision: exempt audience back on", Some(cookie(&opted_out_expired)), expires_at, header(none)),
        // §4/§5: older policy_version, a newly added purpose: no decision
        ("older policy_version: no decision", Some(cookie(&old_version)), now, header(none)),
        ("record lacking a newly added purpose (video): no decision", Some(cookie(&no_video)), now, header(none)),
        ("record holding a purpose the config dropped: still valid", Some(cookie(&extra_purpose)), now, header(&[STATIC, AUDIENCE, ADVERTISING, VIDEO])),
        // §5: a corrupt record is no decision (never a grant, never an opt-out)
        ("corrupt: garbage", Some("accord=xyz".into()), now, header(none)),
        ("corrupt: truncated", Some(cookie(&all[..all.len() / 2])), now, header(none)),
        ("corrupt: unknown format version", Some(cookie(&all.replacen('1', "2", 1))), now, header(none)),
        ("corrupt: unknown action", Some(cookie(&unknown_action)), now, header(none)),
        ("corrupt: purpose value 2", Some(cookie(&all.replace("video=1", "video=2"))), now, header(none)),
        ("corrupt: a purpose twice", Some(cookie(&format!("{all}&video=0"))), now, header(none)),
        ("corrupt: an 8th field", Some(cookie(&format!("{all}|x"))), now, header(none)),
        ("corrupt opt-out (audience=0 in a broken record): exempt stays on", Some(cookie(&record(false, false, false).replace("|custom|", "|nope|"))), now, header(none)),
        ("decided more than a day in the future (clock or cookie wrong): no decision", Some(cookie(&future)), now, header(none)),
        // the record among other cookies, in any position, with or without spaces
        ("record between other cookies", Some(format!("sid=1; accord={all}; theme=dark")), now, header(&[STATIC, AUDIENCE, ADVERTISING, VIDEO])),
        ("record first, no spaces", Some(format!("accord={all};sid=1")), now, header(&[STATIC, AUDIENCE, ADVERTISING, VIDEO])),
        ("a cookie whose name ends with the record's is not the record", Some(format!("xaccord={all}")), now, header(none)),
        ("a cookie whose name starts with the record's is not the record", Some(format!("accord_old={all}")), now, header(none)),
        ("cookie names are case-sensitive: ACCORD is not the record", Some(format!("ACCORD={all}")), now, header(none)),
        ("two record cookies: the first one counts", Some(format!("accord=xyz; accord={all}")), now, header(none)),
        // A quoted value (RFC 6265 allows DQUOTE around a cookie-value). The in-page reader
        // (src/browser/cookies.rs `all`) keeps the quotes, so `Record::decode` refuses it
        // and the page shows the banner with nothing gated; nginx's $cookie_accord keeps
        // them too. The header must not allow more than the page: no decision.
        ("quoted record: read as the page reads it (corrupt), no decision", Some(format!("sid=1; accord=\"{all}\"; theme=dark")), now, header(none)),
    ];
    for (row, cookie_header, at, expected) in &rows {
        check(
            row,
            csp(&c, cookie_header.as_deref(), *at),
            expected.clone(),
        );
    }
}

#[test]
fn host_source_table() {
    #[rustfmt::skip]
    let rows = [
        // §5: wildcard hosts map to CSP host sources faithfully; no port: any port
        ("bare host: any port", "ads.example", "ads.example:*"),
        ("wildcard: subdomains, any port", "*.ads.example", "*.ads.example:*"),
        ("explicit port kept", "px.example:8443", "px.example:8443"),
        ("wildcard with a port", "*.cdn.example:443", "*.cdn.example:443"),
        ("IPv4 with a port (the demo's trackers)", "127.0.0.1:8082", "127.0.0.1:8082"),
        ("IPv4 without a port", "10.0.0.7", "10.0.0.7:*"),
        ("surrounding spaces dropped by the parser", " stats.exemple.fr ", "stats.exemple.fr:*"),
    ];
    for (row, pattern, expected) in rows {
        let h = HostPattern::parse(pattern).unwrap_or_else(|e| panic!("row {row}: {e}"));
        check(row, host_source(&h), expected.to_owned());
    }
}

/// A vendor that declares `websocket` gets a `ws://` source beside each host (a
/// scheme-less source never matches ws: or wss:, CSP Level 3 §6.7.2.8); the others do not.
#[test]
fn websocket_sources_table() {
    #[rustfmt::skip]
    let rows = [
        ("bare host", "chat.example", "ws://chat.example:*"),
        ("wildcard", "*.chat.example", "ws://*.chat.example:*"),
        ("explicit port", "127.0.0.1:8082", "ws://127.0.0.1:8082"),
    ];
    for (row, pattern, expected) in rows {
        let h = HostPattern::parse(pattern).unwrap_or_else(|e| panic!("row {row}: {e}"));
        check(row, websocket_source(&h), expected.to_owned());
    }
    // The demo's PubNet declares websocket; the same config without it.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/config.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text.contains("\"websocket\": true,"),
        "the demo's PubNet declares websocket"
    );
    let without = Config::from_json_str(&text.replace("\"websocket\": true,", ""))
        .unwrap_or_else(|e| panic!("demo config without websocket: {e:?}"));
    let with = demo_config();
    let ads_only = [("audience", false), ("advertising", true), ("video", false)];
    let granted = cookie(&record_at(
        T0,
        Action::Custom,
        &with.policy_version,
        &ads_only,
    ));
    for (row, c, expected) in [
        ("websocket: true, granted: both sources", &with, "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8082 ws://127.0.0.1:8082; form-action 'self' 127.0.0.1:8082 ws://127.0.0.1:8082"),
        ("websocket absent, granted: the host only", &without, "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8082; form-action 'self' 127.0.0.1:8082"),
    ] {
        check(row, csp(c, Some(&granted), T0 + DAY), expected.to_owned());
        check(&format!("{row}, no decision"), csp(c, None, T0 + DAY).contains("8082"), false);
    }
}

#[test]
fn record_from_cookie_header_table() {
    #[rustfmt::skip]
    let rows: [(&str, &str, Option<&str>); 8] = [
        ("alone", "accord=v1", Some("v1")),
        ("among others", "a=1; accord=v1; b=2", Some("v1")),
        ("no spaces", "a=1;accord=v1;b=2", Some("v1")),
        ("absent", "a=1; b=2", None),
        ("prefix of another name", "accordion=1", None),
        ("suffix of another name", "my_accord=1", None),
        ("empty value", "accord=", Some("")),
        ("first of two", "accord=one; accord=two", Some("one")),
    ];
    for (row, header, expected) in rows {
        check(row, record_from_cookie_header(header, "accord"), expected);
    }
}

/// Golden headers written by hand for www/demo/config.json (three consent purposes,
/// one tracker origin each: 127.0.0.1:8081 audience, :8082 advertising, :8083 video).
#[test]
fn demo_config_golden_headers() {
    let c = demo_config();
    let now = T0 + DAY;
    let all = [("audience", true), ("advertising", true), ("video", true)];
    let refused = [
        ("audience", false),
        ("advertising", false),
        ("video", false),
    ];
    let ads_only = [("audience", false), ("advertising", true), ("video", false)];
    let kept = [("audience", true), ("advertising", false), ("video", false)];
    let marker = format!("accord_optout=1|{T0}|audience");
    let rows = [
        // the demo's audience tool is exempt (SPEC §6): it runs without consent
        (
            "demo, no decision: the exempt audience origin only",
            None,
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8081; form-action 'self' 127.0.0.1:8081",
        ),
        (
            "demo, Tout refuser: the exempt audience origin only",
            Some(cookie(&record_at(T0, Action::RefuseAll, &c.policy_version, &kept))),
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8081; form-action 'self' 127.0.0.1:8081",
        ),
        (
            "demo, no decision, opted out: no tracker host",
            Some(marker.clone()),
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:; form-action 'self'",
        ),
        (
            "demo, everything refused and opted out: no tracker host",
            Some(format!("{}; {marker}", cookie(&record_at(T0, Action::Custom, &c.policy_version, &refused)))),
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:; form-action 'self'",
        ),
        (
            "demo, Tout accepter: the three tracker origins",
            Some(cookie(&record_at(T0, Action::AcceptAll, &c.policy_version, &all))),
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8081 127.0.0.1:8082 ws://127.0.0.1:8082 127.0.0.1:8083; form-action 'self' 127.0.0.1:8081 127.0.0.1:8082 ws://127.0.0.1:8082 127.0.0.1:8083",
        ),
        (
            "demo, advertising only: PubNet's origin (it declares websocket: ws:// too)",
            Some(cookie(&record_at(T0, Action::Custom, &c.policy_version, &ads_only))),
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8082 ws://127.0.0.1:8082; form-action 'self' 127.0.0.1:8082 ws://127.0.0.1:8082",
        ),
    ];
    for (row, cookie_header, expected) in rows {
        check(
            row,
            csp(&c, cookie_header.as_deref(), now),
            expected.to_owned(),
        );
    }
}

// ------------------------------------------------------------------ size

/// A valid config: necessary plus `purposes` consent purposes, `per_purpose` vendors
/// each, two hosts per vendor of realistic length (20 to 31 characters).
fn big_config_json(purposes: usize, per_purpose: usize) -> String {
    let mut ps = vec![r#"{ "id": "necessary", "basis": "necessary", "title": { "fr": "N", "en": "N" }, "description": { "fr": "N", "en": "N" } }"#.to_owned()];
    let mut vs = Vec::new();
    for p in 0..purposes {
        ps.push(format!(
            r#"{{ "id": "purpose{p}", "basis": "consent", "title": {{ "fr": "P{p}", "en": "P{p}" }}, "description": {{ "fr": "P{p}", "en": "P{p}" }} }}"#
        ));
        for v in 0..per_purpose {
            let n = p * per_purpose + v;
            let hosts = [
                format!("tag.partner{n:02}-media.com"),      // 24 chars
                format!("*.collect{n:02}.adnetwork-eu.net"), // 31 chars
            ];
            vs.push(format!(
                r#"{{ "id": "vendor{n:02}", "name": "Vendor {n}", "purpose": "purpose{p}", "hosts": ["{}", "{}"], "cookies": [{{ "name": "_v{n:02}", "lifetime_days": 390 }}], "country": "FR" }}"#,
                hosts[0], hosts[1]
            ));
        }
    }
    format!(
        r#"{{ "policy_version": "2026-11-01", "controller": {{ "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" }},
  "purposes": [{}], "vendors": [{}], "allowed_hosts": ["cdn.exemple.fr", "fonts.exemple.fr"], "policy": "server" }}"#,
        ps.join(",\n"),
        vs.join(",\n")
    )
}

#[test]
fn header_for_50_vendors_stays_under_8_kb() {
    let c = Config::from_json_str(&big_config_json(5, 10))
        .unwrap_or_else(|e| panic!("50-vendor config invalid: {e:?}"));
    check("50 vendors", c.vendors.len(), 50);
    let host_lengths: Vec<usize> = c
        .vendors
        .iter()
        .flat_map(|v| v.hosts.iter().map(|h| h.to_string().len()))
        .collect();
    check("2 hosts each", host_lengths.len(), 100);
    let purposes: Vec<(&str, bool)> = (0..5)
        .map(|p| {
            (
                ["purpose0", "purpose1", "purpose2", "purpose3", "purpose4"][p],
                true,
            )
        })
        .collect();
    let all = cookie(&record_at(T0, Action::AcceptAll, "2026-11-01", &purposes));
    let h = csp(&c, Some(&all), T0 + DAY);
    let none = csp(&c, None, T0 + DAY);
    println!(
        "CSP header, 50 vendors x 2 hosts ({}-{} chars, mean {:.1}), all granted: {} bytes (no decision: {} bytes)",
        host_lengths.iter().min().unwrap(),
        host_lengths.iter().max().unwrap(),
        host_lengths.iter().sum::<usize>() as f64 / host_lengths.len() as f64,
        h.len(),
        none.len()
    );
    for v in &c.vendors {
        for host in &v.hosts {
            let src = host_source(host);
            assert!(h.contains(&format!(" {src}")), "all granted: {src} missing");
        }
    }
    assert!(
        h.len() < 8192,
        "issue 8: the header must stay under 8 KB for 50 vendors; it is {} bytes",
        h.len()
    );
}

// ------------------------------------------------------------------ the nginx snippet

#[test]
fn nginx_snippet_golden() {
    let c = config();
    let s = nginx(&c, "9.9.9");
    let lines: Vec<&str> = s.lines().collect();
    let maps: Vec<&&str> = lines.iter().filter(|l| l.starts_with("map ")).collect();
    #[rustfmt::skip]
    let rows: Vec<(&str, bool)> = vec![
        // §10: the record read by exact cookie name, one map per choosable purpose and its
        // connection-allowlist twin, then the three header maps (issue 12, item 7)
        ("record map, marker map, two maps per choosable purpose, three header maps", maps.len() == 1 + 1 + 3 * 2 + 3),
        ("record read by exact name", lines.contains(&"map $http_cookie $accord_record {")),
        ("opt-out marker read by exact name", s.contains("map $http_cookie $accord_optout {\n    default \"\";\n    \"~(?:^|;)\\s*accord_optout=(?<accord_o>[^;]*)\" $accord_o;")),
        ("map audience: the marker and the record", lines.contains(&"map \"$accord_optout#$accord_record\" $accord_p0 {")),
        ("map advertising", lines.contains(&"map $accord_record $accord_p1 {")),
        ("map video", lines.contains(&"map $accord_record $accord_p2 {")),
        ("header map", lines.contains(&"map $accord_record $accord_csp {")),
        ("add_header, always (errors too)", lines.contains(&"add_header Content-Security-Policy $accord_csp always;")),
        ("add_header once per header", lines.iter().filter(|l| l.starts_with("add_header")).count() == 3),
        ("add_header connection allowlist, report only", lines.contains(&"add_header Connection-Allowlist-Report-Only $accord_allowlist always;")),
        ("add_header permissions policy", lines.contains(&"add_header Permissions-Policy $accord_permissions always;")),
        ("allowlist patterns follow the purpose's hosts", s.contains("map $accord_p1 $accord_c1 {\n    default \" \\\"*://ads.example:*/*\\\" \\\"*://*.ads.example:*/*\\\" \\\"*://px.example:8443/*\\\"\";\n    \"\" \"\";")),
        ("no fetchLater unless a consent purpose's hosts are allowed", s.contains("map \"$accord_p1$accord_p2\" $accord_permissions {\n    default \"\";\n    \"\" \"deferred-fetch=(), deferred-fetch-minimal=()\";")),
        // exempt: on unless a valid record says 0; consent: off unless a valid record says 1
        ("exempt audience: default on", s.contains("$accord_p0 {\n    default \" stats.exemple.fr:*\";")),
        ("exempt audience: off when the record says 0", s.contains("audience=0(?:&|$)\" \"\";")),
        ("exempt audience: off when the marker names it", s.contains("\"~^1\\|[0-9]{1,12}\\|(?:[a-z][a-z0-9_-]{0,39}\\.)*audience(?:\\.[a-z][a-z0-9_-]{0,39})*#\" \"\";")),
        ("exempt audience: off when the marker is malformed", s.contains("\"~^(?!1\\|[0-9]{1,12}\\|[a-z][a-z0-9_-]{0,39}(?:\\.[a-z][a-z0-9_-]{0,39})*#)[^#]+#\" \"\";")),
        ("consent: default off", s.contains("$accord_p1 {\n    default \"\";")),
        ("consent advertising: its hosts when the record says 1", s.contains("advertising=1(?:&|$)\" \" ads.example:* *.ads.example:* px.example:8443\";")),
        ("consent video: its hosts when the record says 1", s.contains("video=1(?:&|$)\" \" video.example:* 127.0.0.1:8083\";")),
        // the regexes demand this policy version and every choosable purpose
        ("policy version in the regex", s.contains("\\|2026-11-01\\|")),
        ("every purpose required", s.matches("(?=(?:.*&)?video=[01](?:&|$))").count() == 3),
        // the header: the same shape as csp(), static hosts inline, purposes from the maps
        ("header map value", s.contains(&format!(
            "default \"default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: {}$accord_p0$accord_p1$accord_p2; form-action 'self' {}$accord_p0$accord_p1$accord_p2\";",
            STATIC.join(" "), STATIC.join(" ")))),
        ("names the version that generated it", s.contains("Accord 9.9.9")),
        ("says nginx cannot compare dates", s.contains("nginx cannot compare dates")),
    ];
    for (row, ok) in rows {
        check(&format!("{row}\n--- snippet\n{s}"), ok, true);
    }
}

#[test]
fn nginx_snippet_escapes_policy_version_and_reads_any_cookie_name() {
    let c = Config::from_json_str(&CONFIG.replace("\"2026-11-01\"", "\"2026.11+1 (beta)\""))
        .expect("config with a dotted version");
    let s = nginx(&c, "0");
    // The version is %-encoded as in the record (space, +, parentheses), then every
    // regex metacharacter is escaped: '.' must not match any character.
    check(
        "policy version escaped in the regex",
        s.contains("\\|2026\\.11%2B1%20%28beta%29\\|"),
        true,
    );
    check("no unescaped dot", s.contains("\\|2026.11"), false);

    let dashed = Config::from_json_str(&CONFIG.replace(
        "\"policy\": \"server\"",
        "\"policy\": \"server\", \"cookie_name\": \"accord-consent\"",
    ))
    .expect("a dashed cookie name is a valid config");
    // The record is read from $http_cookie by exact name, so '-' works (nginx's
    // $cookie_NAME could not hold it, and would match the name in any case).
    check(
        "cookie_name with '-' read by exact name",
        nginx(&dashed, "0")
            .contains("\"~(?:^|;)\\s*accord-consent=(?<accord_v>[^;]*)\" $accord_v;"),
        true,
    );
    let underscored = Config::from_json_str(&CONFIG.replace(
        "\"policy\": \"server\"",
        "\"policy\": \"server\", \"cookie_name\": \"accord_consent\"",
    ))
    .expect("config");
    check(
        "cookie_name with '_' read by exact name",
        nginx(&underscored, "0")
            .contains("\"~(?:^|;)\\s*accord_consent=(?<accord_v>[^;]*)\" $accord_v;"),
        true,
    );
}

// ------------------------------------------------------------------ the real nginx

fn nginx_bin() -> PathBuf {
    let bin = PathBuf::from(std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into()));
    assert!(
        bin.is_file(),
        "nginx is missing at {}: scripts/setup.sh installs it (Debian package nginx), or set NGINX=/path/to/nginx",
        bin.display()
    );
    bin
}

/// A fresh directory under the test temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("policy-rules-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("logs")).expect("temp dir");
    std::fs::create_dir_all(dir.join("html")).expect("temp dir");
    dir
}

/// An nginx.conf under `dir` (pid, error_log, every temp path inside it; daemon off)
/// that includes `snippet` in http {} and serves `dir/html` on 127.0.0.1:`port`.
fn write_nginx_conf(dir: &Path, snippet: &str, port: u16) -> PathBuf {
    std::fs::write(dir.join("accord.conf"), snippet).expect("write snippet");
    std::fs::write(
        dir.join("html/index.html"),
        "<!doctype html><title>t</title>\n",
    )
    .expect("index");
    // A worker script: a worker obeys its own response's headers, not the page's.
    std::fs::write(dir.join("html/worker.js"), "self.onmessage = () => {};\n")
        .expect("worker script");
    let d = dir.display();
    let conf = format!(
        "daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    include {d}/accord.conf;
    server {{
        listen 127.0.0.1:{port};
        root {d}/html;
    }}
}}
"
    );
    std::fs::create_dir_all(dir.join("tmp")).expect("tmp dir");
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).expect("write nginx.conf");
    path
}

/// `nginx -t` on `conf`; panics with nginx's own words when it refuses.
fn nginx_t(conf: &Path, dir: &Path) {
    let out = Command::new(nginx_bin())
        .arg("-t")
        .arg("-c")
        .arg(conf)
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("logs/error.log"))
        .output()
        .expect("nginx runs");
    assert!(
        out.status.success(),
        "nginx -t refused {}:\n{}\n{}\n--- snippet\n{}",
        conf.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("accord.conf")).unwrap_or_default()
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A running nginx, stopped on drop (even when a test panics).
struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    fn start(name: &str, snippet: &str) -> Nginx {
        let dir = temp_dir(name);
        let port = free_port();
        let conf = write_nginx_conf(&dir, snippet, port);
        nginx_t(&conf, &dir);
        let child = Command::new(nginx_bin())
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("logs/error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut n = Nginx { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return n;
            }
            if let Ok(Some(status)) = n.child.try_wait() {
                panic!(
                    "nginx exited ({status}) before answering:\n{}",
                    n.error_log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not answer on 127.0.0.1:{port} within 10 s:\n{}",
                n.error_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("logs/error.log")).unwrap_or_default()
    }

    /// GET / with this Cookie header (none: no Cookie line); returns every
    /// Content-Security-Policy header of the response.
    fn csp_headers(&self, cookie_header: Option<&str>) -> Vec<String> {
        self.get("/", cookie_header)
            .into_iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-security-policy"))
            .map(|(_, v)| v)
            .collect()
    }

    /// GET `path` with this Cookie header; every response header of the browser-enforced
    /// layer (CSP, connection allowlist, permissions policy), as `(name, value)`.
    fn layer_headers(&self, path: &str, cookie_header: Option<&str>) -> Vec<(String, String)> {
        let names = [
            "content-security-policy",
            "connection-allowlist-report-only",
            "permissions-policy",
        ];
        self.get(path, cookie_header)
            .into_iter()
            .filter(|(n, _)| names.contains(&n.to_ascii_lowercase().as_str()))
            .collect()
    }

    /// GET `path`: the response's headers, as `(name, value)`.
    fn get(&self, path: &str, cookie_header: Option<&str>) -> Vec<(String, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to nginx");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let cookie = cookie_header
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{cookie}Connection: close\r\n\r\n",
            self.port
        )
        .expect("send the request");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read the response");
        let text = String::from_utf8_lossy(&raw);
        let head = text.split("\r\n\r\n").next().unwrap_or("");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "nginx answered:\n{head}\n{}",
            self.error_log()
        );
        head.lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its worker; SIGKILL if it does not within 5 s.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of the demo config with `"policy": "server"` (the demo ships "client").
fn demo_server_config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/config.json");
    let text = std::fs::read_to_string(&path).expect("demo config");
    let server = text.replace("\"policy\": \"client\"", "\"policy\": \"server\"");
    let c = Config::from_json_str(&server).expect("demo config with policy server");
    check(
        "demo copy has policy server",
        c.policy,
        accord_core::config::PolicyMode::Server,
    );
    c
}

/// The current time in Unix seconds (nginx compares nothing; csp() needs a clock at
/// which the rows' records are valid).
fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as Timestamp
}

/// Compares the header nginx sends with `csp()` for each `(row, Cookie header)`;
/// collects every mismatch, then fails with all of them.
fn compare_with_nginx(n: &Nginx, c: &Config, rows: &[(String, Option<String>)]) {
    let now = now();
    let mut mismatches = Vec::new();
    for (row, cookie_header) in rows {
        let want = csp(c, cookie_header.as_deref(), now);
        let got = n.csp_headers(cookie_header.as_deref());
        if got != vec![want.clone()] {
            mismatches.push(format!(
                "row: {row}\n  Cookie: {cookie_header:?}\n  csp():  {want}\n  nginx:  {got:?}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "nginx and csp() disagree on {} of {} rows:\n{}",
        mismatches.len(),
        rows.len(),
        mismatches.join("\n")
    );
}

/// Rows a correct browser can send: no cookie, each purpose alone, all, none, a wrong
/// policy version, a missing purpose, corrupt values that are not records at all.
fn ordinary_rows(purposes: &[&str], version: &str) -> Vec<(String, Option<String>)> {
    let decided = now() - DAY;
    let rec = |version: &str, granted: &dyn Fn(&str) -> bool, list: &[&str]| {
        let values: Vec<(&str, bool)> = list.iter().map(|p| (*p, granted(p))).collect();
        record_at(decided, Action::Custom, version, &values)
    };
    let mut rows: Vec<(String, Option<String>)> = vec![
        ("no Cookie header".into(), None),
        (
            "other cookies only".into(),
            Some("sid=1; theme=dark".into()),
        ),
    ];
    for p in purposes {
        rows.push((
            format!("{p} alone"),
            Some(cookie(&rec(version, &|q| q == *p, purposes))),
        ));
    }
    let all = rec(version, &|_| true, purposes);
    rows.extend([
        ("all granted".to_owned(), Some(cookie(&all))),
        (
            "all granted, among other cookies".into(),
            Some(format!("sid=1; accord={all}; theme=dark")),
        ),
        (
            "all refused".into(),
            Some(cookie(&rec(version, &|_| false, purposes))),
        ),
        (
            "wrong policy version".into(),
            Some(cookie(&rec("2025-01-01", &|_| true, purposes))),
        ),
        (
            "a purpose missing from the record".into(),
            Some(cookie(&rec(
                version,
                &|_| true,
                &purposes[..purposes.len() - 1],
            ))),
        ),
        ("corrupt: garbage".into(), Some("accord=xyz".into())),
        (
            "corrupt: truncated".into(),
            Some(cookie(&all[..all.len() / 2])),
        ),
        (
            "corrupt: unknown format version".into(),
            Some(cookie(&all.replacen('1', "2", 1))),
        ),
        ("corrupt: empty".into(), Some("accord=".into())),
        (
            "corrupt: a purpose value 2".into(),
            Some(cookie(&all.replace(
                &format!("{}=1", purposes[0]),
                &format!("{}=2", purposes[0]),
            ))),
        ),
        (
            "two record cookies: the first (garbage) counts".into(),
            Some(format!("accord=xyz; accord={all}")),
        ),
    ]);
    rows
}

#[test]
fn nginx_t_accepts_the_snippet() {
    for (name, c) in [
        ("demo", demo_server_config()),
        ("rules", config()),
        (
            "50-vendors",
            Config::from_json_str(&big_config_json(5, 10)).expect("50 vendors"),
        ),
    ] {
        let dir = temp_dir(&format!("t-{name}"));
        let snippet = nginx(&c, env!("CARGO_PKG_VERSION"));
        let conf = write_nginx_conf(&dir, &snippet, free_port());
        nginx_t(&conf, &dir);
    }
}

#[test]
fn nginx_sends_the_same_header_as_csp() {
    // The demo config ("policy": "server" copy): three consent purposes.
    let demo = demo_server_config();
    let n = Nginx::start("live-demo", &nginx(&demo, env!("CARGO_PKG_VERSION")));
    compare_with_nginx(
        &n,
        &demo,
        &ordinary_rows(&["audience", "advertising", "video"], "2026-11-01"),
    );
    drop(n);

    // The rules config: exempt audience (on without a record, off when it says 0),
    // wildcards, ports, allowed_hosts, a necessary vendor.
    let c = config();
    let n = Nginx::start("live-rules", &nginx(&c, env!("CARGO_PKG_VERSION")));
    compare_with_nginx(
        &n,
        &c,
        &ordinary_rows(&["audience", "advertising", "video"], "2026-11-01"),
    );
}

/// Records a correct Accord never writes but a cookie jar may hold (another script, an
/// older or broken writer): SPEC §5 makes every one of them "no decision". nginx must
/// not send a wider header than csp() for them.
#[test]
fn nginx_agrees_on_malformed_records() {
    let c = demo_server_config();
    let n = Nginx::start("live-malformed", &nginx(&c, env!("CARGO_PKG_VERSION")));
    let decided = now() - DAY;
    let all = record_at(
        decided,
        Action::AcceptAll,
        "2026-11-01",
        &[("audience", true), ("advertising", true), ("video", true)],
    );
    let rows: Vec<(String, Option<String>)> = vec![
        (
            "unknown action".into(),
            Some(cookie(&all.replace("|accept_all|", "|bogus|"))),
        ),
        (
            "an extra purpose with value 2".into(),
            Some(cookie(&format!("{all}&chat=2"))),
        ),
        (
            "a purpose twice (1 then 0)".into(),
            Some(cookie(&format!("{all}&video=0"))),
        ),
        ("an 8th field".into(), Some(cookie(&format!("{all}&|x")))),
        ("quoted value".into(), Some(format!("accord=\"{all}\""))),
        (
            "cookie name in capitals (ACCORD is another cookie)".into(),
            Some(format!("ACCORD={all}")),
        ),
    ];
    compare_with_nginx(&n, &c, &rows);
}

/// SPEC §6: the opt-out marker outlives the record. With or without a record, a marker
/// naming the exempt purpose takes its hosts out of the header; a malformed one too
/// (fail closed); one naming only other ids does not. nginx must agree with csp() on
/// every combination.
#[test]
fn nginx_agrees_on_the_opt_out_marker() {
    let c = config();
    let n = Nginx::start("live-optout", &nginx(&c, env!("CARGO_PKG_VERSION")));
    let at = now();
    let decided = at - DAY;
    let purposes = ["audience", "advertising", "video"];
    let rec = |f: &dyn Fn(&str) -> bool| {
        let values: Vec<(&str, bool)> = purposes.iter().map(|p| (*p, f(p))).collect();
        record_at(decided, Action::Custom, "2026-11-01", &values)
    };
    let records: Vec<(&str, Option<String>)> = vec![
        ("no record", None),
        ("all granted", Some(rec(&|_| true))),
        ("audience 0 in the record", Some(rec(&|p| p != "audience"))),
        (
            "older policy version",
            Some(record_at(
                decided,
                Action::AcceptAll,
                "2025-01-01",
                &[("audience", true), ("advertising", true), ("video", true)],
            )),
        ),
    ];
    let markers: Vec<(&str, Option<String>)> = vec![
        ("no marker", None),
        (
            "marker: audience",
            Some(format!("accord_optout=1|{decided}|audience")),
        ),
        (
            "marker: audience among others",
            Some(format!("accord_optout=1|{decided}|chat.audience.x_y")),
        ),
        (
            "marker: another id only",
            Some(format!("accord_optout=1|{decided}|audience2")),
        ),
        (
            "marker: empty value (no marker)",
            Some("accord_optout=".into()),
        ),
        (
            "marker: malformed (garbage)",
            Some("accord_optout=yes".into()),
        ),
        (
            "marker: malformed (no ids)",
            Some(format!("accord_optout=1|{decided}|")),
        ),
        (
            "marker: malformed (version 2)",
            Some(format!("accord_optout=2|{decided}|audience")),
        ),
        (
            "marker: malformed (uppercase id)",
            Some(format!("accord_optout=1|{decided}|Audience")),
        ),
        (
            "marker: malformed (4 fields)",
            Some(format!("accord_optout=1|{decided}|audience|x")),
        ),
        (
            "a cookie named like the marker plus a suffix is not it",
            Some(format!("accord_optout2=1|{decided}|audience")),
        ),
        (
            "marker name in capitals is another cookie",
            Some(format!("ACCORD_OPTOUT=1|{decided}|audience")),
        ),
        (
            "two markers: the first (another id) counts",
            Some(format!(
                "accord_optout=1|{decided}|video; accord_optout=1|{decided}|audience"
            )),
        ),
    ];
    let mut rows = Vec::new();
    for (rn, r) in &records {
        for (mn, m) in &markers {
            let mut parts = vec!["sid=1".to_owned()];
            if let Some(m) = m {
                parts.push(m.clone());
            }
            if let Some(r) = r {
                parts.push(format!("accord={r}"));
            }
            rows.push((format!("{rn}, {mn}"), Some(parts.join("; "))));
        }
    }
    // The rows mean what SPEC §6 says, not only that both sides agree.
    let audience = |h: Option<&str>| csp(&c, h, at).contains(" stats.exemple.fr:*");
    let row = |r: &str, m: &str| {
        rows.iter()
            .find(|(n, _)| n == &format!("{r}, {m}"))
            .and_then(|(_, h)| h.clone())
    };
    check(
        "no record, no marker: exempt on",
        audience(row("no record", "no marker").as_deref()),
        true,
    );
    check(
        "no record, marker: off",
        audience(row("no record", "marker: audience").as_deref()),
        false,
    );
    check(
        "all granted, marker: off (the marker wins)",
        audience(row("all granted", "marker: audience").as_deref()),
        false,
    );
    check(
        "policy changed, marker: still off",
        audience(row("older policy version", "marker: audience").as_deref()),
        false,
    );
    check(
        "another id only: on",
        audience(row("no record", "marker: another id only").as_deref()),
        true,
    );
    check(
        "malformed: off (fail closed)",
        audience(row("no record", "marker: malformed (garbage)").as_deref()),
        false,
    );
    check(
        "empty: on",
        audience(row("no record", "marker: empty value (no marker)").as_deref()),
        true,
    );
    compare_with_nginx(&n, &c, &rows);
}

// ------------------------------------------------------------------ issue 12, item 7

/// The other headers of the layer: `Connection-Allowlist-Report-Only` (URLPatterns of the
/// same hosts as the CSP, plus the page's own origin) and `Permissions-Policy:
/// deferred-fetch=()` while no consent purpose with hosts is granted.
#[test]
fn layer_headers_table() {
    let c = config();
    let decided = now() - DAY;
    let rec = |adv: bool, vid: bool| {
        cookie(&record_at(
            decided,
            Action::Custom,
            "2026-11-01",
            &[("audience", true), ("advertising", adv), ("video", vid)],
        ))
    };
    let statics = "\"*://cdn.exemple.fr:*/*\" \"*://*.fonts.example:*/*\" \"*://pay.example:8443/*\" \"*://auth.exemple.fr:*/*\"";
    let audience = "\"*://stats.exemple.fr:*/*\"";
    let advertising = "\"*://ads.example:*/*\" \"*://*.ads.example:*/*\" \"*://px.example:8443/*\"";
    #[rustfmt::skip]
    let rows: Vec<(&str, Option<String>, String, Option<&str>)> = vec![
        ("no decision: the exempt tool only; no fetchLater",
            None, format!("(response-origin {statics} {audience})"), Some("deferred-fetch=(), deferred-fetch-minimal=()")),
        ("refused: the same",
            Some(rec(false, false)), format!("(response-origin {statics} {audience})"), Some("deferred-fetch=(), deferred-fetch-minimal=()")),
        ("advertising granted: its hosts; fetchLater allowed",
            Some(rec(true, false)), format!("(response-origin {statics} {audience} {advertising})"), None),
    ];
    for (row, cookie_header, allowlist, permissions) in rows {
        let h = headers(&c, cookie_header.as_deref(), now());
        let get = |n: &str| h.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        check(
            row,
            get("Content-Security-Policy"),
            Some(csp(&c, cookie_header.as_deref(), now())),
        );
        check(
            row,
            get("Connection-Allowlist-Report-Only"),
            Some(allowlist),
        );
        check(row, get("Permissions-Policy").as_deref(), permissions);
    }
    // Ports: none is any port, a default one is the scheme's default.
    for (host, want) in [
        ("ads.example", "\"*://ads.example:*/*\""),
        ("*.ads.example", "\"*://*.ads.example:*/*\""),
        ("127.0.0.1:8083", "\"*://127.0.0.1:8083/*\""),
        ("pay.example:443", "\"*://pay.example/*\""),
    ] {
        check(
            host,
            url_pattern(&HostPattern::parse(host).unwrap()),
            want.to_owned(),
        );
    }
}

/// A real nginx sends the same three headers as `headers()` for every ordinary row, on
/// the page and on a worker script's response.
#[test]
fn nginx_sends_the_same_layer_headers_on_pages_and_worker_scripts() {
    let now = now();
    for (name, c) in [("demo", demo_server_config()), ("rules", config())] {
        let n = Nginx::start(
            &format!("live-layer-{name}"),
            &nginx(&c, env!("CARGO_PKG_VERSION")),
        );
        let mut mismatches = Vec::new();
        for (row, cookie_header) in
            ordinary_rows(&["audience", "advertising", "video"], &c.policy_version)
        {
            let want: Vec<(String, String)> = headers(&c, cookie_header.as_deref(), now)
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            for path in ["/", "/worker.js"] {
                let mut got = n.layer_headers(path, cookie_header.as_deref());
                let mut want = want.clone();
                got.sort();
                want.sort();
                if got != want {
                    mismatches.push(format!(
                        "{name} {path} row: {row}\n  headers(): {want:?}\n  nginx:     {got:?}"
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "nginx and headers() disagree:\n{}",
            mismatches.join("\n")
        );
    }
}
