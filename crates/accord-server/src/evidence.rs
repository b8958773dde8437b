//! What a receipt must be to be kept as evidence (GDPR art. 7(1): the controller
//! proves each consent it relies on; CNIL 2020-092, § 41: a timestamped hash of what was
//! shown). Pure: the body and the archived notices in, an [`Evidence`] or a [`Refusal`]
//! with a stable code out. Nothing refused is ever stored.

use accord_core::calendar::Timestamp;
use accord_core::json::Json;
use accord_core::receipt::Receipt;
use accord_core::record::{Record, CLOCK_TOLERANCE};
use accord_core::sha256;

/// The largest body read: a receipt of the largest config (32 purposes) is under 3 KB.
pub const MAX_BODY: usize = 16 * 1024;

/// Why a request was refused: each variant has a stable code and an HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not `Content-Type: application/json`.
    ContentType,
    /// More than [`MAX_BODY`] bytes.
    TooLarge,
    /// The body could not be read whole (cut short, bad framing).
    Unreadable,
    /// Not JSON text, or a key twice.
    NotJson(String),
    /// JSON, but not a receipt of a known format (the field is named).
    Invalid(String),
    /// A policy version this server has no notice for.
    PolicyUnknown(String),
    /// A notice hash that matches no archived notice of that policy and language.
    NoticeUnknown,
    /// Not exactly the purposes of that policy's notice.
    Purposes(String),
    /// The record it proves is not a valid record (its lifetime, its id).
    Record(String),
}

impl Refusal {
    /// The stable code, in the error body (`{"error":{"code":…}}`).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::ContentType => "ACCORD_RECEIPT_CONTENT_TYPE",
            Refusal::TooLarge => "ACCORD_RECEIPT_TOO_LARGE",
            Refusal::Unreadable => "ACCORD_RECEIPT_UNREADABLE",
            Refusal::NotJson(_) => "ACCORD_RECEIPT_NOT_JSON",
            Refusal::Invalid(_) => "ACCORD_RECEIPT_INVALID",
            Refusal::PolicyUnknown(_) => "ACCORD_RECEIPT_POLICY_UNKNOWN",
            Refusal::NoticeUnknown => "ACCORD_RECEIPT_NOTICE_UNKNOWN",
            Refusal::Purposes(_) => "ACCORD_RECEIPT_PURPOSES",
            Refusal::Record(_) => "ACCORD_RECEIPT_RECORD",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::ContentType => 415,
            Refusal::TooLarge => 413,
            Refusal::NotJson(_) | Refusal::Unreadable => 400,
            _ => 422,
        }
    }

    /// What is wrong, in plain words.
    pub fn message(&self) -> String {
        match self {
            Refusal::ContentType => "the body must be JSON (Content-Type: application/json)".into(),
            Refusal::TooLarge => format!("the body is larger than {MAX_BODY} bytes"),
            Refusal::Unreadable => "the body could not be read whole".into(),
            Refusal::NotJson(e) => format!("the body is not JSON: {e}"),
            Refusal::Invalid(e) => format!("not a consent receipt: {e}"),
            Refusal::PolicyUnknown(v) => {
                format!("policy_version \"{v}\": no notice of this policy is archived here")
            }
            Refusal::NoticeUnknown => "notice_sha256: matches no archived notice of this policy version and language: the text shown was not one this site published".into(),
            Refusal::Purposes(e) => format!("purposes: {e}"),
            Refusal::Record(e) => format!("the record it proves is not valid: {e}"),
        }
    }
}

/// An archived notice: what one policy version showed in one language, with or without
/// the Global Privacy Control note, and the purposes it asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The config's `policy_version`.
    pub policy_version: String,
    /// `fr` or `en`.
    pub language: String,
    /// Shown to a browser that sent Global Privacy Control.
    pub gpc: bool,
    /// The choosable purposes' ids, in config order (what a receipt must carry).
    pub purposes: Vec<String>,
    /// The exact text (`accord_core::notice::Notice::text`).
    pub text: String,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
}

/// A receipt accepted as evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// SHA-256 of [`Evidence::body`]: the same receipt sent twice is stored once.
    pub receipt_id: String,
    /// The receipt as read.
    pub receipt: Receipt,
    /// The receipt in its one canonical form (fixed key order), as stored.
    pub body: String,
    /// The record it proves (what the browser stored in its record cookie).
    pub record: Record,
}

/// Reads a receipt from a request's `Content-Type` and body.
pub fn read(content_type: Option<&str>, body: &[u8]) -> Result<Receipt, Refusal> {
    let json_type = content_type
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_type {
        return Err(Refusal::ContentType);
    }
    if body.len() > MAX_BODY {
        return Err(Refusal::TooLarge);
    }
    let text = std::str::from_utf8(body).map_err(|_| Refusal::NotJson("not UTF-8".into()))?;
    // serde_json refuses a key twice (accord_core::json) and nests 128 deep at most.
    let doc: Json = serde_json::from_str(text).map_err(|e| Refusal::NotJson(e.to_string()))?;
    if !matches!(doc, Json::Obj(_)) {
        return Err(Refusal::Invalid("an object is expected".into()));
    }
    Receipt::from_json(&doc).map_err(Refusal::Invalid)
}

/// Checks a receipt against `notices`, every archived notice of its policy version:
/// the notice it names was published for that language (and GPC), it answers exactly
/// that notice's purposes, and the record it proves is a valid record.
pub fn judge(
    mut receipt: Receipt,
    notices: &[Notice],
    now: Timestamp,
) -> Result<Evidence, Refusal> {
    if notices.is_empty() {
        return Err(Refusal::PolicyUnknown(receipt.policy_version.clone()));
    }
    let shown = notices
        .iter()
        .find(|n| {
            n.sha256 == receipt.notice_sha256
                && n.language == receipt.language.code()
                && n.gpc == receipt.gpc
        })
        .ok_or(Refusal::NoticeUnknown)?;
    let ids: Vec<&str> = receipt.purposes.iter().map(|(id, _)| id.as_str()).collect();
    if ids
        != shown
            .purposes
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    {
        return Err(Refusal::Purposes(format!(
            "the notice asked about [{}], the receipt answers [{}]",
            shown.purposes.join(", "),
            ids.join(", ")
        )));
    }
    // The record cookie's own rules (its id, a lifetime of 13 months at most): what the
    // browser could store is what the server may set.
    let record =
        Record::decode(&receipt.record().encode()).map_err(|e| Refusal::Record(e.to_string()))?;
    // A decision "in the future" is one a browser would ask again (its clock, or a forged
    // receipt): not evidence.
    if record.decided_at > now.saturating_add(CLOCK_TOLERANCE) {
        return Err(Refusal::Record(format!(
            "decided_at {} is in the future",
            accord_core::calendar::to_iso(record.decided_at)
        )));
    }
    // One spelling of the id (the record cookie's): the person finds it again.
    receipt.record_id = record.record_id.clone();
    let body = receipt.to_json();
    Ok(Evidence {
        receipt_id: sha256::hex(body.as_bytes()),
        receipt,
        body,
        record,
    })
}

/// Should the answer set the record cookie? Only for the record the browser holds now
/// (`cookie`: its record cookie's value in the request), still valid at `now`: a retry
/// of an older receipt never replaces a newer choice, and an expired record is never
/// set again.
pub fn sets_cookie(evidence: &Evidence, cookie: Option<&str>, now: Timestamp) -> bool {
    evidence.record.expires_at > now
        && cookie
            .and_then(|c| Record::decode(c).ok())
            .is_some_and(|held| held == evidence.record)
}
