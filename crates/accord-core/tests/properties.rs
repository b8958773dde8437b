#![cfg(not(target_arch = "wasm32"))]
//! Property tests (issue 14, item 6) of every decoder of host input: the record and
//! marker cookies, the first-deposit and storage ledgers, cookie strings (`Expires`,
//! `Max-Age`) and RFC 6265 dates, host patterns and URL hosts, the internal-code guard,
//! and the config from arbitrary text and arbitrary JSON. Each must never panic, and
//! each codec that also encodes must give back what it wrote. The calendar is checked
//! against an independent one (`jiff`).
//!
//! CI runs proptest's default of 256 cases per property; run longer with
//! `PROPTEST_CASES=100000 cargo test -p accord-core --test properties --release`.

use accord_core::attribution::{StorageLedger, Store};
use accord_core::calendar::{
    add_months, civil_from_days, days_from_civil, parse_iso, to_http_date, to_iso, Timestamp,
    EARLIEST, LATEST,
};
use accord_core::config::Config;
use accord_core::cookies::{clamp, parse_cookie_date, CookieWrite, Ledger};
use accord_core::hosts::{glob_match, url_host_port, HostPattern};
use accord_core::identifiers::{check_internal_code, check_internal_code_with, CodeShape};
use accord_core::law::MAX_MONTHS;
use accord_core::record::{encode_marker, marker_set_at, objections, Action, Record};
use proptest::prelude::*;

const DAY: Timestamp = 86_400;

fn demo_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/demo/config.json"
    ))
    .expect("the demo config")
}

fn demo() -> Config {
    Config::from_json_str(&demo_text()).expect("the demo config is valid")
}

/// Any timestamp the calendar accepts.
fn timestamp() -> impl Strategy<Value = Timestamp> {
    EARLIEST..=LATEST
}

/// Text a page could hand over: any characters, often close to the formats.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[0-9|=&;:,. a-zA-Z%\\-_*/\r\n\t]{0,80}",
        "[\\x00-\\x7f]{0,40}",
        "[àéèßüñ漢字🍪\u{200b}\u{feff}]{0,12}",
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::AcceptAll),
        Just(Action::RefuseAll),
        Just(Action::Custom),
        Just(Action::Withdraw),
        Just(Action::Close),
    ]
}

/// A record as Accord writes it: an id of 16 to 64 hex digits, a lifetime of at most
/// 13 months, any policy version (percent-encoded in the cookie), unique purpose ids.
fn record() -> impl Strategy<Value = Record> {
    (
        "[0-9a-f]{16,64}",
        0..=(LATEST - 400 * DAY),
        1u32..=MAX_MONTHS,
        0..DAY,
        action(),
        ".{0,24}",
        proptest::collection::btree_map("[a-z][a-z0-9_-]{0,12}", any::<bool>(), 0..12),
    )
        .prop_map(
            |(id, decided_at, months, shorter, action, policy_version, purposes)| {
                let expires_at = (add_months(decided_at, months) - shorter).max(decided_at + 1);
                Record {
                    record_id: id,
                    decided_at,
                    expires_at,
                    policy_version,
                    action,
                    purposes: purposes.into_iter().collect(),
                }
            },
        )
}

