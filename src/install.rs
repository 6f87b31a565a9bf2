//! Hook installation: writes leakguard's shims into a hooks directory, chaining what was there.
//!
//! Files only: where the hooks directory is comes from `git::Repo::hooks_dir()`. The one design
//! choice: an existing hook is never overwritten. It is renamed to `<hook>.leakguard-chained`,
//! and the shim runs it after leakguard (in the same shell process, with the same arguments and,
//! for pre-push, the same standard input), so the commit is blocked if either fails; uninstalling
//! renames it back. The shims are POSIX sh so that Git for Windows runs them too. Each shim
//! records the absolute path of the binary that installed it, as the fallback after
//! `$LEAKGUARD_BIN` and `PATH` (the pre-commit framework writes its interpreter's path into its
//! hooks for the same reason): a binary run from a build directory or a download works without
//! being on PATH, and installing again from its new place records that.
//!
//! `--global` owns one directory (`$XDG_CONFIG_HOME/leakguard/hooks`, default
//! `~/.config/leakguard/hooks`) and points the global `core.hooksPath` at it. A global
//! `core.hooksPath` makes git skip every repository's own `.git/hooks`, so that directory holds,
//! besides leakguard's shims (which chain to the repository's own hook of the same name), a
//! pass-through for every other common hook. A `core.hooksPath` that was set before is
//! remembered, chained to instead, and restored by `--uninstall`. Changing the global
//! configuration runs `git config --global` (installing is not the hot path).

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::HookKind;
use crate::error::{Error, Result};
use crate::git::{ConfigScope, HooksDir};

/// Suffix of a hook moved aside so that leakguard's shim can take its name and chain to it.
pub const CHAINED_SUFFIX: &str = ".leakguard-chained";

const SCAN_MARKER: &str = "# leakguard-managed: scan";
const PASS_MARKER: &str = "# leakguard-managed: pass-through";

const PRE_COMMIT_SHIM: &str = include_str!("../hooks/pre-commit");
const PRE_PUSH_SHIM: &str = include_str!("../hooks/pre-push");

/// The line of the repository shims that the global ones replace.
const REPO_CHAIN: &str = "chained=\"$0.leakguard-chained\"\n";

/// The line of the shims in `hooks/` that `install` fills with the binary's path.
const INSTALLED_BY: &str = "installed_by=''\n";

/// Hooks the global directory passes through to each repository's own hook. Left out, because
/// the mere existence of the hook changes what git does or costs: `push-to-checkout` (replaces
/// the work tree update of `receive.denyCurrentBranch=updateInstead`), `proc-receive` (a
/// protocol), `reference-transaction` and `post-index-change` (run on every ref or index
/// update), and the `p4-*` hooks of git-p4. `leakguard doctor` names any of them a repository
/// has, since the global install stops them running.
pub const PASS_THROUGH_HOOKS: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "post-rewrite",
    "pre-auto-gc",
    "sendemail-validate",
    "pre-receive",
    "update",
    "post-receive",
    "post-update",
];

/// Hooks git knows that the global directory does not pass through (see `PASS_THROUGH_HOOKS`).
pub const NOT_PASSED_THROUGH: &[&str] = &[
    "push-to-checkout",
    "proc-receive",
    "reference-transaction",
    "post-index-change",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
];

/// What `leakguard install` does to a hooks directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Install,
    Uninstall,
}

/// Installs `hooks` into (or removes them from) a repository's hooks directory, as git finds
/// it. A repository that runs leakguard's global hooks is refused (they are changed with
/// `--global`); a `core.hooksPath` from the global or system configuration is noted, because
/// hooks there run for every repository that does not set its own. Returns the log lines.
pub fn repository(
    hooks_dir: &HooksDir,
    hooks: &[HookKind],
    action: Action,
    binary: Option<&Path>,
) -> Result<Vec<String>> {
    let mut log = Vec::new();
    if let Some(c) = &hooks_dir.configured {
        let global_dir = global_dir()?;
        if names_dir(&c.value, &global_dir) || hooks_dir.path == global_dir {
            return Err(Error::Install(format!(
                "this repository runs leakguard's global hooks ({}); change them with \
                 `leakguard install --global`",
                global_dir.display()
            )));
        }
        if matches!(c.scope, ConfigScope::Global | ConfigScope::System) {
            log.push(format!(
                "note: core.hooksPath = {} comes from the {} configuration: hooks there run \
                 for every repository that does not set its own",
                c.value,
                c.scope.as_str()
            ));
        }
    }
    log.extend(match action {
        Action::Install => install_repo(&hooks_dir.path, hooks, binary)?,
        Action::Uninstall => uninstall_repo(&hooks_dir.path, hooks)?,
    });
    Ok(log)
}

