//! The consent record, its versioned cookie codec, and the decision logic: what a
//! stored cookie means now, what an action produces, which purposes are granted.
//!
//! Format v1 (a cookie value; every character is cookie-safe, servers can read it):
//! `1|<record id>|<decided_at>|<expires_at>|<action>|<policy_version, %-encoded>|<id>=<0|1>&…`
//! with Unix seconds for the dates. Old encoded strings stay as golden tests.

use super::calendar::{add_months, Timestamp, LATEST};
use super::config::{Basis, Config};
use crate::law::MAX_MONTHS;
use std::fmt;

/// The record cookie's format version, its first field.
pub const FORMAT_VERSION: u32 = 1;
/// A decision dated more than this in the future means the clock or the cookie is wrong.
pub const CLOCK_TOLERANCE: Timestamp = 86_400;

/// What the person did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// « Tout accepter ».
    AcceptAll,
    /// « Tout refuser ».
    RefuseAll,
    /// A custom choice (the preferences, the opt-out control).
    Custom,
    /// A withdrawal of every consent (`Accord.withdraw()`).
    Withdraw,
    /// Closing the banner without choosing: a refusal.
    Close,
}

impl Action {
    /// As written in the record and the receipt: `accept_all`, `refuse_all`, `custom`,
    /// `withdraw`, `close`.
    pub fn code(self) -> &'static str {
        match self {
            Action::AcceptAll => "accept_all",
            Action::RefuseAll => "refuse_all",
            Action::Custom => "custom",
            Action::Withdraw => "withdraw",
            Action::Close => "close",
        }
    }
    /// The action written as `s`; `None` for an unknown code.
    pub fn from_code(s: &str) -> Option<Action> {
        Some(match s {
            "accept_all" => Action::AcceptAll,
            "refuse_all" => Action::RefuseAll,
            "custom" => Action::Custom,
            "withdraw" => Action::Withdraw,
            "close" => Action::Close,
            _ => return None,
        })
    }
}

/// One decision, as the record cookie stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Random, from the browser: 16 to 64 hex digits.
    pub record_id: String,
    /// When the person decided.
    pub decided_at: Timestamp,
    /// When the record expires: after `decided_at`, 13 months later at most.
    pub expires_at: Timestamp,
    /// The config's `policy_version` when the person decided.
    pub policy_version: String,
    /// What the person did.
    pub action: Action,
    /// One explicit value per choosable purpose, in config order.
    pub purposes: Vec<(String, bool)>,
}

/// The record cookie as a cookie string: `name=value; Path=/; Expires=<expires_at>;
/// SameSite=Lax` (and `Secure` on https), never living past the record's own expiry.
/// The widget writes it with `document.cookie` and `accord-server` sends the same one
/// as `Set-Cookie` (a server-set cookie is not capped at 7 days by Safari). Not
/// `HttpOnly`: the widget and the site's servers read it.
pub fn cookie_string(name: &str, record: &Record, secure: bool) -> String {
    let mut s = format!(
        "{name}={}; Path=/; Expires={}; SameSite=Lax",
        record.encode(),
        crate::calendar::to_http_date(record.expires_at)
    );
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// Why a stored value is not a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The first field is not a known format version (its first 8 characters).
    UnknownVersion(String),
    /// A version 1 value whose named part is wrong.
    Malformed(&'static str),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::UnknownVersion(v) => write!(f, "unknown record format version \"{v}\""),
            RecordError::Malformed(what) => write!(f, "malformed record: {what}"),
        }
    }
}

impl Record {
    /// The value recorded for `purpose`; `None` when the record does not list it.
    pub fn get(&self, purpose: &str) -> Option<bool> {
        self.purposes
            .iter()
            .find(|(id, _)| id == purpose)
            .map(|(_, v)| *v)
    }

    /// The cookie value.
    pub fn encode(&self) -> String {
        let purposes: Vec<String> = self
            .purposes
            .iter()
            .map(|(id, v)| format!("{id}={}", u8::from(*v)))
            .collect();
        format!(
            "{FORMAT_VERSION}|{}|{}|{}|{}|{}|{}",
            self.record_id,
            self.decided_at,
            self.expires_at,
            self.action.code(),
            pct_encode(&self.policy_version),
            purposes.join("&")
        )
    }

