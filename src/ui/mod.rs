//! The Yew components: the first layer, the preferences, the partner list and the
//! reopen control. They show the session's state and turn clicks into intents; all
//! decisions go through `Session::decide`.

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
use std::rc::Rc;

/// The session, comparable by identity so it can be a prop.
#[derive(Clone)]
pub(crate) struct Handle(pub SessionRef);

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
