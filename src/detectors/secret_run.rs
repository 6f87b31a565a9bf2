//! What a regex detector's secret is made of, read from its regex: the bytes its `secret` group
//! can match and how few of them in a row it needs. The engine asks this of a window before it
//! compiles or runs the detector's regex: a window without such a run cannot hold a match, so a
//! keyword hit on code that only *names* a credential (`api_key = os.environ[…]`) costs a scan
//! of its window, not a regex compilation (bench/RESULTS.md).
//!
//! It also tells whether every match begins with one of the detector's keywords right after a
//! non-word byte (`\bghp_…`, `(?:^|[^A-Za-z0-9_])sk_…`): then a keyword hit inside a word
//! (`ion_` in `version_`, `ck_` in `check_`) cannot start a match, and the engine drops it
//! before it opens a window.
//!
//! `build.rs` includes this file too: the built-in detectors' runs are worked out at build time,
//! so a hook pays nothing for them; a repository's own detectors are read when it is loaded.

use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

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
    /// Every match begins with one of the detector's keywords, right after a byte that is not
    /// an ASCII word byte (`[A-Za-z0-9_]`) or at the input's start.
    pub starts_word: bool,
}

impl SecretRun {
    /// Reads a detector's regex (with the syntax `engine::compile` uses: Unicode off) and its
    /// keywords. `None` when it does not parse, or its secret can never match: then nothing is
    /// known and the regex itself decides (and reports the error).
    pub fn of_regex(pattern: &str, keywords: &[&str]) -> Option<SecretRun> {
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
            starts_word: starts_word(&hir, keywords),
        })
    }

    /// Whether `hay` holds `min_len` bytes in a row that the secret may be made of: false
    /// means no match of the regex can lie within `hay`.
    ///
    /// A run of `min_len` starting at or after `i` holds byte `i + min_len - 1`: probing there
    /// and scanning back only to the last byte outside the secret's crosses code (short words,
    /// spaces, punctuation) in strides of `min_len`. Reading every byte was a tenth of an
    /// initial commit of small files: each line naming a key is checked for many detectors.
    pub fn occurs_in(&self, hay: &[u8]) -> bool {
        let need = self.min_len as usize;
        if need == 0 {
            return true;
        }
        let member = |b: u8| self.bytes[usize::from(b >> 6)] >> (b & 63) & 1 == 1;
        let mut i = 0;
        while i + need <= hay.len() {
            let probe = i + need - 1;
            if !member(hay[probe]) {
                i = probe + 1;
                continue;
            }
            let mut k = probe;
            while k > i && member(hay[k - 1]) {
                k -= 1;
            }
            if k == i {
                return true;
            }
            // hay[k - 1] is not a member: a run can only start at k or later.
            i = k;
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

/// An ASCII word byte, as the regex engine's `\b` reads it with Unicode off.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether every match of `hir` begins with one of `keywords` (ASCII case-insensitively) right
/// after a non-word byte or the input's start: the regex opens with a word boundary (or a
/// start-or-non-word-byte alternation) and every literal prefix of the rest starts with a
/// keyword that starts with a word byte. When unsure, false.
fn starts_word(hir: &Hir, keywords: &[&str]) -> bool {
    let HirKind::Concat(parts) = hir.kind() else {
        return false;
    };
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    if !boundary_before(first) {
        return false;
    }
    let prefixes = Extractor::new().extract(&Hir::concat(rest.to_vec()));
    let Some(literals) = prefixes.literals() else {
        return false;
    };
    !literals.is_empty()
        && literals.iter().all(|literal| {
            let bytes = literal.as_bytes();
            keywords.iter().any(|k| {
                let k = k.as_bytes();
                k.first().is_some_and(|&b| is_word_byte(b))
                    && bytes.len() >= k.len()
                    && bytes[..k.len()].eq_ignore_ascii_case(k)
            })
        })
}

/// Whether `hir`, matched right before a word byte, requires a non-word byte or the start of
/// the input there.
fn boundary_before(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(
            look,
            Look::WordAscii
                | Look::WordUnicode
                | Look::WordStartAscii
                | Look::WordStartUnicode
                | Look::WordStartHalfAscii
                | Look::WordStartHalfUnicode
        ),
        HirKind::Capture(c) => c.name.is_none() && boundary_before(&c.sub),
        HirKind::Alternation(alternatives) => alternatives.iter().all(|a| match a.kind() {
            HirKind::Look(look) => matches!(look, Look::Start | Look::StartLF | Look::StartCRLF),
            HirKind::Class(Class::Bytes(c)) => c
                .iter()
                .all(|r| (r.start()..=r.end()).all(|b| !is_word_byte(b))),
            HirKind::Class(Class::Unicode(c)) => c
                .iter()
                .all(|r| (r.start()..=r.end()).all(|ch| !ch.is_ascii() || !is_word_byte(ch as u8))),
            _ => false,
        }),
        _ => false,
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
        SecretRun::of_regex(pattern, &[]).expect("parses")
    }

    fn starts_word(pattern: &str, keywords: &[&str]) -> bool {
        SecretRun::of_regex(pattern, keywords)
            .expect("parses")
            .starts_word
    }

    #[test]
    fn matches_that_start_a_word_with_a_keyword_are_told() {
        assert!(starts_word(r"\b(?P<secret>ck_[a-f0-9]{40})\b", &["ck_"]));
        assert!(starts_word(
            r"\b(?P<secret>(?:AKIA|ASIA)[A-Z2-7]{16})\b",
            &["akia", "asia"]
        ));
        assert!(starts_word(
            r"(?:^|[^A-Za-z0-9_])(?P<secret>sk_(?:test_)?[0-9a-f]{8})(?:[^A-Za-z0-9_-]|$)",
            &["sk_"]
        ));
        assert!(starts_word(r"(?i)\b(?P<secret>pat[a-z]{4})", &["pat"]));
        assert!(starts_word(
            r"(?m)(?:^|[\s=])(?P<secret>ab_[0-9]+)",
            &["ab_"]
        ));
        // A repeated class before the keyword may end in a word byte's place: no.
        assert!(!starts_word(r"(?:^|[\s=]+)(?P<secret>ab_[0-9]+)", &["ab_"]));
    }

    #[test]
    fn matches_that_may_start_elsewhere_are_not() {
        // No boundary, or one that a word byte can satisfy.
        assert!(!starts_word(r"(?P<secret>ck_[a-f0-9]{40})", &["ck_"]));
        assert!(!starts_word(
            r"(?:^|[^a-z])(?P<secret>ck_[a-f0-9]{40})",
            &["ck_"]
        ));
        // The match starts with a name, not with the keyword.
        assert!(!starts_word(
            r"\bsecret\s*=\s*(?P<secret>ck_[a-f0-9]{40})",
            &["ck_"]
        ));
        // One alternative starts with no keyword, or with a class.
        assert!(!starts_word(
            r"\b(?P<secret>(?:ck_|cx_)[a-f0-9]{40})",
            &["ck_"]
        ));
        assert!(!starts_word(
            r"\b(?P<secret>[a-z]{2}_[a-f0-9]{40})",
            &["ck_"]
        ));
        // A keyword that starts with a non-word byte: `\b` before it says nothing of the byte.
        assert!(!starts_word(r"\b(?P<secret>://x[a-f0-9]{40})", &["://"]));
        // The keyword is longer than what the regex is sure to start with.
        assert!(!starts_word(r"\b(?P<secret>c[a-z]{40})", &["ck_"]));
    }

    proptest::proptest! {
        /// The strided search answers as reading every byte does.
        #[test]
        fn strided_search_is_the_byte_by_byte_one(
            pieces in proptest::collection::vec(
                (proptest::sample::select(b"a9_-. x\n".to_vec()), 1usize..12),
                0..30,
            ),
            need in 0u32..40,
        ) {
            let hay: Vec<u8> = pieces.iter().flat_map(|&(b, n)| vec![b; n]).collect();
            let r = SecretRun { min_len: need, ..run(r"(?P<secret>[a-z0-9_-]+)") };
            let mut longest = 0;
            let mut current = 0;
            for &b in &hay {
                current = if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' { current + 1 } else { 0 };
                longest = longest.max(current);
            }
            proptest::prop_assert_eq!(r.occurs_in(&hay), longest >= need as usize);
        }
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
        assert_eq!(SecretRun::of_regex("(?P<secret>[a-z", &[]), None);
        assert_eq!(SecretRun::of_regex(r"(?P<secret>[a&&b])", &[]), None);
    }
}
