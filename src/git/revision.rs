//! Why a revision a person typed does not resolve, in their words rather than gix's.
//!
//! gix reports `HEAD~5` in a three-commit branch as `delegate.traverse(NthAncestor(5)) failed`.
//! Here the revision is taken apart the way git reads it — a name, then `~N` and `^N` steps,
//! either side of `..` — and each part is resolved in turn, so the error names the first part
//! that does not exist and what does (`HEAD~5 does not exist (the branch has 3 commits)`), with
//! a hint on what to type instead. Only revisions that fail reach this module.

use gix::ObjectId;
use gix::bstr::ByteSlice;

use super::Repo;
use crate::error::{Error, Result};

/// Longest first-parent chain counted to say how many commits a branch has.
const MAX_COUNT: usize = 1 << 20;

/// One navigation step after a name: `~N` (N first parents up) or `^N` (the Nth parent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Ancestor(usize),
    Parent(usize),
}

impl Repo {
    /// The error for a revision (`REV` or `FROM..TO`) that gix could not resolve; `cause` is
    /// gix's error, kept only when the revision's parts all resolve on their own.
    pub(super) fn unresolved_revision(
        &self,
        spec: &str,
        cause: impl Into<crate::error::BoxError>,
    ) -> Error {
        let sides: Vec<&str> = match spec.split_once("...").or_else(|| spec.split_once("..")) {
            Some((from, to)) => vec![from, to],
            None => vec![spec],
        };
        for side in sides {
            if let Err(e) = self.diagnose(side) {
                return e;
            }
        }
        Error::git(format!("cannot resolve the revision `{spec}`"), cause).with_hint(
            "give a revision (`main`, `v1.0`, `HEAD~3`, a commit id) or a range `FROM..TO`",
        )
    }

    /// Resolves one side of a range step by step; the error names the first step that fails.
    fn diagnose(&self, side: &str) -> Result<ObjectId> {
        // `..HEAD` and `HEAD..` leave a side empty: git reads it as HEAD.
        let side_or_head = if side.is_empty() { "HEAD" } else { side };
        let (name, steps) = split_steps(side_or_head);
        let Some(steps) = steps else {
            return self.resolve_name(side_or_head);
        };
        let mut id = self.resolve_name(name)?;
        let mut written = name.to_string();
        let mut merges = false;
        for (step, text) in steps {
            let before = written.clone();
            written.push_str(text);
            match step {
                Step::Parent(0) => {}
                Step::Parent(n) => {
                    let parents = self.parents(id, &before)?;
                    match parents.get(n - 1) {
                        Some(&p) => id = p,
                        None => {
                            let has = match parents.len() {
                                0 => format!("`{before}` is the first commit: it has no parent"),
                                1 => format!("`{before}` has 1 parent"),
                                k => format!("`{before}` has {k} parents"),
                            };
                            return Err(Error::Usage(format!("{written} does not exist ({has})"))
                                .with_hint(format!(
                                    "`{before}^N` is the Nth parent of a merge; `{before}~N` \
                                     goes N first parents back"
                                )));
                        }
                    }
                }
                Step::Ancestor(n) => {
                    for k in 0..n {
                        let parents = self.parents(id, &before)?;
                        merges |= parents.len() > 1;
                        match parents.first() {
                            Some(&p) => id = p,
                            None => {
                                return Err(self.too_far_back(name, &before, &written, k, merges));
                            }
                        }
                    }
                }
            }
        }
        Ok(id)
    }

    /// `written` went `k` first parents back from `before` and then found no parent.
    fn too_far_back(
        &self,
        name: &str,
        before: &str,
        written: &str,
        k: usize,
        merges: bool,
    ) -> Error {
        let along = if merges {
            ", following first parents"
        } else {
            ""
        };
        // Commits along the first parents from `name`.
        let count = if before == name {
            Some(k + 1)
        } else {
            self.repo
                .rev_parse_single(name.as_bytes().as_bstr())
                .ok()
                .and_then(|id| self.first_parent_count(id.detach()))
        };
        let Some(count) = count else {
            return Error::Usage(format!(
                "{written} does not exist (`{before}` has only {k} commits before it{along})"
            ))
            .with_hint(format!(
                "`leakguard scan --git {name}` scans all of its history"
            ));
        };
        let commits = if count == 1 { "commit" } else { "commits" };
        let (whose, all) = if self.is_branch(name) {
            ("the branch".to_string(), "the whole branch".to_string())
        } else {
            (format!("`{name}`"), format!("all of `{name}`'s history"))
        };
        let oldest = match count {
            1 => format!("{name} is the only commit"),
            _ => format!("the oldest is {name}~{}", count - 1),
        };
        Error::Usage(format!(
            "{written} does not exist ({whose} has {count} {commits}{along})"
        ))
        .with_hint(format!(
            "{oldest}; `leakguard scan --git {name}` scans {all}"
        ))
    }

