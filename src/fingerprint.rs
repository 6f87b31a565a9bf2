//! A finding's fingerprint: `<detector-id>:<16 hex digits>`, the detector id plus a truncated
//! SHA-256 of the secret.
//!
//! It identifies a finding independently of where it sits (moving the line or the file keeps
//! it; a different secret changes it) and never contains the secret. This module is the only
//! place that computes, parses or takes one apart: `.leakguardignore`, the baseline, reports
//! and `leakguard ignore` all go through `Fingerprint`.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Hex digits in a fingerprint's hash part.
pub const HEX_LEN: usize = 16;

/// Explains the fingerprint shape without echoing what was given (it may be a secret).
pub const NOT_A_FINGERPRINT: &str = "not a fingerprint: expected `<detector-id>:<16 hex digits>`, \
     as printed after `fingerprint` in leakguard's report (it never depends on the path or line)";

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(String);

/// A string that is not a fingerprint. Its message never contains the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{NOT_A_FINGERPRINT}")]
pub struct NotAFingerprint;

impl Fingerprint {
    /// The fingerprint of `secret` found by the detector `detector_id`.
    pub fn of(detector_id: &str, secret: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(b"leakguard-fingerprint-v1\0");
        h.update(detector_id.as_bytes());
        h.update(b"\0");
        h.update(secret);
        let digest = h.finalize();
        let mut s = String::with_capacity(detector_id.len() + 1 + HEX_LEN);
        s.push_str(detector_id);
        s.push(':');
        for b in &digest[..HEX_LEN / 2] {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        Fingerprint(s)
    }

    /// Parses `<detector-id>:<16 lowercase hex digits>`, where a detector id is kebab-case
    /// (lowercase ASCII letters, digits, `-`).
    pub fn parse(s: &str) -> Result<Self, NotAFingerprint> {
        let (id, hex) = s.rsplit_once(':').ok_or(NotAFingerprint)?;
        let ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && hex.len() == HEX_LEN
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(Fingerprint(s.to_string()))
        } else {
            Err(NotAFingerprint)
        }
    }

    /// The id of the detector that made it.
    pub fn detector_id(&self) -> &str {
        self.0.rsplit_once(':').map_or(&self.0, |(id, _)| id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Fingerprint {
    type Err = NotAFingerprint;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fingerprint::parse(s)
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Fingerprint::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_detector_and_secret_only() {
        let a = Fingerprint::of("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXS");
        assert_eq!(
            a,
            Fingerprint::of("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXS")
        );
        assert_ne!(
            a,
            Fingerprint::of("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXT")
        );
        assert_ne!(a, Fingerprint::of("other", b"AKIAQ3EGRQ2FM6BMVRXS"));
        assert!(!a.as_str().contains("Q3EGRQ2FM6"));
        assert_eq!(Fingerprint::parse(a.as_str()), Ok(a.clone()), "{a}");
        assert_eq!(a.detector_id(), "aws-access-key-id");
    }

    /// The hash is the first 8 bytes of the SHA-256, in lowercase hex: fingerprints written by
    /// earlier versions (in ignore files and baselines) must keep matching.
    #[test]
    fn the_hash_is_stable() {
        let mut h = Sha256::new();
        h.update(b"leakguard-fingerprint-v1\0github-pat-classic\0ghp_x");
        let hex: String = h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            Fingerprint::of("github-pat-classic", b"ghp_x").to_string(),
            format!("github-pat-classic:{hex}")
        );
    }

    #[test]
    fn fingerprint_shape() {
        assert!(Fingerprint::parse("github-pat-classic:0123456789abcdef").is_ok());
        assert!(Fingerprint::parse("1password-secret-key:0123456789abcdef").is_ok());
        for bad in [
            "",
            "github-pat-classic",
            ":0123456789abcdef",
            "github-pat-classic:0123456789ABCDEF",
            "github-pat-classic:0123456789abcde",
            "github-pat-classic:0123456789abcdef0",
            "Github:0123456789abcdef",
            "a b:0123456789abcdef",
            "ghp_q7VnR2kLx9TzW4mPb8HsYc3Jd6FgNt0000",
            "abc123:app/config.py:github-pat-classic:3",
        ] {
            assert_eq!(Fingerprint::parse(bad), Err(NotAFingerprint), "{bad}");
        }
        assert!(!NotAFingerprint.to_string().contains("ghp_"));
    }
}
