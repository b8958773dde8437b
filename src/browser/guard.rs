//! The Rust side of the loader's hooks: the loader asks, this answers. Installs the
//! answers (`ask`, `askText`, `ice`, `cookieText`, `cookieSet`, `cookieGet`,
//! `cookieSeen`, `stored`) on the loader's boot object as a [`Guard`] whose `Drop`
//! puts the loader back to holding, and tells the loader when the answers may have
//! changed (`changed`).

use super::loader::{self, attach, Boot};
use super::storage::{self, Area};
use crate::env;
use accord_core::attribution::{write_decision, StorageLedger, Store, Write};
use accord_core::calendar::Timestamp;
use accord_core::config::Config;
use accord_core::cookies::{clamp, reclamp, CookieWrite, Ledger, StoredCookie};
use accord_core::firewall::{
    cookie_owner, cookie_verdict, declared_host, loader_cache, request_verdict, Verdict,
};
use accord_core::hosts::{host_label, url_host_port};
use accord_core::record::{granted, Choice};
use accord_core::text_urls::{urls_in, TextKind};
use gloo_events::EventListener;
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use std::cell::RefMut;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const LEDGER_KEY: &str = "accord.ledger";
/// The names vendors wrote, by purpose (`core::attribution::StorageLedger`).
const STORAGE_LEDGER_KEY: &str = "accord.storage";
/// Read by the loader before the module answers (see `www/accord.js`).
const CACHE_KEY: &str = "accord.c";

/// What the answers need of the page's session, which implements it: the config, the
/// current choice, the audit log, and a way to re-read the jar after a sweep. The
/// guard knows this much, never the session itself (ARCHITECTURE.md, the layering).
pub(crate) trait Decisions {
    fn config(&self) -> &Config;
    fn choice(&self) -> Choice;
    fn audit(&self) -> RefMut<'_, AuditLog>;
    /// Re-reads the record from the jar (another tab may have decided) and applies it.
    fn refresh(&self);
    fn is_granted(&self, purpose: &str) -> bool {
        granted(self.config(), &self.choice(), purpose)
    }
}

/// What the page tried, for `Accord.audit()`.
#[derive(Default)]
pub(crate) struct AuditLog {
    pub hosts: Vec<HostEntry>,
    pub cookies: Vec<CookieEntry>,
    pub purges: Vec<PurgeEntry>,
}

/// One purge: a withdrawal, or the lapse of a record at page load.
pub(crate) struct PurgeEntry {
    pub reason: &'static str,
    pub purposes: Vec<String>,
    pub cookies: Vec<String>,
    /// Storage keys, and `indexedDB:<name>` / `caches:<name>`.
    pub storage: Vec<String>,
    /// Loading elements of the purposes' vendors removed from the page.
    pub nodes: u32,
}

pub(crate) struct HostEntry {
    pub host: String,
    /// A vendor's or an allowed host (as the firewall matched it).
    pub declared: bool,
    pub vendor: Option<String>,
    pub purpose: Option<String>,
    pub held: u32,
    pub blocked: u32,
    pub allowed: u32,
}

pub(crate) struct CookieEntry {
    pub name: String,
    pub vendor: Option<String>,
    pub purpose: Option<String>,
    pub expires: Option<Timestamp>,
    pub first_deposit: Timestamp,
    pub clamped: bool,
    pub held: u32,
    pub blocked: u32,
    /// Times it was found in the jar while its purpose was not granted, and deleted.
    pub swept: u32,
    /// Where it was last found that way (`cookieStore`, `load`, `visibilitychange`).
    pub swept_by: Option<&'static str>,
}

impl AuditLog {
    fn host(&mut self, host: String, vendor: Option<(&str, &str)>, declared: bool, v: Verdict) {
        let entry = match self.hosts.iter_mut().position(|e| e.host == host) {
            Some(i) => &mut self.hosts[i],
            None => {
                self.hosts.push(HostEntry {
                    host,
                    declared,
                    vendor: vendor.map(|(id, _)| id.to_owned()),
                    purpose: vendor.map(|(_, p)| p.to_owned()),
                    held: 0,
                    blocked: 0,
                    allowed: 0,
                });
                self.hosts.last_mut().expect("just pushed")
            }
        };
        match v {
            Verdict::Allow => entry.allowed += 1,
            Verdict::Hold => entry.held += 1,
            Verdict::Block => entry.blocked += 1,
        }
    }

