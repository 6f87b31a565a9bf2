//! The index as the staged walk reads it: entries by position, decoded only when asked for.
//!
//! Decoding the whole index (gix's `State`) builds every entry and copies every path: on a
//! 50 000-file repository that was 65% of a plain commit's instructions (11.9 M of 18.3 M,
//! callgrind) and, with the 6 MB it allocates, 40% of the hook's samples (perf) — as much as
//! git itself spends reading the index for `git diff --cached`, before leakguard had read a
//! blob. The staged walk looks only at entries under directories whose cache-tree node is
//! invalid, a dozen for a small commit. So `MappedIndex` maps the file, finds where each entry
//! starts (one pass that reads two bytes of each) and decodes an entry when the walk reaches
//! it. gix has no such lazy reader; its extension decoders (the cache-tree) are used as they
//! are. The file is mapped, not read: copying it into memory cost as much as the decoding it
//! saves (a plain 5-file commit in the 50 000-file repository, hyperfine, same run: gix's
//! decoder 5.3 ms, read and walked in place 4.7 ms, mapped 3.2 ms; `git diff --cached --quiet`
//! 4.7 ms).
//!
//! Only the layouts git writes by default are read this way: versions 2 and 3, without a split
//! index (`link`) or a sparse index (`sdir`). (`feature.manyFiles` asks git for version 4: such
//! repositories keep gix's decoder and its cost.) Version 4's prefix-compressed paths need every
//! earlier entry to know a path, so there, and for any mandatory extension or anything that
//! does not parse, the caller decodes the file with gix, which also words the errors.

use std::fs::File;
use std::ops::Range;
use std::path::Path;

use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use gix::index::entry::{Flags, Mode, Stat, stat};
use gix::index::extension;

use super::cache_tree::{CacheNode, FlatCacheTree};

/// The index entries the staged walk and the work-tree checks read.
pub(super) trait IndexEntries {
    fn len(&self) -> usize;
    /// Entry `i`'s repository-relative, `/`-separated path.
    fn path(&self, i: usize) -> &BStr;
    fn entry(&self, i: usize) -> EntryFields;
    /// The root of the cache-tree (`TREE` extension), if the index has one.
    fn cache_tree(&self) -> Option<CacheNode<'_>>;
    /// When the index was written, for git's racy-entry rule.
    fn timestamp(&self) -> filetime::FileTime;

    /// Whether some entry (any stage) has exactly `path`.
    fn contains(&self, path: &BStr) -> bool {
        let at = partition_point(0..self.len(), |i| self.path(i) < path);
        at < self.len() && self.path(at) == path
    }
}

/// The first position in `range` where `pred` turns false (it must be true, then false).
pub(super) fn partition_point(range: Range<usize>, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// One entry's fields besides its path.
pub(super) struct EntryFields {
    pub id: ObjectId,
    pub mode: Mode,
    pub flags: Flags,
    pub stat: Stat,
}

impl IndexEntries for gix::index::State {
    fn len(&self) -> usize {
        self.entries().len()
    }
    fn path(&self, i: usize) -> &BStr {
        self.entries()[i].path(self)
    }
    fn entry(&self, i: usize) -> EntryFields {
        let e = &self.entries()[i];
        EntryFields {
            id: e.id,
            mode: e.mode,
            flags: e.flags,
            stat: e.stat,
        }
    }
    fn cache_tree(&self) -> Option<CacheNode<'_>> {
        self.tree().map(CacheNode::Decoded)
    }
    fn timestamp(&self) -> filetime::FileTime {
        gix::index::State::timestamp(self)
    }
}

/// Bytes of an entry before its flags: ten 32-bit stat fields, then the object id.
const STAT_LEN: usize = 40;
/// On-disk flag bits (git's `gitformat-index.txt`).
const EXTENDED: u16 = 0x4000;
const NAME_MASK: u16 = 0x0fff;
/// The extended flags git defines: skip-worktree and intent-to-add.
const KNOWN_EXTENDED: u16 = 0x6000;

/// An entry's flags as stored: the 16-bit flags, the extended ones (0 if none), and where its
/// path starts in the file.
struct OnDiskFlags {
    flags: u16,
    extended: u16,
    path_at: usize,
}

