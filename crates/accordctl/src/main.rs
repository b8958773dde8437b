//! `accordctl`: the native command line over the core. Argument parsing only.
//! Exit 0: success, 1: the input is refused, 2: usage error (SPEC §10).

use std::process::ExitCode;

/// The config's JSON Schema: its shape, for editors and CI; `check` also checks the
/// rules between fields that a schema cannot express.
#[cfg(not(target_arch = "wasm32"))]
const SCHEMA: &str = include_str!("../schema/accord-config.schema.json");

#[cfg(not(target_arch = "wasm32"))]
const USAGE: &str = "usage:
  accordctl check CONFIG.json [--notices DIR]
  accordctl csp --config CONFIG.json [--cookie 'COOKIE HEADER'] [--now 2027-01-01T00:00:00Z]
  accordctl headers --config CONFIG.json [--cookie 'COOKIE HEADER'] [--now 2027-01-01T00:00:00Z]
  accordctl nginx --config CONFIG.json
  accordctl notice --config CONFIG.json [--lang fr|en] [--gpc]
  accordctl verify RECEIPT.json --notices DIR
  accordctl schema
  accordctl scan --config CONFIG.json [--json FILE] [--chromium PATH] URL...
  accordctl --version

  check   validate a config exactly as the widget does; one error per line on stderr,
          with the field path and the rule; with --notices DIR, also refuse a notice text
          that differs from the one archived for the same policy_version (the receipts
          of the archived text could no longer be verified: change policy_version)
  csp     print the Content-Security-Policy header value for a request that carried
          that Cookie header (none: a visitor who has not decided); --now sets the
          clock (ISO 8601 or Unix seconds; default: now)
  headers print every header of the browser-enforced layer for that request, one
          'Name: value' per line: the CSP, Connection-Allowlist-Report-Only (what CSP
          cannot see), and Permissions-Policy (no fetchLater) while nothing that
          needs consent is granted
  nginx   print an nginx snippet for the http {} block: a map on the record cookie per
          purpose, and add_header for the same headers as accordctl headers
  notice  print the notice text whose SHA-256 receipts carry (keep one file per policy
          version and language: DIR/<policy_version>.<lang>.txt; with --gpc, the text
          shown to a browser sending Global Privacy Control: DIR/<...>.<lang>.gpc.txt)
  verify  check a consent receipt's notice hash against DIR/<policy_version>.<language>.txt
          (.gpc.txt for a receipt made under Global Privacy Control; one trailing newline of the file is
          not part of the text)
  schema  print the config's JSON Schema (draft 2020-12): write \"$schema\" in a config so an
          editor checks it as it is typed (check also checks the rules between fields)
  scan    visit the URLs (the first one shows the banner) in Debian's Chromium, headless,
          in four fresh browsers: no action, « Tout refuser », « Tout accepter », accept
          then withdraw; report every cookie, storage key and third-party host against
          the config, and a draft of the vendors it does not declare (--json FILE: the
          whole report as JSON). Exit 1 when anything of a purpose that needs consent
          was seen before a decision, after a refusal or after a withdrawal";

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use accord_core::calendar::{parse_iso, Timestamp};
    use accord_core::config::{Config, Lang};
    use accord_core::json::Json;
    use accord_core::notice::canonical_text;
    use accord_core::receipt::Receipt;
    use accordctl::policy;
    use std::process::ExitCode;

    pub(crate) enum Failure {
        /// The input is refused (exit 1).
        Refused(Vec<String>),
        /// The command line is wrong (exit 2).
        Usage(String),
    }

    /// `--name value` pairs after the subcommand; unknown or repeated flags are errors.
    pub(crate) fn flags<'a>(
        args: &'a [String],
        known: &[&str],
    ) -> Result<Vec<(&'a str, &'a str)>, Failure> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            if !known.contains(&flag.as_str()) {
                return Err(Failure::Usage(format!("unknown argument \"{flag}\"")));
            }
            let value = it
                .next()
                .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))?;
            if out.iter().any(|(f, _)| f == flag) {
                return Err(Failure::Usage(format!("{flag} is given twice")));
            }
            out.push((flag, value));
        }
        Ok(out)
    }

    fn get<'a>(flags: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
        flags.iter().find(|(f, _)| *f == name).map(|(_, v)| *v)
    }

    /// Reads and validates a config; every error names the file and the field.
    pub(crate) fn load(path: &str) -> Result<Config, Failure> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("{path}: cannot read the config: {e}")))?;
        Config::from_json_str(&text).map_err(|errors| {
            Failure::Refused(errors.iter().map(|e| format!("{path}: {e}")).collect())
        })
    }

    fn now_from(flag: Option<&str>) -> Result<Timestamp, Failure> {
        match flag {
            None => Ok(std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as Timestamp)
                .unwrap_or(0)),
            Some(v) => v
                .parse::<Timestamp>()
                .ok()
                .or_else(|| parse_iso(v))
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "--now \"{v}\" is neither Unix seconds nor an ISO 8601 date"
                    ))
                }),
        }
    }

    /// `scan --config C [--json FILE] [--chromium PATH] URL…`: what a real browser sees
    /// on the site, judged against the config (`accordctl::scan`).
    pub(crate) fn scan(args: &[String]) -> Result<String, Failure> {
        let (mut config, mut json_out, mut chromium, mut urls) =
            (None, None, "/usr/bin/chromium".to_owned(), Vec::new());
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |flag: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
            };
            match a.as_str() {
                "--config" => config = Some(value("--config")?),
                "--json" => json_out = Some(value("--json")?),
                "--chromium" => chromium = value("--chromium")?,
                f if f.starts_with("--") => {
                    return Err(Failure::Usage(format!("scan: unknown option {f}")))
                }
                url if url.starts_with("http://") || url.starts_with("https://") => {
                    urls.push(url.to_owned())
                }
                other => {
                    return Err(Failure::Usage(format!(
                        "scan: \"{other}\" is not an http:// or https:// URL"
                    )))
                }
            }
        }
        let path =
            config.ok_or_else(|| Failure::Usage("scan needs --config CONFIG.json".into()))?;
        if urls.is_empty() {
            return Err(Failure::Usage("scan needs at least one URL".into()));
        }
        let c = load(&path)?;
        let fail = |e: String| Failure::Refused(vec![format!("scan: {e}")]);
        let mut browser = accordctl::cdp::Browser::launch(&chromium).map_err(fail)?;
        let seen = accordctl::cdp::observe(&mut browser, &urls).map_err(fail)?;
        drop(browser);
        let report = accordctl::scan::judge(&c, &seen, now_secs());
        if let Some(file) = json_out {
            let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            std::fs::write(&file, text + "\n")
                .map_err(|e| Failure::Usage(format!("--json {file}: {e}")))?;
        }
        let summary = report.summary();
        if report.leaks.is_empty() {
            return Ok(summary.trim_end().to_owned());
        }
        print!("{summary}");
        Err(Failure::Refused(vec![format!(
            "scan: {} leak(s) of a purpose that needs consent (see above)",
            report.leaks.len()
        )]))
    }

    fn now_secs() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }

    pub(crate) fn check(path: &str, notices: Option<&str>) -> Result<String, Failure> {
        let c = load(path)?;
        let mut out = format!(
            "{path}: valid (policy {}, {} purposes, {} vendors)",
            c.policy_version,
            c.purposes.len(),
            c.vendors.len()
        );
        let Some(dir) = notices else {
            return Ok(out);
        };
        if !std::path::Path::new(dir).is_dir() {
            return Err(Failure::Usage(format!(
                "--notices {dir}: not a directory of archived notice texts"
            )));
        }
        let mut changed = Vec::new();
        for lang in &c.languages {
            for gpc in [false, true] {
                let name = format!(
                    "{}.{}{}.txt",
                    c.policy_version,
                    lang.code(),
                    if gpc { ".gpc" } else { "" }
                );
                let file = std::path::Path::new(dir).join(&name);
                let archived = match std::fs::read_to_string(&file) {
                    Ok(text) => text,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if !gpc {
                            out.push_str(&format!("\n{}: not archived yet", file.display()));
                        }
                        continue;
                    }
                    Err(e) => {
                        changed.push(format!(
                            "{path}: {}: cannot read the archived notice ({e}) [notice-unreadable]",
                            file.display()
                        ));
                        continue;
                    }
                };
                let archived = archived.strip_suffix('\n').unwrap_or(&archived);
                if archived == canonical_text(&c, *lang, gpc) {
                    out.push_str(&format!("\n{}: same text", file.display()));
                } else {
                    changed.push(format!(
                        "{path}: policy_version: the notice text in {} differs from {}, archived for policy {}: receipts of that text could no longer be verified; give the config a new policy_version [notice-changed]",
                        lang.code(),
                        file.display(),
                        c.policy_version
                    ));
                }
            }
        }
        if changed.is_empty() {
            Ok(out)
        } else {
            Err(Failure::Refused(changed))
        }
    }

    /// `--config`, `--cookie` and `--now` of a command about one request.
    fn request(
        args: &[String],
        command: &str,
    ) -> Result<(Config, Option<String>, Timestamp), Failure> {
        let f = flags(args, &["--config", "--cookie", "--now"])?;
        let path = get(&f, "--config")
            .ok_or_else(|| Failure::Usage(format!("{command} needs --config CONFIG.json")))?;
        let config = load(path)?;
        let now = now_from(get(&f, "--now"))?;
        Ok((config, get(&f, "--cookie").map(str::to_owned), now))
    }

    pub(crate) fn csp(args: &[String]) -> Result<String, Failure> {
        let (config, cookie, now) = request(args, "csp")?;
        Ok(policy::csp(&config, cookie.as_deref(), now))
    }

    pub(crate) fn headers(args: &[String]) -> Result<String, Failure> {
        let (config, cookie, now) = request(args, "headers")?;
        Ok(policy::headers(&config, cookie.as_deref(), now)
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    pub(crate) fn nginx(args: &[String]) -> Result<String, Failure> {
        let f = flags(args, &["--config"])?;
        let path = get(&f, "--config")
            .ok_or_else(|| Failure::Usage("nginx needs --config CONFIG.json".into()))?;
        let config = load(path)?;
        Ok(policy::nginx(&config, env!("CARGO_PKG_VERSION")))
    }

    pub(crate) fn notice(args: &[String]) -> Result<String, Failure> {
        let gpc = args.iter().any(|a| a == "--gpc");
        let args: Vec<String> = args.iter().filter(|a| *a != "--gpc").cloned().collect();
        let f = flags(&args, &["--config", "--lang"])?;
        let path = get(&f, "--config")
            .ok_or_else(|| Failure::Usage("notice needs --config CONFIG.json".into()))?;
        let config = load(path)?;
        let lang = match get(&f, "--lang") {
            None => config.languages[0],
            Some(l) => Lang::from_code(l)
                .filter(|l| config.languages.contains(l))
                .ok_or_else(|| {
                    Failure::Usage(format!("--lang \"{l}\" is not a language of this config"))
                })?,
        };
        Ok(canonical_text(&config, lang, gpc))
    }

    pub(crate) fn verify(args: &[String]) -> Result<String, Failure> {
        let (receipt_path, rest) = match args.split_first() {
            Some((p, rest)) if !p.starts_with("--") => (p, rest),
            _ => {
                return Err(Failure::Usage(
                    "verify needs the path of a receipt, then --notices DIR".into(),
                ))
            }
        };
        let f = flags(rest, &["--notices"])?;
        let dir = get(&f, "--notices")
            .ok_or_else(|| Failure::Usage("verify needs --notices DIR".into()))?;
        let text = std::fs::read_to_string(receipt_path)
            .map_err(|e| Failure::Usage(format!("{receipt_path}: cannot read the receipt: {e}")))?;
        let refused = |why: String| Failure::Refused(vec![format!("{receipt_path}: {why}")]);
        let doc: Json =
            serde_json::from_str(&text).map_err(|e| refused(format!("not valid JSON: {e}")))?;
        let receipt = Receipt::from_json(&doc).map_err(refused)?;
        // A decision under Global Privacy Control was shown the notice with its GPC
        // sentence, archived beside the other (`accordctl notice --gpc`).
        let notice_path = std::path::Path::new(dir).join(format!(
            "{}.{}{}.txt",
            receipt.policy_version,
            receipt.language.code(),
            if receipt.gpc { ".gpc" } else { "" }
        ));
        let notice = std::fs::read_to_string(&notice_path).map_err(|e| {
            refused(format!(
                "no notice text for policy {} in {} ({}: {e})",
                receipt.policy_version,
                receipt.language.code(),
                notice_path.display()
            ))
        })?;
        let notice = notice.strip_suffix('\n').unwrap_or(&notice);
        if receipt.matches_notice(notice) {
            Ok(format!(
                "{receipt_path}: valid: record {} ({}, {}), notice of policy {} in {} ({})",
                receipt.record_id,
                receipt.action.code(),
                accord_core::calendar::to_iso(receipt.decided_at),
                receipt.policy_version,
                receipt.language.code(),
                notice_path.display()
            ))
        } else {
            Err(refused(format!(
                "notice_sha256: does not match the notice text of policy {} in {} ({}): the text shown was not this one [notice-hash]",
                receipt.policy_version,
                receipt.language.code(),
                notice_path.display()
            )))
        }
    }

    pub(crate) fn finish(result: Result<String, Failure>, usage: &str) -> ExitCode {
        match result {
            Ok(out) => {
                println!("{out}");
                ExitCode::SUCCESS
            }
            Err(Failure::Refused(lines)) => {
                for l in lines {
                    eprintln!("{l}");
                }
                ExitCode::from(1)
            }
            Err(Failure::Usage(why)) => {
                eprintln!("accordctl: {why}\n{usage}");
                ExitCode::from(2)
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    use cli::Failure;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => match &args[1..] {
            [path] if !path.starts_with("--") => cli::check(path, None),
            [path, flag, dir] if flag == "--notices" && !path.starts_with("--") => {
                cli::check(path, Some(dir))
            }
            [] => Err(Failure::Usage(
                "check needs the path of a config file".into(),
            )),
            _ => Err(Failure::Usage(
                "check takes one config file, then optionally --notices DIR".into(),
            )),
        },
        Some("csp") => cli::csp(&args[1..]),
        Some("headers") => cli::headers(&args[1..]),
        Some("nginx") => cli::nginx(&args[1..]),
        Some("notice") => cli::notice(&args[1..]),
        Some("verify") => cli::verify(&args[1..]),
        Some("scan") => cli::scan(&args[1..]),
        // The JSON Schema (draft 2020-12) of the config, for editors (`"$schema"`).
        Some("schema") if args.len() == 1 => Ok(SCHEMA.trim_end().to_owned()),
        Some("schema") => Err(Failure::Usage("schema takes no argument".into())),
        Some("--version") | Some("-V") => Ok(format!("accordctl {}", env!("CARGO_PKG_VERSION"))),
        Some("--help") | Some("-h") | Some("help") => Ok(USAGE.to_owned()),
        Some(cmd) => Err(Failure::Usage(format!("unknown command \"{cmd}\""))),
        None => Err(Failure::Usage("no command given".into())),
    };
    cli::finish(result, USAGE)
}

#[cfg(target_arch = "wasm32")]
fn main() -> ExitCode {
    ExitCode::from(2)
}
