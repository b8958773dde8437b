//! The live state of one page: the validated config, the choice, and the effects a
//! decision triggers (store, purge, activate, announce). The UI and the JS API both
//! act through [`Session::decide`], so they can never disagree.

use crate::browser::{
    cookies, events, guard, nodes, optout, placeholder, receipts, storage, tabs, tags,
};
use crate::env;
use accord_core::attribution::Store;
use accord_core::config::{Basis, Config, Lang};
use accord_core::consent_mode;
use accord_core::firewall::vendor_for_host;
use accord_core::hosts::url_host_port;
use accord_core::notice::words;
use accord_core::receipt::Receipt;
use accord_core::rules::ErrorCode;

/// sessionStorage: the record id the page was last reloaded for (`"policy": "server"`).
const RELOAD_KEY: &str = "accord.reload";
use accord_core::firewall::{cookies_to_purge, storage_to_purge, tag_decision, url_withdrawn};
use accord_core::notice::pick_language;
use accord_core::page::{step, Effect, Event, MarkerFailure, Page, Signal, MARKER_NOT_STORED};
use accord_core::record::{granted, marker_name, record_id_from, Choice, Intent, NoChoice};
use std::cell::RefCell;
use std::rc::Rc;

/// What the UI is asked to do from outside (API, `data-accord-open`, a decision).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UiSignal {
    Open,
    Decided,
    /// The opt-out changed: the dialog stays as it is and shows the new state.
    Objected,
}

/// The UI's listener for [`UiSignal`]s.
pub(crate) type UiListener = Rc<dyn Fn(UiSignal)>;

/// The UI's subscription (see `Session::subscribe`): dropping it unsubscribes.
pub(crate) struct Subscription(std::rc::Weak<Session>);

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(s) = self.0.upgrade() {
            s.ui.borrow_mut().take();
        }
    }
}

/// Told of every change of the choice once it is applied (boot wires `window.Accord`'s
/// `accord:change` event here: the session does not know the page's API).
pub(crate) type ChangeListener = Rc<dyn Fn(&Session)>;

/// Who is signed in on the page (`accord_core::account`), and the account's latest
/// record as the consent service answered it.
#[derive(Clone, Debug, Default)]
pub(crate) struct SignedIn {
    /// The account cookie's identifier; `None` signed out.
    pub id: Option<String>,
    /// The account's latest record (a record cookie value), if the service has one.
    pub record: Option<String>,
}

pub(crate) struct Session {
    pub config: Config,
    /// The signed-in account: every receipt made on this page names it.
    account: Option<String>,
    pub lang: Lang,
    /// The choice, as the core's page reducer keeps it (`accord_core::page`).
    page: RefCell<Page>,
    ui: RefCell<Option<UiListener>>,
    on_change: RefCell<Option<ChangeListener>>,
    watcher: RefCell<Option<tags::Watcher>>,
    tabs: RefCell<Option<tabs::Tabs>>,
    optout: RefCell<Option<optout::Listener>>,
    /// Sweeps the jar when the tab comes back into view.
    visibility: RefCell<Option<gloo_events::EventListener>>,
    reported_unknown: RefCell<Vec<String>>,
    /// What the page tried (requests, cookies), for `Accord.audit()`.
    pub audit: RefCell<guard::AuditLog>,

    /// Itself, for the callbacks it hands to the page (placeholders).
    me: RefCell<std::rc::Weak<Session>>,
    /// The purge of what a lapsed record granted, found when reading the jar at load:
    /// run at start, before anything of theirs can run.
    loaded: RefCell<Vec<Effect>>,
    /// Events waiting while a step's effects run (`run` is not re-entrant).
    queue: RefCell<std::collections::VecDeque<Event>>,
    running: std::cell::Cell<bool>,
}

pub(crate) type SessionRef = Rc<Session>;

impl guard::Decisions for Session {
    fn config(&self) -> &Config {
        &self.config
    }
    fn choice(&self) -> Choice {
        Session::choice(self)
    }
    fn audit(&self) -> std::cell::RefMut<'_, guard::AuditLog> {
        self.audit.borrow_mut()
    }
    fn refresh(&self) {
        Session::refresh(self)
    }
    // Asked on every request and storage write: borrow the choice, do not clone it.
    fn is_granted(&self, purpose: &str) -> bool {
        Session::is_granted(self, purpose)
    }
}

