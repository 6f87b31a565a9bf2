//! Where a match is: its line and column in the file, and whether a pragma may cover it.
//!
//! Line bounds, column and pragma presence are computed once per line and the cursor only moves
//! forward, so a huge minified line with many matches stays linear.

use std::ops::Range;

use crate::chunk::{Chunk, LineRun};
use crate::detectors::{Catalogue, Severity};
use crate::engine::Match;
use crate::engine::decode::Layers;
use crate::finding::{Finding, Secret, Suppression};
use crate::fingerprint::Fingerprint;

use super::pragma::{self, Verdict};

/// Turns `matches` (positions in `chunk.data`, sorted, each inside one of the chunk's runs)
/// into findings with line, column and pragma state, appended to `out`.
pub(super) fn findings(
    catalogue: &Catalogue,
    chunk: &Chunk,
    matches: &[Match],
    out: &mut Vec<Finding>,
) {
    let mut rest = matches;
    for run in &chunk.runs {
        let (here, next) = rest.split_at(rest.partition_point(|m| m.secret.start < run.bytes.end));
        rest = next;
        if !here.is_empty() {
            run_findings(catalogue, chunk, run, here, out);
        }
    }
    debug_assert!(rest.is_empty(), "a match outside every run");
}

fn run_findings(
    catalogue: &Catalogue,
    chunk: &Chunk,
    run: &LineRun,
    matches: &[Match],
    out: &mut Vec<Finding>,
) {
    // Ids in use or disabled: a pragma naming a detector this repository disables is not a typo.
    let is_id = |id: &str| {
        catalogue.detectors.iter().any(|d| d.id == id)
            || catalogue.disabled.iter().any(|d| d.id == id)
    };
    let mut cursor = LineCursor::new(&chunk.data, run);
    // Pragma decisions of the current line, per detector: parsing a pragma reads the whole
    // line, so a huge line with a pragma and many findings must parse it once per detector,
    // not once per finding.
    let mut decided: (u32, Vec<(usize, Verdict)>) = (0, Vec::new());
    for m in matches {
        let at = cursor.advance_to(m.secret.start);
        let d = &catalogue.detectors[m.detector];
        // Found inside an encoded value: the decoded secret is the secret (what the report
        // shows and the fingerprint hashes); its place is the encoded value's.
        let (secret, encoding) = match &m.encoded {
            Some(e) => (&e.secret[..], e.layers),
            None => (&chunk.data[m.secret.clone()], Layers::default()),
        };
        if decided.0 != at.number {
            decided = (at.number, Vec::new());
        }
        let verdict = if !at.may_have_pragma {
            Verdict::NotAllowed
        } else if let Some((_, v)) = decided.1.iter().find(|(det, _)| *det == m.detector) {
            v.clone()
        } else {
            let v = pragma::pragma_verdict(at.text, at.previous, &d.id, &is_id);
            decided.1.push((m.detector, v.clone()));
            v
        };
        let (allowed, unknown_allow_ids) = match verdict {
            Verdict::Allowed => (true, Vec::new()),
            Verdict::NotAllowed => (false, Vec::new()),
            Verdict::UnknownIds(ids) => (false, ids),
        };
        // A generic finding in a test, fixture, example or documentation file, or under a
        // sample/example name, is most likely a fixture: a warning. A provider's format is
        // never lowered.
        let lowered = d.matcher().is_some()
            && (m.example || crate::engine::generic::context::is_test_path(&chunk.path));
        out.push(Finding {
            detector: m.detector,
            provider: m.provider.clone(),
            severity: if lowered { Severity::Low } else { d.severity },
            path: chunk.path.clone(),
            origin: chunk.origin.clone(),
            line: at.number,
            column: at.column,
            secret: Secret::new(secret),
            fingerprint: Fingerprint::of(&d.id, secret),
            encoding,
            suppressed: allowed.then_some(Suppression::Pragma),
            unknown_allow_ids,
        });
    }
}

/// Walks forward through a chunk, tracking the line that contains a position.
struct LineCursor<'a> {
    data: &'a [u8],
    number: u32,
    /// Position up to which newlines have been counted.
    pos: usize,
    /// The current line, the line before it, and whether either holds a pragma marker.
    line: Option<(Range<usize>, Option<Range<usize>>, bool)>,
    column_at: (usize, u32),
}

struct LineAt<'a> {
    number: u32,
    column: u32,
    text: &'a [u8],
    previous: Option<&'a [u8]>,
    may_have_pragma: bool,
}

impl<'a> LineCursor<'a> {
    fn new(data: &'a [u8], run: &LineRun) -> Self {
        LineCursor {
            data,
            number: run.first_line,
            pos: run.bytes.start,
            line: None,
            column_at: (run.bytes.start, 1),
        }
    }

    fn advance_to(&mut self, abs: usize) -> LineAt<'a> {
        let newlines = memchr::memchr_iter(b'\n', &self.data[self.pos..abs]).count();
        self.number += newlines as u32;
        self.pos = abs;
        if newlines > 0 || self.line.is_none() {
            let start = memchr::memrchr(b'\n', &self.data[..abs]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &self.data[abs..]).map_or(self.data.len(), |i| abs + i);
            let previous = line_before_statement(self.data, start);
            let pragma = pragma::has_marker(&self.data[start..end])
                || previous
                    .clone()
                    .is_some_and(|p| pragma::has_marker(&self.data[p]));
            self.line = Some((start..end, previous, pragma));
            self.column_at = (start, 1);
        }
        let (range, previous, may_have_pragma) = self.line.clone().expect("line set above");
        let (from, col) = self.column_at;
        let column = col
            + String::from_utf8_lossy(&self.data[from..abs])
                .chars()
                .count() as u32;
        self.column_at = (abs, column);
        LineAt {
            number: self.number,
            column,
            text: &self.data[range.clone()],
            previous: previous.map(|p| &self.data[p]),
            may_have_pragma,
        }
    }
}

/// The byte range of the line before the line starting at `line_start`.
fn previous_line(data: &[u8], line_start: usize) -> Option<Range<usize>> {
    (line_start > 0).then(|| {
        let end = line_start - 1;
        let start = memchr::memrchr(b'\n', &data[..end]).map_or(0, |i| i + 1);
        start..end
    })
}

/// Continuation lines a `leakguard:allow-next-line` may reach across.
pub const MAX_CONTINUATION_LINES: usize = 100;

/// The line where a `leakguard:allow-next-line` for the line starting at `line_start` sits:
/// the line before it, or, when that line ends in a `\` continuation (multi-line shell
/// commands, `.properties` values, C macros), the line before the whole continued statement,
/// because no comment can sit between continued lines.
fn line_before_statement(data: &[u8], line_start: usize) -> Option<Range<usize>> {
    let mut previous = previous_line(data, line_start)?;
    for _ in 0..MAX_CONTINUATION_LINES {
        let text = &data[previous.clone()];
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if !text.ends_with(b"\\") {
            break;
        }
        match previous_line(data, previous.start) {
            Some(p) => previous = p,
            None => break,
        }
    }
    Some(previous)
}
