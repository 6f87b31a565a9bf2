//! Source → engine → suppress: each source's chunks scanned, their matches turned into findings.
//!
//! Each chunk goes through the stages one way and is dropped before the next is read: the
//! engine scans its runs of added lines, the suppression stage locates and marks the matches.
//! History and file scans run in parallel (rayon), each worker with its own repository handle:
//! a file or a commit per task, or, for a history whose packs chain a file's versions, a batch
//! of commits listed a few commits per task, then their files read a few paths per task
//! (`COMMITS_PER_TASK`, `PATHS_PER_TASK`). Memory stays bounded by what the workers hold at
//! once.

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
use crate::git::{
    BlobCarry, Change, CommitChanges, CommitId, Content, LastVersions, PackLayout, Repo,
    SharedRepo, Staged, versions_content,
};
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
    let per_change: Vec<Scanned> =
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

/// What scanning a commit, a file or a change found, and its counts.
type Scanned = Result<(Vec<Finding>, Stats)>;

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

/// Commits whose changes are listed before their files are read (`scan_commits`): path by path,
/// the more, the more versions of a file are read in a row, and the more memory the listing
/// holds. rust-lang/cargo, same run (2026-12-04, tasks bounded as below): 4 096 commits 2.36 s,
/// 132 MiB peak; 8 192 2.25 s, 143 MiB; 16 384 2.19 s, 157 MiB (betterleaks 175 MiB).
const HISTORY_BATCH: usize = 8192;

/// Scans what each commit added relative to its first parent. `commits` are newest first; a
/// secret that several commits touch is reported once, at the oldest commit that added it.
///
/// How the files are read depends on how the repository stores them (`ReadOrder`,
/// `Repo::pack_layout`):
/// - a history of a few commits (a push), or one whose packs hold too few of the sampled
///   changes to tell (loose objects, `refs/replace`): newest commit first, commit by commit,
///   through gix.
/// - packs that chain a file's versions as deltas of one another (what `git gc` and every
///   clone write): a batch of commits is read and diffed first (in parallel, one commit per
///   task, the next batch while this one's files are read), then its files path by path (one
///   path per task, newest version first) through the history handles' own pack reader
///   (`git/packs.rs`). Read in a row, each version is one delta from the one before, and the
///   old side of one change is the new side of the next (`Repo::history_content`).
///   rust-lang/cargo, same run: 3.64 s, 6.8 s CPU, 162 MB commit by commit; 2.37–2.45 s,
///   4.0 s, 148–150 MB path by path (2.23–2.27 s since the tasks are bounded and the review
///   reads each commit once).
/// - packs that chain blobs otherwise (`git fast-import`: each blob a delta of the one written
///   before it): oldest commit first (the walk's order reversed), the files read on one
///   thread in that order, each file's last version kept as the old side of its next change
///   (`git/versions.rs`), the diffs and the engine on the workers. The generated 6 000-commit
///   history: 1.26 s, 2.4 s CPU, 126 MB commit by commit; 0.65–0.70 s, 1.0 s, 120–125 MB.
pub fn scan_commits(
    shared: &SharedRepo,
    commits: &[CommitId],
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Result<Outcome> {
    start_workers();
    let order = forced_order().unwrap_or_else(|| {
        if commits.len() < PATH_ORDER_FROM {
            // A push of a few commits: not worth mapping the packs for.
            return ReadOrder::ByCommit;
        }
        match pack_layout(shared, commits) {
            PackLayout::ChainsPaths => ReadOrder::ByPath,
            PackLayout::ChainsOtherwise => ReadOrder::AsWritten,
            PackLayout::Unknown => ReadOrder::ByCommit,
        }
    });
    #[cfg(debug_assertions)]
    if std::env::var_os("LEAKGUARD_TEST_SHOW_ORDER").is_some() {
        eprintln!("history read order: {order:?}");
    }
    let per_commit = match order {
        ReadOrder::ByCommit => scan_by_commit(shared, commits, scanner, allow, progress),
        ReadOrder::ByPath => scan_by_path(shared, commits, scanner, allow, progress),
        ReadOrder::AsWritten => scan_in_write_order(shared, commits, scanner, allow, progress),
    };
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

/// The order a history scan reads its commits' files in (see `scan_commits`).
#[derive(Clone, Copy, Debug)]
enum ReadOrder {
    /// Newest commit first, each commit's files in turn, through gix.
    ByCommit,
    /// A batch of commits listed, then its files path by path, newest version first.
    ByPath,
    /// Oldest commit first, each file's last version kept for its next change.
    AsWritten,
}

/// In test builds, the order `LEAKGUARD_TEST_HISTORY_ORDER` names (`commit`, `path`,
/// `written`), so that tests compare the orders on one history.
fn forced_order() -> Option<ReadOrder> {
    #[cfg(debug_assertions)]
    if let Ok(order) = std::env::var("LEAKGUARD_TEST_HISTORY_ORDER") {
        return match order.as_str() {
            "commit" => Some(ReadOrder::ByCommit),
            "path" => Some(ReadOrder::ByPath),
            "written" => Some(ReadOrder::AsWritten),
            "" => None,
            other => panic!("LEAKGUARD_TEST_HISTORY_ORDER={other:?}: commit, path or written"),
        };
    }
    None
}

/// `HISTORY_BATCH`; in test builds `LEAKGUARD_TEST_HISTORY_BATCH` if set, so that tests on
/// small histories cross batches.
fn history_batch() -> usize {
    test_size("LEAKGUARD_TEST_HISTORY_BATCH").unwrap_or(HISTORY_BATCH)
}

/// In test builds, the positive number the environment variable `name` holds, if any.
fn test_size(name: &str) -> Option<usize> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
}

/// Commits whose changes decide the order a history's files are read in (`scan_commits`).
const PROBED_COMMITS: usize = 64;
/// Commits from which that order is asked for at all; fewer are read commit by commit.
const PATH_ORDER_FROM: usize = 16;

/// How the packs of a history of `commits` store its files' versions (`Repo::pack_layout`),
/// asked of `PROBED_COMMITS` commits spread over it (the newest ones alone may still be loose
/// objects, written since the last `git gc`).
fn pack_layout(shared: &SharedRepo, commits: &[CommitId]) -> PackLayout {
    let probe = shared.local_for_history();
    let step = commits.len().div_ceil(PROBED_COMMITS).max(1);
    let sample: Vec<CommitChanges> = commits
        .iter()
        .step_by(step)
        .filter_map(|&id| probe.commit_changes(id).ok())
        .collect();
    let layout = probe.pack_layout(&sample);
    if layout == PackLayout::Unknown {
        // Read commit by commit, through gix's own mapping of the packs.
        probe.release_pack_pages();
    }
    layout
}

/// At most this many commits, or paths, in one task of a batch's listing, or reading. rayon
/// cuts a parallel iterator into two pieces per thread, and cuts a piece again only when
/// another thread steals it; the piece a thread is running is never cut. While one thread
/// lists the next batch (`rayon::join`), the other runs the reading alone, and when the
/// listing ends, the piece it is in (up to a quarter of the batch on 2 threads) stays with it:
/// rust-lang/cargo ran ~0.4 s on one core at the end of a batch. Same run, with these bounds:
/// 2.30–2.34 s against 2.61 s; paths 1, 4, 16 and commits 16, 64, 512 all within 2.30–2.40 s.
const COMMITS_PER_TASK: usize = 64;
const PATHS_PER_TASK: usize = 4;

/// The changes of each of `batch`'s commits, listed in parallel (up to `COMMITS_PER_TASK`
/// commits per task).
fn list_commits<'p>(
    batch: &[CommitId],
    handle: impl Fn() -> Pooled<'p> + Sync + Send,
    progress: &Progress,
) -> Vec<Result<CommitChanges>> {
    batch
        .par_iter()
        .with_max_len(COMMITS_PER_TASK)
        .map_init(handle, |repo, &id| {
            let listed = repo.get().commit_changes(id);
            progress.tick();
            listed
        })
        .collect()
}

