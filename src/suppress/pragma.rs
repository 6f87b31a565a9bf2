//! Inline pragmas: `leakguard:allow` on a finding's line, or `leakguard:allow-next-line` on
//! the line before its statement.
//!
//! Pragmas work in any comment syntax because we look for the bare marker anywhere on the line:
//! `# leakguard:allow`, `// leakguard:allow aws-access-key-id`, `<!-- leakguard:allow -->`.
//! Known detector ids after the marker restrict it to those detectors; other plain words are a
//! free-text reason (`leakguard:allow test fixture`). A word shaped like a detector id (lower
//! case, digits, at least one hyphen) that is no known id is taken for a misspelt or renamed
//! id, never for a reason: that pragma allows nothing, and the finding reports the word. A
//! reason containing such words goes after a separator, ` -- ` or `:` (`leakguard:allow
//! github-pat -- fake-for-tests`), past which nothing is read as an id.

/// The marker every pragma starts with.
pub const MARKER: &[u8] = b"leakguard:allow";
const NEXT_LINE: &[u8] = b"-next-line";

/// What the pragmas on a finding's line (or the `-next-line` ones on the line before) say about
/// one detector's finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No pragma covers it.
    NotAllowed,
    Allowed,
    /// A pragma that would cover it names words shaped like detector ids that are no known id:
    /// it allows nothing, and the finding still blocks.
    UnknownIds(Vec<String>),
}

/// What a pragma on `line`, or a `leakguard:allow-next-line` on `previous`, says about findings
/// of `detector_id`. `is_detector_id` tells known detector ids apart from other words.
pub fn pragma_verdict(
    line: &[u8],
    previous: Option<&[u8]>,
    detector_id: &str,
    is_detector_id: &dyn Fn(&str) -> bool,
) -> Verdict {
    let same_line = pragmas(line).filter(|p| !p.next_line);
    let next_line = previous
        .into_iter()
        .flat_map(pragmas)
        .filter(|p| p.next_line);
    let mut unknown: Vec<String> = Vec::new();
    for p in same_line.chain(next_line) {
        match p.verdict(detector_id, is_detector_id) {
            Verdict::Allowed => return Verdict::Allowed,
            Verdict::UnknownIds(ids) => unknown.extend(ids),
            Verdict::NotAllowed => {}
        }
    }
    if unknown.is_empty() {
        Verdict::NotAllowed
    } else {
        unknown.dedup();
        Verdict::UnknownIds(unknown)
    }
}

/// Whether a pragma allows findings of `detector_id` (see `pragma_verdict`).
pub fn pragma_allows(
    line: &[u8],
    previous: Option<&[u8]>,
    detector_id: &str,
    is_detector_id: &dyn Fn(&str) -> bool,
) -> bool {
    pragma_verdict(line, previous, detector_id, is_detector_id) == Verdict::Allowed
}

/// Whether `word` has the shape of a detector id: lower-case letters and digits in parts joined
/// by single hyphens, at least two parts.
fn is_id_shaped(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('-') {
        if part.is_empty()
            || !part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

struct Pragma<'a> {
    next_line: bool,
    /// The text after the marker up to the end of the line.
    rest: &'a [u8],
}

impl Pragma<'_> {
    /// The words that can be detector ids: those before a ` -- ` or `:` separator (or a comment
    /// closer, `-->` and `*/`, which starts with the same characters or ends the comment).
    fn id_words(&self) -> impl Iterator<Item = &[u8]> {
        let rest = self.rest;
        let end = [&b"--"[..], b":", b"*/"]
            .iter()
            .filter_map(|sep| memchr::memmem::find(rest, sep))
            .min()
            .unwrap_or(rest.len());
        rest[..end]
            .split(|b| b.is_ascii_whitespace() || *b == b',')
            // Sentence punctuation and quotes around a word are not part of it.
            .map(|w| {
                let keep = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
                let start = w.iter().position(keep).unwrap_or(w.len());
                let end = w.iter().rposition(keep).map_or(start, |e| e + 1);
                &w[start..end.max(start)]
            })
            .filter(|w| !w.is_empty())
    }

    fn verdict(&self, detector_id: &str, is_detector_id: &dyn Fn(&str) -> bool) -> Verdict {
        let mut restricted = false;
        let mut covers = false;
        let mut unknown = Vec::new();
        for w in self.id_words() {
            let Ok(w) = std::str::from_utf8(w) else {
                continue;
            };
            if is_detector_id(w) {
                restricted = true;
                covers |= w == detector_id;
            } else if is_id_shaped(w) {
                unknown.push(w.to_string());
            }
        }
        if !unknown.is_empty() {
            Verdict::UnknownIds(unknown)
        } else if covers || !restricted {
            Verdict::Allowed
        } else {
            Verdict::NotAllowed
        }
    }
}

