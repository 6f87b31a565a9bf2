//! Commits as sources: what a push would send, a history range, and the lines each commit added.
//!
//! Every commit is diffed against its first parent (a root commit against the empty tree), with
//! rename tracking so that moving a file does not rescan it. Shallow boundary commits (whose
//! parents are not in the repository) came from the remote and are skipped rather than diffed
//! against nothing. A merge is scanned for what it brought itself, file by file as `git show`
//! shows one: a file it holds exactly as another parent does (same blob, same mode) came from
//! that side as it stands, and the commits of that side, not the merge, added its lines (they
//! are scanned where the selection holds them; outside it they are what the range's start, or
//! what the remote-tracking refs say the remote, already has). A file that differs from every
//! parent is scanned against the first parent, more than `--cc` shows. Against its first
//! parent, a merge otherwise rescans a whole branch: on rust-lang/cargo, whose 7 482 merges
//! each bring one pull request, 56% of the lines scanned were the merges' (2.69 M → 1.19 M).
//! In a shallow clone merges are scanned whole: the other side's commits may be boundaries.

use std::collections::HashSet;
use std::sync::Arc;

use gix::ObjectId;
use gix::bstr::ByteSlice;

use super::{Change, Repo, TreeChange};
use crate::chunk::{CommitInfo, LineRun, Origin};
use crate::error::{BoxError, Error, Result};

/// A commit to scan; the id stays private to the git module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CommitId(pub(super) ObjectId);

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One line of git's pre-push stdin: `<local ref> <local oid> <remote ref> <remote oid>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedRef {
    pub local_ref: String,
    local: ObjectId,
    pub remote_ref: String,
    remote: ObjectId,
}

impl PushedRef {
    /// A push that deletes the remote ref sends nothing.
    pub fn is_deletion(&self) -> bool {
        self.local.is_null()
    }

    /// The remote ref does not exist yet.
    pub fn is_new(&self) -> bool {
        self.remote.is_null()
    }
}

/// Parses git's pre-push stdin (githooks(5)). Blank lines are ignored.
pub fn parse_push_lines(stdin: &str) -> Result<Vec<PushedRef>> {
    let bad = |line: &str| Error::Usage(format!("malformed pre-push input line: {line:?}"));
    let oid = |hex: &str, line: &str| ObjectId::from_hex(hex.as_bytes()).map_err(|_| bad(line));
    stdin
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [local_ref, local, remote_ref, remote] = fields[..] else {
                return Err(bad(line));
            };
            Ok(PushedRef {
                local_ref: local_ref.to_string(),
                local: oid(local, line)?,
                remote_ref: remote_ref.to_string(),
                remote: oid(remote, line)?,
            })
        })
        .collect()
}

/// A push described by revisions instead of git's stdin: what the pre-commit framework hands a
/// `pre-push` stage hook (`PRE_COMMIT_FROM_REF`, `PRE_COMMIT_TO_REF`, `PRE_COMMIT_REMOTE_NAME`;
/// `PRE_COMMIT_LOCAL_BRANCH` when it pushes a history that starts at a root commit and sets no
/// range).
#[derive(Clone, Debug, Default)]
pub struct PushRange<'a> {
    /// What the remote already has; empty or all zeros when unknown.
    pub from: Option<&'a str>,
    /// What is pushed: a commit id or any revision.
    pub to: &'a str,
    /// The remote's name, whose `refs/remotes/<remote>/*` tips are known to be there already.
    pub remote: Option<&'a str>,
}

/// Which history `leakguard scan --git` walks.
pub enum Selection<'a> {
    /// Everything reachable from HEAD.
    Head,
    /// Everything reachable from any ref.
    AllRefs,
    /// A revision (`v1.2`) or range (`main..feature`).
    Spec(&'a str),
}

/// The blobs of the files a commit deleted: where a file it added may have been moved from.
pub struct Deletions(Vec<ObjectId>);

/// A commit read and diffed against its first parent, its files not yet read.
pub struct CommitChanges {
    pub origin: Arc<Origin>,
    /// True when the commit is a shallow boundary and was not diffed.
    pub shallow_boundary: bool,
    /// The files it added or changed, in the tree diff's order.
    pub changes: Vec<Change>,
    pub deletions: Deletions,
}

