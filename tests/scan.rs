use std::path::Path;

use crate::util::{
    MANIFEST_DIR, TestRepo, code, sarif_schema, secrets, stderr, text, validate_json,
};

fn history(repo: &TestRepo) {
    repo.write("one.env", format!("A={}\n", secrets::github_pat()));
    repo.add(&["one.env"]);
    repo.commit_unchecked("one");
    repo.write("two.env", format!("B={}\n", secrets::aws_key_id()));
    repo.add(&["two.env"]);
    repo.commit_unchecked("two");
    repo.git_ok(&["checkout", "-q", "-b", "side"]);
    repo.write("three.env", format!("C={}\n", secrets::github_pat_2()));
    repo.add(&["three.env"]);
    repo.commit_unchecked("three on side");
    repo.git_ok(&["checkout", "-q", "main"]);
}

#[test]
fn scanning_files_respects_gitignore_unless_told_not_to() {
    let repo = TestRepo::without_hook();
    repo.write(".gitignore", "ignored.env\n");
    repo.write("ignored.env", format!("A={}\n", secrets::github_pat()));
    repo.write(
        "sub/visible.env",
        format!("B={}\n", secrets::github_pat_2()),
    );
    repo.write("image.bin", b"\x00\x01binary");
    let out = repo.leakguard(&["scan"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(report.contains("1 secret in files"), "{report}");
    assert!(report.contains("sub/visible.env:1:3"), "{report}");
    assert!(report.contains("1 binary skipped"), "{report}");
    assert!(!report.contains("ignored.env"), "{report}");
    let out = repo.leakguard(&["scan", "--no-ignore", "."]);
    assert!(
        text(&out.stdout).contains("2 secrets in files"),
        "{}",
        text(&out.stdout)
    );
    let clean = repo.leakguard(&["scan", ".gitignore"]);
    assert_eq!(code(&clean), 0);
}

#[test]
fn scanning_stdin() {
    let repo = TestRepo::without_hook();
    let input = format!("line one\nexport KEY={}\n", secrets::aws_key_id());
    let out = repo.leakguard_with_stdin(&["scan", "-"], &input);
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stdout).contains("<stdin>:2:12"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("(1 file, 2 added lines"),
        "the final newline is no line: {}",
        text(&out.stdout)
    );
}

#[test]
fn scanning_the_staged_changes_does_not_talk_about_blocking() {
    let repo = TestRepo::without_hook();
    repo.write("s.env", format!("A={}\n", secrets::github_pat()));
    repo.add(&["s.env"]);
    let out = repo.leakguard(&["scan", "--staged"]);
    assert_eq!(code(&out), 1);
    let report = text(&out.stdout);
    assert!(report.contains("1 secret in staged changes"), "{report}");
    assert!(!report.contains("blocked"), "{report}");
}

/// History scans treat renames as the staged scan does: a moved file adds nothing, a moved
/// and edited one adds only its edit (matched by identical content while diffing, and for a
/// new file with matches against the commit's deleted files), and a whole-history scan reports
/// each secret once, at the commit that brought it in.
#[test]
fn renames_in_history() {
    let repo = TestRepo::without_hook();
    let body: String = (0..40).map(|i| format!("setting_{i} = {i}\n")).collect();
    let first = format!("{body}A={}\n", secrets::github_pat());
    repo.write("conf/app.env", &first);
    repo.add(&["conf/app.env"]);
    repo.commit_unchecked("add");
    repo.git_ok(&["mv", "conf/app.env", "conf/moved.env"]);
    repo.commit_unchecked("pure rename");
    repo.git_ok(&["mv", "conf/moved.env", "conf/edited.env"]);
    let edited = format!("{first}extra = 1\n");
    repo.write("conf/edited.env", &edited);
    repo.add(&["conf/edited.env"]);
    repo.commit_unchecked("rename and edit");
    repo.git_ok(&["mv", "conf/edited.env", "conf/again.env"]);
    repo.write(
        "conf/again.env",
        format!("{edited}B={}\n", secrets::github_pat_2()),
    );
    repo.add(&["conf/again.env"]);
    repo.commit_unchecked("rename and add a secret");

    for range in ["HEAD~3..HEAD~2", "HEAD~2..HEAD~1"] {
        let out = repo.leakguard(&["scan", "--git", range]);
        assert_eq!(code(&out), 0, "{range}: {}", text(&out.stdout));
    }
    let added = text(&repo.leakguard(&["scan", "--git", "HEAD~1..HEAD"]).stdout);
    assert!(
        added.contains("1 secret in git history") && added.contains("conf/again.env:43:3"),
        "only the secret the edit added: {added}"
    );
    let whole = text(&repo.leakguard(&["scan", "--git"]).stdout);
    assert!(
        whole.contains("2 secrets in git history") && whole.contains("conf/app.env:41:3"),
        "each once, where it came in: {whole}"
    );
}

#[test]
fn scanning_history() {
    let repo = TestRepo::without_hook();
    history(&repo);
    let out = repo.leakguard(&["scan", "--git"]);
    assert_eq!(code(&out), 1);
    let report = text(&out.stdout);
    assert!(
        report.contains("2 secrets in git history"),
        "HEAD's history only: {report}"
    );
    assert!(
        report.contains("It is already out: rotate it now"),
        "{report}"
    );
    assert!(report.contains("added in "), "{report}");

    let all = text(&repo.leakguard(&["scan", "--git", "--all"]).stdout);
    assert!(all.contains("3 secrets in git history"), "every ref: {all}");

    let range = text(&repo.leakguard(&["scan", "--git", "HEAD~1..HEAD"]).stdout);
    assert!(
        range.contains("1 secret in git history") && range.contains("two.env:1:3"),
        "{range}"
    );

    let bad = repo.leakguard(&["scan", "--git", "no-such-rev"]);
    assert_eq!(code(&bad), 2);
    assert!(
        stderr(&bad).contains(
            "leakguard: error: `no-such-rev` is not a branch, tag or commit in this repository"
        ),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn json_output_follows_its_schema_and_redacts() {
    let repo = TestRepo::without_hook();
    history(&repo);
    let schema = Path::new(MANIFEST_DIR).join("docs/report-v1.schema.json");
    for args in [
        vec!["scan", "--git", "--all", "--format", "json"],
        vec!["scan", "--format", "json", "."],
        vec!["scan", "--staged", "--format", "json"],
    ] {
        let out = repo.leakguard(&args);
        let doc = text(&out.stdout);
        validate_json(&schema, &doc).unwrap_or_else(|e| panic!("{args:?}: {e}\n{doc}"));
        assert!(
            !doc.contains(&secrets::github_pat()),
            "{args:?} leaks the secret"
        );
        assert!(
            !doc.contains(&secrets::aws_key_id()),
            "{args:?} leaks the secret"
        );
    }
    let doc = text(
        &repo
            .leakguard(&["scan", "--git", "--all", "--format", "json"])
            .stdout,
    );
    assert!(doc.contains("\"context\": \"history\""), "{doc}");
    assert!(doc.contains("\"subject\": \"three on side\""), "{doc}");
    assert!(doc.contains("\"blocking\": 3"), "{doc}");
    let shown = text(
        &repo
            .leakguard(&["scan", "--git", "--format", "json", "--show-secrets"])
            .stdout,
    );
    assert!(
        shown.contains(&secrets::github_pat()),
        "--show-secrets shows the value"
    );
    assert!(shown.contains("\"secret_redacted\": false"));
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_rotation_help() {
    let repo = TestRepo::without_hook();
    history(&repo);
    repo.write(
        "dir with space/x.env",
        format!("X={}\n", secrets::github_pat_n(7)),
    );
    let out_file = repo.tmp.path().join("out.sarif");
    let out = repo.leakguard(&[
        "scan",
        "--format",
        "sarif",
        "--output",
        out_file.to_str().unwrap(),
        ".",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let doc = std::fs::read_to_string(&out_file).unwrap();
    validate_json(&sarif_schema(), &doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
    assert!(doc.contains("\"ruleId\": \"github-pat-classic\""), "{doc}");
    assert!(
        doc.contains("https://github.com/settings/tokens"),
        "rotation help in the rule: {doc}"
    );
    assert!(doc.contains("dir%20with%20space/x.env"), "{doc}");
    assert!(!doc.contains(&secrets::github_pat_n(7)), "redacted");
    let history = text(
        &repo
            .leakguard(&["scan", "--git", "--format", "sarif"])
            .stdout,
    );
    validate_json(&sarif_schema(), &history).unwrap_or_else(|e| panic!("{e}\n{history}"));
    assert!(history.contains("\"commitSubject\": \"two\""), "{history}");
}

#[test]
fn no_output_format_prints_the_secret() {
    let repo = TestRepo::new();
    let t = secrets::github_pat();
    repo.write("leak.env", format!("T={t}\n"));
    repo.add(&["leak.env"]);
    for format in ["human", "json", "sarif"] {
        let hook = repo.leakguard(&["hook", "pre-commit", "--format", format]);
        let scan = repo.leakguard(&["scan", "--format", format]);
        for out in [hook, scan] {
            let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert_eq!(code(&out), 1, "{format}: {all}");
            assert!(
                !all.contains(&t) && !all.contains(&t[6..30]),
                "{format} leaks: {all}"
            );
        }
    }
}

/// A history scan reads its commits' files in one of three orders (`pipeline::scan_commits`):
/// commit by commit (a few commits), path by path (packs that chain a file's versions, as
/// `git gc` and clones write them), or oldest commit first, each file's last version kept
/// (loose objects, packs as `git fast-import` writes them). All must find the same secrets, at
/// the same lines, attributed to the same commits, with the same counts, however the objects
/// are stored and however the commits are batched. The history edits a few files many times
/// (so that their versions are deltas of one another once packed), adds a secret in the middle
/// of one file's history and removes it later, edits a binary file, moves and edits a file, and
/// merges a branch. The orders are forced, and the one chosen shown, by test builds only.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs the debug-only LEAKGUARD_TEST_* knobs"
)]
fn every_read_order_reads_the_same_history() {
    let repo = TestRepo::without_hook();
    let mut files: Vec<Vec<String>> = (0..3)
        .map(|f| (0..60).map(|i| format!("value_{f}_{i} = {i}")).collect())
        .collect();
    let write = |files: &[Vec<String>], round: usize| {
        for (f, lines) in files.iter().enumerate() {
            repo.write(&format!("src/file{f}.conf"), lines.join("\n") + "\n");
        }
        if round.is_multiple_of(4) {
            repo.write("assets/blob.bin", [0u8, 1, 2, round as u8, 0, 9]);
        }
        repo.add(&["."]);
    };
    for round in 0..24 {
        let f = round % 3;
        let at = (round * 7) % files[f].len();
        files[f].insert(at, format!("inserted_{round} = {round}"));
        files[f][(at + 5) % 60] = format!("rewritten_{round} = {round}");
        match round {
            8 => files[1].push(format!("token = \"{}\"", secrets::github_pat())),
            15 => files[2].insert(10, format!("AWS_KEY={}", secrets::aws_key_id())),
            18 => {
                files[1].pop();
            }
            _ => {}
        }
        write(&files, round);
        repo.commit_unchecked(&format!("round {round}"));
    }
    repo.git_ok(&["mv", "src/file0.conf", "src/moved.conf"]);
    repo.write(
        "src/moved.conf",
        files[0].join("\n") + &format!("\nB={}\n", secrets::github_pat_2()),
    );
    repo.add(&["."]);
    repo.commit_unchecked("move and edit");
    repo.git_ok(&["checkout", "-q", "-b", "side", "HEAD~3"]);
    repo.write("side.env", format!("C={}\n", secrets::aws_key_id_n(7)));
    // A file both sides edit: read oldest first, its last version seen may be the other side's.
    let side_file = std::fs::read_to_string(repo.path("src/file1.conf")).unwrap();
    repo.write("src/file1.conf", side_file + "side_only = 1\n");
    repo.add(&["side.env", "src/file1.conf"]);
    repo.commit_unchecked("side");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.git_ok(&["merge", "-q", "--no-edit", "side"]);

    // The report, and the order the scan chose (shown by test builds).
    let report_with_order = |dir: &Path, order: &str, batch: &str| {
        let out = repo
            .leakguard_command(dir, &["scan", "--git", "--format", "json"])
            .env("LEAKGUARD_TEST_HISTORY_ORDER", order)
            .env("LEAKGUARD_TEST_HISTORY_BATCH", batch)
            .env("LEAKGUARD_TEST_READ_GROUP", batch)
            .env("LEAKGUARD_TEST_SHOW_ORDER", "1")
            .output()
            .unwrap();
        assert_eq!(code(&out), 1, "{order} {batch}: {}", stderr(&out));
        let chosen = stderr(&out)
            .lines()
            .find_map(|l| l.strip_prefix("history read order: "))
            .expect("the order shown")
            .to_string();
        let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["summary"]["elapsed_ms"] = serde_json::Value::Null;
        (doc, chosen)
    };
    let report_in = |dir: &Path, order: &str, batch: &str| report_with_order(dir, order, batch).0;
    let report = |order: &str, batch: &str| report_in(&repo.path(""), order, batch);
    let chosen = |dir: &Path| report_with_order(dir, "", "").1;
    let expected = report("commit", "");
    let findings = expected["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 4, "{expected:#}");
    assert_eq!(expected["summary"]["binary_skipped"], 6, "{expected:#}");
    let every_order = |storage: &str| {
        for (order, batch) in [
            ("", ""),
            ("commit", ""),
            ("path", ""),
            ("path", "5"),
            ("written", ""),
            ("written", "5"),
        ] {
            assert_eq!(
                expected,
                report(order, batch),
                "{storage}, order {order:?}, batch {batch:?}"
            );
        }
    };
    every_order("loose objects");
    assert_eq!(chosen(&repo.path("")), "ByCommit", "loose objects");
    // The same commits as git fast-import packs them: each blob a delta of the one before.
    let elsewhere = tempfile::tempdir().unwrap();
    let imported = elsewhere.path().join("imported");
    let mut import = std::process::Command::new("sh");
    crate::util::hygienic(&mut import, elsewhere.path());
    let status = import
        .arg("-c")
        .arg(
            "git init -q -b main \"$1\" && git fast-export --all \
             | git -C \"$1\" -c fastimport.unpackLimit=0 fast-import --quiet",
        )
        .arg("sh")
        .arg(&imported)
        .current_dir(repo.path(""))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(chosen(&imported), "AsWritten", "a fast-import pack");
    for (order, batch) in [("", ""), ("written", "5")] {
        assert_eq!(
            expected,
            report_in(&imported, order, batch),
            "fast-imported, order {order:?}, batch {batch:?}"
        );
    }
    repo.git_ok(&["repack", "-a", "-d", "-f", "-q"]);
    repo.git_ok(&["prune-packed"]);
    every_order("packed");
    assert_eq!(chosen(&repo.path("")), "ByPath", "a pack-objects pack");
}