    pub(crate) fn cookie(&mut self, name: &str) -> &mut CookieEntry {
        match self.cookies.iter().position(|e| e.name == name) {
            Some(i) => &mut self.cookies[i],
            None => {
                self.cookies.push(CookieEntry {
                    name: name.to_owned(),
                    vendor: None,
                    purpose: None,
                    expires: None,
                    first_deposit: 0,
                    clamped: false,
                    held: 0,
                    blocked: 0,
                    swept: 0,
                    swept_by: None,
                });
                self.cookies.last_mut().expect("just pushed")
            }
        }
    }
}

fn load_ledger() -> Ledger {
    storage::get(Area::Local, LEDGER_KEY)
        .ok()
        .flatten()
        .map(|t| Ledger::decode(&t, env::now()))
        .unwrap_or_default()
}

/// Without a store the first deposits are kept for this page only: each cookie is
/// still clamped to 13 months from the first deposit this page saw.
fn save_ledger(l: &Ledger) {
    let _ = storage::set(Area::Local, LEDGER_KEY, &l.encode());
}

/// The answer for one absolute URL, logged for the audit.
/// The most restricted answer of the URLs a text names (`kind`: the loader's word).
fn text_code<D: Decisions + ?Sized>(s: &D, kind: &str, text: String) -> u8 {
    let Some(kind) = TextKind::from_code(kind) else {
        return Verdict::Block.code();
    };
    let text = if kind == TextKind::Strings {
        // Speculation rules: their string leaves, one per line; unreadable: refused.
        match js_sys::JSON::parse(&text) {
            Ok(v) => {
                let mut out = String::new();
                string_leaves(&v, &mut out);
                out
            }
            Err(_) => return Verdict::Block.code(),
        }
    } else {
        text
    };
    let scheme = env::window()
        .location()
        .protocol()
        .unwrap_or_default()
        .trim_end_matches(':')
        .to_owned();
    urls_in(kind, &text, &scheme)
        .iter()
        .map(|u| request_code(s, u))
        .max()
        .unwrap_or(0)
}

fn request_code<D: Decisions + ?Sized>(s: &D, url: &str) -> u8 {
    let Some((host, port)) = url_host_port(url) else {
        return Verdict::Block.code(); // a network URL without a host: nothing to allow
    };
    // The page's own origin is the loader's to allow (it never asks for it), but a text
    // may name it: allowed here too.
    let loc = env::window().location();
    if loc.host().ok().as_deref() == Some(host_label(&host, port).as_str())
        || (loc.hostname().ok().as_deref() == Some(host.as_str())
            && loc.port().ok().and_then(|p| p.parse::<u16>().ok()) == port)
    {
        return Verdict::Allow.code();
    }
    let choice = s.choice();
    let (v, vendor) = request_verdict(s.config(), &choice, &host, port);
    let label = host_label(&host, port);
    // Declared: a vendor's, or an allowed host (as matched: wildcards, explicit ports).
    let declared = vendor.is_some() || declared_host(s.config(), &host, port);
    s.audit().host(
        label,
        vendor.map(|v| (v.id.as_str(), v.purpose.as_str())),
        declared,
        v,
    );
    v.code()
}

/// Every string inside a parsed JSON value, one per line.
fn string_leaves(v: &JsValue, out: &mut String) {
    if let Some(s) = v.as_string() {
        out.push_str(&s);
        out.push('\n');
    } else if js_sys::Array::is_array(v) {
        for item in js_sys::Array::from(v).iter() {
            string_leaves(&item, out);
        }
    } else if v.is_object() {
        for entry in js_sys::Object::values(&js_sys::Object::from(v.clone())).iter() {
            string_leaves(&entry, out);
        }
    }
}

