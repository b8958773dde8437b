//! What Accord's wasm modules share at the page's edge: the config as `JSON.parse` made
//! it, read into the core's [`Json`] with js-sys ([`json_of`]). The page's module
//! validates it at boot; the forms module validates the same value again when a page has
//! a form (issue 15: the forms are fetched only there), so both read it one way. Also
//! what both read from the page the same way: a `querySelectorAll` answer as elements
//! ([`elements`]), and the clock ([`now`]). And the memory allocator of every module.

/// The modules' memory allocator: Talc, not the standard library's dlmalloc, in all
/// three modules (each links this crate). Same job (a general allocator that frees and
/// coalesces, growing the wasm memory as needed), 1.4 KB of code instead of 7.5 KB:
/// 2.0 KB brotli off the page's module, 2.1 KB off the forms module (issue 15).
/// Defined once, here: a wasm with two modules linked in (the browser tests) must have
/// one allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
pub use wasm::{elements, json_of, now, MAX_DEPTH};

#[cfg(target_arch = "wasm32")]
mod wasm {
    use accord_core::calendar::Timestamp;
    use accord_core::json::Json;
    use wasm_bindgen::{JsCast, JsValue};

    /// The elements of a `querySelectorAll` answer, in document order (none on error).
    pub fn elements<T: JsCast>(list: Result<web_sys::NodeList, JsValue>) -> Vec<T> {
        let Ok(list) = list else { return Vec::new() };
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<T>().ok()))
            .collect()
    }

    /// Now, in Unix seconds, from the page's clock (the core takes time as an argument).
    pub fn now() -> Timestamp {
        (js_sys::Date::now() / 1000.0).floor() as Timestamp
    }

    /// How deep a config may nest (serde_json's own limit): deeper is not JSON data.
    pub const MAX_DEPTH: usize = 128;

    /// A value `JSON.parse` made, as the core's [`Json`]; `None` when it is not JSON
    /// data (a function, `undefined`, a symbol) or nests deeper than [`MAX_DEPTH`]
    /// (`depth` is where `v` sits: 0 for the config itself). Read directly with js-sys
    /// rather than through a serde deserializer, whose error messages alone cost a
    /// module Rust's float printer.
    pub fn json_of(v: &JsValue, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(if v.is_null() {
            Json::Null
        } else if let Some(b) = v.as_bool() {
            Json::Bool(b)
        } else if let Some(n) = v.as_f64() {
            Json::Num(n) // `1e999` parses as Infinity: the validator names it out of range
        } else if let Some(t) = v.as_string() {
            Json::Str(t)
        } else if js_sys::Array::is_array(v) {
            let list = js_sys::Array::from(v);
            let mut out = Vec::with_capacity(list.length() as usize);
            for item in list.iter() {
                out.push(json_of(&item, depth + 1)?);
            }
            Json::Arr(out)
        } else if v.is_object() && !v.is_function() {
            let mut out = Vec::new();
            for pair in js_sys::Object::entries(v.unchecked_ref()).iter() {
                let pair = js_sys::Array::from(&pair);
                out.push((pair.get(0).as_string()?, json_of(&pair.get(1), depth + 1)?));
            }
            Json::Obj(out)
        } else {
            return None;
        })
    }
}