/// An index file of version 2 or 3, mapped, with where each entry starts.
pub(super) struct MappedIndex {
    data: memmap2::Mmap,
    starts: Vec<u32>,
    hash_len: usize,
    /// The cache-tree, and where its extension's body is in `data`.
    tree: Option<(FlatCacheTree, Range<usize>)>,
    timestamp: filetime::FileTime,
}

impl MappedIndex {
    /// The index at `path`, or `None` when it is not one this reader takes (see the module
    /// documentation; a missing file too): the caller then decodes it with gix.
    pub(super) fn open(path: &Path, object_hash: gix::hash::Kind) -> Option<Self> {
        let file = File::open(path).ok()?;
        let timestamp = filetime::FileTime::from_last_modification_time(&file.metadata().ok()?);
        // SAFETY: a mapped file that shrinks under us would fault. git never writes an index
        // in place: it writes `index.lock` and renames it over, so the mapped inode stays
        // whole (gix maps the index the same way).
        #[expect(unsafe_code)]
        let data = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let hash_len = object_hash.len_in_bytes();
        let (starts, extensions) = entry_starts(&data, hash_len)?;
        let tree = read_extensions(
            &data,
            extensions..data.len().checked_sub(hash_len)?,
            hash_len,
        )?;
        Some(MappedIndex {
            data,
            starts,
            hash_len,
            tree,
            timestamp,
        })
    }

    /// The flags of the entry at `start` (already checked by `entry_starts`).
    fn flags_at(&self, start: usize) -> OnDiskFlags {
        let at = start + STAT_LEN + self.hash_len;
        let flags = be16(&self.data[at..]);
        if flags & EXTENDED != 0 {
            OnDiskFlags {
                flags,
                extended: be16(&self.data[at + 2..]),
                path_at: at + 4,
            }
        } else {
            OnDiskFlags {
                flags,
                extended: 0,
                path_at: at + 2,
            }
        }
    }
}

impl IndexEntries for MappedIndex {
    fn len(&self) -> usize {
        self.starts.len()
    }

    fn path(&self, i: usize) -> &BStr {
        let OnDiskFlags { flags, path_at, .. } = self.flags_at(self.starts[i] as usize);
        let rest = &self.data[path_at..];
        let len = match flags & NAME_MASK {
            // Checked by `entry_starts`: the name is NUL-terminated within the entries.
            NAME_MASK => rest.find_byte(0).unwrap_or(rest.len()),
            len => usize::from(len),
        };
        rest[..len].as_bstr()
    }

    fn entry(&self, i: usize) -> EntryFields {
        let start = self.starts[i] as usize;
        let field = |n: usize| be32(&self.data[start + 4 * n..]);
        let OnDiskFlags {
            flags, extended, ..
        } = self.flags_at(start);
        let time = |n: usize| stat::Time {
            secs: field(n),
            nsecs: field(n + 1),
        };
        EntryFields {
            id: ObjectId::from_bytes_or_panic(
                &self.data[start + STAT_LEN..start + STAT_LEN + self.hash_len],
            ),
            mode: Mode::from_bits_truncate(field(6)),
            // gix's in-memory layout: the on-disk flags without the name length, the extended
            // ones above them.
            flags: Flags::from_bits_retain(
                u32::from(flags & !NAME_MASK) | (u32::from(extended) << 16),
            ),
            stat: Stat {
                ctime: time(0),
                mtime: time(2),
                dev: field(4),
                ino: field(5),
                uid: field(7),
                gid: field(8),
                size: field(9),
            },
        }
    }

    fn cache_tree(&self) -> Option<CacheNode<'_>> {
        let (tree, body) = self.tree.as_ref()?;
        Some(CacheNode::root_of(tree, &self.data[body.clone()]))
    }

    fn timestamp(&self) -> filetime::FileTime {
        self.timestamp
    }
}