/// The storage names vendors wrote, as remembered so far.
pub(crate) fn storage_ledger() -> StorageLedger {
    storage::get(Area::Local, STORAGE_LEDGER_KEY)
        .ok()
        .flatten()
        .map(|t| StorageLedger::decode(&t))
        .unwrap_or_default()
}

/// Deletes one stored name (a key of both stores, a database, a cache).
pub(crate) fn delete_stored(kind: Store, name: &str) {
    match kind {
        Store::Storage => storage::remove(name),
        Store::Database => storage::delete_database(name),
        Store::Cache => storage::delete_cache(name),
    }
}

/// The module's answers, installed on the loader. Dropping it puts the loader back to
/// holding everything (`B.hold`) before the answers are freed: a hook never calls into
/// a widget that is gone, and nothing is let through for want of an answer.
pub(crate) struct Guard {
    boot: Boot,
    _ask: Closure<dyn Fn(String, String) -> u8>,
    _ask_text: Closure<dyn Fn(String, String) -> u8>,
    _ice: Closure<dyn Fn(JsValue) -> JsValue>,
    _cookie_text: Closure<dyn Fn(JsValue, JsValue) -> String>,
    _cookie_set: Closure<dyn Fn(String) -> JsValue>,
    _cookie_get: Closure<dyn Fn(String) -> String>,
    _cookie_seen: Closure<dyn Fn(String) -> bool>,
    _stored: Closure<dyn Fn(String, String, String) -> u8>,
    _jar: Option<EventListener>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        loader::hold(&self.boot);
    }
}

/// The loader has already failed closed (module too late, config refused): nothing
/// may run.
pub(crate) struct FailedClosed;

/// Installs the answers on the loader's boot object; `Ok(None)` on a page without the
/// loader (a test page).
pub(crate) fn install<D: Decisions + 'static>(
    boot: Option<&Boot>,
    session: &Rc<D>,
) -> Result<Option<Guard>, FailedClosed> {
    let Some(boot) = boot else {
        return Ok(None);
    };
    attach(boot);
    let ledger = Rc::new(RefCell::new(load_ledger()));
    let ask = ask(session.clone());
    let ask_text = ask_text(session.clone());
    let ice = ice(session.clone());
    let cookie_text = cookie_text();
    let cookie_set = cookie_set(session.clone(), ledger.clone());
    let cookie_get = cookie_get(session.clone());
    let cookie_seen = cookie_seen(session.clone());
    let stored = stored(session.clone());
    boot.set_ask(&ask);
    boot.set_ask_text(&ask_text);
    boot.set_ice(&ice);
    boot.set_cookie_text(&cookie_text);
    boot.set_cookie_set(&cookie_set);
    boot.set_cookie_get(&cookie_get);
    boot.set_cookie_seen(&cookie_seen);
    boot.set_stored(&stored);

    let pass = Reclamp {
        session: session.clone(),
        ledger,
        state: std::rc::Rc::new(std::cell::Cell::new(0)),
    };
    pass.run();
    let guard = Guard {
        boot: boot.clone(),
        _ask: ask,
        _ask_text: ask_text,
        _ice: ice,
        _cookie_text: cookie_text,
        _cookie_set: cookie_set,
        _cookie_get: cookie_get,
        _cookie_seen: cookie_seen,
        _stored: stored,
        _jar: watch_cookie_store(pass),
    };
    if loader::ready(boot) {
        Ok(Some(guard))
    } else {
        // Already failed closed: the loader stays closed (`hold` does nothing then).
        Err(FailedClosed)
    }
}

/// `B.ask(kind, url)`: the answer for one URL (`request_code`).
fn ask<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(String, String) -> u8> {
    Closure::new(move |_kind: String, url: String| request_code(&*s, &url))
}

/// `B.askText(kind, text)`: a text naming URLs (a srcdoc's HTML, speculation rules, a
/// font's sources, CSS, ICE servers): the most restricted answer of the URLs it names
/// (core::text_urls).
fn ask_text<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(String, String) -> u8> {
    Closure::new(move |kind: String, text: String| text_code(&*s, &kind, text))
}

