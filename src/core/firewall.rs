//! What the page may run, and what withdrawal removes. Issue 2: tagged resources and
//! the purge plan; the firewall of issue 3 grows here (allow | hold | block).

use super::config::Config;
use super::hosts::glob_match;
use super::record::{granted, Choice};

/// What to do with a `data-accord-purpose` element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagDecision {
    /// Its purpose is granted: activate it (once).
    Activate,
    /// Not granted (or no decision yet): leave it inert.
    Hold,
    /// The purpose id is not in the config: never activate; the audit reports it.
    UnknownPurpose,
}

pub fn tag_decision(config: &Config, choice: &Choice, purpose_attr: &str) -> TagDecision {
    let id = purpose_attr.trim();
    if config.purpose(id).is_none() {
        TagDecision::UnknownPurpose
    } else if granted(config, choice, id) {
        TagDecision::Activate
    } else {
        TagDecision::Hold
    }
}

/// The names of `cookie_names` that belong to one of `purposes`' vendors.
pub fn cookies_to_purge<'a>(
    config: &Config,
    purposes: &[String],
    cookie_names: &[&'a str],
) -> Vec<&'a str> {
    let patterns: Vec<&str> = config
        .vendors
        .iter()
        .filter(|v| purposes.contains(&v.purpose))
        .flat_map(|v| v.cookies.iter().map(|c| c.name.as_str()))
        .collect();
    cookie_names
        .iter()
        .copied()
        .filter(|n| patterns.iter().any(|p| glob_match(p, n)))
        .collect()
}

/// The storage keys among `keys` that belong to one of `purposes`' vendors.
pub fn storage_to_purge<'a>(
    config: &Config,
    purposes: &[String],
    keys: &[&'a str],
) -> Vec<&'a str> {
    let patterns: Vec<&str> = config
        .vendors
        .iter()
        .filter(|v| purposes.contains(&v.purpose))
        .flat_map(|v| v.storage_keys.iter().map(String::as_str))
        .collect();
    keys.iter()
        .copied()
        .filter(|k| patterns.iter().any(|p| glob_match(p, k)))
        .collect()
}

/// Every `document.cookie` assignment that deletes `name` whatever Domain and Path it
/// was set with: host-only and each parent domain, `/` and each prefix of the page path.
pub fn deletion_strings(name: &str, hostname: &str, page_path: &str) -> Vec<String> {
    let mut domains: Vec<Option<String>> = vec![None];
    let is_ip = hostname.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !is_ip {
        let labels: Vec<&str> = hostname.split('.').collect();
        for i in 0..labels.len().saturating_sub(1) {
            let d = labels[i..].join(".");
            domains.push(Some(d.clone()));
            domains.push(Some(format!(".{d}")));
        }
    }
    let mut paths = vec!["/".to_owned()];
    let mut acc = String::new();
    for seg in page_path.split('/').filter(|s| !s.is_empty()) {
        acc.push('/');
        acc.push_str(seg);
        paths.push(acc.clone());
        paths.push(format!("{acc}/"));
    }
    let mut out = Vec::new();
    for d in &domains {
        for p in &paths {
            let mut s =
                format!("{name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path={p}");
            if let Some(d) = d {
                s.push_str("; Domain=");
                s.push_str(d);
            }
            out.push(s);
        }
    }
    out
}
