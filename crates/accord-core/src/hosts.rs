//! Host patterns of the config (`ads.example`, `*.ads.example`, `127.0.0.1:8081`) and
//! the matching the firewall and the CSP share.

use std::fmt;

/// A host, optionally `*.`-prefixed (any subdomain, not the host itself, as in CSP)
/// and optionally with a port (without one, any port matches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPattern {
    /// Written with `*.`: any subdomain of `host`, not `host` itself.
    pub wildcard: bool,
    /// Lowercase host name or IPv4 address, without the `*.`.
    pub host: String,
    /// The port to match; `None`: any port.
    pub port: Option<u16>,
}

impl HostPattern {
    /// Parses a pattern; the error says what is wrong in plain words.
    pub fn parse(raw: &str) -> Result<HostPattern, &'static str> {
        let s = raw.trim();
        if s.contains("://") || s.contains('/') {
            return Err("write the host only, without scheme or path");
        }
        let (wildcard, rest) = match s.strip_prefix("*.") {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => match p.parse::<u16>() {
                Ok(n) if n > 0 => (h, Some(n)),
                _ => return Err("the port must be a number from 1 to 65535"),
            },
            None => (rest, None),
        };
        if host.is_empty() || host.len() > 253 {
            return Err("the host name is empty or too long");
        }
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err("write the host in lowercase");
        }
        for label in host.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err("each part between dots must have 1 to 63 characters");
            }
            if !label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err("only letters, digits, - and . are allowed (use punycode for accents)");
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err("a part may not start or end with -");
            }
        }
        if host.contains('*') {
            return Err("a wildcard is allowed only as a leading *.");
        }
        Ok(HostPattern {
            wildcard,
            host: host.to_owned(),
            port,
        })
    }

    /// Does a request to `host` (lowercase) on `port` match this pattern?
    pub fn matches(&self, host: &str, port: Option<u16>) -> bool {
        let host_ok = if self.wildcard {
            host.len() > self.host.len() + 1
                && host.ends_with(&self.host)
                && host.as_bytes()[host.len() - self.host.len() - 1] == b'.'
        } else {
            host == self.host
        };
        host_ok && (self.port.is_none() || self.port == port)
    }

    /// Is every host this pattern matches `domain` itself or one of its subdomains?
    pub fn within_domain(&self, domain: &str) -> bool {
        self.host == domain || self.host.ends_with(&format!(".{domain}"))
    }

    /// Could one request match both patterns?
    pub fn overlaps(&self, other: &HostPattern) -> bool {
        let ports = self.port.is_none() || other.port.is_none() || self.port == other.port;
        let hosts = match (self.wildcard, other.wildcard) {
            (false, false) => self.host == other.host,
            // `*.ads.example` covers subdomains only, not `ads.example` itself.
            (true, false) => self.matches(&other.host, None),
            (false, true) => other.matches(&self.host, None),
            (true, true) => {
                self.host == other.host
                    || self.matches(&other.host, None)
                    || other.matches(&self.host, None)
            }
        };
        ports && hosts
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            f.write_str("*.")?;
        }
        f.write_str(&self.host)?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// The host (lowercase, IPv6 without brackets) and port (explicit or the scheme's
/// default) of an absolute URL such as the loader sends (`new URL(…).href`).
pub fn url_host_port(url: &str) -> Option<(String, Option<u16>)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        (h, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => match scheme.to_ascii_lowercase().as_str() {
            "https" | "wss" => Some(443),
            "http" | "ws" => Some(80),
            _ => None,
        },
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), port))
}

/// `host`, with its port unless it is a default one (80, 443): how the audit names hosts.
pub fn host_label(host: &str, port: Option<u16>) -> String {
    match port {
        Some(p) if p != 80 && p != 443 => format!("{host}:{p}"),
        _ => host.to_owned(),
    }
}