/// `B.ice(servers)`: a peer connection's ICE servers, without those naming a gated host.
fn ice<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(JsValue) -> JsValue> {
    Closure::<dyn Fn(JsValue) -> JsValue>::new(move |servers: JsValue| {
        let kept = js_sys::Array::new();
        if let Ok(list) = servers.dyn_into::<js_sys::Array>() {
            for server in list.iter() {
                let urls = Reflect::get(&server, &"urls".into())
                    .ok()
                    .filter(|u| !u.is_undefined() && !u.is_null())
                    .or_else(|| Reflect::get(&server, &"url".into()).ok())
                    .unwrap_or(JsValue::UNDEFINED);
                // As the browser reads them: a string, or any iterable of values it turns
                // into strings (a URL object, a String, a Set).
                let word = |u: &JsValue| {
                    u.as_string()
                        .or_else(|| {
                            u.dyn_ref::<js_sys::Object>()
                                .map(|o| String::from(o.to_string()))
                        })
                        .unwrap_or_default()
                };
                let text = match (urls.as_string(), js_sys::try_iter(&urls)) {
                    (Some(one), _) => one,
                    (None, Ok(Some(items))) => items
                        .filter_map(Result::ok)
                        .map(|u| word(&u))
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => word(&urls),
                };
                if text_code(&*s, "ice", text) == Verdict::Allow.code() {
                    kept.push(&server);
                }
            }
        }
        kept.into()
    })
}

/// `B.cookieText(a, b)`: a `cookieStore.set` call as the cookie string
/// `document.cookie` would get (so it gets the same answers).
fn cookie_text() -> Closure<dyn Fn(JsValue, JsValue) -> String> {
    Closure::<dyn Fn(JsValue, JsValue) -> String>::new(move |a: JsValue, b: JsValue| {
        let text =
            |o: &JsValue, k: &str| Reflect::get(o, &k.into()).ok().and_then(|v| v.as_string());
        let (name, value, path, domain, expires, same_site) = if a.is_object() {
            let expires = Reflect::get(&a, &"expires".into()).ok().and_then(|v| {
                v.as_f64()
                    .or_else(|| v.dyn_ref::<js_sys::Date>().map(|d| d.get_time()))
            });
            (
                text(&a, "name").unwrap_or_default(),
                text(&a, "value").unwrap_or_default(),
                text(&a, "path"),
                text(&a, "domain"),
                expires,
                text(&a, "sameSite"),
            )
        } else {
            let s = |v: &JsValue| v.as_string().unwrap_or_default();
            (s(&a), s(&b), None, None, None, None)
        };
        accord_core::cookies::cookie_store_text(
            &name,
            &value,
            path.as_deref(),
            domain.as_deref(),
            expires,
            same_site.as_deref(),
        )
        .unwrap_or_default()
    })
}

/// `B.cookieSet(text)`: a cookie write, clamped to 13 months from its first deposit
/// (the ledger), or held or blocked.
fn cookie_set<D: Decisions + 'static>(
    s: Rc<D>,
    led: Rc<RefCell<Ledger>>,
) -> Closure<dyn Fn(String) -> JsValue> {
    let dirty = std::rc::Rc::new(std::cell::Cell::new(false));
    Closure::<dyn Fn(String) -> JsValue>::new(move |text: String| {
        let now = env::now();
        let Some(write) = CookieWrite::parse(&text, now) else {
            return JsValue::from_str(&text);
        };
        let choice = s.choice();
        let verdict = cookie_verdict(s.config(), &choice, &write.name);
        let owner = cookie_owner(s.config(), &write.name);
        let mut audit = s.audit();
        let entry = audit.cookie(&write.name);
        entry.vendor = owner.map(|v| v.id.clone());
        entry.purpose = owner.map(|v| v.purpose.clone());
        match verdict {
            Verdict::Hold => {
                entry.held += 1;
                return JsValue::from(1);
            }
            Verdict::Block => {
                entry.blocked += 1;
                return JsValue::from(2);
            }
            Verdict::Allow => {}
        }
        if write.is_deletion(now) {
            return JsValue::from_str(&text);
        }
        let present = || super::cookies::all().iter().any(|(n, _)| *n == write.name);
        let (first, changed) = led.borrow_mut().first_deposit(&write.name, now, present);
        if changed && !dirty.replace(true) {
            // One storage write per task, however many cookies the page writes.
            let (led, dirty) = (led.clone(), dirty.clone());
            wasm_bindgen_futures::spawn_local(async move {
                dirty.set(false);
                save_ledger(&led.borrow());
            });
        }
        let c = clamp(&text, &write, first, now);
        entry.first_deposit = first;
        entry.expires = c.expires;
        entry.clamped |= c.clamped;
        JsValue::from_str(&c.text)
    })
}

