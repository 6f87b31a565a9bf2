//! Dispatch: each command wires a source, the engine and a reporter together.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::allow::{self, Allowlist, Appended, IgnoreFile};
use crate::baseline::{self, BASELINE_FILE, Baseline};
use crate::chunk::Origin;
use crate::cli::{
    BaselineArgs, CheckArgs, Cli, ColorChoice, Command, Format, GlobalArgs, Hook, IgnoreArgs,
    InstallArgs, ScanArgs,
};
use crate::config::Config;
use crate::detectors::{BUILTIN_LABEL, Catalogue};
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
    // Test seam for failing safe: a panic on a worker thread, carrying the variable's value,
    // so tests/failsafe.rs can prove that a panic blocks with one line that leaks nothing.
    if let Some(text) = std::env::var_os("LEAKGUARD_TEST_PANIC") {
        use rayon::prelude::*;
        let text = text.to_string_lossy().into_owned();
        pipeline::start_workers();
        (0..2)
            .into_par_iter()
            .for_each(|_| panic!("test panic: {text}"));
    }
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
        Command::Ignore(args) => ignore(&cli.global, args),
        Command::Baseline(args) => record_baseline(&cli.global, args, started),
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

/// The effective detectors and everything that can suppress a finding.
struct Setup {
    catalogue: Catalogue,
    allow: Allowlist,
    /// The repository config that was applied, if any.
    config_source: Option<PathBuf>,
}

/// Loads the configuration, `.leakguardignore` and (if `with_baseline`) the baseline of the
/// work tree at `root`, or of none when scanning outside a repository.
fn setup(
    global: &GlobalArgs,
    root: Option<&Path>,
    with_examples: bool,
    with_baseline: bool,
) -> Result<Setup> {
    let Config {
        catalogue,
        paths,
        source,
    } = Config::load(root, global.config.as_deref(), with_examples)?;
    let ignore = match root {
        Some(root) => IgnoreFile::load(root)?,
        None => IgnoreFile::default(),
    };
    let baseline = if with_baseline {
        baseline_location(global, root)
    } else {
        None
    };
    Ok(Setup {
        catalogue,
        allow: Allowlist::new(paths, ignore, baseline),
        config_source: source,
    })
}

/// `--baseline FILE` (which must then exist), else the repository's baseline if there is one;
/// with the name errors give it.
fn baseline_location(global: &GlobalArgs, root: Option<&Path>) -> Option<(PathBuf, String)> {
    match (&global.baseline, root) {
        (Some(path), _) => Some((path.clone(), path.display().to_string())),
        (None, Some(root)) => {
            let path = root.join(BASELINE_FILE);
            path.is_file().then(|| (path, BASELINE_FILE.to_string()))
        }
        (None, None) => None,
    }
}

/// Opens the repository around the current directory and its configuration.
fn open_repo(global: &GlobalArgs) -> Result<(Repo, Setup)> {
    let repo = Repo::discover(&current_dir()?)?;
    let setup = setup(global, repo.workdir().as_deref(), false, true)?;
    Ok((repo, setup))
}

