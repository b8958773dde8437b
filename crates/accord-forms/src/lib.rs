//! Accord's forms module (SPEC §7; CNIL NS 56): the prospection block with its
//! information notice and the `accord_prospection` payload, the opt-in that unlocks each
//! sensitive field, and the internal-code guard.
//!
//! The page's module (the crate `accord`) fetches it only on a page that has a
//! `data-accord-form`, a `data-accord-sensitive` or a `data-accord-guard` element
//! (issue 15), and calls [`start`] with a bridge, a plain JS object:
//!
//! | field | what |
//! |---|---|
//! | `json` | the config as the page's `JSON.parse` made it, already validated by the page's module |
//! | `lang` | the page's language code (`fr`, `en`) |
//! | `error(code, message)` | raises `accord:error` through the page's module (which keeps it for late listeners) |
//!
//! The config was validated whole by the page's module; this module reads again only
//! the sections the forms use (the policy version, the controller, the prospection
//! block, the internal-code shapes), with the core's own section checkers
//! (`config::FormsConfig`): the same values, without the rest of the validator.

#[cfg(target_arch = "wasm32")]
mod forms;

#[cfg(target_arch = "wasm32")]
pub use exports::{module, start};

#[cfg(target_arch = "wasm32")]
pub(crate) use accord_web::{elements, now};
#[cfg(target_arch = "wasm32")]
pub(crate) use exports::{document, report};

#[cfg(target_arch = "wasm32")]
mod exports {
    use accord_core::config::FormsConfig;
    use accord_core::lang::Lang;
    use accord_core::rules::ErrorCode;
    use js_sys::{Function, Reflect};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::Document;

    thread_local! {
        /// The bridge's `error(code, message)`.
        static ERROR: RefCell<Option<Function>> = const { RefCell::new(None) };
    }

    /// Renders every form block, sensitive opt-in and guard of the page. Fails, naming
    /// what is wrong, on a bridge or a config it cannot read (the page's module then
    /// keeps the fields closed).
    #[wasm_bindgen]
    pub fn start(bridge: JsValue) -> Result<(), JsValue> {
        let field = |name: &str| Reflect::get(&bridge, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let error = field("error")
            .dyn_into::<Function>()
            .map_err(|_| JsValue::from_str("the forms bridge has no function \"error\""))?;
        ERROR.with(|e| *e.borrow_mut() = Some(error));
        let lang = field("lang")
            .as_string()
            .and_then(|l| Lang::from_code(&l))
            .ok_or("the forms bridge's \"lang\" is not a language the widget speaks")?;
        let config = accord_web::json_of(&field("json"), 0)
            .and_then(|doc| FormsConfig::from_json(&doc).ok())
            .ok_or("the forms bridge's \"json\" is not a valid config")?;
        crate::forms::render(&config, lang);
        Ok(())
    }

    /// [`start`] as a one-export object, as the page's module gets it from the module's
    /// namespace: tests link this crate into their own wasm and hand this over.
    pub fn module() -> JsValue {
        let m = js_sys::Object::new();
        let start = Closure::<dyn Fn(JsValue) -> Result<(), JsValue>>::new(start);
        let _ = Reflect::set(&m, &"start".into(), &start.into_js_value());
        m.into()
    }

    /// An error for the page (`accord:error`), through the page's module.
    pub(crate) fn report(code: ErrorCode, message: &str) {
        ERROR.with(|e| {
            if let Some(f) = e.borrow().as_ref() {
                let _ = f.call2(&JsValue::NULL, &code.name().into(), &message.into());
            }
        });
    }

    pub(crate) fn document() -> Document {
        web_sys::window()
            .and_then(|w| w.document())
            .expect("Accord runs in a document")
    }
}
