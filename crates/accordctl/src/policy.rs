//! The browser-enforced layer: the Content-Security-Policy header a server sends so
//! that the browser itself refuses the hosts of purposes not granted, even for what it
//! fetches before any script runs; and the nginx snippet that computes the same header
//! from the record cookie with no program running per request.
//!
//! The header restricts hosts only: inline script and style, `eval`, WebAssembly,
//! `data:` and `blob:` stay allowed, so it can be sent beside the site's own CSP (the
//! browser enforces both). Every fetch directive falls back to `default-src`, so one
//! host list there covers `script-src`, `style-src`, `img-src`, `font-src`,
//! `connect-src`, `frame-src`, `media-src`, `object-src`, `worker-src` and
//! `manifest-src`; `form-action` does not fall back and gets the same list.

use accord_core::calendar::Timestamp;
use accord_core::config::{Basis, Config};
use accord_core::firewall::regex_literal;
use accord_core::hosts::HostPattern;
use accord_core::record::{evaluate_with_marker, granted, marker_name, Choice};

const DEFAULT_KEYWORDS: &str =
    "'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:";
const FORM_KEYWORDS: &str = "'self'";

/// A host pattern as a CSP host source: `*.ads.example:*`, `127.0.0.1:8081`; without a
/// port in the config any port matches (`:*`), as in the in-page firewall.
pub fn host_source(h: &HostPattern) -> String {
    let mut s = h.to_string();
    if h.port.is_none() {
        s.push_str(":*");
    }
    s
}

/// The same host as a WebSocket source, `ws://127.0.0.1:8082`, for a vendor that
/// declares `websocket`: a scheme-less source matches only the page's own scheme and its
/// secure upgrade (http → https), never `ws:` or `wss:`, while `ws://host` matches both
/// (CSP Level 3, §6.7.2.8 "Does url match expression" and "scheme-part match").
pub fn websocket_source(h: &HostPattern) -> String {
    format!("ws://{}", host_source(h))
}

/// One purpose's vendor hosts written by `form` (a CSP source, a URLPattern), each with
/// a leading space, each once (empty if none); with `ws`, the WebSocket sources of the
/// vendors that declare `websocket` as well.
fn purpose_list(
    config: &Config,
    purpose: &str,
    form: fn(&HostPattern) -> String,
    ws: bool,
) -> String {
    let mut out = String::new();
    for v in config.vendors_of(purpose) {
        for h in &v.hosts {
            let mut items = vec![form(h)];
            if ws && v.websocket {
                items.push(websocket_source(h));
            }
            for item in items {
                if !out.split(' ').any(|s| s == item) {
                    out.push(' ');
                    out.push_str(&item);
                }
            }
        }
    }
    out
}

/// What is allowed whatever the choice, written by `form`: `allowed_hosts` and
/// necessary vendors (`ws`: as in [`purpose_list`]).
fn static_list(config: &Config, form: fn(&HostPattern) -> String, ws: bool) -> String {
    let mut out = String::new();
    for h in &config.allowed_hosts {
        out.push(' ');
        out.push_str(&form(h));
    }
    for p in config
        .purposes
        .iter()
        .filter(|p| p.basis == Basis::Necessary)
    {
        out.push_str(&purpose_list(config, &p.id, form, ws));
    }
    out
}

fn purpose_sources(config: &Config, purpose: &str) -> String {
    purpose_list(config, purpose, host_source, true)
}

fn purpose_patterns(config: &Config, purpose: &str) -> String {
    purpose_list(config, purpose, url_pattern, false)
}

/// A host pattern as a URLPattern string of `Connection-Allowlist` (WICG draft, enforced
/// by Chromium since 152): any scheme (`ws:` and `wss:` included), any path;
/// `*.ads.example` stays subdomains only, as in CSP; no port in the config is any port,
/// a default one (80, 443) is the scheme's default.
pub fn url_pattern(h: &HostPattern) -> String {
    let wild = if h.wildcard { "*." } else { "" };
    let port = match h.port {
        None => ":*".to_owned(),
        Some(80 | 443) => String::new(),
        Some(p) => format!(":{p}"),
    };
    format!("\"*://{wild}{}{port}/*\"", h.host)
}

/// The `Connection-Allowlist-Report-Only` value from a pattern list. Only the report-only
/// form is sent: the enforced header also governs the person's own navigations (a click
/// on an ordinary link to another site is refused unless that site is listed), and the
/// draft offers no way to keep them. It reports what CSP cannot see (speculation-rules
/// prefetches, `a[ping]`, popups, `fetchLater`, WebRTC).
fn render_allowlist(patterns: &str) -> String {
    format!("(response-origin{patterns})")
}

