//! The preferences dialog: one checkbox per purpose, named by its title, unticked
//! unless the current record says yes; necessary ticked and disabled; an exempt
//! audience purpose ticked with its opt-out.

use super::banner::{close_button, prose, title};
use super::Ctx;
use accord_core::config::Basis;
use accord_core::dialog::Action;
use accord_core::notice::{notice, words, Block};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct PreferencesProps {
    /// Each exempt purpose and whether it runs now: when the opt-out acts while the
    /// dialog is open, their boxes show the new state (the other boxes keep what the
    /// person ticked).
    pub exempt: Vec<(String, bool)>,
    pub dialog: NodeRef,
}

#[function_component]
pub(super) fn Preferences(p: &PreferencesProps) -> Html {
    // Always there: every layer is rendered inside App's provider.
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let s = ctx.session.0.clone();
    let lang = s.lang;
    let w = words(lang);
    let values = {
        let s = s.clone();
        use_state(move || {
            s.config
                .choosable()
                .map(|q| (q.id.clone(), s.is_granted(&q.id)))
                .collect::<Vec<(String, bool)>>()
        })
    };
    // The opt-out acted (here or in another tab): its purposes show their new state;
    // the other boxes keep what the person ticked.
    {
        let values = values.clone();
        let s = s.clone();
        use_effect_with(p.exempt.clone(), move |_| {
            let next: Vec<(String, bool)> = values
                .iter()
                .map(|(id, v)| {
                    let exempt =
                        s.config.purpose(id).map(|q| q.basis) == Some(Basis::ExemptAudience);
                    (id.clone(), if exempt { s.is_granted(id) } else { *v })
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
        let send = ctx.send.clone();
        Callback::from(move |_: MouseEvent| send.emit(Action::Save((*values).clone())))
    };
    let download = {
        let s = s.clone();
        Callback::from(move |_: MouseEvent| s.download_receipt())
    };
    let blocks = notice(&s.config, lang, s.gpc()).prefs;
    let rows = blocks.iter().filter_map(|b| match b {
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
        let basis = s.config.purpose(id).map(|q| q.basis);
        let necessary = basis == Some(Basis::Necessary);
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
        // The opt-out acts at once (no « Enregistrer » needed): one action from here.
        let optout = (basis == Some(Basis::ExemptAudience)).then(|| {
            let (state, button) = w.optout(s.objects(id));
            let state_id = format!("accord-o-{id}");
            html! {
                <div class="accord-optout">
                    <p id={state_id.clone()} class="accord-optout-state" role="status">
                        { state }
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
                 aria-labelledby="accord-prefs-title" tabindex="-1" ref={p.dialog.clone()}>
                { close_button(w.close, &ctx) }
                <h2 id="accord-prefs-title" class="accord-title">{ title(&blocks) }</h2>
                <div class="accord-text">{ prose(&blocks) }</div>
                <fieldset class="accord-fieldset">
                    <legend class="accord-visually-hidden">{ title(&blocks) }</legend>
                    { for rows }
                </fieldset>
                <p class="accord-links">
                    if !s.config.vendors.is_empty() {
                        <button type="button" class="accord-link" onclick={ctx.on(Action::Partners)}>{ w.partners }</button>
                    }
                    if s.decided() {
                        <button type="button" class="accord-link" onclick={download}>{ w.download_receipt }</button>
                    }
                </p>
                <div class="accord-actions">
                    <button type="button" class="accord-btn" onclick={ctx.on(Action::AcceptAll)}>{ w.accept_all }</button>
                    <button type="button" class="accord-btn" onclick={ctx.on(Action::RefuseAll)}>{ w.refuse_all }</button>
                    <button type="button" class="accord-btn" onclick={save}>{ w.save }</button>
                </div>
            </div>
        </div>
    }
}
