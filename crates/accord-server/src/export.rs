//! The DPO's export: every kept receipt as one line of JSON (JSON Lines), or as one
//! consent record shaped after ISO/IEC TS 27560 in JSON-LD with the W3C Data Privacy
//! Vocabulary (DPV): the record id, the notice (by hash, with its language and policy
//! version), the controller, the event time, the validity, and one part per purpose with
//! its status (given, refused, withdrawn, or expired by the time of the export) and how it
//! was indicated (the button, and `gpc` under Global Privacy Control); the data subject
//! is the record's id, with the account for a choice made signed in. Pure: stored
//! receipts and the config in, lines out.

use crate::store::Kept;
use accord_core::calendar::{parse_iso, to_iso, Timestamp};
use accord_core::config::Config;
use accord_core::json::{string, Json};
use accord_core::receipt::Receipt;
use accord_core::record::Action;

/// One kept receipt as a line of JSON: `{"received_at":…,"notice_sha256":…,"receipt":{…}}`.
pub fn jsonl(k: &Kept) -> String {
    format!(
        "{{\"received_at\":{},\"notice_sha256\":{},\"receipt\":{}}}",
        string(&k.received_at),
        string(&k.notice_sha256),
        k.body
    )
}

/// The DPV status of one purpose in a receipt, as of `now`.
fn status(action: Action, granted: bool, expired: bool) -> &'static str {
    match (action, granted) {
        (Action::Withdraw, _) => "dpv:ConsentWithdrawn",
        (_, true) if expired => "dpv:ConsentExpired",
        (_, true) => "dpv:ConsentGiven",
        (_, false) => "dpv:ConsentRefused",
    }
}

/// One kept receipt as a consent record (ISO/IEC TS 27560, DPV), on one line; `None`
/// when the stored body does not read back (it always does: only valid receipts are
/// stored).
pub fn jsonld(k: &Kept, config: &Config, now: Timestamp) -> Option<String> {
    let doc: Json = serde_json::from_str(&k.body).ok()?;
    let r = Receipt::from_json(&doc).ok()?;
    let expired = r.expires_at <= now;
    let lang = r.language;
    let title = |id: &str| {
        config
            .purpose(id)
            .map(|p| p.title.get(lang).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let mut methods = vec![string(r.action.code())];
    if r.gpc {
        methods.push(string("gpc"));
    }
    let date = |ts: Timestamp| {
        format!(
            "{{\"@type\":\"xsd:dateTime\",\"@value\":{}}}",
            string(&to_iso(ts))
        )
    };
    let parts: Vec<String> = r
        .purposes
        .iter()
        .map(|(id, granted)| {
            format!(
                "{{\"@type\":{},\"dpv:hasPurpose\":{{\"@type\":\"dpv:Purpose\",\"dpv:hasIdentifier\":{},\"dct:title\":{{\"@value\":{},\"@language\":{}}}}},\"dct:date\":{},\"dct:valid\":{}}}",
                string(status(r.action, *granted, expired)),
                string(id),
                string(&title(id)),
                string(lang.code()),
                date(r.decided_at),
                date(r.expires_at),
            )
        })
        .collect();
    let overall = if r.purposes.iter().any(|(_, g)| *g) {
        status(r.action, true, expired)
    } else {
        status(r.action, false, expired)
    };
    let received = parse_iso(&k.received_at).unwrap_or(r.decided_at);
    // The person: this device's record, and, for a choice made signed in, the account it
    // was made under (CNIL 2025-131: the account's choice holds on its every device, so
    // the proof names it; GDPR art. 7(1)).
    let subject = match &r.account {
        Some(a) => format!(
            "[{},{}]",
            string(&r.record_id),
            string(&format!("urn:accord:account:{a}"))
        ),
        None => string(&r.record_id),
    };
    let c = &config.controller;
    Some(format!(
        "{{\"@context\":{{\"dpv\":\"https://w3id.org/dpv#\",\"dct\":\"http://purl.org/dc/terms/\",\"xsd\":\"http://www.w3.org/2001/XMLSchema#\"}},\"@id\":{},\"@type\":\"dpv:ConsentRecord\",\"dct:conformsTo\":\"ISO/IEC TS 27560\",\"dpv:hasIdentifier\":{},\"dpv:hasDataSubject\":{{\"@type\":\"dpv:DataSubject\",\"dpv:hasIdentifier\":{}}},\"dpv:hasDataController\":{{\"@type\":\"dpv:DataController\",\"dpv:hasName\":{},\"dpv:hasContact\":{}}},\"dpv:hasNotice\":{{\"@id\":{},\"@type\":\"dpv:ConsentNotice\",\"dct:language\":{},\"dct:hasVersion\":{}}},\"dpv:hasConsentStatus\":{{\"@id\":{}}},\"dpv:hasIndicationMethod\":[{}],\"dct:date\":{},\"dct:valid\":{},\"dct:created\":{},\"dct:hasPart\":[{}]}}",
        string(&format!("urn:accord:record:{}:{}", r.record_id, to_iso(r.decided_at))),
        string(&r.record_id),
        subject,
        string(&c.name),
        string(&c.contact),
        string(&format!("urn:sha256:{}", r.notice_sha256)),
        string(lang.code()),
        string(&r.policy_version),
        string(overall),
        methods.join(","),
        date(r.decided_at),
        date(r.expires_at),
        date(received),
        parts.join(","),
    ))
}

/// `--since`: a date (`2026-12-01`, midnight UTC) or a time (`2026-12-01T08:00:00Z`), as
/// the ISO 8601 text the store compares.
pub fn since(arg: &str) -> Result<String, String> {
    let full = if arg.len() == 10 {
        format!("{arg}T00:00:00Z")
    } else {
        arg.to_owned()
    };
    parse_iso(&full).map(to_iso).ok_or_else(|| {
        format!("--since {arg}: expected a date such as 2026-12-01 or 2026-12-01T08:00:00Z")
    })
}
