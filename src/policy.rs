//! A change cannot quietly switch off the check that judges it.
//!
//! `.leakguard.toml`, `.leakguardignore` and the baseline are read from the repository, so a
//! commit can carry both a secret and the setting that hides it (`skip_paths = ["**"]`, its
//! fingerprint in the ignore file). For the commits of a push or of a history scan, this
//! compares each commit's version of those three files with its first parent's and lists every
//! way the new one is weaker: a detector disabled, a built-in detector or provider replaced,
//! a repository detector removed or changed, a path skipped or allowed, a placeholder word, an
//! ignore or baseline entry, a file that can no longer be read. Each is a `ConfigChange`
//! naming the commit; reports show it as its own item and it blocks like a finding, unless the
//! range is judged with its base's configuration (`--config-from`, where it cannot have hidden
//! anything) or the change is accepted (`--allow-config-changes`).
//!
//! Only what weakens is listed: a new detector of the repository's own, or an entry removed,
//! makes the check stricter and is not a concern here.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Serialize;

use crate::chunk::CommitInfo;
use crate::config::REPOSITORY_CONFIG;
use crate::detectors::{Catalogue, Detector, Provider};
use crate::error::Result;
use crate::escape;
use crate::git::{CommitId, Repo, RootFile};
use crate::repo_file;
use crate::suppress::{BASELINE_FILE, Baseline, IGNORE_FILE, IgnoreFile};

/// The files compared, in this order.
pub const FILES: [&str; 3] = [REPOSITORY_CONFIG, IGNORE_FILE, BASELINE_FILE];

/// One way a commit weakens the configuration that judges it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigChange {
    pub commit: CommitInfo,
    /// The file changed: one of `FILES`.
    pub file: &'static str,
    /// 1-based line and column in the commit's version of the file; 0 when the change has no
    /// place there (a detector removed, a file deleted or unreadable).
    pub line: usize,
    pub column: usize,
    pub weakening: Weakening,
}

/// What a change switches off. The strings are the repository's own (ids, globs, words,
/// fingerprints): shown escaped to people, kept as they are in JSON and SARIF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Weakening {
    /// `[settings] disable` names a detector.
    Disable { detector: String },
    /// A built-in detector's id is defined by the repository (replaced or changed).
    OverrideDetector { detector: String },
    /// A built-in provider's key is defined by the repository: its rotation steps and URLs.
    OverrideProvider { provider: String },
    /// A detector the repository defined is gone.
    RemoveDetector { detector: String },
    /// What a detector the repository defined matches has changed.
    ChangeDetector { detector: String },
    /// `[settings] skip_paths` has a new glob.
    SkipPaths { glob: String },
    /// A new `[[allow]]` rule; `detectors` empty means every detector.
    Allow {
        paths: Vec<String>,
        detectors: Vec<String>,
    },
    /// `[settings] placeholders` has a new word.
    Placeholder { word: String },
    /// `.leakguardignore` lists a new fingerprint.
    Ignore { fingerprint: String },
    /// The baseline accepts new fingerprints.
    Baseline { fingerprints: Vec<String> },
    /// The commit's version cannot be read as one (malformed, too large, not a regular file):
    /// what it would do is unknown, so it counts as weakening.
    Unreadable { problem: String },
}

