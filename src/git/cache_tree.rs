//! The index's cache-tree (`TREE` extension) as the staged walk asks it: is this directory's
//! node valid, with which tree id and entry count, and which are its sub-directories.
//!
//! gix decodes the extension into a tree of nodes, each with its own name buffer and child
//! vector, sorted. In a tree of many small directories (the 13 000-file, 100 MB benchmark
//! tree) building and freeing that took 3.5 M of a keyword-rich commit's 14.8 M instructions
//! (callgrind), for a walk that visits the nodes on the way to five changed files.
//! `FlatCacheTree` records where each node is in one pass and allocates one vector; a node's
//! children are listed (and sorted) only when the walk enters it.

use std::ops::Range;

use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::index::extension::Tree;

/// The cache-tree nodes of an index, in the extension's (pre-)order.
pub(super) struct FlatCacheTree {
    nodes: Vec<FlatNode>,
}

struct FlatNode {
    /// The directory's name (not its path) within the extension's bytes.
    name: Range<u32>,
    /// `None` for an invalidated node (git writes -1 entries and no id).
    valid: Option<(u32, ObjectId)>,
    /// The index of the first node after this one's subtree.
    end: u32,
}

impl FlatCacheTree {
    /// The nodes of the extension's body `data`, or `None` if it does not parse as git's format:
    /// per node its name and a NUL, its entry count (-1: invalid) and a space, its number of
    /// sub-directories and a newline, its tree id if it is valid, then its sub-directories.
    pub(super) fn parse(data: &[u8], hash_len: usize) -> Option<Self> {
        if u32::try_from(data.len()).is_err() {
            return None;
        }
        let mut nodes = Vec::new();
        // Open directories: their node index and how many sub-directories are still to come.
        let mut open: Vec<(usize, u64)> = Vec::new();
        let mut at = 0;
        loop {
            let rest = &data[at..];
            let name_len = rest.find_byte(0)?;
            let rest = &rest[name_len + 1..];
            let count_len = rest.find_byte(b' ')?;
            let entries = parse_signed(&rest[..count_len])?;
            let rest = &rest[count_len + 1..];
            let subtrees_len = rest.find_byte(b'\n')?;
            let subtrees = parse_unsigned(&rest[..subtrees_len])?;
            let mut header = name_len + 1 + count_len + 1 + subtrees_len + 1;
            let valid = if entries >= 0 {
                let id = rest.get(subtrees_len + 1..subtrees_len + 1 + hash_len)?;
                header += hash_len;
                // git writes a count that fits 32 signed bits; anything else is corrupt.
                let entries = u32::try_from(i32::try_from(entries).ok()?).ok()?;
                Some((entries, ObjectId::try_from(id).ok()?))
            } else {
                None
            };
            nodes.push(FlatNode {
                name: at as u32..(at + name_len) as u32,
                valid,
                end: 0,
            });
            at += header;
            if subtrees > 0 {
                open.push((nodes.len() - 1, subtrees));
            } else {
                let done = nodes.len() - 1;
                nodes[done].end = nodes.len() as u32;
                // Each finished directory may finish its parent, and so on up.
                while let Some((parent, left)) = open.last_mut() {
                    *left -= 1;
                    if *left > 0 {
                        break;
                    }
                    let parent = *parent;
                    nodes[parent].end = nodes.len() as u32;
                    open.pop();
                }
            }
            if open.is_empty() {
                break;
            }
        }
        (at == data.len()).then_some(FlatCacheTree { nodes })
    }
}

/// A node of either form of the cache-tree: gix's decoded one (for the indexes gix reads) or
/// the flat one.
#[derive(Clone, Copy)]
pub(super) enum CacheNode<'a> {
    Decoded(&'a Tree),
    Flat {
        tree: &'a FlatCacheTree,
        data: &'a [u8],
        node: usize,
    },
}

impl<'a> CacheNode<'a> {
    /// The root of `tree` (`parse` never returns a tree without one), whose extension body is
    /// `data`.
    pub(super) fn root_of(tree: &'a FlatCacheTree, data: &'a [u8]) -> Self {
        CacheNode::Flat {
            tree,
            data,
            node: 0,
        }
    }

    /// The directory's tree id and entry count (files below it, at any depth), if valid.
    pub(super) fn valid(&self) -> Option<(u32, &'a gix::oid)> {
        match *self {
            CacheNode::Decoded(t) => t.num_entries.map(|n| (n, t.id.as_ref())),
            CacheNode::Flat { tree, node, .. } => tree.nodes[node]
                .valid
                .as_ref()
                .map(|(n, id)| (*n, id.as_ref())),
        }
    }

    /// The sub-directories by name, sorted. For the flat tree, none if two have the same name:
    /// no shortcut is then taken below this directory, which is slower but never wrong (gix
    /// drops such a cache-tree whole; git keeps one of the two). gix's own tree comes sorted,
    /// without duplicates.
    pub(super) fn children(&self) -> Vec<(&'a [u8], CacheNode<'a>)> {
        match *self {
            CacheNode::Decoded(t) => t
                .children
                .iter()
                .map(|c| (c.name.as_slice(), CacheNode::Decoded(c)))
                .collect(),
            CacheNode::Flat { tree, data, node } => {
                let mut children = Vec::new();
                let (mut child, end) = (node + 1, tree.nodes[node].end as usize);
                while child < end {
                    let n = &tree.nodes[child];
                    let name = &data[n.name.start as usize..n.name.end as usize];
                    children.push((
                        name,
                        CacheNode::Flat {
                            tree,
                            data,
                            node: child,
                        },
                    ));
                    child = n.end as usize;
                }
                children.sort_unstable_by(|a, b| a.0.cmp(b.0));
                if children.windows(2).any(|w| w[0].0 == w[1].0) {
                    children.clear();
                }
                children
            }
        }
    }
}

/// An ASCII decimal, optionally negative, as git writes the entry count.
fn parse_signed(digits: &[u8]) -> Option<i64> {
    match digits.split_first() {
        Some((b'-', rest)) => parse_unsigned(rest).map(|n| -(n as i64)),
        _ => parse_unsigned(digits).map(|n| n as i64),
    }
}

/// At most ten digits (a 32-bit count), computed in 64 bits so that it cannot overflow.
fn parse_unsigned(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
}
