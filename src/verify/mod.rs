//! Opt-in liveness checks and revocations: is this key live, and kill it.
//!
//! Nothing here runs unless the person or CI job asked for it (`--verify`, `verify = true`,
//! `leakguard revoke`): without that the binary opens no socket. Each check is one HTTPS request
//! to the credential's own issuer, as `detectors.toml` describes it (`spec`): the host is fixed
//! by that data, redirects are never followed (a redirect is an `unknown` answer, so a secret is
//! never re-sent to another host), answers are read up to 64 KiB, and every error is reduced to
//! a fixed phrase so that no URL (which may hold a secret, as Telegram's do) reaches a message.
//! Checks run in parallel under one deadline: the whole run costs at most `BUDGET` more.
//!
//! Tests point every request at a local server instead: `LEAKGUARD_VERIFY_TEST_SERVER` (a
//! loopback address only) with `LEAKGUARD_VERIFY_TEST_CA` (the PEM certificate it serves).

pub mod sigv4;
pub mod spec;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use spec::{Check, Filled, Method, Signing};

/// The most a verification run adds to a command, and the most one request may take.
pub const BUDGET: Duration = Duration::from_secs(3);
pub const REQUEST_TIMEOUT: Duration = Duration::from_millis(2500);
/// Checks in flight at once.
const PARALLEL: usize = 8;
/// The most of an answer that is read.
const ANSWER_LIMIT: u64 = 64 << 10;

/// What the issuer said about a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The issuer accepted it: rotate now.
    Live,
    /// Revoked, expired, or unknown to the issuer.
    Invalid,
    /// No answer that says either: no check for this type, a network error, a rate limit, a
    /// timeout, an answer of an unexpected shape.
    Unknown(String),
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Invalid => "invalid",
            Status::Unknown(_) => "unknown",
        }
    }
}

/// One credential to check: its check, the secret, and the paired value when the check needs
/// one (`None` then means none was found near it).
pub struct Target<'a> {
    pub check: Option<&'a Check>,
    pub secret: &'a str,
    pub pair: Option<&'a str>,
}

/// Sends requests: to the issuer, or, under test, to a loopback server.
pub struct Client {
    agent: ureq::Agent,
    test_server: Option<String>,
}

/// Why a client cannot be built (only the test seam can fail).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(
        "LEAKGUARD_VERIFY_TEST_SERVER must be a loopback address (127.0.0.1:PORT or [::1]:PORT), not `{0}`"
    )]
    NotLoopback(String),
    #[error(
        "LEAKGUARD_VERIFY_TEST_SERVER needs LEAKGUARD_VERIFY_TEST_CA (the test server's PEM certificate)"
    )]
    NoTestCa,
    #[error("cannot read the test certificate {0}")]
    TestCa(String),
}

impl Client {
    /// A client for the issuers, or for the test server the environment names.
    pub fn from_env() -> Result<Client, ClientError> {
        let server = std::env::var("LEAKGUARD_VERIFY_TEST_SERVER")
            .ok()
            .filter(|s| !s.is_empty());
        let test = match server {
            None => None,
            Some(server) => {
                let ca =
                    std::env::var("LEAKGUARD_VERIFY_TEST_CA").map_err(|_| ClientError::NoTestCa)?;
                let pem = std::fs::read(&ca).map_err(|_| ClientError::TestCa(ca.clone()))?;
                Some((server, pem))
            }
        };
        Client::new(test)
    }

    /// A client for the issuers, or (`test`: a loopback address and the PEM certificate of the
    /// CA it serves under) for a test server that stands in for every issuer.
    pub fn new(test: Option<(String, Vec<u8>)>) -> Result<Client, ClientError> {
        let tls = match &test {
            None => ureq::tls::TlsConfig::builder().build(),
            Some((server, pem)) => {
                let loopback = server.starts_with("127.0.0.1:") || server.starts_with("[::1]:");
                if !loopback {
                    return Err(ClientError::NotLoopback(server.clone()));
                }
                let cert = ureq::tls::Certificate::from_pem(pem)
                    .map_err(|_| ClientError::TestCa("(not a PEM certificate)".into()))?;
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
                    .build()
            }
        };
        let agent = ureq::Agent::config_builder()
            .https_only(true)
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .user_agent(concat!("leakguard/", env!("CARGO_PKG_VERSION")))
            .tls_config(tls)
            .build()
            .new_agent();
        Ok(Client {
            agent,
            test_server: test.map(|(server, _)| server),
        })
    }

