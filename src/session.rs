//! The live state of one page: the validated config, the choice, and the effects a
//! decision triggers (store, purge, activate, announce). The UI and the JS API both
//! act through [`Session::decide`], so they can never disagree.

use crate::browser::{
    cookies, events, guard, nodes, optout, placeholder, receipts, storage, tabs, tags,
};
use crate::env;
use accord_core::attribution::Store;
use accord_core::config::{Basis, Config, Lang, PolicyMode};
use accord_core::consent_mode;
use accord_core::firewall::vendor_for_host;
use accord_core::hosts::url_host_port;
use accord_core::notice::words;
use accord_core::receipt::Receipt;

/// sessionStorage: the record id the page was last reloaded for (`"policy": "server"`).
const RELOAD_KEY: &str = "accord.reload";
use accord_core::firewall::{cookies_to_purge, storage_to_purge, tag_decision, url_withdrawn};
use accord_core::notice::pick_language;
use accord_core::record::{
    decide, encode_marker, evaluate_with_marker, granted, lapsed, marker_name, marker_set_at,
    record_id_from, under_gpc, withdrawn, Choice, Decision, Intent, NoChoice,
};
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

/// A marker older than this is written again, so that an objection lasts 13 months
/// from the person's last visit rather than from the day they objected.
const MARKER_RENEW_AFTER: i64 = 30 * 86_400;

/// The UI's listener for [`UiSignal`]s.
pub(crate) type UiListener = Rc<dyn Fn(UiSignal)>;

/// Told of every change of the choice once it is applied (boot wires `window.Accord`'s
/// `accord:change` event here: the session does not know the page's API).
pub(crate) type ChangeListener = Rc<dyn Fn(&Session)>;

pub(crate) struct Session {
    pub config: Config,
    pub lang: Lang,
    choice: RefCell<Choice>,
    ui: RefCell<Option<UiListener>>,
    on_change: RefCell<Option<ChangeListener>>,
    watcher: RefCell<Option<tags::Watcher>>,
    tabs: RefCell<Option<tabs::Tabs>>,
    optout: RefCell<Option<optout::Listener>>,
    reported_unknown: RefCell<Vec<String>>,
    /// What the page tried (requests, cookies), for `Accord.audit()`.
    pub audit: RefCell<guard::AuditLog>,
    /// The purposes granted when the page loaded: with `"policy": "server"`, what the
    /// page's CSP header allows.
    loaded_with: Vec<String>,
    /// The browser sends Global Privacy Control: « Tout accepter » leaves out what it
    /// refuses by default, and the notice says why.
    pub gpc: bool,
    /// Itself, for the callbacks it hands to the page (placeholders).
    me: RefCell<std::rc::Weak<Session>>,
    /// The purposes a stored record granted that no longer count (expired, older
    /// policy, new purpose): purged at start, before anything of theirs can run.
    lapsed: Vec<String>,
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
}

impl Session {
    /// Reads the stored record and builds the session. Reports a corrupt record.
    pub(crate) fn new(config: Config) -> SessionRef {
        let lang = pick_language(&config, env::page_lang().as_deref());
        let choice = read_choice(&config, true);
        let lapsed = lapsed(
            &config,
            cookies::get(&config.cookie_name).as_deref(),
            &choice,
        );
        match &choice.decision {
            Decision::None(NoChoice::Corrupt(e)) => events::error(
                "ACCORD_RECORD_CORRUPT",
                &format!("the \"{}\" cookie is not a valid record ({e}); asking again", config.cookie_name),
                &[],
            ),
            Decision::None(NoChoice::ClockSkew) => events::error(
                "ACCORD_CLOCK",
                "the stored choice is dated in the future: the clock or the cookie is wrong; asking again",
                &[],
            ),
            _ => {}
        }
        let loaded_with = config
            .purposes
            .iter()
            .filter(|p| granted(&config, &choice, &p.id))
            .map(|p| p.id.clone())
            .collect();
        Rc::new(Session {
            lapsed,
            gpc: env::gpc(),
            loaded_with,
            me: RefCell::new(std::rc::Weak::new()),
            config,
            lang,
            choice: RefCell::new(choice),
            ui: RefCell::new(None),
            on_change: RefCell::new(None),
            watcher: RefCell::new(None),
            tabs: RefCell::new(None),
            optout: RefCell::new(None),
            reported_unknown: RefCell::new(Vec::new()),
            audit: RefCell::new(guard::AuditLog::default()),
        })
    }

    pub(crate) fn choice(&self) -> Choice {
        self.choice.borrow().clone()
    }

    pub(crate) fn decided(&self) -> bool {
        self.choice.borrow().record().is_some()
    }

    pub(crate) fn is_granted(&self, purpose: &str) -> bool {
        granted(&self.config, &self.choice.borrow(), purpose)
    }

