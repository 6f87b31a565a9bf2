//! A liveness check or a revocation, as `detectors.toml` describes it (`[detector.verify]`,
//! `[detector.revoke]`): one HTTPS request to the issuer with the secret substituted, and what
//! the answer means.
//!
//! The request's host is fixed by the data, before any substitution: a secret is substituted
//! into headers, the body and (percent-encoded) the path or query only, so whatever it holds it
//! cannot send itself to another host. Every check is validated when it is loaded.

pub use crate::detectors::schema::{AnswerSyntax, CheckSyntax};

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

/// What an answer must be to count: one of `status`, with one of `bodies` in it (ASCII
/// case-insensitively) if any are given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: Vec<u16>,
    pub bodies: Vec<String>,
}

impl Answer {
    pub fn matches(&self, status: u16, body: &str) -> bool {
        let body = body.to_ascii_lowercase();
        self.status.contains(&status)
            && (self.bodies.is_empty()
                || self
                    .bodies
                    .iter()
                    .any(|b| body.contains(&b.to_ascii_lowercase())))
    }
}

/// Where a check sends its request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A host written out in the data.
    Fixed { host: String, path: String },
    /// The secret is an https URL (a webhook) on one of these hosts.
    SecretUrl { hosts: Vec<String> },
}

/// A validated check.
#[derive(Clone, Debug)]
pub struct Check {
    pub method: Method,
    /// The host and path template, fixed before substitution.
    pub target: Target,
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
        let target = if url == SECRET {
            if s.hosts.is_empty() {
                return Err(
                    "`request = \"METHOD {secret}\"` needs `hosts`, the hosts the URL may name"
                        .into(),
                );
            }
            if let Some(bad) = s.hosts.iter().find(|h| !plain_host(h)) {
                return Err(format!("host `{bad}` must be a plain host name"));
            }
            Target::SecretUrl {
                hosts: s.hosts.clone(),
            }
        } else {
            let rest = url.strip_prefix("https://").ok_or_else(|| {
                format!("`{url}` is not an https:// URL: secrets only travel over TLS")
            })?;
            let (host, path) = match rest.find(['/', '?']) {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, "/"),
            };
            if !plain_host(host) {
                return Err(format!(
                    "host `{host}` must be a plain host name, written out (no placeholder, no port)"
                ));
            }
            let path = if path.starts_with('?') {
                format!("/{path}")
            } else {
                path.to_string()
            };
            Target::Fixed {
                host: host.to_string(),
                path,
            }
        };
        let path = match &target {
            Target::Fixed { path, .. } => path.clone(),
            Target::SecretUrl { .. } => SECRET.to_string(),
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
            bodies: a.body.clone().map(|b| b.into_vec()).unwrap_or_default(),
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
            target,
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

    /// The request with `secret` (and `pair`) in place, or why it cannot be sent (a secret URL
    /// that names another host).
    pub fn fill(&self, secret: &str, pair: Option<&str>) -> Result<Filled, String> {
        let raw = |t: &str| t.replace(SECRET, secret).replace(PAIR, pair.unwrap_or(""));
        let encoded = |t: &str| {
            t.replace(SECRET, &percent_encode(secret))
                .replace(PAIR, &percent_encode(pair.unwrap_or("")))
        };
        let (host, path) = match &self.target {
            Target::Fixed { host, path } => (host.clone(), encoded(path)),
            Target::SecretUrl { hosts } => {
                let rest = secret
                    .strip_prefix("https://")
                    .ok_or("the secret is not an https:// URL")?;
                let (host, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
                if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                    return Err("the URL names a host that is not its issuer's".into());
                }
                let path = if path.is_empty() { "/" } else { path };
                if path.bytes().any(|b| !b.is_ascii_graphic()) {
                    return Err("the URL holds characters a request line cannot".into());
                }
                (host.to_string(), path.to_string())
            }
        };
        Ok(Filled {
            method: self.method,
            host,
            path,
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), raw(v)))
                .collect(),
            body: self.body.as_deref().map(raw),
            basic: self.basic.as_deref().map(raw),
        })
    }

    /// `METHOD https://host/path` as the data says it, without the secret, for people to read.
    pub fn describe(&self) -> String {
        match &self.target {
            Target::Fixed { host, path } => {
                let path = path.split('?').next().unwrap_or(path);
                format!("{} https://{host}{path}", self.method.as_str())
            }
            Target::SecretUrl { hosts } => format!(
                "{} <the URL itself, on {}>",
                self.method.as_str(),
                hosts.join(" or ")
            ),
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

fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
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
            (c.method, &c.target),
            (
                Method::Get,
                &Target::Fixed {
                    host: "api.github.com".into(),
                    path: "/user".into()
                }
            )
        );
        let f = c.fill("x/../@evil.example", None).unwrap();
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
        assert_eq!(
            c.fill("12:a/b?c", None).unwrap().path,
            "/bot12%3Aa%2Fb%3Fc/getMe"
        );
        assert_eq!(
            c.describe(),
            "GET https://api.telegram.org/bot{secret}/getMe"
        );
    }

    #[test]
    fn a_secret_url_must_name_one_of_its_hosts() {
        let c = Check::from_syntax(
            &syntax(
                r#"
request = "GET {secret}"
hosts = ["discord.com", "discordapp.com"]
live = { status = [200] }
invalid = { status = [401, 404] }
"#,
            ),
            false,
        )
        .unwrap();
        let f = c
            .fill("https://discord.com/api/webhooks/1/abc", None)
            .unwrap();
        assert_eq!(
            (f.host.as_str(), f.path.as_str()),
            ("discord.com", "/api/webhooks/1/abc")
        );
        for bad in [
            "https://discord.com.evil.example/api/webhooks/1/abc",
            "https://evil.example/discord.com",
            "https://user@discord.com/x",
            "https://discord.com:444/x",
            "http://discord.com/api/webhooks/1/abc",
        ] {
            assert!(c.fill(bad, None).is_err(), "{bad}");
        }
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
            bodies: vec!["\"ok\":true".into()],
        };
        assert!(a.matches(200, r#"{"ok":true,"user":"x"}"#));
        let b = Answer {
            status: vec![400],
            bodies: vec!["no_text".into(), "INVALID_PAYLOAD".into()],
        };
        assert!(b.matches(400, "invalid_payload") && !b.matches(400, "no_service"));
        assert!(!a.matches(200, r#"{"ok":false,"error":"invalid_auth"}"#));
        assert!(!a.matches(201, r#"{"ok":true}"#));
    }
}
