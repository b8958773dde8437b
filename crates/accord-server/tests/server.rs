//! `accord-server` as a black box: the real binary, real HTTP on 127.0.0.1, and the
//! real database read back after each answer: every scenario runs on a SQLite file and
//! on a private PostgreSQL cluster.

mod common;

use accord_core::calendar::{add_months, to_http_date};
use accord_core::config::Lang;
use accord_core::record::{cookie_string, Action};
use common::*;

fn a_receipt_is_stored_once_however_often_it_is_sent(db: &Db) {
    let server = Server::start(db);
    let r = receipt(Action::AcceptAll, Lang::Fr, false);
    let first = server.post_receipt(&r.to_json(), None);
    assert_eq!(first.status, 201, "{first:?}");
    assert!(first.body.contains("\"stored\":\"new\""), "{}", first.body);
    // The widget sends it again on the next page when an answer was lost: one row.
    let again = server.post_receipt(&r.to_json(), None);
    assert_eq!(again.status, 200, "{again:?}");
    assert!(
        again.body.contains("\"stored\":\"again\""),
        "{}",
        again.body
    );
    let stored = db.bodies();
    assert_eq!(stored, vec![r.to_json()], "stored once, byte for byte");
    assert_eq!(
        db.schema_versions(),
        vec![1, 2, 3],
        "the migrations ran, versioned"
    );
}

fn every_kind_of_bad_input_is_refused_with_its_code_and_never_stored(db: &Db) {
    let server = Server::start(db);
    let good = receipt(Action::RefuseAll, Lang::Fr, false).to_json();
    let other_hash = good.replace(&notice_hash(Lang::Fr, false), &"0".repeat(64));
    let fr_hash_as_en = good.replace("\"language\":\"fr\"", "\"language\":\"en\"");
    let gpc_claimed = format!("{},\"gpc\":true}}", &good[..good.len() - 1]);
    let rows: Vec<(&str, String, &str, u16, &str)> = vec![
        (
            "text/plain",
            good.clone(),
            "wrong content type",
            415,
            "ACCORD_RECEIPT_CONTENT_TYPE",
        ),
        (
            "application/json",
            format!("{{\"pad\":\"{}\"}}", "x".repeat(20_000)),
            "too large",
            413,
            "ACCORD_RECEIPT_TOO_LARGE",
        ),
        (
            "application/json",
            "{\"format\":1,".into(),
            "not JSON",
            400,
            "ACCORD_RECEIPT_NOT_JSON",
        ),
        (
            "application/json",
            good.replacen("{", "{\"action\":\"accept_all\",", 1),
            "a key twice",
            400,
            "ACCORD_RECEIPT_NOT_JSON",
        ),
        (
            "application/json",
            "[1,2]".into(),
            "not an object",
            422,
            "ACCORD_RECEIPT_INVALID",
        ),
        (
            "application/json",
            good.replace("\"format\":1", "\"format\":2"),
            "unknown format",
            422,
            "ACCORD_RECEIPT_INVALID",
        ),
        (
            "application/json",
            good.replace("refuse_all", "maybe"),
            "unknown action",
            422,
            "ACCORD_RECEIPT_INVALID",
        ),
        (
            "application/json",
            good.replace(POLICY, "1999-01-01"),
            "unknown policy version",
            422,
            "ACCORD_RECEIPT_POLICY_UNKNOWN",
        ),
        (
            "application/json",
            other_hash,
            "a hash of no archived notice",
            422,
            "ACCORD_RECEIPT_NOTICE_UNKNOWN",
        ),
        (
            "application/json",
            fr_hash_as_en,
            "the French notice's hash for English",
            422,
            "ACCORD_RECEIPT_NOTICE_UNKNOWN",
        ),
        (
            "application/json",
            gpc_claimed,
            "the notice without GPC claimed under GPC",
            422,
            "ACCORD_RECEIPT_NOTICE_UNKNOWN",
        ),
        (
            "application/json",
            good.replace("\"video\":false", "\"cinema\":false"),
            "purposes of another notice",
            422,
            "ACCORD_RECEIPT_PURPOSES",
        ),
        (
            "application/json",
            over_thirteen_months(),
            "a record living over 13 months",
            422,
            "ACCORD_RECEIPT_RECORD",
        ),
        (
            "application/json",
            in_the_future(),
            "a decision dated next year",
            422,
            "ACCORD_RECEIPT_RECORD",
        ),
    ];
    for (ctype, body, what, status, code) in &rows {
        let res = server.post(CONSENT_LOG, ctype, body, &[]);
        assert_eq!(res.status, *status, "{what}: {res:?}");
        assert!(
            res.body.contains(code),
            "{what}: {code} expected in {}",
            res.body
        );
        assert!(res.set_cookie.is_none(), "{what}: no cookie on a refusal");
    }
    assert_eq!(
        db.bodies(),
        Vec::<String>::new(),
        "nothing refused is stored"
    );
    // And the server is still up: a good receipt after all that.
    assert_eq!(server.post_receipt(&good, None).status, 201);
    let wrong_method = server.request("GET", CONSENT_LOG, &[], "");
    assert_eq!(wrong_method.status, 405);
    assert_eq!(server.request("GET", "/nothing", &[], "").status, 404);
}

