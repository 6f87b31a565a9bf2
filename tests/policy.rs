//! A change cannot quietly switch off the check that judges it (issue 14).
//!
//! Commits that weaken `.leakguard.toml`, `.leakguardignore` or the baseline are listed in every
//! format, naming the commit and what they switch off, and block like a secret unless the range
//! is judged with its base's configuration (`--config-from`) or the change is accepted.

use std::path::Path;
use std::process::Output;

use crate::util::{
    MANIFEST_DIR, TestRepo, code, hygienic, sarif_schema, secrets, stderr, text, validate_json,
    with_remote,
};

fn push_with(repo: &TestRepo, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new("git");
    hygienic(&mut cmd, repo.tmp.path());
    cmd.args(args)
        .envs(env.iter().copied())
        .current_dir(&repo.root)
        .output()
        .expect("run git")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), stderr(out)))
}

/// The scenario: one commit adds a GitHub token and `skip_paths = ["**"]`.
#[test]
fn a_commit_that_adds_a_secret_and_skips_every_path_is_blocked() {
    let (repo, remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "feature"]);
    repo.write(".leakguard.toml", "[settings]\nskip_paths = [\"**\"]\n");
    repo.write("config.env", format!("TOKEN={}\n", secrets::github_pat()));
    repo.add(&[".leakguard.toml", "config.env"]);
    repo.commit_unchecked("tidy the config");
    let commit = repo.head().unwrap();

    // git push: blocked, naming the commit and the setting.
    let out = repo.git(&["push", "origin", "feature"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        !repo
            .git_ok(&["ls-remote", remote.to_str().unwrap()])
            .contains("feature"),
        "the remote ref must not be created"
    );
    assert!(
        err.contains(
            "push blocked: 1 commit about to be pushed weakens leakguard's own configuration"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} tidy the config", &commit[..10])),
        "{err}"
    );
    assert!(
        err.contains(
            ".leakguard.toml:2:15  skip_paths `**`: findings there are suppressed for every detector"
        ),
        "{err}"
    );
    assert!(
        err.contains("1 finding suppressed (1 by path-glob)"),
        "{err}"
    );
    assert!(
        err.contains("LEAKGUARD_ALLOW_CONFIG_CHANGES=1 git push"),
        "{err}"
    );
    assert!(err.contains("git rebase -i "), "{err}");

    // CI's scan of the history: exit 1, in every format.
    let out = repo.leakguard(&["scan", "--git"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(
        report.contains("1 commit weakens leakguard's own configuration"),
        "{report}"
    );
    assert!(report.contains("skip_paths `**`"), "{report}");
    assert!(report.contains("--config-from BASE"), "{report}");

    let out = repo.leakguard(&["scan", "--git", "--format", "json"]);
    assert_eq!(code(&out), 1);
    validate_json(
        &Path::new(MANIFEST_DIR).join("docs/report-v1.schema.json"),
        &text(&out.stdout),
    )
    .unwrap_or_else(|e| panic!("{e}\n{}", text(&out.stdout)));
    let doc = json(&out);
    let changes = &doc["config_changes"];
    assert_eq!(changes["verdict"], "blocks");
    assert_eq!(changes["blocking"], true);
    assert_eq!(changes["changes"][0]["kind"], "skip-paths");
    assert_eq!(changes["changes"][0]["glob"], "**");
    assert_eq!(changes["changes"][0]["file"], ".leakguard.toml");
    assert_eq!(changes["changes"][0]["line"], 2);
    assert_eq!(changes["changes"][0]["commit"]["id"], commit.as_str());
    assert_eq!(
        changes["changes"][0]["commit"]["subject"],
        "tidy the config"
    );
    assert_eq!(doc["findings"][0]["suppressed"], "path-glob");

    let out = repo.leakguard(&["scan", "--git", "--format", "sarif"]);
    assert_eq!(code(&out), 1);
    validate_json(&sarif_schema(), &text(&out.stdout))
        .unwrap_or_else(|e| panic!("{e}\n{}", text(&out.stdout)));
    let doc = json(&out);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    let change = results
        .iter()
        .find(|r| r["ruleId"] == "leakguard/config-change")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(change["level"], "error");
    assert!(
        change["message"]["text"]
            .as_str()
            .unwrap()
            .contains("tidy the config"),
        "{change}"
    );
    assert_eq!(
        change["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".leakguard.toml"
    );
    let index = change["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "leakguard/config-change"
    );

    // Judged with the base's configuration, the secret blocks; the change is listed, not applied.
    let out = repo.leakguard(&["scan", "--git", "main..feature", "--config-from", "main"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(report.contains("1 secret in git history"), "{report}");
    assert!(report.contains("config.env:1:7"), "{report}");
    assert!(
        report.contains("Configuration changes after main (not applied"),
        "{report}"
    );

    // Accepted deliberately, the change passes and is still listed.
    let out = repo.leakguard(&["scan", "--git", "--allow-config-changes"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("accepted for this run"));
    let out = push_with(
        &repo,
        &[("LEAKGUARD_ALLOW_CONFIG_CHANGES", "1")],
        &["push", "-q", "origin", "feature"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("accepted for this run"),
        "{}",
        stderr(&out)
    );
}

/// Each way of weakening, one commit each, named with its commit, file and line; what makes the
/// check stricter is not listed.
#[test]
fn every_kind_of_weakening_is_named() {
    let (repo, _remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "feature"]);
    let steps: [(&str, &str, &str); 7] = [
        (
            ".leakguard.toml",
            "[provider.acme]\nname = \"Acme\"\nsteps = [\"Revoke it\"]\n\n[[detector]]\n\
             id = \"acme-key\"\nprovider = \"acme\"\nkeywords = [\"acme_\"]\n\
             regex = '\\bacme_[a-z0-9]{20}\\b'\nexamples = [\"k = acme_k3j9x0q7w2m5n8b4v6c1\"]\n\
             negative_examples = [\"k = acme_short\"]\n",
            "add our own detector",
        ),
        (
            ".leakguard.toml",
            "[settings]\ndisable = [\"aws-access-key-id\"]\nplaceholders = [\"sandbox\"]\n\n\
             [[allow]]\npaths = [\"tests/**\"]\ndetectors = [\"github-pat-classic\"]\n",
            "loosen the settings",
        ),
        (
            ".leakguard.toml",
            "[provider.github-pat]\nname = \"GitHub\"\nsteps = [\"Nothing to do\"]\n\
             revoke_url = \"https://example.test/\"\n\n[[detector]]\nid = \"github-pat-classic\"\n\
             provider = \"github-pat\"\nkeywords = [\"zzzz\"]\n\
             regex = 'zzzz(?P<secret>[a-z0-9]{40})'\n\
             examples = [\"zzzzk3j9x0q7w2m5n8b4v6c1p7t5r2e9w4q1a8s6d3f0\"]  # leakguard:allow\n\
             negative_examples = [\"zzz\"]\n",
            "override a built-in",
        ),
        (
            ".leakguardignore",
            "github-pat-classic:0123456789abcdef  # not a secret\n",
            "ignore one",
        ),
        (
            ".leakguard-baseline.json",
            "{\"schema\": \"leakguard-baseline/1\", \"findings\": [\
             {\"fingerprint\": \"aws-access-key-id:0123456789abcdef\"}]}\n",
            "adopt a baseline",
        ),
        (".leakguardignore", "", "remove the ignore entry"),
        ("README.md", "hello again\n", "unrelated"),
    ];
    for (file, content, subject) in steps {
        repo.write(file, content);
        repo.add(&[file]);
        repo.commit_unchecked(subject);
    }
    let out = repo.leakguard(&["scan", "--git", "main..feature", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    validate_json(
        &Path::new(MANIFEST_DIR).join("docs/report-v1.schema.json"),
        &text(&out.stdout),
    )
    .unwrap_or_else(|e| panic!("{e}\n{}", text(&out.stdout)));
    let doc = json(&out);
    let found: Vec<(String, String, String, serde_json::Value)> = doc["config_changes"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["commit"]["subject"].as_str().unwrap().to_string(),
                c["file"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["line"].clone(),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, &str, serde_json::Value)> = vec![
        (
            "loosen the settings",
            ".leakguard.toml",
            "disable",
            2.into(),
        ),
        (
            "loosen the settings",
            ".leakguard.toml",
            "remove-detector",
            serde_json::Value::Null,
        ),
        ("loosen the settings", ".leakguard.toml", "allow", 5.into()),
        (
            "loosen the settings",
            ".leakguard.toml",
            "placeholder",
            serde_json::Value::Null,
        ),
        (
            "override a built-in",
            ".leakguard.toml",
            "override-detector",
            6.into(),
        ),
        (
            "override a built-in",
            ".leakguard.toml",
            "override-provider",
            1.into(),
        ),
        ("ignore one", ".leakguardignore", "ignore", 1.into()),
        (
            "adopt a baseline",
            ".leakguard-baseline.json",
            "baseline",
            serde_json::Value::Null,
        ),
    ];
    let expected: Vec<(String, String, String, serde_json::Value)> = expected
        .into_iter()
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d))
        .collect();
    assert_eq!(found, expected, "{doc}");

    // The human report lists the same, commit by commit, oldest first.
    let out = repo.leakguard(&["scan", "--git", "main..feature"]);
    let report = text(&out.stdout);
    assert!(
        report.contains("4 commits weaken leakguard's own configuration"),
        "{report}"
    );
    let order: Vec<usize> = [
        "loosen the settings",
        "override a built-in",
        "ignore one",
        "adopt a baseline",
    ]
    .iter()
    .map(|s| report.find(s).unwrap_or_else(|| panic!("{s}: {report}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{report}");
    for line in [
        ".leakguard.toml:2:12  disables the detector `aws-access-key-id`",
        "removes the repository's detector `acme-key`",
        ".leakguard.toml:5:1  [[allow]] `tests/**`: `github-pat-classic` suppressed there",
        "placeholder word `sandbox`: values containing it are never reported",
        "replaces the built-in detector `github-pat-classic`",
        "replaces the rotation steps and links of the built-in provider `github-pat`",
        ".leakguardignore:1:1  ignores `github-pat-classic:0123456789abcdef` wherever it appears",
        ".leakguard-baseline.json  accepts 1 more secret in the baseline: `aws-access-key-id:0123456789abcdef`",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }

    // A range that only makes the check stricter passes.
    let out = repo.leakguard(&["scan", "--git", "feature~2..feature"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    let out = repo.leakguard(&["scan", "--git", "main..feature~6"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
}

/// `--config-from` reads the configuration, the ignore file and the baseline from the revision,
/// as committed there: a pull request cannot allow its own secret, and the base's accepted
/// findings stay accepted.
#[test]
fn config_from_judges_with_the_base() {
    let repo = TestRepo::without_hook();
    let token = secrets::github_pat();
    let other = secrets::github_pat_2();
    repo.write("old.env", format!("OLD={other}\n"));
    repo.add(&["old.env"]);
    repo.commit_unchecked("an old secret");
    let out = repo.leakguard(&["scan", "--git", "--format", "json"]);
    let fingerprint = json(&out)["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    repo.write(".leakguardignore", format!("{fingerprint}  # rotated\n"));
    repo.add(&[".leakguardignore"]);
    repo.commit_unchecked("accept the old one");
    repo.git_ok(&["branch", "base"]);

    // The branch allows its own secret every way it can; the work tree agrees with it.
    repo.write("new.env", format!("NEW={token}\n"));
    repo.add(&["new.env"]);
    repo.commit_unchecked("a new secret");
    let out = repo.leakguard(&["scan", "--git", "--format", "json"]);
    let new_fp = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "new.env")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    repo.write(
        ".leakguardignore",
        format!("{fingerprint}  # rotated\n{new_fp}\n"),
    );
    repo.write(
        ".leakguard.toml",
        "[settings]\nskip_paths = [\"new.env\"]\n",
    );
    repo.add(&[".leakguardignore", ".leakguard.toml"]);
    repo.commit_unchecked("allow it");

    // Judged with the branch's own configuration (and accepting it): passes.
    let out = repo.leakguard(&["scan", "--git", "base..HEAD", "--allow-config-changes"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    // Judged with the base's: the new secret blocks, the old one stays accepted.
    let out = repo.leakguard(&["scan", "--git", "--config-from", "base", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let doc = json(&out);
    let findings = doc["findings"].as_array().unwrap();
    let by_path = |p: &str| findings.iter().find(|f| f["path"] == p).unwrap();
    assert_eq!(by_path("new.env")["blocking"], true);
    assert_eq!(by_path("old.env")["suppressed"], "ignore-file");
    // Only the commits after the base are reviewed, and their changes hid nothing.
    let changes = &doc["config_changes"];
    assert_eq!(changes["verdict"], "judged-with");
    assert_eq!(changes["base"], "base");
    assert_eq!(changes["blocking"], false);
    let kinds: Vec<&str> = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["skip-paths", "ignore"], "{changes}");

    // Not a revision, or a revision whose file is not a regular file: an error naming it.
    let out = repo.leakguard(&["scan", "--git", "--config-from", "no-such-rev"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot resolve revision `no-such-rev`"),
        "{}",
        stderr(&out)
    );
    repo.git_ok(&["checkout", "-q", "-b", "linked", "base"]);
    std::fs::remove_file(repo.path(".leakguardignore")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.path(".leakguardignore")).unwrap();
    repo.git_ok(&["add", ".leakguardignore"]);
    repo.commit_unchecked("link");
    let out = repo.leakguard(&["scan", "--git", "--config-from", "linked"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("error: linked:.leakguardignore: is a symbolic link, not a regular file"),
        "{}",
        stderr(&out)
    );
    // And the review of a range names a commit that turns one into a link (judged with the
    // base: the work tree's link is refused before anything is scanned).
    let out = repo.leakguard(&["scan", "--git", "base..linked"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the repository"),
        "{}",
        stderr(&out)
    );
    let out = repo.leakguard(&["scan", "--git", "base..linked", "--config-from", "base"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains(".leakguardignore  cannot be judged"),
        "{}",
        text(&out.stdout)
    );
}

/// Each commit of a history with a merge is reviewed against its own first parent: the side
/// commit that loosens the settings and the merge that brings it onto main (whose first parent
/// lacks it) are named; main's commits before and after them, whose parents hold the same
/// configuration as they do, are not.
#[test]
fn a_merged_history_names_each_commit_against_its_own_first_parent() {
    let (repo, _remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "side"]);
    commit_loosened_settings(&repo, "loosen on a side");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.write("main.txt", "main work\n");
    repo.add(&["main.txt"]);
    repo.commit_unchecked("main work");
    repo.git_ok(&["merge", "-q", "--no-ff", "-m", "merge the side", "side"]);
    repo.write("main.txt", "after the merge\n");
    repo.add(&["main.txt"]);
    repo.commit_unchecked("after the merge");

    assert_eq!(commits_named(&repo), ["loosen on a side", "merge the side"]);
}

/// A breadth-first walk can reach a commit's first parent before the commit itself (here the
/// fork point comes before main's first commit after it, through the shorter side): each
/// commit is still judged against its own first parent, so only the commit that loosens the
/// settings is named, not the merge (whose first parent already has them) nor the side.
#[test]
fn a_parent_walked_before_its_child_is_still_its_childs_parent() {
    let (repo, _remote) = with_remote();
    repo.git_ok(&["branch", "side"]);
    commit_loosened_settings(&repo, "loosen on main");
    for work in ["more main work", "still more"] {
        repo.write("main.txt", format!("{work}\n"));
        repo.add(&["main.txt"]);
        repo.commit_unchecked(work);
    }
    repo.git_ok(&["checkout", "-q", "side"]);
    repo.write("side.txt", "side work\n");
    repo.add(&["side.txt"]);
    repo.commit_unchecked("side work");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.git_ok(&["merge", "-q", "--no-ff", "-m", "merge the side", "side"]);

    assert_eq!(commits_named(&repo), ["loosen on main"]);
}

/// Commits `subject`: `.leakguard.toml` disabling a built-in detector.
fn commit_loosened_settings(repo: &TestRepo, subject: &str) {
    repo.write(
        ".leakguard.toml",
        "[settings]\ndisable = [\"aws-access-key-id\"]\n",
    );
    repo.add(&[".leakguard.toml"]);
    repo.commit_unchecked(subject);
}

/// The subjects of the commits `scan --git` names for disabling a detector, in its order.
fn commits_named(repo: &TestRepo) -> Vec<String> {
    let out = repo.leakguard(&["scan", "--git", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let doc = json(&out);
    doc["config_changes"]["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|c| {
            assert_eq!(c["kind"], "disable", "{c}");
            c["commit"]["subject"].as_str().unwrap().to_string()
        })
        .collect()
}
