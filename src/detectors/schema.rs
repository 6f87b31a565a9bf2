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
    /// Opt-in liveness checks, by detector id (`leakguard scan --verify`; see `verify::spec`).
    #[serde(default)]
    pub verify: BTreeMap<String, Spanned<CheckSyntax>>,
    /// How issuers revoke credentials, by detector id (`leakguard revoke`).
    #[serde(default)]
    pub revoke: BTreeMap<String, Spanned<CheckSyntax>>,
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
    /// Ask issuers whether each finding is live (`leakguard --verify`); a person overrides it
    /// with `--no-verify-keys` or LEAKGUARD_VERIFY=0.
    pub verify: Option<bool>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProviderSyntax {
    pub name: String,
    /// What kind of service it is (`docs/catalogue.md` lists the categories); required of the
    /// built-ins, so that `leakguard detectors --category` can show what a stack is covered by.
    pub category: Option<String>,
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

/// How a detector names its provider.
#[derive(Debug, Clone)]
pub enum ProviderRef {
    Key(String),
    Inline(Box<ProviderSyntax>),
}

impl ProviderRef {
    /// The key of a provider named by key.
    pub fn key(&self) -> Option<&str> {
        match self {
            ProviderRef::Key(k) => Some(k),
            ProviderRef::Inline(_) => None,
        }
    }
}

// By hand rather than `untagged`, so that a typo inside an inline provider keeps serde's own
// message (`unknown field …, expected one of …`) and its position.
impl<'de> Deserialize<'de> for ProviderRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ProviderRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a provider key (a string) or an inline provider table")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ProviderRef, E> {
                Ok(ProviderRef::Key(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ProviderRef, A::Error> {
                ProviderSyntax::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|p| ProviderRef::Inline(Box::new(p)))
            }
        }
        d.deserialize_any(Visitor)
    }
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
    pub category: Option<&'static str>,
    pub revoke_url: Option<&'static str>,
    pub steps: &'static [std::borrow::Cow<'static, str>],
    pub cli: &'static [std::borrow::Cow<'static, str>],
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
    pub keywords: &'static [std::borrow::Cow<'static, str>],
    /// The regex, or empty for a shaped detector.
    pub regex: &'static str,
    /// What the regex's secret is made of, worked out by `build.rs`.
    pub secret_run: Option<super::secret_run::SecretRun>,
    pub shape: Option<&'static [StaticPart]>,
    pub matcher: Option<(MatcherKind, &'static [Form])>,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    pub multiline: bool,
    pub looks_random: bool,
    pub public_values: &'static [std::borrow::Cow<'static, str>],
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

/// A part of a built-in detector's shape (`detectors::shape::Part` as static data).
#[derive(Debug)]
pub struct StaticPart {
    pub literal: &'static str,
    pub class: super::shape::Class,
    pub min: usize,
    pub max: usize,
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
    /// Amazon Bedrock short-term API keys: `bedrock-api-key-` + the base64 of a SigV4-presigned
    /// `bedrock.amazonaws.com/?Action=CallWithBearerToken&…&X-Amz-Signature=…` URL that ends in
    /// `&Version=1` (AWS's `aws-bedrock-token-generator`).
    BedrockPresignedUrl,
}

/// A built-in matcher a detector may use instead of a regex (see `engine::generic`).
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MatcherKind {
    /// A credential-like name bound to a literal, in any common syntax.
    CredentialBinding,
    /// `scheme://user:password@host`, any scheme.
    CredentialUrl,
}

/// The syntax a generic match was found in. Each form is reported by the one detector that
/// claims it, so that a detector id keeps one meaning.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// A quoted literal: assignments, keys, declarations, arguments, comparisons, attributes.
    Quoted,
    /// An unquoted configuration value: `.env`, YAML, INI, properties, connection strings.
    Unquoted,
    /// `<password>…</password>`.
    XmlElement,
    /// `--password …`, `-p<password>` for the MySQL family.
    CliFlag,
    /// `curl -u user:password`.
    CurlUser,
    /// `Authorization: Basic …`.
    BasicAuth,
    /// `Authorization: Bearer …` (or another scheme, or none).
    Bearer,
    /// `X-API-Key: …` and other credential-named headers.
    ApiKeyHeader,
    /// `scheme://user:password@host`.
    Url,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Quoted => "quoted",
            Form::Unquoted => "unquoted",
            Form::XmlElement => "xml-element",
            Form::CliFlag => "cli-flag",
            Form::CurlUser => "curl-user",
            Form::BasicAuth => "basic-auth",
            Form::Bearer => "bearer",
            Form::ApiKeyHeader => "api-key-header",
            Form::Url => "url",
        }
    }
}

