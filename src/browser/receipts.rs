//! Consent receipts in the browser: the current record's receipt (for the person's
//! download), the receipts not yet accepted by the site's endpoint (kept in
//! localStorage and sent again on the next page), and their delivery with
//! `fetch(…, {keepalive: true})`, which, unlike `sendBeacon`, says whether the endpoint
//! accepted them. A failing endpoint never delays or changes a decision.

use super::storage::{self, Area};
use crate::env::window;
use js_sys::{Array, JSON};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

const PENDING: &str = "accord.receipts";
const CURRENT: &str = "accord.receipt";

thread_local! {
    /// Receipts being sent now: never sent twice at once.
    static IN_FLIGHT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The queue, when the store could not keep it.
    static UNSTORED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Remembers the receipt of the current record (for « Télécharger ma preuve »);
/// without a store the download offers the receipt rebuilt from the record.
pub(crate) fn keep_current(json: &str) {
    let _ = storage::set(Area::Local, CURRENT, json);
}

/// The receipt of the current record, if this browser kept it.
pub(crate) fn current() -> Option<String> {
    storage::get(Area::Local, CURRENT).ok().flatten()
}

/// The receipts not yet accepted: the stored queue, and those the store refused.
fn pending() -> Vec<String> {
    let raw = storage::get(Area::Local, PENDING).ok().flatten();
    let mut list: Vec<String> = raw
        .and_then(|r| JSON::parse(&r).ok())
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    UNSTORED.with(|u| {
        for r in u.borrow().iter() {
            if !list.contains(r) {
                list.push(r.clone());
            }
        }
    });
    list
}

/// Keeps the queue in localStorage; when the store is missing or refuses (full,
/// blocked), the queue stays in this page's memory, so a receipt is still sent, from
/// this page at least: a failing store never loses one silently.
fn save(list: &[String]) {
    let stored = if list.is_empty() {
        storage::delete(Area::Local, PENDING)
    } else {
        let arr: Array = list.iter().map(|r| JsValue::from_str(r)).collect();
        match JSON::stringify(&arr) {
            Ok(text) => storage::set(Area::Local, PENDING, &String::from(text)),
            Err(_) => Err(storage::StoreError::Refused),
        }
    };
    UNSTORED.with(|u| {
        *u.borrow_mut() = match stored {
            Ok(()) => Vec::new(),
            Err(_) => list.to_vec(),
        }
    });
}

/// Queues a receipt until the endpoint accepts it.
pub(crate) fn enqueue(json: &str) {
    let mut list = pending();
    if !list.iter().any(|r| r == json) {
        list.push(json.to_owned());
        save(&list);
    }
}

/// Sends every queued receipt to `endpoint`; each one leaves the queue when the
/// endpoint answers 2xx, and stays for the next page otherwise.
pub(crate) fn flush(endpoint: &str) {
    for receipt in pending() {
        let fresh = IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            if f.contains(&receipt) {
                false
            } else {
                f.push(receipt.clone());
                true
            }
        });
        if !fresh {
            continue;
        }
        let endpoint = endpoint.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let accepted = send(&endpoint, &receipt).await;
            IN_FLIGHT.with(|f| f.borrow_mut().retain(|r| r != &receipt));
            if accepted {
                let mut list = pending();
                list.retain(|r| r != &receipt);
                save(&list);
            }
        });
    }
}

/// Sends every queued receipt and waits for the answers: on a signed-in page, a
/// decision this device made and could not deliver reaches the consent service before
/// the module asks it for the account's latest choice.
pub(crate) async fn flush_and_wait(endpoint: &str) {
    for receipt in pending() {
        if send(endpoint, &receipt).await {
            let mut list = pending();
            list.retain(|r| r != &receipt);
            save(&list);
        }
    }
}

/// How long a signed-in page waits for the account's choice; everything gated is held
/// meanwhile (the loader's 10 s limit is far).
pub(crate) const ACCOUNT_WAIT_MS: i32 = 3_000;

/// A signed-in account's latest record (its cookie value) from the consent service,
/// `GET {endpoint}/account/{id}` (CNIL 2025-131): `Ok(None)` when the account has no
/// choice there (404), `Err` (what went wrong) when the service did not answer in
/// [`ACCOUNT_WAIT_MS`] or answered something else.
pub(crate) async fn account_choice(endpoint: &str, id: &str) -> Result<Option<String>, String> {
    let url = format!("{}/account/{id}", endpoint.trim_end_matches('/'));
    let init = RequestInit::new();
    init.set_method("GET");
    let _ = js_sys::Reflect::set(&init, &"cache".into(), &"no-store".into());
    let fetched = window().fetch_with_str_and_init(&url, &init);
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ACCOUNT_WAIT_MS);
    });
    let first = JsFuture::from(js_sys::Promise::race(&Array::of2(&fetched, &timeout)))
        .await
        .map_err(|_| format!("{url} could not be reached"))?;
    let response = first
        .dyn_into::<Response>()
        .map_err(|_| format!("{url} did not answer within {ACCOUNT_WAIT_MS} ms"))?;
    match response.status() {
        404 => return Ok(None),
        200 => {}
        other => return Err(format!("{url} answered HTTP {other}")),
    }
    let body = match response.json() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    body.and_then(|b| js_sys::Reflect::get(&b, &"record".into()).ok())
        .and_then(|r| r.as_string())
        .map(Some)
        .ok_or_else(|| format!("{url} did not answer {{\"record\": …}}"))
}

async fn send(endpoint: &str, body: &str) -> bool {
    let init = RequestInit::new();
    init.set_method("POST");
    // keepalive: the request may outlive the page (a decision just before leaving).
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    init.set_body(&JsValue::from_str(body));
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    init.set_headers(&headers);
    let promise = window().fetch_with_str_and_init(endpoint, &init);
    match JsFuture::from(promise).await {
        Ok(r) => r.dyn_into::<Response>().map(|r| r.ok()).unwrap_or(false),
        Err(_) => false,
    }
}

/// Offers `json` to the person as a file named `name`.
pub(crate) fn download(name: &str, json: &str) {
    let doc = crate::env::document();
    let parts: Array = std::iter::once(JsValue::from_str(json)).collect();
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
                a.click();
            }
            a.remove();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
