//! Locate and allow: the one stage after the engine. It turns the engine's matches in a chunk
//! into `Finding`s: line and column (`locate`), then every way a developer says "this is not a
//! secret", each marking the finding with its `Suppression`:
//!
//! - inline pragmas (`leakguard:allow`, `pragma`), read from the chunk's lines;
//! - `[settings] skip_paths` and `[[allow]]` path rules from `.leakguard.toml` (`PathRules`);
//! - `.leakguardignore` at the repository root: finding fingerprints (`IgnoreFile`);
//! - the baseline, `.leakguard-baseline.json` (`baseline`).
//!
//! The last two match a finding by fingerprint (detector id + hash of the secret), so moving
//! the line or the file keeps it suppressed and a different secret in the same place does not.
//! Every suppressed finding stays in the outcome, marked, so reports can count and show it.
//! (Detectors a repository disables never reach this stage: they are removed from the
//! catalogue before the scanner is built, so they cost nothing and cannot win an overlap.)

pub mod baseline;
pub mod ignore_file;
mod locate;
mod paths;
mod pragma;

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::chunk::Chunk;
use crate::detectors::Catalogue;
use crate::engine::Match;
use crate::error::Result;
use crate::finding::{Finding, Suppression};
use crate::repo_file;

pub use baseline::{BASELINE_FILE, Baseline};
pub use ignore_file::{Appended, IGNORE_FILE, IgnoreEntry, IgnoreFile};
pub use locate::MAX_CONTINUATION_LINES;
pub use paths::PathRules;
pub use pragma::pragma_allows;

/// Where a baseline is read from, with the name errors give it.
#[derive(Clone, Debug)]
pub enum BaselineSource {
    /// The repository's own, in the work tree whose root is given.
    Repository {
        root: PathBuf,
        path: PathBuf,
        label: String,
    },
    /// `--baseline FILE`.
    Given { path: PathBuf, label: String },
    /// Read already: from a commit (`--config-from REV`).
    Bytes { label: String, bytes: Vec<u8> },
}

/// Everything that can suppress a finding besides pragmas, which are in the text itself.
#[derive(Default)]
pub struct Allowlist {
    pub paths: PathRules,
    pub ignore: IgnoreFile,
    /// Where the baseline is. It is read only once there is a finding to check against it:
    /// most commits have none, and a large baseline costs milliseconds.
    baseline_at: Option<BaselineSource>,
    baseline: OnceLock<Option<Baseline>>,
}

impl Allowlist {
    pub fn new(paths: PathRules, ignore: IgnoreFile, baseline_at: Option<BaselineSource>) -> Self {
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
            Some(BaselineSource::Repository { root, path, label }) => Some(Baseline::load(
                path,
                label,
                repo_file::Origin::Repository(root),
            )?),
            Some(BaselineSource::Given { path, label }) => {
                Some(Baseline::load(path, label, repo_file::Origin::Given)?)
            }
            Some(BaselineSource::Bytes { label, bytes }) => Some(Baseline::parse(label, bytes)?),
            None => None,
        };
        Ok(self.baseline.get_or_init(|| loaded).as_ref())
    }

    /// Turns the engine's `matches` in `chunk` (positions in `chunk.data`, sorted, each inside
    /// one of its runs) into findings appended to `out`: located, and marked when suppressed.
    pub fn findings(
        &self,
        catalogue: &Catalogue,
        chunk: &Chunk,
        matches: &[Match],
        out: &mut Vec<Finding>,
    ) -> Result<()> {
        let first = out.len();
        locate::findings(catalogue, chunk, matches, out);
        self.suppress(&mut out[first..])
    }

    /// Marks each finding that a mechanism covers as suppressed; a pragma (marked while
    /// locating) wins, then the ignore file, the baseline and path rules, in that order.
    fn suppress(&self, findings: &mut [Finding]) -> Result<()> {
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
