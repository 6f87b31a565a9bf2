//! Everything that touches git, and the only module that uses gix.
//!
//! It turns "what is about to be committed" into plain `Chunk`s (path, origin, new content and
//! runs of added lines) so the rest of leakguard never learns that git exists. Object ids stay
//! inside this module: `Change` carries them as private fields.

mod cache_tree;
mod history;
mod history_cache;
mod hooks;
mod index_view;
mod lines;
mod loose;
mod packs;
mod revision;
mod root_files;
mod staged;
mod versions;
mod worktree;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gix::ObjectId;
use gix::bstr::{BString, ByteVec};

use crate::chunk::{Chunk, LineRun, Origin, looks_binary};
use crate::error::{BoxError, Error, Result};

pub use history::{
    CommitChanges, CommitId, Deletions, PushRange, PushedRef, Selection, parse_push_lines,
};
pub use hooks::{ConfigScope, HooksDir, HooksPathSetting};
pub use lines::added_runs;
pub use root_files::{RootFile, RootFilesChange};
pub use versions::{ChangeVersions, LastVersions, versions_content};

/// An open repository.
pub struct Repo {
    repo: gix::Repository,
    /// The blob cache rename tracking reads through, made on the first commit a history scan
    /// diffs and kept: making it reads the attributes of HEAD's tree, which in a bare
    /// repository means building an index of the whole tree — half of a history scan's time
    /// when it was made for every commit (rust-lang/cargo, perf).
    diff_cache: std::cell::RefCell<Option<gix::diff::blob::Platform>>,
    /// History handles only: which of the 256 `objects/xx` fan-out directories existed when
    /// the handle was made. A clone keeps nearly every object in packs, and probing for a
    /// loose file first (`loose::read_blob`) cost a failed `open` per blob read: 4% of a
    /// history scan's CPU on rust-lang/cargo (perf), most of its system time. A loose object
    /// written into a new directory later is still found, through gix.
    loose_fanout: Option<[bool; 256]>,
    /// History handles only: blobs read from the packs with their delta chains' objects kept
    /// (`packs`).
    packs: Option<std::cell::RefCell<packs::Packs>>,
    /// The shallow clone's boundary commits, read on the first question: gix checks the
    /// `shallow` file's modification time on every call, a system call per commit a history
    /// scan lists (and one more per commit its review reads).
    shallow_commits: std::cell::OnceCell<Option<gix::shallow::Commits>>,
}

/// How a repository's packs store the versions of its files (`Repo::pack_layout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackLayout {
    /// At least one in eight sampled changes has one side stored as a delta of the other.
    ChainsPaths,
    /// Fewer: each blob stored as a delta of another file's (`git fast-import`).
    ChainsOtherwise,
    /// Too few sampled changes in the packs to tell (loose objects, `refs/replace`, a
    /// history that only adds files).
    Unknown,
}

/// A repository handle that can cross threads; each worker opens its own `Repo` from it.
#[derive(Clone)]
pub struct SharedRepo {
    repo: gix::ThreadSafeRepository,
    /// The packs history handles read blobs and trees from, opened (mapped) once for all
    /// workers by the first that needs them.
    packs: Arc<OnceLock<packs::Bundles>>,
}

impl SharedRepo {
    /// A handle for scanning staged files: each blob is read once, so no caches.
    pub fn local(&self) -> Repo {
        Repo::new(self.repo.to_thread_local())
    }

