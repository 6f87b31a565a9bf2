//! The generic matchers' words: where the binding, SQL and command words occur in a window,
//! read from the keyword prefilter's hits.
//!
//! The matchers do not search for their words at all: every word of the three lists is a
//! keyword of the prefilter (a watched word of the lexicon when no detector lists it), so the
//! prefilter has already found each of its occurrences in the whole input, and a window's words
//! are those hits that lie inside it (`hits_in`). Each window used to be searched again by
//! DFAs of the lists that `build.rs` compiled and the binary embedded (building them at run
//! time had cost 1.0 M instructions of a 19.5 M-instruction commit): the search of the three
//! lists' union was 7.7% of the time of a 13 000-file initial commit (perf), and validating
//! the embedded DFAs (322 KB, 126 KB for the command words) 1.8 M and 0.5 M instructions of a
//! keyword-rich commit.

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

/// What a window holds of the three lists, in any case: the binding words' occurrences
/// (relative to the window, in order of start, overlapping ones included), and the SQL and
/// command words' (index in their list, place in the input), ordered by where they end.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub binding: Vec<Range<usize>>,
    pub sql: Vec<(usize, Range<usize>)>,
    pub command: Vec<(usize, Range<usize>)>,
}

/// The words of `occurrences` (every occurrence of a list word in the input, in order of their
/// ends, as the prefilter reports them) that lie wholly inside `window`: what a search of the
/// window alone would find. (No two SQL words overlap, so the SQL words are also what a
/// leftmost-first search finds.)
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
        if o.role.binding() {
            hits.binding
                .push(o.range.start - window.start..o.range.end - window.start);
        }
        if let Some(i) = o.role.sql() {
            hits.sql.push((i, o.range.clone()));
        }
        if let Some(i) = o.role.command() {
            hits.command.push((i, o.range.clone()));
        }
    }
    hits.binding.sort_by_key(|r| (r.start, r.end));
    hits
}
