//! Google Consent Mode v2 (SPEC §6): the four signals Google tags read, from the
//! purposes. The loader pushes `consent default` with all four `denied` before any
//! tag can run; the module pushes `consent update` with these values on each decision,
//! withdrawal and opt-out.
//!
//! Mapping: a purpose lists the signals it grants in `google_consent_mode`. Without
//! that field, a consent purpose in an advertising or partner-sharing category (or
//! with the id `advertising`) grants `ad_storage`, `ad_user_data` and
//! `ad_personalization`, and a consent purpose in the `audience` or `analytics`
//! category (or with that id) grants `analytics_storage`. A signal is `granted` when
//! at least one purpose that grants it is granted. Necessary and exempt purposes grant
//! none: a Google tag is never exempt (CNIL exemption needs a first-party tool).

use super::config::{Basis, Config, Purpose, CONSENT_MODE_SIGNALS as SIGNALS};
use super::record::{granted, Choice};

/// The signals `purpose` grants when it is granted.
pub fn signals_of(p: &Purpose) -> Vec<&'static str> {
    if p.basis != Basis::Consent {
        return Vec::new();
    }
    if let Some(list) = &p.google_consent_mode {
        return SIGNALS
            .iter()
            .copied()
            .filter(|s| list.iter().any(|l| l == s))
            .collect();
    }
    let word = p.category.as_deref().unwrap_or(&p.id);
    if p.refused_by_gpc() {
        vec!["ad_storage", "ad_user_data", "ad_personalization"]
    } else if word == "audience" || word == "analytics" {
        vec!["analytics_storage"]
    } else {
        Vec::new()
    }
}

/// Each signal and whether it is granted under `choice`.
pub fn update(config: &Config, choice: &Choice) -> Vec<(&'static str, bool)> {
    SIGNALS
        .iter()
        .map(|&s| {
            let on = config
                .purposes
                .iter()
                .any(|p| signals_of(p).contains(&s) && granted(config, choice, &p.id));
            (s, on)
        })
        .collect()
}
