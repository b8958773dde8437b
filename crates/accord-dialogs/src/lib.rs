//! Accord's dialogs module: the preferences and the partner list, in Yew.
//!
//! The page's module (the crate `accord`, on every page without Yew) shows the first
//! layer and the reopen control itself; when a person asks for the preferences or the
//! partner list it fetches this module (`dist/accord/accord_dialogs*.{js,wasm}`) and
//! calls [`mount`] with a bridge: a plain JS object holding the view (every word, the
//! core's notice blocks), the choice now, and the functions that send an action back
//! (`bridge`). The decisions stay in the page's module and the core: this module only
//! shows, and tells which button was pressed.
//!
//! Its three exports, in the order the page's module calls them: [`mount`] (once),
//! [`show`] (each time the layer changes, or the choice shown does), [`unmount`].

// Linked for its global allocator (Talc), which the three modules share.
#[cfg(target_arch = "wasm32")]
use accord_web as _;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod partners;
#[cfg(target_arch = "wasm32")]
mod prefs;

#[cfg(target_arch = "wasm32")]
pub use exports::{module, mount, show, unmount};

#[cfg(target_arch = "wasm32")]
mod exports {
    use crate::app::{App, AppProps, Shown};
    use crate::bridge::Bridge;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use web_sys::Element;

    thread_local! {
        /// The mounted app and its props (one per page).
        static APP: RefCell<Option<(yew::AppHandle<App>, AppProps)>> = const { RefCell::new(None) };
    }

    /// Mounts the dialogs into `root` (nothing shows until [`show`]). Fails, naming
    /// what is wrong, when the bridge is not the one the page's module builds.
    #[wasm_bindgen]
    pub fn mount(bridge: JsValue, root: Element) -> Result<(), JsValue> {
        let bridge = Rc::new(Bridge::read(bridge).map_err(|e| JsValue::from_str(&e))?);
        let props = AppProps {
            bridge: bridge.into(),
            shown: Shown::Hidden,
            opened: 0,
            generation: 0,
        };
        let app = yew::Renderer::<App>::with_root_and_props(root, props.clone()).render();
        unmount();
        APP.with(|a| *a.borrow_mut() = Some((app, props)));
        Ok(())
    }

    /// Shows `layer` (`prefs`, `partners`, `partners-modal`) or nothing (`hidden`, or
    /// any other name), reading the choice again. `fresh`: the layer is newly opened
    /// (its boxes start from the choice now, and the page's module is told once it is in
    /// the page); otherwise it is shown again as it is (an opt-out acted).
    #[wasm_bindgen]
    pub fn show(layer: &str, fresh: bool) {
        APP.with(|a| {
            if let Some((app, props)) = a.borrow_mut().as_mut() {
                props.shown = Shown::named(layer);
                props.generation = props.generation.wrapping_add(1);
                if fresh {
                    props.opened = props.opened.wrapping_add(1);
                }
                app.update(props.clone());
            }
        });
    }

    /// Removes the dialogs from the page.
    #[wasm_bindgen]
    pub fn unmount() {
        if let Some((app, _)) = APP.with(|a| a.borrow_mut().take()) {
            app.destroy();
        }
    }

    /// This module's three exports as one object, as the page's module gets them from
    /// the module's namespace: tests link both crates into one wasm and hand this over.
    pub fn module() -> JsValue {
        let m = js_sys::Object::new();
        let mount = Closure::<dyn Fn(JsValue, Element) -> Result<(), JsValue>>::new(mount);
        let show = Closure::<dyn Fn(String, bool)>::new(|l: String, fresh: bool| show(&l, fresh));
        let unmount = Closure::<dyn Fn()>::new(unmount);
        for (name, f) in [
            ("mount", mount.into_js_value()),
            ("show", show.into_js_value()),
            ("unmount", unmount.into_js_value()),
        ] {
            let _ = js_sys::Reflect::set(&m, &name.into(), &f);
        }
        m.into()
    }
}
