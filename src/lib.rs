//! Accord: a consent and cookie banner for French insurers' websites.
//!
//! Module map (see ARCHITECTURE.md). The decisions live in the `accord-core` crate
//! (crates/accord-core: pure Rust, std + serde only, no web crate: config validation, the
//! consent record and its cookie codec, the calendar, the firewall decisions, the notice
//! texts); this crate is the widget that runs them in the browser:
//! - `env` (wasm32 only): the page's window, document, clock and language; a leaf that
//!   every module may use.
//! - `browser` (wasm32 only): effects through web-sys: cookies, storage, tagged
//!   resources, events, and the answers to the loader's hooks (`browser::guard`, which
//!   reads `JsValue`s the loader passes: texts, call stacks, ICE servers, cookie
//!   options). Knows `core`, never the UI.
//! - `ui` (wasm32 only): the dialog's host, without Yew: the first layer and the reopen
//!   control in plain DOM, the core's dialog reducer, focus and keyboard, and the bridge
//!   to the dialogs module (`crates/accord-dialogs`, Yew), fetched when the preferences
//!   or the partner list must show (and `ui::reserve`, the room kept under the floating
//!   first layer). The forms are another module (`crates/accord-forms`), fetched by
//!   `boot` on pages with a form part.
//! - `api` (wasm32 only): `window.Accord` and the `accord:*` events: where the page's
//!   own `JsValue`s (API arguments) cross into the widget's logic.
//! - `boot` (wasm32 only): wires everything; [`boot::start`] is the module's entry,
//!   [`boot::boot_with`] lets browser tests start the widget on a config of theirs.

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
pub mod boot;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod env;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod ui;

/// The widget version, carried by receipts and shown by `accordctl --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
