//! The opt-out control the page places with `<div data-accord-optout="audience">`
//! (SPEC §6), and the one click listener that acts for it and for the preferences'
//! opt-out button. Plain DOM: it shows on the privacy page without the dialog.
//!
//! The listener is on `window` in the capture phase, installed before any gated tag
//! runs: the opt-out takes effect before the audience tool's own click listeners see
//! the click, so the click itself sends it nothing.

use crate::env::{document, elements, window};
use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// The attribute the page puts on its container; its value is a purpose id.
pub(crate) const CONTAINER: &str = "data-accord-optout";
/// The attribute on every opt-out button (page and preferences); its value is a purpose id.
pub(crate) const TOGGLE: &str = "data-accord-optout-toggle";

/// What one control shows.
pub(crate) struct View {
    /// The state, in words (a live status line).
    pub state: String,
    pub button: String,
    /// The purpose cannot be objected to here: no button, `state` says what to do.
    pub unavailable: bool,
}

/// Every container on the page with its purpose id.
pub(crate) fn containers() -> Vec<(Element, String)> {
    elements::<Element>(document().query_selector_all(&format!("[{CONTAINER}]")))
        .into_iter()
        .map(|el| {
            let id = el
                .get_attribute(CONTAINER)
                .unwrap_or_default()
                .trim()
                .to_owned();
            (el, id)
        })
        .collect()
}

/// Fills `el` with the control, or updates it in place (focus stays on the button).
pub(crate) fn render(el: &Element, purpose: &str, view: &View) {
    let doc = document();
    let state = match el.query_selector(".accord-optout-state").ok().flatten() {
        Some(p) => p,
        None => {
            el.set_text_content(None);
            let _ = el.class_list().add_2("accord", "accord-optout");
            let Ok(p) = doc.create_element("p") else {
                return;
            };
            p.set_class_name("accord-optout-state");
            let _ = p.set_attribute("role", "status");
            let _ = p.set_attribute("id", &format!("accord-optout-state-{purpose}"));
            let _ = el.append_child(&p);
            p
        }
    };
    state.set_text_content(Some(&view.state));
    let button = el.query_selector(&format!("[{TOGGLE}]")).ok().flatten();
    match (button, view.unavailable) {
        (Some(b), true) => b.remove(),
        (Some(b), false) => b.set_text_content(Some(&view.button)),
        (None, true) => {}
        (None, false) => {
            let Ok(b) = doc.create_element("button") else {
                return;
            };
            let _ = b.set_attribute("type", "button");
            b.set_class_name("accord-btn accord-optout-btn");
            let _ = b.set_attribute(TOGGLE, purpose);
            let _ = b.set_attribute(
                "aria-describedby",
                &format!("accord-optout-state-{purpose}"),
            );
            b.set_text_content(Some(&view.button));
            let _ = el.append_child(&b);
        }
    }
}

/// The purpose of the opt-out button an event went through, if any.
fn toggled(e: &Event) -> Option<String> {
    e.composed_path().iter().find_map(|n| {
        n.dyn_into::<Element>()
            .ok()
            .and_then(|el| el.get_attribute(TOGGLE))
    })
}

/// Listens, for as long as the returned value lives, to clicks on opt-out buttons.
pub(crate) struct Listener {
    _clicks: EventListener,
}

impl Listener {
    pub(crate) fn start(on_toggle: impl Fn(&str) + 'static) -> Option<Listener> {
        // Capture phase, on the window: before any listener of the page or a vendor.
        let options = EventListenerOptions {
            phase: EventListenerPhase::Capture,
            passive: false,
        };
        let f = EventListener::new_with_options(&window(), "click", options, move |e: &Event| {
            if let Some(p) = toggled(e) {
                on_toggle(p.trim());
            }
        });
        Some(Listener { _clicks: f })
    }
}
