#![cfg(not(target_arch = "wasm32"))]
//! Architecture invariant: the core (src/core/) is pure Rust, std and serde only; it
//! imports nothing of the web, so the same code runs in the widget and in `accordctl`.

use std::fs;
use std::path::{Path, PathBuf};

/// What the core may not mention (grep -E 'web_sys|wasm_bindgen|yew|js_sys|gloo').
const FORBIDDEN: &[&str] = &["web_sys", "wasm_bindgen", "yew", "js_sys", "gloo"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `file:line: text` where a forbidden name appears in `text`.
fn offences(file: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for word in FORBIDDEN {
            if line.contains(word) {
                out.push(format!("{file}:{}: `{word}` in: {}", n + 1, line.trim()));
            }
        }
    }
    out
}

/// The scanner itself, as a table: `(line of source, should it be refused?)`.
fn check(source: &str, refused: bool) {
    assert_eq!(
        !offences("x.rs", source).is_empty(),
        refused,
        "source line: {source:?}"
    );
}

#[test]
fn the_scanner_finds_what_it_must() {
    #[rustfmt::skip]
    let rows = [
        ("use web_sys::Document;", true),
        ("use wasm_bindgen::prelude::*;", true),
        ("use yew::prelude::*;", true),
        ("let a = js_sys::Array::new();", true),
        ("use gloo::timers::callback::Timeout;", true),
        ("#[cfg_attr(target_arch = \"wasm32\", wasm_bindgen::prelude::wasm_bindgen)]", true),
        ("use serde_wasm_bindgen::from_value;", true), // still the web
        ("use super::calendar::add_months;", false),
        ("use serde::de::Deserialize;", false),
        ("// serde-wasm-bindgen fills this in the browser", false), // a crate name in prose
    ];
    for (source, refused) in rows {
        check(source, refused);
    }
}

#[test]
fn core_imports_nothing_of_the_web() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("config.rs")) && files.len() >= 5,
        "src/core/ should hold the core modules, found {files:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let shown = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(file);
        found.extend(offences(&shown.display().to_string(), &text));
    }
    assert!(
        found.is_empty(),
        "src/core/ must import nothing of the web (std and serde only):\n{}",
        found.join("\n")
    );
}
