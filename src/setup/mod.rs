//! Setup: everything a command needs before it reads a single change, built once, by `setup`:
//! the repository around the current directory, the configuration (built-ins merged with the
//! repository's `.leakguard.toml`, its own detectors proven against their examples, `check`),
//! the allowlist (path rules, `.leakguardignore`, the baseline) and the scanner.
//!
//! Like ripgrep's `HiArgs`, this is where every fallible compile happens up front, so that a
//! broken configuration is a one-line error before anything is scanned.

pub mod check;

use std::path::{Path, PathBuf};

use crate::config::{Config, REPOSITORY_CONFIG};
use crate::detectors::Catalogue;
use crate::engine::Scanner;
use crate::error::{Error, Result};
use crate::escape::{quote, tame};
use crate::git::{Repo, RootFile};
use crate::repo_file;
use crate::suppress::{
    Allowlist, BASELINE_FILE, BaselineSource, IGNORE_FILE, IgnoreFile, PathRules,
};

/// What `setup` builds, and from where.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// `--config FILE`: used instead of the repository's `.leakguard.toml`.
    pub config: Option<&'a Path>,
    /// `--baseline FILE`: used instead of the repository's `.leakguard-baseline.json`.
    pub baseline: Option<&'a Path>,
    /// Whether the current directory must be inside a repository.
    pub repository: Need,
    /// Which of the repository's suppression files are read.
    pub suppressions: Suppressions,
    /// Keep the built-in detectors' examples (only `check` proves them).
    pub examples: bool,
    /// `--config-from REV`: the configuration, ignore file and baseline are the ones committed
    /// in `REV` rather than the work tree's, so that a change cannot judge itself.
    pub config_from: Option<&'a str>,
}

/// Whether a command needs a repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Not being in one is an error (the hooks, `scan --staged`, `scan --git`).
    Required,
    /// Use the one around the current directory if there is one (its work tree holds the
    /// configuration); otherwise go on with the built-ins.
    IfAny,
}

/// Which suppression files of the repository are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suppressions {
    /// None: commands that do not scan.
    None,
    /// `.leakguardignore` only: `baseline`, which replaces the baseline it would read.
    IgnoreFile,
    /// `.leakguardignore` and the baseline (the given one, else the repository's if present).
    All,
}

/// Everything built once for a command.
pub struct Setup {
    /// The repository, or why there is none (only with `Need::IfAny`).
    pub repo: Result<Repo>,
    /// The work tree root, where `.leakguard.toml` and `.leakguardignore` live.
    pub root: Option<PathBuf>,
    pub scanner: Scanner<'static>,
    pub allow: Allowlist,
    /// The repository config that was applied, if any.
    pub config_source: Option<PathBuf>,
}

impl Setup {
    pub fn catalogue(&self) -> &Catalogue {
        self.scanner.catalogue()
    }
}

/// Builds everything `options` asks for, in the order errors are reported: the repository,
/// the configuration, the ignore file; the baseline is only located here (it is read on the
/// first finding it could suppress).
pub fn setup(options: &Options<'_>) -> Result<Setup> {
    let cwd = current_dir()?;
    let repo = Repo::discover(&cwd);
    let repo = match (options.repository, options.config_from, repo) {
        (Need::Required, _, Err(e)) | (_, Some(_), Err(e)) => return Err(e),
        (_, _, repo) => repo,
    };
    let root = repo.as_ref().ok().and_then(Repo::workdir);
    let built = match (options.config_from, &repo) {
        (Some(rev), Ok(repo)) => build(from_revision(repo, rev, options)?)?,
        _ => build(from_work_tree(root.as_deref(), options)?)?,
    };
    Ok(built.with(repo, root))
}

