//! Files at the root of a commit's tree, as stored in git: what `--config-from REV` judges a
//! scan with, and what the review of a range compares commit by commit to find the ones that
//! weaken leakguard's own configuration (`policy`).
//!
//! Sizes are checked from the object header before a blob is inflated, and only blobs (regular
//! or executable files) are read: a symbolic link, a directory or a submodule is reported as
//! such, never followed.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use gix::bstr::ByteSlice;

use super::Repo;
use super::history::{CommitId, commit_info};
use crate::chunk::CommitInfo;
use crate::error::{Error, Result};

/// One of the files asked for, at the root of one commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootFile {
    Missing,
    Blob(Vec<u8>),
    /// Not a regular file: what it is instead (`a symbolic link`, `a directory`, `a submodule`).
    NotAFile(&'static str),
    /// A blob larger than the cap, with its size.
    TooLarge(u64),
}

/// A commit whose version of at least one of the files differs from its first parent's.
#[derive(Clone, Debug)]
pub struct RootFilesChange {
    pub commit: CommitInfo,
    /// The parent's version of each file asked for, in the order asked.
    pub before: Vec<RootFile>,
    /// The commit's version of each file.
    pub after: Vec<RootFile>,
}

/// What the review needs of a commit (`Repo::root_file_changes`).
#[derive(Clone, Copy)]
struct Outline {
    tree: ObjectId,
    parent: Option<ObjectId>,
}

/// A root entry as stored: its mode and object id; `None` when absent.
type Stored = Option<(gix::object::tree::EntryMode, ObjectId)>;

impl Repo {
    /// The files `names` at the root of the commit `rev` names, each blob read only when it is
    /// at most `max_size` bytes. `rev` is any revision git understands (`origin/main`, a tag).
    pub fn root_files_at(&self, rev: &str, names: &[&str], max_size: u64) -> Result<Vec<RootFile>> {
        let id = self
            .repo
            .rev_parse_single(rev.as_bytes().as_bstr())
            .map_err(|e| Error::Usage(format!("cannot resolve revision `{rev}`: {e}")))?
            .detach();
        let commit = self
            .repo
            .find_object(id)
            .map_err(|e| Error::git(format!("cannot read the object {id}"), e))?
            .peel_to_commit()
            .map_err(|e| Error::Usage(format!("revision `{rev}` is not a commit: {e}")))?;
        let tree = commit
            .tree_id()
            .map_err(|e| Error::git(format!("cannot read the commit {id}"), e))?
            .detach();
        let stored = self.root_entries(tree, names)?;
        self.root_files(&stored, names, max_size)
    }

    /// The commits of `commits` (newest first, as the walks return them) whose files `names`
    /// differ from their first parent's, with both versions. A root commit is compared with
    /// nothing (every file it has is new); a shallow boundary, whose parent is missing, is not
    /// compared. Each tree's root is read once, however many commits share it.
    pub fn root_file_changes(
        &self,
        commits: &[CommitId],
        names: &[&str],
        max_size: u64,
    ) -> Result<Vec<RootFilesChange>> {
        let mut trees: HashMap<ObjectId, Vec<Stored>> = HashMap::new();
        // The tree and first parent of each parent read so far and not yet reached. A commit
        // usually comes after its first parent's child in the walk, and is then read once, not
        // once more as a parent (reading commits twice was 60% of this review's time on
        // rust-lang/cargo, perf); when it does not (a breadth-first walk across a merge, a
        // parent outside the range), it is read again and its entry stays to the end. An entry
        // depends on the commit alone, so the order changes the work, never the result.
        let mut read: HashMap<ObjectId, Outline> = HashMap::new();
        let mut out = Vec::new();
        for &id in commits {
            let commit = match read.remove(&id.0) {
                Some(outline) => outline,
                None => self.outline(id.0, || format!("cannot read the commit {}", id.0))?,
            };
            let parent_tree = match commit.parent {
                None => None,
                Some(p) if self.is_shallow_boundary(id.0, p) => continue,
                Some(p) => {
                    let parent = match read.get(&p) {
                        Some(outline) => outline.tree,
                        None => {
                            let outline = self
                                .outline(p, || format!("cannot read the parent {p} of {}", id.0))?;
                            read.insert(p, outline);
                            outline.tree
                        }
                    };
                    Some(parent)
                }
            };
            if parent_tree == Some(commit.tree) {
                continue;
            }
            let after = self.cached_root_entries(&mut trees, commit.tree, names)?;
            let before = match parent_tree {
                Some(t) => self.cached_root_entries(&mut trees, t, names)?,
                None => vec![None; names.len()],
            };
            if after == before {
                continue;
            }
            let data = self
                .repo
                .find_commit(id.0)
                .map_err(|e| Error::git(format!("cannot read the commit {}", id.0), e))?;
            out.push(RootFilesChange {
                commit: commit_info(&data.data, id.0),
                before: self.root_files(&before, names, max_size)?,
                after: self.root_files(&after, names, max_size)?,
            });
        }
        Ok(out)
    }

