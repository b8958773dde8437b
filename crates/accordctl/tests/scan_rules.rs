#![cfg(not(target_arch = "wasm32"))]
//! `accordctl scan`'s judgement as rows (issue 17 item 3): what a browser saw, in which
//! phase, and what it means against the demo config. The browser half is proven end to
//! end by e2e `scan`.

use accord_core::config::Config;
use accordctl::scan::{judge, Cookie, Observed, Phase, Request, Scenario};

const NOW: i64 = 1_796_083_200;
const PAGE: &str = "http://127.0.0.1:8080/";

fn demo() -> Config {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/demo/config.json"
    ))
    .unwrap();
    Config::from_json_str(&text).unwrap()
}

fn request(scenario: Scenario, phase: Phase, url: &str) -> Request {
    Request {
        scenario,
        page: PAGE.into(),
        phase,
        url: url.into(),
    }
}

fn cookie(phase: Phase, name: &str, days: f64) -> Cookie {
    Cookie {
        scenario: Scenario::NoAction,
        page: PAGE.into(),
        phase,
        name: name.into(),
        domain: "127.0.0.1".into(),
        path: "/".into(),
        expires: Some(NOW as f64 + days * 86_400.0),
        seen_at: NOW,
    }
}

#[test]
fn requests_by_phase() {
    let c = demo();
    let ad = "http://127.0.0.1:8082/t/x.gif";
    let audience = "http://127.0.0.1:8081/m.js";
    #[rustfmt::skip]
    let rows: [(&str, Request, usize); 8] = [
        ("advertising before any decision", request(Scenario::NoAction, Phase::Before, ad), 1),
        ("advertising after « Tout refuser »", request(Scenario::RefuseAll, Phase::Refused, ad), 1),
        ("advertising after a withdrawal", request(Scenario::AcceptThenWithdraw, Phase::Withdrawn, ad), 1),
        ("advertising after « Tout accepter »", request(Scenario::AcceptAll, Phase::Accepted, ad), 0),
        ("exempt audience before any decision", request(Scenario::NoAction, Phase::Before, audience), 0),
        ("exempt audience after a refusal", request(Scenario::RefuseAll, Phase::Refused, audience), 0),
        ("the site's own origin", request(Scenario::NoAction, Phase::Before, "http://127.0.0.1:8080/x.js"), 0),
        ("an undeclared host is a finding, not a leak", request(Scenario::NoAction, Phase::Before, "http://127.0.0.1:9999/x"), 0),
    ];
    for (row, q, leaks) in rows {
        let seen = Observed {
            requests: vec![q],
            ..Observed::default()
        };
        let r = judge(&c, &seen, NOW);
        assert_eq!(r.leaks.len(), leaks, "row {row}: {:?}", r.leaks);
    }
    let seen = Observed {
        requests: vec![request(
            Scenario::NoAction,
            Phase::Before,
            "http://127.0.0.1:9999/x",
        )],
        ..Observed::default()
    };
    let r = judge(&c, &seen, NOW);
    assert_eq!(r.findings[0]["kind"], "undeclared-host");
    assert_eq!(r.draft_vendors[0]["hosts"][0], "127.0.0.1:9999");
}

#[test]
fn cookies_by_phase_and_lifetime() {
    let c = demo();
    #[rustfmt::skip]
    let rows: [(&str, Cookie, usize, &[&str]); 7] = [
        ("a pubnet cookie before any decision", cookie(Phase::Before, "_adn", 30.0), 1, &[]),
        ("a pubnet cookie after a withdrawal survives it", cookie(Phase::Withdrawn, "_adn", 30.0), 1, &[]),
        ("a pubnet cookie after consent", cookie(Phase::Accepted, "_adn", 30.0), 0, &[]),
        ("longer than pubnet declares", cookie(Phase::Accepted, "_adn", 395.0), 0, &["lifetime-exceeded"]),
        ("over 13 months and undeclared", cookie(Phase::Before, "site_pref", 730.0), 0, &["over-13-months", "undeclared-cookie"]),
        ("Accord's own record", cookie(Phase::Refused, "accord", 180.0), 0, &[]),
        ("a session cookie of the site is undeclared only", Cookie { expires: None, ..cookie(Phase::Before, "sid", 0.0) }, 0, &["undeclared-cookie"]),
    ];
    for (row, k, leaks, findings) in rows {
        let seen = Observed {
            cookies: vec![k],
            ..Observed::default()
        };
        let r = judge(&c, &seen, NOW);
        assert_eq!(r.leaks.len(), leaks, "row {row}: {:?}", r.leaks);
        let kinds: Vec<&str> = r
            .findings
            .iter()
            .filter_map(|f| f["kind"].as_str())
            .collect();
        assert_eq!(kinds, findings, "row {row}");
    }
}
