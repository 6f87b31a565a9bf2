//! The generic matchers' words: where the binding, SQL and command words occur in a window,
//! read from the keyword prefilter's hits.
//!
//! The matchers do not search for their words: every word of the three lists is a keyword of
//! the prefilter (a watched word of the lexicon when no detector lists it), so the prefilter has
//! already found each of its occurrences in the whole input, and a window's words are those
//! hits that lie inside it (`InWindow`). Searching each window again (with DFAs
//! `build.rs` compiled) cost more than the rest of the generic matching of an initial commit
//! (bench/RESULTS.md, 2026-12-03 stop 31).

use std::ops::Range;
use std::sync::LazyLock;

use super::word_lists;

/// What a keyword of the lexicon is to the generic matchers: a binding word, an SQL word (with
/// its index in `SQL`), a command word (with its index in `COMMAND`), several of these (`login`
/// is a binding and a command word), or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Role(u16);

const BINDING_WORD: u16 = 1 << 15;
const SQL_WORD: u16 = 1 << 14;
const COMMAND_WORD: u16 = 1 << 13;
/// Where a word's index in its list is kept: the command index in the low byte, the SQL index
/// in the five bits above it.
const COMMAND_INDEX: u16 = 0xff;
const SQL_SHIFT: u32 = 8;
const SQL_INDEX: u16 = 0x1f;
const _: () = assert!(word_lists::COMMAND.len() <= COMMAND_INDEX as usize + 1);
const _: () = assert!(word_lists::SQL.len() <= SQL_INDEX as usize + 1);

impl Role {
    pub fn is_word(self) -> bool {
        self.0 != 0
    }

    fn binding(self) -> bool {
        self.0 & BINDING_WORD != 0
    }

    /// The word's index in `word_lists::SQL`, if it is an SQL word.
    fn sql(self) -> Option<usize> {
        (self.0 & SQL_WORD != 0).then_some(usize::from(self.0 >> SQL_SHIFT & SQL_INDEX))
    }

    /// The word's index in `word_lists::COMMAND`, if it is a command word.
    fn command(self) -> Option<usize> {
        (self.0 & COMMAND_WORD != 0).then_some(usize::from(self.0 & COMMAND_INDEX))
    }
}

/// The role of each keyword of `keywords` (the lexicon's: lowercase, sorted, each once).
pub fn roles<K: AsRef<str>>(keywords: &[K]) -> Vec<Role> {
    let mut roles = vec![Role::default(); keywords.len()];
    let mut mark = |word: &str, bits: u16| {
        let word = word.to_ascii_lowercase();
        if let Ok(i) = keywords.binary_search_by(|k| k.as_ref().cmp(word.as_str())) {
            roles[i].0 |= bits;
        }
    };
    for w in word_lists::BINDING {
        mark(w, BINDING_WORD);
    }
    for (i, w) in word_lists::SQL.iter().enumerate() {
        mark(w, SQL_WORD | (i as u16) << SQL_SHIFT);
    }
    for (i, w) in word_lists::COMMAND.iter().enumerate() {
        mark(w, COMMAND_WORD | i as u16);
    }
    roles
}

/// A word of the three lists where the prefilter found it: 16 bytes, as many as the range a
/// window's search used to give each binding word (an input dense with words, such as a
/// minified line, holds one per few bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    start: usize,
    len: u8,
    role: Role,
}

impl Occurrence {
    /// The hit of a keyword with `role` at `range`, if the keyword is one of the words. (Every
    /// word is shorter than 256 bytes: a test checks it.)
    pub fn of(range: Range<usize>, role: Role) -> Option<Occurrence> {
        role.is_word().then(|| Occurrence {
            start: range.start,
            len: (range.end - range.start) as u8,
            role,
        })
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end()
    }

    fn end(&self) -> usize {
        self.start + usize::from(self.len)
    }
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
        .filter_map(|m| Occurrence::of(m.range(), roles[m.pattern().as_usize()]))
        .collect()
}

/// The words that lie wholly inside a window: what a search of the window alone would find.
pub struct InWindow<'o> {
    /// The occurrences ending inside the window, in order of their ends; some may start
    /// before it.
    ending: &'o [Occurrence],
    window: Range<usize>,
}

impl<'o> InWindow<'o> {
    /// The words of `occurrences` (every occurrence of a list word in the input, in order of
    /// their ends, as the prefilter reports them) inside `window`.
    pub fn new(occurrences: &'o [Occurrence], window: Range<usize>) -> Self {
        let first = occurrences.partition_point(|o| o.end() <= window.start);
        let last = occurrences.partition_point(|o| o.end() <= window.end);
        InWindow {
            ending: &occurrences[first..last.max(first)],
            window,
        }
    }

    fn inside(&self) -> impl Iterator<Item = &'o Occurrence> + '_ {
        self.ending.iter().filter(|o| o.start >= self.window.start)
    }

    /// The binding words, relative to the window, in order of start (which is their order of
    /// ends: no binding word holds another inside it, a test checks it), overlapping ones
    /// included.
    pub fn binding(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let base = self.window.start;
        self.inside()
            .filter(|o| o.role.binding())
            .map(move |o| o.start - base..o.end() - base)
    }

    /// The SQL words, (index in `word_lists::SQL`, place in the input): what a leftmost-first
    /// search finds, as no two SQL words overlap (a test checks it).
    pub fn sql(&self) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
        self.inside()
            .filter_map(|o| Some((o.role.sql()?, o.range())))
    }

    /// The command words, (index in `word_lists::COMMAND`, place in the input), in order of
    /// their ends, overlapping ones included.
    pub fn command(&self) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
        self.inside()
            .filter_map(|o| Some((o.role.command()?, o.range())))
    }
}
