#![cfg(not(target_arch = "wasm32"))]
//! The page session's rules as rows (issue 14, item 2): what each event does to the
//! choice and which effects follow, from `accord_core::page::step`, natively. Every rule
//! that lived in the widget's closures is a row here: close is a refusal, a failed store
//! is a refusal, GPC, the exempt opt-out (with and without a record, lifting it),
//! exempt purposes staying on in a custom choice, objections moving to the marker, the
//! marker's renewal, expiry as a withdrawal, another tab's decision, the server-policy
//! reload, no random values.

use accord_core::calendar::Timestamp;
use accord_core::config::Config;
use accord_core::page::{custom, step, Effect, Event, MarkerFailure, Page, Signal};
use accord_core::record::{decide, encode_marker, Action, Choice, Intent, NoChoice, Record};
use accord_core::rules::ErrorCode;

/// (row, GPC, intent, the record's action, its purposes)
type DecisionRow = (
    &'static str,
    bool,
    Intent,
    Action,
    [(&'static str, bool); 3],
);
/// (row, record cookie, marker, errors, marker written and how, objects to audience, purged)
type LoadRow<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Vec<ErrorCode>,
    Option<MarkerFailure>,
    bool,
    Vec<&'static str>,
);
/// (row, record cookie, marker, announced, purged)
type ReadRow<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<Signal>,
    Vec<&'static str>,
);

/// 2026-12-01T00:00:00Z.
const NOW: Timestamp = 1_796_083_200;
const DAY: Timestamp = 86_400;
const ID: &str = "0123456789abcdef0123456789abcdef";

fn demo(policy: &str) -> Config {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/demo/config.json");
    let text = std::fs::read_to_string(path).expect("the demo config");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    json["policy"] = policy.into();
    Config::from_json_str(&json.to_string()).unwrap_or_else(|e| panic!("demo config: {e:?}"))
}

fn blank(gpc: bool) -> Page {
    Page {
        choice: Choice::none(NoChoice::Absent),
        loaded_with: Vec::new(),
        gpc,
        account_since: None,
    }
}

/// The page after loading with this record and marker.
fn loaded(config: &Config, record: Option<&str>, marker: Option<&str>) -> Page {
    let load = Event::Load {
        record: record.map(String::from),
        marker: marker.map(String::from),
        account: None,
    };
    step(config, &blank(false), load, NOW, None).0
}

/// A record of `intent` decided at `at` (encoded as the cookie holds it).
fn record_at(config: &Config, intent: Intent, at: Timestamp) -> Record {
    decide(
        config,
        &Choice::none(NoChoice::Absent),
        &intent,
        at,
        ID.to_owned(),
    )
}

fn purposes(r: &Record) -> Vec<(&str, bool)> {
    r.purposes.iter().map(|(p, v)| (p.as_str(), *v)).collect()
}

fn written(effects: &[Effect]) -> Option<&Record> {
    effects.iter().find_map(|e| match e {
        Effect::WriteRecord { record, .. } => Some(record),
        _ => None,
    })
}

fn kept(effects: &[Effect]) -> Option<&Record> {
    effects.iter().find_map(|e| match e {
        Effect::KeepReceipt(record) => Some(record),
        _ => None,
    })
}

fn purged(effects: &[Effect], why: &str) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Purge { purposes, reason } if *reason == why => Some(purposes.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn marker(effects: &[Effect]) -> Option<(Option<String>, MarkerFailure)> {
    effects.iter().find_map(|e| match e {
        Effect::WriteMarker { value, failure } => Some((value.clone(), *failure)),
        _ => None,
    })
}

/// The effects' kinds, in order.
fn kinds(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Error(..) => "error",
            Effect::WriteRecord { .. } => "write-record",
            Effect::WriteMarker { .. } => "write-marker",
            Effect::DeleteRecord => "delete-record",
            Effect::Purge { .. } => "purge",
            Effect::ConsentMode { .. } => "consent-mode",
            Effect::Activate => "activate",
            Effect::Announce(_) => "announce",
            Effect::KeepReceipt(_) => "keep-receipt",
            Effect::AnnounceTabs => "announce-tabs",
            Effect::Reload(_) => "reload",
        })
        .collect()
}

fn reloads(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Reload(_)))
        .count()
}

fn errors(effects: &[Effect]) -> Vec<ErrorCode> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Error(code, _) => Some(*code),
            _ => None,
        })
        .collect()
}

