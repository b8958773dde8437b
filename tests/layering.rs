#![cfg(not(target_arch = "wasm32"))]
//! The dependency table of ARCHITECTURE.md, checked. The crate graph holds most of it
//! (the compiler refuses a web crate in `accord-core`, which does not depend on one);
//! this test checks the rest:
//! - each workspace crate depends only on what the table allows (its Cargo.toml);
//! - the core's sources name nothing of the web, even in a path the compiler would
//!   resolve through another crate;
//! - the widget's modules import only the modules the table allows below them;
//! - no import circle between the modules of the core, nor between the widget's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What the core may not mention (grep -E 'web_sys|wasm_bindgen|yew|js_sys|gloo').
const FORBIDDEN: &[&str] = &["web_sys", "wasm_bindgen", "yew", "js_sys", "gloo"];

/// Each workspace crate and the dependencies (normal and target-specific, not dev) it
/// may have. `None`: anything but another listed crate not named here.
const CRATES: &[(&str, Option<&[&str]>)] = &[
    // Pure: std, serde and a hash (serde_json natively, to read configs and receipts from text).
    ("crates/accord-core", Some(&["serde", "serde_json", "sha2"])),
    // Native: the core, JSON, and what ARCHITECTURE.md allows it (a hash, an argument
    // parser, a WebSocket client for `scan`'s DevTools connection).
    (
        "crates/accordctl",
        Some(&["accord-core", "serde_json", "sha2", "lexopt", "tungstenite"]),
    ),
    // The consent service: the core, an async HTTP stack (with two of axum's own
    // helpers), one database driver, JSON and an argument parser (ARCHITECTURE.md).
    (
        "crates/accord-server",
        Some(&[
            "accord-core",
            "axum",
            "tokio",
            "sqlx",
            "serde_json",
            "lexopt",
            "futures-util",
            "http-body-util",
        ]),
    ),
    // What the wasm modules share at the page's edge (issue 15): the core and js-sys,
    // and the modules' allocator.
    (
        "crates/accord-web",
        Some(&["accord-core", "wasm-bindgen", "js-sys", "web-sys", "talc"]),
    ),
    // The forms module (issue 15): the core, the shared edge, the web crates; no Yew.
    (
        "crates/accord-forms",
        Some(&[
            "accord-core",
            "accord-web",
            "wasm-bindgen",
            "js-sys",
            "web-sys",
        ]),
    ),
    // The dialogs module (issue 15): the core, Yew and the web crates it renders with;
    // the shared edge for its allocator.
    (
        "crates/accord-dialogs",
        Some(&[
            "accord-core",
            "accord-web",
            "wasm-bindgen",
            "js-sys",
            "yew",
            "web-sys",
            "tracing",
        ]),
    ),
    // A measurement (bench/floor.mjs): the core's decisions alone in a wasm module, with
    // the page's module's edge and nothing else of the browser.
    (
        "bench/floor",
        Some(&["accord-core", "accord-web", "wasm-bindgen"]),
    ),
    // The page's module, on every page: the core and the web crates, never Yew (a
    // returning visitor downloads no UI framework: issue 15) and never accordctl.
    (
        ".",
        Some(&[
            "accord-core",
            "accord-web",
            "wasm-bindgen",
            "wasm-bindgen-futures",
            "js-sys",
            "gloo-events",
            "web-sys",
        ]),
    ),
];

/// The widget's modules, each with the modules of the widget it may import (`env` is a
/// leaf everyone may use; `accord_core` and the web crates are always allowed).
const WIDGET: &[(&str, &[&str])] = &[
    ("env", &[]),
    ("browser", &["env"]),
    ("session", &["env", "browser"]),
    ("api", &["env", "browser", "session"]),
    ("ui", &["env", "session"]),
    ("boot", &["env", "browser", "session", "api", "ui"]),
];

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

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The source without its comments (line comments and doc comments): prose may name
/// anything.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `file:line: text` where a forbidden name appears in the code of `text`.
fn offences(file: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in code(text).lines().enumerate() {
        for word in FORBIDDEN {
            if line.contains(word) {
                out.push(format!("{file}:{}: `{word}` in: {}", n + 1, line.trim()));
            }
        }
    }
    out
}

