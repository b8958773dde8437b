//! Wiring: config from the loader → validated config → session → API, tags, UI.
//! [`start`] is the module's entry; [`boot_with`] lets tests start a widget on a
//! config of their own inside an element of their own.

use crate::api;
use crate::browser::{cookies, forms, receipts};
use crate::browser::{events, guard, loader};
use crate::env;
use crate::env::js_message;
use crate::session::{Session, SessionRef, SignedIn, UiSignal};
use crate::ui::{DialogsSource, Ui};
use accord_core::account::{account_cookie_name, valid_account, ACCOUNT_RULE};
use accord_core::config::Config;
use accord_core::rules::ErrorCode;
use accord_web::{json_of, MAX_DEPTH};
use gloo_events::{EventListener, EventListenerOptions};
use js_sys::{Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// A running widget (tests unmount it).
pub struct Widget {
    ui: Ui,
    session: SessionRef,
    /// The answers installed on the loader (none without a loader).
    guard: Option<guard::Guard>,
    _open: EventListener,
}

impl Widget {
    /// Removes the UI (its subscription to the session ends with it), stops watching
    /// the page, and leaves the loader holding everything again (the guard's `Drop`).
    pub fn unmount(self) {
        self.session.stop();
        drop(self._open);
        drop(self.guard);
        self.ui.stop();
    }
}

/// The module's entry, called once when the loader has instantiated the wasm.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let boot = loader::find(&api::accord_object());
        let raw = match read_config(boot.as_ref()).await {
            Ok(raw) => raw,
            Err((code, message)) => {
                events::error(code, &message, &[]);
                boot.as_ref().map(loader::abort);
                return;
            }
        };
        let Ok(config) = validated(&raw) else {
            boot.as_ref().map(loader::abort);
            return;
        };
        // Before anything reads the jar (the account cookie, then the session): through
        // the loader's hooked document.cookie, which hides everything until the module
        // answers, the record would look absent.
        boot.as_ref().map(loader::attach);
        let account = signed_in(&config).await;
        if let Some(css) = boot.as_ref().map(loader::Boot::css) {
            awaited(css).await;
        }
        wait_for_dom().await;
        let root = env::document()
            .create_element("div")
            .unwrap_or_else(|_| panic!("div")); // not printed: see ui::banner::el
        root.set_id("accord-root");
        if let Some(body) = env::document().body() {
            let _ = body.append_child(&root);
        }
        match boot_config(config, &raw, root, account) {
            Ok(widget) => std::mem::forget(widget), // lives as long as the page
            Err(_) => {
                boot.as_ref().map(loader::abort);
            }
        }
    });
}

/// Validates `raw` (a parsed JSON object), then starts the session, installs the API,
/// activates what the stored choice allows and mounts the UI into `root`.
/// An invalid config fails closed: no UI, no activation, one `ACCORD_CONFIG_INVALID`.
pub fn boot_with(raw: JsValue, root: Element) -> Result<Widget, Vec<String>> {
    let config = validated(&raw)?;
    if let Some(b) = loader::find(&api::accord_object()) {
        loader::attach(&b);
    }
    boot_config(config, &raw, root, SignedIn::default())
}

thread_local! {
    /// Modules' exports a test linked into its own wasm, by name (`dialogs`, `forms`).
    static LINKED: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// Gives the widget the exports of the module `name` (`dialogs`: `mount`, `show`,
/// `unmount`; `forms`: `start`) instead of loading `accord_<name>.js` through the
/// loader: browser tests link the crates into one wasm (`accord_dialogs::module()`,
/// `accord_forms::module()`).
pub fn link_module(name: &'static str, exports: JsValue) {
    LINKED.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|(n, _)| *n != name);
        l.push((name, exports));
    });
}

/// A promise of the exports of the module `name`: linked by a test, else loaded by the
/// loader (`B.load`), else refused.
fn load_module(boot: Option<&loader::Boot>, name: &str) -> Promise {
    if let Some(m) = LINKED.with(|l| {
        l.borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.clone())
    }) {
        return Promise::resolve(&m);
    }
    match boot {
        Some(b) => loader::load(b, name),
        None => Promise::reject(&format!("no loader to load accord_{name}.js from").into()),
    }
}

/// Where the dialogs come from. A module that cannot be loaded or mounted is told to
/// the page.
fn dialogs_source(boot: Option<loader::Boot>) -> DialogsSource {
    DialogsSource {
        load: Rc::new(move || load_module(boot.as_ref(), "dialogs")),
        failed: Rc::new(|why| {
            events::error(
                ErrorCode::DialogsUnavailable,
                &format!("the dialogs module (accord_dialogs.js) could not be loaded: {why}; the choice stays as it was"),
                &[],
            )
        }),
    }
}