impl Session {
    /// Reads the stored record and builds the session. Reports a corrupt record.
    pub(crate) fn new(config: Config, signed: SignedIn) -> SessionRef {
        let lang = pick_language(&config, env::page_lang().as_deref());
        let gpc = env::gpc();
        let (record, marker) = jar(&config);
        let blank = Page {
            choice: Choice::none(NoChoice::Absent),
            loaded_with: Vec::new(),
            gpc,
            account_since: None,
        };
        let (page, loaded) = step(
            &config,
            &blank,
            Event::Load {
                record,
                marker,
                account: signed.record,
            },
            env::now(),
            None,
        );
        let session = Rc::new(Session {
            loaded: RefCell::new(Vec::new()),
            queue: RefCell::new(std::collections::VecDeque::new()),
            running: std::cell::Cell::new(false),
            me: RefCell::new(std::rc::Weak::new()),
            account: signed.id,
            config,
            lang,
            page: RefCell::new(page),
            ui: RefCell::new(None),
            on_change: RefCell::new(None),
            watcher: RefCell::new(None),
            tabs: RefCell::new(None),
            optout: RefCell::new(None),
            visibility: RefCell::new(None),
            reported_unknown: RefCell::new(Vec::new()),
            audit: RefCell::new(guard::AuditLog::default()),
        });
        // What reading the jar found is reported and fixed now (errors, the marker);
        // the purge of a lapsed record's trackers waits for start.
        for e in loaded {
            match e {
                Effect::Purge { .. } => session.loaded.borrow_mut().push(e),
                other => {
                    session.effect(other);
                }
            }
        }
        session
    }

    pub(crate) fn choice(&self) -> Choice {
        self.page.borrow().choice.clone()
    }

    /// The browser sends Global Privacy Control: « Tout accepter » leaves out what it
    /// refuses by default, and the notice says why.
    pub(crate) fn gpc(&self) -> bool {
        self.page.borrow().gpc
    }

    pub(crate) fn decided(&self) -> bool {
        self.page.borrow().choice.record().is_some()
    }

    pub(crate) fn is_granted(&self, purpose: &str) -> bool {
        granted(&self.config, &self.page.borrow().choice, purpose)
    }

    /// Activates the tags the current choice allows, watches for new ones, and listens
    /// to the site's other tabs.
    pub(crate) fn start(self: &Rc<Self>) {
        *self.me.borrow_mut() = Rc::downgrade(self);
        // Expiry is a withdrawal: what the old consent left goes first.
        let loaded = std::mem::take(&mut *self.loaded.borrow_mut());
        for e in loaded {
            self.effect(e);
        }
        guard::sweep(&**self, "load");
        *self.visibility.borrow_mut() = Some(guard::sweep_on_visibility(Rc::downgrade(self)));
        crate::browser::gtag::sync(
            &consent_mode::update(&self.config, &self.choice()),
            self.decided(),
        );
        // The loader's answer for the next page starts from this page's state (a config
        // change, an expired record), not only from the last decision.
        guard::remember_hidden(&self.config, &self.choice());
        self.warn_same_origin_vendors();
        // Before any gated tag runs, so that it acts before their click listeners.
        let me = Rc::downgrade(self);
        *self.optout.borrow_mut() = optout::Listener::start(move |purpose| {
            if let Some(s) = me.upgrade() {
                let on = !s.objects(purpose);
                s.object(purpose, on);
            }
        });
        self.optout_controls();
        self.apply_tags();
        let me = Rc::downgrade(self);
        let watcher = tags::Watcher::start(move |added| {
            if let Some(s) = me.upgrade() {
                if added.optouts {
                    s.optout_controls();
                }
                if added.tags {
                    s.apply_tags();
                }
            }
        });
        *self.watcher.borrow_mut() = watcher;
        let me = Rc::downgrade(self);
        let tabs = tabs::Tabs::listen(move || {
            if let Some(s) = me.upgrade() {
                s.refresh();
            }
        });
        *self.tabs.borrow_mut() = tabs;
    }

