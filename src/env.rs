//! The page's clock, randomness and language: the inputs the core takes as arguments.

use accord_core::calendar::Timestamp;
use wasm_bindgen::JsCast;
use web_sys::{Document, Window};

pub(crate) fn window() -> Window {
    web_sys::window().expect("Accord runs in a window")
}

pub(crate) fn document() -> Document {
    window().document().expect("Accord runs in a document")
}

/// The elements of a `querySelectorAll` answer, in document order (none on error).
pub(crate) fn elements<T: JsCast>(
    list: Result<web_sys::NodeList, wasm_bindgen::JsValue>,
) -> Vec<T> {
    let Ok(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<T>().ok()))
        .collect()
}

/// Now, in Unix seconds, from the page's clock.
pub(crate) fn now() -> Timestamp {
    (js_sys::Date::now() / 1000.0).floor() as Timestamp
}

/// 16 random bytes from `crypto.getRandomValues`; `None` if the browser refuses.
pub(crate) fn random_bytes() -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    let crypto = window().crypto().ok()?;
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// The `lang` of the page's root element, if any.
pub(crate) fn page_lang() -> Option<String> {
    document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty())
}

/// Does the browser send Global Privacy Control (`navigator.globalPrivacyControl`)?
pub(crate) fn gpc() -> bool {
    js_sys::Reflect::get(&window().navigator(), &"globalPrivacyControl".into())
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false)
}

/// A value as the plain JS data a page (or the dialogs module) reads: objects, arrays,
/// strings, numbers, `null` (`JSON.stringify` would give the same text).
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> wasm_bindgen::JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(wasm_bindgen::JsValue::NULL)
}
