//! The reopen control, on every page once a choice exists.

use super::banner::click;
use super::Handle;
use crate::core::notice::words;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReopenProps {
    pub session: Handle,
    pub button: NodeRef,
    pub on_open: Callback<()>,
}

#[function_component]
pub fn Reopen(p: &ReopenProps) -> Html {
    let w = words(p.session.0.lang);
    html! {
        <button type="button" class="accord-reopen" ref={p.button.clone()} onclick={click(&p.on_open)}>
            { w.manage }
        </button>
    }
}
