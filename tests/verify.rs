//! Liveness checks and revocations against a fake issuer on 127.0.0.1 (`issuer.rs`): live,
//! invalid, timeout, rate limit, malformed answer, and a redirect to another host (refused).

use std::time::Duration;

use leakguard::verify::spec::{Check, CheckSyntax};
use leakguard::verify::{Client, Status, Target};

use crate::issuer::{Answer, Issuer};

fn check(text: &str, revoke: bool) -> Check {
    let syntax: CheckSyntax = toml::from_str(text).unwrap();
    Check::from_syntax(&syntax, revoke).unwrap()
}

const SLACK: &str = r#"
request = "POST https://slack.com/api/auth.test"
headers = { Authorization = "Bearer {secret}" }
live = { status = [200], body = '"ok":true' }
invalid = { status = [200], body = '"invalid_auth"' }
"#;

fn client(issuer: &Issuer) -> Client {
    let pem = std::fs::read(issuer.ca_path()).unwrap();
    Client::new(Some((issuer.address.clone(), pem))).unwrap()
}

fn verify_one(issuer: &Issuer, check: &Check, secret: &str) -> Status {
    client(issuer)
        .verify_all(&[Target {
            check: Some(check),
            secret,
            pair: None,
        }])
        .remove(0)
}

#[test]
fn live_and_invalid_answers_are_told_apart() {
    let issuer = Issuer::start(|seen| match seen.header("authorization") {
        Some("Bearer xoxb-live") => Answer::new(200, r#"{"ok":true,"team":"t"}"#),
        _ => Answer::new(200, r#"{"ok":false,"error":"invalid_auth"}"#),
    });
    let c = check(SLACK, false);
    assert_eq!(verify_one(&issuer, &c, "xoxb-live"), Status::Live);
    assert_eq!(verify_one(&issuer, &c, "xoxb-revoked"), Status::Invalid);
    let seen = issuer.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/api/auth.test")
    );
}

#[test]
fn rate_limits_timeouts_and_odd_answers_are_unknown() {
    let issuer = Issuer::start(|seen| match seen.header("authorization") {
        Some("Bearer tok-7731-slow") => Answer {
            delay: Duration::from_secs(8),
            ..Answer::new(200, r#"{"ok":true}"#)
        },
        Some("Bearer tok-7732-lim") => Answer::new(429, "slow down"),
        Some("Bearer tok-7733-err") => Answer::new(500, "oops"),
        _ => Answer::new(200, "<html>not json</html>"),
    });
    let c = check(SLACK, false);
    let statuses = client(&issuer).verify_all(&[
        Target {
            check: Some(&c),
            secret: "tok-7731-slow",
            pair: None,
        },
        Target {
            check: Some(&c),
            secret: "tok-7732-lim",
            pair: None,
        },
        Target {
            check: Some(&c),
            secret: "tok-7733-err",
            pair: None,
        },
        Target {
            check: Some(&c),
            secret: "odd",
            pair: None,
        },
        Target {
            check: None,
            secret: "nothing-to-check",
            pair: None,
        },
    ]);
    let reasons: Vec<String> = statuses
        .iter()
        .map(|s| match s {
            Status::Unknown(why) => why.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(reasons[0].contains("timed out"), "{reasons:?}");
    assert!(reasons[1].contains("429"), "{reasons:?}");
    assert!(reasons[2].contains("500"), "{reasons:?}");
    assert!(reasons[3].contains("unexpected"), "{reasons:?}");
    assert!(reasons[4].contains("no liveness check"), "{reasons:?}");
    assert!(!reasons.iter().any(|r| r.contains("tok-77")), "{reasons:?}");
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = Issuer::start(|_| Answer::new(200, r#"{"ok":true}"#));
    let target = format!("https://{}/steal", elsewhere.address);
    let issuer = Issuer::start(move |_| Answer {
        headers: vec![("location".into(), target.clone())],
        ..Answer::new(302, "")
    });
    let c = check(SLACK, false);
    match verify_one(&issuer, &c, "xoxb-secret") {
        Status::Unknown(why) => assert!(why.contains("redirect"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the secret went to the redirect target"
    );
}

#[test]
fn a_test_server_must_be_on_loopback() {
    let pem = b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".to_vec();
    assert!(Client::new(Some(("10.0.0.1:443".into(), pem))).is_err());
}

#[test]
fn a_revocation_reports_what_the_issuer_confirmed() {
    let issuer = Issuer::start(|seen| {
        if seen.body.contains("ghp_known") {
            Answer::new(202, "")
        } else {
            Answer::new(422, r#"{"message":"Validation Failed"}"#)
        }
    });
    let c = check(
        r#"
request = "POST https://api.github.com/credentials/revoke"
headers = { Accept = "application/vnd.github+json" }
body = '{"credentials":["{secret}"]}'
live = { status = [202] }
what = "GitHub revokes the token for whoever owns it."
"#,
        true,
    );
    let client = client(&issuer);
    assert_eq!(client.revoke(&c, "ghp_known", None), Ok(()));
    let err = client.revoke(&c, "ghp_other", None).unwrap_err();
    assert!(err.contains("422") && !err.contains("ghp_other"), "{err}");
}

// ------------------------------------------------------------------------------------------
// Through the binary: `scan --verify`, the hook with `verify = true`, `leakguard revoke`.

use std::process::{Command, Output};

use leakguard::fingerprint::Fingerprint;

use crate::util::{TestRepo, code, hygienic, secrets, stderr, text};

/// A GitHub-like issuer: `live` is accepted by /user, everything else is refused; the
/// revocation API accepts any token.
fn github_issuer(live: String) -> Issuer {
    Issuer::start(
        move |seen| match (seen.method.as_str(), seen.path.as_str()) {
            ("GET", "/user") if seen.header("authorization") == Some(&format!("Bearer {live}")) => {
                Answer::new(200, r#"{"login":"octocat"}"#)
            }
            ("GET", "/user") => Answer::new(401, r#"{"message":"Bad credentials"}"#),
            ("POST", "/credentials/revoke") => Answer::new(202, ""),
            _ => Answer::new(404, ""),
        },
    )
}

fn with_issuer<'c>(cmd: &'c mut Command, issuer: &Issuer) -> &'c mut Command {
    cmd.env("LEAKGUARD_VERIFY_TEST_SERVER", &issuer.address)
        .env("LEAKGUARD_VERIFY_TEST_CA", issuer.ca_path())
}

fn leakguard(repo: &TestRepo, issuer: &Issuer, args: &[&str]) -> Output {
    let mut cmd = repo.leakguard_command(&repo.root, args);
    with_issuer(&mut cmd, issuer)
        .output()
        .expect("run leakguard")
}

fn git_commit(repo: &TestRepo, issuer: &Issuer, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("git");
    hygienic(&mut cmd, repo.tmp.path());
    with_issuer(&mut cmd, issuer);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(["commit", "-q", "-m", "add config"])
        .current_dir(&repo.root)
        .output()
        .expect("run git")
}

#[test]
fn scan_verify_labels_each_finding_and_puts_live_ones_first() {
    let (live, dead) = (secrets::github_pat(), secrets::github_pat_2());
    let issuer = github_issuer(live.clone());
    let repo = TestRepo::without_hook();
    repo.write("ci.env", format!("OLD_TOKEN={dead}\nGITHUB_TOKEN={live}\n"));
    let json = leakguard(
        &repo,
        &issuer,
        &["scan", "--verify", "--format", "json", "ci.env"],
    );
    assert_eq!(code(&json), 1, "{}", stderr(&json));
    let schema = std::path::Path::new(crate::util::MANIFEST_DIR).join("docs/report-v1.schema.json");
    crate::util::validate_json(&schema, &text(&json.stdout)).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let status = |line: u64| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["line"] == line)
            .map(|f| f["verification"]["status"].clone())
    };
    assert_eq!(status(2), Some(serde_json::json!("live")), "{report:#}");
    assert_eq!(status(1), Some(serde_json::json!("invalid")), "{report:#}");
    let human = leakguard(&repo, &issuer, &["scan", "--verify", "ci.env"]);
    let out = text(&human.stdout);
    assert!(out.contains("(1 live: rotate now)"), "{out}");
    let (first, second) = (
        out.find("ci.env:2:").unwrap(),
        out.find("ci.env:1:").unwrap(),
    );
    assert!(first < second, "the live finding comes first:\n{out}");
    assert!(
        out.contains("LIVE its issuer accepted it: rotate now"),
        "{out}"
    );
    assert!(!out.contains(&live) && !out.contains(&dead), "{out}");
}

#[test]
fn a_repository_asks_for_checks_and_the_hook_verifies_once_the_person_allows_them() {
    let live = secrets::github_pat();
    let issuer = github_issuer(live.clone());
    let repo = TestRepo::new();
    repo.write(".leakguard.toml", "[settings]\nverify = true\n");
    repo.write("deploy.sh", format!("export GITHUB_TOKEN={live}\n"));
    repo.add(&[".leakguard.toml", "deploy.sh"]);

    // The repository's word alone sends nothing: a cloned repository is not trusted to open
    // connections with the secrets of the person committing. The note says how to allow it.
    let out = git_commit(&repo, &issuer, &[]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(issuer.requests().is_empty(), "{:?}", issuer.requests());
    assert!(
        stderr(&out)
            .contains("leakguard: note: this repository's configuration asks for liveness checks")
            && stderr(&out).contains("git config leakguard.verify true"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("rotate now"), "{}", stderr(&out));

    // The person allows it for this clone: the hook verifies, and still blocks.
    repo.git_ok(&["config", "leakguard.verify", "true"]);
    let out = git_commit(&repo, &issuer, &[]);
    assert_ne!(code(&out), 0, "a live secret blocks");
    assert!(stderr(&out).contains("rotate now"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("asks for liveness"),
        "{}",
        stderr(&out)
    );
    assert_eq!(issuer.requests().len(), 1);
    assert!(repo.head().is_none(), "nothing was committed");

    // A setting git cannot read as a boolean is an error naming it, not a silent default.
    repo.git_ok(&["config", "leakguard.verify", "maybe"]);
    let out = git_commit(&repo, &issuer, &[]);
    assert_ne!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leakguard: error: git config leakguard.verify: "),
        "{}",
        stderr(&out)
    );
    assert!(repo.head().is_none(), "nothing was committed");
    assert_eq!(issuer.requests().len(), 1, "no request after the first");
}

#[test]
fn without_an_opt_in_nothing_is_sent() {
    let live = secrets::github_pat();
    let issuer = github_issuer(live.clone());
    let repo = TestRepo::new();
    repo.write("deploy.sh", format!("export GITHUB_TOKEN={live}\n"));
    repo.add(&["deploy.sh"]);
    assert_ne!(code(&git_commit(&repo, &issuer, &[])), 0);
    assert!(issuer.requests().is_empty(), "no opt-in, no request");

    // The person's own consent is overridden by their environment or a flag, whatever the
    // repository asks.
    repo.write(".leakguard.toml", "[settings]\nverify = true\n");
    repo.add(&[".leakguard.toml"]);
    repo.git_ok(&["config", "leakguard.verify", "true"]);
    assert_ne!(
        code(&git_commit(&repo, &issuer, &[("LEAKGUARD_VERIFY", "0")])),
        0
    );
    let out = leakguard(&repo, &issuer, &["scan", "--no-verify-keys", "deploy.sh"]);
    assert_eq!(code(&out), 1);
    assert!(issuer.requests().is_empty(), "{:?}", issuer.requests());
}

#[test]
fn revoke_sends_the_token_to_its_revocation_api_once_confirmed() {
    let token = secrets::github_pat();
    let issuer = github_issuer(String::new());
    let repo = TestRepo::without_hook();
    repo.write("app/settings.py", format!("TOKEN = \"{token}\"\n"));
    repo.add(&["app/settings.py"]);
    let fp = Fingerprint::of("github-pat-classic", token.as_bytes()).to_string();

    let mut asked = repo.leakguard_command(&repo.root, &["revoke", &fp]);
    with_issuer(&mut asked, &issuer);
    let declined = {
        use std::io::Write;
        let mut child = asked
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"n\n").unwrap();
        child.wait_with_output().unwrap()
    };
    assert_eq!(code(&declined), 1);
    assert!(
        text(&declined.stdout).contains("not revoked"),
        "{}",
        text(&declined.stdout)
    );
    assert!(stderr(&declined).contains("POST https://api.github.com/credentials/revoke"));
    assert!(
        issuer.requests().is_empty(),
        "nothing is sent before it is confirmed"
    );

    let out = leakguard(&repo, &issuer, &["revoke", &fp, "--yes"]);
    assert_eq!(code(&out), 0, "{}{}", text(&out.stdout), stderr(&out));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("leakguard: revoked {fp}")),
        "{lines:?}"
    );
    let seen = issuer.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/credentials/revoke");
    assert_eq!(seen[0].body, format!(r#"{{"credentials":["{token}"]}}"#));
    assert!(!stderr(&out).contains(&token) && !text(&out.stdout).contains(&token));
}

#[test]
fn revoke_prints_the_rotation_steps_where_there_is_no_revocation_call() {
    let key = secrets::aws_key_id();
    let issuer = github_issuer(String::new());
    let repo = TestRepo::without_hook();
    repo.write("cfg.ini", format!("aws_access_key_id = {key}\n"));
    let fp = Fingerprint::of("aws-access-key-id", key.as_bytes()).to_string();
    let out = leakguard(&repo, &issuer, &["revoke", &fp, "--yes"]);
    assert_eq!(code(&out), 1);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("has no revocation call"), "{stdout}");
    assert!(stdout.contains("  1. "), "{stdout}");
    assert!(issuer.requests().is_empty());
    let missing = leakguard(
        &repo,
        &issuer,
        &["revoke", "aws-access-key-id:0123456789abcdef"],
    );
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no secret with the fingerprint"),
        "{}",
        stderr(&missing)
    );
}
