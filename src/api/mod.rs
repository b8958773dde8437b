//! `window.Accord` and the `accord:*` events: the only place where the page's
//! JavaScript values meet the widget. Methods replace the loader's queueing stubs on
//! the same object, then the queued calls are replayed in order.

use crate::browser::loader;
use crate::browser::{cookies, events, tags};
use crate::env::to_js;
use crate::session::{Session, SessionRef, UiSignal};
use accord_core::calendar::to_iso;
use accord_core::firewall::{cookie_owner, vendor_for_host};
use accord_core::hosts::{host_label, url_host_port};
use accord_core::json::{Fields, ToJson};
use accord_core::record::Intent;
use accord_core::rules::ErrorCode;
use js_sys::{Array, Function, Object, Reflect};
use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What `Accord.consent()` returns and `accord:ready` / `accord:change` carry.
struct ConsentView<'a> {
    decided: bool,
    purposes: Grants<'a>,
    decided_at: Option<String>,
    expires_at: Option<String>,
    policy_version: &'a str,
    record_id: Option<&'a str>,
    action: Option<&'a str>,
    /// Exempt purposes the person objected to (the opt-out marker, or the record).
    objections: Vec<&'a str>,
}

/// Purpose id → granted, a JSON object in the config's order. A `Vec`, not a
/// `BTreeMap`: with `Accord.set`'s, the maps' sort and node code were 4.3 KB brotli of
/// the page's module (issue 15).
struct Grants<'a>(Vec<(&'a str, bool)>);

impl ToJson for Grants<'_> {
    fn write_json(&self, out: &mut String) {
        let fields: Vec<(&str, &dyn ToJson)> =
            self.0.iter().map(|(k, v)| (*k, v as &dyn ToJson)).collect();
        Fields(&fields).write_json(out);
    }
}

pub(crate) fn consent_view(s: &Session) -> JsValue {
    let choice = s.choice();
    let record = choice.record();
    let view = ConsentView {
        decided: record.is_some(),
        purposes: Grants(
            s.config
                .purposes
                .iter()
                .map(|p| (p.id.as_str(), s.is_granted(&p.id)))
                .collect(),
        ),
        decided_at: record.map(|r| to_iso(r.decided_at)),
        expires_at: record.map(|r| to_iso(r.expires_at)),
        policy_version: &s.config.policy_version,
        record_id: record.map(|r| r.record_id.as_str()),
        action: record.map(|r| r.action.code()),
        objections: s
            .config
            .exempt()
            .filter(|p| !s.is_granted(&p.id))
            .map(|p| p.id.as_str())
            .collect(),
    };
    to_js(&view)
}

/// Fires `accord:<name>` with the consent view.
pub(crate) fn announce(name: &str, s: &Session) {
    events::emit(name, &consent_view(s));
}

struct TagAudit {
    purpose: String,
    tag: String,
    src: Option<String>,
    state: &'static str,
}

struct HostAudit<'a> {
    host: &'a str,
    vendor: Option<&'a str>,
    purpose: Option<&'a str>,
    declared: bool,
    held: u32,
    blocked: u32,
    allowed: u32,
}

struct CookieAudit {
    name: String,
    vendor: Option<String>,
    purpose: Option<String>,
    declared: bool,
    /// ISO date, or null for a session cookie or one written before Accord ran.
    expires: Option<String>,
    first_deposit: Option<String>,
    clamped: bool,
    held: u32,
    blocked: u32,
    /// Times it was found in the jar while its purpose was not granted, and deleted.
    swept: u32,
    /// Where it was last found that way: `cookieStore`, `load`, `visibilitychange`.
    swept_by: Option<&'static str>,
}

/// One purge: `withdrawn` (a decision or another tab's) or `lapsed` (the record
/// stopped counting: expired, older policy, new purpose).
struct PurgeAudit<'a> {
    reason: &'static str,
    purposes: &'a [String],
    cookies: &'a [String],
    storage: &'a [String],
    nodes: u32,
}

