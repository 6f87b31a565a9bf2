//! Ways a developer says "this is not a secret", applied after detection:
//!
//! - inline pragmas (`leakguard:allow`), checked by the engine while it still has the line;
//! - `[settings] skip_paths` and `[[allow]]` path rules from `.leakguard.toml` (`PathRules`);
//! - `.leakguardignore` at the repository root: finding fingerprints (`IgnoreFile`);
//! - the baseline, `.leakguard-baseline.json` (`crate::baseline`).
//!
//! The last two match a finding by fingerprint (detector id + hash of the secret), so moving
//! the line or the file keeps it suppressed and a different secret in the same place does not.
//! Every suppressed finding stays in the outcome, marked with its `Suppression`, so reports
//! can count and show it.
//!
//! Pragmas work in any comment syntax because we look for the bare marker anywhere on the line:
//! `# leakguard:allow`, `// leakguard:allow aws-access-key-id`, `<!-- leakguard:allow -->`.
//! Words after the marker restrict it only when they are detector ids, so a free-text reason
//! (`leakguard:allow test fixture`) still allows the line.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::baseline::Baseline;
use crate::detectors::{Catalogue, PathGlob};
use crate::error::{Error, Result};
use crate::finding::{Finding, Suppression, is_fingerprint};

/// The ignore file, at the repository root.
pub const IGNORE_FILE: &str = ".leakguardignore";

/// Everything that can suppress a finding after the engine has marked pragmas.
#[derive(Default)]
pub struct Allowlist {
    pub paths: PathRules,
    pub ignore: IgnoreFile,
    /// Where the baseline is (path, name for errors). It is read only once there is a finding
    /// to check against it: most commits have none, and a large baseline costs milliseconds.
    baseline_at: Option<(PathBuf, String)>,
    baseline: OnceLock<Option<Baseline>>,
}

impl Allowlist {
    pub fn new(
        paths: PathRules,
        ignore: IgnoreFile,
        baseline_at: Option<(PathBuf, String)>,
    ) -> Self {
        Allowlist {
            paths,
            ignore,
            baseline_at,
            baseline: OnceLock::new(),
        }
    }

    /// The baseline, read on first use; `None` if there is none. A malformed baseline is an
    /// error (at its line and column) the first time it is needed.
    pub fn baseline(&self) -> Result<Option<&Baseline>> {
        if let Some(b) = self.baseline.get() {
            return Ok(b.as_ref());
        }
        let loaded = match &self.baseline_at {
            Some((path, label)) => Some(Baseline::load(path, label)?),
            None => None,
        };
        Ok(self.baseline.get_or_init(|| loaded).as_ref())
    }

    /// Marks each finding that a mechanism covers as suppressed; a pragma found by the engine
    /// wins, then the ignore file, the baseline and path rules, in that order.
    pub fn suppress(&self, findings: &mut [Finding]) -> Result<()> {
        if findings.iter().all(|f| f.suppressed.is_some()) {
            return Ok(());
        }
        let baseline = self.baseline()?;
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            f.suppressed = if self.ignore.contains(&f.fingerprint) {
                Some(Suppression::IgnoreFile)
            } else if baseline.is_some_and(|b| b.contains(&f.fingerprint)) {
                Some(Suppression::Baseline)
            } else if self.paths.allows(&f.path, f.detector) {
                Some(Suppression::PathGlob)
            } else {
                None
            };
        }
        Ok(())
    }
}

/// `skip_paths` and `[[allow]]` rules, compiled.
#[derive(Clone, Debug, Default)]
pub struct PathRules {
    /// Globs that suppress every detector.
    every: GlobSet,
    /// Globs that suppress only some detectors (indexes into `Catalogue::detectors`).
    some: Vec<(GlobSet, Vec<usize>)>,
}

impl PathRules {
    /// Compiles the merged catalogue's path globs; a bad glob is an error at its location.
    pub fn build(catalogue: &Catalogue) -> Result<Self> {
        let mut every = GlobSetBuilder::new();
        for g in &catalogue.skip_paths {
            every.add(glob(g)?);
        }
        let mut some = Vec::new();
        for rule in &catalogue.allow {
            if rule.detectors.is_empty() {
                for g in &rule.paths {
                    every.add(glob(g)?);
                }
                continue;
            }
            let mut set = GlobSetBuilder::new();
            for g in &rule.paths {
                set.add(glob(g)?);
            }
            // Ids of disabled detectors are accepted in a rule but match nothing.
            let detectors: Vec<usize> = rule
                .detectors
                .iter()
                .filter_map(|(id, _)| catalogue.detectors.iter().position(|d| &d.id == id))
                .collect();
            some.push((build_set(set, &rule.defined_at.to_string())?, detectors));
        }
        Ok(PathRules {
            every: build_set(every, "skip_paths")?,
            some,
        })
    }

    pub fn allows(&self, path: &str, detector: usize) -> bool {
        (!self.every.is_empty() && self.every.is_match(path))
            || self
                .some
                .iter()
                .any(|(set, ids)| ids.contains(&detector) && set.is_match(path))
    }
}

