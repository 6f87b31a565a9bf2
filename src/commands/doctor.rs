//! `leakguard doctor`: what is installed where, and whether the hooks would run.

use std::process::ExitCode;

use crate::doctor;
use crate::error::{Error, Result};
use crate::setup;

use super::{EXIT_CLEAN, EXIT_FINDINGS};

pub fn run() -> Result<ExitCode> {
    let report = doctor::inspect(&setup::current_dir()?)?;
    let mut out = std::io::stdout().lock();
    doctor::render(&mut out, &report).map_err(Error::Output)?;
    Ok(ExitCode::from(if report.protected() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }))
}