    /// Checks every target in parallel within `BUDGET`; results in the targets' order.
    pub fn verify_all(&self, targets: &[Target<'_>]) -> Vec<Status> {
        let deadline = Instant::now() + BUDGET;
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Status>> = vec![None; targets.len()];
        let slots: Vec<std::sync::Mutex<Option<Status>>> = targets
            .iter()
            .map(|_| std::sync::Mutex::new(None))
            .collect();
        std::thread::scope(|scope| {
            for _ in 0..PARALLEL.min(targets.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(target) = targets.get(i) else { break };
                        let status = self.verify(target, deadline);
                        *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(status);
                    }
                });
            }
        });
        for (slot, result) in slots.into_iter().zip(&mut results) {
            *result = slot.into_inner().unwrap_or_else(|p| p.into_inner());
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Status::Unknown("not checked".into())))
            .collect()
    }

    fn verify(&self, target: &Target<'_>, deadline: Instant) -> Status {
        let Some(check) = target.check else {
            return Status::Unknown("no liveness check for this type".into());
        };
        if check.pair.is_some() && target.pair.is_none() {
            return Status::Unknown("its other half (the id it pairs with) is not near it".into());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Status::Unknown("out of time (3 s for all checks)".into());
        }
        match self.send(check, target.secret, target.pair, left.min(REQUEST_TIMEOUT)) {
            Err(reason) => Status::Unknown(reason),
            Ok((status, body)) => {
                if check.live.matches(status, &body) {
                    Status::Live
                } else if check
                    .invalid
                    .as_ref()
                    .is_some_and(|a| a.matches(status, &body))
                {
                    Status::Invalid
                } else {
                    Status::Unknown(unexpected(status))
                }
            }
        }
    }

    /// Revokes one credential: `Ok(())` when the issuer confirmed it.
    pub fn revoke(&self, check: &Check, secret: &str, pair: Option<&str>) -> Result<(), String> {
        let (status, body) = self.send(check, secret, pair, REQUEST_TIMEOUT)?;
        if check.live.matches(status, &body) {
            Ok(())
        } else {
            Err(unexpected(status))
        }
    }

    /// Sends a filled request; the answer's status and (capped) body, or a fixed phrase.
    fn send(
        &self,
        check: &Check,
        secret: &str,
        pair: Option<&str>,
        timeout: Duration,
    ) -> Result<(u16, String), String> {
        let filled = check.fill(secret, pair)?;
        let base = match &self.test_server {
            Some(server) => format!("https://{server}"),
            None => format!("https://{}", filled.host),
        };
        let url = format!("{base}{}", filled.path);
        let mut headers = filled.headers.clone();
        if let Some(basic) = &filled.basic {
            use base64::Engine as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(basic);
            headers.push(("Authorization".into(), format!("Basic {encoded}")));
        }
        if check.sign == Some(Signing::AwsSigV4) {
            headers.extend(aws_headers(&filled, secret, pair.unwrap_or("")));
        }
        let result = match filled.method {
            Method::Get | Method::Delete => {
                let mut request = if filled.method == Method::Get {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                for (k, v) in &headers {
                    request = request.header(k, v);
                }
                request
                    .config()
                    .timeout_global(Some(timeout))
                    .build()
                    .call()
            }
            Method::Post => {
                let mut request = self.agent.post(&url);
                for (k, v) in &headers {
                    request = request.header(k, v);
                }
                request
                    .config()
                    .timeout_global(Some(timeout))
                    .build()
                    .send(filled.body.as_deref().unwrap_or(""))
            }
        };
        let mut response = result.map_err(phrase)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_string()
            .unwrap_or_default();
        Ok((status, body))
    }
}

