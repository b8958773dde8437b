//! localStorage and sessionStorage (listing and removing keys), IndexedDB databases and
//! Cache API caches (listing and deleting by name). Storage that throws (private
//! modes, sandboxed frames) is treated as empty.

use crate::env::window;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Storage;

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
