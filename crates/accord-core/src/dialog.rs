//! The dialog's layers as a pure reducer: `reduce(dialog, action) -> (dialog, intent)`.
//! Which layer shows, and which clicks are decisions, is decided here; the widget's Yew
//! components render a [`Dialog`] and send [`Action`]s (`use_reducer`), and hand the
//! [`Intent`] that comes back to the page session (`page::step`).
//!
//! The page's module renders the first layer itself; the preferences and the partner
//! list are the dialogs module's (issue 15: Yew is fetched only when one of them must
//! show). That module gets a [`View`] (every word it shows, the core's notice blocks)
//! and a [`State`] (what the choice is now), and sends back [`Action`]s by name
//! ([`Action::name`], [`Action::named`]).

use crate::config::{Basis, Config};
use crate::lang::Lang;
use crate::notice::{notice, Block};
use crate::record::Intent;
use serde::Serialize;

/// Which layer shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// None (the reopen control shows once something was decided).
    Hidden,
    /// The first layer: « Tout accepter », « Tout refuser », « Personnaliser ».
    Banner,
    /// The preferences: one switch per purpose.
    Prefs,
    /// The partner list, opened from the first layer or from the preferences.
    Partners {
        /// Opened from the preferences (a modal dialog), not from the first layer.
        from_prefs: bool,
    },
}

impl Layer {
    /// A modal dialog (focus stays inside): the preferences and what opens from them.
    pub fn modal(self) -> bool {
        matches!(self, Layer::Prefs | Layer::Partners { from_prefs: true })
    }
}

/// The dialog's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialog {
    /// Which layer shows.
    pub layer: Layer,
    /// A valid record exists (the person decided): closing is no longer a refusal.
    pub decided: bool,
}

impl Dialog {
    /// At page load: the first layer until the person has decided.
    pub fn new(decided: bool) -> Dialog {
        Dialog {
            layer: if decided {
                Layer::Hidden
            } else {
                Layer::Banner
            },
            decided,
        }
    }
}

/// What the person, the page or the session did.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// « Personnaliser », the reopen control, `Accord.open()`, `data-accord-open`.
    Open,
    /// « Nos partenaires »: the partner list.
    Partners,
    /// « Retour » from the partner list.
    Back,
    /// The close button or Escape.
    Close,
    /// « Tout accepter ».
    AcceptAll,
    /// « Tout refuser ».
    RefuseAll,
    /// « Enregistrer mes choix » with these values.
    Save(Vec<(String, bool)>),
    /// The session applied a decision (from here, the API or another tab).
    Decided {
        /// A valid record exists now.
        decided: bool,
    },
    /// The session applied an opt-out change: the dialog stays as it is and shows it.
    Objected {
        /// A valid record exists now.
        decided: bool,
    },
}

/// One action. Returns the new dialog and the decision to hand to the session, if any.
/// A decision does not hide the dialog by itself: the session's `Action::Decided`
/// does, once the decision is applied.
pub fn reduce(dialog: Dialog, action: Action) -> (Dialog, Option<Intent>) {
    let to = |layer| Dialog { layer, ..dialog };
    match action {
        Action::Open => (to(Layer::Prefs), None),
        Action::Partners => (
            to(Layer::Partners {
                from_prefs: dialog.layer == Layer::Prefs,
            }),
            None,
        ),
        Action::Back => match dialog.layer {
            Layer::Partners { from_prefs: true } => (to(Layer::Prefs), None),
            Layer::Partners { from_prefs: false } => (to(Layer::Banner), None),
            _ => (dialog, None),
        },
        // Closing without choosing is a refusal while nothing was decided (CNIL
        // 2020-092: refusing must be as easy as accepting; SPEC §3); once decided, it
        // only closes and the choice stays.
        Action::Close if dialog.decided => (to(Layer::Hidden), None),
        Action::Close => (dialog, Some(Intent::Close)),
        Action::AcceptAll => (dialog, Some(Intent::AcceptAll)),
        Action::RefuseAll => (dialog, Some(Intent::RefuseAll)),
        Action::Save(values) => (dialog, Some(Intent::Custom(values))),
        Action::Decided { decided } => (
            Dialog {
                layer: Layer::Hidden,
                decided,
            },
            None,
        ),
        Action::Objected { decided } => (Dialog { decided, ..dialog }, None),
    }
}

