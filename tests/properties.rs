//! Property tests (proptest) of the pure parts the hook's answers rest on, through the library
//! API: added-line extraction (`git::added_runs`) and the engine (`Scanner`, with the stage that
//! locates its matches, `pipeline::scan_chunk`). Each property
//! plants a real-shaped secret and asks for exactly one finding of it, at its line and column:
//! - whatever the line endings (LF, CRLF, mixed, no final newline), also across an LF→CRLF
//!   rewrite of the rest of the file;
//! - wherever it sits in a run of added lines inserted among old ones;
//! - whatever surrounds it on a long line: keyword decoys before and after, at distances
//!   around the engine's `CONTEXT` window (so windows open, merge and end near it), with the
//!   quick-to-build and the fast keyword automaton, and with a scanner that crosses the 4 MiB
//!   switch between them in the very run that holds the secret.

use std::sync::{Arc, LazyLock};

use proptest::prelude::*;

use leakguard::chunk::{Chunk, Origin};
use leakguard::detectors::Catalogue;
use leakguard::engine::{CONTEXT, LARGE_WORKLOAD, Scanner, Workload};
use leakguard::git::added_runs;
use leakguard::pipeline::scan_chunk;
use leakguard::suppress::Allowlist;

use crate::util::secrets;

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::builtin().unwrap());
static SMALL: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Small).unwrap());
static LARGE: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Large).unwrap());
static FILTERED: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Filtered).unwrap());

/// (line, column) of every finding of exactly `secret`.
fn found(scanner: &Scanner<'_>, chunk: &Chunk, secret: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    scan_chunk(scanner, &Allowlist::default(), chunk, &mut out).unwrap();
    out.iter()
        .filter(|f| f.secret.expose() == secret.as_bytes())
        .map(|f| (f.line, f.column))
        .collect()
}

fn chunk(data: Vec<u8>, old: Option<&[u8]>) -> Chunk {
    let runs = match old {
        Some(old) => added_runs(old, &data),
        None => added_runs(&[], &data),
    };
    Chunk {
        path: "p".into(),
        origin: Arc::new(Origin::Staged),
        data,
        runs,
    }
}

/// Plain text that can hold no secret: lowercase words and spaces.
fn text() -> impl Strategy<Value = String> {
    "[a-z ]{0,24}"
}