/// `*` matches any run of characters; everything else is literal. Used for cookie
/// names (`_pk_id.*`) and storage keys.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p = pattern.as_bytes();
    let n = name.as_bytes();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if pi < p.len() && p[pi] == n[ni] {
            pi += 1;
            ni += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// Can one name match both `a` and `b` (each a [`glob_match`] pattern)? `_ga*` and
/// `*_id` can (`_ga_id`); `_ga*` and `_pk*` cannot.
pub fn globs_overlap(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !a.contains(&b'*') && !b.contains(&b'*') {
        return a == b;
    }
    // can[i][j]: the suffixes a[i..] and b[j..] have a name in common; two rows of it
    // (row i needs only row i + 1), so memory stays linear in the names' lengths.
    let mut next = vec![false; b.len() + 1]; // row i + 1
    let mut row = vec![false; b.len() + 1]; // row i
    for i in (0..=a.len()).rev() {
        for j in (0..=b.len()).rev() {
            row[j] = match (a.get(i), b.get(j)) {
                (None, None) => true,
                // A star matches nothing, or one more character of the other side's name.
                (Some(b'*'), other) => next[j] || (other.is_some() && row[j + 1]),
                (other, Some(b'*')) => row[j + 1] || (other.is_some() && next[j]),
                (Some(x), Some(y)) => x == y && next[j + 1],
                _ => false,
            };
        }
        std::mem::swap(&mut row, &mut next);
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok = |s: &str, w: bool, h: &str, port: Option<u16>| {
            assert_eq!(
                HostPattern::parse(s),
                Ok(HostPattern {
                    wildcard: w,
                    host: h.into(),
                    port
                }),
                "{s}"
            );
        };
        ok("ads.example", false, "ads.example", None);
        ok("*.ads.example", true, "ads.example", None);
        ok("127.0.0.1:8081", false, "127.0.0.1", Some(8081));
        ok("localhost", false, "localhost", None);
        for bad in [
            "https://ads.example",
            "ads.example/x",
            "Ads.example",
            "a..b",
            "-a.b",
            "a*.b",
            "a.b:0",
            "a.b:99999",
            "",
            "é.fr",
        ] {
            assert!(HostPattern::parse(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn matching_follows_csp_wildcards() {
        let w = HostPattern::parse("*.ads.example").unwrap();
        assert!(w.matches("x.ads.example", None));
        assert!(w.matches("a.b.ads.example", Some(443)));
        assert!(
            !w.matches("ads.example", None),
            "*.x does not match x itself, as in CSP"
        );
        assert!(!w.matches("badads.example", None));
        let p = HostPattern::parse("127.0.0.1:8081").unwrap();
        assert!(p.matches("127.0.0.1", Some(8081)));
        assert!(!p.matches("127.0.0.1", Some(8082)));
        assert!(HostPattern::parse("ads.example")
            .unwrap()
            .matches("ads.example", Some(8443)));
    }

    #[test]
    fn overlaps() {
        let h = |s| HostPattern::parse(s).unwrap();
        assert!(h("*.ads.example").overlaps(&h("x.ads.example")));
        assert!(h("ads.example").overlaps(&h("ads.example:443")));
        assert!(!h("a.example:1").overlaps(&h("a.example:2")));
        assert!(!h("cdn.example").overlaps(&h("ads.example")));
    }

    #[test]
    fn url_parts() {
        let hp = |u: &str| url_host_port(u);
        assert_eq!(
            hp("http://127.0.0.1:8081/m.js"),
            Some(("127.0.0.1".into(), Some(8081)))
        );
        assert_eq!(
            hp("https://Ads.Example/p?x=1"),
            Some(("ads.example".into(), Some(443)))
        );
        assert_eq!(
            hp("ws://u:p@x.example/s"),
            Some(("x.example".into(), Some(80)))
        );
        assert_eq!(hp("http://[::1]:9000/"), Some(("::1".into(), Some(9000))));
        assert_eq!(
            hp("wss://t.example#f"),
            Some(("t.example".into(), Some(443)))
        );
        assert_eq!(hp("not a url"), None);
        assert_eq!(hp("http://x.example:99999/"), None);
    }

    #[test]
    fn globs_that_overlap() {
        for (a, b, both) in [
            ("_ga*", "*_id", true),
            ("_ga*", "_gac_*", true),
            ("_ga", "_ga", true),
            ("*", "anything", true),
            ("a*c", "ab*", true),
            ("_ga*", "_pk*", false),
            ("*x", "*y", false),
            ("_ga", "_gab", false),
            ("a*b*c", "*d*", true),
            ("a*b", "*c", false),
            ("a*", "b*", false),
            ("a*b*c", "a*d*c", true),
        ] {
            assert_eq!(globs_overlap(a, b), both, "{a} / {b}");
            assert_eq!(globs_overlap(b, a), both, "{b} / {a}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("_pk_id.*", "_pk_id.1.abcd"));
        assert!(glob_match("_ga*", "_ga"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("_pk_id.*", "_pk_ses.1"));
        assert!(!glob_match("_adn", "_adn_px"));
        assert!(glob_match("*", ""));
    }
}
