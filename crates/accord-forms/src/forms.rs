//! The insurer's forms (SPEC §7): the prospection block with its information notice
//! and the `accord_prospection` payload, the opt-in that unlocks each sensitive field,
//! and the internal-code guard. Plain DOM inside the insurer's own `<form>`; every
//! rule comes from `core::prospection` and `core::identifiers`.

use crate::{document, elements, now, report};
use accord_core::calendar::to_iso;
use accord_core::config::{FormsConfig, Lang};
use accord_core::identifiers::check_internal_code_with;
use accord_core::notice::{form_legend, form_notice, Block};
use accord_core::prospection::{
    self, box_for, boxes, professional_boxes, Audience, Channel, FormKind, Product,
};
use accord_core::rules::ErrorCode;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

fn all(selector: &str) -> Vec<Element> {
    elements(document().query_selector_all(selector))
}

fn el(tag: &str, class: &str, text: Option<&str>) -> Element {
    // The error is never printed: a JsValue's Debug brings JS and 2 KB of module.
    let e = document()
        .create_element(tag)
        .unwrap_or_else(|_| panic!("create element"));
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if text.is_some() {
        e.set_text_content(text);
    }
    e
}

fn listen(target: &Element, event: &str, f: impl Fn(Event) + 'static, capture: bool) {
    let cb = Closure::<dyn Fn(Event)>::new(f).into_js_value();
    let _ = target.add_event_listener_with_callback_and_bool(event, cb.unchecked_ref(), capture);
}

/// One checkbox with its label; no `name`: only the payload is submitted.
fn checkbox(id: &str, box_id: &str, label: &str) -> (Element, HtmlInputElement) {
    let row = el("div", "accord-box", None);
    let input = el("input", "accord-check", None);
    let _ = input.set_attribute("type", "checkbox");
    let _ = input.set_attribute("id", id);
    let _ = input.set_attribute("data-accord-box", box_id);
    let lab = el("label", "", Some(label));
    let _ = lab.set_attribute("for", id);
    let _ = row.append_child(&input);
    let _ = row.append_child(&lab);
    let input = input
        .dyn_into::<HtmlInputElement>()
        .unwrap_or_else(|_| panic!("an input"));
    (row, input)
}

/// Renders every form block, sensitive opt-in and guard of the page.
pub(crate) fn render(config: &FormsConfig, lang: Lang) {
    let counter = Rc::new(Cell::new(0u32));
    for host in all("[data-accord-form]:not([data-accord-rendered])") {
        block(config, lang, &host, &counter);
    }
    for field in all("[data-accord-sensitive]:not([data-accord-rendered])") {
        sensitive(lang, &field, &counter);
    }
    for input in all("input[data-accord-guard=internal-code]:not([data-accord-rendered])") {
        guard(config, lang, &input, &counter);
    }
}

fn next(counter: &Cell<u32>) -> u32 {
    counter.set(counter.get() + 1);
    counter.get()
}

fn block(config: &FormsConfig, lang: Lang, host: &Element, counter: &Rc<Cell<u32>>) {
    let _ = host.set_attribute("data-accord-rendered", "");
    let attr = |n: &str| host.get_attribute(n).unwrap_or_default();
    let Some(kind) = FormKind::parse(&attr("data-accord-form")) else {
        report(
            ErrorCode::FormKind,
            &format!(
                "data-accord-form=\"{}\" is neither subscription nor contest; no block rendered",
                attr("data-accord-form")
            ),
        );
        return;
    };
    let audience = Audience::parse(&attr("data-accord-audience"));
    let product = Product::parse(&attr("data-accord-product"));
    let open_tracking = config
        .prospection
        .as_ref()
        .is_some_and(|p| p.email_open_tracking);
    let list = if host.has_attribute("data-accord-professional") {
        professional_boxes(kind, audience, product, open_tracking)
    } else {
        boxes(kind, audience, product, open_tracking)
    };
    let fieldset = el("fieldset", "accord accord-prospection", None);
    let _ = fieldset.append_child(&el("legend", "", Some(form_legend(lang))));
    if let Some(note) = prospection::note(kind, lang) {
        let _ = fieldset.append_child(&el("p", "accord-form-note", Some(note)));
    }
    for b in &list {
        let (row, _) = checkbox(
            &format!("accord-box-{}-{}", next(counter), b.id),
            b.id,
            b.label(lang),
        );
        let _ = fieldset.append_child(&row);
    }
    let _ = host.append_child(&fieldset);
    let _ = host.append_child(&notice(config, lang, audience));
    let hidden = el("input", "", None);
    let _ = hidden.set_attribute("type", "hidden");
    let _ = hidden.set_attribute("name", "accord_prospection");
    let _ = host.append_child(&hidden);

    // At submit: every box of the form (the block's and the sensitive ones), explicit.
    let Ok(Some(form)) = host.closest("form") else {
        return;
    };
    let notice_version = config
        .prospection
        .as_ref()
        .map(|p| p.notice_version.clone())
        .unwrap_or_else(|| config.policy_version.clone());
    let partners: Vec<String> = config
        .prospection
        .as_ref()
        .map(|p| p.partners.iter().map(|x| x.name.clone()).collect())
        .unwrap_or_default();
    let form2 = form.clone();
    listen(
        &form,
        "submit",
        move |_| {
            let ids: Vec<(String, bool)> = form_boxes(&form2);
            let values: Vec<(&str, bool)> = ids.iter().map(|(id, v)| (id.as_str(), *v)).collect();
            let json =
                prospection::payload(kind, &notice_version, &to_iso(now()), &values, &partners);
            let _ = hidden.set_attribute("value", &json);
        },
        true,
    );
}