/// The shim of `hooks/` in leakguard's source tree, which records no binary.
pub fn repo_shim(hook: HookKind) -> &'static str {
    match hook {
        HookKind::PreCommit => PRE_COMMIT_SHIM,
        HookKind::PrePush => PRE_PUSH_SHIM,
    }
}

/// The shim `leakguard install` writes into a repository's hooks directory: `repo_shim` with
/// `binary` recorded as the fallback after `$LEAKGUARD_BIN` and `PATH`.
pub fn shim(hook: HookKind, binary: Option<&Path>) -> String {
    recording(repo_shim(hook), binary)
}

/// `shim` with `binary` in its `installed_by=` line (a path that is not UTF-8 is not recorded:
/// the shim is text, and the other ways of finding the binary still apply).
fn recording(shim: &str, binary: Option<&Path>) -> String {
    match binary.and_then(Path::to_str) {
        Some(path) => shim.replacen(
            INSTALLED_BY,
            &format!("installed_by={}\n", sh_quote(path)),
            1,
        ),
        None => shim.to_string(),
    }
}

/// The binary a leakguard shim at `path` records (`installed_by=…`), if it records one.
pub fn recorded_binary(path: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(path).ok()?;
    let value = text
        .lines()
        .take(40)
        .find_map(|l| l.strip_prefix("installed_by="))?;
    let path = sh_unquote(value)?;
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// The absolute path of the running binary as the person invoked it: `argv[0]` when it names a
/// path, its directory resolved (keeping a symlink they chose, such as `~/bin/leakguard`), else
/// the executable the system reports.
pub fn this_binary() -> Option<PathBuf> {
    let invoked = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .filter(|p| p.components().count() > 1)
        .and_then(|p| {
            let name = p.file_name()?.to_owned();
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty())?;
            Some(fs::canonicalize(dir).ok()?.join(name))
        })
        .filter(|p| is_executable(p));
    invoked.or_else(|| std::env::current_exe().ok())
}

/// Why a binary at `bin` may not stay there, if it may not: it is in a cargo target directory
/// (`cargo clean` removes it) or a temporary directory (the system clears it).
pub fn temporary_place(bin: &Path) -> Option<&'static str> {
    let canon = fs::canonicalize(bin).unwrap_or_else(|_| bin.to_path_buf());
    for path in [bin, canon.as_path()] {
        let in_target = path.ancestors().skip(1).any(|dir| {
            // Cargo marks its target directories (whatever CARGO_TARGET_DIR names) with this.
            fs::read(dir.join("CACHEDIR.TAG"))
                .is_ok_and(|tag| tag.starts_with(b"Signature: 8a477f597d28d172789f06886806bc55"))
                || (dir
                    .file_name()
                    .is_some_and(|n| n == "debug" || n == "release")
                    && dir
                        .parent()
                        .and_then(Path::file_name)
                        .is_some_and(|n| n == "target"))
        });
        if in_target {
            return Some("a cargo target directory, which `cargo clean` empties");
        }
    }
    let temporary = [
        std::env::temp_dir(),
        "/tmp".into(),
        "/var/tmp".into(),
        "/dev/shm".into(),
    ];
    let under = |dir: &Path| {
        let dir_canon = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        bin.starts_with(dir) || canon.starts_with(&dir_canon)
    };
    temporary
        .iter()
        .any(|d| under(d))
        .then_some("a temporary directory, which the system clears")
}

