//! `accordctl scan`'s judgement, pure: what a browser saw on a site (requests, cookies,
//! storage keys, each with its scenario, page and phase) against the config. A gated
//! purpose's request or cookie before any decision, after « Tout refuser » or after a
//! withdrawal is a leak (loi Informatique et Libertés art. 82: nothing that needs
//! consent before consent; GDPR art. 7(3): nothing of it survives a withdrawal); an
//! undeclared host or cookie, a declared lifetime exceeded or a cookie living over 13
//! months (CNIL 2020-091 and 2020-092) is a finding. The browser half is `cdp`.

use accord_core::config::{Basis, Config};
use accord_core::firewall::{cookie_owner, declared_host, vendor_for_host};
use accord_core::hosts::url_host_port;
use accord_core::law::MAX_COOKIE_DAYS;
use accord_core::record::{decide, Choice, Intent, NoChoice};
use serde_json::{json, Value};

/// The four scenarios of a scan, in the order they run.
pub const SCENARIOS: [Scenario; 4] = [
    Scenario::NoAction,
    Scenario::RefuseAll,
    Scenario::AcceptAll,
    Scenario::AcceptThenWithdraw,
];

/// What the scan does on the first page of a fresh browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Nothing: the banner stays.
    NoAction,
    /// « Tout refuser ».
    RefuseAll,
    /// « Tout accepter ».
    AcceptAll,
    /// « Tout accepter », then `Accord.withdraw()`.
    AcceptThenWithdraw,
}

impl Scenario {
    /// Its name in the report.
    pub fn code(self) -> &'static str {
        match self {
            Scenario::NoAction => "no-action",
            Scenario::RefuseAll => "refuse-all",
            Scenario::AcceptAll => "accept-all",
            Scenario::AcceptThenWithdraw => "accept-then-withdraw",
        }
    }
}

/// When something was seen, as far as consent goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before any decision.
    Before,
    /// After « Tout refuser ».
    Refused,
    /// After « Tout accepter ».
    Accepted,
    /// After a withdrawal.
    Withdrawn,
}

impl Phase {
    /// Its name in the report.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Before => "before-decision",
            Phase::Refused => "after-refusal",
            Phase::Accepted => "after-consent",
            Phase::Withdrawn => "after-withdrawal",
        }
    }

    /// When, in the words of a leak.
    fn words(self) -> &'static str {
        match self {
            Phase::Before => "before any decision",
            Phase::Refused => "after « Tout refuser »",
            Phase::Accepted => "after « Tout accepter »",
            Phase::Withdrawn => "after the consent was withdrawn",
        }
    }

    /// The choice in force during this phase, as the widget holds it.
    fn choice(self, config: &Config, now: i64) -> Choice {
        let none = Choice::none(NoChoice::Absent);
        let intent = match self {
            Phase::Before => return none,
            Phase::Refused => Intent::RefuseAll,
            Phase::Accepted => Intent::AcceptAll,
            Phase::Withdrawn => Intent::Withdraw,
        };
        Choice::valid(decide(config, &none, &intent, now, "0".repeat(32)))
    }
}

/// A request the browser made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The scenario.
    pub scenario: Scenario,
    /// The page being visited (its URL).
    pub page: String,
    /// The phase when it was seen.
    pub phase: Phase,
    /// The URL requested.
    pub url: String,
}

/// A cookie in the jar after a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Cookie {
    /// The scenario.
    pub scenario: Scenario,
    /// The page after which it was in the jar.
    pub page: String,
    /// The phase then.
    pub phase: Phase,
    /// Its name.
    pub name: String,
    /// Its domain, as the browser keeps it.
    pub domain: String,
    /// Its path.
    pub path: String,
    /// When it expires (Unix seconds); `None` for a session cookie.
    pub expires: Option<f64>,
    /// When it was read (Unix seconds).
    pub seen_at: i64,
}

/// A Web Storage key after a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageKey {
    /// The scenario.
    pub scenario: Scenario,
    /// The page.
    pub page: String,
    /// The phase then.
    pub phase: Phase,
    /// `localStorage` or `sessionStorage`.
    pub area: String,
    /// The key.
    pub key: String,
}

/// Everything a scan saw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observed {
    /// Requests, in order.
    pub requests: Vec<Request>,
    /// Cookies read after each page.
    pub cookies: Vec<Cookie>,
    /// Storage keys read after each page.
    pub storage: Vec<StorageKey>,
}

/// The scan's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// A gated purpose seen where it must not be: exit 1.
    pub leaks: Vec<Value>,
    /// Everything else worth fixing in the config or the site.
    pub findings: Vec<Value>,
    /// Every cookie, first seen where.
    pub cookies: Vec<Value>,
    /// Every third-party host contacted.
    pub hosts: Vec<Value>,
    /// Every storage key.
    pub storage: Vec<Value>,
    /// Draft `vendors` entries for what is undeclared.
    pub draft_vendors: Vec<Value>,
}

