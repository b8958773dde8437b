//! Cookie strings as the page writes them (`document.cookie = "n=v; Max-Age=…"`):
//! parsing, the RFC 6265 date algorithm, and the 13-month clamp from first deposit.

use super::calendar::{
    days_from_civil, days_in_month, thirteen_months_after, to_http_date, Timestamp,
};
use super::record::CLOCK_TOLERANCE;

/// What a cookie write asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieWrite {
    /// The cookie's name.
    pub name: String,
    /// `None`: a session cookie. Max-Age wins over Expires (RFC 6265 §5.3).
    pub expires: Option<Timestamp>,
}

impl CookieWrite {
    /// Parses `name=value; attr; attr=value…`. `None` for a write without a name.
    pub fn parse(s: &str, now: Timestamp) -> Option<CookieWrite> {
        let mut parts = s.split(';');
        let pair = parts.next()?.trim();
        let name = match pair.split_once('=') {
            Some((n, _)) => n.trim(),
            None => "",
        };
        if name.is_empty() {
            return None;
        }
        let mut max_age = None;
        let mut expires = None;
        for attr in parts {
            let (k, v) = attr.split_once('=').unwrap_or((attr, ""));
            let (k, v) = (k.trim(), v.trim());
            if k.eq_ignore_ascii_case("max-age") {
                if let Ok(secs) = v.parse::<i64>() {
                    max_age = Some(if secs <= 0 {
                        i64::MIN / 2
                    } else {
                        now.saturating_add(secs)
                    });
                }
            } else if k.eq_ignore_ascii_case("expires") {
                if let Some(t) = parse_cookie_date(v) {
                    expires = Some(t);
                }
            }
        }
        Some(CookieWrite {
            name: name.to_owned(),
            expires: max_age.or(expires),
        })
    }

    /// A write that deletes the cookie (an expiry already past).
    pub fn is_deletion(&self, now: Timestamp) -> bool {
        self.expires.is_some_and(|e| e <= now)
    }
}

/// The outcome of clamping one write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clamped {
    /// The string to hand to the browser.
    pub text: String,
    /// The expiry the cookie will have (`None`: session).
    pub expires: Option<Timestamp>,
    /// Whether the expiry was shortened.
    pub clamped: bool,
}

/// Clamps `s` so that its cookie dies at most 13 months after `first_deposit`.
/// Session cookies and deletions pass unchanged; a clamped write loses its Max-Age and
/// Expires attributes and gets one absolute `Expires`.
pub fn clamp(s: &str, write: &CookieWrite, first_deposit: Timestamp, now: Timestamp) -> Clamped {
    let cap = thirteen_months_after(first_deposit);
    match write.expires {
        Some(e) if e > cap && !write.is_deletion(now) => {
            let mut text: String = s
                .split(';')
                .filter(|attr| {
                    let k = attr.split('=').next().unwrap_or("").trim();
                    !k.eq_ignore_ascii_case("max-age") && !k.eq_ignore_ascii_case("expires")
                })
                .collect::<Vec<_>>()
                .join(";");
            text.push_str("; Expires=");
            text.push_str(&to_http_date(cap));
            Clamped {
                text,
                expires: Some(cap),
                clamped: true,
            }
        }
        e => Clamped {
            text: s.to_owned(),
            expires: e,
            clamped: false,
        },
    }
}

/// A cookie already in the jar, as `cookieStore` describes it (set by an HTTP response,
/// or by a script before Accord ran).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCookie {
    /// The cookie's name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// `None`: a host-only cookie.
    pub domain: Option<String>,
    /// Its path.
    pub path: String,
    /// `None`: a session cookie.
    pub expires: Option<Timestamp>,
    /// Whether it is `Secure`.
    pub secure: bool,
    /// CHIPS: a partitioned cookie is a different cookie from an unpartitioned one.
    pub partitioned: bool,
    /// `strict`, `lax` or `none`, as `cookieStore` spells them.
    pub same_site: Option<String>,
}

/// The write that brings a stored cookie back to at most 13 months after
/// `first_deposit`, keeping its value, domain, path and flags (so it replaces the same
/// cookie, never adds one). `None` when it already dies in time (or is a session cookie).
pub fn reclamp(c: &StoredCookie, first_deposit: Timestamp) -> Option<(String, Timestamp)> {
    let cap = thirteen_months_after(first_deposit);
    if c.expires? <= cap {
        return None;
    }
    let mut s = format!("{}={}; Path={}", c.name, c.value, c.path);
    if let Some(d) = &c.domain {
        s.push_str(&format!("; Domain={d}"));
    }
    s.push_str(&format!("; Expires={}", to_http_date(cap)));
    if c.secure {
        s.push_str("; Secure");
    }
    if let Some(ss) = c.same_site.as_deref().filter(|v| !v.is_empty()) {
        s.push_str(&format!("; SameSite={ss}"));
    }
    if c.partitioned {
        s.push_str("; Partitioned");
    }
    Some((s, cap))
}

