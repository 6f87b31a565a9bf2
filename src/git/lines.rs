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
    let added = added_lines(&input);
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

/// A file's lines reduced to what `added_runs` compares: each line's hash without its
/// terminator, and the terminator. A history read in write order keeps these for a file's last
/// version instead of its text (`git/versions.rs`): 9 bytes a line.
pub struct LineHashes {
    hashes: Vec<u64>,
    endings: Vec<Ending>,
}

/// How a line ends: the diff compares lines without it, the trimmed common ends with it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    None,
    Lf,
    CrLf,
}

impl LineHashes {
    /// The lines of `data`, split as `added_runs` splits them.
    pub fn of(data: &[u8]) -> Self {
        Self::with_starts(data).0
    }

    /// `of`, with where each line starts in `data`.
    fn with_starts(data: &[u8]) -> (Self, Vec<usize>) {
        // One seed per process, from the operating system's randomness (through std's
        // `RandomState`): the hashes of two versions must agree, and a line crafted to hash like
        // an old one (and so go unscanned) cannot be made without the seed. foldhash is fast but
        // claims no resistance to an attacker who can observe its hashes; none are shown.
        static SEED: std::sync::OnceLock<foldhash::fast::FixedState> = std::sync::OnceLock::new();
        let seed = SEED.get_or_init(|| {
            let random = std::hash::BuildHasher::hash_one(&std::hash::RandomState::new(), 0u8);
            foldhash::fast::FixedState::with_seed(random)
        });
        let count = memchr::memchr_iter(b'\n', data).count() + 1;
        let mut lines = LineHashes {
            hashes: Vec::with_capacity(count),
            endings: Vec::with_capacity(count),
        };
        let mut starts = Vec::with_capacity(count);
        let mut at = 0;
        while at < data.len() {
            let (end, next, ending) = match memchr::memchr(b'\n', &data[at..]) {
                Some(i) if i > 0 && data[at + i - 1] == b'\r' => {
                    (at + i - 1, at + i + 1, Ending::CrLf)
                }
                Some(i) => (at + i, at + i + 1, Ending::Lf),
                None => (data.len(), data.len(), Ending::None),
            };
            starts.push(at);
            lines
                .hashes
                .push(std::hash::BuildHasher::hash_one(seed, &data[at..end]));
            lines.endings.push(ending);
            at = next;
        }
        (lines, starts)
    }

    /// Bytes held.
    pub fn size(&self) -> usize {
        self.hashes.len() * 9
    }

    fn same_line(&self, i: usize, other: &LineHashes, j: usize) -> bool {
        self.hashes[i] == other.hashes[j] && self.endings[i] == other.endings[j]
    }
}

/// `added_runs` against an old version of which only the line hashes are kept: the same runs
/// (the common ends are whole identical lines either way), with the new version's hashes.
pub fn added_runs_from_hashes(old: &LineHashes, new: &[u8]) -> (Vec<LineRun>, LineHashes) {
    let (lines, starts) = LineHashes::with_starts(new);
    let (old_count, new_count) = (old.hashes.len(), lines.hashes.len());
    let mut prefix = 0;
    while prefix < old_count.min(new_count)
        && lines.endings[prefix] != Ending::None
        && old.same_line(prefix, &lines, prefix)
    {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < (old_count - prefix).min(new_count - prefix)
        && old.same_line(old_count - 1 - suffix, &lines, new_count - 1 - suffix)
    {
        suffix += 1;
    }
    let before = &old.hashes[prefix..old_count - suffix];
    let after = &lines.hashes[prefix..new_count - suffix];
    let added: Vec<Range<u32>> = if after.is_empty() {
        Vec::new()
    } else if before.is_empty() {
        std::iter::once(0..after.len() as u32).collect()
    } else {
        added_lines(&InternedInput::new(Hashes(before), Hashes(after)))
    };
    let line_start = |line: usize| starts.get(line).copied().unwrap_or(new.len());
    let runs = added
        .into_iter()
        .map(|lines| {
            let (first, end) = (prefix + lines.start as usize, prefix + lines.end as usize);
            LineRun {
                bytes: line_start(first)..without_final_terminator(new, line_start(end)),
                first_line: first as u32 + 1,
            }
        })
        .collect();
    (runs, lines)
}

/// Line hashes as the diff's tokens.
struct Hashes<'a>(&'a [u64]);