impl Weakening {
    /// What it switches off, in leakguard's words, with each of the repository's strings passed
    /// through `show` (`escape::quote` for a terminal; as they are for SARIF, whose JSON
    /// writer escapes).
    pub fn describe(&self, show: &dyn Fn(&str) -> String) -> String {
        let list = |v: &[String]| v.iter().map(|s| show(s)).collect::<Vec<_>>().join(", ");
        match self {
            Weakening::Disable { detector } => format!("disables the detector {}", show(detector)),
            Weakening::OverrideDetector { detector } => {
                format!("replaces the built-in detector {}", show(detector))
            }
            Weakening::OverrideProvider { provider } => format!(
                "replaces the rotation steps and links of the built-in provider {}",
                show(provider)
            ),
            Weakening::RemoveDetector { detector } => {
                format!("removes the repository's detector {}", show(detector))
            }
            Weakening::ChangeDetector { detector } => format!(
                "changes what the repository's detector {} matches",
                show(detector)
            ),
            Weakening::SkipPaths { glob } => format!(
                "skip_paths {}: findings there are suppressed for every detector",
                show(glob)
            ),
            Weakening::Allow { paths, detectors } => format!(
                "[[allow]] {}: {} suppressed there",
                list(paths),
                if detectors.is_empty() {
                    "every detector".to_string()
                } else {
                    list(detectors)
                }
            ),
            Weakening::Placeholder { word } => format!(
                "placeholder word {}: values containing it are never reported",
                show(word)
            ),
            Weakening::Ignore { fingerprint } => {
                format!("ignores {} wherever it appears", show(fingerprint))
            }
            Weakening::Baseline { fingerprints } => {
                const SHOWN: usize = 3;
                let mut text = format!(
                    "accepts {} more {} in the baseline: {}",
                    fingerprints.len(),
                    if fingerprints.len() == 1 {
                        "secret"
                    } else {
                        "secrets"
                    },
                    list(&fingerprints[..fingerprints.len().min(SHOWN)])
                );
                if fingerprints.len() > SHOWN {
                    text.push_str(", …");
                }
                text
            }
            Weakening::Unreadable { problem } => {
                format!(
                    "cannot be judged (so it counts as weakening): {}",
                    show(problem)
                )
            }
        }
    }
}

/// Whether the configuration changes of a range block, and why not when they do not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Verdict {
    /// They block like a finding: the range is judged with the configuration it changed.
    #[default]
    Blocks,
    /// `--allow-config-changes` (`LEAKGUARD_ALLOW_CONFIG_CHANGES=1` for the hook).
    Accepted,
    /// `--config-from REV`: judged with that revision's configuration, they hid nothing.
    JudgedWith(String),
}

/// The configuration changes of a scanned range and what they mean for the verdict.
#[derive(Clone, Debug, Default)]
pub struct Review {
    pub changes: Vec<ConfigChange>,
    pub verdict: Verdict,
}

impl Review {
    /// Whether these changes block on their own.
    pub fn blocks(&self) -> bool {
        !self.changes.is_empty() && self.verdict == Verdict::Blocks
    }

    /// The commits with changes, in the order of `changes`, each once.
    pub fn commits(&self) -> Vec<&CommitInfo> {
        let mut seen = HashSet::new();
        self.changes
            .iter()
            .map(|c| &c.commit)
            .filter(|c| seen.insert(c.id.as_str()))
            .collect()
    }
}

/// Reviews `commits` (newest first, as the walks return them): every commit's weakening of the
/// configuration, oldest commit first. With `base` (`--config-from`), commits that `base`
/// already contains are left out: their changes are part of the configuration that judges.
pub fn review(
    repo: &Repo,
    commits: &[CommitId],
    base: Option<&str>,
    verdict: Verdict,
) -> Result<Review> {
    let beyond;
    let commits = match base {
        Some(base) => {
            beyond = repo.not_reachable_from(commits, base)?;
            &beyond[..]
        }
        None => commits,
    };
    let mut changes = Vec::new();
    for change in repo
        .root_file_changes(commits, &FILES, repo_file::MAX_SIZE)?
        .into_iter()
        .rev()
    {
        for (i, file) in FILES.iter().enumerate() {
            for (line, column, weakening) in compare(file, &change.before[i], &change.after[i]) {
                changes.push(ConfigChange {
                    commit: change.commit.clone(),
                    file,
                    line,
                    column,
                    weakening,
                });
            }
        }
    }
    Ok(Review { changes, verdict })
}

/// The ways `after` is weaker than `before` for `file` (one of `FILES`), each with its line
/// and column in `after` (0 when it has none there).
pub fn compare(file: &str, before: &RootFile, after: &RootFile) -> Vec<(usize, usize, Weakening)> {
    if before == after {
        return Vec::new();
    }
    let unreadable = |problem: String| vec![(0, 0, Weakening::Unreadable { problem })];
    let after_bytes = match after {
        RootFile::Missing => None,
        RootFile::Blob(bytes) => Some(bytes.as_slice()),
        RootFile::NotAFile(what) => return unreadable(format!("{file} is {what}")),
        RootFile::TooLarge(size) => {
            return unreadable(repo_file::too_large(file, *size).to_string());
        }
    };
    // A previous version that cannot be read counts as empty: everything in the new one is new.
    let before_bytes = match before {
        RootFile::Blob(bytes) => Some(bytes.as_slice()),
        _ => None,
    };
    match file {
        REPOSITORY_CONFIG => compare_config(before_bytes, after_bytes),
        IGNORE_FILE => compare_ignore(before_bytes, after_bytes),
        _ => compare_baseline(before_bytes, after_bytes),
    }
}

