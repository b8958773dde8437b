//! The page's consent session as a pure reducer: `step(config, page, event, now, id)`
//! returns the new state and the effects to run, in order. Every rule about what a
//! decision does is here, testable natively (`crates/accord-core/tests/page_rules.rs`);
//! the widget's `session` only runs the effects and reports a failed store back as an
//! event (yew's `function_todomvc` reducer, rust-analyzer's "pure core" habit).
//!
//! How the widget runs a step: it keeps the returned state, then runs the effects in
//! order. A [`Effect::WriteRecord`] that fails abandons the effects after it and
//! reports [`Event::RecordNotStored`] against the state *before* the event; a
//! [`Effect::WriteMarker`] with [`MarkerFailure::ReportAndStop`] that fails abandons
//! the rest too (the objection could not be lifted: it stands), and the state before
//! the event stays.

use crate::calendar::Timestamp;
use crate::config::{Basis, Config, PolicyMode};
use crate::consent_mode;
use crate::record::{
    decide, encode_marker, evaluate_with_marker, granted, lapsed, marker_set_at, under_gpc,
    withdrawn, Choice, Decision, Intent, NoChoice, Record,
};
use crate::rules::ErrorCode;

/// A marker older than this is written again at page load, so that an objection lasts
/// 13 months from the person's last visit rather than from the day they objected.
pub const MARKER_RENEW_AFTER: Timestamp = 30 * 86_400;

/// What the page knows of the person's choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The current choice (record and objections).
    pub choice: Choice,
    /// The purposes granted when the page loaded: with `"policy": "server"`, what the
    /// page's CSP header allows.
    pub loaded_with: Vec<String>,
    /// The browser sends Global Privacy Control.
    pub gpc: bool,
    /// The choice is a signed-in account's, adopted at load (`Event::Load`'s `account`)
    /// and never written to this device's record cookie: a record in the jar decided
    /// after this time (a decision in another tab) replaces it; the jar's older record
    /// (this device's own) does not.
    pub account_since: Option<Timestamp>,
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The page loaded with this record cookie and opt-out marker in the jar.
    Load {
        /// The record cookie's value, if any.
        record: Option<String>,
        /// The opt-out marker's value, if any.
        marker: Option<String>,
        /// On a signed-in page, the latest record of the account as the consent service
        /// answered it (`crate::account`); `None` signed out, or when it has none.
        account: Option<String>,
    },
    /// The person decided (a button, the preferences, `window.Accord`).
    Decide(Intent),
    /// The opt-out control: object (`on`) to `purpose`, or lift the objection.
    Object {
        /// The purpose the control names.
        purpose: String,
        /// Object (true) or lift the objection (false).
        on: bool,
    },
    /// The record of a decision could not be stored (the effect failed).
    RecordNotStored {
        /// The record that was not stored.
        record: Record,
        /// The objections the decision carried.
        objected: Vec<String>,
        /// How the decision was to be announced (an opt-out keeps the dialog open).
        signal: Signal,
    },
    /// The jar was read again (another tab decided, the page became visible).
    Read {
        /// The record cookie's value, if any.
        record: Option<String>,
        /// The opt-out marker's value, if any.
        marker: Option<String>,
    },
}

/// Why the dialog and the page are told of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A decision: the dialog closes.
    Decided,
    /// The opt-out changed: the dialog stays as it is and shows the new state.
    Objected,
}

/// What a marker that cannot be stored means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerFailure {
    /// Nothing: it is written again at the next page (a renewal, a migration).
    Ignore,
    /// Tell the page ([`ErrorCode::Storage`], [`MARKER_NOT_STORED`]); the objection
    /// still holds on this page.
    Report,
    /// Tell the page and abandon the rest: an objection that could not be lifted
    /// stands.
    ReportAndStop,
}

/// The message of [`ErrorCode::Storage`] for a marker that could not be stored.
pub const MARKER_NOT_STORED: &str =
    "the audience opt-out could not be stored in a cookie; it holds for this page only";