impl<'a> gix::diff::blob::TokenSource for Hashes<'a> {
    type Token = u64;
    type Tokenizer = std::iter::Copied<std::slice::Iter<'a, u64>>;

    fn tokenize(&self) -> Self::Tokenizer {
        self.0.iter().copied()
    }

    fn estimate_tokens(&self) -> u32 {
        self.0.len() as u32
    }
}

/// The runs of new lines (0-based, end exclusive) the diff of `input` adds; past
/// `DIFF_BUDGET` line pairs, those whose text is not an old line.
fn added_lines<T: std::hash::Hash + Eq>(input: &InternedInput<T>) -> Vec<Range<u32>> {
    if input.before.len() as u64 * input.after.len() as u64 > DIFF_BUDGET {
        lines_not_in_old(input)
    } else {
        Diff::compute(Algorithm::Histogram, input)
            .hunks()
            .filter(|h| !h.after.is_empty())
            .map(|h| h.after)
            .collect()
    }
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

    /// `added_runs_from_hashes` against the old version's hashes gives what `added_runs` gives
    /// against its text, on versions built from a few lines (so that lines repeat, move and
    /// change only their terminator), with and without a final terminator.
    #[test]
    fn hashes_of_the_old_version_give_the_same_runs_as_its_text() {
        let pieces = [
            "a\n",
            "b\n",
            "a\r\n",
            "c",
            "b",
            "\n",
            "key = 1\n",
            "a\r",
            "\r\n",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let version = |next: &mut dyn FnMut(u64) -> u64| {
            let count = next(12);
            (0..count)
                .map(|_| pieces[next(pieces.len() as u64) as usize])
                .collect::<String>()
        };
        for _ in 0..20_000 {
            let old = version(&mut next);
            let new = if next(3) == 0 {
                // An edit of the old version: a piece inserted somewhere.
                let at = next(old.len() as u64 + 1) as usize;
                let mut at = at;
                while !old.is_char_boundary(at) {
                    at -= 1;
                }
                format!(
                    "{}{}{}",
                    &old[..at],
                    pieces[next(pieces.len() as u64) as usize],
                    &old[at..]
                )
            } else {
                version(&mut next)
            };
            let expected = added_runs(old.as_bytes(), new.as_bytes());
            let (runs, hashes) =
                added_runs_from_hashes(&LineHashes::of(old.as_bytes()), new.as_bytes());
            let show = |runs: &[LineRun]| {
                runs.iter()
                    .map(|r| (r.bytes.clone(), r.first_line))
                    .collect::<Vec<_>>()
            };
            assert_eq!(show(&runs), show(&expected), "old {old:?} new {new:?}");
            let again = LineHashes::of(new.as_bytes());
            assert!(hashes.hashes == again.hashes && hashes.endings == again.endings);
        }
        // Truncations, deletions, lines repeated past histogram diff's limit (it falls back to
        // Myers), and a pair past `DIFF_BUDGET` (the linear fallback).
        let repeated = "x\n".repeat(70);
        let repeated_new = format!("{repeated}y\n{repeated}");
        let wide: String = (0..100_001).map(|i| format!("{}\n", i % 7)).collect();
        let wide_new = format!("{wide}new\n{wide}");
        for (old, new) in [
            ("a\nb\nc\n", "a\nb\n"),
            ("a\nb\nc\n", "a\n"),
            ("a\nb\nc", "a\nb"),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\n", ""),
            ("", "a\n"),
            (repeated.as_str(), repeated_new.as_str()),
            (wide.as_str(), wide_new.as_str()),
        ] {
            let expected = added_runs(old.as_bytes(), new.as_bytes());
            let (runs, _) = added_runs_from_hashes(&LineHashes::of(old.as_bytes()), new.as_bytes());
            let show = |runs: &[LineRun]| {
                runs.iter()
                    .map(|r| (r.bytes.clone(), r.first_line))
                    .collect::<Vec<_>>()
            };
            assert_eq!(show(&runs), show(&expected), "old {} bytes", old.len());
        }
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
