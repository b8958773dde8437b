//! The insurer's forms, as far as the page's module goes: whether the page has any
//! (then boot fetches the forms module, `crates/accord-forms`, issue 15), and what stays
//! closed when that module cannot be had.

use crate::env::{document, elements};
use web_sys::Element;

/// What the forms module renders or guards (SPEC §7).
const FORM_PARTS: &str = "[data-accord-form], [data-accord-sensitive], input[data-accord-guard]";

/// Does this page have a form block, a sensitive field or a guarded field?
pub(crate) fn needed() -> bool {
    document()
        .query_selector(FORM_PARTS)
        .ok()
        .flatten()
        .is_some()
}

/// Without the forms module, nothing of a form may be collected without what that
/// module asks for: each sensitive field and each guarded field is disabled (so it is
/// not submitted), as the module itself leaves a sensitive field until its box is
/// ticked (NS 56; fail closed, SPEC §8). The rest of the form stays usable.
pub(crate) fn close() {
    for field in elements::<Element>(
        document().query_selector_all("[data-accord-sensitive], input[data-accord-guard]"),
    ) {
        let _ = field.set_attribute("disabled", "");
    }
}
