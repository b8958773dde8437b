//! The first layer, in plain DOM: who, why, that refusing is fine, three equal
//! buttons, a close control that is a refusal, and the way to the partner list. Every
//! word comes from the core's blocks (`notice::notice`), the ones a receipt hashes.
//! Rendered here rather than in Yew so a first visit shows it without the dialogs
//! module (issue 15); the markup is the one `accord.css` styles and the dialogs
//! module's layers share.

use crate::env::document;
use accord_core::config::Config;
use accord_core::dialog::Action;
use accord_core::lang::Lang;
use accord_core::notice::{notice, words, Block};
use web_sys::Element;

/// An element with its attributes and children.
pub(super) fn el(tag: &str, attrs: &[(&str, &str)], children: &[&Element]) -> Element {
    let e = document()
        .create_element(tag)
        // The error is never printed: a JsValue's Debug brings wasm-bindgen's
        // debug-string JS and 2 KB of module (README, "Sizes and speed").
        .unwrap_or_else(|_| panic!("createElement of a known tag"));
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    for c in children {
        let _ = e.append_child(c);
    }
    e
}

/// An element holding only `text`.
pub(super) fn text(tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = el(tag, attrs, &[]);
    e.set_text_content(Some(text));
    e
}

/// The first layer of `config` in `lang`, and each of its buttons with its action;
/// `None` when the blocks have no buttons (never, for a valid config).
pub(super) fn render(
    config: &Config,
    lang: Lang,
    gpc: bool,
) -> Option<(Element, Vec<(Element, Action)>)> {
    let w = words(lang);
    let blocks = notice(config, lang, gpc).banner;
    let (accept, refuse, customize, close) = blocks.iter().find_map(|b| match b {
        Block::Actions {
            accept,
            refuse,
            customize,
            close,
        } => Some((accept, refuse, customize, close)),
        _ => None,
    })?;
    let mut buttons = Vec::new();
    let mut button = |class: &str, label: &str, action: Action| {
        let b = text("button", &[("type", "button"), ("class", class)], label);
        buttons.push((b.clone(), action));
        b
    };
    let close = button("accord-close", close, Action::Close);
    let _ = close.append_child(&text(
        "span",
        &[("class", "accord-close-x"), ("aria-hidden", "true")],
        "×",
    ));
    let links = el("p", &[("class", "accord-links")], &[]);
    if !config.vendors.is_empty() {
        let _ = links.append_child(&button("accord-link", w.partners, Action::Partners));
    }
    if !config.controller.privacy_url.is_empty() {
        let _ = links.append_child(&text(
            "a",
            &[
                ("class", "accord-link"),
                ("href", &config.controller.privacy_url),
            ],
            w.privacy_policy,
        ));
    }
    let actions = el(
        "div",
        &[("class", "accord-actions")],
        &[
            &button("accord-btn", accept, Action::AcceptAll),
            &button("accord-btn", refuse, Action::RefuseAll),
            &button("accord-btn", customize, Action::Open),
        ],
    );
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("");
    let layer = el(
        "div",
        &[
            ("class", "accord-layer accord-banner"),
            ("role", "dialog"),
            ("aria-modal", "false"),
            ("aria-labelledby", "accord-title"),
            ("aria-describedby", "accord-desc"),
            ("tabindex", "-1"),
        ],
        &[
            &close,
            &text(
                "h2",
                &[("id", "accord-title"), ("class", "accord-title")],
                title,
            ),
            &prose(&blocks),
            &links,
            &actions,
        ],
    );
    Some((layer, buttons))
}

/// The paragraphs and lists of the blocks, as the core wrote them.
fn prose(blocks: &[Block]) -> Element {
    let div = el(
        "div",
        &[("id", "accord-desc"), ("class", "accord-text")],
        &[],
    );
    for b in blocks {
        let child = match b {
            Block::Text(t) => text("p", &[], t),
            Block::Strong(t) => el("p", &[], &[&text("strong", &[], t)]),
            Block::Gpc(t) => text("p", &[("class", "accord-gpc")], t),
            Block::List(items) => {
                let ul = el("ul", &[("class", "accord-purposes")], &[]);
                for i in items {
                    let _ = ul.append_child(&text("li", &[], i));
                }
                ul
            }
            _ => continue,
        };
        let _ = div.append_child(&child);
    }
    div
}