impl Repo {
    /// The commits a push would send: reachable from the pushed tips and from nothing the
    /// remote is known to have (the remote's old value of each ref when we have it, and every
    /// `refs/remotes/<remote>/*` tip). Newest first.
    pub fn pushed_commits(&self, remote: &str, refs: &[PushedRef]) -> Result<Vec<CommitId>> {
        let mut tips = Vec::new();
        let mut hidden = self.remote_tracking_tips(remote)?;
        for r in refs {
            if r.is_deletion() {
                continue;
            }
            if !r.is_new()
                && self.repo.has_object(r.remote)
                && let Some(c) = self.peel_to_commit(r.remote)?
            {
                hidden.push(c);
            }
            // A tag of a tree or blob peels to no commit: there are no commits to send.
            tips.extend(self.peel_to_commit(r.local)?);
        }
        self.walk(tips, hidden)
    }

    /// The commits of a push given as revisions: reachable from `to` and from none of `from`
    /// (when it names a commit we have) and the remote's remote-tracking tips (every
    /// `refs/remotes/*` tip when neither the remote nor `from` is known). Newest first.
    pub fn pushed_range_commits(&self, range: &PushRange<'_>) -> Result<Vec<CommitId>> {
        let to = self.resolve_commit(range.to)?;
        let mut hidden = Vec::new();
        let from = range
            .from
            .map(str::trim)
            .filter(|f| !f.is_empty() && !f.bytes().all(|b| b == b'0'));
        // A `from` we do not have (a remote commit never fetched) hides nothing; the
        // remote-tracking tips still do.
        if let Some(from) = from
            && let Ok(Some(id)) = self
                .repo
                .rev_parse_single(from.as_bytes().as_bstr())
                .map(|id| id.detach())
                .map(|id| self.peel_to_commit(id).ok().flatten())
        {
            hidden.push(id);
        }
        match range.remote.filter(|r| !r.is_empty()) {
            Some(remote) => hidden.extend(self.remote_tracking_tips(remote)?),
            None if from.is_none() => hidden.extend(self.tips_under("refs/remotes/")?),
            None => {}
        }
        self.walk(to.into_iter().collect(), hidden)
    }

    /// Resolves a revision to the commit it names (peeling tags); `None` for a tag of a tree or
    /// blob.
    fn resolve_commit(&self, spec: &str) -> Result<Option<ObjectId>> {
        let id = self
            .repo
            .rev_parse_single(spec.as_bytes().as_bstr())
            .map_err(|e| match self.unresolved_revision(spec, e) {
                Error::Hinted { error, hint } => Error::Usage(format!(
                    "cannot resolve the pushed revision `{spec}`: {error}"
                ))
                .with_hint(hint),
                other => other,
            })?
            .detach();
        self.peel_to_commit(id)
    }

    /// Commits of a history selection, newest first.
    pub fn history_commits(&self, selection: Selection<'_>) -> Result<Vec<CommitId>> {
        match selection {
            Selection::Head => {
                let head = self.repo.head_id().ok().map(|id| id.detach());
                self.walk(head.into_iter().collect(), Vec::new())
            }
            Selection::AllRefs => {
                let mut tips = Vec::new();
                let refs = self
                    .repo
                    .references()
                    .map_err(|e| Error::git("cannot list references", e))?;
                for r in refs
                    .all()
                    .map_err(|e| Error::git("cannot list references", e))?
                {
                    let mut r = r.map_err(|e| Error::git("cannot read a reference", e))?;
                    if let Ok(id) = r.peel_to_id() {
                        tips.extend(self.peel_to_commit(id.detach())?);
                    }
                }
                self.walk(tips, Vec::new())
            }
            Selection::Spec(spec) => {
                let parsed = self
                    .repo
                    .rev_parse(spec.as_bytes().as_bstr())
                    .map_err(|e| self.unresolved_revision(spec, e))?
                    .detach();
                use gix::revision::plumbing::Spec;
                let (tips, hidden) = match parsed {
                    Spec::Include(id) => (vec![id], vec![]),
                    Spec::Range { from, to } => (vec![to], vec![from]),
                    _ => {
                        return Err(Error::Usage(format!(
                            "`{spec}` is not a revision or a range leakguard scans"
                        ))
                        .with_hint(
                            "give REV (its history) or FROM..TO (the commits of TO that FROM \
                             lacks)",
                        ));
                    }
                };
                let mut peeled_tips = Vec::new();
                for t in tips {
                    peeled_tips.extend(self.peel_to_commit(t)?);
                }
                let mut peeled_hidden = Vec::new();
                for h in hidden {
                    peeled_hidden.extend(self.peel_to_commit(h)?);
                }
                self.walk(peeled_tips, peeled_hidden)
            }
        }
    }

