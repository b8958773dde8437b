//! Google Consent Mode v2 on the page's `dataLayer` (SPEC §6). The loader pushed
//! `consent default` (all denied) before any other script; this pushes `consent update`
//! as `gtag()` would (an Arguments object, made by the loader's `B.args`). If the page
//! replaced `window.dataLayer` since, the default goes first again: no Google tag can
//! have read the new array yet, since every tag is held until the module answers.

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

/// Is `entry` a `consent default` command?
fn is_default(entry: &JsValue) -> bool {
    let get = |i: u32| Reflect::get_u32(entry, i).ok().and_then(|v| v.as_string());
    entry.is_object()
        && get(0).as_deref() == Some("consent")
        && get(1).as_deref() == Some("default")
}

/// Pushes `consent update` with `signals`. Without the loader (tests), does nothing.
pub fn update(signals: &[(&str, bool)]) {
    let Some(update) = command("update", signals) else {
        return;
    };
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
    if !layer.iter().any(|e| is_default(&e)) {
        let denied: Vec<(&str, bool)> = signals.iter().map(|(n, _)| (*n, false)).collect();
        if let Some(d) = command("default", &denied) {
            layer.unshift(&d);
        }
    }
    layer.push(&update);
}
