//! Whole-output snapshots (insta) of what a developer or CI sees: the human report of a blocked
//! commit, a blocked push, a clean commit and an error, and the JSON and SARIF reports. Each
//! snapshot is the transcript of a real run (exit code, stdout, stderr), with what changes from
//! run to run filtered: the temporary directory, durations and leakguard's version.
//!
//! The detector is the repository's own (`.leakguard.toml` below), so that the snapshots show
//! the report's shape and do not change when the built-in catalogue does. Snapshots live in
//! `tests/snapshots/`; review changes with `cargo insta review` (or delete the `.snap` file and
//! run the test once). On CI (`CI` set) insta never writes them: a difference fails.

use std::process::Output;

use regex::Regex;

use crate::util::{TestRepo, code, text};

const CONFIG: &str = r#"# The repository's own detector, so that these reports do not depend on the built-ins.
[provider.acme]
name = "Acme Cloud"
revoke_url = "https://console.acme.test/keys"
steps = [
  "Revoke the key on the Acme console (Keys > Revoke).",
  "Create a replacement and store it in the secret manager.",
]
cli = ["acme keys revoke <key-id>"]
docs = "https://docs.acme.test/keys"

[[detector]]
id = "acme-api-key"
provider = "acme"
name = "Acme API key"
severity = "high"
keywords = ["acmk_"]
regex = '''\bacmk_[a-z0-9]{24}\b'''
min_entropy = 3.5
examples = ["ACME_KEY=acmk_q7vn2klx9tzw4mpb8hsyc3jd"]
negative_examples = ["ACME_KEY=acmk_short"]
"#;

/// Keys of the repository's own detector, random in its documented shape.
const KEY_1: &str = "acmk_h3kq9zt2vw8xm4rb7pj5nc6y";
const KEY_2: &str = "acmk_w5tz2qk8rm3vx9hb4nj7cp6d";
const KEY_3: &str = "acmk_r8vm4kx2tq9zb7wn3hj6pc5y";

/// A repository with the hooks, the detector's config committed, and `files` written and
/// staged.
fn repo_with(files: &[(&str, String)]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".leakguard.toml", CONFIG);
    repo.add(&[".leakguard.toml"]);
    repo.commit_unchecked("config");
    for (path, content) in files {
        repo.write(path, content);
        repo.add(&[path]);
    }
    repo
}

/// Exit code, stdout and stderr, filtered.
fn transcript(repo: &TestRepo, out: &Output) -> String {
    filter(
        repo,
        &format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            code(out),
            text(&out.stdout),
            text(&out.stderr)
        ),
    )
}

fn filter(repo: &TestRepo, s: &str) -> String {
    let tmp = repo.tmp.path().to_str().expect("UTF-8 temp path");
    let s = s.replace(tmp, "[TEMP]");
    let s = s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    let time = Regex::new(r"in \d+(\.\d+)? m?s\)").unwrap();
    let s = time.replace_all(&s, "in [TIME])");
    let elapsed = Regex::new(r#""elapsed_ms": [0-9.e+-]+"#).unwrap();
    let s = elapsed.replace_all(&s, r#""elapsed_ms": "[TIME]""#);
    // git's own last word on a rejected push, worded by git's version.
    let push = Regex::new(r"(?m)^error: failed to push some refs to .*$").unwrap();
    push.replace_all(&s, "[git: the push was rejected]")
        .into_owned()
}

fn blocked_files() -> Vec<(&'static str, String)> {
    vec![
        (
            "src/app.py",
            format!("import os\n\nACME_KEY = \"{KEY_1}\"\nregion = \"eu\"\n"),
        ),
        (
            "deploy/prod.env",
            format!("ACME_KEY={KEY_2}\n# leakguard:allow-next-line\nACME_FIXTURE={KEY_3}\n"),
        ),
    ]
}

#[test]
fn a_blocked_commit() {
    let repo = repo_with(&blocked_files());
    let out = repo.commit("add the app");
    insta::assert_snapshot!(transcript(&repo, &out));
}

#[test]
fn a_clean_commit() {
    let repo = repo_with(&[(
        "src/app.py",
        "import os\n\nKEY = os.environ[\"ACME_KEY\"]\n".into(),
    )]);
    let out = repo.commit("read the key from the environment");
    insta::assert_snapshot!(transcript(&repo, &out));
}

#[test]
fn a_blocked_push() {
    let repo = TestRepo::without_hook();
    repo.install_hook("pre-push");
    repo.add_bare_remote();
    repo.write(".leakguard.toml", CONFIG);
    repo.write("README.md", "# app\n");
    repo.add(&[".leakguard.toml", "README.md"]);
    repo.commit_unchecked("config");
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);
    for (i, (path, content)) in blocked_files().into_iter().enumerate() {
        repo.write(path, content);
        repo.add(&[path]);
        repo.commit_unchecked(&format!("step {}", i + 1));
    }
    let out = repo.git(&["push", "-q", "origin", "main"]);
    insta::assert_snapshot!(transcript(&repo, &out));
}

/// A configuration error blocks with exit 2, one line saying what is wrong and where, and the
/// deliberate bypass.
#[test]
fn an_error() {
    let repo = repo_with(&[("src/app.py", "x = 1\n".into())]);
    repo.write(
        ".leakguard.toml",
        format!("[settings]\ndisable = [\"acme-api-keys\"]\n\n{CONFIG}"),
    );
    let out = repo.leakguard(&["hook", "pre-commit"]);
    insta::assert_snapshot!(transcript(&repo, &out));
}

#[test]
fn the_json_report() {
    let repo = repo_with(&blocked_files());
    let out = repo.leakguard(&["scan", "--format", "json", "src", "deploy"]);
    insta::assert_snapshot!(transcript(&repo, &out));
}

/// The SARIF log, with the rules of the detectors that found something: the other rules (one
/// per detector in use, several hundred) are counted, not shown, so that a catalogue change does
/// not change this snapshot. Each result's `ruleIndex` is checked against its rule and then
/// shown as `[INDEX]`, for the same reason.
#[test]
fn the_sarif_report() {
    let repo = repo_with(&blocked_files());
    let out = repo.leakguard(&["scan", "--format", "sarif", "src", "deploy"]);
    let mut log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let run = &mut log["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .clone();
    let mut shown = Vec::new();
    for result in run["results"].as_array_mut().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        if !shown.contains(&rules[index]) {
            shown.push(rules[index].clone());
        }
        result["ruleIndex"] = "[INDEX]".into();
    }
    assert!(rules.len() > 100, "one rule per detector: {}", rules.len());
    run["tool"]["driver"]["rules"] = shown.into();
    let shown = serde_json::to_string_pretty(&log).expect("serialize");
    let filtered = Output {
        stdout: format!("{shown}\n").into_bytes(),
        ..out
    };
    insta::assert_snapshot!(transcript(&repo, &filtered));
}
