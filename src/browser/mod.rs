//! Effects on the page through web-sys: the clock, cookies, storage, tagged
//! resources, events. Knows the core, never the UI.

pub(crate) mod cookies;
pub(crate) mod events;
pub(crate) mod forms;
pub(crate) mod gtag;
pub(crate) mod guard;
pub(crate) mod loader;
pub(crate) mod nodes;
pub(crate) mod optout;
pub(crate) mod placeholder;
pub(crate) mod receipts;
pub(crate) mod storage;
pub(crate) mod tabs;
pub(crate) mod tags;