fn the_answer_sets_the_record_cookie_the_browser_holds_and_no_other(db: &Db) {
    let server = Server::start(db);
    let r = receipt(Action::AcceptAll, Lang::Fr, false);
    let record = r.record();
    let value = record.encode();
    // The browser posts with its record cookie: the same record comes back as a
    // server cookie, with the record's own expiry (Safari keeps it that long).
    let res = server.post_receipt(&r.to_json(), Some(&format!("accord={value}; _other=1")));
    assert_eq!(res.status, 201);
    assert_eq!(
        res.set_cookie.as_deref(),
        Some(cookie_string("accord", &record, false).as_str())
    );
    let sc = res.set_cookie.unwrap();
    assert!(sc.contains(&format!("Expires={}", to_http_date(record.expires_at))));
    assert!(sc.contains("Path=/") && sc.contains("SameSite=Lax"));
    assert!(
        !sc.to_ascii_lowercase().contains("httponly"),
        "the widget reads it"
    );
    assert!(!sc.contains("Secure"), "plain http");
    // Behind an https proxy: Secure.
    let r2 = receipt(Action::RefuseAll, Lang::En, false);
    let res = server.post(
        CONSENT_LOG,
        "application/json",
        &r2.to_json(),
        &[
            ("Cookie", &format!("accord={}", r2.record().encode())),
            ("X-Forwarded-Proto", "https"),
        ],
    );
    assert!(
        res.set_cookie
            .as_deref()
            .is_some_and(|c| c.ends_with("; Secure")),
        "{res:?}"
    );
    // A late retry of an older receipt while the browser holds a newer choice: the
    // newer choice stays (no cookie); without a record cookie, none either.
    let newer = receipt(Action::RefuseAll, Lang::Fr, false);
    let res = server.post_receipt(
        &r.to_json(),
        Some(&format!("accord={}", newer.record().encode())),
    );
    assert_eq!(res.status, 200);
    assert!(res.set_cookie.is_none(), "{res:?}");
    let res = server.post_receipt(&newer.to_json(), None);
    assert!(res.set_cookie.is_none(), "{res:?}");
}

fn a_notice_changed_under_the_same_policy_version_is_refused_at_start(db: &Db) {
    drop(Server::start(db));
    let changed = demo_config_text().replace("Mutuelle", "Mutuelle Nouvelle");
    let out = Server::refuse(db, &changed);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("changed") && out.stderr.contains("new policy_version"),
        "{}",
        out.stderr
    );
    // With a new policy_version it starts, and both versions' notices are archived.
    let bumped = changed.replace(POLICY, "2026-12-04");
    let server = Server::start_with(db, &bumped);
    drop(server);
    assert_eq!(
        db.count("SELECT COUNT(DISTINCT policy_version) FROM notices"),
        2
    );
}

fn sigterm_stops_it_cleanly_and_the_data_stays(db: &Db) {
    let server = Server::start(db);
    let r = receipt(Action::AcceptAll, Lang::Fr, false);
    assert_eq!(server.post_receipt(&r.to_json(), None).status, 201);
    let out = server.terminate();
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("POST /consent-log 201"),
        "one log line per request: {}",
        out.stderr
    );
    assert!(out.stderr.contains("accord-server: stopped"));
    let again = Server::start(db);
    assert_eq!(
        again.post_receipt(&r.to_json(), None).status,
        200,
        "still there after a restart"
    );
}

#[test]
fn bad_command_lines_and_configs_are_named() {
    let out = run_server(&["--config"], &[]);
    assert_eq!(out.code, Some(2), "{out:?}");
    let out = run_server(&["--listen", "127.0.0.1:0"], &[]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("--config is required"),
        "{}",
        out.stderr
    );
    let dir = tempdir();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"policy_version\": 3}").unwrap();
    let db = format!("sqlite:{}", dir.join("x.sqlite3").display());
    let out = run_server(&["--config", bad.to_str().unwrap(), "--database", &db], &[]);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("policy_version"), "{}", out.stderr);
    let out = run_server(
        &["--config", &demo_config_path(), "--database", "mysql://x"],
        &[],
    );
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("expected sqlite:PATH or postgres://"),
        "{}",
        out.stderr
    );
    // The environment names the options too.
    let out = run_server(
        &[],
        &[
            ("ACCORD_CONFIG", bad.to_str().unwrap()),
            ("ACCORD_DATABASE", &db),
        ],
    );
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("policy_version"), "{}", out.stderr);
}

