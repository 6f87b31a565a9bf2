//! The TOML syntax of `detectors.toml` and of a repository's `.leakguard.toml` (serde types).
//!
//! Both files share one schema; only `.leakguard.toml` may carry `[settings]`. Unknown keys are
//! rejected so that a typo (`provder = …`) is an error with a line number, not a silently
//! ignored rule. Tables are wrapped in `Spanned` so later checks can point at a line too.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileSyntax {
    pub settings: Option<Spanned<SettingsSyntax>>,
    #[serde(default)]
    pub provider: BTreeMap<String, Spanned<ProviderSyntax>>,
    #[serde(default)]
    pub detector: Vec<Spanned<DetectorSyntax>>,
    /// Per-path allow rules; only valid in `.leakguard.toml`.
    #[serde(default)]
    pub allow: Vec<Spanned<AllowSyntax>>,
}

/// `[[allow]]`: findings in `paths` are suppressed, only those of `detectors` when given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowSyntax {
    /// Globs matched against the repository-relative path.
    pub paths: Vec<Spanned<String>>,
    /// Detector ids this rule applies to; every detector when absent.
    #[serde(default)]
    pub detectors: Vec<Spanned<String>>,
    /// Why; shown by `leakguard detectors`.
    pub reason: Option<String>,
}

/// Repository-level switches; only valid in `.leakguard.toml`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SettingsSyntax {
    /// Built-in detector ids to turn off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// Globs (gitignore-like, matched against the repository-relative path) never scanned.
    #[serde(default)]
    pub skip_paths: Vec<Spanned<String>>,
    /// Extra words that mark a candidate secret as a placeholder.
    #[serde(default)]
    pub placeholders: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProviderSyntax {
    pub name: String,
    /// Where the credential is revoked or regenerated; absent when there is no central place
    /// (a private key is "revoked" by replacing it wherever it is trusted).
    pub revoke_url: Option<String>,
    /// Rotation steps, in order.
    pub steps: Vec<String>,
    /// Commands that revoke or rotate, where the provider has a CLI.
    #[serde(default)]
    pub cli: Vec<String>,
    pub docs: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// A provider as `build.rs` compiles it into the binary (static data, nothing to parse).
#[derive(Debug)]
pub struct StaticProvider {
    pub key: &'static str,
    pub name: &'static str,
    pub revoke_url: Option<&'static str>,
    pub steps: &'static [&'static str],
    pub cli: &'static [&'static str],
    pub docs: Option<&'static str>,
}

/// A detector as `build.rs` compiles it into the binary: no examples (only `check` and the
/// tests need those, from the TOML), and the line of its table in `detectors.toml`.
#[derive(Debug)]
pub struct StaticDetector {
    pub line: usize,
    pub id: &'static str,
    pub provider: &'static str,
    pub name: &'static str,
    pub gitlab_id: Option<&'static str>,
    pub severity: Severity,
    pub keywords: &'static [&'static str],
    pub regex: &'static str,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    pub multiline: bool,
    pub looks_random: bool,
    pub public_values: &'static [&'static str],
    pub description: Option<&'static str>,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// A built-in validator of a token's internal integrity: a checksum the provider embeds, or a
/// structure that must decode.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// `<prefix>_` + 30 random base62 chars + 6 base62 chars of their CRC32 (GitHub, npm).
    Base62Crc32,
    /// A JSON Web Token: header and payload decode (base64url) to JSON objects, the header names
    /// an `alg`, and the payload's `exp`, if any, is not in the past. An expired token grants
    /// nothing; a string that merely looks like three base64 parts is not a token.
    Jwt,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct DetectorSyntax {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub gitlab_id: Option<String>,
    pub severity: Severity,
    pub keywords: Vec<String>,
    pub regex: String,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    /// The regex may span lines (PEM blocks); it then sees the whole run of added lines.
    #[serde(default)]
    pub multiline: bool,
    /// The value must look random (see `validate::looks_random`): for detectors without a
    /// distinctive format, whose matches would otherwise include identifiers and words.
    #[serde(default)]
    pub looks_random: bool,
    /// Values the provider itself publishes that grant nothing (emulator keys, client ids baked
    /// into official SDKs): never reported.
    #[serde(default)]
    pub public_values: Vec<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}