fn announced(effects: &[Effect]) -> Option<Signal> {
    effects.iter().find_map(|e| match e {
        Effect::Announce(s) => Some(*s),
        _ => None,
    })
}

#[test]
fn decisions_table() {
    let c = demo("client");
    #[rustfmt::skip]
    let rows: [DecisionRow; 6] = [
        // SPEC §3, CNIL 2020-092: closing the banner without choosing is a refusal.
        ("close is a refusal; exempt measurement stays on", false, Intent::Close, Action::Close,
         [("audience", true), ("advertising", false), ("video", false)]),
        ("refuse all: consent purposes off, exempt stays (no objection)", false, Intent::RefuseAll, Action::RefuseAll,
         [("audience", true), ("advertising", false), ("video", false)]),
        ("accept all", false, Intent::AcceptAll, Action::AcceptAll,
         [("audience", true), ("advertising", true), ("video", true)]),
        // SPEC §6, GPC: « Tout accepter » leaves out advertising under Global Privacy Control.
        // (recorded as a custom choice: it is not everything)
        ("accept all under GPC leaves advertising off", true, Intent::AcceptAll, Action::Custom,
         [("audience", true), ("advertising", false), ("video", true)]),
        // CNIL 2020-091 art. 5: an exempt purpose is on until objected to, so a first custom
        // choice about something else keeps it on.
        ("a first custom choice keeps exempt measurement on", false,
         custom(&c, &blank(false), |id| (id == "video").then_some(true)), Action::Custom,
         [("audience", true), ("advertising", false), ("video", true)]),
        ("a custom choice may object to exempt measurement", false,
         Intent::Custom(vec![("audience".into(), false), ("advertising".into(), false), ("video".into(), false)]), Action::Custom,
         [("audience", false), ("advertising", false), ("video", false)]),
    ];
    for (row, gpc, intent, action, expected) in rows {
        let (next, effects) = step(&c, &blank(gpc), Event::Decide(intent), NOW, Some(ID.into()));
        let r = written(&effects)
            .unwrap_or_else(|| panic!("row {row}: no record written: {effects:?}"));
        assert_eq!(r.action, action, "row {row}");
        assert_eq!(purposes(r), expected.to_vec(), "row {row}");
        assert_eq!(
            next.choice.record(),
            Some(r),
            "row {row}: the state holds the record"
        );
        assert_eq!(
            kept(&effects),
            Some(r),
            "row {row}: a receipt of the record"
        );
        assert_eq!(announced(&effects), Some(Signal::Decided), "row {row}");
        // The order: store first, then the marker, purge, Consent Mode, activate,
        // announce, receipt, tabs.
        let objected = expected.iter().any(|(p, v)| *p == "audience" && !v);
        let mut order = vec!["write-record"];
        if objected {
            order.extend(["write-marker", "purge"]);
        }
        order.extend([
            "consent-mode",
            "activate",
            "announce",
            "keep-receipt",
            "announce-tabs",
        ]);
        assert_eq!(kinds(&effects), order, "row {row}");
        assert_eq!(
            marker(&effects).map(|(v, _)| v.is_some()),
            objected.then_some(true),
            "row {row}: the marker follows the objection"
        );
    }
}

/// GDPR art. 7(1): a grant that cannot be stored cannot be proven: it becomes a refusal,
/// reported, with the same record id and date; the refusal keeps an objection made in
/// the same decision, and an opt-out's dialog stays open.
#[test]
fn a_failed_store_is_a_refusal() {
    let c = demo("client");
    let objecting = Intent::Custom(vec![
        ("audience".into(), false),
        ("advertising".into(), true),
        ("video".into(), true),
    ]);
    #[rustfmt::skip]
    let rows = [
        ("accept all, not stored", Intent::AcceptAll, vec![], Signal::Decided,
         [("audience", true), ("advertising", false), ("video", false)]),
        ("a custom choice objecting to measurement, not stored", objecting.clone(), vec!["audience".to_owned()], Signal::Decided,
         [("audience", false), ("advertising", false), ("video", false)]),
        ("an opt-out's recorded choice, not stored: the dialog stays", objecting, vec!["audience".to_owned()], Signal::Objected,
         [("audience", false), ("advertising", false), ("video", false)]),
    ];
    for (row, intent, objected, signal, expected) in rows {
        let before = blank(false);
        let record = record_at(&c, intent, NOW - 5);
        let failed = Event::RecordNotStored {
            record: record.clone(),
            objected,
            signal,
        };
        let (next, effects) = step(&c, &before, failed, NOW, None);
        assert_eq!(errors(&effects), vec![ErrorCode::Storage], "row {row}");
        assert_eq!(
            written(&effects),
            None,
            "row {row}: the refusal is not written again"
        );
        let r = kept(&effects).unwrap_or_else(|| panic!("row {row}: no receipt"));
        assert_eq!(r.action, Action::RefuseAll, "row {row}");
        assert_eq!(purposes(r), expected.to_vec(), "row {row}");
        assert_eq!(
            (r.record_id.as_str(), r.decided_at),
            (record.record_id.as_str(), record.decided_at),
            "row {row}: the same id and date"
        );
        assert_eq!(next.choice.record(), Some(r), "row {row}");
        assert_eq!(announced(&effects), Some(signal), "row {row}");
    }
    assert_eq!(ErrorCode::Storage.name(), "ACCORD_STORAGE");
}