/// The dependency names of a Cargo.toml: keys of `[dependencies]` and of
/// `[target.'…'.dependencies]` tables (dev- and build-dependencies are not the graph).
fn dependencies(manifest: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]"
                || (line.starts_with("[target.") && line.ends_with(".dependencies]"));
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.insert(name.trim().to_owned());
            }
        }
    }
    out
}

/// The modules of the widget (or of the core) a source file imports, from
/// `crate::m` paths and, for `file_module` files at the top of the crate, `super::m`.
fn imports(text: &str, modules: &BTreeSet<&str>, nested: bool) -> BTreeSet<String> {
    let code = code(text);
    let mut out = BTreeSet::new();
    let mut prefixes = vec!["crate::"];
    if !nested {
        prefixes.push("super::");
    } else {
        prefixes.push("super::super::");
    }
    for prefix in prefixes {
        for (i, _) in code.match_indices(prefix) {
            // `super::super::x` also contains `super::x`: only whole prefixes count.
            if prefix == "super::" && code[..i].ends_with("super::") {
                continue;
            }
            let rest = &code[i + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(name.as_str()) {
                out.insert(name);
            }
            // `use crate::{a, b}`: a group.
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let item = item.trim();
                    let head = item.split("::").next().unwrap_or("");
                    if modules.contains(head) {
                        out.insert(head.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// A circle in `graph`, as `a -> b -> … -> a`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut c = path[i..].to_vec();
            c.push(node.to_owned());
            return Some(c.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

// ------------------------------------------------------------------ the scanners, as tables

#[test]
fn the_web_scanner_finds_what_it_must() {
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
        ("// serde-wasm-bindgen fills this in the browser", false), // prose
        ("/// see web_sys::Document", false), // a doc comment is prose too
    ];
    for (source, refused) in rows {
        assert_eq!(
            !offences("x.rs", source).is_empty(),
            refused,
            "source line: {source:?}"
        );
    }
}

#[test]
fn the_import_scanner_reads_every_form() {
    let modules: BTreeSet<&str> = ["browser", "session", "ui", "env"].into();
    #[rustfmt::skip]
    let rows: [(&str, bool, &[&str]); 8] = [
        ("use crate::session::SessionRef;", true, &["session"]),
        ("use crate::{env, browser::tags};", true, &["browser", "env"]),
        ("let x = crate::ui::App;", true, &["ui"]),
        ("use super::cookies;", true, &[]), // a sibling inside a folder module
        ("use super::super::session;", true, &["session"]),
        ("use super::session;", false, &["session"]), // from a file at the crate's top
        ("// crate::ui is not imported here", true, &[]),
        ("use accord_core::config::Config;", true, &[]),
    ];
    for (source, nested, expected) in rows {
        let got = imports(source, &modules, nested);
        let want: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "source: {source:?} (nested: {nested})");
    }
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(circle(&graph(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        circle(&graph(&[("a", "b"), ("b", "a")])).as_deref(),
        Some("a -> b -> a")
    );
    assert!(circle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])).is_some());
    assert_eq!(
        dependencies("[dependencies]\nserde = \"1\"\n[dev-dependencies]\nproptest = \"1\"\n[target.'cfg(x)'.dependencies]\nweb-sys = \"0.3\"\n"),
        ["serde".to_owned(), "web-sys".to_owned()].into()
    );
}

// ------------------------------------------------------------------ the table

#[test]
fn each_crate_depends_only_on_what_the_table_allows() {
    let listed: Vec<&str> = CRATES
        .iter()
        .filter(|(dir, _)| *dir != ".")
        .map(|(dir, _)| dir.rsplit('/').next().unwrap_or(dir))
        .collect();
    let root = read(&Path::new(ROOT).join("Cargo.toml"));
    for (dir, _) in CRATES.iter().filter(|(d, _)| *d != ".") {
        assert!(
            root.contains(&format!("\"{dir}\"")),
            "the workspace must list {dir} as a member"
        );
    }
    let mut problems = Vec::new();
    for (dir, allowed) in CRATES {
        let manifest = read(&Path::new(ROOT).join(dir).join("Cargo.toml"));
        for dep in dependencies(&manifest) {
            let ok = match allowed {
                Some(list) => list.contains(&dep.as_str()),
                None => dep != "accordctl",
            };
            if !ok {
                problems.push(format!(
                    "{dir}: depends on `{dep}`, which the table does not allow"
                ));
            }
        }
    }
    assert!(listed.contains(&"accord-core"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn core_imports_nothing_of_the_web() {
    let core = Path::new(ROOT).join("crates/accord-core/src");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("config.rs")) && files.len() >= 5,
        "crates/accord-core/src should hold the core modules, found {files:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let shown = file.strip_prefix(ROOT).unwrap_or(file);
        found.extend(offences(&shown.display().to_string(), &read(file)));
    }
    assert!(
        found.is_empty(),
        "the core must import nothing of the web (std and serde only):\n{}",
        found.join("\n")
    );
}

/// The widget's module graph: `module -> modules it imports`.
fn widget_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(ROOT).join("src");
    let modules: BTreeSet<&str> = WIDGET.iter().map(|(m, _)| *m).collect();
    let mut graph = BTreeMap::new();
    for (module, _) in WIDGET {
        let dir = src.join(module);
        let mut files = Vec::new();
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src.join(format!("{module}.rs")));
        }
        let mut uses = BTreeSet::new();
        for file in &files {
            let nested = file.parent() != Some(src.as_path());
            uses.extend(imports(&read(file), &modules, nested));
        }
        uses.remove(*module);
        graph.insert(module.to_string(), uses);
    }
    graph
}

#[test]
fn widget_modules_import_only_what_the_table_allows() {
    let graph = widget_graph();
    let mut problems = Vec::new();
    for (module, allowed) in WIDGET {
        for used in &graph[*module] {
            if !allowed.contains(&used.as_str()) {
                problems.push(format!(
                    "{module} imports {used}, which the table does not allow"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every module of src/ is in the table.
    let mut listed: BTreeSet<String> = WIDGET.iter().map(|(m, _)| m.to_string()).collect();
    listed.extend(["lib", "main"].map(String::from));
    for entry in fs::read_dir(Path::new(ROOT).join("src")).expect("src/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned();
        assert!(
            listed.contains(&name),
            "src/{name} is in no row of the layering table"
        );
    }
}

/// The graph of the files of one folder (`root_file`: the folder's own root, left out),
/// siblings importing each other by `super::x` or `crate::x`. Unit tests may use
/// anything: only a file's own code, before `#[cfg(test)]`, counts.
fn folder_graph(dir: &str, root_file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join(dir), &mut files);
    let stem = |f: &PathBuf| {
        f.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_owned()
    };
    let files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| (stem(&f), f))
        .filter(|(n, _)| n != root_file)
        .collect();
    let modules: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let mut graph = BTreeMap::new();
    for (name, file) in &files {
        let text = read(file);
        let own = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut uses = imports(own, &modules, false);
        uses.remove(name);
        graph.insert(name.clone(), uses);
    }
    graph
}

#[test]
fn no_import_circle_between_modules() {
    assert_eq!(
        circle(&folder_graph("crates/accord-core/src", "lib")),
        None,
        "an import circle between the core's modules"
    );
    assert_eq!(
        circle(&widget_graph()),
        None,
        "an import circle between the widget's modules"
    );
    assert_eq!(
        circle(&folder_graph("src/browser", "mod")),
        None,
        "an import circle between the files of src/browser"
    );
}

// ------------------------------------------------------------------ rule names and codes

/// Every file a test lives in: the native tables and the end-to-end suites.
fn test_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in [
        "tests",
        "crates/accord-core/tests",
        "crates/accordctl/tests",
    ] {
        rust_files(&Path::new(ROOT).join(dir), &mut files);
    }
    let e2e = Path::new(ROOT).join("tests/e2e");
    for entry in fs::read_dir(&e2e).expect("tests/e2e") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "mjs") {
            files.push(path);
        }
    }
    files
        .into_iter()
        .filter(|f| !f.ends_with("layering.rs"))
        .map(|f| (f.display().to_string(), read(&f)))
        .collect()
}

/// Issue 14, item 3: every config rule and every `accord:error` code is listed in
/// ARCHITECTURE.md (with its source) and named by at least one test.
#[test]
fn every_rule_name_and_error_code_is_documented_and_tested() {
    use accord_core::rules::{ErrorCode, Rule};
    let doc = read(&Path::new(ROOT).join("ARCHITECTURE.md"));
    let tests = test_sources();
    // Named by its string (the e2e suites, the tables) or by its variant (the core's
    // tables: `ErrorCode::Storage`).
    let names = Rule::ALL
        .iter()
        .map(|r| (r.name(), format!("Rule::{r:?}")))
        .chain(
            ErrorCode::ALL
                .iter()
                .map(|c| (c.name(), format!("ErrorCode::{c:?}"))),
        );
    let mut problems = Vec::new();
    for (name, variant) in names {
        if !doc.contains(&format!("| `{name}` |")) {
            problems.push(format!("`{name}` has no row in ARCHITECTURE.md"));
        }
        let quoted = format!("\"{name}\"");
        if !tests
            .iter()
            .any(|(_, text)| text.contains(&quoted) || text.contains(&variant))
        {
            problems.push(format!("no test names {quoted} (or {variant})"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The names are unique, and the loader's own codes are among them.
    let mut all: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    all.extend(ErrorCode::ALL.iter().map(|c| c.name()));
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "a name is used twice");
    let loader = read(&Path::new(ROOT).join("www/accord.js"));
    for (i, _) in loader.match_indices("\"ACCORD_") {
        let code: String = loader[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        assert!(
            ErrorCode::ALL.iter().any(|c| c.name() == code),
            "www/accord.js raises {code}, which is no ErrorCode"
        );
    }
}

/// The fields of the loader's boot object, from the JSDoc `@typedef AccordBoot` in
/// `www/accord.js`.
fn boot_fields() -> Vec<String> {
    let js = read(&Path::new(ROOT).join("www/accord.js"));
    let start = js
        .find("@typedef {Object} AccordBoot")
        .expect("www/accord.js documents the boot object (@typedef AccordBoot)");
    let end = start + js[start..].find("*/").expect("the typedef's comment ends");
    js[start..end]
        .lines()
        .filter_map(|l| l.split("@property").nth(1))
        .filter_map(|rest| {
            // `{type} name description`: the type may hold spaces and braces.
            let mut depth = 0;
            let after = rest.trim_start().char_indices().find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                (depth == 0 && c == '}').then_some(i + 1)
            })?;
            rest.trim_start()[after..]
                .split_whitespace()
                .next()
                .map(str::to_owned)
        })
        .collect()
}

/// The typed loader boundary (ARCHITECTURE.md, `browser::loader`): every field of the
/// boot object has its binding in `src/browser/loader.rs`, and no other file of the
/// widget names the object or one of its fields by string.
#[test]
fn the_loader_boundary_is_one_typed_module() {
    let fields = boot_fields();
    for want in ["config", "cookieDesc", "ready", "hold", "ask", "stored"] {
        assert!(
            fields.iter().any(|f| f == want),
            "the typedef lists {want}: {fields:?}"
        );
    }
    let loader = read(&Path::new(ROOT).join("src/browser/loader.rs"));
    let bound = |field: &str| {
        let snake: String = field
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        loader.contains(&format!("js_name = {field})"))
            || loader.contains(&format!("setter = {field})"))
            || loader.contains(&format!("pub(crate) fn {snake}(this: &Boot"))
            || loader.contains(&format!("fn {snake}(this: &Boot"))
    };
    let unbound: Vec<&String> = fields.iter().filter(|f| !bound(f)).collect();
    assert!(
        unbound.is_empty(),
        "fields of AccordBoot without a binding in src/browser/loader.rs: {unbound:?}"
    );
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let mut offences = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("browser/loader.rs")) {
        let text = code(&read(file));
        for name in fields.iter().map(String::as_str).chain(["_boot"]) {
            if text.contains(&format!("\"{name}\".into()")) {
                offences.push(format!("{} names {name:?}", file.display()));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "only browser::loader reaches into the boot object:\n{}",
        offences.join("\n")
    );
}
