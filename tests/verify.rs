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
