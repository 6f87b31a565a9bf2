//! The generic matchers' words: where the binding, SQL and command words occur in a window,
//! read from the keyword prefilter's hits, and the SQL and command finders' own automata,
//! compiled by `build.rs` and loaded here without work.
//!
//! Building the automata at run time cost more than anything else in a keyword-rich commit's
//! generic matching: aho-corasick's case-insensitive DFAs for the binding and command words (and
//! the SQL finder's two keywords) took 1.0 M instructions of a 19.5 M-instruction commit
//! (callgrind), and the cheaper-to-build NFAs searched slower by more than they saved (+0.3 M
//! contiguous, +0.8 M non-contiguous). regex-automata's dense DFAs serialise: `build.rs` writes
//! them, the binary embeds the bytes, and `DFA::from_bytes` only validates them.
//!
//! The binding words are not searched for at all: every word of the three lists is a keyword
//! of the prefilter (a watched word of the lexicon when no detector lists it), so the
//! prefilter has already found each of its occurrences in the whole input, and a window's words
//! are those hits that lie inside it (`hits_in`). One DFA of the three lists searched each
//! window again: 7.7% of the time of a 13 000-file initial commit (perf), and validating it
//! (322 KB) 1.8 M instructions of every keyword-rich commit.

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

/// What a keyword of the lexicon is to the generic matchers: a binding word, an SQL word, a
/// command word, several of these (`login` is a binding and a command word), or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Role(u8);

const BINDING_WORD: u8 = 1 << 7;
const SQL_WORD: u8 = 1 << 6;
const COMMAND_WORD: u8 = 1 << 5;

impl Role {
    pub fn is_word(self) -> bool {
        self.0 != 0
    }
}

/// The role of each keyword of `keywords` (the lexicon's: lowercase, sorted, each once).
pub fn roles<K: AsRef<str>>(keywords: &[K]) -> Vec<Role> {
    let mut roles = vec![Role::default(); keywords.len()];
    let mut mark = |word: &str, bits: u8| {
        let word = word.to_ascii_lowercase();
        if let Ok(i) = keywords.binary_search_by(|k| k.as_ref().cmp(word.as_str())) {
            roles[i].0 |= bits;
        }
    };
    word_lists::BINDING
        .iter()
        .for_each(|w| mark(w, BINDING_WORD));
    word_lists::SQL.iter().for_each(|w| mark(w, SQL_WORD));
    word_lists::COMMAND
        .iter()
        .for_each(|w| mark(w, COMMAND_WORD));
    roles
}

/// A word of the three lists where the prefilter found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub range: Range<usize>,
    pub role: Role,
}

/// Every occurrence of the three lists' words in `hay`, in order of their ends, found by a
/// search of its own: what the prefilter's hits give the matchers in a scan, for a caller
/// without a scanner (the fuzz targets' invariants, the matchers' table tests).
pub fn occurrences(hay: &[u8]) -> Vec<Occurrence> {
    static SEARCH: LazyLock<(aho_corasick::AhoCorasick, Vec<Role>)> = LazyLock::new(|| {
        let mut words: Vec<String> = word_lists::watched()
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect();
        words.sort();
        words.dedup();
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .expect("the word lists are a few dozen short words");
        (automaton, roles(&words))
    });
    let (automaton, roles) = &*SEARCH;
    automaton
        .find_overlapping_iter(hay)
        .map(|m| Occurrence {
            range: m.range(),
            role: roles[m.pattern().as_usize()],
        })
        .collect()
}

/// What a window holds of the three lists: the binding words' occurrences (relative to the
/// window, in order of start, overlapping ones included) and whether any SQL or command word
/// occurs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub binding: Vec<Range<usize>>,
    pub sql: bool,
    pub command: bool,
}

/// The words of `occurrences` (every occurrence of a list word in the input, in order of their
/// ends, as the prefilter reports them) that lie wholly inside `window`: what a search of the
/// window alone would find.
pub fn hits_in(occurrences: &[Occurrence], window: Range<usize>) -> Hits {
    let mut hits = Hits::default();
    let first = occurrences.partition_point(|o| o.range.end <= window.start);
    for o in &occurrences[first..] {
        if o.range.end > window.end {
            break;
        }
        if o.range.start < window.start {
            continue;
        }
        if o.role.0 & BINDING_WORD != 0 {
            hits.binding
                .push(o.range.start - window.start..o.range.end - window.start);
        }
        hits.sql |= o.role.0 & SQL_WORD != 0;
        hits.command |= o.role.0 & COMMAND_WORD != 0;
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