/// `B.cookieGet(raw)`: the jar as the page may read it.
fn cookie_get<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(String) -> String> {
    Closure::new(move |raw: String| {
        let choice = s.choice();
        raw.split(';')
            .map(str::trim)
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or("").trim();
                !pair.is_empty() && cookie_verdict(s.config(), &choice, name) == Verdict::Allow
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// `B.cookieSeen(name)`: may the page see this cookie?
fn cookie_seen<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(String) -> bool> {
    Closure::new(move |name: String| {
        cookie_verdict(s.config(), &s.choice(), &name) == Verdict::Allow
    })
}

/// `B.stored(kind, name, stack)`: storage written with a vendor's script on the call
/// stack (the loader passes the stack; core::attribution::writer reads the writer's
/// URL off it).
fn stored<D: Decisions + 'static>(s: Rc<D>) -> Closure<dyn Fn(String, String, String) -> u8> {
    // Accord's folder: the loader imports the module from its own folder, so the module's
    // own frames on a call stack (`…/accord_widget_bg.wasm`, `…/accord_widget.js`) name
    // it, whatever the loader file is called.
    let base = Reflect::get(&js_sys::Error::new(""), &"stack".into())
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|stack| {
            stack
                .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                .filter(|t| t.starts_with("http"))
                .find_map(|t| t.find("/accord_widget").map(|i| t[..=i].to_owned()))
        })
        .unwrap_or_default();
    let page_host = env::window().location().host().unwrap_or_default();
    Closure::<dyn Fn(String, String, String) -> u8>::new(
        move |kind: String, name: String, stack: String| {
            let Some(kind) = Store::from_code(&kind) else {
                return 0;
            };
            let Some(url) = accord_core::attribution::writer(&stack, &base, &page_host) else {
                return 0;
            };
            match write_decision(s.config(), |p| s.is_granted(p), url, &name) {
                Write::Free => 0,
                Write::Remember(purpose) => {
                    let mut ledger = storage_ledger();
                    match ledger.add(purpose, kind, &name) {
                        Some(false) => 0,
                        // A name the ledger could not keep could not be purged on a
                        // withdrawal: refused (GDPR art. 7(3)).
                        Some(true) => {
                            match storage::set(Area::Local, STORAGE_LEDGER_KEY, &ledger.encode()) {
                                Ok(()) => 0,
                                Err(_) => 2,
                            }
                        }
                        None => 2, // it could not be purged later: refused
                    }
                }
                Write::Refuse(purpose) => {
                    // What it wrote before under that purpose (the loader's answer came
                    // late) goes too; a name the ledger does not give it is left alone
                    // (it may be the site's).
                    let ids = [purpose.to_owned()];
                    if storage_ledger()
                        .of(&ids)
                        .any(|(k, n)| k == kind && n == name)
                    {
                        delete_stored(kind, &name);
                    }
                    2
                }
            }
        },
    )
}

/// The jar is watched, not only the setter: a vendor's declared cookie found in the
/// jar while its purpose is not granted got there by a path the hooks did not see (a
/// realm the page reached first, a worker's `cookieStore`, an HTTP response of a
/// first-party proxy, a consent that ended): it is deleted at once, every Domain and
/// Path variant, and listed in `Accord.audit()` with where it was seen (`by`). Loi
/// Informatique et Libertés art. 82: no tracker is read or written without consent.
pub(crate) fn sweep<D: Decisions + ?Sized>(session: &D, by: &'static str) {
    let config = session.config();
    let choice = session.choice();
    let own = [
        config.cookie_name.clone(),
        accord_core::record::marker_name(config),
    ];
    let mut seen: Vec<String> = Vec::new();
    for (name, _) in super::cookies::all() {
        if own.contains(&name) || seen.contains(&name) {
            continue;
        }
        let Some(owner) = cookie_owner(config, &name) else {
            continue;
        };
        if cookie_verdict(config, &choice, &name) == Verdict::Allow {
            continue;
        }
        super::cookies::delete_everywhere(&name);
        let mut audit = session.audit();
        let entry = audit.cookie(&name);
        entry.vendor = Some(owner.id.clone());
        entry.purpose = Some(owner.purpose.clone());
        entry.swept += 1;
        entry.swept_by = Some(by);
        seen.push(name);
    }
}

/// Sweeps when the tab comes back into view (browsers without `cookieStore` events:
/// the jar may have changed in another realm or by HTTP meanwhile). Stops when dropped.
pub(crate) fn sweep_on_visibility<D: Decisions + 'static>(
    session: std::rc::Weak<D>,
) -> EventListener {
    EventListener::new(&env::document(), "visibilitychange", move |_| {
        let Some(s) = session.upgrade() else {
            return;
        };
        if env::document().visibility_state() == web_sys::VisibilityState::Visible {
            s.refresh(); // another tab may have decided meanwhile
            sweep(&*s, "visibilitychange");
        }
    })
}

