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

static BINDING_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/binding_words.dfa")),
};

static SQL_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/sql_words.dfa")),
};

static COMMAND_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/command_words.dfa")),
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

/// `word_lists::BINDING`, leftmost-first.
pub fn binding() -> &'static Words {
    static WORDS: LazyLock<Words> =
        LazyLock::new(|| load(&BINDING_BYTES.bytes, word_lists::BINDING));
    &WORDS
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

impl Words {
    /// Whether any word occurs in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        // No quit bytes and no size limits are configured: a search cannot fail.
        matches!(self.dfa.try_search_fwd(&Input::new(hay)), Ok(Some(_)))
    }

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
