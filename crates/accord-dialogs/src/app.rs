//! The root component: which of the two layers shows, as the page's module says.

use crate::bridge::BridgeRef;
use crate::partners::Partners;
use crate::prefs::Preferences;
use accord_core::dialog::Action;
use accord_core::notice::Block;
use yew::prelude::*;

/// What the page's module asked to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    Hidden,
    Prefs,
    /// The partner list; `modal` when opened from the preferences.
    Partners {
        modal: bool,
    },
}

impl Shown {
    /// The layer a name stands for (`accord_core::dialog::Layer` as the page's module
    /// names it); anything else hides.
    pub(crate) fn named(name: &str) -> Shown {
        match name {
            "prefs" => Shown::Prefs,
            "partners" => Shown::Partners { modal: false },
            "partners-modal" => Shown::Partners { modal: true },
            _ => Shown::Hidden,
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub(crate) struct AppProps {
    pub bridge: BridgeRef,
    pub shown: Shown,
    /// Changes each time a layer is newly opened, even when two openings reach Yew in
    /// one render (`Accord.acceptAll(); Accord.open()`): the layer starts afresh and
    /// the page's module is told it is shown.
    pub opened: u32,
    /// Changes at every `show`: the choice shown is read again (an opt-out acted).
    pub generation: u32,
}

#[function_component]
pub(crate) fn App(p: &AppProps) -> Html {
    // The page's module moves the focus once a newly opened layer is in the page.
    {
        let bridge = p.bridge.clone();
        use_effect_with((p.shown, p.opened), move |(shown, _)| {
            if *shown != Shown::Hidden {
                bridge.0.shown();
            }
            || ()
        });
    }
    match p.shown {
        Shown::Hidden => html! {},
        Shown::Prefs => html! {
            <Preferences key={p.opened} bridge={p.bridge.clone()} generation={p.generation} />
        },
        Shown::Partners { modal } => html! {
            <Partners key={p.opened} bridge={p.bridge.clone()} modal={modal} />
        },
    }
}

/// A click that sends `action` to the page's module.
pub(crate) fn on(bridge: &BridgeRef, action: Action) -> Callback<MouseEvent> {
    let b = bridge.clone();
    Callback::from(move |_| b.0.send(&action))
}

/// The close control shared by both layers: closing without choosing is a refusal
/// (the core's dialog reducer, in the page's module, decides).
pub(crate) fn close_button(label: &str, bridge: &BridgeRef) -> Html {
    html! {
        <button type="button" class="accord-close" onclick={on(bridge, Action::Close)}>
            { label }<span class="accord-close-x" aria-hidden="true">{ "×" }</span>
        </button>
    }
}

/// The paragraphs and lists of a layer's blocks, as the core wrote them.
pub(crate) fn prose(blocks: &[Block]) -> Html {
    blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) => html! { <p>{ t }</p> },
            Block::Strong(t) => html! { <p><strong>{ t }</strong></p> },
            Block::Gpc(t) => html! { <p class="accord-gpc">{ t }</p> },
            Block::List(items) => html! {
                <ul class="accord-purposes">{ for items.iter().map(|i| html! { <li>{ i }</li> }) }</ul>
            },
            _ => html! {},
        })
        .collect()
}

/// A layer's heading, from its blocks.
pub(crate) fn title(blocks: &[Block]) -> &str {
    blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("")
}
