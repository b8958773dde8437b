//! Focus: into the dialog when it opens, kept inside a modal dialog, back to the page
//! when it closes.

use crate::env::{document, elements};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

pub(super) fn active() -> Option<HtmlElement> {
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

pub(super) fn focus(el: &HtmlElement) {
    let _ = el.focus();
}

/// The focusable elements inside `root`, in tab order (document order).
pub(super) fn focusables(root: &Element) -> Vec<HtmlElement> {
    elements(root.query_selector_all(FOCUSABLE))
}

/// Keeps Tab and Shift+Tab inside `root`. Returns true when it moved the focus.
pub(super) fn trap(root: &Element, shift: bool) -> bool {
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return false;
    };
    let current = active();
    let inside = current
        .as_ref()
        .map(|c| root.contains(Some(c)))
        .unwrap_or(false);
    let target = match (&current, shift) {
        (_, _) if !inside => Some(first),
        (Some(c), true) if c == first || c.is_same_node(Some(root)) => Some(last),
        (Some(c), false) if c == last => Some(first),
        _ => None,
    };
    match target {
        Some(t) => {
            focus(t);
            true
        }
        None => false,
    }
}

/// Is `el` still in the document and worth returning to?
pub(super) fn usable(el: &HtmlElement) -> bool {
    el.is_connected()
        && document()
            .body()
            .map(|b| !b.is_same_node(Some(el)))
            .unwrap_or(true)
}