fn glob(g: &PathGlob) -> Result<Glob> {
    Glob::new(&g.glob).map_err(|e| Error::Config {
        location: g.defined_at.to_string(),
        message: format!("invalid glob `{}`: {}", g.glob, e.kind()),
    })
}

fn build_set(builder: GlobSetBuilder, location: &str) -> Result<GlobSet> {
    builder.build().map_err(|e| Error::Config {
        location: location.into(),
        message: e.to_string(),
    })
}

/// One fingerprint listed in the ignore file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreEntry {
    pub fingerprint: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// `.leakguardignore`: one fingerprint per line; `#` starts a comment (whole-line or trailing).
#[derive(Clone, Debug, Default)]
pub struct IgnoreFile {
    pub entries: Vec<IgnoreEntry>,
    set: HashSet<String>,
}

impl IgnoreFile {
    /// Reads `root/.leakguardignore`; a missing file is an empty list, and so is anything that
    /// is not a file (as for the config and the baseline): reading a FIFO would wait forever.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(IGNORE_FILE);
        if path.metadata().is_ok_and(|m| !m.is_file()) {
            return Ok(Self::default());
        }
        match std::fs::read(&path) {
            Ok(bytes) => Self::parse(IGNORE_FILE, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    /// Parses the file's bytes; `label` names it in errors. A line that is not a fingerprint
    /// is an error at its line and column. The offending text is never echoed: someone may
    /// have pasted the secret itself.
    pub fn parse(label: &str, bytes: &[u8]) -> Result<Self> {
        let mut file = IgnoreFile::default();
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = i + 1;
            let error = |column: usize, message: &str| Error::Config {
                location: format!("{label}:{line}:{column}"),
                message: message.into(),
            };
            let text = std::str::from_utf8(raw).map_err(|e| {
                error(
                    String::from_utf8_lossy(&raw[..e.valid_up_to()])
                        .chars()
                        .count()
                        + 1,
                    "not valid UTF-8",
                )
            })?;
            let content = text.split('#').next().unwrap_or("");
            let Some(start) = content.find(|c: char| !c.is_whitespace()) else {
                continue;
            };
            let column = content[..start].chars().count() + 1;
            let word_end = content[start..]
                .find(char::is_whitespace)
                .map_or(content.len(), |n| start + n);
            let word = &content[start..word_end];
            if !is_fingerprint(word) {
                return Err(error(column, NOT_A_FINGERPRINT));
            }
            if let Some(n) = content[word_end..].find(|c: char| !c.is_whitespace()) {
                return Err(error(
                    content[..word_end + n].chars().count() + 1,
                    "one fingerprint per line (put a reason after `#`)",
                ));
            }
            if file.set.insert(word.to_string()) {
                file.entries.push(IgnoreEntry {
                    fingerprint: word.to_string(),
                    line,
                });
            }
        }
        Ok(file)
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.set.contains(fingerprint)
    }

    pub fn find(&self, fingerprint: &str) -> Option<&IgnoreEntry> {
        self.entries.iter().find(|e| e.fingerprint == fingerprint)
    }
}

/// Explains the fingerprint shape without echoing what was given (it may be a secret).
pub const NOT_A_FINGERPRINT: &str = "not a fingerprint: expected `<detector-id>:<16 hex digits>`, \
     as printed after `fingerprint` in leakguard's report (it never depends on the path or line)";

/// What `append` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Appended {
    Added { created: bool },
    AlreadyListed { line: usize },
}

/// Appends `fingerprint` (with an optional reason as a trailing comment) to the ignore file at
/// `path`, creating it with a short header if needed. An already listed fingerprint is left
/// alone. The existing file must parse, so a typo is not buried under new entries.
pub fn append(path: &Path, fingerprint: &str, reason: Option<&str>) -> Result<Appended> {
    if !is_fingerprint(fingerprint) {
        return Err(Error::Usage(NOT_A_FINGERPRINT.into()));
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let existing = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let mut text = String::new();
    if let Some(bytes) = &existing {
        let label = path
            .file_name()
            .map_or(IGNORE_FILE.into(), |n| n.to_string_lossy().into_owned());
        let file = IgnoreFile::parse(&label, bytes)?;
        if let Some(entry) = file.find(fingerprint) {
            return Ok(Appended::AlreadyListed { line: entry.line });
        }
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            text.push('\n');
        }
    } else {
        text.push_str(
            "# leakguard: findings accepted as not secret (or already rotated), by fingerprint.\n\
             # One per line: `<detector-id>:<hash>  # reason`. Add one with `leakguard ignore`.\n\
             # A fingerprint is a hash of the detector and the value; it never contains the value.\n",
        );
    }
    text.push_str(fingerprint);
    if let Some(reason) = reason.map(one_line).filter(|r| !r.is_empty()) {
        text.push_str("  # ");
        text.push_str(&reason);
    }
    text.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(Appended::Added {
        created: existing.is_none(),
    })
}

/// A reason on one line: control characters (newlines included) become spaces.
fn one_line(reason: &str) -> String {
    let s: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.trim().to_string()
}

