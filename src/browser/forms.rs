//! The insurer's forms, as far as the page's module goes: whether the page has any
//! (then boot fetches the forms module, `crates/accord-forms`, issue 15), and the
//! fields held closed until that module has taken them over, or for good if it cannot
//! be had.

use crate::env::{document, elements};
use web_sys::Element;

/// What the forms module renders or guards (SPEC §7).
const FORM_PARTS: &str = "[data-accord-form], [data-accord-sensitive], input[data-accord-guard]";

/// The attribute marking a field this module disabled (the forms module enables it
/// again once it guards it; a field the page disabled itself is left as it is).
pub(crate) const HELD: &str = "data-accord-held";

/// Does this page have a form block, a sensitive field or a guarded field?
pub(crate) fn needed() -> bool {
    document()
        .query_selector(FORM_PARTS)
        .ok()
        .flatten()
        .is_some()
}

/// Until the forms module has taken them over, nothing of a form may be collected
/// without what that module asks for: each sensitive field and each guarded field is
/// disabled (so it is not submitted), as the module itself keeps a sensitive field
/// until its box is ticked (NS 56; fail closed, SPEC §8). The rest of the form stays
/// usable. If the module never comes, they stay so.
pub(crate) fn hold() {
    for field in elements::<Element>(
        document().query_selector_all("[data-accord-sensitive], input[data-accord-guard]"),
    ) {
        if !field.has_attribute("disabled") {
            let _ = field.set_attribute("disabled", "");
            let _ = field.set_attribute(HELD, "");
        }
    }
}
