//! The pure core: std and serde only, no web. Config in, decisions out; time and
//! randomness are arguments. Both the wasm widget and the native `accordctl` use it.

#![warn(missing_docs)]

pub mod account;
pub mod attribution;
pub mod calendar;
pub mod config;
pub mod consent_mode;
pub mod cookies;
pub mod dialog;
pub mod firewall;
pub mod hosts;
pub mod identifiers;
pub mod json;
pub mod lang;
pub mod law;
pub mod notice;
pub mod page;
pub mod prospection;
pub mod receipt;
pub mod record;
pub mod rules;
pub mod sha256;
pub mod text_urls;