/// The ignore file of the repository at `root`.
pub fn ignore_path(root: &Path) -> PathBuf {
    root.join(IGNORE_FILE)
}

const MARKER: &[u8] = b"leakguard:allow";
const NEXT_LINE: &[u8] = b"-next-line";

/// Whether a pragma on `line`, or a `leakguard:allow-next-line` on `previous`, allows findings
/// of `detector_id`. `is_detector_id` tells detector ids apart from free text.
pub fn pragma_allows(
    line: &[u8],
    previous: Option<&[u8]>,
    detector_id: &str,
    is_detector_id: &dyn Fn(&str) -> bool,
) -> bool {
    let same_line = pragmas(line)
        .filter(|p| !p.next_line)
        .any(|p| p.covers(detector_id, is_detector_id));
    same_line
        || previous.is_some_and(|prev| {
            pragmas(prev)
                .filter(|p| p.next_line)
                .any(|p| p.covers(detector_id, is_detector_id))
        })
}

struct Pragma<'a> {
    next_line: bool,
    /// The text after the marker up to the end of the line.
    rest: &'a [u8],
}

impl Pragma<'_> {
    fn covers(&self, detector_id: &str, is_detector_id: &dyn Fn(&str) -> bool) -> bool {
        let words = self
            .rest
            .split(|b| b.is_ascii_whitespace() || *b == b',')
            .filter(|w| !w.is_empty())
            .take_while(|w| std::str::from_utf8(w).is_ok_and(is_detector_id));
        let mut restricted = false;
        for w in words {
            restricted = true;
            if w == detector_id.as_bytes() {
                return true;
            }
        }
        !restricted
    }
}

fn pragmas(line: &[u8]) -> impl Iterator<Item = Pragma<'_>> {
    memchr::memmem::find_iter(line, MARKER).map(move |at| {
        let after = &line[at + MARKER.len()..];
        let next_line = after.starts_with(NEXT_LINE);
        let rest = if next_line {
            &after[NEXT_LINE.len()..]
        } else {
            after
        };
        let rest = rest.strip_prefix(b":").unwrap_or(rest);
        Pragma { next_line, rest }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        matches!(id, "aws-access-key-id" | "github-pat")
    }

    fn allows(line: &str, previous: Option<&str>, id: &str) -> bool {
        pragma_allows(line.as_bytes(), previous.map(str::as_bytes), id, &known)
    }

    #[test]
    fn ignore_file_syntax() {
        let text = b"# header\n\n  github-pat-classic:0123456789abcdef  # reason # more\r\n\
                     npm-access-token:fedcba9876543210\n\
                     github-pat-classic:0123456789abcdef\n\
                     \t# indented comment";
        let file = IgnoreFile::parse("i", text).unwrap();
        assert_eq!(
            file.entries,
            vec![
                IgnoreEntry {
                    fingerprint: "github-pat-classic:0123456789abcdef".into(),
                    line: 3
                },
                IgnoreEntry {
                    fingerprint: "npm-access-token:fedcba9876543210".into(),
                    line: 4
                },
            ]
        );
        assert!(file.contains("npm-access-token:fedcba9876543210"));
        assert!(!file.contains("npm-access-token:fedcba9876543211"));
        let err = |t: &[u8]| IgnoreFile::parse("i", t).unwrap_err().to_string();
        assert!(err(b"ok\n").starts_with("i:1:1: not a fingerprint"));
        assert!(err(b"\n\t  x-y:0123456789ABCDEF").starts_with("i:2:4: not a fingerprint"));
        assert!(
            err(b"x-y:0123456789abcdef x-y:0123456789abcdef")
                .starts_with("i:1:22: one fingerprint per line")
        );
        assert!(err(b"# \xc3\xa9t\xff\n").starts_with("i:1:5: not valid UTF-8"));
    }

    #[test]
    fn pragma_forms() {
        assert!(allows("key = 'x' # leakguard:allow", None, "github-pat"));
        assert!(allows(
            "key = 'x' <!-- leakguard:allow -->",
            None,
            "github-pat"
        ));
        assert!(allows(
            "key = 'x' // leakguard:allow test fixture",
            None,
            "github-pat"
        ));
        assert!(allows(
            "x // leakguard:allow github-pat",
            None,
            "github-pat"
        ));
        assert!(!allows(
            "x // leakguard:allow aws-access-key-id",
            None,
            "github-pat"
        ));
        assert!(allows(
            "x // leakguard:allow aws-access-key-id,github-pat",
            None,
            "github-pat"
        ));
        assert!(!allows("key = 'x'", None, "github-pat"));
        assert!(!allows("x # leakguard:allow-next-line", None, "github-pat"));
        assert!(allows(
            "x",
            Some("# leakguard:allow-next-line"),
            "github-pat"
        ));
        assert!(!allows(
            "x",
            Some("# leakguard:allow-next-line aws-access-key-id"),
            "github-pat"
        ));
        assert!(!allows("x", Some("# leakguard:allow"), "github-pat"));
    }
}