/// A JSON value of any shape, with the config's own keys often among the keys.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("purposes".to_owned()),
        Just("vendors".to_owned()),
        Just("hosts".to_owned()),
        Just("cookies".to_owned()),
        Just("basis".to_owned()),
        Just("policy_version".to_owned()),
        Just("choice_lifetime_months".to_owned()),
        "[a-z_]{1,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    // ---------------------------------------------------------------- the record

    #[test]
    fn record_decode_never_panics(s in hostile()) {
        let _ = Record::decode(&s);
    }

    #[test]
    fn record_decode_never_panics_near_the_format(
        id in "[0-9a-fA-F]{0,70}",
        a in "-?[0-9]{0,22}",
        b in "-?[0-9]{0,22}",
        act in "[a-z_]{0,12}",
        pv in "[%0-9A-Za-z]{0,12}",
        ps in "[a-z=01&]{0,60}",
    ) {
        let _ = Record::decode(&format!("1|{id}|{a}|{b}|{act}|{pv}|{ps}"));
    }

    #[test]
    fn record_round_trips(r in record()) {
        prop_assert_eq!(Record::decode(&r.encode()), Ok(r));
    }

    // ---------------------------------------------------------------- the opt-out marker

    #[test]
    fn marker_never_panics(s in hostile()) {
        let _ = marker_set_at(&s);
        let _ = objections(&demo(), Some(&s));
    }

    #[test]
    fn marker_round_trips(at in 0i64..=999_999_999_999, objected in any::<bool>()) {
        let ids = if objected { vec!["audience".to_owned()] } else { Vec::new() };
        let value = encode_marker(&ids, at);
        prop_assert_eq!(value.is_some(), objected);
        if let Some(v) = value {
            prop_assert_eq!(marker_set_at(&v), Some(at));
            let (list, malformed) = objections(&demo(), Some(&v));
            prop_assert_eq!((list, malformed), (ids, false));
        }
    }

    // ---------------------------------------------------------------- the ledgers

    #[test]
    fn ledger_never_panics_and_never_believes_the_future(s in hostile(), now in timestamp()) {
        let l = Ledger::decode(&format!("1\n{s}"), now);
        for line in l.encode().lines().skip(1) {
            let ts: Timestamp = line.split(' ').next().unwrap().parse().unwrap();
            prop_assert!(ts <= now.saturating_add(86_400), "a first deposit after now was believed: {line}");
        }
    }

    #[test]
    fn ledger_round_trips_every_name_it_keeps(names in proptest::collection::vec(".{0,16}", 0..10), now in 0..LATEST) {
        let mut l = Ledger::default();
        for n in &names {
            l.first_deposit(n, now, || false);
        }
        let back = Ledger::decode(&l.encode(), now);
        for n in &names {
            // A name is kept and read back, or refused (never kept as something else).
            prop_assert_eq!(back.get(n), l.get(n), "name {:?}", n);
        }
    }

    #[test]
    fn storage_ledger_never_panics_and_round_trips(s in hostile(), names in proptest::collection::vec("[a-zA-Z0-9_.:-]{1,16}", 0..8)) {
        let _ = StorageLedger::decode(&s);
        let mut l = StorageLedger::default();
        for n in &names {
            l.add("advertising", Store::Storage, n);
        }
        let back = StorageLedger::decode(&l.encode());
        let ads = ["advertising".to_owned()];
        let want: Vec<(Store, &str)> = l.of(&ads).collect();
        let got: Vec<(Store, &str)> = back.of(&ads).collect();
        prop_assert_eq!(got, want);
    }

    // ---------------------------------------------------------------- cookie strings and dates

    #[test]
    fn cookie_strings_never_panic_and_the_clamp_holds(s in hostile(), now in 0..(LATEST - 800 * DAY), back in 0i64..(400 * DAY)) {
        let first = now - back.min(now);
        if let Some(w) = CookieWrite::parse(&s, now) {
            let c = clamp(&s, &w, first, now);
            if let Some(e) = c.expires {
                // 13 months after the first deposit at most (a deletion may be in the past).
                prop_assert!(e <= add_months(first, MAX_MONTHS) || w.is_deletion(now), "{s:?} -> {e}");
            }
        }
    }

    #[test]
    fn cookie_attributes_never_panic(
        name in "[a-z_]{1,8}",
        max_age in "-?[0-9]{0,25}",
        expires in hostile(),
        now in timestamp(),
    ) {
        for s in [
            format!("{name}=v; Max-Age={max_age}"),
            format!("{name}=v; expires={expires}"),
            format!("{name}=v; Max-Age={max_age}; Expires={expires}; path=/"),
        ] {
            if let Some(w) = CookieWrite::parse(&s, now) {
                let _ = clamp(&s, &w, now, now);
            }
        }
    }

    #[test]
    fn cookie_dates_never_panic(s in hostile()) {
        if let Some(ts) = parse_cookie_date(&s) {
            prop_assert!((EARLIEST..=LATEST).contains(&ts));
        }
    }

    #[test]
    fn http_dates_round_trip(ts in days_from_civil(1601, 1, 1) * DAY..=LATEST) {
        prop_assert_eq!(parse_cookie_date(&to_http_date(ts)), Some(ts));
    }

    // ---------------------------------------------------------------- hosts and URLs

    #[test]
    fn host_patterns_never_panic_and_round_trip(s in hostile()) {
        if let Ok(p) = HostPattern::parse(&s) {
            prop_assert_eq!(HostPattern::parse(&p.to_string()), Ok(p.clone()));
            if !p.wildcard {
                prop_assert!(p.matches(&p.host, p.port.or(Some(443))), "{p} does not match its own host");
            }
        }
    }

    #[test]
    fn url_hosts_never_panic(s in hostile(), host in "[a-z0-9.-]{1,20}", port in any::<u32>()) {
        let _ = url_host_port(&s);
        let _ = url_host_port(&format!("https://{host}:{port}/{s}"));
        let _ = url_host_port(&format!("//{s}"));
    }

    #[test]
    fn cookie_globs_never_panic(a in "[a-z_*]{0,12}", b in hostile()) {
        let _ = glob_match(&a, &b);
    }

    // ---------------------------------------------------------------- the internal-code guard

    #[test]
    fn internal_code_guard_never_panics(s in hostile(), digits in "[0-9 ]{0,40}", shape in "[A9\\-]{1,12}") {
        let _ = check_internal_code(&s);
        let _ = check_internal_code(&digits);
        if let Ok(shape) = CodeShape::parse(&shape) {
            let _ = check_internal_code_with(&s, std::slice::from_ref(&shape));
            let _ = check_internal_code_with(&digits, &[shape]);
        }
    }

    // ---------------------------------------------------------------- the config

    #[test]
    fn config_text_never_panics(s in hostile()) {
        let _ = Config::from_json_str(&s);
    }

    #[test]
    fn config_json_never_panics(v in json()) {
        let _ = Config::from_json_str(&v.to_string());
    }

    /// The demo config with one field anywhere replaced by arbitrary JSON: every rule runs
    /// on a config that is valid but for that field.
    #[test]
    fn config_with_one_field_replaced_never_panics(path in proptest::collection::vec(0usize..16, 1..5), v in json()) {
        let mut doc: serde_json::Value = serde_json::from_str(&demo_text()).unwrap();
        // A JSON pointer to a field: at each level, the i-th key or item (modulo).
        let mut pointer = String::new();
        let mut at = &doc;
        for i in path {
            let step = match at {
                serde_json::Value::Object(m) if !m.is_empty() => {
                    m.keys().nth(i % m.len()).cloned()
                }
                serde_json::Value::Array(a) if !a.is_empty() => Some((i % a.len()).to_string()),
                _ => None,
            };
            let Some(step) = step else { break };
            pointer.push('/');
            pointer.push_str(&step.replace('~', "~0").replace('/', "~1"));
            at = doc.pointer(&pointer).unwrap();
        }
        *doc.pointer_mut(&pointer).unwrap() = v;
        let _ = Config::from_json_str(&doc.to_string());
    }

    // ---------------------------------------------------------------- the calendar, against jiff

    #[test]
    fn calendar_agrees_with_jiff(ts in timestamp(), months in 0u32..=24) {
        let utc = jiff::tz::Offset::UTC;
        let j = utc.to_datetime(jiff::Timestamp::from_second(ts).unwrap());
        let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
        prop_assert_eq!((y, m, d), (j.year() as i64, j.month() as u32, j.day() as u32));
        prop_assert_eq!(days_from_civil(y, m, d) * DAY + ts.rem_euclid(DAY), ts);
        let iso = to_iso(ts);
        prop_assert_eq!(&iso, &j.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        prop_assert_eq!(parse_iso(&iso), Some(ts));
        // Months added to the same day and time, clamped to the month's end (jiff's
        // default), unless past the calendar's end.
        let want = j
            .checked_add(jiff::Span::new().months(months as i64))
            .ok()
            .and_then(|dt| utc.to_timestamp(dt).ok())
            .map(|t| t.as_second())
            .filter(|t| *t <= LATEST);
        if let Some(want) = want {
            prop_assert_eq!(add_months(ts, months), want, "{} + {} months", iso, months);
        }
    }

    #[test]
    fn iso_dates_never_panic(s in hostile(), y in "-?[0-9]{0,30}") {
        let _ = parse_iso(&s);
        let _ = parse_iso(&format!("{y}-02-31T00:00:00Z"));
    }
}

/// Found by `ledger_round_trips_every_name_it_keeps`: a cookie with an empty name
/// (`document.cookie = "=value"`) had its first deposit recorded but not read back, so
/// its 13 months started again at each page.
#[test]
fn an_empty_cookie_name_keeps_its_first_deposit() {
    let first = 1_796_083_200;
    let mut l = Ledger::default();
    l.first_deposit("", first, || false);
    let back = Ledger::decode(&l.encode(), first + 30 * DAY);
    assert_eq!(back.get(""), Some(first));
    let mut later = back.clone();
    assert_eq!(
        later.first_deposit("", first + 30 * DAY, || true),
        (first, false)
    );
}
