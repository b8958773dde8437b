//! Effects on the page through web-sys: the clock, cookies, storage, tagged
//! resources, events. Knows the core, never the UI.

pub mod cookies;
pub mod env;
pub mod events;
pub mod forms;
pub mod gtag;
pub mod guard;
pub mod nodes;
pub mod optout;
pub mod placeholder;
pub mod receipts;
pub mod storage;
pub mod tabs;
pub mod tags;