    /// A handle for walking history, where consecutive commits read the same trees and
    /// delta chains again and again: a 16 MiB delta-base cache per worker, and an object cache
    /// of trees and commits only (`history_cache`; the blob-admitting one measured below did
    /// not pay).
    /// Measured on a generated 6 000-commit history (bench/make-history.py, 2 workers): no
    /// caches 2.8 s, a 16 MiB object cache 3.1 s, plus a 64 MiB delta-base cache 1.9 s. On
    /// rust-lang/cargo's 23 077 commits (2026-12-02, same run): without the object cache the
    /// same time (7.1 s) for 235 → 190 MB peak; with a 16 MiB delta-base cache instead of 32,
    /// 155 MB for 0–5% more time (7.1–7.5 s); the 6 000-commit history 164 → 118 MB, same
    /// 2.1–2.4 s. Betterleaks took 180 and 163 MB on them.
    /// It also reads through its own pack reader (`packs`; the caches above then serve what
    /// that reader leaves to gix, and handles made `without_pack_reader`).
    pub fn local_for_history(&self) -> Repo {
        let mut repo = self.repo.to_thread_local();
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                16 << 20,
            ))
        });
        repo.objects
            .set_object_cache(|| Box::new(history_cache::TreesAndCommits::new(HISTORY_TREE_CACHE)));
        let objects = repo.objects.store_ref().path().to_path_buf();
        let loose_fanout = loose::fanout_dirs(&objects);
        let hash = repo.object_hash();
        // The reader reads objects by id as stored; gix substitutes `refs/replace/*` (and
        // the commit walk goes through gix), so with replacements everything goes through gix.
        let replaced = !repo.objects.ignore_replacements
            && repo.objects.store_ref().replacements().next().is_some();
        let mut repo = Repo::new(repo);
        repo.loose_fanout = Some(loose_fanout);
        if !replaced {
            let bundles = self
                .packs
                .get_or_init(|| packs::Bundles::open(&objects, hash));
            repo.packs = Some(packs::Packs::new(bundles.clone()).into());
        }
        repo
    }
}

/// Bytes of trees and commits each history worker keeps (`history_cache`). On HEAD~400..HEAD
/// of rust-lang/cargo (1 338 commits, callgrind) 1 MiB read 1.7% fewer instructions (one
/// worker), 2 MiB 1.9% (two); on the whole history 2 and 4 MiB cost ~10 MB more peak memory
/// than 1 MiB (165 against 155-158 MB), which the brief caps at ~160.
const HISTORY_TREE_CACHE: usize = 1 << 20;

/// One file whose staged (or committed) content differs from its previous version.
#[derive(Clone, Debug)]
pub struct Change {
    /// Repository-relative path, lossily decoded when it is not UTF-8.
    pub path: String,
    /// The file's size as the index recorded it when it was staged (0 when unknown); only a
    /// hint for deciding whether a change is big enough to scan in parallel.
    pub size_hint: u64,
    old: Option<ObjectId>,
    new: ObjectId,
    /// What `git add` recorded about the work-tree file, when that file may be read instead of
    /// the blob as long as it still matches (see `worktree`).
    staged_from: Option<gix::index::entry::Stat>,
}

impl Change {
    /// A new path (no previous version to diff against).
    pub fn is_addition(&self) -> bool {
        self.old.is_none()
    }
}

/// The last blob a history worker read for a file, kept for the next change to that file.
#[derive(Default)]
pub struct BlobCarry(Option<(ObjectId, Vec<u8>)>);

/// A file's new content, or why it was not scanned.
pub enum Content {
    Text(Chunk),
    Binary,
}

/// The staged changes, plus what was deleted (used to recognise renames).
pub struct Staged {
    pub changes: Vec<Change>,
    /// Additions that are exact renames of a deleted path (not scanned).
    pub renames: usize,
    deleted: Vec<ObjectId>,
    /// Every blob id in HEAD's tree, computed only when a new file needs the copy check (by
    /// whichever worker needs it first).
    head_blobs: OnceLock<HashSet<ObjectId>>,
}

impl Repo {
    fn new(repo: gix::Repository) -> Self {
        Repo {
            repo,
            diff_cache: Default::default(),
            loose_fanout: None,
            packs: None,
            shallow_commits: Default::default(),
        }
    }

