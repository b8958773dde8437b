//! Storage attributed as it is written (issue 12, item 1). Vendors write `localStorage`
//! keys, IndexedDB databases and caches under names no insurer knows; GDPR art. 7(3) and
//! loi Informatique et Libertés art. 82 still want them gone when the consent is. The
//! loader sees every write (`Storage.setItem`, `indexedDB.open`, `caches.open`) and the
//! script on the call stack that made it; this decides whose it is, whether it may
//! happen, and keeps the names in a first-party ledger so the purpose's withdrawal (or
//! lapse) deletes them, in every tab.

use super::config::{Basis, Config};
use super::firewall::vendor_for_host;
use super::hosts::url_host_port;

/// Where a write goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// `localStorage` or `sessionStorage` (a key).
    Storage,
    /// An IndexedDB database.
    Database,
    /// A Cache API cache.
    Cache,
}

impl Store {
    /// The loader's word for it, also the ledger's.
    pub fn code(self) -> &'static str {
        match self {
            Store::Storage => "storage",
            Store::Database => "idb",
            Store::Cache => "cache",
        }
    }

    /// How `Accord.audit()` names a stored `name`: a key as is, `indexedDB:<name>`,
    /// `caches:<name>`.
    pub fn label(self, name: &str) -> String {
        match self {
            Store::Storage => name.to_owned(),
            Store::Database => format!("indexedDB:{name}"),
            Store::Cache => format!("caches:{name}"),
        }
    }

    /// The store a loader or ledger code names (`storage`, `idb`, `cache`), if any.
    pub fn from_code(s: &str) -> Option<Store> {
        match s {
            "storage" => Some(Store::Storage),
            "idb" => Some(Store::Database),
            "cache" => Some(Store::Cache),
            _ => None,
        }
    }
}

/// At most this many names are remembered; past it, an attributed write is refused
/// (unsure: it could not be purged).
pub const LEDGER_MAX: usize = 1000;

/// Accord's own storage keys (`accord.c`, `accord.ledger`, …): never a vendor's, even
/// when a vendor's script on the stack called the API that wrote them.
pub fn is_own(name: &str) -> bool {
    name.starts_with("accord.")
}

/// The purpose whose vendor wrote, from the script URL the loader found on the call
/// stack (the innermost one of another origin). `None`: no declared vendor's script
/// (an undeclared host's, which follows `unknown_hosts` for its requests but owns no
/// purpose), so the write is the site's business.
pub fn writer_purpose<'a>(config: &'a Config, script_url: &str) -> Option<&'a str> {
    let (host, port) = url_host_port(script_url)?;
    vendor_for_host(config, &host, port).map(|v| v.purpose.as_str())
}

/// The writer's script URL read off a call stack (`new Error().stack`, innermost frame
/// first): the innermost URL that is not one of Accord's files (under `base`, the
/// loader's folder), as written in the frame (`https://host/x.js:12:34`). `None` when
/// there is none, or when it is the page's own (`page_host`, `host[:port]`): a site's
/// script writes for the site, even when a vendor's code called it back.
pub fn writer<'a>(stack: &'a str, base: &str, page_host: &str) -> Option<&'a str> {
    let mut rest = stack;
    while let Some(at) = ["http://", "https://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(tail.len());
        let url = &tail[..end];
        rest = &tail[end..];
        if !base.is_empty() && url.starts_with(base) {
            continue;
        }
        let host = url.split('/').nth(2).unwrap_or("");
        return (!host.eq_ignore_ascii_case(page_host)).then_some(url);
    }
    None
}

/// The names vendors wrote, by purpose: `1`, then one `<purpose> <kind> <name>` per line
/// (`\n` only; a name holding `\n` is never recorded). It lives in `localStorage`, so any
/// script can damage it: unreadable lines are skipped (only purging is lost).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageLedger {
    entries: Vec<(String, Store, String)>,
}

impl StorageLedger {
    /// Reads the stored text; anything but format `1` is an empty ledger.
    pub fn decode(text: &str) -> StorageLedger {
        let mut lines = text.split('\n');
        if lines.next() != Some("1") {
            return StorageLedger::default();
        }
        let entries = lines
            .filter_map(|l| {
                let (purpose, rest) = l.split_once(' ')?;
                let (kind, name) = rest.split_once(' ')?;
                Some((purpose.to_owned(), Store::from_code(kind)?, name.to_owned()))
            })
            .filter(|(p, _, n)| !p.is_empty() && !n.is_empty())
            .take(LEDGER_MAX)
            .collect();
        StorageLedger { entries }
    }

    /// The text to store: `1`, then one `<purpose> <kind> <name>` line per name.
    pub fn encode(&self) -> String {
        let mut out = String::from("1");
        for (p, k, n) in &self.entries {
            out.push('\n');
            out.push_str(p);
            out.push(' ');
            out.push_str(k.code());
            out.push(' ');
            out.push_str(n);
        }
        out
    }

    /// Remembers that `purpose`'s vendor wrote `name`. Returns `Some(changed)`, or `None`
    /// when it cannot be remembered (a name with a newline, a full ledger).
    pub fn add(&mut self, purpose: &str, kind: Store, name: &str) -> Option<bool> {
        if self
            .entries
            .iter()
            .any(|(p, k, n)| p == purpose && *k == kind && n == name)
        {
            return Some(false);
        }
        if name.is_empty() || name.contains('\n') || self.entries.len() >= LEDGER_MAX {
            return None;
        }
        self.entries
            .push((purpose.to_owned(), kind, name.to_owned()));
        Some(true)
    }

    /// What `purposes`' vendors wrote. The entries stay: another tab's sessionStorage may
    /// hold the same keys until its own purge.
    pub fn of<'a>(&'a self, purposes: &'a [String]) -> impl Iterator<Item = (Store, &'a str)> {
        self.entries
            .iter()
            .filter(move |(p, _, _)| purposes.contains(p))
            .map(|(_, k, n)| (*k, n.as_str()))
    }

    /// How many names are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no name is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What to do with a write made while `script_url`'s code was on the stack, given which
/// purposes are granted now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write<'a> {
    /// Not a vendor's, or Accord's own: the site's business.
    Free,
    /// A granted purpose's vendor: written, and remembered under that purpose.
    Remember(&'a str),
    /// A purpose not granted (a vendor's code still running after a withdrawal): refused,
    /// and whatever it wrote before is deleted.
    Refuse(&'a str),
}

/// What to do with a write of `name` made while `script_url`'s code was on the stack,
/// given which purposes are `granted` now.
pub fn write_decision<'a>(
    config: &'a Config,
    granted: impl Fn(&str) -> bool,
    script_url: &str,
    name: &str,
) -> Write<'a> {
    if is_own(name) {
        return Write::Free;
    }
    match writer_purpose(config, script_url) {
        None => Write::Free,
        // A necessary vendor's storage is never purged: nothing to remember.
        Some(p)
            if config
                .purpose(p)
                .is_some_and(|p| p.basis == Basis::Necessary) =>
        {
            Write::Free
        }
        Some(p) if granted(p) => Write::Remember(p),
        Some(p) => Write::Refuse(p),
    }
}