/// The cookie-date algorithm of RFC 6265 §5.1.1: the first time, day of month, month
/// name and year tokens, in any order. `None` when a part is missing or out of range.
pub fn parse_cookie_date(s: &str) -> Option<Timestamp> {
    let delim = |c: char| {
        let b = c as u32;
        b == 0x09
            || (0x20..=0x2F).contains(&b)
            || (0x3B..=0x40).contains(&b)
            || (0x5B..=0x60).contains(&b)
            || (0x7B..=0x7E).contains(&b)
    };
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    for token in s.split(delim).filter(|t| !t.is_empty()) {
        if time.is_none() {
            let hms: Vec<&str> = token.split(':').collect();
            if hms.len() == 3
                && hms
                    .iter()
                    .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            {
                let n: Vec<i64> = hms.iter().map(|p| p.parse().unwrap_or(99)).collect();
                time = Some((n[0], n[1], n[2]));
                continue;
            }
        }
        let digits = token.bytes().take_while(u8::is_ascii_digit).count();
        if day.is_none() && (1..=2).contains(&digits) && digits == token.len() {
            day = token.parse::<u32>().ok();
            continue;
        }
        if month.is_none() && token.len() >= 3 {
            const MONTHS: [&str; 12] = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            // By bytes: a token may be any UTF-8 (`août`), and slicing it by chars at
            // byte 3 panicked (found by fuzzing).
            let prefix = &token.as_bytes()[..3];
            if let Some(i) = MONTHS
                .iter()
                .position(|m| m.as_bytes().eq_ignore_ascii_case(prefix))
            {
                month = Some(i as u32 + 1);
                continue;
            }
        }
        if year.is_none() && (2..=4).contains(&digits) && digits == token.len() {
            year = token.parse::<i64>().ok();
            continue;
        }
    }
    let (h, mi, sec) = time?;
    let (d, mo, mut y) = (day?, month?, year?);
    if (70..=99).contains(&y) {
        y += 1900;
    } else if (0..=69).contains(&y) {
        y += 2000;
    }
    // RFC 6265 §5.1.1 step 5 refuses only day > 31; a date that does not exist (31
    // February) is refused too, rather than rolling over into March.
    if !(1..=31).contains(&d) || y < 1601 || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    if d > days_in_month(y, mo) {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// The first-deposit ledger: when each cookie name was first written on this site.
/// Stored by the browser as text (`1` then one `<unix seconds> <name>` per line, lines
/// separated by `\n` alone, so a name may end in `\r`; a name holding `\n` is never
/// recorded). It lives in `localStorage`, which any script of the site can write: a
/// first deposit dated after `now` (beyond the clock tolerance) is not believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    entries: Vec<(String, Timestamp)>,
}

impl Ledger {
    /// Reads the stored text at `now`; unreadable lines, and first deposits dated in
    /// the future (an entry a page script wrote to switch the clamp off), are skipped: a
    /// damaged ledger only forgets, it never lets a cookie live longer than 13 months
    /// from now.
    pub fn decode(text: &str, now: Timestamp) -> Ledger {
        let mut lines = text.split('\n');
        if lines.next().map(|l| l.trim_end_matches('\r')) != Some("1") {
            return Ledger::default();
        }
        let latest = now.saturating_add(CLOCK_TOLERANCE);
        let entries = lines
            .filter_map(|l| {
                let (ts, name) = l.split_once(' ')?;
                let ts: Timestamp = ts.parse().ok()?;
                // An empty name is a cookie too (`=value`): it is kept like any other,
                // or a page could renew it forever (found by tests/properties.rs).
                (ts <= latest).then(|| (name.to_owned(), ts))
            })
            .collect();
        Ledger { entries }
    }

    /// The text to store: `1`, then one `<unix seconds> <name>` line per cookie.
    pub fn encode(&self) -> String {
        let mut out = String::from("1");
        for (name, ts) in &self.entries {
            out.push('\n');
            out.push_str(&ts.to_string());
            out.push(' ');
            out.push_str(name);
        }
        out
    }

    /// The recorded first deposit of `name`, if any.
    pub fn get(&self, name: &str) -> Option<Timestamp> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
    }

    /// The first deposit of `name`, recording `now` if there is none. A new cycle starts
    /// only once the last one is over (13 months passed) and the cookie is gone from the
    /// jar (`present` false, asked only then: reading the jar is a round trip to the
    /// browser's cookie store): deleting and rewriting a cookie never renews it, and a
    /// cookie still held past its 13 months is written already expired.
    /// Returns it and whether the ledger changed.
    pub fn first_deposit(
        &mut self,
        name: &str,
        now: Timestamp,
        present: impl FnOnce() -> bool,
    ) -> (Timestamp, bool) {
        if name.contains('\n') {
            // Would not survive the stored form; no browser keeps such a cookie anyway
            // (a control character makes it refuse the whole cookie line).
            return (now, false);
        }
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some((_, t)) if now < thirteen_months_after(*t) || present() => (*t, false),
            Some((_, t)) => {
                *t = now;
                (now, true)
            }
            None => {
                self.entries.push((name.to_owned(), now));
                (now, true)
            }
        }
    }

    /// Forgets the cookies whose 13 months are over and that are gone from the jar
    /// (`present` false): their cycle ended, so their next deposit, even one that never
    /// goes through the page (an HTTP response), starts a new one. Returns whether
    /// anything was forgotten.
    pub fn forget_ended(&mut self, now: Timestamp, present: impl Fn(&str) -> bool) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|(n, t)| now < thirteen_months_after(*t) || present(n));
        self.entries.len() != before
    }

    /// How many cookie names are recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no cookie name is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A `cookieStore.set` call as the cookie string `document.cookie` would receive, so that