/// `Permissions-Policy: deferred-fetch=(), deferred-fetch-minimal=()` (no `fetchLater`
/// for the page, nor the small quota cross-origin frames get by default) while the
/// record grants no consent purpose that has vendors: nothing that needs consent may
/// send a request once the page is left. `None`: no such header.
fn render_permissions(any_consent_granted: bool) -> Option<String> {
    (!any_consent_granted).then(|| "deferred-fetch=(), deferred-fetch-minimal=()".to_owned())
}

/// Every header of the browser-enforced layer for a choice already evaluated, as
/// `(name, value)`: the CSP, the connection allowlist (report only), and the
/// permissions policy while nothing that needs consent is granted.
pub fn headers_for_choice(config: &Config, choice: &Choice) -> Vec<(&'static str, String)> {
    let mut patterns = static_list(config, url_pattern, false);
    let mut any = false;
    for p in config.choosable() {
        if granted(config, choice, &p.id) {
            patterns.push_str(&purpose_patterns(config, &p.id));
            any |= p.basis == Basis::Consent && !purpose_sources(config, &p.id).is_empty();
        }
    }
    let mut out = vec![
        ("Content-Security-Policy", csp_for_choice(config, choice)),
        (
            "Connection-Allowlist-Report-Only",
            render_allowlist(&patterns),
        ),
    ];
    if let Some(pp) = render_permissions(any) {
        out.push(("Permissions-Policy", pp));
    }
    out
}

/// [`headers_for_choice`] for a request that carried `cookie_header`, at `now`.
pub fn headers(
    config: &Config,
    cookie_header: Option<&str>,
    now: Timestamp,
) -> Vec<(&'static str, String)> {
    headers_for_choice(config, &choice_of(config, cookie_header, now))
}

/// The header from a host list: the one place its shape is written.
fn render(hosts: &str) -> String {
    format!("default-src {DEFAULT_KEYWORDS}{hosts}; form-action {FORM_KEYWORDS}{hosts}")
}

/// The header for a choice already evaluated.
pub fn csp_for_choice(config: &Config, choice: &Choice) -> String {
    let mut hosts = static_list(config, host_source, true);
    for p in config.choosable() {
        if granted(config, choice, &p.id) {
            hosts.push_str(&purpose_sources(config, &p.id));
        }
    }
    render(&hosts)
}

/// The value of the record cookie in a `Cookie` request header, if present. Taken as
/// is (a quoted value is not a record), exactly as the page and the nginx snippet read it.
pub fn record_from_cookie_header<'a>(header: &'a str, cookie_name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (n, v) = pair.split_once('=')?;
        (n.trim() == cookie_name).then(|| v.trim())
    })
}

/// SPEC §5: the header for a request that carried `cookie_header` (or none), at `now`.
/// An expired, older-version or corrupt record is no decision; the opt-out marker
/// removes the exempt purposes it names (a malformed one, every exempt purpose).
pub fn csp(config: &Config, cookie_header: Option<&str>, now: Timestamp) -> String {
    csp_for_choice(config, &choice_of(config, cookie_header, now))
}

/// What the record and the opt-out marker of a `Cookie` header mean at `now`.
fn choice_of(config: &Config, cookie_header: Option<&str>, now: Timestamp) -> Choice {
    let stored = cookie_header.and_then(|h| record_from_cookie_header(h, &config.cookie_name));
    let marker = cookie_header.and_then(|h| record_from_cookie_header(h, &marker_name(config)));
    evaluate_with_marker(config, stored, marker, now)
}

