//! The keyword prefilter: every detector's keywords in one aho-corasick automaton, and the
//! search that reports each occurrence of each keyword (overlapping), in order of their ends.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, MatchKind};

use std::borrow::Cow;

use super::generic::{Role, word_roles};
use super::lexicon_parts;
use crate::detectors::{Catalogue, Text};

/// One occurrence of a keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    pub keyword: u32,
    pub start: usize,
    pub end: usize,
}

/// How the automaton is built, by workload.
#[derive(Clone, Copy)]
pub(super) enum Build {
    /// Quicker to build (~2 ms for the built-ins' 1 875 keywords), slow to search.
    Small,
    /// A DFA: a few milliseconds to build, then 2–3× faster per byte.
    Large,
}

/// Every keyword of the catalogue in lower case, each once, with the detectors that own it, and
/// the generic matchers' words (`generic::watched_words`), owned or not: what the automata are
/// built from. A hit's `keyword` indexes it. For the built-in catalogue its
/// data is static (`build.rs`); a catalogue a repository changed computes it.
pub(super) struct Lexicon {
    pub keywords: Cow<'static, [Text]>,
    owners: Cow<'static, [u32]>,
    owner_ends: Cow<'static, [u32]>,
    /// The hashes of each keyword's grams (`lexicon_parts::gram_hashes`), all keywords' in a
    /// row; `gram_ends[i]` is where keyword `i`'s end.
    grams: Cow<'static, [u32]>,
    gram_ends: Cow<'static, [u32]>,
    /// Per keyword, what it is to the generic matchers (`generic::word_roles`): hits of a
    /// binding, SQL or command word are handed to them.
    pub word_roles: Vec<Role>,
}

impl Lexicon {
    pub fn new(catalogue: &Catalogue) -> Self {
        if let Some(b) = catalogue.builtin_lexicon() {
            return Lexicon {
                keywords: Cow::Borrowed(b.keywords),
                owners: Cow::Borrowed(b.owners),
                owner_ends: Cow::Borrowed(b.owner_ends),
                grams: Cow::Borrowed(b.grams),
                gram_ends: Cow::Borrowed(b.gram_ends),
                word_roles: word_roles(b.keywords),
            };
        }
        let p = lexicon_parts::parts(
            catalogue
                .detectors
                .iter()
                .map(|d| d.keywords.iter().map(|k| &**k)),
            &super::generic::watched_words(),
        );
        Lexicon {
            word_roles: word_roles(&p.keywords),
            keywords: p.keywords.into_iter().map(Text::Owned).collect(),
            owners: Cow::Owned(p.owners),
            owner_ends: Cow::Owned(p.owner_ends),
            grams: Cow::Owned(p.grams),
            gram_ends: Cow::Owned(p.gram_ends),
        }
    }

    /// The detectors that own keyword `i`.
    pub fn owners(&self, i: u32) -> &[u32] {
        let i = i as usize;
        let from = if i == 0 {
            0
        } else {
            self.owner_ends[i - 1] as usize
        };
        &self.owners[from..self.owner_ends[i] as usize]
    }

