//! `accord-server`: the consent service an insurer runs behind its own origin.
//!
//! ```text
//! accord-server --config CONFIG.json --listen 127.0.0.1:PORT --database sqlite:PATH
//! ```
//!
//! Each option may also come from the environment (`ACCORD_CONFIG`, `ACCORD_LISTEN`,
//! `ACCORD_DATABASE`); the command line wins. Exit 0 after a clean shutdown (SIGTERM or
//! Ctrl-C), 1 when the config, the database or the notice archive is refused, 2 on a
//! usage error.

use accord_core::config::Config;
use accord_server::http::{router, App};
use accord_server::store::{retention_cutoff, Store};
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str = "usage: accord-server --config CONFIG.json [--listen 127.0.0.1:8090] [--database sqlite:accord-consent.sqlite3 | postgres://USER@HOST/DB] [--retention-years 5]
       accord-server purge [--database …] [--retention-years 5] [--dry-run]
  (or ACCORD_CONFIG, ACCORD_LISTEN, ACCORD_DATABASE, ACCORD_RETENTION_YEARS; ACCORD_EXPORT_TOKEN enables the DPO's export)";

/// How long receipts are kept by default: five years (a consent's proof outlives the
/// consent by the time a claim can still be brought; Didomi keeps proofs as long).
const DEFAULT_RETENTION_YEARS: u32 = 5;

enum Command {
    Serve,
    Purge,
}

struct Options {
    command: Command,
    config: Option<String>,
    listen: String,
    database: String,
    retention_years: u32,
    dry_run: bool,
}

fn options() -> Result<Options, String> {
    use lexopt::prelude::*;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (mut config, mut listen, mut database, mut retention) = (
        env("ACCORD_CONFIG"),
        env("ACCORD_LISTEN"),
        env("ACCORD_DATABASE"),
        env("ACCORD_RETENTION_YEARS"),
    );
    let (mut command, mut dry_run) = (Command::Serve, false);
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let value = |p: &mut lexopt::Parser| -> Result<String, String> {
            p.value()
                .map_err(|e| e.to_string())?
                .into_string()
                .map_err(|_| "an option's value is not UTF-8".to_owned())
        };
        match arg {
            Value(v) if v == "purge" => command = Command::Purge,
            Long("config") => config = Some(value(&mut parser)?),
            Long("listen") => listen = Some(value(&mut parser)?),
            Long("database") => database = Some(value(&mut parser)?),
            Long("retention-years") => retention = Some(value(&mut parser)?),
            Long("dry-run") => dry_run = true,
            Long("help") | Short('h') => return Err(String::new()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let retention_years = match retention {
        None => DEFAULT_RETENTION_YEARS,
        Some(r) => r
            .parse::<u32>()
            .ok()
            .filter(|y| (1..=30).contains(y))
            .ok_or(format!(
                "--retention-years {r}: a whole number of years from 1 to 30"
            ))?,
    };
    if matches!(command, Command::Serve) && config.is_none() {
        return Err("--config is required (or ACCORD_CONFIG)".to_owned());
    }
    Ok(Options {
        command,
        config,
        listen: listen.unwrap_or_else(|| "127.0.0.1:8090".to_owned()),
        database: database.unwrap_or_else(|| "sqlite:accord-consent.sqlite3".to_owned()),
        retention_years,
        dry_run,
    })
}

/// Where a retention of `years` ends, counted back from `now` (ISO 8601).
fn cutoff(now: i64, years: u32) -> String {
    accord_core::calendar::to_iso(retention_cutoff(now, years))
}

/// Deletes the receipts past their retention, and says how many.
async fn purge_once(store: &Store, years: u32, now: i64) -> Result<u64, String> {
    let cutoff = cutoff(now, years);
    let n = store
        .purge(&cutoff)
        .await
        .map_err(|e| format!("purge: {e}"))?;
    eprintln!(
        "{} purged {n} receipt(s) received before {cutoff} (retention {years} years)",
        accord_core::calendar::to_iso(now)
    );
    Ok(n)
}

async fn purge(o: Options) -> Result<(), String> {
    let store = Store::open(&o.database).await?;
    let now = accord_server::store::now();
    if o.dry_run {
        let cutoff = cutoff(now, o.retention_years);
        let n = store
            .count_before(&cutoff)
            .await
            .map_err(|e| format!("purge: {e}"))?;
        eprintln!(
            "would purge {n} receipt(s) received before {cutoff} (retention {} years); nothing deleted",
            o.retention_years
        );
    } else {
        purge_once(&store, o.retention_years, now).await?;
    }
    store.close().await;
    Ok(())
}

fn load(path: &str) -> Result<Config, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--config {path}: cannot read: {e}"))?;
    Config::from_json_str(&text).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("{path}: {e}")).collect();
        lines.join("\n")
    })
}

/// The path receipts are posted to: the config's endpoint when it is a path (or a URL)
/// on this origin, else `/consent-log`.
fn endpoint_path(config: &Config) -> String {
    let e = config.consent_log_endpoint.as_deref().unwrap_or("");
    let path = match e.find("://") {
        Some(i) => e[i + 3..].find('/').map(|j| &e[i + 3 + j..]).unwrap_or("/"),
        None => e,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.starts_with('/') && path.len() > 1 {
        path.to_owned()
    } else {
        "/consent-log".to_owned()
    }
}

async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = term => {},
        _ = tokio::signal::ctrl_c() => {},
    }
}

async fn run(o: Options) -> Result<(), String> {
    let config = load(o.config.as_deref().unwrap_or_default())?;
    let store = Store::open(&o.database).await?;
    let archived = store.archive(&config).await?;
    // The retention: once at start-up, then every day.
    let (daily, years) = (store.clone(), o.retention_years);
    tokio::spawn(async move {
        loop {
            if let Err(e) = purge_once(&daily, years, accord_server::store::now()).await {
                eprintln!("accord-server: {e}");
            }
            tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(&o.listen)
        .await
        .map_err(|e| format!("--listen {}: {e}", o.listen))?;
    let app = Arc::new(App {
        store: store.clone(),
        cookie_name: config.cookie_name.clone(),
        path: endpoint_path(&config),
        // A person reads their receipts now and then: 10 at once, then 30 a minute.
        reads: accord_server::http::RateLimit::new(10, 30),
        // One read per signed-in page view, from every person behind one address (an
        // office, a call centre): generous; an account id cannot be guessed anyway.
        account_reads: accord_server::http::RateLimit::new(120, 1200),
        config: config.clone(),
        export_token: std::env::var("ACCORD_EXPORT_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()),
    });
    eprintln!(
        "accord-server: listening on http://{} (POST {}), {:?} database, {} notices of policy {} archived",
        listener.local_addr().map_err(|e| e.to_string())?,
        app.path,
        store.backend,
        archived.len(),
        config.policy_version
    );
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .map_err(|e| format!("server: {e}"))?;
    store.close().await;
    eprintln!("accord-server: stopped");
    Ok(())
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("accord-server: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("accord-server: {e}");
            return ExitCode::from(1);
        }
    };
    let done = match o.command {
        Command::Serve => rt.block_on(run(o)),
        Command::Purge => rt.block_on(purge(o)),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("accord-server: {e}");
            ExitCode::from(1)
        }
    }
}
