//! The site's other open tabs: a decision here is announced on a BroadcastChannel;
//! a tab that hears it re-reads the record cookie and applies it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::BroadcastChannel;

const CHANNEL: &str = "accord";

/// A listening channel; stops listening when dropped.
pub(crate) struct Tabs {
    channel: BroadcastChannel,
    _listener: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Tabs {
    pub(crate) fn listen(on_change: impl Fn() + 'static) -> Option<Tabs> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| on_change());
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Tabs {
            channel,
            _listener: listener,
        })
    }

    /// Tells the other tabs that the record changed.
    pub(crate) fn announce(&self) {
        let _ = self.channel.post_message(&JsValue::from_str("change"));
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