/// Each commit's findings and counts, newest first, its files read path by path (see
/// `scan_commits`).
fn scan_by_path(
    shared: &SharedRepo,
    commits: &[CommitId],
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Vec<Scanned> {
    let idle = std::sync::Mutex::new(Vec::new());
    let handle = || Pooled::take(&idle, || shared.local_for_history());
    let list = |batch: &[CommitId]| list_commits(batch, handle, progress);
    let batches: Vec<&[CommitId]> = commits.chunks(history_batch()).collect();
    let mut per_commit = Vec::with_capacity(commits.len());
    let mut listed = batches.first().map(|b| list(b)).unwrap_or_default();
    for n in 0..batches.len() {
        // The next batch is listed while this one is read, so that neither waits for the
        // other's slowest task.
        let (next, scanned) = rayon::join(
            || batches.get(n + 1).map(|b| list(b)).unwrap_or_default(),
            || read_listed(std::mem::take(&mut listed), scanner, allow, handle),
        );
        per_commit.extend(scanned);
        listed = next;
    }
    per_commit
}

/// Changes whose files are read in a row, in write order, while the last group is scanned
/// (`read_in_write_order`).
const READ_GROUP: usize = 64;
/// Bytes read after which a group ends before `READ_GROUP` changes.
const READ_GROUP_BYTES: usize = 16 << 20;

/// `READ_GROUP`; in test builds `LEAKGUARD_TEST_READ_GROUP` if set, so that tests on small
/// histories read several groups.
fn read_group() -> usize {
    test_size("LEAKGUARD_TEST_READ_GROUP").unwrap_or(READ_GROUP)
}
/// Bytes of decoded pack objects each handle of a scan in write order keeps: the reader needs
/// the last version it read (the next is one delta from it), the workers the trees they list.
/// On the generated 6 000-commit history, same run: 4 MiB 0.68–0.70 s, 154–178 MB peak; 2 MiB
/// 0.67–0.72 s, 146–151 MB; 1 MiB 0.79–0.82 s.
const WRITE_ORDER_PACK_CACHE: usize = 2 << 20;

/// Each commit's findings and counts, newest first, the commits read oldest first (see
/// `scan_commits` and `git/versions.rs`): batches listed in parallel, then their files read on
/// one thread in the order the commits were written, a group at a time, each group scanned in
/// parallel while the next is read.
fn scan_in_write_order(
    shared: &SharedRepo,
    commits: &[CommitId],
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Vec<Scanned> {
    let idle = std::sync::Mutex::new(Vec::new());
    let handle = || {
        Pooled::take(&idle, || {
            shared
                .local_for_history()
                .with_pack_cache(WRITE_ORDER_PACK_CACHE)
        })
    };
    let oldest_first: Vec<CommitId> = commits.iter().rev().copied().collect();
    let mut reader = shared
        .local_for_history()
        .with_pack_cache(WRITE_ORDER_PACK_CACHE);
    let mut last = LastVersions::default();
    let mut per_commit = Vec::with_capacity(commits.len());
    for batch in oldest_first.chunks(history_batch()) {
        let listed = list_commits(batch, handle, progress);
        let scanned = read_in_write_order(&listed, &mut reader, &mut last, scanner, allow, handle);
        per_commit.extend(per_commit_results(listed, scanned.into_iter()));
    }
    per_commit.reverse();
    per_commit
}

/// The files of listed commits (oldest first), read by `reader` in that order and scanned by
/// the workers: each change's result, with its commit's and its own index.
fn read_in_write_order<'p>(
    listed: &[Result<CommitChanges>],
    reader: &mut Repo,
    last: &mut LastVersions,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    handle: impl Fn() -> Pooled<'p> + Sync + Send,
) -> Vec<(usize, usize, Scanned)> {
    let changes: Vec<(usize, usize)> = listed
        .iter()
        .enumerate()
        .flat_map(|(c, l)| {
            let count = l.as_ref().map_or(0, |l| l.changes.len());
            (0..count).map(move |k| (c, k))
        })
        .collect();
    let change = |at| listed_change(listed, at);
    // A group ends after `READ_GROUP` changes or `READ_GROUP_BYTES` read, whichever comes
    // first, so that two groups (the one scanned, the one read) hold a bounded amount.
    let read = |from: usize, reader: &mut Repo, last: &mut LastVersions| {
        let (mut group, mut bytes) = (Vec::new(), 0);
        for &at in changes[from..].iter().take(read_group()) {
            let versions = reader.change_versions(change(at).1, last);
            bytes += versions.as_ref().map_or(0, |v| v.size());
            group.push(versions);
            if bytes >= READ_GROUP_BYTES {
                break;
            }
        }
        group
    };
    let mut scanned = Vec::with_capacity(changes.len());
    let mut from = 0;
    let mut versions = read(from, reader, last);
    while !versions.is_empty() {
        let next_from = from + versions.len();
        let group = &changes[from..next_from];
        let (next, done) = rayon::join(
            || read(next_from, reader, last),
            || {
                group
                    .par_iter()
                    .zip(std::mem::take(&mut versions))
                    .map_init(&handle, |repo, (&(c, k), versions)| {
                        let (commit, change) = change((c, k));
                        let result = versions.and_then(|versions| {
                            let content = versions_content(change, versions, commit.origin.clone());
                            scan_history_content(
                                repo.get(),
                                scanner,
                                allow,
                                commit,
                                change,
                                content,
                            )
                        });
                        (c, k, result)
                    })
                    .collect::<Vec<_>>()
            },
        );
        scanned.extend(done);
        versions = next;
        from = next_from;
    }
    scanned
}

/// Each commit's findings and counts, newest first, read commit by commit through gix.
fn scan_by_commit(
    shared: &SharedRepo,
    commits: &[CommitId],
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    progress: &Progress,
) -> Vec<Scanned> {
    let idle = std::sync::Mutex::new(Vec::new());
    commits
        .par_iter()
        .map_init(
            || Pooled::take(&idle, || shared.local_for_history().without_pack_reader()),
            |repo, &id| {
                let repo: &Repo = repo.get();
                let commit = repo.commit_changes(id)?;
                let result = commit_result(
                    &commit,
                    commit.changes.iter().map(|change| {
                        let mut carry = BlobCarry::default();
                        scan_history_change(repo, scanner, allow, &commit, change, &mut carry)
                    }),
                );
                progress.tick();
                result
            },
        )
        .collect()
}

/// The files of listed commits read path by path (see `scan_commits`): each commit's findings
/// and counts, in the commits' order.
fn read_listed<'p>(
    listed: Vec<Result<CommitChanges>>,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    handle: impl Fn() -> Pooled<'p> + Sync + Send,
) -> Vec<Scanned> {
    // The changes by path, each path's newest first (the commits' order).
    let mut by_path: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let mut paths: Vec<&str> = Vec::new();
    for (c, listed) in listed.iter().enumerate() {
        for (k, change) in listed.iter().flat_map(|l| l.changes.iter()).enumerate() {
            by_path
                .entry(change.path.as_str())
                .or_insert_with(|| {
                    paths.push(change.path.as_str());
                    Vec::new()
                })
                .push((c, k));
        }
    }
    let scanned: Vec<Vec<(usize, usize, Scanned)>> = paths
        .par_iter()
        .with_max_len(PATHS_PER_TASK)
        .map_init(handle, |repo, path| {
            let repo: &Repo = repo.get();
            let mut carry = BlobCarry::default();
            by_path[path]
                .iter()
                .map(|&(c, k)| {
                    let (commit, change) = listed_change(&listed, (c, k));
                    let result =
                        scan_history_change(repo, scanner, allow, commit, change, &mut carry);
                    (c, k, result)
                })
                .collect()
        })
        .collect();
    drop(by_path);
    per_commit_results(listed, scanned.into_iter().flatten())
}

