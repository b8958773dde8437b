//! The root component: which layer shows, focus in and out, Escape.

use super::banner::Banner;
use super::focus;
use super::partners::Partners;
use super::preferences::Preferences;
use super::reopen::Reopen;
use super::reserve::Reserve;
use super::Handle;
use crate::session::UiSignal;
use accord_core::dialog::{self, Action, Dialog, Layer};
use gloo_events::{EventListener, EventListenerOptions};
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

/// The core's dialog reducer (`accord_core::dialog`) as Yew's reducer state.
#[derive(PartialEq)]
struct DialogState(Dialog);

impl Reducible for DialogState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(DialogState(dialog::reduce(self.0, action).0))
    }
}

#[function_component]
pub(crate) fn App(props: &AppProps) -> Html {
    let s = props.session.0.clone();
    let state = {
        let decided = s.decided();
        use_reducer(move || DialogState(Dialog::new(decided)))
    };
    let layer = state.0.layer;
    let dialog = use_node_ref();
    let reopen = use_node_ref();
    let saved_focus = use_mut_ref(|| None::<HtmlElement>);

    // Signals from outside: Accord.open(), data-accord-open, decisions.
    {
        let dispatch = state.dispatcher();
        let s = s.clone();
        use_effect_with((), move |_| {
            let me = s.clone();
            s.set_ui(Some(Rc::new(move |sig| {
                let decided = me.decided();
                dispatch.dispatch(match sig {
                    UiSignal::Open => Action::Open,
                    UiSignal::Decided => Action::Decided { decided },
                    UiSignal::Objected => Action::Objected { decided },
                })
            })));
            move || s.set_ui(None)
        });
    }

    // Every click goes through the core's reducer; the decision it names (closing
    // without choosing is a refusal, `dialog::reduce`) goes to the session.
    let send: Rc<dyn Fn(Action)> = {
        let s = s.clone();
        let state = state.clone();
        Rc::new(move |action: Action| {
            let (_, intent) = dialog::reduce(state.0, action.clone());
            state.dispatch(action);
            if let Some(i) = intent {
                s.decide(i);
            }
        })
    };
    let act = |action: Action| {
        let send = send.clone();
        Callback::from(move |_: ()| send(action.clone()))
    };
    let close = act(Action::Close);

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

    let save = {
        let send = send.clone();
        Callback::from(move |values: Vec<(String, bool)>| send(Action::Save(values)))
    };

    let handle = props.session.clone();
    let shown = match layer {
        Layer::Hidden => html! {},
        Layer::Banner => html! {
            <Banner session={handle.clone()} dialog={dialog.clone()}
                on_accept={act(Action::AcceptAll)} on_refuse={act(Action::RefuseAll)}
                on_customize={act(Action::Open)} on_close={close.clone()}
                on_partners={act(Action::Partners)} />
        },
        Layer::Prefs => html! {
            <Preferences session={handle.clone()} dialog={dialog.clone()}
                exempt={s.config.exempt().map(|q| (q.id.clone(), s.is_granted(&q.id))).collect::<Vec<_>>()}
                on_save={save} on_accept={act(Action::AcceptAll)} on_refuse={act(Action::RefuseAll)}
                on_close={close.clone()} on_partners={act(Action::Partners)} />
        },
        Layer::Partners { from_prefs } => html! {
            <Partners session={handle.clone()} dialog={dialog.clone()} modal={from_prefs}
                on_back={act(Action::Back)} on_close={close.clone()} />
        },
    };
    let show_reopen = layer == Layer::Hidden && state.0.decided;
    html! {
        <>
            { shown }
            if show_reopen {
                <Reopen session={handle} button={reopen} on_open={act(Action::Open)} />
            }
        </>
    }
}
