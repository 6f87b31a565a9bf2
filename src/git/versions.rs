//! A history read in the order its commits were written, oldest first: each file's last version
//! kept as the old side of its next change.
//!
//! `git fast-import` stores each blob as a delta of the blob it wrote before it, whatever its
//! path, in chains of up to 50. Read newest first, path by path or commit by commit, each
//! version is a walk down such a chain; read in the order they were written, each is one delta
//! from the version read just before (which the pack reader keeps), and the old side of a change
//! is a version read earlier: kept here, it is not read again. Kept as the hashes of its lines
//! (`lines::LineHashes`, 9 bytes a line), which is all the diff against it needs: the
//! generated 6 000-commit history's last versions are 36 MB of text and 6.5 MB of hashes.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock};

use clru::{CLruCache, CLruCacheConfig, WeightScale};
use gix::ObjectId;

use super::lines::{LineHashes, added_runs_from_hashes};
use super::{Change, Repo};
use crate::chunk::{Chunk, Origin, looks_binary};
use crate::error::Result;

/// Bytes of line hashes kept (9 a line: `LineHashes`). A file evicted has its old side read
/// from the packs instead. The generated 6 000-commit history's tree is 36 MB of text, ~0.7 M
/// lines; kept as text, 24 MiB of it made the scan 1.4 times slower (old sides read again) and
/// all of it was 40 MB of its ~150 MB peak.
const KEPT: usize = 12 << 20;

/// The last version read of each file, by path, least recently used evicted first.
pub struct LastVersions(CLruCache<String, Arc<Kept>, std::hash::RandomState, ByLength>);

/// A version kept: its text until the worker that scanned it has hashed its lines, then the
/// hashes only.
pub struct Kept {
    id: ObjectId,
    text: Mutex<Option<Arc<[u8]>>>,
    hashes: OnceLock<Arc<LineHashes>>,
    /// The weight it was put with: what its hashes will take (`ByLength`).
    weight: usize,
}

impl Kept {
    /// The version as the diff against it needs it.
    fn old_side(&self) -> Option<OldSide> {
        if let Some(hashes) = self.hashes.get() {
            return Some(OldSide::Hashes(hashes.clone()));
        }
        match self.text.lock().ok()?.clone() {
            Some(text) => Some(OldSide::Text(text)),
            // Hashed and let go since the first look.
            None => self.hashes.get().map(|h| OldSide::Hashes(h.clone())),
        }
    }
}

/// The old side of a change: its text, or the hashes of its lines when only those are kept.
enum OldSide {
    Text(Arc<[u8]>),
    Hashes(Arc<LineHashes>),
}

struct ByLength;

impl WeightScale<String, Arc<Kept>> for ByLength {
    fn weight(&self, path: &String, kept: &Arc<Kept>) -> usize {
        // With what an entry costs besides: its node, its `Kept`, their allocations.
        path.len() + kept.weight + 160
    }
}

impl Default for LastVersions {
    fn default() -> Self {
        let capacity = NonZeroUsize::new(KEPT).expect("a non-zero size");
        LastVersions(CLruCache::with_config(
            CLruCacheConfig::new(capacity).with_scale(ByLength),
        ))
    }
}

/// Both sides of a change, read; `old` is `None` for a new file and for a binary one (which is
/// not scanned, so its old side is not read).
pub struct ChangeVersions {
    old: Option<OldSide>,
    new: Arc<[u8]>,
    /// Where the new side is kept for the file's next change, its hashes to be set.
    kept: Option<Arc<Kept>>,
}

impl ChangeVersions {
    /// Bytes held.
    pub fn size(&self) -> usize {
        let old = match &self.old {
            Some(OldSide::Text(text)) => text.len(),
            Some(OldSide::Hashes(hashes)) => hashes.size(),
            None => 0,
        };
        old + self.new.len()
    }
}

impl Repo {
    /// The two sides of `change` for a history read in write order: the old side from `last`
    /// when it holds that version, else from the repository; the new side read, and kept in
    /// `last` for the file's next change (not when it is binary: no scan diffs against it).
    pub fn change_versions(
        &self,
        change: &Change,
        last: &mut LastVersions,
    ) -> Result<ChangeVersions> {
        let new: Arc<[u8]> = self.blob(change.new, &change.path)?.into();
        if looks_binary(&new) {
            last.0.pop(&change.path);
            return Ok(ChangeVersions {
                old: None,
                new,
                kept: None,
            });
        }
        let old = match change.old {
            None => None,
            Some(old) => Some(
                match last
                    .0
                    .get(&change.path)
                    .filter(|kept| kept.id == old)
                    .and_then(|kept| kept.old_side())
                {
                    Some(side) => side,
                    None => OldSide::Text(self.blob(old, &change.path)?.into()),
                },
            ),
        };
        let lines = memchr::memchr_iter(b'\n', &new).count() + 1;
        let kept = Arc::new(Kept {
            id: change.new,
            text: Mutex::new(Some(new.clone())),
            hashes: OnceLock::new(),
            weight: lines * 9,
        });
        // Refused (and not kept) when larger than the whole store.
        if last
            .0
            .put_with_weight(change.path.clone(), kept.clone())
            .is_err()
        {
            last.0.pop(&change.path);
        }
        Ok(ChangeVersions {
            old,
            new,
            kept: Some(kept),
        })
    }
}

/// The content of a change whose sides were read (`Repo::change_versions`), as `Repo::content`
/// gives it; the new side's line hashes are kept for the file's next change, its text let go.
pub fn versions_content(
    change: &Change,
    versions: ChangeVersions,
    origin: Arc<Origin>,
) -> super::Content {
    let ChangeVersions { old, new, kept } = versions;
    if looks_binary(&new) {
        return super::Content::Binary;
    }
    let (runs, hashes) = match old {
        Some(OldSide::Hashes(old)) => {
            let (runs, hashes) = added_runs_from_hashes(&old, &new);
            (runs, Some(hashes))
        }
        Some(OldSide::Text(old)) => (super::added_runs(&old, &new), None),
        None => (super::added_runs(&[], &new), None),
    };
    if let Some(kept) = kept {
        let _ = kept
            .hashes
            .set(Arc::new(hashes.unwrap_or_else(|| LineHashes::of(&new))));
        if let Ok(mut text) = kept.text.lock() {
            *text = None;
        }
    }
    super::Content::Text(Chunk {
        path: change.path.clone(),
        origin,
        data: new.to_vec(),
        runs,
    })
}