#[test]
fn no_random_values_no_choice() {
    let c = demo("client");
    let page = blank(false);
    let (next, effects) = step(&c, &page, Event::Decide(Intent::AcceptAll), NOW, None);
    assert_eq!(next, page);
    assert_eq!(errors(&effects), vec![ErrorCode::Random]);
    assert_eq!(effects.len(), 1, "{effects:?}");
}

/// SPEC §6: the opt-out of exempt audience measurement.
#[test]
fn opt_out_table() {
    let c = demo("client");
    let accepted = loaded(
        &c,
        Some(&record_at(&c, Intent::AcceptAll, NOW - DAY).encode()),
        None,
    );
    let objected_marker = encode_marker(&["audience".to_owned()], NOW - DAY).expect("a marker");
    let objecting = loaded(&c, None, Some(&objected_marker));
    assert!(objecting.choice.objects("audience"));

    // No record: only the marker; a failure to store it is reported, the objection holds.
    let (next, e) = step(
        &c,
        &blank(false),
        Event::Object {
            purpose: "audience".into(),
            on: true,
        },
        NOW,
        Some(ID.into()),
    );
    assert_eq!(written(&e), None, "no record without a decision: {e:?}");
    assert_eq!(
        marker(&e).map(|(v, f)| (v.is_some(), f)),
        Some((true, MarkerFailure::Report))
    );
    assert_eq!(purged(&e, "withdrawn"), vec!["audience"]);
    assert_eq!(announced(&e), Some(Signal::Objected));
    assert!(next.choice.objects("audience"));

    // Lifting it without a record: the marker goes (it must, or the objection stands),
    // and a stale record saying 0 is deleted.
    let (next, e) = step(
        &c,
        &objecting,
        Event::Object {
            purpose: "audience".into(),
            on: false,
        },
        NOW,
        Some(ID.into()),
    );
    assert_eq!(marker(&e), Some((None, MarkerFailure::ReportAndStop)));
    // The marker first: when it cannot be lifted, nothing else happens (not even the
    // record's deletion).
    assert_eq!(kinds(&e)[..2], ["write-marker", "delete-record"], "{e:?}");
    assert!(!next.choice.objects("audience"));
    assert_eq!(announced(&e), Some(Signal::Objected));

    // With a record: a recorded custom decision, the dialog staying open.
    let (next, e) = step(
        &c,
        &accepted,
        Event::Object {
            purpose: "audience".into(),
            on: true,
        },
        NOW,
        Some(ID.into()),
    );
    let r = written(&e).expect("a record");
    assert_eq!(r.action, Action::Custom);
    assert_eq!(
        purposes(r),
        vec![("audience", false), ("advertising", true), ("video", true)]
    );
    assert_eq!(announced(&e), Some(Signal::Objected));
    assert_eq!(purged(&e, "withdrawn"), vec!["audience"]);
    assert!(next.choice.objects("audience"));

    // The same control on a consent purpose withdraws that consent alone.
    let (_, e) = step(
        &c,
        &accepted,
        Event::Object {
            purpose: "video".into(),
            on: true,
        },
        NOW,
        Some(ID.into()),
    );
    assert_eq!(
        purposes(written(&e).expect("a record")),
        vec![("audience", true), ("advertising", true), ("video", false)]
    );

    // Nothing to do: already so, a necessary purpose, an unknown one.
    for (row, page, purpose, on) in [
        ("already objecting", &objecting, "audience", true),
        ("necessary", &accepted, "necessary", true),
        ("unknown", &accepted, "nope", true),
    ] {
        let (next, e) = step(
            &c,
            page,
            Event::Object {
                purpose: purpose.into(),
                on,
            },
            NOW,
            Some(ID.into()),
        );
        assert_eq!((&next, e.len()), (page, 0), "row {row}: {e:?}");
    }
}

