//! What the page may run, load and write, and what withdrawal removes: the verdict
//! (allow | hold | block) for a request, a cookie or a tagged element.

use super::config::{Config, UnknownHosts, Vendor};
use super::hosts::glob_match;
use super::hosts::url_host_port;
use super::record::{effective_expiry, granted, marker_name, Choice};

/// The answer to "may this happen now?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Yes: let it happen.
    Allow,
    /// Not yet: no decision exists. Released if the purpose is granted, else dropped.
    Hold,
    /// No: the purpose is refused or objected to; drop it.
    Block,
}

impl Verdict {
    /// The number the loader understands: 0 allow, 1 hold, 2 block.
    pub fn code(self) -> u8 {
        match self {
            Verdict::Allow => 0,
            Verdict::Hold => 1,
            Verdict::Block => 2,
        }
    }
}

/// The vendor whose hosts include `host:port`, if any.
pub fn vendor_for_host<'a>(
    config: &'a Config,
    host: &str,
    port: Option<u16>,
) -> Option<&'a Vendor> {
    config
        .vendors
        .iter()
        .find(|v| v.hosts.iter().any(|h| h.matches(host, port)))
}

/// The vendor that declares the cookie `name`, if any.
pub fn cookie_owner<'a>(config: &'a Config, name: &str) -> Option<&'a Vendor> {
    config
        .vendors
        .iter()
        .find(|v| v.cookies.iter().any(|c| glob_match(&c.name, name)))
}

fn purpose_verdict(config: &Config, choice: &Choice, purpose: &str) -> Verdict {
    if granted(config, choice, purpose) {
        Verdict::Allow
    } else if choice.record().is_none() && !choice.objects(purpose) {
        Verdict::Hold
    } else {
        Verdict::Block
    }
}

/// A request to `host:port` from a page of another origin (the page's own origin is
/// always allowed and never asked). A vendor's host follows its purpose; an
/// `allowed_hosts` host is allowed; an undeclared host follows `unknown_hosts`.
pub fn request_verdict<'a>(
    config: &'a Config,
    choice: &Choice,
    host: &str,
    port: Option<u16>,
) -> (Verdict, Option<&'a Vendor>) {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(v) = vendor_for_host(config, &host, port) {
        return (purpose_verdict(config, choice, &v.purpose), Some(v));
    }
    if config.allowed_hosts.iter().any(|h| h.matches(&host, port)) {
        return (Verdict::Allow, None);
    }
    let v = match config.unknown_hosts {
        UnknownHosts::Allow => Verdict::Allow,
        UnknownHosts::Block if choice.record().is_some() => Verdict::Allow,
        UnknownHosts::Block => Verdict::Hold,
    };
    (v, None)
}

/// Is a request to `host` (`port` as the URL gives it, default ports included) one the
/// config names: a vendor's, or an allowed host, wildcards and explicit ports as
/// [`request_verdict`] matches them? `Accord.audit()` lists the others as undeclared.
pub fn declared_host(config: &Config, host: &str, port: Option<u16>) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    vendor_for_host(config, &host, port).is_some()
        || config.allowed_hosts.iter().any(|h| h.matches(&host, port))
}

/// Writing or reading the cookie `name`: a vendor's declared cookie follows its
/// purpose; any other cookie is allowed (and clamped).
pub fn cookie_verdict(config: &Config, choice: &Choice, name: &str) -> Verdict {
    match cookie_owner(config, name) {
        Some(v) => purpose_verdict(config, choice, &v.purpose),
        None => Verdict::Allow,
    }
}

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

/// What to do with an element whose `data-accord-purpose` is `purpose_attr`.
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

/// A JavaScript regular expression matching `host` or `host:port` (as `URL.host` gives
/// it) of the hosts allowed under `choice` without asking: the hosts of the vendors of
/// granted purposes and `allowed_hosts`. Never matches anything when there are none.
pub fn allowed_hosts_regex(config: &Config, choice: &Choice) -> String {
    let patterns = config
        .vendors
        .iter()
        .filter(|v| granted(config, choice, &v.purpose))
        .flat_map(|v| v.hosts.iter())
        .chain(config.allowed_hosts.iter());
    whole_match(patterns.map(|h| {
        let mut re = String::new();
        if h.wildcard {
            re.push_str("[^/:]+\\.");
        }
        re.push_str(&regex_literal(&h.host));
        match h.port {
            Some(p) => re.push_str(&format!(":{p}")),
            None => re.push_str("(?::\\d+)?"),
        }
        re
    }))
}

