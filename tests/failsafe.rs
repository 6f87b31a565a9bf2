//! Failing safe, and nothing leaking through leakguard itself.
//!
//! A hook that cannot finish its check blocks (exit 2) with an `error:` line saying why and
//! `hint:` lines, the last saying how to bypass, whatever went wrong — an error, a bad argument, a panic on a worker thread, a
//! closed stderr — unless `LEAKGUARD_FAIL_OPEN=1`, which lets *errors* through with a warning
//! but never a secret. And no output, report file, baseline, ignore file or temporary file of
//! any command holds a secret.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::util::{
    BIN, TestRepo, assert_blocking_error, code, hygienic, secrets, snapshot, stderr, text,
};

fn run(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> Output {
    repo.leakguard_command(&repo.root, args)
        .envs(env.iter().copied())
        .output()
        .expect("run leakguard")
}

fn assert_blocks_with(out: &Output, reason: &str, bypass: &str) {
    assert_blocking_error(out, reason);
    assert!(stderr(out).trim_end().ends_with(bypass), "{}", stderr(out));
}

fn assert_fails_open(out: &Output, reason: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 0, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "leakguard: warning: this commit was NOT checked for secrets and is let through \
             (LEAKGUARD_FAIL_OPEN=1): "
        ),
        "{err}"
    );
    assert!(err.contains(reason), "{err}");
}

#[test]
fn a_panic_blocks_with_one_line_and_no_backtrace() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    let token = secrets::github_pat();
    let panic = format!("while reading {token}");
    let env = [
        ("LEAKGUARD_TEST_PANIC", panic.as_str()),
        ("RUST_BACKTRACE", "1"),
    ];
    let out = run(&repo, &["hook", "pre-commit"], &env);
    assert_blocks_with(&out, "internal error at src/", "git commit --no-verify");
    assert!(!stderr(&out).contains(&token), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("while reading ghp_…(40 chars)"),
        "{}",
        stderr(&out)
    );

    let out = run(&repo, &["hook", "pre-push", "origin"], &env);
    assert_blocks_with(&out, "internal error", "git push --no-verify");

    // Through git: the commit is not made.
    let mut cmd = Command::new("git");
    hygienic(&mut cmd, repo.tmp.path());
    let out = cmd
        .args(["commit", "-q", "-m", "x"])
        .current_dir(&repo.root)
        .envs(env)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(repo.head(), None);

    let out = run(
        &repo,
        &["hook", "pre-commit"],
        &[env[0], ("LEAKGUARD_FAIL_OPEN", "1")],
    );
    assert_fails_open(&out, "internal error");
    // Outside hooks a panic is an error too (exit 2), with the same single line.
    let out = run(&repo, &["scan", "a.txt"], &env);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn errors_block_unless_the_organisation_chose_to_fail_open() {
    let tmp = tempfile::tempdir().unwrap();
    let not_a_repo = TestRepo {
        root: tmp.path().to_path_buf(),
        tmp,
    };
    let out = run(&not_a_repo, &["hook", "pre-commit"], &[]);
    assert_blocks_with(
        &out,
        "not inside a git repository",
        "git commit --no-verify",
    );
    for off in ["0", "", "no"] {
        let out = run(
            &not_a_repo,
            &["hook", "pre-commit"],
            &[("LEAKGUARD_FAIL_OPEN", off)],
        );
        assert_eq!(code(&out), 2, "LEAKGUARD_FAIL_OPEN={off:?}");
    }
    let out = run(
        &not_a_repo,
        &["hook", "pre-commit"],
        &[("LEAKGUARD_FAIL_OPEN", "1")],
    );
    assert_fails_open(&out, "not inside a git repository");
    // `scan` is not a hook: in CI an error must fail the job whatever the variable says.
    let out = run(
        &not_a_repo,
        &["scan", "--git"],
        &[("LEAKGUARD_FAIL_OPEN", "1")],
    );
    assert_eq!(code(&out), 2);

    // A bad argument to a hook (git passes none) is an error like any other.
    let repo = TestRepo::new();
    let out = run(&repo, &["hook", "pre-commit", "--no-such-flag"], &[]);
    assert_blocks_with(&out, "unexpected argument", "git commit --no-verify");
    let out = run(
        &repo,
        &["hook", "pre-commit", "--no-such-flag"],
        &[("LEAKGUARD_FAIL_OPEN", "true")],
    );
    assert_fails_open(&out, "unexpected argument");

    // A broken configuration.
    repo.write(
        ".leakguard.toml",
        "[settings]\ndisable = [\"no-such-detector\"]\n",
    );
    let out = run(&repo, &["hook", "pre-commit"], &[]);
    assert_blocks_with(&out, ".leakguard.toml:2:", "git commit --no-verify");
    let out = run(
        &repo,
        &["hook", "pre-commit"],
        &[("LEAKGUARD_FAIL_OPEN", "1")],
    );
    assert_fails_open(&out, ".leakguard.toml:2:");
}

