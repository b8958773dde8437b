//! The `accord:*` DOM events on `document`, and the one console line per error.

use crate::env::document;
use accord_core::rules::ErrorCode;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

pub(crate) fn emit(name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(ev) = CustomEvent::new_with_event_init_dict(&format!("accord:{name}"), &init) {
        let _ = document().dispatch_event(&ev);
    }
}

/// Logs `Accord CODE: message` once on the console and fires `accord:error`
/// with `{code, message, errors}`.
pub(crate) fn error(code: ErrorCode, message: &str, errors: &[String]) {
    let code = code.name();
    web_sys::console::error_1(&JsValue::from_str(&format!("Accord {code}: {message}")));
    let detail = js_sys::Object::new();
    let list = js_sys::Array::new();
    for e in errors {
        list.push(&JsValue::from_str(e));
    }
    let _ = js_sys::Reflect::set(&detail, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&detail, &"message".into(), &message.into());
    let _ = js_sys::Reflect::set(&detail, &"errors".into(), &list);
    emit("error", &detail);
}
