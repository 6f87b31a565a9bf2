//! Finds the values of a shaped detector (`detectors::shape`) in a window, without a regex.
//!
//! A value with a prefix is taken wherever the prefix occurs. A value without one needs its
//! context: it must start within `REACH` bytes after one of the detector's keywords, on the
//! keyword's line or the next (`ABSTRACT_API_KEY = "…"`, or a YAML key above its value). Either
//! way the value is a whole token: the bytes either side of it cannot extend it. Every step is a
//! forward scan, so a window costs time linear in its length.

use std::ops::Range;

use crate::detectors::shape::{Class, Part, Shape};

/// How far after the end of a keyword a value without a prefix may start.
pub const REACH: usize = 120;

/// Appends the byte ranges of `shape`'s values in `hay[window]` to `out`. `lower_keywords` are
/// the detector's keywords in lower case (used only when the shape has no prefix). A value may
/// run past the window's end into `hay`: a window ends at a line end, and a keyword's value may
/// sit on the next line.
pub fn find(
    shape: &Shape,
    lower_keywords: &[Vec<u8>],
    hay: &[u8],
    window: Range<usize>,
    out: &mut Vec<Range<usize>>,
) {
    let prefix = shape.prefix().as_bytes();
    if !prefix.is_empty() {
        for at in memchr::memmem::find_iter(&hay[window.clone()], prefix) {
            if let Some(end) = match_at(shape, hay, window.start + at)
                && !labelled_digest(hay, window.start + at)
            {
                out.push(window.start + at..end);
            }
        }
        return;
    }
    let lower = hay[window.clone()].to_ascii_lowercase();
    let first = shape.parts[0].class;
    for keyword in lower_keywords {
        for at in memchr::memmem::find_iter(&lower, keyword) {
            let from = window.start + at + keyword.len();
            let limit = end_of_next_line(hay, from, hay.len().min(from + REACH));
            let mut i = from;
            while i < limit {
                // A value starts with a character of its class that is not padding.
                let starts = first.member(hay[i])
                    && first.joins(hay[i])
                    && (i == 0 || !first.joins(hay[i - 1]));
                if !starts {
                    i += 1;
                    continue;
                }
                if let Some(end) = match_at(shape, hay, i) {
                    if !labelled_digest(hay, i) {
                        out.push(i..end);
                    }
                    i = end;
                } else {
                    // Past this token: none of its bytes can start a whole token.
                    i += 1;
                    while i < hay.len() && first.joins(hay[i]) {
                        i += 1;
                    }
                }
            }
        }
    }
}

/// The names of digest algorithms, as labels written before a digest (`sha256:…`,
/// `sha512-…`): a digest is never a credential, whatever name it is bound to. Also read by the
/// generic matcher's classifier.
pub(super) const DIGEST_LABELS: [&[u8]; 13] = [
    b"sha1",
    b"sha224",
    b"sha256",
    b"sha384",
    b"sha512",
    b"sha3",
    b"md5",
    b"blake2b",
    b"blake2s",
    b"blake3",
    b"crc32",
    b"xxh64",
    b"ripemd160",
];

/// Whether the value at `start` is labelled as a digest: `sha256=` (pip's RECORD files),
/// `sha512-` (npm's integrity fields), `md5:`, `sha1 ` … A service's name near a digest is
/// common in lock files and manifests; a digest is never its key.
fn labelled_digest(hay: &[u8], start: usize) -> bool {
    let before = &hay[start.saturating_sub(10)..start];
    let Some((&sep, label)) = before.split_last() else {
        return false;
    };
    matches!(sep, b'=' | b'-' | b':' | b' ')
        && DIGEST_LABELS.iter().any(|l| {
            label.len() >= l.len() && label[label.len() - l.len()..].eq_ignore_ascii_case(l)
        })
}

/// The end of the line after the one holding `at`, or `limit` if that comes first (looking no
/// further than `limit`, so that a long line of keywords costs `REACH` per keyword).
fn end_of_next_line(hay: &[u8], at: usize, limit: usize) -> usize {
    let mut newlines = memchr::memchr_iter(b'\n', &hay[at..limit]);
    newlines.next();
    newlines.next().map_or(limit, |i| at + i)
}