/// Overwrites the loose object `id` with bytes that do not inflate (git makes it read-only).
fn corrupt_loose_object(repo: &TestRepo, id: &str) {
    let path = repo.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..]));
    let mut perm = fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(&path, perm).unwrap();
    fs::write(&path, b"garbage").unwrap();
}

#[test]
fn fail_open_never_lets_a_secret_through() {
    let repo = TestRepo::new();
    repo.write("a.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    let open = [("LEAKGUARD_FAIL_OPEN", "1")];
    let out = run(&repo, &["hook", "pre-commit"], &open);
    assert_eq!(code(&out), 1, "{}", stderr(&out));

    // A secret in one file, an unreadable object in another: the scan cannot finish, but what
    // it found still blocks.
    repo.write("b.txt", "fine\n");
    repo.add(&["b.txt"]);
    let blob = repo.git_ok(&["rev-parse", ":b.txt"]).trim().to_string();
    corrupt_loose_object(&repo, &blob);
    let out = run(&repo, &["hook", "pre-commit"], &open);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("the scan stopped after finding 1 secret(s)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("cannot read the blob {blob} of b.txt")),
        "{err}"
    );
    assert!(!err.contains("NOT checked"), "{err}");
    let out = run(&repo, &["hook", "pre-commit"], &[]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

/// A history scan that cannot finish, whose configuration review (run beside it) cannot either:
/// the scan's error, with the secret it found, is what is reported, and it blocks, with or
/// without fail-open.
#[test]
fn a_history_scan_and_its_review_both_failing_still_block_what_was_found() {
    let repo = TestRepo::new();
    repo.write("a.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    repo.commit_unchecked("a secret");
    repo.write(".leakguard.toml", "# nothing yet\n");
    repo.add(&[".leakguard.toml"]);
    repo.commit_unchecked("a configuration");
    // Both the scan (the file's added lines) and the review (the configuration file of each
    // commit's root tree) read this blob.
    let blob = repo
        .git_ok(&["rev-parse", "HEAD:.leakguard.toml"])
        .trim()
        .to_string();
    corrupt_loose_object(&repo, &blob);
    for env in [&[][..], &[("LEAKGUARD_FAIL_OPEN", "1")][..]] {
        let out = run(&repo, &["scan", "--git"], env);
        let err = stderr(&out);
        assert_eq!(code(&out), 1, "{err}");
        assert!(
            err.contains("the scan stopped after finding 1 secret(s)"),
            "{err}"
        );
        assert!(err.contains(&blob), "{err}");
    }
}

/// A hook whose stderr is closed cannot print its report, but still blocks the secret (it
/// used to exit 0: a broken pipe was treated as success before the verdict).
#[test]
fn a_closed_stderr_still_blocks() {
    let repo = TestRepo::new();
    repo.write("a.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    for format in ["human", "json"] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd =
            repo.leakguard_command(&repo.root, &["hook", "pre-commit", "--format", format]);
        let (out, err) = if format == "human" {
            (Stdio::null(), Stdio::from(writer))
        } else {
            (Stdio::from(writer), Stdio::null())
        };
        let status = cmd.stdout(out).stderr(err).status().unwrap();
        assert_eq!(status.code(), Some(1), "{format}");
    }
}

/// Every 8-character piece of `secret` (the redacted form shows at most 6 characters).
fn assert_no_piece_of(secret: &str, haystack: &str, what: &str) {
    for i in 0..=secret.len() - 8 {
        let piece = &secret[i..i + 8];
        assert!(
            !haystack.contains(piece),
            "{what} contains `{piece}` of the secret:\n{haystack}"
        );
    }
}

/// Every output of every command, in every format, written anywhere, holds no more than the
/// redacted prefix of a secret; and no command writes anything it was not asked to.
#[test]
fn no_secret_leaves_through_leakguard() {
    let repo = TestRepo::new();
    let secret = secrets::github_pat();
    let aws = secrets::aws_key_id();
    repo.write("old.env", format!("OLD={secret}\n"));
    repo.add(&["old.env"]);
    repo.commit_unchecked("old secret");
    repo.write("new.env", format!("NEW={aws}\n"));
    repo.add(&["new.env"]);
    repo.write("work.env", format!("W={secret}\nA={aws}\n"));
    let remote = repo.tmp.path().join("remote.git");
    repo.git_ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);

    let tmpdir = repo.tmp.path().join("tmpdir");
    fs::create_dir(&tmpdir).unwrap();
    let tmpdir_env = tmpdir.to_str().unwrap().to_string();
    let env = [("TMPDIR", tmpdir_env.as_str())];
    let head = repo.git_ok(&["rev-parse", "HEAD"]).trim().to_string();
    let zero = "0".repeat(40);
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut record = |what: String, out: &Output| {
        assert!(
            matches!(code(out), 0 | 1),
            "{what}: {}{}",
            text(&out.stdout),
            stderr(out)
        );
        outputs.push((what, format!("{}{}", text(&out.stdout), stderr(out))));
    };

    let before = snapshot(repo.tmp.path());
    for format in ["human", "json", "sarif"] {
        for args in [
            vec!["hook", "pre-commit"],
            vec!["scan", "--staged"],
            vec!["scan", "--git"],
            vec!["scan", "."],
            vec!["scan", "--no-ignore", "work.env", "old.env"],
        ] {
            let mut args = args.clone();
            args.extend(["--format", format]);
            record(args.join(" "), &run(&repo, &args, &env));
        }
        let mut child = repo
            .leakguard_command(
                &repo.root,
                &["hook", "pre-push", "origin", "--format", format],
            )
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(
            child.stdin.take().unwrap(),
            "refs/heads/main {head} refs/heads/main {zero}"
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        record(format!("pre-push {format}"), &out);
    }
    // Reading commands wrote nothing: not in the repository, not in $TMPDIR.
    assert!(
        before == snapshot(repo.tmp.path()),
        "a scan or hook wrote a file"
    );

    // What the user asks to be written: reports, a baseline, the ignore file.
    let report = repo.tmp.path().join("report.sarif");
    record(
        "--output".into(),
        &run(
            &repo,
            &[
                "scan",
                "--git",
                "--format",
                "sarif",
                "--output",
                report.to_str().unwrap(),
            ],
            &env,
        ),
    );
    record(
        "baseline --git".into(),
        &run(&repo, &["baseline", "--git"], &env),
    );
    record(
        "baseline files".into(),
        &run(&repo, &["baseline", "--output", "files.json"], &env),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&run(&repo, &["scan", "--git", "--format", "json"], &env).stdout)
            .unwrap();
    let fingerprint = json["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    record(
        "ignore".into(),
        &run(
            &repo,
            &["ignore", &fingerprint, "--reason", "rotated"],
            &env,
        ),
    );
    // A pasted secret instead of a fingerprint is refused without being echoed.
    let refused = run(&repo, &["ignore", &secret], &env);
    assert_eq!(code(&refused), 2);
    outputs.push(("ignore <secret>".into(), stderr(&refused)));
    for (what, path) in [
        ("report file", report),
        ("baseline", repo.path(".leakguard-baseline.json")),
        ("baseline of files", repo.path("files.json")),
        ("ignore file", repo.path(".leakguardignore")),
    ] {
        outputs.push((what.into(), fs::read_to_string(&path).unwrap()));
    }
    assert!(
        fs::read_dir(&tmpdir).unwrap().next().is_none(),
        "no temporary files"
    );

    for (what, output) in &outputs {
        assert_no_piece_of(&secret, output, what);
        assert_no_piece_of(&aws, output, what);
    }
    // The outputs did report the secrets (redacted), or this test would prove nothing.
    let all: String = outputs.iter().map(|(_, o)| o.as_str()).collect();
    assert!(all.contains("ghp_q7…(40 chars)") && all.contains("AKIAH…(20 chars)"));
    assert!(outputs.len() > 20);

    // Asked for, the secret is shown: the check above would catch it.
    let shown = run(&repo, &["scan", "--staged", "--show-secrets"], &env);
    assert!(text(&shown.stdout).contains(&aws));
}

/// leakguard opens no network connection unless the user opts into verification: the only
/// HTTP client linked is the verifier's (no async runtime, no other client, no gix network
/// feature), only `src/verify/` names it or a socket, and (where strace is installed) a hook run
/// without the opt-in makes no socket call.
#[test]
fn no_network() {
    let root = Path::new(crate::util::MANIFEST_DIR);
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap();
    for name in [
        "reqwest",
        "hyper",
        "curl",
        "openssl",
        "native-tls",
        "tokio",
        "async-std",
        "h2",
    ] {
        assert!(
            !lock.contains(&format!("name = \"{name}\"")),
            "{name} is in Cargo.lock"
        );
    }
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("network"),
        "a gix network feature is enabled"
    );
    let verifier = root.join("src").join("verify");
    let mut stack = vec![root.join("src")];
    let mut named_by_verifier = false;
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let src = fs::read_to_string(&p).unwrap();
                let words = [
                    "std::net",
                    "TcpStream",
                    "UdpSocket",
                    "ToSocketAddrs",
                    "ureq",
                    "rustls",
                ];
                if p.starts_with(&verifier) {
                    named_by_verifier |= src.contains("ureq");
                    continue;
                }
                for word in words {
                    assert!(!src.contains(word), "{} uses {word}", p.display());
                }
            }
        }
    }
    assert!(named_by_verifier, "the walk did not reach the verifier");

    let repo = TestRepo::new();
    repo.write("a.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    let trace = repo.tmp.path().join("strace.log");
    let mut cmd = Command::new("strace");
    hygienic(&mut cmd, repo.tmp.path());
    match cmd
        .args(["-f", "-e", "trace=%network", "-o"])
        .arg(&trace)
        .args([BIN, "hook", "pre-commit"])
        .current_dir(&repo.root)
        .output()
    {
        Ok(out) => {
            assert_eq!(code(&out), 1, "{}", stderr(&out));
            let log = fs::read_to_string(&trace).unwrap();
            let calls: Vec<&str> = log.lines().filter(|l| !l.contains("+++")).collect();
            assert!(calls.is_empty(), "network system calls: {calls:?}");
        }
        Err(_) => eprintln!("note: strace is not installed; checked the build only"),
    }
}

/// The hook shims, when the binary itself is missing: blocked, or let through with a warning
/// under `LEAKGUARD_FAIL_OPEN=1`.
#[test]
fn a_missing_binary_blocks_unless_failing_open() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    let commit = |fail_open: Option<&str>| {
        let mut cmd = Command::new("git");
        hygienic(&mut cmd, repo.tmp.path());
        cmd.env_remove("LEAKGUARD_BIN")
            .env_remove("CARGO_HOME")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .args(["commit", "-q", "-m", "x"])
            .current_dir(&repo.root);
        if let Some(v) = fail_open {
            cmd.env("LEAKGUARD_FAIL_OPEN", v);
        }
        cmd.output().unwrap()
    };
    let out = commit(None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the leakguard binary is not installed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(repo.head(), None);
    let out = commit(Some("TRUE"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "leakguard: warning: this commit was NOT checked for secrets and is let through"
        ),
        "{}",
        stderr(&out)
    );
    assert!(repo.head().is_some());
}

/// An error a person causes: exit 2, one `error:` line saying what is wrong in their words (no
/// library's), then `hint:` lines containing each of `hints`.
fn assert_says(out: &Output, error: &str, hints: &[&str]) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], format!("leakguard: error: {error}"), "{err}");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("leakguard: hint: ")),
        "{err}"
    );
    for hint in hints {
        assert!(lines[1..].iter().any(|l| l.contains(hint)), "{hint}: {err}");
    }
}