/// An objection outlives the record it was made in (SPEC §6): at load, one carried only
/// by an expired record or one of an older policy moves to the marker; a marker older
/// than a month is written again; a corrupt one is reported and objects to everything
/// exempt; a corrupt record and a record from the future are reported.
#[test]
fn load_table() {
    let c = demo("client");
    let objecting = Intent::Custom(vec![
        ("audience".into(), false),
        ("advertising".into(), true),
        ("video".into(), false),
    ]);
    let old = record_at(&c, objecting, NOW - 430 * DAY).encode();
    let fresh_marker = encode_marker(&["audience".to_owned()], NOW - DAY).expect("marker");
    let old_marker = encode_marker(&["audience".to_owned()], NOW - 40 * DAY).expect("marker");
    let future = record_at(&c, Intent::AcceptAll, NOW + 3 * DAY).encode();
    #[rustfmt::skip]
    let rows: [LoadRow; 6] = [
        ("nothing stored", None, None, vec![], None, false, vec![]),
        // Expiry is a withdrawal (loi Informatique et Libertés art. 82): what the old
        // record granted is purged at load; its objection moves to the marker.
        ("expired objecting record: objection to the marker, its grants purged", Some(&old), None, vec![], Some(MarkerFailure::Ignore), true, vec!["advertising"]),
        ("a fresh marker is left as it is", None, Some(&fresh_marker), vec![], None, true, vec![]),
        ("a marker older than a month is renewed", None, Some(&old_marker), vec![], Some(MarkerFailure::Ignore), true, vec![]),
        // (left as it is: it already objects to everything exempt)
        ("a corrupt marker objects to everything exempt", None, Some("garbage"), vec![ErrorCode::OptoutCorrupt], None, true, vec![]),
        // (and what it grants does not count: purged, as for an expired one)
        ("a record from the future: asking again", Some(&future), None, vec![ErrorCode::Clock], None, false, vec!["advertising", "video"]),
    ];
    for (row, record, mark, errs, renewed, objects, lapsed) in rows {
        let load = Event::Load {
            record: record.map(String::from),
            marker: mark.map(String::from),
            account: None,
        };
        let (page, e) = step(&c, &blank(false), load, NOW, None);
        assert_eq!(errors(&e), errs, "row {row}: {e:?}");
        assert_eq!(marker(&e).map(|(_, f)| f), renewed, "row {row}: {e:?}");
        assert_eq!(page.choice.objects("audience"), objects, "row {row}");
        assert_eq!(purged(&e, "lapsed"), lapsed, "row {row}");
        assert_eq!(
            page.choice.record(),
            None,
            "row {row}: nothing here counts as a decision"
        );
        if let Some((Some(value), _)) = marker(&e) {
            assert!(
                value.starts_with(&format!("1|{NOW}|")) && value.ends_with("audience"),
                "row {row}: the marker written: {value}"
            );
        }
    }
    let (_, e) = step(
        &c,
        &blank(false),
        Event::Load {
            record: Some("1|zz".into()),
            marker: None,
            account: None,
        },
        NOW,
        None,
    );
    assert_eq!(errors(&e), vec![ErrorCode::RecordCorrupt]);
    // What the page loaded with is what a server header allows.
    let accepted = loaded(
        &c,
        Some(&record_at(&c, Intent::AcceptAll, NOW - DAY).encode()),
        None,
    );
    assert_eq!(
        accepted.loaded_with,
        vec!["necessary", "audience", "advertising", "video"]
    );
}

