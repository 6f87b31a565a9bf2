//! Opt-in liveness checks and revocations: is this key live, and kill it.
//!
//! Nothing here runs unless the person or CI job asked for it (`--verify`, LEAKGUARD_VERIFY, `git
//! config leakguard.verify`, `leakguard revoke`): without that the binary opens no socket. Each
//! check is one HTTPS request to the credential's own issuer, as `detectors.toml` describes it
//! (`spec`): the host is fixed by that data, redirects are never followed (a redirect is an
//! `unknown` answer, so a secret is never re-sent to another host), answers are read up to 64 KiB,
//! and every error is reduced to a fixed phrase so that no URL (which may hold a secret, as
//! Telegram's do) reaches a message. Checks run in parallel under one deadline: the whole run costs
//! at most `BUDGET` more.
//!
//! Tests point every request at a local server instead: `LEAKGUARD_VERIFY_TEST_SERVER` (a
//! loopback address only) with `LEAKGUARD_VERIFY_TEST_CA` (the PEM certificate it serves).

pub mod annotate;
mod checks;
mod client;
pub mod sigv4;
pub mod spec;

use std::time::Duration;

pub use annotate::{Opt, Source, Wanted, annotate, wanted};
pub use checks::Checks;
pub use client::{Client, ClientError};
use spec::Check;

/// The most a verification run adds to a command, and the most one request may take.
pub const BUDGET: Duration = Duration::from_secs(3);
pub const REQUEST_TIMEOUT: Duration = Duration::from_millis(2500);

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