    /// Reads one commit and diffs it against its first parent: the files it added or changed
    /// (their content is read later, `Repo::history_content`), with the files it deleted
    /// (where a new file with matches may have been moved from).
    pub fn commit_changes(&self, id: CommitId) -> Result<CommitChanges> {
        let commit = self
            .history_object(id.0, gix::object::Kind::Commit)
            .map_err(|e| Error::git(format!("cannot read the commit {}", id.0), e))?;
        let info = commit_info(&commit, id.0);
        let parents = || gix::objs::CommitRefIter::from_bytes(&commit, id.0.kind()).parent_ids();
        let parent = parents().next();
        let origin = Arc::new(Origin::Commit(info));
        let tree = self
            .commit_tree(&commit, id.0)
            .map_err(|e| Error::git(format!("cannot read the tree of {}", id.0), e))?;
        let parent_tree = match parent {
            None => Vec::new(),
            Some(p) if self.is_shallow_boundary(id.0, p) => {
                return Ok(CommitChanges {
                    origin,
                    shallow_boundary: true,
                    changes: Vec::new(),
                    deletions: Deletions(Vec::new()),
                });
            }
            Some(p) => self
                .history_object(p, gix::object::Kind::Commit)
                .and_then(|c: Vec<u8>| self.commit_tree(&c, p))
                .map_err(|e| Error::git(format!("cannot read the parent {p} of {}", id.0), e))?,
        };
        let kind = id.0.kind();
        let changes = self
            .diff_trees(&parent_tree, &tree, kind)
            .map_err(|e| Error::git(format!("cannot diff the commit {}", id.0), e))?;
        let changes: Vec<TreeChange> = changes.into_iter().map(TreeChange::from_diff).collect();
        let deletions = Deletions(
            changes
                .iter()
                .filter_map(|c| match c {
                    TreeChange::Deleted(id) => Some(*id),
                    _ => None,
                })
                .collect(),
        );
        let other_sides = self.other_sides(parents());
        let changes = changes
            .into_iter()
            .filter_map(|change| {
                let TreeChange::File {
                    location,
                    old,
                    new,
                    mode,
                } = change
                else {
                    return None;
                };
                if other_sides
                    .iter()
                    .any(|side| self.entry_at(side, &location, kind) == Some((mode, new)))
                {
                    return None;
                }
                Some(Change {
                    path: location.to_str_lossy().into_owned(),
                    size_hint: 0,
                    staged_from: None,
                    old,
                    new,
                })
            })
            .collect();
        Ok(CommitChanges {
            origin,
            shallow_boundary: false,
            changes,
            deletions,
        })
    }

    /// The root trees of a merge's parents after the first: a file the merge holds exactly as
    /// one of them does (same blob, same mode, `entry_at`) came from that side as it stands, and
    /// the merge added none of its lines (see `commit_changes`). Looked up path by path for the
    /// files the merge changed against its first parent, through the pack reader: on
    /// rust-lang/cargo (7 482 merges) a whole tree diff per side, against the pull request's
    /// head, was ~7% of a history scan's CPU.
    ///
    /// Empty, so that every file is scanned as before, for a commit that is not a merge, in a
    /// shallow clone (the other side's commits may be boundaries, which are never diffed: a
    /// pull request's merge fetched at depth 2 would lose the request's own lines), and for a
    /// side that cannot be read.
    fn other_sides(&self, mut parents: impl Iterator<Item = ObjectId>) -> Vec<Vec<u8>> {
        parents.next();
        let sides: Vec<ObjectId> = parents.collect();
        if sides.is_empty() || self.repo.is_shallow().unwrap_or(true) {
            return Vec::new();
        }
        sides
            .into_iter()
            .filter_map(|p| {
                self.history_object(p, gix::object::Kind::Commit)
                    .and_then(|c: Vec<u8>| self.commit_tree(&c, p))
                    .ok()
            })
            .collect()
    }