/// `"policy": "server"`: a grant the page's header did not allow reloads the page once;
/// a refusal never does; `"policy": "client"` never does.
#[test]
fn server_policy_reload_table() {
    let refused = |c: &Config| {
        loaded(
            c,
            Some(&record_at(c, Intent::RefuseAll, NOW - DAY).encode()),
            None,
        )
    };
    #[rustfmt::skip]
    let rows: [(&str, &str, bool, Intent, usize); 5] = [
        ("server, first visit, accept all", "server", false, Intent::AcceptAll, 1),
        ("server, first visit, refuse all", "server", false, Intent::RefuseAll, 0),
        ("server, after a refusal, accept all", "server", true, Intent::AcceptAll, 1),
        ("server, first visit, close", "server", false, Intent::Close, 0),
        ("client, accept all", "client", false, Intent::AcceptAll, 0),
    ];
    for (row, policy, after_refusal, intent, expected) in rows {
        let c = demo(policy);
        let page = if after_refusal {
            refused(&c)
        } else {
            loaded(&c, None, None)
        };
        let (_, e) = step(&c, &page, Event::Decide(intent), NOW, Some(ID.into()));
        assert_eq!(reloads(&e), expected, "row {row}: {e:?}");
        if expected == 1 {
            assert_eq!(
                e.last(),
                Some(&Effect::Reload(ID.into())),
                "row {row}: reload last, keyed by the record"
            );
        }
    }
    // Lifting an objection without a record grants the tool again: one reload, keyed
    // by the time (there is no record id).
    let c = demo("server");
    let objecting = loaded(
        &c,
        None,
        Some(&encode_marker(&["audience".to_owned()], NOW - DAY).expect("marker")),
    );
    let (_, e) = step(
        &c,
        &objecting,
        Event::Object {
            purpose: "audience".into(),
            on: false,
        },
        NOW,
        Some(ID.into()),
    );
    assert_eq!(
        e.last(),
        Some(&Effect::Reload(format!("optout-{NOW}"))),
        "{e:?}"
    );
    // Accepted at load already: the header allows it, no reload.
    let c = demo("server");
    let accepted = loaded(
        &c,
        Some(&record_at(&c, Intent::AcceptAll, NOW - DAY).encode()),
        None,
    );
    let (_, e) = step(
        &c,
        &accepted,
        Event::Decide(Intent::AcceptAll),
        NOW,
        Some(ID.into()),
    );
    assert_eq!(reloads(&e), 0, "{e:?}");
}

/// Another tab decided, or the page became visible: the jar is read again.
#[test]
fn read_table() {
    let c = demo("client");
    let accepted = record_at(&c, Intent::AcceptAll, NOW - DAY).encode();
    let page = loaded(&c, Some(&accepted), None);
    let refusal = record_at(&c, Intent::RefuseAll, NOW).encode();
    let objecting = encode_marker(&["audience".to_owned()], NOW).expect("marker");
    #[rustfmt::skip]
    let rows: [ReadRow; 3] = [
        ("the same jar: nothing", Some(&accepted), None, None, vec![]),
        ("another tab refused: a decision, its grants purged", Some(&refusal), None, Some(Signal::Decided), vec!["advertising", "video"]),
        ("another tab objected: an objection", Some(&accepted), Some(&objecting), Some(Signal::Objected), vec!["audience"]),
    ];
    for (row, record, mark, signal, gone) in rows {
        let read = Event::Read {
            record: record.map(String::from),
            marker: mark.map(String::from),
        };
        let (next, e) = step(&c, &page, read, NOW, None);
        assert_eq!(announced(&e), signal, "row {row}: {e:?}");
        let read_record = record.and_then(|r| Record::decode(r).ok());
        assert_eq!(
            next.choice.record(),
            read_record.as_ref(),
            "row {row}: the state is the jar's"
        );
        assert_eq!(purged(&e, "withdrawn"), gone, "row {row}");
        assert_eq!(
            written(&e),
            None,
            "row {row}: another tab's record is not written again"
        );
    }
}