/// Change `k` of listed commit `c`, with its commit.
fn listed_change(
    listed: &[Result<CommitChanges>],
    (c, k): (usize, usize),
) -> (&CommitChanges, &Change) {
    let commit = listed[c]
        .as_ref()
        .expect("only listed commits have changes");
    (commit, &commit.changes[k])
}

/// Each listed commit's findings and counts, from those of its changes (`(commit, change,
/// result)` in any order): in the commits' order, each commit's in the order of its changes.
fn per_commit_results(
    listed: Vec<Result<CommitChanges>>,
    scanned: impl Iterator<Item = (usize, usize, Scanned)>,
) -> Vec<Scanned> {
    let mut results: Vec<Vec<(usize, Scanned)>> = listed.iter().map(|_| Vec::new()).collect();
    for (c, k, result) in scanned {
        results[c].push((k, result));
    }
    listed
        .into_iter()
        .zip(results)
        .map(|(listed, mut changes)| {
            let commit = listed?;
            changes.sort_by_key(|(k, _)| *k);
            commit_result(&commit, changes.into_iter().map(|(_, result)| result))
        })
        .collect()
}

/// A commit's findings and counts, from those of its changes in order; the first change that
/// failed is the commit's error.
fn commit_result(commit: &CommitChanges, changes: impl Iterator<Item = Scanned>) -> Scanned {
    let mut findings = Vec::new();
    let mut stats = Stats {
        commits: 1,
        shallow_skipped: commit.shallow_boundary as usize,
        ..Stats::default()
    };
    for result in changes {
        let (found, s) = result?;
        findings.extend(found);
        stats.add(&s);
    }
    Ok((findings, stats))
}

