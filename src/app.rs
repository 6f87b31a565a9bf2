//! Dispatch: each command wires a source, the engine and a reporter together.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::chunk::Origin;
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, Format, GlobalArgs, Hook, InstallArgs, ScanArgs,
};
use crate::config::Config;
use crate::detectors::Catalogue;
use crate::engine::{Scanner, check};
use crate::error::{Error, Result};
use crate::files;
use crate::git::{self, PushRange, Repo, Selection};
use crate::pipeline::{self, Outcome, Progress};
use crate::report::{Context, Styles, catalogue, human, json, sarif};
use crate::{doctor, install};

/// Exit statuses, as git hooks read them.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command; errors are returned for `main` to render.
pub fn run(cli: &Cli, started: Instant) -> Result<ExitCode> {
    match &cli.command {
        Command::Hook(Hook::PreCommit) => pre_commit(&cli.global, started),
        Command::Hook(Hook::PrePush { remote, .. }) => {
            pre_push(&cli.global, remote.as_deref(), started)
        }
        Command::Scan(args) => scan(&cli.global, args, started),
        Command::Check(args) => check_config(&cli.global, args),
        Command::Detectors => list_detectors(&cli.global),
        Command::Explain { query } => explain(&cli.global, query),
        Command::Install(args) => install_hooks(args),
        Command::Doctor => run_doctor(),
    }
}

pub fn styles(global: &GlobalArgs, to_terminal: bool) -> Styles {
    Styles::new(match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    })
}

fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })
}

/// Opens the repository around the current directory and its configuration.
fn open_repo(global: &GlobalArgs) -> Result<(Repo, Config)> {
    let repo = Repo::discover(&current_dir()?)?;
    let config = Config::load(repo.workdir().as_deref(), global.config.as_deref(), false)?;
    Ok((repo, config))
}

fn pre_commit(global: &GlobalArgs, started: Instant) -> Result<ExitCode> {
    let (repo, config) = open_repo(global)?;
    let scanner = Scanner::new(&config.catalogue)?;
    let mut outcome = pipeline::scan_staged(&repo, &scanner, &config.skip)?;
    outcome.stats.elapsed = started.elapsed();
    emit(
        global,
        &config.catalogue,
        &outcome,
        Context::PreCommit,
        None,
        true,
    )
}

fn pre_push(global: &GlobalArgs, remote: Option<&str>, started: Instant) -> Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let remote = remote
        .map(str::to_string)
        .or_else(|| env("PRE_COMMIT_REMOTE_NAME"));
    // The pre-commit framework reads git's stdin itself and passes the range in variables.
    let framework_to = env("PRE_COMMIT_TO_REF").or_else(|| env("PRE_COMMIT_LOCAL_BRANCH"));
    let refs = if framework_to.is_some() {
        Vec::new()
    } else if std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "leakguard hook pre-push reads the pushed refs on standard input, as git gives them; \
             or set PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF"
                .into(),
        ));
    } else {
        let mut stdin = String::new();
        std::io::stdin()
            .read_to_string(&mut stdin)
            .map_err(|source| Error::Io {
                path: "<stdin>".into(),
                source,
            })?;
        git::parse_push_lines(&stdin)?
    };
    let (repo, config) = open_repo(global)?;
    let scanner = Scanner::new(&config.catalogue)?;
    let commits = match &framework_to {
        Some(to) => {
            let from = env("PRE_COMMIT_FROM_REF");
            repo.pushed_range_commits(&PushRange {
                from: from.as_deref(),
                to,
                remote: remote.as_deref(),
            })?
        }
        None => repo.pushed_commits(remote.as_deref().unwrap_or(""), &refs)?,
    };
    let progress = Progress::new(!global.quiet, commits.len(), "commits");
    let mut outcome =
        pipeline::scan_commits(&repo.shared(), &commits, &scanner, &config.skip, &progress)?;
    drop(progress);
    outcome.stats.elapsed = started.elapsed();
    let rewrite = rewrite_hint(&outcome, &commits);
    emit(
        global,
        &config.catalogue,
        &outcome,
        Context::PrePush,
        rewrite,
        true,
    )
}

fn scan(global: &GlobalArgs, args: &ScanArgs, started: Instant) -> Result<ExitCode> {
    let (outcome, catalogue, context) = if args.staged {
        let (repo, config) = open_repo(global)?;
        let scanner = Scanner::new(&config.catalogue)?;
        (
            pipeline::scan_staged(&repo, &scanner, &config.skip)?,
            config.catalogue,
            Context::Staged,
        )
    } else if let Some(spec) = &args.git {
        let (repo, config) = open_repo(global)?;
        let scanner = Scanner::new(&config.catalogue)?;
        let selection = match (args.all, spec.as_str()) {
            (true, _) => Selection::AllRefs,
            (false, "HEAD") => Selection::Head,
            (false, spec) => Selection::Spec(spec),
        };
        let commits = repo.history_commits(selection)?;
        let progress = Progress::new(!args.no_progress && !global.quiet, commits.len(), "commits");
        let outcome =
            pipeline::scan_commits(&repo.shared(), &commits, &scanner, &config.skip, &progress)?;
        (outcome, config.catalogue, Context::History)
    } else {
        let root = Repo::discover(&current_dir()?)
            .ok()
            .and_then(|r| r.workdir());
        let config = Config::load(root.as_deref(), global.config.as_deref(), false)?;
        let scanner = Scanner::new(&config.catalogue)?;
        let stdin = args.paths.iter().any(|p| p == Path::new("-"));
        let mut paths: Vec<PathBuf> = args
            .paths
            .iter()
            .filter(|p| *p != Path::new("-"))
            .cloned()
            .collect();
        if paths.is_empty() && !stdin {
            paths.push(PathBuf::from("."));
        }
        let files = files::collect(&paths, !args.no_ignore)?;
        let progress = Progress::new(!args.no_progress && !global.quiet, files.len(), "files");
        let outcome = pipeline::scan_files(&files, stdin, &scanner, &config.skip, &progress)?;
        (outcome, config.catalogue, Context::Files)
    };
    let mut outcome = outcome;
    outcome.stats.elapsed = started.elapsed();
    emit(global, &catalogue, &outcome, context, None, false)
}

