//! The test harness: the real `accord-server` binary on 127.0.0.1 (port 0), a plain
//! HTTP/1.1 client over a TCP socket, the database read back with sqlx, and receipts
//! built by the core exactly as the widget builds them.
#![allow(dead_code, unreachable_pub)]

use accord_core::calendar::add_months;
use accord_core::config::{Config, Lang};
use accord_core::notice::notice;
use accord_core::receipt::Receipt;
use accord_core::record::{Action, Record};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const CONSENT_LOG: &str = "/consent-log";
pub const POLICY: &str = "2026-11-22";

pub fn demo_config_path() -> String {
    format!("{}/../../www/demo/config.json", env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_config_text() -> String {
    std::fs::read_to_string(demo_config_path()).expect("the demo config")
}

pub fn demo_config() -> Config {
    Config::from_json_str(&demo_config_text()).expect("the demo config is valid")
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh folder under the target dir, removed by nobody (CI runs on a clean clone).
pub fn tempdir() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "accord-server-test-{}-{}-{n}",
        std::process::id(),
        now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A receipt of the demo config, as the widget makes it: a fresh random-looking record
/// id, decided now, kept 6 months.
pub fn receipt(action: Action, lang: Lang, gpc: bool) -> Receipt {
    let config = demo_config();
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let id = format!("{:016x}{:016x}", now() as u64 ^ 0x5eed, n + 1);
    let granted = action == Action::AcceptAll;
    let record = Record {
        record_id: id,
        decided_at: now(),
        expires_at: add_months(now(), 6),
        policy_version: config.policy_version.clone(),
        action,
        purposes: config
            .choosable()
            .map(|p| (p.id.clone(), granted))
            .collect(),
    };
    Receipt::of(&config, &record, lang, "0.1.0", gpc)
}

pub fn notice_hash(lang: Lang, gpc: bool) -> String {
    accord_core::sha256::hex(notice(&demo_config(), lang, gpc).text().as_bytes())
}

/// The database a server uses.
pub struct Db {
    pub url: String,
    pg: Option<Pg>,
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL cluster of one test.
pub struct Pg {
    dir: PathBuf,
    pub port: u16,
}

fn as_postgres(cmd: &str) -> std::process::Output {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n");
    let out = if root.unwrap_or(false) {
        // initdb refuses root: the cluster belongs to Debian's `postgres` user.
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", cmd])
            .output()
    } else {
        Command::new("sh").args(["-c", cmd]).output()
    };
    out.expect("a shell runs")
}

impl Pg {
    fn start() -> Pg {
        let dir = tempdir();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // The cluster's folder belongs to the user that runs it (/tmp itself is
        // world-writable: nothing else changes).
        let _ = Command::new("chown")
            .args(["-R", "postgres", dir.to_str().unwrap()])
            .status();
        let d = dir.display();
        let init = as_postgres(&format!(
            "{PG_BIN}/initdb -D {d}/data -A trust -U postgres -E UTF8 --no-instructions"
        ));
        assert!(
            init.status.success(),
            "initdb failed (is Debian's postgresql-15 installed? scripts/setup.sh installs it): {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let start = as_postgres(&format!(
            "{PG_BIN}/pg_ctl -D {d}/data -l {d}/log -w -o \"-c listen_addresses=127.0.0.1 -p {port} -k {d}\" start"
        ));
        assert!(
            start.status.success(),
            "pg_ctl start failed: {}{}",
            String::from_utf8_lossy(&start.stderr),
            std::fs::read_to_string(dir.join("log")).unwrap_or_default()
        );
        Pg { dir, port }
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        as_postgres(&format!(
            "{PG_BIN}/pg_ctl -D {}/data -m fast -w stop",
            self.dir.display()
        ));
    }
}

impl Db {
    pub fn sqlite() -> Db {
        Db {
            url: format!("sqlite:{}", tempdir().join("consent.sqlite3").display()),
            pg: None,
        }
    }

    /// A private PostgreSQL cluster (Debian's PostgreSQL 15), started for this test on
    /// 127.0.0.1 as the unprivileged `postgres` user, stopped when dropped.
    pub fn postgres() -> Db {
        let pg = Pg::start();
        Db {
            url: format!("postgres://postgres@127.0.0.1:{}/postgres", pg.port),
            pg: Some(pg),
        }
    }

    fn block<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        // A SQLite file the test writes before any server made it is created.
        let url = if self.url.starts_with("sqlite:") {
            format!("{}?mode=rwc", self.url)
        } else {
            self.url.clone()
        };
        sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("the test opens the database")
    }

    /// The rows of one query, read from the database itself.
    fn fetch(&self, sql: &str) -> Vec<sqlx::any::AnyRow> {
        self.block(async {
            let pool = self.pool().await;
            let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        })
    }

    /// Every stored receipt's body, oldest first.
    pub fn bodies(&self) -> Vec<String> {
        use sqlx::Row;
        self.fetch("SELECT body FROM receipts ORDER BY received_us, receipt_id")
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect()
    }

    /// The one number a `SELECT COUNT(…)` gives.
    pub fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        self.fetch(sql)[0].get::<i64, _>(0)
    }

    /// Runs one statement on the database (a test's setup).
    pub fn execute(&self, sql: &str) {
        self.fetch(sql);
    }

    pub fn schema_versions(&self) -> Vec<i64> {
        use sqlx::Row;
        self.fetch("SELECT version FROM accord_schema ORDER BY version")
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .collect()
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stderr: String,
}

pub fn run_server(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord-server"));
    cmd.args(args)
        .env_remove("ACCORD_CONFIG")
        .env_remove("ACCORD_LISTEN")
        .env_remove("ACCORD_DATABASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    Output {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A running server.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(db: &Db) -> Server {
        Server::start_with(db, &demo_config_text())
    }

    pub fn start_with(db: &Db, config: &str) -> Server {
        Server::start_full(db, config, &[])
    }

    /// With these environment variables (`ACCORD_EXPORT_TOKEN`).
    pub fn start_env(db: &Db, env: &[(&str, &str)]) -> Server {
        Server::start_full(db, &demo_config_text(), env)
    }

    pub fn start_full(db: &Db, config: &str, env: &[(&str, &str)]) -> Server {
        let path = tempdir().join("config.json");
        std::fs::write(&path, config).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord-server"));
        cmd.args([
            "--config",
            path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--database", &db.url])
        .env_remove("ACCORD_EXPORT_TOKEN")
        .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("the binary starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let log = Arc::new(Mutex::new(String::new()));
        let mut addr = None;
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            log.lock().unwrap().push_str(&line);
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let backend = if db.url.starts_with("sqlite:") {
                    "Sqlite database"
                } else {
                    "Postgres database"
                };
                assert!(line.contains(backend), "{backend} expected: {line}");
                addr = rest.split_whitespace().next().map(str::to_owned);
                break;
            }
            line.clear();
        }
        let addr = addr.unwrap_or_else(|| {
            let _ = child.kill();
            panic!("the server did not start:\n{}", log.lock().unwrap())
        });
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
            sink.lock().unwrap().push_str(&rest);
        });
        Server {
            child: Some(child),
            addr,
            log,
        }
    }

    /// Starts with `config` and expects the server to refuse to run.
    pub fn refuse(db: &Db, config: &str) -> Output {
        let path = tempdir().join("config.json");
        std::fs::write(&path, config).unwrap();
        run_server(
            &[
                "--config",
                path.to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
                "--database",
                &db.url,
            ],
            &[],
        )
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGTERM, then waits for the exit.
    pub fn terminate(mut self) -> Output {
        let mut child = self.child.take().unwrap();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        Output {
            code: status.code(),
            stderr: self.log.lock().unwrap().clone(),
        }
    }

    /// SIGKILL: no shutdown at all.
    pub fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Res {
        http(&self.addr, method, path, headers, body)
    }

    pub fn post(
        &self,
        path: &str,
        content_type: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut all = vec![("Content-Type", content_type)];
        all.extend_from_slice(headers);
        self.request("POST", path, &all, body)
    }

    pub fn post_receipt(&self, body: &str, cookie: Option<&str>) -> Res {
        match cookie {
            Some(c) => self.post(CONSENT_LOG, "application/json", body, &[("Cookie", c)]),
            None => self.post(CONSENT_LOG, "application/json", body, &[]),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let _ = c.wait();
        }
    }
}

/// An answer.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub set_cookie: Option<String>,
    pub body: String,
}

/// One HTTP/1.1 request on a fresh connection.
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Res {
    try_http(addr, method, path, headers, body).expect("the server answers")
}

pub fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Res> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
    let set_cookie = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.trim().to_owned())
    });
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.eq_ignore_ascii_case("transfer-encoding") && v.trim().eq_ignore_ascii_case("chunked")
        })
    });
    Ok(Res {
        status,
        set_cookie,
        body: if chunked {
            dechunk(body)?
        } else {
            body.to_owned()
        },
    })
}

/// A chunked body (RFC 9112 §7.1), checked: a transfer that stops before its last,
/// empty chunk is an error, never a shorter body.
fn dechunk(mut rest: &str) -> std::io::Result<String> {
    let bad = |why: &str| std::io::Error::other(format!("chunked body: {why}"));
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").ok_or_else(|| bad("no size line"))?;
        let n = usize::from_str_radix(size.trim(), 16).map_err(|_| bad("bad size"))?;
        if n == 0 {
            return Ok(out);
        }
        let chunk = after.get(..n).ok_or_else(|| bad("cut short"))?;
        out.push_str(chunk);
        rest = after.get(n + 2..).ok_or_else(|| bad("cut short"))?;
    }
}
