//! The network addresses named inside a text the page hands to the browser: an iframe's
//! `srcdoc` HTML, a font's `src` descriptor, a peer connection's ICE server URLs, the
//! strings of speculation rules. The loader holds such a text as a whole while any of
//! them belongs to a gated vendor (issue 12, item 6); reading them out is policy, so it
//! lives here rather than in the loader (which only asks).
//!
//! The result is a list of absolute `scheme://host[:port]/…` URLs (relative ones are the
//! page's own origin and are left out). Hosts only matter: paths are kept as found.

/// Which text it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// HTML (an iframe's `srcdoc`): URL attributes and CSS `url()`s, after entity decoding.
    Html,
    /// CSS (a `FontFace` source, a style attribute, a `<style>`'s text, a rule added
    /// through the CSSOM): `url()`s, `@import`s and strings (`image-set("…")`), after
    /// CSS escapes are decoded.
    Css,
    /// ICE server URLs (`stun:host:port`, `turn:user@host?transport=udp`), one per word.
    Ice,
    /// The string leaves of speculation rules (URLs and URL patterns; `*.` dropped).
    Strings,
}

impl TextKind {
    /// The kind the loader's code names (`srcdoc`, `font`/`css`, `ice`, `prefetch`), if any.
    pub fn from_code(s: &str) -> Option<TextKind> {
        match s {
            "srcdoc" => Some(TextKind::Html),
            "font" | "css" => Some(TextKind::Css),
            "ice" => Some(TextKind::Ice),
            "prefetch" => Some(TextKind::Strings),
            _ => None,
        }
    }
}

/// The absolute URLs named in `text`; `scheme` (`http` or `https`) completes
/// scheme-relative ones (`//host/…`).
pub fn urls_in(kind: TextKind, text: &str, scheme: &str) -> Vec<String> {
    let found: Vec<String> = match kind {
        TextKind::Html => {
            let decoded = decode_entities(text);
            let mut out = attribute_values(&decoded);
            out.extend(css_urls(&decoded));
            out
        }
        TextKind::Css => {
            let css = decode_css_escapes(text);
            let mut out: Vec<String> = Vec::new();
            for u in css_urls(&css).into_iter().chain(quoted(&css)) {
                if !out.contains(&u) {
                    out.push(u);
                }
            }
            out
        }
        TextKind::Ice => text
            .split_whitespace()
            .filter_map(|u| {
                let (_, rest) = u.split_once(':')?;
                let rest = rest.trim_start_matches('/');
                let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let host = rest.split(['?', '/']).next().unwrap_or("");
                (!host.is_empty()).then(|| format!("https://{host}/"))
            })
            .collect(),
        TextKind::Strings => text
            .split('\n')
            .map(|s| s.replace("*.", "").replace('*', ""))
            .collect(),
    };
    found
        .into_iter()
        .filter_map(|u| absolute(u.trim(), scheme))
        .collect()
}

/// `u` as an absolute network URL, or `None` (relative: the page's own origin; not a
/// network scheme).
fn absolute(u: &str, scheme: &str) -> Option<String> {
    // As the browser's URL parser reads it: tabs and newlines dropped, leading and
    // trailing spaces and controls trimmed, `\` read as `/` (`\\host`, `https:\\host`),
    // and a network scheme followed by any number of slashes (`https:host` too).
    let u: String = u
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let u = u.trim_matches(|c: char| c <= ' ').replace('\\', "/");
    if let Some(rest) = u.strip_prefix("//") {
        return Some(format!("{scheme}://{}", rest.trim_start_matches('/')));
    }
    let (s, rest) = u.split_once(':')?;
    let s = s.to_ascii_lowercase();
    ["http", "https", "ws", "wss"]
        .contains(&s.as_str())
        .then(|| format!("{s}://{}", rest.trim_start_matches('/')))
}

