//! Staged content read from the work tree when it is byte for byte the staged blob.
//!
//! `git add` leaves one zlib-compressed loose object per new file; on a 200 MB initial commit
//! inflating them was a sixth of the hook's time. The file it was staged from is usually still
//! there, unchanged. git's own diff reads that file instead of the blob under the same
//! conditions used here (`reuse_worktree_file` in git's diff.c):
//!
//! - the index entry is a regular file, neither assume-unchanged nor skip-worktree;
//! - the file's stat data (mtime, ctime, size, inode, owner) equals what `git add` recorded,
//!   (nanoseconds included), checked again after reading, and the entry is not *racy*
//!   (modified in the second the index was written, where equal stat data proves nothing);
//! - nothing could have converted the content on its way into the blob: no attributes apply
//!   (no `.gitattributes` in the index or the work tree in the file's directory or above it,
//!   no `info/attributes`, no global or system attributes file, no `attr.tree`) and
//!   `core.autocrlf` is off, so no filter (git-crypt, LFS), end-of-line or encoding conversion.
//!   The attributes files are looked for per file (git reads them per path too): a vendored
//!   tree where a few packages carry one still reads the others from the work tree.
//!
//! Anything else reads the blob, as before.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use gix::bstr::{BStr, BString, ByteSlice};
use gix::index::entry::{Flags, Mode, Stat, stat};

use super::index_view::{EntryFields, IndexEntries};

/// Stat comparison with every field git records, nanoseconds included: git's default ignores
/// them, so a file rewritten in the second it was staged, with its mtime put back, would pass
/// for unchanged; its ctime nanoseconds still differ. (An index written by a git built without
/// nanosecond support records 0 there: nothing matches and the blobs are read.)
const STRICT: stat::Options = stat::Options {
    trust_ctime: true,
    check_stat: true,
    use_nsec: true,
    use_stdev: false,
};

/// Staged bytes below which the blobs are read as they are: checking for attribute files costs
/// a few dozen system calls, more than inflating a small commit's objects.
pub(super) const MIN_STAGED_BYTES: u64 = 256 << 10;

/// The stat data to compare a work-tree file with, if index entry `entry` may be read from the
/// work tree at all (before the conditions on attributes of `repository_converts` and
/// `AttributedDirs`).
pub(super) fn candidate(entry: &EntryFields, index_written: filetime::FileTime) -> Option<Stat> {
    let regular = matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE);
    let trusted = !entry
        .flags
        .intersects(Flags::ASSUME_VALID | Flags::SKIP_WORKTREE);
    // Racy by whole seconds, as git decides it: file timestamps come from a coarse clock (a
    // few milliseconds), so a file changed just after `git add` read it can keep its mtime to
    // the nanosecond; anything modified in the second the index was written is read as a blob.
    let racy = entry.stat.is_racy(index_written, stat::Options::default());
    (regular && trusted && !racy).then_some(entry.stat)
}

/// Whether git may have converted files of this repository on their way into blobs, whatever
/// their path: end-of-line conversion is on, or an attributes file applies everywhere.
pub(super) fn repository_converts(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    let autocrlf_off = config
        .string("core.autocrlf")
        .is_none_or(|v| v.eq_ignore_ascii_case(b"false"));
    if !autocrlf_off
        || config.string("core.attributesFile").is_some()
        || config.string("attr.tree").is_some()
        || std::env::var_os("GIT_ATTR_SOURCE").is_some()
    {
        return true;
    }
    let global = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))
        .map(|config| config.join("git/attributes"));
    let files = [
        Some(repo.common_dir().join("info/attributes")),
        global,
        // git's system file (its prefix is /usr, so /etc), unless GIT_ATTR_NOSYSTEM says skip.
        (!std::env::var("GIT_ATTR_NOSYSTEM").is_ok_and(|v| {
            ["1", "true", "yes", "on"]
                .iter()
                .any(|t| v.eq_ignore_ascii_case(t))
        }))
        .then(|| PathBuf::from("/etc/gitattributes")),
    ];
    files.iter().flatten().any(|f| f.symlink_metadata().is_ok())
}

