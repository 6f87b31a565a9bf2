//! Loads the effective configuration: the built-in catalogue plus the repository's
//! `.leakguard.toml` (or `--config FILE`), parsed and merged. Proving the repository's own
//! detectors against their examples needs the engine, so it happens in `setup`, which builds
//! the scanner from this.

use std::path::{Path, PathBuf};

use crate::detectors::{Catalogue, Detector};
use crate::error::{Error, Result};
use crate::repo_file;

pub const REPOSITORY_CONFIG: &str = ".leakguard.toml";

pub struct Config {
    /// Built-ins merged with the repository config: not yet validated as a whole when a
    /// repository config was applied (`setup` does it, after proving `own_detectors`).
    pub catalogue: Catalogue,
    /// The detectors the repository config defines, as it defined them; `None` when no
    /// repository config was applied.
    pub own_detectors: Option<Vec<Detector>>,
    /// The repository config that was applied, if any (`None` also for `from_text`).
    pub source: Option<PathBuf>,
}

impl Config {
    /// Built-ins merged with `explicit` if given, else with `.leakguard.toml` in `root` if
    /// present. `with_examples` keeps the built-ins' examples (only `check` needs them).
    pub fn load(root: Option<&Path>, explicit: Option<&Path>, with_examples: bool) -> Result<Self> {
        let (path, origin) = match (explicit, root) {
            (Some(p), _) => (p.to_path_buf(), repo_file::Origin::Given),
            (None, Some(r)) => (r.join(REPOSITORY_CONFIG), repo_file::Origin::Repository(r)),
            (None, None) => return Self::from_text(None, with_examples),
        };
        let label = path
            .strip_prefix(root.unwrap_or(Path::new("")))
            .unwrap_or(&path)
            .display()
            .to_string();
        let Some(bytes) = repo_file::read(&path, &label, origin)? else {
            return match explicit {
                Some(_) => Err(Error::given_path(
                    "the configuration file",
                    &path,
                    std::io::ErrorKind::NotFound.into(),
                )),
                None => Self::from_text(None, with_examples),
            };
        };
        let mut config = Self::from_bytes(&label, bytes, with_examples)?;
        config.source = Some(path);
        Ok(config)
    }

    /// Built-ins merged with a repository config given as its bytes (read from the work tree
    /// or from a commit), `label` naming it in errors.
    pub fn from_bytes(label: &str, bytes: Vec<u8>, with_examples: bool) -> Result<Self> {
        let text = String::from_utf8(bytes).map_err(|e| Error::Config {
            location: format!(
                "{label}:{}",
                line_and_column(e.as_bytes(), e.utf8_error().valid_up_to())
            ),
            message: "not valid UTF-8".into(),
        })?;
        Self::from_text(Some((label, &text)), with_examples)
    }

    /// Built-ins merged with a repository config given as `(label, text)`, `label` naming it in
    /// errors: everything `load` does once the file is read.
    pub fn from_text(repository: Option<(&str, &str)>, with_examples: bool) -> Result<Self> {
        let mut catalogue = if with_examples {
            Catalogue::builtin_with_examples()?
        } else {
            Catalogue::builtin()?
        };
        let mut own_detectors = None;
        if let Some((label, text)) = repository {
            let local = Catalogue::parse(label, text, true)?;
            own_detectors = Some(local.detectors.clone());
            catalogue.merge(local)?;
        }
        Ok(Config {
            catalogue,
            own_detectors,
            source: None,
        })
    }
}

/// `line:column` (1-based, column in characters) of a byte offset.
fn line_and_column(bytes: &[u8], offset: usize) -> String {
    let before = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    format!("{line}:{column}")
}