fn a_person_reads_their_receipts_with_the_notice_they_were_shown(db: &Db) {
    let server = Server::start(db);
    let first = receipt(Action::AcceptAll, Lang::Fr, false);
    // The same record, later withdrawn: two receipts of one record id (a withdrawal
    // makes a new record in the widget, but the API lets a page send either).
    let mut second = receipt(Action::RefuseAll, Lang::En, false);
    second.record_id = first.record_id.clone();
    second.notice_sha256 = notice_hash(Lang::En, false);
    assert_eq!(server.post_receipt(&first.to_json(), None).status, 201);
    assert_eq!(server.post_receipt(&second.to_json(), None).status, 201);
    let res = server.request(
        "GET",
        &format!("{CONSENT_LOG}/{}", first.record_id),
        &[],
        "",
    );
    assert_eq!(res.status, 200, "{res:?}");
    let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let list = doc["receipts"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["receipt"]["action"], "accept_all");
    assert_eq!(list[1]["receipt"]["action"], "refuse_all");
    let config = demo_config();
    for (item, lang) in list.iter().zip([Lang::Fr, Lang::En]) {
        let text = accord_core::notice::notice(&config, lang, false).text();
        assert_eq!(
            item["notice"]["text"],
            text.as_str(),
            "the exact text shown, in its language"
        );
        assert_eq!(item["notice"]["sha256"], item["receipt"]["notice_sha256"]);
    }
    let unknown = server.request(
        "GET",
        &format!("{CONSENT_LOG}/{}", "ab".repeat(16)),
        &[],
        "",
    );
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("ACCORD_RECORD_UNKNOWN"));
    let bad = server.request("GET", &format!("{CONSENT_LOG}/not-an-id"), &[], "");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("ACCORD_RECORD_ID"));
    // The log names the route, never the person's record id.
    let log = server.terminate().stderr;
    assert!(log.contains("GET /consent-log/{record_id} 200"), "{log}");
    assert!(
        !log.contains(&first.record_id),
        "a record id in the log:\n{log}"
    );
}

fn every_pooled_connection_is_durable(db: &Db) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = accord_server::store::Store::open(&db.url).await.unwrap();
        let settings = store.durability(3).await.unwrap();
        let want = if db.url.starts_with("sqlite:") {
            "wal 2"
        } else {
            "on"
        };
        assert_eq!(
            settings,
            vec![want; 3],
            "WAL and synchronous=FULL (2), or synchronous_commit=on, on every connection"
        );
        store.close().await;
    });
}

fn reads_are_rate_limited_per_client(db: &Db) {
    let server = Server::start(db);
    let path = format!("{CONSENT_LOG}/{}", "cd".repeat(16));
    // A burst of 10, counted per forwarded client behind the local proxy.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            server
                .request("GET", &path, &[("X-Forwarded-For", "203.0.113.7")], "")
                .status,
        );
    }
    assert_eq!(&statuses[..10], &[404; 10], "{statuses:?}");
    let limited = server.request("GET", &path, &[("X-Forwarded-For", "203.0.113.7")], "");
    assert_eq!(limited.status, 429, "{limited:?}");
    assert!(limited.body.contains("ACCORD_RATE_LIMITED"));
    // Another client is not held back, and receipts are still taken.
    let other = server.request("GET", &path, &[("X-Forwarded-For", "203.0.113.8")], "");
    assert_eq!(other.status, 404);
    let r = receipt(Action::AcceptAll, Lang::Fr, false);
    assert_eq!(server.post_receipt(&r.to_json(), None).status, 201);
}

