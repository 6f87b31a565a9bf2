//! Added lines between two versions of a file, as runs of consecutive lines.
//!
//! Lines are compared without their terminators (so an LF→CRLF rewrite adds nothing and
//! appending to a file without a trailing newline does not re-report its old last line), using
//! gix's histogram diff. Runs are byte ranges into the new content, so nothing is copied.

use gix::diff::blob::platform::resource::ByteLinesWithoutTerminator;
use gix::diff::blob::{Algorithm, Diff, InternedInput};

use crate::chunk::{LineRun, without_final_terminator};

/// The runs of lines of `new` that are not in `old`.
pub fn added_runs(old: &[u8], new: &[u8]) -> Vec<LineRun> {
    if new.is_empty() {
        return Vec::new();
    }
    if old.is_empty() {
        return vec![LineRun {
            bytes: 0..without_final_terminator(new, new.len()),
            first_line: 1,
        }];
    }
    let input = InternedInput::new(
        ByteLinesWithoutTerminator::new(old),
        ByteLinesWithoutTerminator::new(new),
    );
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut cursor = LineCursor::default();
    diff.hunks()
        .filter(|h| !h.after.is_empty())
        .map(|h| {
            let start = cursor.offset_of_line(new, h.after.start);
            let end = cursor.offset_of_line(new, h.after.end);
            LineRun {
                bytes: start..without_final_terminator(new, end),
                first_line: h.after.start + 1,
            }
        })
        .collect()
}

/// Moves forward through `data` to find where a (0-based) line starts; hunks arrive in order,
/// so the whole file is scanned once.
#[derive(Default)]
struct LineCursor {
    line: u32,
    offset: usize,
}

impl LineCursor {
    fn offset_of_line(&mut self, data: &[u8], line: u32) -> usize {
        while self.line < line {
            match memchr::memchr(b'\n', &data[self.offset..]) {
                Some(i) => self.offset += i + 1,
                None => self.offset = data.len(),
            }
            self.line += 1;
        }
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (old, new, expected runs as (text, first line)).
    fn runs(old: &str, new: &str) -> Vec<(String, u32)> {
        added_runs(old.as_bytes(), new.as_bytes())
            .into_iter()
            .map(|r| (new[r.bytes].to_string(), r.first_line))
            .collect()
    }

    #[test]
    fn new_file_is_one_run() {
        assert_eq!(runs("", "a\nb\n"), vec![("a\nb".into(), 1)]);
        assert_eq!(runs("", ""), vec![]);
    }

    #[test]
    fn insertion_in_the_middle() {
        assert_eq!(
            runs("a\nb\nc\n", "a\nx\ny\nb\nc\n"),
            vec![("x\ny".into(), 2)]
        );
    }

    #[test]
    fn two_separate_insertions() {
        assert_eq!(
            runs("a\nb\nc\n", "x\na\nb\ny\nc\n"),
            vec![("x".into(), 1), ("y".into(), 4)]
        );
    }

    #[test]
    fn deletion_adds_nothing() {
        assert_eq!(runs("a\nb\nc\n", "a\nc\n"), vec![]);
    }

    #[test]
    fn crlf_lines_and_line_ending_rewrite() {
        assert_eq!(
            runs("a\r\nb\r\n", "a\r\nnew\r\nb\r\n"),
            vec![("new".into(), 2)]
        );
        assert_eq!(runs("a\nb\n", "a\r\nb\r\n"), vec![]);
    }

    #[test]
    fn appending_to_a_file_without_trailing_newline() {
        assert_eq!(runs("a\nb", "a\nb\nc"), vec![("c".into(), 3)]);
    }

    #[test]
    fn non_utf8_lines_keep_their_numbers() {
        let old = b"caf\xe9\nb\n".to_vec();
        let new = b"caf\xe9\nkey \xff\nb\n".to_vec();
        let r = added_runs(&old, &new);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].first_line, 2);
        assert_eq!(&new[r[0].bytes.clone()], b"key \xff");
    }
}
