//! Every way to accept a finding, driven through real `git commit`s (and a real `git push`):
//! pragmas in many comment syntaxes, `.leakguardignore` with `leakguard ignore`, baselines,
//! and how each suppression shows up in the human, JSON and SARIF reports.

use std::fs;
use std::path::Path;

use crate::util::{
    MANIFEST_DIR, TestRepo, code, sarif_schema, secrets, stderr, text, validate_json,
};

/// The fingerprints a report prints (`fingerprint <detector>:<hex>`), in order.
fn fingerprints(report: &str) -> Vec<String> {
    report
        .split("fingerprint ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn the_fingerprint(report: &str) -> String {
    let fps = fingerprints(report);
    assert_eq!(fps.len(), 1, "expected one finding: {report}");
    fps[0].clone()
}

/// Commits what is staged through the hook and asserts that it was accepted, with `suppressed`
/// in the report (proof that the secret was found and then suppressed, not missed).
fn commit_passes(repo: &TestRepo, msg: &str, suppressed: &str) {
    let head = repo.head();
    let out = repo.commit(msg);
    let err = stderr(&out);
    assert!(out.status.success(), "{msg}: {err}");
    assert_ne!(repo.head(), head, "{msg}: nothing was committed");
    assert!(
        err.contains(suppressed),
        "{msg}: expected `{suppressed}` in: {err}"
    );
}

/// Commits through the hook and asserts that it was blocked; returns the report.
fn commit_blocked(repo: &TestRepo, msg: &str) -> String {
    let head = repo.head();
    let out = repo.commit(msg);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{msg}: {err}");
    assert_eq!(repo.head(), head, "{msg}: the commit went through");
    err
}

fn no_secret_in(path: &Path, secrets: &[String]) {
    let content = fs::read_to_string(path).unwrap();
    for s in secrets {
        assert!(
            !content.contains(s.as_str()) && !content.contains(&s[4..20]),
            "{} holds a secret:\n{content}",
            path.display()
        );
    }
}

#[test]
fn pragmas_work_in_any_comment_syntax() {
    let repo = TestRepo::new();
    let t = secrets::github_pat_n;
    let files = [
        (
            "config.yaml",
            format!("token: {}  # leakguard:allow\n", t(1)),
        ),
        (
            "main.c",
            format!("const char *t = \"{}\"; /* leakguard:allow */\n", t(2)),
        ),
        (
            "page.html",
            format!("<meta content=\"{}\"> <!-- leakguard:allow -->\n", t(3)),
        ),
        (
            "query.sql",
            format!("SELECT '{}'; -- leakguard:allow test data\n", t(4)),
        ),
        ("app.ini", format!("token = {} ; leakguard:allow\n", t(5))),
        (
            "Main.hs",
            format!("t = \"{}\" {{- leakguard:allow -}}\n", t(6)),
        ),
        (
            "init.el",
            format!("(setq tok \"{}\") ;; leakguard:allow\n", t(7)),
        ),
        (
            "doc.tex",
            format!("\\def\\tok{{{}}} % leakguard:allow\n", t(8)),
        ),
        ("run.bat", format!("set T={} & REM leakguard:allow\n", t(9))),
        (
            "Mod.vb",
            format!("Dim t = \"{}\" ' leakguard:allow\n", t(10)),
        ),
        (
            "lib.rs",
            format!(
                "let t = \"{}\"; // leakguard:allow github-pat-classic\n",
                t(11)
            ),
        ),
    ];
    let mut paths = Vec::new();
    for (path, content) in &files {
        repo.write(path, content);
        paths.push(*path);
    }
    repo.add(&paths);
    commit_passes(
        &repo,
        "fixtures",
        &format!("{n} findings suppressed ({n} by pragma)", n = files.len()),
    );

    // The same lines without their pragma block: the pragmas were doing the work.
    for (path, content) in &files {
        let bare = content.split("leakguard:allow").next().unwrap();
        repo.write(path, format!("{bare}\n"));
    }
    repo.add(&paths);
    let err = commit_blocked(&repo, "without pragmas");
    assert!(err.contains(&format!("{} secrets", files.len())), "{err}");
}

#[test]
fn allow_next_line_covers_formats_where_a_comment_cannot_share_the_line() {
    let repo = TestRepo::new();
    let t = secrets::github_pat_n;
    // .properties: comments are whole lines; a value can continue over several lines.
    repo.write(
        "app.properties",
        format!(
            "# leakguard:allow-next-line\n\
             github.token={}\n\
             ! leakguard:allow-next-line github-pat-classic\n\
             other.token=\\\n    {}\n\
             plain=1\n",
            t(1),
            t(2)
        ),
    );
    // JSON with comments (VS Code settings, tsconfig): no comment after a value that ends a
    // line is allowed by every parser, so the pragma goes above.
    repo.write(
        ".vscode/settings.json",
        format!(
            "{{\n  // leakguard:allow-next-line\n  \"token\": \"{}\",\n  \
             /* leakguard:allow-next-line */\n  \"other\": \"{}\"\n}}\n",
            t(3),
            t(4)
        ),
    );
    // A multi-line shell command: a comment cannot follow a `\`, so the pragma sits above
    // the whole command and covers its continuation lines.
    repo.write(
        "deploy.sh",
        format!(
            "#!/bin/sh\n\
             # leakguard:allow-next-line\n\
             curl -s \\\n  -H \"Authorization: token {}\" \\\n  https://api.github.com/user\n",
            t(5)
        ),
    );
    repo.add(&["app.properties", ".vscode/settings.json", "deploy.sh"]);
    commit_passes(&repo, "configs", "5 findings suppressed (5 by pragma)");

    // The pragma line may be old: only the secret's line is added.
    repo.write("later.sh", "# leakguard:allow-next-line\nTOKEN=\n");
    repo.add(&["later.sh"]);
    commit_passes(&repo, "placeholder", "no secrets found");
    repo.write(
        "later.sh",
        format!("# leakguard:allow-next-line\nTOKEN={}\n", t(6)),
    );
    repo.add(&["later.sh"]);
    commit_passes(&repo, "fill in", "1 finding suppressed (1 by pragma)");

    // It covers the next line (statement) only, not a line further down.
    repo.write(
        "far.sh",
        format!("# leakguard:allow-next-line\necho hello\nT={}\n", t(7)),
    );
    repo.add(&["far.sh"]);
    let err = commit_blocked(&repo, "far");
    assert!(err.contains("far.sh:3:3"), "{err}");
    // Nor another detector's findings when it names one.
    repo.write(
        "far.sh",
        format!(
            "# leakguard:allow-next-line aws-access-key-id\nT={}\n",
            t(7)
        ),
    );
    repo.add(&["far.sh"]);
    let err = commit_blocked(&repo, "other detector");
    assert!(err.contains("far.sh:2:3"), "{err}");
}

#[test]
fn an_ignored_fingerprint_stays_ignored_when_the_line_or_file_moves() {
    let repo = TestRepo::new();
    let secret = secrets::github_pat();
    repo.write(
        "app.py",
        format!("TOKEN = '{secret}'\nDEBUG = False\nNAME = 'app'\n"),
    );
    repo.add(&["app.py"]);
    let err = commit_blocked(&repo, "app");
    let fp = the_fingerprint(&err);
    assert!(
        err.contains(&format!("leakguard ignore {fp}")),
        "the report says how to ignore it: {err}"
    );

    let out = repo.leakguard(&["ignore", &fp, "--reason", "test token, revoked"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(text(&out.stdout).contains("added"), "{}", text(&out.stdout));
    let ignore = fs::read_to_string(repo.path(".leakguardignore")).unwrap();
    assert!(
        ignore.contains(&format!("{fp}  # test token, revoked\n")),
        "{ignore}"
    );
    no_secret_in(
        &repo.path(".leakguardignore"),
        std::slice::from_ref(&secret),
    );
    repo.add(&["app.py", ".leakguardignore"]);
    commit_passes(&repo, "app", "1 finding suppressed (1 by ignore-file)");

    // Move the line: the diff deletes it from line 1 and adds it again at line 3.
    repo.write(
        "app.py",
        format!("DEBUG = False\nNAME = 'app'\nTOKEN = '{secret}'\n"),
    );
    repo.add(&["app.py"]);
    commit_passes(
        &repo,
        "move line",
        "1 finding suppressed (1 by ignore-file)",
    );

    // Move the file (and reshape the line, so it is scanned again at its new path).
    repo.git_ok(&["rm", "-q", "app.py"]);
    repo.write("config/prod.env", format!("GITHUB_TOKEN={secret}\n"));
    repo.add(&["config/prod.env"]);
    commit_passes(
        &repo,
        "move file",
        "1 finding suppressed (1 by ignore-file)",
    );

    // A different secret in exactly the same place is not covered.
    let other = secrets::github_pat_2();
    repo.write("config/prod.env", format!("GITHUB_TOKEN={other}\n"));
    repo.add(&["config/prod.env"]);
    let err = commit_blocked(&repo, "other secret");
    assert!(err.contains("config/prod.env:1:14"), "{err}");
    assert_ne!(the_fingerprint(&err), fp);
    assert!(!err.contains("suppressed"), "{err}");
}

#[test]
fn leakguard_ignore_validates_appends_once_and_never_writes_a_secret() {
    let repo = TestRepo::new();
    let path = repo.path(".leakguardignore");
    let secret = secrets::github_pat();

    // A secret pasted by mistake is refused, not echoed, and nothing is written.
    let out = repo.leakguard(&["ignore", &secret]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("not a fingerprint"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(&secret), "{}", stderr(&out));
    assert!(!path.exists());

    let fp = "github-pat-classic:0123456789abcdef";
    assert_eq!(code(&repo.leakguard(&["ignore", fp])), 0);
    let first = fs::read_to_string(&path).unwrap();
    assert!(
        first.starts_with("# "),
        "a header explains the file: {first}"
    );
    assert!(first.ends_with(&format!("\n{fp}\n")), "{first}");
    let again = repo.leakguard(&["ignore", fp, "--reason", "again"]);
    assert_eq!(code(&again), 0);
    assert!(
        text(&again.stdout).contains("already listed in .leakguardignore:4"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), first, "no duplicate");

    // Hand-edited without a final newline, with CRLF and trailing comments: still appends
    // on a line of its own, and the reason stays on one line.
    fs::write(
        &path,
        format!(
            "{first}aws-access-key-id:00000000000000ff\t# ok\r\nnpm-access-token:0000000000000000"
        ),
    )
    .unwrap();
    let fp2 = "generic-api-key:fedcba9876543210";
    let out = repo.leakguard(&["ignore", fp2, "--reason", "line one\nline two"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let content = fs::read_to_string(&path).unwrap();
    assert!(
        content.ends_with(&format!(
            "npm-access-token:0000000000000000\n{fp2}  # line one line two\n"
        )),
        "{content}"
    );

    // A malformed ignore file stops `leakguard ignore` and the hook, at its line and column,
    // without echoing what is there (it may be the secret itself).
    fs::write(&path, format!("{fp}\n  {secret}  # oops\n")).unwrap();
    let out = repo.leakguard(&["ignore", fp2]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("leakguard: error: .leakguardignore:2:3: not a fingerprint"),
        "{}",
        stderr(&out)
    );
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    let out = repo.commit("a");
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("leakguard: error: .leakguardignore:2:3: not a fingerprint"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(&secret));
    fs::write(&path, format!("{fp} {fp2}\n")).unwrap();
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert!(
        stderr(&out).contains(".leakguardignore:1:37: one fingerprint per line"),
        "{}",
        stderr(&out)
    );

    // Entries that match nothing are harmless; `check` points out those that never can.
    fs::write(&path, format!("{fp}\nno-such-detector:0123456789abcdef\n")).unwrap();
    let out = repo.leakguard(&["check"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(
        report.contains(".leakguardignore: 2 fingerprints"),
        "{report}"
    );
    assert!(
        report.contains(".leakguardignore:2: note: no detector in use"),
        "{report}"
    );
    let out = repo.commit("a");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A repository that has had secrets for a while: `old.env` added one and a later commit
/// removed it (history only); `app.env` still holds another (history and work tree).
fn repository_with_a_past(repo: &TestRepo) -> (String, String) {
    let old = secrets::github_pat();
    let kept = secrets::aws_key_id();
    repo.write("README.md", "project\n");
    repo.write("old.env", format!("TOKEN={old}\n"));
    repo.add(&["README.md", "old.env"]);
    repo.commit_unchecked("first");
    repo.git_ok(&["rm", "-q", "old.env"]);
    repo.write("app.env", format!("NAME=app\nAWS_ACCESS_KEY_ID={kept}\n"));
    repo.add(&["app.env"]);
    repo.commit_unchecked("second");
    (old, kept)
}

#[test]
fn a_baseline_adopts_existing_secrets_and_a_new_one_still_blocks() {
    let repo = TestRepo::new();
    repo.install_hook("pre-push");
    let (old, kept) = repository_with_a_past(&repo);
    let remote = repo.add_bare_remote();

    // Before adoption: history scans and the first push (all history is new) report both.
    let out = repo.leakguard(&["scan", "--git"]);
    assert_eq!(code(&out), 1);
    assert!(text(&out.stdout).contains("2 secrets in git history"));
    let out = repo.git(&["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(
        repo.git_ok(&["ls-remote", remote.to_str().unwrap()])
            .is_empty()
    );

    // Adopt: record history.
    let out = repo.leakguard(&["baseline", "--git"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary = text(&out.stdout);
    assert!(
        summary.contains("wrote .leakguard-baseline.json: 2 secrets (2 findings) from 2 commits"),
        "{summary}"
    );
    let baseline = repo.path(".leakguard-baseline.json");
    let doc = fs::read_to_string(&baseline).unwrap();
    validate_json(
        &Path::new(MANIFEST_DIR).join("docs/baseline-v1.schema.json"),
        &doc,
    )
    .unwrap_or_else(|e| panic!("{e}\n{doc}"));
    no_secret_in(&baseline, &[old.clone(), kept.clone()]);
    assert!(doc.contains("\"path\": \"old.env\""), "{doc}");
    assert!(doc.contains("\"source\": \"history\""), "{doc}");

    // Every later scan ignores exactly those, and says so.
    for args in [vec!["scan", "--git"], vec!["scan"]] {
        let out = repo.leakguard(&args);
        assert_eq!(code(&out), 0, "{args:?}: {}", text(&out.stdout));
        assert!(
            text(&out.stdout).contains("by baseline)"),
            "{args:?}: {}",
            text(&out.stdout)
        );
    }
    // The baseline file itself commits cleanly. Pushing it with the secrets it accepts is a
    // change that switches off part of the check judging that very push: it is named and
    // blocks until the developer accepts it for that push.
    repo.add(&[".leakguard-baseline.json"]);
    commit_passes(&repo, "adopt leakguard", "no secrets found");
    let out = repo.git(&["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("push blocked: 1 commit about to be pushed weakens leakguard's own"),
        "{err}"
    );
    assert!(err.contains("adopt leakguard"), "{err}");
    assert!(
        err.contains(".leakguard-baseline.json  accepts 2 more secrets in the baseline"),
        "{err}"
    );
    assert!(
        err.contains("LEAKGUARD_ALLOW_CONFIG_CHANGES=1 git push"),
        "{err}"
    );
    let mut push = std::process::Command::new("git");
    crate::util::hygienic(&mut push, repo.tmp.path());
    let out = push
        .args(["push", "-q", "origin", "main"])
        .env("LEAKGUARD_ALLOW_CONFIG_CHANGES", "1")
        .current_dir(&repo.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 findings suppressed (2 by baseline)"),
        "{}",
        stderr(&out)
    );

    // A baselined secret copied elsewhere is the same, already known secret.
    repo.write("copy.env", format!("OLD={old}\n"));
    repo.add(&["copy.env"]);
    commit_passes(&repo, "copy", "1 finding suppressed (1 by baseline)");

    // A new secret in a baselined file blocks, and is the only one reported.
    let new = secrets::github_pat_2();
    repo.write(
        "app.env",
        format!("NAME=app\nAWS_ACCESS_KEY_ID={kept}\nGITHUB_TOKEN={new}\n"),
    );
    repo.add(&["app.env"]);
    let err = commit_blocked(&repo, "new secret");
    assert!(err.contains("1 secret in staged changes"), "{err}");
    assert!(err.contains("app.env:3:14"), "{err}");
    let out = repo.git(&["commit", "-q", "--no-verify", "-m", "new secret anyway"]);
    assert!(out.status.success());
    let out = repo.git(&["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "the push blocks the new secret too");
    assert!(stderr(&out).contains("app.env:3:14"), "{}", stderr(&out));
}

#[test]
fn baseline_files_explicit_paths_and_broken_baselines() {
    let repo = TestRepo::new();
    let (_, kept) = repository_with_a_past(&repo);
    // An uncommitted file with a secret in the work tree.
    let local = secrets::github_pat_n(3);
    repo.write("sub/local.env", format!("T={local}\n"));

    // The work-tree form records files, with root-relative paths wherever it runs.
    let elsewhere = repo.tmp.path().join("b.json");
    let out = repo.leakguard_in(
        &repo.path("sub"),
        &["baseline", "--output", elsewhere.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = fs::read_to_string(&elsewhere).unwrap();
    assert!(doc.contains("\"path\": \"sub/local.env\""), "{doc}");
    assert!(doc.contains("\"path\": \"app.env\""), "{doc}");
    assert!(doc.contains("\"source\": \"files\""), "{doc}");
    no_secret_in(&elsewhere, &[kept, local]);
    assert!(
        !repo.path(".leakguard-baseline.json").exists(),
        "--output decides where it goes"
    );

    // Not found at the root, so only used when named.
    assert_eq!(code(&repo.leakguard(&["scan"])), 1);
    let out = repo.leakguard(&["scan", "--baseline", elsewhere.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("2 findings suppressed (2 by baseline)"));
    let out = repo.leakguard(&["scan", "--baseline", "missing.json"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("the baseline missing.json does not exist"),
        "{}",
        stderr(&out)
    );

    // A broken baseline is read only when there is a finding to check against it (a clean
    // commit does not pay for reading it); then it blocks with its line and column. `check`
    // reads it up front.
    repo.write(
        ".leakguard-baseline.json",
        "{\"schema\": \"leakguard-baseline/1\",\n \"findings\": [{\"fingerprint\": 7}]}\n",
    );
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    commit_passes(&repo, "clean", "no secrets found");
    let expected = "leakguard: error: .leakguard-baseline.json:2:31: invalid baseline: invalid type: integer `7`, expected a string";
    let out = repo.leakguard(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with(expected), "{}", stderr(&out));
    repo.write("b.env", format!("T={}\n", secrets::github_pat_n(9)));
    repo.add(&["b.env"]);
    let out = repo.commit("b");
    assert!(!out.status.success());
    assert!(stderr(&out).starts_with(expected), "{}", stderr(&out));
    repo.write(
        ".leakguard-baseline.json",
        "{\"schema\": \"leakguard-baseline/2\", \"findings\": []}",
    );
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unsupported baseline schema `leakguard-baseline/2`"),
        "{}",
        stderr(&out)
    );
    repo.git_ok(&["rm", "-q", "--cached", "b.env"]);
    fs::remove_file(repo.path("b.env")).unwrap();

    // Regenerating replaces the old baseline (which must not hide what it recorded) and
    // says what changed.
    fs::copy(&elsewhere, repo.path(".leakguard-baseline.json")).unwrap();
    fs::remove_file(repo.path("sub/local.env")).unwrap();
    let out = repo.leakguard(&["baseline"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        text(&out.stdout).contains("1 secret (1 finding) from"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("0 new and 1 gone since the previous baseline"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn every_suppression_is_counted_by_mechanism_in_every_format() {
    let repo = TestRepo::without_hook();
    let t = secrets::github_pat_n;
    repo.write(
        ".leakguard.toml",
        "[settings]\nskip_paths = [\"fixtures/**\"]\n",
    );
    repo.write("pragma.py", format!("A = '{}'  # leakguard:allow\n", t(1)));
    repo.write("fixtures/glob.json", format!("{{\"t\": \"{}\"}}\n", t(2)));
    repo.write("ignored.env", format!("T={}\n", t(3)));
    repo.write("baselined.env", format!("T={}\n", t(4)));
    repo.write("blocking.env", format!("T={}\n", t(5)));
    let out = repo.leakguard(&["baseline", "baselined.env"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = repo.leakguard(&["scan", "ignored.env"]);
    let fp = the_fingerprint(&text(&out.stdout));
    assert_eq!(code(&repo.leakguard(&["ignore", &fp])), 0);

    let out = repo.leakguard(&["scan"]);
    assert_eq!(code(&out), 1);
    let report = text(&out.stdout);
    assert!(report.contains("1 secret in files"), "{report}");
    assert!(report.contains("blocking.env:1:3"), "{report}");
    assert!(
        report.trim_end().ends_with(
            "leakguard: 4 findings suppressed (1 by pragma, 1 by ignore-file, 1 by baseline, 1 by path-glob)"
        ),
        "the report ends with the count: {report}"
    );

    let json = text(&repo.leakguard(&["scan", "--format", "json"]).stdout);
    validate_json(
        &Path::new(MANIFEST_DIR).join("docs/report-v1.schema.json"),
        &json,
    )
    .unwrap_or_else(|e| panic!("{e}\n{json}"));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        doc["summary"]["suppressed"],
        serde_json::json!({"pragma": 1, "ignore-file": 1, "baseline": 1, "path-glob": 1})
    );
    let by_path = |path: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {json}"))
            .clone()
    };
    assert_eq!(by_path("pragma.py")["suppressed"], "pragma");
    assert_eq!(by_path("ignored.env")["suppressed"], "ignore-file");
    assert_eq!(by_path("baselined.env")["suppressed"], "baseline");
    assert_eq!(by_path("fixtures/glob.json")["suppressed"], "path-glob");
    assert_eq!(
        by_path("blocking.env")["suppressed"],
        serde_json::Value::Null
    );

    let sarif = text(&repo.leakguard(&["scan", "--format", "sarif"]).stdout);
    validate_json(&sarif_schema(), &sarif).unwrap_or_else(|e| panic!("{e}\n{sarif}"));
    let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let kinds: Vec<(String, String)> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["suppressions"][0]["kind"]
                    .as_str()
                    .unwrap_or("none")
                    .to_string(),
            )
        })
        .collect();
    for (uri, kind) in [
        ("pragma.py", "inSource"),
        ("ignored.env", "external"),
        ("baselined.env", "external"),
        ("fixtures/glob.json", "external"),
        ("blocking.env", "none"),
    ] {
        assert!(
            kinds.contains(&(uri.to_string(), kind.to_string())),
            "{uri} {kind}: {kinds:?}"
        );
    }
    for doc in [&report, &json, &sarif] {
        for n in 1..=5 {
            assert!(!doc.contains(&t(n)), "a report leaks a secret");
        }
    }
}

#[test]
fn a_suppressed_occurrence_does_not_hide_the_same_secret_elsewhere_in_history() {
    let repo = TestRepo::without_hook();
    let t = secrets::github_pat();
    repo.write(
        ".leakguard.toml",
        "[settings]\nskip_paths = [\"fixtures/**\"]\n",
    );
    repo.write("fixtures/a.env", format!("T={t}\n"));
    repo.write("doc.md", format!("`{t}` <!-- leakguard:allow -->\n"));
    repo.add(&[".leakguard.toml", "fixtures/a.env", "doc.md"]);
    repo.commit_unchecked("fixtures");
    repo.write("app.env", format!("T={t}\n"));
    repo.add(&["app.env"]);
    repo.commit_unchecked("real use");
    let out = repo.leakguard(&["scan", "--git"]);
    let report = text(&out.stdout);
    assert_eq!(code(&out), 1, "{report}");
    assert!(report.contains("app.env:1:3"), "{report}");
    assert!(report.contains("real use"), "{report}");
}

#[test]
fn a_pragma_naming_an_unknown_id_allows_nothing_and_says_so() {
    let repo = TestRepo::new();
    let t = secrets::github_pat_n;
    // A misspelt id and a renamed one: the pragma would once have allowed the whole line.
    repo.write(
        "typo.py",
        format!("TOKEN = '{}'  # leakguard:allow github-pat-clasic\n", t(1)),
    );
    repo.write(
        "renamed.py",
        format!(
            "TOKEN = '{}'  # leakguard:allow some-other-detector\n",
            t(2)
        ),
    );
    repo.add(&["typo.py", "renamed.py"]);
    let err = commit_blocked(&repo, "unknown ids");
    assert!(err.contains("commit blocked: 2 secrets"), "{err}");
    assert!(
        err.contains(
            "error: unknown detector id `github-pat-clasic` (did you mean `github-pat-classic`?) \
             in leakguard:allow; known ids for this finding: github-pat-classic"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "error: unknown detector id `some-other-detector` in leakguard:allow; known ids for \
             this finding: github-pat-classic"
        ),
        "{err}"
    );
    assert!(
        err.contains("a free-text reason goes after ` -- `"),
        "{err}"
    );

    // A free-text reason after a separator, id-shaped words and all, still allows the line;
    // so does the right id, with or without a reason.
    repo.write(
        "typo.py",
        format!(
            "TOKEN = '{}'  # leakguard:allow -- fake-token for unit-tests\n",
            t(1)
        ),
    );
    repo.write(
        "renamed.py",
        format!(
            "TOKEN = '{}'  # leakguard:allow github-pat-classic: made-up value\n",
            t(2)
        ),
    );
    repo.write(
        "plain.py",
        format!("TOKEN = '{}'  # leakguard:allow test fixture\n", t(3)),
    );
    repo.add(&["typo.py", "renamed.py", "plain.py"]);
    commit_passes(&repo, "reasons", "3 findings suppressed (3 by pragma)");
}
