//! The page's clock, randomness and language: the inputs the core takes as arguments.

use web_sys::{Document, Window};

pub(crate) fn window() -> Window {
    web_sys::window().expect("Accord runs in a window")
}

pub(crate) fn document() -> Document {
    window().document().expect("Accord runs in a document")
}

pub(crate) use accord_web::{elements, now};

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

/// An error's message: a JS `Error`'s, or the value itself when it is a string.
pub(crate) fn js_message(e: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
