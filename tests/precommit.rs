use std::fs;

use crate::util::{TestRepo, code, secrets, snapshot, stderr};

fn assert_blocked(
    repo: &TestRepo,
    out: &std::process::Output,
    head_before: Option<String>,
) -> String {
    let err = stderr(out);
    assert!(!out.status.success(), "commit should be blocked:\n{err}");
    assert_eq!(repo.head(), head_before, "no commit may be created");
    err
}

#[test]
fn staged_secret_blocks_the_commit_with_rotation_steps() {
    let repo = TestRepo::new();
    let token = secrets::github_pat();
    repo.write(
        "app/settings.py",
        format!("DEBUG = True\nGITHUB_TOKEN = \"{token}\"\n"),
    );
    repo.add(&["app/settings.py"]);
    let out = repo.commit("add settings");
    let err = assert_blocked(&repo, &out, None);
    assert!(
        err.contains("commit blocked: 1 secret in staged changes"),
        "{err}"
    );
    assert!(err.contains("app/settings.py:2:17"), "{err}");
    assert!(
        err.contains("GitHub personal access token (classic)"),
        "{err}"
    );
    assert!(err.contains("[github-pat-classic, critical]"), "{err}");
    assert!(
        err.contains("https://github.com/settings/tokens"),
        "rotation URL: {err}"
    );
    assert!(
        err.contains("These secrets have not left this machine"),
        "{err}"
    );
    assert!(err.contains("git add app/settings.py"), "{err}");
    assert!(err.contains("leakguard:allow"), "{err}");
    assert!(err.contains("git commit --no-verify"), "{err}");
    // Redacted: a short prefix and the length, never the value.
    assert!(err.contains("ghp_q7…(40 chars)"), "{err}");
    assert!(
        !err.contains(&token),
        "the secret must never be printed:\n{err}"
    );
    assert!(
        !err.contains(&token[4..20]),
        "no long piece of the secret either:\n{err}"
    );
}

