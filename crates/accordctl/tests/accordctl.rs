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
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/config.json");
    assert!(
        demo.is_file(),
        "www/demo/config.json is missing: the demo site must ship a config that `accordctl check` accepts ({})",
        demo.display()
    );
    check(&["check", demo.to_str().unwrap()], 0, &["valid"], &[]);
}

// ------------------------------------------------------------------ csp and nginx (SPEC §5, §10)

/// A record of VALID granting advertising, decided 2026-11-23T04:43:00Z, expiring six
/// months later (the default choice lifetime): 2027-05-23T04:43:00Z.
const RECORD: &str =
    "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|accept_all|2026-11-01|advertising=1";
/// The header for VALID with no decision, and with advertising granted.
const NO_DECISION: &str =
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob:; form-action 'self'";
const ADS_GRANTED: &str = "default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: ads.example:*; form-action 'self' ads.example:*";

#[test]
fn csp_and_nginx_exit_code_table() {
    let valid = temp_file("csp-valid.json", VALID);
    let invalid = temp_file("csp-invalid.json", INVALID);
    let dashed = temp_file(
        "csp-dashed-cookie.json",
        &VALID.replacen('{', "{\n  \"cookie_name\": \"accord-consent\",", 1),
    );
    let valid = valid.to_str().unwrap();
    let invalid = invalid.to_str().unwrap();
    let dashed = dashed.to_str().unwrap();
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir/config.json");
    let missing = missing.to_str().unwrap();
    let cookie = format!("sid=1; accord={RECORD}");
    let csp_none = format!("Content-Security-Policy: {NO_DECISION}");
    let csp_ads = format!("Content-Security-Policy: {ADS_GRANTED}");
    #[rustfmt::skip]
    let rows: Vec<CliRow> = vec![
        // §10: exit 2 on usage errors, with the usage on stderr
        (vec!["csp"], 2, vec![], vec!["usage", "--config"]),
        (vec!["csp", "--cookie", "a=1"], 2, vec![], vec!["usage", "--config"]),
        (vec!["csp", "--config"], 2, vec![], vec!["usage", "--config needs a value"]),
        (vec!["csp", "--config", valid, "--verbose", "1"], 2, vec![], vec!["usage", "--verbose"]),
        (vec!["csp", valid], 2, vec![], vec!["usage", valid]),
        (vec!["csp", "--config", valid, "--config", valid], 2, vec![], vec!["usage", "--config is given twice"]),
        (vec!["csp", "--config", valid, "--cookie", "a=1", "--cookie", "b=2"], 2, vec![], vec!["usage", "--cookie is given twice"]),
        (vec!["csp", "--config", valid, "--now", "yesterday"], 2, vec![], vec!["usage", "--now \"yesterday\""]),
        (vec!["csp", "--config", valid, "--now", "2027-13-45T00:00:00Z"], 2, vec![], vec!["usage", "--now"]),
        (vec!["csp", "--config", missing], 2, vec![], vec![missing]),
        (vec!["nginx"], 2, vec![], vec!["usage", "--config"]),
        (vec!["nginx", "--config", valid, "--cookie", "a=1"], 2, vec![], vec!["usage", "--cookie"]),
        (vec!["nginx", "--config", valid, "--config", valid], 2, vec![], vec!["usage", "given twice"]),
        (vec!["nginx", "--config", missing], 2, vec![], vec![missing]),
        // exit 1 when the config is refused: every error, with its field path and rule
        (vec!["csp", "--config", invalid], 1, vec![],
         vec![invalid, "vendors[0].cookies[0].lifetime_days", "[cookie-lifetime]", "vendors[0].transfer_basis", "choice_lifetime_months"]),
        (vec!["nginx", "--config", invalid], 1, vec![],
         vec![invalid, "vendors[0].cookies[0].lifetime_days", "vendors[0].transfer_basis", "choice_lifetime_months"]),
        // nginx reads the record as $cookie_NAME: a '-' in cookie_name cannot work
        (vec!["nginx", "--config", dashed], 0, vec!["accord-consent=(?<accord_v>"], vec![]),
        // exit 0: the header (§5), one line
        (vec!["csp", "--config", valid], 0, vec![NO_DECISION], vec![]),
        (vec!["csp", "--config", dashed], 0, vec![NO_DECISION], vec![]),
        (vec!["csp", "--config", valid, "--cookie", &cookie, "--now", "2027-01-01T00:00:00Z"], 0, vec![ADS_GRANTED], vec![]),
        (vec!["nginx", "--config", valid], 0, vec!["map $accord_record $accord_p0 {", "add_header Content-Security-Policy $accord_csp always;"], vec![]),
        // headers (issue 12): every header of the layer, one 'Name: value' per line
        (vec!["headers"], 2, vec![], vec!["usage", "--config"]),
        (vec!["headers", "--config", missing], 2, vec![], vec![missing]),
        (vec!["headers", "--config", invalid], 1, vec![], vec![invalid, "[cookie-lifetime]"]),
        (vec!["headers", "--config", valid], 0,
         vec![&csp_none, "Connection-Allowlist-Report-Only: (response-origin", "Permissions-Policy: deferred-fetch=(), deferred-fetch-minimal=()"], vec![]),
        (vec!["headers", "--config", valid, "--cookie", &cookie, "--now", "2027-01-01T00:00:00Z"], 0,
         vec![&csp_ads, "Connection-Allowlist-Report-Only: (response-origin"], vec![]),
    ];
    for (args, code, out, err) in &rows {
        let r = check(args, *code, out, err);
        if *code != 0 {
            assert!(
                r.stdout.is_empty(),
                "nothing on stdout when exit {code}: {args:?}\n{}",
                r.stdout
            );
        } else if args[0] == "csp" {
            assert_eq!(
                r.stdout.lines().count(),
                1,
                "csp prints one line: {args:?}\n{}",
                r.stdout
            );
            assert!(
                r.stdout.ends_with('\n') && r.stderr.is_empty(),
                "csp: one line, nothing on stderr: {args:?}\n{}{}",
                r.stdout,
                r.stderr
            );
        }
    }
}

