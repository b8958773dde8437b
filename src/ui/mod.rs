//! The dialog in the page, without Yew (issue 15: most page views show no dialog, and
//! a returning visitor downloads no UI framework). The core's dialog reducer
//! (`accord_core::dialog::reduce`) decides which layer shows; this host renders the
//! first layer (`banner`) and the reopen control (`reopen`) itself, in plain DOM from
//! the core's notice blocks, and hands the preferences and the partner list to the
//! dialogs module (the crate `accord-dialogs`, in Yew), fetched the first time one of
//! them must show, or as soon as a pointer or the focus comes near a button that opens
//! one. The host owns what every layer shares: the focus (into a layer when it opens,
//! back where it was when all close), Escape (closing, which is a refusal while nothing
//! is decided), Tab kept inside a modal layer, and the room kept under a floating layer
//! (`reserve`).
//!
//! The dialogs module talks to the host through a bridge object (`bridge`), never
//! through memory: it sends actions by name, and the decision an action names goes to
//! `Session::decide`. If that module cannot be loaded or mounted, the host says so
//! (`ACCORD_DIALOGS_UNAVAILABLE`, through boot) and stays on the layer it was on:
//! nothing is decided for the person, nothing gated runs.

mod banner;
mod bridge;
mod focus;
mod reopen;
mod reserve;

pub(crate) use reserve::is_privacy_page;

use crate::env::{call_export as call, document, js_message as message};
use crate::session::{SessionRef, Subscription, UiSignal};
use accord_core::dialog::{reduce, Action, Dialog, Layer};
use gloo_events::{EventListener, EventListenerOptions};
use js_sys::Promise;
use reserve::Reserve;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// Where the dialogs module comes from (boot knows the loader; the host does not).
#[derive(Clone)]
pub(crate) struct DialogsSource {
    /// A promise of the module's exports (`mount`, `show`, `unmount`).
    pub load: Rc<dyn Fn() -> Promise>,
    /// Tells the page the module could not be loaded or mounted (why).
    pub failed: Rc<dyn Fn(&str)>,
}

/// The dialogs module, as far as the host got with it.
enum Dialogs {
    Absent,
    Loading,
    /// Mounted: its exports, and the element it renders into.
    Ready(JsValue, Element),
}

/// The dialog in the page; [`Ui::stop`] removes it.
pub(crate) struct Ui(Rc<Host>);

impl Ui {
    /// Shows the first layer (nothing decided) or the reopen control (decided) in
    /// `root`, and follows the session's signals from now on.
    pub(crate) fn mount(
        session: &SessionRef,
        root: Element,
        inline: bool,
        source: DialogsSource,
    ) -> Ui {
        // The host knows itself weakly: its listeners and the bridge hold no cycle.
        let host = Rc::new_cyclic(|me| Host {
            session: session.clone(),
            root,
            inline,
            source,
            dialog: Cell::new(Dialog::new(false)),
            shown_by_module: Cell::new(false),
            failed: Cell::new(false),
            banner: RefCell::default(),
            reopen: RefCell::default(),
            buttons: RefCell::default(),
            dialogs: RefCell::new(Dialogs::Absent),
            saved_focus: RefCell::default(),
            reserve: RefCell::default(),
            listeners: RefCell::default(),
            subscription: RefCell::default(),
            me: me.clone(),
        });
        host.listen();
        let me = Rc::downgrade(&host);
        *host.subscription.borrow_mut() = Some(session.subscribe(Rc::new(move |sig| {
            if let Some(h) = me.upgrade() {
                let decided = h.session.decided();
                h.act(match sig {
                    UiSignal::Open => Action::Open,
                    UiSignal::Decided => Action::Decided { decided },
                    UiSignal::Objected => Action::Objected { decided },
                });
            }
        })));
        host.set(Dialog::new(session.decided()), true);
        Ui(host)
    }

