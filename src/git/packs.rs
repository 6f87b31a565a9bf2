//! Blobs read straight from the pack files for history scans, keeping every object a delta
//! chain produces on the way.
//!
//! git stores a file's versions as a chain of deltas, each against a neighbouring version, down
//! to one stored whole. gix's decoder caches the object it was asked for, but neither the
//! objects it passes through nor an undeltified object, so reading a file's versions commit
//! after commit walked each chain down to its whole base again: on the generated 6 000-commit
//! history, 400 commits (~2 800 blob reads) cost 54 444 delta applications and 60 000 zlib
//! streams, zlib 80% of the scan's instructions (callgrind). Here a read walks the chain only
//! down to the first object already decoded, then decodes upwards one delta at a time through
//! gix's own decoder, and every object it produces (undeltified ones too) is kept in a
//! memory-capped LRU per worker: a version is then usually one delta away from one read before,
//! as in git's own delta-base cache. Read path by path (`pipeline::scan_commits`), rust-lang/
//! cargo's history took 3.9 s of CPU instead of 6.8 s.
//!
//! The packs are mapped here once for all workers, and the pages read are given back to the
//! kernel every `RELEASE_AFTER` bytes: a history scan reads nearly every page of the packs, and
//! gix maps them too (for the commit walk and the configuration review), so kept they counted
//! twice in the scan's resident memory (cargo: 180 MB peak, 126 MB with the release).
//!
//! Anything this reader does not find or cannot decode (a loose object, an alternate, a pack
//! written after the scan started, a delta against another pack's object, damage) is left to
//! gix, which then also words the error.

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clru::{CLruCache, CLruCacheConfig, WeightScale};
use gix::odb::pack::{self, cache::DecodeEntry, data};

/// Bytes of decoded objects each worker keeps. Files read path by path need little: each
/// version is usually one delta from the one read before it. On rust-lang/cargo (2 workers,
/// same run) 4, 16 and 32 MiB took the same CPU (4.2–4.5 s) and 126, 175 and 222 MB peak.
const DECODED_CACHE: usize = 4 << 20;

/// The packs of an object directory, mapped once and shared by the workers.
#[derive(Clone)]
pub(super) struct Bundles {
    packs: Arc<Vec<Bundle>>,
    /// Bytes read from the mappings since their pages were last given back.
    touched: Arc<AtomicUsize>,
}

/// Pack bytes read (each entry counted with a page) after which the mapped pages are given
/// back. A history scan reads nearly every page of the packs, once or twice; kept mapped,
/// they counted in its resident memory twice, once in gix's own mapping (which the commit
/// walk and the configuration review read through) and once in this one. Same run: every
/// 8 MiB against every 32 MiB, rust-lang/cargo 2.38–2.45 s, 148–150 MB against 2.37–2.42 s,
/// 158–161 MB; the 6 000-commit history read in write order 120–125 MB against 139 MB.
const RELEASE_AFTER: usize = 8 << 20;
const PAGE: usize = 4096;

/// A pack and its index. The pack is mapped here rather than by gix so that its pages can be
/// given back (`Bundles::touched`).
struct Bundle {
    pack: data::File<SharedMap>,
    index: pack::index::File,
    map: SharedMap,
}

/// A read-only mapping of a pack file, shared by its `data::File` and its `Bundle`.
#[derive(Clone)]
struct SharedMap(Arc<memmap2::Mmap>);

impl std::ops::Deref for SharedMap {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Bundles {
    /// Every pack of the object directory `objects` (one that fails to open is left to gix).
    pub(super) fn open(objects: &Path, hash: gix::hash::Kind) -> Self {
        let mut bundles = Vec::new();
        if let Ok(dir) = std::fs::read_dir(objects.join("pack")) {
            for entry in dir.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "idx")
                    && let Some(mut bundle) = Bundle::open(&path, hash)
                {
                    // The cache's key: gix derives an id from the pack's path (a crc32, which
                    // two paths may share), and leaves it to the owner to make ids unique.
                    bundle.pack.id = bundles.len() as u32;
                    bundles.push(bundle);
                }
            }
        }
        Bundles {
            packs: Arc::new(bundles),
            touched: Default::default(),
        }
    }
}

impl Bundles {
    /// Counts `bytes` read, and gives the mapped pages back to the kernel once they add up to
    /// `RELEASE_AFTER`: they stay in the page cache, so a later read of one costs a minor
    /// fault, not a disk read.
    fn touched(&self, bytes: usize) {
        let before = self.touched.fetch_add(bytes, Ordering::Relaxed);
        if before < RELEASE_AFTER && before + bytes >= RELEASE_AFTER {
            self.touched.store(0, Ordering::Relaxed);
            self.release_pages();
        }
    }

