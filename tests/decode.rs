//! Encoded secrets end to end: a token base64'd in a Kubernetes Secret, in a Docker
//! config.json `auth`, in a Basic header, committed through the real hook with a real
//! `git commit`, reported as its provider's with that provider's rotation steps on the line of
//! the encoded value. Every token is made at run time from random characters.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::util::{
    MANIFEST_DIR, TestRepo, code, sarif_schema, secrets, stderr, text, validate_json,
};

fn b64(s: &str) -> String {
    STANDARD.encode(s)
}

fn blocked(repo: &TestRepo, out: &std::process::Output) -> String {
    let err = stderr(out);
    assert!(!out.status.success(), "commit should be blocked:\n{err}");
    assert_eq!(repo.head(), None, "no commit may be created");
    err
}

/// The first of GitHub's rotation steps, as the catalogue words it.
const GITHUB_STEP: &str = "Open Settings > Developer settings > Personal access tokens";

fn manifest(value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-bot\n  namespace: build\ntype: Opaque\ndata:\n  token: {value}\n"
    )
}

#[test]
fn a_github_token_base64d_in_a_kubernetes_secret_is_reported_as_githubs() {
    let repo = TestRepo::new();
    let token = secrets::github_pat_n(101);
    repo.write("deploy/ci-bot.yaml", manifest(&b64(&token)));
    repo.add(&["deploy/ci-bot.yaml"]);
    let err = blocked(&repo, &repo.commit("add the bot's secret"));
    assert!(
        err.contains(
            "deploy/ci-bot.yaml:8:10  GitHub personal access token (classic) (base64-encoded)"
        ),
        "{err}"
    );
    assert!(err.contains(GITHUB_STEP), "GitHub's steps: {err}");
    assert!(
        !err.contains("Kubernetes Secret manifest"),
        "the token is GitHub's, not the manifest's: {err}"
    );
    assert!(
        !err.contains(&token),
        "the decoded token is redacted: {err}"
    );
}

#[test]
fn a_github_token_in_a_docker_config_auth_is_reported_as_githubs() {
    let repo = TestRepo::new();
    let token = secrets::github_pat_n(102);
    let auth = b64(&format!("octocat:{token}"));
    repo.write(
        ".docker/config.json",
        format!("{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n"),
    );
    repo.add(&[".docker/config.json"]);
    let err = blocked(&repo, &repo.commit("registry login"));
    assert!(
        err.contains(
            ".docker/config.json:4:16  GitHub personal access token (classic) (base64-encoded)"
        ),
        "{err}"
    );
    assert!(err.contains(GITHUB_STEP), "{err}");
}

#[test]
fn a_github_token_in_a_basic_header_is_reported_as_githubs() {
    let repo = TestRepo::new();
    let token = secrets::github_pat_n(103);
    let basic = b64(&format!("ci-bot:{token}"));
    repo.write(
        "scripts/fetch.py",
        format!(
            "import urllib.request\n\nreq = urllib.request.Request(\n    \"https://api.github.com/user\",\n    headers={{\"Authorization\": \"Basic {basic}\"}},\n)\n"
        ),
    );
    repo.add(&["scripts/fetch.py"]);
    let err = blocked(&repo, &repo.commit("fetch the user"));
    assert!(
        err.contains(
            "scripts/fetch.py:5:38  GitHub personal access token (classic) (base64-encoded)"
        ),
        "{err}"
    );
    assert!(err.contains(GITHUB_STEP), "{err}");
    assert!(
        !err.contains("HTTP Basic credentials"),
        "one finding, the provider's: {err}"
    );
}

/// Values that decode to binary data or to harmless text, hashes and long identifiers do not
/// block a commit.
#[test]
fn encoded_values_without_a_secret_do_not_block() {
    let repo = TestRepo::new();
    let binary: Vec<u8> = (0u8..48)
        .map(|i| i.wrapping_mul(151).wrapping_add(7))
        .collect();
    repo.write(
        "assets/data.yaml",
        format!(
            "icon: {}\nreadme: {}\nchecksum: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\nnote: {}\n",
            STANDARD.encode(&binary),
            b64("This chart installs the reporting service and its cron jobs."),
            "some_rather_long_identifier_name_that_reads_as_base64",
        ),
    );
    repo.write(
        "deploy/config.yaml",
        manifest(&b64("not-a-token")).replace("kind: Secret", "kind: ConfigMap"),
    );
    repo.add(&["assets/data.yaml", "deploy/config.yaml"]);
    let out = repo.commit("assets");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(repo.head().is_some());
}

/// The JSON report says how the secret was encoded, validates against the schema, and the
/// fingerprint is the decoded token's: the same as the token written plainly. SARIF carries
/// the encoding too.
#[test]
fn reports_name_the_encoding_and_fingerprint_the_decoded_token() {
    let repo = TestRepo::without_hook();
    let token = secrets::github_pat_n(104);
    let docker = b64(&format!(
        "{{\"auths\":{{\"registry.example.test\":{{\"auth\":\"{}\"}}}}}}",
        b64(&format!("deploy:{token}"))
    ));
    repo.write("plain.env", format!("GH_TOKEN={token}\n"));
    repo.write("deploy/secret.yaml", manifest(&b64(&token)));
    repo.write(
        "deploy/pull.yaml",
        format!("kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {docker}\n"),
    );
    repo.add(&["plain.env", "deploy/secret.yaml", "deploy/pull.yaml"]);

    let out = repo.leakguard(&["scan", "--staged", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let doc = text(&out.stdout);
    let schema = Path::new(MANIFEST_DIR).join("docs/report-v1.schema.json");
    validate_json(&schema, &doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
    assert!(!doc.contains(&token), "redacted: {doc}");
    let report: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let by_path = |p: &str| {
        findings
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("no finding in {p}: {doc}"))
    };
    let (plain, secret, pull) = (
        by_path("plain.env"),
        by_path("deploy/secret.yaml"),
        by_path("deploy/pull.yaml"),
    );
    assert_eq!(findings.len(), 3, "{doc}");
    for f in [plain, secret, pull] {
        assert_eq!(f["detector"], "github-pat-classic", "{f}");
        assert_eq!(f["fingerprint"], plain["fingerprint"], "{f}");
    }
    assert!(plain.get("encoding").is_none(), "{plain}");
    assert_eq!(secret["encoding"], serde_json::json!(["base64"]));
    assert_eq!(
        (secret["line"].clone(), secret["column"].clone()),
        (8.into(), 10.into())
    );
    assert_eq!(pull["encoding"], serde_json::json!(["base64", "base64"]));

    let out = repo.leakguard(&["scan", "--staged", "--format", "sarif"]);
    let sarif = text(&out.stdout);
    validate_json(&sarif_schema(), &sarif).unwrap_or_else(|e| panic!("{e}\n{sarif}"));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let encoded: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["properties"]["encoding"].is_array())
        .collect();
    assert_eq!(encoded.len(), 2, "{results:?}");
    assert!(
        encoded.iter().all(|r| r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("(base64-encoded")),
        "{encoded:?}"
    );
}