fn ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n")]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn line_numbers_whatever_the_line_endings(
        lines in prop::collection::vec((text(), ending()), 1..40),
        at in any::<prop::sample::Index>(),
        prefix in "[a-z]{0,10} ?= ?",
        last in prop_oneof![Just(""), Just("\n"), Just("\r\n")],
        seed in 0u64..1000,
    ) {
        let secret = secrets::github_pat_n(seed);
        let k = at.index(lines.len());
        let build = |with_secret: bool, crlf_everywhere: bool| {
            let mut s = String::new();
            for (i, (t, end)) in lines.iter().enumerate() {
                if with_secret && i == k {
                    s.push_str(&format!("{prefix}\"{secret}\""));
                } else {
                    s.push_str(t);
                }
                let end = if i + 1 == lines.len() { last } else if crlf_everywhere { "\r\n" } else { end };
                s.push_str(end);
            }
            s
        };
        let new = build(true, false).into_bytes();
        let expected = vec![(k as u32 + 1, prefix.len() as u32 + 2)];
        // A new file, and an edit of a file that had the same lines with other endings.
        prop_assert_eq!(found(&SMALL, &chunk(new.clone(), None), &secret), expected.clone());
        let old = build(false, true).into_bytes();
        let edited = chunk(new, Some(&old));
        prop_assert_eq!(found(&SMALL, &edited, &secret), expected);
        prop_assert_eq!(edited.added_lines(), 1, "only the secret's line is new");
    }

    #[test]
    fn a_secret_is_found_wherever_it_sits_in_a_run_of_added_lines(
        old_lines in prop::collection::vec(text(), 0..30),
        added in prop::collection::vec(text(), 1..30),
        insert in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        column in 0usize..40,
        seed in 0u64..1000,
    ) {
        let secret = secrets::github_pat_n(seed);
        let p = insert.index(old_lines.len() + 1);
        let j = at.index(added.len());
        let mut new_lines: Vec<String> = old_lines[..p].to_vec();
        for (i, t) in added.iter().enumerate() {
            // `+` never occurs in old lines, so every inserted line is new to the diff.
            let mut line = format!("+{t}");
            if i == j {
                let col = column.min(line.len());
                line.insert_str(col, &format!(" {secret} "));
            }
            new_lines.push(line);
        }
        new_lines.extend_from_slice(&old_lines[p..]);
        let join = |v: &[String]| v.iter().map(|l| format!("{l}\n")).collect::<String>();
        let old = join(&old_lines);
        let new = join(&new_lines);
        let c = chunk(new.clone().into_bytes(), Some(old.as_bytes()));
        let line = p + j + 1;
        let col = new_lines[line - 1].find(&secret).unwrap() + 1;
        prop_assert_eq!(found(&SMALL, &c, &secret), vec![(line as u32, col as u32)]);
        prop_assert_eq!(found(&LARGE, &c, &secret), vec![(line as u32, col as u32)]);
        prop_assert_eq!(found(&FILTERED, &c, &secret), vec![(line as u32, col as u32)]);
        prop_assert_eq!(c.added_lines(), added.len());
    }

    #[test]
    fn a_hit_near_a_window_boundary_is_still_found(
        before in prop::collection::vec((0usize..3 * CONTEXT, 0usize..4), 0..6),
        after in prop::collection::vec((0usize..3 * CONTEXT, 0usize..4), 0..4),
        gap in prop_oneof![0usize..16, CONTEXT - 16..CONTEXT + 16, 2 * CONTEXT - 16..2 * CONTEXT + 16],
        newline_before in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let secret = secrets::github_pat_n(seed);
        // Keyword decoys of the secret's own detector and of others, at distances around the
        // window size, so that the secret's window is opened, merged or extended by them.
        const DECOYS: [&str; 4] = ["ghp_notatoken ", "GHP_x ", "token = none ", "AKIA "];
        let filler = |n: usize| "x".repeat(n);
        let mut line = String::new();
        for &(distance, decoy) in &before {
            line.push_str(&filler(distance));
            line.push_str(DECOYS[decoy]);
        }
        line.push_str(&filler(gap));
        if newline_before {
            line.push('\n');
        }
        line.push(' ');
        let start = line.len();
        line.push_str(&secret);
        line.push(' ');
        for &(distance, decoy) in &after {
            line.push_str(DECOYS[decoy]);
            line.push_str(&filler(distance));
        }
        let lineno = line[..start].matches('\n').count() as u32 + 1;
        let col = (start - line[..start].rfind('\n').map_or(0, |i| i + 1)) as u32 + 1;
        let expected = vec![(lineno, col)];
        let c = chunk(line.into_bytes(), None);
        prop_assert_eq!(found(&SMALL, &c, &secret), expected.clone());
        prop_assert_eq!(found(&FILTERED, &c, &secret), expected.clone());
        prop_assert_eq!(found(&LARGE, &c, &secret), expected);
    }
}

proptest! {
    // Each case scans 4 MiB first: fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The scanner switches automata once `LARGE_WORKLOAD` bytes have been scanned; the run
    /// that crosses the threshold, holding the secret, must be scanned as well as any other.
    #[test]
    fn crossing_the_large_workload_switch_changes_nothing(
        offset in 0usize..4096,
        cut in any::<prop::sample::Index>(),
        seed in 0u64..1000,
    ) {
        let secret = secrets::github_pat_n(seed);
        let scanner = Scanner::new(&CATALOGUE).unwrap();
        let text = format!("{}\nkey = {secret}\n", "x".repeat(offset));
        // The first run stops short of the threshold by less than the second run's length.
        let run_len = text.len() - 1;
        let first = LARGE_WORKLOAD as usize - (cut.index(run_len - 1) + 1);
        let mut filler = "abc def\n".repeat(first / 8);
        filler.push_str(&"z".repeat(first % 8));
        prop_assert_eq!(found(&scanner, &chunk(filler.into_bytes(), None), &secret), vec![]);
        prop_assert_eq!(found(&scanner, &chunk(text.into_bytes(), None), &secret), vec![(2, 7)]);
    }
}