    /// Gives every mapped page back to the kernel.
    #[cfg(unix)]
    fn release_pages(&self) {
        for bundle in self.packs.iter() {
            // SAFETY: the mapping is a shared, read-only map of a file that is never changed in
            // place (see `Bundle::open`): a page dropped from it faults back in from the page
            // cache with the same bytes, so slices other workers hold into it keep their
            // content. (On a private or anonymous map DONTNEED would zero pages instead.)
            #[expect(unsafe_code)]
            let _ = unsafe {
                bundle
                    .map
                    .0
                    .unchecked_advise(memmap2::UncheckedAdvice::DontNeed)
            };
        }
    }

    #[cfg(not(unix))]
    fn release_pages(&self) {}
}

impl Bundle {
    fn open(index_path: &Path, hash: gix::hash::Kind) -> Option<Self> {
        let index = pack::index::File::at(index_path, hash).ok()?;
        let pack_path = index_path.with_extension("pack");
        let file = std::fs::File::open(&pack_path).ok()?;
        // SAFETY: a mapped file that shrinks under us would fault. git never changes a pack in
        // place: a pack is named by its checksum, written whole under a temporary name and
        // renamed, and deleted only as a whole (which leaves our mapping intact). gix maps
        // packs the same way. The map is shared and read-only (`MAP_SHARED`, `PROT_READ`),
        // which `release_pages` relies on.
        #[expect(unsafe_code)]
        let map = SharedMap(Arc::new(unsafe { memmap2::Mmap::map(&file) }.ok()?));
        let pack = data::File::from_data(map.clone(), pack_path, hash).ok()?;
        Some(Bundle { pack, index, map })
    }
}

/// One worker's reader: the shared packs, its own cache of decoded objects.
pub(super) struct Packs {
    bundles: Bundles,
    decoded: Decoded,
    inflate: gix::zlib::Inflate,
}

impl Packs {
    pub(super) fn new(bundles: Bundles) -> Self {
        Self::with_cache(bundles, DECODED_CACHE)
    }

    pub(super) fn with_cache(bundles: Bundles, bytes: usize) -> Self {
        Packs {
            bundles,
            decoded: Decoded::new(bytes),
            inflate: Default::default(),
        }
    }

    /// Blob `id` into `out`, if a pack has it and it decodes as a blob; `false` otherwise.
    pub(super) fn read_blob(&mut self, id: &gix::oid, out: &mut Vec<u8>) -> bool {
        self.read_kind(id, gix::object::Kind::Blob, out)
    }

    /// Object `id` into `out`, if a pack has it and it decodes as a `kind`.
    pub(super) fn read_kind(
        &mut self,
        id: &gix::oid,
        kind: gix::object::Kind,
        out: &mut Vec<u8>,
    ) -> bool {
        self.read(id, out) == Some(kind)
    }

    /// Object `id` into `out`, if a pack has it and it decodes.
    fn read(&mut self, id: &gix::oid, out: &mut Vec<u8>) -> Option<gix::object::Kind> {
        let (bundle, offset) = self.locate(id)?;
        self.object_at(bundle, offset, out)
    }

    /// Gives back every page of the packs mapped so far (`Bundles::release_pages`).
    pub(super) fn release_pages(&self) {
        self.bundles.release_pages();
    }

    /// This reader with a cache of `bytes` instead.
    pub(super) fn recached(&self, bytes: usize) -> Self {
        Self::with_cache(self.bundles.clone(), bytes)
    }

    /// Whether one of the objects `a` and `b` is stored as a delta of the other; `None` when
    /// either is not in a pack this reader has, or they are in different packs.
    pub(super) fn delta_related(&self, a: &gix::oid, b: &gix::oid) -> Option<bool> {
        let (pack_a, a) = self.locate(a)?;
        let (pack_b, b) = self.locate(b)?;
        if pack_a != pack_b {
            // Packs written at different times (a fetch after the clone) say nothing of how
            // either stores a file's versions.
            return None;
        }
        let pack = &self.bundles.packs[pack_a].pack;
        let base_of = |offset| {
            let entry = pack.entry(offset).ok()?;
            match entry.header {
                data::entry::Header::OfsDelta { base_distance } => {
                    entry.checked_base_pack_offset(base_distance)
                }
                _ => None,
            }
        };
        Some(base_of(a) == Some(b) || base_of(b) == Some(a))
    }

    /// Which pack holds `id`, and where its entry starts.
    fn locate(&self, id: &gix::oid) -> Option<(usize, data::Offset)> {
        self.bundles
            .packs
            .iter()
            .enumerate()
            .find_map(|(b, bundle)| {
                let i = bundle.index.lookup(id)?;
                Some((b, bundle.index.pack_offset_at_index(i)))
            })
    }

