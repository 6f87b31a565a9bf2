//! Invariants of the `engine` fuzz target (the engine on arbitrary bytes, with the built-in
//! detectors), shared with `tests/fuzz_regressions.rs`, which replays known crashes.
//!
//! Invariants, for every finding: it lies inside the chunk, on a line that exists, starting at
//! its reported column, within a run of added lines; its fingerprint is that of its detector
//! and secret; and the detector's regex, run again on the finding's line (or, for a line
//! longer than the engine's window, on the window around the secret; for a multi-line detector,
//! on the rest of the run), matches exactly that secret. The keyword automata (the one built
//! for small commits, the one for large scans, and the per-input one of the keywords an input
//! can hold) give the same findings.

use std::sync::{Arc, LazyLock};

use leakguard::chunk::{Chunk, LineRun, Origin};
use leakguard::detectors::{Catalogue, Detector, Matcher, Pattern};
use leakguard::engine::{CONTEXT, MULTILINE_SPAN, Scanner, Workload, generic, shape};
use leakguard::finding::Finding;
use leakguard::fingerprint::Fingerprint;
use leakguard::pipeline::scan_chunk;
use leakguard::suppress::Allowlist;

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::builtin().expect("the built-in catalogue loads"));
static SMALL: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Small).expect("scanner"));
static LARGE: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Large).expect("scanner"));
static FILTERED: LazyLock<Scanner<'static>> =
    LazyLock::new(|| Scanner::with_workload(&CATALOGUE, Workload::Filtered).expect("scanner"));

/// Byte offset of the start of 1-based line `n`.
fn line_start(data: &[u8], n: u32) -> Option<usize> {
    if n == 1 {
        return Some(0);
    }
    memchr::memchr_iter(b'\n', data)
        .nth(n as usize - 2)
        .map(|i| i + 1)
}

/// Byte offset of 1-based column `col` (in characters of the lossy UTF-8 decoding, as the
/// engine counts them) in `line`.
fn column_offset(line: &[u8], col: u32) -> Option<usize> {
    let mut chars = 0u32;
    let mut offset = 0;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            if chars + 1 == col {
                return Some(offset);
            }
            chars += 1;
            offset += c.len_utf8();
        }
        if !chunk.invalid().is_empty() {
            if chars + 1 == col {
                return Some(offset);
            }
            chars += 1;
            offset += chunk.invalid().len();
        }
    }
    (chars + 1 == col).then_some(offset)
}

fn rematches(scanner: &Scanner<'_>, data: &[u8], f: &Finding, at: usize, run: &LineRun) -> bool {
    let d = &CATALOGUE.detectors[f.detector];
    let len = f.secret.expose().len();
    if let Some(m) = d.matcher() {
        return matcher_rematches(m, data, at, len, run);
    }
    let Some(regex) = scanner.regex(f.detector).expect("built-in regexes compile") else {
        return shape_rematches(d, data, at, len, run);
    };
    let ls = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
    let le = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
    let mut haystacks = vec![(ls, le.min(run.bytes.end))];
    haystacks.push((
        ls.max(at.saturating_sub(CONTEXT)),
        le.min(at + len + CONTEXT).min(run.bytes.end),
    ));
    if d.multiline {
        // The match may start on an earlier line, where the keyword is: try each line start.
        let floor = run.bytes.start.max(at.saturating_sub(MULTILINE_SPAN));
        let mut starts = vec![ls];
        starts.extend(
            memchr::memrchr_iter(b'\n', &data[floor..ls.saturating_sub(1).max(floor)])
                .map(|i| floor + i + 1)
                .take(256),
        );
        starts.push(run.bytes.start);
        for from in starts {
            haystacks.push((from, run.bytes.end));
            haystacks.push((from, run.bytes.end.min(at + len + MULTILINE_SPAN)));
        }
    }
    haystacks.into_iter().any(|(from, to)| {
        from <= at
            && at + len <= to
            && regex.captures_iter(&data[from..to]).any(|caps| {
                caps.name("secret")
                    .or_else(|| caps.get(0))
                    .is_some_and(|m| from + m.start() == at && m.len() == len)
            })
    })
}

