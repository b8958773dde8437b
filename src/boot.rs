//! Wiring: config from the loader → validated config → session → API, tags, UI.
//! [`start`] is the module's entry; [`boot_with`] lets tests start a widget on a
//! config of their own inside an element of their own.

use crate::api;
use crate::browser::{events, guard, loader};
use crate::env;
use crate::session::{Session, SessionRef, UiSignal};
use crate::ui::{App, AppProps, Handle};
use accord_core::config::Config;
use accord_core::json::Json;
use accord_core::rules::ErrorCode;
use gloo_events::{EventListener, EventListenerOptions};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// A running widget (tests unmount it).
pub struct Widget {
    app: yew::AppHandle<App>,
    session: SessionRef,
    _open: EventListener,
}

impl Widget {
    /// Removes the UI and stops watching the page.
    pub fn unmount(self) {
        self.session.set_ui(None);
        self.session.stop();
        drop(self._open);
        self.app.destroy();
    }
}

/// The module's entry, called once when the loader has instantiated the wasm.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let accord = api::accord_object();
        let boot = Reflect::get(&accord, &"_boot".into()).unwrap_or(JsValue::UNDEFINED);
        let raw = match read_config(&boot).await {
            Ok(raw) => raw,
            Err((code, message)) => {
                events::error(code, &message, &[]);
                loader::abort(&boot);
                return;
            }
        };
        awaited(&boot, "css").await;
        wait_for_dom().await;
        let root = env::document().create_element("div").expect("div");
        root.set_id("accord-root");
        if let Some(body) = env::document().body() {
            let _ = body.append_child(&root);
        }
        match boot_with(raw, root) {
            Ok(widget) => std::mem::forget(widget), // lives as long as the page
            Err(_) => loader::abort(&boot),
        }
    });
}

/// Validates `raw` (a parsed JSON object), then starts the session, installs the API,
/// activates what the stored choice allows and mounts the UI into `root`.
/// An invalid config fails closed: no UI, no activation, one `ACCORD_CONFIG_INVALID`.
pub fn boot_with(raw: JsValue, root: Element) -> Result<Widget, Vec<String>> {
    let config = serde_wasm_bindgen::from_value::<Json>(raw)
        .map_err(|_| vec!["config: is not JSON data (an object is expected) [type]".to_owned()])
        .and_then(|doc| {
            Config::from_json(&doc).map_err(|errs| errs.iter().map(ToString::to_string).collect())
        });
    let config = match config {
        Ok(c) => c,
        Err(errors) => {
            let message = format!(
                "the config is invalid ({} error{}); nothing gated will run: {}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                errors.join("; ")
            );
            events::error(ErrorCode::ConfigInvalid, &message, &errors);
            return Err(errors);
        }
    };
    let accord = api::accord_object();
    let boot = Reflect::get(&accord, &"_boot".into()).unwrap_or(JsValue::UNDEFINED);
    // Before the session reads the jar: through the loader's hooked document.cookie,
    // which hides everything until the module answers, the record would look absent.
    loader::attach(&boot);
    let session = Session::new(config);
    if !guard::install(&boot, &session) {
        // The loader already failed closed (too late, or refused): stay out of the way.
        return Err(vec![
            "the loader failed closed before the module was ready".to_owned()
        ]);
    }
    // Every applied change becomes the page's `accord:change` event.
    session.on_change(std::rc::Rc::new(|s| api::announce("change", s)));
    let _ = root.set_attribute("lang", session.lang.code());
    root.class_list().add_1("accord").ok();
    // The privacy page stays readable and usable before any choice: the first layer
    // takes its place at the top of the page rather than floating over the policy.
    let inline = crate::ui::is_privacy_page(&session.config.controller.privacy_url);
    if inline {
        root.class_list().add_1("accord-inline").ok();
        if let Some(body) = root.parent_element().filter(|p| p.tag_name() == "BODY") {
            let _ = body.prepend_with_node_1(&root);
        }
    }
    session.start();
    session.resend_receipts();
    crate::browser::forms::start(&session.config, session.lang);
    api::install(&accord, &session);
    let open = open_links(&session);
    let app = yew::Renderer::<App>::with_root_and_props(
        root,
        AppProps {
            session: Handle(session.clone()),
            inline,
        },
    )
    .render();
    api::ready(&session);
    Ok(Widget {
        app,
        session,
        _open: open,
    })
}

/// Any element with `data-accord-open` opens the preferences.
fn open_links(session: &SessionRef) -> EventListener {
    let s = session.clone();
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(
        &env::document(),
        "click",
        options,
        move |e: &web_sys::Event| {
            let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            if let Some(Some(_)) = target.map(|t| t.closest("[data-accord-open]").ok().flatten()) {
                e.prevent_default();
                s.signal(UiSignal::Open);
            }
        },
    )
}

/// The config as a parsed JSON value: from the response the loader requested
/// (`data-config`), or from an inline `<script type="application/json" id="accord-config">`.
/// Errors carry their stable code.
async fn read_config(boot: &JsValue) -> Result<JsValue, (ErrorCode, String)> {
    let pending = Reflect::get(boot, &"config".into()).unwrap_or(JsValue::NULL);
    let (text, source) = if pending.is_null() || pending.is_undefined() {
        wait_for_dom().await;
        let el = env::document().get_element_by_id("accord-config").ok_or((
            ErrorCode::ConfigMissing,
            "no data-config on the accord.js script and no #accord-config element".to_owned(),
        ))?;
        (
            el.text_content().unwrap_or_default(),
            "#accord-config".to_owned(),
        )
    } else {
        let response = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(|e| {
                (
                    ErrorCode::ConfigUnreachable,
                    format!("the config could not be loaded: {}", js_message(&e)),
                )
            })?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| {
                (
                    ErrorCode::ConfigUnreachable,
                    "the config request gave no response".to_owned(),
                )
            })?;
        let url = response.url();
        if !response.ok() {
            return Err((
                ErrorCode::ConfigUnreachable,
                format!("{url} answered HTTP {}", response.status()),
            ));
        }
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        };
        (
            text.ok_or((
                ErrorCode::ConfigUnreachable,
                format!("{url} could not be read"),
            ))?,
            url,
        )
    };
    js_sys::JSON::parse(&text).map_err(|e| {
        (
            ErrorCode::ConfigSyntax,
            format!("{source} is not valid JSON: {}", js_message(&e)),
        )
    })
}

fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Awaits `boot[key]` if it is a promise; `None` when absent.
async fn awaited(boot: &JsValue, key: &str) -> Option<JsValue> {
    let v = Reflect::get(boot, &key.into())
        .ok()
        .filter(|v| !v.is_undefined())?;
    match v.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(v) => Some(v),
    }
}

/// Until the document is parsed (the body and any inline config exist).
async fn wait_for_dom() {
    if env::document().ready_state() != "loading" {
        return;
    }
    let p = Promise::new(&mut |resolve, _| {
        let _ = env::document().add_event_listener_with_callback("DOMContentLoaded", &resolve);
    });
    let _ = JsFuture::from(p).await;
}
