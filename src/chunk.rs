//! What the sources hand to the engine: text that is about to leave the machine.
//!
//! A `Chunk` is one file's new content plus the runs of lines that were *added* to it. The engine
//! only looks inside the runs; the rest of the content is kept so that a pragma on the line
//! before a finding (`leakguard:allow-next-line`) can be honoured even when that line is old.

use std::ops::Range;
use std::sync::Arc;

/// Where a chunk's text comes from; it decides how the report words the remediation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Staged in the index, about to be committed: the secret has not left this machine.
    Staged,
    /// Introduced by a commit (pre-push or history scan).
    Commit(CommitInfo),
    /// A plain file on disk (or stdin).
    File,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub subject: String,
    pub author: String,
    /// First parent, `None` for a root commit.
    pub parent: Option<String>,
}

impl CommitInfo {
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(10)]
    }
}

/// A run of consecutive added lines: a byte range of `Chunk::data` that ends before the
/// terminator of its last line, and the 1-based line number of its first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRun {
    pub bytes: Range<usize>,
    pub first_line: u32,
}

#[derive(Debug)]
pub struct Chunk {
    /// Repository-relative path with `/` separators (lossily decoded if not UTF-8).
    pub path: String,
    pub origin: Arc<Origin>,
    /// The whole new content of the file.
    pub data: Vec<u8>,
    pub runs: Vec<LineRun>,
}

impl Chunk {
    /// A chunk whose every line counts as added (a new file, a plain file on disk).
    pub fn whole(path: String, origin: Arc<Origin>, data: Vec<u8>) -> Self {
        let runs = if data.is_empty() {
            Vec::new()
        } else {
            vec![LineRun {
                bytes: 0..without_final_terminator(&data, data.len()),
                first_line: 1,
            }]
        };
        Chunk {
            path,
            origin,
            data,
            runs,
        }
    }

    /// Number of added lines across all runs.
    pub fn added_lines(&self) -> usize {
        self.runs
            .iter()
            .map(|r| memchr::memchr_iter(b'\n', &self.data[r.bytes.clone()]).count() + 1)
            .sum()
    }
}

/// `end` moved back over the `\n` (and `\r`) that terminates the line ending there, so that a
/// run holds exactly its lines and a file's final newline does not count as one more line.
pub fn without_final_terminator(data: &[u8], mut end: usize) -> usize {
    if end > 0 && data[end - 1] == b'\n' {
        end -= 1;
        if end > 0 && data[end - 1] == b'\r' {
            end -= 1;
        }
    }
    end
}

/// Git's binary heuristic: a NUL byte in the first 8 000 bytes.
pub const BINARY_SNIFF_LEN: usize = 8000;

pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF_LEN)]).is_some()
}