/// Where each entry starts, and where the extensions start; `None` unless the header says
/// version 2 or 3 and every entry fits before the trailing checksum.
fn entry_starts(data: &[u8], hash_len: usize) -> Option<(Vec<u32>, usize)> {
    let end = data.len().checked_sub(hash_len)?;
    // Entry offsets are kept in 32 bits (a 4 GiB index is declined and left to gix).
    if data.len() > u32::MAX as usize || end < 12 || &data[..4] != b"DIRC" {
        return None;
    }
    let version = be32(&data[4..]);
    if !(2..=3).contains(&version) {
        return None;
    }
    let count = be32(&data[8..]) as usize;
    let fixed = STAT_LEN + hash_len + 2;
    // Every entry takes at least `fixed` + 1 bytes: a count the file cannot hold is corrupt,
    // and must not size an allocation.
    if count > (end - 12) / (fixed + 1) {
        return None;
    }
    let mut starts = Vec::with_capacity(count);
    let mut at = 12;
    for _ in 0..count {
        starts.push(at as u32);
        let entry = data.get(at..end)?;
        let flags = be16(entry.get(fixed - 2..fixed)?);
        let mut path_at = fixed;
        if flags & EXTENDED != 0 {
            let extended = be16(entry.get(fixed..fixed + 2)?);
            if version < 3 || extended & !KNOWN_EXTENDED != 0 {
                return None;
            }
            path_at += 2;
        }
        let len = match flags & NAME_MASK {
            NAME_MASK => entry.get(path_at..)?.find_byte(0)?,
            len => usize::from(len),
        };
        // The name, its NUL and up to seven more, to the next multiple of eight.
        let size = (path_at + len + 8) & !7;
        if size > entry.len() || entry[path_at + len] != 0 {
            return None;
        }
        at += size;
    }
    Some((starts, at))
}

