//! The first layer: who, why, that refusing is fine, three equal buttons, a close
//! control that is a refusal, and the way to the partner list. Every word of the
//! notice comes from the core's blocks (`notice::notice`), the ones a receipt hashes.

use super::Ctx;
use accord_core::dialog::Action;
use accord_core::notice::{notice, words, Block};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct BannerProps {
    pub dialog: NodeRef,
}

/// The close control shared by every layer: closing without choosing is a refusal
/// (the core's dialog reducer decides).
pub(super) fn close_button(label: &str, ctx: &Ctx) -> Html {
    html! {
        <button type="button" class="accord-close" onclick={ctx.on(Action::Close)}>
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
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let s = &ctx.session.0;
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
            { close_button(close, &ctx) }
            <h2 id="accord-title" class="accord-title">{ title(&blocks) }</h2>
            <div id="accord-desc" class="accord-text">{ prose(&blocks) }</div>
            <p class="accord-links">
                if !c.vendors.is_empty() {
                    <button type="button" class="accord-link" onclick={ctx.on(Action::Partners)}>{ w.partners }</button>
                }
                if !c.controller.privacy_url.is_empty() {
                    <a class="accord-link" href={c.controller.privacy_url.clone()}>{ w.privacy_policy }</a>
                }
            </p>
            <div class="accord-actions">
                <button type="button" class="accord-btn" onclick={ctx.on(Action::AcceptAll)}>{ accept }</button>
                <button type="button" class="accord-btn" onclick={ctx.on(Action::RefuseAll)}>{ refuse }</button>
                <button type="button" class="accord-btn" onclick={ctx.on(Action::Open)}>{ customize }</button>
            </div>
        </div>
    }
}