    /// Reads a cookie value. Never panics on any input.
    pub fn decode(raw: &str) -> Result<Record, RecordError> {
        let fields: Vec<&str> = raw.trim().split('|').collect();
        if fields[0] != "1" {
            return Err(RecordError::UnknownVersion(
                fields[0].chars().take(8).collect(),
            ));
        }
        let [_, id, decided, expires, action, policy, purposes] = fields[..] else {
            return Err(RecordError::Malformed("expected 7 fields"));
        };
        if id.len() < 16 || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(RecordError::Malformed("record id"));
        }
        let decided_at: Timestamp = decided
            .parse()
            .map_err(|_| RecordError::Malformed("decided_at"))?;
        let expires_at: Timestamp = expires
            .parse()
            .map_err(|_| RecordError::Malformed("expires_at"))?;
        if expires_at <= decided_at {
            return Err(RecordError::Malformed("expires_at before decided_at"));
        }
        if decided_at < 0 || expires_at > LATEST {
            return Err(RecordError::Malformed("date out of range"));
        }
        if expires_at > add_months(decided_at, MAX_MONTHS) {
            return Err(RecordError::Malformed("lifetime over 13 months"));
        }
        let action = Action::from_code(action).ok_or(RecordError::Malformed("action"))?;
        let policy_version = pct_decode(policy).ok_or(RecordError::Malformed("policy_version"))?;
        let mut list = Vec::new();
        // A config has at most MAX_PURPOSES purposes: a longer list is no record of ours
        // (and checking it for duplicates would take quadratic time).
        if purposes.split('&').filter(|s| !s.is_empty()).count() > super::config::MAX_PURPOSES {
            return Err(RecordError::Malformed("too many purposes"));
        }
        for item in purposes.split('&').filter(|s| !s.is_empty()) {
            let (pid, v) = item
                .split_once('=')
                .ok_or(RecordError::Malformed("purpose"))?;
            let v = match v {
                "1" => true,
                "0" => false,
                _ => return Err(RecordError::Malformed("purpose value")),
            };
            if pid.is_empty() || list.iter().any(|(p, _): &(String, bool)| p == pid) {
                return Err(RecordError::Malformed("purpose id"));
            }
            list.push((pid.to_owned(), v));
        }
        Ok(Record {
            record_id: id.to_ascii_lowercase(),
            decided_at,
            expires_at,
            policy_version,
            action,
            purposes: list,
        })
    }
}

/// Why there is no valid choice: each one shows the banner again with nothing gated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoChoice {
    /// No record cookie.
    Absent,
    /// The stored value is not a record.
    Corrupt(RecordError),
    /// The record is past its expiry.
    Expired,
    /// The record was made under another `policy_version`.
    PolicyChanged,
    /// The record does not list this choosable purpose (added since).
    NewPurpose(String),
    /// Decided "in the future": the clock or the cookie is wrong.
    ClockSkew,
}

/// The state of the visitor's decision, evaluated at `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// No valid choice, and why.
    None(NoChoice),
    /// A valid record.
    Valid(Record),
}

/// What the visitor chose, as it stands now: the record's decision and the exempt
/// purposes objected to with the opt-out (SPEC §6). The opt-out lives in its own
/// first-party marker cookie, so it outlives an expired record or a policy change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The record's decision, valid or not.
    pub decision: Decision,
    /// Exempt purposes the person objected to (the marker), in config order.
    pub objections: Vec<String>,
}

impl Choice {
    /// No valid choice (for `why`), and no objection.
    pub fn none(why: NoChoice) -> Choice {
        Choice {
            decision: Decision::None(why),
            objections: Vec::new(),
        }
    }

    /// A valid `record`, and no objection.
    pub fn valid(record: Record) -> Choice {
        Choice {
            decision: Decision::Valid(record),
            objections: Vec::new(),
        }
    }

    /// The same decision with the objections of an opt-out marker.
    pub fn objecting(mut self, objections: Vec<String>) -> Choice {
        self.objections = objections;
        self
    }

    /// The record, when the decision is valid.
    pub fn record(&self) -> Option<&Record> {
        match &self.decision {
            Decision::Valid(r) => Some(r),
            Decision::None(_) => None,
        }
    }

    /// Did the person object to `purpose` with the opt-out?
    pub fn objects(&self, purpose: &str) -> bool {
        self.objections.iter().any(|p| p == purpose)
    }
}