/// What the loader keeps (localStorage `accord.c`) to answer on the next page while the
/// module loads: a JavaScript pattern that `document.cookie` must match for the answer
/// to still hold (this exact record, or none; this opt-out marker's purposes, or
/// none; no account cookie: a signed-in page waits for the module, which asks for the
/// account's choice, and an adopted choice is keyed on a record the jar does not
/// hold, so it never answers for a signed-out page), the cookies to hide, the hosts granted, and the time (Unix milliseconds) after
/// which it no longer holds (when the record stops counting: the same cookie is then
/// no longer a consent, so nothing of it may load before the module has purged it),
/// one per line.
pub fn loader_cache(config: &Config, choice: &Choice) -> String {
    let cookie = |name: &str, value: &str| format!("(?:.*; )?{}={value}", regex_literal(name));
    let record = match choice.record() {
        Some(r) => format!(
            "(?={}(?:;|$))",
            cookie(&config.cookie_name, &regex_literal(&r.encode()))
        ),
        None => format!("(?!{})", cookie(&config.cookie_name, "")),
    };
    let marker = marker_name(config);
    let marker = if choice.objections.is_empty() {
        format!("(?!{}[^;])", cookie(&marker, ""))
    } else {
        let ids = regex_literal(&choice.objections.join("."));
        format!(
            "(?={}(?:;|$))",
            cookie(&marker, &format!("1\\|\\d+\\|{ids}"))
        )
    };
    // Without a record, nothing expires (a far date the loader compares as a number).
    let until = choice
        .record()
        .map(|r| effective_expiry(config, r).saturating_mul(1000))
        .unwrap_or(super::calendar::LATEST * 1000);
    // Signed out only: on a signed-in page the account's choice, which the module asks
    // the consent service for, may differ from this device's (crate::account).
    let signed_out = format!(
        "(?!{}[^;])",
        cookie(&crate::account::account_cookie_name(config), "")
    );
    format!(
        "^{record}{marker}{signed_out}\n{}\n{}\n{until}",
        hidden_cookies_regex(config, choice),
        allowed_hosts_regex(config, choice)
    )
}

/// `s` with every regular-expression metacharacter escaped, for JavaScript and for
/// nginx's PCRE alike (`/` for a JavaScript literal, `#` for PCRE's extended mode).
pub fn regex_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\^$.|?*+()[]{}/#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One regular expression matching exactly one of `alternatives` (duplicates dropped);
/// one that never matches when there are none.
fn whole_match(alternatives: impl Iterator<Item = String>) -> String {
    let mut list: Vec<String> = Vec::new();
    for re in alternatives {
        if !list.contains(&re) {
            list.push(re);
        }
    }
    if list.is_empty() {
        "(?!)".to_owned()
    } else {
        format!("^(?:{})$", list.join("|"))
    }
}

/// A JavaScript regular expression matching the names of the cookies the page may not
/// read under `choice` (declared by vendors of purposes not granted). The loader keeps
/// the last one to hide them while the module loads on the next page. Never matches
/// anything when nothing is hidden.
pub fn hidden_cookies_regex(config: &Config, choice: &Choice) -> String {
    whole_match(
        config
            .vendors
            .iter()
            .filter(|v| !granted(config, choice, &v.purpose))
            .flat_map(|v| v.cookies.iter())
            // A glob's '*' is any run of characters; everything else is literal.
            .map(|c| {
                c.name
                    .split('*')
                    .map(regex_literal)
                    .collect::<Vec<_>>()
                    .join(".*")
            }),
    )
}

/// Vendor nodes go with their purpose: whether an element's URL (`src`, `href`,
/// `data`, `srcset` candidate, `poster`) belongs to a vendor of one of `purposes`,
/// whoever inserted the element (a vendor's own cookie-sync frame included). GDPR art.
/// 7(3): a withdrawal takes effect on what is already running, not only on what comes.
pub fn url_withdrawn(config: &Config, purposes: &[String], url: &str) -> bool {
    url_host_port(url)
        .and_then(|(host, port)| vendor_for_host(config, &host, port))
        .is_some_and(|v| purposes.contains(&v.purpose))
}

/// The names of `cookie_names` that belong to one of `purposes`' vendors.
pub fn cookies_to_purge<'a>(
    config: &Config,
    purposes: &[String],
    cookie_names: &[&'a str],
) -> Vec<&'a str> {
    matching(config, purposes, cookie_names, |v| {
        v.cookies.iter().map(|c| c.name.as_str()).collect()
    })
}

/// The storage keys among `keys` that belong to one of `purposes`' vendors.
pub fn storage_to_purge<'a>(
    config: &Config,
    purposes: &[String],
    keys: &[&'a str],
) -> Vec<&'a str> {
    matching(config, purposes, keys, |v| {
        v.storage_keys.iter().map(String::as_str).collect()
    })
}

/// The `names` that one of the glob `patterns` of `purposes`' vendors matches.
fn matching<'a, 'c>(
    config: &'c Config,
    purposes: &[String],
    names: &[&'a str],
    patterns: impl Fn(&'c Vendor) -> Vec<&'c str>,
) -> Vec<&'a str> {
    let patterns: Vec<&str> = config
        .vendors
        .iter()
        .filter(|v| purposes.contains(&v.purpose))
        .flat_map(patterns)
        .collect();
    names
        .iter()
        .copied()
        .filter(|n| patterns.iter().any(|p| glob_match(p, n)))
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