    /// The tree and first parent of the commit `id`; an error says `context()`.
    fn outline(&self, id: ObjectId, context: impl Fn() -> String) -> Result<Outline> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|e| Error::git(context(), e))?;
        let tree = commit
            .tree_id()
            .map_err(|e| Error::git(context(), e))?
            .detach();
        let parent = commit.parent_ids().next().map(|p| p.detach());
        Ok(Outline { tree, parent })
    }

    /// `commits` without those reachable from `rev`: what a range adds to its base.
    pub fn not_reachable_from(&self, commits: &[CommitId], rev: &str) -> Result<Vec<CommitId>> {
        let base = self
            .repo
            .rev_parse_single(rev.as_bytes().as_bstr())
            .map_err(|e| Error::Usage(format!("cannot resolve revision `{rev}`: {e}")))?
            .detach();
        let Some(base) = self.peel_to_commit(base)? else {
            return Err(Error::Usage(format!("revision `{rev}` is not a commit")));
        };
        let tips: Vec<ObjectId> = commits.iter().map(|c| c.0).collect();
        let beyond: HashSet<CommitId> = self.walk(tips, vec![base])?.into_iter().collect();
        Ok(commits
            .iter()
            .copied()
            .filter(|c| beyond.contains(c))
            .collect())
    }

    fn cached_root_entries(
        &self,
        cache: &mut HashMap<ObjectId, Vec<Stored>>,
        tree: ObjectId,
        names: &[&str],
    ) -> Result<Vec<Stored>> {
        if let Some(found) = cache.get(&tree) {
            return Ok(found.clone());
        }
        let found = self.root_entries(tree, names)?;
        cache.insert(tree, found.clone());
        Ok(found)
    }

    fn root_entries(&self, tree: ObjectId, names: &[&str]) -> Result<Vec<Stored>> {
        let tree = self.find_tree(tree)?;
        Ok(names
            .iter()
            .map(|name| tree.find_entry(*name).map(|e| (e.mode(), e.object_id())))
            .collect())
    }

    fn root_files(
        &self,
        stored: &[Stored],
        names: &[&str],
        max_size: u64,
    ) -> Result<Vec<RootFile>> {
        stored
            .iter()
            .zip(names)
            .map(|(s, name)| self.root_file(s, name, max_size))
            .collect()
    }

    fn root_file(&self, stored: &Stored, name: &str, max_size: u64) -> Result<RootFile> {
        let Some((mode, id)) = stored else {
            return Ok(RootFile::Missing);
        };
        if !mode.is_blob() {
            return Ok(RootFile::NotAFile(if mode.is_link() {
                "a symbolic link"
            } else if mode.is_tree() {
                "a directory"
            } else {
                "a submodule"
            }));
        }
        let size = self
            .repo
            .find_header(*id)
            .map_err(|e| Error::git(format!("cannot read the object {id}"), e))?
            .size();
        if size > max_size {
            return Ok(RootFile::TooLarge(size));
        }
        Ok(RootFile::Blob(self.blob(*id, name)?))
    }
}
