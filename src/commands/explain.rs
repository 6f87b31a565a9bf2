//! `leakguard explain`: one detector or provider in full, with its rotation steps.

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::report::catalogue;
use crate::setup::{self, Need, Suppressions};

use super::EXIT_CLEAN;

pub fn run(global: &GlobalArgs, query: &str) -> Result<ExitCode> {
    let setup = setup::setup(&super::options(global, Need::IfAny, Suppressions::None))?;
    let found = catalogue::explain(&mut std::io::stdout().lock(), setup.catalogue(), query)
        .map_err(Error::Output)?;
    if found {
        Ok(ExitCode::from(EXIT_CLEAN))
    } else {
        Err(Error::Usage(format!(
            "no detector or provider matches `{query}` (see `leakguard detectors`)"
        )))
    }
}