    /// The mode and id of the entry at `path` in the tree whose data is `tree`; `None` when
    /// there is none, or a tree on the way cannot be read (the file is then scanned).
    fn entry_at(
        &self,
        tree: &[u8],
        path: &[u8],
        kind: gix::hash::Kind,
    ) -> Option<(gix::object::tree::EntryMode, ObjectId)> {
        let mut data = std::borrow::Cow::Borrowed(tree);
        let mut names = path.split(|&b| b == b'/').peekable();
        while let Some(name) = names.next() {
            let entry = gix::objs::TreeRefIter::from_bytes(&data, kind)
                .map_while(std::result::Result::ok)
                .find(|entry| entry.filename == name)?;
            let (mode, id) = (entry.mode, entry.oid.to_owned());
            if names.peek().is_none() {
                return Some((mode, id));
            }
            if !mode.is_tree() {
                return None;
            }
            data = std::borrow::Cow::Owned(self.history_object(id, gix::object::Kind::Tree).ok()?);
        }
        None
    }

    /// For a file the commit added, with matches: the lines its edit added when it is one of
    /// the commit's `deletions` moved and edited (see `lines_not_in_source`); `None` when it is
    /// a new file. Renames are matched by identical content while diffing (`diff_trees`): this
    /// finds the edited ones, and only for the few files that need it.
    pub fn lines_not_in_deletions(
        &self,
        deletions: &Deletions,
        change: &Change,
        new: &[u8],
    ) -> Result<Option<Vec<LineRun>>> {
        if deletions.0.is_empty() || !change.is_addition() {
            return Ok(None);
        }
        self.lines_not_in_deleted(&deletions.0, change, new)
    }

    /// `Repository::diff_tree_to_tree` with rename tracking, through the blob cache this handle
    /// keeps (`Repo::diff_cache`) instead of one made per call.
    fn diff_trees(
        &self,
        old: &[u8],
        new: &[u8],
        kind: gix::hash::Kind,
    ) -> std::result::Result<Vec<gix::object::tree::diff::ChangeDetached>, BoxError> {
        // Renames are matched by identical content only. Matching by similarity (git's -M50%)
        // diffs every added file against every deleted one of similar size: 19% of a history
        // scan's CPU on rust-lang/cargo (perf; 14.5 → 11.1 s wall without it, same findings).
        // A renamed and edited file then comes as an addition; only when it has matches is it
        // compared with the commit's deleted files (`lines_not_in_deletions`), as the staged
        // scan does, so its old lines still count as old.
        let rewrites = gix::diff::Rewrites {
            percentage: None,
            ..Default::default()
        };
        let mut out = Vec::new();
        self.each_tree_change(old, new, kind, Some(rewrites), |change| {
            out.push(change.into_owned());
        })?;
        Ok(out)
    }

