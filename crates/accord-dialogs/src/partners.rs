//! The partner list: vendor, purpose, country, transfer safeguard, privacy link, from
//! the core's blocks.

use crate::app::{close_button, on, title};
use crate::bridge::BridgeRef;
use accord_core::dialog::Action;
use accord_core::notice::{words, Block};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct PartnersProps {
    pub bridge: BridgeRef,
    pub modal: bool,
}

#[function_component]
pub(crate) fn Partners(p: &PartnersProps) -> Html {
    let view = &p.bridge.0.view;
    let w = words(view.language());
    let blocks = &view.partners;
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
             aria-labelledby="accord-partners-title" tabindex="-1">
            { close_button(w.close, &p.bridge) }
            <h2 id="accord-partners-title" class="accord-title">{ title(blocks) }</h2>
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
                <button type="button" class="accord-btn" onclick={on(&p.bridge, Action::Back)}>{ w.back }</button>
            </div>
        </div>
    };
    if p.modal {
        html! { <div class="accord-backdrop">{ body }</div> }
    } else {
        body
    }
}
