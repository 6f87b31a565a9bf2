//! A detected credential, and the redaction that keeps it out of every output.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::chunk::Origin;
use crate::detectors::Severity;

/// The matched secret. Its `Debug` and `Display` are redacted, so a stray `{:?}` in a log or a
/// panic message cannot print it; only `expose()` (used for `--show-secrets`) gives the bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: &[u8]) -> Self {
        Secret(bytes.to_vec())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of characters (bytes for non-UTF-8 values).
    pub fn char_len(&self) -> usize {
        std::str::from_utf8(&self.0).map_or(self.0.len(), |s| s.chars().count())
    }

    /// A short prefix (at most 6 characters and never more than a quarter of the value)
    /// followed by the length: `ghp_Ab…(40 chars)`.
    pub fn redacted(&self) -> String {
        let text = String::from_utf8_lossy(&self.0);
        let len = self.char_len();
        let shown: String = text.chars().take((len / 4).min(6)).collect();
        format!("{}…({len} chars)", escape_control(&shown))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replaces control characters so that a hostile file cannot drive the terminal.
pub fn escape_control(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Identifies a finding independently of where it sits: the detector id plus a truncated
/// SHA-256 of the secret. Moving the line or the file keeps it; a different secret changes it.
/// It never contains the secret itself.
pub fn fingerprint(detector_id: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"leakguard-fingerprint-v1\0");
    h.update(detector_id.as_bytes());
    h.update(b"\0");
    h.update(secret);
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{detector_id}:{hex}")
}

/// Hex digits in a fingerprint's hash part.
pub const FINGERPRINT_HEX_LEN: usize = 16;

/// Whether `s` has the shape of a fingerprint: `<detector-id>:<16 lowercase hex digits>`, where
/// a detector id is kebab-case (lowercase ASCII letters, digits, `-`).
pub fn is_fingerprint(s: &str) -> bool {
    let Some((id, hex)) = s.rsplit_once(':') else {
        return false;
    };
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && hex.len() == FINGERPRINT_HEX_LEN
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Why a finding does not block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suppression {
    /// `leakguard:allow` on the line (or `leakguard:allow-next-line` above it).
    Pragma,
    /// Fingerprint listed in `.leakguardignore`.
    IgnoreFile,
    /// Present in the baseline file.
    Baseline,
    /// Path matched a `skip_paths` glob.
    PathGlob,
}

impl Suppression {
    pub fn as_str(self) -> &'static str {
        match self {
            Suppression::Pragma => "pragma",
            Suppression::IgnoreFile => "ignore-file",
            Suppression::Baseline => "baseline",
            Suppression::PathGlob => "path-glob",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Finding {
    /// Index into `Catalogue::detectors`.
    pub detector: usize,
    pub severity: Severity,
    pub path: String,
    pub origin: Arc<Origin>,
    /// 1-based line and column (in characters) of the secret's first byte.
    pub line: u32,
    pub column: u32,
    pub secret: Secret,
    pub fingerprint: String,
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// Unsuppressed and severe enough to block: low-severity findings (identifiers and keys
    /// that are public by design) are warnings.
    pub fn blocks(&self) -> bool {
        self.suppressed.is_none() && self.severity > Severity::Low
    }

    /// Unsuppressed but only a warning.
    pub fn warns(&self) -> bool {
        self.suppressed.is_none() && self.severity == Severity::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_a_short_prefix_and_the_length() {
        let s = Secret::new(b"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");
        assert_eq!(s.redacted(), "ghp_zQ…(40 chars)");
        assert_eq!(format!("{s:?}"), "Secret(ghp_zQ…(40 chars))");
        assert_eq!(Secret::new(b"hunter2").redacted(), "h…(7 chars)");
        assert_eq!(
            Secret::new(b"\x1b[31mabcdefgh").redacted(),
            "\\u{1b}[3…(13 chars)"
        );
    }

    #[test]
    fn fingerprints_depend_on_detector_and_secret_only() {
        let a = fingerprint("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXS");
        assert_eq!(a, fingerprint("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXS"));
        assert_ne!(a, fingerprint("aws-access-key-id", b"AKIAQ3EGRQ2FM6BMVRXT"));
        assert_ne!(a, fingerprint("other", b"AKIAQ3EGRQ2FM6BMVRXS"));
        assert!(!a.contains("Q3EGRQ2FM6"));
        assert!(is_fingerprint(&a), "{a}");
    }

    #[test]
    fn fingerprint_shape() {
        assert!(is_fingerprint("github-pat-classic:0123456789abcdef"));
        assert!(is_fingerprint("1password-secret-key:0123456789abcdef"));
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
            assert!(!is_fingerprint(bad), "{bad}");
        }
    }
}
