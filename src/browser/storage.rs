//! The one door to Web Storage: Accord's own keys (`get`, `set`, `delete`, with one
//! error type, [`StoreError`]), and the page's keys in both stores (listing and
//! removing), IndexedDB databases and Cache API caches (listing and deleting by name).
//! Storage that throws (private modes, sandboxed frames, storage blocked by the
//! browser's settings) reads as empty; a write that fails says so, and each caller
//! decides what failing closed means for it.

use crate::env::window;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Storage;

/// Which store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Area {
    /// `localStorage`: kept across visits.
    Local,
    /// `sessionStorage`: this tab only.
    Session,
}

/// Why Web Storage could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StoreError {
    /// There is no store: blocked by the browser's settings, a sandboxed frame, or
    /// the `storage` property threw.
    Unavailable,
    /// The store refused the write (full, or the browser's policy).
    Refused,
}

fn area(a: Area) -> Result<Storage, StoreError> {
    let w = window();
    match a {
        Area::Local => w.local_storage(),
        Area::Session => w.session_storage(),
    }
    .ok()
    .flatten()
    .ok_or(StoreError::Unavailable)
}

/// The value of `key`; `Ok(None)` when there is none.
pub(crate) fn get(a: Area, key: &str) -> Result<Option<String>, StoreError> {
    area(a)?.get_item(key).map_err(|_| StoreError::Unavailable)
}

/// Stores `value` under `key`.
pub(crate) fn set(a: Area, key: &str, value: &str) -> Result<(), StoreError> {
    area(a)?
        .set_item(key, value)
        .map_err(|_| StoreError::Refused)
}

/// Removes `key` (nothing to do when it is absent).
pub(crate) fn delete(a: Area, key: &str) -> Result<(), StoreError> {
    area(a)?.remove_item(key).map_err(|_| StoreError::Refused)
}

fn stores() -> Vec<Storage> {
    let w = window();
    [w.local_storage(), w.session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
        .collect()
}

/// Every key of both stores.
pub(crate) fn keys() -> Vec<String> {
    let mut out = Vec::new();
    for s in stores() {
        let n = s.length().unwrap_or(0);
        for i in 0..n {
            if let Ok(Some(k)) = s.key(i) {
                out.push(k);
            }
        }
    }
    out
}

pub(crate) fn remove(key: &str) {
    for s in stores() {
        let _ = s.remove_item(key);
    }
}

/// Calls `target.name(args…)`; `None` when it is missing or throws.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = Reflect::get(target, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let list: js_sys::Array = args.iter().collect();
    f.apply(target, &list).ok()
}

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&window(), &name.into())
        .ok()
        .filter(|v| v.is_object())
}

/// The names of the site's IndexedDB databases and Cache API caches (where the
/// browser lists them: `indexedDB.databases()` is in every current browser).
pub(crate) async fn database_and_cache_names() -> (Vec<String>, Vec<String>) {
    async fn names(target: Option<JsValue>, method: &str, field: Option<&str>) -> Vec<String> {
        let Some(p) = target.and_then(|t| call(&t, method, &[])) else {
            return Vec::new();
        };
        let Ok(list) = JsFuture::from(js_sys::Promise::resolve(&p)).await else {
            return Vec::new();
        };
        js_sys::Array::from(&list)
            .iter()
            .filter_map(|v| match field {
                Some(f) => Reflect::get(&v, &f.into()).ok()?.as_string(),
                None => v.as_string(),
            })
            .collect()
    }
    (
        names(global("indexedDB"), "databases", Some("name")).await,
        names(global("caches"), "keys", None).await,
    )
}

/// Deletes an IndexedDB database (even one a page script still has open: the browser
/// closes its connections).
pub(crate) fn delete_database(name: &str) {
    if let Some(idb) = global("indexedDB") {
        call(&idb, "deleteDatabase", &[name.into()]);
    }
}

pub(crate) fn delete_cache(name: &str) {
    if let Some(c) = global("caches") {
        call(&c, "delete", &[name.into()]);
    }
}
