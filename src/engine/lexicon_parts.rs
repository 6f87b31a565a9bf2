//! The keyword lexicon's data, computed from each detector's keyword list: the same code runs in
//! `build.rs` (for the built-in catalogue, so a hook pays nothing for it) and at run time (for a
//! catalogue a repository has changed). No crate dependencies: `build.rs` includes this file.

/// Every keyword in lower case, each once, sorted; per keyword the detectors that own it (none
/// for a watched word no detector lists) and the hashes of its grams, both flat with an end
/// index per keyword.
pub struct Parts {
    pub keywords: Vec<String>,
    pub owners: Vec<u32>,
    pub owner_ends: Vec<u32>,
    pub grams: Vec<u32>,
    pub gram_ends: Vec<u32>,
}

/// No detector: a `watched` word's entry, which may own none.
const WATCHED: u32 = u32::MAX;

/// The parts for detectors whose keyword lists `lists` yields, in catalogue order, and for
/// `watched` words: keywords that no detector need own, whose hits the search still reports
/// (the generic matchers' word lists, read from the prefilter's hits instead of searched for
/// again in each window).
pub fn parts<'a, L>(lists: impl Iterator<Item = L>, watched: &[&str]) -> Parts
where
    L: Iterator<Item = &'a str>,
{
    // (keyword, detector) pairs sorted, then runs of one keyword.
    let mut pairs: Vec<(String, u32)> = lists
        .enumerate()
        .flat_map(|(i, list)| list.map(move |k| (k.to_ascii_lowercase(), i as u32)))
        .chain(watched.iter().map(|w| (w.to_ascii_lowercase(), WATCHED)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut p = Parts {
        keywords: Vec::new(),
        owners: Vec::with_capacity(pairs.len()),
        owner_ends: Vec::new(),
        grams: Vec::new(),
        gram_ends: Vec::new(),
    };
    for (k, det) in pairs {
        if p.keywords.last() != Some(&k) {
            if !p.keywords.is_empty() {
                p.owner_ends.push(p.owners.len() as u32);
            }
            gram_hashes(k.as_bytes(), |h| p.grams.push(h));
            p.gram_ends.push(p.grams.len() as u32);
            p.keywords.push(k);
        }
        if det != WATCHED {
            p.owners.push(det);
        }
    }
    if !p.keywords.is_empty() {
        p.owner_ends.push(p.owners.len() as u32);
    }
    p
}

/// Bits of a gram's hash: a 32 KB table, sparse for the inputs searched through it.
pub const GRAM_BITS: u32 = 18;

pub fn gram_hash(gram: &[u8]) -> u32 {
    let packed = gram.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
    packed.wrapping_mul(0x9E37_79B1) >> (32 - GRAM_BITS)
}

/// A keyword's grams: its 4-byte substrings, or the keyword itself when it is 3 bytes long.
/// A shorter keyword has none, so it is a candidate for every input.
pub fn gram_hashes(keyword: &[u8], mut f: impl FnMut(u32)) {
    match keyword.len() {
        0..=2 => {}
        3 => f(gram_hash(keyword)),
        _ => keyword.windows(4).for_each(|g| f(gram_hash(g))),
    }
}

/// Every gram a keyword occurring in `text` can have: its 3- and 4-byte substrings.
pub fn gram_hashes_of_text(text: &[u8], mut f: impl FnMut(u32)) {
    text.windows(3).for_each(|g| f(gram_hash(g)));
    text.windows(4).for_each(|g| f(gram_hash(g)));
}
