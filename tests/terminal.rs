//! A hostile repository cannot write to the terminal (issue 14).
//!
//! Every field of `.leakguard.toml` that leakguard prints, a file path, a commit subject and an
//! author name carry terminal escapes: OSC 52 (write to the clipboard), `ESC[8m` (conceal the
//! rest), `ESC[31m`, `ESC[2K` with a fake `leakguard: no secrets found`, BEL, a C1 CSI and the
//! bidi overrides and isolates. Through real `git commit` and `git push`, with colour forced,
//! the bytes leakguard writes must hold no ESC, BEL, C1, DEL or bidi control except leakguard's
//! own colour codes, and no foreign line break.

use std::process::{Command, Output};

use leakguard::report::Styles;

use crate::util::{TestRepo, code, hygienic, make_executable, stderr, text, with_remote_unhooked};

/// Every kind of sequence the issue names, in one string.
const EVIL: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[8mHIDDEN\u{1b}[31m\u{1b}[2K\r\
                    leakguard: no secrets found, FAKE\n\u{9b}2K\u{7f}\u{202a}\u{202b}\u{202c}\
                    \u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}";

/// `EVIL` without what git refuses in an author name (a line break).
const EVIL_NAME: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[8mHIDDEN\u{9b}2K\u{202e}";

/// `EVIL` as a TOML basic string's content.
fn toml_escaped(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c.to_string(),
            c => format!("\\u{:04X}", c as u32),
        })
        .collect()
}

/// A detector whose secret itself begins with `ESC[8m`, so that even the redacted prefix is
/// hostile; every printable field of its provider and detector carries `EVIL`, and so do the
/// path rules and placeholder words (which `leakguard detectors` lists).
fn config() -> String {
    let e = toml_escaped(EVIL);
    // In a glob, `[[]` is a literal `[`.
    let g = toml_escaped(&EVIL.replace('[', "[[]"));
    format!(
        r#"[settings]
skip_paths = ["nowhere/{g}/**"]
placeholders = ["zz{e}"]

[[allow]]
paths = ["elsewhere/{g}"]
reason = "{e}"

[provider.acme]
name = "ACME {e}"
category = "{e}"
revoke_url = "https://acme.test/{e}"
docs = "https://docs.acme.test/{e}"
steps = ["Revoke it {e}", "Then {e}"]
cli = ["acme revoke {e}"]

[[detector]]
id = "acme-key"
provider = "acme"
name = "Acme key {e}"
description = "{e}"
severity = "high"
keywords = ["acme"]
regex = '''acme = (?P<secret>\x1b\[8m[a-z0-9]{{20}})'''
examples = ["acme = \u001B[8mk3j9x0q7w2m5n8b4v6c1"]
negative_examples = ["acme = short"]
"#
    )
}

const SECRET: &str = "\u{1b}[8mq7w2m5n8b4v6c1k3j9x0";
const PATH: &str = "evil-\u{1b}]52;c;ZXZpbA==\u{7}-\u{202e}vne.txt";

/// A hook that runs leakguard with colour forced, as a developer's terminal would have it.
fn coloured_hook(repo: &TestRepo, hook: &str) {
    let path = repo.path(&format!(".git/hooks/{hook}"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!("#!/bin/sh\nexec \"$LEAKGUARD_BIN\" --color always hook {hook} \"$@\"\n"),
    )
    .unwrap();
    make_executable(&path);
}

/// The bytes hold no ESC, BEL, C1, DEL or bidi control except leakguard's colour codes, and
/// the hostile text is there, escaped.
fn assert_terminal_safe(what: &str, bytes: &[u8], expect_colour: bool) {
    let mut s = text(bytes);
    let coloured = Styles::codes().iter().any(|c| s.contains(c.as_str()));
    assert_eq!(coloured, expect_colour, "{what}: colour codes: {s:?}");
    for code in Styles::codes() {
        s = s.replace(code.as_str(), "");
    }
    for c in s.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: raw {c:?} in {s:?}");
    }
    for line in s.lines() {
        assert!(
            !line.starts_with("leakguard: no secrets found, FAKE"),
            "{what}: a foreign line: {s}"
        );
    }
}

fn leakguard(repo: &TestRepo, args: &[&str]) -> Output {
    repo.leakguard(&[&["--color", "always"], args].concat())
}

#[test]
fn a_hostile_repository_cannot_write_to_the_terminal() {
    let (repo, remote) = with_remote_unhooked();
    repo.write(".leakguard.toml", config());
    repo.write(PATH, format!("acme = {SECRET}\n"));
    repo.add(&[".leakguard.toml", PATH]);
    coloured_hook(&repo, "pre-commit");
    coloured_hook(&repo, "pre-push");

    // The commit is blocked, and every hostile field is on screen, escaped.
    let subject = format!("add it {EVIL}");
    let out = repo.commit(&subject);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_terminal_safe("git commit", &out.stderr, true);
    let err = stderr(&out);
    assert!(
        err.contains("ACME \\e]52;c;ZXZpbA==\\u{7}\\e[8mHIDDEN"),
        "{err}"
    );
    assert!(err.contains("Revoke it \\e]52"), "{err}");
    assert!(
        err.contains("evil-\\e]52;c;ZXZpbA==\\u{7}-\\u{202e}vne.txt:1:8"),
        "{err}"
    );
    assert!(err.contains("secret \\e[8mq7…(24 chars)"), "{err}");

    // The push of the same commit (made without the hook), by an author with a hostile name.
    let mut commit = Command::new("git");
    hygienic(&mut commit, repo.tmp.path());
    let out = commit
        .args(["commit", "-q", "--no-verify", "-m", &subject])
        .env("GIT_AUTHOR_NAME", format!("Eve {EVIL_NAME}"))
        .current_dir(&repo.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = repo.git(&["push", "-q", "origin", "main"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        !repo
            .git_ok(&["ls-remote", remote.to_str().unwrap()])
            .contains(&repo.head().unwrap()),
        "the push was blocked"
    );
    assert_terminal_safe("git push", &out.stderr, true);
    let err = stderr(&out);
    assert!(err.contains("added in "), "{err}");
    assert!(err.contains("add it \\e]52"), "{err}");
    assert!(err.contains("(Eve \\e]52"), "{err}");
    // The configuration the commit brings is listed, its strings escaped too.
    assert!(err.contains("skip_paths `nowhere/\\e]52"), "{err}");

    // Every other human output that prints the repository's strings.
    for args in [
        vec!["scan", "--git"],
        vec!["scan", "--git", "--allow-config-changes"],
        vec!["scan", "--git", "--config-from", "HEAD~1"],
        vec!["scan", PATH],
        vec!["detectors"],
        vec!["explain", "acme"],
        vec!["explain", "acme-key"],
        vec!["check"],
    ] {
        let out = leakguard(&repo, &args);
        let mut all = out.stdout.clone();
        all.extend_from_slice(&out.stderr);
        let coloured = args[0] == "scan";
        assert_terminal_safe(&format!("{args:?}"), &all, coloured);
    }

    // JSON and SARIF hold the original values, with nothing a terminal acts on.
    for format in ["json", "sarif"] {
        let out = repo.leakguard(&["scan", "--git", "--format", format]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert_terminal_safe(format, &out.stdout, false);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found = doc.to_string();
        assert!(found.contains("\\u001b]52;c;ZXZpbA=="), "{format}: {found}");
        if format == "json" {
            assert_eq!(doc["findings"][0]["path"], PATH);
            let first_line = subject.lines().next().unwrap();
            assert_eq!(doc["findings"][0]["commit"]["subject"], first_line);
            let author = doc["findings"][0]["commit"]["author"].as_str().unwrap();
            assert!(
                author.starts_with(&format!("Eve {EVIL_NAME}")),
                "{author:?}"
            );
            assert_eq!(doc["findings"][0]["provider_name"], format!("ACME {EVIL}"));
        }
    }
}

/// An error quoting the repository's text is one escaped line, however many lines the text had,
/// and a fake verdict in it is only text.
#[test]
fn an_error_quoting_the_repository_is_one_safe_line() {
    let fake = "\u{1b}[2K\rleakguard: no secrets found, FAKE\n".repeat(40);
    for config in [
        format!(
            "[[detector]]\nid = \"a\"\nprovider = \"{}\"\nkeywords = [\"aaa\"]\nregex = 'a'\n",
            toml_escaped(&fake)
        ),
        format!(
            "[[detector]]\nid = \"{}\"\nprovider = \"p\"\nkeywords = [\"aaa\"]\nregex = 'a'\n",
            toml_escaped(&fake)
        ),
        format!("[settings]\ndisable = [\"{}\"]\n", toml_escaped(&fake)),
        format!("[settings]\nskip_paths = [\"[{}\"]\n", toml_escaped(&fake)),
        format!(
            "[[detector]]\nid = \"a\"\nseverity = \"{}\"\n",
            toml_escaped(&fake)
        ),
    ] {
        let repo = TestRepo::new();
        repo.write(".leakguard.toml", &config);
        let out = leakguard(&repo, &["hook", "pre-commit"]);
        assert_eq!(code(&out), 2, "{config}: {}", stderr(&out));
        assert_terminal_safe(&config, &out.stderr, true);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 2, "{err}");
        assert!(err.contains(".leakguard.toml:"), "{err}");
        assert!(
            err.contains("\\e[2K\\rleakguard: no secrets found, FAKE\\n"),
            "{err}"
        );
        assert!(err.len() < 1500, "{} bytes: {err}", err.len());
    }
    // The same for an argument git passes (a remote name) and a path on the command line.
    let repo = TestRepo::new();
    let out = repo.leakguard(&["hook", "pre-commit", &format!("--x{EVIL}")]);
    assert_eq!(code(&out), 2);
    assert_terminal_safe("a bad argument", &out.stderr, false);
    let out = leakguard(&repo, &["scan", &format!("missing-{EVIL}")]);
    assert_eq!(code(&out), 2);
    assert_terminal_safe("a missing path", &out.stderr, true);
}