struct Audit<'a> {
    decided: bool,
    hosts: Vec<HostAudit<'a>>,
    cookies: Vec<CookieAudit>,
    undeclared_hosts: Vec<&'a str>,
    undeclared_cookies: Vec<String>,
    tags: Vec<TagAudit>,
    undeclared_purposes: Vec<String>,
    /// What the server's Content-Security-Policy blocked (`securitypolicyviolation`).
    csp_blocked: Vec<CspAudit>,
    purged: Vec<PurgeAudit<'a>>,
}

struct CspAudit {
    host: String,
    vendor: Option<String>,
    purpose: Option<String>,
    blocked: u32,
}

// Each view as JSON text (`core::json::ToJson`), which `env::to_js` makes plain JS data
// with `JSON.parse`: no serde serializer in the page's module (issue 15).

accord_core::json_fields!(ConsentView<'_> {
    decided,
    purposes,
    decided_at,
    expires_at,
    policy_version,
    record_id,
    action,
    objections
});
accord_core::json_fields!(TagAudit {
    purpose,
    tag,
    src,
    state
});
accord_core::json_fields!(HostAudit<'_> {
    host,
    vendor,
    purpose,
    declared,
    held,
    blocked,
    allowed
});
accord_core::json_fields!(CookieAudit {
    name,
    vendor,
    purpose,
    declared,
    expires,
    first_deposit,
    clamped,
    held,
    blocked,
    swept,
    swept_by
});
accord_core::json_fields!(PurgeAudit<'_> {
    reason,
    purposes,
    cookies,
    storage,
    nodes
});
accord_core::json_fields!(Audit<'_> {
    decided,
    hosts,
    cookies,
    undeclared_hosts,
    undeclared_cookies,
    tags,
    undeclared_purposes,
    csp_blocked,
    purged
});
accord_core::json_fields!(CspAudit {
    host,
    vendor,
    purpose,
    blocked
});

/// The violations the loader collected since the first byte, by host.
fn csp_blocked(s: &Session) -> Vec<CspAudit> {
    let mut out: Vec<CspAudit> = Vec::new();
    let list = loader::find(&accord_object()).and_then(|b| b.violations().dyn_into::<Array>().ok());
    for uri in list.iter().flat_map(|l| l.iter()) {
        let uri = uri.as_string().unwrap_or_default();
        let Some((host, port)) = url_host_port(&uri) else {
            continue;
        };
        let label = host_label(&host, port);
        match out.iter_mut().find(|e| e.host == label) {
            Some(e) => e.blocked += 1,
            None => {
                let v = vendor_for_host(&s.config, &host, port);
                out.push(CspAudit {
                    host: label,
                    vendor: v.map(|v| v.id.clone()),
                    purpose: v.map(|v| v.purpose.clone()),
                    blocked: 1,
                });
            }
        }
    }
    out
}