/// What a stored record cookie value means for this config at `now`, without an
/// opt-out marker (see [`evaluate_with_marker`]).
pub fn evaluate(config: &Config, stored: Option<&str>, now: Timestamp) -> Choice {
    let Some(raw) = stored else {
        return Choice::none(NoChoice::Absent);
    };
    let record = match Record::decode(raw) {
        Ok(r) => r,
        Err(e) => return Choice::none(NoChoice::Corrupt(e)),
    };
    if record.decided_at > now.saturating_add(CLOCK_TOLERANCE) {
        return Choice::none(NoChoice::ClockSkew);
    }
    if now >= effective_expiry(config, &record) {
        return Choice::none(NoChoice::Expired);
    }
    if record.policy_version != config.policy_version {
        return Choice::none(NoChoice::PolicyChanged);
    }
    if let Some(p) = config.choosable().find(|p| record.get(&p.id).is_none()) {
        return Choice::none(NoChoice::NewPurpose(p.id.clone()));
    }
    Choice::valid(record)
}

/// The record cookie and the opt-out marker cookie, read together.
pub fn evaluate_with_marker(
    config: &Config,
    stored: Option<&str>,
    marker: Option<&str>,
    now: Timestamp,
) -> Choice {
    evaluate(config, stored, now).objecting(objections(config, marker).0)
}

/// Is `purpose` granted? Necessary: always. Exempt audience: unless the person objected
/// (the opt-out marker, or a valid record that says 0). Consent: only with a valid
/// record that says yes. Unknown ids: never.
pub fn granted(config: &Config, choice: &Choice, purpose: &str) -> bool {
    match config.purpose(purpose).map(|p| p.basis) {
        Some(Basis::Necessary) => true,
        Some(Basis::ExemptAudience) => {
            !choice.objects(purpose) && choice.record().and_then(|r| r.get(purpose)) != Some(false)
        }
        Some(Basis::Consent) => choice.record().and_then(|r| r.get(purpose)) == Some(true),
        None => false,
    }
}

/// The opt-out marker cookie's name is the record cookie's name with this suffix.
pub const MARKER_SUFFIX: &str = "_optout";

/// The opt-out marker's cookie name for a config.
pub fn marker_name(config: &Config) -> String {
    format!("{}{MARKER_SUFFIX}", config.cookie_name)
}

/// The opt-out marker (SPEC §6), a first-party cookie value
/// `1|<set at, Unix seconds>|<id>.<id>…` naming the exempt purposes objected to. It
/// holds no identifier: everyone who objected to the same purposes the same day has
/// the same value. `None`: no objection, no marker.
pub fn encode_marker(objections: &[String], now: Timestamp) -> Option<String> {
    (!objections.is_empty()).then(|| format!("1|{now}|{}", objections.join(".")))
}

/// When a well-formed marker was set.
pub fn marker_set_at(raw: &str) -> Option<Timestamp> {
    let mut f = raw.trim().split('|');
    let (Some("1"), Some(at), Some(ids), None) = (f.next(), f.next(), f.next(), f.next()) else {
        return None;
    };
    let ids_ok = ids.split('.').all(super::config::valid_id);
    let at_ok = (1..=12).contains(&at.len()) && at.bytes().all(|b| b.is_ascii_digit());
    if ids_ok && at_ok {
        at.parse().ok()
    } else {
        None
    }
}

