#![cfg(not(target_arch = "wasm32"))]
//! Consent receipts (issue 6, GDPR art. 7(1)): the format as golden strings, the notice
//! hash as golden values (cross-checked with Python's hashlib), reading receipts back.

use accord_core::config::{Config, Lang};
use accord_core::json::Json;
use accord_core::notice::canonical_text;
use accord_core::receipt::Receipt;
use accord_core::record::Record;

fn check<T: PartialEq + std::fmt::Debug>(row: &str, got: T, expected: T) {
    assert_eq!(got, expected, "row: {row}");
}

fn demo() -> Config {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/demo/config.json"
    ))
    .unwrap();
    Config::from_json_str(&text).unwrap()
}

fn record() -> Record {
    Record::decode("1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|audience=1&advertising=0&video=1")
        .unwrap()
}

fn parse(json: &str) -> Json {
    serde_json::from_str(json).unwrap()
}

/// SHA-256 of `accordctl notice --config www/demo/config.json --lang fr` (without its
/// final newline), computed with Python's hashlib: pins the notice text of the demo.
const DEMO_FR_SHA256: &str = "5ed4d1db7e5d01c76cd85cacf690ad8d0746ba980e32cdeb4d67194be823210b";

#[test]
fn receipt_golden() {
    let r = Receipt::of(&demo(), &record(), Lang::Fr, "0.1.0", false);
    // Every field of issue 6 item 1, keys in a fixed order, nothing personal.
    check(
        "the receipt of a custom decision, in French",
        r.to_json(),
        format!(
            "{{\"format\":1,\"record_id\":\"0123456789abcdef0123456789abcdef\",\"decided_at\":\"2026-11-23T04:43:00Z\",\"expires_at\":\"2027-05-23T04:43:00Z\",\"policy_version\":\"2026-11-01\",\"widget_version\":\"0.1.0\",\"action\":\"custom\",\"purposes\":{{\"audience\":true,\"advertising\":false,\"video\":true}},\"language\":\"fr\",\"notice_sha256\":\"{DEMO_FR_SHA256}\"}}"
        ),
    );
}

#[test]
fn notice_hash_follows_the_text_and_the_language() {
    let c = demo();
    let fr = canonical_text(&c, Lang::Fr, false);
    let en = canonical_text(&c, Lang::En, false);
    check(
        "French notice hash (hashlib)",
        accord_core::sha256::hex(fr.as_bytes()),
        DEMO_FR_SHA256.to_owned(),
    );
    check("the English text differs", fr == en, false);
    check(
        "the notice names the controller",
        fr.contains("Mutuelle Exemple SA"),
        true,
    );
    check(
        "the notice lists every vendor",
        ["Audimètre", "PubNet", "VidéoPlay"]
            .iter()
            .all(|v| fr.contains(v)),
        true,
    );
    let r = Receipt::of(&c, &record(), Lang::Fr, "0.1.0", false);
    check("the genuine text matches", r.matches_notice(&fr), true);
    check(
        "one character changed does not",
        r.matches_notice(&fr.replacen("refuser", "refuseR", 1)),
        false,
    );
    check("the other language does not", r.matches_notice(&en), false);
}

#[test]
fn receipts_read_back() {
    let c = demo();
    let r = Receipt::of(&c, &record(), Lang::En, "0.1.0", false);
    check(
        "round trip",
        Receipt::from_json(&parse(&r.to_json())),
        Ok(r.clone()),
    );
    #[rustfmt::skip]
    let rows: Vec<(&str, String, &str)> = vec![
        ("format 2", r.to_json().replace("\"format\":1", "\"format\":2"), "format"),
        ("no record id", r.to_json().replace("\"record_id\"", "\"id\""), "record_id"),
        ("bad date", r.to_json().replace("2026-11-23T04:43:00Z", "yesterday"), "decided_at"),
        ("unknown action", r.to_json().replace("\"custom\"", "\"maybe\""), "action"),
        ("purpose not boolean", r.to_json().replace("\"audience\":true", "\"audience\":1"), "purposes.audience"),
        ("short hash", r.to_json().replace(&r.notice_sha256, "abc"), "notice_sha256"),
        ("language", r.to_json().replace("\"language\":\"en\"", "\"language\":\"de\""), "language"),
    ];
    for (row, json, field) in rows {
        let got = Receipt::from_json(&parse(&json));
        check(
            row,
            got.as_ref().err().map(|e| e.starts_with(field)),
            Some(true),
        );
    }
}