/// Values of the URL-bearing attributes in HTML (quoted or not). Each `srcset`
/// candidate and `ping` word on its own.
fn attribute_values(html: &str) -> Vec<String> {
    const NAMES: [&str; 8] = [
        "src",
        "href",
        "data",
        "srcset",
        "poster",
        "ping",
        "action",
        "formaction",
    ];
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(eq) = lower[i..].find('=').map(|k| k + i) {
        i = eq + 1;
        // The attribute name just before '=' (spaces allowed around it).
        let before = lower[..eq].trim_end();
        let start = before
            .rfind(|c: char| c.is_whitespace() || c == '<' || c == '"' || c == '\'' || c == '/')
            .map_or(0, |k| {
                k + before[k..].chars().next().map_or(1, char::len_utf8)
            });
        let name = &before[start..];
        if !NAMES.contains(&name) {
            continue;
        }
        let mut j = eq + 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, end) = match bytes.get(j) {
            Some(q @ (b'"' | b'\'')) => {
                let close = lower[j + 1..]
                    .find(*q as char)
                    .map_or(lower.len(), |k| k + j + 1);
                (&html[j + 1..close], close)
            }
            _ => {
                let close = lower[j..]
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .map_or(lower.len(), |k| k + j);
                (&html[j..close], close)
            }
        };
        i = end.max(i);
        match name {
            "srcset" => out.extend(
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_owned),
            ),
            "ping" => out.extend(value.split_whitespace().map(str::to_owned)),
            _ => out.push(value.to_owned()),
        }
    }
    out
}

/// CSS escapes as a browser's tokenizer decodes them: `\` then 1 to 6 hex digits (and
/// one optional whitespace) is that code point; `\` then any other character is that
/// character (`u\72 l(`, `https\3a //`).
pub fn decode_css_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(|h| h.is_ascii_hexdigit()) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
            continue;
        }
        if chars.peek().is_some_and(|w| w.is_whitespace()) {
            chars.next();
        }
        let cp = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
        out.push(
            char::from_u32(cp)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    out
}

/// The targets of CSS `url(…)` (quoted or not), `@import "…"`, and every quoted string
/// (`image-set("…" 1x)`, `src: "…"`): a string that is not a URL is left out later.
fn css_urls(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    for (marker, stop) in [("url(", ")"), ("@import", ";")] {
        let mut i = 0;
        while let Some(k) = lower[i..].find(marker).map(|k| k + i) {
            let from = k + marker.len();
            let to = lower[from..].find(stop).map_or(lower.len(), |e| e + from);
            let v = css[from..to].trim().trim_matches(|c| c == '"' || c == '\'');
            let v = match v.strip_prefix("url(") {
                // `@import url(…) media`: up to its parenthesis
                Some(inner) => inner.split(')').next().unwrap_or(inner),
                None => v,
            }
            .trim_matches(|c| c == '"' || c == '\'');
            out.push(v.trim().to_owned());
            i = to.max(from);
        }
    }
    out
}