/// What the widget does, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Tell the page (`accord:error`).
    Error(ErrorCode, String),
    /// Store the record cookie; on failure, report [`Event::RecordNotStored`] with
    /// these objections and this signal.
    WriteRecord {
        /// The record to store.
        record: Record,
        /// The exempt purposes the decision objects to.
        objected: Vec<String>,
        /// How the decision is announced.
        signal: Signal,
    },
    /// Store the opt-out marker (`None`: delete it); `failure` says what a failure
    /// means.
    WriteMarker {
        /// The marker's value, or `None` to delete it.
        value: Option<String>,
        /// What a failure to store it means.
        failure: MarkerFailure,
    },
    /// Delete the record cookie everywhere (a stale record would bring an objection
    /// back at the next page).
    DeleteRecord,
    /// Remove everything of these purposes (`reason`: `withdrawn`, `lapsed`).
    Purge {
        /// The purposes whose trackers go.
        purposes: Vec<String>,
        /// Why, for `Accord.audit()`.
        reason: &'static str,
    },
    /// Google Consent Mode: keep the denied `default` first, then push an `update`
    /// with these signals when `decided` (a record now or before the change).
    ConsentMode {
        /// The four signals, granted or not.
        signals: Vec<(&'static str, bool)>,
        /// A record exists now or did before the change.
        decided: bool,
    },
    /// Activate what is granted now and let the loader re-ask what it holds.
    Activate,
    /// Raise `accord:change` and tell the dialog.
    Announce(Signal),
    /// Keep this receipt (JSON) and send it to the consent log.
    KeepReceipt(Record),
    /// Tell the site's other open tabs.
    AnnounceTabs,
    /// Reload the page once for this key, so the server's header follows the grant.
    Reload(String),
}

/// The choice the jar holds at `now`: the record and the marker, with the objections a
/// record of an older policy or past its expiry still carries (an objection outlives
/// the record it was made in: CNIL 2020-092, a refusal is remembered; it moves to the
/// marker).
fn jar_choice(
    config: &Config,
    record: Option<&str>,
    marker: Option<&str>,
    now: Timestamp,
) -> (Choice, Vec<String>) {
    let choice = evaluate_with_marker(config, record, marker, now);
    let recorded = record.and_then(|r| Record::decode(r).ok());
    let all: Vec<String> = config
        .exempt()
        .filter(|p| {
            choice.objects(&p.id)
                || recorded
                    .as_ref()
                    .is_some_and(|r| r.get(&p.id) == Some(false))
        })
        .map(|p| p.id.clone())
        .collect();
    (choice, all)
}

/// The page at load: the choice the jar holds, the errors to report, the marker to
/// write (an objection moved from an old record, or a marker older than a month), and
/// the purposes an old record granted that no longer count, purged at once (expiry is
/// a withdrawal: loi Informatique et Libertés art. 82, nothing of a consent survives it).
fn load(
    config: &Config,
    record: Option<&str>,
    marker: Option<&str>,
    now: Timestamp,
    gpc: bool,
) -> (Page, Vec<Effect>) {
    let mut effects = Vec::new();
    let (choice, objections) = jar_choice(config, record, marker, now);
    let set_at = marker.and_then(marker_set_at);
    if marker.is_some_and(|m| !m.trim().is_empty()) && set_at.is_none() {
        effects.push(Effect::Error(
            ErrorCode::OptoutCorrupt,
            format!("the \"{}\" cookie is not a valid opt-out marker; treated as an objection to audience measurement", crate::record::marker_name(config)),
        ));
    }
    let renew = set_at.is_some_and(|at| now - at > MARKER_RENEW_AFTER);
    if objections != choice.objections || renew {
        if let Some(v) = encode_marker(&objections, now) {
            effects.push(Effect::WriteMarker {
                value: Some(v),
                failure: MarkerFailure::Ignore,
            });
        }
    }
    match &choice.decision {
        Decision::None(NoChoice::Corrupt(e)) => effects.push(Effect::Error(
            ErrorCode::RecordCorrupt,
            format!(
                "the \"{}\" cookie is not a valid record ({e}); asking again",
                config.cookie_name
            ),
        )),
        Decision::None(NoChoice::ClockSkew) => effects.push(Effect::Error(
            ErrorCode::Clock,
            "the stored choice is dated in the future: the clock or the cookie is wrong; asking again".to_owned(),
        )),
        _ => {}
    }
    let choice = choice.objecting(objections);
    let gone = lapsed(config, record, &choice);
    if !gone.is_empty() {
        effects.push(Effect::Purge {
            purposes: gone,
            reason: "lapsed",
        });
    }
    let loaded_with = config
        .purposes
        .iter()
        .filter(|p| granted(config, &choice, &p.id))
        .map(|p| p.id.clone())
        .collect();
    (
        Page {
            choice,
            loaded_with,
            gpc,
            account_since: None,
        },
        effects,
    )
}