#[test]
fn global_privacy_control() {
    use accord_core::record::{under_gpc, Choice, Intent, NoChoice};
    let c = demo();
    let none = Choice::none(NoChoice::Absent);
    // SPEC §6: under GPC, « Tout accepter » leaves advertising out; the rest is granted.
    check(
        "accept all under GPC",
        under_gpc(&c, &none, Intent::AcceptAll),
        Intent::Custom(vec![
            ("audience".into(), true),
            ("advertising".into(), false),
            ("video".into(), true),
        ]),
    );
    check(
        "refuse all is unchanged",
        under_gpc(&c, &none, Intent::RefuseAll),
        Intent::RefuseAll,
    );
    let explicit = Intent::Custom(vec![("advertising".into(), true)]);
    check(
        "an explicit grant stands",
        under_gpc(&c, &none, explicit.clone()),
        explicit,
    );
    // The notice says why, and that text is what a GPC receipt hashes.
    let note = accord_core::notice::gpc_note(&c, Lang::Fr).expect("a note");
    check(
        "the note names the purpose",
        note.contains("« Publicité personnalisée »"),
        true,
    );
    let with = canonical_text(&c, Lang::Fr, true);
    check(
        "the GPC notice carries the note",
        with.contains(&note),
        true,
    );
    let r = Receipt::of(&c, &record(), Lang::Fr, "0.1.0", true);
    check(
        "a GPC receipt says so, last",
        r.to_json().ends_with(",\"gpc\":true}"),
        true,
    );
    check("and hashes the text shown", r.matches_notice(&with), true);
    check(
        "not the text without the note",
        r.matches_notice(&canonical_text(&c, Lang::Fr, false)),
        false,
    );
    check(
        "it reads back",
        Receipt::from_json(&parse(&r.to_json())),
        Ok(r),
    );
}

#[test]
fn a_receipt_gives_back_its_record_and_its_cookie() {
    // accord-server sets the record cookie from the receipt: the same record, the same
    // cookie string the widget writes.
    let r = Receipt::of(&demo(), &record(), Lang::Fr, "0.1.0", false);
    check("record", r.record(), record());
    check(
        "cookie on http",
        accord_core::record::cookie_string("accord", &r.record(), false),
        "accord=1|0123456789abcdef0123456789abcdef|1795408980|1811047380|custom|2026-11-01|audience=1&advertising=0&video=1; Path=/; Expires=Sun, 23 May 2027 04:43:00 GMT; SameSite=Lax".to_owned(),
    );
    check(
        "cookie on https",
        accord_core::record::cookie_string("accord", &r.record(), true)
            .ends_with("; SameSite=Lax; Secure"),
        true,
    );
}

/// Issue 16 item 6 (CNIL 2025-131): a decision made signed in names the account, last
/// and only then; a receipt whose account is not an opaque identifier is not read.
#[test]
fn signed_in_receipts() {
    let c = demo();
    let plain = Receipt::of(&c, &record(), Lang::Fr, "0.1.0", false);
    check(
        "signed out: no account key",
        plain.to_json().contains("account"),
        false,
    );
    let id = "k9X2_hJ-0a1b2c3d4e5f6a7b8c9d0e1f";
    let signed = plain.clone().signed_in(Some(id));
    check(
        "signed in: the account is the last key",
        signed.to_json(),
        format!(
            "{}{}}}",
            plain.to_json().trim_end_matches('}'),
            format_args!(",\"account\":\"{id}\"")
        ),
    );
    check(
        "read back",
        Receipt::from_json(&parse(&signed.to_json())),
        Ok(signed.clone()),
    );
    #[rustfmt::skip]
    let bad = [
        ("too short", "abc123"),
        ("not cookie-safe", "k9X2hJ0a1b2c3d4e5f6a7b8c9d0e1f;x=1"),
        ("a space", "k9X2hJ0a1b2c3d4e 5f6a7b8c9d0e1f"),
        ("too long", &"a".repeat(129)),
    ];
    for (row, account) in bad {
        let json = signed.to_json().replace(id, account);
        check(
            row,
            Receipt::from_json(&parse(&json))
                .err()
                .map(|e| e.starts_with("account:")),
            Some(true),
        );
    }
    let not_text = signed.to_json().replace(&format!("\"{id}\""), "42");
    check(
        "not a string",
        Receipt::from_json(&parse(&not_text))
            .err()
            .map(|e| e.starts_with("account:")),
        Some(true),
    );
}
