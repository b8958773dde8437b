//! Room reserved under the first layer while it shows (issue 13: a short page must not
//! hide content the person cannot scroll clear of the banner). A spacer at the end of
//! the page as tall as the space the fixed layer takes at the bottom of the viewport, so
//! the page can always be scrolled until any of its content sits above the layer. On
//! the privacy page the layer is not fixed at all ([`is_privacy_page`]): it takes its
//! place at the top of the page and covers nothing, so the policy and its opt-out stay
//! readable and usable before any choice.
//!
//! The spacer's height is the one size Accord computes; it is set through the CSSOM
//! (`style.setProperty`), which a strict Content-Security-Policy allows (only style
//! attributes in markup are inline styles).

use crate::env::{document, window};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ResizeObserver};

/// The spacer and what keeps it the layer's size; dropping it removes both.
pub(super) struct Reserve {
    spacer: HtmlElement,
    observer: ResizeObserver,
    _on_resize: Closure<dyn Fn()>,
}

impl Reserve {
    /// Reserves room for `layer` (fixed at the bottom of the viewport) until dropped.
    pub(super) fn watch(layer: &Element) -> Option<Reserve> {
        let doc = document();
        let spacer = doc
            .create_element("div")
            .ok()?
            .dyn_into::<HtmlElement>()
            .ok()?;
        spacer.set_class_name("accord-reserve");
        let _ = spacer.set_attribute("aria-hidden", "true");
        doc.body()?.append_child(&spacer).ok()?;
        let (l, s) = (layer.clone(), spacer.clone());
        let on_resize = Closure::<dyn Fn()>::new(move || size(&l, &s));
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
        observer.observe(layer);
        size(layer, &spacer);
        Some(Reserve {
            spacer,
            observer,
            _on_resize: on_resize,
        })
    }
}

impl Drop for Reserve {
    fn drop(&mut self) {
        self.observer.disconnect();
        self.spacer.remove();
    }
}

/// The room the layer takes from the bottom of the viewport: its height and the gap
/// under it.
fn size(layer: &Element, spacer: &HtmlElement) {
    let r = layer.get_bounding_client_rect();
    let view = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    // Whole pixels, written as an integer: formatting an f64 would pull the float
    // printer into the wasm (about 11 KB before compression).
    let room = (view - r.top()).max(0.0).ceil() as i64;
    let _ = spacer.style().set_property("height", &format!("{room}px"));
}

/// Is this page the controller's privacy page (`controller.privacy_url`, resolved against
/// the page's address; the query and fragment do not count)?
pub(crate) fn is_privacy_page(privacy_url: &str) -> bool {
    if privacy_url.is_empty() {
        return false;
    }
    let Ok(here) = window().location().href() else {
        return false;
    };
    let (Ok(page), Ok(policy)) = (
        web_sys::Url::new(&here),
        web_sys::Url::new_with_base(privacy_url, &here),
    ) else {
        return false;
    };
    page.origin() == policy.origin() && page.pathname() == policy.pathname()
}