/// `window.cookieStore`, where the browser has it (Chromium, recent Safari).
fn cookie_store() -> Option<JsValue> {
    let cs = Reflect::get(&env::window(), &"cookieStore".into()).ok()?;
    (cs.is_object()).then_some(cs)
}

/// A `cookieStore` entry as the core's [`StoredCookie`].
fn stored_cookie(item: &JsValue) -> Option<StoredCookie> {
    let text = |k: &str| {
        Reflect::get(item, &k.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let flag = |k: &str| {
        Reflect::get(item, &k.into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    };
    let expires = Reflect::get(item, &"expires".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map(|ms| (ms / 1000.0).floor() as Timestamp);
    Some(StoredCookie {
        name: text("name")?,
        value: text("value").unwrap_or_default(),
        domain: text("domain"),
        path: text("path").unwrap_or_else(|| "/".to_owned()),
        expires,
        secure: flag("secure"),
        partitioned: flag("partitioned"),
        same_site: text("sameSite"),
    })
}

/// Tracker cookies that reached the jar without going through the page's hooks (set by
/// an HTTP response, or before Accord ran) are brought back to at most 13 months after
/// their first deposit, as Accord first saw it. Only vendors' declared cookies: the
/// site's own server cookies are its own business. Needs `cookieStore` (which gives a
/// cookie's expiry, domain and path); elsewhere, nothing happens.
struct Reclamp<D> {
    session: Rc<D>,
    ledger: std::rc::Rc<RefCell<Ledger>>,
    /// 0 idle, 1 a pass is running, 2 running and another is wanted: a burst of cookie
    /// changes costs two passes, not one per change.
    state: std::rc::Rc<std::cell::Cell<u8>>,
}

// Not derived: `Rc<D>` clones whatever `D` is.
impl<D> Clone for Reclamp<D> {
    fn clone(&self) -> Self {
        Reclamp {
            session: self.session.clone(),
            ledger: self.ledger.clone(),
            state: self.state.clone(),
        }
    }
}

impl<D: Decisions + 'static> Reclamp<D> {
    fn run(&self) {
        match self.state.get() {
            0 => self.state.set(1),
            _ => return self.state.set(2),
        }
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                me.pass().await;
                if me.state.get() == 2 {
                    me.state.set(1);
                } else {
                    me.state.set(0);
                    break;
                }
            }
        });
    }

    async fn pass(&self) {
        let (session, ledger) = (&self.session, &self.ledger);
        let Some(cs) = cookie_store() else {
            return;
        };
        let Ok(get_all) =
            Reflect::get(&cs, &"getAll".into()).and_then(|f| f.dyn_into::<Function>())
        else {
            return;
        };
        let Ok(promise) = get_all.call0(&cs) else {
            return;
        };
        let Ok(list) = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await
        else {
            return;
        };
        let now = env::now();
        let own = [
            session.config().cookie_name.clone(),
            accord_core::record::marker_name(session.config()),
        ];
        // Names whose cycle ended and that are gone from the whole jar (read raw: the
        // hooked reader hides refused vendors' cookies) start afresh.
        let jar = super::cookies::all();
        let mut changed = ledger
            .borrow_mut()
            .forget_ended(now, |n| jar.iter().any(|(j, _)| j == n));
        for item in js_sys::Array::from(&list).iter() {
            let Some(c) = stored_cookie(&item) else {
                continue;
            };
            if own.contains(&c.name) || cookie_owner(session.config(), &c.name).is_none() {
                continue;
            }
            // Still there after its 13 months: the same deposit (a new cycle starts only
            // once it has been seen gone, see `forget_ended` above), so it dies now.
            let (first, new) = ledger.borrow_mut().first_deposit(&c.name, now, || true);
            changed |= new;
            if let Some((text, cap)) = reclamp(&c, first) {
                if super::cookies::set_raw(&text) {
                    let mut audit = session.audit();
                    let entry = audit.cookie(&c.name);
                    entry.first_deposit = first;
                    entry.expires = Some(cap);
                    entry.clamped = true;
                }
            }
        }
        if changed {
            save_ledger(&ledger.borrow());
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// `cookieStore`'s `change` event (not in web-sys's stable API).
    type CookieChange;
    /// The cookies written or changed (`CookieListItem`s); absent in old browsers.
    #[wasm_bindgen(method, getter)]
    fn changed(this: &CookieChange) -> JsValue;
}

/// Clamps again whenever the jar changes behind the hooks (`cookieStore`'s `change`
/// event fires for HTTP-set cookies too); the rewrite's own event finds nothing to do.
fn watch_cookie_store<D: Decisions + 'static>(pass: Reclamp<D>) -> Option<EventListener> {
    let cs = cookie_store()?.dyn_into::<web_sys::EventTarget>().ok()?;
    Some(EventListener::new(&cs, "change", move |e| {
        // Only a vendor's declared cookie can need it: the page's other writes are free.
        let changed = e.unchecked_ref::<CookieChange>().changed();
        let declared = js_sys::Array::is_array(&changed)
            && js_sys::Array::from(&changed).iter().any(|c| {
                Reflect::get(&c, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .is_some_and(|n| cookie_owner(pass.session.config(), &n).is_some())
            });
        if declared {
            // Another tab may have just decided (its cookie can change before its
            // announcement arrives): the record in the jar counts, not the last one read.
            pass.session.refresh();
            sweep(&*pass.session, "cookieStore");
            pass.run();
        }
    }))
}

/// The answers may have changed (a decision): the loader re-asks what it holds, and
/// the cookies to hide while the module loads on the next page are remembered.
pub(crate) fn changed(config: &accord_core::config::Config, choice: &accord_core::record::Choice) {
    remember_hidden(config, choice);
    loader::changed();
}

/// Keeps, for the loader of the next page, this answer until the module answers there
/// (see [`loader_cache`]): the loader uses it only while the record and the opt-out
/// marker are the same.
pub(crate) fn remember_hidden(
    config: &accord_core::config::Config,
    choice: &accord_core::record::Choice,
) {
    // Without it the next page's loader holds everything until the module answers.
    let _ = storage::set(Area::Local, CACHE_KEY, &loader_cache(config, choice));
}
