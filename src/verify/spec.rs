//! A liveness check or a revocation, as `detectors.toml` describes it (`[detector.verify]`,
//! `[detector.revoke]`): one HTTPS request to the issuer with the secret substituted, and what
//! the answer means.
//!
//! The request's host is fixed by the data, before any substitution: a secret is substituted
//! into headers, the body and (percent-encoded) the path or query only, so whatever it holds it
//! cannot send itself to another host. Every check is validated when it is loaded.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[detector.verify]` / `[detector.revoke]` as written.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct CheckSyntax {
    /// `METHOD https://host/path?query`, with `{secret}` (and `{pair}`) where they go.
    pub request: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The request body, with `{secret}` / `{pair}` substituted.
    pub body: Option<String>,
    /// HTTP basic credentials `user:password`, with `{secret}` / `{pair}` substituted.
    pub basic: Option<String>,
    /// A signature scheme the request needs (`aws-sigv4`: `{pair}` is the access key id and
    /// `{secret}` the secret access key).
    pub sign: Option<String>,
    /// The detector whose finding, nearest in the same file, fills `{pair}` (an AWS access key
    /// id for its secret, a Twilio account SID for its auth token).
    pub pair: Option<String>,
    /// What a live (verify) or successful (revoke) answer looks like.
    pub live: Option<AnswerSyntax>,
    /// What an answer for a revoked, expired or unknown credential looks like (verify only).
    pub invalid: Option<AnswerSyntax>,
    /// For a revocation: what it does and to whom, as `leakguard revoke` says before asking.
    pub what: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnswerSyntax {
    pub status: Vec<u16>,
    /// A string the body must contain.
    pub body: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    AwsSigV4,
}

/// What an answer must be to count: one of `status`, with `body` in it if given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: Vec<u16>,
    pub body: Option<String>,
}

impl Answer {
    pub fn matches(&self, status: u16, body: &str) -> bool {
        self.status.contains(&status) && self.body.as_deref().is_none_or(|b| body.contains(b))
    }
}

/// A validated check.
#[derive(Clone, Debug)]
pub struct Check {
    pub method: Method,
    /// `https://host` (no trailing slash); fixed before substitution.
    pub origin: String,
    pub host: String,
    /// Path and query template (starts with `/`).
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub basic: Option<String>,
    pub sign: Option<Signing>,
    pub pair: Option<String>,
    pub live: Answer,
    pub invalid: Option<Answer>,
    pub what: Option<String>,
}

/// The placeholders a template may hold.
const SECRET: &str = "{secret}";
const PAIR: &str = "{pair}";

impl Check {
    /// Validates a check; `revoke` checks need `live` (success) and `what`, verify checks need
    /// `live` and `invalid`. Errors are messages about this check.
    pub fn from_syntax(s: &CheckSyntax, revoke: bool) -> Result<Check, String> {
        let (method, url) = s
            .request
            .split_once(' ')
            .ok_or_else(|| format!("request `{}` is not `METHOD https://…`", s.request))?;
        let method = match method {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "DELETE" => Method::Delete,
            other => return Err(format!("method `{other}` is not GET, POST or DELETE")),
        };
        let rest = url.strip_prefix("https://").ok_or_else(|| {
            format!("`{url}` is not an https:// URL: secrets only travel over TLS")
        })?;
        let (host, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty()
            || host.contains('{')
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return Err(format!(
                "host `{host}` must be a plain host name, written out (no placeholder, no port)"
            ));
        }
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        let templates = std::iter::once(path.as_str())
            .chain(s.headers.values().map(String::as_str))
            .chain(s.body.as_deref())
            .chain(s.basic.as_deref());
        let mut uses_secret = false;
        let mut uses_pair = false;
        for t in templates {
            uses_secret |= t.contains(SECRET);
            uses_pair |= t.contains(PAIR);
        }
        let sign = match s.sign.as_deref() {
            None => None,
            Some("aws-sigv4") => Some(Signing::AwsSigV4),
            Some(other) => return Err(format!("unknown signature scheme `{other}`")),
        };
        if sign.is_some() {
            uses_secret = true;
            uses_pair = true;
        }
        if !uses_secret {
            return Err("the request never sends `{secret}`".into());
        }
        if uses_pair != s.pair.is_some() {
            return Err("`{pair}` and `pair = \"<detector-id>\"` go together".into());
        }
        let answer = |a: &AnswerSyntax| Answer {
            status: a.status.clone(),
            body: a.body.clone(),
        };
        let live = s
            .live
            .as_ref()
            .map(answer)
            .ok_or_else(|| "needs `live` (the answer that means it worked)".to_string())?;
        let invalid = s.invalid.as_ref().map(answer);
        if revoke {
            if s.what.is_none() {
                return Err("a revocation needs `what` (what it does and to whom)".into());
            }
        } else if invalid.is_none() {
            return Err("needs `invalid` (the answer for a revoked or unknown credential)".into());
        }
        Ok(Check {
            method,
            origin: format!("https://{host}"),
            host: host.to_string(),
            path,
            headers: s
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            body: s.body.clone(),
            basic: s.basic.clone(),
            sign,
            pair: s.pair.clone(),
            live,
            invalid,
            what: s.what.clone(),
        })
    }