fn pragmas(line: &[u8]) -> impl Iterator<Item = Pragma<'_>> {
    memchr::memmem::find_iter(line, MARKER).map(move |at| {
        let after = &line[at + MARKER.len()..];
        let next_line = after.starts_with(NEXT_LINE);
        let rest = if next_line {
            &after[NEXT_LINE.len()..]
        } else {
            after
        };
        // `leakguard:allow: id` reads as `leakguard:allow id`: a colon right after the marker
        // is punctuation, not the separator before a reason.
        let rest = rest.strip_prefix(b":").unwrap_or(rest);
        Pragma { next_line, rest }
    })
}

/// Whether `text` holds a pragma marker at all: the cheap test before parsing.
pub fn has_marker(text: &[u8]) -> bool {
    memchr::memmem::find(text, MARKER).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        matches!(id, "aws-access-key-id" | "github-pat")
    }

    fn allows(line: &str, previous: Option<&str>, id: &str) -> bool {
        pragma_allows(line.as_bytes(), previous.map(str::as_bytes), id, &known)
    }

    #[test]
    fn pragma_forms() {
        assert!(allows("key = 'x' # leakguard:allow", None, "github-pat"));
        assert!(allows(
            "key = 'x' <!-- leakguard:allow -->",
            None,
            "github-pat"
        ));
        assert!(allows(
            "key = 'x' // leakguard:allow test fixture",
            None,
            "github-pat"
        ));
        assert!(allows(
            "x // leakguard:allow github-pat",
            None,
            "github-pat"
        ));
        assert!(!allows(
            "x // leakguard:allow aws-access-key-id",
            None,
            "github-pat"
        ));
        assert!(allows(
            "x // leakguard:allow aws-access-key-id,github-pat",
            None,
            "github-pat"
        ));
        assert!(!allows("key = 'x'", None, "github-pat"));
        assert!(!allows("x # leakguard:allow-next-line", None, "github-pat"));
        assert!(allows(
            "x",
            Some("# leakguard:allow-next-line"),
            "github-pat"
        ));
        assert!(!allows(
            "x",
            Some("# leakguard:allow-next-line aws-access-key-id"),
            "github-pat"
        ));
        assert!(!allows("x", Some("# leakguard:allow"), "github-pat"));
        assert!(allows(
            "x // leakguard:allow github-pat.",
            None,
            "github-pat"
        ));
        assert!(allows(
            "x <!-- leakguard:allow github-pat-->",
            None,
            "github-pat"
        ));
    }

    fn verdict(line: &str, id: &str) -> Verdict {
        pragma_verdict(line.as_bytes(), None, id, &known)
    }

    #[test]
    fn an_unknown_id_shaped_word_allows_nothing() {
        let unknown =
            |ids: &[&str]| Verdict::UnknownIds(ids.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            verdict("x # leakguard:allow github-pta", "github-pat"),
            unknown(&["github-pta"])
        );
        assert_eq!(
            verdict("x # leakguard:allow github-pat, old-token-id", "github-pat"),
            unknown(&["old-token-id"])
        );
        assert_eq!(
            verdict("x # leakguard:allow fake-value for tests", "github-pat"),
            unknown(&["fake-value"])
        );
        // After a separator, anything is a reason.
        for line in [
            "x # leakguard:allow -- fake-value for tests",
            "x # leakguard:allow github-pat -- fake-value",
            "x # leakguard:allow github-pat: fake-value",
            "x /* leakguard:allow */ fake-value",
        ] {
            assert_eq!(verdict(line, "github-pat"), Verdict::Allowed, "{line}");
        }
        assert_eq!(
            verdict(
                "x # leakguard:allow aws-access-key-id -- fake-value",
                "github-pat"
            ),
            Verdict::NotAllowed
        );
        // Plain words and other shapes stay a reason; a colon right after the marker is not
        // a separator.
        for line in [
            "x # leakguard:allow test fixture (see README.md)",
            "x # leakguard:allow Test-Fixture e2e_data v2",
            "x # leakguard:allow: github-pat",
        ] {
            assert_eq!(verdict(line, "github-pat"), Verdict::Allowed, "{line}");
        }
        assert_eq!(
            verdict("x # leakguard:allow: aws-access-key-id", "github-pat"),
            Verdict::NotAllowed
        );
        assert!(is_id_shaped("github-pat-classic") && is_id_shaped("a1-b2"));
        assert!(!is_id_shaped("fixture") && !is_id_shaped("-x") && !is_id_shaped("a--b"));
    }
}