/// Accord's own cookies: the record, the opt-out marker, the account cookie.
fn accords_own(config: &Config, name: &str) -> bool {
    name == config.cookie_name
        || name == accord_core::record::marker_name(config)
        || name == accord_core::account::account_cookie_name(config)
}

/// Is `purpose` one that needs consent (a purpose a person can refuse and that is off
/// until they accept)?
fn gated(config: &Config, purpose: &str) -> bool {
    config
        .purpose(purpose)
        .is_some_and(|p| p.basis == Basis::Consent)
}

/// `host[:port]` of `url`, and whether it is another origin than `page`'s.
fn third_party(url: &str, page: &str) -> Option<(String, Option<u16>)> {
    let (h, p) = url_host_port(url)?;
    let mine = url_host_port(page);
    (mine.as_ref() != Some(&(h.clone(), p))).then_some((h, p))
}

/// Where something was first seen, in the report.
fn first_seen(scenario: Scenario, page: &str, phase: Phase) -> Value {
    json!({"scenario": scenario.code(), "page": page, "phase": phase.code()})
}

/// A leak, when `v`'s purpose needs consent and is not granted in the phase `at` was
/// seen in: `what` is the leak's kind and the key and value naming what was seen;
/// `why` the words around the vendor in the sentence.
fn leak(
    config: &Config,
    now: i64,
    (scenario, page, phase): (Scenario, &str, Phase),
    v: &accord_core::config::Vendor,
    (kind, key, value): (&str, &str, &str),
    (subject, verb): (&str, &str),
) -> Option<Value> {
    let allowed = accord_core::record::granted(config, &phase.choice(config, now), &v.purpose);
    if !gated(config, &v.purpose) || allowed {
        return None;
    }
    let mut found = json!({
        "kind": kind,
        "scenario": scenario.code(),
        "page": page,
        "phase": phase.code(),
        "vendor": v.id,
        "purpose": v.purpose,
        "why": format!("{subject} ({} for \"{}\"){verb} {}", v.id, v.purpose, phase.words()),
    });
    found[key] = json!(value);
    Some(found)
}

fn label(host: &str, port: Option<u16>) -> String {
    accord_core::hosts::host_label(host, port)
}

