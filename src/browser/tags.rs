//! Tagged resources (`data-accord-purpose`): activated exactly once, in document order,
//! when their purpose is granted; deactivated on withdrawal. External scripts are
//! activated one after the other, each waiting for the previous one to load, so
//! execution follows document order as it would have without Accord.

use crate::env::{document, elements};
use accord_core::firewall::TagDecision;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, MutationObserver, MutationObserverInit, MutationRecord};

pub(crate) const SELECTOR: &str = "[data-accord-purpose]";
pub(crate) const PURPOSE: &str = "data-accord-purpose";
/// On a tagged element: `queued` or `active`. Absent: held.
const STATE: &str = "data-accord-state";
/// On the script Accord inserted for a tag: the purpose id (removed on withdrawal).
const INJECTED: &str = "data-accord-injected";

thread_local! {
    static QUEUE: RefCell<VecDeque<Element>> = const { RefCell::new(VecDeque::new()) };
    static WAITING: Cell<bool> = const { Cell::new(false) };
}

/// Every tagged element, in document order.
fn tagged() -> Vec<Element> {
    elements(document().query_selector_all(SELECTOR))
}

/// Queues for activation every held tag whose purpose `decide` allows, then activates
/// them in order. Returns the purpose ids that the config does not know.
pub(crate) fn apply(decide: &dyn Fn(&str) -> TagDecision) -> Vec<String> {
    let mut unknown = Vec::new();
    for el in tagged() {
        if el.has_attribute(STATE) {
            continue;
        }
        let purpose = el.get_attribute(PURPOSE).unwrap_or_default();
        match decide(&purpose) {
            TagDecision::Activate => {
                let _ = el.set_attribute(STATE, "queued");
                QUEUE.with(|q| q.borrow_mut().push_back(el));
            }
            TagDecision::Hold => {}
            TagDecision::UnknownPurpose => {
                if !unknown.contains(&purpose) {
                    unknown.push(purpose);
                }
            }
        }
    }
    pump();
    unknown
}

fn pump() {
    loop {
        if WAITING.with(Cell::get) {
            return;
        }
        let Some(el) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
            return;
        };
        if let Some(script) = activate(&el) {
            WAITING.with(|w| w.set(true));
            let fired = Rc::new(Cell::new(false));
            let done = Closure::<dyn FnMut()>::new(move || {
                if !fired.replace(true) {
                    WAITING.with(|w| w.set(false));
                    pump();
                }
            })
            .into_js_value();
            script.set_onload(Some(done.unchecked_ref()));
            script.set_onerror(Some(done.unchecked_ref()));
        }
    }
}

/// Activates one tag. Returns the inserted script when it loads from a URL (the
/// next activation waits for it).
fn activate(el: &Element) -> Option<HtmlElement> {
    let _ = el.set_attribute(STATE, "active");
    let purpose = el.get_attribute(PURPOSE).unwrap_or_default();
    if el.tag_name().eq_ignore_ascii_case("script") {
        let kind = el.get_attribute("type").unwrap_or_default();
        if !kind.eq_ignore_ascii_case("text/plain") {
            // Not inert: the browser already ran it. Nothing to activate.
            return None;
        }
        let script = document().create_element("script").ok()?;
        let attrs = el.attributes();
        for i in 0..attrs.length() {
            if let Some(a) = attrs.item(i) {
                let n = a.name();
                if !matches!(n.as_str(), "type" | "data-src" | "nonce" | PURPOSE | STATE) {
                    let _ = script.set_attribute(&n, &a.value());
                }
            }
        }
        let _ = script.set_attribute(INJECTED, &purpose);
        if let Some(t) = el.get_attribute("data-accord-type") {
            let _ = script.set_attribute("type", &t);
        }
        let html = script.dyn_into::<HtmlElement>().ok()?;
        if let Some(nonce) = el.dyn_ref::<HtmlElement>().map(|h| h.nonce()) {
            if !nonce.is_empty() {
                html.set_nonce(&nonce);
            }
        }
        let external = el.get_attribute("data-src");
        match &external {
            Some(src) => {
                let _ = html.set_attribute("src", src);
                let _ = js_sys::Reflect::set(&html, &"async".into(), &false.into());
            }
            None => html.set_text_content(el.text_content().as_deref()),
        }
        let parent = el.parent_node()?;
        parent
            .insert_before(&html, el.next_sibling().as_ref())
            .ok()?;
        return external.map(|_| html);
    }
    if let Some(src) = el.get_attribute("data-src") {
        let _ = el.set_attribute("src", &src);
    }
    if let Some(srcset) = el.get_attribute("data-srcset") {
        let _ = el.set_attribute("srcset", &srcset);
    }
    None
}

