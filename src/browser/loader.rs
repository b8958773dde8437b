//! The loader's boot object (`window.Accord._boot`, `B` in `www/accord.js`): the one
//! place the module reaches into it, through the typed bindings below. Each binding is
//! a field of the JSDoc `@typedef AccordBoot` at the top of `www/accord.js`; a field
//! added there gets its binding here, and nowhere else names one. The module keeps the
//! object once attached, calls the loader's functions on it (`ready`, `changed`,
//! `hold`, `abort`, `args`), installs its answers on it (`browser::guard`), and reads
//! and writes the jar through the loader's untouched `document.cookie` accessor
//! (`cookieDesc`), which the page's code cannot replace.

use crate::env;
use js_sys::Function;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `AccordBoot`: the loader's boot object.
    #[derive(Clone)]
    pub(crate) type Boot;

    /// `config`: the config request (a promise of a `Response`), or null without
    /// `data-config`.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn config(this: &Boot) -> JsValue;
    /// `css`: settles when `accord.css` has loaded (or failed).
    #[wasm_bindgen(method, getter)]
    pub(crate) fn css(this: &Boot) -> JsValue;
    /// `queue`: the `window.Accord` calls made before the module was ready, as
    /// `[name, args]` pairs.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn queue(this: &Boot) -> JsValue;
    /// `violations`: what a server-sent CSP blocked, from the first byte.
    #[wasm_bindgen(method, getter)]
    pub(crate) fn violations(this: &Boot) -> JsValue;
    /// `cookieDesc`: the untouched `document.cookie` property descriptor.
    #[wasm_bindgen(method, getter, js_name = cookieDesc)]
    fn cookie_desc(this: &Boot) -> CookieAccessor;

    /// `ready()`: the module answers from now on; false when the loader has already
    /// failed closed.
    #[wasm_bindgen(method, catch, js_name = ready)]
    fn ready_(this: &Boot) -> Result<JsValue, JsValue>;
    /// `changed()`: the answers may have changed; what is held is asked again.
    #[wasm_bindgen(method, catch, js_name = changed)]
    fn changed_(this: &Boot) -> Result<JsValue, JsValue>;
    /// `hold()`: the module stops answering; everything is held again until a module
    /// calls `ready()`.
    #[wasm_bindgen(method, catch, js_name = hold)]
    fn hold_(this: &Boot) -> Result<JsValue, JsValue>;
    /// `abort()`: fail closed for good.
    #[wasm_bindgen(method, catch, js_name = abort)]
    fn abort_(this: &Boot) -> Result<JsValue, JsValue>;
    /// `load(name)`: imports `accord_<name>.js` next to `accord.js` and instantiates
    /// `accord_<name>_bg.wasm`; a promise of the module's exports.
    #[wasm_bindgen(method, catch, js_name = load)]
    fn load_(this: &Boot, name: &str) -> Result<js_sys::Promise, JsValue>;
    /// `args(...)`: a gtag command (an `Arguments` object), as Consent Mode reads it.
    #[wasm_bindgen(method, catch, js_name = args)]
    fn args_(this: &Boot, a: &str, b: &str, values: &JsValue) -> Result<JsValue, JsValue>;

    /// `ask(kind, url)`: 0 allow, 1 hold, 2 block.
    #[wasm_bindgen(method, setter = ask)]
    pub(crate) fn set_ask(this: &Boot, f: &Closure<dyn Fn(String, String) -> u8>);
    /// `askText(kind, text)`: the most restricted answer of the URLs a text names.
    #[wasm_bindgen(method, setter = askText)]
    pub(crate) fn set_ask_text(this: &Boot, f: &Closure<dyn Fn(String, String) -> u8>);
    /// `ice(servers)`: the ICE servers that may be used.
    #[wasm_bindgen(method, setter = ice)]
    pub(crate) fn set_ice(this: &Boot, f: &Closure<dyn Fn(JsValue) -> JsValue>);
    /// `cookieText(a, b)`: a `cookieStore.set` call as a cookie string.
    #[wasm_bindgen(method, setter = cookieText)]
    pub(crate) fn set_cookie_text(this: &Boot, f: &Closure<dyn Fn(JsValue, JsValue) -> String>);
    /// `cookieSet(text)`: the string to write (clamped), or 1 hold, 2 block.
    #[wasm_bindgen(method, setter = cookieSet)]
    pub(crate) fn set_cookie_set(this: &Boot, f: &Closure<dyn Fn(String) -> JsValue>);
    /// `cookieGet(raw)`: the jar as the page may read it.
    #[wasm_bindgen(method, setter = cookieGet)]
    pub(crate) fn set_cookie_get(this: &Boot, f: &Closure<dyn Fn(String) -> String>);
    /// `cookieSeen(name)`: may the page see this cookie?
    #[wasm_bindgen(method, setter = cookieSeen)]
    pub(crate) fn set_cookie_seen(this: &Boot, f: &Closure<dyn Fn(String) -> bool>);
    /// `stored(kind, name, stack)`: a storage write, with the call stack: 0 or 2.
    #[wasm_bindgen(method, setter = stored)]
    pub(crate) fn set_stored(this: &Boot, f: &Closure<dyn Fn(String, String, String) -> u8>);

    /// A property descriptor's accessor pair.
    type CookieAccessor;
    #[wasm_bindgen(method, getter, js_name = get)]
    fn getter(this: &CookieAccessor) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = set)]
    fn setter(this: &CookieAccessor) -> JsValue;
}