fn the_dpo_exports_with_a_token_from_the_environment(db: &Db) {
    let token = "s3cret-dpo-token";
    let server = Server::start_env(db, &[("ACCORD_EXPORT_TOKEN", token)]);
    let given = receipt(Action::AcceptAll, Lang::Fr, false);
    let refused = receipt(Action::RefuseAll, Lang::En, true);
    let mut withdrawn = receipt(Action::Withdraw, Lang::Fr, false);
    withdrawn.purposes.iter_mut().for_each(|(_, v)| *v = false);
    for r in [&given, &refused, &withdrawn] {
        assert_eq!(
            server.post_receipt(&r.to_json(), None).status,
            201,
            "{}",
            r.to_json()
        );
    }
    let path = format!("{CONSENT_LOG}/export?since=2026-01-01");
    let auth = format!("Bearer {token}");
    assert_eq!(
        server.request("GET", &path, &[], "").status,
        401,
        "no token"
    );
    assert_eq!(
        server
            .request("GET", &path, &[("Authorization", "Bearer nope")], "")
            .status,
        401,
        "a wrong token"
    );
    let in_url = server.request("GET", &format!("{path}&token={token}"), &[], "");
    assert_eq!(in_url.status, 400);
    assert!(in_url.body.contains("ACCORD_TOKEN_IN_URL"));

    // JSON Lines: each kept receipt, byte for byte, in the order received.
    let res = server.request("GET", &path, &[("Authorization", &auth)], "");
    assert_eq!(res.status, 200, "{res:?}");
    let lines: Vec<serde_json::Value> = res
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, r) in lines.iter().zip([&given, &refused, &withdrawn]) {
        let want: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(line["receipt"], want);
    }

    // One ISO/IEC TS 27560 consent record per receipt, in JSON-LD with DPV.
    let res = server.request(
        "GET",
        &format!("{path}&format=jsonld"),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(res.status, 200, "{res:?}");
    let records: Vec<serde_json::Value> = res
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    let statuses = |rec: &serde_json::Value| -> Vec<String> {
        rec["dct:hasPart"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["@type"].as_str().unwrap().to_owned())
            .collect()
    };
    for rec in &records {
        assert_eq!(rec["@type"], "dpv:ConsentRecord");
        assert_eq!(rec["@context"]["dpv"], "https://w3id.org/dpv#");
        assert_eq!(
            rec["dpv:hasDataController"]["dpv:hasName"],
            demo_config().controller.name.as_str()
        );
    }
    assert_eq!(records[0]["dpv:hasIdentifier"], given.record_id.as_str());
    assert_eq!(
        records[0]["dpv:hasNotice"]["@id"],
        format!("urn:sha256:{}", given.notice_sha256).as_str()
    );
    assert_eq!(
        records[0]["dpv:hasConsentStatus"]["@id"],
        "dpv:ConsentGiven"
    );
    assert!(statuses(&records[0])
        .iter()
        .all(|s| s == "dpv:ConsentGiven"));
    assert_eq!(
        records[0]["dpv:hasIndicationMethod"],
        serde_json::json!(["accept_all"])
    );
    assert_eq!(
        records[1]["dpv:hasConsentStatus"]["@id"],
        "dpv:ConsentRefused"
    );
    assert!(statuses(&records[1])
        .iter()
        .all(|s| s == "dpv:ConsentRefused"));
    assert_eq!(
        records[1]["dpv:hasIndicationMethod"],
        serde_json::json!(["refuse_all", "gpc"])
    );
    assert_eq!(records[1]["dpv:hasNotice"]["dct:language"], "en");
    assert_eq!(
        records[2]["dpv:hasConsentStatus"]["@id"],
        "dpv:ConsentWithdrawn"
    );
    assert_eq!(
        records[0]["dct:valid"]["@value"],
        accord_core::calendar::to_iso(given.expires_at).as_str()
    );

    // Since a later date: nothing.
    let later = server.request(
        "GET",
        &format!("{CONSENT_LOG}/export?since=2999-01-01"),
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!((later.status, later.body.as_str()), (200, ""));
    // Without a token set, there is no export at all.
    drop(server);
    let closed = Server::start(db);
    assert_eq!(
        closed
            .request("GET", &path, &[("Authorization", &auth)], "")
            .status,
        404
    );
}

fn receipts_past_their_retention_are_purged(db: &Db) {
    let server = Server::start(db);
    let fresh = receipt(Action::AcceptAll, Lang::Fr, false);
    assert_eq!(server.post_receipt(&fresh.to_json(), None).status, 201);
    drop(server);
    // Received 4 and 6 years ago, written as the server stores them.
    for (id, years) in [("four", 4), ("six", 6)] {
        let at = accord_core::calendar::to_iso(now() - years * 366 * 86_400);
        db.execute(&format!("INSERT INTO receipts (receipt_id, record_id, received_at, decided_at, expires_at, policy_version, action, language, gpc, notice_sha256, body, received_us) VALUES ('{id}', 'abcdefabcdefabcd', '{at}', '{at}', '{at}', '2019', 'accept_all', 'fr', 0, 'x', '{{}}', 0)"));
    }
    let count = |id: &str| {
        db.count(&format!(
            "SELECT COUNT(*) FROM receipts WHERE receipt_id = '{id}'"
        ))
    };
    let out = run_server(&["purge", "--database", &db.url, "--dry-run"], &[]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stderr.contains("would purge 1 receipt(s)"),
        "{}",
        out.stderr
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM receipts"),
        3,
        "a dry run deletes nothing"
    );
    // Five years by default: only the six-year-old one goes.
    let out = run_server(&["purge", "--database", &db.url], &[]);
    assert!(out.stderr.contains("purged 1 receipt(s)"), "{out:?}");
    assert_eq!((count("six"), count("four")), (0, 1));
    // Three years (from the environment): the four-year-old one goes too, not today's.
    let out = run_server(
        &["purge", "--database", &db.url],
        &[("ACCORD_RETENTION_YEARS", "3")],
    );
    assert!(out.stderr.contains("purged 1 receipt(s)"), "{out:?}");
    assert_eq!(db.bodies(), vec![fresh.to_json()]);
    assert!(
        db.count("SELECT COUNT(*) FROM notices") > 0,
        "the notice archive stays"
    );
    let out = run_server(
        &["purge", "--database", &db.url, "--retention-years", "0"],
        &[],
    );
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("from 1 to 30"), "{}", out.stderr);
}

