//! Accord: a consent and cookie banner for French insurers' websites.
//!
//! Module map (see ARCHITECTURE.md):
//! - [`core`]: pure Rust, std + serde only. Config validation, the consent record and
//!   its cookie codec, the calendar, the firewall decisions, the notice texts.
//! - `browser` (wasm32 only): effects through web-sys: cookies, storage, tagged
//!   resources, events. Knows `core`, never the UI.
//! - `ui` (wasm32 only): the Yew components.
//! - `api` (wasm32 only): `window.Accord` and the `accord:*` events; the only place
//!   where `JsValue` crosses into the widget's logic.
//! - `boot` (wasm32 only): wires everything; [`boot::start`] is the module's entry,
//!   [`boot::boot_with`] lets browser tests start the widget on a config of theirs.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
pub mod boot;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod ui;

/// The widget version, carried by receipts and shown by `accordctl --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