/// The built-in detector ids and provider keys, which a repository can only replace.
static BUILTIN: LazyLock<(HashSet<String>, HashSet<String>)> = LazyLock::new(|| {
    let c = Catalogue::builtin().expect("the built-in catalogue loads");
    (
        c.detectors.iter().map(|d| d.id.to_string()).collect(),
        c.providers.keys().map(|k| k.to_string()).collect(),
    )
});

fn parse_config(bytes: &[u8]) -> Result<Catalogue, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("{REPOSITORY_CONFIG} is not valid UTF-8"))?;
    Catalogue::parse(REPOSITORY_CONFIG, text, true).map_err(|e| e.to_string())
}

/// What a detector matches with, to tell whether a definition changed (its name, description
/// and examples do not change what it finds).
fn matching(d: &Detector) -> String {
    format!(
        "{:?}",
        (
            &d.provider,
            d.severity,
            &d.keywords,
            &d.pattern,
            d.min_entropy,
            d.checksum,
            d.multiline,
            d.looks_random,
            &d.public_values,
        )
    )
}

fn rotation(
    p: &Provider,
) -> (
    &str,
    &[crate::detectors::Text],
    &[crate::detectors::Text],
    Option<&str>,
    Option<&str>,
) {
    (
        &p.name,
        &p.steps,
        &p.cli,
        p.revoke_url.as_deref(),
        p.docs.as_deref(),
    )
}

fn compare_config(before: Option<&[u8]>, after: Option<&[u8]>) -> Vec<(usize, usize, Weakening)> {
    let before = before
        .and_then(|b| parse_config(b).ok())
        .unwrap_or_default();
    let after = match after.map(parse_config) {
        None => Catalogue::default(),
        Some(Ok(c)) => c,
        Some(Err(problem)) => return vec![(0, 0, Weakening::Unreadable { problem })],
    };
    let (builtin_detectors, builtin_providers) = &*BUILTIN;
    let mut out = Vec::new();
    for off in &after.disabled {
        if !before.disabled.iter().any(|b| b.id == off.id) {
            out.push((
                off.by.line,
                off.by.column,
                Weakening::Disable {
                    detector: off.id.clone(),
                },
            ));
        }
    }
    for d in &after.detectors {
        let old = before.detectors.iter().find(|b| b.id == d.id);
        let changed = old.is_none_or(|o| matching(o) != matching(d));
        let weakening = if builtin_detectors.contains(d.id.as_ref()) {
            changed.then(|| Weakening::OverrideDetector {
                detector: d.id.to_string(),
            })
        } else {
            (old.is_some() && changed).then(|| Weakening::ChangeDetector {
                detector: d.id.to_string(),
            })
        };
        if let Some(w) = weakening {
            out.push((d.defined_at.line, d.defined_at.column, w));
        }
    }
    for d in &before.detectors {
        if !builtin_detectors.contains(d.id.as_ref())
            && !after.detectors.iter().any(|a| a.id == d.id)
        {
            out.push((
                0,
                0,
                Weakening::RemoveDetector {
                    detector: d.id.to_string(),
                },
            ));
        }
    }
    for (key, p) in &after.providers {
        if !builtin_providers.contains(key.as_ref()) {
            continue;
        }
        let changed = before
            .providers
            .get(key)
            .is_none_or(|o| rotation(o) != rotation(p));
        if changed {
            let at = p.defined_at.as_ref();
            out.push((
                at.map_or(0, |a| a.line),
                at.map_or(0, |a| a.column),
                Weakening::OverrideProvider {
                    provider: key.to_string(),
                },
            ));
        }
    }
    for g in &after.skip_paths {
        if !before.skip_paths.iter().any(|b| b.glob == g.glob) {
            out.push((
                g.defined_at.line,
                g.defined_at.column,
                Weakening::SkipPaths {
                    glob: g.glob.clone(),
                },
            ));
        }
    }
    let rule_key = |r: &crate::detectors::AllowRule| {
        let mut paths: Vec<String> = r.paths.iter().map(|g| g.glob.clone()).collect();
        let mut detectors: Vec<String> = r.detectors.iter().map(|(id, _)| id.clone()).collect();
        paths.sort();
        detectors.sort();
        (paths, detectors)
    };
    let old_rules: Vec<_> = before.allow.iter().map(rule_key).collect();
    for rule in &after.allow {
        let (paths, detectors) = rule_key(rule);
        if !old_rules.contains(&(paths.clone(), detectors.clone())) {
            out.push((
                rule.defined_at.line,
                rule.defined_at.column,
                Weakening::Allow { paths, detectors },
            ));
        }
    }
    for word in &after.placeholders {
        if !before.placeholders.contains(word) {
            out.push((0, 0, Weakening::Placeholder { word: word.clone() }));
        }
    }
    out
}