    /// The request with `secret` (and `pair`) in place.
    pub fn fill(&self, secret: &str, pair: Option<&str>) -> Filled {
        let raw = |t: &str| t.replace(SECRET, secret).replace(PAIR, pair.unwrap_or(""));
        let encoded = |t: &str| {
            t.replace(SECRET, &percent_encode(secret))
                .replace(PAIR, &percent_encode(pair.unwrap_or("")))
        };
        Filled {
            method: self.method,
            host: self.host.clone(),
            path: encoded(&self.path),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), raw(v)))
                .collect(),
            body: self.body.as_deref().map(raw),
            basic: self.basic.as_deref().map(raw),
        }
    }
}

/// A request ready to send (it holds the secret: never log it).
pub struct Filled {
    pub method: Method,
    pub host: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub basic: Option<String>,
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a value substituted into
/// a path or query stays one component.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(toml_text: &str) -> CheckSyntax {
        toml::from_str(toml_text).unwrap()
    }

    const GITHUB: &str = r#"
request = "GET https://api.github.com/user"
headers = { Authorization = "token {secret}" }
live = { status = [200] }
invalid = { status = [401] }
"#;

    #[test]
    fn a_check_fixes_its_host_before_the_secret_goes_in() {
        let c = Check::from_syntax(&syntax(GITHUB), false).unwrap();
        assert_eq!(
            (c.method, c.host.as_str(), c.path.as_str()),
            (Method::Get, "api.github.com", "/user")
        );
        let f = c.fill("x/../@evil.example", None);
        assert_eq!(f.host, "api.github.com");
        assert_eq!(
            f.headers,
            vec![("Authorization".into(), "token x/../@evil.example".into())]
        );
        let tg = syntax(
            r#"
request = "GET https://api.telegram.org/bot{secret}/getMe"
live = { status = [200], body = '"ok":true' }
invalid = { status = [401, 404] }
"#,
        );
        let c = Check::from_syntax(&tg, false).unwrap();
        assert_eq!(c.fill("12:a/b?c", None).path, "/bot12%3Aa%2Fb%3Fc/getMe");
    }

    #[test]
    fn bad_checks_are_refused_with_a_reason() {
        for (text, why) in [
            (GITHUB.replace("https://", "http://"), "https://"),
            (
                GITHUB.replace("api.github.com", "{secret}.example.com"),
                "plain host",
            ),
            (
                GITHUB.replace("api.github.com", "127.0.0.1:8080"),
                "plain host",
            ),
            (GITHUB.replace("token {secret}", "token"), "never sends"),
            (GITHUB.replace("GET", "PATCH"), "method"),
            (
                GITHUB.replace("invalid = { status = [401] }", ""),
                "invalid",
            ),
            (
                format!("{GITHUB}pair = \"aws-access-key-id\"\n"),
                "go together",
            ),
        ] {
            let e = Check::from_syntax(&syntax(&text), false).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
        let revoke = GITHUB.replace("invalid = { status = [401] }", "");
        assert!(
            Check::from_syntax(&syntax(&revoke), true)
                .unwrap_err()
                .contains("what")
        );
    }

    #[test]
    fn answers_match_status_and_body() {
        let a = Answer {
            status: vec![200],
            body: Some("\"ok\":true".into()),
        };
        assert!(a.matches(200, r#"{"ok":true,"user":"x"}"#));
        assert!(!a.matches(200, r#"{"ok":false,"error":"invalid_auth"}"#));
        assert!(!a.matches(201, r#"{"ok":true}"#));
    }
}
