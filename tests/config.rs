use crate::util::{TestRepo, code, secrets, stderr};

#[test]
fn a_malformed_config_blocks_with_file_line_and_column() {
    let repo = TestRepo::new();
    repo.write(
        ".leakguard.toml",
        "[settings]\ndisable = []\nskip_pahts = [\"x\"]\n",
    );
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    let out = repo.commit("a");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("leakguard: error: .leakguard.toml:3:1: unknown field `skip_pahts`"),
        "{err}"
    );
    assert!(err.contains("--no-verify"), "{err}");
    assert_eq!(
        err.lines().count(),
        2,
        "one line of error, one of hint: {err}"
    );
    assert_eq!(code(&repo.leakguard(&["hook", "pre-commit"])), 2);
}

#[test]
fn config_errors_are_exit_2_with_a_location() {
    let cases = [
        (
            "[settings]\ndisable = [\"no-such-detector\"]\n",
            ".leakguard.toml:2:12: cannot disable `no-such-detector`",
        ),
        ("x = \n", ".leakguard.toml:1:5: "),
        (
            "[[detector]]\nid = \"mine\"\nprovider = \"acme\"\nname = \"n\"\nseverity = \"high\"\nkeywords = [\"acme\"]\nregex = 'acme_(['\nexamples = [\"acme_x\"]\nnegative_examples = [\"y\"]\n[provider.acme]\nname = \"Acme\"\nsteps = [\"rotate\"]\n",
            ".leakguard.toml:1:1: detector `mine`: invalid regex: unclosed",
        ),
        (
            "[settings]\nskip_paths = [\"a[\"]\n",
            ".leakguard.toml:2:15: invalid glob `a[`",
        ),
    ];
    for (config, expected) in cases {
        let repo = TestRepo::new();
        repo.write(".leakguard.toml", config);
        let out = repo.leakguard(&["hook", "pre-commit"]);
        assert_eq!(code(&out), 2, "{config}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with(&format!("leakguard: error: {expected}")),
            "{config}: {}",
            stderr(&out)
        );
    }
}

const CUSTOM: &str = r#"
[provider.acme]
name = "Acme Corp"
revoke_url = "https://console.acme.test/keys"
steps = ["Revoke the key on the Acme console", "Issue a new one"]

[[detector]]
id = "acme-api-key"
provider = "acme"
name = "Acme API key"
severity = "high"
keywords = ["acme_"]
regex = '\b(?P<secret>acme_[a-z0-9]{24})\b'
min_entropy = 3.0
examples = ["key = acme_k3j9x0q7w2m5n8b4v6c1z0l9"]
negative_examples = ["key = acme_short"]
"#;

#[test]
fn a_custom_detector_blocks_with_its_own_rotation_steps() {
    let repo = TestRepo::new();
    repo.write(".leakguard.toml", CUSTOM);
    repo.write("svc.cfg", "acme = acme_p0o9i8u7y6t5r4e3w2q1a2s3\n");
    repo.add(&["svc.cfg"]);
    let out = repo.commit("svc");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("Acme Corp"), "{err}");
    assert!(
        err.contains("svc.cfg:1:8  Acme API key [acme-api-key, high]"),
        "{err}"
    );
    assert!(err.contains("https://console.acme.test/keys"), "{err}");
}

#[test]
fn a_custom_detector_whose_example_fails_is_rejected_at_load() {
    let repo = TestRepo::new();
    repo.write(
        ".leakguard.toml",
        CUSTOM.replace("acme_k3j9x0q7w2m5n8b4v6c1z0l9", "acme_tooshort"),
    );
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(".leakguard.toml:7:1: detector `acme-api-key`: example 1 is not found: the regex does not match"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn disabling_a_builtin_detector() {
    let repo = TestRepo::new();
    repo.write(
        ".leakguard.toml",
        "[settings]\ndisable = [\"aws-access-key-id\"]\n",
    );
    repo.write("ids.txt", format!("{}\n", secrets::aws_key_id()));
    repo.add(&["ids.txt"]);
    let out = repo.commit("ids");
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = crate::util::text(&repo.leakguard(&["detectors"]).stdout);
    assert!(
        listing.contains("aws-access-key-id"),
        "disabled detectors stay visible"
    );
    assert!(
        listing.contains("disabled by .leakguard.toml:2:12"),
        "{listing}"
    );
}

#[test]
fn skip_paths_suppress_and_are_counted() {
    let repo = TestRepo::new();
    repo.write(
        ".leakguard.toml",
        "[settings]\nskip_paths = [\"fixtures/**\"]\n",
    );
    repo.write(
        "fixtures/creds.json",
        format!("{{\"t\": \"{}\"}}\n", secrets::github_pat()),
    );
    repo.add(&["fixtures/creds.json", ".leakguard.toml"]);
    let out = repo.commit("fixtures");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 finding suppressed (1 by path-glob)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pragmas_mark_false_positives() {
    let repo = TestRepo::new();
    let t = secrets::github_pat();
    repo.write(
        "test_fixture.py",
        format!(
            "A = '{t}'  # leakguard:allow test fixture\n\
             # leakguard:allow-next-line github-pat-classic\n\
             B = '{t}'\n\
             C = '{t}'  // leakguard:allow github-pat-classic\n"
        ),
    );
    repo.add(&["test_fixture.py"]);
    let out = repo.commit("fixture");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 findings suppressed (3 by pragma)"),
        "{}",
        stderr(&out)
    );

    // A pragma for another detector does not cover this one.
    repo.write(
        "other.py",
        format!("D = '{t}'  # leakguard:allow aws-access-key-id\n"),
    );
    repo.add(&["other.py"]);
    let head = repo.head();
    let out = repo.commit("other");
    assert!(!out.status.success());
    assert_eq!(repo.head(), head);
    assert!(stderr(&out).contains("other.py:1:6"), "{}", stderr(&out));
}

#[test]
fn low_severity_findings_warn_without_blocking() {
    let repo = TestRepo::new();
    let config = CUSTOM.replace("severity = \"high\"", "severity = \"low\"");
    repo.write(".leakguard.toml", config);
    repo.write("public.js", "const k = 'acme_p0o9i8u7y6t5r4e3w2q1a2s3';\n");
    repo.add(&["public.js"]);
    let out = repo.commit("public key");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: 1 low-severity finding"), "{err}");
    assert!(
        err.contains("public.js:1:12  Acme API key [acme-api-key]"),
        "{err}"
    );
}