    /// A vendor served from this page's own origin: its requests cannot be told from the
    /// site's (the loader allows the page's own origin, and so does the CSP's
    /// `'self'`). Only its tagged scripts stay under Accord's control: say so.
    fn warn_same_origin_vendors(&self) {
        let loc = env::window().location();
        let host = loc.hostname().unwrap_or_default().to_ascii_lowercase();
        let port = loc.port().ok().and_then(|p| p.parse::<u16>().ok());
        for v in &self.config.vendors {
            if v.hosts.iter().any(|h| h.matches(&host, port)) {
                events::error(
                    ErrorCode::VendorSameOrigin,
                    &format!("vendor \"{}\" is served from this page's own origin: Accord cannot block its requests, only its tagged scripts (data-accord-purpose); give it its own host (e.g. stats.{host})", v.id),
                    &[],
                );
            }
        }
    }

    /// Stops watching the page and the other tabs (tests unmount widgets).
    pub(crate) fn stop(&self) {
        self.watcher.borrow_mut().take();
        self.tabs.borrow_mut().take();
        self.optout.borrow_mut().take();
        self.visibility.borrow_mut().take();
    }

    /// Another tab decided or objected: re-read the cookies and apply them here.
    pub(crate) fn refresh(&self) {
        let (record, marker) = jar(&self.config);
        self.run(Event::Read { record, marker });
    }

    /// Is `purpose` (exempt or consent) off because of the person: objected to, or
    /// not consented to?
    pub(crate) fn objects(&self, purpose: &str) -> bool {
        self.config
            .purpose(purpose)
            .is_some_and(|p| p.basis != Basis::Necessary)
            && !self.is_granted(purpose)
    }

    /// The opt-out (SPEC §6): `on` objects to the exempt `purpose`, `false` lifts the
    /// objection. With a valid record it is a recorded decision (a receipt proves
    /// it); without one, only the marker changes and the banner still asks about the
    /// rest. Either way the marker is written before anything else can run, and the
    /// dialog stays open.
    /// For a consent purpose, the same control withdraws or gives consent to it alone.
    pub(crate) fn object(&self, purpose: &str, on: bool) {
        self.run(Event::Object {
            purpose: purpose.to_owned(),
            on,
        });
    }

    fn announce_tabs(&self) {
        if let Some(t) = self.tabs.borrow().as_ref() {
            t.announce();
        }
    }

    /// Fills or updates the page's opt-out controls (`data-accord-optout`).
    fn optout_controls(&self) {
        let w = words(self.lang);
        for (el, purpose) in optout::containers() {
            let p = self.config.purpose(&purpose);
            let off = self.objects(&purpose);
            let title = p.map(|p| p.title.get(self.lang)).unwrap_or_default();
            let fill = |t: &str| t.replace("{purpose}", title);
            let view = match p.map(|p| p.basis) {
                Some(Basis::ExemptAudience) => {
                    let (state, button) = w.optout(off);
                    optout::View {
                        state: state.to_owned(),
                        button: button.to_owned(),
                        unavailable: false,
                    }
                }
                Some(Basis::Consent) => optout::View {
                    state: fill(if off {
                        w.optout_consent_off
                    } else {
                        w.optout_consent_on
                    }),
                    button: if off {
                        w.optout_grant
                    } else {
                        w.optout_withdraw
                    }
                    .to_owned(),
                    unavailable: false,
                },
                _ => {
                    let mut seen = self.reported_unknown.borrow_mut();
                    let key = format!("optout:{purpose}");
                    if !seen.contains(&key) {
                        events::error(
                            ErrorCode::OptoutUnknownPurpose,
                            &format!("data-accord-optout=\"{purpose}\" is not a purpose that can be refused; the control says to use « Gérer mes cookies »"),
                            &[],
                        );
                        seen.push(key);
                    }
                    optout::View {
                        state: w.optout_unavailable.to_owned(),
                        button: String::new(),
                        unavailable: true,
                    }
                }
            };
            optout::render(&el, &purpose, &view);
        }
    }

