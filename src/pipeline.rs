//! Source → engine → allow: the staged diff scanned and filtered into findings.

use std::sync::Arc;
use std::time::Duration;

use globset::GlobSet;

use crate::chunk::{Chunk, Origin};
use crate::engine::Scanner;
use crate::error::Result;
use crate::finding::{Finding, Suppression};
use crate::git::{Content, Repo};

/// What was looked at, so a clean run can say so ("scanned nothing" is not "clean").
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub added_lines: usize,
    pub bytes: u64,
    pub binary_skipped: usize,
    pub renames_skipped: usize,
    pub elapsed: Duration,
}

impl Stats {
    fn count(&mut self, chunk: &Chunk) {
        self.files += 1;
        self.added_lines += chunk.added_lines();
        self.bytes += chunk.runs.iter().map(|r| r.bytes.len() as u64).sum::<u64>();
    }
}

pub struct Outcome {
    /// Sorted by path, line, column; suppressed findings included and marked.
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

impl Outcome {
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.blocks())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.warns())
    }
}

/// Scans the added lines of everything staged for the next commit.
pub fn scan_staged(repo: &Repo, scanner: &Scanner<'_>, skip: &GlobSet) -> Result<Outcome> {
    let staged = repo.staged()?;
    let origin = Arc::new(Origin::Staged);
    let mut stats = Stats {
        renames_skipped: staged.renames,
        ..Stats::default()
    };
    let mut findings = Vec::new();
    for change in &staged.changes {
        let chunk = match repo.content(change, origin.clone())? {
            Content::Binary => {
                stats.binary_skipped += 1;
                continue;
            }
            Content::Text(chunk) => chunk,
        };
        stats.count(&chunk);
        let before = findings.len();
        scanner.scan(&chunk, &mut findings)?;
        // Only a new path with findings is worth the copy/rename check (it reads HEAD's
        // whole tree): a copied or moved file adds nothing that is not already committed.
        if findings.len() > before
            && change.is_addition()
            && let Some(narrowed) = repo.as_copy_or_rename(&staged, change, origin.clone())?
        {
            findings.truncate(before);
            scanner.scan(&narrowed, &mut findings)?;
        }
    }
    Ok(finish(findings, stats, skip))
}

fn finish(mut findings: Vec<Finding>, stats: Stats, skip: &GlobSet) -> Outcome {
    for f in &mut findings {
        if f.suppressed.is_none() && !skip.is_empty() && skip.is_match(&f.path) {
            f.suppressed = Some(Suppression::PathGlob);
        }
    }
    findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Outcome { findings, stats }
}