    /// Activates the tags the current choice allows, watches for new ones, and listens
    /// to the site's other tabs.
    pub(crate) fn start(self: &Rc<Self>) {
        *self.me.borrow_mut() = Rc::downgrade(self);
        // Expiry is a withdrawal: what the old consent left goes first.
        if !self.lapsed.is_empty() {
            self.purge(&self.lapsed.clone(), "lapsed");
        }
        guard::sweep(&**self, "load");
        guard::sweep_on_visibility(self);
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
                    "ACCORD_VENDOR_SAME_ORIGIN",
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
    }

    /// Another tab decided or objected: re-read the cookies and apply them here.
    pub(crate) fn refresh(&self) {
        let after = read_choice(&self.config, false);
        let before = self.choice();
        if after != before {
            let objected = after.record() == before.record();
            self.apply(
                before,
                after,
                if objected {
                    UiSignal::Objected
                } else {
                    UiSignal::Decided
                },
            );
        }
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
        let basis = self.config.purpose(purpose).map(|p| p.basis);
        if matches!(basis, None | Some(Basis::Necessary)) || self.objects(purpose) == on {
            return;
        }
        if self.decided() || basis == Some(Basis::Consent) {
            self.decide_as(
                self.custom(|id| (id == purpose).then_some(!on)),
                UiSignal::Objected,
            );
            return;
        }
        let before = self.choice();
        let list: Vec<String> = self
            .config
            .exempt()
            .filter(|p| {
                if p.id == purpose {
                    on
                } else {
                    before.objects(&p.id)
                }
            })
            .map(|p| p.id.clone())
            .collect();
        if !self.store_marker(&list) && !on {
            return; // the objection could not be lifted: it stands
        }
        if !on {
            // A stale record (expired, older policy) saying 0 would bring the objection
            // back at the next page (see `read_choice`): it decides nothing, drop it.
            cookies::delete_everywhere(&self.config.cookie_name);
        }
        // An objection that could not be stored still holds on this page.
        let after = before.clone().objecting(list);
        self.apply(before, after, UiSignal::Objected);
        self.announce_tabs();
        // Lifting it grants the tool again: under `"policy": "server"` the page's header
        // still leaves its hosts out.
        self.reload_for_header(&format!("optout-{}", env::now()));
    }

