//! The HTTP face: `POST /consent-log` (or the config's `consent_log.endpoint` path)
//! takes a receipt, keeps it as evidence and answers only once it is durable; one log
//! line per request (no IP address, no cookie: the log is not a tracker).

use crate::evidence::{self, judge, read, sets_cookie, Refusal, MAX_BODY};
use crate::store::{now, Store, Stored};
use accord_core::calendar::to_iso;
use accord_core::json::string;
use accord_core::record::cookie_string;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Path};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What every request needs.
pub struct App {
    /// The evidence store.
    pub store: Store,
    /// The record cookie's name (`cookie_name` of the config).
    pub cookie_name: String,
    /// The path receipts are posted to.
    pub path: String,
    /// How often one client may read receipts (`GET {path}/{record_id}`).
    pub reads: RateLimit,
    /// How often one client may read accounts' choices (`GET {path}/account/{id}`).
    pub account_reads: RateLimit,
    /// The config (the export names its controller and purposes).
    pub config: accord_core::config::Config,
    /// The DPO's export token (`ACCORD_EXPORT_TOKEN`); without one, no export endpoint.
    pub export_token: Option<String>,
}

/// A token bucket per client address, in memory only (never logged, never stored):
/// `burst` reads at once, then one every `every` seconds.
pub struct RateLimit {
    burst: f64,
    every: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimit {
    /// `burst` reads at once, then `per_minute` a minute.
    pub fn new(burst: u32, per_minute: u32) -> RateLimit {
        RateLimit {
            burst: f64::from(burst),
            every: 60.0 / f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` to go on, or `Err(seconds)` to wait. An IPv6 client counts by its /64 (one
    /// household or host: rotating addresses inside it gains nothing).
    fn take(&self, who: IpAddr) -> Result<(), u64> {
        let who = match who.to_canonical() {
            IpAddr::V6(v6) => {
                let mut o = v6.octets();
                o[8..].fill(0);
                IpAddr::from(o)
            }
            v4 => v4,
        };
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 10_000 {
            // Forget the clients whose bucket is full again.
            let (burst, every) = (self.burst, self.every);
            buckets.retain(|_, (t, at)| *t + at.elapsed().as_secs_f64() / every < burst);
        }
        let (tokens, at) = buckets.entry(who).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() / self.every).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) * self.every).ceil() as u64)
        }
    }
}

/// The router: the receipt endpoint, the person's read of their record, and a JSON 404
/// for anything else.
pub fn router(app: Arc<App>) -> Router {
    let path = app.path.clone();
    Router::new()
        .route(&path, axum::routing::any(consent_log))
        .route(&format!("{path}/export"), axum::routing::get(export))
        .route(&format!("{path}/{{record_id}}"), axum::routing::get(record))
        .route(
            &format!("{path}/account/{{account}}"),
            axum::routing::get(account),
        )
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "ACCORD_NOT_FOUND",
                "no such endpoint",
            )
        })
        .layer(middleware::from_fn(log))
        .with_state(app)
}

/// One line per request on stderr: time, method, route, status, duration. The route,
/// not the path: a person's record id never reaches the log.
async fn log(req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("(no route)".to_owned(), |m| m.as_str().to_owned());
    let (method, start) = (req.method().clone(), Instant::now());
    let res = next.run(req).await;
    eprintln!(
        "{} {method} {path} {} {:.1}ms",
        to_iso(now()),
        res.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    res
}

fn json(status: StatusCode, body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        format!(
            "{{\"error\":{{\"code\":{},\"message\":{}}}}}",
            string(code),
            string(message)
        ),
    )
}

fn refused(r: &Refusal) -> Response {
    let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST);
    error(status, r.code(), &r.message())
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn consent_log(State(app): State<Arc<App>>, req: Request) -> Response {
    if req.method() != Method::POST {
        let mut res = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ACCORD_METHOD",
            "POST a consent receipt here",
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return res;
    }
    let headers = req.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Read at most one byte past the limit: a larger body is refused, never buffered.
    let body = match to_bytes(req.into_body(), MAX_BODY + 1).await {
        Ok(b) => b,
        Err(e) => {
            let too_large = e.into_inner().is::<http_body_util::LengthLimitError>();
            // Else cut short, or bad framing: nothing to judge, nothing stored.
            return refused(if too_large {
                &Refusal::TooLarge
            } else {
                &Refusal::Unreadable
            });
        }
    };
    let receipt = match read(content_type.as_deref(), &body) {
        Ok(r) => r,
        Err(r) => return refused(&r),
    };
    let notices = match app.store.notices(&receipt.policy_version).await {
        Ok(n) => n,
        Err(e) => return unavailable(&e),
    };
    let evidence = match judge(receipt, &notices, now()) {
        Ok(e) => e,
        Err(r) => return refused(&r),
    };
    let received = now();
    let stored = match app.store.insert(&evidence, received).await {
        Ok(s) => s,
        Err(e) => return unavailable(&e),
    };
    let mut res = json(
        if stored == Stored::New {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        format!(
            "{{\"receipt_id\":{},\"stored\":{}}}",
            string(&evidence.receipt_id),
            string(if stored == Stored::New {
                "new"
            } else {
                "again"
            })
        ),
    );
    set_record(&app, &headers, &evidence, received, &mut res);
    res
}

/// The record cookie, set by the server (so Safari keeps it for its whole lifetime): the
/// same value the browser wrote, the same expiry, only for the record it holds now.
fn set_record(
    app: &App,
    headers: &HeaderMap,
    evidence: &evidence::Evidence,
    now: accord_core::calendar::Timestamp,
    res: &mut Response,
) {
    let held = cookie(headers, &app.cookie_name);
    if !sets_cookie(evidence, held.as_deref(), now) {
        return;
    }
    // Behind the insurer's proxy: `X-Forwarded-Proto: https` says the page is https.
    let secure = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    if let Ok(v) = HeaderValue::from_str(&cookie_string(&app.cookie_name, &evidence.record, secure))
    {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// The database could not be read or written: nothing was stored, the widget keeps the
/// receipt and sends it again on the next page.
fn unavailable(e: &sqlx::Error) -> Response {
    eprintln!("{} database error: {e}", to_iso(now()));
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "ACCORD_STORE_UNAVAILABLE",
        "the receipt could not be stored now; send it again later",
    )
}

/// The client a read counts against: the peer, or, when the peer is the site's own
/// proxy on this machine, the address it forwards (`X-Forwarded-For`'s first entry).
fn client(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let forwarded = || {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    };
    if peer.ip().to_canonical().is_loopback() {
        forwarded().unwrap_or(peer.ip())
    } else {
        peer.ip()
    }
}

/// `GET {path}/{record_id}`: the person's own receipts (they hold the record id in their
/// record cookie), each with the exact notice text it proves was shown. Rate-limited
/// per client; a record id is 16 to 64 hex digits.
async fn record(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(record_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(res) = limited(&app.reads, peer, &headers) {
        return res;
    }
    let valid =
        (16..=64).contains(&record_id.len()) && record_id.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return error(
            StatusCode::BAD_REQUEST,
            "ACCORD_RECORD_ID",
            "a record id is 16 to 64 hex digits",
        );
    }
    let kept = match app.store.of_record(&record_id.to_ascii_lowercase()).await {
        Ok(k) => k,
        Err(e) => return unavailable(&e),
    };
    if kept.is_empty() {
        return error(
            StatusCode::NOT_FOUND,
            "ACCORD_RECORD_UNKNOWN",
            "no receipt of this record is kept here",
        );
    }
    let items: Vec<String> = kept
        .iter()
        .map(|k| {
            format!(
                "{{\"receipt\":{},\"received_at\":{},\"notice\":{{\"sha256\":{},\"text\":{}}}}}",
                k.body,
                string(&k.received_at),
                string(&k.notice_sha256),
                string(&k.notice)
            )
        })
        .collect();
    json(
        StatusCode::OK,
        format!(
            "{{\"record_id\":{},\"receipts\":[{}]}}",
            string(&record_id.to_ascii_lowercase()),
            items.join(",")
        ),
    )
}

/// Too many reads from this client: 429 with `Retry-After`.
fn limited(limit: &RateLimit, peer: SocketAddr, headers: &HeaderMap) -> Option<Response> {
    let wait = limit.take(client(peer, headers)).err()?;
    let mut res = error(
        StatusCode::TOO_MANY_REQUESTS,
        "ACCORD_RATE_LIMITED",
        "too many reads from this address: try again later",
    );
    if let Ok(v) = HeaderValue::from_str(&wait.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Some(res)
}

/// `GET {path}/account/{account}`: a signed-in account's latest choice, as the record
/// cookie value its receipt proves (CNIL 2025-131: a refusal or a withdrawal made on
/// one device reaches the account's other devices, with the same scope as a consent).
/// The widget asks it on signed-in pages only and never writes it to the device's
/// record cookie. The identifier is an opaque hash the site computes, in the page of
/// the signed-in person only; reads are rate-limited per client, more generously
/// than a record's (one per signed-in page view).
async fn account(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(account): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(res) = limited(&app.account_reads, peer, &headers) {
        return res;
    }
    if !accord_core::account::valid_account(&account) {
        return error(
            StatusCode::BAD_REQUEST,
            "ACCORD_ACCOUNT_ID",
            &format!("an account is {}", accord_core::account::ACCOUNT_RULE),
        );
    }
    match app.store.latest_of_account(&account, now()).await {
        Err(e) => unavailable(&e),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "ACCORD_ACCOUNT_NO_CHOICE",
            "no current choice of this account is kept here",
        ),
        Ok(Some(r)) => json(
            StatusCode::OK,
            format!(
                "{{\"record\":{},\"decided_at\":{},\"expires_at\":{},\"action\":{}}}",
                string(&r.encode()),
                string(&to_iso(r.decided_at)),
                string(&to_iso(r.expires_at)),
                string(r.action.code())
            ),
        ),
    }
}

/// Equal, in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// `GET {path}/export?since=DATE[&format=jsonld]`: the DPO's export (JSON Lines, or one
/// ISO/IEC TS 27560 consent record in JSON-LD per line), for `Authorization: Bearer
/// <ACCORD_EXPORT_TOKEN>` only. A token in the address is refused: addresses end up in
/// logs and browser histories.
async fn export(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let Some(token) = app.export_token.as_deref() else {
        return error(
            StatusCode::NOT_FOUND,
            "ACCORD_NOT_FOUND",
            "no such endpoint (set ACCORD_EXPORT_TOKEN to export)",
        );
    };
    let params: Vec<(String, String)> = query
        .unwrap_or_default()
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%3A", ":").replace("%3a", ":")))
        .collect();
    let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if param("token").is_some() || param("access_token").is_some() {
        return error(
            StatusCode::BAD_REQUEST,
            "ACCORD_TOKEN_IN_URL",
            "send the token in the Authorization header, never in the address",
        );
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, t)| t.trim());
    // Digests compared in constant time: neither the content nor the length leaks.
    let digest = |t: &str| accord_core::sha256::digest(t.as_bytes());
    if !same(&digest(given), &digest(token)) {
        let mut res = error(
            StatusCode::UNAUTHORIZED,
            "ACCORD_UNAUTHORIZED",
            "the export needs the DPO's token (Authorization: Bearer …)",
        );
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return res;
    }
    let from = match crate::export::since(&param("since").unwrap_or_else(|| "1970-01-01".into())) {
        Ok(f) => f,
        Err(e) => return error(StatusCode::BAD_REQUEST, "ACCORD_EXPORT_SINCE", &e),
    };
    let ld = match param("format").as_deref() {
        None | Some("jsonl") => false,
        Some("jsonld") => true,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "ACCORD_EXPORT_FORMAT",
                "format is jsonl or jsonld",
            )
        }
    };
    // Streamed a page at a time: five years of receipts never sit in memory at once.
    // A database error mid-way aborts the transfer (the DPO's client sees it
    // incomplete), never a silently shorter file.
    const PAGE: i64 = 500;
    let state = Some((app.clone(), from, 0i64, String::new()));
    let pages = futures_util::stream::unfold(state, move |state| async move {
        let (app, from, us, id) = state?;
        match app.store.page_since(&from, (us, &id), PAGE).await {
            Err(e) => {
                eprintln!("{} export: database error: {e}", to_iso(now()));
                Some((Err(std::io::Error::other(e.to_string())), None))
            }
            Ok(page) if page.is_empty() => None,
            Ok(page) => {
                let now = now();
                let mut text = String::new();
                for (k, _, _) in &page {
                    let line = if ld {
                        match crate::export::jsonld(k, &app.config, now) {
                            Some(l) => l,
                            None => {
                                eprintln!(
                                    "{} export: a stored receipt does not read back: skipped",
                                    to_iso(now)
                                );
                                continue;
                            }
                        }
                    } else {
                        crate::export::jsonl(k)
                    };
                    text.push_str(&line);
                    text.push('\n');
                }
                let (_, us, id) = page.last().cloned()?;
                Some((Ok(text), Some((app, from, us, id))))
            }
        }
    });
    let mut res = Response::new(Body::from_stream(pages));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if ld {
            "application/ld+json"
        } else {
            "application/jsonl"
        }),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