    /// Finds the repository containing `dir`, honouring `GIT_DIR`, `GIT_WORK_TREE` and
    /// `GIT_INDEX_FILE` as git sets them for hooks.
    pub fn discover(dir: &Path) -> Result<Self> {
        // git does not verify the index checksum on a normal read; neither do we (it costs as
        // much as the whole staged diff on a large index).
        let options = gix::open::Options::default().config_overrides(["index.skipHash=true"]);
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            dir,
            Default::default(),
            gix::sec::trust::Mapping {
                full: options.clone(),
                reduced: options,
            },
        )
        .map_err(|e| {
            // That no repository was found is the whole message; anything else (a repository
            // that cannot be opened) is kept as the cause.
            use gix::discover::upwards::Error as Upwards;
            let none_found = matches!(
                e.downcast_any_ref::<Upwards>(),
                Some(
                    Upwards::NoGitRepository { .. }
                        | Upwards::NoGitRepositoryWithinCeiling { .. }
                        | Upwards::NoGitRepositoryWithinFs { .. }
                )
            );
            Error::NotARepository {
                path: dir.to_path_buf(),
                source: (!none_found).then(|| e.into()),
            }
        })?
        .to_thread_local();
        Ok(Repo::new(repo))
    }

    /// Gives back the pages of the packs this history handle's reader mapped (see `packs`).
    pub fn release_pack_pages(&self) {
        if let Some(packs) = &self.packs {
            packs.borrow().release_pages();
        }
    }

    /// This history handle with a pack reader's cache of `bytes` (see `packs`).
    pub fn with_pack_cache(self, bytes: usize) -> Self {
        if let Some(packs) = &self.packs {
            let recached = packs.borrow().recached(bytes);
            *packs.borrow_mut() = recached;
        }
        self
    }

    /// This history handle with every object read through gix, none through its own packs
    /// reader (see `pack_layout`).
    pub fn without_pack_reader(mut self) -> Self {
        self.packs = None;
        self
    }

    pub fn shared(&self) -> SharedRepo {
        SharedRepo {
            repo: self.repo.clone().into_sync(),
            packs: Default::default(),
        }
    }

    /// A boolean git setting as git resolves it: system, global and this clone's own
    /// `.git/config`, all of them the person's (cloning never copies a repository's settings).
    /// A value git would not read as a boolean is an error naming the key.
    pub fn config_bool(&self, key: &str) -> Result<Option<bool>> {
        self.repo
            .config_snapshot()
            .try_boolean(key)
            .map_err(|e| Error::git(format!("git config {key}"), e))
    }

    /// The work tree root, where `.leakguard.toml` lives; `None` for a bare repository.
    pub fn workdir(&self) -> Option<PathBuf> {
        self.repo.workdir().map(Path::to_path_buf)
    }

    pub fn index_path(&self) -> PathBuf {
        self.repo.index_path()
    }

    /// Reads a change's blobs and computes its added lines.
    pub fn content(&self, change: &Change, origin: Arc<Origin>) -> Result<Content> {
        let new = self.new_content(change)?;
        if looks_binary(&new) {
            return Ok(Content::Binary);
        }
        let runs = match change.old {
            None => added_runs(&[], &new),
            Some(old) => added_runs(&self.blob(old, &change.path)?, &new),
        };
        Ok(Content::Text(Chunk {
            path: change.path.clone(),
            origin,
            data: new,
            runs,
        }))
    }

    /// `content` for a history scan that reads a file's versions one after another, newest
    /// first: the new side is taken from `carry` when it holds that blob (the old side of the
    /// newer change to the same file, read just before), and the old side is left there for
    /// the next, older change. Each version is then read once, and right after the version it
    /// is stored as a delta of in the pack, which the pack reader's cache still holds
    /// (`packs`).
    pub fn history_content(
        &self,
        change: &Change,
        carry: &mut BlobCarry,
        origin: Arc<Origin>,
    ) -> Result<Content> {
        let new = match carry.0.take() {
            Some((id, data)) if id == change.new => data,
            _ => self.blob(change.new, &change.path)?,
        };
        if looks_binary(&new) {
            return Ok(Content::Binary);
        }
        let runs = match change.old {
            None => added_runs(&[], &new),
            Some(old) => {
                let old_data = self.blob(old, &change.path)?;
                let runs = added_runs(&old_data, &new);
                carry.0 = Some((old, old_data));
                runs
            }
        };
        Ok(Content::Text(Chunk {
            path: change.path.clone(),
            origin,
            data: new,
            runs,
        }))
    }

    /// For a new path whose content `new` (as `content` read it) has matches: the lines that
    /// are new relative to where it came from. `Some(no runs)` when the content already exists
    /// in HEAD (a copy: nothing in it is new); the lines the edit added when it is a deleted
    /// file moved and edited (a rename with changes); `None` when it is a genuinely new file.
    pub fn lines_not_in_source(
        &self,
        staged: &Staged,
        change: &Change,
        new: &[u8],
    ) -> Result<Option<Vec<LineRun>>> {
        if !change.is_addition() {
            return Ok(None);
        }
        if self.head_blobs(staged)?.contains(&change.new) {
            return Ok(Some(Vec::new()));
        }
        self.lines_not_in_deleted(&staged.deleted, change, new)
    }

    /// For a new path (the callers check) with matches: when one of the files `deleted` by the
    /// same change is its source (a rename with edits: git's default threshold, at least half
    /// of the old file survives), the lines the edit added; `None` otherwise.
    fn lines_not_in_deleted(
        &self,
        deleted: &[ObjectId],
        change: &Change,
        new: &[u8],
    ) -> Result<Option<Vec<LineRun>>> {
        let new_lines = memchr::memchr_iter(b'\n', new).count() + 1;
        let mut best: Option<(usize, Vec<LineRun>)> = None;
        for &old_id in deleted.iter().take(MAX_RENAME_CANDIDATES) {
            let old = self.blob(old_id, &change.path)?;
            if looks_binary(&old) {
                continue;
            }
            let runs = added_runs(&old, new);
            let added: usize = runs
                .iter()
                .map(|r| memchr::memchr_iter(b'\n', &new[r.bytes.clone()]).count() + 1)
                .sum();
            let old_lines = memchr::memchr_iter(b'\n', &old).count() + 1;
            let kept = new_lines.saturating_sub(added);
            if kept * 2 >= old_lines && best.as_ref().is_none_or(|(a, _)| added < *a) {
                best = Some((added, runs));
            }
        }
        Ok(best.map(|(_, runs)| runs))
    }

    /// A change's new content: the work-tree file it was staged from if that is unchanged,
    /// else the blob.
    fn new_content(&self, change: &Change) -> Result<Vec<u8>> {
        if let (Some(stat), Some(workdir)) = (&change.staged_from, self.repo.workdir()) {
            let mut data = Vec::new();
            if worktree::read_unchanged(workdir, change.path.as_str().into(), stat, &mut data)
                .is_some()
            {
                return Ok(data);
            }
        }
        self.blob(change.new, &change.path)
    }

    fn blob(&self, id: ObjectId, path: &str) -> Result<Vec<u8>> {
        let mut data = Vec::new();
        let may_be_loose = self
            .loose_fanout
            .is_none_or(|dirs| dirs[id.as_slice()[0] as usize]);
        if may_be_loose
            && loose::read_blob(self.repo.objects.store_ref().path(), id, &mut data).is_some()
        {
            return Ok(data);
        }
        if let Some(packs) = &self.packs
            && packs.borrow_mut().read_blob(&id, &mut data)
        {
            return Ok(data);
        }
        Ok(self
            .repo
            .find_blob(id)
            .map_err(|e| Error::git(format!("cannot read the blob {id} of {path}"), e))?
            .take_data())
    }

    fn head_blobs<'s>(&self, staged: &'s Staged) -> Result<&'s HashSet<ObjectId>> {
        if let Some(set) = staged.head_blobs.get() {
            return Ok(set);
        }
        let mut set = HashSet::new();
        self.for_each_blob(
            self.head_tree_id()?,
            &mut BString::default(),
            &mut |_, id| {
                set.insert(id);
            },
        )?;
        Ok(staged.head_blobs.get_or_init(|| set))
    }

    /// Calls `f` with the path (under `prefix`) and id of every regular file below a tree.
    fn for_each_blob(
        &self,
        tree_id: ObjectId,
        prefix: &mut BString,
        f: &mut dyn FnMut(&BString, ObjectId),
    ) -> Result<()> {
        let tree = self.find_tree(tree_id)?;
        let plen = prefix.len();
        for entry in gix::objs::TreeRefIter::from_bytes(&tree.data, tree_id.kind()) {
            let entry =
                entry.map_err(|e| Error::git(format!("cannot decode the tree {tree_id}"), e))?;
            prefix.push_str(entry.filename);
            if entry.mode.is_tree() {
                prefix.push_byte(b'/');
                self.for_each_blob(entry.oid.to_owned(), prefix, f)?;
            } else if entry.mode.is_blob() {
                f(prefix, entry.oid.to_owned());
            }
            prefix.truncate(plen);
        }
        Ok(())
    }

    fn head_tree_id(&self) -> Result<ObjectId> {
        Ok(self
            .repo
            .head_tree_id_or_empty()
            .map_err(|e| Error::git("cannot resolve HEAD to a tree", e))?
            .detach())
    }

    /// How the packs store the versions of the files that the changes `sample` (a few dozen
    /// commits' worth, spread over a history) touch, as far as the order a history is read in
    /// goes: of the changes with an old version whose two sides are both in one pack, how
    /// many are stored one as a delta of the other. A pack that git's `pack-objects` wrote (a
    /// clone, `git gc`) chains a file's versions (rust-lang/cargo: 51 of 170); `git
    /// fast-import` deltifies each blob against the blob written before it, whatever its path
    /// (the generated 6 000-commit history: 0 of 222).
    pub fn pack_layout(&self, sample: &[CommitChanges]) -> PackLayout {
        let Some(packs) = &self.packs else {
            return PackLayout::Unknown;
        };
        let packs = packs.borrow();
        let (mut related, mut asked) = (0, 0);
        for change in sample.iter().flat_map(|c| &c.changes) {
            let Some(old) = change.old else { continue };
            if let Some(chained) = packs.delta_related(&old, &change.new) {
                asked += 1;
                related += chained as usize;
            }
        }
        if asked < 16 {
            PackLayout::Unknown
        } else if related * 8 >= asked {
            PackLayout::ChainsPaths
        } else {
            PackLayout::ChainsOtherwise
        }
    }

    /// The data of object `id`, which must be a `kind`: on a history handle through its packs
    /// reader, else (or if the packs do not have it) through gix.
    fn history_object(
        &self,
        id: ObjectId,
        kind: gix::object::Kind,
    ) -> std::result::Result<Vec<u8>, BoxError> {
        let mut data = Vec::new();
        if let Some(packs) = &self.packs
            && packs.borrow_mut().read_kind(&id, kind, &mut data)
        {
            return Ok(data);
        }
        let object = self.repo.find_object(id)?;
        if object.kind != kind {
            return Err(format!("{id} is a {}, not a {kind}", object.kind).into());
        }
        Ok(object.detach().data)
    }

    /// The data of the tree of the commit whose data are `commit`.
    fn commit_tree(&self, commit: &[u8], id: ObjectId) -> std::result::Result<Vec<u8>, BoxError> {
        let tree = gix::objs::CommitRefIter::from_bytes(commit, id.kind()).tree_id()?;
        self.history_object(tree, gix::object::Kind::Tree)
    }

    /// The objects a tree diff reads: on a history handle, through its packs reader.
    fn objects(&self) -> packs::Objects<'_> {
        packs::Objects {
            packs: self.packs.as_ref(),
            odb: &self.repo.objects,
        }
    }

    fn find_tree(&self, id: ObjectId) -> Result<gix::Tree<'_>> {
        self.repo
            .find_tree(id)
            .map_err(|e| Error::git(format!("cannot read the tree {id}"), e))
    }
}