/// Undoes the activation of `purposes`: removes the scripts Accord inserted, unloads
/// iframes (replaced by an inert copy), clears images, drops what is still queued.
/// Scripts that already ran cannot be un-run: the firewall (issue 3) stops what they do.
pub(crate) fn deactivate(purposes: &[String]) {
    let of = |el: &Element, attr: &str| {
        el.get_attribute(attr)
            .map(|p| purposes.contains(&p))
            .unwrap_or(false)
    };
    QUEUE.with(|q| q.borrow_mut().retain(|el| !of(el, PURPOSE)));
    for el in elements::<Element>(document().query_selector_all(&format!("[{INJECTED}]"))) {
        if of(&el, INJECTED) {
            el.remove();
        }
    }
    for el in tagged() {
        if !of(&el, PURPOSE) || !el.has_attribute(STATE) {
            continue;
        }
        let _ = el.remove_attribute(STATE);
        if el.tag_name().eq_ignore_ascii_case("iframe") && el.has_attribute("src") {
            if let Ok(copy) = el.clone_node() {
                if let Ok(copy) = copy.dyn_into::<Element>() {
                    let _ = copy.remove_attribute("src");
                    let _ = el.replace_with_with_node_1(&copy);
                }
            }
        } else if !el.tag_name().eq_ignore_ascii_case("script") {
            let _ = el.remove_attribute("src");
            let _ = el.remove_attribute("srcset");
        }
    }
}

/// What a batch of DOM insertions brought.
#[derive(Clone, Copy, Default)]
pub(crate) struct Added {
    /// Tags (`data-accord-purpose`) to hold or activate.
    pub tags: bool,
    /// Opt-out containers (`data-accord-optout`) to fill.
    pub optouts: bool,
}

/// Watches the document for tags and opt-out containers added later (single-page apps;
/// a container may also be an element that gets `data-accord-optout` later) and calls
/// `on_new`. Disconnects when dropped.
pub(crate) struct Watcher {
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Watcher {
    pub(crate) fn start(on_new: impl Fn(Added) + 'static) -> Option<Watcher> {
        let optout = format!("[{}]", super::optout::CONTAINER);
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            let mut added = Added::default();
            for r in records.iter() {
                let Ok(r) = r.dyn_into::<MutationRecord>() else {
                    continue;
                };
                if r.type_() == "attributes" {
                    // data-accord-optout set on an element already in the page.
                    added.optouts = true;
                    continue;
                }
                let nodes = r.added_nodes();
                for n in (0..nodes.length()).filter_map(|i| nodes.item(i)) {
                    let Some(el) = n.dyn_ref::<Element>() else {
                        continue;
                    };
                    added.tags = added.tags || holds(el, SELECTOR);
                    added.optouts = added.optouts || holds(el, &optout);
                }
            }
            if added.tags || added.optouts {
                on_new(added);
            }
        });
        let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let init = MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        init.set_attribute_filter(&js_sys::Array::of1(&super::optout::CONTAINER.into()));
        let root = document().document_element()?;
        observer.observe_with_options(&root, &init).ok()?;
        Some(Watcher {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// `el` is, or contains, an element matching `selector` (our own injected copies aside).
fn holds(el: &Element, selector: &str) -> bool {
    if el.has_attribute(INJECTED) {
        return false;
    }
    el.matches(selector).unwrap_or(false) || el.query_selector(selector).ok().flatten().is_some()
}
