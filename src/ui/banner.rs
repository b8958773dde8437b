//! The first layer: who, why, that refusing is fine, three equal buttons, a close
//! control that is a refusal, and the way to the partner list. Every word of the
//! notice comes from the core's blocks (`notice::notice`), the ones a receipt hashes.

use super::Handle;
use accord_core::notice::{notice, words, Block};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct BannerProps {
    pub session: Handle,
    pub dialog: NodeRef,
    pub on_accept: Callback<()>,
    pub on_refuse: Callback<()>,
    pub on_customize: Callback<()>,
    pub on_close: Callback<()>,
    pub on_partners: Callback<()>,
}

pub(super) fn click(cb: &Callback<()>) -> Callback<MouseEvent> {
    cb.reform(|_| ())
}

/// The close control shared by every layer.
pub(super) fn close_button(label: &str, on_close: &Callback<()>) -> Html {
    html! {
        <button type="button" class="accord-close" onclick={click(on_close)}>
            { label }<span class="accord-close-x" aria-hidden="true">{ "×" }</span>
        </button>
    }
}

/// The paragraphs and lists of a layer's blocks, as the core wrote them.
pub(super) fn prose(blocks: &[Block]) -> Html {
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
pub(super) fn title(blocks: &[Block]) -> &str {
    blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("")
}

#[function_component]
pub(super) fn Banner(p: &BannerProps) -> Html {
    let s = &p.session.0;
    let w = words(s.lang);
    let c = &s.config;
    let blocks = notice(c, s.lang, s.gpc()).banner;
    let Some(Block::Actions {
        accept,
        refuse,
        customize,
        close,
    }) = blocks.iter().find(|b| matches!(b, Block::Actions { .. }))
    else {
        return html! {};
    };
    html! {
        <div class="accord-layer accord-banner" role="dialog" aria-modal="false"
             aria-labelledby="accord-title" aria-describedby="accord-desc"
             tabindex="-1" ref={p.dialog.clone()}>
            { close_button(close, &p.on_close) }
            <h2 id="accord-title" class="accord-title">{ title(&blocks) }</h2>
            <div id="accord-desc" class="accord-text">{ prose(&blocks) }</div>
            <p class="accord-links">
                if !c.vendors.is_empty() {
                    <button type="button" class="accord-link" onclick={click(&p.on_partners)}>{ w.partners }</button>
                }
                if !c.controller.privacy_url.is_empty() {
                    <a class="accord-link" href={c.controller.privacy_url.clone()}>{ w.privacy_policy }</a>
                }
            </p>
            <div class="accord-actions">
                <button type="button" class="accord-btn" onclick={click(&p.on_accept)}>{ accept }</button>
                <button type="button" class="accord-btn" onclick={click(&p.on_refuse)}>{ refuse }</button>
                <button type="button" class="accord-btn" onclick={click(&p.on_customize)}>{ customize }</button>
            </div>
        </div>
    }
}
