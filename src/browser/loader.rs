//! The loader's boot object (`window.__accordBoot`, see `www/accord.js`): the one place
//! the module reaches into it by name. The module keeps it once attached, calls the
//! loader's functions on it (`changed`, `args`, `abort`), installs its answers on it
//! (`guard`), and reads and writes the jar through the loader's untouched
//! `document.cookie` accessor (`cookieDesc`), which the page's code cannot replace.

use crate::env;
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static BOOT: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn boot() -> Option<JsValue> {
    BOOT.with(|b| b.borrow().clone())
}

/// Keeps the loader's boot object, so that the jar is read and written through its
/// untouched accessor from now on (`raw_cookie`).
pub(crate) fn attach(boot: &JsValue) {
    if !boot.is_undefined() && !boot.is_null() {
        BOOT.with(|b| *b.borrow_mut() = Some(boot.clone()));
    }
}

/// Calls the loader's function `name` with `args`; `None` without a loader (a test
/// page) or when it threw.
pub(crate) fn call(name: &str, args: &[JsValue]) -> Option<JsValue> {
    let b = boot()?;
    let f = Reflect::get(&b, &name.into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let list: js_sys::Array = args.iter().collect();
    f.apply(&b, &list).ok()
}

/// Installs the module's function `f` as `name` on `target` (the boot object).
pub(crate) fn set_fn(target: &JsValue, name: &str, f: JsValue) {
    let _ = Reflect::set(target, &name.into(), &f);
}

/// Reads (`None`) or writes the jar through the loader's untouched `document.cookie`
/// accessor (`B.cookieDesc`), when the loader runs.
pub(crate) fn raw_cookie(set: Option<&str>) -> Option<String> {
    let desc = Reflect::get(&boot()?, &"cookieDesc".into()).ok()?;
    let doc: JsValue = env::document().into();
    let key = if set.is_some() { "set" } else { "get" };
    let f = Reflect::get(&desc, &key.into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let v = match set {
        Some(s) => f.call1(&doc, &JsValue::from_str(s)).ok()?,
        None => f.call0(&doc).ok()?,
    };
    Some(v.as_string().unwrap_or_default())
}

/// The config was refused: the loader drops everything it holds, for good.
pub(crate) fn abort(boot: &JsValue) {
    if let Ok(f) = Reflect::get(boot, &"abort".into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = f.call0(boot);
    }
}
