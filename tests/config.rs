use crate::util::{TestRepo, assert_blocking_error, code, secrets, stderr};

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
    assert_eq!(repo.head(), None);
    let reason = ".leakguard.toml:3:1: unknown field `skip_pahts`";
    assert!(stderr(&out).starts_with(&format!("leakguard: error: {reason}")));
    // The hook itself exits 2 (git's commit exits 1 whatever the hook's status).
    let hints = assert_blocking_error(&repo.leakguard(&["hook", "pre-commit"]), reason);
    assert_eq!(hints, ["leakguard: hint: did you mean `skip_paths`?"]);
}

/// The configuration is built while the index is read (on two threads); a broken
/// configuration is still the error reported when the index is unreadable too, as when the two
/// ran one after the other, and an unreadable index alone is reported as itself.
#[test]
fn a_config_error_is_reported_before_an_unreadable_index() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    std::fs::write(repo.path(".git/index"), b"DIRC garbage, not an index").unwrap();
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read the index"),
        "{}",
        stderr(&out)
    );

    repo.write(".leakguard.toml", "[settings]\nskip_pahts = [\"x\"]\n");
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("leakguard: error: .leakguard.toml:2:1: unknown field"),
        "{}",
        stderr(&out)
    );
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
        (
            "[settings]\ndisable = [\"aws-access-key-id\", \"aws-access-key-id\"]\n",
            ".leakguard.toml:2:33: `aws-access-key-id` is already disabled at .leakguard.toml:2:12",
        ),
        (
            "[provider.acme]\nname = \"Acme\"\nsteps = []\n",
            ".leakguard.toml:1:1: provider `acme` has no rotation `steps`",
        ),
        (
            "[[detector]]\nid = \"mine\"\nprovider = \"acme\"\nname = \"n\"\nseverity = \"hgh\"\n",
            ".leakguard.toml:5:12: unknown variant `hgh`",
        ),
        (
            "[[allow]]\npaths = [\"tests/**\"]\ndetectors = [\"github-pat-clasic\"]\n",
            ".leakguard.toml:3:14: [[allow]] names `github-pat-clasic`: no detector has that id",
        ),
        (
            "[[allow]]\npaths = [\"tests/**\"]\nreasons = \"x\"\n",
            ".leakguard.toml:3:1: unknown field `reasons`",
        ),
        (
            "[[allow]]\npaths = []\n",
            ".leakguard.toml:1:1: [[allow]] needs at least one glob in `paths`",
        ),
        (
            "[[allow]]\npaths = [\"ok/**\", \"{a\"]\n",
            ".leakguard.toml:2:19: invalid glob `{a`",
        ),
    ];
    let not_utf8: &[u8] = b"a = \"ok\xff\"\n";
    let cases = cases
        .iter()
        .map(|(c, e)| (c.as_bytes(), *e))
        .chain([(not_utf8, ".leakguard.toml:1:8: not valid UTF-8")]);
    for (bytes, expected) in cases {
        let config = String::from_utf8_lossy(bytes);
        let repo = TestRepo::new();
        repo.write(".leakguard.toml", bytes);
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
        err.contains("public.js:1:12  Acme API key [acme-api-key]  fingerprint acme-api-key:"),
        "{err}"
    );
    // Its fingerprint is enough to silence it.
    let fp = err
        .split("fingerprint ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap();
    assert_eq!(code(&repo.leakguard(&["ignore", fp])), 0);
    repo.write(
        "other.js",
        "export const key = 'acme_p0o9i8u7y6t5r4e3w2q1a2s3';\n",
    );
    repo.add(&["other.js"]);
    let out = repo.commit("same key again");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 finding suppressed (1 by ignore-file)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn allow_rules_suppress_only_their_detectors_under_their_paths() {
    let repo = TestRepo::new();
    repo.write(
        ".leakguard.toml",
        "[[allow]]\n\
         paths = [\"tests/**\"]\n\
         detectors = [\"github-pat-classic\"]\n\
         reason = \"synthetic tokens\"\n",
    );
    repo.write(
        "tests/fixture.env",
        format!("T={}\n", secrets::github_pat()),
    );
    repo.add(&[".leakguard.toml", "tests/fixture.env"]);
    let out = repo.commit("fixture");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 finding suppressed (1 by path-glob)"),
        "{}",
        stderr(&out)
    );
    // Another detector under the same path, and the same detector elsewhere, still block.
    repo.write(
        "tests/fixture.env",
        format!("T={}\nK={}\n", secrets::github_pat(), secrets::aws_key_id()),
    );
    repo.write("src.env", format!("T={}\n", secrets::github_pat_2()));
    repo.add(&["tests/fixture.env", "src.env"]);
    let out = repo.commit("more");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("2 secrets"), "{err}");
    assert!(err.contains("tests/fixture.env:2:3"), "{err}");
    assert!(err.contains("src.env:1:3"), "{err}");
}