impl Action {
    /// The action's name as the dialogs module sends it (`Save`'s values travel next
    /// to it); the session's own actions have none.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Action::Open => "open",
            Action::Partners => "partners",
            Action::Back => "back",
            Action::Close => "close",
            Action::AcceptAll => "accept",
            Action::RefuseAll => "refuse",
            Action::Save(_) => "save",
            Action::Decided { .. } | Action::Objected { .. } => return None,
        })
    }

    /// The action a name stands for (`values` for « Enregistrer mes choix »), or `None`
    /// for a name no button sends: the page's module ignores it.
    pub fn named(name: &str, values: Vec<(String, bool)>) -> Option<Action> {
        Some(match name {
            "open" => Action::Open,
            "partners" => Action::Partners,
            "back" => Action::Back,
            "close" => Action::Close,
            "accept" => Action::AcceptAll,
            "refuse" => Action::RefuseAll,
            "save" => Action::Save(values),
            _ => return None,
        })
    }
}

/// Everything the dialogs module shows, built by the page's module from the validated
/// config, so the words have one source (the core's notice blocks, which a receipt
/// hashes) and the dialogs module needs no config validator of its own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct View {
    /// The page's language code (`Lang::code`).
    pub lang: String,
    /// The preferences' blocks (`notice::Notice::prefs`).
    pub prefs: Vec<Block>,
    /// The partner list's blocks (`notice::Notice::partners`).
    pub partners: Vec<Block>,
    /// The necessary purposes: ticked and disabled.
    pub necessary: Vec<String>,
    /// The exempt audience purposes: ticked with their opt-out (CNIL 2020-091 art. 5).
    pub exempt: Vec<String>,
    /// Every purpose a person chooses, in config order (the preferences' values).
    pub choosable: Vec<String>,
    /// The config names partners (the « Nos partenaires » link shows).
    pub vendors: bool,
}

impl View {
    /// The view of `config` in `lang`, under Global Privacy Control or not.
    pub fn of(config: &Config, lang: Lang, gpc: bool) -> View {
        let n = notice(config, lang, gpc);
        let ids = |basis: Option<Basis>| {
            config
                .purposes
                .iter()
                .filter(|p| basis.map_or(p.basis != Basis::Necessary, |b| p.basis == b))
                .map(|p| p.id.clone())
                .collect()
        };
        View {
            lang: lang.code().to_owned(),
            prefs: n.prefs,
            partners: n.partners,
            necessary: ids(Some(Basis::Necessary)),
            exempt: ids(Some(Basis::ExemptAudience)),
            choosable: ids(None),
            vendors: !config.vendors.is_empty(),
        }
    }

    /// The view's language (French when the code is not one the widget speaks).
    pub fn language(&self) -> Lang {
        Lang::from_code(&self.lang).unwrap_or(Lang::Fr)
    }
}

// serde's shape (`tests/views_json.rs` checks it against serde_json's), which the
// dialogs module reads.
crate::json_fields!(View {
    lang,
    prefs,
    partners,
    necessary,
    exempt,
    choosable,
    vendors
});

/// The choice as the dialogs show it, read from the page's module at each render.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct State {
    /// A valid record exists.
    pub decided: bool,
    /// The purposes that run now.
    pub granted: Vec<String>,
    /// The exempt purposes objected to (the opt-out).
    pub objects: Vec<String>,
}

// serde's shape, as `View`'s.
crate::json_fields!(State {
    decided,
    granted,
    objects
});