/// `setup` for a command that needs a repository, with `work` done on it meanwhile: the
/// configuration and the scanner are built on a second thread while this one runs `work`
/// (a pre-commit run reads the index and HEAD's trees). On a keyword-rich commit of a
/// 13 000-file tree the set-up was ~1 M of ~18 M instructions and the index ~9 M: on two cores
/// the set-up costs no time. A configuration error is reported before `work`'s, as `setup`
/// reports it before anything is read. (`--config-from` reads the configuration from the
/// repository, so there both run one after the other.)
pub fn setup_while<T>(
    options: &Options<'_>,
    work: impl FnOnce(&Repo) -> Result<T>,
) -> Result<(Setup, T)> {
    if options.config_from.is_some() || options.repository != Need::Required {
        let Setup {
            repo,
            root,
            scanner,
            allow,
            config_source,
        } = setup(options)?;
        let repo = repo?;
        let done = work(&repo)?;
        let built = Built {
            scanner,
            allow,
            config_source,
        };
        return Ok((built.with(Ok(repo), root), done));
    }
    let repo = Repo::discover(&current_dir()?)?;
    let root = repo.workdir();
    let (built, done) = std::thread::scope(|s| {
        let builder = std::thread::Builder::new().spawn_scoped(s, || {
            from_work_tree(root.as_deref(), options).and_then(build)
        });
        let done = work(&repo);
        let built = match builder {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => from_work_tree(root.as_deref(), options).and_then(build),
        };
        (built, done)
    });
    let built = built?;
    Ok((built.with(Ok(repo), root), done?))
}

/// The configuration, ignore file and baseline location of the work tree at `root` (or the
/// built-ins alone outside a repository).
fn from_work_tree(
    root: Option<&Path>,
    options: &Options<'_>,
) -> Result<(Configuration, IgnoreFile, Option<BaselineSource>)> {
    let configuration = configure(root, options.config, options.examples)?;
    let ignore = match (options.suppressions, root) {
        (Suppressions::None, _) | (_, None) => IgnoreFile::default(),
        (_, Some(root)) => IgnoreFile::load(root)?,
    };
    let baseline = match options.suppressions {
        Suppressions::All => baseline_location(options.baseline, root),
        _ => None,
    };
    Ok((configuration, ignore, baseline))
}

/// What `setup` builds from the configuration: everything but the repository.
struct Built {
    scanner: Scanner<'static>,
    allow: Allowlist,
    config_source: Option<PathBuf>,
}

impl Built {
    fn with(self, repo: Result<Repo>, root: Option<PathBuf>) -> Setup {
        Setup {
            repo,
            root,
            scanner: self.scanner,
            allow: self.allow,
            config_source: self.config_source,
        }
    }
}

fn build(
    (configuration, ignore, baseline): (Configuration, IgnoreFile, Option<BaselineSource>),
) -> Result<Built> {
    let Configuration {
        catalogue,
        paths,
        source,
    } = configuration;
    Ok(Built {
        scanner: Scanner::owning(catalogue)?,
        allow: Allowlist::new(paths, ignore, baseline),
        config_source: source,
    })
}

/// The configuration, ignore file and baseline as committed in `rev` (`--config-from`). A file
/// that is not a regular file there, or is over the size cap, is an error naming `rev:file`.
fn from_revision(
    repo: &Repo,
    rev: &str,
    options: &Options<'_>,
) -> Result<(Configuration, IgnoreFile, Option<BaselineSource>)> {
    if options.config.is_some() || options.baseline.is_some() {
        return Err(Error::Usage(
            "--config-from reads the configuration, ignore file and baseline from a revision; \
             it cannot be combined with --config or --baseline"
                .into(),
        ));
    }
    let names = [REPOSITORY_CONFIG, IGNORE_FILE, BASELINE_FILE];
    let mut files = repo
        .root_files_at(rev, &names, repo_file::MAX_SIZE)?
        .into_iter();
    let mut next = |name: &str| -> Result<Option<(String, Vec<u8>)>> {
        let label = format!("{rev}:{name}");
        match files.next().expect("one entry per name") {
            RootFile::Missing => Ok(None),
            RootFile::Blob(bytes) => Ok(Some((label, bytes))),
            RootFile::TooLarge(size) => Err(repo_file::too_large(&label, size)),
            RootFile::NotAFile(what) => Err(Error::Config {
                location: label,
                message: format!(
                    "is {what}, not a regular file; leakguard reads only regular files"
                ),
            }),
        }
    };
    let config = next(REPOSITORY_CONFIG)?;
    let ignore = next(IGNORE_FILE)?;
    let baseline = next(BASELINE_FILE)?;
    let configuration = prove(match config {
        Some((label, bytes)) => Config::from_bytes(&label, bytes, options.examples)?,
        None => Config::from_text(None, options.examples)?,
    })?;
    let ignore = match (options.suppressions, ignore) {
        (Suppressions::None, _) | (_, None) => IgnoreFile::default(),
        (_, Some((label, bytes))) => IgnoreFile::parse(&label, &bytes)?,
    };
    let baseline = match (options.suppressions, baseline) {
        (Suppressions::All, Some((label, bytes))) => Some(BaselineSource::Bytes { label, bytes }),
        _ => None,
    };
    Ok((configuration, ignore, baseline))
}