/// The cache-tree, and where its body is, from the extensions at `range` of `file` (between
/// the entries and the checksum); `None` (decode with gix) for a mandatory extension — a
/// lower-case signature: a split or sparse index — or extensions that do not parse. A
/// cache-tree that does not parse is left out, as gix leaves it out.
fn read_extensions(
    file: &[u8],
    range: Range<usize>,
    hash_len: usize,
) -> Option<Option<(FlatCacheTree, Range<usize>)>> {
    let data = &file[range.clone()];
    let mut iter = extension::Iter::new(data);
    let mut tree = None;
    for (signature, body) in iter.by_ref() {
        if signature == extension::tree::SIGNATURE {
            let start = range.start + (body.as_ptr() as usize - data.as_ptr() as usize);
            tree = FlatCacheTree::parse(body, hash_len).map(|t| (t, start..start + body.len()));
        } else if signature[0].is_ascii_lowercase() {
            return None;
        }
    }
    (iter.consumed == data.len()).then_some(tree)
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::index::extension::Tree;
    use std::path::PathBuf;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
            .args(args)
            .current_dir(dir)
            // A test run from inside a hook must not touch that hook's repository.
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn decoded(index: &Path, hash: gix::hash::Kind) -> gix::index::File {
        gix::index::File::at(index, hash, true, Default::default()).expect("gix decodes it")
    }

    /// Every entry and the cache-tree, as both readers give them.
    fn assert_same(mapped: &MappedIndex, state: &gix::index::State) {
        assert_eq!(mapped.len(), IndexEntries::len(state));
        for i in 0..mapped.len() {
            assert_eq!(mapped.path(i), IndexEntries::path(state, i), "entry {i}");
            let (m, s) = (mapped.entry(i), IndexEntries::entry(state, i));
            assert_eq!(
                (m.id, m.mode, m.flags, m.stat),
                (s.id, s.mode, s.flags, s.stat),
                "entry {i}: {}",
                mapped.path(i)
            );
        }
        if let (Some(flat), Some(decoded)) = (mapped.cache_tree(), state.tree()) {
            assert_eq!(&materialise(flat, b"", decoded.id.kind()), decoded);
        }
        assert_eq!(
            IndexEntries::timestamp(mapped),
            IndexEntries::timestamp(state)
        );
    }

    /// The flat cache-tree as gix's decoded one, to compare them.
    fn materialise(node: CacheNode<'_>, name: &[u8], kind: gix::hash::Kind) -> Tree {
        let valid = node.valid();
        Tree {
            name: name.into(),
            id: valid.map_or(ObjectId::null(kind), |(_, id)| id.to_owned()),
            num_entries: valid.map(|(n, _)| n),
            children: node
                .children()
                .into_iter()
                .map(|(name, child)| materialise(child, name, kind))
                .collect(),
        }
    }

    /// A repository whose index holds what git writes in practice, then some: nested
    /// directories, an executable, a symlink, intent-to-add and skip-worktree entries (which
    /// make it version 3), a merge conflict's stages 1–3, and a cache-tree with valid and
    /// invalid nodes.
    fn varied_repository() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q"]);
        for (path, text) in [
            ("README", "top\n"),
            ("src/a.rs", "a\n"),
            ("src/deep/er/b.rs", "b\n"),
            ("src-other/c", "c\n"),
            ("conflict.txt", "base\n"),
            ("z/last", "z\n"),
        ] {
            write(root, path, text);
        }
        std::fs::write(root.join("run.sh"), "#!/bin/sh\n").unwrap();
        git(root, &["add", "."]);
        git(root, &["update-index", "--chmod=+x", "run.sh"]);
        std::os::unix::fs::symlink("README", root.join("link")).unwrap();
        git(root, &["add", "link"]);
        git(root, &["commit", "-qm", "base"]);
        git(root, &["checkout", "-qb", "theirs"]);
        write(root, "conflict.txt", "theirs\n");
        git(root, &["commit", "-qam", "theirs"]);
        git(root, &["checkout", "-q", "main"]);
        write(root, "conflict.txt", "ours\n");
        git(root, &["commit", "-qam", "ours"]);
        let merge = Command::new("git")
            .args(["merge", "-q", "theirs"])
            .current_dir(root)
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .output()
            .unwrap();
        assert!(!merge.status.success(), "the merge must conflict");
        write(root, "new/intent", "later\n");
        git(root, &["add", "-N", "new/intent"]);
        git(root, &["update-index", "--skip-worktree", "src/a.rs"]);
        let index = root.join(".git/index");
        (dir, index)
    }

    #[test]
    fn reads_what_gix_decodes() {
        let (_dir, index) = varied_repository();
        let version = std::fs::read(&index).unwrap()[7];
        assert_eq!(version, 3, "intent-to-add makes it version 3");
        let mapped = MappedIndex::open(&index, gix::hash::Kind::Sha1).expect("version 3 is read");
        let file = decoded(&index, gix::hash::Kind::Sha1);
        assert!(file.tree().is_some() && mapped.cache_tree().is_some());
        assert_same(&mapped, &file);
        assert!((0..mapped.len()).all(|i| mapped.contains(mapped.path(i))));
        let stages: Vec<u32> = (0..mapped.len())
            .map(|i| mapped.entry(i).flags.stage_raw())
            .collect();
        assert!(stages.contains(&1) && stages.contains(&3), "{stages:?}");
        assert!(!mapped.contains("src".into()) && !mapped.contains("zz".into()));
    }

    /// A path of 4 095 bytes or more has no length in its flags (0xfff), only its NUL; the
    /// padding after it follows the real length, as for any other. (gix 0.58's decoder loses
    /// its place after such an entry, so git's own listing is the reference here.)
    #[test]
    fn reads_paths_too_long_for_the_name_length_field() {
        let (dir, index) = varied_repository();
        let root = dir.path();
        let blob = git(root, &["hash-object", "-w", "README"]);
        let long = format!("{}/f", vec!["d".repeat(250); 17].join("/"));
        assert!(long.len() > 0xfff);
        let info = format!("100644,{},{long}", blob.trim());
        git(root, &["update-index", "--add", "--cacheinfo", &info]);
        git(
            root,
            &["update-index", "--add", "--cacheinfo", &format!("{info}x")],
        );
        let mapped = MappedIndex::open(&index, gix::hash::Kind::Sha1).expect("read");
        let listing: Vec<String> = (0..mapped.len())
            .map(|i| {
                let e = mapped.entry(i);
                format!(
                    "{:o} {} {}\t{}",
                    e.mode.bits(),
                    e.id,
                    e.flags.stage_raw(),
                    mapped.path(i)
                )
            })
            .collect();
        assert_eq!(
            listing.join("\n") + "\n",
            git(root, &["ls-files", "--stage"])
        );
        assert!(mapped.contains(format!("{long}x").as_str().into()));
    }

    #[test]
    fn reads_version_2_with_a_cache_tree_and_sha256() {
        for format in ["sha1", "sha256"] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            git(root, &["init", "-q", &format!("--object-format={format}")]);
            for n in 0..40 {
                write(
                    root,
                    &format!("d{}/e{}/f{n}", n % 3, n % 5),
                    &format!("{n}\n"),
                );
            }
            git(root, &["add", "."]);
            git(root, &["commit", "-qm", "one"]);
            write(root, "d1/e1/changed", "x\n");
            git(root, &["add", "d1/e1/changed"]);
            let index = root.join(".git/index");
            assert_eq!(std::fs::read(&index).unwrap()[7], 2);
            let hash = if format == "sha1" {
                gix::hash::Kind::Sha1
            } else {
                gix::hash::Kind::Sha256
            };
            let mapped = MappedIndex::open(&index, hash).expect("version 2 is read");
            let file = decoded(&index, hash);
            assert!(file.tree().is_some(), "git wrote a cache-tree");
            let root_node = mapped.cache_tree().expect("read the cache-tree");
            let valid = root_node
                .children()
                .iter()
                .filter(|(_, c)| c.valid().is_some())
                .count();
            assert_eq!(valid, 2, "d0 and d2 are still valid, d1 is not");
            assert_same(&mapped, &file);
            assert!((0..mapped.len()).all(|i| mapped.contains(mapped.path(i))));
        }
    }

    /// Only versions 2 and 3 are read in place: the same bytes labelled version 4 (whose paths
    /// would be prefix-compressed) or 1 are left to gix, and so is version 2 here, since this
    /// index has entries with extended flags, which only version 3 may have.
    #[test]
    fn reads_only_versions_2_and_3() {
        let (dir, index) = varied_repository();
        let mut bytes = std::fs::read(&index).unwrap();
        let copy = dir.path().join("copy");
        for (version, read) in [(1, false), (2, false), (3, true), (4, false), (5, false)] {
            bytes[7] = version;
            std::fs::write(&copy, &bytes).unwrap();
            let mapped = MappedIndex::open(&copy, gix::hash::Kind::Sha1);
            assert_eq!(mapped.is_some(), read, "version {version}");
        }
    }

    #[test]
    fn leaves_version_4_split_and_sparse_indexes_to_gix() {
        let (dir, index) = {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            git(&root, &["init", "-q"]);
            write(&root, "a/x", "x\n");
            write(&root, "b/y", "y\n");
            git(&root, &["add", "."]);
            git(&root, &["commit", "-qm", "one"]);
            (dir, root.join(".git/index"))
        };
        let root = dir.path();
        assert!(MappedIndex::open(&index, gix::hash::Kind::Sha1).is_some());
        git(root, &["update-index", "--index-version", "4"]);
        assert!(
            MappedIndex::open(&index, gix::hash::Kind::Sha1).is_none(),
            "version 4"
        );
        git(root, &["update-index", "--index-version", "2"]);
        git(root, &["update-index", "--split-index"]);
        assert!(
            std::fs::read_dir(root.join(".git")).unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("sharedindex.")),
            "git split the index"
        );
        assert!(
            MappedIndex::open(&index, gix::hash::Kind::Sha1).is_none(),
            "split"
        );
        git(root, &["update-index", "--no-split-index"]);
        assert!(MappedIndex::open(&index, gix::hash::Kind::Sha1).is_some());
        git(
            root,
            &["sparse-checkout", "init", "--cone", "--sparse-index"],
        );
        git(root, &["sparse-checkout", "set", "a"]);
        assert!(
            MappedIndex::open(&index, gix::hash::Kind::Sha1).is_none(),
            "sparse"
        );
        assert!(MappedIndex::open(&root.join(".git/none"), gix::hash::Kind::Sha1).is_none());
    }

    /// Every truncation and many corruptions of a real index: never a panic, and whatever is
    /// read is what gix reads from the same bytes.
    #[test]
    fn damaged_indexes_are_declined_or_read_as_gix_reads_them() {
        let (dir, index) = varied_repository();
        let bytes = std::fs::read(&index).unwrap();
        let copy = dir.path().join("copy");
        let check = |data: &[u8]| {
            std::fs::write(&copy, data).unwrap();
            if let Some(mapped) = MappedIndex::open(&copy, gix::hash::Kind::Sha1) {
                let file =
                    gix::index::File::at(&copy, gix::hash::Kind::Sha1, true, Default::default())
                        .expect("what the mapped reader takes, gix decodes");
                assert_same(&mapped, &file);
            }
        };
        for len in 0..bytes.len() {
            check(&bytes[..len]);
        }
        for at in 0..bytes.len() {
            for flip in [0x01, 0x10, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                check(&damaged);
            }
        }
    }
}
