//! The first layer: who, why, that refusing is fine, three equal buttons, a close
//! control that is a refusal, and the way to the partner list.

use super::Handle;
use accord_core::config::Basis;
use accord_core::notice::{gpc_note, kept_note, words};
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
pub(super) fn close_button(label: &'static str, on_close: &Callback<()>) -> Html {
    html! {
        <button type="button" class="accord-close" onclick={click(on_close)}>
            { label }<span class="accord-close-x" aria-hidden="true">{ "×" }</span>
        </button>
    }
}

#[function_component]
pub(super) fn Banner(p: &BannerProps) -> Html {
    let s = &p.session.0;
    let lang = s.lang;
    let w = words(lang);
    let c = &s.config;
    let any_vendor = !c.vendors.is_empty();
    html! {
        <div class="accord-layer accord-banner" role="dialog" aria-modal="false"
             aria-labelledby="accord-title" aria-describedby="accord-desc"
             tabindex="-1" ref={p.dialog.clone()}>
            { close_button(w.close, &p.on_close) }
            <h2 id="accord-title" class="accord-title">{ w.banner_title }</h2>
            <div id="accord-desc" class="accord-text">
                <p>{ format!("{} {}", c.controller.name, w.intro) }</p>
                <ul class="accord-purposes">
                    { for c.purposes.iter().filter(|q| q.basis != Basis::Necessary).map(|q| html! {
                        <li>{ q.title.get(lang) }</li>
                    }) }
                </ul>
                if any_vendor { <p>{ w.partners_note }</p> }
                <p><strong>{ w.refuse_note }</strong></p>
                if let Some(note) = s.gpc().then(|| gpc_note(c, lang)).flatten() {
                    <p class="accord-gpc">{ note }</p>
                }
                <p>{ w.change_note }{ " " }{ kept_note(lang, c) }</p>
            </div>
            <p class="accord-links">
                if any_vendor {
                    <button type="button" class="accord-link" onclick={click(&p.on_partners)}>{ w.partners }</button>
                }
                if !c.controller.privacy_url.is_empty() {
                    <a class="accord-link" href={c.controller.privacy_url.clone()}>{ w.privacy_policy }</a>
                }
            </p>
            <div class="accord-actions">
                <button type="button" class="accord-btn" onclick={click(&p.on_accept)}>{ w.accept_all }</button>
                <button type="button" class="accord-btn" onclick={click(&p.on_refuse)}>{ w.refuse_all }</button>
                <button type="button" class="accord-btn" onclick={click(&p.on_customize)}>{ w.customize }</button>
            </div>
        </div>
    }
}
