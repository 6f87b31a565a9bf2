//! `leakguard doctor`: what is installed where, and whether it would run.
//!
//! It answers one question — would the next `git commit` / `git push` in this repository run
//! leakguard? — by looking where git looks (the hooks directory from `git::Repo::hooks_dir()`),
//! classifying each hook file as `install` does, and resolving the binary the way the shims do
//! ($LEAKGUARD_BIN, PATH, the binary recorded in the shims, ~/.cargo/bin). It reads; it never
//! changes anything.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::HookKind;
use crate::error::{Error, Result};
use crate::git::{ConfigScope, HooksDir, Repo};
use crate::install::{self, HookFile};

/// How one hook of the current repository stands.
pub struct HookReport {
    pub hook: HookKind,
    pub path: PathBuf,
    /// One line: what the file is and what runs after it.
    pub status: String,
    /// Whether the next commit/push would run leakguard through it.
    pub protects: bool,
    /// Whether it runs the binary the shims find (the pre-commit framework builds its own).
    pub needs_binary: bool,
}

/// Everything doctor found; `render` prints it.
pub struct Report {
    pub version: &'static str,
    pub exe: Option<PathBuf>,
    /// The binary the shims would run, and how it was found; `None` when they would not find one.
    pub hook_binary: Option<(PathBuf, FoundThrough)>,
    pub global_hooks_path: Option<String>,
    pub global_dir: Option<PathBuf>,
    pub repo: Option<RepoReport>,
}

pub struct RepoReport {
    pub root: PathBuf,
    pub hooks: HooksDir,
    pub uses_global_dir: bool,
    pub hook_reports: Vec<HookReport>,
    /// The repository's own hooks that a `core.hooksPath` keeps git from running.
    pub skipped_own_hooks: Vec<String>,
}

impl Report {
    /// Protection is active when at least one of leakguard's hooks would run.
    pub fn protected(&self) -> bool {
        self.repo.as_ref().is_some_and(|r| {
            r.hook_reports
                .iter()
                .any(|h| h.protects && (!h.needs_binary || self.hook_binary.is_some()))
        })
    }
}

/// Inspects the installation around `dir`.
pub fn inspect(dir: &Path) -> Result<Report> {
    let global_dir = install::global_dir().ok();
    let global_hooks_path = install::global_hooks_path().unwrap_or(None);
    let repo = match Repo::discover(dir) {
        Ok(repo) => Some(inspect_repo(&repo, global_dir.as_deref())?),
        Err(Error::NotARepository { .. }) => None,
        Err(e) => return Err(e),
    };
    // The binary the shims here record, else the global ones.
    let recorded = repo
        .iter()
        .flat_map(|r| r.hook_reports.iter().map(|h| h.path.clone()))
        .chain(
            global_dir
                .iter()
                .flat_map(|d| HookKind::ALL.map(|h| d.join(h.name()))),
        )
        .find_map(|p| install::recorded_binary(&p));
    Ok(Report {
        version: env!("CARGO_PKG_VERSION"),
        exe: std::env::current_exe().ok(),
        hook_binary: hook_binary(recorded.as_deref()),
        global_hooks_path,
        global_dir,
        repo,
    })
}

fn inspect_repo(repo: &Repo, global_dir: Option<&Path>) -> Result<RepoReport> {
    let hooks = repo.hooks_dir()?;
    let uses_global_dir = hooks
        .configured
        .as_ref()
        .zip(global_dir)
        .is_some_and(|(c, g)| install::names_dir(&c.value, g) || hooks.path == g);
    let mut hook_reports = Vec::new();
    for hook in HookKind::ALL {
        hook_reports.push(inspect_hook(repo, &hooks, uses_global_dir, hook)?);
    }
    let mut skipped_own_hooks = Vec::new();
    if hooks.configured.is_some() && hooks.own != hooks.path {
        for name in own_hooks(&hooks.own) {
            let passed = uses_global_dir
                && (install::PASS_THROUGH_HOOKS.contains(&name.as_str())
                    || HookKind::ALL.iter().any(|h| h.name() == name));
            if !passed {
                skipped_own_hooks.push(name);
            }
        }
    }
    Ok(RepoReport {
        root: repo.hook_cwd(),
        hooks,
        uses_global_dir,
        hook_reports,
        skipped_own_hooks,
    })
}

/// Executable hooks (not samples, not moved-aside ones) in a repository's own hooks directory.
fn own_hooks(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains('.') && install::is_executable(&dir.join(n)))
        .collect();
    names.sort();
    names
}

