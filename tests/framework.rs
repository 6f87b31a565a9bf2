//! leakguard under the pre-commit framework: `.pre-commit-hooks.yaml` installed from a `repo:`
//! entry and driven by real `git commit` / `git push`, and the PRE_COMMIT_* variables the
//! framework's pre-push stage passes instead of git's stdin.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::util::{BIN, MANIFEST_DIR, TestRepo, code, hygienic, python, secrets, text};

fn both(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

fn rev(repo: &TestRepo, spec: &str) -> String {
    repo.git_ok(&["rev-parse", spec]).trim().to_string()
}

/// `leakguard hook pre-push` as the framework runs it: no arguments, nothing on stdin, the
/// range in the environment.
fn framework_pre_push(repo: &TestRepo, vars: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    hygienic(&mut cmd, repo.tmp.path());
    cmd.args(["hook", "pre-push", "--format", "json"])
        .envs(vars.iter().copied())
        .env("PRE_COMMIT", "1")
        .current_dir(&repo.root)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// main (pushed to `origin`, clean) → secret → clean, without hooks.
fn history() -> (TestRepo, String, String, String) {
    let repo = TestRepo::without_hook();
    let remote = repo.tmp.path().join("remote.git");
    let remote = remote.to_str().unwrap();
    repo.git_ok(&["init", "-q", "--bare", remote]);
    repo.git_ok(&["remote", "add", "origin", remote]);
    repo.write("README.md", "hello\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("initial");
    repo.git_ok(&["push", "-q", "origin", "HEAD:refs/heads/main"]);
    let base = rev(&repo, "HEAD");
    repo.write("k.env", format!("K={}\n", secrets::github_pat()));
    repo.add(&["k.env"]);
    repo.commit_unchecked("secret");
    let secret = rev(&repo, "HEAD");
    repo.write("c.txt", "clean\n");
    repo.add(&["c.txt"]);
    repo.commit_unchecked("clean");
    let head = rev(&repo, "HEAD");
    (repo, base, secret, head)
}

#[test]
fn pre_push_scans_from_ref_to_ref() {
    let (repo, base, secret, head) = history();
    let out = framework_pre_push(
        &repo,
        &[("PRE_COMMIT_FROM_REF", &base), ("PRE_COMMIT_TO_REF", &head)],
    );
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("\"commits\": 2"),
        "{}",
        both(&out)
    );
    assert!(text(&out.stdout).contains(&secret), "{}", both(&out));

    // Starting after the secret: only the clean commit.
    let out = framework_pre_push(
        &repo,
        &[
            ("PRE_COMMIT_FROM_REF", &secret),
            ("PRE_COMMIT_TO_REF", &head),
        ],
    );
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("\"commits\": 1"),
        "{}",
        both(&out)
    );
}

#[test]
fn pre_push_without_from_ref_hides_what_the_remote_has() {
    let (repo, _base, _secret, head) = history();
    repo.git_ok(&["fetch", "-q", "origin"]);
    let zero = "0".repeat(40);
    for vars in [
        vec![
            ("PRE_COMMIT_FROM_REF", zero.as_str()),
            ("PRE_COMMIT_TO_REF", &head),
        ],
        vec![("PRE_COMMIT_TO_REF", head.as_str())],
        // The framework's "push includes a root commit" case: no range, only the branch.
        vec![
            ("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main"),
            ("PRE_COMMIT_REMOTE_NAME", "origin"),
            ("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/main"),
        ],
    ] {
        let out = framework_pre_push(&repo, &vars);
        assert_eq!(code(&out), 1, "{vars:?}: {}", both(&out));
        assert!(
            text(&out.stdout).contains("\"commits\": 2"),
            "origin/main is hidden: {vars:?}: {}",
            both(&out)
        );
    }
    // A remote that has nothing: everything is scanned.
    let out = framework_pre_push(
        &repo,
        &[
            ("PRE_COMMIT_LOCAL_BRANCH", "main"),
            ("PRE_COMMIT_REMOTE_NAME", "elsewhere"),
        ],
    );
    assert!(
        text(&out.stdout).contains("\"commits\": 3"),
        "{}",
        both(&out)
    );
}

#[test]
fn pre_push_with_neither_stdin_nor_range_scans_nothing() {
    let (repo, ..) = history();
    let out = framework_pre_push(&repo, &[]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        text(&out.stdout).contains("\"commits\": 0"),
        "{}",
        both(&out)
    );
    let out = framework_pre_push(&repo, &[("PRE_COMMIT_TO_REF", "no-such-rev")]);
    assert_eq!(code(&out), 2, "{}", both(&out));
    assert!(text(&out.stderr).contains("cannot resolve the pushed revision `no-such-rev`"));
}

/// Copies leakguard's source tree (without `target/` and `.git`) into a new repository with one
/// commit, so that the framework can clone it at a revision, uncommitted edits included.
fn source_snapshot(dest: &Path) -> String {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let name = e.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                copy(&e.path(), &to.join(&name));
            } else if ft.is_file() {
                fs::copy(e.path(), to.join(&name)).unwrap();
            }
        }
    }
    copy(Path::new(MANIFEST_DIR), dest);
    let git = |args: &[&str]| {
        let mut cmd = Command::new("git");
        hygienic(&mut cmd, dest);
        let out = cmd.args(args).current_dir(dest).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", both(&out));
        text(&out.stdout)
    };
    git(&["-c", "init.defaultBranch=main", "init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "--no-verify", "-m", "snapshot"]);
    git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// The environment of every process of the framework test: the test's hygiene, the venv's
/// pre-commit, a private PRE_COMMIT_HOME, and cargo settings that make the framework's
/// `cargo install` cheap — a target directory shared across runs, no LTO, no optimisation
/// (the scan is the same code) — and offline (only crates the test suite's own build fetched).
fn framework_env(cmd: &mut Command, home: &Path) {
    let real_home = std::env::var_os("HOME").map(PathBuf::from);
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| real_home.as_ref().map(|h| h.join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| real_home.as_ref().map(|h| h.join(".rustup")))
        .expect("RUSTUP_HOME or HOME");
    let venv_bin = python().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(venv_bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    hygienic(cmd, home);
    cmd.env("PATH", path)
        .env("PRE_COMMIT_HOME", home.join("pre-commit-home"))
        .env("CARGO_HOME", cargo_home)
        .env("RUSTUP_HOME", rustup_home)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-framework-target"),
        )
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .env_remove("LEAKGUARD_BIN");
}

#[test]
fn the_pre_commit_framework_blocks_secrets_in_both_stages() {
    let repo = TestRepo::without_hook();
    let home = repo.tmp.path().to_path_buf();
    let source = home.join("leakguard-src");
    let source_rev = source_snapshot(&source);
    let run = |program: &Path, args: &[&str]| {
        let mut cmd = Command::new(program);
        framework_env(&mut cmd, &home);
        cmd.args(args)
            .current_dir(&repo.root)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let git = |args: &[&str]| run(Path::new("git"), args);
    let git_ok = |args: &[&str]| {
        let out = git(args);
        assert!(out.status.success(), "git {args:?}: {}", both(&out));
    };
    let pre_commit = |args: &[&str]| {
        let mut all = vec!["-m", "pre_commit"];
        all.extend_from_slice(args);
        run(&python(), &all)
    };

    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n\
             - repo: {}\n  rev: {source_rev}\n  hooks:\n  - id: leakguard\n  - id: leakguard-pre-push\n",
            source.display()
        ),
    );
    git_ok(&["add", ".pre-commit-config.yaml"]);
    git_ok(&["commit", "-q", "--no-verify", "-m", "pre-commit config"]);
    let out = pre_commit(&[
        "install",
        "--hook-type",
        "pre-commit",
        "--hook-type",
        "pre-push",
    ]);
    assert!(out.status.success(), "{}", both(&out));
    let started = Instant::now();
    let out = pre_commit(&["install-hooks"]);
    assert!(out.status.success(), "{}", both(&out));
    eprintln!(
        "pre-commit framework: building leakguard's hook environment took {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let doctor = run(Path::new(BIN), &["doctor"]);
    assert_eq!(code(&doctor), 0, "{}", both(&doctor));
    assert!(
        text(&doctor.stdout)
            .contains("the pre-commit framework; .pre-commit-config.yaml uses leakguard"),
        "{}",
        both(&doctor)
    );

    // pre-commit stage.
    repo.write("settings.env", format!("TOKEN={}\n", secrets::github_pat()));
    git_ok(&["add", "settings.env"]);
    let out = git(&["commit", "-q", "-m", "secret"]);
    assert!(!out.status.success(), "blocked: {}", both(&out));
    let report = both(&out);
    assert!(
        report.contains("leakguard (credentials in staged changes)"),
        "{report}"
    );
    assert!(
        report.contains("commit blocked: 1 secret in staged changes"),
        "{report}"
    );
    assert!(report.contains("settings.env:1:7"), "{report}");
    git_ok(&["rm", "-q", "--cached", "settings.env"]);
    fs::remove_file(repo.path("settings.env")).unwrap();
    repo.write("clean.txt", "clean\n");
    git_ok(&["add", "clean.txt"]);
    let out = git(&["commit", "-q", "-m", "clean"]);
    assert!(out.status.success(), "clean commit passes: {}", both(&out));
    assert!(
        both(&out).contains("leakguard (credentials in staged changes)....")
            && both(&out).contains("Passed"),
        "{}",
        both(&out)
    );

    // pre-push stage. A first push into an empty remote includes the root commit: the
    // framework sets no range, only PRE_COMMIT_LOCAL_BRANCH.
    let remote = home.join("remote.git");
    git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    git_ok(&["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.write("first.env", format!("K={}\n", secrets::github_pat_2()));
    git_ok(&["add", "first.env"]);
    git_ok(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "secret, committed without hooks",
    ]);
    let out = git(&["push", "origin", "main"]);
    assert!(!out.status.success(), "blocked: {}", both(&out));
    assert!(
        both(&out).contains("push blocked: 1 secret"),
        "{}",
        both(&out)
    );
    assert!(both(&out).contains("first.env:1:3"), "{}", both(&out));
    git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    let out = git(&["push", "origin", "main"]);
    assert!(out.status.success(), "clean push passes: {}", both(&out));

    // A later push: the framework passes PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF.
    repo.write("later.env", format!("K={}\n", secrets::github_pat()));
    git_ok(&["add", "later.env"]);
    git_ok(&["commit", "-q", "--no-verify", "-m", "later secret"]);
    let out = git(&["push", "origin", "main"]);
    assert!(!out.status.success(), "blocked: {}", both(&out));
    assert!(both(&out).contains("later.env:1:3"), "{}", both(&out));
    assert!(
        both(&out).contains("(1 commit,"),
        "only the new commit: {}",
        both(&out)
    );
    git_ok(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.write("later.txt", "clean\n");
    git_ok(&["add", "later.txt"]);
    git_ok(&["commit", "-q", "--no-verify", "-m", "later, clean"]);
    let out = git(&["push", "origin", "main"]);
    assert!(out.status.success(), "clean push passes: {}", both(&out));

    // `pre-commit run --all-files` and `--files` ask about files, not about a commit: the named
    // files' staged content is scanned in full, a secret committed long ago included. A commit
    // still scans only the lines it adds.
    repo.write("old.env", format!("K={}\n", secrets::github_pat_2()));
    git_ok(&["add", "old.env"]);
    git_ok(&[
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "old secret, committed without hooks",
    ]);
    repo.write(
        "old.env",
        format!("K={}\nMORE=clean\n", secrets::github_pat_2()),
    );
    git_ok(&["add", "old.env"]);
    let out = git(&["commit", "-q", "-m", "a clean line"]);
    assert!(
        out.status.success(),
        "a commit scans the lines it adds: {}",
        both(&out)
    );
    let out = pre_commit(&["run", "--all-files"]);
    assert!(!out.status.success(), "--all-files: {}", both(&out));
    assert!(both(&out).contains("1 secret"), "{}", both(&out));
    assert!(both(&out).contains("old.env:1:3"), "{}", both(&out));
    let out = pre_commit(&["run", "leakguard", "--files", "old.env"]);
    assert!(!out.status.success(), "--files old.env: {}", both(&out));
    assert!(both(&out).contains("old.env:1:3"), "{}", both(&out));
    let out = pre_commit(&["run", "leakguard", "--files", "clean.txt"]);
    assert!(out.status.success(), "--files clean.txt: {}", both(&out));
    // Staged content, not the work tree: an edit not yet staged is not what would be committed.
    repo.write("clean.txt", format!("T={}\n", secrets::github_pat()));
    let out = pre_commit(&["run", "leakguard", "--files", "clean.txt"]);
    assert!(out.status.success(), "unstaged edit: {}", both(&out));
    git_ok(&["add", "clean.txt"]);
    let out = pre_commit(&["run", "leakguard", "--files", "clean.txt"]);
    assert!(!out.status.success(), "staged edit: {}", both(&out));
    assert!(both(&out).contains("clean.txt:1:3"), "{}", both(&out));
}
