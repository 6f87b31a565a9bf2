//! Inline pragmas: `leakguard:allow` on a finding's line, or `leakguard:allow-next-line` on
//! the line before its statement.
//!
//! Pragmas work in any comment syntax because we look for the bare marker anywhere on the line:
//! `# leakguard:allow`, `// leakguard:allow aws-access-key-id`, `<!-- leakguard:allow -->`.
//! Words after the marker restrict it only when they are detector ids, so a free-text reason
//! (`leakguard:allow test fixture`) still allows the line.

/// The marker every pragma starts with.
pub const MARKER: &[u8] = b"leakguard:allow";
const NEXT_LINE: &[u8] = b"-next-line";

/// Whether a pragma on `line`, or a `leakguard:allow-next-line` on `previous`, allows findings
/// of `detector_id`. `is_detector_id` tells detector ids apart from free text.
pub fn pragma_allows(
    line: &[u8],
    previous: Option<&[u8]>,
    detector_id: &str,
    is_detector_id: &dyn Fn(&str) -> bool,
) -> bool {
    let same_line = pragmas(line)
        .filter(|p| !p.next_line)
        .any(|p| p.covers(detector_id, is_detector_id));
    same_line
        || previous.is_some_and(|prev| {
            pragmas(prev)
                .filter(|p| p.next_line)
                .any(|p| p.covers(detector_id, is_detector_id))
        })
}

struct Pragma<'a> {
    next_line: bool,
    /// The text after the marker up to the end of the line.
    rest: &'a [u8],
}

impl Pragma<'_> {
    fn covers(&self, detector_id: &str, is_detector_id: &dyn Fn(&str) -> bool) -> bool {
        let words = self
            .rest
            .split(|b| b.is_ascii_whitespace() || *b == b',')
            .filter(|w| !w.is_empty())
            .take_while(|w| std::str::from_utf8(w).is_ok_and(is_detector_id));
        let mut restricted = false;
        for w in words {
            restricted = true;
            if w == detector_id.as_bytes() {
                return true;
            }
        }
        !restricted
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
    }
}
