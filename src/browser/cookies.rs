//! The cookie jar: reading, the record cookie, deleting every variant of a name.
//! Goes through the loader's untouched `document.cookie` accessor when the loader runs
//! (the hooked one hides gated cookies and would ask us about our own writes).

use super::loader::raw_cookie;
use crate::env::{document, window};
use accord_core::calendar::{add_months, to_http_date, Timestamp};
use accord_core::firewall::deletion_strings;
use accord_core::law::MAX_MONTHS;
use accord_core::record::Record;
use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

fn html_document() -> Option<HtmlDocument> {
    document().dyn_into::<HtmlDocument>().ok()
}

fn raw_get() -> String {
    raw_cookie(None)
        .or_else(|| html_document().and_then(|d| d.cookie().ok()))
        .unwrap_or_default()
}

/// Writes one `Set-Cookie`-like string, bypassing the loader's hook (our own writes).
pub(crate) fn set_raw(s: &str) -> bool {
    if raw_cookie(Some(s)).is_some() {
        return true;
    }
    html_document()
        .map(|d| d.set_cookie(s).is_ok())
        .unwrap_or(false)
}

/// Every `name=value` pair in the jar. Errors (sandboxed documents) read as none.
pub(crate) fn all() -> Vec<(String, String)> {
    raw_get()
        .split(';')
        .filter_map(|pair| {
            let pair = pair.trim();
            if pair.is_empty() {
                return None;
            }
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((n.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

pub(crate) fn get(name: &str) -> Option<String> {
    all().into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// Stores the record; returns whether the browser kept it.
pub(crate) fn write_record(name: &str, record: &Record) -> bool {
    let value = record.encode();
    set_raw(&accord_core::record::cookie_string(name, record, secure()))
        && get(name).as_deref() == Some(value.as_str())
}

/// Stores the opt-out marker (`Some`), or deletes it everywhere (`None`). The marker
/// lives 13 months from when it was last written. Returns whether the jar now agrees.
pub(crate) fn write_marker(name: &str, value: Option<&str>, now: Timestamp) -> bool {
    let Some(value) = value else {
        delete_everywhere(name);
        return get(name).is_none();
    };
    let mut s = format!(
        "{name}={value}; Path=/; Expires={}; SameSite=Lax",
        to_http_date(add_months(now, MAX_MONTHS))
    );
    if secure() {
        s.push_str("; Secure");
    }
    set_raw(&s) && get(name).as_deref() == Some(value)
}

fn secure() -> bool {
    window()
        .location()
        .protocol()
        .map(|p| p == "https:")
        .unwrap_or(false)
}

/// Deletes `name` under every Domain and Path it may have been set with.
pub(crate) fn delete_everywhere(name: &str) {
    let loc = window().location();
    let host = loc.hostname().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    for s in deletion_strings(name, &host, &path) {
        set_raw(&s);
    }
}