#[test]
fn direct_run_exits_1_with_findings_and_0_when_clean() {
    let repo = TestRepo::new();
    repo.write("clean.txt", "hello\n");
    repo.add(&["clean.txt"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("leakguard: no secrets found (1 file, 1 added line scanned in "),
        "{err}"
    );

    let quiet = repo.leakguard(&["hook", "pre-commit", "--quiet"]);
    assert_eq!(code(&quiet), 0);
    assert_eq!(stderr(&quiet), "", "--quiet prints nothing on a clean run");

    repo.write(
        "keys.env",
        format!("AWS_ACCESS_KEY_ID={}\n", secrets::aws_key_id()),
    );
    repo.add(&["keys.env"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keys.env:1:19  AWS access key id"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_clean_commit_passes_and_says_what_it_scanned() {
    let repo = TestRepo::new();
    repo.write("README.md", "# project\n\nnothing secret here\n");
    repo.add(&["README.md"]);
    let out = repo.commit("initial");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(repo.head().is_some());
    assert!(
        stderr(&out).contains("no secrets found (1 file, 3 added lines"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn secret_only_in_the_work_tree_is_not_blocked() {
    let repo = TestRepo::new();
    repo.write("config.yml", "token: none\n");
    repo.add(&["config.yml"]);
    assert!(repo.commit("base").status.success());
    // Modified on disk but not staged; an unrelated clean file is staged.
    repo.write("config.yml", format!("token: {}\n", secrets::github_pat()));
    repo.write("notes.txt", "todo\n");
    repo.add(&["notes.txt"]);
    let out = repo.commit("notes");
    assert!(
        out.status.success(),
        "only the index is scanned:\n{}",
        stderr(&out)
    );
}

#[test]
fn secret_staged_then_removed_from_the_work_tree_is_still_blocked() {
    let repo = TestRepo::new();
    repo.write("config.yml", format!("token: {}\n", secrets::github_pat()));
    repo.add(&["config.yml"]);
    repo.write("config.yml", "token: from-env\n"); // the index still holds the secret
    let out = repo.commit("config");
    let err = assert_blocked(&repo, &out, None);
    assert!(err.contains("config.yml:1:8"), "{err}");
}

#[test]
fn commit_all_scans_the_temporary_index() {
    let repo = TestRepo::new();
    repo.write("config.yml", "token: none\n");
    repo.add(&["config.yml"]);
    assert!(repo.commit("base").status.success());
    let head = repo.head();
    repo.write(
        "config.yml",
        format!("token: none\ntoken2: {}\n", secrets::github_pat()),
    );
    let out = repo.git(&["commit", "-q", "-a", "-m", "all"]);
    let err = assert_blocked(&repo, &out, head);
    assert!(err.contains("config.yml:2:9"), "{err}");
}

#[test]
fn commit_with_a_pathspec_scans_the_temporary_index() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.write("b.txt", "b\n");
    repo.add(&["a.txt", "b.txt"]);
    assert!(repo.commit("base").status.success());
    let head = repo.head();
    repo.write("b.txt", format!("b\nkey={}\n", secrets::aws_key_id()));
    let out = repo.git(&["commit", "-q", "-m", "only b", "--", "b.txt"]);
    let err = assert_blocked(&repo, &out, head);
    assert!(err.contains("b.txt:2:5"), "{err}");
}

#[test]
fn partial_staging_scans_only_the_staged_hunk() {
    // A `git add -p`-like state: the index holds one new line, the work tree two.
    let repo = TestRepo::new();
    let base: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    repo.write("f.txt", &base);
    repo.add(&["f.txt"]);
    assert!(repo.commit("base").status.success());
    let staged = base.replace("line 3\n", "line 3\nclean addition\n");
    repo.write("f.txt", &staged);
    repo.add(&["f.txt"]);
    let work = staged.replace(
        "line 18\n",
        &format!("line 18\ntoken={}\n", secrets::github_pat()),
    );
    repo.write("f.txt", &work);
    let out = repo.commit("partial");
    assert!(
        out.status.success(),
        "the secret is only in the unstaged hunk:\n{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("1 added line"), "{}", stderr(&out));

    // Now stage the hunk with the secret too: reported at its line in the staged blob.
    repo.add(&["f.txt"]);
    let head = repo.head();
    let err = assert_blocked(&repo, &repo.commit("secret"), head);
    assert!(err.contains("f.txt:20:7"), "{err}");
}

#[test]
fn unborn_head_compares_against_the_empty_tree() {
    let repo = TestRepo::new();
    assert!(repo.head().is_none());
    repo.write(
        "a/b/c.json",
        format!("{{\n  \"key\": \"{}\"\n}}\n", secrets::github_pat()),
    );
    repo.add(&["a/b/c.json"]);
    let err = assert_blocked(&repo, &repo.commit("first"), None);
    assert!(err.contains("a/b/c.json:2:11"), "{err}");
}

#[test]
fn deletions_add_nothing_to_scan() {
    let repo = TestRepo::new();
    repo.write(
        "old.env",
        format!("A=1\nTOKEN={}\nB=2\n", secrets::github_pat()),
    );
    repo.write("gone.env", format!("TOKEN={}\n", secrets::github_pat_2()));
    repo.add(&["old.env", "gone.env"]);
    repo.commit_unchecked("history already holds them");
    repo.write("old.env", "A=1\nB=2\n");
    repo.git_ok(&["rm", "-q", "gone.env"]);
    repo.add(&["old.env"]);
    let out = repo.commit("remove secrets");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 added lines"), "{}", stderr(&out));
}

#[test]
fn pure_renames_and_copies_add_nothing() {
    let repo = TestRepo::new();
    repo.write(
        "src/keys.py",
        format!("KEY = '{}'\n", secrets::github_pat()),
    );
    repo.write("dir/one.py", format!("K = '{}'\n", secrets::github_pat_2()));
    repo.add(&["src/keys.py", "dir/one.py"]);
    repo.commit_unchecked("already committed");

    repo.git_ok(&["mv", "src/keys.py", "src/moved.py"]);
    repo.git_ok(&["mv", "dir", "renamed-dir"]);
    let out = repo.commit("renames");
    assert!(out.status.success(), "pure renames:\n{}", stderr(&out));

    fs::copy(repo.path("src/moved.py"), repo.path("copy.py")).unwrap();
    repo.add(&["copy.py"]);
    let out = repo.commit("copy");
    assert!(
        out.status.success(),
        "a copy of a committed blob:\n{}",
        stderr(&out)
    );
}

#[test]
fn a_rename_with_edits_reports_only_the_new_lines() {
    let repo = TestRepo::new();
    let body: String = (1..=10).map(|i| format!("x{i} = {i}\n")).collect();
    repo.write(
        "old.py",
        format!("KEY = '{}'\n{body}", secrets::github_pat()),
    );
    repo.add(&["old.py"]);
    repo.commit_unchecked("already committed");
    repo.git_ok(&["mv", "old.py", "new.py"]);
    repo.write(
        "new.py",
        format!("KEY = '{}'\n{body}y = 1\n", secrets::github_pat()),
    );
    repo.add(&["new.py"]);
    let out = repo.commit("rename and edit");
    assert!(
        out.status.success(),
        "the old secret moved, nothing new:\n{}",
        stderr(&out)
    );

    repo.git_ok(&["mv", "new.py", "newer.py"]);
    repo.write(
        "newer.py",
        format!(
            "KEY = '{}'\n{body}y = 1\nAWS = '{}'\n",
            secrets::github_pat(),
            secrets::aws_key_id()
        ),
    );
    repo.add(&["newer.py"]);
    let head = repo.head();
    let err = assert_blocked(&repo, &repo.commit("rename and add"), head);
    assert!(err.contains("newer.py:13:8"), "{err}");
    assert!(
        !err.contains("github-pat-classic"),
        "the moved secret is not new: {err}"
    );
}

#[test]
fn runs_from_a_subdirectory() {
    let repo = TestRepo::new();
    repo.write("deep/er/x.txt", format!("t={}\n", secrets::github_pat()));
    repo.add(&["deep/er/x.txt"]);
    let sub = repo.path("deep/er");
    let out = repo.leakguard_in(&sub, &["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("deep/er/x.txt:1:3"),
        "paths are repository-relative: {}",
        stderr(&out)
    );
    let out = repo.git_in(&sub, &["commit", "-q", "-m", "from subdir"]);
    assert!(!out.status.success());
}

#[test]
fn linked_worktree() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    assert!(repo.commit("base").status.success());
    let wt = repo.tmp.path().join("wt");
    repo.git_ok(&[
        "worktree",
        "add",
        "-q",
        wt.to_str().unwrap(),
        "-b",
        "feature",
    ]);
    fs::write(
        wt.join("secret.txt"),
        format!("token {}\n", secrets::github_pat()),
    )
    .unwrap();
    repo.git_in(&wt, &["add", "secret.txt"]);
    let out = repo.git_in(&wt, &["commit", "-q", "-m", "in worktree"]);
    assert!(
        !out.status.success(),
        "blocked in a linked worktree: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("secret.txt:1:7"), "{}", stderr(&out));
    // The main worktree's index is not the one scanned.
    let main = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&main), 0, "{}", stderr(&main));
}

#[test]
fn explicit_git_dir_and_work_tree() {
    let repo = TestRepo::new();
    repo.write("s.txt", format!("k={}\n", secrets::github_pat()));
    repo.add(&["s.txt"]);
    let elsewhere = repo.tmp.path();
    let out = repo
        .leakguard_command(elsewhere, &["hook", "pre-commit"])
        .env("GIT_DIR", repo.path(".git"))
        .env("GIT_WORK_TREE", &repo.root)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("s.txt:1:3"), "{}", stderr(&out));
}

#[test]
fn crlf_line_numbers() {
    let repo = TestRepo::new();
    repo.write(
        "win.ini",
        format!(
            "[a]\r\nx=1\r\n\r\ntoken={}\r\ny=2\r\n",
            secrets::github_pat()
        ),
    );
    repo.add(&["win.ini"]);
    let err = assert_blocked(&repo, &repo.commit("crlf"), None);
    assert!(err.contains("win.ini:4:7"), "{err}");
}

#[test]
fn latin1_file_line_numbers() {
    let repo = TestRepo::new();
    let mut content = b"# caf\xe9 cr\xe8me\nna\xefve = 1\nk\xe9y = ''\n\xff\xfe = 2\n".to_vec();
    content.extend_from_slice(format!("aws = '{}'\n", secrets::aws_key_id()).as_bytes());
    repo.write("legacy.cfg", &content);
    repo.add(&["legacy.cfg"]);
    let err = assert_blocked(&repo, &repo.commit("latin-1"), None);
    assert!(err.contains("legacy.cfg:5:8"), "{err}");
}

#[test]
fn a_30_mb_file_with_the_key_on_its_last_line() {
    let repo = TestRepo::new();
    let line = "const value = 'nothing to see in this perfectly ordinary line';\n";
    let lines = 30 * 1024 * 1024 / line.len();
    let mut big = line.repeat(lines);
    big.push_str(&format!("const key = '{}';\n", secrets::github_pat()));
    repo.write("big.js", &big);
    repo.add(&["big.js"]);
    let err = assert_blocked(&repo, &repo.commit("big"), None);
    assert!(err.contains(&format!("big.js:{}:14", lines + 1)), "{err}");
}

#[test]
fn a_large_file_edited_in_the_middle() {
    let repo = TestRepo::new();
    let base: String = (0..200_000).map(|i| format!("row {i}\n")).collect();
    repo.write("data.csv", &base);
    repo.add(&["data.csv"]);
    repo.commit_unchecked("base");
    let edited = base.replace(
        "row 150000\n",
        &format!("row 150000\nkey,{}\n", secrets::github_pat()),
    );
    repo.write("data.csv", &edited);
    repo.add(&["data.csv"]);
    let head = repo.head();
    let err = assert_blocked(&repo, &repo.commit("edit"), head);
    assert!(err.contains("data.csv:150002:5"), "{err}");
    assert!(err.contains("1 added line"), "{err}");
}

#[test]
fn binary_files_are_skipped() {
    let repo = TestRepo::new();
    let mut blob = vec![0u8, 1, 2, 3];
    blob.extend_from_slice(format!("\ntoken={}\n", secrets::github_pat()).as_bytes());
    repo.write("image.png", &blob);
    repo.add(&["image.png"]);
    let out = repo.commit("binary");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 binary skipped"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn symlinks_and_submodules_add_nothing() {
    let repo = TestRepo::new();
    let target = format!("ghp_{}", "notatoken");
    std::os::unix::fs::symlink(&target, repo.path("link")).unwrap();
    repo.add(&["link"]);
    let sub = TestRepo::without_hook();
    sub.write("x.txt", "x\n");
    sub.add(&["x.txt"]);
    sub.commit_unchecked("sub");
    let url = sub.root.to_str().unwrap().to_string();
    repo.git_ok(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "vendored",
    ]);
    let out = repo.commit("link and submodule");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn not_a_repository_is_an_error_that_blocks() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(crate::util::BIN);
    crate::util::hygienic(&mut cmd, tmp.path());
    let out = cmd
        .args(["hook", "pre-commit"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("leakguard: error: not inside a git repository: "),
        "{err}"
    );
    assert!(err.contains("--no-verify"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_hook_only_reads() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    assert!(repo.commit("base").status.success());
    repo.write("a.txt", format!("a\n{}\n", secrets::github_pat()));
    repo.write("b.txt", "b\n");
    repo.add(&["a.txt", "b.txt"]);
    repo.write("c-untracked.txt", "c\n");
    let before = snapshot(&repo.root);
    for _ in 0..2 {
        let out = repo.leakguard(&["hook", "pre-commit"]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
    }
    let after = snapshot(&repo.root);
    assert_eq!(before.len(), after.len(), "no file created or removed");
    for ((pa, ba), (pb, bb)) in before.iter().zip(&after) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} changed", pa.display());
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let repo = TestRepo::new();
    repo.write("k.txt", format!("{}\n", secrets::github_pat()));
    repo.add(&["k.txt"]);
    let plain = repo.leakguard(&["hook", "pre-commit"]);
    assert!(
        !stderr(&plain).contains('\x1b'),
        "no ANSI when not a terminal"
    );
    let forced = repo.leakguard(&["--color", "always", "hook", "pre-commit"]);
    assert!(
        stderr(&forced).contains("\x1b["),
        "ANSI with --color always"
    );
}

/// The cache-tree walk must agree with git on which files gained lines, across the ordering
/// traps of git's tree sort (`foo/` vs `foo.txt`, `foo-bar`, `foo0`), file↔directory swaps,
/// deleted directories, new deep directories and mode-only changes.
#[test]
fn changed_files_match_git_on_tricky_trees() {
    let repo = TestRepo::new();
    let base = [
        "foo/a.txt",
        "foo.txt",
        "foo-bar/x",
        "foo0",
        "a/b/c/d.txt",
        "z.txt",
        "dir/sub/1.txt",
        "dir/sub/2.txt",
        "swap",
        "swapdir/f",
        "keep/k.txt",
        "gone/deep/g.txt",
    ];
    for (i, p) in base.iter().enumerate() {
        repo.write(p, format!("base {i}\n"));
    }
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("base");

    let mut n = 100;
    let mut secret_line = || {
        n += 1;
        format!("token = {}\n", secrets::github_pat_n(n))
    };
    // Modifications and additions around every ordering trap.
    for p in ["foo/a.txt", "foo0", "dir/sub/2.txt"] {
        let old = std::fs::read_to_string(repo.path(p)).unwrap();
        repo.write(p, format!("{old}{}", secret_line()));
    }
    for p in [
        "foo/new.txt",
        "foo-bar/y",
        "foo.a",
        "fo",
        "foo/zz/deep.txt",
        "n/e/w/file.txt",
        "0first",
    ] {
        repo.write(p, secret_line());
    }
    std::fs::remove_file(repo.path("z.txt")).unwrap();
    std::fs::remove_dir_all(repo.path("gone")).unwrap();
    std::fs::remove_file(repo.path("swap")).unwrap();
    repo.write("swap/inner.txt", secret_line());
    std::fs::remove_dir_all(repo.path("swapdir")).unwrap();
    repo.write("swapdir", secret_line());
    repo.git_ok(&["add", "-A"]);
    repo.git_ok(&["update-index", "--chmod=+x", "foo.txt"]); // mode-only: no added line

    let mut expected: Vec<String> = repo
        .git_ok(&[
            "diff",
            "--cached",
            "--name-only",
            "--no-renames",
            "--diff-filter=AM",
        ])
        .lines()
        .filter(|p| *p != "foo.txt")
        .map(String::from)
        .collect();
    expected.sort();
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let mut reported: Vec<String> = stderr(&out)
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| {
            l.split_once(":1:")
                .or_else(|| l.split_once(":2:"))
                .map(|(p, _)| p.to_string())
        })
        .filter(|p| !p.contains(' '))
        .collect();
    reported.sort();
    reported.dedup();
    assert_eq!(reported, expected, "{}", stderr(&out));
    assert_eq!(expected.len(), 12);
}

/// Hundreds of staged files take the parallel path; the result must not depend on it.
#[test]
fn many_files_staged_at_once() {
    let repo = TestRepo::new();
    repo.write(
        "committed/old.env",
        format!("T={}\n", secrets::github_pat_n(1)),
    );
    repo.add(&["committed/old.env"]);
    repo.commit_unchecked("already committed");
    for i in 0..300 {
        let body = if i % 100 == 7 {
            format!("line\nkey = {}\n", secrets::github_pat_n(1000 + i))
        } else {
            format!("plain file {i}\n")
        };
        repo.write(&format!("many/d{}/f{i}.txt", i % 17), body);
    }
    // A copy of a committed file with a secret adds nothing new.
    std::fs::copy(repo.path("committed/old.env"), repo.path("many/copy.env")).unwrap();
    repo.git_ok(&["add", "-A"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("3 secrets in staged changes (301 files"),
        "{err}"
    );
    for i in [7, 107, 207] {
        assert!(
            err.contains(&format!("many/d{}/f{i}.txt:2:7", i % 17)),
            "{i}: {err}"
        );
    }
    assert!(!err.contains("many/copy.env"), "{err}");
}

/// Blobs are read from loose objects by leakguard itself and from packs by gix: both must give
/// the same bytes (empty, small and multi-megabyte files, a secret at the end).
#[test]
fn loose_and_packed_objects_read_the_same() {
    let repo = TestRepo::new();
    repo.write("empty.txt", "");
    repo.write("small.env", format!("K={}\n", secrets::github_pat()));
    let big: String = (0..100_000).map(|i| format!("row {i}\n")).collect();
    repo.write("big.txt", format!("{big}T={}\n", secrets::github_pat_2()));
    repo.add(&["empty.txt", "small.env", "big.txt"]);
    // Everything but the elapsed time: "(… scanned in 3.1 ms)".
    let strip_time = |s: String| {
        let (head, rest) = s.split_once(" scanned in ").expect("a summary line");
        format!(
            "{head}{}",
            &rest[rest.find(')').expect("closing parenthesis")..]
        )
    };
    let loose = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&loose), 1, "{}", stderr(&loose));
    assert!(
        stderr(&loose).contains("big.txt:100001:3"),
        "{}",
        stderr(&loose)
    );
    repo.git_ok(&["repack", "-a", "-d", "-q"]);
    repo.git_ok(&["prune-packed"]);
    let objects = repo.git_ok(&["count-objects", "-v"]);
    assert!(objects.contains("count: 0"), "everything packed: {objects}");
    let packed = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(strip_time(stderr(&packed)), strip_time(stderr(&loose)));
}

/// The forms secrets take outside code: a dotenv file, a YAML config and a Maven settings file
/// hold unquoted values and XML elements, not string literals.
#[test]
fn dotenv_yaml_and_xml_configuration_files_are_blocked() {
    let repo = TestRepo::new();
    repo.write(
        ".env",
        "DEBUG=1\nDB_PASSWORD=Tq8vW3nYx5KpR2mZ7cLd\nDB_PASSWORD_FILE=/run/secrets/db\n",
    );
    repo.write(
        "deploy/config.yml",
        "smtp:\n  host: mail.acme-corp.net\n  password: oa7heNArc6FxwQJjbH4ZLP31Nkb5iVQs  # rotate yearly\n",
    );
    repo.write(
        "settings.xml",
        "<server>\n  <id>releases</id>\n  <password>8fJ2kLq9ZxP4vT7mW1nB3cR6yH0sD5gE</password>\n</server>\n",
    );
    repo.add(&[".env", "deploy/config.yml", "settings.xml"]);
    let out = repo.commit("configuration");
    let err = assert_blocked(&repo, &out, None);
    assert!(err.contains("3 secrets in staged changes"), "{err}");
    assert!(err.contains(".env:2:13"), "{err}");
    assert!(err.contains("deploy/config.yml:3:13"), "{err}");
    assert!(err.contains("settings.xml:3:13"), "{err}");
    assert!(
        err.contains("[generic-secret-assignment-unquoted, medium]"),
        "{err}"
    );
    assert!(
        err.contains("[generic-secret-xml-element, medium]"),
        "{err}"
    );
    assert!(!err.contains("Tq8vW3nYx5KpR2mZ7cLd"), "redacted:\n{err}");
}

/// A commit of several files over the size at which they are split between two threads: every
/// file's secret is found, each at its own line, and the report lists them in path order as a
/// one-thread run does; a clean commit of the same size passes.
#[test]
fn a_multi_file_commit_split_between_two_threads_reports_every_file_in_order() {
    let repo = TestRepo::new();
    // 15 fillers of ~28 KB in all: past the split size (`pipeline::PAIR_BYTES`, 256 KiB).
    const LINES: usize = 1000;
    let filler: String = (0..LINES)
        .map(|i| format!("let value_{i} = compute({i});\n"))
        .collect();
    let names = [
        "a/one.rs",
        "b/two.rs",
        "c/three.rs",
        "d/four.rs",
        "e/five.rs",
    ];
    for (i, name) in names.iter().enumerate() {
        // Files of different sizes, so that the two sides take different numbers of them.
        let body = filler.repeat(i + 1);
        let token = secrets::github_pat_n(i as u64 + 1);
        repo.write(name, format!("{body}const TOKEN: &str = \"{token}\";\n"));
    }
    repo.add(&names);
    let out = repo.commit("five files");
    let err = assert_blocked(&repo, &out, None);
    assert!(
        err.contains("commit blocked: 5 secrets in staged changes"),
        "{err}"
    );
    let mut at = 0;
    for (i, name) in names.iter().enumerate() {
        let place = format!("{name}:{}:22", LINES * (i + 1) + 1);
        let found = err[at..]
            .find(&place)
            .unwrap_or_else(|| panic!("{place} after byte {at}:\n{err}"));
        at += found + place.len();
    }

    for (i, name) in names.iter().enumerate() {
        repo.write(name, filler.repeat(i + 2));
    }
    repo.add(&names);
    let out = repo.commit("five clean files");
    assert!(out.status.success(), "{}", stderr(&out));
}
