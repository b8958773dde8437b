//! The reopen control, on every page once a choice exists, in plain DOM (no UI
//! framework on a returning visitor's pages). It floats in the bottom-left corner and
//! steps aside for the keyboard focus (WCAG 2.2, 2.4.11): when the focused element is
//! under it, it moves to the bottom-right corner, else to the top-left one.

use super::banner::text;
use accord_core::lang::Lang;
use accord_core::notice::words;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

const ASIDE: &str = "accord-reopen-aside";
const TOP: &str = "accord-reopen-top";

/// The « Gérer mes cookies » button (the host places it and answers its click).
pub(super) fn render(lang: Lang) -> Option<HtmlElement> {
    text(
        "button",
        &[("type", "button"), ("class", "accord-reopen")],
        words(lang).manage,
    )
    .dyn_into::<HtmlElement>()
    .ok()
}

/// Puts `button` in the first corner where it does not cover `focused`.
pub(super) fn step_aside(button: &HtmlElement, focused: Option<&Element>) {
    let list = button.class_list();
    let _ = list.remove_2(ASIDE, TOP);
    let Some(f) = focused.filter(|f| !button.contains(Some(f))) else {
        return;
    };
    let covers = || {
        let (b, r) = (
            button.get_bounding_client_rect(),
            f.get_bounding_client_rect(),
        );
        b.left() < r.right() && r.left() < b.right() && b.top() < r.bottom() && r.top() < b.bottom()
    };
    for corner in [ASIDE, TOP] {
        if !covers() {
            return;
        }
        let _ = list.remove_2(ASIDE, TOP);
        let _ = list.add_1(corner);
    }
}
