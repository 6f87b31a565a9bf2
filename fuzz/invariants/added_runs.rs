//! Invariants of the `added_runs` fuzz target (added-line extraction between two blobs,
//! `git::added_runs`, on arbitrary bytes), shared with `tests/fuzz_regressions.rs`. The input
//! is the two blobs, split by `split`.
//!
//! Invariants: every run lies within the new blob and ends before its last line's terminator;
//! the runs' line numbers strictly increase and stay within the new blob's line count; each
//! run's text is exactly those lines of `new` (terminators between them included, the last
//! one's not); and the lines left out of the runs are, in order, a subsequence of the old
//! blob's lines (compared without terminators), so nothing unchanged is reported and nothing
//! added is missed. (Past `DIFF_BUDGET` in `src/git/lines.rs`, 10^10 line pairs, beyond any input libFuzzer
//! makes here, the last one weakens to: each left-out line occurs in the old blob.)

use leakguard::git::added_runs;

/// Lines without their terminator (`\n`, or `\r\n`), with the byte range each occupies.
fn lines(data: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let (end, next) = match memchr::memchr(b'\n', &data[start..]) {
            Some(i) => {
                let nl = start + i;
                let end = if nl > start && data[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (end, nl + 1)
            }
            None => (data.len(), data.len()),
        };
        out.push((start, end));
        start = next;
    }
    out
}

/// Splits one fuzz input into the old and the new blob: the first two bytes (little-endian)
/// give the old blob's length, taken from what follows (modulo its length plus one).
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let (len, rest) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]) as usize, rest),
        _ => (0, &[][..]),
    };
    rest.split_at(len % (rest.len() + 1))
}

/// Checks the invariants above on one input.
pub fn check_input(data: &[u8]) {
    let (old, new) = split(data);
    let runs = added_runs(old, new);
    let new_lines = lines(new);
    let mut covered = vec![false; new_lines.len()];
    let mut last_line = 0u32;
    let mut last_end = 0usize;
    for run in &runs {
        assert!(
            run.bytes.start <= run.bytes.end && run.bytes.end <= new.len(),
            "{run:?}"
        );
        assert!(run.bytes.start >= last_end, "runs overlap: {runs:?}");
        assert!(
            run.first_line > last_line,
            "line numbers must increase: {runs:?}"
        );
        let first = run.first_line as usize;
        let count = memchr::memchr_iter(b'\n', &new[run.bytes.clone()]).count() + 1;
        let last = first + count - 1;
        assert!(
            last <= new_lines.len(),
            "{run:?} past line {}",
            new_lines.len()
        );
        assert_eq!(
            run.bytes.start,
            new_lines[first - 1].0,
            "{run:?} starts mid-line"
        );
        assert_eq!(
            run.bytes.end,
            new_lines[last - 1].1,
            "{run:?} ends mid-line"
        );
        for c in &mut covered[first - 1..last] {
            *c = true;
        }
        last_line = last as u32;
        last_end = run.bytes.end;
    }
    // Unreported lines are unchanged lines: a subsequence of the old lines.
    let old_lines = lines(old);
    let mut o = old_lines.iter();
    for (i, &(s, e)) in new_lines.iter().enumerate() {
        if !covered[i] {
            assert!(
                o.any(|&(os, oe)| old[os..oe] == new[s..e]),
                "line {} is reported unchanged but is not in the old blob",
                i + 1
            );
        }
    }
    if old.is_empty() && !new.is_empty() {
        assert_eq!(runs.len(), 1, "a new file is one run");
    }
}
