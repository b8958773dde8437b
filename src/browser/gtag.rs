//! Google Consent Mode v2 on the page's `dataLayer` (SPEC §6). The loader pushed
//! `consent default` (all denied) before any other script; this keeps that default
//! first (if the page replaced `window.dataLayer`, or put a default of its own in front,
//! it goes first again) and pushes `consent update` as `gtag()` would (an Arguments
//! object, made by the loader's `B.args`). Before the module answers, every Google tag
//! is held, except, for a returning visitor, one whose purpose the cached answer
//! already grants: such a tag may read a replaced array before this runs.

use super::loader;
use crate::env::window;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn command(kind: &str, signals: &[(&str, bool)]) -> Option<JsValue> {
    let values = Object::new();
    for (name, on) in signals {
        let v = if *on { "granted" } else { "denied" };
        Reflect::set(&values, &(*name).into(), &v.into()).ok()?;
    }
    loader::gtag_command(kind, &values)
}

/// The values of a `consent <kind>` command as `gtag()` pushes it, or `None`. gtag runs
/// only Arguments objects: a plain array `['consent', 'default', …]` is not a command.
fn consent(entry: &JsValue, kind: &str) -> Option<JsValue> {
    let args = entry.is_object()
        && !Array::is_array(entry)
        && entry.unchecked_ref::<Object>().to_string() == "[object Arguments]";
    let get = |i: u32| Reflect::get_u32(entry, i).ok().and_then(|v| v.as_string());
    (args && get(0).as_deref() == Some("consent") && get(1).as_deref() == Some(kind))
        .then(|| Reflect::get_u32(entry, 2).unwrap_or(JsValue::UNDEFINED))
}

fn value(values: &JsValue, name: &str) -> Option<String> {
    Reflect::get(values, &name.into())
        .ok()
        .and_then(|v| v.as_string())
}

/// Does this `consent` command grant any of `signals`?
fn grants_any(values: &JsValue, signals: &[(&str, bool)]) -> bool {
    signals
        .iter()
        .any(|(name, _)| value(values, name).as_deref() == Some("granted"))
}

/// Is this a default that denies every one of `signals`, everywhere (no `region`)?
fn denies_all(values: &JsValue, signals: &[(&str, bool)]) -> bool {
    Reflect::get(values, &"region".into()).is_ok_and(|r| r.is_undefined())
        && signals
            .iter()
            .all(|(name, _)| value(values, name).as_deref() == Some("denied"))
}

/// Brings the page's `dataLayer` in line with the visitor's choice (`signals`), at page
/// start and on every decision:
/// - the first `consent default` must deny every signal everywhere; if the page replaced
///   the array, or put a default of its own in front (granting, partial, or for some
///   regions only), Accord's denied default goes first again;
/// - a default of the page's that grants a signal is followed at once by an `update`
///   from the visitor's choice (an update overrides every default), before the page's
///   next command, so no tag reads the array under the page's default;
/// - after a decision, the `update` is pushed at the end, as `gtag()` would.
///
/// Without the loader (tests), does nothing.
pub(crate) fn sync(signals: &[(&str, bool)], decided: bool) {
    let w = window();
    let layer = match Reflect::get(&w, &"dataLayer".into()) {
        // The page's own array (Array::from would copy it).
        Ok(v) if Array::is_array(&v) => v.unchecked_into::<Array>(),
        _ => {
            let a = Array::new();
            let _ = Reflect::set(&w, &"dataLayer".into(), &a);
            a
        }
    };
    let first = layer.iter().find_map(|e| consent(&e, "default"));
    if first.is_none_or(|v| !denies_all(&v, signals)) {
        let denied: Vec<(&str, bool)> = signals.iter().map(|(n, _)| (*n, false)).collect();
        let Some(d) = command("default", &denied) else {
            return;
        };
        layer.unshift(&d);
    }
    let granting = layer
        .iter()
        .enumerate()
        .filter(|(_, e)| consent(e, "default").is_some_and(|v| grants_any(&v, signals)))
        .map(|(i, _)| i as u32)
        .next_back();
    if let Some(i) = granting {
        if consent(&layer.get(i + 1), "update").is_none() {
            if let Some(update) = command("update", signals) {
                layer.splice(i + 1, 0, &update);
            }
        }
    }
    if decided {
        if let Some(update) = command("update", signals) {
            layer.push(&update);
        }
    }
}