    /// The object whose entry starts at `offset` in pack `bundle`, into `out`.
    fn object_at(
        &mut self,
        bundle: usize,
        offset: data::Offset,
        out: &mut Vec<u8>,
    ) -> Option<gix::object::Kind> {
        let Packs {
            bundles,
            decoded,
            inflate,
        } = self;
        let pack = &bundles.packs[bundle].pack;
        let index = &bundles.packs[bundle].index;
        let target = pack.entry(offset).ok()?;
        if let Some((kind, _)) = decoded.get(pack.id, target.data_offset, out) {
            return Some(kind);
        }
        // The deltas from the target down to (not including) the first object decoded before,
        // or to the end of the chain: a whole object, or a delta against an object named by id
        // (which gix's decoder resolves through `resolve`).
        let mut chain = vec![target.clone()];
        while let data::entry::Header::OfsDelta { base_distance } = chain.last()?.header {
            let base = pack
                .entry(chain.last()?.checked_base_pack_offset(base_distance)?)
                .ok()?;
            if decoded.contains(pack.id, base.data_offset) {
                break;
            }
            let whole = !base.header.is_delta();
            chain.push(base);
            if whole {
                break;
            }
        }
        let resolve = |id: &gix::oid, _: &mut Vec<u8>| {
            Ok(index
                .lookup(id)
                .and_then(|i| pack.entry(index.pack_offset_at_index(i)).ok())
                .map(pack::data::decode::entry::ResolvedBase::InPack))
        };
        // Upwards: each delta's base is now decoded (gix's decoder finds it in `decoded`, or
        // inflates the whole object at the chain's end), and gix keeps each result there.
        let mut kind = None;
        let mut touched = 0;
        let levels = chain.len();
        for (level, entry) in chain.into_iter().rev().enumerate() {
            let whole = !entry.header.is_delta();
            let data_offset = entry.data_offset;
            let outcome = pack
                .decode_entry(entry, out, inflate, &resolve, decoded)
                .ok()?;
            touched += outcome.compressed_size + PAGE;
            if whole {
                decoded.put(pack.id, data_offset, out, outcome.kind, 0);
            }
            kind = Some(outcome.kind);
            // An object too large for the cache is not kept, and decoding the next level would
            // walk the chain down to the base again (quadratic in its depth): the target in
            // one walk instead.
            if level + 1 < levels && !decoded.contains(pack.id, data_offset) {
                let outcome = pack
                    .decode_entry(target, out, inflate, &resolve, decoded)
                    .ok()?;
                touched += outcome.compressed_size + PAGE;
                kind = Some(outcome.kind);
                break;
            }
        }
        bundles.touched(touched);
        kind
    }
}

/// Objects for a history worker's tree diffs: from its packs reader first, else through gix.
pub(super) struct Objects<'r> {
    pub(super) packs: Option<&'r RefCell<Packs>>,
    pub(super) odb: &'r gix::OdbHandle,
}

impl gix::objs::Find for Objects<'_> {
    fn try_find<'a>(
        &self,
        id: &gix::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::error::Result<Option<gix::objs::Data<'a>>> {
        if let Some(kind) = self.packs.and_then(|p| p.borrow_mut().read(id, buffer)) {
            return Ok(Some(gix::objs::Data {
                kind,
                object_hash: id.kind(),
                data: buffer,
            }));
        }
        self.odb.try_find(id, buffer)
    }
}

impl gix::objs::FindHeader for Objects<'_> {
    fn try_header(&self, id: &gix::oid) -> gix::error::Result<Option<gix::objs::Header>> {
        self.odb.try_header(id)
    }
}

/// Decoded objects by pack and offset, least recently used evicted first, up to a byte total.
struct Decoded(CLruCache<(u32, u64), Object, std::hash::RandomState, ByLength>);

struct Object {
    data: Vec<u8>,
    kind: gix::object::Kind,
    compressed_size: usize,
}

struct ByLength;

impl WeightScale<(u32, u64), Object> for ByLength {
    fn weight(&self, _: &(u32, u64), object: &Object) -> usize {
        object.data.len()
    }
}

impl Decoded {
    fn new(bytes: usize) -> Self {
        let capacity = NonZeroUsize::new(bytes).expect("a non-zero cache size");
        Decoded(CLruCache::with_config(
            CLruCacheConfig::new(capacity).with_scale(ByLength),
        ))
    }

    fn contains(&self, pack: u32, offset: u64) -> bool {
        self.0.contains(&(pack, offset))
    }
}