/// The exempt purposes a marker value objects to, in config order, and whether the
/// marker was malformed. An empty value is no marker. A malformed one fails closed:
/// it objects to every exempt purpose (only Accord writes it, and only to object).
/// Listed ids that are not exempt purposes of this config are ignored.
pub fn objections(config: &Config, marker: Option<&str>) -> (Vec<String>, bool) {
    let Some(raw) = marker.map(str::trim).filter(|m| !m.is_empty()) else {
        return (Vec::new(), false);
    };
    let malformed = marker_set_at(raw).is_none();
    let listed: Vec<&str> = raw
        .rsplit('|')
        .next()
        .unwrap_or_default()
        .split('.')
        .collect();
    let ids = config
        .exempt()
        .filter(|p| malformed || listed.contains(&p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    (ids, malformed)
}

/// What the person asked for, before it becomes a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// « Tout accepter ».
    AcceptAll,
    /// « Tout refuser ».
    RefuseAll,
    /// Closing the banner without choosing: a refusal.
    Close,
    /// Withdrawing every consent (`Accord.withdraw()`).
    Withdraw,
    /// Exactly these values; purposes not listed count as unticked.
    Custom(Vec<(String, bool)>),
}

/// The new record for `intent`. `record_id` is random (from the browser); `now` is the
/// clock. Only a custom choice (the preferences, the opt-out control) changes an exempt
/// purpose: refusing consent is not objecting to exempt measurement, and « Tout
/// accepter » does not undo an objection made with the opt-out.
pub fn decide(
    config: &Config,
    previous: &Choice,
    intent: &Intent,
    now: Timestamp,
    record_id: String,
) -> Record {
    let action = match intent {
        Intent::AcceptAll => Action::AcceptAll,
        Intent::RefuseAll => Action::RefuseAll,
        Intent::Close => Action::Close,
        Intent::Withdraw => Action::Withdraw,
        Intent::Custom(_) => Action::Custom,
    };
    let purposes: Vec<(String, bool)> = config
        .choosable()
        .map(|p| {
            let exempt_before = granted(config, previous, &p.id);
            let value = match (intent, p.basis) {
                (Intent::Custom(values), _) => values.iter().any(|(id, v)| id == &p.id && *v),
                (_, Basis::ExemptAudience) => exempt_before,
                (Intent::AcceptAll, _) => true,
                _ => false,
            };
            (p.id.clone(), value)
        })
        .collect();
    let months = lifetime_months(config, &purposes);
    Record {
        record_id,
        decided_at: now,
        expires_at: add_months(now, months),
        policy_version: config.policy_version.clone(),
        action,
        purposes,
    }
}

/// Under a Global Privacy Control signal (SPEC §6), « Tout accepter » grants everything
/// but the purposes GPC refuses by default (advertising, partner sharing); the person
/// can still tick those one by one (a custom choice). An exempt purpose stays as it was
/// under `previous` (accepting all does not undo an opt-out). Other intents are unchanged.
pub fn under_gpc(config: &Config, previous: &Choice, intent: Intent) -> Intent {
    match intent {
        Intent::AcceptAll => Intent::Custom(
            config
                .choosable()
                .map(|p| {
                    let on = match p.basis {
                        Basis::ExemptAudience => granted(config, previous, &p.id),
                        _ => !p.refused_by_gpc(),
                    };
                    (p.id.clone(), on)
                })
                .collect(),
        ),
        other => other,
    }
}

/// How long a record with these purpose values is kept: `refusal_lifetime_months`
/// when it grants no consent purpose (« Tout refuser », a close, a withdrawal, a custom
/// choice with every consent box unticked: CNIL 2020-092 asks not to ask again for at
/// least 6 months after a refusal), `choice_lifetime_months` otherwise (a consent may
/// be asked again sooner). Exempt measurement is not a consent: a record that only
/// keeps it on is a refusal.
pub fn lifetime_months(config: &Config, purposes: &[(String, bool)]) -> u32 {
    let consents = purposes.iter().any(|(id, on)| {
        *on && config
            .purpose(id)
            .is_some_and(|p| p.basis == Basis::Consent)
    });
    if consents {
        config.choice_lifetime_months
    } else {
        config.refusal_lifetime_months
    }
}

/// When `record` stops counting under `config`: its own `expires_at`, or earlier if
/// today's config has a shorter lifetime for its kind (a shorter lifetime shortens old
/// records too).
pub fn effective_expiry(config: &Config, record: &Record) -> Timestamp {
    record.expires_at.min(add_months(
        record.decided_at,
        lifetime_months(config, &record.purposes),
    ))
}

/// Expiry is a withdrawal: the purposes that the stored record (`stored`, the cookie
/// value) granted and that no longer count under `choice` (the record expired, its
/// `policy_version` is old, a purpose was added, its date is in the future). Their
/// cookies and storage, set under a consent that is over, must go before anything
/// else of theirs can run (loi Informatique et Libertés art. 82: no reading or writing
/// on the terminal without a consent that still holds; GDPR art. 7(3)). Empty while the
/// record counts, or when it cannot be read at all.
pub fn lapsed(config: &Config, stored: Option<&str>, choice: &Choice) -> Vec<String> {
    if choice.record().is_some() {
        return Vec::new();
    }
    match stored.map(Record::decode) {
        Some(Ok(old)) => withdrawn(config, &Choice::valid(old), choice),
        _ => Vec::new(),
    }
}

/// Purposes granted before and not after: their cookies, storage and nodes must go.
pub fn withdrawn(config: &Config, before: &Choice, after: &Choice) -> Vec<String> {
    config
        .purposes
        .iter()
        .filter(|p| granted(config, before, &p.id) && !granted(config, after, &p.id))
        .map(|p| p.id.clone())
        .collect()
}

/// A record id from 16 random bytes: 32 lowercase hex digits.
pub fn record_id_from(bytes: &[u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A record field (the policy version) as the v1 codec writes it: every byte outside
/// unreserved ASCII percent-encoded, so `|`, `&`, `=` and `;` never appear raw.
pub fn pct_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pct_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
