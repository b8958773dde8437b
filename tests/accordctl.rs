#![cfg(not(target_arch = "wasm32"))]
//! `accordctl` as a black box (SPEC §10): exit 0 on success, 1 when the input is refused,
//! 2 on usage errors; errors on stderr, one per line, naming the file and the field.

use std::path::{Path, PathBuf};
use std::process::Command;

const VALID: &str = r#"{
  "policy_version": "2026-11-01",
  "controller": { "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" },
  "purposes": [
    { "id": "necessary", "basis": "necessary",
      "title": { "fr": "Nécessaires", "en": "Necessary" }, "description": { "fr": "Le site.", "en": "The site." } },
    { "id": "advertising", "basis": "consent",
      "title": { "fr": "Publicité", "en": "Advertising" }, "description": { "fr": "Pubs.", "en": "Ads." } }
  ],
  "vendors": [
    { "id": "adnet", "name": "AdNet", "purpose": "advertising", "hosts": ["ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 390 }], "country": "US", "transfer_basis": "scc" }
  ]
}"#;

/// Three broken rules: cookie over 13 months, US without transfer basis, choice over 13 months.
const INVALID: &str = r#"{
  "policy_version": "2026-11-01",
  "controller": { "name": "Mutuelle Exemple SA", "contact": "dpo@exemple.fr" },
  "purposes": [
    { "id": "advertising", "basis": "consent",
      "title": { "fr": "Publicité", "en": "Advertising" }, "description": { "fr": "Pubs.", "en": "Ads." } }
  ],
  "vendors": [
    { "id": "adnet", "name": "AdNet", "purpose": "advertising", "hosts": ["ads.example"],
      "cookies": [{ "name": "_adn", "lifetime_days": 400 }], "country": "US" }
  ],
  "choice_lifetime_months": 24
}"#;

/// Writes `text` to a fresh file under the test temp dir and returns its path.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("accordctl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_accordctl"))
        .args(args)
        .output()
        .expect("accordctl runs");
    Run {
        code: out
            .status
            .code()
            .expect("accordctl exited (not killed by a signal)"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `accordctl args`: the exit code must be `code`, stdout must contain each of
/// `out`, stderr each of `err`. Returns the run for further checks.
fn check(args: &[&str], code: i32, out: &[&str], err: &[&str]) -> Run {
    let r = run(args);
    let show = format!(
        "accordctl {args:?}\n--- stdout\n{}--- stderr\n{}",
        r.stdout, r.stderr
    );
    assert_eq!(r.code, code, "exit code of {show}");
    for want in out {
        assert!(
            r.stdout.contains(want),
            "stdout should contain {want:?}: {show}"
        );
    }
    for want in err {
        assert!(
            r.stderr.contains(want),
            "stderr should contain {want:?}: {show}"
        );
    }
    r
}

/// `(arguments, exit code, stdout must contain, stderr must contain)`.
type CliRow<'a> = (Vec<&'a str>, i32, Vec<&'a str>, Vec<&'a str>);

#[test]
fn exit_code_table() {
    let valid = temp_file("valid.json", VALID);
    let invalid = temp_file("invalid.json", INVALID);
    let syntax = temp_file("syntax.json", "{\n  \"policy_version\": \"x\",\n}\n");
    let valid = valid.to_str().unwrap();
    let invalid = invalid.to_str().unwrap();
    let syntax = syntax.to_str().unwrap();
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir/config.json");
    let missing = missing.to_str().unwrap();
    let a_dir = env!("CARGO_TARGET_TMPDIR");
    #[rustfmt::skip]
    let rows: Vec<CliRow> = vec![
        // §10: exit 0 on success, the verdict on stdout
        (vec!["check", valid], 0, vec!["valid", valid], vec![]),
        // exit 1 when refused; each error names the file, the field and the rule
        (vec!["check", invalid], 1, vec![],
         vec![invalid, "vendors[0].cookies[0].lifetime_days", "[cookie-lifetime]",
              "vendors[0].transfer_basis", "[transfer-basis]", "choice_lifetime_months", "[choice-lifetime]"]),
        (vec!["check", syntax], 1, vec![], vec![syntax, "line 3 column", "[json-syntax]"]),
        // exit 2 on usage errors, with the usage on stderr
        (vec![], 2, vec![], vec!["usage"]),
        (vec!["lint", valid], 2, vec![], vec!["usage", "lint"]),
        (vec!["chek"], 2, vec![], vec!["usage"]),
        (vec!["check"], 2, vec![], vec!["usage"]),
        (vec!["check", valid, invalid], 2, vec![], vec!["usage"]),
        // a path that cannot be read is a usage error, naming the path
        (vec!["check", missing], 2, vec![], vec![missing]),
        (vec!["check", a_dir], 2, vec![], vec![a_dir]),
    ];
    for (args, code, out, err) in &rows {
        check(args, *code, out, err);
    }
}

#[test]
fn refused_config_one_error_per_line() {
    let invalid = temp_file("invalid-lines.json", INVALID);
    let invalid = invalid.to_str().unwrap();
    let r = check(&["check", invalid], 1, &[], &[]);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    // §2/§10: every error at once, one per line: `FILE: path: message [rule]`
    assert_eq!(
        lines.len(),
        3,
        "three broken rules, three lines:\n{}",
        r.stderr
    );
    for (line, path) in lines.iter().zip([
        "vendors[0].cookies[0].lifetime_days",
        "vendors[0].transfer_basis",
        "choice_lifetime_months",
    ]) {
        assert!(
            line.starts_with(&format!("{invalid}: {path}: ")),
            "line {line:?} should name the file then {path}"
        );
        assert!(
            line.ends_with(']'),
            "line {line:?} should end with its [rule]"
        );
    }
    assert!(
        r.stdout.is_empty(),
        "nothing on stdout when refused: {}",
        r.stdout
    );
}

#[test]
fn demo_config_passes_check() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo/config.json");
    assert!(
        demo.is_file(),
        "www/demo/config.json is missing: the demo site must ship a config that `accordctl check` accepts ({})",
        demo.display()
    );
    check(&["check", demo.to_str().unwrap()], 0, &["valid"], &[]);
}