impl MatcherKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatcherKind::CredentialBinding => "credential-binding",
            MatcherKind::CredentialUrl => "credential-url",
        }
    }

    /// The keywords the matcher needs in the prefilter to see every line it could match: the
    /// credential words the binding finder starts from and the commands it reads. A detector
    /// that names none gets these.
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            MatcherKind::CredentialBinding => &[
                "secret",
                "token",
                "pass",
                "pwd",
                "key",
                "cred",
                "auth",
                "webhook",
                "login",
                "logon",
                // Signing calls whose argument is the key (`jwt.encode(payload, "…")`,
                // `hmac.new(b"…", …)`, `Fernet(b"…")`).
                "jwt",
                "hmac",
                "fernet",
                // JDBC's `DriverManager.getConnection(url, user, "…")`.
                "getconnection",
                // A string that is a whole header value, `"Bearer …"`.
                "bearer",
                // golang-jwt's `token.SignedString([]byte("…"))`.
                "signedstring",
                // Calls whose argument is a password: ftplib's `FTP(host, user, "…")`, PHP's
                // `ldap_bind($l, $dn, "…")`, python-ldap's `simple_bind_s(dn, "…")` (libcurl's
                // `CURLOPT_USERPWD` holds `pwd`).
                "ftp(",
                "ftp_tls(",
                "ldap_bind",
                "simple_bind",
                "bind_s(",
                "curl",
                "mysql",
                "mariadb",
                "sshpass",
                "unseal",
                "securestring",
                "psexec",
                "paexec",
                "net use",
                // `htpasswd`, `requirepass`, `masterauth`, OpenSSL's `pass:` and
                // `--password-stdin` hold `pass` or `auth` already, `keytool` holds `key`.
                "redis-cli",
                "from-literal",
                "rabbitmqctl",
                "mongo",
                "vault",
                "sudo",
                // SQL's `IDENTIFIED BY '…'` (its `PASSWORD '…'` holds `pass`).
                "identified",
                // `pat` (personal access token) only glued after a name and followed by a
                // binding: the bare word is in every `path` and `pattern`.
                "_pat=",
                "_pat ",
                "_pat:",
                "_pat\"",
                "_pat'",
            ],
            MatcherKind::CredentialUrl => &["://"],
        }
    }

    /// The forms the matcher finds.
    pub fn forms(self) -> &'static [Form] {
        match self {
            MatcherKind::CredentialBinding => &[
                Form::Quoted,
                Form::Unquoted,
                Form::XmlElement,
                Form::CliFlag,
                Form::CurlUser,
                Form::BasicAuth,
                Form::Bearer,
                Form::ApiKeyHeader,
            ],
            MatcherKind::CredentialUrl => &[Form::Url],
        }
    }
}

/// `matcher = { kind = "credential-binding", forms = ["quoted"] }`.
#[derive(Debug, Deserialize, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MatcherSyntax {
    pub kind: MatcherKind,
    pub forms: Vec<Form>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct DetectorSyntax {
    pub id: String,
    /// A `[provider.KEY]` table's KEY, or the provider inline (`{ name = …, steps = […] }`).
    /// In a repository's `.leakguard.toml` it may be left out: the built-in `generic` provider,
    /// whose steps say to find the service from the code around the value.
    #[serde(default)]
    pub provider: Option<ProviderRef>,
    /// The credential type as reports name it; the id when absent.
    pub name: Option<String>,
    pub gitlab_id: Option<String>,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    /// The prefix of a shaped detector when absent.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Either a regex (with a `secret` group) or a `shape` (with an optional `prefix` and
    /// `then`): see `docs/catalogue.md`.
    pub regex: Option<String>,
    pub shape: Option<String>,
    pub prefix: Option<String>,
    pub then: Option<String>,
    /// A built-in matcher instead of a regex or shape (see `engine::generic`).
    pub matcher: Option<MatcherSyntax>,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    /// The regex may span lines (PEM blocks); it then sees the whole run of added lines.
    #[serde(default)]
    pub multiline: bool,
    /// The value must look random (see `validate::looks_random`): for detectors without a
    /// distinctive format, whose matches would otherwise include identifiers and words. Shaped
    /// detectors without a prefix default to true.
    pub looks_random: Option<bool>,
    /// Values the provider itself publishes that grant nothing (emulator keys, client ids baked
    /// into official SDKs): never reported.
    #[serde(default)]
    pub public_values: Vec<String>,
    /// Detectors that are known to find this one's examples too, because they are more general
    /// (an older or broader form of the same credential): `leakguard check` accepts them.
    #[serde(default)]
    pub more_general: Vec<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// Severity when a detector names none: a credential blocks unless it is known to be public.
fn default_severity() -> Severity {
    Severity::High
}

/// What a detector matches with.
#[derive(Clone, Debug)]
pub enum PatternSyntax {
    Regex(String),
    Shape(super::shape::Shape),
    Matcher(MatcherSyntax),
}

/// A detector's fields with their defaults applied, as the engine needs them.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub name: String,
    pub keywords: Vec<String>,
    pub pattern: PatternSyntax,
    pub min_entropy: Option<f64>,
    pub looks_random: bool,
}

