//! The Yew components: the first layer, the preferences, the partner list and the
//! reopen control. The root (`app`) keeps the dialog as the core's reducer
//! (`accord_core::dialog`, through `use_reducer`) and gives every layer a [`Ctx`]
//! through Yew's context: the session to show, and `send`, which turns a click into an
//! `Action` for that reducer; the decision an action names goes to `Session::decide`.

mod app;
mod banner;
mod focus;
mod partners;
mod preferences;
mod reopen;
mod reserve;

pub(crate) use app::{App, AppProps};
pub(crate) use reserve::is_privacy_page;

use crate::session::SessionRef;
use accord_core::dialog::Action;
use std::rc::Rc;
use yew::Callback;

/// The session, comparable by identity so it can be a prop.
#[derive(Clone)]
pub(crate) struct Handle(pub SessionRef);

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What every layer gets from the root (Yew's `ContextProvider`, as yew's
/// `examples/contexts`): the session, and the dialog's dispatch.
#[derive(Clone, PartialEq)]
pub(crate) struct Ctx {
    pub session: Handle,
    /// One click, one action of the core's dialog reducer.
    pub send: Callback<Action>,
}

impl Ctx {
    /// A click that sends `action`.
    pub(crate) fn on(&self, action: Action) -> Callback<web_sys::MouseEvent> {
        self.send.reform(move |_| action.clone())
    }
}
