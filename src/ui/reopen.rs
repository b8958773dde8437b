//! The reopen control, on every page once a choice exists. It floats in the bottom-left
//! corner and steps aside for the keyboard focus (WCAG 2.2, 2.4.11): when the focused
//! element is under it, it moves to the bottom-right corner, else to the top-left one.

use super::Ctx;
use crate::env::document;
use accord_core::dialog::Action;
use accord_core::notice::words;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct ReopenProps {
    pub button: NodeRef,
}

const ASIDE: &str = "accord-reopen-aside";
const TOP: &str = "accord-reopen-top";

#[function_component]
pub(super) fn Reopen(p: &ReopenProps) -> Html {
    let ctx = use_context::<Ctx>();
    {
        let button = p.button.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&document(), "focusin", move |e: &Event| {
                if let Some(b) = button.cast::<Element>() {
                    let focused = e.target().and_then(|t| t.dyn_into::<Element>().ok());
                    step_aside(&b, focused.as_ref());
                }
            });
            move || drop(listener)
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    html! {
        <button type="button" class="accord-reopen" ref={p.button.clone()} onclick={ctx.on(Action::Open)}>
            { words(ctx.session.0.lang).manage }
        </button>
    }
}

/// Puts `button` in the first corner where it does not cover `focused`.
fn step_aside(button: &Element, focused: Option<&Element>) {
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
