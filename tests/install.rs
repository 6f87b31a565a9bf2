//! `leakguard install`, `--global`, `--uninstall`, hook chaining and `leakguard doctor`, driven
//! through real `git commit` and `git push` with a temporary HOME and global git config.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::util::{BIN, MANIFEST_DIR, TestRepo, code, hygienic, make_executable, secrets, text};

/// A repository whose git and leakguard processes share a temporary global config file
/// (`hygienic()` points GIT_CONFIG_GLOBAL at /dev/null, which `--global` cannot write).
struct Setup {
    repo: TestRepo,
    global_config: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let repo = TestRepo::without_hook();
        let global_config = repo.tmp.path().join("gitconfig");
        fs::write(&global_config, "").unwrap();
        Setup {
            repo,
            global_config,
        }
    }

    fn home(&self) -> &Path {
        self.repo.tmp.path()
    }

    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        hygienic(&mut cmd, self.home());
        cmd.env("GIT_CONFIG_GLOBAL", &self.global_config)
            .env_remove("XDG_CONFIG_HOME")
            .current_dir(dir);
        cmd
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.command("git", dir).args(args).output().unwrap()
    }

    fn git(&self, args: &[&str]) -> Output {
        self.git_in(&self.repo.root, args)
    }

    fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    fn lg_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(BIN, dir).args(args).output().unwrap()
    }

    fn lg(&self, args: &[&str]) -> Output {
        self.lg_in(&self.repo.root, args)
    }

    /// Runs `program` as a person whose PATH has no leakguard on it (and no LEAKGUARD_BIN).
    fn off_path(&self, program: &Path, args: &[&str]) -> Output {
        self.command(program.to_str().unwrap(), &self.repo.root)
            .args(args)
            .env_remove("LEAKGUARD_BIN")
            .env_remove("CARGO_HOME")
            .env("PATH", git_only_path())
            .output()
            .unwrap()
    }

    /// Runs leakguard and fails the test unless it exits 0; returns stdout.
    fn lg_ok(&self, args: &[&str]) -> String {
        let out = self.lg(args);
        assert_eq!(code(&out), 0, "leakguard {args:?}: {}", both(&out));
        text(&out.stdout)
    }

    fn hooks(&self) -> PathBuf {
        self.repo.root.join(".git/hooks")
    }

    fn global_dir(&self) -> PathBuf {
        self.home().join(".config/leakguard/hooks")
    }

    fn global_hooks_path(&self) -> Option<String> {
        let out = self.git(&["config", "--global", "--get", "core.hooksPath"]);
        out.status
            .success()
            .then(|| text(&out.stdout).trim_end().to_string())
    }

    /// Stages `content` as `file` and commits through the hooks.
    fn commit_file(&self, file: &str, content: &str) -> Output {
        self.repo.write(file, content);
        self.git_ok(&["add", "--", file]);
        self.git(&["commit", "-q", "-m", file])
    }

    fn commit_secret(&self) -> Output {
        self.commit_file(
            "settings.env",
            &format!("TOKEN={}\n", secrets::github_pat()),
        )
    }

    fn commit_clean(&self, n: u32) -> Output {
        self.commit_file(&format!("clean{n}.txt"), "nothing to see\n")
    }

    /// A bare remote `origin` with a first clean commit pushed (without hooks).
    fn with_remote(&self) -> PathBuf {
        let remote = self.repo.add_bare_remote();
        self.repo.write("README.md", "hello\n");
        self.git_ok(&["add", "README.md"]);
        self.git_ok(&["commit", "-q", "--no-verify", "-m", "initial"]);
        self.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);
        remote
    }
}

