//! The commands: each file wires a source, the engine (through `pipeline`) and a reporter for
//! one subcommand, on what `setup` built. This module only dispatches.

mod baseline;
mod check;
mod detectors;
mod doctor;
mod explain;
mod ignore;
mod install;
mod output;
mod pre_commit;
mod pre_push;
mod revoke;
mod scan;

use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{Cli, Command, GlobalArgs, Hook};
use crate::error::Result;
use crate::pipeline;
use crate::setup::{Need, Options, Suppressions};

pub use output::styles;

/// Exit statuses, as git hooks read them.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command; errors are returned for `main` to render.
pub fn run(cli: &Cli, started: Instant) -> Result<ExitCode> {
    // Test seam for failing safe: a panic on a worker thread, carrying the variable's value,
    // so tests/failsafe.rs can prove that a panic blocks with one line that leaks nothing.
    if let Some(text) = std::env::var_os("LEAKGUARD_TEST_PANIC") {
        use rayon::prelude::*;
        let text = text.to_string_lossy().into_owned();
        pipeline::start_workers();
        (0..2)
            .into_par_iter()
            .for_each(|_| panic!("test panic: {text}"));
    }
    let global = &cli.global;
    match &cli.command {
        Command::Hook(Hook::PreCommit { files }) => pre_commit::run(global, files, started),
        Command::Hook(Hook::PrePush { remote, .. }) => {
            pre_push::run(global, remote.as_deref(), started)
        }
        Command::Scan(args) => scan::run(global, args, started),
        Command::Check(args) => check::run(global, args),
        Command::Detectors(args) => detectors::run(global, args),
        Command::Explain { query } => explain::run(global, query),
        Command::Install(args) => install::run(args),
        Command::Doctor => doctor::run(),
        Command::Ignore(args) => ignore::run(global, args),
        Command::Baseline(args) => baseline::run(global, args, started),
        Command::Revoke(args) => revoke::run(global, args),
    }
}

/// Asks the issuers about the outcome's secrets when the person running leakguard opted in
/// (`--verify`, LEAKGUARD_VERIFY, `git config leakguard.verify`, a `--config` file's `verify`;
/// `--no-verify-keys` wins). A repository's own `verify = true` only asks: when it is the
/// reason checks are off and something blocks, a note says how to consent.
fn verify_if_wanted(
    global: &GlobalArgs,
    setup: &crate::setup::Setup,
    outcome: &mut crate::outcome::Outcome,
) -> Result<()> {
    use crate::verify::{Opt, Source, Wanted};
    let catalogue = setup.catalogue();
    let git_config = match setup.repo.as_ref().ok() {
        Some(repo) => repo.config_bool(VERIFY_GIT_SETTING)?,
        None => None,
    };
    let source = if global.config.is_some() {
        Source::Yours
    } else {
        Source::Repository
    };
    let opt = Opt {
        flag: global.verify,
        refused: global.no_verify_keys,
        git_config,
        setting: catalogue.verify.as_ref().map(|(on, _)| (*on, source)),
    };
    match crate::verify::wanted(&opt) {
        Wanted::Yes => crate::verify::annotate(outcome, catalogue)?,
        Wanted::AskedByRepository if outcome.blocking().next().is_some() => {
            eprintln!("{}", CONSENT_NOTE);
        }
        Wanted::AskedByRepository | Wanted::No => {}
    }
    Ok(())
}

/// The git setting with which a person allows liveness checks, in one clone (`git config`) or
/// everywhere (`git config --global`).
const VERIFY_GIT_SETTING: &str = "leakguard.verify";

const CONSENT_NOTE: &str = "leakguard: note: this repository's configuration asks for liveness \
checks (verify = true), which send each secret found to its issuer; they run only once you \
allow them: `git config leakguard.verify true` (this clone), `--verify` or LEAKGUARD_VERIFY=1";

/// Runs `scan` (a history scan, on this thread and the worker pool) and `review` (the
/// configuration changes of the same commits, read from their root trees) at the same time:
/// the review reads every commit's root tree on one thread, a tenth of a history scan's CPU,
/// and after the scan it was a serial tail (rust-lang/cargo, perf); beside it, it uses what
/// the workers leave idle (cargo's history 3.77 → 3.59 s, same peak memory). Both run to the
/// end; the scan's error comes first, before the review's error or panic.
fn scan_and_review(
    repo: &crate::git::Repo,
    scan: impl FnOnce() -> Result<crate::outcome::Outcome>,
    review: impl Fn(&crate::git::Repo) -> Result<crate::policy::Review> + Sync,
) -> Result<(crate::outcome::Outcome, crate::policy::Review)> {
    let shared = repo.shared();
    let (outcome, reviewed) = std::thread::scope(|s| {
        let reviewing = std::thread::Builder::new()
            .stack_size(pipeline::STACK_SIZE)
            .spawn_scoped(s, || review(&shared.local()));
        let outcome = scan();
        (outcome, reviewing.map(|t| t.join()))
    });
    // The scan's error first, whatever became of the review: an incomplete scan that found
    // secrets must still say so (and block), even if the review panicked.
    let outcome = outcome?;
    let reviewed = match reviewed {
        Ok(Ok(reviewed)) => reviewed,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread to be had: review here, after the scan, as before.
        Err(_) => review(repo),
    };
    Ok((outcome, reviewed?))
}

/// Setup options from the global flags: the given `--config` and `--baseline`, and the rest
/// as a command needs it.
fn options(global: &GlobalArgs, repository: Need, suppressions: Suppressions) -> Options<'_> {
    Options {
        config: global.config.as_deref(),
        baseline: global.baseline.as_deref(),
        repository,
        suppressions,
        examples: false,
        config_from: None,
    }
}