/// Where a global shim chains to: the repository's own hook, or the hook of the global hooks
/// directory that was configured before leakguard's.
fn global_chain(previous: Option<&str>) -> String {
    match previous {
        None => "# git skips the repository's own hooks while core.hooksPath is set globally: run its hook.\n\
                 common=$(git rev-parse --git-common-dir 2>/dev/null) || common=\n\
                 chained=${common:+$common/hooks/$hook}\n"
            .to_string(),
        Some(p) => format!(
            "# Run the hook of the global core.hooksPath that was set before leakguard's ({p}).\n\
             chained={}/$hook\n",
            sh_path(p)
        ),
    }
}

/// A global scanning shim: the repository shim with `binary` recorded, chaining as
/// `global_chain` says.
pub fn global_shim(hook: HookKind, previous: Option<&str>, binary: Option<&Path>) -> String {
    let name = hook.name();
    let repo_comment = format!(
        "#    the hook that was here before leakguard (moved aside to {name}{CHAINED_SUFFIX}).\n"
    );
    let global_comment = match previous {
        None => format!(
            "#    the repository's own {name} hook, which git skips while core.hooksPath is global.\n"
        ),
        Some(_) => format!(
            "#    {name} of the global hooks directory that was configured before leakguard's.\n"
        ),
    };
    let chain = format!(
        "{}if [ -f \"$chained\" ] && [ -x \"$chained\" ] && grep -q '^{SCAN_MARKER}' \"$chained\"; then\n  \
         exec \"$chained\" \"$@\"  # leakguard's own shim: it scans and chains by itself\n\
         fi\n",
        global_chain(previous)
    );
    shim(hook, binary)
        .replacen(&repo_comment, &global_comment, 1)
        .replacen(REPO_CHAIN, &chain, 1)
}

/// A global pass-through: runs the repository's own hook `name` (or the previous global one).
pub fn pass_through(name: &str, previous: Option<&str>) -> String {
    format!(
        "#!/bin/sh\n\
         {PASS_MARKER} (written by `leakguard install --global`; reinstall rather than edit)\n\
         # git runs only this directory's hooks while core.hooksPath is set globally, which would\n\
         # silently disable every repository's own {name} hook: this runs it.\n\
         hook={name}\n\
         {}\
         if [ -f \"$chained\" ] && [ -x \"$chained\" ]; then\n  exec \"$chained\" \"$@\"\nfi\n",
        global_chain(previous)
    )
}

/// A path for sh: single-quoted, with a leading `~/` left to the shell's `$HOME`.
fn sh_path(p: &str) -> String {
    match p.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/{}", sh_quote(rest)),
        None => sh_quote(p),
    }
}

/// `s` as one single-quoted sh word.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The value of a word `sh_quote` wrote; `None` for anything else.
fn sh_unquote(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = word.trim_end();
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix(r"\'") {
            out.push('\'');
            rest = tail;
        } else {
            let inner = rest.strip_prefix('\'')?;
            let end = inner.find('\'')?;
            out.push_str(&inner[..end]);
            rest = &inner[end + 1..];
        }
    }
    Some(out)
}

/// What a hook file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookFile {
    Missing,
    /// One of leakguard's scanning shims (any version).
    Scan,
    /// A pass-through of leakguard's global hooks directory.
    PassThrough,
    /// Anything else.
    Foreign,
}