    fn apply_tags(&self) {
        let unknown = {
            let page = self.page.borrow();
            tags::apply(&|p| tag_decision(&self.config, &page.choice, p))
        };
        self.placeholders();
        for p in unknown {
            let mut seen = self.reported_unknown.borrow_mut();
            if !seen.contains(&p) {
                events::error(
                    ErrorCode::TagUnknownPurpose,
                    &format!("data-accord-purpose=\"{p}\" is not a purpose of the config; that tag stays blocked"),
                    &[],
                );
                seen.push(p);
            }
        }
    }

    /// A placeholder over every held tagged iframe of a known purpose; none over the
    /// others.
    fn placeholders(&self) {
        let w = words(self.lang);
        for (el, purpose, src) in placeholder::frames() {
            let Some(p) = self.config.purpose(&purpose) else {
                continue;
            };
            if self.is_granted(&purpose) {
                placeholder::remove(&el);
                continue;
            }
            let vendor = url_host_port(&src)
                .and_then(|(h, port)| vendor_for_host(&self.config, &h, port))
                .or_else(|| self.config.vendors_of(&purpose).next())
                .map(|v| v.name.clone())
                .unwrap_or_else(|| p.title.get(self.lang).to_owned());
            let fill = |t: &str| {
                t.replace("{vendor}", &vendor)
                    .replace("{purpose}", p.title.get(self.lang))
            };
            let texts = placeholder::Words {
                title: fill(w.placeholder_title),
                text: fill(w.placeholder_text),
                button: w.placeholder_button.to_owned(),
            };
            let me = self.me.borrow().clone();
            placeholder::show(&el, &texts, move || {
                if let Some(s) = me.upgrade() {
                    s.grant(&purpose);
                }
            });
        }
    }

    /// The current record's receipt as kept when it was decided (or, for a record made
    /// elsewhere, rebuilt for the notice in this page's language), and its file name.
    /// Saves the current receipt as a file for the person (« Télécharger ma preuve »).
    pub(crate) fn download_receipt(&self) {
        if let Some((name, json)) = self.receipt() {
            receipts::download(&name, &json);
        }
    }

    pub(crate) fn receipt(&self) -> Option<(String, String)> {
        let choice = self.choice();
        let record = choice.record()?;
        let kept = receipts::current()
            .filter(|r| r.contains(&format!("\"record_id\":\"{}\"", record.record_id)));
        let json = kept.unwrap_or_else(|| {
            Receipt::of(&self.config, record, self.lang, crate::VERSION, self.gpc())
                .signed_in(self.account.as_deref())
                .to_json()
        });
        let name = format!(
            "{}-{}.json",
            words(self.lang).receipt_file,
            record.record_id
        );
        Some((name, json))
    }

    /// Sends the receipts a previous page could not deliver.
    pub(crate) fn resend_receipts(&self) {
        if let Some(endpoint) = &self.config.consent_log_endpoint {
            receipts::flush(endpoint);
        }
    }

    /// A custom choice (`accord_core::page::custom`): `change` gives the new value of a
    /// purpose, or `None` to keep it as it is now.
    pub(crate) fn custom(&self, change: impl Fn(&str) -> Option<bool>) -> Intent {
        accord_core::page::custom(&self.config, &self.page.borrow(), change)
    }

    /// Grants one purpose as a recorded decision, keeping the others as they are.
    pub(crate) fn grant(&self, purpose: &str) {
        self.decide(self.custom(|id| (id == purpose).then_some(true)));
    }

    /// The UI listens to [`UiSignal`]s until the returned subscription is dropped.
    pub(crate) fn subscribe(self: &Rc<Self>, f: UiListener) -> Subscription {
        *self.ui.borrow_mut() = Some(f);
        Subscription(Rc::downgrade(self))
    }

    /// Sets who is told of each applied change (see [`ChangeListener`]).
    pub(crate) fn on_change(&self, f: ChangeListener) {
        *self.on_change.borrow_mut() = Some(f);
    }

    pub(crate) fn signal(&self, s: UiSignal) {
        let f = self.ui.borrow().clone();
        if let Some(f) = f {
            f(s);
        }
    }

