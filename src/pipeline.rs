//! Source → engine → suppress: each source's chunks scanned, their matches turned into findings.
//!
//! Each chunk goes through the stages one way and is dropped before the next is read: the
//! engine scans its runs of added lines, the suppression stage locates and marks the matches.
//! History and file scans run in parallel (rayon) one commit or file per task, each worker with
//! its own repository handle, so memory stays bounded by what the workers hold at once.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::chunk::{Chunk, LineRun, Origin};
use crate::engine::{Match, Scanner};
use crate::error::{Error, Result};
use crate::files::{self, FileRef};
use crate::finding::Finding;
use crate::fingerprint::Fingerprint;
use crate::git::{Change, CommitId, Content, Repo, SharedRepo, Staged};
use crate::outcome::{Outcome, Stats};
use crate::suppress::Allowlist;

/// Stack for the main work and for every worker. gix decodes an index's cache-tree and diffs
/// trees recursively, so a repository with deeply nested directories (thousands of levels:
/// hostile, but git stores it) overflowed rayon's default 2 MiB stack and aborted. Only the
/// pages a deep walk touches are ever committed.
/// (On Linux the main work runs on the main thread instead, its stack allowed to grow to
/// 64 MiB: `main.rs`.)
pub const STACK_SIZE: usize = 256 << 20;

/// Configures rayon's global pool with `STACK_SIZE` stacks, on the first parallel scan rather
/// than at start-up: starting the workers costs ~0.5 ms that a typical commit, scanned on one
/// thread, never needs.
pub fn start_workers() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // Fails only if the pool already exists, which then serves as it is.
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .build_global();
    });
}

/// A progress bar on a terminal, nothing in pipes and CI logs.
pub struct Progress(ProgressBar);

impl Progress {
    pub fn new(enabled: bool, len: usize, what: &str) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        let template =
            format!("{{spinner}} scanning {what} {{pos}}/{{len}} [{{elapsed}}] {{wide_bar}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        Progress(bar)
    }