/// SPEC §4/§5 and issue 8: a record past its `expires_at` is no decision; `--now`
/// takes ISO 8601 or Unix seconds. (nginx cannot compare dates: it relies on the
/// cookie's own Expires; `accordctl csp` does compare.)
#[test]
fn csp_now_past_expires_at_gives_the_no_decision_header() {
    let valid = temp_file("csp-expiry.json", VALID);
    let valid = valid.to_str().unwrap();
    let cookie = format!("accord={RECORD}");
    #[rustfmt::skip]
    let rows: Vec<(&str, &str)> = vec![
        ("2026-11-23T04:43:00Z", ADS_GRANTED),   // decided_at
        ("2027-05-23T04:42:59Z", ADS_GRANTED),   // the last second before expires_at
        ("1811047379", ADS_GRANTED),             // the same, in Unix seconds
        ("2027-05-23T04:43:00Z", NO_DECISION),   // expires_at: expired
        ("1811047380", NO_DECISION),             // the same, in Unix seconds
        ("2030-01-01T00:00:00Z", NO_DECISION),   // long after
    ];
    for (now, want) in rows {
        let r = check(
            &["csp", "--config", valid, "--cookie", &cookie, "--now", now],
            0,
            &[],
            &[],
        );
        assert_eq!(r.stdout, format!("{want}\n"), "csp --now {now}");
    }
}