fn inspect_hook(repo: &Repo, hooks: &HooksDir, global: bool, hook: HookKind) -> Result<HookReport> {
    let name = hook.name();
    let path = hooks.path.join(name);
    let kind = install::classify(&path)?;
    let runnable = install::is_executable(&path);
    let own = hooks.own.join(name);
    let mut needs_binary = true;
    let (status, protects) = match kind {
        HookFile::Missing => ("missing".to_string(), false),
        _ if !runnable => (
            format!("{}, not executable: git skips it", describe(kind)),
            false,
        ),
        HookFile::Scan => {
            let chained = if global {
                match install::previous_global_hooks_path(&hooks.path) {
                    Some(previous) => {
                        install::hooks_path_value(&previous, &repo.hook_cwd()).join(name)
                    }
                    None => own.clone(),
                }
            } else {
                install::chained_path(&hooks.path, name)
            };
            let then = if install::is_executable(&chained) {
                format!(", then runs {}", chained.display())
            } else if chained.exists() {
                format!(
                    ", chains to {} (not executable: skipped)",
                    chained.display()
                )
            } else {
                String::new()
            };
            (format!("leakguard{then}"), true)
        }
        HookFile::PassThrough => {
            let own_kind = install::classify(&own)?;
            if own_kind == HookFile::Scan && install::is_executable(&own) {
                (
                    format!(
                        "not installed globally; runs the repository's own {}, which is leakguard",
                        own.display()
                    ),
                    true,
                )
            } else {
                (
                    "not installed (leakguard's global pass-through to the repository's own hook)"
                        .to_string(),
                    false,
                )
            }
        }
        HookFile::Foreign => match calls_leakguard(repo, hooks, &path, name) {
            Some((how, own_build)) => {
                needs_binary = !own_build;
                (format!("not leakguard's, but runs it ({how})"), true)
            }
            None => (
                "not leakguard's and does not run it (`leakguard install` chains it)".to_string(),
                false,
            ),
        },
    };
    Ok(HookReport {
        hook,
        path,
        status,
        protects,
        needs_binary,
    })
}

fn describe(kind: HookFile) -> &'static str {
    match kind {
        HookFile::Missing => "missing",
        HookFile::Scan => "leakguard",
        HookFile::PassThrough => "leakguard's pass-through",
        HookFile::Foreign => "not leakguard's",
    }
}

/// Whether a hook that is not ours runs leakguard anyway: it names it, or it is the pre-commit
/// framework's (and `.pre-commit-config.yaml` uses leakguard, or its migration-mode
/// `<hook>.legacy` is ours), lefthook's (and its config names leakguard), or husky's. The flag
/// says whether it runs a leakguard the framework built itself rather than the one on PATH.
fn calls_leakguard(
    repo: &Repo,
    hooks: &HooksDir,
    path: &Path,
    name: &str,
) -> Option<(String, bool)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if text.contains("leakguard") {
        return Some(("it names leakguard".into(), false));
    }
    let root = repo.workdir()?;
    let mentions = |file: &str| {
        std::fs::read_to_string(root.join(file)).is_ok_and(|t| t.contains("leakguard"))
    };
    if text.contains("pre-commit.com") || text.contains("hook-impl") {
        let legacy = hooks.path.join(format!("{name}.legacy"));
        if install::classify(&legacy).is_ok_and(|k| k == HookFile::Scan)
            && install::is_executable(&legacy)
        {
            return Some((
                format!("the pre-commit framework runs {}", legacy.display()),
                false,
            ));
        }
        if mentions(".pre-commit-config.yaml") {
            return Some((
                "the pre-commit framework; .pre-commit-config.yaml uses leakguard".into(),
                true,
            ));
        }
    }
    if text.contains("lefthook") {
        for file in [
            "lefthook.yml",
            ".lefthook.yml",
            "lefthook.yaml",
            ".lefthook.yaml",
        ] {
            if mentions(file) {
                return Some((format!("lefthook; {file} names leakguard"), false));
            }
        }
    }
    if hooks.path.ends_with(".husky/_") && mentions(&format!(".husky/{name}")) {
        return Some((format!("husky; .husky/{name} names leakguard"), false));
    }
    None
}

/// How the shims find the binary they run, in the order they look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoundThrough {
    Env,
    Path,
    /// The binary that installed the hooks, whose path they record.
    Recorded,
    CargoHome,
}