    fn tick(&self) {
        self.0.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// The engine over each run of added lines of `chunk`: its matches, with positions in
/// `chunk.data`, sorted.
fn matches(scanner: &Scanner<'_>, chunk: &Chunk) -> Result<Vec<Match>> {
    let mut out = Vec::new();
    for run in &chunk.runs {
        let from = out.len();
        scanner.scan(&chunk.data[run.bytes.clone()], &mut out)?;
        for m in &mut out[from..] {
            m.shift(run.bytes.start);
        }
    }
    Ok(out)
}

/// One chunk through the engine and the suppression stage: its findings (suppressed ones
/// included, marked) appended to `out`.
pub fn scan_chunk(
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    chunk: &Chunk,
    out: &mut Vec<Finding>,
) -> Result<()> {
    scan_moved_chunk(scanner, allow, chunk, out, |_| Ok(None))
}

/// `scan_chunk` for a file that may have been copied or moved: `source_lines` answers, from the
/// chunk's content, with the lines its source lacks (`None`: a new file), and only the matches
/// wholly within them are kept. It is asked only when there are matches, since it reads other
/// blobs.
fn scan_moved_chunk(
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    chunk: &Chunk,
    out: &mut Vec<Finding>,
    source_lines: impl FnOnce(&[u8]) -> Result<Option<Vec<LineRun>>>,
) -> Result<()> {
    let mut matches = matches(scanner, chunk)?;
    if !matches.is_empty()
        && let Some(lines) = source_lines(&chunk.data)?
    {
        matches.retain(|m| {
            lines
                .iter()
                .any(|r| r.bytes.start <= m.range.start && m.range.end <= r.bytes.end)
        });
    }
    if matches.is_empty() {
        return Ok(());
    }
    allow.findings(scanner.catalogue(), chunk, &matches, out)
}

/// Scans the added lines of everything staged for the next commit. With `files` (paths the
/// pre-commit framework names), only those: their added lines when every one of them is staged
/// (a commit), else their staged content in full (`pre-commit run --all-files` or `--files`,
/// which ask whether the files hold a secret, not whether this commit adds one).
pub fn scan_staged(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    files: &[String],
) -> Result<Outcome> {
    scan_stage(repo, scanner, allow, stage(repo, files)?)
}

/// What a pre-commit run scans, read from the index before the scanner is needed (see
/// `setup::setup_while`).
pub struct Stage {
    staged: Staged,
    /// The files were named and not all of them are staged: each is scanned whole.
    whole_files: bool,
}

/// The staged changes (of `files` only, when named: see `scan_staged`).
pub fn stage(repo: &Repo, files: &[String]) -> Result<Stage> {
    let files: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix("./").unwrap_or(f).to_string())
        .collect();
    let whole_files = !files.is_empty() && !repo.all_staged(&files)?;
    let staged = if whole_files {
        repo.staged_files(&files)?
    } else {
        let mut staged = repo.staged()?;
        if !files.is_empty() {
            staged.changes.retain(|c| files.contains(&c.path));
        }
        staged
    };
    Ok(Stage {
        staged,
        whole_files,
    })
}

/// Scans a `stage` of `repo`.
pub fn scan_stage(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    stage: Stage,
) -> Result<Outcome> {
    let Stage {
        staged,
        whole_files,
    } = stage;
    let origin = Arc::new(Origin::Staged);
    let scan_change = |repo: &Repo, change: &Change| -> Result<(Vec<Finding>, Stats)> {
        let mut stats = Stats::default();
        let mut findings = Vec::new();
        match repo.content(change, origin.clone())? {
            Content::Binary => stats.binary_skipped += 1,
            Content::Text(chunk) => {
                stats.count(&chunk);
                // A copied or moved file adds nothing that is not already committed (asking
                // reads HEAD's whole tree, so only a new path with matches asks).
                scan_moved_chunk(scanner, allow, &chunk, &mut findings, |data| {
                    if whole_files {
                        return Ok(None);
                    }
                    repo.lines_not_in_source(&staged, change, data)
                })?;
            }
        }
        Ok((findings, stats))
    };
    // A typical commit is scanned on this thread; an initial commit of a whole tree is worth
    // the thread pool and a repository handle per worker.
    let staged_bytes: u64 = staged.changes.iter().map(|c| c.size_hint).sum();
    scanner.expect(staged_bytes);
    let per_change: Vec<Result<(Vec<Finding>, Stats)>> =
        if staged.changes.len() >= PARALLEL_FILES || staged_bytes >= PARALLEL_BYTES {
            let shared = repo.shared();
            start_workers();
            staged
                .changes
                .par_iter()
                .map_init(
                    || shared.local(),
                    |local, change| scan_change(local, change),
                )
                .collect()
        } else if staged.changes.len() >= 2 && staged_bytes >= PAIR_BYTES {
            in_two(repo, &staged.changes, &scan_change)
        } else {
            staged
                .changes
                .iter()
                .map(|c| scan_change(repo, c))
                .collect()
        };
    let (findings, mut stats) = gather(per_change.into_iter())?;
    stats.renames_skipped = staged.renames;
    Ok(finish(findings, stats))
}

/// Merges the results of parallel tasks in the order given. If a task failed, its error is
/// returned once the others' findings are in (see `incomplete`).
fn gather(
    results: impl Iterator<Item = Result<(Vec<Finding>, Stats)>>,
) -> Result<(Vec<Finding>, Stats)> {
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    let mut failed = None;
    for result in results {
        match result {
            Ok((found, s)) => {
                stats.add(&s);
                findings.extend(found);
            }
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    // Findings are suppressed as they are made, so what blocks can be counted now.
    incomplete(failed, &findings)?;
    Ok((findings, stats))
}

/// The first error of a scan, if one of its files or commits failed. The other results are in
/// by then: secrets among them are counted, because they block even where errors do not.
fn incomplete(failed: Option<Error>, findings: &[Finding]) -> Result<()> {
    let Some(error) = failed else {
        return Ok(());
    };
    let secrets = findings.iter().filter(|f| f.blocks()).count();
    Err(if secrets == 0 {
        error
    } else {
        Error::Incomplete {
            secrets,
            source: Box::new(error),
        }
    })
}

/// Staged changes from which the pre-commit scan runs in parallel: by count, or by the total
/// size the index recorded for them.
const PARALLEL_FILES: usize = 256;
const PARALLEL_BYTES: u64 = 16 << 20;
/// Staged bytes from which a commit of several files is split between this thread and one
/// more: below it, starting the thread and its repository handle costs more than it saves.
/// Measured (2026-12-03, interleaved hyperfine, split / not split): the keyword-rich commits
/// of 25 and 49 KB staged 13.1–13.7 / 11.5–12.0 ms and 9.5–10.5 / 8.2–8.8 ms, the commit with 3
/// findings (21 KB) 13.5–14.1 / 10.6–12.7 ms; 8 new files of 384 KB 17.1–19.1 / 18.2–19.3 ms;
/// 30 new files of 1.8 MB 30.1–30.7 / 44.0–46.2 ms.
const PAIR_BYTES: u64 = 256 << 10;

/// Scans `changes` on this thread and one more, each taking about half of the bytes, and
/// returns the results in the order of `changes`. A keyword-rich commit of a few files spends
/// most of its time in the engine, one file at a time; a second core halves that part without
/// rayon's pool, whose start-up (~0.5 ms) a small commit cannot pay back. If the thread cannot
/// be started, this thread scans everything.
fn in_two<T: Send>(
    repo: &Repo,
    changes: &[Change],
    scan: &(impl Fn(&Repo, &Change) -> Result<T> + Sync),
) -> Vec<Result<T>> {
    // The largest first, each to the lighter side.
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(changes[i].size_hint));
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut my_bytes, mut their_bytes) = (0u64, 0u64);
    for i in order {
        if my_bytes <= their_bytes {
            my_bytes += changes[i].size_hint;
            mine.push(i);
        } else {
            their_bytes += changes[i].size_hint;
            theirs.push(i);
        }
    }
    let shared = repo.shared();
    let mut results: Vec<Option<Result<T>>> = changes.iter().map(|_| None).collect();
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || {
                let local = shared.local();
                theirs
                    .iter()
                    .map(|&i| (i, scan(&local, &changes[i])))
                    .collect::<Vec<_>>()
            });
        for &i in &mine {
            results[i] = Some(scan(repo, &changes[i]));
        }
        match other.map(|t| t.join()) {
            Ok(Ok(done)) => {
                for (i, r) in done {
                    results[i] = Some(r);
                }
            }
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => {
                for &i in &theirs {
                    results[i] = Some(scan(repo, &changes[i]));
                }
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every change scanned on one side"))
        .collect()
}

/// Scans what each commit added relative to its first parent. `commits` are newest first; a
/// secret that several commits touch is reported once, at the oldest commit that added it.
pub fn scan_commits(
    shared: &SharedRepo,
    commits: &[CommitId],
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Result<Outcome> {
    start_workers();
    let idle = std::sync::Mutex::new(Vec::new());
    let per_commit: Vec<Result<(Vec<Finding>, Stats)>> = commits
        .par_iter()
        .map_init(
            || Pooled::take(&idle, || shared.local_for_history()),
            |repo, &id| {
                let mut findings = Vec::new();
                let mut stats = Stats {
                    commits: 1,
                    ..Stats::default()
                };
                // Shared: the callback reads through it while `scan_commit` runs.
                let repo: &Repo = repo.get();
                let scan = repo.scan_commit(id, &mut |change, content, deletions| {
                    match content {
                        Content::Binary => stats.binary_skipped += 1,
                        Content::Text(chunk) => {
                            stats.count(&chunk);
                            // A file moved and edited adds only its edit (see scan_staged).
                            scan_moved_chunk(scanner, allow, &chunk, &mut findings, |data| {
                                repo.lines_not_in_deletions(deletions, change, data)
                            })?;
                        }
                    }
                    Ok(())
                })?;
                stats.shallow_skipped += scan.shallow_boundary as usize;
                progress.tick();
                Ok((findings, stats))
            },
        )
        .collect();
    // Oldest first, so the first occurrence of a fingerprint is where the secret came in.
    let (all, stats) = gather(per_commit.into_iter().rev())?;
    // Suppression was decided before dedup: an occurrence that is not suppressed wins over an
    // older one that is (a pragma or path rule covers one place, not the secret everywhere).
    let mut first_seen: HashMap<Fingerprint, usize> = HashMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    for f in all {
        match first_seen.get(&f.fingerprint) {
            None => {
                first_seen.insert(f.fingerprint.clone(), findings.len());
                findings.push(f);
            }
            Some(&i) if findings[i].suppressed.is_some() && f.suppressed.is_none() => {
                findings[i] = f;
            }
            Some(_) => {}
        }
    }
    Ok(finish(findings, stats))
}

/// A worker's repository handle, given back to `idle` when its rayon job ends and taken by the
/// next job. rayon calls `map_init`'s init once per job, not per thread: 45 jobs on
/// rust-lang/cargo's history with 2 workers, each of which made a fresh handle that started
/// with an empty delta-base cache (decoding whole delta chains again) and built its
/// rename-tracking cache again (`Repo::diff_trees`, which reads HEAD's attributes).
struct Pooled<'p> {
    repo: Option<Repo>,
    idle: &'p std::sync::Mutex<Vec<Repo>>,
}

impl<'p> Pooled<'p> {
    fn take(idle: &'p std::sync::Mutex<Vec<Repo>>, make: impl FnOnce() -> Repo) -> Self {
        let repo = idle.lock().ok().and_then(|mut idle| idle.pop());
        Pooled {
            repo: Some(repo.unwrap_or_else(make)),
            idle,
        }
    }

    fn get(&self) -> &Repo {
        self.repo
            .as_ref()
            .expect("the handle is only given back when dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (Some(repo), Ok(mut idle)) = (self.repo.take(), self.idle.lock()) {
            idle.push(repo);
        }
    }
}

/// Scans whole files (every line counts as added), in parallel.
pub fn scan_files(
    files: &[FileRef],
    stdin: bool,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Result<Outcome> {
    let origin = Arc::new(Origin::File);
    start_workers();
    let per_file: Vec<Result<(Vec<Finding>, Stats)>> = files
        .par_iter()
        .map(|file| {
            let chunk = files::read(file, origin.clone())?;
            progress.tick();
            scan_one(chunk, scanner, allow)
        })
        .collect();
    let (mut findings, mut stats) = gather(per_file.into_iter())?;
    if stdin {
        let (found, s) = scan_one(files::read_stdin(origin)?, scanner, allow)?;
        stats.add(&s);
        findings.extend(found);
    }
    Ok(finish(findings, stats))
}

fn scan_one(
    chunk: Option<Chunk>,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
) -> Result<(Vec<Finding>, Stats)> {
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    match chunk {
        None => stats.binary_skipped += 1,
        Some(chunk) => {
            stats.count(&chunk);
            scan_chunk(scanner, allow, &chunk, &mut findings)?;
        }
    }
    Ok((findings, stats))
}

fn finish(mut findings: Vec<Finding>, stats: Stats) -> Outcome {
    findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Outcome {
        findings,
        stats,
        liveness: None,
    }
}