/// The quoted strings inside `image-set(…)` (and `-webkit-image-set(…)`), the one place
/// a bare CSS string is an image URL; strings elsewhere (`content: "…"`, attribute
/// selectors) are not requests.
fn quoted(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find("image-set(").map(|k| k + from) {
        let start = k + "image-set(".len();
        // up to the parenthesis that closes image-set( (url(…) may sit inside)
        let mut depth = 1;
        let mut end = css.len();
        for (i, b) in css.bytes().enumerate().skip(start) {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        for quote in ['"', '\''] {
            let mut parts = css[start..end].split(quote);
            parts.next();
            out.extend(parts.step_by(2).map(|p| p.trim().to_owned()));
        }
        from = end.max(start);
    }
    out
}

/// Numeric character references (`&#58;`, `&#x3a;`) and the named ones a URL needs
/// (`&colon;`, `&sol;`, `&period;`, `&amp;`, `&quot;`, `&apos;`, `&lt;`, `&gt;`), as a
/// browser's parser decodes them in attribute values.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let ent = &rest[1..end];
        let c = if let Some(num) = ent.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match ent {
                "colon" => Some(':'),
                "sol" => Some('/'),
                "period" => Some('.'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => None,
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(kind: TextKind, text: &str) -> Vec<String> {
        urls_in(kind, text, "https")
    }

    #[test]
    fn html_attributes_entities_and_css() {
        let html = r#"<p>hi</p><script src="https://ads.example/a.js"></script>
            <img srcset='//cdn.ads.example/1.gif 1x, https://px.example/2.gif 2x' alt=x>
            <a href=/local ping="https://ping.example/p https://ping2.example/q">l</a>
            <iframe src="https&#58;//enc.example/&#x66;"></iframe>
            <img src="https&colon;&sol;&sol;named.example/x">
            <div style="background:url('https://bg.example/b.png')"></div>
            <form action="https://form.example/post"><button formaction=//fa.example/x>b</button></form>
            <img data-src="https://not-an-attribute-we-read.example/">"#;
        assert_eq!(
            urls(TextKind::Html, html),
            vec![
                "https://ads.example/a.js",
                "https://cdn.ads.example/1.gif",
                "https://px.example/2.gif",
                "https://ping.example/p",
                "https://ping2.example/q",
                "https://enc.example/f",
                "https://named.example/x",
                "https://form.example/post",
                "https://fa.example/x",
                "https://bg.example/b.png",
            ]
        );
        // Nothing absolute, odd input: no URL, no panic.
        for odd in [
            "",
            "=",
            "src=",
            "<a src=\"",
            "&#xZZ; &#99999999; &",
            "src\u{3000}=x",
            "日本 src=\"日本\"",
        ] {
            let _ = urls(TextKind::Html, odd);
        }
        assert!(urls(TextKind::Html, "<img src=/a.png><a href='#x'>").is_empty());
    }

    #[test]
    fn css_ice_and_rules() {
        assert_eq!(
            urls(TextKind::Css, "url(https://f.example/a.woff2) format('woff2'), local(Arial), url(\"//g.example/b\")"),
            vec!["https://f.example/a.woff2", "https://g.example/b"]
        );
        assert_eq!(
            urls(
                TextKind::Ice,
                "stun:stun.example:3478 turn:user@turn.example?transport=udp turns:t.example:443"
            ),
            vec![
                "https://stun.example:3478/",
                "https://turn.example/",
                "https://t.example:443/"
            ]
        );
        assert_eq!(
            urls(
                TextKind::Strings,
                "prefetch\nhttps://*.ads.example/*\n/local\n//x.example/p"
            ),
            vec!["https://ads.example/", "https://x.example/p"]
        );
    }

    #[test]
    fn css_escapes_strings_and_image_set() {
        // Issue 12: a style attribute, a <style>'s text, a CSSOM rule. CSS escapes are
        // decoded as the browser's tokenizer does; every quoted string counts.
        for (css, want) in [
            ("background:url(https://ads.example/p.gif)", vec!["https://ads.example/p.gif"]),
            ("background:u\\72 l(https://ads.example/p.gif)", vec!["https://ads.example/p.gif"]),
            ("background:url(https\\3a //ads.example/p.gif)", vec!["https://ads.example/p.gif"]),
            ("background:url(\\68ttps://ads.example/p)", vec!["https://ads.example/p"]),
            ("background-image:image-set(\"https://ads.example/a.png\" 1x, '//b.example/b.png' 2x)",
                vec!["https://ads.example/a.png", "https://b.example/b.png"]),
            ("@import \"https://ads.example/s.css\";", vec!["https://ads.example/s.css"]),
            ("@import url(//ads.example/s.css) screen;", vec!["https://ads.example/s.css"]),
            (".x{background:url(/local.png)} .y{content:\"hello\"}", vec![]),
            // strings outside image-set() are no requests (an attribute selector)
            ("a[href^=\"https://www.facebook.com\"]{color:red}", vec![]),
            // an apostrophe before image-set does not shift the pairing
            ("p{content:\"l'offre\"} .x{background-image:image-set('https://t.example/a.png' 1x)}",
                vec!["https://t.example/a.png"]),
            // the URL parser reads backslashes as slashes and drops tabs and newlines
            ("background:url(\"\\\\\\\\t.example/p.gif\")", vec!["https://t.example/p.gif"]),
            ("background:url(\"ht\\9 tps://t.example/p\")", vec!["https://t.example/p"]),
            ("background:url(https:t.example/p)", vec!["https://t.example/p"]),
            ("cursor:url(\"https://c.example/c.cur\"), auto", vec!["https://c.example/c.cur"]),
        ] {
            assert_eq!(urls(TextKind::Css, css), want, "{css}");
        }
        assert_eq!(
            decode_css_escapes("a\\62 c\\\\d\\0 \\110000e\\"),
            "abc\\d\u{FFFD}\u{FFFD}e"
        );
        assert_eq!(TextKind::from_code("css"), Some(TextKind::Css));
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&#58;b&#x2F;c&colon;&sol;&amp;&unknown;&"),
            "a:b/c:/&&unknown;&"
        );
    }
}