fn form_boxes(form: &Element) -> Vec<(String, bool)> {
    elements::<HtmlInputElement>(form.query_selector_all("input[data-accord-box]"))
        .into_iter()
        .map(|input| {
            (
                input.get_attribute("data-accord-box").unwrap_or_default(),
                input.checked(),
            )
        })
        .collect()
}

/// The information notice next to the block: the core's blocks
/// (`notice::form_notice`), placed as they are.
fn notice(config: &FormsConfig, lang: Lang, audience: Option<Audience>) -> Element {
    let aside = el("aside", "accord accord-form-notice", None);
    for block in form_notice(
        &config.controller,
        config.prospection.as_ref(),
        lang,
        audience,
    ) {
        let node = match block {
            Block::Title(t) => el("p", "accord-form-notice-title", Some(&t)),
            Block::List(items) => {
                let ul = el("ul", "", None);
                for i in items {
                    let _ = ul.append_child(&el("li", "", Some(&i)));
                }
                ul
            }
            Block::Link { label, href } => {
                let a = el("a", "", Some(&label));
                let _ = a.set_attribute("href", &href);
                a
            }
            Block::Text(t) | Block::Strong(t) | Block::Gpc(t) => el("p", "", Some(&t)),
            Block::Actions { .. } | Block::Purpose { .. } | Block::Partner { .. } => continue,
        };
        let _ = aside.append_child(&node);
    }
    aside
}

/// The mark of a field the page's module held closed until this module came
/// (`browser::forms::HELD` of the crate `accord`).
const HELD: &str = "data-accord-held";

/// A sensitive field stays disabled (so it is not submitted) until its own opt-in box,
/// placed right after it, is ticked.
fn sensitive(lang: Lang, field: &Element, counter: &Cell<u32>) {
    let _ = field.set_attribute("data-accord-rendered", "");
    let _ = field.set_attribute("disabled", "");
    let _ = field.remove_attribute(HELD);
    let attr = field
        .get_attribute("data-accord-sensitive")
        .unwrap_or_default();
    let Some(channel) = Channel::from_sensitive(&attr) else {
        report(
            ErrorCode::FormSensitive,
            &format!("data-accord-sensitive=\"{attr}\" is not origin, opinions, beliefs, union or photo; the field stays disabled"),
        );
        return;
    };
    let b = box_for(channel, None, None);
    let (row, input) = checkbox(
        &format!("accord-sensitive-{}-{}", next(counter), b.id),
        b.id,
        b.label(lang),
    );
    row.set_class_name("accord accord-box accord-sensitive");
    let _ = field.after_with_node_1(&row);
    let field = field.clone();
    let target = input.clone();
    listen(
        &input.into(),
        "change",
        move |_| {
            if target.checked() {
                let _ = field.remove_attribute("disabled");
            } else {
                let _ = field.set_attribute("disabled", "");
            }
        },
        false,
    );
}

/// Refuses a NIR, a card number or an identity-document number as a client code, with
/// an inline message; the browser will not submit the form while it stands. A value of
/// a shape the config declares (`internal_code.shapes`) is refused only when it is a
/// NIR with its key or a Luhn-valid card number.
fn guard(config: &FormsConfig, lang: Lang, input: &Element, counter: &Cell<u32>) {
    let shapes = config.internal_code_shapes.clone();
    let _ = input.set_attribute("data-accord-rendered", "");
    let Ok(field) = input.clone().dyn_into::<HtmlInputElement>() else {
        return;
    };
    let msg_id = format!("accord-guard-{}", next(counter));
    let check = move || {
        let existing = document().get_element_by_id(&msg_id);
        match check_internal_code_with(&field.value(), &shapes) {
            Ok(()) => {
                field.set_custom_validity("");
                let _ = field.remove_attribute("aria-invalid");
                if let Some(e) = existing {
                    e.remove();
                }
            }
            Err(refusal) => {
                let msg = refusal.message(lang);
                field.set_custom_validity(msg);
                let _ = field.set_attribute("aria-invalid", "true");
                let e = existing.unwrap_or_else(|| {
                    let e = el("p", "accord accord-guard-error", None);
                    let _ = e.set_attribute("id", &msg_id);
                    let _ = field.after_with_node_1(&e);
                    e
                });
                e.set_text_content(Some(msg));
                let described = field.get_attribute("aria-describedby").unwrap_or_default();
                if !described.split_whitespace().any(|d| d == msg_id) {
                    let _ = field
                        .set_attribute("aria-describedby", format!("{described} {msg_id}").trim());
                }
            }
        }
    };
    let check = Rc::new(check);
    for event in ["input", "change", "blur"] {
        let check = check.clone();
        listen(input, event, move |_| check(), false);
    }
    // Open again what the page's module held closed until now, and judge what was
    // typed before the guard came.
    if input.has_attribute(HELD) {
        let _ = input.remove_attribute(HELD);
        let _ = input.remove_attribute("disabled");
    }
    check();
}