/// The page at load on a signed-in page: the device's choice (see [`load`]),
/// replaced by the account's latest valid choice when the consent service has one
/// (CNIL 2025-131: a refusal or a withdrawal made on another device reaches this one
/// with the same scope as a consent). The account's choice wins over the device's
/// record whatever their dates: on a shared device that record may be someone else's.
/// What the device's record granted and the account's does not is purged at once
/// (GDPR art. 7(3)). The device's exempt objections (its marker) still hold. Nothing is
/// written: signed out, the device's own choice is back.
fn account_load(
    config: &Config,
    record: Option<&str>,
    marker: Option<&str>,
    account: &str,
    now: Timestamp,
    gpc: bool,
) -> (Page, Vec<Effect>) {
    let (page, mut effects) = load(config, record, marker, now, gpc);
    let adopted = crate::record::evaluate(config, Some(account), now);
    let Some(chosen) = adopted.record().cloned() else {
        // Expired, of an older policy, or unreadable: the account has no choice here.
        return (page, effects);
    };
    let after = Choice::valid(chosen.clone()).objecting(page.choice.objections.clone());
    let gone = withdrawn(config, &page.choice, &after);
    if !gone.is_empty() {
        effects.push(Effect::Purge {
            purposes: gone,
            reason: "withdrawn",
        });
    }
    let device_at = page
        .choice
        .record()
        .map_or(chosen.decided_at, |r| r.decided_at);
    let page = Page {
        choice: after,
        account_since: Some(chosen.decided_at.max(device_at)),
        ..page
    };
    (page, effects)
}

/// The effects of making `after` the current choice: purge what is withdrawn (GDPR
/// art. 7(3)), Consent Mode, activate what is granted, announce.
fn apply(config: &Config, before: &Choice, after: &Choice, signal: Signal, out: &mut Vec<Effect>) {
    let gone = withdrawn(config, before, after);
    if !gone.is_empty() {
        out.push(Effect::Purge {
            purposes: gone,
            reason: "withdrawn",
        });
    }
    out.push(Effect::ConsentMode {
        signals: consent_mode::update(config, after),
        decided: after.record().is_some() || before.record().is_some(),
    });
    out.push(Effect::Activate);
    out.push(Effect::Announce(signal));
}

/// `"policy": "server"`: the server's header was computed from the record the page
/// loaded with. A purpose granted now that the header did not allow needs one reload
/// (`key`: the widget reloads at most once per key). A refusal never reloads.
fn reload(config: &Config, page: &Page, key: String, out: &mut Vec<Effect>) {
    let newly = config
        .purposes
        .iter()
        .any(|p| granted(config, &page.choice, &p.id) && !page.loaded_with.contains(&p.id));
    if config.policy == PolicyMode::Server && newly {
        out.push(Effect::Reload(key));
    }
}

/// The exempt purposes a record objects to (a custom choice that unticks one).
fn objected_in(config: &Config, record: &Record) -> Vec<String> {
    config
        .exempt()
        .filter(|p| record.get(&p.id) == Some(false))
        .map(|p| p.id.clone())
        .collect()
}

/// A stored record and everything that follows it.
fn recorded(
    config: &Config,
    page: &Page,
    record: Record,
    objected: Vec<String>,
    signal: Signal,
    out: &mut Vec<Effect>,
) -> Page {
    if objected != page.choice.objections {
        out.push(Effect::WriteMarker {
            value: encode_marker(&objected, record.decided_at),
            failure: MarkerFailure::Report,
        });
    }
    let key = record.record_id.clone();
    let after = Choice::valid(record.clone()).objecting(objected);
    apply(config, &page.choice, &after, signal, out);
    out.push(Effect::KeepReceipt(record));
    out.push(Effect::AnnounceTabs);
    // A decision made here is this device's own: it is written to the record cookie.
    let next = Page {
        choice: after,
        account_since: None,
        ..page.clone()
    };
    reload(config, &next, key, out);
    next
}