#[test]
fn nginx_on_the_demo_config() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/config.json");
    let demo = demo.to_str().unwrap();
    let r = check(
        &["nginx", "--config", demo],
        0,
        &[
            // audience is exempt: the opt-out marker and the record decide it
            "map $http_cookie $accord_optout {",
            "map \"$accord_optout#$accord_record\" $accord_p0 {",
            "map $accord_record $accord_p1 {",
            "map $accord_record $accord_p2 {",
            "map $accord_record $accord_csp {",
            "add_header Content-Security-Policy $accord_csp always;",
            "127.0.0.1:8081",
            "127.0.0.1:8082",
            "127.0.0.1:8083",
        ],
        &[],
    );
    assert!(r.stderr.is_empty(), "nothing on stderr: {}", r.stderr);
    // the demo without a decision: `csp` prints the header to start with; the exempt
    // audience tool runs without consent (SPEC §6), so its host is in it
    check(
        &["csp", "--config", demo],
        0,
        &["default-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' data: blob: 127.0.0.1:8081; form-action 'self' 127.0.0.1:8081"],
        &[],
    );
    // after the opt-out, not even that
    check(
        &[
            "csp",
            "--config",
            demo,
            "--cookie",
            "accord_optout=1|1795408980|audience",
        ],
        0,
        &[NO_DECISION],
        &[],
    );
}