    /// Calls `f` with every keyword occurrence in `hay`, exactly as `Keywords::for_each_hit`
    /// would, through an automaton of only the keywords that can occur in `hay`: those whose
    /// every gram it contains. Building the automaton of all the catalogue's keywords costs
    /// ~2 ms (1 875 keywords); a commit of a few files holds the grams of a few dozen of them,
    /// whose automaton builds in microseconds. (A keyword that occurs in `hay` has all its
    /// grams there, so it is always among them: the hits are the same.)
    pub fn for_each_hit_filtered(&self, hay: &[u8], mut f: impl FnMut(Hit)) {
        let lower = hay.to_ascii_lowercase();
        let mut present = vec![0u64; 1 << (lexicon_parts::GRAM_BITS - 6)];
        lexicon_parts::gram_hashes_of_text(&lower, |h| present[(h >> 6) as usize] |= 1 << (h & 63));
        let mut from = 0;
        let mut candidates: Vec<u32> = Vec::new();
        for (i, &to) in self.gram_ends.iter().enumerate() {
            let grams = &self.grams[from..to as usize];
            from = to as usize;
            if grams
                .iter()
                .all(|&h| present[(h >> 6) as usize] >> (h & 63) & 1 == 1)
            {
                candidates.push(i as u32);
            }
        }
        if candidates.is_empty() {
            return;
        }
        let automaton = quick_automaton(candidates.iter().map(|&i| &self.keywords[i as usize]));
        for m in automaton.find_overlapping_iter(&lower) {
            f(Hit {
                keyword: candidates[m.pattern().as_usize()],
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

/// The cheap-to-build automaton of lowercase keywords: a non-contiguous NFA, matched exactly,
/// so the haystack must be lowercased first (ASCII case folding keeps every offset). Building
/// it case-sensitively costs half as much as ASCII-case-insensitively. Dense transitions only
/// for the start state: the default (depth 3) took 296 µs to build for the built-in keywords,
/// depth 1 203 µs, and searched 24 KB no slower (143 µs against 170 µs).
fn quick_automaton<'k>(keywords: impl IntoIterator<Item = &'k Text>) -> AhoCorasick {
    // Standard match semantics + overlapping search: every keyword occurrence is reported,
    // so one keyword cannot hide another that overlaps it.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .dense_depth(1)
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .build(keywords.into_iter().map(|k| k.as_bytes()))
        .expect(BOUNDED)
}

const BOUNDED: &str =
    "keywords are validated non-empty strings; the automaton size is bounded by their total length";

/// An automaton of all the catalogue's keywords.
pub(super) struct Keywords {
    automaton: Searcher,
}

enum Searcher {
    /// `quick_automaton`.
    Quick(AhoCorasick),
    /// A DFA over the keywords' own alphabet, searched in lanes (`dfa_hits`).
    Fast(Box<FoldedDfa>),
}

/// A DFA of keywords written in a small alphabet of their own: each byte that occurs in a
/// (lowercase) keyword has a code from 1 up, an uppercase ASCII letter the code of its lowercase
/// one, every other byte code 0, which no keyword holds. A byte of the input matches a keyword's
/// byte exactly when their codes are equal, so the DFA of the coded keywords, stepped with the
/// input's codes, finds what an ASCII-case-insensitive DFA of the keywords finds, offsets and all.
///
/// Why: aho-corasick's case-insensitive DFA gives `a` and `A` classes of their own, and every
/// unused byte between two used ones another, so the built-ins' ~2 270 keywords (59 distinct
/// bytes) had over 64 byte classes and 128 transitions a state: 7.0 MB, built in ~20 ms on the
/// first large input. Coded, they have 60 classes and 64 transitions a state: 3.5 MB, built in
/// ~11 ms, and searched no slower (bench/RESULTS.md, 2026-12-03, stop 31). The code lookup is
/// a load off the chain of dependent state loads that bounds the search.
pub(super) struct FoldedDfa {
    dfa: DFA,
    codes: [u8; 256],
}

impl FoldedDfa {
    /// The automaton of `keywords` (lowercase), matched ASCII-case-insensitively.
    fn new<'k>(keywords: impl IntoIterator<Item = &'k [u8]> + Clone) -> Self {
        let mut codes = [0u8; 256];
        let mut used = [false; 256];
        for keyword in keywords.clone() {
            for &b in keyword {
                used[b.to_ascii_lowercase() as usize] = true;
            }
        }
        // At most 256 - 26 bytes are used (uppercase letters fold away), so codes fit a byte.
        let mut next = 0u8;
        for b in 0..=255u8 {
            if used[b as usize] {
                next += 1;
                codes[b as usize] = next;
            }
        }
        for upper in b'A'..=b'Z' {
            codes[upper as usize] = codes[upper.to_ascii_lowercase() as usize];
        }
        let coded: Vec<Vec<u8>> = keywords
            .into_iter()
            .map(|k| k.iter().map(|&b| codes[b as usize]).collect())
            .collect();
        // No prefilter: with hundreds of keywords it would not skip anything, and it would
        // make the start state special, a branch taken on most bytes.
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&coded)
            .expect(BOUNDED);
        FoldedDfa { dfa, codes }
    }

    fn next_state(&self, sid: StateID, byte: u8) -> StateID {
        self.dfa
            .next_state(Anchored::No, sid, self.codes[byte as usize])
    }
}

impl Keywords {
    pub fn build(lexicon: &Lexicon, build: Build) -> Self {
        let keywords = &lexicon.keywords;
        let automaton = match build {
            Build::Small => Searcher::Quick(quick_automaton(keywords.iter())),
            Build::Large => Searcher::Fast(Box::new(FoldedDfa::new(
                keywords.iter().map(|k| k.as_bytes()),
            ))),
        };
        Keywords { automaton }
    }

    /// Calls `f` with every keyword occurrence in `hay`, ordered by where they end (as an
    /// overlapping search reports them).
    pub fn for_each_hit(&self, hay: &[u8], mut f: impl FnMut(Hit)) {
        match &self.automaton {
            Searcher::Quick(automaton) => {
                for m in automaton.find_overlapping_iter(&hay.to_ascii_lowercase()) {
                    f(Hit {
                        keyword: m.pattern().as_u32(),
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
            Searcher::Fast(dfa) => dfa_hits(dfa, hay, f),
        }
    }
}

/// Independent passes the DFA makes through a segment at once.
/// (The search loop below is written out for four.)
const LANES: usize = 4;
/// Bytes per lane and segment: hits of the later lanes wait in memory until the earlier lanes'
/// are out, so a segment bounds that memory.
const LANE_BYTES: usize = 64 << 10;

/// The DFA's hits in `hay`, in order of their ends: the overlapping search of the crate, but
/// stepping the automaton through `LANES` slices of the input at once.
///
/// Why our own loop: each DFA step is a table load that depends on the step before, so a single
/// pass runs at the latency of that chain — ~400 MB/s per core here, whatever the table size
/// (bench/RESULTS.md). Four independent chains let the CPU overlap their loads (1.3–1.5× on
/// the initial-commit corpus). The states, transitions and match lists are still the crate's,
/// through the `Automaton` API it offers for custom search loops.
///
/// A hit belongs to the lane holding its last byte. Each lane starts in the start state
/// `max_pattern_len - 1` bytes before its slice: every keyword ending in the slice starts
/// after that point, so the lane sees it whole, and hits ending before the slice are left to
/// the lane that owns them.
fn dfa_hits(folded: &FoldedDfa, hay: &[u8], mut f: impl FnMut(Hit)) {
    let dfa = &folded.dfa;
    let warm_up = dfa.max_pattern_len().saturating_sub(1);
    let start = dfa
        .start_state(Anchored::No)
        .expect("the DFA is built for unanchored searches");
    let mut waiting: [Vec<Hit>; LANES] = Default::default();
    let segment = LANES * LANE_BYTES;
    let mut from = 0;
    while from < hay.len() {
        let to = hay.len().min(from + segment);
        // A short (last) segment is one lane: too short to be worth splitting.
        let lanes = if to - from < LANES * 4 * (warm_up + 1) {
            1
        } else {
            LANES
        };
        // Lane k owns the hits ending in bounds[k]..bounds[k + 1] and starts `warm_up` early.
        let bounds: [usize; LANES + 1] =
            std::array::from_fn(|k| from + k.min(lanes) * (to - from) / lanes);
        let begin: [usize; LANES] = std::array::from_fn(|k| bounds[k].saturating_sub(warm_up));
        // All lanes in step while each has bytes left, then each to its end.
        let common = if lanes == LANES {
            (0..LANES)
                .map(|k| bounds[k + 1] - begin[k])
                .min()
                .unwrap_or(0)
        } else {
            0
        };
        let slices: [&[u8]; LANES] = std::array::from_fn(|k| &hay[begin[k]..begin[k] + common]);
        let mut state = [start; LANES];
        let mut i = 0;
        while i < common {
            i = step_lanes(folded, slices, &mut state, i);
            for k in 0..LANES {
                if dfa.is_special(state[k]) {
                    report(dfa, state[k], begin[k] + i, bounds[k], &mut waiting[k]);
                }
            }
        }
        let step = |state: &mut StateID, at: usize, lane: usize, out: &mut Vec<Hit>| {
            *state = folded.next_state(*state, hay[at]);
            if dfa.is_special(*state) {
                report(dfa, *state, at + 1, bounds[lane], out);
            }
        };
        for k in 0..lanes {
            for at in begin[k] + common..bounds[k + 1] {
                step(&mut state[k], at, k, &mut waiting[k]);
            }
        }
        for lane in &mut waiting[..lanes] {
            lane.drain(..).for_each(&mut f);
        }
        from = to;
    }
}

/// Steps the four lanes' states from byte `from` on, until one of them enters a special
/// (match) state or the lanes end; returns how far they got. A function of its own so that
/// the four states, the four byte pointers and the table all stay in registers (inlined into
/// the search, they were spilled to the stack: a store and a load more on every chain).
#[inline(never)]
fn step_lanes(
    folded: &FoldedDfa,
    lanes: [&[u8]; LANES],
    state: &mut [StateID; LANES],
    from: usize,
) -> usize {
    let n = lanes[0].len();
    let (l0, l1, l2, l3) = (
        &lanes[0][..n],
        &lanes[1][..n],
        &lanes[2][..n],
        &lanes[3][..n],
    );
    let [mut s0, mut s1, mut s2, mut s3] = *state;
    let dfa = &folded.dfa;
    let mut i = from;
    while i < n {
        s0 = folded.next_state(s0, l0[i]);
        s1 = folded.next_state(s1, l1[i]);
        s2 = folded.next_state(s2, l2[i]);
        s3 = folded.next_state(s3, l3[i]);
        i += 1;
        if dfa.is_special(s0) | dfa.is_special(s1) | dfa.is_special(s2) | dfa.is_special(s3) {
            break;
        }
    }
    *state = [s0, s1, s2, s3];
    i
}

/// Records the keywords that end at `end` in match state `sid`, if the lane owns that end.
fn report(dfa: &DFA, sid: StateID, end: usize, owned_from: usize, out: &mut Vec<Hit>) {
    if end <= owned_from || !dfa.is_match(sid) {
        return;
    }
    for i in 0..dfa.match_len(sid) {
        let keyword = dfa.match_pattern(sid, i);
        out.push(Hit {
            keyword: keyword.as_u32(),
            start: end - dfa.pattern_len(keyword),
            end,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keywords() -> Vec<&'static str> {
        vec![
            "ghp_",
            "token",
            "tok",
            "ok",
            "AKIA",
            "secret_key",
            "key",
            "-----BEGIN",
            "x",
        ]
    }

    /// `keywords()` and keywords with bytes past ASCII (a catalogue a repository changed may
    /// hold any), whose bytes get codes of their own and are matched exactly.
    fn folded_keywords() -> Vec<&'static str> {
        let mut k = keywords();
        k.extend(["clé_", "ÄpiKey", "\u{1F511}"]);
        k
    }

    fn crate_hits(hay: &[u8]) -> Vec<Hit> {
        crate_hits_of(&keywords(), hay)
    }

    fn crate_hits_of(keywords: &[&str], hay: &[u8]) -> Vec<Hit> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| Hit {
                keyword: m.pattern().as_u32(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }

    fn lane_hits(hay: &[u8]) -> Vec<Hit> {
        lane_hits_of(&keywords(), hay)
    }

    fn lane_hits_of(keywords: &[&str], hay: &[u8]) -> Vec<Hit> {
        let lower: Vec<String> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
        let folded = FoldedDfa::new(lower.iter().map(|k| k.as_bytes()));
        let mut hits = Vec::new();
        dfa_hits(&folded, hay, |h| hits.push(h));
        hits
    }

    /// The lexicon of `keywords()`, as the scanner builds it from a catalogue.
    fn lexicon() -> Lexicon {
        let toml: String = keywords()
            .iter()
            .enumerate()
            .map(|(i, k)| {
                format!(
                    "[[detector]]\nid = \"d{i}\"\nkeywords = [{k:?}]\nregex = 'x'\nexamples = []\n"
                )
            })
            .collect();
        let catalogue = crate::detectors::Catalogue::parse("test", &toml, true).unwrap();
        Lexicon::new(&catalogue)
    }

    fn hits_by_keyword(lexicon: &Lexicon, hits: Vec<Hit>) -> Vec<(String, usize, usize)> {
        hits.into_iter()
            .map(|h| {
                (
                    lexicon.keywords[h.keyword as usize].to_string(),
                    h.start,
                    h.end,
                )
            })
            .collect()
    }

    /// The built-ins' lexicon that `build.rs` wrote is the one the catalogue's keyword lists
    /// give, and a catalogue a repository changed does not borrow it.
    #[test]
    fn the_static_lexicon_is_the_computed_one_and_only_for_the_builtins() {
        let builtin = Catalogue::builtin().unwrap();
        let b = builtin
            .builtin_lexicon()
            .expect("the built-ins' own lexicon");
        let p = lexicon_parts::parts(
            builtin
                .detectors
                .iter()
                .map(|d| d.keywords.iter().map(|k| &**k)),
            &crate::engine::generic::watched_words(),
        );
        assert_eq!(
            b.keywords.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            p.keywords
        );
        assert_eq!(
            (b.owners, b.owner_ends, b.grams, b.gram_ends),
            (
                &p.owners[..],
                &p.owner_ends[..],
                &p.grams[..],
                &p.gram_ends[..]
            )
        );
        let mut changed = Catalogue::builtin().unwrap();
        changed.detectors[0].keywords.to_mut().push("extra".into());
        assert!(changed.builtin_lexicon().is_none());
        let mut fewer = Catalogue::builtin().unwrap();
        fewer.detectors.pop();
        assert!(fewer.builtin_lexicon().is_none());
        let lexicon = Lexicon::new(&changed);
        let extra = lexicon.keywords.iter().position(|k| k == "extra").unwrap();
        assert_eq!(lexicon.owners(extra as u32), &[0]);
    }

    proptest! {
        /// The automaton of the keywords an input can hold finds what the automaton of all of
        /// them finds, in the same order.
        #[test]
        fn the_per_input_automaton_finds_what_the_full_one_finds(
            hay in prop::collection::vec(prop_oneof![
                Just(b"ghp_".to_vec()), Just(b"TOKEN".to_vec()), Just(b"tok".to_vec()),
                Just(b"ok".to_vec()), Just(b"akia".to_vec()), Just(b"Secret_Key".to_vec()),
                Just(b"-----BEGIN".to_vec()), Just(b"x".to_vec()), Just(b"ke".to_vec()),
                Just(b"y".to_vec()), Just(b" ".to_vec()), prop::collection::vec(any::<u8>(), 0..4),
            ], 0..30).prop_map(|parts| parts.concat()),
        ) {
            let lexicon = lexicon();
            let mut full = Vec::new();
            Keywords::build(&lexicon, Build::Small).for_each_hit(&hay, |h| full.push(h));
            let mut filtered = Vec::new();
            lexicon.for_each_hit_filtered(&hay, |h| filtered.push(h));
            prop_assert_eq!(hits_by_keyword(&lexicon, filtered), hits_by_keyword(&lexicon, full));
        }

        /// Any byte, upper and lower case, non-ASCII and bytes no keyword holds (all of which
        /// share code 0), is matched as the crate's case-insensitive search matches it.
        #[test]
        fn folded_codes_match_as_case_insensitive_bytes(
            parts in prop::collection::vec(prop_oneof![
                prop::sample::select(folded_keywords()).prop_map(|k| k.as_bytes().to_vec()),
                prop::sample::select(folded_keywords())
                    .prop_map(|k| k.to_ascii_uppercase().into_bytes()),
                prop::collection::vec(any::<u8>(), 0..6),
            ], 0..40),
        ) {
            let hay = parts.concat();
            let keywords = folded_keywords();
            prop_assert_eq!(lane_hits_of(&keywords, &hay), crate_hits_of(&keywords, &hay));
        }

        /// Keywords anywhere, in particular across the lanes' and segments' seams, are found
        /// exactly as the crate's own overlapping search finds them, in the same order.
        #[test]
        fn lanes_find_what_the_crate_finds(
            len in prop_oneof![0usize..600, 4 * LANE_BYTES - 600..4 * LANE_BYTES + 600, 9 * LANE_BYTES..9 * LANE_BYTES + 100],
            inserts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..9, any::<bool>()), 0..40),
            seams in prop::collection::vec((0usize..12, 0usize..12), 0..12),
        ) {
            let mut hay = vec![b'.'; len];
            let words = keywords();
            let mut put = |at: usize, word: &str, upper: bool| {
                for (i, b) in word.bytes().enumerate() {
                    if let Some(slot) = hay.get_mut(at + i) {
                        *slot = if upper { b.to_ascii_uppercase() } else { b };
                    }
                }
            };
            for (at, w, upper) in inserts {
                if len > 0 {
                    put(at.index(len), words[w], upper);
                }
            }
            // Keywords straddling lane boundaries (n/4 of each segment) by a few bytes.
            for (seam, back) in seams {
                let segment = 4 * LANE_BYTES;
                let at = (seam / 4) * segment + (seam % 4) * segment.min(len) / 4;
                put(at.saturating_sub(back), words[seam % words.len()], false);
            }
            prop_assert_eq!(lane_hits(&hay), crate_hits(&hay));
        }
    }
}