fn both(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

fn assert_blocked(out: &Output) {
    assert!(!out.status.success(), "should be blocked:\n{}", both(out));
    assert!(
        text(&out.stderr).contains("commit blocked: 1 secret"),
        "blocked by leakguard:\n{}",
        both(out)
    );
}

fn assert_passed(out: &Output) {
    assert!(out.status.success(), "should pass:\n{}", both(out));
}

/// A hook script: `body` after a shebang, made executable.
fn write_hook(path: &Path, body: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    make_executable(path);
}

/// Every entry under `dir`: relative path, bytes (or link target) and mode.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if meta.is_dir() {
                stack.push(p.clone());
                out.push((rel, Vec::new(), meta.permissions().mode()));
            } else if meta.file_type().is_symlink() {
                let target = fs::read_link(&p).unwrap();
                out.push((rel, target.to_string_lossy().as_bytes().to_vec(), 0));
            } else {
                out.push((rel, fs::read(&p).unwrap(), meta.permissions().mode()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn install_writes_the_shims_and_they_block() {
    let s = Setup::new();
    let out = s.lg_ok(&["install"]);
    assert!(out.contains("installed"), "{out}");
    for name in ["pre-commit", "pre-push"] {
        // hooks/<name> with the installing binary recorded as the fallback after PATH.
        let recorded = fs::read_to_string(Path::new(MANIFEST_DIR).join("hooks").join(name))
            .unwrap()
            .replacen("installed_by=''\n", &format!("installed_by='{BIN}'\n"), 1);
        assert_eq!(
            fs::read_to_string(s.hooks().join(name)).unwrap(),
            recorded,
            "the installed {name} is hooks/{name} recording {BIN}"
        );
    }
    assert_blocked(&s.commit_secret());
    assert_eq!(s.repo.head(), None);
    s.git_ok(&["reset", "-q"]);
    fs::remove_file(s.repo.path("settings.env")).unwrap();
    assert_passed(&s.commit_clean(1));
}

#[test]
fn a_binary_that_is_not_on_path_is_recorded_in_the_hooks_and_runs_them() {
    let s = Setup::new();
    // A binary downloaded to a directory that is not on PATH (under the temporary directory).
    let downloads = s.home().join("Downloads");
    fs::create_dir_all(&downloads).unwrap();
    let bin = fs::canonicalize(&downloads).unwrap().join("leakguard");
    fs::copy(BIN, &bin).unwrap();

    let out = s.off_path(&bin, &["install"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        text(&out.stdout).contains(&format!(
            "the hooks will run {} (recorded in them, since leakguard is not on PATH)",
            bin.display()
        )),
        "install says which binary the hooks run: {}",
        both(&out)
    );
    assert!(
        text(&out.stderr).contains(&format!(
            "leakguard: warning: {} is in a temporary directory",
            bin.display()
        )),
        "a temporary place is warned about: {}",
        both(&out)
    );
    assert!(text(&out.stderr).contains("leakguard: hint: put leakguard where it stays"));

    // Real commits, with neither LEAKGUARD_BIN nor leakguard on PATH: the hook runs the
    // recorded binary, which blocks a secret and lets a clean commit through.
    let commit = |file: &str, content: &str| {
        s.repo.write(file, content);
        s.git_ok(&["add", "--", file]);
        s.off_path(Path::new("git"), &["commit", "-q", "-m", file])
    };
    assert_blocked(&commit(
        "settings.env",
        &format!("TOKEN={}\n", secrets::github_pat()),
    ));
    s.git_ok(&["reset", "-q"]);
    fs::remove_file(s.repo.path("settings.env")).unwrap();
    assert_passed(&commit("clean.txt", "nothing to see\n"));
    let out = s.off_path(&bin, &["doctor"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("found through the path `leakguard install` recorded"),
        "{}",
        both(&out)
    );

    // The binary is moved away: the commit is blocked, saying where the hook looked and how to
    // repair it.
    fs::remove_file(&bin).unwrap();
    let out = commit("clean2.txt", "nothing to see\n");
    assert_eq!(code(&out), 1, "{}", both(&out));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "leakguard: error: the leakguard binary is not installed (not in LEAKGUARD_BIN, on \
             PATH, at {} (which installed this hook), or in ~/.cargo/bin)",
            bin.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("leakguard: hint: install it") && err.contains("git commit --no-verify"),
        "{err}"
    );
    // Installing again from the new place records that place.
    let moved = fs::canonicalize(s.home()).unwrap().join("bin/leakguard");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::copy(BIN, &moved).unwrap();
    let out = s.off_path(&moved, &["install"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert_passed(&commit("clean2.txt", "nothing to see\n"));
}

#[test]
fn hooks_option_chooses_which() {
    let s = Setup::new();
    s.lg_ok(&["install", "--hooks", "pre-push"]);
    assert!(s.hooks().join("pre-push").exists());
    assert!(!s.hooks().join("pre-commit").exists());
    s.lg_ok(&["install", "--hooks", "pre-commit,pre-push"]);
    assert!(s.hooks().join("pre-commit").exists());
    s.lg_ok(&["install", "--uninstall", "--hooks", "pre-push"]);
    assert!(!s.hooks().join("pre-push").exists());
    assert!(s.hooks().join("pre-commit").exists());
    let out = s.lg(&["install", "--hooks", "post-commit"]);
    assert_eq!(code(&out), 2, "{}", both(&out));
}

#[test]
fn installing_twice_changes_nothing() {
    let s = Setup::new();
    write_hook(&s.hooks().join("pre-commit"), "exit 0");
    s.lg_ok(&["install"]);
    let once = tree(&s.hooks());
    let out = s.lg_ok(&["install"]);
    assert_eq!(tree(&s.hooks()), once);
    assert!(out.contains("pre-commit: already installed"), "{out}");
    assert!(out.contains("pre-push: already installed"), "{out}");
}

#[test]
fn uninstall_restores_exactly_what_was_there() {
    let s = Setup::new();
    write_hook(&s.hooks().join("pre-commit"), "echo theirs >&2");
    // Not executable: git skips it, and so must the chain, before and after.
    fs::write(s.hooks().join("pre-push"), "#!/bin/sh\nexit 1\n").unwrap();
    let before = tree(&s.hooks());
    s.lg_ok(&["install"]);
    assert_ne!(tree(&s.hooks()), before);
    s.lg_ok(&["install", "--uninstall"]);
    assert_eq!(tree(&s.hooks()), before);

    // And on a repository that had no hooks at all.
    let fresh = Setup::new();
    let before = tree(&fresh.hooks());
    fresh.lg_ok(&["install"]);
    fresh.lg_ok(&["install", "--uninstall"]);
    assert_eq!(tree(&fresh.hooks()), before);
}

#[test]
fn a_chained_hook_that_fails_still_blocks() {
    let s = Setup::new();
    write_hook(
        &s.hooks().join("pre-commit"),
        "echo 'lint: failed' >&2\nexit 3",
    );
    let out = s.lg_ok(&["install"]);
    assert!(out.contains("pre-commit.leakguard-chained"), "{out}");
    let out = s.commit_clean(1);
    assert!(!out.status.success(), "{}", both(&out));
    let err = text(&out.stderr);
    assert!(
        err.contains("no secrets found"),
        "leakguard ran first: {err}"
    );
    assert!(err.contains("lint: failed"), "then the chained hook: {err}");
    assert_eq!(s.repo.head(), None);
}

#[test]
fn a_chained_hook_that_passes_lets_only_clean_commits_through() {
    let s = Setup::new();
    let ran = s.home().join("theirs-ran");
    write_hook(
        &s.hooks().join("pre-commit"),
        &format!("echo \"$@\" >> '{}'\nexit 0", ran.display()),
    );
    s.lg_ok(&["install"]);
    assert_blocked(&s.commit_secret());
    assert!(!ran.exists(), "leakguard runs first and stops the chain");
    s.git_ok(&["rm", "-q", "--cached", "settings.env"]);
    assert_passed(&s.commit_clean(1));
    assert!(ran.exists(), "the chained hook ran");
}

#[test]
fn pre_push_stdin_reaches_the_chained_hook() {
    let s = Setup::new();
    let remote = s.with_remote();
    let seen = s.home().join("theirs-stdin");
    write_hook(
        &s.hooks().join("pre-push"),
        &format!("echo \"args: $*\" > '{0}'\ncat >> '{0}'", seen.display()),
    );
    s.lg_ok(&["install", "--hooks", "pre-push"]);
    s.git_ok(&["checkout", "-q", "-b", "feature"]);
    s.repo.write("a.txt", "clean\n");
    s.git_ok(&["add", "a.txt"]);
    s.git_ok(&["commit", "-q", "-m", "clean"]);
    let head = s.git_ok(&["rev-parse", "HEAD"]).trim().to_string();
    let out = s.git(&["push", "origin", "feature"]);
    assert!(out.status.success(), "{}", both(&out));
    assert!(
        text(&out.stderr).contains("no secrets found (1 commit"),
        "leakguard scanned the pushed commit: {}",
        both(&out)
    );
    let zero = "0".repeat(40);
    assert_eq!(
        fs::read_to_string(&seen).unwrap(),
        format!(
            "args: origin {}\nrefs/heads/feature {head} refs/heads/feature {zero}\n",
            remote.display()
        )
    );

    fs::remove_file(&seen).unwrap();
    s.repo
        .write("b.env", format!("K={}\n", secrets::github_pat()));
    s.git_ok(&["add", "b.env"]);
    s.git_ok(&["commit", "-q", "--no-verify", "-m", "secret"]);
    let out = s.git(&["push", "origin", "feature"]);
    assert!(!out.status.success(), "{}", both(&out));
    assert!(text(&out.stderr).contains("b.env:1:3"), "{}", both(&out));
    assert!(!seen.exists(), "blocked before the chained hook");
}

#[test]
fn relative_core_hooks_path_is_relative_to_the_work_tree_root() {
    let s = Setup::new();
    s.git_ok(&["config", "core.hooksPath", ".githooks"]);
    fs::create_dir_all(s.repo.path("src/deep")).unwrap();
    let out = s.lg_in(&s.repo.path("src/deep"), &["install"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(s.repo.path(".githooks/pre-commit").exists());
    assert!(!s.hooks().join("pre-commit").exists());
    assert_blocked(&s.commit_secret());
    let doctor = s.lg(&["doctor"]);
    assert_eq!(code(&doctor), 0, "{}", both(&doctor));
    assert!(
        text(&doctor.stdout)
            .contains("core.hooksPath = .githooks from the repository configuration"),
        "{}",
        both(&doctor)
    );
}

#[test]
fn a_linked_worktree_installs_into_the_common_hooks_directory() {
    let s = Setup::new();
    s.repo.write("README.md", "x\n");
    s.git_ok(&["add", "README.md"]);
    s.git_ok(&["commit", "-q", "-m", "initial"]);
    let wt = s.home().join("wt");
    s.git_ok(&["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()]);
    let out = s.lg_in(&wt, &["install"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(s.hooks().join("pre-commit").exists(), "{}", both(&out));
    fs::write(wt.join("k.env"), format!("K={}\n", secrets::github_pat())).unwrap();
    assert!(s.git_in(&wt, &["add", "k.env"]).status.success());
    let out = s.git_in(&wt, &["commit", "-q", "-m", "secret"]);
    assert_blocked(&out);
    // The main worktree is protected by the same hooks.
    assert_blocked(&s.commit_secret());
}

#[test]
fn an_existing_chained_hook_is_never_overwritten() {
    let s = Setup::new();
    write_hook(&s.hooks().join("pre-commit"), "exit 0 # mine");
    write_hook(
        &s.hooks().join("pre-commit.leakguard-chained"),
        "exit 0 # older",
    );
    let before = tree(&s.hooks());
    let out = s.lg(&["install"]);
    assert_eq!(code(&out), 2, "{}", both(&out));
    assert!(
        text(&out.stderr).contains("already exists; move one of them away"),
        "{}",
        both(&out)
    );
    assert_eq!(tree(&s.hooks()), before);
}

#[test]
fn global_install_protects_every_repository_and_keeps_their_own_hooks() {
    let s = Setup::new();
    let log = s.home().join("own-hooks-ran");
    // The repository's own hooks, which a global core.hooksPath would silently disable.
    write_hook(
        &s.hooks().join("pre-commit"),
        &format!("echo pre-commit >> '{}'", log.display()),
    );
    write_hook(
        &s.hooks().join("commit-msg"),
        &format!("echo \"commit-msg $1\" >> '{}'", log.display()),
    );
    let out = s.lg_ok(&["install", "--global"]);
    let dir = s.global_dir();
    assert!(out.contains("set the global core.hooksPath"), "{out}");
    assert_eq!(s.global_hooks_path(), Some(dir.display().to_string()));
    assert!(
        fs::read_to_string(s.hooks().join("pre-commit"))
            .unwrap()
            .contains("echo pre-commit"),
        "the repository's hooks are untouched"
    );

    assert_blocked(&s.commit_secret());
    assert!(
        !log.exists(),
        "leakguard runs first: {:?}",
        fs::read_to_string(&log)
    );
    s.git_ok(&["rm", "-q", "--cached", "settings.env"]);
    assert_passed(&s.commit_clean(1));
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "pre-commit\ncommit-msg .git/COMMIT_EDITMSG\n",
        "the repository's own hooks ran"
    );

    // A second repository, with no hooks of its own, is protected too.
    let other = s.home().join("other");
    s.git_ok(&["init", "-q", other.to_str().unwrap()]);
    fs::write(
        other.join("k.env"),
        format!("K={}\n", secrets::github_pat()),
    )
    .unwrap();
    assert!(s.git_in(&other, &["add", "k.env"]).status.success());
    assert_blocked(&s.git_in(&other, &["commit", "-q", "-m", "k"]));
    let doctor = s.lg_in(&other, &["doctor"]);
    assert_eq!(code(&doctor), 0, "{}", both(&doctor));
    assert!(
        text(&doctor.stdout).contains("leakguard's global hooks directory"),
        "{}",
        both(&doctor)
    );

    // Idempotent.
    let config = fs::read(&s.global_config).unwrap();
    let files = tree(&dir);
    let out = s.lg_ok(&["install", "--global"]);
    assert!(out.contains("already installed globally"), "{out}");
    assert_eq!(tree(&dir), files);
    assert_eq!(fs::read(&s.global_config).unwrap(), config);

    // Uninstall: no global hooksPath, no directory, the repository's hooks run as before.
    s.lg_ok(&["install", "--global", "--uninstall"]);
    assert_eq!(s.global_hooks_path(), None);
    assert!(!dir.exists());
    assert!(!s.home().join(".config/leakguard").exists());
    fs::remove_file(&log).unwrap();
    assert_passed(&s.commit_secret());
    assert!(
        fs::read_to_string(&log)
            .unwrap()
            .starts_with("pre-commit\n")
    );
}

#[test]
fn global_install_when_the_repository_also_has_leakguard_scans_once() {
    let s = Setup::new();
    s.lg_ok(&["install"]);
    s.lg_ok(&["install", "--global"]);
    let out = s.commit_clean(1);
    assert_passed(&out);
    assert_eq!(
        text(&out.stderr).matches("no secrets found").count(),
        1,
        "{}",
        both(&out)
    );
    assert_blocked(&s.commit_secret());
}

#[test]
fn global_uninstall_restores_a_previous_global_hooks_path() {
    let s = Setup::new();
    let company = s.home().join("company-hooks");
    let log = s.home().join("company-ran");
    write_hook(
        &company.join("pre-commit"),
        &format!("echo company >> '{}'", log.display()),
    );
    s.git_ok(&["config", "--global", "core.hooksPath", "~/company-hooks"]);
    let out = s.lg_ok(&["install", "--global"]);
    assert!(out.contains("was ~/company-hooks"), "{out}");
    assert_blocked(&s.commit_secret());
    assert!(!log.exists());
    s.git_ok(&["rm", "-q", "--cached", "settings.env"]);
    assert_passed(&s.commit_clean(1));
    assert_eq!(fs::read_to_string(&log).unwrap(), "company\n", "chained");

    let out = s.lg_ok(&["install", "--global", "--uninstall"]);
    assert!(
        out.contains("restored the global core.hooksPath to ~/company-hooks"),
        "{out}"
    );
    assert_eq!(s.global_hooks_path().as_deref(), Some("~/company-hooks"));
    assert!(!s.global_dir().exists());
}

#[test]
fn a_repository_core_hooks_path_overrides_the_global_install() {
    let s = Setup::new();
    s.lg_ok(&["install", "--global"]);
    s.git_ok(&["config", "core.hooksPath", ".husky/_"]);
    let doctor = s.lg(&["doctor"]);
    assert_eq!(code(&doctor), 1, "{}", both(&doctor));
    assert!(
        text(&doctor.stdout).contains("protection: NOT active"),
        "{}",
        both(&doctor)
    );
}

#[test]
fn doctor_exit_status_follows_protection() {
    let s = Setup::new();
    let doctor = |s: &Setup| s.lg(&["doctor"]);

    let out = doctor(&s);
    assert_eq!(code(&out), 1, "nothing installed: {}", both(&out));
    assert!(
        text(&out.stdout).contains("pre-commit off  missing"),
        "{}",
        both(&out)
    );

    s.lg_ok(&["install"]);
    let out = doctor(&s);
    assert_eq!(code(&out), 0, "{}", both(&out));
    let report = text(&out.stdout);
    assert!(report.starts_with("leakguard 0.1.0 ("), "{report}");
    assert!(report.contains("found through LEAKGUARD_BIN"), "{report}");
    assert!(
        report.contains("global core.hooksPath: not set"),
        "{report}"
    );
    assert!(report.contains("pre-commit runs leakguard"), "{report}");
    assert!(
        report.contains("protection: active (pre-commit, pre-push)"),
        "{report}"
    );

    // Not executable: git skips the hook.
    for name in ["pre-commit", "pre-push"] {
        use std::os::unix::fs::PermissionsExt;
        let p = s.hooks().join(name);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = doctor(&s);
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("not executable"),
        "{}",
        both(&out)
    );
    s.lg_ok(&["install"]);
    assert_eq!(code(&doctor(&s)), 0, "reinstalling repairs the mode");

    // No binary for the hooks to run: the one they record has gone, so they would block
    // everything and protection is not active.
    let gone = s.home().join("gone/leakguard");
    fs::create_dir_all(gone.parent().unwrap()).unwrap();
    fs::copy(BIN, &gone).unwrap();
    let out = s.off_path(&gone, &["install"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    fs::remove_file(&gone).unwrap();
    let out = s
        .command(BIN, &s.repo.root)
        .arg("doctor")
        .env_remove("LEAKGUARD_BIN")
        .env("PATH", git_only_path())
        .env_remove("CARGO_HOME")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("cannot find the leakguard binary"),
        "{}",
        both(&out)
    );

    // Outside any repository.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = s.lg_in(elsewhere.path(), &["doctor"]);
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("not inside a git repository"),
        "{}",
        both(&out)
    );
}

/// A PATH with git on it and no leakguard.
fn git_only_path() -> String {
    let out = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let git = PathBuf::from(text(&out.stdout).trim());
    let dir = git.parent().unwrap().to_path_buf();
    assert!(!dir.join("leakguard").exists());
    format!("{}:/bin:/usr/bin", dir.display())
}

#[test]
fn install_sh_delegates_to_an_installed_leakguard_of_the_same_version() {
    let s = Setup::new();
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = s
        .command(&format!("{MANIFEST_DIR}/install.sh"), s.home())
        .arg(&s.repo.root)
        .env("PATH", &path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        !text(&out.stdout).contains("building"),
        "no build: {}",
        both(&out)
    );
    assert!(s.hooks().join("pre-commit").exists());
    assert!(s.hooks().join("pre-push").exists());
    assert_blocked(&s.commit_secret());

    let out = s
        .command(&format!("{MANIFEST_DIR}/install.sh"), s.home())
        .arg(s.home().join("not-a-repo"))
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stderr).contains("is not inside a git repository"),
        "{}",
        both(&out)
    );
}

#[test]
fn a_husky_hooks_directory_is_left_to_husky() {
    let s = Setup::new();
    s.git_ok(&["config", "core.hooksPath", ".husky/_"]);
    write_hook(&s.repo.path(".husky/_/h"), "exit 0");
    write_hook(
        &s.repo.path(".husky/_/pre-commit"),
        ". \"$(dirname \"$0\")/h\"",
    );
    let before = tree(&s.repo.path(".husky"));
    let out = s.lg(&["install"]);
    assert_eq!(code(&out), 2, "{}", both(&out));
    assert!(
        text(&out.stderr).contains("is husky's hooks directory"),
        "{}",
        both(&out)
    );
    assert_eq!(tree(&s.repo.path(".husky")), before);

    // Configured as the README says, doctor sees leakguard running through husky.
    fs::write(
        s.repo.path(".husky/pre-commit"),
        "leakguard hook pre-commit\n",
    )
    .unwrap();
    let doctor = s.lg(&["doctor"]);
    assert_eq!(code(&doctor), 0, "{}", both(&doctor));
    assert!(
        text(&doctor.stdout).contains("husky; .husky/pre-commit names leakguard"),
        "{}",
        both(&doctor)
    );
}