#[test]
fn notice_and_verify_table() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/demo/config.json");
    // The notice text, then a receipt of the demo config made by the core itself.
    let notice = check(
        &["notice", "--config", demo, "--lang", "fr"],
        0,
        &["Vos choix sur les cookies"],
        &[],
    );
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("notices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("2026-11-22.fr.txt"), &notice.stdout).unwrap();
    let config =
        accord_core::config::Config::from_json_str(&std::fs::read_to_string(demo).unwrap())
            .unwrap();
    // A decision made under the demo's current policy_version.
    let record = accord_core::record::Record::decode(
        "1|0123456789abcdef0123456789abcdef|1795408980|1811047380|accept_all|2026-11-22|advertising=1",
    )
    .unwrap();
    let receipt = accord_core::receipt::Receipt::of(
        &config,
        &record,
        accord_core::config::Lang::Fr,
        "0.1.0",
        false,
    )
    .to_json();
    let good = temp_file("receipt-good.json", &receipt);
    // The same receipt with another (well-formed) hash: as if the text had been changed.
    let at = receipt.find("\"notice_sha256\":\"").unwrap() + "\"notice_sha256\":\"".len();
    let flipped = if &receipt[at..at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    let forged = temp_file(
        "receipt-forged.json",
        &format!("{}{flipped}{}", &receipt[..at], &receipt[at + 1..]),
    );
    let (good, forged) = (good.to_str().unwrap(), forged.to_str().unwrap());
    let dir_s = dir.to_str().unwrap();
    #[rustfmt::skip]
    let rows: Vec<CliRow> = vec![
        // issue 6: a genuine receipt against its notice text
        (vec!["verify", good, "--notices", dir_s], 0, vec!["valid"], vec![]),
        // a receipt whose hash was changed: refused, naming the field
        (vec!["verify", forged, "--notices", dir_s], 1, vec![], vec!["notice_sha256"]),
        // usage errors
        (vec!["verify"], 2, vec![], vec!["usage"]),
        (vec!["verify", good], 2, vec![], vec!["--notices"]),
        (vec!["notice", "--config", demo, "--lang", "de"], 2, vec![], vec!["--lang"]),
        (vec!["notice"], 2, vec![], vec!["--config"]),
    ];
    for (args, code, out, err) in rows {
        check(&args, code, &out, &err);
    }
    // A receipt made under Global Privacy Control is checked against the GPC text.
    let gpc_notice = check(
        &["notice", "--config", demo, "--lang", "fr", "--gpc"],
        0,
        &["Global Privacy Control"],
        &[],
    );
    let gpc_receipt = temp_file(
        "receipt-gpc.json",
        &accord_core::receipt::Receipt::of(
            &config,
            &record,
            accord_core::config::Lang::Fr,
            "0.1.0",
            true,
        )
        .to_json(),
    );
    let gpc_receipt = gpc_receipt.to_str().unwrap();
    check(
        &["verify", gpc_receipt, "--notices", dir_s],
        1,
        &[],
        &["2026-11-22.fr.gpc.txt"],
    );
    std::fs::write(dir.join("2026-11-22.fr.gpc.txt"), &gpc_notice.stdout).unwrap();
    check(
        &["verify", gpc_receipt, "--notices", dir_s],
        0,
        &["valid", "2026-11-22.fr.gpc.txt"],
        &[],
    );
    // The text changed by one character: the genuine receipt no longer matches.
    std::fs::write(
        dir.join("2026-11-22.fr.txt"),
        notice.stdout.replacen("refuser", "refuseR", 1),
    )
    .unwrap();
    check(
        &["verify", good, "--notices", dir_s],
        1,
        &[],
        &["does not match"],
    );
}

/// `check --notices DIR`: a config whose notice text changed without a new
/// policy_version is refused (its archived receipts would become unverifiable).
#[test]
fn check_refuses_a_changed_notice_under_the_same_policy_version() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/demo/config.json");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("check-notices-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_s = dir.to_str().unwrap();
    // Nothing archived yet: valid, and it says so.
    check(
        &["check", demo, "--notices", dir_s],
        0,
        &["valid", "2026-11-22.fr.txt: not archived yet"],
        &[],
    );
    // Archive today's texts (as the README says: accordctl notice > DIR/<version>.<lang>.txt).
    for (lang, gpc) in [("fr", false), ("en", false), ("fr", true)] {
        let mut args = vec!["notice", "--config", demo, "--lang", lang];
        if gpc {
            args.push("--gpc");
        }
        let text = check(&args, 0, &[], &[]).stdout;
        let name = format!("2026-11-22.{lang}{}.txt", if gpc { ".gpc" } else { "" });
        std::fs::write(dir.join(name), text).unwrap();
    }
    check(
        &["check", demo, "--notices", dir_s],
        0,
        &[
            "2026-11-22.fr.txt: same text",
            "2026-11-22.en.txt: same text",
            "2026-11-22.fr.gpc.txt: same text",
        ],
        &[],
    );
    // One word of a description changed, same policy_version: refused, naming each text.
    let changed_text = std::fs::read_to_string(demo).unwrap().replacen(
        "Nous comptons les visites",
        "Nous comptons vos visites",
        1,
    );
    let changed = temp_file("changed-notice.json", &changed_text);
    let changed = changed.to_str().unwrap();
    let r = check(
        &["check", changed, "--notices", dir_s],
        1,
        &[],
        &[
            "[notice-changed]",
            "2026-11-22.fr.txt",
            "2026-11-22.fr.gpc.txt",
        ],
    );
    assert!(
        r.stdout.is_empty(),
        "nothing on stdout when refused: {}",
        r.stdout
    );
    // The same change under a new policy_version: nothing archived for it, valid.
    let bumped = temp_file(
        "bumped-notice.json",
        &changed_text.replacen("\"2026-11-22\"", "\"2026-12-01\"", 1),
    );
    check(
        &["check", bumped.to_str().unwrap(), "--notices", dir_s],
        0,
        &["valid", "2026-12-01.fr.txt: not archived yet"],
        &[],
    );
    // Usage: the flag needs its directory, and a directory that exists.
    check(&["check", demo, "--notices"], 2, &[], &["--notices"]);
    let missing = dir.join("no-such-dir");
    check(
        &["check", demo, "--notices", missing.to_str().unwrap()],
        2,
        &[],
        &["not a directory"],
    );
    // An archive that is not UTF-8 text cannot pass for "not archived yet".
    std::fs::write(dir.join("2026-11-22.en.txt"), [0xff, 0xfe, 0x00]).unwrap();
    check(
        &["check", demo, "--notices", dir_s],
        1,
        &[],
        &["[notice-unreadable]", "2026-11-22.en.txt"],
    );
}