    /// Writes the opt-out marker for `objections` (none: deletes it).
    fn store_marker(&self, objections: &[String]) -> bool {
        let value = encode_marker(objections, env::now());
        let ok = cookies::write_marker(&marker_name(&self.config), value.as_deref(), env::now());
        if !ok {
            events::error(
                "ACCORD_STORAGE",
                "the audience opt-out could not be stored in a cookie; it holds for this page only",
                &[],
            );
        }
        ok
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
                            "ACCORD_OPTOUT_UNKNOWN_PURPOSE",
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
            let choice = self.choice.borrow();
            tags::apply(&|p| tag_decision(&self.config, &choice, p))
        };
        self.placeholders();
        for p in unknown {
            let mut seen = self.reported_unknown.borrow_mut();
            if !seen.contains(&p) {
                events::error(
                    "ACCORD_TAG_UNKNOWN_PURPOSE",
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
            Receipt::of(&self.config, record, self.lang, crate::VERSION, self.gpc).to_json()
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

    /// A custom choice: `change` gives the new value of a purpose, or `None` to keep
    /// it as it is now (unticked when nothing was decided).
    pub(crate) fn custom(&self, change: impl Fn(&str) -> Option<bool>) -> Intent {
        let decided = self.decided();
        Intent::Custom(
            self.config
                .choosable()
                .map(|p| {
                    // An exempt purpose is on until objected to, decision or not: a
                    // first custom choice about something else is no objection.
                    let keep =
                        (decided || p.basis == Basis::ExemptAudience) && self.is_granted(&p.id);
                    (p.id.clone(), change(&p.id).unwrap_or(keep))
                })
                .collect(),
        )
    }

    /// Grants one purpose as a recorded decision, keeping the others as they are.
    pub(crate) fn grant(&self, purpose: &str) {
        self.decide(self.custom(|id| (id == purpose).then_some(true)));
    }

    pub(crate) fn set_ui(&self, f: Option<UiListener>) {
        *self.ui.borrow_mut() = f;
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
        self.decide_as(intent, UiSignal::Decided);
    }

    fn decide_as(&self, intent: Intent, signal: UiSignal) {
        let intent = if self.gpc {
            under_gpc(&self.config, &self.choice(), intent)
        } else {
            intent
        };
        let before = self.choice();
        let now = env::now();
        let Some(bytes) = env::random_bytes() else {
            events::error(
                "ACCORD_RANDOM",
                "the browser gave no random values; no choice recorded",
                &[],
            );
            return;
        };
        let mut record = decide(&self.config, &before, &intent, now, record_id_from(&bytes));
        // The marker follows the exempt purposes asked for: an objection made here
        // outlives this record (expiry, a new policy version), and holds even if the
        // record cannot be stored.
        let objected: Vec<String> = self
            .config
            .exempt()
            .filter(|p| record.get(&p.id) == Some(false))
            .map(|p| p.id.clone())
            .collect();
        if !cookies::write_record(&self.config.cookie_name, &record) {
            events::error(
                "ACCORD_STORAGE",
                "the choice could not be stored in a cookie; treated as a refusal for this page",
                &[],
            );
            record = decide(
                &self.config,
                &before,
                &Intent::RefuseAll,
                now,
                record.record_id,
            );
            // A refusal keeps exempt purposes as they were: never more than was asked.
            for (id, v) in record.purposes.iter_mut() {
                *v &= !objected.contains(id);
            }
        }
        let id = record.record_id.clone();
        if objected != before.objections {
            self.store_marker(&objected);
        }
        let receipt =
            Receipt::of(&self.config, &record, self.lang, crate::VERSION, self.gpc).to_json();
        self.apply(before, Choice::valid(record).objecting(objected), signal);
        receipts::keep_current(&receipt);
        if let Some(endpoint) = &self.config.consent_log_endpoint {
            receipts::enqueue(&receipt);
            receipts::flush(endpoint);
        }
        self.announce_tabs();
        self.reload_for_header(&id);
    }

    /// `"policy": "server"`: the server's CSP header was computed from the record the
    /// page loaded with. If a purpose is granted now that the header did not allow,
    /// reload once so the new header applies. A refusal never reloads; a record is
    /// reloaded for at most once (no loop if the server does not send the header).
    fn reload_for_header(&self, record_id: &str) {
        if self.config.policy != PolicyMode::Server {
            return;
        }
        let choice = self.choice();
        let newly =
            self.config.purposes.iter().any(|p| {
                granted(&self.config, &choice, &p.id) && !self.loaded_with.contains(&p.id)
            });
        if !newly {
            return;
        }
        let w = env::window();
        let Some(store) = w.session_storage().ok().flatten() else {
            return;
        };
        if store.get_item(RELOAD_KEY).ok().flatten().as_deref() == Some(record_id) {
            return;
        }
        if store.set_item(RELOAD_KEY, record_id).is_ok() {
            let _ = w.location().reload();
        }
    }

    /// Makes `after` the current choice: purge what is withdrawn, activate what is
    /// granted, let the loader release or drop what it holds, announce, tell the UI.
    fn apply(&self, before: Choice, after: Choice, signal: UiSignal) {
        let gone = withdrawn(&self.config, &before, &after);
        *self.choice.borrow_mut() = after;
        if !gone.is_empty() {
            self.purge(&gone, "withdrawn");
        }
        let choice = self.choice();
        crate::browser::gtag::sync(
            &consent_mode::update(&self.config, &choice),
            choice.record().is_some() || before.record().is_some(),
        );
        self.apply_tags();
        self.optout_controls();
        guard::changed(&self.config, &choice);
        let told = self.on_change.borrow().clone();
        if let Some(f) = told {
            f(self);
        }
        self.signal(signal);
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

/// The record cookie and the opt-out marker as they are in the jar now. At page load
/// (`first`), a malformed marker is reported (it objects to every exempt purpose), and
/// a marker older than a month is written again.
fn read_choice(config: &Config, first: bool) -> Choice {
    let now = env::now();
    let jar = cookies::all();
    let get = |n: &str| jar.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let name = marker_name(config);
    let (stored, marker) = (get(&config.cookie_name), get(&name));
    let choice = evaluate_with_marker(config, stored, marker, now);
    if !first {
        return choice;
    }
    let set_at = marker.and_then(marker_set_at);
    if marker.is_some_and(|m| !m.trim().is_empty()) && set_at.is_none() {
        events::error(
            "ACCORD_OPTOUT_CORRUPT",
            &format!("the \"{name}\" cookie is not a valid opt-out marker; treated as an objection to audience measurement"),
            &[],
        );
    }
    // An objection recorded only in a record (before the marker existed) outlives that
    // record too: any record that still decodes, expired or of an older policy.
    let recorded = stored.and_then(|r| accord_core::record::Record::decode(r).ok());
    let all: Vec<String> = config
        .exempt()
        .filter(|p| {
            choice.objects(&p.id)
                || recorded
                    .as_ref()
                    .is_some_and(|r| r.get(&p.id) == Some(false))
        })
        .map(|p| p.id.clone())
        .collect();
    let renew = set_at.is_some_and(|at| now - at > MARKER_RENEW_AFTER);
    if all != choice.objections || renew {
        if let Some(v) = encode_marker(&all, now) {
            cookies::write_marker(&name, Some(&v), now);
        }
    }
    choice.objecting(all)
}
