//! Held embedded content (a tagged `<iframe>` whose purpose is not granted) shows, in
//! its place and at its size, a placeholder naming the vendor and the purpose, saying
//! that showing it lets the vendor set trackers, with one button that grants the
//! purpose. The placeholder makes no request to the vendor.

use super::env::{document, elements};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

const FRAME: &str = "accord-frame";
const PLACEHOLDER: &str = "accord-placeholder";

/// The words of one placeholder, already in the page's language.
pub struct Words {
    pub title: String,
    pub text: String,
    pub button: String,
}

/// The held tagged iframes, in document order, with their purpose and `data-src`.
pub fn frames() -> Vec<(Element, String, String)> {
    elements::<Element>(document().query_selector_all("iframe[data-accord-purpose][data-src]"))
        .into_iter()
        .map(|el| {
            let p = el.get_attribute("data-accord-purpose").unwrap_or_default();
            let src = el.get_attribute("data-src").unwrap_or_default();
            (el, p, src)
        })
        .collect()
}

fn wrapper(el: &Element) -> Option<Element> {
    el.parent_element()
        .filter(|p| p.class_list().contains(FRAME))
}

/// Removes the placeholder of `el`, if any (its purpose is granted).
pub fn remove(el: &Element) {
    if let Some(w) = wrapper(el) {
        if let Ok(Some(p)) = w.query_selector(&format!(":scope > .{PLACEHOLDER}")) {
            p.remove();
        }
    }
}

/// Puts a placeholder over `el` unless it has one. `allow` runs on the button.
pub fn show(el: &Element, words: &Words, allow: impl Fn() + 'static) {
    let doc = document();
    let w = match wrapper(el) {
        Some(w) => w,
        None => {
            let Ok(w) = doc.create_element("span") else {
                return;
            };
            w.set_class_name(&format!("accord {FRAME}"));
            let Some(parent) = el.parent_node() else {
                return;
            };
            if parent.insert_before(&w, Some(el)).is_err() || w.append_child(el).is_err() {
                return;
            }
            w
        }
    };
    if let Ok(Some(_)) = w.query_selector(&format!(":scope > .{PLACEHOLDER}")) {
        return;
    }
    let build = || -> Result<Element, JsValue> {
        let p = doc.create_element("div")?;
        p.set_class_name(PLACEHOLDER);
        p.set_attribute("role", "group")?;
        let title = doc.create_element("p")?;
        title.set_class_name("accord-placeholder-title");
        title.set_text_content(Some(&words.title));
        let text = doc.create_element("p")?;
        text.set_text_content(Some(&words.text));
        let button = doc.create_element("button")?;
        button.set_attribute("type", "button")?;
        button.set_class_name("accord-btn");
        button.set_text_content(Some(&words.button));
        let click = Closure::<dyn Fn()>::new(allow).into_js_value();
        button.add_event_listener_with_callback("click", click.unchecked_ref())?;
        p.append_child(&title)?;
        p.append_child(&text)?;
        p.append_child(&button)?;
        w.append_child(&p)?;
        Ok(p)
    };
    let _ = build();
}