thread_local! {
    static BOOT: RefCell<Option<Boot>> = const { RefCell::new(None) };
}

/// The boot object the loader left on `window.Accord` (`accord`), if a loader ran.
pub(crate) fn find(accord: &JsValue) -> Option<Boot> {
    js_sys::Reflect::get(accord, &"_boot".into())
        .ok()
        .filter(JsValue::is_object)
        .map(JsCast::unchecked_into)
}

/// The attached boot object, if any (none on a test page without the loader).
pub(crate) fn current() -> Option<Boot> {
    BOOT.with(|b| b.borrow().clone())
}

/// Keeps the loader's boot object, so that the jar is read and written through its
/// untouched accessor from now on (`raw_cookie`).
pub(crate) fn attach(boot: &Boot) {
    BOOT.with(|b| *b.borrow_mut() = Some(boot.clone()));
}

/// The module answers from now on. False when the loader has already failed closed
/// (too late, or refused): then nothing may run.
pub(crate) fn ready(boot: &Boot) -> bool {
    boot.ready_().map_or(true, |v| v.as_bool() != Some(false))
}

/// The answers may have changed: the loader asks again what it holds.
pub(crate) fn changed() {
    if let Some(b) = current() {
        let _ = b.changed_();
    }
}

/// The module stops answering: the loader holds everything again.
pub(crate) fn hold(boot: &Boot) {
    let _ = boot.hold_();
}

/// A promise of the exports of the module `name` (`dist/accord/accord_<name>.js` and
/// its wasm),
/// loaded as the loader loads the page's module.
pub(crate) fn load(boot: &Boot, name: &str) -> js_sys::Promise {
    boot.load_(name)
        .unwrap_or_else(|e| js_sys::Promise::reject(&e))
}

/// The config was refused: the loader drops everything it holds, for good.
pub(crate) fn abort(boot: &Boot) {
    let _ = boot.abort_();
}

/// A gtag command as the loader makes them (`B.args`): `consent`, `kind`, `values`.
pub(crate) fn gtag_command(kind: &str, values: &JsValue) -> Option<JsValue> {
    current()?.args_("consent", kind, values).ok()
}

/// Reads (`None`) or writes the jar through the loader's untouched `document.cookie`
/// accessor (`B.cookieDesc`), when the loader runs.
pub(crate) fn raw_cookie(set: Option<&str>) -> Option<String> {
    let desc = current()?.cookie_desc();
    let doc: JsValue = env::document().into();
    let v = match set {
        Some(s) => desc
            .setter()
            .dyn_into::<Function>()
            .ok()?
            .call1(&doc, &JsValue::from_str(s))
            .ok()?,
        None => desc
            .getter()
            .dyn_into::<Function>()
            .ok()?
            .call0(&doc)
            .ok()?,
    };
    Some(v.as_string().unwrap_or_default())
}
