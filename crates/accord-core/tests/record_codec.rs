#![cfg(not(target_arch = "wasm32"))]
//! The consent record (SPEC §4) as tables: golden strings of the v1 cookie codec,
//! corrupt inputs, and the decision logic (`evaluate`, `granted`, `decide`, `withdrawn`).

use accord_core::config::Config;
use accord_core::record::{
    decide, effective_expiry, evaluate, granted, withdrawn, Action, Choice, Intent, NoChoice,
    Record, RecordError,
};
use std::fmt::Debug;

/// The one assertion of this file: `got` must equal `expected`; `row` says which row.
fn check<T: PartialEq + Debug>(row: &str, got: T, expected: T) {
    assert_eq!(got, expected, "row: {row}");
}

// ---- an independent clock: civil UTC date → Unix seconds (not calendar.rs) ----

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i64, m: i64) -> i64 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
    let mut days = 0;
    for yr in 1970..y {
        days += if leap(yr) { 366 } else { 365 };
    }
    for m in 1..mo {
        days += month_len(y, m);
    }
    days += d - 1;
    days * 86_400 + h * 3600 + mi * 60
}

const DAY: i64 = 86_400;
/// 2026-11-23T04:43:00Z, worked out by hand: 20 780 days × 86 400 + 4 h 43.
const T0: i64 = 1_795_408_980;
/// T0 + 6 months: 2027-05-23T04:43:00Z.
const T0_6M: i64 = 1_811_047_380;
/// T0 + 13 months: 2027-12-23T04:43:00Z.
const T0_13M: i64 = 1_829_536_980;
const ID: &str = "0123456789abcdef0123456789abcdef";

fn config(lifetime_months: u32, with_video: bool) -> Config {
    config_with(lifetime_months, with_video, "")
}

/// [`config`] with more top-level fields (`extra` starts with a comma).
fn config_with(lifetime_months: u32, with_video: bool, extra: &str) -> Config {
    let video = if with_video {
        r#",{ "id": "video", "basis": "consent",
              "title": { "fr": "Vidéos", "en": "Videos" },
              "description": { "fr": "Vidéos intégrées.", "en": "Embedded videos." } }"#
    } else {
        ""
    };
    let text = format!(
        r#"{{
  "policy_version": "2026-11-01",
  "controller": {{ "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" }},
  "purposes": [
    {{ "id": "necessary", "basis": "necessary",
       "title": {{ "fr": "Nécessaires", "en": "Necessary" }},
       "description": {{ "fr": "Le site.", "en": "The site." }} }},
    {{ "id": "audience", "basis": "exempt-audience",
       "title": {{ "fr": "Audience", "en": "Audience" }},
       "description": {{ "fr": "Compte.", "en": "Counts." }} }},
    {{ "id": "advertising", "basis": "consent",
       "title": {{ "fr": "Publicité", "en": "Advertising" }},
       "description": {{ "fr": "Pubs.", "en": "Ads." }} }}{video}
  ],
  "vendors": [
    {{ "id": "matomo", "name": "Matomo", "purpose": "audience", "hosts": ["stats.exemple.fr"],
       "first_party": true, "cookies": [{{ "name": "_pk_id.*", "lifetime_days": 395 }}],
       "country": "FR" }}
  ],
  "choice_lifetime_months": {lifetime_months}{extra}
}}"#
    );
    Config::from_json_str(&text).unwrap_or_else(|e| panic!("test config invalid: {e:?}"))
}

fn rec(
    action: Action,
    decided: i64,
    expires: i64,
    policy: &str,
    purposes: &[(&str, bool)],
) -> Record {
    Record {
        record_id: ID.to_owned(),
        decided_at: decided,
        expires_at: expires,
        policy_version: policy.to_owned(),
        action,
        purposes: purposes
            .iter()
            .map(|(p, v)| ((*p).to_owned(), *v))
            .collect(),
    }
}

#[test]
fn the_independent_clock_agrees_with_the_hand_computed_constants() {
    check("T0", utc(2026, 11, 23, 4, 43), T0);
    check("T0+6", utc(2027, 5, 23, 4, 43), T0_6M);
    check("T0+13", utc(2027, 12, 23, 4, 43), T0_13M);
}

