//! Google Consent Mode v2 on the page's `dataLayer` (SPEC §6). The loader pushed
//! `consent default` (all denied) before any other script; this keeps that default
//! first (if the page replaced `window.dataLayer`, or put a default of its own in front,
//! it goes first again: no Google tag can have read the array yet, since every tag is
//! held until the module answers) and pushes `consent update` as `gtag()` would (an
//! Arguments object, made by the loader's `B.args`).

use super::env::window;
use super::guard;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn command(kind: &str, signals: &[(&str, bool)]) -> Option<JsValue> {
    let values = Object::new();
    for (name, on) in signals {
        let v = if *on { "granted" } else { "denied" };
        Reflect::set(&values, &(*name).into(), &v.into()).ok()?;
    }
    guard::call("args", &["consent".into(), kind.into(), values.into()])
}

/// The values of a `consent <kind>` command, or `None` if `entry` is not one.
fn consent(entry: &JsValue, kind: &str) -> Option<JsValue> {
    let get = |i: u32| Reflect::get_u32(entry, i).ok().and_then(|v| v.as_string());
    (entry.is_object() && get(0).as_deref() == Some("consent") && get(1).as_deref() == Some(kind))
        .then(|| Reflect::get_u32(entry, 2).unwrap_or(JsValue::UNDEFINED))
}

/// Does this `consent` command grant any of `signals`?
fn grants_any(values: &JsValue, signals: &[(&str, bool)]) -> bool {
    signals.iter().any(|(name, _)| {
        Reflect::get(values, &(*name).into())
            .ok()
            .and_then(|v| v.as_string())
            .as_deref()
            == Some("granted")
    })
}

/// Brings the page's `dataLayer` in line with the visitor's choice (`signals`), at page
/// start and on every decision:
/// - the first `consent default` must deny every signal; if the page replaced the array,
///   or put its own granting default in front, Accord's denied default goes first again;
/// - `consent update` is pushed after a decision, and also before one when a default of
///   the page's grants what the visitor has not (an update overrides every default).
///
/// Without the loader (tests), does nothing.
pub fn sync(signals: &[(&str, bool)], decided: bool) {
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
    let defaults: Vec<JsValue> = layer
        .iter()
        .filter_map(|e| consent(&e, "default"))
        .collect();
    let page_grants = defaults.iter().any(|v| grants_any(v, signals));
    if defaults.first().is_none_or(|v| grants_any(v, signals)) {
        let denied: Vec<(&str, bool)> = signals.iter().map(|(n, _)| (*n, false)).collect();
        let Some(d) = command("default", &denied) else {
            return;
        };
        layer.unshift(&d);
    }
    if decided || page_grants {
        if let Some(update) = command("update", signals) {
            layer.push(&update);
        }
    }
}
