//! The evidence store: SQLite (one file, nothing to install) or PostgreSQL (several web
//! servers), through one sqlx driver. Versioned migrations run at start-up; receipts
//! are only ever inserted (append-only; `purge` deletes them once their retention has
//! passed, and nothing else does), each in its own committed transaction, so a
//! 2xx answer means the receipt is on disk: SQLite in WAL mode with `synchronous=FULL`
//! (each commit is fsynced), PostgreSQL with its default `synchronous_commit=on`.

use crate::evidence::{Evidence, Notice};
use accord_core::calendar::{to_iso, Timestamp};
use accord_core::config::Config;
use accord_core::notice::notice;
use accord_core::sha256;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::{Executor, Row};

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite:PATH`.
    Sqlite,
    /// `postgres://…` or `postgresql://…`.
    Postgres,
}

/// The schema, one step per version; a step runs once, in its own transaction, and is
/// recorded in `accord_schema`. Append a step to change the schema; never edit one.
pub const MIGRATIONS: &[(i64, &[&str])] = &[
    (
        1,
        &[
            "CREATE TABLE notices (
            policy_version TEXT NOT NULL,
            language TEXT NOT NULL,
            gpc BIGINT NOT NULL,
            notice_sha256 TEXT NOT NULL,
            purposes TEXT NOT NULL,
            text TEXT NOT NULL,
            archived_at TEXT NOT NULL,
            PRIMARY KEY (policy_version, language, gpc)
        )",
            "CREATE TABLE receipts (
            receipt_id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            action TEXT NOT NULL,
            language TEXT NOT NULL,
            gpc BIGINT NOT NULL,
            notice_sha256 TEXT NOT NULL,
            body TEXT NOT NULL
        )",
            "CREATE INDEX receipts_record ON receipts (record_id)",
            "CREATE INDEX receipts_received ON receipts (received_at)",
        ],
    ),
    (
        // The order receipts arrived in, below the second (`received_at` is ISO 8601 to
        // the second): a person's receipts are listed oldest first.
        2,
        &["ALTER TABLE receipts ADD COLUMN received_us BIGINT NOT NULL DEFAULT 0"],
    ),
    (
        // The signed-in account a decision names (CNIL 2025-131): its latest choice is
        // carried to the account's other devices.
        3,
        &[
            "ALTER TABLE receipts ADD COLUMN account TEXT",
            "CREATE INDEX receipts_account ON receipts (account, decided_at)",
        ],
    ),
];

/// The store: a connection pool and its backend.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Which database.
    pub backend: Backend,
}

/// A stored receipt with what proves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// The receipt, as stored (canonical JSON).
    pub body: String,
    /// When the server received it (ISO 8601).
    pub received_at: String,
    /// The notice's hash.
    pub notice_sha256: String,
    /// The exact notice text shown.
    pub notice: String,
}

/// A kept receipt with its notice, and its place in arrival order (columns 4 and 5).
const KEPT: &str = "SELECT r.body, r.received_at, r.notice_sha256, n.text, r.received_us, r.receipt_id FROM receipts r JOIN notices n ON n.policy_version = r.policy_version AND n.language = r.language AND n.gpc = r.gpc";

fn kept(r: &sqlx::any::AnyRow) -> Kept {
    Kept {
        body: r.get(0),
        received_at: r.get(1),
        notice_sha256: r.get(2),
        notice: r.get(3),
    }
}

/// Whether an insert stored a new receipt or found it already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Written now.
    New,
    /// The same receipt was stored before (a retry): nothing written.
    Again,
}