#[test]
fn errors_a_person_causes_say_what_is_wrong_and_what_to_do() {
    let repo = TestRepo::without_hook();
    for n in 1..=3 {
        repo.write(&format!("f{n}.txt"), "clean\n");
        repo.add(&[&format!("f{n}.txt")]);
        repo.commit_unchecked(&format!("commit {n}"));
    }
    // A range past the start of the branch: what does not exist, not gix's traversal words.
    let out = repo.leakguard(&["scan", "--git", "HEAD~5..HEAD"]);
    assert_says(
        &out,
        "HEAD~5 does not exist (the branch has 3 commits)",
        &["HEAD~2"],
    );
    assert!(!stderr(&out).contains("NthAncestor"), "{}", stderr(&out));
    let out = repo.leakguard(&["scan", "--git", "no-such-branch..HEAD"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no-such-branch"), "{}", stderr(&out));

    // A path that does not exist, and where a relative one starts.
    let out = repo.leakguard(&["scan", "nope.txt"]);
    assert_says(
        &out,
        "the path nope.txt does not exist",
        &["relative to the current directory"],
    );

    // Not a repository: the whole message, and what to do instead.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = repo.leakguard_in(elsewhere.path(), &["scan", "--staged"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.starts_with("leakguard: error: not inside a git repository: "),
        "{err}"
    );
    assert!(err.contains("leakguard: hint: "), "{err}");

    // A bare repository: which hook applies there.
    let bare = repo.add_bare_remote();
    let out = repo.leakguard_in(&bare, &["scan", "--staged"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("is a bare repository"), "{err}");
    assert!(
        err.contains("leakguard: hint: ") && err.contains("pre-push"),
        "{err}"
    );

    // A config typo through a real commit: the file, line and column, a 'did you mean', then the
    // deliberate bypass as a hint.
    repo.install_hook("pre-commit");
    repo.write(".leakguard.toml", "[settings]\nskip_path = [\"x\"]\n");
    repo.add(&[".leakguard.toml"]);
    let out = repo.commit("config");
    assert!(!out.status.success());
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("leakguard: error: .leakguard.toml:2:1: unknown field `skip_path`"),
        "{err}"
    );
    assert_eq!(
        lines[1], "leakguard: hint: did you mean `skip_paths`?",
        "{err}"
    );
    assert!(
        lines[2].starts_with("leakguard: hint: ") && lines[2].ends_with("git commit --no-verify"),
        "{err}"
    );
    assert_eq!(lines.len(), 3, "{err}");
}