fn the_server_purges_when_it_starts(db: &Db) {
    // A receipt received in 2019, written as the server would have stored it.
    drop(Server::start(db));
    db.execute("INSERT INTO receipts (receipt_id, record_id, received_at, decided_at, expires_at, policy_version, action, language, gpc, notice_sha256, body, received_us) VALUES ('old', 'abcdefabcdefabcd', '2019-01-01T00:00:00Z', '2019-01-01T00:00:00Z', '2019-07-01T00:00:00Z', '2019', 'accept_all', 'fr', 0, 'x', '{}', 0)");
    let fresh = receipt(Action::RefuseAll, Lang::Fr, false);
    let server = Server::start(db);
    assert_eq!(server.post_receipt(&fresh.to_json(), None).status, 201);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while db.count("SELECT COUNT(*) FROM receipts WHERE receipt_id = 'old'") > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the 2019 receipt is still there"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(db.bodies(), vec![fresh.to_json()], "only the old one went");
    let out = server.terminate();
    assert!(out.stderr.contains("purged 1 receipt(s)"), "{}", out.stderr);
}

fn a_database_of_an_older_schema_is_migrated_and_keeps_its_receipts(db: &Db) {
    // A database left by a server of schema version 1 (before received_us).
    let (v1, steps) = accord_server::store::MIGRATIONS[0];
    assert_eq!(v1, 1);
    db.execute("CREATE TABLE accord_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)");
    for step in steps {
        db.execute(step);
    }
    db.execute(
        "INSERT INTO accord_schema (version, applied_at) VALUES (1, '2026-12-01T00:00:00Z')",
    );
    let old = receipt(Action::AcceptAll, Lang::Fr, false);
    db.execute(&format!(
        "INSERT INTO receipts (receipt_id, record_id, received_at, decided_at, expires_at, policy_version, action, language, gpc, notice_sha256, body) VALUES ('v1', '{}', '{}', '{}', '{}', '{POLICY}', 'accept_all', 'fr', 0, '{}', '{}')",
        old.record_id,
        accord_core::calendar::to_iso(now()),
        accord_core::calendar::to_iso(old.decided_at),
        accord_core::calendar::to_iso(old.expires_at),
        old.notice_sha256,
        old.to_json()
    ));
    let server = Server::start(db);
    assert_eq!(
        db.schema_versions(),
        vec![1, 2, 3],
        "versions 2 and 3 ran, once"
    );
    assert_eq!(db.bodies(), vec![old.to_json()], "the old receipt is kept");
    let res = server.request("GET", &format!("{CONSENT_LOG}/{}", old.record_id), &[], "");
    assert_eq!(res.status, 200, "{res:?}");
    drop(server);
    drop(Server::start(db));
    assert_eq!(db.schema_versions(), vec![1, 2, 3], "nothing runs twice");
}

