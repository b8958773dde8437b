//! The dialog's layers as a pure reducer: `reduce(dialog, action) -> (dialog, intent)`.
//! Which layer shows, and which clicks are decisions, is decided here; the widget's Yew
//! components render a [`Dialog`] and send [`Action`]s (`use_reducer`), and hand the
//! [`Intent`] that comes back to the page session (`page::step`).

use crate::record::Intent;

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