    /// Resolves a name (branch, tag, commit id, `HEAD`) to a commit.
    fn resolve_name(&self, name: &str) -> Result<ObjectId> {
        let not_found = || {
            if matches!(name, "HEAD" | "@") && self.repo.head_id().is_err() {
                return Error::Usage(format!(
                    "{name} does not exist yet: the repository has no commits"
                ))
                .with_hint("there is no history to scan until the first commit");
            }
            let what = if name.len() >= 4 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
                format!("no commit, branch or tag `{name}` in this repository")
            } else {
                format!("`{name}` is not a branch, tag or commit in this repository")
            };
            Error::Usage(what).with_hint(
                "`git branch --all` and `git tag` list the names there are; `leakguard scan \
                 --git` alone scans the history of HEAD",
            )
        };
        let id = self
            .repo
            .rev_parse_single(name.as_bytes().as_bstr())
            .map_err(|_| not_found())?
            .detach();
        self.peel_to_commit(id)?.ok_or_else(|| {
            Error::Usage(format!("`{name}` does not name a commit"))
                .with_hint("give a branch, a tag of a commit, or a commit id")
        })
    }

    fn parents(&self, id: ObjectId, written: &str) -> Result<Vec<ObjectId>> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|e| Error::git(format!("cannot read the commit {written} ({id})"), e))?;
        Ok(commit.parent_ids().map(|p| p.detach()).collect())
    }

    /// Commits along the first parents from `id`, itself included (`None` past `MAX_COUNT`).
    fn first_parent_count(&self, id: ObjectId) -> Option<usize> {
        let mut id = self.peel_to_commit(id).ok().flatten()?;
        for count in 1..=MAX_COUNT {
            match self.repo.find_commit(id).ok()?.parent_ids().next() {
                Some(p) => id = p.detach(),
                None => return Some(count),
            }
        }
        None
    }

    /// Whether `name` is `HEAD` or a local branch.
    fn is_branch(&self, name: &str) -> bool {
        matches!(name, "HEAD" | "@")
            || self
                .repo
                .try_find_reference(format!("refs/heads/{name}").as_str())
                .ok()
                .flatten()
                .is_some()
    }
}

/// A name and its `~N`/`^N` steps, each with the text it was written as; `None` for the steps
/// when what follows the name is something else (`^{tree}`, `@{upstream}`, `:path`), which is
/// then resolved as a whole. Ref names cannot contain `~` or `^`, so the name ends at the first.
fn split_steps(side: &str) -> (&str, Option<Vec<(Step, &str)>>) {
    let Some(at) = side.find(['~', '^']) else {
        return (side, Some(Vec::new()));
    };
    let (name, mut rest) = side.split_at(at);
    let mut steps = Vec::new();
    while let Some(op) = rest.chars().next() {
        if op != '~' && op != '^' {
            return (name, None);
        }
        let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
        let (text, tail) = rest.split_at(1 + digits);
        let n = match &text[1..] {
            "" => 1,
            d => match d.parse() {
                Ok(n) => n,
                Err(_) => return (name, None),
            },
        };
        steps.push((
            if op == '~' {
                Step::Ancestor(n)
            } else {
                Step::Parent(n)
            },
            text,
        ));
        rest = tail;
    }
    (name, Some(steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_split_off_the_name() {
        assert_eq!(split_steps("HEAD"), ("HEAD", Some(vec![])));
        assert_eq!(
            split_steps("HEAD~5"),
            ("HEAD", Some(vec![(Step::Ancestor(5), "~5")]))
        );
        assert_eq!(
            split_steps("main~^2~"),
            (
                "main",
                Some(vec![
                    (Step::Ancestor(1), "~"),
                    (Step::Parent(2), "^2"),
                    (Step::Ancestor(1), "~")
                ])
            )
        );
        assert_eq!(split_steps("v1^{tree}").1, None);
        assert_eq!(split_steps("x~99999999999999999999999").1, None);
    }
}
