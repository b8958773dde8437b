//! The partner list: vendor, purpose, country, transfer safeguard, privacy link, from
//! the core's blocks.

use super::banner::close_button;
use super::banner::title;
use super::Ctx;
use accord_core::dialog::Action;
use accord_core::notice::{notice, words, Block};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct PartnersProps {
    pub dialog: NodeRef,
    pub modal: bool,
}

#[function_component]
pub(super) fn Partners(p: &PartnersProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let s = &ctx.session.0;
    let w = words(s.lang);
    let blocks = notice(&s.config, s.lang, s.gpc()).partners;
    let rows = blocks.iter().filter_map(|b| match b {
        Block::Partner { id, name, purpose, country, transfer, privacy_url } => Some(html! {
            <tr key={id.clone()}>
                <th scope="row">{ name }</th>
                <td data-label={w.col_purpose}>{ purpose }</td>
                <td data-label={w.col_country}>{ country }</td>
                <td data-label={w.col_transfer}>{ transfer }</td>
                <td>
                    if !privacy_url.is_empty() {
                        <a href={privacy_url.clone()} target="_blank" rel="noopener noreferrer">{ w.privacy_link }</a>
                    }
                </td>
            </tr>
        }),
        _ => None,
    });
    let body = html! {
        <div class={classes!("accord-layer", "accord-partners", p.modal.then_some("accord-prefs"))}
             role="dialog" aria-modal={if p.modal { "true" } else { "false" }}
             aria-labelledby="accord-partners-title" tabindex="-1" ref={p.dialog.clone()}>
            { close_button(w.close, &ctx) }
            <h2 id="accord-partners-title" class="accord-title">{ title(&blocks) }</h2>
            <div class="accord-table-wrap">
                <table class="accord-table">
                    <thead><tr>
                        <th scope="col">{ w.col_partner }</th>
                        <th scope="col">{ w.col_purpose }</th>
                        <th scope="col">{ w.col_country }</th>
                        <th scope="col">{ w.col_transfer }</th>
                        <th scope="col">{ w.col_privacy }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <div class="accord-actions accord-actions-single">
                <button type="button" class="accord-btn" onclick={ctx.on(Action::Back)}>{ w.back }</button>
            </div>
        </div>
    };
    if p.modal {
        html! { <div class="accord-backdrop">{ body }</div> }
    } else {
        body
    }
}