/// The end of the value of `shape` that starts at `start`, if one does and it is a whole token.
fn match_at(shape: &Shape, hay: &[u8], start: usize) -> Option<usize> {
    let first = shape.parts[0].class;
    if start > 0 && first.joins(hay[start - 1]) {
        return None;
    }
    let mut at = start;
    let mut last = first;
    for part in &shape.parts {
        at = match_part(part, hay, at)?;
        last = part.class;
    }
    (at == hay.len() || !last.joins(hay[at])).then_some(at)
}

/// The end of `part` (its literal, then its class run) starting at `at`.
fn match_part(part: &Part, hay: &[u8], at: usize) -> Option<usize> {
    let body = at + part.literal.len();
    if hay.get(at..body)? != part.literal.as_bytes() {
        return None;
    }
    let run = hay[body..]
        .iter()
        .take(part.max + 1)
        .take_while(|&&b| part.class.member(b))
        .count();
    if run < part.min || run > part.max {
        return None;
    }
    let value = &hay[body..body + run];
    well_formed(part.class, value).then_some(body + run)
}

/// The rules of a class beyond its alphabet: one case for hexadecimal, padding only at the end,
/// the UUID's groups.
fn well_formed(class: Class, value: &[u8]) -> bool {
    match class {
        Class::Hex => {
            let lower = value.iter().any(|b| (b'a'..=b'f').contains(b));
            let upper = value.iter().any(|b| (b'A'..=b'F').contains(b));
            lower != upper
        }
        Class::HexLower | Class::HexUpper => value.iter().any(|b| b.is_ascii_alphabetic()),
        Class::Base32 | Class::Base64 => {
            let data = value.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
            value.len() - data <= 2 && !value[..data].contains(&b'=')
        }
        Class::Uuid => {
            let groups: Vec<&[u8]> = value.split(|&b| b == b'-').collect();
            let lengths = [8, 4, 4, 4, 12];
            groups.len() == 5
                && groups.iter().zip(lengths).all(|(g, n)| g.len() == n)
                && well_formed(
                    Class::Hex,
                    &value
                        .iter()
                        .filter(|&&b| b != b'-')
                        .copied()
                        .collect::<Vec<_>>(),
                )
        }
        Class::Digits | Class::Alnum | Class::AlnumLower | Class::AlnumUpper | Class::Base64Url => {
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(shape: &Shape, keywords: &[&str], text: &str) -> Vec<String> {
        let lower: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.to_ascii_lowercase().into_bytes())
            .collect();
        let mut out = Vec::new();
        find(shape, &lower, text.as_bytes(), 0..text.len(), &mut out);
        out.into_iter().map(|r| text[r].to_string()).collect()
    }

    fn shape(prefix: Option<&str>, s: &str, then: Option<&str>) -> Shape {
        Shape::parse(prefix, s, then).unwrap()
    }

    const HEX32: &str = "9f86d081884c7d659a2feaa0c55ad015";

    #[test]
    fn a_context_value_follows_its_keyword() {
        let s = shape(None, "hex32", None);
        for text in [
            format!("IPSTACK_ACCESS_KEY={HEX32}"),
            format!("ipstack:\n  access_key: \"{HEX32}\""),
            format!("curl 'https://api.ipstack.com/check?access_key={HEX32}'"),
        ] {
            assert_eq!(values(&s, &["ipstack"], &text), vec![HEX32], "{text}");
        }
    }

    #[test]
    fn a_context_value_must_be_whole_near_and_one_case() {
        let s = shape(None, "hex32", None);
        for text in [
            format!("checksum={HEX32}"),     // no keyword
            format!("IPSTACK_KEY={HEX32}0"), // 33 hex digits
            format!("IPSTACK_KEY=a{HEX32}"), // glued to a letter
            format!("IPSTACK_KEY={}", HEX32.to_uppercase().replacen('F', "f", 1)), // mixed case
            format!("IPSTACK_KEY={}{HEX32}", " ".repeat(REACH)), // too far
            format!("ipstack\n\n{HEX32}"),   // two lines down
            format!("{HEX32} # ipstack"),    // before the keyword
            "IPSTACK_KEY=12345678901234567890123456789012".to_string(), // no letter
        ] {
            assert!(values(&s, &["ipstack"], &text).is_empty(), "{text}");
        }
    }

    #[test]
    fn prefixed_and_multi_part_values() {
        let s = shape(Some("SG."), "base64url-22", Some(".base64url-43"));
        let token = format!(
            "SG.{}.{}",
            "aB3_dE6-gH9iJ2kL5mN8oP", "qR1sT4uV7wX0yZ3aB6cD9eF2gH5iJ8kL1mN4oP7qR0s"
        );
        assert_eq!(
            values(&s, &[], &format!("key = \"{token}\"")),
            vec![token.clone()]
        );
        assert!(values(&s, &[], &format!("xSG.{}", &token[3..])).is_empty());
        assert!(values(&s, &[], &format!("{token}A")).is_empty());
        assert!(values(&s, &[], &token[..token.len() - 1]).is_empty());
        let k = shape(Some("key-"), "hex32", None);
        assert_eq!(
            values(&k, &[], &format!("MAILGUN=key-{HEX32}")),
            vec![format!("key-{HEX32}")]
        );
        assert!(values(&k, &[], &format!("monkey-{HEX32}")).is_empty());
    }

    #[test]
    fn class_rules() {
        let uuid = shape(None, "uuid", None);
        let u = "8a5e7f65-fa62-44f3-91b2-f62ba5b1f8ff";
        assert_eq!(values(&uuid, &["acme"], &format!("ACME_KEY={u}")), vec![u]);
        assert!(
            values(
                &uuid,
                &["acme"],
                &format!("ACME_KEY={}", u.replacen('-', "", 1))
            )
            .is_empty()
        );
        assert!(values(&uuid, &["acme"], &format!("ACME_KEY={u}-1")).is_empty());
        let b64 = shape(None, "base64-24", None);
        assert_eq!(
            values(&b64, &["acme"], "ACME_KEY=q83vEjRWeJq83vEjRWeJ+w=="),
            vec!["q83vEjRWeJq83vEjRWeJ+w=="]
        );
        assert_eq!(
            values(&b64, &["acme"], "acme: q83vEjRWeJq83vEjRWeJ+w=="),
            vec!["q83vEjRWeJq83vEjRWeJ+w=="]
        );
        assert!(values(&b64, &["acme"], "acme: q83vEjRWeJq83v=jRWeJ+w==").is_empty());
        let range = shape(None, "alnum-20..24", None);
        assert_eq!(
            values(&range, &["acme"], "ACME=Zq83vEjRWeJq83vEjRWe1").len(),
            1
        );
        assert!(values(&range, &["acme"], "ACME=Zq83vEjRWeJq83vEjRWe1Zq83v").is_empty());
    }

    #[test]
    fn a_labelled_digest_is_not_a_key() {
        let s = shape(None, "base64url-43", None);
        let digest = "pX3rT0bWq9Zk2mVn8LsY4cQe7uHd1aFg6jRi5oNt0yB";
        assert!(
            values(
                &s,
                &["livekit"],
                &format!("livekit/api.py,sha256={digest},1234")
            )
            .is_empty()
        );
        assert_eq!(
            values(&s, &["livekit"], &format!("LIVEKIT_SECRET={digest}")),
            vec![digest]
        );
        let hex = shape(None, "hex32", None);
        assert!(
            values(
                &hex,
                &["acme"],
                "acme-1.0.tgz md5:9f86d081884c7d659a2feaa0c55ad015"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_huge_line_of_keywords_stays_linear() {
        let s = shape(None, "hex32", None);
        let text = "ipstack ".repeat(200_000);
        assert!(values(&s, &["ipstack"], &text).is_empty());
    }
}
