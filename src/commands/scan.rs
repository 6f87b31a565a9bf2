//! `leakguard scan`: files and directories (and stdin), the staged changes, or git history →
//! the engine → the report in the chosen format on stdout.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{GlobalArgs, ScanArgs};
use crate::engine::Scanner;
use crate::error::Result;
use crate::files;
use crate::git::{CommitId, Repo, Selection};
use crate::outcome::Outcome;
use crate::pipeline::{self, Progress};
use crate::policy::{self, Review, Verdict};
use crate::report::Context;
use crate::setup::{self, Need, Options, Suppressions};
use crate::suppress::Allowlist;

use super::output::{Report, emit};

pub fn run(global: &GlobalArgs, args: &ScanArgs, started: Instant) -> Result<ExitCode> {
    let repository = if args.staged || args.source.git.is_some() {
        Need::Required
    } else {
        Need::IfAny
    };
    let setup = setup::setup(&Options {
        config_from: args.config_from.as_deref(),
        ..super::options(global, repository, Suppressions::All)
    })?;
    let no_progress = quiet_progress(global, args.source.no_progress);
    let mut review = Review::default();
    let (mut outcome, context) = if args.staged {
        let repo = setup.repo.as_ref().expect("a required repository");
        let outcome = pipeline::scan_staged(repo, &setup.scanner, &setup.allow, &[])?;
        (outcome, Context::Staged)
    } else if let Some(spec) = &args.source.git {
        let repo = setup.repo.as_ref().expect("a required repository");
        let commits = history_commits(repo, spec, args.source.all)?;
        let verdict = match (&args.config_from, args.allow_config_changes) {
            (Some(base), _) => Verdict::JudgedWith(base.clone()),
            (None, true) => Verdict::Accepted,
            (None, false) => Verdict::Blocks,
        };
        let outcome;
        (outcome, review) = super::scan_and_review(
            repo,
            || scan_history(repo, &setup.scanner, &setup.allow, &commits, no_progress),
            |repo| policy::review(repo, &commits, args.config_from.as_deref(), verdict.clone()),
        )?;
        (outcome, Context::History)
    } else {
        let stdin = args.paths.iter().any(|p| p == Path::new("-"));
        let mut paths: Vec<PathBuf> = args
            .paths
            .iter()
            .filter(|p| *p != Path::new("-"))
            .cloned()
            .collect();
        if paths.is_empty() && !stdin {
            paths.push(PathBuf::from("."));
        }
        let outcome = files(
            &setup.scanner,
            &setup.allow,
            &paths,
            stdin,
            args.source.no_ignore,
            no_progress,
        )?;
        (outcome, Context::Files)
    };
    super::verify_if_wanted(global, &setup, &mut outcome)?;
    outcome.stats.elapsed = started.elapsed();
    emit(
        global,
        setup.catalogue(),
        &outcome,
        Report {
            context,
            rewrite: None,
            is_hook: false,
            review,
        },
    )
}

pub(super) fn quiet_progress(global: &GlobalArgs, no_progress: bool) -> bool {
    global.quiet || no_progress
}

/// Scans the history `spec` selects (`HEAD`, a revision, a range; `all`: every ref).
pub(super) fn history(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    spec: &str,
    all: bool,
    no_progress: bool,
) -> Result<Outcome> {
    let commits = history_commits(repo, spec, all)?;
    scan_history(repo, scanner, allow, &commits, no_progress)
}

/// The commits `spec` selects, newest first.
fn history_commits(repo: &Repo, spec: &str, all: bool) -> Result<Vec<CommitId>> {
    let selection = match (all, spec) {
        (true, _) => Selection::AllRefs,
        (false, "HEAD") => Selection::Head,
        (false, spec) => Selection::Spec(spec),
    };
    repo.history_commits(selection)
}

fn scan_history(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    commits: &[CommitId],
    no_progress: bool,
) -> Result<Outcome> {
    let progress = Progress::new(!no_progress, commits.len(), "commits");
    pipeline::scan_commits(&repo.shared(), commits, scanner, allow, &progress)
}

/// Scans files and directories (and standard input if `stdin`).
pub(super) fn files(
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    paths: &[PathBuf],
    stdin: bool,
    no_ignore: bool,
    no_progress: bool,
) -> Result<Outcome> {
    let files = files::collect(paths, !no_ignore)?;
    let progress = Progress::new(!no_progress, files.len(), "files");
    pipeline::scan_files(&files, stdin, scanner, allow, &progress)
}
