//! `accordctl`: the native command line over the core. Argument parsing only.

use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
const USAGE: &str = "usage: accordctl check CONFIG.json
       accordctl --version

  check   validate a config exactly as the widget does; every error on its own line,
          with the field path and the rule. Exit 0: valid, 1: refused, 2: usage error.";

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["check", path] => check(path),
        ["--version"] | ["-V"] => {
            println!("accordctl {}", accord::VERSION);
            ExitCode::SUCCESS
        }
        ["--help"] | ["-h"] | ["help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        [] => usage("no command given"),
        ["check"] => usage("check needs the path of a config file"),
        [cmd, ..] if *cmd == "check" => usage("check takes exactly one config file"),
        [cmd, ..] => usage(&format!("unknown command \"{cmd}\"")),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn usage(why: &str) -> ExitCode {
    eprintln!("accordctl: {why}\n{USAGE}");
    ExitCode::from(2)
}

#[cfg(not(target_arch = "wasm32"))]
fn check(path: &str) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: cannot read the config: {e}");
            return ExitCode::from(2);
        }
    };
    match accord::core::config::Config::from_json_str(&text) {
        Ok(config) => {
            println!(
                "{path}: valid (policy {}, {} purposes, {} vendors)",
                config.policy_version,
                config.purposes.len(),
                config.vendors.len()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{path}: {e}");
            }
            ExitCode::from(1)
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() -> ExitCode {
    ExitCode::from(2)
}