impl DetectorSyntax {
    /// Applies the defaults (`docs/catalogue.md`) and checks that the detector says what it
    /// matches in exactly one way. The error is a message about this detector.
    pub fn resolve(&self) -> Result<Resolved, String> {
        if let Some(m) = &self.matcher {
            if self.regex.is_some() || self.shape.is_some() {
                return Err("has a `matcher` and a `regex` or `shape`: give one".into());
            }
            if self.prefix.is_some() || self.then.is_some() {
                return Err("`prefix` and `then` go with `shape`, not with `matcher`".into());
            }
            if m.forms.is_empty() {
                return Err("its `matcher` claims no `forms`".into());
            }
            if let Some(f) = m.forms.iter().find(|f| !m.kind.forms().contains(f)) {
                return Err(format!(
                    "matcher `{}` has no form `{}` (it has: {})",
                    m.kind.as_str(),
                    f.as_str(),
                    m.kind
                        .forms()
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            // The matcher needs its keywords to see every line it could match; a detector's own
            // keywords are added to them. (Requiring a detector to list them all made a
            // repository's configuration invalid each time the matcher learned a new word.)
            let mut keywords = self.keywords.clone();
            for k in m.kind.keywords() {
                if !keywords.iter().any(|l| l.eq_ignore_ascii_case(k)) {
                    keywords.push(k.to_string());
                }
            }
            return Ok(Resolved {
                name: self.name.clone().unwrap_or_else(|| self.id.clone()),
                keywords,
                pattern: PatternSyntax::Matcher(m.clone()),
                min_entropy: self.min_entropy,
                looks_random: self.looks_random.unwrap_or(false),
            });
        }
        let pattern = match (&self.regex, &self.shape) {
            (Some(_), Some(_)) => {
                return Err("has both `regex` and `shape`: give one".into());
            }
            (None, None) => return Err("needs a `regex`, a `shape` or a `matcher`".into()),
            (Some(regex), None) => {
                if self.prefix.is_some() || self.then.is_some() {
                    return Err("`prefix` and `then` go with `shape`, not with `regex`".into());
                }
                PatternSyntax::Regex(regex.clone())
            }
            (None, Some(shape)) => PatternSyntax::Shape(
                super::shape::Shape::parse(self.prefix.as_deref(), shape, self.then.as_deref())
                    .map_err(|e| e.0)?,
            ),
        };
        let (keywords, min_entropy, looks_random) = match &pattern {
            PatternSyntax::Regex(_) | PatternSyntax::Matcher(_) => (
                self.keywords.clone(),
                self.min_entropy,
                self.looks_random.unwrap_or(false),
            ),
            PatternSyntax::Shape(shape) => {
                let keywords = if self.keywords.is_empty() && !shape.prefix().is_empty() {
                    vec![shape.prefix().to_string()]
                } else {
                    self.keywords.clone()
                };
                let contextual = shape.prefix().is_empty();
                (
                    keywords,
                    self.min_entropy.or(shape.default_min_entropy()),
                    self.looks_random.unwrap_or(contextual),
                )
            }
        };
        Ok(Resolved {
            name: self.name.clone().unwrap_or_else(|| self.id.clone()),
            keywords,
            pattern,
            min_entropy,
            looks_random,
        })
    }
}

/// `[detector.verify]` / `[detector.revoke]` as written.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct CheckSyntax {
    /// `METHOD https://host/path?query`, with `{secret}` (and `{pair}`) where they go; or
    /// `METHOD {secret}` when the secret is itself an https URL (a webhook), whose host must
    /// then be one of `hosts`.
    pub request: String,
    /// The hosts a secret that is a URL may name (`request = "GET {secret}"`).
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
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
    /// A string the body must contain (ASCII case-insensitively), or a list of which one must be.
    pub body: Option<OneOrMany>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}