fn pre_commit(global: &GlobalArgs, started: Instant) -> Result<ExitCode> {
    let (repo, setup) = open_repo(global)?;
    let scanner = Scanner::new(&setup.catalogue)?;
    let mut outcome = pipeline::scan_staged(&repo, &scanner, &setup.allow)?;
    outcome.stats.elapsed = started.elapsed();
    emit(
        global,
        &setup.catalogue,
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
    let (repo, setup) = open_repo(global)?;
    let scanner = Scanner::new(&setup.catalogue)?;
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
        pipeline::scan_commits(&repo.shared(), &commits, &scanner, &setup.allow, &progress)?;
    drop(progress);
    outcome.stats.elapsed = started.elapsed();
    let rewrite = rewrite_hint(&outcome, &commits);
    emit(
        global,
        &setup.catalogue,
        &outcome,
        Context::PrePush,
        rewrite,
        true,
    )
}

fn scan(global: &GlobalArgs, args: &ScanArgs, started: Instant) -> Result<ExitCode> {
    let (outcome, setup, context) = if args.staged {
        let (repo, setup) = open_repo(global)?;
        let scanner = Scanner::new(&setup.catalogue)?;
        let outcome = pipeline::scan_staged(&repo, &scanner, &setup.allow)?;
        (outcome, setup, Context::Staged)
    } else if let Some(spec) = &args.source.git {
        let (repo, setup) = open_repo(global)?;
        let outcome = scan_history(
            &repo,
            &setup,
            spec,
            args.source.all,
            quiet_progress(global, args.source.no_progress),
        )?;
        (outcome, setup, Context::History)
    } else {
        let root = Repo::discover(&current_dir()?)
            .ok()
            .and_then(|r| r.workdir());
        let setup = setup(global, root.as_deref(), false, true)?;
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
        let outcome = scan_paths(
            &setup,
            &paths,
            stdin,
            args.source.no_ignore,
            quiet_progress(global, args.source.no_progress),
        )?;
        (outcome, setup, Context::Files)
    };
    let mut outcome = outcome;
    outcome.stats.elapsed = started.elapsed();
    emit(global, &setup.catalogue, &outcome, context, None, false)
}

fn quiet_progress(global: &GlobalArgs, no_progress: bool) -> bool {
    global.quiet || no_progress
}

/// Scans the history `spec` selects (`HEAD`, a revision, a range; `all`: every ref).
fn scan_history(
    repo: &Repo,
    setup: &Setup,
    spec: &str,
    all: bool,
    no_progress: bool,
) -> Result<Outcome> {
    let scanner = Scanner::new(&setup.catalogue)?;
    let selection = match (all, spec) {
        (true, _) => Selection::AllRefs,
        (false, "HEAD") => Selection::Head,
        (false, spec) => Selection::Spec(spec),
    };
    let commits = repo.history_commits(selection)?;
    let progress = Progress::new(!no_progress, commits.len(), "commits");
    pipeline::scan_commits(&repo.shared(), &commits, &scanner, &setup.allow, &progress)
}

/// Scans files and directories (and standard input if `stdin`).
fn scan_paths(
    setup: &Setup,
    paths: &[PathBuf],
    stdin: bool,
    no_ignore: bool,
    no_progress: bool,
) -> Result<Outcome> {
    let scanner = Scanner::new(&setup.catalogue)?;
    let files = files::collect(paths, !no_ignore)?;
    let progress = Progress::new(!no_progress, files.len(), "files");
    pipeline::scan_files(&files, stdin, &scanner, &setup.allow, &progress)
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
    .and_then(|()| sink.flush());
    // The verdict does not depend on whether the report could be written: a hook whose stderr
    // is closed still blocks a secret (and a secret is never let through as an "error").
    let found = outcome.blocking().next().is_some();
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

/// The work tree around the current directory, if there is one.
fn current_root() -> Result<Option<PathBuf>> {
    Ok(Repo::discover(&current_dir()?)
        .ok()
        .and_then(|r| r.workdir()))
}

fn check_config(global: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let (catalogue, source) = if args.catalogues.is_empty() {
        let root = current_root()?;
        let setup = setup(global, root.as_deref(), true, true)?;
        let source = setup
            .config_source
            .as_deref()
            .map_or("built-in detectors".to_string(), |p: &Path| {
                format!("built-in detectors + {}", p.display())
            });
        allowlist_notes(&mut out, &setup)?;
        (setup.catalogue, source)
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
    for p in &problems {
        writeln!(out, "{p}").map_err(Error::Output)?;
    }
    let providers: std::collections::BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .map(|d| d.provider.as_ref())
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

/// For `check`: what the ignore file and the baseline hold (they parsed, or `setup` failed),
/// and entries that can never match because no detector in use has their id. Such entries are
/// harmless, so they are notes, not problems.
fn allowlist_notes(out: &mut dyn Write, setup: &Setup) -> Result<()> {
    let in_use = |fp: &str| {
        let id = fp.rsplit_once(':').map_or(fp, |(id, _)| id);
        setup.catalogue.detectors.iter().any(|d| d.id == id)
    };
    let mut lines = Vec::new();
    let ignore = &setup.allow.ignore;
    if !ignore.entries.is_empty() {
        lines.push(format!(
            "leakguard: {}: {} fingerprints",
            allow::IGNORE_FILE,
            ignore.entries.len()
        ));
        for e in ignore.entries.iter().filter(|e| !in_use(&e.fingerprint)) {
            lines.push(format!(
                "{}:{}: note: no detector in use has the id of `{}`; it matches nothing",
                allow::IGNORE_FILE,
                e.line,
                e.fingerprint
            ));
        }
    }
    // Read now: the hook reads it only when there is a finding, so `check` is where a broken
    // baseline shows up first.
    if let Some(b) = setup.allow.baseline()? {
        let unused = b.fingerprints().filter(|fp| !in_use(fp)).count();
        lines.push(format!(
            "leakguard: {}: {} fingerprints{}",
            b.label,
            b.len(),
            if unused > 0 {
                format!(" (note: {unused} for detectors not in use match nothing)")
            } else {
                String::new()
            }
        ));
    }
    for line in lines {
        writeln!(out, "{line}").map_err(Error::Output)?;
    }
    Ok(())
}

/// Every detector in use, then everything the repository config changed: what it defines or
/// overrides (on the detector's line), what it disables, and the path rules and placeholder
/// words that suppress findings. A repository never weakens a built-in invisibly.
fn list_detectors(global: &GlobalArgs) -> Result<ExitCode> {
    let root = current_root()?;
    let config = Config::load(root.as_deref(), global.config.as_deref(), false)?;
    let c = &config.catalogue;
    let mut out = std::io::stdout().lock();
    let mut lines = vec![format!(
        "{:<40} {:<28} {:<8} GITLAB",
        "ID", "PROVIDER", "SEVERITY"
    )];
    for d in &c.detectors {
        let provider = c
            .provider_of(d)
            .map_or(d.provider.as_ref(), |p| p.name.as_ref());
        let mut line = format!(
            "{:<40} {:<28} {:<8} {}",
            d.id,
            provider,
            d.severity.as_str(),
            d.gitlab_id.as_deref().unwrap_or("-")
        );
        if let Some(o) = c.overridden.iter().find(|o| o.id == d.id) {
            line.push_str(&format!("  overridden by {}", o.by));
        } else if &*d.defined_at.file != BUILTIN_LABEL {
            line.push_str(&format!("  defined by {}", d.defined_at));
        }
        lines.push(line);
    }
    for off in &c.disabled {
        lines.push(format!("{:<40} disabled by {}", off.id, off.by));
    }
    for p in &c.overridden_providers {
        lines.push(format!(
            "provider {:<31} rotation data overridden by {}",
            p.id, p.by
        ));
    }
    for g in &c.skip_paths {
        lines.push(format!(
            "skip_paths {:<29} every detector allowed there, by {}",
            g.glob, g.defined_at
        ));
    }
    for rule in &c.allow {
        let globs: Vec<&str> = rule.paths.iter().map(|g| g.glob.as_str()).collect();
        let ids: Vec<&str> = rule.detectors.iter().map(|(id, _)| id.as_str()).collect();
        let which = if ids.is_empty() {
            "every detector".to_string()
        } else {
            ids.join(", ")
        };
        let reason = rule
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        lines.push(format!(
            "allow {:<34} {which} allowed there, by {}{reason}",
            globs.join(", "),
            rule.defined_at
        ));
    }
    if !c.placeholders.is_empty() {
        let from = config.source.as_deref().map_or(String::new(), |p| {
            let p = root
                .as_deref()
                .and_then(|r| p.strip_prefix(r).ok())
                .unwrap_or(p);
            format!(", by {}", p.display())
        });
        lines.push(format!(
            "placeholders {:<27} values containing these are not reported{from}",
            c.placeholders.join(", ")
        ));
    }
    for line in lines {
        writeln!(out, "{}", line.trim_end()).map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// `leakguard ignore <fingerprint>`: appends it to the repository's `.leakguardignore`.
fn ignore(global: &GlobalArgs, args: &IgnoreArgs) -> Result<ExitCode> {
    let repo = Repo::discover(&current_dir()?)?;
    let root = repo.workdir().ok_or_else(|| {
        Error::Usage("a bare repository has no work tree to hold .leakguardignore".into())
    })?;
    let path = allow::ignore_path(&root);
    let mut out = std::io::stdout().lock();
    match allow::append(&path, &args.fingerprint, args.reason.as_deref())? {
        Appended::AlreadyListed { line } => writeln!(
            out,
            "leakguard: {} is already listed in {}:{line}",
            args.fingerprint,
            allow::IGNORE_FILE
        ),
        Appended::Added { created } => writeln!(
            out,
            "leakguard: added {} to {}{}; commit it to share it: git add {}",
            args.fingerprint,
            allow::IGNORE_FILE,
            if created { " (new file)" } else { "" },
            allow::IGNORE_FILE
        ),
    }
    .map_err(Error::Output)?;
    // Advisory only: a broken config is reported by the hook itself.
    let id = args.fingerprint.rsplit_once(':').map_or("", |(id, _)| id);
    if let Ok(config) = Config::load(Some(&root), global.config.as_deref(), false)
        && !config.catalogue.detectors.iter().any(|d| d.id == id)
    {
        eprintln!(
            "leakguard: warning: no detector in use has the id `{id}`; this entry matches nothing \
             until one does (see `leakguard detectors`)"
        );
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// `leakguard baseline`: records every finding already present so later runs ignore them.
fn record_baseline(global: &GlobalArgs, args: &BaselineArgs, started: Instant) -> Result<ExitCode> {
    let cwd = current_dir()?;
    let repo = Repo::discover(&cwd);
    let root = repo.as_ref().ok().and_then(|r| r.workdir());
    let output = match (&global.output, &root) {
        (Some(path), _) => path.clone(),
        (None, Some(root)) => root.join(BASELINE_FILE),
        (None, None) => {
            return Err(Error::Usage(
                "not inside a git work tree: give the baseline's path with --output FILE".into(),
            ));
        }
    };
    // The previous baseline must not hide what it recorded: it is being replaced.
    let setup = setup(global, root.as_deref(), false, false)?;
    let no_progress = quiet_progress(global, args.source.no_progress);
    let (mut outcome, source) = if let Some(spec) = &args.source.git {
        let repo = repo?;
        (
            scan_history(&repo, &setup, spec, args.source.all, no_progress)?,
            "history",
        )
    } else {
        let paths = match (args.paths.is_empty(), &root) {
            (false, _) => args.paths.clone(),
            (true, Some(root)) => vec![root.clone()],
            (true, None) => vec![PathBuf::from(".")],
        };
        let mut outcome = scan_paths(&setup, &paths, false, args.source.no_ignore, no_progress)?;
        // Record work-tree paths relative to its root, wherever the command ran.
        if let Some(root) = &root {
            for f in &mut outcome.findings {
                if let Ok(rel) = Path::new(&f.path).strip_prefix(root) {
                    f.path = rel.to_string_lossy().into_owned();
                }
            }
        }
        (outcome, "files")
    };
    outcome.stats.elapsed = started.elapsed();
    let previous = output
        .is_file()
        .then(|| Baseline::load(&output, &output.display().to_string()).ok())
        .flatten();
    let recorded: Vec<&crate::finding::Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let distinct = baseline::write(&output, &setup.catalogue, &recorded, source)?;
    let shown = root
        .as_deref()
        .and_then(|r| output.strip_prefix(r).ok())
        .unwrap_or(&output)
        .display()
        .to_string();
    let mut out = std::io::stdout().lock();
    let what = if source == "history" {
        format!(
            "{} of git history",
            human::plural(outcome.stats.commits, "commit", "commits")
        )
    } else {
        human::plural(outcome.stats.files, "file", "files")
    };
    let mut line = format!(
        "leakguard: wrote {shown}: {} ({}) from {what}",
        human::plural(distinct, "secret", "secrets"),
        human::plural(recorded.len(), "finding", "findings"),
    );
    if let Some(previous) = &previous {
        let new = recorded
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect::<std::collections::HashSet<_>>();
        let added = new.iter().filter(|fp| !previous.contains(fp)).count();
        let dropped = previous
            .fingerprints()
            .filter(|fp| !new.contains(fp))
            .count();
        line.push_str(&format!(
            "; {added} new and {dropped} gone since the previous baseline"
        ));
    }
    let suppressed = outcome.findings.len() - recorded.len();
    if suppressed > 0 {
        line.push_str(&format!(
            "; {suppressed} already allowed otherwise (pragma, ignore file, path rule) not recorded"
        ));
    }
    writeln!(out, "{line}").map_err(Error::Output)?;
    writeln!(
        out,
        "Later hook runs and scans ignore exactly these secrets (by fingerprint); a new secret still blocks."
    )
    .map_err(Error::Output)?;
    writeln!(
        out,
        "Commit it so every clone and CI use it: git add {}",
        shown
    )
    .map_err(Error::Output)?;
    if distinct > 0 {
        writeln!(
            out,
            "These secrets are still valid until rotated: a baseline stops the noise, not the leak."
        )
        .map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn explain(global: &GlobalArgs, query: &str) -> Result<ExitCode> {
    let root = current_root()?;
    let config = Config::load(root.as_deref(), global.config.as_deref(), false)?;
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