fn the_export_streams_every_receipt_once_in_order(db: &Db) {
    let token = "another-dpo-token";
    drop(Server::start(db));
    // 1,234 receipts (more than two pages), several of them in the same microsecond.
    let values: Vec<String> = (0..1234)
        .map(|i| {
            format!("('r{i:05}', 'abcdefabcdefabcd', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', '{POLICY}', 'accept_all', 'fr', 0, 'x', '{{\"n\":{i}}}', {})", i / 3)
        })
        .collect();
    db.execute(&format!(
        "INSERT INTO receipts (receipt_id, record_id, received_at, decided_at, expires_at, policy_version, action, language, gpc, notice_sha256, body, received_us) VALUES {}",
        values.join(",")
    ));
    db.execute("UPDATE receipts SET notice_sha256 = (SELECT notice_sha256 FROM notices WHERE language = 'fr' AND gpc = 0) WHERE notice_sha256 = 'x'");
    let server = Server::start_env(db, &[("ACCORD_EXPORT_TOKEN", token)]);
    let res = server.request(
        "GET",
        &format!("{CONSENT_LOG}/export?since=2026-11-30"),
        &[("Authorization", &format!("bearer {token}"))],
        "",
    );
    assert_eq!(res.status, 200, "{}", &res.body[..res.body.len().min(300)]);
    let got: Vec<i64> = res
        .body
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["receipt"]["n"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(
        got,
        (0..1234).collect::<Vec<_>>(),
        "every receipt once, in arrival order"
    );
}

/// Issue 16 item 6 (CNIL 2025-131): a signed-in account's latest decision, whatever
/// the device, is what its other devices are answered; decisions made signed out never
/// count; an expired latest choice is no choice (an older consent never comes back).
fn an_account_gets_its_latest_choice_on_every_device(db: &Db) {
    let token = "s3cret-dpo-token";
    let server = Server::start_env(db, &[("ACCORD_EXPORT_TOKEN", token)]);
    let acct = "k9X2_hJ-0a1b2c3d4e5f6a7b8c9d0e1f";
    let get = |a: &str| server.request("GET", &format!("{CONSENT_LOG}/account/{a}"), &[], "");
    let none = get(acct);
    assert_eq!(none.status, 404, "{none:?}");
    assert!(
        none.body.contains("ACCORD_ACCOUNT_NO_CHOICE"),
        "{}",
        none.body
    );
    // Device A consents, signed in; a signed-out refusal elsewhere is not the account's.
    let mut consent = receipt(Action::AcceptAll, Lang::Fr, false).signed_in(Some(acct));
    consent.decided_at -= 120;
    assert_eq!(server.post_receipt(&consent.to_json(), None).status, 201);
    let anonymous = receipt(Action::RefuseAll, Lang::Fr, false);
    assert_eq!(server.post_receipt(&anonymous.to_json(), None).status, 201);
    let res = get(acct);
    assert_eq!(res.status, 200, "{res:?}");
    let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(
        doc["record"],
        consent.record().encode().as_str(),
        "{}",
        res.body
    );
    assert_eq!(doc["action"], "accept_all");
    // Device B withdraws, signed in: every device of the account is answered that.
    let mut withdrawal = receipt(Action::Withdraw, Lang::En, false).signed_in(Some(acct));
    withdrawal.notice_sha256 = notice_hash(Lang::En, false);
    assert_eq!(server.post_receipt(&withdrawal.to_json(), None).status, 201);
    // The consent's receipt sent again later (a retry) does not make it the latest.
    assert_eq!(server.post_receipt(&consent.to_json(), None).status, 200);
    let doc: serde_json::Value = serde_json::from_str(&get(acct).body).unwrap();
    assert_eq!(doc["record"], withdrawal.record().encode().as_str());
    assert_eq!(doc["action"], "withdraw");
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM receipts WHERE account = '{acct}'"
        )),
        2,
        "the account is stored with its receipts"
    );
    // The DPO's consent records name the account as well as the record for a choice
    // made signed in, and only the record for one made signed out.
    let res = server.request(
        "GET",
        &format!("{CONSENT_LOG}/export?since=2026-01-01&format=jsonld"),
        &[("Authorization", &format!("Bearer {token}"))],
        "",
    );
    assert_eq!(res.status, 200, "{res:?}");
    let subjects: Vec<(String, serde_json::Value)> = res
        .body
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|rec| {
            let id = rec["dpv:hasIdentifier"].as_str().unwrap().to_owned();
            (id, rec["dpv:hasDataSubject"]["dpv:hasIdentifier"].clone())
        })
        .collect();
    let subject = |id: &str| {
        subjects
            .iter()
            .find(|(r, _)| r == id)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("no consent record for {id}: {}", res.body))
    };
    let signed_in = serde_json::json!([consent.record_id, format!("urn:accord:account:{acct}")]);
    assert_eq!(subject(&consent.record_id), signed_in);
    assert_eq!(
        subject(&anonymous.record_id),
        serde_json::json!(anonymous.record_id)
    );
    // Another account sees nothing of this one.
    assert_eq!(get("zzzzzzzzzzzzzzzzzzzzzzzz").status, 404);
    // A malformed identifier is named and never looked up.
    let bad = get("short");
    assert_eq!(bad.status, 400, "{bad:?}");
    assert!(bad.body.contains("ACCORD_ACCOUNT_ID"), "{}", bad.body);
    // A receipt naming a malformed account is refused and never stored.
    let forged = receipt(Action::AcceptAll, Lang::Fr, false)
        .to_json()
        .trim_end_matches('}')
        .to_owned()
        + ",\"account\":\"short\"}";
    let refused = server.post_receipt(&forged, None);
    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        refused.body.contains("ACCORD_RECEIPT_INVALID"),
        "{}",
        refused.body
    );
    // The latest choice expired: no choice, not the older consent still running.
    db.execute(&format!(
        "UPDATE receipts SET expires_at = '2000-01-01T00:00:00Z' WHERE record_id = '{}'",
        withdrawal.record_id
    ));
    assert_eq!(get(acct).status, 404, "an older consent came back");
    // The log names the route, never the account.
    let log = server.terminate().stderr;
    assert!(
        log.contains("GET /consent-log/account/{account} 200"),
        "{log}"
    );
    assert!(!log.contains(acct), "an account in the log:\n{log}");
}

