//! The generic matchers' word automata, compiled by `build.rs` and loaded here without work.
//!
//! Building them at run time cost more than anything else in a keyword-rich commit's generic
//! matching: aho-corasick's case-insensitive DFAs for the binding and command words (and the
//! SQL finder's two keywords) took
//! 1.0 M instructions of a 19.5 M-instruction commit (callgrind), and the cheaper-to-build
//! NFAs searched slower by more than they saved (+0.3 M contiguous, +0.8 M non-contiguous).
//! regex-automata's dense DFAs serialise: `build.rs` writes them, the binary embeds the bytes,
//! and `DFA::from_bytes` only validates them (a few thousand transitions).

use std::ops::Range;
use std::sync::LazyLock;

use regex_automata::Input;
use regex_automata::dfa::dense::DFA;
use regex_automata::dfa::{Automaton, OverlappingState};

use super::word_lists;

/// Bytes aligned for the DFA's `u32` transition table.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

static SQL_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/sql_words.dfa")),
};

static COMMAND_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/command_words.dfa")),
};

static ALL_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/all_words.dfa")),
};

/// A word list's DFA: ASCII case-insensitive, unanchored, one pattern per word in list order.
pub struct Words {
    dfa: DFA<&'static [u32]>,
    words: &'static [&'static str],
}

fn load(bytes: &'static [u8], words: &'static [&'static str]) -> Words {
    let (dfa, _) = DFA::from_bytes(bytes).expect("build.rs serialised a valid DFA");
    Words { dfa, words }
}

/// `word_lists::SQL`, leftmost-first.
pub fn sql() -> &'static Words {
    static WORDS: LazyLock<Words> = LazyLock::new(|| load(&SQL_BYTES.bytes, word_lists::SQL));
    &WORDS
}

/// `word_lists::COMMAND`, every match (for overlapping search).
pub fn command() -> &'static Words {
    static WORDS: LazyLock<Words> =
        LazyLock::new(|| load(&COMMAND_BYTES.bytes, word_lists::COMMAND));
    &WORDS
}

/// The union of the three lists, every match (for overlapping search).
pub fn all() -> &'static DFA<&'static [u32]> {
    static ALL: LazyLock<DFA<&'static [u32]>> = LazyLock::new(|| {
        DFA::from_bytes(&ALL_BYTES.bytes)
            .expect("build.rs serialised a valid DFA")
            .0
    });
    &ALL
}

/// What one pass over a window found of the three lists: the binding words' occurrences (in
/// order of start, overlapping ones included) and whether any SQL or command word occurs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub binding: Vec<Range<usize>>,
    pub sql: bool,
    pub command: bool,
}

/// One overlapping pass of the three lists' union (`BINDING`, then `SQL`, then `COMMAND`): a
/// window was searched three times, once per finder, and the SQL and command searches (the
/// latter only to learn that the window runs no command) were a sixth of the time of a
/// 13 000-file initial commit, each as long as the binding search. The SQL and command finders
/// now run only where their words occur.
pub fn hits(hay: &[u8]) -> Hits {
    let (binding, sql) = (word_lists::BINDING.len(), word_lists::SQL.len());
    let mut hits = Hits::default();
    let input = Input::new(hay);
    let mut state = OverlappingState::start();
    // No quit bytes and no size limits are configured: a search cannot fail.
    while all().try_search_overlapping_fwd(&input, &mut state).is_ok() {
        let Some(m) = state.get_match() else { break };
        let word = m.pattern().as_usize();
        if word < binding {
            let end = m.offset();
            hits.binding
                .push(end - word_lists::BINDING[word].len()..end);
        } else if word < binding + sql {
            hits.sql = true;
        } else {
            hits.command = true;
        }
    }
    hits.binding.sort_by_key(|r| (r.start, r.end));
    hits
}

impl Words {
    /// The non-overlapping leftmost-first occurrences in `hay`: (word index, range).
    pub fn find_iter<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = (usize, Range<usize>)> + 'h {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= hay.len() {
                return None;
            }
            let m = self
                .dfa
                .try_search_fwd(&Input::new(hay).range(at..))
                .ok()??;
            let word = m.pattern().as_usize();
            let end = m.offset();
            at = end;
            Some((word, end - self.words[word].len()..end))
        })
    }

    /// Every occurrence in `hay`, overlapping ones included, ordered by where they end.
    pub fn find_overlapping_iter<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = (usize, Range<usize>)> + 'h {
        let input = Input::new(hay);
        let mut state = OverlappingState::start();
        std::iter::from_fn(move || {
            self.dfa
                .try_search_overlapping_fwd(&input, &mut state)
                .ok()?;
            let m = state.get_match()?;
            let word = m.pattern().as_usize();
            let end = m.offset();
            Some((word, end - self.words[word].len()..end))
        })
    }
}