/// Classifies the hook file at `path` by its content (following symlinks).
pub fn classify(path: &Path) -> Result<HookFile> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            // A dangling symlink is still something that is not ours.
            return Ok(if fs::symlink_metadata(path).is_ok() {
                HookFile::Foreign
            } else {
                HookFile::Missing
            });
        }
        Err(e) if e.kind() == ErrorKind::IsADirectory => return Ok(HookFile::Foreign),
        Err(source) => {
            return Err(Error::File {
                action: "read",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let has_line = |marker: &str| text.lines().any(|l| l.starts_with(marker));
    Ok(if has_line(SCAN_MARKER) || is_legacy_shim(&text) {
        HookFile::Scan
    } else if has_line(PASS_MARKER) {
        HookFile::PassThrough
    } else {
        HookFile::Foreign
    })
}

/// The shims of leakguard 0.1.0, before they carried a marker.
fn is_legacy_shim(text: &str) -> bool {
    text.lines().nth(1).is_some_and(|l| {
        l.starts_with("# leakguard pre-commit hook:") || l.starts_with("# leakguard pre-push hook:")
    }) && text.contains("exec \"$lg\" hook ")
}

/// Whether git would run the file: it exists and (on Unix) is executable.
pub fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The path a hook is moved aside to.
pub fn chained_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{CHAINED_SUFFIX}"))
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::File {
        action,
        path,
        source,
    }
}

/// Writes `content` to `path` as an executable script, unless it already holds exactly that.
/// Returns whether it wrote.
fn write_script(path: &Path, content: &str) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == content.as_bytes()) && is_executable(path) {
        return Ok(false);
    }
    // A symlink would be written through; replace the link itself.
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(path).map_err(io("remove", path))?;
    }
    fs::write(path, content).map_err(io("write", path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))
            .map_err(io("make executable", path))?;
    }
    Ok(true)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|source| Error::File {
        action: "rename",
        path: PathBuf::from(format!("{} to {}", from.display(), to.display())),
        source,
    })
}

