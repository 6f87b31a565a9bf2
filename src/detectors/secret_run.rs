//! What a regex detector's secret is made of, read from its regex: the bytes its `secret` group
//! can match and how few of them in a row it needs. The engine asks this of a window before it
//! compiles or runs the detector's regex: a window without such a run cannot hold a match, so a
//! keyword hit on code that only *names* a credential (`api_key = os.environ[…]`) costs a scan
//! of its window, not a regex compilation (bench/RESULTS.md).
//!
//! `build.rs` includes this file too: the built-in detectors' runs are worked out at build time,
//! so a hook pays nothing for them; a repository's own detectors are read when it is loaded.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The bytes a detector's secret is written in and its length bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretRun {
    /// A bitmap over the 256 byte values: bit `b` of word `b / 64` is set when the secret may
    /// contain byte `b`.
    pub bytes: [u64; 4],
    /// The shortest secret the regex matches.
    pub min_len: u32,
    /// The longest, when bounded.
    pub max_len: Option<u32>,
}

impl SecretRun {
    /// Reads a detector's regex (with the syntax `engine::compile` uses: Unicode off). `None`
    /// when it does not parse, or its secret can never match: then nothing is known and the
    /// regex itself decides (and reports the error).
    pub fn of_regex(pattern: &str) -> Option<SecretRun> {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern)
            .ok()?;
        let secret = secret_group(&hir).unwrap_or(&hir);
        let min_len = secret.properties().minimum_len()?;
        let mut bytes = [0u64; 4];
        add_bytes(secret, &mut bytes);
        Some(SecretRun {
            bytes,
            min_len: u32::try_from(min_len).unwrap_or(u32::MAX),
            max_len: secret
                .properties()
                .maximum_len()
                .and_then(|m| u32::try_from(m).ok()),
        })
    }

    /// Whether `hay` holds `min_len` bytes in a row that the secret may be made of: false
    /// means no match of the regex can lie within `hay`.
    pub fn occurs_in(&self, hay: &[u8]) -> bool {
        let need = self.min_len as usize;
        if need == 0 {
            return true;
        }
        let mut run = 0;
        for &b in hay {
            if self.bytes[usize::from(b >> 6)] >> (b & 63) & 1 == 1 {
                run += 1;
                if run >= need {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    }
}

/// The `secret` capture group of a parsed regex.
fn secret_group(hir: &Hir) -> Option<&Hir> {
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some("secret") => Some(&c.sub),
        HirKind::Capture(c) => secret_group(&c.sub),
        HirKind::Repetition(r) => secret_group(&r.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().find_map(secret_group),
        _ => None,
    }
}

/// Sets in `bytes` every byte `hir` can match. Look-arounds match no byte.
fn add_bytes(hir: &Hir, bytes: &mut [u64; 4]) {
    let mut set = |lo: u8, hi: u8| {
        for b in lo..=hi {
            bytes[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => l.0.iter().for_each(|&b| set(b, b)),
        HirKind::Class(Class::Bytes(c)) => c.iter().for_each(|r| set(r.start(), r.end())),
        // Unicode is off, so this only comes from a class the parser kept as Unicode: every
        // byte a UTF-8 encoding of its ranges can use.
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.iter() {
                if r.start().is_ascii() {
                    set(r.start() as u8, r.end().min('\x7f') as u8);
                }
                if !r.end().is_ascii() {
                    set(0x80, 0xff);
                }
            }
        }
        HirKind::Repetition(r) => add_bytes(&r.sub, bytes),
        HirKind::Capture(c) => add_bytes(&c.sub, bytes),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().for_each(|p| add_bytes(p, bytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pattern: &str) -> SecretRun {
        SecretRun::of_regex(pattern).expect("parses")
    }

    #[test]
    fn the_secret_group_sets_the_bytes_and_the_length() {
        let r = run(r"key\s*=\s*(?P<secret>[a-f0-9]{32})\b");
        assert_eq!((r.min_len, r.max_len), (32, Some(32)));
        assert!(r.occurs_in(format!("key = {}", "0a".repeat(16)).as_bytes()));
        // 31 in a row, or 32 broken by a byte outside the class, cannot match.
        assert!(!r.occurs_in(format!("key = {}", "a".repeat(31)).as_bytes()));
        assert!(!r.occurs_in(format!("{}-{}", "a".repeat(16), "b".repeat(16)).as_bytes()));
        // The name before the secret is not part of its run.
        assert!(!r.occurs_in(b"api_key = os.environ['KEY']"));
    }

    #[test]
    fn case_insensitive_literals_and_alternations_add_both_cases() {
        let r = run(r"(?P<secret>(?i)ab_[0-9]{4}|zz)");
        assert_eq!(r.min_len, 2);
        assert!(r.occurs_in(b"AB_1234"));
        assert!(r.occurs_in(b"ab"));
        assert!(!r.occurs_in(b"a-b-c"));
    }

    #[test]
    fn without_a_secret_group_the_whole_match_counts() {
        let r = run(r"sk_live_[A-Za-z0-9]{24}");
        assert_eq!(r.min_len, 32);
        assert!(r.occurs_in(format!("sk_live_{}", "A".repeat(24)).as_bytes()));
        assert!(!r.occurs_in(format!("sk_live {}", "A".repeat(24)).as_bytes()));
    }

    #[test]
    fn unbounded_secrets_have_no_maximum_and_any_byte_classes_allow_anything() {
        let r = run(r"token: (?P<secret>.{8,})");
        assert_eq!((r.min_len, r.max_len), (8, None));
        assert!(r.occurs_in(b"\xff\xfe!!~~  ."));
        assert!(!r.occurs_in(b"abc\ndefg\nhij"));
    }

    #[test]
    fn what_does_not_parse_or_never_matches_is_unknown() {
        assert_eq!(SecretRun::of_regex("(?P<secret>[a-z"), None);
        assert_eq!(SecretRun::of_regex(r"(?P<secret>[a&&b])"), None);
    }
}
