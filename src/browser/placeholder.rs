//! Held embedded content (a tagged `<iframe>` whose purpose is not granted) shows, in
//! its place and at its size, a placeholder naming the vendor and the purpose, saying
//! that showing it lets the vendor set trackers, with one button that grants the
//! purpose. The placeholder makes no request to the vendor.
//!
//! "In its place and at its size" (SPEC §5): the held frame stays in the page, empty,
//! sized as the site sized it (attributes or CSS, aspect ratio included), inside a
//! wrapper that takes exactly the frame's box, and the placeholder covers the wrapper.
//! A frame whose width does not depend on its container (`width="320"`, `width: 400px`)
//! gets a wrapper that shrinks to it ([`FIT`]: inline-block, or a fit-content block for
//! a block frame), whose line height is zero so that no text line adds height under an
//! inline frame; a fluid one (`width: 100%`, `width="50%"`) a block wrapper as wide as
//! the line, over which the placeholder follows the frame's own box as it resizes
//! ([`follow`]).
//! When the purpose is granted the frame loads where it already is: nothing moves.

use crate::env::{document, elements};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ResizeObserver};

const FRAME: &str = "accord-frame";
const PLACEHOLDER: &str = "accord-placeholder";
/// The wrapper of a frame whose width does not depend on its container.
const FIT: &str = "accord-frame-fit";
/// The same for a frame the site displays as a block.
const FIT_BLOCK: &str = "accord-frame-fit-block";

/// The words of one placeholder, already in the page's language.
pub(crate) struct Words {
    pub title: String,
    pub text: String,
    pub button: String,
}

/// The held tagged iframes, in document order, with their purpose and `data-src`.
pub(crate) fn frames() -> Vec<(Element, String, String)> {
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
pub(crate) fn remove(el: &Element) {
    if let Some(w) = wrapper(el) {
        if let Ok(Some(p)) = w.query_selector(&format!(":scope > .{PLACEHOLDER}")) {
            p.remove();
        }
    }
}

/// Puts a placeholder over `el` unless it has one. `allow` runs on the button.
pub(crate) fn show(el: &Element, words: &Words, allow: impl Fn() + 'static) {
    let doc = document();
    let w = match wrapper(el) {
        Some(w) => w,
        None => {
            let Ok(w) = doc.create_element("span") else {
                return;
            };
            w.set_class_name(FRAME);
            let Some(parent) = el.parent_node() else {
                return;
            };
            let block = crate::env::window()
                .get_computed_style(el)
                .ok()
                .flatten()
                .and_then(|cs| cs.get_property_value("display").ok())
                .is_some_and(|d| d != "inline" && d != "inline-block");
            if parent.insert_before(&w, Some(el)).is_err() || w.append_child(el).is_err() {
                return;
            }
            fit(&w, el, if block { FIT_BLOCK } else { FIT });
            w
        }
    };
    if let Ok(Some(_)) = w.query_selector(&format!(":scope > .{PLACEHOLDER}")) {
        return;
    }
    let build = || -> Result<Element, JsValue> {
        let p = doc.create_element("div")?;
        p.set_class_name(&format!("accord {PLACEHOLDER}"));
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
        if !w.class_list().contains(FIT) && !w.class_list().contains(FIT_BLOCK) {
            follow(&p, el);
        }
        Ok(p)
    };
    let _ = build();
}

/// Shrinks the wrapper `w` to the frame `el` (class `fit`) unless the frame's width
/// follows its container: measured in the block wrapper, then in the shrunk one; a
/// fluid frame is narrower once shrunk, and keeps the block wrapper.
fn fit(w: &Element, el: &Element, fit: &str) {
    let fluid_width = el.get_bounding_client_rect().width();
    let _ = w.class_list().add_1(fit);
    let fit_width = el.get_bounding_client_rect().width();
    if (fluid_width - fit_width).abs() > 0.5 {
        let _ = w.class_list().remove_1(fit);
    }
}

/// Keeps the placeholder `p` on the frame's own box inside a block wrapper (a fluid
/// frame may be narrower than its line), for as long as the placeholder is in the page.
/// Sizes are set through the CSSOM, which a strict CSP allows.
fn follow(p: &Element, frame: &Element) {
    let (Ok(p), Ok(f)) = (
        p.clone().dyn_into::<HtmlElement>(),
        frame.clone().dyn_into::<HtmlElement>(),
    ) else {
        return;
    };
    let place = move |p: &HtmlElement| {
        let r = f.get_bounding_client_rect();
        let st = p.style();
        for (k, v) in [
            ("left", f.offset_left() as f64),
            ("top", f.offset_top() as f64),
            ("width", r.width()),
            ("height", r.height()),
        ] {
            let _ = st.set_property(k, &px(v));
        }
    };
    let _ = p.class_list().add_1("accord-placeholder-follow");
    place(&p);
    let target = p.clone();
    let on_resize = Closure::<dyn Fn(JsValue, ResizeObserver)>::new(
        move |_: JsValue, observer: ResizeObserver| {
            if target.is_connected() {
                place(&target);
            } else {
                observer.disconnect();
            }
        },
    )
    .into_js_value();
    if let Ok(observer) = ResizeObserver::new(on_resize.unchecked_ref()) {
        observer.observe(frame);
    }
}

/// `v` in CSS pixels to the hundredth (`12.5px`), written with integers: formatting an
/// f64 would pull the float printer into the wasm (about 11 KB before compression).
fn px(v: f64) -> String {
    let hundredths = (v * 100.0).round() as i64;
    let (sign, n) = if hundredths < 0 {
        ("-", -hundredths)
    } else {
        ("", hundredths)
    };
    match n % 100 {
        0 => format!("{sign}{}px", n / 100),
        f => format!("{sign}{}.{f:02}px", n / 100),
    }
}
