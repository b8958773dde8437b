//! Consent receipts (GDPR art. 7(1), CNIL recommendation 2020-092): for every decision,
//! the record's explicit values, the action, the policy and widget versions and the
//! SHA-256 of the exact notice text shown, in the language shown. No personal data
//! beyond the random record id. The JSON is written by hand, keys in a fixed order, so
//! the same receipt is the same bytes everywhere.

use super::calendar::{parse_iso, to_iso};
use super::config::{Config, Lang};
use super::json::{string, Json};
use super::notice::canonical_text;
use super::record::{Action, Record};
use super::sha256;

/// The receipt format, written first as `format`.
pub const FORMAT: u32 = 1;

/// The proof of one decision: the record's values, the versions, and the notice shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The record's random id.
    pub record_id: String,
    /// When the person decided (Unix seconds; ISO 8601 in the JSON).
    pub decided_at: i64,
    /// When the record expires (Unix seconds; ISO 8601 in the JSON).
    pub expires_at: i64,
    /// The config's `policy_version` the decision was made under.
    pub policy_version: String,
    /// The version of Accord that showed the notice.
    pub widget_version: String,
    /// What the person did.
    pub action: Action,
    /// The record's explicit value for each choosable purpose, in config order.
    pub purposes: Vec<(String, bool)>,
    /// The language the notice was shown in.
    pub language: Lang,
    /// Lowercase hex SHA-256 of [`canonical_text`] in `language`.
    pub notice_sha256: String,
    /// The browser sent Global Privacy Control (the notice said so). Written only when
    /// true, after `notice_sha256`.
    pub gpc: bool,
    /// The signed-in account the decision was made under (`crate::account`), written
    /// last and only when present: the consent service carries it to the person's
    /// other devices (CNIL 2025-131).
    pub account: Option<String>,
}

impl Receipt {
    /// The receipt of `record`, for the notice of `config` shown in `language`.
    pub fn of(
        config: &Config,
        record: &Record,
        language: Lang,
        widget_version: &str,
        gpc: bool,
    ) -> Receipt {
        Receipt {
            record_id: record.record_id.clone(),
            decided_at: record.decided_at,
            expires_at: record.expires_at,
            policy_version: record.policy_version.clone(),
            widget_version: widget_version.to_owned(),
            action: record.action,
            purposes: record.purposes.clone(),
            language,
            notice_sha256: sha256::hex(canonical_text(config, language, gpc).as_bytes()),
            gpc,
            account: None,
        }
    }

    /// The same receipt, made on a page where `account` is signed in.
    pub fn signed_in(mut self, account: Option<&str>) -> Receipt {
        self.account = account.map(str::to_owned);
        self
    }

    /// The receipt as one line of JSON, keys in the documented order.
    pub fn to_json(&self) -> String {
        let purposes: Vec<String> = self
            .purposes
            .iter()
            .map(|(id, v)| format!("{}:{v}", string(id)))
            .collect();
        format!(
            "{{\"format\":{FORMAT},\"record_id\":{},\"decided_at\":{},\"expires_at\":{},\"policy_version\":{},\"widget_version\":{},\"action\":{},\"purposes\":{{{}}},\"language\":{},\"notice_sha256\":{}{}{}}}",
            string(&self.record_id),
            string(&to_iso(self.decided_at)),
            string(&to_iso(self.expires_at)),
            string(&self.policy_version),
            string(&self.widget_version),
            string(self.action.code()),
            purposes.join(","),
            string(self.language.code()),
            string(&self.notice_sha256),
            if self.gpc { ",\"gpc\":true" } else { "" },
            self.account
                .as_ref()
                .map_or(String::new(), |a| format!(",\"account\":{}", string(a))),
        )
    }

    /// Reads a receipt; the error names the field that is missing or wrong.
    pub fn from_json(doc: &Json) -> Result<Receipt, String> {
        let text = |key: &str| match doc.get(key) {
            Some(Json::Str(s)) => Ok(s.clone()),
            _ => Err(format!("{key}: missing or not a string")),
        };
        match doc.get("format") {
            Some(Json::Num(n)) if *n == FORMAT as f64 => {}
            _ => {
                return Err(format!(
                    "format: this tool reads receipts of format {FORMAT}"
                ))
            }
        }
        let date = |key: &str| {
            text(key).and_then(|s| parse_iso(&s).ok_or(format!("{key}: not an ISO 8601 date")))
        };
        let action = text("action")
            .and_then(|a| Action::from_code(&a).ok_or("action: unknown action".to_owned()))?;
        let language = text("language")
            .and_then(|l| Lang::from_code(&l).ok_or("language: fr or en".to_owned()))?;
        let purposes = match doc.get("purposes") {
            Some(Json::Obj(members)) => members
                .iter()
                .map(|(k, v)| match v {
                    Json::Bool(b) => Ok((k.clone(), *b)),
                    _ => Err(format!("purposes.{k}: not true or false")),
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err("purposes: missing or not an object".to_owned()),
        };
        let notice_sha256 = text("notice_sha256")?;
        if notice_sha256.len() != 64 || !notice_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("notice_sha256: not 64 hex digits".to_owned());
        }
        let account = match doc.get("account") {
            None => None,
            Some(Json::Str(a)) if crate::account::valid_account(a) => Some(a.clone()),
            Some(_) => return Err(format!("account: {}", crate::account::ACCOUNT_RULE)),
        };
        Ok(Receipt {
            account,
            record_id: text("record_id")?,
            decided_at: date("decided_at")?,
            expires_at: date("expires_at")?,
            policy_version: text("policy_version")?,
            widget_version: text("widget_version")?,
            action,
            purposes,
            language,
            notice_sha256: notice_sha256.to_ascii_lowercase(),
            gpc: matches!(doc.get("gpc"), Some(Json::Bool(true))),
        })
    }

    /// The record this receipt proves: the same values, so `record().encode()` is the
    /// record cookie the browser wrote for it.
    pub fn record(&self) -> Record {
        Record {
            record_id: self.record_id.clone(),
            decided_at: self.decided_at,
            expires_at: self.expires_at,
            policy_version: self.policy_version.clone(),
            action: self.action,
            purposes: self.purposes.clone(),
        }
    }

    /// Does `notice` (the text of the receipt's policy version and language) hash to the
    /// receipt's `notice_sha256`?
    pub fn matches_notice(&self, notice: &str) -> bool {
        sha256::hex(notice.as_bytes()) == self.notice_sha256
    }
}
