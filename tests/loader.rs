//! Browser test of the boundary with the real loader (`www/accord.js`, run inline in
//! this test's own page): a widget answers the loader's hooks while it runs, and once
//! it is unmounted the loader holds everything again instead of calling into a widget
//! that is gone or letting anything through.
#![cfg(target_arch = "wasm32")]

use accord::boot::boot_with;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const LOADER: &str = include_str!("../www/accord.js");

const CONFIG: &str = r#"{
  "policy_version": "2026-11-01",
  "languages": ["fr"],
  "controller": { "name": "Mutuelle Test", "contact": "dpo@test.fr" },
  "purposes": [
    { "id": "advertising", "basis": "consent", "title": {"fr": "Publicité"}, "description": {"fr": "Des publicités."} }
  ],
  "vendors": [
    { "id": "pubnet", "name": "PubNet", "purpose": "advertising", "hosts": ["ads.example"], "cookies": [{"name": "_adn", "lifetime_days": 390}], "country": "FR", "privacy_url": "https://ads.example/privacy" }
  ]
}"#;

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// How a `fetch` to the vendor ends within 300 ms: `Some(false)` refused at once (the
/// answer was « block »), `None` still waiting (held). It never reaches the network:
/// both answers stop it in the page.
async fn fetch_vendor() -> Option<bool> {
    let w = web_sys::window().unwrap();
    let fetch = w.fetch_with_str("https://ads.example/pixel");
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 300);
    });
    let then: js_sys::Function = js_sys::Reflect::get(&fetch, &"then".into())
        .unwrap()
        .unchecked_into();
    let settled = then
        .call2(
            &fetch,
            &js_sys::Function::new_no_args("return 'ok'"),
            &js_sys::Function::new_no_args("return 'refused'"),
        )
        .unwrap();
    let raced = js_sys::Promise::race(&js_sys::Array::of2(&settled, &timer));
    match JsFuture::from(raced).await.ok()?.as_string().as_deref() {
        Some("ok") => Some(true),
        Some("refused") => Some(false),
        _ => None,
    }
}

async fn refuse_all(root: &Element) {
    let list = root.query_selector_all("button").unwrap();
    let refuse = (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<HtmlElement>().unwrap())
        .find(|b| b.inner_text().trim() == "Tout refuser")
        .expect("the refuse button");
    refuse.click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn an_unmounted_widget_leaves_the_loader_holding_everything() {
    // The real loader, unchanged, run inline (synchronously) as the first script of a
    // page has it; it is told where it came from, as `src` would, so that its own folder
    // is not the whole web. It fails to import its module (there is none in that
    // folder), but only after the widget below, booted in the same task, has answered.
    let script = doc().create_element("script").unwrap();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let src = js_sys::Object::new();
    js_sys::Reflect::set(
        &src,
        &"value".into(),
        &format!("{origin}/accord-test/accord.js").into(),
    )
    .unwrap();
    js_sys::Object::define_property(&script, &"src".into(), &src);
    script.set_text_content(Some(LOADER));
    doc().head().unwrap().append_child(&script).unwrap();
    let mount = || {
        let root = doc().create_element("div").unwrap();
        doc().body().unwrap().append_child(&root).unwrap();
        let w = boot_with(js_sys::JSON::parse(CONFIG).unwrap(), root.clone())
            .expect("the loader is waiting for a module: the widget boots");
        (w, root)
    };
    let (w, root) = mount();
    yew::scheduler::flush().await;
    assert_eq!(fetch_vendor().await, None, "before a choice: held");
    refuse_all(&root).await;
    assert_eq!(
        fetch_vendor().await,
        Some(false),
        "after « Tout refuser » the widget answers: refused at once"
    );

    w.unmount();
    yew::scheduler::flush().await;
    root.remove();
    assert_eq!(
        fetch_vendor().await,
        None,
        "the widget is gone: the loader holds (it neither calls the freed answers, which \
         would throw, nor lets the request go)"
    );

    // A new widget answers again, from the stored refusal.
    let (w, root) = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        fetch_vendor().await,
        Some(false),
        "a new widget answers again"
    );
    w.unmount();
    root.remove();
}
