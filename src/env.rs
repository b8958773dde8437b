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
/// strings, numbers, `null`: its JSON text (`core::json::ToJson`, written by hand)
/// through `JSON.parse`. No serde serializer in the wasm (issue 15).
pub(crate) fn to_js<T: accord_core::json::ToJson + ?Sized>(value: &T) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&value.to_json()).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// Calls the export `name` of a module fetched on demand (`m`, its exports): why it
/// failed, if it is missing (a module of another version) or throws (one that trapped).
pub(crate) fn call_export(
    m: &wasm_bindgen::JsValue,
    name: &str,
    args: &[&wasm_bindgen::JsValue],
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(m, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("it has no {name} function"))?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    f.apply(&wasm_bindgen::JsValue::NULL, &list)
        .map(drop)
        .map_err(|e| js_message(&e))
}

/// An error's message: a JS `Error`'s, or the value itself when it is a string.
pub(crate) fn js_message(e: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