/// The dialog's layers (`accord_core::dialog::reduce`): which layer each action shows,
/// and which actions are decisions.
#[test]
fn dialog_table() {
    use accord_core::dialog::{reduce, Action, Dialog, Layer};
    let fresh = Dialog::new(false);
    let decided = Dialog::new(true);
    let at = |layer, decided| Dialog { layer, decided };
    let save = vec![("advertising".to_owned(), true)];
    assert_eq!(
        (fresh.layer, decided.layer),
        (Layer::Banner, Layer::Hidden),
        "at load"
    );
    #[rustfmt::skip]
    let rows: [(&str, Dialog, Action, Dialog, Option<Intent>); 15] = [
        ("an objection on the first layer changes nothing", fresh, Action::Objected { decided: false }, at(Layer::Banner, false), None),
        // An opt-out recorded as a choice (a record now): closing is no longer a refusal.
        ("an objection that recorded a choice", at(Layer::Prefs, false), Action::Objected { decided: true }, at(Layer::Prefs, true), None),
        // SPEC §3, CNIL 2020-092: closing without choosing is a refusal.
        ("close before any choice is a refusal", fresh, Action::Close, fresh, Some(Intent::Close)),
        ("close after a choice only closes", at(Layer::Prefs, true), Action::Close, at(Layer::Hidden, true), None),
        ("accept all", fresh, Action::AcceptAll, fresh, Some(Intent::AcceptAll)),
        ("refuse all, as easy", fresh, Action::RefuseAll, fresh, Some(Intent::RefuseAll)),
        ("save is a custom choice", at(Layer::Prefs, false), Action::Save(save.clone()), at(Layer::Prefs, false), Some(Intent::Custom(save.clone()))),
        ("customise opens the preferences", fresh, Action::Open, at(Layer::Prefs, false), None),
        ("the reopen control opens the preferences", decided, Action::Open, at(Layer::Prefs, true), None),
        ("partners from the first layer", fresh, Action::Partners, at(Layer::Partners { from_prefs: false }, false), None),
        ("partners from the preferences (modal)", at(Layer::Prefs, false), Action::Partners, at(Layer::Partners { from_prefs: true }, false), None),
        ("back to the first layer", at(Layer::Partners { from_prefs: false }, false), Action::Back, fresh, None),
        ("back to the preferences", at(Layer::Partners { from_prefs: true }, false), Action::Back, at(Layer::Prefs, false), None),
        ("a decision applied hides the dialog", at(Layer::Prefs, false), Action::Decided { decided: true }, decided, None),
        ("an objection keeps the dialog open", at(Layer::Prefs, false), Action::Objected { decided: false }, at(Layer::Prefs, false), None),
    ];
    for (row, from, action, to, intent) in rows {
        assert_eq!(reduce(from, action), (to, intent), "row {row}");
    }
    assert!(Layer::Prefs.modal() && Layer::Partners { from_prefs: true }.modal());
    assert!(!Layer::Banner.modal() && !Layer::Partners { from_prefs: false }.modal());
}

/// The page after loading signed in, with this device record, marker and account record.
fn signed_in(
    config: &Config,
    record: Option<&str>,
    marker: Option<&str>,
    account: Option<&str>,
) -> (Page, Vec<Effect>) {
    let load = Event::Load {
        record: record.map(String::from),
        marker: marker.map(String::from),
        account: account.map(String::from),
    };
    step(config, &blank(false), load, NOW, None)
}

/// A record of `intent` at `at` with its own id (two devices never share one).
fn record_of(config: &Config, intent: Intent, at: Timestamp, id: &str) -> String {
    decide(
        config,
        &Choice::none(NoChoice::Absent),
        &intent,
        at,
        id.to_owned(),
    )
    .encode()
}

/// (row, device record, marker, account record, adopted record id, purged, granted)
type AccountRow<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Vec<&'a str>,
    Vec<&'a str>,
);