#[test]
fn detectors_lists_everything_a_repository_config_changes() {
    let repo = TestRepo::new();
    let config = format!(
        "[settings]\n\
         disable = [\"aws-access-key-id\"]\n\
         skip_paths = [\"fixtures/**\"]\n\
         placeholders = [\"sandbox\"]\n\
         \n\
         [[allow]]\n\
         paths = [\"tests/**\"]\n\
         detectors = [\"github-pat-classic\"]\n\
         reason = \"synthetic tokens\"\n\
         \n\
         [provider.github-pat]\n\
         name = \"GitHub\"\n\
         steps = [\"Ask the security team\"]\n\
         {CUSTOM}\n\
         [[detector]]\n\
         id = \"slack-webhook-url\"\n\
         provider = \"acme\"\n\
         name = \"Acme hook\"\n\
         severity = \"high\"\n\
         keywords = [\"acmehook_\"]\n\
         regex = '\\b(?P<secret>acmehook_[a-z0-9]{{24}})\\b'\n\
         examples = [\"h = acmehook_k3j9x0q7w2m5n8b4v6c1z0l9\"]\n\
         negative_examples = [\"h = acmehook_short\"]\n"
    );
    repo.write(".leakguard.toml", &config);
    let out = repo.leakguard(&["detectors"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let listing = crate::util::text(&out.stdout);
    let line_of = |needle: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("no line starting with {needle}: {listing}"))
            .to_string()
    };
    let line_no = |needle: &str| config.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        line_of("slack-webhook-url ").ends_with(&format!(
            "overridden by .leakguard.toml:{}:1",
            line_no("id = \"slack-webhook-url\"") - 1
        )),
        "{listing}"
    );
    assert!(
        line_of("acme-api-key ").ends_with(&format!(
            "defined by .leakguard.toml:{}:1",
            line_no("id = \"acme-api-key\"") - 1
        )),
        "{listing}"
    );
    assert!(line_of("aws-access-key-id ").contains("disabled by .leakguard.toml:2:12"));
    assert!(
        line_of("provider github-pat ")
            .contains("rotation data overridden by .leakguard.toml:11:1"),
        "{listing}"
    );
    assert!(line_of("skip_paths fixtures/** ").contains("every detector allowed there"));
    assert!(
        line_of("allow tests/** ").contains(
            "github-pat-classic allowed there, by .leakguard.toml:6:1 (synthetic tokens)"
        ),
        "{listing}"
    );
    assert!(line_of("placeholders sandbox ").contains(".leakguard.toml"));
    // Built-ins carry no source note.
    assert!(
        !line_of("github-pat-classic ").contains(" by "),
        "{listing}"
    );
}

#[test]
fn the_readme_configuration_example_loads() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(crate::util::MANIFEST_DIR).join("README.md"))
            .unwrap();
    let section = &readme[readme
        .find("### `.leakguard.toml`")
        .expect("config section")..];
    let start = section.find("```toml\n").expect("toml block") + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let repo = TestRepo::new();
    repo.write(".leakguard.toml", example);
    let out = repo.leakguard(&["check"]);
    assert_eq!(
        code(&out),
        0,
        "{}{}",
        crate::util::text(&out.stdout),
        stderr(&out)
    );
    assert!(
        crate::util::text(&out.stdout).contains("built-in detectors + "),
        "{}",
        crate::util::text(&out.stdout)
    );
}

#[test]
fn a_custom_detector_needs_only_an_id_a_regex_and_its_examples() {
    let repo = TestRepo::new();
    // As short as a rule can be (its examples prove it when the config loads): severity high,
    // the generic provider's steps, the name from the id, keywords from the regex's literal
    // start. And one with its provider inline.
    repo.write(
        ".leakguard.toml",
        "[[detector]]\n\
         id = \"acme-key\"\n\
         regex = 'acme_[a-z0-9]{24}'\n\
         examples = [\"k = acme_yfwrn83pt5ubsjyhiqnkkzf3\"]\n\
         negative_examples = [\"k = acme_short\"]\n\
         \n\
         [[detector]]\n\
         id = \"zeta-token\"\n\
         regex = '(?i)zeta-tok-[a-z0-9]{24}'\n\
         provider = { name = \"Zeta\", steps = [\"Delete the token on Zeta's tokens page.\"] }\n\
         examples = [\"t = zeta-tok-i0ifmpa2r8ty3zxkqfnmg418\"]\n\
         negative_examples = [\"t = zeta-tok-short\"]\n",
    );
    repo.add(&[".leakguard.toml"]);
    repo.commit_unchecked("config");

    let out = repo.leakguard(&["check"]);
    let stdout = crate::util::text(&out.stdout);
    assert_eq!(code(&out), 0, "{stdout}{}", stderr(&out));
    assert!(
        stdout.contains(
            "leakguard: .leakguard.toml:1:1: detector `acme-key`: name \"acme-key\", provider \
             \"generic (Generic secrets"
        ),
        "check shows the effective values: {stdout}"
    );
    assert!(
        stdout.contains("\", severity high, keywords [\"acme_\"], regex"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "detector `zeta-token`: name \"zeta-token\", provider \"zeta-token (Zeta)\", severity \
             high, keywords [\"zeta-tok-\"]"
        ),
        "{stdout}"
    );

    repo.write(
        "deploy.env",
        "ACME=acme_35zghp3vt7fhumd3laaas2xc\nZETA=ZETA-TOK-aktiefhsv4croxy6tdkvyvaa\n",
    );
    repo.add(&["deploy.env"]);
    let out = repo.commit("keys");
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("commit blocked: 2 secrets"), "{err}");
    assert!(
        err.contains("deploy.env:1:6  acme-key [acme-key, high]"),
        "{err}"
    );
    assert!(
        err.contains("Revoke or regenerate it in that service's console"),
        "the generic provider's steps: {err}"
    );
    assert!(err.contains("Zeta (1)"), "{err}");
    assert!(
        err.contains("1. Delete the token on Zeta's tokens page."),
        "{err}"
    );

    // A regex with no literal start names its keywords, and the error says why.
    repo.write(
        ".leakguard.toml",
        "[[detector]]\nid = \"loose\"\nregex = '[a-z]{5}_[0-9]{30}'\nexamples = [\"x\"]\n",
    );
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("none could be taken from the regex"),
        "{}",
        stderr(&out)
    );
}
