//! The floor of the page's module (issue 15): the decisions of `accord-core` that the
//! page's module (`src/`) runs on every page, called from one export with values the
//! optimiser cannot foresee, and nothing else: no hook answered, no cookie written, no
//! element made. `node bench/floor.mjs` builds it like the page's module and weighs it.
//! Whatever the page's module does beyond these calls costs bytes on top of this floor.
//!
//! A lower bound: it calls a subset of what `src/` calls (the config read and checked,
//! the session's two steps, the notice and its hash, a receipt, the record's codec, the
//! firewall's verdicts, the texts' URLs, storage attribution, cookie clamping, Consent
//! Mode, the purge plans, the dialogs' view). It has no test: it is measured, not run.

#[cfg(target_arch = "wasm32")]
pub mod floor {
    use accord_core::attribution::{write_decision, writer, StorageLedger, Store, Write};
    use accord_core::calendar::to_iso;
    use accord_core::config::Config;
    use accord_core::cookies::{clamp, CookieWrite};
    use accord_core::dialog::{reduce, Action, Dialog, Layer, View};
    use accord_core::firewall::{
        cookie_verdict, cookies_to_purge, deletion_strings, hidden_cookies_regex, loader_cache,
        request_verdict, storage_to_purge, tag_decision, url_withdrawn, TagDecision,
    };
    use accord_core::json::ToJson;
    use accord_core::notice::{notice, pick_language};
    use accord_core::page::{custom, step, Event, Page};
    use accord_core::receipt::Receipt;
    use accord_core::record::{cookie_string, granted, Choice, Intent, NoChoice};
    use accord_core::text_urls::{urls_in, TextKind};
    use wasm_bindgen::prelude::*;

    /// Runs the decisions once on the page's values (`raw`: the config `JSON.parse`
    /// made; `record`: the record cookie; `word`: a host, a cookie, a key, a purpose;
    /// `text`: a text the loader holds; `kind`: its kind; `stack`: a writer's stack).
    /// Returns what they decided, as text, so that none of it is optimised away.
    #[wasm_bindgen]
    pub fn run(
        raw: JsValue,
        record: Option<String>,
        now: f64,
        word: String,
        text: String,
        kind: String,
        stack: String,
    ) -> String {
        let Some(doc) = accord_web::json_of(&raw, 0) else {
            return String::new();
        };
        let config = match Config::from_json(&doc) {
            Ok(c) => c,
            Err(errors) => return errors.iter().map(ToString::to_string).collect(),
        };
        let now = now as i64;
        let blank = Page {
            choice: Choice::none(NoChoice::Absent),
            loaded_with: Vec::new(),
            gpc: false,
            account_since: None,
        };
        let load = Event::Load {
            record,
            marker: None,
            account: None,
        };
        let (page, first) = step(&config, &blank, load, now, Some(word.clone()));
        let intent = match kind.as_str() {
            "all" => Intent::AcceptAll,
            "none" => Intent::RefuseAll,
            _ => custom(&config, &page, |p| Some(p == word)),
        };
        let (page, second) = step(
            &config,
            &page,
            Event::Decide(intent),
            now,
            Some(text.clone()),
        );
        let choice = &page.choice;
        let mut out = String::new();
        out.push(char::from(b'a' + (first.len() + second.len()) as u8 % 26));
        let lang = pick_language(&config, Some(&kind));
        out.push_str(&notice(&config, lang, page.gpc).text());
        out.push_str(&View::of(&config, lang, page.gpc).to_json());
        let (dialog, _) = reduce(
            Dialog {
                layer: Layer::Banner,
                decided: false,
            },
            Action::Open,
        );
        out.push(if dialog.layer == Layer::Prefs {
            '1'
        } else {
            '0'
        });
        if let Some(r) = choice.record() {
            out.push_str(&Receipt::of(&config, r, lang, "0", page.gpc).to_json());
            out.push_str(&cookie_string(&config.cookie_name, r, true));
            out.push_str(&to_iso(r.expires_at));
        }
        let (verdict, _) = request_verdict(&config, choice, &word, None);
        out.push(char::from(b'0' + verdict.code()));
        out.push(char::from(
            b'0' + cookie_verdict(&config, choice, &word).code(),
        ));
        if let TagDecision::Activate = tag_decision(&config, choice, &word) {
            out.push('+');
        }
        if let Some(k) = TextKind::from_code(&kind) {
            out.push_str(&urls_in(k, &text, "https").join(","));
        }
        out.push_str(&loader_cache(&config, choice));
        out.push_str(&hidden_cookies_regex(&config, choice));
        out.push_str(writer(&stack, &text, &word).unwrap_or_default());
        let is_granted = |p: &str| granted(&config, choice, p);
        if let Write::Refuse(p) = write_decision(&config, is_granted, &stack, &word) {
            out.push_str(p);
            out.push('-');
        }
        let mut ledger = StorageLedger::decode(&text);
        if let Some(store) = Store::from_code(&kind) {
            ledger.add(&word, store, &stack);
        }
        out.push_str(&ledger.encode());
        if let Some(w) = CookieWrite::parse(&text, now) {
            out.push_str(&clamp(&text, &w, now, now).text);
        }
        for (signal, on) in accord_core::consent_mode::update(&config, choice) {
            out.push_str(signal);
            out.push(if on { '1' } else { '0' });
        }
        let withdrawn = [word.clone()];
        out.extend(cookies_to_purge(&config, &withdrawn, &[&text, &stack]));
        out.extend(storage_to_purge(&config, &withdrawn, &[&text, &stack]));
        out.push(if url_withdrawn(&config, &withdrawn, &text) {
            'w'
        } else {
            'k'
        });
        out.extend(deletion_strings(&word, &kind, "/"));
        out
    }
}
