//! `accordctl scan`'s browser half: Debian's Chromium, headless, driven over the
//! Chrome DevTools Protocol (a WebSocket; `tungstenite`, synchronous). No browser is
//! downloaded: the one given (`--chromium`, default `/usr/bin/chromium`) runs in a
//! throw-away profile. Each scenario gets a fresh browser context (no cookies, no
//! storage); every request of every frame and worker is seen (auto-attach).

use crate::scan::{Cookie, Observed, Phase, Request, Scenario, StorageKey};
use serde_json::{json, Value};
use std::io::BufRead;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long a page may take to load.
const LOAD_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the network must stay quiet after a page or a click before reading the jar.
const QUIET: Duration = Duration::from_millis(1500);

/// A running Chromium and its DevTools connection.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Events read while waiting for answers, in order: (session, method, params).
    events: Vec<(Option<String>, String, Value)>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Browser {
    /// Starts `chromium` headless with a fresh profile and connects to it.
    pub fn launch(chromium: &str) -> Result<Browser, String> {
        let profile = std::env::temp_dir().join(format!(
            "accordctl-scan-{}-{}",
            std::process::id(),
            now_secs()
        ));
        std::fs::create_dir_all(&profile).map_err(|e| format!("{}: {e}", profile.display()))?;
        let mut child = Command::new(chromium)
            .args([
                "--headless=new",
                "--remote-debugging-port=0",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-quic",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!("--chromium {chromium}: cannot start it ({e}); install Debian's chromium")
            })?;
        // Chromium prints "DevTools listening on ws://…" on stderr once it listens.
        let stderr = child.stderr.take().ok_or("no stderr from chromium")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(at) = line.find("ws://") {
                    let _ = tx.send(line[at..].trim().to_owned());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| format!("{chromium} did not open its DevTools port within 30 s"))?;
        let rest = url.trim_start_matches("ws://");
        let host = rest.split('/').next().unwrap_or_default().to_owned();
        let stream = TcpStream::connect(&host).map_err(|e| format!("DevTools at {host}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .map_err(|e| e.to_string())?;
        let (ws, _) =
            tungstenite::client(url.as_str(), stream).map_err(|e| format!("DevTools: {e}"))?;
        Ok(Browser {
            child,
            profile,
            ws,
            next_id: 0,
            events: Vec::new(),
        })
    }

    /// Reads one message if one arrives within the socket's timeout: an answer is
    /// returned, an event is kept.
    fn read_one(&mut self) -> Result<Option<Value>, String> {
        match self.ws.read() {
            Ok(Message::Text(t)) => {
                let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
                if v.get("id").is_some() {
                    return Ok(Some(v));
                }
                let session = v["sessionId"].as_str().map(str::to_owned);
                let method = v["method"].as_str().unwrap_or_default().to_owned();
                self.events.push((session, method, v["params"].clone()));
                Ok(None)
            }
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(format!("DevTools connection: {e}")),
        }
    }

    /// Calls `method` (on `session`, or on the browser) and waits for its answer.
    pub fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| format!("DevTools: {e}"))?;
        let deadline = Instant::now() + LOAD_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(answer) = self.read_one()? {
                if answer["id"].as_u64() == Some(id) {
                    if let Some(err) = answer.get("error") {
                        return Err(format!("{method}: {err}"));
                    }
                    return Ok(answer["result"].clone());
                }
            }
        }
        Err(format!(
            "{method}: no answer within {} s",
            LOAD_TIMEOUT.as_secs()
        ))
    }

    /// Reads events until `until` holds for one (true) or `timeout` passes (false).
    fn wait_event(
        &mut self,
        timeout: Duration,
        until: impl Fn(&(Option<String>, String, Value)) -> bool,
    ) -> Result<bool, String> {
        let deadline = Instant::now() + timeout;
        let mut from = 0;
        loop {
            if self.events[from..].iter().any(&until) {
                return Ok(true);
            }
            from = self.events.len();
            if Instant::now() >= deadline {
                return Ok(false);
            }
            self.read_one()?;
        }
    }

    /// Reads events until none arrives for [`QUIET`] (at most 10 s).
    fn settle(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = (self.events.len(), Instant::now());
        while Instant::now() < deadline {
            self.read_one()?;
            if self.events.len() != last.0 {
                last = (self.events.len(), Instant::now());
            } else if last.1.elapsed() >= QUIET {
                break;
            }
        }
        Ok(())
    }
}

/// One scenario's browser context and page.
struct Tab {
    context: String,
    session: String,
}

/// Runs every scenario over `pages` in `browser`, and returns what it saw.
pub fn observe(browser: &mut Browser, pages: &[String]) -> Result<Observed, String> {
    let mut seen = Observed::default();
    for scenario in crate::scan::SCENARIOS {
        let tab = open(browser)?;
        let mut phase = Phase::Before;
        let visit = |browser: &mut Browser,
                     page: &str,
                     phase: Phase,
                     seen: &mut Observed|
         -> Result<(), String> {
            let mark = browser.events.len();
            browser.call(Some(&tab.session), "Page.navigate", json!({"url": page}))?;
            let loaded = browser.wait_event(LOAD_TIMEOUT, |(s, m, _)| {
                s.as_deref() == Some(tab.session.as_str()) && m == "Page.loadEventFired"
            })?;
            if !loaded {
                return Err(format!(
                    "{page} did not load within {} s",
                    LOAD_TIMEOUT.as_secs()
                ));
            }
            browser.settle()?;
            collect(browser, mark, &tab, scenario, page, phase, seen)
        };
        let first = &pages[0];
        visit(browser, first, phase, &mut seen)?;
        let actions: &[(&str, Phase)] = match scenario {
            Scenario::NoAction => &[],
            Scenario::RefuseAll => &[("refuse", Phase::Refused)],
            Scenario::AcceptAll => &[("accept", Phase::Accepted)],
            Scenario::AcceptThenWithdraw => {
                &[("accept", Phase::Accepted), ("withdraw", Phase::Withdrawn)]
            }
        };
        for (action, next) in actions {
            let mark = browser.events.len();
            act(browser, &tab, action)?;
            phase = *next;
            browser.settle()?;
            collect(browser, mark, &tab, scenario, first, phase, &mut seen)?;
        }
        for page in pages.iter().skip(usize::from(actions.is_empty())) {
            visit(browser, page, phase, &mut seen)?;
        }
        browser.call(
            None,
            "Target.disposeBrowserContext",
            json!({"browserContextId": tab.context}),
        )?;
    }
    Ok(seen)
}