/// The repository around the current directory, for commands that need nothing else from it.
pub fn repository() -> Result<Repo> {
    Repo::discover(&current_dir()?)
}

pub fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })
}

/// The effective configuration, proven: what the scanner and the path rules are built from.
pub struct Configuration {
    pub catalogue: Catalogue,
    /// Paths whose findings are suppressed (`skip_paths`, `[[allow]]`).
    pub paths: PathRules,
    /// The repository config that was applied, if any.
    pub source: Option<PathBuf>,
}

/// Built-ins merged with `explicit` if given, else with `.leakguard.toml` in `root` if present,
/// then proven (see `prove`). `examples` keeps the built-ins' examples (only `check` needs
/// them).
pub fn configure(
    root: Option<&Path>,
    explicit: Option<&Path>,
    examples: bool,
) -> Result<Configuration> {
    prove(Config::load(root, explicit, examples)?)
}

/// `configure` for a repository config given as `(label, text)`: everything done once the
/// file is read (the fuzz target's entry point).
pub fn configure_text(repository: Option<(&str, &str)>, examples: bool) -> Result<Configuration> {
    prove(Config::from_text(repository, examples)?)
}

/// A repository's own detectors must prove themselves against their examples when the config
/// is loaded, as the built-ins do in CI; the merged whole is then validated (a repository's
/// config can break it; the built-ins alone need no check on every run: `leakguard check`
/// proves them in CI, tests/catalogue.rs). Then the path globs are compiled.
fn prove(config: Config) -> Result<Configuration> {
    let Config {
        catalogue,
        own_detectors,
        source,
    } = config;
    if let Some(own) = own_detectors {
        let custom = Catalogue {
            providers: catalogue.providers.clone(),
            detectors: own,
            placeholders: catalogue.placeholders.clone(),
            ..Catalogue::default()
        };
        let problems = check::check(&custom, 1)?;
        if let Some(p) = problems.first() {
            return Err(Error::Config {
                location: p.location.clone(),
                message: format!("detector {}: {}", quote(&p.detector), tame(&p.message)),
            });
        }
        catalogue.validate()?;
    }
    let paths = PathRules::build(&catalogue)?;
    Ok(Configuration {
        catalogue,
        paths,
        source,
    })
}

/// `--baseline FILE` (which must then exist), else the repository's baseline if there is one
/// (in any form: what is not a regular file inside the repository is an error when it is read).
fn baseline_location(explicit: Option<&Path>, root: Option<&Path>) -> Option<BaselineSource> {
    match (explicit, root) {
        (Some(path), _) => Some(BaselineSource::Given {
            path: path.to_path_buf(),
            label: path.display().to_string(),
        }),
        (None, Some(root)) => {
            let path = root.join(BASELINE_FILE);
            repo_file::exists(&path).then(|| BaselineSource::Repository {
                root: root.to_path_buf(),
                path,
                label: BASELINE_FILE.to_string(),
            })
        }
        (None, None) => None,
    }
}