#[test]
fn golden_strings() {
    // Format v1 (record.rs module doc):
    // 1|<record id>|<decided_at>|<expires_at>|<action>|<policy_version %-encoded>|<id>=<0|1>&…
    #[rustfmt::skip]
    let rows: Vec<(Record, &str)> = vec![
        // §4: version, id, decided_at, expires_at, action, policy, one explicit boolean per purpose
        (rec(Action::Custom, T0, T0_6M, "2026-11-01", &[("audience", true), ("advertising", false), ("video", true)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|audience=1&advertising=0&video=1"),
        // every action code of §4
        (rec(Action::AcceptAll, T0, T0_6M, "2026-11-01", &[("audience", true), ("advertising", true)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|accept_all|2026-11-01|audience=1&advertising=1"),
        (rec(Action::RefuseAll, T0, T0_6M, "2026-11-01", &[("audience", true), ("advertising", false)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|refuse_all|2026-11-01|audience=1&advertising=0"),
        (rec(Action::Withdraw, T0, T0_6M, "2026-11-01", &[("advertising", false)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|withdraw|2026-11-01|advertising=0"),
        (rec(Action::Close, T0, T0_13M, "2026-11-01", &[("advertising", false)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1829536980|close|2026-11-01|advertising=0"),
        // policy version %-encoded, uppercase hex, UTF-8 bytes; unreserved . _ ~ - kept
        (rec(Action::Custom, T0, T0_6M, "v 2 | été %", &[("advertising", true)]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|v%202%20%7C%20%C3%A9t%C3%A9%20%25|advertising=1"),
        (rec(Action::Custom, T0, T0_6M, "a.b_c~d-E9", &[]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|a.b_c~d-E9|"),
        (rec(Action::Custom, T0, T0_6M, "x;y,z=\"&", &[]),
         "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|x%3By%2Cz%3D%22%26|"),
    ];
    for (record, golden) in &rows {
        check(golden, record.encode().as_str(), *golden);
        check(golden, Record::decode(golden), Ok(record.clone()));
    }
}

#[test]
fn policy_versions_round_trip_and_stay_cookie_safe() {
    for policy in [
        "2026-11-01",
        "v 2",
        "a|b|c",
        "100%",
        "%25",
        "%",
        "été",
        "2026-11-01 rév. 2 — assurance",
        "&=;,\"\\",
        "日本語",
        "🍪",
        "",
    ] {
        let r = rec(
            Action::Custom,
            T0,
            T0_6M,
            policy,
            &[("audience", false), ("advertising", true)],
        );
        let encoded = r.encode();
        // RFC 6265 cookie-octets: printable ASCII without space " , ; \
        let safe = encoded
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && !matches!(b, b'"' | b',' | b';' | b'\\'));
        check(&format!("{policy:?} cookie-safe: {encoded}"), safe, true);
        check(
            &format!("{policy:?} 7 fields"),
            encoded.split('|').count(),
            7,
        );
        check(
            &format!("{policy:?} round trip"),
            Record::decode(&encoded),
            Ok(r),
        );
    }
}

#[test]
fn lenient_but_correct_decoding() {
    let base =
        "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|advertising=1";
    let want = rec(
        Action::Custom,
        T0,
        T0_6M,
        "2026-11-01",
        &[("advertising", true)],
    );
    #[rustfmt::skip]
    let rows: Vec<(String, Record)> = vec![
        // surrounding whitespace of a cookie value is ignored
        (format!("  {base}\n"), want.clone()),
        // an uppercase id is read and normalised to lowercase
        (base.replace("abcdef", "ABCDEF"), want.clone()),
        // lowercase %-escapes decode as well
        (base.replace("2026-11-01", "%c3%a9t%c3%a9"), rec(Action::Custom, T0, T0_6M, "été", &[("advertising", true)])),
        // ids of 16 and 64 hex digits are the bounds
        (base.replace(ID, "0123456789abcdef"), Record { record_id: "0123456789abcdef".into(), ..want.clone() }),
        (base.replace(ID, &"f".repeat(64)), Record { record_id: "f".repeat(64), ..want.clone() }),
        // exactly 13 months is the longest lifetime (CNIL)
        (base.replace("1811047380", "1829536980"), Record { expires_at: T0_13M, ..want.clone() }),
        // an empty purpose list is a list
        (base.replace("advertising=1", ""), Record { purposes: vec![], ..want.clone() }),
    ];
    for (raw, expected) in rows {
        check(&raw, Record::decode(&raw), Ok(expected));
    }
}

#[test]
fn corrupt_inputs_are_errors_never_panics() {
    let ok =
        "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|advertising=1";
    let with = |from: &str, to: &str| ok.replacen(from, to, 1);
    let f = |i: usize, v: &str| {
        let mut fields: Vec<&str> = ok.split('|').collect();
        fields[i] = v;
        fields.join("|")
    };
    let long_a = "a".repeat(100_000);
    #[rustfmt::skip]
    let rows: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("blank", "   ".into()),
        ("unknown version 2", f(0, "2")),
        ("unknown version v1", f(0, "v1")),
        ("unknown version 01", f(0, "01")),
        ("only the version", "1".into()),
        ("6 fields", ok.rsplit_once('|').unwrap().0.to_owned()),
        ("8 fields", format!("{ok}|extra")),
        ("7 empty fields", "1||||||".into()),
        ("non-hex id", f(1, "0123456789abcdeg0123456789abcdef")),
        ("short id (15)", f(1, "0123456789abcde")),
        ("long id (65)", f(1, &"a".repeat(65))),
        ("empty id", f(1, "")),
        ("non-ascii id", f(1, "🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪🍪")),
        ("non-numeric decided_at", f(2, "hier")),
        ("float decided_at", f(2, "1795408980.5")),
        ("empty decided_at", f(2, "")),
        ("non-numeric expires_at", f(3, "demain")),
        ("decided_at overflows i64", f(2, &"9".repeat(1000))),
        ("expires == decided", f(3, "1795408980")),
        ("expires before decided", f(3, "1795408979")),
        ("negative decided_at", with("1795408980|1811047380", "-100|100")),
        ("lifetime 13 months + 1 s", f(3, "1829536981")),
        ("lifetime 2 years", f(3, &(T0 + 730 * DAY).to_string())),
        ("unknown action", f(4, "accept")),
        ("action in capitals", f(4, "ACCEPT_ALL")),
        ("empty action", f(4, "")),
        ("purpose value 2", f(6, "advertising=2")),
        ("purpose value true", f(6, "advertising=true")),
        ("purpose value empty", f(6, "advertising=")),
        ("purpose without =", f(6, "advertising")),
        ("purpose without id", f(6, "=1")),
        ("duplicate purpose", f(6, "advertising=1&advertising=0")),
        ("lone %", f(5, "2026%")),
        ("short %-escape", f(5, "2026%2")),
        ("non-hex %-escape", f(5, "2026%G1")),
        ("%-escape into a multibyte char", f(5, "%aé")),
        ("%-escape of a multibyte char", f(5, "%é1")),
        ("invalid UTF-8 after decoding", f(5, "%C3")),
        ("invalid UTF-8 byte", f(5, "%FF")),
        ("garbage", "garbage".into()),
        ("pipes only", "||||||".into()),
        ("NUL", "\0".into()),
        ("emoji", "🍪|🍪".into()),
        ("JSON", "{\"advertising\":true}".into()),
        ("very long garbage", long_a.clone()),
        ("very long after version", format!("1|{long_a}")),
        ("very long id", f(1, &long_a)),
        ("very long number", f(3, &"1".repeat(100_000))),
        ("very many pipes", "1".to_owned() + &"|".repeat(100_000)),
        ("many duplicate purposes", f(6, &vec!["advertising=1"; 5_000].join("&"))),
    ];
    for (what, raw) in &rows {
        decode_fails(what, raw);
    }
    // the version field decides the error kind
    check(
        "2|…",
        Record::decode(&f(0, "2")),
        Err(RecordError::UnknownVersion("2".into())),
    );
    check(
        "1 only",
        Record::decode("1"),
        Err(RecordError::Malformed("expected 7 fields")),
    );
}

/// `raw` must decode to an error, and without a panic.
fn decode_fails(what: &str, raw: &str) {
    let result = std::panic::catch_unwind(|| Record::decode(raw));
    let shown: String = raw.chars().take(80).collect();
    match result {
        Ok(r) => check(
            &format!("{what}: {shown:?} decodes to {r:?}"),
            r.is_err(),
            true,
        ),
        Err(_) => panic!("row {what}: Record::decode panicked on {shown:?} (it must never panic)"),
    }
}

/// Rows that fail against the core as of this writing (reported to the lead).
#[test]
fn corrupt_inputs_regressions() {
    let ok =
        "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|advertising=1";
    #[rustfmt::skip]
    let rows: Vec<(&str, String)> = vec![
        // Regression: a decided_at so large that add_months(decided_at, 13) would overflow
        // i64 is refused as out of range before any date arithmetic.
        ("decided_at near i64::MAX",
            ok.replace("1795408980|1811047380", "9223372036854775000|9223372036854775807")),
        // Regression: u8::from_str_radix accepts a leading '+', so "%+A" must be refused
        // by the hex-digit check, not decoded to a newline.
        ("%-escape with a sign", ok.replace("2026-11-01", "2026%+A")),
    ];
    // every row is tried, so the report lists each broken one
    let broken: Vec<&str> = rows
        .iter()
        .filter(|(what, raw)| std::panic::catch_unwind(|| decode_fails(what, raw)).is_err())
        .map(|(what, _)| *what)
        .collect();
    check("rows that decode or panic", broken, vec![]);
}

#[test]
fn evaluate_table() {
    let c6 = config(6, false);
    let c13 = config(13, false);
    let c6_video = config(6, true);
    let valid = rec(
        Action::Custom,
        T0,
        T0_6M,
        "2026-11-01",
        &[("audience", true), ("advertising", true)],
    );
    let enc = |r: &Record| r.encode();
    let old13 = rec(
        Action::AcceptAll,
        T0,
        T0_13M,
        "2026-11-01",
        &[("audience", true), ("advertising", true)],
    );
    let future = |d: i64| Record {
        decided_at: T0 + d,
        expires_at: T0_6M + d,
        ..valid.clone()
    };
    #[rustfmt::skip]
    let rows: Vec<(&str, &Config, Option<String>, i64, Choice)> = vec![
        // §4: no cookie, no choice
        ("absent", &c6, None, T0, Choice::none(NoChoice::Absent)),
        // §8: corrupt counts as no choice (fail closed)
        ("corrupt", &c6, Some("garbage".into()), T0,
            Choice::none(NoChoice::Corrupt(RecordError::UnknownVersion("garbage".into())))),
        ("valid at decision time", &c6, Some(enc(&valid)), T0, Choice::valid(valid.clone())),
        ("valid one second before expiry", &c6, Some(enc(&valid)), T0_6M - 1, Choice::valid(valid.clone())),
        // §4: after expires_at the record is no choice; now == expires_at is already expired
        ("now == expires_at", &c6, Some(enc(&valid)), T0_6M, Choice::none(NoChoice::Expired)),
        ("long after expiry", &c6, Some(enc(&valid)), T0_6M + 400 * DAY, Choice::none(NoChoice::Expired)),
        // §4: a policy_version change re-asks
        ("policy changed", &c6, Some(enc(&Record { policy_version: "2026-10-01".into(), ..valid.clone() })), T0,
            Choice::none(NoChoice::PolicyChanged)),
        // §4: a purpose added to the config re-asks
        ("new purpose video", &c6_video, Some(enc(&valid)), T0, Choice::none(NoChoice::NewPurpose("video".into()))),
        // a purpose removed from the config does not re-ask
        ("purpose removed from config", &c6,
            Some(enc(&Record { purposes: vec![("audience".into(), true), ("advertising".into(), false), ("video".into(), true)], ..valid.clone() })), T0,
            Choice::valid(Record { purposes: vec![("audience".into(), true), ("advertising".into(), false), ("video".into(), true)], ..valid.clone() })),
        // decided 2 days in the future: the clock or the cookie is wrong
        ("clock skew 2 days", &c6, Some(enc(&future(2 * DAY))), T0, Choice::none(NoChoice::ClockSkew)),
        // small skew (1 hour) is tolerated
        ("clock skew 1 hour", &c6, Some(enc(&future(3600))), T0, Choice::valid(future(3600))),
        // CNIL 13 months: a record made under a 13-month config...
        ("13-month record, 13-month config, 7 months on", &c13, Some(enc(&old13)), utc(2027, 6, 23, 4, 43), Choice::valid(old13.clone())),
        // ...is shortened when the config goes down to 6 months
        ("13-month record, 6-month config, 7 months on", &c6, Some(enc(&old13)), utc(2027, 6, 23, 4, 43), Choice::none(NoChoice::Expired)),
        ("13-month record, 6-month config, 6 months - 1 s", &c6, Some(enc(&old13)), T0_6M - 1, Choice::valid(old13.clone())),
        ("13-month record, 6-month config, 6 months", &c6, Some(enc(&old13)), T0_6M, Choice::none(NoChoice::Expired)),
    ];
    for (what, config, stored, now, expected) in &rows {
        check(
            what,
            evaluate(config, stored.as_deref(), *now),
            expected.clone(),
        );
    }
}

#[test]
fn granted_table() {
    let c = config(6, false);
    let valid = |audience: bool, advertising: bool| {
        Choice::valid(rec(
            Action::Custom,
            T0,
            T0_6M,
            "2026-11-01",
            &[("audience", audience), ("advertising", advertising)],
        ))
    };
    let absent = Choice::none(NoChoice::Absent);
    let expired = evaluate(
        &c,
        Some(
            &rec(
                Action::AcceptAll,
                T0,
                T0_6M,
                "2026-11-01",
                &[("audience", true), ("advertising", true)],
            )
            .encode(),
        ),
        T0_6M,
    );
    let old_policy = evaluate(
        &c,
        Some(
            &rec(
                Action::AcceptAll,
                T0,
                T0_6M,
                "2025-01-01",
                &[("audience", true), ("advertising", true)],
            )
            .encode(),
        ),
        T0,
    );
    let corrupt = evaluate(&c, Some("1|zz"), T0);
    #[rustfmt::skip]
    let rows: Vec<(&str, Choice, &str, bool)> = vec![
        // necessary: always on, never asked
        ("necessary, no choice", absent.clone(), "necessary", true),
        ("necessary, all refused", valid(false, false), "necessary", true),
        ("necessary, corrupt", corrupt.clone(), "necessary", true),
        // consent: only a valid record saying yes (CNIL: prior consent)
        ("advertising, no choice", absent.clone(), "advertising", false),
        ("advertising, yes", valid(true, true), "advertising", true),
        ("advertising, no", valid(true, false), "advertising", false),
        ("advertising, yes but expired", expired.clone(), "advertising", false),
        ("advertising, yes but old policy", old_policy.clone(), "advertising", false),
        ("advertising, corrupt", corrupt.clone(), "advertising", false),
        // exempt audience: on without a record, off after the opt-out (§6)
        ("audience, no choice", absent.clone(), "audience", true),
        ("audience, kept", valid(true, false), "audience", true),
        ("audience, opted out", valid(false, true), "audience", false),
        // unknown ids never run
        ("unknown id, no choice", absent.clone(), "video", false),
        ("unknown id, all accepted", valid(true, true), "video", false),
        ("empty id", valid(true, true), "", false),
    ];
    for (what, choice, purpose, expected) in rows {
        check(what, granted(&c, &choice, purpose), expected);
    }
}

#[test]
fn decide_table() {
    let c = config(6, true);
    let absent = Choice::none(NoChoice::Absent);
    let all = |a: bool, ad: bool, v: bool| {
        Choice::valid(rec(
            Action::Custom,
            T0 - DAY,
            T0_6M - DAY,
            "2026-11-01",
            &[("audience", a), ("advertising", ad), ("video", v)],
        ))
    };
    let custom =
        |v: &[(&str, bool)]| Intent::Custom(v.iter().map(|(p, b)| ((*p).to_owned(), *b)).collect());
    #[rustfmt::skip]
    let rows: Vec<(&str, Choice, Intent, Action, [bool; 3])> = vec![
        // (audience, advertising, video), config order, necessary never recorded
        ("accept_all from nothing", absent.clone(), Intent::AcceptAll, Action::AcceptAll, [true, true, true]),
        // §6 (issue 4): « Tout accepter » does not undo an opt-out; only the person's own
        // box or the opt-out control lifts it
        ("accept_all after opt-out", all(false, false, false), Intent::AcceptAll, Action::AcceptAll, [false, true, true]),
        ("custom ticking audience after opt-out", all(false, false, false), Intent::Custom(vec![("audience".into(), true)]), Action::Custom, [true, false, false]),
        // refusing consent is not objecting to exempt measurement: audience kept as it was
        ("refuse_all from nothing", absent.clone(), Intent::RefuseAll, Action::RefuseAll, [true, false, false]),
        ("refuse_all after opt-out", all(false, true, true), Intent::RefuseAll, Action::RefuseAll, [false, false, false]),
        // closing is never consent (§3)
        ("close from nothing", absent.clone(), Intent::Close, Action::Close, [true, false, false]),
        ("close after opt-out", all(false, true, false), Intent::Close, Action::Close, [false, false, false]),
        // withdrawal (§3: no harder than consent)
        ("withdraw after accept", all(true, true, true), Intent::Withdraw, Action::Withdraw, [true, false, false]),
        ("withdraw after opt-out", all(false, true, true), Intent::Withdraw, Action::Withdraw, [false, false, false]),
        // §3: save exactly what is ticked; not listed = unticked
        ("custom video only", all(true, true, false), custom(&[("video", true)]), Action::Custom, [false, false, true]),
        ("custom audience+ads", absent.clone(), custom(&[("audience", true), ("advertising", true)]), Action::Custom, [true, true, false]),
        ("custom explicit false", absent.clone(), custom(&[("advertising", false), ("video", true)]), Action::Custom, [false, false, true]),
        ("custom nothing ticked", all(true, true, true), custom(&[]), Action::Custom, [false, false, false]),
        ("custom unknown and necessary ids ignored", absent.clone(),
            custom(&[("ghost", true), ("necessary", true), ("audience", true)]), Action::Custom, [true, false, false]),
    ];
    for (what, previous, intent, action, values) in &rows {
        let r = decide(&c, previous, intent, T0, ID.to_owned());
        let expected = Record {
            record_id: ID.to_owned(),
            decided_at: T0,
            expires_at: T0_6M, // §4: decided_at + choice_lifetime_months
            policy_version: "2026-11-01".to_owned(),
            action: *action,
            purposes: vec![
                ("audience".to_owned(), values[0]),
                ("advertising".to_owned(), values[1]),
                ("video".to_owned(), values[2]),
            ],
        };
        check(what, r.clone(), expected);
        // a fresh decision is a valid choice at once, through the cookie
        check(what, evaluate(&c, Some(&r.encode()), T0), Choice::valid(r));
    }
}

#[test]
fn decide_expiry_table() {
    #[rustfmt::skip]
    let rows: Vec<(&str, u32, i64, i64)> = vec![
        // 31 January + 1 month = last day of February (no 31 February)
        ("31 Jan 2026 + 1", 1, utc(2026, 1, 31, 10, 0), utc(2026, 2, 28, 10, 0)),
        ("31 Jan 2028 + 1 (leap)", 1, utc(2028, 1, 31, 10, 0), utc(2028, 2, 29, 10, 0)),
        ("23 Nov 2026 + 6", 6, T0, T0_6M),
        // CNIL 13 months at most
        ("23 Nov 2026 + 13", 13, T0, T0_13M),
        ("31 Aug 2026 + 6", 6, utc(2026, 8, 31, 23, 59), utc(2027, 2, 28, 23, 59)),
        ("31 Dec 2026 + 13", 13, utc(2026, 12, 31, 0, 0), utc(2028, 1, 31, 0, 0)),
    ];
    for (what, months, now, expires) in rows {
        let c = config(months, false);
        let r = decide(
            &c,
            &Choice::none(NoChoice::Absent),
            &Intent::AcceptAll,
            now,
            ID.to_owned(),
        );
        check(what, (r.decided_at, r.expires_at), (now, expires));
    }
    // the first golden value, by hand: 31 Jan 2026 10:00 → 28 Feb 2026 10:00
    check(
        "by hand",
        (utc(2026, 1, 31, 10, 0), utc(2026, 2, 28, 10, 0)),
        (1_769_853_600, 1_772_272_800),
    );
}

#[test]
fn a_refusal_is_kept_its_own_lifetime() {
    // CNIL 2020-092 (good practice) and the Digital Omnibus proposal: do not ask again
    // for at least 6 months after a refusal; a consent may be asked again sooner.
    let t0_2m = utc(2027, 1, 23, 4, 43);
    let t0_5m = utc(2027, 4, 23, 4, 43);
    let custom =
        |v: &[(&str, bool)]| Intent::Custom(v.iter().map(|(p, b)| ((*p).to_owned(), *b)).collect());
    #[rustfmt::skip]
    let rows: Vec<(&str, Config, Intent, i64)> = vec![
        // choice 2 months, refusal absent: the choice lifetime but never under 6
        ("accept_all, choice 2", config(2, true), Intent::AcceptAll, t0_2m),
        ("refuse_all, choice 2", config(2, true), Intent::RefuseAll, T0_6M),
        ("close, choice 2", config(2, true), Intent::Close, T0_6M),
        ("withdraw, choice 2", config(2, true), Intent::Withdraw, T0_6M),
        ("custom nothing, choice 2", config(2, true), custom(&[]), T0_6M),
        // exempt measurement kept on is not a consent
        ("custom audience only, choice 2", config(2, true), custom(&[("audience", true)]), T0_6M),
        ("custom video only, choice 2", config(2, true), custom(&[("video", true)]), t0_2m),
        // both declared
        ("refuse_all, choice 13 refusal 6", config_with(13, true, r#", "refusal_lifetime_months": 6"#), Intent::RefuseAll, T0_6M),
        ("accept_all, choice 13 refusal 6", config_with(13, true, r#", "refusal_lifetime_months": 6"#), Intent::AcceptAll, T0_13M),
        ("refuse_all, choice 2 refusal 13", config_with(2, true, r#", "refusal_lifetime_months": 13"#), Intent::RefuseAll, T0_13M),
    ];
    for (what, c, intent, expires) in &rows {
        let r = decide(
            c,
            &Choice::none(NoChoice::Absent),
            intent,
            T0,
            ID.to_owned(),
        );
        check(what, r.expires_at, *expires);
        check(what, effective_expiry(c, &r), *expires);
        // still a valid choice one second before, no choice at the expiry
        check(
            what,
            evaluate(c, Some(&r.encode()), expires - 1)
                .record()
                .is_some(),
            true,
        );
        check(
            what,
            evaluate(c, Some(&r.encode()), *expires),
            Choice::none(NoChoice::Expired),
        );
    }
    // A refusal kept 13 months under an old config counts 6 under a new one
    // (refusal_lifetime_months lowered): a shorter lifetime shortens old records too.
    let old = decide(
        &config_with(6, true, r#", "refusal_lifetime_months": 13"#),
        &Choice::none(NoChoice::Absent),
        &Intent::RefuseAll,
        T0,
        ID.to_owned(),
    );
    let now = config(6, true);
    check(
        "lowered refusal lifetime",
        effective_expiry(&now, &old),
        T0_6M,
    );
    check(
        "lowered refusal lifetime, 5 months on",
        evaluate(&now, Some(&old.encode()), t0_5m)
            .record()
            .is_some(),
        true,
    );
    check(
        "lowered refusal lifetime, 6 months on",
        evaluate(&now, Some(&old.encode()), T0_6M),
        Choice::none(NoChoice::Expired),
    );
}

#[test]
fn withdrawn_table() {
    let c = config(6, true);
    let absent = Choice::none(NoChoice::Absent);
    let all = |a: bool, ad: bool, v: bool| {
        Choice::valid(rec(
            Action::Custom,
            T0,
            T0_6M,
            "2026-11-01",
            &[("audience", a), ("advertising", ad), ("video", v)],
        ))
    };
    let expired = evaluate(
        &c,
        Some(
            &rec(
                Action::AcceptAll,
                T0,
                T0_6M,
                "2026-11-01",
                &[("audience", true), ("advertising", true), ("video", true)],
            )
            .encode(),
        ),
        T0_6M,
    );
    #[rustfmt::skip]
    let rows: Vec<(&str, Choice, Choice, Vec<&str>)> = vec![
        // §5: on withdrawal, what went from granted to not granted is purged
        ("accept → refuse", all(true, true, true), all(true, false, false), vec!["advertising", "video"]),
        ("accept → ads only", all(true, true, true), all(true, true, false), vec!["video"]),
        ("accept → opt-out of everything", all(true, true, true), all(false, false, false), vec!["audience", "advertising", "video"]),
        ("audience opt-out only", all(true, false, false), all(false, false, false), vec!["audience"]),
        ("accept → expired record", all(true, true, true), expired, vec!["advertising", "video"]),
        // nothing granted is lost: nothing to purge
        ("nothing → refuse", absent.clone(), all(true, false, false), vec![]),
        ("refuse → accept", all(true, false, false), all(true, true, true), vec![]),
        ("same choice", all(true, true, false), all(true, true, false), vec![]),
        // going back to exempt measurement is not a withdrawal; necessary is never withdrawn
        ("opt-out → nothing", all(false, false, false), absent, vec![]),
    ];
    for (what, before, after, expected) in &rows {
        let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        check(what, withdrawn(&c, before, after), expected);
    }
}
