//! The baseline: the findings a repository already had when it adopted leakguard.
//!
//! `leakguard baseline` records them in `.leakguard-baseline.json` (a versioned JSON document,
//! `docs/baseline.md`), and every later hook run and scan suppresses exactly those secrets, so a
//! team can adopt leakguard without first cleaning years of history. Entries are matched by
//! fingerprint only (detector id + hash of the secret): the path, line and commit stored beside
//! it are context for people, and the secret is stored redacted, never in full.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::chunk::Origin;
use crate::detectors::Catalogue;
use crate::error::{Error, Result};
use crate::escape;
use crate::finding::Finding;
use crate::fingerprint::Fingerprint;
use crate::repo_file;

/// The default baseline, at the repository root.
pub const BASELINE_FILE: &str = ".leakguard-baseline.json";
pub const SCHEMA: &str = "leakguard-baseline/1";

#[derive(Serialize)]
struct FileOut<'a> {
    schema: &'static str,
    tool: Tool,
    /// `files` (the work tree) or `history` (`--git`).
    source: &'a str,
    findings: Vec<EntryOut<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    fingerprint: &'a Fingerprint,
    detector: &'a str,
    severity: &'static str,
    path: &'a str,
    line: u32,
    commit: Option<&'a str>,
    /// Redacted (`prefix…(length chars)`), whatever `--show-secrets` says.
    secret: String,
}

/// Writes the baseline for `findings` (every unsuppressed one) to `path`; returns how many
/// distinct fingerprints it holds.
pub fn write(
    path: &Path,
    catalogue: &Catalogue,
    findings: &[&Finding],
    source: &str,
) -> Result<usize> {
    let mut entries: Vec<EntryOut> = findings
        .iter()
        .map(|f| {
            let d = &catalogue.detectors[f.detector];
            EntryOut {
                path: &f.path,
                line: f.line,
                fingerprint: &f.fingerprint,
                detector: &d.id,
                severity: d.severity.as_str(),
                commit: match f.origin.as_ref() {
                    Origin::Commit(c) => Some(c.id.as_str()),
                    _ => None,
                },
                secret: f.secret.redacted(),
            }
        })
        .collect();
    entries.sort_by(|a, b| (a.path, a.line, a.fingerprint).cmp(&(b.path, b.line, b.fingerprint)));
    entries.dedup_by(|a, b| (a.path, a.line, a.fingerprint) == (b.path, b.line, b.fingerprint));
    let distinct = entries
        .iter()
        .map(|e| e.fingerprint)
        .collect::<HashSet<_>>()
        .len();
    let doc = FileOut {
        schema: SCHEMA,
        tool: Tool {
            name: "leakguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        source,
        findings: entries,
    };
    let mut text = escape::json::to_string_pretty(&doc).expect("plain data serializes");
    text.push('\n');
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(distinct)
}

/// A loaded baseline: the set of fingerprints it accepts.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub path: PathBuf,
    /// How errors and `check` name it.
    pub label: String,
    fingerprints: HashSet<Fingerprint>,
}

#[derive(Deserialize)]
struct FileIn {
    #[allow(dead_code)] // checked while deserializing
    schema: SchemaTag,
    findings: Vec<EntryIn>,
}

/// Other fields of an entry are context for people and are not read.
#[derive(Deserialize)]
struct EntryIn {
    fingerprint: Fingerprint,
}

/// `schema` comes first in the files we write, so an unknown version is reported before its
/// findings fail to parse.
struct SchemaTag;

impl<'de> Deserialize<'de> for SchemaTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == SCHEMA {
            Ok(SchemaTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "unsupported baseline schema `{s}` (this leakguard reads `{SCHEMA}`)"
            )))
        }
    }
}

impl Baseline {
    /// Reads a baseline; `label` names it in errors (`label:line:column: …`). `origin` says
    /// whether it is the repository's own (then it must be a regular file inside it) or one
    /// given with `--baseline FILE`; either way it is bounded (`repo_file`).
    pub fn load(path: &Path, label: &str, origin: repo_file::Origin<'_>) -> Result<Self> {
        let bytes = repo_file::read(path, label, origin)?.ok_or_else(|| {
            Error::given_path("the baseline", path, std::io::ErrorKind::NotFound.into())
        })?;
        let mut baseline = Self::parse(label, &bytes)?;
        baseline.path = path.to_path_buf();
        Ok(baseline)
    }

    /// Parses a baseline's bytes (read from the work tree or from a commit).
    pub fn parse(label: &str, bytes: &[u8]) -> Result<Self> {
        let doc: FileIn = serde_json::from_slice(bytes).map_err(|e| {
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            Error::Config {
                location: format!("{label}:{}:{}", e.line(), e.column().max(1)),
                message: format!("invalid baseline: {}", escape::tame(message)),
            }
        })?;
        Ok(Baseline {
            path: PathBuf::from(label),
            label: label.to_string(),
            fingerprints: doc.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    pub fn contains(&self, fingerprint: &Fingerprint) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    /// Distinct fingerprints.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// How `recorded` differs from this baseline: how many of its fingerprints are new to it,
    /// and how many of its own are no longer recorded.
    pub fn changes<'a>(&self, recorded: impl Iterator<Item = &'a Fingerprint>) -> (usize, usize) {
        let new: HashSet<&Fingerprint> = recorded.collect();
        let added = new.iter().filter(|fp| !self.contains(fp)).count();
        let dropped = self.fingerprints().filter(|fp| !new.contains(fp)).count();
        (added, dropped)
    }

    /// The fingerprints it accepts, in no particular order.
    pub fn fingerprints(&self) -> impl Iterator<Item = &Fingerprint> {
        self.fingerprints.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Baseline> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, text).unwrap();
        Baseline::load(&path, "b.json", repo_file::Origin::Given)
    }

    #[test]
    fn errors_name_line_and_column_and_never_echo_values() {
        let ok = load(&format!(
            "{{\"schema\": \"{SCHEMA}\", \"findings\": [{{\"fingerprint\": \"x-y:0123456789abcdef\", \"path\": \"a\"}}]}}"
        ))
        .unwrap();
        assert!(ok.contains(&Fingerprint::parse("x-y:0123456789abcdef").unwrap()));
        let err = load("{\"schema\": \"leakguard-baseline/9\", \"findings\": []}")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.json:1:33: invalid baseline: unsupported baseline schema"),
            "{err}"
        );
        let err = load(&format!(
            "{{\"schema\": \"{SCHEMA}\",\n\"findings\": [{{\"fingerprint\": \"ghp_notafingerprint\"}}]}}"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("b.json:2:51: invalid baseline: not a fingerprint"),
            "{err}"
        );
        assert!(!err.contains("ghp_notafingerprint"), "{err}");
        let err = load("{").unwrap_err().to_string();
        assert!(err.starts_with("b.json:1:1: invalid baseline: "), "{err}");
    }
}
