#![cfg(not(target_arch = "wasm32"))]
//! The JSON the page's module hands the dialogs module and the page (`json::ToJson`,
//! written by hand so that no serde serializer is in the wasm: issue 15) is, value for
//! value, what serde_json makes of the same type: the shape the dialogs module reads.

use accord_core::config::{Config, Lang};
use accord_core::dialog::{State, View};
use accord_core::json::ToJson;
use accord_core::notice::{form_notice, notice, Block};
use serde_json::Value;

const DEMO: &str = include_str!("../../../www/demo/config.json");

fn same<T: ToJson + serde::Serialize>(what: &str, value: &T) {
    let ours: Value = serde_json::from_str(&value.to_json())
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", value.to_json()));
    let serde = serde_json::to_value(value).unwrap();
    assert_eq!(ours, serde, "{what}");
}

/// The demo config, with texts that need escaping in every string a view carries.
fn configs() -> Vec<(&'static str, Config)> {
    let demo = Config::from_json_str(DEMO).expect("the demo config is valid");
    let mut doc: Value = serde_json::from_str(DEMO).unwrap();
    let odd = "« guillemets » \"quoted\" back\\slash\nnew line\ttab \u{1} \u{2028} é 😀";
    doc["controller"]["name"] = Value::from(odd);
    for p in doc["purposes"].as_array_mut().unwrap() {
        p["description"]["fr"] = Value::from(odd);
        p["description"]["en"] = Value::from(odd);
    }
    for v in doc["vendors"].as_array_mut().unwrap() {
        v["name"] = Value::from(odd);
    }
    let escaped = Config::from_json_str(&doc.to_string()).expect("still valid");
    vec![("demo", demo), ("escaped", escaped)]
}

#[test]
fn the_dialogs_view_is_serdes_shape() {
    for (name, config) in configs() {
        for lang in [Lang::Fr, Lang::En] {
            for gpc in [false, true] {
                let view = View::of(&config, lang, gpc);
                assert!(!view.prefs.is_empty() && !view.partners.is_empty());
                same(&format!("{name} {lang:?} gpc={gpc}"), &view);
            }
        }
    }
}

#[test]
fn every_block_is_serdes_shape() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, config) in configs() {
        for lang in [Lang::Fr, Lang::En] {
            let n = notice(&config, lang, true);
            let blocks = n
                .banner
                .iter()
                .chain(&n.prefs)
                .chain(&n.partners)
                .chain(&form_notice(
                    &config.controller,
                    config.prospection.as_ref(),
                    lang,
                    None,
                ))
                .cloned()
                .collect::<Vec<Block>>();
            for b in &blocks {
                let tag = serde_json::to_value(b).unwrap();
                let tag = match &tag {
                    Value::Object(m) => m.keys().next().unwrap().clone(),
                    other => panic!("a block is an object: {other}"),
                };
                seen.insert(tag);
                same(&format!("{name} {lang:?} {b:?}"), b);
            }
            same(&format!("{name} {lang:?} all blocks"), &blocks);
        }
    }
    // Every variant was met (a new one must be written in `ToJson for Block` too).
    let all = [
        "Title", "Text", "Strong", "Gpc", "List", "Actions", "Purpose", "Partner", "Link",
    ];
    for v in all {
        assert!(
            seen.contains(v),
            "no {v} block in the demo's notices: {seen:?}"
        );
    }
}

#[test]
fn the_state_is_serdes_shape() {
    for state in [
        State::default(),
        State {
            decided: true,
            granted: vec!["audience".into(), "video".into()],
            objects: vec!["audience".into()],
        },
    ] {
        same(&format!("{state:?}"), &state);
    }
}

#[test]
fn options_and_empty_lists() {
    let note: Option<String> = None;
    assert_eq!(note.to_json(), "null");
    assert_eq!(Vec::<String>::new().to_json(), "[]");
    assert_eq!(Some(true).to_json(), "true");
    assert_eq!(7u32.to_json(), "7");
}
