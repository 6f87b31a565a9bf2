//! `leakguard install`: leakguard's hooks into a repository's hooks directory, or globally.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::InstallArgs;
use crate::doctor::{self, FoundThrough};
use crate::error::{Error, Result};
use crate::escape::Escaped;
use crate::git::Repo;
use crate::install::{self, Action};
use crate::setup;

use super::EXIT_CLEAN;

pub fn run(args: &InstallArgs) -> Result<ExitCode> {
    let mut hooks = args.hooks.clone();
    hooks.sort();
    hooks.dedup();
    let action = if args.uninstall {
        Action::Uninstall
    } else {
        Action::Install
    };
    // Recorded in the shims, as the fallback after LEAKGUARD_BIN and PATH.
    let binary = install::this_binary();
    let binary = binary.as_deref();
    let log = match (args.global, action) {
        (true, Action::Install) => install::install_global(&hooks, binary)?,
        (true, Action::Uninstall) => install::uninstall_global(&hooks)?,
        (false, action) => {
            let repo = match &args.repo {
                Some(dir) => Repo::discover(dir)?,
                None => setup::repository()?,
            };
            install::repository(&repo.hooks_dir()?, &hooks, action, binary)?
        }
    };
    let mut out = std::io::stdout().lock();
    for line in log {
        // Lines name paths and existing hooks, which may hold anything.
        writeln!(out, "leakguard: {}", Escaped(&line)).map_err(Error::Output)?;
    }
    if action == Action::Install {
        which_binary(&mut out, binary)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// Says which binary the hooks will run, found as they find it, and warns when it lives
/// somewhere it will not stay.
fn which_binary(out: &mut dyn Write, recorded: Option<&Path>) -> Result<()> {
    let this = recorded.map_or("this binary".to_string(), |b| b.display().to_string());
    let found = doctor::hook_binary(recorded);
    let line = match &found {
        Some((bin, FoundThrough::Env)) => format!(
            "the hooks will run {} (LEAKGUARD_BIN); where it is not set, leakguard on PATH, \
             else {this}",
            bin.display()
        ),
        Some((bin, FoundThrough::Path)) if Some(bin.as_path()) == recorded => {
            format!("the hooks will run {} (found on PATH)", bin.display())
        }
        Some((bin, FoundThrough::Path)) => format!(
            "the hooks will run {} (found on PATH first; {this} is recorded in them for when \
             PATH has no leakguard)",
            bin.display()
        ),
        Some((bin, FoundThrough::Recorded)) => format!(
            "the hooks will run {} (recorded in them, since leakguard is not on PATH)",
            bin.display()
        ),
        Some((bin, how)) => format!("the hooks will run {} ({})", bin.display(), how.as_str()),
        None => format!(
            "the hooks will find no leakguard binary and will block every commit: {this} is not \
             executable"
        ),
    };
    writeln!(out, "leakguard: {line}").map_err(Error::Output)?;
    if let Some((bin, _)) = &found
        && let Some(why) = install::temporary_place(bin)
    {
        eprintln!(
            "leakguard: warning: {} is in {why}; once it is gone every commit is blocked",
            bin.display()
        );
        eprintln!(
            "leakguard: hint: put leakguard where it stays (`cargo install --locked --path .` in \
             leakguard's source, or copy it to a directory on PATH) and run `leakguard install` \
             again from there"
        );
    }
    Ok(())
}