    /// Turns an intent into a stored record and applies it: purge what is withdrawn,
    /// activate what is granted, announce `accord:change`, tell the UI.
    /// If the record cannot be stored, nothing new is granted (fail closed).
    pub(crate) fn decide(&self, intent: Intent) {
        self.run(Event::Decide(intent));
    }

    /// One step of the core's page reducer (`accord_core::page::step`), then its
    /// effects in order. Not re-entrant: an event raised while effects run (a page
    /// script deciding from its `accord:change` or `accord:error` listener) waits until
    /// they are done, so every step starts from a settled state.
    fn run(&self, event: Event) {
        self.queue.borrow_mut().push_back(event);
        if self.running.replace(true) {
            return;
        }
        loop {
            let next = self.queue.borrow_mut().pop_front();
            match next {
                Some(e) => self.step_once(e),
                None => break,
            }
        }
        self.running.set(false);
    }

    /// One step. A record that cannot be stored abandons the rest and is reported back
    /// (next, before anything queued) against the state before the event: it becomes a
    /// refusal. A marker that had to be stored and was not abandons the rest, and the
    /// state before the event stays.
    fn step_once(&self, event: Event) {
        let before = self.page.borrow().clone();
        let random = matches!(event, Event::Decide(_) | Event::Object { .. })
            .then(env::random_bytes)
            .flatten()
            .map(|b| record_id_from(&b));
        let (next, effects) = step(&self.config, &before, event, env::now(), random);
        *self.page.borrow_mut() = next;
        for e in effects {
            match self.effect(e) {
                Ran::Done => {}
                Ran::Stop => {
                    *self.page.borrow_mut() = before;
                    return;
                }
                Ran::NotStored(failed) => {
                    *self.page.borrow_mut() = before;
                    self.queue.borrow_mut().push_front(failed);
                    return;
                }
            }
        }
    }

    /// Runs one effect of the page reducer.
    fn effect(&self, effect: Effect) -> Ran {
        match effect {
            Effect::Error(code, message) => events::error(code, &message, &[]),
            Effect::WriteRecord {
                record,
                objected,
                signal,
            } => {
                let stored = cookies::write_record(&self.config.cookie_name, &record);
                if !stored {
                    return Ran::NotStored(Event::RecordNotStored {
                        record,
                        objected,
                        signal,
                    });
                }
            }
            Effect::WriteMarker { value, failure } => {
                let name = marker_name(&self.config);
                if !cookies::write_marker(&name, value.as_deref(), env::now()) {
                    match failure {
                        MarkerFailure::Ignore => {}
                        MarkerFailure::Report => {
                            events::error(ErrorCode::Storage, MARKER_NOT_STORED, &[])
                        }
                        MarkerFailure::ReportAndStop => {
                            events::error(ErrorCode::Storage, MARKER_NOT_STORED, &[]);
                            return Ran::Stop;
                        }
                    }
                }
            }
            Effect::DeleteRecord => cookies::delete_everywhere(&self.config.cookie_name),
            Effect::Purge { purposes, reason } => self.purge(&purposes, reason),
            Effect::ConsentMode { signals, decided } => {
                crate::browser::gtag::sync(&signals, decided)
            }
            Effect::Activate => {
                self.apply_tags();
                self.optout_controls();
                guard::changed(&self.config, &self.choice());
            }
            Effect::Announce(signal) => {
                let told = self.on_change.borrow().clone();
                if let Some(f) = told {
                    f(self);
                }
                self.signal(match signal {
                    Signal::Decided => UiSignal::Decided,
                    Signal::Objected => UiSignal::Objected,
                });
            }
            Effect::KeepReceipt(record) => {
                let receipt =
                    Receipt::of(&self.config, &record, self.lang, crate::VERSION, self.gpc())
                        .signed_in(self.account.as_deref())
                        .to_json();
                receipts::keep_current(&receipt);
                if let Some(endpoint) = &self.config.consent_log_endpoint {
                    receipts::enqueue(&receipt);
                    receipts::flush(endpoint);
                }
            }
            Effect::AnnounceTabs => self.announce_tabs(),
            Effect::Reload(key) => reload_once(&key),
        }
        Ran::Done
    }