fn compare_ignore(before: Option<&[u8]>, after: Option<&[u8]>) -> Vec<(usize, usize, Weakening)> {
    let before = before
        .and_then(|b| IgnoreFile::parse(IGNORE_FILE, b).ok())
        .unwrap_or_default();
    let after = match after.map(|a| IgnoreFile::parse(IGNORE_FILE, a)) {
        None => return Vec::new(),
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            return vec![(
                0,
                0,
                Weakening::Unreadable {
                    problem: e.to_string(),
                },
            )];
        }
    };
    after
        .entries
        .iter()
        .filter(|e| !before.contains(&e.fingerprint))
        .map(|e| {
            (
                e.line,
                1,
                Weakening::Ignore {
                    fingerprint: e.fingerprint.as_str().to_string(),
                },
            )
        })
        .collect()
}

fn compare_baseline(before: Option<&[u8]>, after: Option<&[u8]>) -> Vec<(usize, usize, Weakening)> {
    let before = before.and_then(|b| Baseline::parse(BASELINE_FILE, b).ok());
    let after = match after.map(|a| Baseline::parse(BASELINE_FILE, a)) {
        None => return Vec::new(),
        Some(Ok(b)) => b,
        Some(Err(e)) => {
            return vec![(
                0,
                0,
                Weakening::Unreadable {
                    problem: e.to_string(),
                },
            )];
        }
    };
    let mut new: Vec<String> = after
        .fingerprints()
        .filter(|fp| !before.as_ref().is_some_and(|b| b.contains(fp)))
        .map(|fp| fp.as_str().to_string())
        .collect();
    if new.is_empty() {
        return Vec::new();
    }
    new.sort();
    vec![(0, 0, Weakening::Baseline { fingerprints: new })]
}

