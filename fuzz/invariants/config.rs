//! Invariants of the `config` fuzz target, shared with `tests/fuzz_regressions.rs`, which
//! replays every input kept in `fuzz/regressions/config/`.
//!
//! The configuration loader on arbitrary text: `.leakguard.toml` parsed, merged into the
//! built-ins, validated, its globs compiled and its own detectors proven against their
//! examples (`setup::configure_text`, exactly what the hook does once the file is read). Any
//! input must give a configuration or an error that names a `file:line:column`, never a panic.
//! An error message is one bounded line with nothing a terminal acts on: whatever of the file
//! it quotes (an id, a provider, a glob, toml's own quotes) comes out escaped and shortened.
//! The same bytes also go through the `.leakguardignore` parser and the configuration-change
//! review (`policy::compare`), whose descriptions obey the same rule.

use leakguard::error::Error;
use leakguard::escape;
use leakguard::fingerprint::Fingerprint;
use leakguard::git::RootFile;
use leakguard::policy;
use leakguard::setup::configure_text;
use leakguard::suppress::IgnoreFile;

const LABEL: &str = ".leakguard.toml";

/// The longest error message a configuration may produce, in characters.
const MESSAGE_LIMIT: usize = 1200;

fn assert_one_safe_line(message: &str) {
    assert!(
        !message.chars().any(escape::is_unsafe),
        "a raw control or bidi character in: {message:?}"
    );
    assert!(
        message.chars().count() <= MESSAGE_LIMIT,
        "a message of {} characters: {message:?}",
        message.chars().count()
    );
}

/// Checks the invariants above on one input.
pub fn check_input(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        match configure_text(Some((LABEL, text)), false) {
            Ok(config) => {
                // Everything the engine later relies on holds for what loaded.
                config
                    .catalogue
                    .validate()
                    .expect("a loaded catalogue validates again");
                for d in &config.catalogue.detectors {
                    assert!(config.catalogue.provider_of(d).is_some(), "{}", d.id);
                    assert!(!d.keywords.is_empty(), "{}", d.id);
                }
            }
            // A config error may carry a hint (a misspelt field's "did you mean"): it is
            // printed as its own line, and must be as safe as the message.
            Err(e) => match e.into_parts() {
                (Error::Config { location, message }, hint) => {
                    assert!(location.starts_with(LABEL), "{location}: {message}");
                    assert_one_safe_line(&message);
                    assert_one_safe_line(&escape::error_chain(&Error::Config {
                        location,
                        message,
                    }));
                    if let Some(hint) = hint {
                        assert_one_safe_line(&hint);
                    }
                }
                (e, _) => panic!("unexpected kind of error: {e}"),
            },
        }
    }
    match IgnoreFile::parse(".leakguardignore", data) {
        Ok(file) => {
            for e in &file.entries {
                assert_eq!(
                    Fingerprint::parse(e.fingerprint.as_str()).as_ref(),
                    Ok(&e.fingerprint)
                );
            }
        }
        Err(e) => {
            let e = e.to_string();
            assert!(e.starts_with(".leakguardignore:"), "{e}");
            assert_one_safe_line(&e);
        }
    }
    let after = RootFile::Blob(data.to_vec());
    for file in policy::FILES {
        for (_, _, weakening) in policy::compare(file, &RootFile::Missing, &after) {
            let shown = weakening.describe(&policy::shown);
            assert!(
                !shown.chars().any(escape::is_unsafe),
                "a raw control or bidi character in: {shown:?}"
            );
        }
    }
}