    /// Removes everything of `purposes` (GDPR art. 7(3), loi Informatique et Libertés
    /// art. 82: nothing of a consent survives its withdrawal or its end): the nodes
    /// Accord activated, every loading element of their vendors whoever inserted it,
    /// their declared cookies (every Domain and Path variant), storage keys, IndexedDB
    /// databases and caches. `reason` (`withdrawn`, `lapsed`) goes to `Accord.audit()`
    /// with what was removed.
    fn purge(&self, purposes: &[String], reason: &'static str) {
        tags::deactivate(purposes);
        let nodes = nodes::remove_withdrawn(|u| url_withdrawn(&self.config, purposes, u));
        let jar = cookies::all();
        let names: Vec<&str> = jar.iter().map(|(n, _)| n.as_str()).collect();
        let gone_cookies = cookies_to_purge(&self.config, purposes, &names);
        for name in &gone_cookies {
            cookies::delete_everywhere(name);
        }
        let keys = storage::keys();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut gone_keys: Vec<String> = storage_to_purge(&self.config, purposes, &keys)
            .into_iter()
            .map(str::to_owned)
            .collect();
        for k in &gone_keys {
            storage::remove(k);
        }
        // What the vendors wrote under names the config does not declare, remembered as
        // they wrote it (`core::attribution`).
        let ledger = guard::storage_ledger();
        for (kind, name) in ledger.of(purposes) {
            guard::delete_stored(kind, name);
            let label = kind.label(name);
            if !gone_keys.contains(&label) {
                gone_keys.push(label);
            }
        }
        let index = {
            let mut audit = self.audit.borrow_mut();
            audit.purges.push(guard::PurgeEntry {
                reason,
                purposes: purposes.to_vec(),
                cookies: gone_cookies.iter().map(|s| s.to_string()).collect(),
                storage: gone_keys,
                nodes,
            });
            audit.purges.len() - 1
        };
        // Databases and caches are listed asynchronously: deleted as soon as known.
        let me = self.me.borrow().clone();
        let purposes = purposes.to_vec();
        wasm_bindgen_futures::spawn_local(async move {
            let (dbs, caches) = storage::database_and_cache_names().await;
            let Some(s) = me.upgrade() else { return };
            let dbs: Vec<&str> = dbs.iter().map(String::as_str).collect();
            let caches: Vec<&str> = caches.iter().map(String::as_str).collect();
            let mut gone = Vec::new();
            for name in storage_to_purge(&s.config, &purposes, &dbs) {
                storage::delete_database(name);
                gone.push(Store::Database.label(name));
            }
            for name in storage_to_purge(&s.config, &purposes, &caches) {
                storage::delete_cache(name);
                gone.push(Store::Cache.label(name));
            }
            let mut audit = s.audit.borrow_mut();
            if let Some(e) = audit.purges.get_mut(index) {
                for g in gone {
                    if !e.storage.contains(&g) {
                        e.storage.push(g);
                    }
                }
            }
        });
    }
}

/// The record cookie and the opt-out marker as they are in the jar now.
fn jar(config: &Config) -> (Option<String>, Option<String>) {
    let jar = cookies::all();
    let get = |n: &str| jar.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    (get(&config.cookie_name), get(&marker_name(config)))
}

/// How an effect ran.
enum Ran {
    Done,
    /// Abandon the rest; the state before the event stays.
    Stop,
    /// The record was not stored: run this event against the state before.
    NotStored(Event),
}

/// `"policy": "server"`: reloads the page so the server's header follows a grant, at
/// most once per `key` (a record id): no loop if the server does not send the header.
fn reload_once(key: &str) {
    use crate::browser::storage::{get, set, Area};
    // Without a store, no reload: it could not be told from a loop (the next page
    // still gets the server's header, which the record now grants).
    match get(Area::Session, RELOAD_KEY) {
        Ok(Some(done)) if done == key => return,
        Err(_) => return,
        Ok(_) => {}
    }
    if set(Area::Session, RELOAD_KEY, key).is_ok() {
        let _ = env::window().location().reload();
    }
}