    /// Removes every layer, the reopen control and the dialogs module's app, and stops
    /// listening.
    pub(crate) fn stop(self) {
        let h = self.0;
        h.subscription.borrow_mut().take();
        h.listeners.borrow_mut().clear();
        h.reserve.borrow_mut().take();
        h.remove_banner();
        h.remove_reopen();
        if let Dialogs::Ready(m, el) = h.dialogs.replace(Dialogs::Absent) {
            let _ = call(&m, "unmount", &[]);
            el.remove();
        }
    }
}

struct Host {
    session: SessionRef,
    root: Element,
    inline: bool,
    source: DialogsSource,
    dialog: Cell<Dialog>,
    /// The dialogs module has rendered the layer the reducer is on.
    shown_by_module: Cell<bool>,
    /// The dialogs module could not be had on this page: only a click tries again
    /// (a pointer passing by does not).
    failed: Cell<bool>,
    banner: RefCell<Option<Element>>,
    /// « Gérer mes cookies », while it shows.
    reopen: RefCell<Option<HtmlElement>>,
    /// The host's own buttons and what each does.
    buttons: RefCell<Vec<(Element, Action)>>,
    dialogs: RefCell<Dialogs>,
    saved_focus: RefCell<Option<HtmlElement>>,
    /// The room kept under a floating layer, and the layer it is kept for.
    reserve: RefCell<Option<(Element, Reserve)>>,
    listeners: RefCell<Vec<EventListener>>,
    subscription: RefCell<Option<Subscription>>,
    me: Weak<Host>,
}

/// The dialogs module's name for a layer it renders.
fn module_layer(layer: Layer) -> Option<&'static str> {
    match layer {
        Layer::Prefs => Some("prefs"),
        Layer::Partners { from_prefs: false } => Some("partners"),
        Layer::Partners { from_prefs: true } => Some("partners-modal"),
        Layer::Hidden | Layer::Banner => None,
    }
}

impl Host {
    /// One action through the core's reducer; the decision it names goes to the session
    /// (which signals `Decided` back, hiding the dialog once the decision is applied).
    fn act(&self, action: Action) {
        let (next, intent) = reduce(self.dialog.get(), action);
        self.set(next, false);
        if let Some(i) = intent {
            self.session.decide(i);
        }
    }

    /// Renders `next`. `first`: the page has just loaded (the first layer takes the
    /// focus; nothing is given back).
    fn set(&self, next: Dialog, first: bool) {
        let prev = self.dialog.replace(next);
        let (from, to) = (prev.layer, next.layer);
        // The focus is saved when a layer opens (the first layer at load too), to go
        // back there when all close.
        if (first || from == Layer::Hidden) && to != Layer::Hidden {
            let active = focus::active();
            *self.saved_focus.borrow_mut() = active;
        }
        match module_layer(to) {
            Some(name) => {
                // The layer it leaves stays until the module shows this one.
                self.shown_by_module
                    .set(self.shown_by_module.get() && from == to);
                self.with_module(name, from != to);
            }
            None => {
                self.shown_by_module.set(false);
                if let Some(m) = self.module() {
                    if let Err(why) = call(&m, "show", &[&"hidden".into(), &false.into()]) {
                        self.lost(&why);
                    }
                }
                if to == Layer::Banner {
                    self.remove_reopen();
                    if self.banner.borrow().is_none() {
                        self.show_banner();
                    }
                    if from != Layer::Banner || first {
                        self.focus_layer();
                    }
                } else {
                    self.remove_banner();
                    if next.decided {
                        self.show_reopen();
                    } else {
                        self.remove_reopen();
                    }
                    if from != Layer::Hidden && !first {
                        self.restore_focus();
                    }
                }
            }
        }
        self.keep_room();
    }

    /// The dialogs module's exports, once mounted.
    fn module(&self) -> Option<JsValue> {
        match &*self.dialogs.borrow() {
            Dialogs::Ready(m, _) => Some(m.clone()),
            _ => None,
        }
    }

    /// Shows the module's layer `name` (`fresh`: newly opened, not shown again),
    /// loading and mounting the module first.
    fn with_module(&self, name: &str, fresh: bool) {
        if let Some(m) = self.module() {
            if let Err(why) = call(&m, "show", &[&name.into(), &fresh.into()]) {
                self.lost(&why);
                self.back();
            }
            return;
        }
        self.load();
    }