/// On a page with a form block, a sensitive field or a guarded field, holds those fields
/// closed (`browser::forms::hold`), fetches the forms module (`crates/accord-forms`) and
/// starts it on the same config, which opens them under its rules; if it cannot be had,
/// they stay closed and the page is told why.
fn start_forms(boot: Option<&loader::Boot>, raw: JsValue, lang: &'static str) {
    if !forms::needed() {
        return;
    }
    forms::hold();
    let pending = load_module(boot, "forms");
    wasm_bindgen_futures::spawn_local(async move {
        let started = match JsFuture::from(pending).await {
            Ok(m) => {
                let bridge = js_sys::Object::new();
                let error =
                    Closure::<dyn Fn(String, String)>::new(|code: String, message: String| {
                        // Only the forms' own codes: the module names nothing else.
                        if let Some(c) = [ErrorCode::FormKind, ErrorCode::FormSensitive]
                            .into_iter()
                            .find(|c| c.name() == code)
                        {
                            events::error(c, &message, &[]);
                        }
                    });
                let _ = Reflect::set(&bridge, &"json".into(), &raw);
                let _ = Reflect::set(&bridge, &"lang".into(), &lang.into());
                let _ = Reflect::set(&bridge, &"error".into(), &error.into_js_value());
                env::call_export(&m, "start", &[&bridge.into()])
            }
            Err(e) => Err(js_message(&e)),
        };
        if let Err(why) = started {
            events::error(
                ErrorCode::FormsUnavailable,
                &format!(
                    "the forms module (accord_forms.js) could not be started: {why}; sensitive and guarded fields stay disabled"
                ),
                &[],
            );
        }
    });
}

/// Who is signed in on this page (`accord_core::account`: the account cookie the site's
/// server sets at sign-in), and that account's latest choice as the consent service
/// gives it. Anything wrong (a malformed cookie, a silent service) is told to the page
/// and leaves this device's own choice in force.
async fn signed_in(config: &Config) -> SignedIn {
    let name = account_cookie_name(config);
    let Some((_, id)) = cookies::all().into_iter().find(|(n, _)| *n == name) else {
        return SignedIn::default();
    };
    if !valid_account(&id) {
        events::error(
            ErrorCode::AccountInvalid,
            &format!("the \"{name}\" cookie is not an account identifier ({ACCOUNT_RULE}); this page counts as signed out"),
            &[],
        );
        return SignedIn::default();
    }
    let Some(endpoint) = &config.consent_log_endpoint else {
        return SignedIn {
            id: Some(id),
            record: None,
        };
    };
    receipts::flush_and_wait(endpoint).await;
    let record = match receipts::account_choice(endpoint, &id).await {
        Ok(r) => r,
        Err(why) => {
            events::error(
                ErrorCode::AccountUnavailable,
                &format!("the signed-in account's choice could not be read ({why}); this device's own choice applies"),
                &[],
            );
            None
        }
    };
    SignedIn {
        id: Some(id),
        record,
    }
}

/// `raw` as a valid config, or every error, told to the page as one
/// `ACCORD_CONFIG_INVALID`.
fn validated(raw: &JsValue) -> Result<Config, Vec<String>> {
    let config = json_of(raw, 0)
        .ok_or_else(|| {
            vec![format!(
                "config: is not JSON data, or nests deeper than {MAX_DEPTH} levels (an object is expected) [type]"
            )]
        })
        .and_then(|doc| {
            Config::from_json(&doc).map_err(|errs| errs.iter().map(ToString::to_string).collect())
        });
    let config = match config {
        Ok(c) => c,
        Err(errors) => {
            let message = format!(
                // Each error names its field, its rule and what was found there; the
                // sentence explaining the rule is accordctl's (issue 15).
                "the config is invalid ({} error{}); nothing gated will run: {}. `accordctl check` explains each rule",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                errors.join("; ")
            );
            events::error(ErrorCode::ConfigInvalid, &message, &errors);
            return Err(errors);
        }
    };
    Ok(config)
}

/// Starts the session on a valid config for `account` (signed out: the default), then
/// as [`boot_with`]; the loader's jar accessor is already attached.
fn boot_config(
    config: Config,
    raw: &JsValue,
    root: Element,
    account: SignedIn,
) -> Result<Widget, Vec<String>> {
    let accord = api::accord_object();
    let boot = loader::find(&accord);
    let session = Session::new(config, account);
    let Ok(guard) = guard::install(boot.as_ref(), &session) else {
        // The loader already failed closed (too late, or refused): stay out of the way.
        return Err(vec![
            "the loader failed closed before the module was ready".to_owned()
        ]);
    };
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
    start_forms(boot.as_ref(), raw.clone(), session.lang.code());
    api::install(&accord, &session);
    let open = open_links(&session);
    let ui = Ui::mount(&session, root, inline, dialogs_source(boot));
    api::ready(&session);
    Ok(Widget {
        ui,
        session,
        guard,
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
async fn read_config(boot: Option<&loader::Boot>) -> Result<JsValue, (ErrorCode, String)> {
    let pending = boot.map_or(JsValue::NULL, loader::Boot::config);
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

/// Awaits `v` if it is a promise.
async fn awaited(v: JsValue) {
    if let Ok(p) = v.dyn_into::<Promise>() {
        let _ = JsFuture::from(p).await;
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
