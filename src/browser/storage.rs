//! localStorage and sessionStorage: listing and removing keys. Storage that throws
//! (private modes, sandboxed frames) is treated as empty.

use super::env::window;
use web_sys::Storage;

fn stores() -> Vec<Storage> {
    let w = window();
    [w.local_storage(), w.session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
        .collect()
}

/// Every key of both stores.
pub fn keys() -> Vec<String> {
    let mut out = Vec::new();
    for s in stores() {
        let n = s.length().unwrap_or(0);
        for i in 0..n {
            if let Ok(Some(k)) = s.key(i) {
                out.push(k);
            }
        }
    }
    out
}

pub fn remove(key: &str) {
    for s in stores() {
        let _ = s.remove_item(key);
    }
}