fn in_the_future() -> String {
    let mut r = receipt(Action::AcceptAll, Lang::Fr, false);
    r.decided_at += 366 * 86_400;
    r.expires_at = add_months(r.decided_at, 6);
    r.to_json()
}

fn over_thirteen_months() -> String {
    let mut r = receipt(Action::AcceptAll, Lang::Fr, false);
    r.expires_at = add_months(r.decided_at, 14);
    r.to_json()
}

/// Several clients post receipts in a bounded loop; the server is killed with SIGKILL
/// mid-stream (no shutdown, no flush); after a restart every receipt that got a 2xx is
/// in the database: a 2xx means durable.
fn crash_test(db: &Db) -> (usize, usize) {
    let server = Server::start(db);
    let addr = server.addr.clone();
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (addr, acked, stop) = (addr.clone(), acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                for _ in 0..2_000 {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let body = receipt(Action::AcceptAll, Lang::Fr, false).to_json();
                    let res = try_http(
                        &addr,
                        "POST",
                        CONSENT_LOG,
                        &[("Content-Type", "application/json")],
                        &body,
                    );
                    match res {
                        Ok(r) if r.status == 201 => acked.lock().unwrap().push(body),
                        Ok(r) => panic!("unexpected answer {r:?}"),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Kill it while the clients are writing.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "200 receipts were not acknowledged in 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    server.kill();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acknowledged.lock().unwrap().clone();
    // Restarting runs the migrations again (none to run) and recovers the WAL.
    let again = Server::start(db);
    let stored = db.bodies();
    drop(again);
    let missing: Vec<&String> = acked.iter().filter(|b| !stored.contains(b)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged receipts lost after SIGKILL, e.g. {:?}",
        missing.len(),
        acked.len(),
        missing.first()
    );
    (acked.len(), stored.len())
}

fn every_acknowledged_receipt_survives_a_sigkill(db: &Db) {
    let (acked, stored) = crash_test(db);
    assert!(
        acked >= 200 && stored >= acked,
        "{acked} acknowledged, {stored} stored"
    );
}

// Each scenario against both databases.

#[test]
fn sqlite_a_receipt_is_stored_once_however_often_it_is_sent() {
    a_receipt_is_stored_once_however_often_it_is_sent(&Db::sqlite());
}

#[test]
fn postgres_a_receipt_is_stored_once_however_often_it_is_sent() {
    a_receipt_is_stored_once_however_often_it_is_sent(&Db::postgres());
}

#[test]
fn sqlite_every_kind_of_bad_input_is_refused_with_its_code_and_never_stored() {
    every_kind_of_bad_input_is_refused_with_its_code_and_never_stored(&Db::sqlite());
}

#[test]
fn postgres_every_kind_of_bad_input_is_refused_with_its_code_and_never_stored() {
    every_kind_of_bad_input_is_refused_with_its_code_and_never_stored(&Db::postgres());
}

#[test]
fn sqlite_the_answer_sets_the_record_cookie_the_browser_holds_and_no_other() {
    the_answer_sets_the_record_cookie_the_browser_holds_and_no_other(&Db::sqlite());
}

#[test]
fn postgres_the_answer_sets_the_record_cookie_the_browser_holds_and_no_other() {
    the_answer_sets_the_record_cookie_the_browser_holds_and_no_other(&Db::postgres());
}

#[test]
fn sqlite_a_notice_changed_under_the_same_policy_version_is_refused_at_start() {
    a_notice_changed_under_the_same_policy_version_is_refused_at_start(&Db::sqlite());
}

#[test]
fn postgres_a_notice_changed_under_the_same_policy_version_is_refused_at_start() {
    a_notice_changed_under_the_same_policy_version_is_refused_at_start(&Db::postgres());
}

#[test]
fn sqlite_sigterm_stops_it_cleanly_and_the_data_stays() {
    sigterm_stops_it_cleanly_and_the_data_stays(&Db::sqlite());
}

#[test]
fn postgres_sigterm_stops_it_cleanly_and_the_data_stays() {
    sigterm_stops_it_cleanly_and_the_data_stays(&Db::postgres());
}

#[test]
fn sqlite_every_acknowledged_receipt_survives_a_sigkill() {
    every_acknowledged_receipt_survives_a_sigkill(&Db::sqlite());
}

#[test]
fn postgres_every_acknowledged_receipt_survives_a_sigkill() {
    every_acknowledged_receipt_survives_a_sigkill(&Db::postgres());
}

#[test]
fn sqlite_a_person_reads_their_receipts_with_the_notice_they_were_shown() {
    a_person_reads_their_receipts_with_the_notice_they_were_shown(&Db::sqlite());
}

#[test]
fn postgres_a_person_reads_their_receipts_with_the_notice_they_were_shown() {
    a_person_reads_their_receipts_with_the_notice_they_were_shown(&Db::postgres());
}

#[test]
fn sqlite_reads_are_rate_limited_per_client() {
    reads_are_rate_limited_per_client(&Db::sqlite());
}

#[test]
fn sqlite_the_dpo_exports_with_a_token_from_the_environment() {
    the_dpo_exports_with_a_token_from_the_environment(&Db::sqlite());
}

#[test]
fn postgres_the_dpo_exports_with_a_token_from_the_environment() {
    the_dpo_exports_with_a_token_from_the_environment(&Db::postgres());
}

#[test]
fn sqlite_receipts_past_their_retention_are_purged() {
    receipts_past_their_retention_are_purged(&Db::sqlite());
}

#[test]
fn postgres_receipts_past_their_retention_are_purged() {
    receipts_past_their_retention_are_purged(&Db::postgres());
}

#[test]
fn sqlite_the_server_purges_when_it_starts() {
    the_server_purges_when_it_starts(&Db::sqlite());
}

#[test]
fn postgres_the_server_purges_when_it_starts() {
    the_server_purges_when_it_starts(&Db::postgres());
}

#[test]
fn sqlite_a_database_of_an_older_schema_is_migrated_and_keeps_its_receipts() {
    a_database_of_an_older_schema_is_migrated_and_keeps_its_receipts(&Db::sqlite());
}

#[test]
fn postgres_a_database_of_an_older_schema_is_migrated_and_keeps_its_receipts() {
    a_database_of_an_older_schema_is_migrated_and_keeps_its_receipts(&Db::postgres());
}

#[test]
fn sqlite_every_pooled_connection_is_durable() {
    every_pooled_connection_is_durable(&Db::sqlite());
}

#[test]
fn postgres_every_pooled_connection_is_durable() {
    every_pooled_connection_is_durable(&Db::postgres());
}

#[test]
fn sqlite_the_export_streams_every_receipt_once_in_order() {
    the_export_streams_every_receipt_once_in_order(&Db::sqlite());
}

#[test]
fn postgres_the_export_streams_every_receipt_once_in_order() {
    the_export_streams_every_receipt_once_in_order(&Db::postgres());
}

/// A body cut short (the client closes its side before sending what it announced) is
/// refused as unreadable, not as too large, and nothing is stored.
#[test]
fn a_body_cut_short_is_refused_as_unreadable() {
    use std::io::{Read, Write};
    let db = Db::sqlite();
    let server = Server::start(&db);
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.write_all(b"POST /consent-log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\nConnection: close\r\n\r\n{\"format\":1")
        .unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("ACCORD_RECEIPT_UNREADABLE"), "{answer}");
    assert_eq!(db.bodies(), Vec::<String>::new());
}

#[test]
fn sqlite_an_account_gets_its_latest_choice_on_every_device() {
    an_account_gets_its_latest_choice_on_every_device(&Db::sqlite());
}

#[test]
fn postgres_an_account_gets_its_latest_choice_on_every_device() {
    an_account_gets_its_latest_choice_on_every_device(&Db::postgres());
}