/// Which staged paths a `.gitattributes` file may apply to, directory by directory.
///
/// A `.gitattributes` applies to its directory and below, so a path is attributed when one of
/// the directories above it holds one, in the work tree (where `git add` read it) or in the
/// index (where git looks when the work tree has none). The decision is per file: one crate of
/// a vendored tree with a `.gitattributes` sends only that crate's files to their blobs.
pub(super) struct AttributedDirs<'a> {
    workdir: &'a Path,
    index: &'a dyn IndexEntries,
    /// Directory (no trailing `/`, the root is "") → whether it or a parent has an attributes
    /// file.
    known: HashMap<BString, bool>,
}

impl<'a> AttributedDirs<'a> {
    pub(super) fn new(workdir: &'a Path, index: &'a dyn IndexEntries) -> Self {
        AttributedDirs {
            workdir,
            index,
            known: HashMap::new(),
        }
    }

    /// Whether an attributes file may apply to the file at `path`.
    pub(super) fn applies_to(&mut self, path: &BStr) -> bool {
        let dir = &path[..path.rfind_byte(b'/').unwrap_or(0)];
        self.dir(dir.as_bstr())
    }

    fn dir(&mut self, dir: &BStr) -> bool {
        if let Some(&known) = self.known.get(dir) {
            return known;
        }
        let attributed = has_attributes_file(self.workdir, self.index, dir)
            || (!dir.is_empty() && {
                let parent = &dir[..dir.rfind_byte(b'/').unwrap_or(0)];
                self.dir(parent.as_bstr())
            });
        self.known.insert(dir.to_owned(), attributed);
        attributed
    }
}

fn has_attributes_file(workdir: &Path, index: &dyn IndexEntries, dir: &[u8]) -> bool {
    let mut path = BString::from(dir);
    if !path.is_empty() {
        path.push(b'/');
    }
    path.extend_from_slice(b".gitattributes");
    let in_work_tree = match path.to_path() {
        Ok(p) => workdir.join(p).symlink_metadata().is_ok(),
        // Not a path this system can name: when unsure, read the blob.
        Err(_) => true,
    };
    in_work_tree || index.contains(path.as_bstr())
}

/// Reads `path` (relative to `workdir`) into `out` if it is still the file `git add` recorded
/// as `staged`; `None` otherwise (the caller then reads the blob).
pub(super) fn read_unchanged(
    workdir: &Path,
    path: &BStr,
    staged: &Stat,
    out: &mut Vec<u8>,
) -> Option<()> {
    let mut file = open_no_wait(&workdir.join(path.to_path().ok()?)).ok()?;
    // The file's length if it is still the file `git add` recorded.
    let unchanged = |file: &std::fs::File| {
        let meta = gix::index::fs::Metadata::from_file(file).ok()?;
        let now = Stat::from_fs(&meta).ok()?;
        (meta.is_file() && now.matches(staged, STRICT)).then(|| meta.len())
    };
    // The file's own length, not the index's: the index keeps sizes modulo 2^32, so a file of
    // 4 GiB and more would be read short.
    let len = unchanged(&file)?;
    // In one read as a rule: `read_to_end` would ask the file's size and position again and
    // read once more to see the end, four system calls per file where one does (an initial
    // commit reads thousands).
    out.clear();
    out.resize(usize::try_from(len).ok()?, 0);
    file.read_exact(out).ok()?;
    // A write while we read changes mtime, ctime or size: then the bytes may be a mix.
    (unchanged(&file)? == len).then_some(())
}

/// Opens a file for reading without following a symlink and without waiting: a FIFO put where
/// the staged file was would block a plain open until a writer came, and a symlink leads
/// elsewhere. Neither is the staged file; failing sends the caller to the blob.
fn open_no_wait(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}
