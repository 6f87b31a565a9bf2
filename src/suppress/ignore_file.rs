//! `.leakguardignore`: fingerprints of findings accepted as not secret (or already rotated),
//! one per line, and `leakguard ignore`, which appends one.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fingerprint::{Fingerprint, NOT_A_FINGERPRINT};
use crate::repo_file;

/// The ignore file, at the repository root.
pub const IGNORE_FILE: &str = ".leakguardignore";

/// One fingerprint listed in the ignore file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreEntry {
    pub fingerprint: Fingerprint,
    /// 1-based line in the file.
    pub line: usize,
}

/// `.leakguardignore`: one fingerprint per line; `#` starts a comment (whole-line or trailing).
#[derive(Clone, Debug, Default)]
pub struct IgnoreFile {
    pub entries: Vec<IgnoreEntry>,
    set: HashSet<Fingerprint>,
}

impl IgnoreFile {
    /// Reads `root/.leakguardignore`; a missing file is an empty list. Anything else that is
    /// not a regular file inside the repository, or a file over the size cap, is an error
    /// (`repo_file`).
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(IGNORE_FILE);
        match repo_file::read(&path, IGNORE_FILE, repo_file::Origin::Repository(root))? {
            Some(bytes) => Self::parse(IGNORE_FILE, &bytes),
            None => Ok(Self::default()),
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
            let Ok(word) = Fingerprint::parse(&content[start..word_end]) else {
                return Err(error(column, NOT_A_FINGERPRINT));
            };
            if let Some(n) = content[word_end..].find(|c: char| !c.is_whitespace()) {
                return Err(error(
                    content[..word_end + n].chars().count() + 1,
                    "one fingerprint per line (put a reason after `#`)",
                ));
            }
            if file.set.insert(word.clone()) {
                file.entries.push(IgnoreEntry {
                    fingerprint: word,
                    line,
                });
            }
        }
        Ok(file)
    }

    pub fn contains(&self, fingerprint: &Fingerprint) -> bool {
        self.set.contains(fingerprint)
    }

    pub fn find(&self, fingerprint: &Fingerprint) -> Option<&IgnoreEntry> {
        self.entries.iter().find(|e| &e.fingerprint == fingerprint)
    }
}

/// What `append` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Appended {
    Added { created: bool },
    AlreadyListed { line: usize },
}

/// Appends `fingerprint` (with an optional reason as a trailing comment) to the ignore file at
/// `path`, creating it with a short header if needed. An already listed fingerprint is left
/// alone. The existing file must parse, so a typo is not buried under new entries.
pub fn append(path: &Path, fingerprint: &Fingerprint, reason: Option<&str>) -> Result<Appended> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let label = path
        .file_name()
        .map_or(IGNORE_FILE.into(), |n| n.to_string_lossy().into_owned());
    // Never append through a link: it could lead anywhere on the machine.
    repo_file::check_writable(path, &label)?;
    let root = path.parent().unwrap_or(Path::new("."));
    let existing = repo_file::read(path, &label, repo_file::Origin::Repository(root))?;
    let mut text = String::new();
    if let Some(bytes) = &existing {
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
    text.push_str(fingerprint.as_str());
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

#[cfg(test)]
mod tests {
    use super::*;

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
                    fingerprint: Fingerprint::parse("github-pat-classic:0123456789abcdef").unwrap(),
                    line: 3
                },
                IgnoreEntry {
                    fingerprint: Fingerprint::parse("npm-access-token:fedcba9876543210").unwrap(),
                    line: 4
                },
            ]
        );
        let fp = |s: &str| Fingerprint::parse(s).unwrap();
        assert!(file.contains(&fp("npm-access-token:fedcba9876543210")));
        assert!(!file.contains(&fp("npm-access-token:fedcba9876543211")));
        let err = |t: &[u8]| IgnoreFile::parse("i", t).unwrap_err().to_string();
        assert!(err(b"ok\n").starts_with("i:1:1: not a fingerprint"));
        assert!(err(b"\n\t  x-y:0123456789ABCDEF").starts_with("i:2:4: not a fingerprint"));
        assert!(
            err(b"x-y:0123456789abcdef x-y:0123456789abcdef")
                .starts_with("i:1:22: one fingerprint per line")
        );
        assert!(err(b"# \xc3\xa9t\xff\n").starts_with("i:1:5: not valid UTF-8"));
    }
}
