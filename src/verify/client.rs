//! The HTTPS client of the checks and revocations: one request per secret to the host its
//! check fixes (or, under test, a loopback server), no redirects, a capped answer, fixed
//! phrases for errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::spec::{Check, Filled, Method, Signing};
use super::{BUDGET, REQUEST_TIMEOUT, Status, Target, sigv4};

/// Checks in flight at once.
const PARALLEL: usize = 8;
/// The most of an answer that is read.
const ANSWER_LIMIT: u64 = 64 << 10;

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
