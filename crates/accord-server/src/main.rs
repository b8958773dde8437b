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
use accord_server::store::Store;
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str = "usage: accord-server --config CONFIG.json [--listen 127.0.0.1:8090] [--database sqlite:accord-consent.sqlite3 | postgres://USER@HOST/DB]
  (or ACCORD_CONFIG, ACCORD_LISTEN, ACCORD_DATABASE)";

struct Options {
    config: String,
    listen: String,
    database: String,
}

fn options() -> Result<Options, String> {
    use lexopt::prelude::*;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (mut config, mut listen, mut database) = (
        env("ACCORD_CONFIG"),
        env("ACCORD_LISTEN"),
        env("ACCORD_DATABASE"),
    );
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let value = |p: &mut lexopt::Parser| -> Result<String, String> {
            p.value()
                .map_err(|e| e.to_string())?
                .into_string()
                .map_err(|_| "an option's value is not UTF-8".to_owned())
        };
        match arg {
            Long("config") => config = Some(value(&mut parser)?),
            Long("listen") => listen = Some(value(&mut parser)?),
            Long("database") => database = Some(value(&mut parser)?),
            Long("help") | Short('h') => return Err(String::new()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Options {
        config: config.ok_or("--config is required (or ACCORD_CONFIG)")?,
        listen: listen.unwrap_or_else(|| "127.0.0.1:8090".to_owned()),
        database: database.unwrap_or_else(|| "sqlite:accord-consent.sqlite3".to_owned()),
    })
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
    let config = load(&o.config)?;
    let store = Store::open(&o.database).await?;
    let archived = store.archive(&config).await?;
    let listener = tokio::net::TcpListener::bind(&o.listen)
        .await
        .map_err(|e| format!("--listen {}: {e}", o.listen))?;
    let app = Arc::new(App {
        store: store.clone(),
        cookie_name: config.cookie_name.clone(),
        path: endpoint_path(&config),
        // A person reads their receipts now and then: 10 at once, then 30 a minute.
        reads: accord_server::http::RateLimit::new(10, 30),
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
    match rt.block_on(run(o)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("accord-server: {e}");
            ExitCode::from(1)
        }
    }
}