    /// The module could not be had, or stopped answering once mounted (it trapped, or
    /// it is of another version): it is dropped, the page is told, and the next click
    /// loads it again.
    fn lost(&self, why: &str) {
        if let Dialogs::Ready(_, el) = self.dialogs.replace(Dialogs::Absent) {
            el.remove();
        }
        self.failed.set(true);
        (self.source.failed)(why);
    }

    /// Back where the person was before asking for a module's layer; nothing is decided
    /// for them.
    fn back(&self) {
        if module_layer(self.dialog.get().layer).is_some() {
            self.set(Dialog::new(self.session.decided()), false);
        }
    }

    /// Fetches and mounts the dialogs module (once); then shows what the reducer is on.
    fn load(&self) {
        if !matches!(*self.dialogs.borrow(), Dialogs::Absent) {
            return;
        }
        *self.dialogs.borrow_mut() = Dialogs::Loading;
        let me = self.me.clone();
        let pending = (self.source.load)();
        wasm_bindgen_futures::spawn_local(async move {
            let module = JsFuture::from(pending).await;
            let Some(h) = me.upgrade() else { return };
            let mounted = module.map_err(|e| message(&e)).and_then(|m| {
                let el = document().create_element("div").map_err(|e| message(&e))?;
                el.set_class_name("accord-dialogs");
                h.root.append_child(&el).map_err(|e| message(&e))?;
                let bridge = bridge::bridge(&h);
                match call(&m, "mount", &[&bridge, &el]) {
                    Err(why) => {
                        el.remove();
                        Err(why)
                    }
                    Ok(()) => Ok((m, el)),
                }
            });
            match mounted {
                Ok((m, el)) => {
                    *h.dialogs.borrow_mut() = Dialogs::Ready(m, el);
                    if let Some(name) = module_layer(h.dialog.get().layer) {
                        h.with_module(name, true);
                    }
                }
                Err(why) => {
                    // Absent again: a later click tries once more.
                    h.lost(&why);
                    h.back();
                }
            }
        });
    }

    /// The dialogs module has rendered a newly opened layer: what the host showed
    /// goes, and the focus moves into it.
    fn shown(&self) {
        if module_layer(self.dialog.get().layer).is_none() {
            return;
        }
        self.shown_by_module.set(true);
        self.remove_banner();
        self.remove_reopen();
        self.focus_layer();
        self.keep_room();
    }

    /// The layer showing now (the host's first layer, or the module's).
    fn layer_element(&self) -> Option<Element> {
        self.root.query_selector(".accord-layer").ok().flatten()
    }

