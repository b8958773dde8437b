//! The root component: which layer shows, focus in and out, Escape.

use super::banner::Banner;
use super::focus;
use super::partners::Partners;
use super::preferences::Preferences;
use super::reopen::Reopen;
use super::reserve::Reserve;
use super::Handle;
use crate::session::UiSignal;
use accord_core::record::Intent;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum View {
    Hidden,
    Banner,
    Prefs,
    /// The partner list, opened from the banner or from the preferences.
    Partners {
        from_prefs: bool,
    },
}

impl View {
    fn modal(self) -> bool {
        matches!(self, View::Prefs | View::Partners { from_prefs: true })
    }
}

#[function_component]
pub(crate) fn App(props: &AppProps) -> Html {
    let s = props.session.0.clone();
    let view = use_state(|| {
        if s.decided() {
            View::Hidden
        } else {
            View::Banner
        }
    });
    // Bumped when the opt-out changes: the preferences show the new state, open.
    let revision = use_state(|| 0u32);
    let dialog = use_node_ref();
    let reopen = use_node_ref();
    let saved_focus = use_mut_ref(|| None::<HtmlElement>);

    // Signals from outside: Accord.open(), data-accord-open, decisions.
    {
        let view = view.setter();
        let revision = revision.clone();
        let s = s.clone();
        use_effect_with((), move |_| {
            s.set_ui(Some(Rc::new(move |sig| match sig {
                UiSignal::Open => view.set(View::Prefs),
                UiSignal::Decided => view.set(View::Hidden),
                UiSignal::Objected => revision.set(*revision + 1),
            })));
            move || s.set_ui(None)
        });
    }

    // "Close without accepting": a refusal when nothing was decided, else keep the choice.
    let close = {
        let s = s.clone();
        let view = view.setter();
        Callback::from(move |_: ()| {
            if s.decided() {
                view.set(View::Hidden);
            } else {
                s.decide(Intent::Close);
            }
        })
    };

    // Focus: into the dialog when one opens, back where it was when all close.
    {
        let dialog = dialog.clone();
        let reopen = reopen.clone();
        let saved = saved_focus.clone();
        use_effect_with(*view, move |v| {
            if *v == View::Hidden {
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
        use_effect_with(*view, move |v| {
            let floating = matches!(v, View::Banner | View::Partners { from_prefs: false });
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
        use_effect_with(*view, move |v| {
            let v = *v;
            let listener = (v != View::Hidden).then(|| {
                Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
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
                })
            });
            let doc = crate::env::document();
            if let Some(l) = &listener {
                let _ = doc.add_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
            }
            move || {
                if let Some(l) = listener {
                    let _ = doc
                        .remove_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
                }
            }
        });
    }

    let go = |to: View| {
        let view = view.setter();
        Callback::from(move |_: ()| view.set(to))
    };
    let intent = |i: Intent| {
        let s = s.clone();
        Callback::from(move |_: ()| s.decide(i.clone()))
    };
    let save = {
        let s = s.clone();
        Callback::from(move |values: Vec<(String, bool)>| s.decide(Intent::Custom(values)))
    };

    let handle = props.session.clone();
    let layer = match *view {
        View::Hidden => html! {},
        View::Banner => html! {
            <Banner session={handle.clone()} dialog={dialog.clone()}
                on_accept={intent(Intent::AcceptAll)} on_refuse={intent(Intent::RefuseAll)}
                on_customize={go(View::Prefs)} on_close={close.clone()}
                on_partners={go(View::Partners { from_prefs: false })} />
        },
        View::Prefs => html! {
            <Preferences session={handle.clone()} dialog={dialog.clone()} revision={*revision}
                on_save={save} on_accept={intent(Intent::AcceptAll)} on_refuse={intent(Intent::RefuseAll)}
                on_close={close.clone()} on_partners={go(View::Partners { from_prefs: true })} />
        },
        View::Partners { from_prefs } => html! {
            <Partners session={handle.clone()} dialog={dialog.clone()} modal={from_prefs}
                on_back={go(if from_prefs { View::Prefs } else { View::Banner })} on_close={close.clone()} />
        },
    };
    let show_reopen = *view == View::Hidden && s.decided();
    html! {
        <>
            { layer }
            if show_reopen {
                <Reopen session={handle} button={reopen} on_open={go(View::Prefs)} />
            }
        </>
    }
}