/// Judges what was seen against `config` (`now`: the time of the scan).
pub fn judge(config: &Config, seen: &Observed, now: i64) -> Report {
    let mut r = Report {
        leaks: Vec::new(),
        findings: Vec::new(),
        cookies: Vec::new(),
        hosts: Vec::new(),
        storage: Vec::new(),
        draft_vendors: Vec::new(),
    };
    let mut undeclared_hosts: Vec<String> = Vec::new();
    for q in &seen.requests {
        let Some((host, port)) = third_party(&q.url, &q.page) else {
            continue;
        };
        let name = label(&host, port);
        let vendor = vendor_for_host(config, &host, port);
        if !r.hosts.iter().any(|h| h["host"] == name.as_str()) {
            r.hosts.push(json!({
                "host": name,
                "vendor": vendor.map(|v| v.id.as_str()),
                "purpose": vendor.map(|v| v.purpose.as_str()),
                "declared": declared_host(config, &host, port),
                "first_seen": first_seen(q.scenario, &q.page, q.phase),
            }));
        }
        if let Some(v) = vendor {
            let at = (q.scenario, q.page.as_str(), q.phase);
            let what = ("request", "url", q.url.as_str());
            r.leaks.extend(leak(
                config,
                now,
                at,
                v,
                what,
                (&format!("a request to {name}"), ""),
            ));
        } else if !declared_host(config, &host, port) && !undeclared_hosts.contains(&name) {
            undeclared_hosts.push(name.clone());
            r.findings.push(json!({
                "kind": "undeclared-host",
                "host": name,
                "scenario": q.scenario.code(),
                "page": q.page,
                "why": format!("{name} is contacted but no vendor declares it (and it is not in allowed_hosts)"),
            }));
        }
    }
    let mut undeclared_cookies: Vec<(String, String, u32)> = Vec::new();
    for c in &seen.cookies {
        let owner = cookie_owner(config, &c.name);
        let days = c
            .expires
            .map(|e| ((e - c.seen_at as f64) / 86_400.0).ceil().max(0.0) as u32);
        if !r
            .cookies
            .iter()
            .any(|k| k["name"] == c.name.as_str() && k["domain"] == c.domain.as_str())
        {
            r.cookies.push(json!({
                "name": c.name,
                "domain": c.domain,
                "path": c.path,
                "expires": c.expires.map(|e| accord_core::calendar::to_iso(e as i64)),
                "days_left": days,
                "vendor": owner.map(|v| v.id.as_str()),
                "purpose": owner.map(|v| v.purpose.as_str()),
                "first_seen": first_seen(c.scenario, &c.page, c.phase),
            }));
            if let (Some(d), Some(v)) = (days, owner) {
                let declared = v
                    .cookies
                    .iter()
                    .find(|k| accord_core::hosts::glob_match(&k.name, &c.name))
                    .map(|k| k.lifetime_days);
                if let Some(limit) = declared.filter(|l| d > l + 1) {
                    r.findings.push(json!({
                        "kind": "lifetime-exceeded",
                        "cookie": c.name,
                        "vendor": v.id,
                        "days_left": d,
                        "declared_days": limit,
                        "why": format!("{} lives {d} more days; {} declares {limit}", c.name, v.id),
                    }));
                }
            }
            if days.is_some_and(|d| d > MAX_COOKIE_DAYS + 1) {
                r.findings.push(json!({
                    "kind": "over-13-months",
                    "cookie": c.name,
                    "days_left": days,
                    "why": format!("{} lives {} more days: more than 13 months ({MAX_COOKIE_DAYS} days)", c.name, days.unwrap_or(0)),
                }));
            }
            if owner.is_none()
                && !accords_own(config, &c.name)
                && !undeclared_cookies.iter().any(|(n, _, _)| n == &c.name)
            {
                undeclared_cookies.push((
                    c.name.clone(),
                    c.domain.clone(),
                    days.unwrap_or(1).clamp(1, MAX_COOKIE_DAYS),
                ));
                r.findings.push(json!({
                    "kind": "undeclared-cookie",
                    "cookie": c.name,
                    "domain": c.domain,
                    "why": format!("{} ({}) is set but no vendor declares it", c.name, c.domain),
                }));
            }
        }
        if let Some(v) = owner {
            let at = (c.scenario, c.page.as_str(), c.phase);
            let what = ("cookie", "cookie", c.name.as_str());
            let subject = format!("the cookie {}", c.name);
            r.leaks
                .extend(leak(config, now, at, v, what, (&subject, " is in the jar")));
        }
    }
    for k in &seen.storage {
        if !r
            .storage
            .iter()
            .any(|s| s["area"] == k.area.as_str() && s["key"] == k.key.as_str())
        {
            r.storage.push(json!({
                "area": k.area,
                "key": k.key,
                "first_seen": first_seen(k.scenario, &k.page, k.phase),
            }));
        }
    }
    // One draft vendor per undeclared host, with the undeclared cookies of its domain;
    // the cookies of no such host in one draft of the site's own.
    let mut left = undeclared_cookies.clone();
    for (i, host) in undeclared_hosts.iter().enumerate() {
        let bare = host.split(':').next().unwrap_or(host).to_owned();
        let (mine, rest): (Vec<_>, Vec<_>) = left
            .into_iter()
            .partition(|(_, d, _)| d.trim_start_matches('.') == bare);
        left = rest;
        r.draft_vendors
            .push(draft(&format!("vendor-{}", i + 1), host, Some(host), &mine));
    }
    if !left.is_empty() {
        r.draft_vendors.push(draft(
            "site-cookies",
            "(cookies du site / the site's cookies)",
            None,
            &left,
        ));
    }
    r
}

fn draft(id: &str, name: &str, host: Option<&str>, cookies: &[(String, String, u32)]) -> Value {
    json!({
        "id": id,
        "name": name,
        "purpose": "A COMPLETER / TO FILL IN",
        "hosts": host.map_or(Vec::new(), |h| vec![h]),
        "cookies": cookies
            .iter()
            .map(|(n, _, d)| json!({"name": n, "lifetime_days": d}))
            .collect::<Vec<_>>(),
    })
}

impl Report {
    /// The report as one JSON document.
    pub fn to_json(&self) -> Value {
        json!({
            "leaks": self.leaks,
            "findings": self.findings,
            "cookies": self.cookies,
            "hosts": self.hosts,
            "storage": self.storage,
            "draft_vendors": self.draft_vendors,
        })
    }

    /// The human summary, French then English words.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "{} fuite(s) / leak(s), {} constat(s) / finding(s); {} cookie(s), {} hôte(s) tiers / third-party host(s), {} clé(s) de stockage / storage key(s)\n",
            self.leaks.len(),
            self.findings.len(),
            self.cookies.len(),
            self.hosts.len(),
            self.storage.len()
        ));
        for l in &self.leaks {
            out.push_str(&format!(
                "FUITE / LEAK [{} · {}] {}\n",
                l["scenario"].as_str().unwrap_or(""),
                l["page"].as_str().unwrap_or(""),
                l["why"].as_str().unwrap_or("")
            ));
        }
        for f in &self.findings {
            out.push_str(&format!(
                "CONSTAT / FINDING [{}] {}\n",
                f["kind"].as_str().unwrap_or(""),
                f["why"].as_str().unwrap_or("")
            ));
        }
        if !self.draft_vendors.is_empty() {
            out.push_str("Brouillon des vendors à déclarer / draft vendors to declare:\n");
            out.push_str(&serde_json::to_string_pretty(&self.draft_vendors).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}
