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
    PAST.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < MAX_PAST {
            p.push(detail.clone().into());
        }
    });
    emit("error", &detail);
}

/// How many past errors a late `Accord.on("error", cb)` is told of.
const MAX_PAST: usize = 32;

thread_local! {
    /// The details of the errors raised so far, for a listener that comes late.
    static PAST: std::cell::RefCell<Vec<JsValue>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The details of the errors raised so far (at most [`MAX_PAST`]), oldest first.
pub(crate) fn past_errors() -> Vec<JsValue> {
    PAST.with(|p| p.borrow().clone())
}