/// Deleted files compared against a new file with findings, at most (each is a blob diff).
const MAX_RENAME_CANDIDATES: usize = 64;

/// One path of a tree-to-tree diff, as the scanners need it.
enum TreeChange {
    /// A file added, modified or rewritten (renamed or copied with edits): `old` is the blob to
    /// diff against, when there is one.
    File {
        location: BString,
        old: Option<ObjectId>,
        new: ObjectId,
        /// The new side's mode (a regular or an executable file).
        mode: gix::object::tree::EntryMode,
    },
    /// A file deleted (its blob may reappear elsewhere: a move).
    Deleted(ObjectId),
    /// Anything that is not a regular file or executable: links, submodules, trees.
    Other,
}

impl TreeChange {
    fn from_diff(change: gix::object::tree::diff::ChangeDetached) -> Self {
        use gix::object::tree::diff::ChangeDetached as C;
        let (location, old, new, mode) = match change {
            C::Addition {
                location,
                id,
                entry_mode,
                ..
            } => (location, None, id, entry_mode),
            C::Modification {
                location,
                previous_id,
                previous_entry_mode,
                id,
                entry_mode,
            } => (
                location,
                previous_entry_mode.is_blob().then_some(previous_id),
                id,
                entry_mode,
            ),
            C::Rewrite {
                location,
                source_id,
                id,
                entry_mode,
                ..
            } => (location, Some(source_id), id, entry_mode),
            C::Deletion { id, entry_mode, .. } => {
                return if entry_mode.is_blob() {
                    TreeChange::Deleted(id)
                } else {
                    TreeChange::Other
                };
            }
        };
        if mode.is_blob() {
            TreeChange::File {
                location,
                old,
                new,
                mode,
            }
        } else {
            TreeChange::Other
        }
    }
}
