//! `leakguard doctor`: what is installed where, and whether the hooks would run.

use std::process::ExitCode;

use crate::doctor;
use crate::error::{Error, Result};
use crate::report::{Styles, terminal};
use crate::setup;

use super::{EXIT_CLEAN, EXIT_FINDINGS};

pub fn run() -> Result<ExitCode> {
    let report = doctor::inspect(&setup::current_dir()?)?;
    // Paths and git settings (core.hooksPath, hook scripts) may hold anything: the text is
    // checked like a report before it reaches the terminal.
    let mut text = Vec::new();
    doctor::render(&mut text, &report).map_err(Error::Output)?;
    let text = String::from_utf8_lossy(&text);
    std::io::Write::write_all(
        &mut std::io::stdout().lock(),
        terminal::guard(&text, Styles::new(false)).as_bytes(),
    )
    .map_err(Error::Output)?;
    Ok(ExitCode::from(if report.protected() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }))
}
