//! Vendor nodes go with their purpose: on a withdrawal (or the lapse of a record),
//! every loading element of the page whose URL belongs to a withdrawn vendor is
//! removed, whoever inserted it (a vendor's own cookie-sync frame, a pixel its script
//! added), open shadow roots included. Which URLs belong to whom is the core's
//! (`core::firewall::url_withdrawn`); this only walks the DOM.
//!
//! Links (`<a href>`) and forms are left alone: they load nothing by themselves, and
//! removing them would break the page (a form posted to a vendor is the loader's to
//! hold).

use crate::env::{document, elements};
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// The loading elements and their URL attributes.
const URL_ATTRS: &[(&str, &[&str])] = &[
    ("script", &["src"]),
    ("img", &["src", "srcset"]),
    ("iframe", &["src"]),
    ("frame", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("link", &["href"]),
    ("source", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("track", &["src"]),
    ("input", &["src"]),
];

fn selector() -> String {
    URL_ATTRS
        .iter()
        .flat_map(|(tag, attrs)| attrs.iter().map(move |a| format!("{tag}[{a}]")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The absolute URLs an element loads (each `srcset` candidate on its own).
fn urls(el: &Element) -> Vec<String> {
    let tag = el.tag_name().to_ascii_lowercase();
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let attrs = URL_ATTRS
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, a)| *a)
        .unwrap_or(&[]);
    let mut out = Vec::new();
    for a in attrs {
        let Some(v) = el.get_attribute(a) else {
            continue;
        };
        let list: Vec<&str> = if *a == "srcset" {
            v.split(',')
                .filter_map(|c| c.split_whitespace().next())
                .collect()
        } else {
            vec![v.as_str()]
        };
        for u in list {
            if let Ok(url) = web_sys::Url::new_with_base(u.trim(), &base) {
                out.push(url.href());
            }
        }
    }
    out
}

/// `selector` in the document or in a shadow root.
fn query(root: &Node, selector: &str) -> Vec<Element> {
    let list = match root.dyn_ref::<web_sys::Document>() {
        Some(d) => d.query_selector_all(selector),
        None => match root.dyn_ref::<web_sys::ShadowRoot>() {
            Some(r) => r.query_selector_all(selector),
            None => return Vec::new(),
        },
    };
    elements(list)
}

/// The document and every open shadow root in it, nested ones too.
fn roots() -> Vec<Node> {
    let mut out: Vec<Node> = vec![document().into()];
    let mut i = 0;
    while i < out.len() {
        for el in query(&out[i], "*") {
            if let Some(sr) = el.shadow_root() {
                out.push(sr.into());
            }
        }
        i += 1;
    }
    out
}

/// Removes every loading element whose URL `withdrawn` says belongs to a withdrawn
/// vendor. Tagged elements (`data-accord-purpose`) are left to `tags::deactivate`,
/// which keeps them for a later grant; the page's own origin is never a vendor's here
/// (a vendor declared on it cannot be told from the site: its stylesheets, scripts and
/// Accord's own files stay). Returns how many were removed.
pub(crate) fn remove_withdrawn(withdrawn: impl Fn(&str) -> bool) -> u32 {
    let own = format!(
        "{}/",
        crate::env::window().location().origin().unwrap_or_default()
    );
    let withdrawn = |u: &str| !u.starts_with(&own) && withdrawn(u);
    let sel = selector();
    let mut n = 0;
    for root in roots() {
        for el in query(&root, &sel) {
            if el.has_attribute(super::tags::PURPOSE) {
                continue;
            }
            if urls(&el).iter().any(|u| withdrawn(u)) {
                el.remove();
                n += 1;
            }
        }
    }
    n
}
