//! The signed-in hook (CNIL deliberation 2025-131, multi-device consent): a page where
//! a person is signed in carries an opaque account identifier in a first-party cookie
//! that the site's own server sets at sign-in and deletes at sign-out
//! (`<cookie_name>_account`). Decisions made there name the account in their receipt;
//! the consent service keeps the account's latest choice and the widget adopts it on
//! the signed-in pages of the person's other devices, so a refusal or a withdrawal
//! reaches them with the same scope as a consent.
//!
//! What is adopted is never written to the device's record cookie: on a shared device,
//! the next person, signed out, keeps the device's own choice (the rule is in
//! `page::step`, `Event::Load`).

use crate::config::Config;

/// The account cookie's name is the record cookie's name with this suffix.
pub const ACCOUNT_SUFFIX: &str = "_account";

/// The shortest and longest identifier: a hash the site computes (a keyed hash of its
/// customer number, in hex or base64url), never the customer number itself.
pub const ACCOUNT_LEN: std::ops::RangeInclusive<usize> = 16..=128;

/// The account cookie's name for a config (`accord_account` by default).
pub fn account_cookie_name(config: &Config) -> String {
    format!("{}{ACCOUNT_SUFFIX}", config.cookie_name)
}

/// Is `id` an account identifier: 16 to 128 letters, digits, `-` or `_` (hex or
/// base64url: cookie-safe, URL-safe, and too long to be a customer number)?
pub fn valid_account(id: &str) -> bool {
    ACCOUNT_LEN.contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The words of [`valid_account`]'s refusal, for errors that name the field.
pub const ACCOUNT_RULE: &str = "16 to 128 letters, digits, - or _ (a hash the site computes)";
