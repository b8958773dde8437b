//! Browser tests (wasm-bindgen-test in headless Chromium): each layer mounts with the
//! right names and unticked defaults, and each click yields the right stored record.
#![cfg(target_arch = "wasm32")]

use accord::boot::{boot_with, Widget};
use accord_core::calendar::add_months;
use accord_core::record::{Action, Record};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlDocument, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
  "policy_version": "2026-11-01",
  "languages": ["fr", "en"],
  "controller": { "name": "Mutuelle Test", "contact": "dpo@test.fr", "privacy_url": "/confidentialite" },
  "purposes": [
    { "id": "necessary", "basis": "necessary", "title": {"fr": "Nécessaires", "en": "Necessary"}, "description": {"fr": "Le site en a besoin.", "en": "The site needs them."} },
    { "id": "audience", "basis": "consent", "title": {"fr": "Mesure d'audience", "en": "Audience measurement"}, "description": {"fr": "Compter les visites.", "en": "Count visits."} },
    { "id": "advertising", "basis": "consent", "title": {"fr": "Publicité personnalisée", "en": "Personalised advertising"}, "description": {"fr": "Des publicités.", "en": "Ads."} }
  ],
  "vendors": [
    { "id": "pubnet", "name": "PubNet", "purpose": "advertising", "hosts": ["ads.example"], "cookies": [{"name": "_adn", "lifetime_days": 390}], "country": "US", "transfer_basis": "scc", "privacy_url": "https://ads.example/privacy" }
  ],
  "choice_lifetime_months": 6
}"#;

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn cookie_jar() -> String {
    doc().dyn_into::<HtmlDocument>().unwrap().cookie().unwrap()
}

fn clear_cookies() {
    let d = doc().dyn_into::<HtmlDocument>().unwrap();
    for pair in cookie_jar().split(';') {
        let name = pair.split('=').next().unwrap_or("").trim();
        if !name.is_empty() {
            d.set_cookie(&format!("{name}=; Max-Age=0; Path=/"))
                .unwrap();
        }
    }
}

fn stored_record() -> Option<Record> {
    cookie_jar()
        .split(';')
        .find_map(|p| p.trim().strip_prefix("accord="))
        .map(|v| Record::decode(v).expect("the stored record decodes"))
}

/// Until the page settles: the dialogs module is mounted through promises (as the
/// loader's `load` resolves it in a page), then Yew renders.
async fn flush() {
    for _ in 0..3 {
        let tick = js_sys::Promise::new(&mut |ok, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 0);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
        yew::scheduler::flush().await;
    }
}

/// A fresh page state and a widget mounted on `config`.
async fn mount(config: &str) -> (Widget, Element) {
    clear_cookies();
    let root = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    // The dialogs and forms modules linked into this test's wasm, in place of
    // accord_dialogs.js and accord_forms.js.
    accord::boot::link_module("dialogs", accord_dialogs::module());
    accord::boot::link_module("forms", accord_forms::module());
    let widget =
        boot_with(js_sys::JSON::parse(config).unwrap(), root.clone()).expect("valid config");
    flush().await;
    (widget, root)
}

async fn unmount(widget: Widget, root: Element) {
    widget.unmount();
    flush().await;
    root.remove();
    clear_cookies();
}

fn buttons(root: &Element) -> Vec<HtmlElement> {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<HtmlElement>().unwrap())
        .collect()
}

/// The accessible name of a button is its text (no aria-label is used).
fn names(root: &Element) -> Vec<String> {
    buttons(root)
        .iter()
        .map(|b| b.inner_text().replace('×', "").trim().to_owned())
        .collect()
}

async fn click(root: &Element, name: &str) {
    let b = buttons(root)
        .into_iter()
        .find(|b| b.inner_text().replace('×', "").trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}; have {:?}", names(root)));
    b.click();
    flush().await;
}

fn checkbox(root: &Element, purpose: &str) -> HtmlInputElement {
    root.query_selector(&format!("#accord-p-{purpose}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no checkbox for {purpose}"))
        .dyn_into::<HtmlInputElement>()
        .unwrap()
}

