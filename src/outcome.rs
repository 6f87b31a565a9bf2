//! What a scan produced, handed from the pipeline to the reporters: the findings (suppressed
//! ones included, marked) and what was looked at.

use std::time::Duration;

use std::collections::HashMap;

use crate::chunk::Chunk;
use crate::finding::Finding;
use crate::fingerprint::Fingerprint;
use crate::verify::Status;

/// What was looked at, so a clean run can say so ("scanned nothing" is not "clean").
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub added_lines: usize,
    pub bytes: u64,
    pub binary_skipped: usize,
    pub renames_skipped: usize,
    pub commits: usize,
    pub shallow_skipped: usize,
    pub elapsed: Duration,
}

impl Stats {
    /// Counts a chunk that was scanned.
    pub fn count(&mut self, chunk: &Chunk) {
        self.files += 1;
        self.added_lines += chunk.added_lines();
        self.bytes += chunk.runs.iter().map(|r| r.bytes.len() as u64).sum::<u64>();
    }

    pub fn add(&mut self, o: &Stats) {
        self.files += o.files;
        self.added_lines += o.added_lines;
        self.bytes += o.bytes;
        self.binary_skipped += o.binary_skipped;
        self.renames_skipped += o.renames_skipped;
        self.commits += o.commits;
        self.shallow_skipped += o.shallow_skipped;
    }
}

pub struct Outcome {
    /// Sorted by path, line, column (live ones first when verified); suppressed findings
    /// included and marked.
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// What the issuers said, when the run verified (`verify`): by fingerprint.
    pub liveness: Option<HashMap<Fingerprint, Status>>,
}

impl Outcome {
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.blocks())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.warns())
    }

    /// What the issuer said about a finding's secret, if the run verified.
    pub fn liveness_of(&self, f: &Finding) -> Option<&Status> {
        self.liveness.as_ref()?.get(&f.fingerprint)
    }
}