/// For pre-push: the command that rewrites every commit that added a secret — an interactive
/// rebase from the parent of the oldest such commit (`commits` is the walk, newest first).
fn rewrite_hint(outcome: &Outcome, commits: &[git::CommitId]) -> Option<String> {
    let offending: Vec<&crate::chunk::CommitInfo> = outcome
        .blocking()
        .filter_map(|f| match f.origin.as_ref() {
            Origin::Commit(c) => Some(c),
            _ => None,
        })
        .collect();
    let oldest = commits
        .iter()
        .rev()
        .map(ToString::to_string)
        .find_map(|id| offending.iter().find(|c| c.id == id))?;
    Some(match &oldest.parent {
        None => "git rebase -i --root".to_string(),
        Some(p) => format!("git rebase -i {}", &p[..p.len().min(10)]),
    })
}

/// Writes the report in the chosen format and maps the outcome to an exit status.
fn emit(
    global: &GlobalArgs,
    catalogue: &Catalogue,
    outcome: &Outcome,
    context: Context,
    rewrite: Option<String>,
    is_hook: bool,
) -> Result<ExitCode> {
    let human_to_stderr = is_hook && global.output.is_none();
    let mut sink: Box<dyn Write> = match &global.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?),
        None if human_to_stderr && global.format == Format::Human => {
            Box::new(std::io::stderr().lock())
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let to_terminal = global.output.is_none()
        && if human_to_stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
    match global.format {
        Format::Human => {
            let options = human::Options {
                context,
                styles: styles(global, to_terminal),
                quiet: global.quiet,
                show_secrets: global.show_secrets,
                rewrite,
            };
            human::render(&mut sink, catalogue, outcome, &options)
        }
        Format::Json => json::render(&mut sink, catalogue, outcome, context, global.show_secrets),
        Format::Sarif => sarif::render(&mut sink, catalogue, outcome, global.show_secrets),
    }
    .and_then(|()| sink.flush())
    .map_err(Error::Output)?;
    Ok(ExitCode::from(if outcome.blocking().next().is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }))
}

/// Config from the repository around the current directory, if there is one.
fn load_config(global: &GlobalArgs, with_examples: bool) -> Result<Config> {
    let root = Repo::discover(&current_dir()?)
        .ok()
        .and_then(|r| r.workdir());
    Config::load(root.as_deref(), global.config.as_deref(), with_examples)
}

fn check_config(global: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    let (catalogue, source) = if args.catalogues.is_empty() {
        let config = load_config(global, true)?;
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
    let config = load_config(global, false)?;
    catalogue::list(&mut std::io::stdout().lock(), &config.catalogue).map_err(Error::Output)?;
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn explain(global: &GlobalArgs, query: &str) -> Result<ExitCode> {
    let config = load_config(global, false)?;
    let found = catalogue::explain(&mut std::io::stdout().lock(), &config.catalogue, query)
        .map_err(Error::Output)?;
    if found {
        Ok(ExitCode::from(EXIT_CLEAN))
    } else {
        Err(Error::Usage(format!(
            "no detector or provider matches `{query}` (see `leakguard detectors`)"
        )))
    }
}

fn install_hooks(args: &InstallArgs) -> Result<ExitCode> {
    let mut hooks = args.hooks.clone();
    hooks.sort();
    hooks.dedup();
    let log = if args.global {
        if args.uninstall {
            install::uninstall_global(&hooks)?
        } else {
            install::install_global(&hooks)?
        }
    } else {
        let dir = match &args.repo {
            Some(p) => p.clone(),
            None => current_dir()?,
        };
        let repo = Repo::discover(&dir)?;
        let hooks_dir = repo.hooks_dir()?;
        let mut log = Vec::new();
        if let Some(c) = &hooks_dir.configured {
            let global_dir = install::global_dir()?;
            if install::names_dir(&c.value, &global_dir) || hooks_dir.path == global_dir {
                return Err(Error::Install(format!(
                    "this repository runs leakguard's global hooks ({}); change them with \
                     `leakguard install --global`",
                    global_dir.display()
                )));
            }
            if matches!(c.scope, git::ConfigScope::Global | git::ConfigScope::System) {
                log.push(format!(
                    "note: core.hooksPath = {} comes from the {} configuration: hooks there run \
                     for every repository that does not set its own",
                    c.value,
                    c.scope.as_str()
                ));
            }
        }
        log.extend(if args.uninstall {
            install::uninstall_repo(&hooks_dir.path, &hooks)?
        } else {
            install::install_repo(&hooks_dir.path, &hooks)?
        });
        log
    };
    let mut out = std::io::stdout().lock();
    for line in log {
        writeln!(out, "leakguard: {line}").map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn run_doctor() -> Result<ExitCode> {
    let report = doctor::inspect(&current_dir()?)?;
    let mut out = std::io::stdout().lock();
    doctor::render(&mut out, &report).map_err(Error::Output)?;
    Ok(ExitCode::from(if report.protected() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }))
}