/// `Accord.audit()`: what the page tried (requests by host, cookies with their clamped
/// expiry), the tagged resources, and what the config does not declare.
fn audit(s: &Session) -> JsValue {
    let doc = crate::env::document();
    let log = s.audit.borrow();
    let hosts: Vec<HostAudit> = log
        .hosts
        .iter()
        .map(|e| HostAudit {
            host: &e.host,
            vendor: e.vendor.as_deref(),
            purpose: e.purpose.as_deref(),
            declared: e.declared,
            held: e.held,
            blocked: e.blocked,
            allowed: e.allowed,
        })
        .collect();
    let undeclared_hosts = hosts
        .iter()
        .filter(|h| !h.declared)
        .map(|h| h.host)
        .collect();
    let mut tags_out = Vec::new();
    let mut undeclared_purposes = Vec::new();
    if let Ok(list) = doc.query_selector_all(tags::SELECTOR) {
        for i in 0..list.length() {
            let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let purpose = el.get_attribute("data-accord-purpose").unwrap_or_default();
            let known = s.config.purpose(&purpose).is_some();
            if !known && !undeclared_purposes.contains(&purpose) {
                undeclared_purposes.push(purpose.clone());
            }
            let state = match el.get_attribute("data-accord-state").as_deref() {
                Some("active") => "active",
                Some(_) => "queued",
                None if known => "held",
                None => "blocked",
            };
            tags_out.push(TagAudit {
                purpose,
                tag: el.tag_name().to_ascii_lowercase(),
                src: el.get_attribute("data-src"),
                state,
            });
        }
    }
    let mut cookies: Vec<CookieAudit> = log
        .cookies
        .iter()
        .map(|c| CookieAudit {
            name: c.name.clone(),
            vendor: c.vendor.clone(),
            purpose: c.purpose.clone(),
            declared: c.vendor.is_some(),
            expires: c.expires.map(to_iso),
            first_deposit: (c.first_deposit > 0).then(|| to_iso(c.first_deposit)),
            clamped: c.clamped,
            held: c.held,
            blocked: c.blocked,
            swept: c.swept,
            swept_by: c.swept_by,
        })
        .collect();
    for (name, _) in cookies::all() {
        if name == s.config.cookie_name || cookies.iter().any(|c| c.name == name) {
            continue;
        }
        let owner = cookie_owner(&s.config, &name);
        cookies.push(CookieAudit {
            name,
            vendor: owner.map(|v| v.id.clone()),
            purpose: owner.map(|v| v.purpose.clone()),
            declared: owner.is_some(),
            expires: None,
            first_deposit: None,
            clamped: false,
            held: 0,
            blocked: 0,
            swept: 0,
            swept_by: None,
        });
    }
    let undeclared_cookies = cookies
        .iter()
        .filter(|c| !c.declared)
        .map(|c| c.name.clone())
        .collect();
    to_js(&Audit {
        decided: s.decided(),
        hosts,
        cookies,
        undeclared_hosts,
        undeclared_cookies,
        tags: tags_out,
        undeclared_purposes,
        csp_blocked: csp_blocked(s),
        purged: log
            .purges
            .iter()
            .map(|p| PurgeAudit {
                reason: p.reason,
                purposes: &p.purposes,
                cookies: &p.cookies,
                storage: &p.storage,
                nodes: p.nodes,
            })
            .collect(),
    })
}

/// `Accord.set({id: bool})`: the given purposes change, the others keep their value.
fn set_intent(s: &Session, arg: JsValue) -> Result<Intent, String> {
    let shape = || {
        "Accord.set expects an object of purpose ids to true/false, e.g. {\"video\": true}"
            .to_owned()
    };
    let obj = arg.dyn_into::<Object>().map_err(|_| shape())?;
    // An object's own keys are distinct: a list is enough (no map, no sort).
    let mut wanted: Vec<(String, bool)> = Vec::new();
    for entry in Object::entries(&obj).iter() {
        let pair = Array::from(&entry);
        match (pair.get(0).as_string(), pair.get(1).as_bool()) {
            (Some(id), Some(v)) => wanted.push((id, v)),
            _ => return Err(shape()),
        }
    }
    for (id, _) in &wanted {
        match s.config.purpose(id) {
            None => {
                return Err(format!(
                    "Accord.set: \"{id}\" is not a purpose of the config"
                ))
            }
            Some(p) if p.basis == accord_core::config::Basis::Necessary => {
                return Err(format!(
                    "Accord.set: \"{id}\" is necessary and cannot be changed"
                ))
            }
            Some(_) => {}
        }
    }
    Ok(s.custom(|id| wanted.iter().find(|(w, _)| w == id).map(|(_, v)| *v)))
}