/// A shaped detector's value found again by the shape matcher, on its keyword's line or the
/// line before (a value may sit on the line after its keyword).
fn shape_rematches(d: &Detector, data: &[u8], at: usize, len: usize, run: &LineRun) -> bool {
    let Pattern::Shape(shape) = &d.pattern else {
        return false;
    };
    let hay = &data[run.bytes.clone()];
    let at = at - run.bytes.start;
    let ls = memchr::memrchr(b'\n', &hay[..at]).map_or(0, |i| i + 1);
    let previous = memchr::memrchr(b'\n', &hay[..ls.saturating_sub(1)]).map_or(0, |i| i + 1);
    let le = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
    let lower: Vec<Vec<u8>> = d
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    let mut found = Vec::new();
    shape::find(shape, &lower, hay, previous.min(ls)..le, &mut found);
    found.contains(&(at..at + len))
}

/// A generic detector's value found again by its matcher, over the run up to the value's line
/// end (the name may sit lines before the value, as in an XML element), in one of the
/// detector's forms.
fn matcher_rematches(m: &Matcher, data: &[u8], at: usize, len: usize, run: &LineRun) -> bool {
    let hay = &data[run.bytes.clone()];
    let at = at - run.bytes.start;
    let le = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
    let mut found = Vec::new();
    generic::find(m.kind, hay, 0..le, &generic::words_in(hay), &mut found);
    if found
        .iter()
        .any(|g| m.forms.contains(&g.form) && g.secret == (at..at + len))
    {
        return true;
    }
    // A value found inside a percent-encoded one whose own bytes needed no decoding is placed
    // at those bytes, but the binding around it (a name, a quote) exists only decoded.
    let ls = memchr::memrchr(b'\n', &hay[..at]).map_or(0, |i| i + 1);
    hay[ls..le]
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

fn check(scanner: &Scanner<'_>, chunk: &Chunk) -> Vec<(usize, u32, u32, Vec<u8>)> {
    let mut findings = Vec::new();
    scan_chunk(scanner, &Allowlist::default(), chunk, &mut findings)
        .expect("built-in detectors scan");
    let data = &chunk.data;
    for f in &findings {
        let secret = f.secret.expose();
        assert!(!secret.is_empty());
        let id = &CATALOGUE.detectors[f.detector].id;
        assert_eq!(f.fingerprint, Fingerprint::of(id, secret));
        if !f.encoding.is_empty() {
            // Found inside an encoded value: the place is the encoded value's, the secret the
            // decoded token, so neither is at that place in the bytes.
            assert!(line_start(data, f.line).is_some(), "no line {}", f.line);
            continue;
        }
        let ls = line_start(data, f.line).unwrap_or_else(|| panic!("no line {}", f.line));
        let le = memchr::memchr(b'\n', &data[ls..]).map_or(data.len(), |i| ls + i);
        let at = ls
            + column_offset(&data[ls..le], f.column)
                .unwrap_or_else(|| panic!("no column {} on line {}", f.column, f.line));
        assert!(at + secret.len() <= data.len(), "finding past the end");
        assert_eq!(
            &data[at..at + secret.len()],
            secret,
            "secret not at {}:{}",
            f.line,
            f.column
        );
        let run = chunk
            .runs
            .iter()
            .find(|r| r.bytes.start <= at && at + secret.len() <= r.bytes.end)
            .expect("a finding lies inside a run of added lines");
        assert!(
            rematches(scanner, data, f, at, run),
            "{id} does not re-match at {}:{}",
            f.line,
            f.column
        );
    }
    findings
        .into_iter()
        .map(|f| (f.detector, f.line, f.column, f.secret.expose().to_vec()))
        .collect()
}

/// Checks the invariants above on one input.
pub fn check_input(data: &[u8]) {
    let origin = Arc::new(Origin::File);
    // A whole new file, and the same bytes as an edit whose every other line is new.
    let whole = Chunk::whole("fuzz".into(), origin.clone(), data.to_vec());
    let small = check(&SMALL, &whole);
    let large = check(&LARGE, &whole);
    assert_eq!(small, large, "the two keyword automata disagree");
    let filtered = check(&FILTERED, &whole);
    assert_eq!(
        small, filtered,
        "the per-input automaton finds other keywords"
    );

    let old: Vec<u8> = data
        .split_inclusive(|&b| b == b'\n')
        .step_by(2)
        .flatten()
        .copied()
        .collect();
    let edit = Chunk {
        path: "fuzz".into(),
        origin,
        data: data.to_vec(),
        runs: leakguard::git::added_runs(&old, data),
    };
    check(&SMALL, &edit);
}
