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
    /// GitLab's routable tokens (`glpat-`, `glrt-`, `glagent-` …): `<prefix><base64url payload>.`
    /// (`<2-char version>.`) `<2 base36 chars of payload length>` + the CRC32 of everything before
    /// it in 7 lowercase base36 characters (GitLab's `Authn::TokenField::Generator::RoutableToken`).
    GitlabRoutableCrc32,
    /// Grafana service account tokens: `glsa_` + 32 random characters + `_` + the CRC32 (IEEE) of
    /// `glsa_<random>` as 4 little-endian bytes in lowercase hex (Grafana's `satokengen`).
    GrafanaServiceAccountCrc32,
    /// Grafana's legacy API keys: standard base64 of a JSON object with a string `k` (the random
    /// key), a string `n` (the key's name) and an integer `id` (the organization), as Grafana's
    /// `apikeygen` writes them.
    GrafanaApiKey,
    /// A Bech32 string (BIP 173) whose checksum verifies and whose data part decodes to whole
    /// bytes: age identities (`AGE-SECRET-KEY-1…`).
    Bech32,
    /// `<prefix>-` + the unpadded base64url of a version-2 binary macaroon (libmacaroons format:
    /// version byte 2, a header section with an identifier, caveat sections, a 32-byte
    /// signature), as PyPI issues upload tokens.
    MacaroonV2,
    /// Sentry organization auth tokens: `sntrys_` + base64 of a JSON object with an `iat` claim
    /// + `_` + 43 base64 characters (32 random bytes), as Sentry's `orgauthtoken_token` writes them.
    SentryOrgToken,
    /// The 52-character Azure DevOps personal access token: base32 (a-z, 2-7) of 32 bytes that
    /// embed the CRC32 of the other 28, XORed with Microsoft's user or application PAT constant
    /// (the algorithm of Microsoft's security-utilities `AdoPat`).
    AzureDevopsPatCrc32,
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
