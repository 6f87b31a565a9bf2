//! Added lines between two versions of a file, as runs of consecutive lines.
//!
//! Lines are compared without their terminators (so an LF→CRLF rewrite adds nothing and
//! appending to a file without a trailing newline does not re-report its old last line), using
//! gix's histogram diff. Runs are byte ranges into the new content, so nothing is copied.
//!
//! A diff is not linear: histogram diff falls back to Myers on lines that repeat more than 63
//! times, and Myers costs up to lines × edit distance (two 1 000 000-line versions made of 4
//! distinct lines took 16 s, `git diff` 11.6 s). Past `DIFF_BUDGET` line pairs the added lines
//! are instead the new lines whose text occurs nowhere in the old version, found in linear
//! time. For secrets that is the same answer in all but one respect: a line copied from
//! elsewhere in the old version (a closing `-----END … KEY-----` line, say) is not "added".

use gix::diff::blob::platform::resource::ByteLinesWithoutTerminator;
use gix::diff::blob::{Algorithm, Diff, InternedInput};

use std::ops::Range;

use crate::chunk::{LineRun, without_final_terminator};

/// Old × new line pairs past which a file is not diffed (see the module documentation): two
/// versions of 100 000 lines each.
pub const DIFF_BUDGET: u64 = 100_000 * 100_000;

/// The runs of lines of `new` that are not in `old`.
pub fn added_runs(old: &[u8], new: &[u8]) -> Vec<LineRun> {
    // Whole identical lines at both ends are not diffed (git's diff trims them too): a
    // one-line edit of a large file interns and diffs a few lines, not the file. Interning
    // every line of both versions was 13% of a history scan.
    let (prefix, suffix) = common_ends(old, new);
    if prefix == 0 && suffix == 0 {
        return diffed_runs(old, new);
    }
    let lines_before = memchr::memchr_iter(b'\n', &new[..prefix]).count() as u32;
    diffed_runs(
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    )
    .into_iter()
    .map(|run| LineRun {
        bytes: run.bytes.start + prefix..run.bytes.end + prefix,
        first_line: run.first_line + lines_before,
    })
    .collect()
}

/// The lengths of the longest common prefix and suffix of `old` and `new` that are whole
/// lines (the prefix ends after a line feed, the suffix starts after one or at the start) and
/// do not overlap.
fn common_ends(old: &[u8], new: &[u8]) -> (usize, usize) {
    let shorter = old.len().min(new.len());
    let mut same = 0;
    const CHUNK: usize = 64;
    while same + CHUNK <= shorter && old[same..same + CHUNK] == new[same..same + CHUNK] {
        same += CHUNK;
    }
    while same < shorter && old[same] == new[same] {
        same += 1;
    }
    let prefix = memchr::memrchr(b'\n', &old[..same]).map_or(0, |i| i + 1);
    let room = shorter - prefix;
    let mut tail = 0;
    while tail + CHUNK <= room
        && old[old.len() - tail - CHUNK..old.len() - tail]
            == new[new.len() - tail - CHUNK..new.len() - tail]
    {
        tail += CHUNK;
    }
    while tail < room && old[old.len() - tail - 1] == new[new.len() - tail - 1] {
        tail += 1;
    }
    // Start the suffix at a line start in both versions: after its first line feed unless the
    // bytes before it already end a line (or are the prefix's end).
    let line_start = |data: &[u8], at: usize| at == prefix || data[at - 1] == b'\n';
    if tail > 0 && !(line_start(old, old.len() - tail) && line_start(new, new.len() - tail)) {
        let from = old.len() - tail;
        tail = match memchr::memchr(b'\n', &old[from..]) {
            Some(i) => tail - (i + 1),
            None => 0,
        };
    }
    (prefix, tail)
}

/// `added_runs` without trimming the common ends.
fn diffed_runs(old: &[u8], new: &[u8]) -> Vec<LineRun> {
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
    let added: Vec<Range<u32>> =
        if input.before.len() as u64 * input.after.len() as u64 > DIFF_BUDGET {
            lines_not_in_old(&input)
        } else {
            Diff::compute(Algorithm::Histogram, &input)
                .hunks()
                .filter(|h| !h.after.is_empty())
                .map(|h| h.after)
                .collect()
        };
    let mut cursor = LineCursor::default();
    added
        .into_iter()
        .map(|lines| {
            let start = cursor.offset_of_line(new, lines.start);
            let end = cursor.offset_of_line(new, lines.end);
            LineRun {
                bytes: start..without_final_terminator(new, end),
                first_line: lines.start + 1,
            }
        })
        .collect()
}

/// Runs of consecutive new lines (0-based, end exclusive) whose text is not an old line.
fn lines_not_in_old<T>(input: &InternedInput<T>) -> Vec<Range<u32>> {
    let mut in_old = vec![false; input.interner.num_tokens() as usize];
    for &token in &input.before {
        in_old[u32::from(token) as usize] = true;
    }
    let mut runs: Vec<Range<u32>> = Vec::new();
    for (line, &token) in (0u32..).zip(&input.after) {
        if in_old[u32::from(token) as usize] {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.end == line => run.end += 1,
            _ => runs.push(line..line + 1),
        }
    }
    runs
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

    /// Past the budget, the new lines whose text the old version lacks: in order, with their
    /// line numbers, whatever moved around them.
    #[test]
    fn past_the_budget_lines_not_in_the_old_version() {
        let lines = 100_001;
        let old: String = (0..lines).map(|i| format!("{}\n", i % 4)).collect();
        let mut new: String = (0..lines).map(|i| format!("{}\n", (i + 1) % 4)).collect();
        new.push_str("key=1\nkey=2\n0\nkey=3\n");
        let got = runs(&old, &new);
        let first = lines as u32 + 1;
        assert_eq!(
            got,
            vec![("key=1\nkey=2".into(), first), ("key=3".into(), first + 3)]
        );
    }

    /// Trimming the identical ends is only a shortcut: on files of distinct lines (where the
    /// diff has one answer) it reports what diffing the whole files reports, whatever the edit.
    #[test]
    fn trimming_the_common_ends_changes_no_answer() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for case in 0..500 {
            let len = 1 + next(60) as usize;
            let old: Vec<String> = (0..len).map(|i| format!("line {case}.{i}")).collect();
            let mut new = old.clone();
            for edit in 0..1 + next(4) {
                let at = next(new.len() as u64 + 1) as usize;
                match next(3) {
                    0 => new.insert(at, format!("added {edit}")),
                    1 if at < new.len() => new[at] = format!("changed {edit}"),
                    _ if at < new.len() => {
                        new.remove(at);
                    }
                    _ => {}
                }
            }
            let end = ["", "\n", "\r\n"][next(3) as usize];
            let (old, new) = (old.join("\n") + end, new.join("\n") + end);
            assert_eq!(
                added_runs(old.as_bytes(), new.as_bytes()),
                diffed_runs(old.as_bytes(), new.as_bytes()),
                "{old:?} → {new:?}"
            );
        }
    }

    #[test]
    fn a_line_edited_in_a_large_file_is_found_at_its_line() {
        let old: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 5000\n", "line 5000\ntoken = x\n");
        assert_eq!(runs(&old, &new), vec![("token = x".into(), 5002)]);
        let (prefix, suffix) = common_ends(old.as_bytes(), new.as_bytes());
        assert_eq!(prefix + suffix, old.len());
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