/// A fresh browser context with one page, every frame and worker attached.
fn open(browser: &mut Browser) -> Result<Tab, String> {
    let context = browser.call(None, "Target.createBrowserContext", json!({}))?["browserContextId"]
        .as_str()
        .ok_or("no browser context")?
        .to_owned();
    let target = browser.call(
        None,
        "Target.createTarget",
        json!({"url": "about:blank", "browserContextId": context}),
    )?["targetId"]
        .as_str()
        .ok_or("no target")?
        .to_owned();
    let session = browser.call(
        None,
        "Target.attachToTarget",
        json!({"targetId": target, "flatten": true}),
    )?["sessionId"]
        .as_str()
        .ok_or("no session")?
        .to_owned();
    for (m, p) in [
        ("Page.enable", json!({})),
        ("Network.enable", json!({})),
        (
            "Target.setAutoAttach",
            json!({"autoAttach": true, "waitForDebuggerOnStart": false, "flatten": true}),
        ),
    ] {
        browser.call(Some(&session), m, p)?;
    }
    Ok(Tab { context, session })
}

/// Clicks the banner's button (« Tout refuser », « Tout accepter ») or withdraws
/// through `window.Accord`, waiting up to 10 s for the banner.
fn act(browser: &mut Browser, tab: &Tab, action: &str) -> Result<(), String> {
    let script = match action {
        "withdraw" => "(() => { if (!window.Accord || !window.Accord.withdraw) return false; window.Accord.withdraw(); return true; })()".to_owned(),
        _ => {
            let names = if action == "refuse" { "['Tout refuser','Refuse all']" } else { "['Tout accepter','Accept all']" };
            format!("(() => {{ const b = [...document.querySelectorAll('#accord-root button')].find((b) => {names}.includes(b.textContent.trim())); if (!b) return false; b.click(); return true; }})()")
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = browser.call(
            Some(&tab.session),
            "Runtime.evaluate",
            json!({"expression": script, "returnByValue": true}),
        )?;
        if r["result"]["value"] == json!(true) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!("the banner's \"{action}\" could not be used within 10 s (is Accord on the first page?)"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Takes the requests seen since `mark` and reads the jar and the storage.
fn collect(
    browser: &mut Browser,
    mark: usize,
    tab: &Tab,
    scenario: Scenario,
    page: &str,
    phase: Phase,
    seen: &mut Observed,
) -> Result<(), String> {
    let attached: Vec<String> = browser.events[mark..]
        .iter()
        .filter(|(_, m, _)| m == "Target.attachedToTarget")
        .filter_map(|(_, _, p)| p["sessionId"].as_str().map(str::to_owned))
        .collect();
    for s in attached {
        // A frame or worker of another process: its requests from now on.
        let _ = browser.call(Some(&s), "Network.enable", json!({}));
        let _ = browser.call(Some(&s), "Runtime.runIfWaitingForDebugger", json!({}));
    }
    for (_, m, p) in &browser.events[mark..] {
        if m == "Network.requestWillBeSent" {
            if let Some(url) = p["request"]["url"].as_str() {
                if url.starts_with("http") || url.starts_with("ws") {
                    seen.requests.push(Request {
                        scenario,
                        page: page.to_owned(),
                        phase,
                        url: url.to_owned(),
                    });
                }
            }
        }
    }
    let at = now_secs();
    let jar = browser.call(
        None,
        "Storage.getCookies",
        json!({"browserContextId": tab.context}),
    )?;
    for c in jar["cookies"].as_array().into_iter().flatten() {
        let expires = c["expires"]
            .as_f64()
            .filter(|e| *e > 0.0 && !c["session"].as_bool().unwrap_or(false));
        seen.cookies.push(Cookie {
            scenario,
            page: page.to_owned(),
            phase,
            name: c["name"].as_str().unwrap_or_default().to_owned(),
            domain: c["domain"].as_str().unwrap_or_default().to_owned(),
            path: c["path"].as_str().unwrap_or_default().to_owned(),
            expires,
            seen_at: at,
        });
    }
    let keys = browser.call(
        Some(&tab.session),
        "Runtime.evaluate",
        json!({"expression": "JSON.stringify({localStorage: Object.keys(localStorage), sessionStorage: Object.keys(sessionStorage)})", "returnByValue": true}),
    )?;
    let keys: Value = serde_json::from_str(keys["result"]["value"].as_str().unwrap_or("{}"))
        .unwrap_or(Value::Null);
    for area in ["localStorage", "sessionStorage"] {
        for k in keys[area].as_array().into_iter().flatten() {
            if let Some(k) = k.as_str() {
                seen.storage.push(StorageKey {
                    scenario,
                    page: page.to_owned(),
                    phase,
                    area: area.to_owned(),
                    key: k.to_owned(),
                });
            }
        }
    }
    Ok(())
}