fn method(accord: &Object, name: &str, f: Closure<dyn Fn(JsValue) -> JsValue>) {
    let _ = Reflect::set(accord, &name.into(), &f.into_js_value());
}

/// Installs the real methods on `accord` and replays the calls queued by the loader.
pub(crate) fn install(accord: &Object, session: &SessionRef) {
    let s = session.clone();
    method(accord, "consent", Closure::new(move |_| consent_view(&s)));
    let s = session.clone();
    method(accord, "audit", Closure::new(move |_| audit(&s)));
    let s = session.clone();
    method(
        accord,
        "open",
        Closure::new(move |_| {
            s.signal(UiSignal::Open);
            JsValue::UNDEFINED
        }),
    );
    for (name, intent) in [
        ("acceptAll", Intent::AcceptAll),
        ("refuseAll", Intent::RefuseAll),
        ("withdraw", Intent::Withdraw),
    ] {
        let s = session.clone();
        method(
            accord,
            name,
            Closure::new(move |_| {
                s.decide(intent.clone());
                consent_view(&s)
            }),
        );
    }
    let s = session.clone();
    method(
        accord,
        "set",
        Closure::new(move |arg| match set_intent(&s, arg) {
            Ok(intent) => {
                s.decide(intent);
                consent_view(&s)
            }
            Err(msg) => {
                events::error(ErrorCode::ApiInvalid, &msg, &[]);
                consent_view(&s)
            }
        }),
    );
    let s = session.clone();
    let on = Closure::<dyn Fn(JsValue, JsValue)>::new(move |name: JsValue, cb: JsValue| {
        let (Some(name), Ok(cb)) = (name.as_string(), cb.dyn_into::<Function>()) else {
            return;
        };
        let f = cb.clone();
        let listener =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                let _ = f.call1(&JsValue::UNDEFINED, &e.detail());
            })
            .into_js_value();
        let doc = crate::env::document();
        let _ = doc
            .add_event_listener_with_callback(&format!("accord:{name}"), listener.unchecked_ref());
        if name == "ready" && READY.with(Cell::get) {
            let _ = cb.call1(&JsValue::UNDEFINED, &consent_view(&s)); // it already fired
        }
        if name == "error" {
            // Errors raised before the page listened (a malformed cookie at load): told
            // at once, as the README promises, oldest first.
            for detail in events::past_errors() {
                let _ = cb.call1(&JsValue::UNDEFINED, &detail);
            }
        }
    });
    let _ = Reflect::set(accord, &"on".into(), &on.into_js_value());
    replay(accord);
}

thread_local! {
    static READY: Cell<bool> = const { Cell::new(false) };
}

/// Fires `accord:ready`; later `Accord.on("ready", cb)` calls answer at once.
pub(crate) fn ready(s: &Session) {
    READY.with(|r| r.set(true));
    announce("ready", s);
}

/// Calls each queued `[name, args]` on the installed methods, in order.
fn replay(accord: &Object) {
    let Some(Ok(queue)) = loader::find(accord).map(|b| b.queue().dyn_into::<Array>()) else {
        return;
    };
    let calls: Vec<JsValue> = queue.iter().collect();
    queue.set_length(0);
    for call in calls {
        let call = Array::from(&call);
        let name = call.get(0).as_string().unwrap_or_default();
        if let Ok(f) = Reflect::get(accord, &name.into()).and_then(|f| f.dyn_into::<Function>()) {
            let args = Array::from(&call.get(1));
            let _ = f.apply(accord, &args);
        }
    }
}

/// The `window.Accord` object the loader created, or a new one (module used alone).
pub(crate) fn accord_object() -> Object {
    let w = crate::env::window();
    match Reflect::get(&w, &"Accord".into())
        .ok()
        .and_then(|a| a.dyn_into::<Object>().ok())
    {
        Some(a) => a,
        None => {
            let a = Object::new();
            let _ = Reflect::set(&w, &"Accord".into(), &a);
            a
        }
    }
}
