//! The `leakguard` binary: parse arguments, run, map the result to git's exit statuses.

use std::error::Error as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use leakguard::app::{self, EXIT_ERROR};
use leakguard::cli::{Cli, Command};
use leakguard::error::Error;

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    match app::run(&cli, started) {
        Ok(code) => code,
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let styles = app::styles(
                &cli.global,
                std::io::IsTerminal::is_terminal(&std::io::stderr()),
            );
            let mut line = e.to_string();
            let mut cause = e.source();
            while let Some(c) = cause {
                line.push_str(": ");
                line.push_str(&c.to_string().replace('\n', " "));
                cause = c.source();
            }
            eprintln!("leakguard: {} {line}", styles.error("error:"));
            if matches!(cli.command, Command::Hook(_)) {
                eprintln!(
                    "leakguard: blocked because the check could not run; fix the problem above, or bypass once with --no-verify"
                );
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}