    /// Calls `f` with each change between the trees whose data are `old` and `new` (`rewrites`:
    /// how renames are tracked, if at all), through the blob cache this handle keeps.
    fn each_tree_change(
        &self,
        old: &[u8],
        new: &[u8],
        kind: gix::hash::Kind,
        rewrites: Option<gix::diff::Rewrites>,
        mut f: impl FnMut(gix::diff::tree_with_rewrites::ChangeRef<'_>),
    ) -> std::result::Result<(), BoxError> {
        let mut slot = self.diff_cache.borrow_mut();
        let cache = match &mut *slot {
            Some(cache) => cache,
            empty => empty.insert(self.repo.diff_resource_cache_for_tree_diff()?),
        };
        // What the last diff's rename tracking read is not needed again.
        cache.clear_resource_cache_keep_allocation();
        gix::diff::tree_with_rewrites(
            gix::objs::TreeRefIter::from_bytes(old, kind),
            gix::objs::TreeRefIter::from_bytes(new, kind),
            cache,
            &mut Default::default(),
            &self.objects(),
            |change| {
                f(change);
                Ok(std::ops::ControlFlow::Continue(()))
            },
            gix::diff::Options::default().with_rewrites(rewrites).into(),
        )?;
        Ok(())
    }

    pub(super) fn walk(&self, tips: Vec<ObjectId>, hidden: Vec<ObjectId>) -> Result<Vec<CommitId>> {
        if tips.is_empty() {
            return Ok(Vec::new());
        }
        let walk = self
            .repo
            .rev_walk(tips)
            .with_hidden(hidden)
            .all()
            .map_err(|e| Error::git("cannot walk the commit graph", e))?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for info in walk {
            let info = info.map_err(|e| Error::git("cannot walk the commit graph", e))?;
            if seen.insert(info.id) {
                out.push(CommitId(info.id));
            }
        }
        Ok(out)
    }

    fn remote_tracking_tips(&self, remote: &str) -> Result<Vec<ObjectId>> {
        if remote.is_empty() || remote.contains(['/', ':', '\\']) {
            return Ok(Vec::new()); // a URL rather than a remote name: nothing is tracked
        }
        self.tips_under(&format!("refs/remotes/{remote}/"))
    }

    /// The commits at the tips of every reference under `prefix`.
    fn tips_under(&self, prefix: &str) -> Result<Vec<ObjectId>> {
        let mut tips = Vec::new();
        let refs = self
            .repo
            .references()
            .map_err(|e| Error::git("cannot list references", e))?;
        let Ok(iter) = refs.prefixed(prefix) else {
            return Ok(tips);
        };
        for r in iter {
            let mut r =
                r.map_err(|e| Error::git(format!("cannot read a reference under {prefix}"), e))?;
            if let Ok(id) = r.peel_to_id() {
                tips.extend(self.peel_to_commit(id.detach())?);
            }
        }
        Ok(tips)
    }

    /// Peels annotated tags down to a commit; `None` when the object is not (a tag of) a commit.
    pub(super) fn peel_to_commit(&self, id: ObjectId) -> Result<Option<ObjectId>> {
        let object = self
            .repo
            .find_object(id)
            .map_err(|e| Error::git(format!("cannot read the object {id}"), e))?;
        Ok(object.peel_to_commit().ok().map(|c| c.id))
    }

    pub(super) fn is_shallow_boundary(&self, commit: ObjectId, parent: ObjectId) -> bool {
        !self.repo.has_object(parent)
            || self
                .shallow_commits
                .get_or_init(|| self.repo.shallow_commits().ok().flatten())
                .as_ref()
                .is_some_and(|s| s.binary_search(&commit).is_ok())
    }
}

/// A commit's metadata as reports show it: id, subject (first line), author, first parent;
/// from the commit object's data, read as leniently as gix's `Commit` reads it.
pub(super) fn commit_info(commit: &[u8], id: ObjectId) -> CommitInfo {
    let iter = || gix::objs::CommitRefIter::from_bytes(commit, id.kind());
    let message = commit
        .find(b"\n\n")
        .map(|pos| &commit[pos + 2..])
        .unwrap_or_default()
        .to_str_lossy();
    let subject = message.lines().next().unwrap_or("").trim().to_string();
    let author = iter()
        .author()
        .map(|a| a.trim())
        .map(|a| format!("{} <{}>", a.name.to_str_lossy(), a.email.to_str_lossy()))
        .unwrap_or_default();
    CommitInfo {
        id: id.to_string(),
        subject,
        author,
        parent: iter().parent_ids().next().map(|p| p.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const Z: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn push_lines() {
        let refs = parse_push_lines(&format!(
            "refs/heads/main {A} refs/heads/main {B}\n\
             refs/heads/gone {Z} refs/heads/gone {B}\n\
             \n\
             refs/tags/v1 {A} refs/tags/v1 {Z}\n"
        ))
        .unwrap();
        assert_eq!(refs.len(), 3);
        assert!(!refs[0].is_deletion() && !refs[0].is_new());
        assert!(refs[1].is_deletion());
        assert!(refs[2].is_new());
        assert_eq!(refs[2].local_ref, "refs/tags/v1");
    }

    #[test]
    fn malformed_push_lines_are_errors() {
        assert!(parse_push_lines("refs/heads/main 123 refs/heads/main").is_err());
        assert!(parse_push_lines(&format!("a {A} b nothex")).is_err());
    }
}