    fn focus_layer(&self) {
        if let Some(el) = self
            .layer_element()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            focus::focus(&el);
        }
    }

    /// Back to what had the focus when the dialog opened, else to « Gérer mes cookies ».
    /// No borrow is held while the focus moves: a page's focus handler may call the API.
    fn restore_focus(&self) {
        let saved = self.saved_focus.borrow_mut().take();
        let Some(prev) = saved else { return };
        if focus::usable(&prev) {
            focus::focus(&prev);
        } else {
            let reopen = self.reopen.borrow().clone();
            if let Some(r) = reopen {
                focus::focus(&r);
            }
        }
    }

    /// While a floating layer is on screen (the first layer, or the partner list opened
    /// from it), the page keeps room to scroll any of its content clear of it. The room
    /// follows the layer on screen, not the one being fetched.
    fn keep_room(&self) {
        let layer = self.dialog.get().layer;
        let on_screen = if self.shown_by_module.get() {
            (layer == (Layer::Partners { from_prefs: false }))
                .then(|| self.layer_element())
                .flatten()
        } else {
            self.banner.borrow().clone()
        };
        let target = on_screen.filter(|_| !self.inline);
        let same = match (&*self.reserve.borrow(), &target) {
            (Some((kept, _)), Some(t)) => kept.is_same_node(Some(t)),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        // The old spacer goes before the new one is measured.
        let old = self.reserve.borrow_mut().take();
        drop(old);
        let room = target.and_then(|t| Reserve::watch(&t).map(|r| (t, r)));
        *self.reserve.borrow_mut() = room;
    }

    fn show_banner(&self) {
        let s = &self.session;
        if let Some((el, buttons)) = banner::render(&s.config, s.lang, s.gpc()) {
            let _ = self.root.prepend_with_node_1(&el);
            self.buttons.borrow_mut().extend(buttons);
            *self.banner.borrow_mut() = Some(el);
        }
    }

    fn remove_banner(&self) {
        let banner = self.banner.borrow_mut().take();
        if let Some(el) = banner {
            self.forget_buttons(&el);
            el.remove();
        }
    }

    fn show_reopen(&self) {
        if self.reopen.borrow().is_some() {
            return;
        }
        if let Some(b) = reopen::render(self.session.lang) {
            let _ = self.root.append_child(&b);
            self.buttons
                .borrow_mut()
                .push((b.clone().into(), Action::Open));
            *self.reopen.borrow_mut() = Some(b);
        }
    }

    fn remove_reopen(&self) {
        let reopen = self.reopen.borrow_mut().take();
        if let Some(b) = reopen {
            self.forget_buttons(&b);
            b.remove();
        }
    }

    fn forget_buttons(&self, inside: &Element) {
        self.buttons
            .borrow_mut()
            .retain(|(b, _)| !inside.contains(Some(b)));
    }

    /// The host's button an event reached, and what it does.
    fn button_of(&self, e: &web_sys::Event) -> Option<Action> {
        let target = e.target()?.dyn_into::<Element>().ok()?;
        let button = target.closest("button").ok()??;
        self.buttons
            .borrow()
            .iter()
            .find(|(b, _)| b.is_same_node(Some(&button)))
            .map(|(_, a)| a.clone())
    }

    /// One click listener for the host's buttons, the module fetched as soon as a
    /// pointer or the focus comes near a button that needs it, and the keyboard.
    fn listen(&self) {
        let mut listeners = self.listeners.borrow_mut();
        let me = self.me.clone();
        listeners.push(EventListener::new(&self.root, "click", move |e| {
            let Some(h) = me.upgrade() else { return };
            if let Some(action) = h.button_of(e) {
                h.act(action);
            }
        }));
        // A pointer only: the focus also comes to « Gérer mes cookies » by itself
        // after each decision, which must not fetch anything.
        let me = self.me.clone();
        listeners.push(EventListener::new(&self.root, "pointerover", move |e| {
            let Some(h) = me.upgrade() else { return };
            if !h.failed.get() && matches!(h.button_of(e), Some(Action::Open | Action::Partners)) {
                h.load();
            }
        }));
        let me = self.me.clone();
        listeners.push(EventListener::new_with_options(
            &document(),
            "keydown",
            EventListenerOptions::enable_prevent_default(),
            move |e| {
                let Some(h) = me.upgrade() else { return };
                let layer = h.dialog.get().layer;
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if layer == Layer::Hidden {
                    return;
                }
                if e.key() == "Escape" {
                    // Escape closes without accepting (a refusal while nothing is
                    // decided: `dialog::reduce`).
                    e.prevent_default();
                    h.act(Action::Close);
                } else if e.key() == "Tab" && layer.modal() && h.shown_by_module.get() {
                    if let Some(d) = h.layer_element() {
                        if focus::trap(&d, e.shift_key()) {
                            e.prevent_default();
                        }
                    }
                }
            },
        ));
        // The reopen control steps aside for the keyboard focus.
        let me = self.me.clone();
        listeners.push(EventListener::new(&document(), "focusin", move |e| {
            let Some(h) = me.upgrade() else { return };
            let focused = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            let reopen = h.reopen.borrow().clone();
            if let Some(r) = reopen {
                reopen::step_aside(&r, focused.as_ref());
            }
        }));
    }
}
