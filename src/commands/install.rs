//! `leakguard install`: leakguard's hooks into a repository's hooks directory, or globally.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::InstallArgs;
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
    let log = match (args.global, action) {
        (true, Action::Install) => install::install_global(&hooks)?,
        (true, Action::Uninstall) => install::uninstall_global(&hooks)?,
        (false, action) => {
            let repo = match &args.repo {
                Some(dir) => Repo::discover(dir)?,
                None => setup::repository()?,
            };
            install::repository(&repo.hooks_dir()?, &hooks, action)?
        }
    };
    let mut out = std::io::stdout().lock();
    for line in log {
        // Lines name paths and existing hooks, which may hold anything.
        writeln!(out, "leakguard: {}", Escaped(&line)).map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