fn backend_of(url: &str) -> Result<Backend, String> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(format!(
            "--database \"{url}\": expected sqlite:PATH or postgres://USER@HOST/DB"
        ))
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            // Created if missing; the file's folder must exist.
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
            }
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Durable at each commit: WAL, every commit fsynced; wait for
                        // a writer rather than fail.
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute("PRAGMA synchronous=FULL").await?;
                        conn.execute("PRAGMA busy_timeout=5000").await?;
                    } else {
                        // Whatever the cluster's default: a commit is on disk.
                        conn.execute("SET synchronous_commit = on").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("--database: cannot open {}: {e}", redact(&url)))?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), String> {
        let fail = |e: sqlx::Error| format!("database migration: {e}");
        self.pool
            .execute(
                "CREATE TABLE IF NOT EXISTS accord_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
            )
            .await
            .map_err(fail)?;
        for (version, steps) in MIGRATIONS {
            let mut tx = self.pool.begin().await.map_err(fail)?;
            // Several servers may start at once: one migrates, the others wait, then see
            // it done (SQLite: a write takes the database's one write lock).
            let lock = match self.backend {
                Backend::Postgres => "LOCK TABLE accord_schema IN ACCESS EXCLUSIVE MODE",
                Backend::Sqlite => "DELETE FROM accord_schema WHERE version < 0",
            };
            tx.execute(lock).await.map_err(fail)?;
            let done = sqlx::query("SELECT version FROM accord_schema WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail)?;
            if done.is_some() {
                continue;
            }
            for step in *steps {
                tx.execute(*step).await.map_err(fail)?;
            }
            sqlx::query("INSERT INTO accord_schema (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(to_iso(now()))
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            tx.commit().await.map_err(fail)?;
        }
        Ok(())
    }

    /// Archives the notice texts of `config`'s policy version, each language, with and
    /// without the GPC note. A text that changed under the same `policy_version` is
    /// refused (the rule of `accordctl check --notices`): receipts already given for
    /// that version would no longer prove what was shown.
    pub async fn archive(&self, config: &Config) -> Result<Vec<Notice>, String> {
        let purposes: Vec<String> = config.choosable().map(|p| p.id.clone()).collect();
        let mut out = Vec::new();
        for lang in &config.languages {
            for gpc in [false, true] {
                let text = notice(config, *lang, gpc).text();
                let n = Notice {
                    policy_version: config.policy_version.clone(),
                    language: lang.code().to_owned(),
                    gpc,
                    purposes: purposes.clone(),
                    sha256: sha256::hex(text.as_bytes()),
                    text,
                };
                // Inserted if absent (another server starting at the same time may
                // just have done it), then compared with what is archived.
                sqlx::query(
                    "INSERT INTO notices (policy_version, language, gpc, notice_sha256, purposes, text, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (policy_version, language, gpc) DO NOTHING",
                )
                .bind(&n.policy_version)
                .bind(&n.language)
                .bind(i64::from(gpc))
                .bind(&n.sha256)
                .bind(n.purposes.join(","))
                .bind(&n.text)
                .bind(to_iso(now()))
                .execute(&self.pool)
                .await
                .map_err(|e| e.to_string())?;
                let archived: String = sqlx::query(
                    "SELECT notice_sha256 FROM notices WHERE policy_version = $1 AND language = $2 AND gpc = $3",
                )
                .bind(&n.policy_version)
                .bind(&n.language)
                .bind(i64::from(gpc))
                .fetch_one(&self.pool)
                .await
                .map_err(|e| e.to_string())?
                .get(0);
                if archived != n.sha256 {
                    return Err(format!(
                        "the notice of policy_version \"{}\" in {}{} changed (archived {archived}, now {}): give the config a new policy_version, so that everyone is asked again and every receipt keeps the text it proves",
                        n.policy_version,
                        n.language,
                        if gpc { " under GPC" } else { "" },
                        n.sha256
                    ));
                }
                out.push(n);
            }
        }
        Ok(out)
    }

    /// Every archived notice of `policy_version`.
    pub async fn notices(&self, policy_version: &str) -> Result<Vec<Notice>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT language, gpc, notice_sha256, purposes, text FROM notices WHERE policy_version = $1",
        )
        .bind(policy_version)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Notice {
                policy_version: policy_version.to_owned(),
                language: r.get(0),
                gpc: r.get::<i64, _>(1) != 0,
                sha256: r.get(2),
                purposes: r
                    .get::<String, _>(3)
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                text: r.get(4),
            })
            .collect())
    }

    /// Stores a receipt, once: `Stored::Again` when the same receipt is already there.
    /// Returns only once the transaction is committed (durable).
    pub async fn insert(
        &self,
        e: &Evidence,
        received_at: Timestamp,
    ) -> Result<Stored, sqlx::Error> {
        let r = &e.receipt;
        let done = sqlx::query(
            "INSERT INTO receipts (receipt_id, record_id, received_at, decided_at, expires_at, policy_version, action, language, gpc, notice_sha256, body, received_us, account) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (receipt_id) DO NOTHING",
        )
        .bind(&e.receipt_id)
        .bind(&r.record_id)
        .bind(to_iso(received_at))
        .bind(to_iso(r.decided_at))
        .bind(to_iso(r.expires_at))
        .bind(&r.policy_version)
        .bind(r.action.code())
        .bind(r.language.code())
        .bind(i64::from(r.gpc))
        .bind(&r.notice_sha256)
        .bind(&e.body)
        .bind(micros())
        .bind(r.account.as_deref())
        .execute(&self.pool)
        .await?;
        Ok(if done.rows_affected() == 1 {
            Stored::New
        } else {
            Stored::Again
        })
    }

    /// The receipts of one record, oldest first, each with the time it was received
    /// and the exact notice text it proves was shown.
    pub async fn of_record(&self, record_id: &str) -> Result<Vec<Kept>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{KEPT} WHERE r.record_id = $1 ORDER BY r.received_us, r.receipt_id"
        ))
        .bind(record_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(kept).collect())
    }

    /// The latest choice of a signed-in `account` (CNIL 2025-131), as the record its
    /// receipt proves: the receipt decided last (received last among equals). `None`
    /// when it has none, or when that latest one has expired at `now`: an older choice
    /// never comes back in its place (a refusal's shorter life must not revive the
    /// consent before it).
    pub async fn latest_of_account(
        &self,
        account: &str,
        now: Timestamp,
    ) -> Result<Option<accord_core::record::Record>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT body, expires_at FROM receipts WHERE account = $1 ORDER BY decided_at DESC, received_us DESC, receipt_id DESC LIMIT 1",
        )
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .filter(|r| r.get::<String, _>(1) > to_iso(now))
            .and_then(|r| {
                let body: String = r.get(0);
                let doc: accord_core::json::Json = serde_json::from_str(&body).ok()?;
                accord_core::receipt::Receipt::from_json(&doc).ok()
            })
            .map(|r| r.record()))
    }

    /// The DPO's export, one page at a time: up to `limit` receipts received at `from`
    /// (ISO 8601) or later, after the one at (`after_us`, `after_id`) in arrival order,
    /// each with its notice text and its place in that order.
    pub async fn page_since(
        &self,
        from: &str,
        (after_us, after_id): (i64, &str),
        limit: i64,
    ) -> Result<Vec<(Kept, i64, String)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{KEPT} WHERE r.received_at >= $1 AND (r.received_us > $2 OR (r.received_us = $3 AND r.receipt_id > $4)) ORDER BY r.received_us, r.receipt_id LIMIT $5"
        ))
        .bind(from)
        .bind(after_us)
        .bind(after_us)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (kept(r), r.get::<i64, _>(4), r.get::<String, _>(5)))
            .collect())
    }

    /// How many receipts were received before `before` (what a purge would delete).
    pub async fn count_before(&self, before: &str) -> Result<i64, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) FROM receipts WHERE received_at < $1")
            .bind(before)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get::<i64, _>(0))
    }

    /// The durability settings of `n` pooled connections held at once (SQLite:
    /// `journal_mode` and `synchronous`, 2 being FULL; PostgreSQL: `synchronous_commit`).
    pub async fn durability(&self, n: usize) -> Result<Vec<String>, sqlx::Error> {
        let mut held = Vec::new();
        let mut out = Vec::new();
        for _ in 0..n {
            let mut conn = self.pool.acquire().await?;
            let queries: &[&str] = match self.backend {
                Backend::Sqlite => &["PRAGMA journal_mode", "PRAGMA synchronous"],
                Backend::Postgres => &["SHOW synchronous_commit"],
            };
            let mut parts = Vec::new();
            for sql in queries {
                let row = sqlx::query(sql).fetch_one(&mut *conn).await?;
                parts.push(
                    row.try_get::<String, _>(0)
                        .or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))?,
                );
            }
            out.push(parts.join(" "));
            held.push(conn);
        }
        Ok(out)
    }

    /// Deletes the receipts received before `before` (ISO 8601): the retention's end.
    /// The only deletion there is; the notice archive is kept (a few texts per policy
    /// version). Returns how many were deleted.
    pub async fn purge(&self, before: &str) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM receipts WHERE received_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Closes the pool (every connection, the SQLite WAL checkpointed).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `url` without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Now, in microseconds since the Unix epoch (the arrival order).
fn micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Now, in Unix seconds.
pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as Timestamp)
        .unwrap_or(0)
}

/// The end of a retention of `years` years counted back from `now` (the same day and
/// time, 29 February becoming 28): receipts received before it are purged.
pub fn retention_cutoff(now: Timestamp, years: u32) -> Timestamp {
    use accord_core::calendar::{civil_from_days, days_from_civil};
    let (days, secs) = (now.div_euclid(86_400), now.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let y = y - i64::from(years);
    let d = if m == 2 && d == 29 { 28 } else { d };
    days_from_civil(y, m, d) * 86_400 + secs
}