/// Installs `hooks` into the repository hooks directory `dir`, recording `binary`; returns one
/// line per change.
pub fn install_repo(dir: &Path, hooks: &[HookKind], binary: Option<&Path>) -> Result<Vec<String>> {
    // husky's hooks find their script by their own file name and directory, so a moved-aside
    // husky hook would silently do nothing.
    if dir.join("h").is_file() || dir.join("husky.sh").is_file() {
        return Err(Error::Install(format!(
            "{} is husky's hooks directory: call `leakguard hook pre-commit` from .husky/pre-commit \
             (and `leakguard hook pre-push \"$@\"` from .husky/pre-push) instead",
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(io("create", dir))?;
    let mut log = Vec::new();
    for &hook in hooks {
        let name = hook.name();
        let target = dir.join(name);
        let chained = chained_path(dir, name);
        let shim = &shim(hook, binary);
        match classify(&target)? {
            HookFile::Missing => {
                write_script(&target, shim)?;
                log.push(format!("installed {}", target.display()));
                if exists(&chained) {
                    log.push(format!("  it runs {} after leakguard", chained.display()));
                }
            }
            HookFile::Scan => {
                let symlink = fs::symlink_metadata(&target).is_ok_and(|m| m.is_symlink());
                if !symlink && write_script(&target, shim)? {
                    log.push(format!("updated {}", target.display()));
                } else {
                    log.push(format!("{name}: already installed in {}", dir.display()));
                }
            }
            HookFile::PassThrough => {
                return Err(Error::Install(format!(
                    "{} is leakguard's global hooks directory; use `leakguard install --global`",
                    dir.display()
                )));
            }
            HookFile::Foreign => {
                if exists(&chained) {
                    return Err(Error::Install(format!(
                        "cannot chain {}: {} already exists; move one of them away and rerun",
                        target.display(),
                        chained.display()
                    )));
                }
                rename(&target, &chained)?;
                write_script(&target, shim)?;
                log.push(format!(
                    "installed {}; the hook that was there moved to {} and runs after leakguard",
                    target.display(),
                    chained.display()
                ));
            }
        }
    }
    Ok(log)
}

/// Removes leakguard's `hooks` from `dir` and renames chained hooks back.
pub fn uninstall_repo(dir: &Path, hooks: &[HookKind]) -> Result<Vec<String>> {
    let mut log = Vec::new();
    for &hook in hooks {
        let name = hook.name();
        let target = dir.join(name);
        let chained = chained_path(dir, name);
        match classify(&target)? {
            HookFile::Scan => {
                fs::remove_file(&target).map_err(io("remove", &target))?;
                if exists(&chained) {
                    rename(&chained, &target)?;
                    log.push(format!(
                        "removed leakguard's {name}; restored the hook it chained to"
                    ));
                } else {
                    log.push(format!("removed {}", target.display()));
                }
            }
            HookFile::Missing if exists(&chained) => {
                rename(&chained, &target)?;
                log.push(format!("restored {}", target.display()));
            }
            HookFile::Missing => log.push(format!("{name}: not installed in {}", dir.display())),
            HookFile::PassThrough | HookFile::Foreign => log.push(format!(
                "{name}: {} is not leakguard's; left alone",
                target.display()
            )),
        }
    }
    Ok(log)
}

/// leakguard's global hooks directory: `$XDG_CONFIG_HOME/leakguard/hooks`, or
/// `~/.config/leakguard/hooks`.
pub fn global_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        Some(x) if x.is_absolute() => x,
        _ => home()?.join(".config"),
    };
    Ok(base.join("leakguard").join("hooks"))
}

fn home() -> Result<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(std::env::home_dir)
        .ok_or_else(|| Error::Install("cannot find the home directory (HOME is not set)".into()))
}

/// The file remembering the global `core.hooksPath` that leakguard's replaced.
fn previous_file(dir: &Path) -> PathBuf {
    dir.with_file_name("previous-core.hooksPath")
}

/// The global `core.hooksPath` that leakguard's global install replaced (and chains to).
pub fn previous_global_hooks_path(dir: &Path) -> Option<String> {
    fs::read_to_string(previous_file(dir)).ok()
}

/// A `core.hooksPath` value as a path: `~/` expanded, relative to `cwd` (where hooks run).
pub fn hooks_path_value(value: &str, cwd: &Path) -> PathBuf {
    match value.strip_prefix("~/") {
        Some(rest) => home()
            .map(|h| h.join(rest))
            .unwrap_or_else(|_| value.into()),
        None => cwd.join(value),
    }
}

/// Whether a `core.hooksPath` value names `dir`.
pub fn names_dir(value: &str, dir: &Path) -> bool {
    let expanded = match value.strip_prefix("~/") {
        Some(rest) => home()
            .map(|h| h.join(rest))
            .unwrap_or_else(|_| value.into()),
        None => PathBuf::from(value),
    };
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    expanded == dir || canon(&expanded) == canon(dir)
}

/// The global `core.hooksPath` as written (`git config --global --get`).
pub fn global_hooks_path() -> Result<Option<String>> {
    let out = git_config_global(&["--get", "core.hooksPath"])?;
    match out.status.code() {
        Some(0) => Ok(Some(
            String::from_utf8_lossy(&out.stdout)
                .trim_end_matches(['\n', '\r'])
                .to_string(),
        )),
        Some(1) => Ok(None),
        _ => Err(git_failed(&["--get", "core.hooksPath"], &out)),
    }
}

fn set_global_hooks_path(value: Option<&str>) -> Result<()> {
    let args: Vec<&str> = match value {
        Some(v) => vec!["core.hooksPath", v],
        None => vec!["--unset", "core.hooksPath"],
    };
    let out = git_config_global(&args)?;
    // `--unset` of a missing key exits 5: it is already what we want.
    if out.status.success() || (value.is_none() && out.status.code() == Some(5)) {
        Ok(())
    } else {
        Err(git_failed(&args, &out))
    }
}

fn git_config_global(args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(["config", "--global"])
        .args(args)
        .output()
        .map_err(|e| {
            Error::Install(format!(
                "cannot run git (needed to change the global configuration): {e}"
            ))
        })
}

fn git_failed(args: &[&str], out: &std::process::Output) -> Error {
    Error::Install(format!(
        "`git config --global {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

/// Every hook name the global directory holds a file for.
fn global_names() -> impl Iterator<Item = &'static str> {
    HookKind::ALL
        .iter()
        .map(|h| h.name())
        .chain(PASS_THROUGH_HOOKS.iter().copied())
}

fn hook_kind(name: &str) -> Option<HookKind> {
    HookKind::ALL.into_iter().find(|h| h.name() == name)
}

/// Sets up the global hooks directory with `hooks` scanning (recording `binary`) and points the
/// global `core.hooksPath` at it.
pub fn install_global(hooks: &[HookKind], binary: Option<&Path>) -> Result<Vec<String>> {
    let dir = global_dir()?;
    let mut log = Vec::new();
    let current = global_hooks_path()?;
    let active = current.as_deref().is_some_and(|c| names_dir(c, &dir));
    let state = previous_file(&dir);
    fs::create_dir_all(&dir).map_err(io("create", &dir))?;
    let previous = if active {
        fs::read_to_string(&state).ok()
    } else {
        match &current {
            Some(c) => {
                fs::write(&state, c).map_err(io("write", &state))?;
                log.push(format!(
                    "the global core.hooksPath was {c}: its hooks run after leakguard's, and \
                     `leakguard install --global --uninstall` sets it back"
                ));
            }
            None if exists(&state) => fs::remove_file(&state).map_err(io("remove", &state))?,
            None => {}
        }
        current.clone()
    };
    let previous = previous.as_deref();
    let mut wrote = 0;
    for name in global_names() {
        let path = dir.join(name);
        let kind = classify(&path)?;
        if kind == HookFile::Foreign {
            return Err(Error::Install(format!(
                "{} is not leakguard's; move it out of leakguard's global hooks directory and rerun",
                path.display()
            )));
        }
        let content = match hook_kind(name) {
            Some(h) if hooks.contains(&h) || kind == HookFile::Scan => {
                global_shim(h, previous, binary)
            }
            _ => pass_through(name, previous),
        };
        if write_script(&path, &content)? {
            wrote += 1;
            if hook_kind(name).is_some_and(|h| hooks.contains(&h)) {
                log.push(format!("installed {}", path.display()));
            }
        }
    }
    if wrote > 0 {
        log.push(format!(
            "wrote {wrote} hooks in {} (the others pass through to each repository's own hooks)",
            dir.display()
        ));
    }
    if active {
        if wrote == 0 {
            log.push(format!("already installed globally in {}", dir.display()));
        }
    } else {
        set_global_hooks_path(Some(&dir.to_string_lossy()))?;
        log.push(format!(
            "set the global core.hooksPath to {}",
            dir.display()
        ));
    }
    Ok(log)
}

/// Undoes `install_global` for `hooks`: their shims become pass-throughs, and once no scanning
/// shim is left the directory is removed and the previous global `core.hooksPath` restored.
pub fn uninstall_global(hooks: &[HookKind]) -> Result<Vec<String>> {
    let dir = global_dir()?;
    let state = previous_file(&dir);
    let mut log = Vec::new();
    let current = global_hooks_path()?;
    let active = current.as_deref().is_some_and(|c| names_dir(c, &dir));
    let previous = fs::read_to_string(&state).ok();
    let remaining_scans = HookKind::ALL
        .iter()
        .filter(|h| !hooks.contains(h))
        .filter(|h| classify(&dir.join(h.name())).is_ok_and(|k| k == HookFile::Scan))
        .count();
    if remaining_scans > 0 {
        for &hook in hooks {
            let path = dir.join(hook.name());
            if classify(&path)? == HookFile::Scan {
                write_script(&path, &pass_through(hook.name(), previous.as_deref()))?;
                log.push(format!("removed leakguard's global {}", hook.name()));
            }
        }
        return Ok(log);
    }
    let mut left = 0;
    if dir.is_dir() {
        for name in global_names() {
            let path = dir.join(name);
            match classify(&path)? {
                HookFile::Scan | HookFile::PassThrough => {
                    fs::remove_file(&path).map_err(io("remove", &path))?;
                }
                HookFile::Foreign => left += 1,
                HookFile::Missing => {}
            }
        }
        if left == 0 && fs::remove_dir(&dir).is_ok() {
            log.push(format!("removed {}", dir.display()));
            if exists(&state) {
                fs::remove_file(&state).map_err(io("remove", &state))?;
            }
            if let Some(parent) = dir.parent() {
                let _ = fs::remove_dir(parent); // only if empty: ~/.config/leakguard
            }
        } else {
            log.push(format!("removed leakguard's hooks from {}", dir.display()));
        }
    }
    if active {
        set_global_hooks_path(previous.as_deref())?;
        log.push(match &previous {
            Some(p) => format!("restored the global core.hooksPath to {p}"),
            None => "unset the global core.hooksPath".to_string(),
        });
    } else {
        log.push(match &current {
            Some(c) => format!("the global core.hooksPath is {c}, not leakguard's: left alone"),
            None => "the global core.hooksPath is not set: nothing to restore".to_string(),
        });
    }
    if exists(&state) {
        fs::remove_file(&state).map_err(io("remove", &state))?;
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_shims_replace_the_repository_chain() {
        for hook in HookKind::ALL {
            let repo = repo_shim(hook);
            assert!(repo.contains(REPO_CHAIN), "{hook:?}");
            for previous in [None, Some("~/company hooks"), Some("/opt/it's")] {
                let global = global_shim(hook, previous, None);
                assert!(!global.contains(REPO_CHAIN), "{hook:?}");
                assert!(!global.contains(CHAINED_SUFFIX), "{global}");
                assert!(global.starts_with("#!/bin/sh\n"));
                assert!(global.contains(SCAN_MARKER));
            }
        }
        assert!(
            global_shim(HookKind::PrePush, Some("/opt/it's"), None)
                .contains(r"chained='/opt/it'\''s'/$hook")
        );
        assert!(
            global_shim(HookKind::PreCommit, Some("~/h"), None)
                .contains("chained=\"$HOME\"/'h'/$hook")
        );
    }

    #[test]
    fn shims_record_the_binary_that_installed_them() {
        let dir = tempfile::tempdir().unwrap();
        for hook in HookKind::ALL {
            assert!(repo_shim(hook).contains(INSTALLED_BY), "{hook:?}");
            for bin in ["/opt/leakguard/bin/leakguard", "/home/o'neil/dl/leak guard"] {
                let path = dir.path().join(hook.name());
                fs::write(&path, shim(hook, Some(Path::new(bin)))).unwrap();
                assert_eq!(recorded_binary(&path).as_deref(), Some(Path::new(bin)));
                fs::write(&path, global_shim(hook, None, Some(Path::new(bin)))).unwrap();
                assert_eq!(recorded_binary(&path).as_deref(), Some(Path::new(bin)));
                assert_eq!(classify(&path).unwrap(), HookFile::Scan);
            }
            let path = dir.path().join("unrecorded");
            fs::write(&path, repo_shim(hook)).unwrap();
            assert_eq!(recorded_binary(&path), None);
        }
    }

    #[test]
    fn build_and_temporary_directories_are_temporary_places() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("custom-target");
        fs::create_dir_all(target.join("release")).unwrap();
        fs::write(
            target.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# cargo\n",
        )
        .unwrap();
        let built = target.join("release/leakguard");
        assert!(
            temporary_place(&built)
                .unwrap()
                .contains("cargo target directory")
        );
        assert!(
            temporary_place(Path::new("/srv/src/leakguard/target/debug/leakguard"))
                .unwrap()
                .contains("cargo target directory")
        );
        assert!(
            temporary_place(Path::new("/tmp/leakguard"))
                .unwrap()
                .contains("temporary directory")
        );
        assert_eq!(temporary_place(Path::new("/usr/local/bin/leakguard")), None);
        assert_eq!(temporary_place(Path::new("/opt/target/leakguard")), None);
    }

    #[test]
    fn classification() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h");
        assert_eq!(classify(&p).unwrap(), HookFile::Missing);
        fs::write(&p, repo_shim(HookKind::PrePush)).unwrap();
        assert_eq!(classify(&p).unwrap(), HookFile::Scan);
        fs::write(&p, pass_through("commit-msg", None)).unwrap();
        assert_eq!(classify(&p).unwrap(), HookFile::PassThrough);
        fs::write(&p, "#!/bin/sh\n# calls leakguard too\nexit 0\n").unwrap();
        assert_eq!(classify(&p).unwrap(), HookFile::Foreign);
    }
}