/// CNIL 2025-131 (issue 16, item 6): on a signed-in page the account's latest choice,
/// from another device, is this page's choice; what this device's record granted and
/// the account's does not is purged at once; nothing is written to this device (a
/// shared device's next person, signed out, keeps the device's own choice).
#[test]
fn account_table() {
    let c = demo("client");
    let device = "0123456789abcdef0123456789abcdef";
    let other = "fedcba9876543210fedcba9876543210";
    let accept_old = record_of(&c, Intent::AcceptAll, NOW - 30 * DAY, device);
    let accept_new = record_of(&c, Intent::AcceptAll, NOW - DAY, device);
    let refuse_acct = record_of(&c, Intent::RefuseAll, NOW - 10 * DAY, other);
    let accept_acct = record_of(&c, Intent::AcceptAll, NOW - 10 * DAY, other);
    let expired_acct = record_of(&c, Intent::RefuseAll, NOW - 500 * DAY, other);
    let objected = encode_marker(&["audience".to_owned()], NOW - DAY).expect("marker");
    #[rustfmt::skip]
    let rows: Vec<AccountRow> = vec![
        ("a withdrawal elsewhere reaches a device that consented",
            Some(&accept_old), None, Some(&refuse_acct), Some(other), vec!["advertising", "video"], vec!["necessary", "audience"]),
        ("the account wins over a newer device record (a shared device)",
            Some(&accept_new), None, Some(&refuse_acct), Some(other), vec!["advertising", "video"], vec!["necessary", "audience"]),
        ("a consent elsewhere reaches a device that never decided",
            None, None, Some(&accept_acct), Some(other), vec![], vec!["necessary", "audience", "advertising", "video"]),
        ("the device's objection to audience still holds",
            None, Some(&objected), Some(&accept_acct), Some(other), vec![], vec!["necessary", "advertising", "video"]),
        ("an expired account record is no choice: the device's own applies",
            Some(&accept_old), None, Some(&expired_acct), Some(device), vec![], vec!["necessary", "audience", "advertising", "video"]),
        ("an unreadable account record is no choice either",
            Some(&accept_old), None, Some("1|zz"), Some(device), vec![], vec!["necessary", "audience", "advertising", "video"]),
        ("signed in with no account choice: the device's own applies",
            Some(&accept_old), None, None, Some(device), vec![], vec!["necessary", "audience", "advertising", "video"]),
    ];
    for (row, record, mark, account, adopted, purged_now, granted_now) in rows {
        let (page, effects) = signed_in(&c, record, mark, account);
        check(
            row,
            "record id",
            page.choice.record().map(|r| r.record_id.as_str()),
            adopted,
        );
        check(
            row,
            "purged",
            purged(&effects, "withdrawn"),
            ids(&purged_now),
        );
        let granted: Vec<&str> = c
            .purposes
            .iter()
            .filter(|p| accord_core::record::granted(&c, &page.choice, &p.id))
            .map(|p| p.id.as_str())
            .collect();
        check(row, "granted", granted, granted_now);
        check(row, "nothing written", written(&effects), None);
        check(row, "no receipt", kept(&effects), None);
        check(
            row,
            "adopted only from a valid account record",
            page.account_since.is_some(),
            adopted == Some(other),
        );
    }
}

/// After adoption: the device's own older record read again (the page became visible)
/// does not undo it; a decision made later in another tab does; a decision made here
/// is this device's own and is written.
#[test]
fn account_read_and_decide() {
    let c = demo("client");
    let device = "0123456789abcdef0123456789abcdef";
    let other = "fedcba9876543210fedcba9876543210";
    let accept_new = record_of(&c, Intent::AcceptAll, NOW - DAY, device);
    let refuse_acct = record_of(&c, Intent::RefuseAll, NOW - 10 * DAY, other);
    let (page, _) = signed_in(&c, Some(&accept_new), None, Some(&refuse_acct));
    let read = |jar: &str| {
        step(
            &c,
            &page,
            Event::Read {
                record: Some(jar.to_owned()),
                marker: None,
            },
            NOW,
            None,
        )
    };
    let (same, e) = read(&accept_new);
    check(
        "the device's record again",
        "kept the account's",
        same.choice.record().map(|r| r.record_id.clone()),
        Some(other.to_owned()),
    );
    check("the device's record again", "no effect", kinds(&e), vec![]);
    let later = record_of(
        &c,
        Intent::AcceptAll,
        NOW,
        "00112233445566778899aabbccddeeff",
    );
    let (after, e) = read(&later);
    check(
        "another tab decided later",
        "its record",
        after.choice.record().map(|r| r.record_id.clone()),
        Some("00112233445566778899aabbccddeeff".to_owned()),
    );
    check(
        "another tab decided later",
        "announced",
        announced(&e),
        Some(Signal::Decided),
    );
    check(
        "another tab decided later",
        "no longer adopted",
        after.account_since,
        None,
    );
    let (decided, e) = step(
        &c,
        &page,
        Event::Decide(Intent::AcceptAll),
        NOW,
        Some("aabbccddeeff00112233445566778899".to_owned()),
    );
    check(
        "a decision here",
        "written to this device",
        written(&e).map(|r| r.record_id.clone()),
        Some("aabbccddeeff00112233445566778899".to_owned()),
    );
    check(
        "a decision here",
        "its receipt kept",
        kept(&e).is_some(),
        true,
    );
    check(
        "a decision here",
        "no longer adopted",
        decided.account_since,
        None,
    );
}

fn check<T: PartialEq + std::fmt::Debug>(row: &str, what: &str, got: T, want: T) {
    assert_eq!(got, want, "row {row}: {what}");
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
