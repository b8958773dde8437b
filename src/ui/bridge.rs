//! The bridge object the dialogs module gets at `mount` (its side: the crate
//! `accord-dialogs`, `src/bridge.rs`): the view (every word it shows, from the core's
//! notice blocks), the choice now, and the functions it calls back. The functions hold
//! the host weakly: once the host is gone they do nothing.

use super::Host;
use crate::env::to_js;
use accord_core::dialog::{Action, State, View};
use js_sys::{Array, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The bridge for the host `h`.
pub(super) fn bridge(h: &Rc<Host>) -> JsValue {
    let s = &h.session;
    let b = Object::new();
    let set = |name: &str, v: JsValue| {
        let _ = Reflect::set(&b, &name.into(), &v);
    };
    set("view", to_js(&View::of(&s.config, s.lang, s.gpc())));
    let me = Rc::downgrade(h);
    set(
        "state",
        Closure::<dyn Fn() -> JsValue>::new(move || {
            me.upgrade().map_or(JsValue::NULL, |h| to_js(&state(&h)))
        })
        .into_js_value(),
    );
    let me = Rc::downgrade(h);
    set(
        "send",
        Closure::<dyn Fn(String, JsValue)>::new(move |name: String, values: JsValue| {
            if let (Some(h), Some(action)) = (me.upgrade(), Action::named(&name, pairs(&values))) {
                h.act(action);
            }
        })
        .into_js_value(),
    );
    // A function of no argument that runs `f` on the host while it lives.
    let call = |f: fn(&Host)| {
        let me = Rc::downgrade(h);
        Closure::<dyn Fn()>::new(move || {
            if let Some(h) = me.upgrade() {
                f(&h);
            }
        })
        .into_js_value()
    };
    set("download", call(|h| h.session.download_receipt()));
    set("shown", call(Host::shown));
    b.into()
}

/// The choice now, as the preferences show it.
fn state(h: &Host) -> State {
    let s = &h.session;
    let ids = |f: &dyn Fn(&str) -> bool| {
        s.config
            .purposes
            .iter()
            .filter(|p| f(&p.id))
            .map(|p| p.id.clone())
            .collect()
    };
    State {
        decided: s.decided(),
        granted: ids(&|id| s.is_granted(id)),
        objects: ids(&|id| s.config.exempt().any(|q| q.id == id) && s.objects(id)),
    }
}

/// « Enregistrer mes choix »'s values: `[id, on]` pairs (anything else is left out).
fn pairs(values: &JsValue) -> Vec<(String, bool)> {
    if !Array::is_array(values) {
        return Vec::new();
    }
    Array::from(values)
        .iter()
        .filter_map(|p| {
            let p = Array::from(&p);
            Some((p.get(0).as_string()?, p.get(1).as_bool()?))
        })
        .collect()
}
