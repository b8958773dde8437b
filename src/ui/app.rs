//! The root component: which layer shows, focus in and out, Escape.

use super::banner::Banner;
use super::focus;
use super::partners::Partners;
use super::preferences::Preferences;
use super::reopen::Reopen;
use super::reserve::Reserve;
use super::{Ctx, Handle};
use crate::session::UiSignal;
use accord_core::dialog::{self, Action, Dialog, Layer};
use accord_core::record::Intent;
use gloo_events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct AppProps {
    pub session: Handle,
    /// The first layer takes its place at the top of the page instead of floating over
    /// it (the privacy page: readable and usable before any choice).
    pub inline: bool,
}

/// The core's dialog reducer (`accord_core::dialog`) as Yew's reducer state. The
/// decision an action names leaves through `outbox` within the same `dispatch` (Yew
/// runs a reducer synchronously inside it), so each action is reduced once. Every
/// action renders again, even one that leaves the dialog as it is: an opt-out changes
/// what the preferences show (`exempt`), not which layer shows.
struct DialogState {
    dialog: Dialog,
    outbox: Rc<RefCell<Option<Intent>>>,
}

impl Reducible for DialogState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let (dialog, intent) = dialog::reduce(self.dialog, action);
        *self.outbox.borrow_mut() = intent;
        Rc::new(DialogState {
            dialog,
            outbox: self.outbox.clone(),
        })
    }
}

#[function_component]
pub(crate) fn App(props: &AppProps) -> Html {
    let s = props.session.0.clone();
    let state = {
        let decided = s.decided();
        use_reducer(move || DialogState {
            dialog: Dialog::new(decided),
            outbox: Rc::default(),
        })
    };
    let layer = state.dialog.layer;
    let dialog = use_node_ref();
    let reopen = use_node_ref();
    let saved_focus = use_mut_ref(|| None::<HtmlElement>);

    // Signals from outside: Accord.open(), data-accord-open, decisions. The
    // subscription ends with the component (its `Drop`).
    {
        let dispatch = state.dispatcher();
        let s = s.clone();
        use_effect_with((), move |_| {
            let me = s.clone();
            let subscription = s.subscribe(Rc::new(move |sig| {
                let decided = me.decided();
                dispatch.dispatch(match sig {
                    UiSignal::Open => Action::Open,
                    UiSignal::Decided => Action::Decided { decided },
                    UiSignal::Objected => Action::Objected { decided },
                })
            }));
            move || drop(subscription)
        });
    }

    // Every click goes through the core's reducer, once; the decision it names (closing
    // without choosing is a refusal, `dialog::reduce`) goes to the session.
    let send = {
        let s = s.clone();
        let state = state.clone();
        Callback::from(move |action: Action| {
            state.dispatch(action);
            let intent = state.outbox.borrow_mut().take();
            if let Some(i) = intent {
                s.decide(i);
            }
        })
    };
    let ctx = Ctx {
        session: props.session.clone(),
        send: send.clone(),
    };
    let close = send.reform(|_: ()| Action::Close);

    // Focus: into the dialog when one opens, back where it was when all close.
    {
        let dialog = dialog.clone();
        let reopen = reopen.clone();
        let saved = saved_focus.clone();
        use_effect_with(layer, move |v| {
            if *v == Layer::Hidden {
                if let Some(prev) = saved.borrow_mut().take() {
                    match reopen.cast::<HtmlElement>() {
                        _ if focus::usable(&prev) => focus::focus(&prev),
                        Some(r) => focus::focus(&r),
                        None => {}
                    }
                }
            } else if let Some(d) = dialog.cast::<HtmlElement>() {
                if saved.borrow().is_none() {
                    let current = focus::active();
                    *saved.borrow_mut() = Some(current.unwrap_or_else(|| d.clone()));
                }
                focus::focus(&d);
            }
            || ()
        });
    }

    // While the floating first layer (or the partner list opened from it) shows, the
    // page keeps room to scroll any of its content clear of it.
    {
        let dialog = dialog.clone();
        let inline = props.inline;
        use_effect_with(layer, move |v| {
            let floating = matches!(v, Layer::Banner | Layer::Partners { from_prefs: false });
            let reserve = (floating && !inline)
                .then(|| dialog.cast::<web_sys::Element>())
                .flatten()
                .and_then(|d| Reserve::watch(&d));
            move || drop(reserve)
        });
    }

    // Escape closes without accepting; Tab stays inside a modal dialog.
    {
        let dialog = dialog.clone();
        let close = close.clone();
        use_effect_with(layer, move |v| {
            let v = *v;
            // Removed when the layer changes (dropped by the effect's cleanup).
            let listener = (v != Layer::Hidden).then(|| {
                let doc = crate::env::document();
                EventListener::new_with_options(
                    &doc,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |e: &Event| {
                        let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if e.key() == "Escape" {
                            e.prevent_default();
                            close.emit(());
                        } else if e.key() == "Tab" && v.modal() {
                            if let Some(d) = dialog.cast::<web_sys::Element>() {
                                if focus::trap(&d, e.shift_key()) {
                                    e.prevent_default();
                                }
                            }
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    let shown = match layer {
        Layer::Hidden => html! {},
        Layer::Banner => html! { <Banner dialog={dialog.clone()} /> },
        Layer::Prefs => html! {
            <Preferences dialog={dialog.clone()}
                exempt={s.config.exempt().map(|q| (q.id.clone(), s.is_granted(&q.id))).collect::<Vec<_>>()} />
        },
        Layer::Partners { from_prefs } => html! {
            <Partners dialog={dialog.clone()} modal={from_prefs} />
        },
    };
    let show_reopen = layer == Layer::Hidden && state.dialog.decided;
    html! {
        <ContextProvider<Ctx> context={ctx}>
            { shown }
            if show_reopen {
                <Reopen button={reopen} />
            }
        </ContextProvider<Ctx>>
    }
}