/// How a terminal shows one of the repository's strings in a description.
pub fn shown(s: &str) -> String {
    escape::quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(s: &str) -> RootFile {
        RootFile::Blob(s.as_bytes().to_vec())
    }

    fn kinds(v: Vec<(usize, usize, Weakening)>) -> Vec<(usize, Weakening)> {
        v.into_iter().map(|(l, _, w)| (l, w)).collect()
    }

    #[test]
    fn weakening_settings_are_listed_with_their_lines() {
        let before =
            blob("[settings]\ndisable = [\"aws-access-key-id\"]\nskip_paths = [\"docs/**\"]\n");
        let after = blob(
            "[settings]\ndisable = [\"aws-access-key-id\", \"github-pat-classic\"]\n\
             skip_paths = [\"docs/**\", \"**\"]\nplaceholders = [\"x\"]\n\
             [[allow]]\npaths = [\"src/**\"]\n",
        );
        assert_eq!(
            kinds(compare(REPOSITORY_CONFIG, &before, &after)),
            vec![
                (
                    2,
                    Weakening::Disable {
                        detector: "github-pat-classic".into()
                    }
                ),
                (3, Weakening::SkipPaths { glob: "**".into() }),
                (
                    5,
                    Weakening::Allow {
                        paths: vec!["src/**".into()],
                        detectors: vec![]
                    }
                ),
                (0, Weakening::Placeholder { word: "x".into() }),
            ]
        );
        // The other way round only strengthens.
        assert!(compare(REPOSITORY_CONFIG, &after, &before).is_empty());
        assert!(compare(REPOSITORY_CONFIG, &RootFile::Missing, &RootFile::Missing).is_empty());
    }

    #[test]
    fn detectors_and_providers() {
        let own = "[provider.acme]\nname = \"Acme\"\nsteps = [\"Revoke it\"]\n\n[[detector]]\n\
                   id = \"acme-key\"\nprovider = \"acme\"\nkeywords = [\"acme_\"]\n\
                   regex = 'acme_[a-z0-9]{20}'\n";
        // A new detector of the repository's own is stricter.
        assert!(compare(REPOSITORY_CONFIG, &RootFile::Missing, &blob(own)).is_empty());
        // Renaming it changes nothing it finds; a new regex does.
        let renamed = format!("{own}name = \"Acme key\"\n");
        assert!(compare(REPOSITORY_CONFIG, &blob(own), &blob(&renamed)).is_empty());
        let looser = own.replace("{20}", "{2}");
        assert_eq!(
            kinds(compare(REPOSITORY_CONFIG, &blob(own), &blob(&looser))),
            vec![(
                5,
                Weakening::ChangeDetector {
                    detector: "acme-key".into()
                }
            )]
        );
        assert_eq!(
            kinds(compare(REPOSITORY_CONFIG, &blob(own), &RootFile::Missing)),
            vec![(
                0,
                Weakening::RemoveDetector {
                    detector: "acme-key".into()
                }
            )]
        );
        let builtin = "[provider.github-pat]\nname = \"GitHub\"\nsteps = [\"Nothing to do\"]\n\n\
                       [[detector]]\nid = \"github-pat-classic\"\nprovider = \"github-pat\"\n\
                       keywords = [\"zzz\"]\nregex = 'zzz'\n";
        let found = kinds(compare(
            REPOSITORY_CONFIG,
            &RootFile::Missing,
            &blob(builtin),
        ));
        assert!(
            found.contains(&(
                5,
                Weakening::OverrideDetector {
                    detector: "github-pat-classic".into()
                }
            )),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(_, w)| matches!(w, Weakening::OverrideProvider { .. })),
            "{found:?}"
        );
    }

    #[test]
    fn ignore_and_baseline_entries_and_unreadable_files() {
        let fp = "github-pat-classic:0123456789abcdef";
        assert_eq!(
            kinds(compare(
                IGNORE_FILE,
                &RootFile::Missing,
                &blob(&format!("# x\n{fp}\n"))
            )),
            vec![(
                2,
                Weakening::Ignore {
                    fingerprint: fp.into()
                }
            )]
        );
        let baseline = format!(
            "{{\"schema\": \"leakguard-baseline/1\", \"findings\": [{{\"fingerprint\": \"{fp}\"}}]}}"
        );
        assert_eq!(
            kinds(compare(BASELINE_FILE, &blob("x"), &blob(&baseline))),
            vec![(
                0,
                Weakening::Baseline {
                    fingerprints: vec![fp.into()]
                }
            )]
        );
        for (file, after) in [
            (REPOSITORY_CONFIG, blob("[settings\n")),
            (IGNORE_FILE, blob("ghp_notafingerprint\n")),
            (BASELINE_FILE, blob("{")),
            (REPOSITORY_CONFIG, RootFile::NotAFile("a symbolic link")),
            (IGNORE_FILE, RootFile::TooLarge(1 << 30)),
        ] {
            let found = compare(file, &RootFile::Missing, &after);
            assert!(
                matches!(found.as_slice(), [(0, 0, Weakening::Unreadable { .. })]),
                "{file}: {found:?}"
            );
        }
    }

    #[test]
    fn descriptions_show_the_repository_strings_escaped() {
        let w = Weakening::SkipPaths {
            glob: "\u{1b}]52;c;ZXZpbA==\u{7}".into(),
        };
        let text = w.describe(&shown);
        assert_eq!(
            text,
            "skip_paths `\\e]52;c;ZXZpbA==\\u{7}`: findings there are suppressed for every detector"
        );
    }
}