/// One file of a commit through the engine and the suppression stage (a history scan).
fn scan_history_change(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    commit: &CommitChanges,
    change: &Change,
    carry: &mut BlobCarry,
) -> Scanned {
    let content = repo.history_content(change, carry, commit.origin.clone())?;
    scan_history_content(repo, scanner, allow, commit, change, content)
}

/// `scan_history_change` for content already read.
fn scan_history_content(
    repo: &Repo,
    scanner: &Scanner<'_>,
    allow: &Allowlist,
    commit: &CommitChanges,
    change: &Change,
    content: Content,
) -> Scanned {
    let mut findings = Vec::new();
    let mut stats = Stats::default();
    match content {
        Content::Binary => stats.binary_skipped += 1,
        Content::Text(chunk) => {
            stats.count(&chunk);
            // A file moved and edited adds only its edit (see scan_staged).
            scan_moved_chunk(scanner, allow, &chunk, &mut findings, |data| {
                repo.lines_not_in_deletions(&commit.deletions, change, data)
            })?;
        }
    }
    Ok((findings, stats))
}

/// A worker's repository handle, given back to `idle` when its rayon job ends and taken by the
/// next job. rayon calls `map_init`'s init once per job, not per thread: hundreds of jobs a
/// batch on rust-lang/cargo's history with 2 workers (`COMMITS_PER_TASK`, `PATHS_PER_TASK`),
/// and 45 already before those bounds, each of which made a fresh handle that started
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
    let per_file: Vec<Scanned> = files
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
