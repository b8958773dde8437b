//! The bridge the page's module hands to `mount`: a plain JS object
//! (`src/ui/bridge.rs` of the crate `accord` builds it), read here once.
//!
//! | field | what |
//! |---|---|
//! | `view` | `accord_core::dialog::View`: every word and which purpose is which |
//! | `state()` | `accord_core::dialog::State`: the choice now |
//! | `send(name, values)` | one action by name (`accord_core::dialog::Action::name`) |
//! | `download()` | « Télécharger ma preuve »: the page's module saves the receipt |
//! | `shown()` | a layer is in the page: the page's module moves the focus into it |

use accord_core::dialog::{Action, State, View};
use accord_core::notice::Block;
use js_sys::{Array, Function, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

pub(crate) struct Bridge {
    pub view: View,
    state: Function,
    send: Function,
    download: Function,
    shown: Function,
}

/// The bridge, comparable by identity so it can be a prop.
#[derive(Clone)]
pub(crate) struct BridgeRef(pub Rc<Bridge>);

impl PartialEq for BridgeRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<Rc<Bridge>> for BridgeRef {
    fn from(b: Rc<Bridge>) -> Self {
        BridgeRef(b)
    }
}

impl Bridge {
    /// The bridge, or which of its fields is missing or malformed.
    pub(crate) fn read(b: JsValue) -> Result<Bridge, String> {
        let field = |name: &str| Reflect::get(&b, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let function = |name: &str| {
            field(name)
                .dyn_into::<Function>()
                .map_err(|_| format!("the dialogs bridge has no function \"{name}\""))
        };
        let view = view_of(&field("view"))
            .ok_or("the dialogs bridge's \"view\" is not a view of accord_core::dialog")?;
        Ok(Bridge {
            view,
            state: function("state")?,
            send: function("send")?,
            download: function("download")?,
            shown: function("shown")?,
        })
    }

    /// The choice now (an unreadable answer shows as no choice: every box unticked).
    pub(crate) fn state(&self) -> State {
        self.state
            .call0(&JsValue::NULL)
            .ok()
            .and_then(|v| {
                Some(State {
                    decided: get(&v, "decided").as_bool()?,
                    granted: strings(&get(&v, "granted"))?,
                    objects: strings(&get(&v, "objects"))?,
                })
            })
            .unwrap_or_default()
    }

    pub(crate) fn send(&self, action: &Action) {
        let Some(name) = action.name() else {
            return;
        };
        let values = Array::new();
        if let Action::Save(list) = action {
            for (id, on) in list {
                values.push(&Array::of2(&id.into(), &(*on).into()));
            }
        }
        let _ = self.send.call2(&JsValue::NULL, &name.into(), &values);
    }

    pub(crate) fn download(&self) {
        let _ = self.download.call0(&JsValue::NULL);
    }

    pub(crate) fn shown(&self) {
        let _ = self.shown.call0(&JsValue::NULL);
    }
}

// The view and the state arrive as the plain data serde gives them on the page's side
// (`env::to_js`: a struct is an object, an enum variant `{"Variant": content}`). They
// are read here by hand: serde's deserializer would bring its error messages, and with
// them Rust's float printer, into this module (about 15 KB before compression).

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

fn strings(v: &JsValue) -> Option<Vec<String>> {
    if !Array::is_array(v) {
        return None;
    }
    Array::from(v).iter().map(|s| s.as_string()).collect()
}

fn view_of(v: &JsValue) -> Option<View> {
    let blocks = |key: &str| {
        let list = get(v, key);
        if !Array::is_array(&list) {
            return None;
        }
        Array::from(&list).iter().map(|b| block(&b)).collect()
    };
    Some(View {
        lang: string(v, "lang")?,
        prefs: blocks("prefs")?,
        partners: blocks("partners")?,
        necessary: strings(&get(v, "necessary"))?,
        exempt: strings(&get(v, "exempt"))?,
        choosable: strings(&get(v, "choosable"))?,
        vendors: get(v, "vendors").as_bool()?,
    })
}

/// One `accord_core::notice::Block`, `{"Variant": content}`.
fn block(v: &JsValue) -> Option<Block> {
    let keys = Object::keys(v.dyn_ref::<Object>()?);
    if keys.length() != 1 {
        return None;
    }
    let kind = keys.get(0).as_string()?;
    let x = get(v, &kind);
    let s = |key: &str| string(&x, key);
    Some(match kind.as_str() {
        "Title" => Block::Title(x.as_string()?),
        "Text" => Block::Text(x.as_string()?),
        "Strong" => Block::Strong(x.as_string()?),
        "Gpc" => Block::Gpc(x.as_string()?),
        "List" => Block::List(strings(&x)?),
        "Actions" => Block::Actions {
            accept: s("accept")?,
            refuse: s("refuse")?,
            customize: s("customize")?,
            close: s("close")?,
        },
        "Purpose" => Block::Purpose {
            id: s("id")?,
            title: s("title")?,
            description: s("description")?,
            note: s("note"),
        },
        "Partner" => Block::Partner {
            id: s("id")?,
            name: s("name")?,
            purpose: s("purpose")?,
            country: s("country")?,
            transfer: s("transfer")?,
            privacy_url: s("privacy_url")?,
        },
        "Link" => Block::Link {
            label: s("label")?,
            href: s("href")?,
        },
        _ => return None,
    })
}
