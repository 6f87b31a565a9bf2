//! Dispatch: each command wires sources, engine and reporters together.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, GlobalArgs, Hook};
use crate::config::Config;
use crate::detectors::Catalogue;
use crate::engine::{Scanner, check};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::pipeline;
use crate::report::{Context, Styles, human};

/// Exit statuses, as git hooks read them.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command; errors are returned for `main` to render.
pub fn run(cli: &Cli, started: Instant) -> Result<ExitCode> {
    match &cli.command {
        Command::Hook(Hook::PreCommit) => pre_commit(&cli.global, started),
        Command::Check(args) => check_config(&cli.global, args),
        Command::Detectors => list_detectors(&cli.global),
    }
}

pub fn styles(global: &GlobalArgs) -> Styles {
    Styles::new(match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    })
}

fn current_dir() -> Result<std::path::PathBuf> {
    std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })
}

fn pre_commit(global: &GlobalArgs, started: Instant) -> Result<ExitCode> {
    let repo = Repo::discover(&current_dir()?)?;
    let config = Config::load(repo.workdir().as_deref(), global.config.as_deref())?;
    let scanner = Scanner::new(&config.catalogue)?;
    let mut outcome = pipeline::scan_staged(&repo, &scanner, &config.skip)?;
    outcome.stats.elapsed = started.elapsed();
    let options = human::Options {
        context: Context::PreCommit,
        styles: styles(global),
        quiet: global.quiet,
        show_secrets: global.show_secrets,
    };
    let mut err = std::io::stderr().lock();
    human::render(&mut err, &config.catalogue, &outcome, &options).map_err(Error::Output)?;
    Ok(ExitCode::from(if outcome.blocking().next().is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }))
}

/// Config from the repository around the current directory, if there is one.
fn load_config(global: &GlobalArgs) -> Result<Config> {
    let root = Repo::discover(&current_dir()?)
        .ok()
        .and_then(|r| r.workdir());
    Config::load(root.as_deref(), global.config.as_deref())
}

fn check_config(global: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    let (catalogue, source) = if args.catalogues.is_empty() {
        let config = load_config(global)?;
        let source = config
            .source
            .as_deref()
            .map_or("built-in detectors".to_string(), |p: &Path| {
                format!("built-in detectors + {}", p.display())
            });
        (config.catalogue, source)
    } else {
        let mut merged = Catalogue::default();
        for path in &args.catalogues {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let part = Catalogue::parse(&path.display().to_string(), &text, false)?;
            merged.providers.extend(part.providers);
            merged.detectors.extend(part.detectors);
        }
        let names: Vec<String> = args
            .catalogues
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        (merged, names.join(" + "))
    };
    let problems = check::check(&catalogue, args.min_examples)?;
    let mut out = std::io::stdout().lock();
    for p in &problems {
        writeln!(out, "{p}").map_err(Error::Output)?;
    }
    let providers: std::collections::BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .map(|d| d.provider.as_str())
        .collect();
    let summary = format!(
        "{} detectors, {} providers ({source})",
        catalogue.detectors.len(),
        providers.len()
    );
    if problems.is_empty() {
        writeln!(out, "leakguard: OK: {summary}").map_err(Error::Output)?;
        Ok(ExitCode::from(EXIT_CLEAN))
    } else {
        writeln!(out, "leakguard: {} problems: {summary}", problems.len())
            .map_err(Error::Output)?;
        Ok(ExitCode::from(EXIT_ERROR))
    }
}

fn list_detectors(global: &GlobalArgs) -> Result<ExitCode> {
    let config = load_config(global)?;
    let c = &config.catalogue;
    let mut out = std::io::stdout().lock();
    for d in &c.detectors {
        let provider = c
            .provider_of(d)
            .map_or(d.provider.as_str(), |p| p.name.as_str());
        writeln!(
            out,
            "{:<40} {:<28} {:<8} {}",
            d.id,
            provider,
            d.severity.as_str(),
            d.gitlab_id.as_deref().unwrap_or("-")
        )
        .map_err(Error::Output)?;
    }
    for off in &c.disabled {
        writeln!(out, "{:<40} disabled by {}", off.id, off.by).map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