/// The nginx snippet (for the `http {}` block): one `map` per choosable purpose that
/// yields its hosts when a valid record of this policy version grants it, and the
/// header assembled from them. nginx cannot compare dates: it relies on the record
/// cookie's own `Expires`, which Accord sets to `expires_at`.
pub fn nginx(config: &Config, version: &str) -> String {
    let cookie = regex_literal(&config.cookie_name);
    let choosable: Vec<_> = config.choosable().collect();
    let pv = accord_core::record::pct_encode(&config.policy_version);
    // A valid v1 record of this policy version: a known action, purposes that are all
    // `id=0|1`, none twice, and every choosable purpose present (as `evaluate` demands).
    let mut prefix = format!(
        "^1\\|[0-9a-f]{{16,64}}\\|[0-9]+\\|[0-9]+\\|(?:accept_all|refuse_all|custom|withdraw|close)\\|{}\\|\
         (?=[^=&|]+=[01](?:&[^=&|]+=[01])*$)(?!(?:.*&)?([^=&|]+)=[01]&(?:.*&)?\\1=)",
        regex_literal(&pv)
    );
    for p in &choosable {
        prefix.push_str(&format!("(?=(?:.*&)?{}=[01](?:&|$))", regex_literal(&p.id)));
    }
    let mut out = format!(
        "# Accord {version}: Content-Security-Policy, Connection-Allowlist-Report-Only and\n\
         # Permissions-Policy from the consent record.\n\
         # Generated by `accordctl nginx` for policy_version {}; include it in the http {{}} block.\n\
         # nginx cannot compare dates: an expired record is dropped by the browser itself\n\
         # (the record cookie's Expires is its expires_at).\n\
         # nginx passes an add_header from http {{}} only to server and location blocks that\n\
         # have no add_header of their own: a block that adds any header must repeat the\n\
         # three add_header lines at the end of this snippet.\n\
         \n\
         # The record, read by exact (case-sensitive) cookie name.\n\
         map $http_cookie $accord_record {{\n    default \"\";\n    \"~(?:^|;)\\s*{cookie}=(?<accord_v>[^;]*)\" $accord_v;\n}}\n",
        config.policy_version
    );
    let has_exempt = choosable.iter().any(|p| p.basis == Basis::ExemptAudience);
    if has_exempt {
        out.push_str(&format!(
            "\n# The opt-out marker (1|<set at>|<purpose>.<purpose>…), read the same way.\n\
             map $http_cookie $accord_optout {{\n    default \"\";\n    \"~(?:^|;)\\s*{}=(?<accord_o>[^;]*)\" $accord_o;\n}}\n",
            regex_literal(&marker_name(config))
        ));
    }
    let mut vars = String::new();
    let mut pvars = String::new();
    let mut consent_vars = String::new();
    for (i, p) in choosable.iter().enumerate() {
        let hosts = purpose_sources(config, &p.id);
        let var = format!("$accord_p{i}");
        vars.push_str(&var);
        // The same purpose's connection-allowlist patterns: the same keys, other values.
        let patterns = purpose_patterns(config, &p.id).replace('"', "\\\"");
        pvars.push_str(&format!("$accord_c{i}"));
        if p.basis == Basis::Consent {
            consent_vars.push_str(&var);
        }
        out.push_str(&format!(
            "\n# purpose \"{}\": its connection-allowlist patterns when its hosts are allowed\n\
             map {var} $accord_c{i} {{\n    default \"{patterns}\";\n    \"\" \"\";\n}}\n",
            p.id
        ));
        let id = regex_literal(&p.id);
        if p.basis == Basis::ExemptAudience {
            // On unless the marker names it, the marker is malformed (fail closed, as
            // `objections`), or a valid record says 0.
            const ID: &str = "[a-z][a-z0-9_-]{0,39}";
            let marker = "^1\\|[0-9]{1,12}\\|";
            out.push_str(&format!(
                "\n# purpose \"{}\" (exempt audience: on unless opted out)\n\
                 map \"$accord_optout#$accord_record\" {var} {{\n    default \"{hosts}\";\n\
                 \x20   \"~{marker}(?:{ID}\\.)*{id}(?:\\.{ID})*#\" \"\";\n\
                 \x20   \"~^(?!{}{ID}(?:\\.{ID})*#)[^#]+#\" \"\";\n\
                 \x20   \"~#{}(?:.*&)?{id}=0(?:&|$)\" \"\";\n}}\n",
                p.id,
                &marker[1..],
                &prefix[1..],
            ));
        } else {
            out.push_str(&format!(
                "\n# purpose \"{}\" (consent)\nmap $accord_record {var} {{\n    default \"\";\n    \"~{prefix}(?:.*&)?{id}=1(?:&|$)\" \"{hosts}\";\n}}\n",
                p.id,
            ));
        }
    }
    let hosts = format!("{}{vars}", static_list(config, host_source, true));
    let patterns =
        format!("{}{pvars}", static_list(config, url_pattern, false)).replace('"', "\\\"");
    // No consent purpose with hosts allowed: no fetchLater (an empty value sends no header).
    let consent_vars = if consent_vars.is_empty() {
        "\"\"".to_owned()
    } else {
        format!("\"{consent_vars}\"")
    };
    out.push_str(&format!(
        "\nmap $accord_record $accord_csp {{\n    default \"{}\";\n}}\n\
         map $accord_record $accord_allowlist {{\n    default \"{}\";\n}}\n\
         map {consent_vars} $accord_permissions {{\n    default \"\";\n    \"\" \"{}\";\n}}\n\
         add_header Content-Security-Policy $accord_csp always;\n\
         add_header Connection-Allowlist-Report-Only $accord_allowlist always;\n\
         add_header Permissions-Policy $accord_permissions always;\n",
        render(&hosts),
        render_allowlist(&patterns),
        render_permissions(false).unwrap_or_default()
    ));
    out
}
