//! `leakguard detectors`: every detector in use and what the repository config changed.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::report::catalogue;
use crate::setup::{self, Need, Suppressions};

use super::EXIT_CLEAN;

pub fn run(global: &GlobalArgs) -> Result<ExitCode> {
    let setup = setup::setup(&super::options(global, Need::IfAny, Suppressions::None))?;
    // The repository config, named relative to the work tree.
    let config = setup.config_source.as_deref().map(|p| {
        setup
            .root
            .as_deref()
            .and_then(|r| p.strip_prefix(r).ok())
            .unwrap_or(p)
    });
    let mut out = std::io::stdout().lock();
    catalogue::list(&mut out, setup.catalogue(), config).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)?;
    Ok(ExitCode::from(EXIT_CLEAN))
}
