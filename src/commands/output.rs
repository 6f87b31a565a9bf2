//! Where a scan's report goes and in which format, and the exit status it maps to.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::detectors::Catalogue;
use crate::error::{Error, Result};
use crate::outcome::Outcome;
use crate::policy::Review;
use crate::report::{Context, Styles, human, json, sarif};

use super::{EXIT_CLEAN, EXIT_FINDINGS};

pub fn styles(global: &GlobalArgs, to_terminal: bool) -> Styles {
    Styles::new(match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    })
}

/// How a scan's report is worded and where it goes.
pub struct Report {
    pub context: Context,
    /// Pre-push: the command that rewrites the commits that added secrets.
    pub rewrite: Option<String>,
    /// A hook writes the human report to stderr (git shows it; stdout stays free).
    pub is_hook: bool,
    /// The configuration changes of the scanned commits; they block when `review.blocks()`.
    pub review: Review,
}

/// Writes the report in the chosen format and maps the outcome to an exit status.
pub fn emit(
    global: &GlobalArgs,
    catalogue: &Catalogue,
    outcome: &Outcome,
    report: Report,
) -> Result<ExitCode> {
    let human_to_stderr = report.is_hook && global.output.is_none();
    let sink: Box<dyn Write> = match &global.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?),
        None if human_to_stderr && global.format == Format::Human => {
            Box::new(std::io::stderr().lock())
        }
        None => Box::new(std::io::stdout().lock()),
    };
    // Buffered: stdout is line-buffered and stderr not at all, so a JSON report of 100 000
    // findings took one system call per line (3 s of its 4 s).
    let mut sink = std::io::BufWriter::with_capacity(64 << 10, sink);
    let to_terminal = global.output.is_none()
        && if human_to_stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
    let written = match global.format {
        Format::Human => {
            let options = human::Options {
                context: report.context,
                styles: styles(global, to_terminal),
                quiet: global.quiet,
                show_secrets: global.show_secrets,
                rewrite: report.rewrite,
                review: report.review.clone(),
            };
            human::render(&mut sink, catalogue, outcome, &options)
        }
        Format::Json => json::render(
            &mut sink,
            catalogue,
            outcome,
            &report.review,
            report.context,
            global.show_secrets,
        ),
        Format::Sarif => sarif::render(
            &mut sink,
            catalogue,
            outcome,
            &report.review,
            global.show_secrets,
        ),
    }
    .and_then(|()| sink.flush());
    // The verdict does not depend on whether the report could be written: a hook whose stderr
    // is closed still blocks a secret (and a secret is never let through as an "error"). A
    // configuration change that weakens the check blocks like a secret.
    let found = outcome.blocking().next().is_some() || report.review.blocks();
    match written {
        Ok(()) => {}
        Err(e) if found => {
            let _ = writeln!(std::io::stderr(), "leakguard: cannot write the report: {e}");
        }
        Err(e) => return Err(Error::Output(e)),
    }
    Ok(ExitCode::from(if found {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }))
}
