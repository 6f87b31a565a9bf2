//! The configuration loader on arbitrary text: `.leakguard.toml` parsed, merged into the
//! built-ins, validated, its globs compiled and its own detectors proven against their
//! examples (`setup::configure_text`, exactly what the hook does once the file is read). Any input
//! must give a configuration or an error that names a `file:line:column`, never a panic.
//! The same bytes also go through the `.leakguardignore` parser.

#![no_main]

use leakguard::error::Error;
use leakguard::fingerprint::Fingerprint;
use leakguard::setup::configure_text;
use leakguard::suppress::IgnoreFile;
use libfuzzer_sys::fuzz_target;

const LABEL: &str = ".leakguard.toml";

fuzz_target!(|data: &[u8]| {
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
            Err(Error::Config { location, message }) => {
                assert!(location.starts_with(LABEL), "{location}: {message}");
                assert!(!message.contains('\n') || message.lines().count() < 20);
            }
            Err(e) => panic!("unexpected kind of error: {e}"),
        }
    }
    match IgnoreFile::parse(".leakguardignore", data) {
        Ok(file) => {
            for e in &file.entries {
                assert_eq!(Fingerprint::parse(e.fingerprint.as_str()).as_ref(), Ok(&e.fingerprint));
            }
        }
        Err(e) => assert!(e.to_string().starts_with(".leakguardignore:"), "{e}"),
    }
});