/// both take the same path (the same answers, the same 13-month clamp): `name=value;
/// path=…[; domain=…][; expires=…][; samesite=…]`, `expires` in milliseconds since the
/// epoch as the API takes it. `None` when a part holds what the API itself refuses
/// (`;`, a control character, `=` in the name) or the date is out of range.
pub fn cookie_store_text(
    name: &str,
    value: &str,
    path: Option<&str>,
    domain: Option<&str>,
    expires_ms: Option<f64>,
    same_site: Option<&str>,
) -> Option<String> {
    let bad = |s: &str| s.contains(';') || s.chars().any(char::is_control);
    if name.is_empty() && value.is_empty()
        || name.contains('=')
        || [
            name,
            value,
            path.unwrap_or(""),
            domain.unwrap_or(""),
            same_site.unwrap_or(""),
        ]
        .iter()
        .any(|s| bad(s))
    {
        return None;
    }
    let mut out = format!("{name}={value}; path={}", path.unwrap_or("/"));
    if let Some(d) = domain.filter(|d| !d.is_empty()) {
        out.push_str(&format!("; domain={d}"));
    }
    if let Some(ms) = expires_ms {
        let secs = (ms / 1000.0).floor();
        if !secs.is_finite() || !(0.0..=super::calendar::LATEST as f64).contains(&secs) {
            return None;
        }
        out.push_str(&format!(
            "; expires={}",
            super::calendar::to_http_date(secs as super::calendar::Timestamp)
        ));
    }
    if let Some(s) = same_site.filter(|s| !s.is_empty()) {
        out.push_str(&format!("; samesite={s}"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::add_months;

    const NOW: Timestamp = 1_795_408_980; // 2026-11-23T04:43:00Z

    #[test]
    fn cookie_dates() {
        let want = Some(1_795_408_980);
        for s in [
            "Mon, 23 Nov 2026 04:43:00 GMT",  // RFC 1123
            "Monday, 23-Nov-26 04:43:00 GMT", // RFC 850
            "Mon Nov 23 04:43:00 2026",       // asctime
            "23 nov 2026 04:43:00",           // lenient order and case
        ] {
            assert_eq!(parse_cookie_date(s), want, "{s}");
        }
        for bad in [
            "",
            "tomorrow",
            "Mon, 32 Nov 2026 04:43:00 GMT",
            "Mon, 23 Nov 2026",
            "23 Nov 2026 25:00:00",
        ] {
            assert_eq!(parse_cookie_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_writes() {
        let w = |s| CookieWrite::parse(s, NOW);
        assert_eq!(w("a=1").unwrap().expires, None, "session cookie");
        assert_eq!(w("a=1; Max-Age=60").unwrap().expires, Some(NOW + 60));
        assert_eq!(
            w("a=1; max-age=60; expires=Mon, 23 Nov 2099 04:43:00 GMT")
                .unwrap()
                .expires,
            Some(NOW + 60),
            "Max-Age wins"
        );
        assert!(w("a=; Max-Age=0").unwrap().is_deletion(NOW));
        assert!(w("a=; expires=Thu, 01 Jan 1970 00:00:00 GMT")
            .unwrap()
            .is_deletion(NOW));
        assert_eq!(w("=novalue"), None);
        assert_eq!(w("justtext"), None);
    }

    #[test]
    fn clamp_table() {
        let two_years = "_adn=x; Max-Age=63072000; Path=/";
        let w = CookieWrite::parse(two_years, NOW).unwrap();
        // First deposit now: dies 13 months from now, one absolute Expires.
        let c = clamp(two_years, &w, NOW, NOW);
        assert!(c.clamped);
        assert_eq!(c.expires, Some(add_months(NOW, 13)));
        assert_eq!(
            c.text,
            format!(
                "_adn=x; Path=/; Expires={}",
                to_http_date(add_months(NOW, 13))
            )
        );
        // Rewritten 7 months later: still the first deposit's cap, never later.
        let later = add_months(NOW, 7);
        let w2 = CookieWrite::parse(two_years, later).unwrap();
        assert_eq!(
            clamp(two_years, &w2, NOW, later).expires,
            Some(add_months(NOW, 13))
        );
        // Short lifetimes, session cookies and deletions pass unchanged.
        for s in ["a=1; Max-Age=3600", "a=1", "a=; Max-Age=0"] {
            let w = CookieWrite::parse(s, NOW).unwrap();
            let c = clamp(s, &w, NOW, NOW);
            assert_eq!((c.text.as_str(), c.clamped), (s, false));
        }
    }

    #[test]
    fn reclamp_table() {
        let cap = add_months(NOW, 13);
        let http = StoredCookie {
            name: "_aud_srv".into(),
            value: "v1".into(),
            domain: None,
            path: "/".into(),
            expires: Some(add_months(NOW, 24)),
            secure: false,
            partitioned: false,
            same_site: Some("lax".into()),
        };
        // A 2-year HTTP cookie: rewritten with the same identity, dying at the cap.
        assert_eq!(
            reclamp(&http, NOW),
            Some((
                format!(
                    "_aud_srv=v1; Path=/; Expires={}; SameSite=lax",
                    to_http_date(cap)
                ),
                cap
            ))
        );
        // Domain, path and Secure are kept, so the write replaces that very cookie.
        let scoped = StoredCookie {
            domain: Some("exemple.fr".into()),
            path: "/espace".into(),
            secure: true,
            partitioned: true,
            same_site: None,
            ..http.clone()
        };
        assert_eq!(
            reclamp(&scoped, NOW).map(|(t, _)| t),
            Some(format!(
                "_aud_srv=v1; Path=/espace; Domain=exemple.fr; Expires={}; Secure; Partitioned",
                to_http_date(cap)
            ))
        );
        // Already in time, exactly at the cap, or a session cookie: nothing to do.
        for expires in [Some(add_months(NOW, 12)), Some(cap), None] {
            let c = StoredCookie {
                expires,
                ..http.clone()
            };
            assert_eq!(reclamp(&c, NOW), None, "expires {expires:?}");
        }
        // First seen 7 months before: the cap is 13 months after that, not after now.
        let seen = NOW - 7 * 30 * 86_400;
        assert_eq!(
            reclamp(&http, seen).map(|(_, c)| c),
            Some(add_months(seen, 13))
        );
    }

    #[test]
    fn ledger_keeps_first_deposit_for_thirteen_months() {
        let mut l = Ledger::default();
        assert_eq!(l.first_deposit("_ga", NOW, || false), (NOW, true));
        assert_eq!(
            l.first_deposit("_ga", add_months(NOW, 12), || true),
            (NOW, false)
        );
        assert_eq!(
            l.first_deposit("_ga", add_months(NOW, 12), || false),
            (NOW, false),
            "deleted and rewritten within 13 months: the same cycle"
        );
        let after = add_months(NOW, 13);
        assert_eq!(
            l.first_deposit("_ga", after, || true),
            (NOW, false),
            "still held past 13 months: no renewal (written already expired)"
        );
        assert_eq!(
            l.first_deposit("_ga", after, || false),
            (after, true),
            "gone after 13 months: a new cycle"
        );
        let text = l.encode();
        assert_eq!(Ledger::decode(&text, after), l);
        assert_eq!(Ledger::decode("garbage", NOW).len(), 0);
        assert_eq!(
            Ledger::decode("1\nnotanumber x\n5 ok", NOW).get("ok"),
            Some(5)
        );
    }

    /// Found by fuzzing: a non-ASCII month token panicked (a byte slice inside a char)
    /// in every `document.cookie` write; 31 February rolled over to 3 March.
    #[test]
    fn cookie_dates_never_panic_and_refuse_missing_days() {
        for s in [
            "12 août 2027 00:00:00 GMT",
            "ßß",
            "é",
            "Mon, 23 Növ 2026 04:43:00 GMT",
            "日本語 23 2026 04:43:00",
        ] {
            assert_eq!(parse_cookie_date(s), None, "{s}");
            let w = CookieWrite::parse(&format!("a=1; expires={s}"), NOW).unwrap();
            assert_eq!(w.expires, None, "{s}");
        }
        for bad in [
            "31 Feb 2027 00:00:00",
            "29 Feb 2027 00:00:00",
            "31 Apr 2027 00:00:00",
        ] {
            assert_eq!(parse_cookie_date(bad), None, "{bad}");
        }
        assert!(
            parse_cookie_date("29 Feb 2028 00:00:00").is_some(),
            "leap day"
        );
        assert!(parse_cookie_date("30 Apr 2027 00:00:00").is_some());
    }

    /// Found by fuzzing: the ledger is in localStorage, which a page script can write; an
    /// entry dated in the future let a 2-year cookie through unclamped.
    #[test]
    fn ledger_does_not_believe_future_deposits() {
        let forged = "1\n253402300799 _adn\n99999999999999999999 _x";
        let mut l = Ledger::decode(forged, NOW);
        assert_eq!(l.get("_adn"), None);
        let (first, _) = l.first_deposit("_adn", NOW, || true);
        assert_eq!(
            first, NOW,
            "a forged entry is forgotten: 13 months from now"
        );
        let two_years = "_adn=x; Max-Age=63072000";
        let w = CookieWrite::parse(two_years, NOW).unwrap();
        assert_eq!(
            clamp(two_years, &w, first, NOW).expires,
            Some(add_months(NOW, 13))
        );
        // Within the clock tolerance an entry is believed (another tab's clock).
        let near = format!("1\n{} _ok", NOW + 3600);
        assert_eq!(Ledger::decode(&near, NOW).get("_ok"), Some(NOW + 3600));
        // Far in the past, or at i64::MIN: believed, and the arithmetic holds.
        let old = format!("1\n{} _old", i64::MIN);
        let mut l = Ledger::decode(&old, NOW);
        assert_eq!(l.first_deposit("_old", NOW, || true), (i64::MIN, false));
        let w = CookieWrite::parse("_old=1; Max-Age=60", NOW).unwrap();
        let c = clamp("_old=1; Max-Age=60", &w, i64::MIN, NOW);
        assert!(c.expires.unwrap() < NOW, "dies at once");
    }

    /// Found by fuzzing: names with a newline or a final `\r` did not round-trip.
    #[test]
    fn ledger_names_round_trip_or_are_refused() {
        let mut l = Ledger::default();
        assert_eq!(l.first_deposit("a\r", NOW, || false), (NOW, true));
        assert_eq!(l.first_deposit("b\rc", NOW, || false), (NOW, true));
        assert_eq!(l.first_deposit("x\ny", NOW, || false), (NOW, false));
        assert_eq!(l.len(), 2, "the name with a newline is refused");
        let back = Ledger::decode(&l.encode(), NOW);
        assert_eq!(back, l);
        assert_eq!(back.get("a\r"), Some(NOW));
        // A ledger written with CRLF line ends (edited by hand) still reads.
        assert_eq!(
            Ledger::decode("1\r\n5 ok", NOW).get("ok"),
            Some(5),
            "first line 1 with CR"
        );
    }

    #[test]
    fn forget_ended_only_when_over_and_gone() {
        let mut l = Ledger::default();
        l.first_deposit("_srv", NOW, || false);
        l.first_deposit("_old", NOW, || false);
        let later = add_months(NOW, 14);
        // Within 13 months nothing ends, present or not.
        assert!(!l.forget_ended(add_months(NOW, 12), |_| false));
        // Over: forgotten only when gone from the jar.
        assert!(l.forget_ended(later, |n| n == "_old"));
        assert_eq!(l.get("_srv"), None, "over and gone: forgotten");
        assert_eq!(
            l.get("_old"),
            Some(NOW),
            "over but still there: the same deposit"
        );
        // A later deposit of a forgotten name starts a new cycle.
        assert_eq!(l.first_deposit("_srv", later, || true), (later, true));
        // One still there keeps its first deposit, so it dies at once when rewritten.
        assert_eq!(l.first_deposit("_old", later, || true), (NOW, false));
    }
}