/// One step of the page session. `record_id` is a fresh random id (hex) when the
/// browser gave random values, `None` otherwise (no choice can be recorded then).
pub fn step(
    config: &Config,
    page: &Page,
    event: Event,
    now: Timestamp,
    record_id: Option<String>,
) -> (Page, Vec<Effect>) {
    let mut out = Vec::new();
    match event {
        Event::Load {
            record,
            marker,
            account: None,
        } => {
            return load(config, record.as_deref(), marker.as_deref(), now, page.gpc);
        }
        Event::Load {
            record,
            marker,
            account: Some(account),
        } => {
            return account_load(
                config,
                record.as_deref(),
                marker.as_deref(),
                &account,
                now,
                page.gpc,
            );
        }
        Event::Decide(intent) => {
            let next = decide_as(
                config,
                page,
                intent,
                now,
                record_id,
                Signal::Decided,
                &mut out,
            );
            return (next, out);
        }
        Event::RecordNotStored {
            record,
            objected,
            signal,
        } => {
            out.push(Effect::Error(
                ErrorCode::Storage,
                "the choice could not be stored in a cookie; treated as a refusal for this page"
                    .to_owned(),
            ));
            // A grant that cannot be stored cannot be proven: a refusal (GDPR art. 7(1)).
            let mut refusal = decide(
                config,
                &page.choice,
                &Intent::RefuseAll,
                record.decided_at,
                record.record_id,
            );
            // A refusal keeps exempt purposes as they were: never more than was asked.
            for (id, v) in refusal.purposes.iter_mut() {
                *v &= !objected.contains(id);
            }
            let next = recorded(config, page, refusal, objected, signal, &mut out);
            return (next, out);
        }
        Event::Object { purpose, on } => {
            let basis = config.purpose(&purpose).map(|p| p.basis);
            let objects = matches!(basis, Some(b) if b != Basis::Necessary)
                && !granted(config, &page.choice, &purpose);
            if matches!(basis, None | Some(Basis::Necessary)) || objects == on {
                return (page.clone(), out);
            }
            if page.choice.record().is_some() || basis == Some(Basis::Consent) {
                // With a record, or for a consent purpose: a recorded custom decision
                // (a receipt proves it), the dialog staying open.
                let intent = custom(config, page, |id| (id == purpose).then_some(!on));
                let next = decide_as(
                    config,
                    page,
                    intent,
                    now,
                    record_id,
                    Signal::Objected,
                    &mut out,
                );
                return (next, out);
            }
            // Without a record: only the marker changes; the banner still asks the rest.
            let list: Vec<String> = config
                .exempt()
                .filter(|p| {
                    if p.id == purpose {
                        on
                    } else {
                        page.choice.objects(&p.id)
                    }
                })
                .map(|p| p.id.clone())
                .collect();
            // Lifting an objection must be stored, or it stands; an objection holds on
            // this page even when it cannot be stored.
            out.push(Effect::WriteMarker {
                value: encode_marker(&list, now),
                failure: if on {
                    MarkerFailure::Report
                } else {
                    MarkerFailure::ReportAndStop
                },
            });
            if !on {
                out.push(Effect::DeleteRecord);
            }
            let after = page.choice.clone().objecting(list);
            apply(config, &page.choice, &after, Signal::Objected, &mut out);
            out.push(Effect::AnnounceTabs);
            let next = Page {
                choice: after,
                ..page.clone()
            };
            reload(config, &next, format!("optout-{now}"), &mut out);
            return (next, out);
        }
        Event::Read { record, marker } => {
            // The account's choice stands against the device's older record; a record
            // decided after it (another tab) replaces it.
            let decoded = record.as_deref().and_then(|r| Record::decode(r).ok());
            let since = page
                .account_since
                .filter(|s| decoded.as_ref().is_none_or(|r| r.decided_at <= *s));
            let after = match since {
                // Only the marker (an objection made in another tab) is read again.
                Some(_) => page
                    .choice
                    .clone()
                    .objecting(crate::record::objections(config, marker.as_deref()).0),
                None => evaluate_with_marker(config, record.as_deref(), marker.as_deref(), now),
            };
            if after != page.choice {
                let signal = if after.record() == page.choice.record() {
                    Signal::Objected
                } else {
                    Signal::Decided
                };
                apply(config, &page.choice, &after, signal, &mut out);
                let next = Page {
                    choice: after,
                    account_since: since,
                    ..page.clone()
                };
                return (next, out);
            }
        }
    }
    (page.clone(), out)
}

/// A custom choice: `change` gives the new value of a purpose, or `None` to keep it as
/// it is now (GDPR art. 7(3): one purpose changes, the others stay), unticked when
/// nothing was decided, except an exempt purpose, which is on until objected to,
/// decision or not: a first custom choice about something else is no objection
/// (CNIL 2020-091, art. 5: exempt measurement runs unless the person objects).
pub fn custom(config: &Config, page: &Page, change: impl Fn(&str) -> Option<bool>) -> Intent {
    let decided = page.choice.record().is_some();
    Intent::Custom(
        config
            .choosable()
            .map(|p| {
                let keep = (decided || p.basis == Basis::ExemptAudience)
                    && granted(config, &page.choice, &p.id);
                (p.id.clone(), change(&p.id).unwrap_or(keep))
            })
            .collect(),
    )
}

fn decide_as(
    config: &Config,
    page: &Page,
    intent: Intent,
    now: Timestamp,
    record_id: Option<String>,
    signal: Signal,
    out: &mut Vec<Effect>,
) -> Page {
    // Global Privacy Control: « Tout accepter » leaves out what it refuses by default.
    let intent = if page.gpc {
        under_gpc(config, &page.choice, intent)
    } else {
        intent
    };
    let Some(id) = record_id else {
        out.push(Effect::Error(
            ErrorCode::Random,
            "the browser gave no random values; no choice recorded".to_owned(),
        ));
        return page.clone();
    };
    let record = decide(config, &page.choice, &intent, now, id);
    // The marker follows the exempt purposes asked for: an objection made here
    // outlives this record (expiry, a new policy version), and holds even if the
    // record cannot be stored.
    let objected = objected_in(config, &record);
    out.push(Effect::WriteRecord {
        record: record.clone(),
        objected: objected.clone(),
        signal,
    });
    recorded(config, page, record, objected, signal, out)
}