/// The headers of an STS request signed with the key pair: the secret and its pair are the
/// access key id (20 upper-case letters and digits) and the secret access key, in either order.
fn aws_headers(filled: &Filled, secret: &str, pair: &str) -> Vec<(String, String)> {
    let is_key_id = |s: &str| {
        s.len() == 20
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let (key_id, secret) = if is_key_id(secret) {
        (secret, pair)
    } else {
        (pair, secret)
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let date = sigv4::amz_date(now);
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let (path, query) = filled.path.split_once('?').unwrap_or((&filled.path, ""));
    let request = sigv4::Request {
        method: filled.method.as_str(),
        path,
        query,
        headers: &[
            ("content-type", content_type),
            ("host", &filled.host),
            ("x-amz-date", &date),
        ],
        body: filled.body.as_deref().unwrap_or("").as_bytes(),
        region: "us-east-1",
        service: "sts",
        amz_date: &date,
    };
    vec![
        ("Content-Type".into(), content_type.into()),
        ("X-Amz-Date".into(), date.clone()),
        (
            "Authorization".into(),
            sigv4::authorization(&request, key_id, secret),
        ),
    ]
}

/// Why an answer says neither live nor invalid.
fn unexpected(status: u16) -> String {
    match status {
        429 => "rate limited by the issuer (HTTP 429)".into(),
        300..=399 => format!("the issuer redirected (HTTP {status}); redirects are not followed"),
        500..=599 => format!("the issuer failed (HTTP {status})"),
        _ => format!("an answer of unexpected shape (HTTP {status})"),
    }
}

/// A fixed phrase for a transport error: ureq's own messages may quote the URL, which may hold
/// the secret.
fn phrase(e: ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::HostNotFound => "the issuer's host was not found (offline?)".into(),
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => {
            "could not connect to the issuer".into()
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "the TLS handshake failed".into(),
        ureq::Error::RedirectFailed | ureq::Error::TooManyRedirects => {
            "the issuer redirected; redirects are not followed".into()
        }
        _ => "the request failed".into(),
    }
}

/// The built-in catalogue's checks and revocations, by detector id.
#[derive(Debug, Default)]
pub struct Checks {
    pub verify: std::collections::HashMap<String, Check>,
    pub revoke: std::collections::HashMap<String, Check>,
}

impl Checks {
    /// Loads and validates the checks of the built-in `detectors.toml` against `catalogue`
    /// (only the built-in catalogue has checks: a repository's config cannot send secrets
    /// anywhere, see `detectors::Catalogue::parse`).
    pub fn builtin(catalogue: &crate::detectors::Catalogue) -> crate::error::Result<Checks> {
        Self::parse(
            crate::detectors::BUILTIN_LABEL,
            crate::detectors::BUILTIN,
            catalogue,
        )
    }

    fn parse(
        label: &str,
        text: &str,
        catalogue: &crate::detectors::Catalogue,
    ) -> crate::error::Result<Checks> {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(default)]
            verify: std::collections::BTreeMap<String, toml::Spanned<spec::CheckSyntax>>,
            #[serde(default)]
            revoke: std::collections::BTreeMap<String, toml::Spanned<spec::CheckSyntax>>,
        }
        let at = |offset: usize| {
            let line = text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            format!("{label}:{line}")
        };
        let file: File = toml::from_str(text).map_err(|e| crate::error::Error::Config {
            location: at(e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
        let known = |id: &str| catalogue.detectors.iter().any(|d| d.id == id);
        let mut checks = Checks::default();
        for (revoke, table) in [(false, file.verify), (true, file.revoke)] {
            for (id, syntax) in table {
                let location = at(syntax.span().start);
                let fail = |message: String| crate::error::Error::Config {
                    location: location.clone(),
                    message: format!(
                        "[{}.{id}]: {message}",
                        if revoke { "revoke" } else { "verify" }
                    ),
                };
                if !known(&id) {
                    return Err(fail("no detector has this id".into()));
                }
                let check = Check::from_syntax(syntax.get_ref(), revoke).map_err(fail)?;
                if let Some(pair) = &check.pair
                    && !known(pair)
                {
                    return Err(fail(format!("`pair = \"{pair}\"` names no detector")));
                }
                if revoke {
                    checks.revoke.insert(id, check);
                } else {
                    checks.verify.insert(id, check);
                }
            }
        }
        Ok(checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_checks_load() {
        let catalogue = crate::detectors::Catalogue::builtin().unwrap();
        let checks = Checks::builtin(&catalogue).unwrap();
        assert!(checks.verify.len() >= 25, "{}", checks.verify.len());
        assert!(checks.revoke.contains_key("github-pat-classic"));
        assert!(checks.revoke.contains_key("gitlab-pat"));
        assert!(checks.revoke.contains_key("slack-bot-token"));
    }

    #[test]
    fn a_check_for_an_unknown_detector_is_an_error() {
        let catalogue = crate::detectors::Catalogue::builtin().unwrap();
        let text = "[verify.nope]\nrequest = \"GET https://example.com/\"\nheaders = { A = \"{secret}\" }\nlive = { status = [200] }\ninvalid = { status = [401] }\n";
        let err = Checks::parse("x.toml", text, &catalogue)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.toml:1: [verify.nope]: no detector"),
            "{err}"
        );
    }
}
