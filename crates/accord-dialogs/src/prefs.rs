//! The preferences dialog: one checkbox per purpose, named by its title, unticked
//! unless the current record says yes; necessary ticked and disabled; an exempt
//! audience purpose ticked with its opt-out.

use crate::app::{close_button, on, prose, title};
use crate::bridge::BridgeRef;
use accord_core::dialog::Action;
use accord_core::notice::{words, Block};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct PreferencesProps {
    pub bridge: BridgeRef,
    /// Changes when the page's module shows the layer again: the opt-out acted (here,
    /// in another tab or through the API), so the exempt purposes show their new state.
    pub generation: u32,
}

#[function_component]
pub(crate) fn Preferences(p: &PreferencesProps) -> Html {
    let b = p.bridge.clone();
    let view = &b.0.view;
    let w = words(view.language());
    let state = b.0.state();
    let is = |list: &[String], id: &str| list.iter().any(|x| x == id);
    let values = {
        let choosable = view.choosable.clone();
        let granted = state.granted.clone();
        use_state(move || {
            choosable
                .into_iter()
                .map(|id| {
                    let on = granted.contains(&id);
                    (id, on)
                })
                .collect::<Vec<(String, bool)>>()
        })
    };
    // The opt-out acted: its purposes show their new state; the other boxes keep what
    // the person ticked.
    {
        let values = values.clone();
        let b = b.clone();
        use_effect_with(p.generation, move |_| {
            let now = b.0.state();
            let next: Vec<(String, bool)> = values
                .iter()
                .map(|(id, v)| {
                    let exempt = b.0.view.exempt.contains(id);
                    (
                        id.clone(),
                        if exempt { now.granted.contains(id) } else { *v },
                    )
                })
                .collect();
            if next != *values {
                values.set(next);
            }
            || ()
        });
    }
    let save = {
        let values = values.clone();
        let b = b.clone();
        Callback::from(move |_: MouseEvent| b.0.send(&Action::Save((*values).clone())))
    };
    let download = {
        let b = b.clone();
        Callback::from(move |_: MouseEvent| b.0.download())
    };
    let blocks = &view.prefs;
    let rows = blocks.iter().filter_map(|block| match block {
        Block::Purpose {
            id,
            title,
            description,
            note,
        } => Some((id, title, description, note)),
        _ => None,
    });
    let rows = rows.map(|(id, title, description, note)| {
        let input_id = format!("accord-p-{id}");
        let desc_id = format!("accord-d-{id}");
        let necessary = is(&view.necessary, id);
        let checked = necessary || values.iter().any(|(v_id, v)| v_id == id && *v);
        let onchange = {
            let values = values.clone();
            let id = id.clone();
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next = (*values).clone();
                for (pid, v) in next.iter_mut() {
                    if *pid == id {
                        *v = on;
                    }
                }
                values.set(next);
            })
        };
        // The opt-out acts at once (no « Enregistrer » needed): the page's module's one
        // capture-phase listener answers `data-accord-optout-toggle`.
        let optout = is(&view.exempt, id).then(|| {
            let (state_text, button) = w.optout(is(&state.objects, id));
            let state_id = format!("accord-o-{id}");
            html! {
                <div class="accord-optout">
                    <p id={state_id.clone()} class="accord-optout-state" role="status">
                        { state_text }
                    </p>
                    <button type="button" class="accord-btn accord-optout-btn"
                            data-accord-optout-toggle={id.clone()} aria-describedby={state_id}>
                        { button }
                    </button>
                </div>
            }
        });
        html! {
            <div class="accord-purpose" key={id.clone()}>
                <input type="checkbox" id={input_id.clone()} class="accord-check"
                       checked={checked} disabled={necessary} aria-describedby={desc_id.clone()}
                       onchange={onchange} />
                <label for={input_id}>{ title }</label>
                <p id={desc_id} class="accord-desc">
                    { description }
                    if let Some(n) = note { <span class="accord-note">{ " " }{ n }</span> }
                </p>
                { for optout }
            </div>
        }
    });
    html! {
        <div class="accord-backdrop">
            <div class="accord-layer accord-prefs" role="dialog" aria-modal="true"
                 aria-labelledby="accord-prefs-title" tabindex="-1">
                { close_button(w.close, &b) }
                <h2 id="accord-prefs-title" class="accord-title">{ title(blocks) }</h2>
                <div class="accord-text">{ prose(blocks) }</div>
                <fieldset class="accord-fieldset">
                    <legend class="accord-visually-hidden">{ title(blocks) }</legend>
                    { for rows }
                </fieldset>
                <p class="accord-links">
                    if view.vendors {
                        <button type="button" class="accord-link" onclick={on(&b, Action::Partners)}>{ w.partners }</button>
                    }
                    if state.decided {
                        <button type="button" class="accord-link" onclick={download}>{ w.download_receipt }</button>
                    }
                </p>
                <div class="accord-actions">
                    <button type="button" class="accord-btn" onclick={on(&b, Action::AcceptAll)}>{ w.accept_all }</button>
                    <button type="button" class="accord-btn" onclick={on(&b, Action::RefuseAll)}>{ w.refuse_all }</button>
                    <button type="button" class="accord-btn" onclick={save}>{ w.save }</button>
                </div>
            </div>
        </div>
    }
}
