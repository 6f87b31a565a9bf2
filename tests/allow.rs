//! Every way to accept a finding, driven through real `git commit`s: pragmas in many comment
//! syntaxes.

use crate::util::{TestRepo, code, secrets, stderr};

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
