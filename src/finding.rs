//! A detected credential, and the redaction that keeps it out of every output.

use std::fmt;
use std::sync::Arc;

use crate::chunk::Origin;
use crate::detectors::{Catalogue, Severity, Text};
use crate::engine::decode::Layers;
use crate::escape::Escaped;
use crate::fingerprint::Fingerprint;

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
    /// followed by the length: `ghp_Ab…(40 chars)`. The prefix is the value's own characters
    /// (JSON keeps them); a terminal shows it through `escape::Escaped`.
    pub fn redacted(&self) -> String {
        let text = String::from_utf8_lossy(&self.0);
        let len = self.char_len();
        let shown: String = text.chars().take((len / 4).min(6)).collect();
        format!("{shown}…({len} chars)")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", Escaped(&self.redacted()))
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Escaped(&self.redacted()))
    }
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
    /// The provider a generic finding was attributed to (its name or line named one); `None`
    /// for the detector's own provider.
    pub provider: Option<Text>,
    pub severity: Severity,
    pub path: String,
    pub origin: Arc<Origin>,
    /// 1-based line and column (in characters) of the secret's first byte.
    pub line: u32,
    pub column: u32,
    /// The secret, decoded when it was found inside an encoded value.
    pub secret: Secret,
    /// Of the detector id and `secret`: a token fingerprints the same encoded or not.
    pub fingerprint: Fingerprint,
    /// The encodings the secret was found under, outermost first (empty: written plainly).
    /// `line` and `column` are then the encoded value's.
    pub encoding: Layers,
    pub suppressed: Option<Suppression>,
    /// Words shaped like detector ids, but no known id, in a `leakguard:allow` that would
    /// otherwise cover this finding: that pragma allows nothing, and the report says why.
    pub unknown_allow_ids: Vec<String>,
}

impl Finding {
    /// Key of the provider whose rotation steps apply: the attributed one, or the detector's.
    pub fn provider_key<'c>(&'c self, catalogue: &'c Catalogue) -> &'c str {
        match &self.provider {
            Some(p) => p,
            None => &catalogue.detectors[self.detector].provider,
        }
    }

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
        let hostile = Secret::new(b"\x1b[31mabcdefgh");
        assert_eq!(hostile.redacted(), "\x1b[3…(13 chars)");
        assert_eq!(hostile.to_string(), "\\e[3…(13 chars)");
        assert_eq!(format!("{hostile:?}"), "Secret(\\e[3…(13 chars))");
    }
}
