//! `--format json`: every finding and a summary, in a versioned schema documented in
//! `docs/json-report.md` (and `docs/report-v1.schema.json`). Secrets are redacted unless
//! `--show-secrets`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::chunk::Origin;
use crate::detectors::Catalogue;
use crate::escape;
use crate::finding::Finding;
use crate::fingerprint::Fingerprint;
use crate::outcome::Outcome;
use crate::policy::{Review, Verdict, Weakening};

use super::Context;

pub const SCHEMA: &str = "leakguard-report/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    tool: Tool,
    context: &'static str,
    findings: Vec<JsonFinding<'a>>,
    /// Only when the scanned commits weaken leakguard's configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    config_changes: Option<ConfigChanges<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct ConfigChanges<'a> {
    /// `blocks`, `accepted` (`--allow-config-changes`) or `judged-with` (`--config-from`).
    verdict: &'static str,
    blocking: bool,
    /// The revision the range was judged with (`--config-from`), if any.
    base: Option<&'a str>,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    commit: Commit<'a>,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    /// `kind` and its fields (`policy::Weakening`).
    #[serde(flatten)]
    weakening: &'a Weakening,
    description: String,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    detector: &'a str,
    name: &'a str,
    provider: &'a str,
    provider_name: &'a str,
    severity: &'static str,
    gitlab_id: Option<&'a str>,
    blocking: bool,
    path: &'a str,
    line: u32,
    column: u32,
    commit: Option<Commit<'a>>,
    fingerprint: &'a Fingerprint,
    secret: String,
    secret_redacted: bool,
    /// Present when the secret was found inside an encoded value: its encodings, outermost
    /// first; `secret` is then the decoded secret and `line`/`column` the encoded value's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    encoding: Vec<&'static str>,
    suppressed: Option<&'static str>,
    /// Present when the run verified (`--verify`): what the issuer said.
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<Verification<'a>>,
}

#[derive(Serialize)]
struct Verification<'a> {
    /// `live`, `invalid` or `unknown`.
    status: &'static str,
    /// Why the answer is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct Commit<'a> {
    id: &'a str,
    subject: &'a str,
    author: &'a str,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    blocking: usize,
    warnings: usize,
    suppressed: BTreeMap<&'static str, usize>,
    files: usize,
    added_lines: usize,
    bytes_scanned: u64,
    commits: usize,
    binary_skipped: usize,
    elapsed_ms: f64,
}

pub fn context_name(c: Context) -> &'static str {
    match c {
        Context::PreCommit => "pre-commit",
        Context::Staged => "staged",
        Context::PrePush => "pre-push",
        Context::History => "history",
        Context::Files => "files",
    }
}

pub fn render(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    outcome: &Outcome,
    review: &Review,
    context: Context,
    show_secrets: bool,
) -> io::Result<()> {
    let findings: Vec<JsonFinding> = outcome
        .findings
        .iter()
        .map(|f| {
            let mut j = finding(catalogue, f, show_secrets);
            j.verification = outcome.liveness_of(f).map(|status| Verification {
                status: status.label(),
                reason: match status {
                    crate::verify::Status::Unknown(why) => Some(why),
                    _ => None,
                },
            });
            j
        })
        .collect();
    let mut suppressed = BTreeMap::new();
    for f in &outcome.findings {
        if let Some(s) = f.suppressed {
            *suppressed.entry(s.as_str()).or_insert(0) += 1;
        }
    }
    let s = &outcome.stats;
    let report = Report {
        schema: SCHEMA,
        tool: Tool {
            name: "leakguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        context: context_name(context),
        config_changes: config_changes(review),
        summary: Summary {
            findings: findings.len(),
            blocking: outcome.blocking().count(),
            warnings: outcome.warnings().count(),
            suppressed,
            files: s.files,
            added_lines: s.added_lines,
            bytes_scanned: s.bytes,
            commits: s.commits,
            binary_skipped: s.binary_skipped,
            elapsed_ms: (s.elapsed.as_secs_f64() * 1e6).round() / 1e3,
        },
        findings,
    };
    escape::json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn config_changes(review: &Review) -> Option<ConfigChanges<'_>> {
    if review.changes.is_empty() {
        return None;
    }
    let (verdict, base) = match &review.verdict {
        Verdict::Blocks => ("blocks", None),
        Verdict::Accepted => ("accepted", None),
        Verdict::JudgedWith(base) => ("judged-with", Some(base.as_str())),
    };
    Some(ConfigChanges {
        verdict,
        blocking: review.blocks(),
        base,
        changes: review
            .changes
            .iter()
            .map(|c| JsonChange {
                commit: Commit {
                    id: &c.commit.id,
                    subject: &c.commit.subject,
                    author: &c.commit.author,
                },
                file: c.file,
                line: (c.line > 0).then_some(c.line),
                column: (c.line > 0).then_some(c.column),
                weakening: &c.weakening,
                description: c.weakening.describe(&|s| format!("`{s}`")),
            })
            .collect(),
    })
}

fn finding<'a>(catalogue: &'a Catalogue, f: &'a Finding, show_secrets: bool) -> JsonFinding<'a> {
    let d = &catalogue.detectors[f.detector];
    // A generic finding attributed to a provider names that provider.
    let provider = f.provider_key(catalogue);
    let provider_name = catalogue
        .providers
        .get(provider)
        .map_or(provider, |p| p.name.as_ref());
    JsonFinding {
        detector: &d.id,
        name: &d.name,
        provider,
        provider_name,
        severity: f.severity.as_str(),
        gitlab_id: d.gitlab_id.as_deref(),
        blocking: f.blocks(),
        path: &f.path,
        line: f.line,
        column: f.column,
        commit: match f.origin.as_ref() {
            Origin::Commit(c) => Some(Commit {
                id: &c.id,
                subject: &c.subject,
                author: &c.author,
            }),
            _ => None,
        },
        fingerprint: &f.fingerprint,
        secret: if show_secrets {
            String::from_utf8_lossy(f.secret.expose()).into_owned()
        } else {
            f.secret.redacted()
        },
        secret_redacted: !show_secrets,
        encoding: f.encoding.iter().map(|e| e.as_str()).collect(),
        suppressed: f.suppressed.map(|s| s.as_str()),
        verification: None,
    }
}