impl DecodeEntry for Decoded {
    fn put(
        &mut self,
        pack: u32,
        offset: u64,
        data: &[u8],
        kind: gix::object::Kind,
        compressed_size: usize,
    ) {
        // An object larger than the whole cache is refused by it, and not kept.
        let _ = self.0.put_with_weight(
            (pack, offset),
            Object {
                data: data.to_vec(),
                kind,
                compressed_size,
            },
        );
    }

    fn get(
        &mut self,
        pack: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::object::Kind, usize)> {
        let object = self.0.get(&(pack, offset))?;
        out.clear();
        out.extend_from_slice(&object.data);
        Some((object.kind, object.compressed_size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::{PackLayout, Repo, Selection};
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], stdin: Option<&[u8]>) {
        use std::io::Write;
        let mut child = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(dir)
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("run git");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.unwrap_or_default())
            .expect("write git's stdin");
        assert!(
            child.wait().expect("wait for git").success(),
            "git {args:?}"
        );
    }

    /// A repository whose three files are edited in turn over 30 commits, written by
    /// `git fast-import` (each blob deltified against the blob written before it).
    fn fast_imported() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"], None);
        let mut files: Vec<Vec<String>> = (0..3)
            .map(|f| (0..80).map(|i| format!("line {f} {i}")).collect())
            .collect();
        let mut stream = Vec::new();
        for c in 0..30 {
            let f = c % 3;
            files[f].insert(c * 2 % 80, format!("edit {c}"));
            stream.extend_from_slice(b"commit refs/heads/main\n");
            stream.extend_from_slice(format!("committer t <t@x> {} +0000\n", 1000 + c).as_bytes());
            stream.extend_from_slice(b"data 2\nc\n");
            for (g, lines) in files.iter().enumerate() {
                let data = lines.join("\n") + "\n";
                stream.extend_from_slice(format!("M 100644 inline f{g}.txt\n").as_bytes());
                stream.extend_from_slice(format!("data {}\n{data}\n", data.len()).as_bytes());
            }
        }
        // Kept as a pack however few the objects (fast-import unpacks fewer than 100).
        git(
            dir.path(),
            &["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet"],
            Some(&stream),
        );
        dir
    }

    fn layout(dir: &Path) -> PackLayout {
        let repo = Repo::discover(dir).unwrap();
        let history = repo.shared().local_for_history();
        let commits = history.history_commits(Selection::AllRefs).unwrap();
        let sample: Vec<_> = commits
            .iter()
            .map(|&c| history.commit_changes(c).unwrap())
            .collect();
        history.pack_layout(&sample)
    }

    #[test]
    fn the_layout_follows_how_the_packs_store_a_files_versions() {
        let dir = fast_imported();
        assert_eq!(
            layout(dir.path()),
            PackLayout::ChainsOtherwise,
            "fast-import deltifies across files"
        );
        git(dir.path(), &["repack", "-a", "-d", "-f", "-q"], None);
        assert_eq!(
            layout(dir.path()),
            PackLayout::ChainsPaths,
            "pack-objects chains a file's versions"
        );
        git(dir.path(), &["replace", "-f", "HEAD~1", "HEAD~2"], None);
        assert_eq!(
            layout(dir.path()),
            PackLayout::Unknown,
            "with replacements every object is read through gix"
        );
        let loose = tempfile::tempdir().unwrap();
        git(loose.path(), &["init", "-q"], None);
        assert_eq!(layout(loose.path()), PackLayout::Unknown, "nothing to ask");
    }

    #[test]
    fn every_object_reads_as_gix_reads_it_before_and_after_its_pages_are_given_back() {
        let dir = fast_imported();
        git(
            dir.path(),
            &["repack", "-a", "-d", "-f", "-q", "--depth=5"],
            None,
        );
        let repo = gix::open(dir.path()).unwrap();
        let objects = repo.objects.store_ref().path().to_path_buf();
        let bundles = Bundles::open(&objects, repo.object_hash());
        assert_eq!(bundles.packs.len(), 1);
        let ids: Vec<gix::ObjectId> = bundles.packs[0]
            .index
            .iter()
            .map(|entry| entry.oid)
            .collect();
        assert!(ids.len() > 80, "{} objects", ids.len());
        // Rounds 1 and 2: a fresh cache, so that the second reads the released pages; round 3:
        // a cache too small for most objects, so that chains are decoded in one walk.
        for (round, cache) in [DECODED_CACHE, DECODED_CACHE, 256].into_iter().enumerate() {
            let mut packs = Packs::with_cache(bundles.clone(), cache);
            for id in &ids {
                let mut out = Vec::new();
                let kind = packs.read(id, &mut out);
                let object = repo.find_object(*id).unwrap();
                assert_eq!(kind, Some(object.kind), "{id}, round {round}");
                assert!(out == object.data, "{id}, round {round}");
            }
            bundles.release_pages();
        }
    }
}