fn label_of(root: &Element, purpose: &str) -> String {
    root.query_selector(&format!("label[for=accord-p-{purpose}]"))
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn banner_mounts_named_with_three_choices_and_a_close_control() {
    let (w, root) = mount(CONFIG).await;
    let dialog = root
        .query_selector("[role=dialog]")
        .unwrap()
        .expect("a dialog");
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    let title = doc()
        .get_element_by_id(&title_id)
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(title, "Vos choix sur les cookies");
    let n = names(&root);
    for want in [
        "Tout accepter",
        "Tout refuser",
        "Personnaliser",
        "Fermer sans accepter",
        "Liste des partenaires",
    ] {
        assert!(n.contains(&want.to_owned()), "{want} missing from {n:?}");
    }
    // The three choices share one class: same size and emphasis.
    let classes: Vec<String> = buttons(&root)
        .iter()
        .filter(|b| {
            ["Tout accepter", "Tout refuser", "Personnaliser"].contains(&b.inner_text().trim())
        })
        .map(|b| b.class_name())
        .collect();
    assert_eq!(classes, vec!["accord-btn"; 3]);
    assert!(
        stored_record().is_none(),
        "showing the banner stores nothing"
    );
    assert!(
        !root.inner_html().contains("style="),
        "no inline style attributes"
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn preferences_are_unticked_except_necessary() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Personnaliser").await;
    // The dialogs module showed the preferences: the first layer has left, so every
    // button a test clicks from here is the preferences' own.
    assert!(
        root.query_selector(".accord-banner").unwrap().is_none(),
        "the first layer is gone once the preferences show"
    );
    let focused = doc().active_element().expect("a focused element");
    assert!(
        focused.class_list().contains("accord-prefs"),
        "the focus is in the preferences"
    );
    let necessary = checkbox(&root, "necessary");
    assert!(
        necessary.checked() && necessary.disabled(),
        "necessary is shown ticked and disabled"
    );
    for p in ["audience", "advertising"] {
        let c = checkbox(&root, p);
        assert!(!c.checked(), "{p} must be unticked by default");
        assert!(!c.disabled());
    }
    assert_eq!(label_of(&root, "advertising"), "Publicité personnalisée");
    assert!(names(&root).contains(&"Enregistrer mes choix".to_owned()));
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn accept_all_stores_every_purpose_granted() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Tout accepter").await;
    let r = stored_record().expect("a record");
    assert_eq!(r.action, Action::AcceptAll);
    assert_eq!(
        r.purposes,
        vec![("audience".into(), true), ("advertising".into(), true)]
    );
    assert_eq!(
        r.expires_at,
        add_months(r.decided_at, 6),
        "expires_at = decided_at + 6 months"
    );
    assert_eq!(r.policy_version, "2026-11-01");
    assert!(
        root.query_selector("[role=dialog]").unwrap().is_none(),
        "the banner is gone"
    );
    assert_eq!(
        names(&root),
        vec!["Gérer mes cookies"],
        "only the reopen control remains"
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn refuse_all_stores_every_purpose_refused() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Tout refuser").await;
    let r = stored_record().expect("a refusal is remembered like a consent");
    assert_eq!(r.action, Action::RefuseAll);
    assert_eq!(
        r.purposes,
        vec![("audience".into(), false), ("advertising".into(), false)]
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn close_without_accepting_is_a_refusal() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Fermer sans accepter").await;
    let r = stored_record().expect("closing records a refusal");
    assert_eq!(r.action, Action::Close);
    assert!(r.purposes.iter().all(|(_, v)| !v));
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn escape_is_a_refusal() {
    let (w, root) = mount(CONFIG).await;
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    doc().dispatch_event(&ev).unwrap();
    flush().await;
    let r = stored_record().expect("Escape records a refusal");
    assert_eq!(r.action, Action::Close);
    assert!(r.purposes.iter().all(|(_, v)| !v));
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn custom_saves_exactly_what_is_ticked() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Personnaliser").await;
    checkbox(&root, "advertising").click();
    flush().await;
    click(&root, "Enregistrer mes choix").await;
    let r = stored_record().expect("a record");
    assert_eq!(r.action, Action::Custom);
    assert_eq!(
        r.purposes,
        vec![("audience".into(), false), ("advertising".into(), true)]
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn reopening_after_a_refusal_shows_unticked_boxes_and_withdraws_in_one_click() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Tout refuser").await;
    click(&root, "Gérer mes cookies").await;
    assert!(!checkbox(&root, "audience").checked());
    assert!(!checkbox(&root, "advertising").checked());
    click(&root, "Tout accepter").await;
    assert_eq!(stored_record().unwrap().action, Action::AcceptAll);
    click(&root, "Gérer mes cookies").await;
    assert!(
        checkbox(&root, "advertising").checked(),
        "reopening shows the current choice"
    );
    click(&root, "Tout refuser").await;
    let r = stored_record().unwrap();
    assert_eq!(r.action, Action::RefuseAll);
    assert!(r.purposes.iter().all(|(_, v)| !v));
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn partner_list_names_vendor_country_and_safeguard() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Liste des partenaires").await;
    let text = root.text_content().unwrap();
    for want in [
        "PubNet",
        "Publicité personnalisée",
        "US",
        "Clauses contractuelles types",
    ] {
        assert!(text.contains(want), "{want} missing from the partner list");
    }
    click(&root, "Retour").await;
    assert!(names(&root).contains(&"Tout accepter".to_owned()));
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn english_page_gets_english_names() {
    let html = doc().document_element().unwrap();
    let before = html.get_attribute("lang");
    html.set_attribute("lang", "en").unwrap();
    let (w, root) = mount(CONFIG).await;
    let n = names(&root);
    for want in [
        "Accept all",
        "Reject all",
        "Customize",
        "Close without accepting",
        "List of partners",
    ] {
        assert!(n.contains(&want.to_owned()), "{want} missing from {n:?}");
    }
    click(&root, "Reject all").await;
    assert_eq!(names(&root), vec!["Manage cookies"]);
    unmount(w, root).await;
    match before {
        Some(l) => html.set_attribute("lang", &l).unwrap(),
        None => html.remove_attribute("lang").unwrap(),
    }
}

#[wasm_bindgen_test]
async fn invalid_config_mounts_nothing_and_names_every_error() {
    clear_cookies();
    let root = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    let bad = r#"{"policy_version": 3, "purposes": [{"id": "x", "basis": "maybe"}], "choice_lifetime_months": 24}"#;
    let errors = match boot_with(js_sys::JSON::parse(bad).unwrap(), root.clone()) {
        Ok(_) => panic!("an invalid config must be refused"),
        Err(e) => e,
    };
    let all = errors.join("\n");
    for want in [
        "policy_version",
        "controller",
        "purposes[0].basis",
        "choice_lifetime_months",
    ] {
        assert!(all.contains(want), "{want} missing from {all}");
    }
    flush().await;
    assert_eq!(
        root.child_element_count(),
        0,
        "no banner that could grant anything"
    );
    assert!(stored_record().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_config_that_is_not_json_data_is_refused_by_name() {
    // What `JSON.parse` can give that no config is: a number out of range, a nesting
    // deeper than any config (a hostile file), a value that is not an object.
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    // As deep as JSON data may be (128 levels): read to the bottom, on the module's
    // 256 KiB stack (.cargo/config.toml), then refused for the field it sits in.
    let deepest = format!("{}{}", "[".repeat(127), "]".repeat(127));
    let rows: [(String, &str); 5] = [
        (
            CONFIG.replace(
                r#""choice_lifetime_months": 6"#,
                &format!(r#""x": {deepest}"#),
            ),
            "[unknown-field]",
        ),
        (
            CONFIG.replace(
                r#""choice_lifetime_months": 6"#,
                r#""choice_lifetime_months": 1e999"#,
            ),
            // The wasm names the field, what it found there and the rule (issue 15: the
            // sentence is `accordctl check`'s).
            "choice_lifetime_months: found a number out of range [choice-lifetime]",
        ),
        (
            CONFIG.replace(r#""choice_lifetime_months": 6"#, &format!(r#""x": {deep}"#)),
            "config: is not JSON data, or nests deeper than 128 levels",
        ),
        (
            deep.clone(),
            "config: is not JSON data, or nests deeper than 128 levels",
        ),
        ("[1, 2]".to_owned(), "config: found an array [type]"),
    ];
    for (text, want) in &rows {
        clear_cookies();
        let root = doc().create_element("div").unwrap();
        doc().body().unwrap().append_child(&root).unwrap();
        let errors = match boot_with(js_sys::JSON::parse(text).unwrap(), root.clone()) {
            Ok(_) => panic!("{want}: the config must be refused"),
            Err(e) => e.join("\n"),
        };
        assert!(errors.contains(want), "{want:?} missing from {errors}");
        flush().await;
        assert_eq!(root.child_element_count(), 0, "{want}: nothing mounted");
        assert!(stored_record().is_none());
        root.remove();
    }
}

/// A tag a single-page app adds after the choice (SPEC §5: "tags added later follow the
/// current choice"). Returns how many times it ran, after the observer has seen it.
async fn add_tag_later(purpose: &str) -> u32 {
    let script = doc().create_element("script").unwrap();
    script.set_attribute("type", "text/plain").unwrap();
    script
        .set_attribute("data-accord-purpose", purpose)
        .unwrap();
    script.set_text_content(Some(
        "window.__accordSpaRuns = (window.__accordSpaRuns || 0) + 1;",
    ));
    doc().body().unwrap().append_child(&script).unwrap();
    // The MutationObserver answers in a microtask; let it and the activation run.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
    flush().await;
    script.remove();
    let runs =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__accordSpaRuns".into()).unwrap();
    js_sys::Reflect::delete_property(&web_sys::window().unwrap(), &"__accordSpaRuns".into())
        .unwrap();
    runs.as_f64().unwrap_or(0.0) as u32
}

#[wasm_bindgen_test]
async fn tags_added_later_run_once_when_their_purpose_is_granted() {
    let (w, root) = mount(CONFIG).await;
    click(&root, "Tout accepter").await;
    assert_eq!(
        add_tag_later("advertising").await,
        1,
        "a granted tag added later runs, once"
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn tags_added_later_stay_inert_after_a_refusal_or_before_any_choice() {
    let (w, root) = mount(CONFIG).await;
    assert_eq!(
        add_tag_later("advertising").await,
        0,
        "no choice yet: the tag stays inert"
    );
    click(&root, "Tout refuser").await;
    assert_eq!(
        add_tag_later("advertising").await,
        0,
        "refused: the tag stays inert"
    );
    assert_eq!(
        add_tag_later("unknown-purpose").await,
        0,
        "an undeclared purpose never runs"
    );
    unmount(w, root).await;
}

#[wasm_bindgen_test]
async fn the_form_block_renders_unticked_optional_boxes_and_fills_its_payload_at_submit() {
    // SPEC §7: inside the insurer's form, one unticked, optional box per channel; the
    // hidden accord_prospection field carries every box's explicit value at submit.
    let form = doc().create_element("form").unwrap();
    form.set_inner_html(
        r#"<input name="code_client" data-accord-guard="internal-code">
           <div data-accord-form="contest"></div><button>Participer</button>"#,
    );
    doc().body().unwrap().append_child(&form).unwrap();
    let (w, root) = mount(CONFIG).await;
    let boxes = form.query_selector_all("input[data-accord-box]").unwrap();
    assert!(
        boxes.length() >= 5,
        "one box per channel, got {}",
        boxes.length()
    );
    for i in 0..boxes.length() {
        let b = boxes
            .item(i)
            .unwrap()
            .dyn_into::<HtmlInputElement>()
            .unwrap();
        assert!(!b.checked(), "every box unticked by default");
        assert!(
            !b.required(),
            "no box is required (NS 56: a contest never depends on prospection)"
        );
        assert!(
            b.get_attribute("name").is_none(),
            "the boxes themselves are not submitted"
        );
    }
    let labels = form
        .query_selector_all(".accord-prospection label")
        .unwrap();
    for i in 0..labels.length() {
        let t = labels.item(i).unwrap().text_content().unwrap();
        assert!(
            t.starts_with("J'accepte") || t.starts_with("Je m'oppose à"),
            "wording: {t}"
        );
    }
    // Tick the first box, fire submit (cancelled so the test page stays), read the payload.
    boxes
        .item(0)
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    let init = web_sys::EventInit::new();
    init.set_cancelable(true);
    let submit = web_sys::Event::new_with_event_init_dict("submit", &init).unwrap();
    let stop =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
            e.prevent_default()
        });
    form.add_event_listener_with_callback("submit", stop.as_ref().unchecked_ref())
        .unwrap();
    form.dispatch_event(&submit).unwrap();
    let hidden = form
        .query_selector("input[name=accord_prospection]")
        .unwrap()
        .unwrap();
    let json = js_sys::JSON::parse(
        &hidden
            .get_attribute("value")
            .expect("payload set at submit"),
    )
    .unwrap();
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    assert_eq!(get(&json, "form").as_string().unwrap(), "contest");
    let choices = get(&json, "choices");
    let first = boxes
        .item(0)
        .unwrap()
        .dyn_into::<Element>()
        .unwrap()
        .get_attribute("data-accord-box")
        .unwrap();
    assert_eq!(
        get(&get(&choices, &first), "checked").as_bool(),
        Some(true),
        "the ticked box is true"
    );
    // Every box explicit, and Accord 0.1's combined keys derived from the split boxes
    // (e-mail and SMS/MMS; automated call and fax), each naming its parts.
    let mut explicit = 0;
    for i in 0..boxes.length() {
        let id = boxes
            .item(i)
            .unwrap()
            .dyn_into::<Element>()
            .unwrap()
            .get_attribute("data-accord-box")
            .unwrap();
        assert!(
            get(&get(&choices, &id), "checked").as_bool().is_some(),
            "box {id} explicit"
        );
        explicit += 1;
    }
    for legacy in ["email_sms_mms", "automated_call_fax"] {
        assert!(
            js_sys::Array::is_array(&get(&get(&choices, legacy), "derived_from")),
            "the 0.1 key {legacy} is derived"
        );
    }
    assert_eq!(
        js_sys::Object::keys(&choices.clone().into()).length(),
        explicit + 2,
        "every box explicit, plus the two derived 0.1 keys"
    );
    // The guard: a NIR is refused with its message; an ordinary code passes.
    let code = form
        .query_selector("[data-accord-guard]")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlInputElement>()
        .unwrap();
    code.set_value("1 84 12 76 451 089 46");
    code.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert!(!code.check_validity(), "a NIR blocks the submission");
    assert!(code
        .validation_message()
        .unwrap()
        .contains("sécurité sociale"));
    code.set_value("CLI-2024-00042");
    code.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert!(code.check_validity(), "an ordinary client code passes");
    form.remove();
    unmount(w, root).await;
}

/// The demo-like config with an exempt audience purpose (SPEC §6).
fn exempt_config() -> String {
    CONFIG
        .replace(
            r#""id": "audience", "basis": "consent""#,
            r#""id": "audience", "basis": "exempt-audience""#,
        )
        .replace(
            r#""vendors": ["#,
            r#""vendors": [
    { "id": "stats", "name": "Stats maison", "purpose": "audience", "hosts": ["stats.test.fr"], "first_party": true, "cookies": [{"name": "_st_id", "lifetime_days": 395}], "country": "FR" },"#,
        )
}

fn text_of(el: &Element, selector: &str) -> String {
    el.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_page_opt_out_control_objects_in_one_click_and_undoes_in_one() {
    let slot = doc().create_element("div").unwrap();
    slot.set_attribute("data-accord-optout", "audience")
        .unwrap();
    doc().body().unwrap().append_child(&slot).unwrap();
    let (w, root) = mount(&exempt_config()).await;
    assert_eq!(
        text_of(&slot, ".accord-optout-state"),
        "La mesure d'audience est active."
    );
    click(&slot, "M'opposer à la mesure d'audience").await;
    let jar = cookie_jar();
    assert!(
        jar.contains("accord_optout=1|") && jar.contains("|audience"),
        "the first-party marker is set: {jar}"
    );
    assert!(
        stored_record().is_none(),
        "objecting is not a consent decision: no record"
    );
    assert!(
        text_of(&slot, ".accord-optout-state").starts_with("Vous vous êtes opposé"),
        "the status says so"
    );
    click(&slot, "Ne plus m'opposer à la mesure d'audience").await;
    assert!(
        !cookie_jar().contains("accord_optout="),
        "undoing deletes the marker: {}",
        cookie_jar()
    );
    unmount(w, root).await;
    slot.remove();
}

#[wasm_bindgen_test]
async fn the_preferences_opt_out_acts_at_once_and_the_dialog_stays_open() {
    let (w, root) = mount(&exempt_config()).await;
    click(&root, "Personnaliser").await;
    assert!(
        checkbox(&root, "audience").checked(),
        "an exempt purpose is shown ticked"
    );
    click(&root, "M'opposer à la mesure d'audience").await;
    flush().await;
    assert!(
        cookie_jar().contains("accord_optout=1|"),
        "marker set: {}",
        cookie_jar()
    );
    assert!(
        root.query_selector(".accord-prefs").unwrap().is_some(),
        "the dialog stays open"
    );
    assert!(
        !checkbox(&root, "audience").checked(),
        "its box now shows the objection"
    );
    assert!(
        names(&root).contains(&"Ne plus m'opposer à la mesure d'audience".to_owned()),
        "the button offers the way back: {:?}",
        names(&root)
    );
    // « Tout accepter » afterwards does not undo the objection.
    click(&root, "Tout accepter").await;
    let r = stored_record().expect("a record");
    assert_eq!(r.get("audience"), Some(false), "the objection stands");
    assert_eq!(r.get("advertising"), Some(true));
    unmount(w, root).await;
}

/// Markup the config does not account for is reported with its stable code and fails
/// closed (SPEC §5, §6, §7, §8): a tag of an unknown purpose stays inert, an opt-out
/// control of an unknown purpose says to use « Gérer mes cookies », a form block of an
/// unknown kind renders nothing, a sensitive field of an unknown kind stays disabled.
#[wasm_bindgen_test]
async fn unknown_markup_is_reported_with_its_code_and_stays_inert() {
    clear_cookies();
    let page = doc().create_element("div").unwrap();
    page.set_inner_html(
        r#"<script type="text/plain" data-accord-purpose="nope">window.__accordNopeRan = true;</script>
           <div id="t-optout" data-accord-optout="nope"></div>
           <form><div id="t-block" data-accord-form="newsletter"></div>
             <input id="t-field" name="x" data-accord-sensitive="shoe-size"></form>"#,
    );
    doc().body().unwrap().append_child(&page).unwrap();
    let codes = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let listener = {
        let codes = codes.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::CustomEvent)>::new(
            move |e: web_sys::CustomEvent| {
                let code = js_sys::Reflect::get(&e.detail(), &"code".into()).unwrap();
                codes
                    .borrow_mut()
                    .push(code.as_string().unwrap_or_default());
            },
        )
    };
    doc()
        .add_event_listener_with_callback("accord:error", listener.as_ref().unchecked_ref())
        .unwrap();
    let (widget, root) = mount(CONFIG).await;
    click(&root, "Tout accepter").await;
    doc()
        .remove_event_listener_with_callback("accord:error", listener.as_ref().unchecked_ref())
        .unwrap();
    let seen = codes.borrow().clone();
    for code in [
        "ACCORD_TAG_UNKNOWN_PURPOSE",
        "ACCORD_OPTOUT_UNKNOWN_PURPOSE",
        "ACCORD_FORM_KIND",
        "ACCORD_FORM_SENSITIVE",
    ] {
        assert!(
            seen.iter().any(|c| c == code),
            "{code} not raised; raised: {seen:?}"
        );
    }
    let ran = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__accordNopeRan".into()).unwrap();
    assert!(
        ran.is_undefined(),
        "a tag of an unknown purpose ran after « Tout accepter »"
    );
    let optout = doc().get_element_by_id("t-optout").unwrap();
    assert!(
        optout
            .text_content()
            .unwrap_or_default()
            .contains("Gérer mes cookies"),
        "the unknown opt-out control: {:?}",
        optout.text_content()
    );
    let block = doc().get_element_by_id("t-block").unwrap();
    assert_eq!(
        block.child_element_count(),
        0,
        "a block of an unknown kind rendered something"
    );
    let field = doc().get_element_by_id("t-field").unwrap();
    assert!(
        field.has_attribute("disabled"),
        "the sensitive field of an unknown kind is not disabled"
    );
    unmount(widget, root).await;
    page.remove();
}

/// The texts of an element's subtree, one per text node, trimmed, without the close
/// control's « × ».
fn text_nodes(el: &web_sys::Node, out: &mut Vec<String>) {
    let kids = el.child_nodes();
    for i in 0..kids.length() {
        let n = kids.item(i).unwrap();
        if n.node_type() == web_sys::Node::TEXT_NODE {
            let t = n.text_content().unwrap_or_default().replace('×', "");
            if !t.trim().is_empty() {
                out.push(t.trim().to_owned());
            }
        } else {
            text_nodes(&n, out);
        }
    }
}

fn all_of(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn content(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// What the open layer shows, read back from the DOM into the lines of the notice's
/// text: headings, paragraphs, list items, the buttons of the first layer, each
/// purpose with its description and note, each partner's row and privacy address.
fn shown_lines(root: &Element) -> Vec<String> {
    let mut lines = Vec::new();
    let layer = root
        .query_selector(".accord-layer")
        .unwrap()
        .expect("a layer");
    lines.push(content(&layer.query_selector("h2").unwrap().unwrap()));
    for el in all_of(&layer, ".accord-text > p, .accord-text > ul > li") {
        lines.push(if el.tag_name() == "LI" {
            format!("- {}", content(&el))
        } else {
            content(&el)
        });
    }
    if layer.class_list().contains("accord-banner") {
        let label = |sel: &str| content(&layer.query_selector(sel).unwrap().unwrap());
        let buttons = all_of(&layer, ".accord-actions button");
        let close = label(".accord-close").replace('×', "");
        lines.push(format!(
            "[{}] [{}] [{}] [{}]",
            content(&buttons[0]),
            content(&buttons[1]),
            content(&buttons[2]),
            close.trim()
        ));
    }
    for row in all_of(&layer, ".accord-purpose") {
        let label = content(&row.query_selector("label").unwrap().unwrap());
        let desc = content(&row.query_selector(".accord-desc").unwrap().unwrap());
        lines.push(format!("{label}: {desc}"));
    }
    for row in all_of(&layer, "tbody tr") {
        let cells: Vec<String> = all_of(&row, "th, td").iter().take(4).map(content).collect();
        let href = row
            .query_selector("a")
            .unwrap()
            .and_then(|a| a.get_attribute("href"))
            .unwrap_or_default();
        lines.push(format!("{} | {href}", cells.join(" | ")));
    }
    lines
}

/// Sets or removes `navigator.globalPrivacyControl` for the next mount.
fn set_gpc(on: bool) {
    let nav = web_sys::window().unwrap().navigator();
    if on {
        let desc = js_sys::Object::new();
        js_sys::Reflect::set(&desc, &"value".into(), &true.into()).unwrap();
        js_sys::Reflect::set(&desc, &"configurable".into(), &true.into()).unwrap();
        js_sys::Object::define_property(&nav, &"globalPrivacyControl".into(), &desc);
    } else {
        js_sys::Reflect::delete_property(&nav, &"globalPrivacyControl".into()).unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_dialog_shows_exactly_the_notice_its_receipt_hashes() {
    use accord_core::config::{Config, Lang};
    use accord_core::notice::{canonical_text, words};
    let raw = exempt_config();
    let json = serde_wasm_bindgen::from_value(js_sys::JSON::parse(&raw).unwrap()).unwrap();
    let config = Config::from_json(&json).expect("a valid config");
    let html = doc().document_element().unwrap();
    let before = html.get_attribute("lang");
    for (lang, gpc) in [
        (Lang::Fr, false),
        (Lang::Fr, true),
        (Lang::En, false),
        (Lang::En, true),
    ] {
        html.set_attribute("lang", lang.code()).unwrap();
        set_gpc(gpc);
        let (w, root) = mount(&raw).await;
        let word = words(lang);
        // The first layer, the partner list opened from it, then the preferences: the
        // order of the notice's text.
        let mut shown = shown_lines(&root);
        let mut chrome = Vec::new();
        text_nodes(&root, &mut chrome);
        click(&root, word.partners).await;
        let partners = shown_lines(&root);
        text_nodes(&root, &mut chrome);
        click(&root, word.back).await;
        click(&root, word.customize).await;
        shown.extend(shown_lines(&root));
        text_nodes(&root, &mut chrome);
        shown.extend(partners);
        let hashed = canonical_text(&config, lang, gpc);
        assert_eq!(
            shown.join("\n"),
            hashed,
            "{lang:?}, GPC {gpc}: the dialog shows what the receipt hashes"
        );
        assert_eq!(
            hashed.contains(
                accord_core::notice::gpc_note(&config, lang)
                    .unwrap()
                    .as_str()
            ),
            gpc,
            "the GPC note is shown and hashed only under GPC"
        );
        // And it shows nothing else but its controls: every text node is a piece of the
        // hashed notice or one of the navigation words.
        let controls = [
            word.partners,
            word.privacy_policy,
            word.save,
            word.back,
            word.col_partner,
            word.col_purpose,
            word.col_country,
            word.col_transfer,
            word.col_privacy,
            word.privacy_link,
            word.optout_active,
            word.optout_object,
        ];
        for t in &chrome {
            assert!(
                hashed.contains(t.as_str()) || controls.contains(&t.as_str()),
                "{lang:?}, GPC {gpc}: {t:?} is shown but is neither in the notice nor a control"
            );
        }
        unmount(w, root).await;
        set_gpc(false);
    }
    match before {
        Some(l) => html.set_attribute("lang", &l).unwrap(),
        None => html.remove_attribute("lang").unwrap(),
    }
}

#[wasm_bindgen_test]
async fn the_form_notice_shows_exactly_the_cores_blocks() {
    use accord_core::config::{Config, Lang};
    use accord_core::notice::{form_notice, text_of};
    use accord_core::prospection::Audience;
    // A config with a prospection section: partners in and out of the EU, recipients,
    // an unsubscribe contact; each audience has its own retention sentence.
    let raw = CONFIG.replace(
        r#""choice_lifetime_months": 6"#,
        r#""choice_lifetime_months": 6,
  "prospection": { "notice_version": "2026-11", "unsubscribe_contact": "stop@test.fr",
    "recipients": {"fr": "Nos services commerciaux.", "en": "Our sales teams."},
    "partners": [ { "name": "Courtage Sud", "country": "FR" }, { "name": "Assist Ltd", "country": "GB" }, { "name": "CallCo", "country": "US", "transfer_basis": "scc" } ] }"#,
    );
    let json = serde_wasm_bindgen::from_value(js_sys::JSON::parse(&raw).unwrap()).unwrap();
    let config = Config::from_json(&json).expect("a valid config");
    for (attr, audience) in [
        ("prospect", Some(Audience::Prospect)),
        ("client", Some(Audience::Client)),
        ("", None),
    ] {
        let form = doc().create_element("form").unwrap();
        form.set_inner_html(&format!(
            r#"<div data-accord-form="subscription" data-accord-audience="{attr}"></div>"#
        ));
        doc().body().unwrap().append_child(&form).unwrap();
        let (w, root) = mount(&raw).await;
        let aside = form.query_selector("aside").unwrap().expect("the notice");
        let mut shown = Vec::new();
        for el in all_of(&aside, "p, li, a") {
            shown.push(match el.tag_name().as_str() {
                "LI" => format!("- {}", content(&el)),
                "A" => format!("{} <{}>", content(&el), el.get_attribute("href").unwrap()),
                _ => content(&el),
            });
        }
        assert_eq!(
            shown.join("\n"),
            text_of(&form_notice(
                &config.controller,
                config.prospection.as_ref(),
                Lang::Fr,
                audience
            )),
            "audience {attr:?}: the form shows the core's notice, in order"
        );
        let mut all = Vec::new();
        text_nodes(&aside, &mut all);
        assert_eq!(all.len(), shown.len(), "and nothing else: {all:?}");
        form.remove();
        unmount(w, root).await;
    }
}
