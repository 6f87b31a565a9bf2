//! `leakguard hook pre-push`: the commits a push would send (git's stdin, or the pre-commit
//! framework's `PRE_COMMIT_*` range) → the engine → the human report on stderr.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::Instant;

use crate::chunk::{CommitInfo, Origin};
use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::git::{self, PushRange};
use crate::outcome::Outcome;
use crate::pipeline::{self, Progress};
use crate::policy::{self, Review, Verdict};
use crate::report::Context;
use crate::setup::{self, Need, Suppressions};

use super::output::{Report, emit};

pub fn run(global: &GlobalArgs, remote: Option<&str>, started: Instant) -> Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let remote = remote
        .map(str::to_string)
        .or_else(|| env("PRE_COMMIT_REMOTE_NAME"));
    // The pre-commit framework reads git's stdin itself and passes the range in variables.
    let framework_to = env("PRE_COMMIT_TO_REF").or_else(|| env("PRE_COMMIT_LOCAL_BRANCH"));
    let refs = if framework_to.is_some() {
        Vec::new()
    } else if std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "leakguard hook pre-push reads the pushed refs on standard input, as git gives them; \
             or set PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF"
                .into(),
        ));
    } else {
        let mut stdin = String::new();
        std::io::stdin()
            .read_to_string(&mut stdin)
            .map_err(|source| Error::Io {
                path: "<stdin>".into(),
                source,
            })?;
        git::parse_push_lines(&stdin)?
    };
    let setup = setup::setup(&super::options(global, Need::Required, Suppressions::All))?;
    let repo = setup.repo.as_ref().expect("a required repository");
    let commits = match &framework_to {
        Some(to) => {
            let from = env("PRE_COMMIT_FROM_REF");
            repo.pushed_range_commits(&PushRange {
                from: from.as_deref(),
                to,
                remote: remote.as_deref(),
            })?
        }
        None => repo.pushed_commits(remote.as_deref().unwrap_or(""), &refs)?,
    };
    // git passes a hook no options: accepting a weakened configuration is an environment
    // variable, set for one push.
    let verdict = if env("LEAKGUARD_ALLOW_CONFIG_CHANGES")
        .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
    {
        Verdict::Accepted
    } else {
        Verdict::Blocks
    };
    let (mut outcome, review) = super::scan_and_review(
        repo,
        || {
            let progress = Progress::new(!global.quiet, commits.len(), "commits");
            let mut outcome = pipeline::scan_commits(
                &repo.shared(),
                &commits,
                &setup.scanner,
                &setup.allow,
                &progress,
            )?;
            drop(progress);
            // Before the review's result, as it was when the review ran after the scan: a
            // verification error is reported ahead of a review error.
            super::verify_if_wanted(global, &setup, &mut outcome)?;
            Ok(outcome)
        },
        |repo| policy::review(repo, &commits, None, verdict.clone()),
    )?;
    outcome.stats.elapsed = started.elapsed();
    let rewrite = rewrite_hint(&outcome, &review, &commits);
    emit(
        global,
        setup.catalogue(),
        &outcome,
        Report {
            context: Context::PrePush,
            rewrite,
            is_hook: true,
            review,
        },
    )
}

/// The command that rewrites every commit that added a secret (or weakened the configuration): an interactive rebase from the
/// parent of the oldest such commit (`commits` is the walk, newest first).
fn rewrite_hint(outcome: &Outcome, review: &Review, commits: &[git::CommitId]) -> Option<String> {
    let mut offending: Vec<&CommitInfo> = outcome
        .blocking()
        .filter_map(|f| match f.origin.as_ref() {
            Origin::Commit(c) => Some(c),
            _ => None,
        })
        .collect();
    if review.blocks() {
        offending.extend(review.commits());
    }
    let oldest = commits
        .iter()
        .rev()
        .map(ToString::to_string)
        .find_map(|id| offending.iter().find(|c| c.id == id))?;
    Some(match &oldest.parent {
        None => "git rebase -i --root".to_string(),
        Some(p) => format!("git rebase -i {}", &p[..p.len().min(10)]),
    })
}