impl FoundThrough {
    pub fn as_str(self) -> &'static str {
        match self {
            FoundThrough::Env => "LEAKGUARD_BIN",
            FoundThrough::Path => "PATH",
            FoundThrough::Recorded => "the path `leakguard install` recorded in the hooks",
            FoundThrough::CargoHome => "~/.cargo/bin",
        }
    }
}

/// The binary the shims would run: $LEAKGUARD_BIN, `leakguard` on PATH, the binary that
/// installed them (`recorded`), then `$CARGO_HOME/bin` (default `~/.cargo/bin`).
pub fn hook_binary(recorded: Option<&Path>) -> Option<(PathBuf, FoundThrough)> {
    if let Some(bin) = std::env::var_os("LEAKGUARD_BIN").filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        return install::is_executable(&bin).then_some((bin, FoundThrough::Env));
    }
    let exe = if cfg!(windows) {
        "leakguard.exe"
    } else {
        "leakguard"
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(exe);
            if install::is_executable(&candidate) {
                return Some((candidate, FoundThrough::Path));
            }
        }
    }
    if let Some(bin) = recorded.filter(|b| install::is_executable(b)) {
        return Some((bin.to_path_buf(), FoundThrough::Recorded));
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let candidate = cargo_home.join("bin").join(exe);
    install::is_executable(&candidate).then_some((candidate, FoundThrough::CargoHome))
}

/// Prints the report.
pub fn render(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let exe = r
        .exe
        .as_deref()
        .map_or("unknown path".into(), |p| p.display().to_string());
    writeln!(out, "leakguard {} ({exe})", r.version)?;
    match &r.hook_binary {
        Some((bin, how)) => writeln!(
            out,
            "hooks run:  {} (found through {})",
            bin.display(),
            how.as_str()
        )?,
        None => writeln!(
            out,
            "hooks run:  nothing: no leakguard binary in LEAKGUARD_BIN, on PATH, where the hooks \
             record it or in ~/.cargo/bin, so every hook blocks"
        )?,
    }
    let global = match (&r.global_hooks_path, &r.global_dir) {
        (None, _) => "not set".to_string(),
        (Some(v), Some(d)) if install::names_dir(v, d) => {
            format!("{v} (leakguard's global hooks directory)")
        }
        (Some(v), _) => format!("{v} (not leakguard's)"),
    };
    writeln!(out, "global core.hooksPath: {global}")?;
    let Some(repo) = &r.repo else {
        writeln!(out, "repository: none (not inside a git repository)")?;
        writeln!(out, "protection: NOT active here (not a repository)")?;
        return Ok(());
    };
    writeln!(out, "repository: {}", repo.root.display())?;
    let origin = match &repo.hooks.configured {
        None => "git's default; core.hooksPath is not set".to_string(),
        Some(c) => {
            let file = c
                .file
                .as_deref()
                .map_or(String::new(), |f| format!(" in {}", f.display()));
            let every = if c.scope == ConfigScope::Global || c.scope == ConfigScope::System {
                ", so it applies to every repository that does not set its own"
            } else {
                ""
            };
            format!(
                "core.hooksPath = {} from the {} configuration{file}{every}",
                c.value,
                c.scope.as_str()
            )
        }
    };
    writeln!(
        out,
        "hooks directory: {} ({origin})",
        repo.hooks.path.display()
    )?;
    for h in &repo.hook_reports {
        writeln!(
            out,
            "  {:<10} {:<4} {}",
            h.hook.name(),
            if h.protects { "runs" } else { "off" },
            h.status
        )?;
    }
    if !repo.skipped_own_hooks.is_empty() {
        writeln!(
            out,
            "not run because of core.hooksPath: {} in {}",
            repo.skipped_own_hooks.join(", "),
            repo.hooks.own.display()
        )?;
    }
    let active: Vec<&str> = repo
        .hook_reports
        .iter()
        .filter(|h| h.protects)
        .map(|h| h.hook.name())
        .collect();
    if r.protected() {
        writeln!(out, "protection: active ({})", active.join(", "))?;
    } else if active.is_empty() {
        writeln!(
            out,
            "protection: NOT active: run `leakguard install` here, or `leakguard install --global`"
        )?;
    } else {
        writeln!(
            out,
            "protection: NOT active: the hooks cannot find the leakguard binary (put it on PATH, \
             or run `leakguard install` again with it where it is now)"
        )?;
    }
    Ok(())
}
