//! The detection engine: keyword prefilter, regex verification, validation.
//!
//! It takes bytes (a run of added text) and returns plain `Match`es: which detector, where the
//! match is and where the secret is, as byte ranges of those bytes. It knows nothing of files,
//! lines, suppression or output; the stage after it (`crate::suppress`) turns matches into
//! located findings.
//!
//! One aho-corasick automaton holds every detector's keywords (ASCII case-insensitive) and is
//! run once over each run of added lines. Only detectors whose keyword occurs are verified, and
//! only on a *window* around the hit: the hit's line, clamped to `CONTEXT` bytes either side so
//! that a 200 MB minified line costs one pass, not one pass per hit. Multi-line detectors (PEM
//! blocks) get a window that runs forward across lines. Regexes are compiled on first use, so
//! start-up does not pay for hundreds of them.
//!
//! Values that are base64, hex or percent-encoded are opened (`decode`) and what they decode to
//! is scanned the same way, a few layers deep: a token found inside is its own detector's match,
//! placed on the encoded value and carrying the decoded secret (`Match::encoded`).

pub mod decode;
pub mod generic;
mod keywords;
pub mod lexicon_parts;
pub mod shape;
#[cfg(test)]
mod test_values;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use regex::bytes::{Regex, RegexBuilder};

use crate::detectors::{Catalogue, Detector, Pattern, Text, validate};
use crate::error::{Error, Result};
use keywords::{Build, Keywords, Lexicon};

/// Bytes either side of a keyword hit that a single-line detector's regex may see. Context
/// detectors put the provider's name a few dozen bytes from the value; 1 KiB is generous.
pub const CONTEXT: usize = 1024;
/// How far past its keyword a multi-line detector may reach (an 8192-bit RSA key is ~6.5 KB).
pub const MULTILINE_SPAN: usize = 64 * 1024;

/// Bytes scanned with the quick-to-build automaton before the scanner builds the fast one.
/// A typical commit stays under it and never pays the ~3 ms a DFA takes to build; a history
/// or tree scan crosses it at once and then runs about 2.6× faster (`cargo bench --bench engine`).
/// Both automata hold the same keywords with the same semantics, so which one scans a run
/// never changes a result.
pub const LARGE_WORKLOAD: u64 = 4 << 20;

/// How much of a workload is searched through automata of only the keywords each input can
/// hold (`Lexicon::for_each_hit_filtered`) before the scanner builds the automaton of all of
/// them: a commit of a few files never pays the ~2 ms that takes. Each input is charged its
/// size plus `FILTERED_CALL`, for the per-input work (the candidate check runs through every
/// keyword), so that many tiny inputs (decoded values) also move on to the full automaton.
pub const FILTERED_WORKLOAD: u64 = 256 << 10;
const FILTERED_CALL: u64 = 4 << 10;
/// The largest input searched that way: past it, most keywords' grams are in any text.
pub const FILTERED_INPUT: usize = 64 << 10;

/// Which keyword automaton a scanner uses. Both find exactly the same keywords; only their
/// build and search costs differ, so this is a performance choice (and a test seam).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Per-input automata of the keywords each input can hold while the workload is small
    /// (`FILTERED_WORKLOAD`), then the quick-to-build automaton of all keywords until
    /// `LARGE_WORKLOAD` bytes have been scanned, then the fast one: what every command uses.
    Auto,
    /// Always per-input automata.
    Filtered,
    /// Always the quick-to-build automaton.
    Small,
    /// Always the fast automaton.
    Large,
}

pub struct Scanner<'c> {
    /// Borrowed (tests, benchmarks) or owned (`setup`, which keeps the scanner for a run).
    catalogue: Cow<'c, Catalogue>,
    workload: Workload,
    /// Both built on first use, so a commit that stages nothing pays for neither. They hold the
    /// same keywords with the same semantics, so which one scans a run never changes a result.
    small: OnceLock<Keywords>,
    large: OnceLock<Keywords>,
    /// The keywords both are built from; built on first use.
    lexicon: OnceLock<Lexicon>,
    scanned: AtomicU64,
    /// What the per-input automata have been charged so far (`FILTERED_WORKLOAD`).
    filtered: AtomicU64,
    /// Bytes the caller said it is about to scan (`expect`).
    expected: AtomicU64,
    /// Per detector, built on first use.
    verifiers: Vec<OnceLock<std::result::Result<Verifier, String>>>,
    /// Per detector: the detector verified in its place. Detectors that share a built-in
    /// matcher share one pass over a window (see `generic`): they all map to the first of them.
    lead: Vec<u32>,
    /// Per detector: after which bytes a hit of its keywords cannot start one of its matches
    /// (`HitStart`). Worked out on the first keyword hit, not at start-up.
    hit_starts: OnceLock<Vec<HitStart>>,
    /// Built on the first generic match.
    attributor: OnceLock<generic::attribution::Attributor>,
    /// Whether a detector uses the binding matcher, which reads the words the prefilter finds
    /// (`Windows::words`).
    reads_words: bool,
}

/// What `Scanner::windows` found in an input.
struct Windows {
    /// Per detector (the lead of those that share a matcher), the ranges to verify.
    windows: Vec<(u32, Range<usize>)>,
    /// Every occurrence of a generic matcher's word, in order of their ends (none when no
    /// detector uses the binding matcher).
    words: Vec<generic::Occurrence>,
}

/// What verifying a detector's windows needs.
enum Verifier {
    Regex(Regex),
    /// A shaped value (`engine/shape.rs`): nothing to compile, only the keywords in lower case.
    Shape {
        shape: crate::detectors::Shape,
        lower_keywords: Vec<Vec<u8>>,
    },
    /// A built-in matcher (`engine/generic/`): nothing to compile.
    Matcher(generic::MatcherKind),
}

/// A regex match that passed the validators: the engine's whole answer.
///
/// Ranges are byte offsets into the bytes given to `Scanner::scan`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index into `Catalogue::detectors`.
    pub detector: usize,
    /// The whole regex match.
    pub range: Range<usize>,
    /// The secret: the regex's `secret` group, or the whole match. For a secret found inside
    /// an encoded value, the bytes that encode it: the whole base64 or hex value, or exactly
    /// the percent-encoded bytes (`decode::Value::encoded_range`).
    pub secret: Range<usize>,
    /// A generic match's provider, when its name, URL or line names one of the catalogue's
    /// (`SENDGRID_KEY=…` → `sendgrid`): the report prints that provider's rotation steps.
    pub provider: Option<Text>,
    /// A generic match whose name says sample or example, or whose URL's host is a
    /// documentation one: the stage after the engine lowers its severity, as it does for a
    /// generic match in a test path (`generic::context`).
    pub example: bool,
    /// Set when the secret was found inside an encoded value.
    pub encoded: Option<Box<Encoded>>,
}

/// What a match found inside an encoded value carries besides its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// The encodings around the secret, outermost first.
    pub layers: decode::Layers,
    /// The secret itself, decoded: what is fingerprinted, so that a token fingerprints the same
    /// whether it was committed encoded or not.
    pub secret: Vec<u8>,
}

impl Match {
    /// Moves the match into bytes that start `base` bytes earlier than the scanned ones.
    pub fn shift(&mut self, base: usize) {
        self.range = base + self.range.start..base + self.range.end;
        self.secret = base + self.secret.start..base + self.secret.end;
    }
}

impl<'c> Scanner<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Result<Self> {
        Self::with_workload(catalogue, Workload::Auto)
    }

    /// A scanner that owns its catalogue.
    pub fn owning(catalogue: Catalogue) -> Result<Scanner<'static>> {
        Scanner::build(Cow::Owned(catalogue), Workload::Auto)
    }

    /// A scanner that picks its keyword automaton as `workload` says.
    pub fn with_workload(catalogue: &'c Catalogue, workload: Workload) -> Result<Self> {
        Self::build(Cow::Borrowed(catalogue), workload)
    }

    fn build(catalogue: Cow<'c, Catalogue>, workload: Workload) -> Result<Self> {
        let verifiers = catalogue
            .detectors
            .iter()
            .map(|_| OnceLock::new())
            .collect();
        let lead = leads(&catalogue);
        let reads_words = catalogue.detectors.iter().any(|d| {
            d.matcher()
                .is_some_and(|m| m.kind == generic::MatcherKind::CredentialBinding)
        });
        Ok(Scanner {
            catalogue,
            workload,
            small: OnceLock::new(),
            large: OnceLock::new(),
            lexicon: OnceLock::new(),
            scanned: AtomicU64::new(0),
            filtered: AtomicU64::new(0),
            expected: AtomicU64::new(0),
            verifiers,
            lead,
            hit_starts: OnceLock::new(),
            attributor: OnceLock::new(),
            reads_words,
        })
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The compiled regex of detector `i`, compiling it on first use (`None` for a shaped
    /// detector).
    pub fn regex(&self, i: usize) -> Result<Option<&Regex>> {
        self.verifier(i).map(|v| match v {
            Verifier::Regex(regex) => Some(regex),
            Verifier::Shape { .. } | Verifier::Matcher(_) => None,
        })
    }

    fn verifier(&self, i: usize) -> Result<&Verifier> {
        let d = &self.catalogue.detectors[i];
        self.verifiers[i]
            .get_or_init(|| {
                Ok(match &d.pattern {
                    Pattern::Regex(_) => Verifier::Regex(compile(d)?),
                    Pattern::Shape(shape) => Verifier::Shape {
                        shape: shape.clone(),
                        lower_keywords: d
                            .keywords
                            .iter()
                            .map(|k| k.to_ascii_lowercase().into_bytes())
                            .collect(),
                    },
                    Pattern::Matcher(m) => Verifier::Matcher(m.kind),
                })
            })
            .as_ref()
            .map_err(|message| Error::Config {
                location: d.defined_at.to_string(),
                // The regex and its id may be the repository's: escaped and bounded.
                message: crate::escape::tame(&format!(
                    "detector {}: {message}",
                    crate::escape::quote(&d.id)
                )),
            })
    }

    /// Tells the scanner how many bytes are about to be scanned, so that a workload known to be
    /// large uses the fast automaton from its first byte (on a 200 MB initial commit the quick
    /// one spent ~30 ms on the first 4 MiB).
    pub fn expect(&self, bytes: u64) {
        self.expected.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Scans `hay` (a run of added lines), appending its matches to `out`, sorted by where
    /// their secrets start; overlapping matches of several detectors are resolved to one.
    /// Encoded values are opened within a budget for `hay` (`decode`).
    pub fn scan(&self, hay: &[u8], out: &mut Vec<Match>) -> Result<()> {
        let mut budget = decode::Budget::for_input(hay.len());
        self.scan_layer(hay, 0, &mut budget, out)
    }

    /// `scan` of the bytes `depth` encodings deep.
    fn scan_layer(
        &self,
        hay: &[u8],
        depth: usize,
        budget: &mut decode::Budget,
        out: &mut Vec<Match>,
    ) -> Result<()> {
        let mut candidates = Vec::new();
        let windows = self.windows(hay);
        for (det, window) in windows.windows {
            self.verify(det, hay, window, &windows.words, &mut candidates)?;
        }
        // Freed before the decoded values are scanned, each with words of its own.
        drop(windows.words);
        if depth < decode::MAX_LAYERS {
            self.scan_encoded(hay, depth, budget, &mut candidates)?;
        }
        if !candidates.is_empty() {
            out.extend(self.resolve_overlaps(candidates));
        }
        Ok(())
    }

    /// Scans what each encoded value in `hay` decodes to, appending what it finds there to
    /// `out`, placed on the value.
    fn scan_encoded(
        &self,
        hay: &[u8],
        depth: usize,
        budget: &mut decode::Budget,
        out: &mut Vec<Match>,
    ) -> Result<()> {
        let mut values = decode::Values::new(hay);
        let mut inner = Vec::new();
        while let Some(value) = values.next(budget) {
            self.scan_layer(&value.text, depth + 1, budget, &mut inner)?;
            for m in inner.drain(..) {
                if value.jwt_part && self.catalogue.detectors[m.detector].is_generic() {
                    continue;
                }
                out.push(lift(&value, m));
            }
        }
        Ok(())
    }

    /// Every candidate in `hay` (a run of added lines) before overlapping ones are resolved: the
    /// detectors that claim each secret (for `check`'s cross-check of examples).
    pub(crate) fn candidates(&self, hay: &[u8]) -> Result<Vec<(usize, Range<usize>)>> {
        let mut candidates = Vec::new();
        let windows = self.windows(hay);
        for (det, window) in windows.windows {
            self.verify(det, hay, window, &windows.words, &mut candidates)?;
        }
        Ok(candidates
            .into_iter()
            .map(|c| (c.detector, c.secret))
            .collect())
    }

    /// Keyword hits → per-detector windows to verify, merged so that each byte is verified at
    /// most once per detector, and the generic matchers' words among the hits.
    fn windows(&self, hay: &[u8]) -> Windows {
        let before = self.scanned.fetch_add(hay.len() as u64, Ordering::Relaxed);
        let large = match self.workload {
            Workload::Auto => {
                before + hay.len() as u64 > LARGE_WORKLOAD
                    || self.expected.load(Ordering::Relaxed) > LARGE_WORKLOAD
            }
            Workload::Small | Workload::Filtered => false,
            Workload::Large => true,
        };
        let filtered = match self.workload {
            // Charged by what is scanned, not by what the caller expects (the whole size of
            // the files a commit touches): a few lines added to a large file are a small input.
            Workload::Auto => {
                !large
                    && hay.len() <= FILTERED_INPUT
                    && self
                        .filtered
                        .fetch_add(hay.len() as u64 + FILTERED_CALL, Ordering::Relaxed)
                        < FILTERED_WORKLOAD
            }
            Workload::Filtered => true,
            Workload::Small | Workload::Large => false,
        };
        let lexicon = self.lexicon.get_or_init(|| Lexicon::new(&self.catalogue));
        let keywords = if filtered {
            None
        } else if large {
            Some(
                self.large
                    .get_or_init(|| Keywords::build(lexicon, Build::Large)),
            )
        } else {
            Some(
                self.small
                    .get_or_init(|| Keywords::build(lexicon, Build::Small)),
            )
        };
        // The open window of each detector, indexed by detector: a line with millions of hits
        // of a keyword that many detectors share costs O(hits × owners), not × detectors.
        // (Allocated at the first hit: most runs have none.)
        let mut open: Vec<Option<Range<usize>>> = Vec::new();
        let mut done: Vec<(u32, Range<usize>)> = Vec::new();
        // The generic binding matcher's words, if a detector uses it.
        let mut words = Vec::new();
        let collect_words = self.reads_words;
        let on_hit = |hit: keywords::Hit| {
            if collect_words
                && let Some(word) = generic::Occurrence::of(
                    hit.start..hit.end,
                    lexicon.word_roles[hit.keyword as usize],
                )
            {
                words.push(word);
            }
            if open.is_empty() {
                open.resize(self.catalogue.detectors.len(), None);
            }
            let before = hit.start.checked_sub(1).map(|i| hay[i]);
            let hit_starts = self
                .hit_starts
                .get_or_init(|| self.catalogue.detectors.iter().map(HitStart::of).collect());
            for &det in lexicon.owners(hit.keyword) {
                if before.is_some_and(|b| hit_starts[det as usize].excludes(b)) {
                    continue;
                }
                let det = self.lead[det as usize];
                let multiline = self.catalogue.detectors[det as usize].multiline;
                match &mut open[det as usize] {
                    Some(w) if hit.start <= w.end => {
                        w.end = w
                            .end
                            .max(window_end(hay, w.end.max(hit.end), hit.end, multiline));
                    }
                    Some(w) => {
                        let next = window(hay, hit.start, hit.end, multiline);
                        done.push((det, std::mem::replace(w, next)));
                    }
                    slot @ None => *slot = Some(window(hay, hit.start, hit.end, multiline)),
                }
            }
        };
        match keywords {
            Some(k) => k.for_each_hit(hay, on_hit),
            None => lexicon.for_each_hit_filtered(hay, on_hit),
        }
        done.extend(
            open.into_iter()
                .enumerate()
                .filter_map(|(det, w)| Some((det as u32, w?))),
        );
        debug_assert!(words.is_sorted_by_key(|w| w.range().end));
        Windows {
            windows: done,
            words,
        }
    }

    fn verify(
        &self,
        det: u32,
        hay: &[u8],
        window: Range<usize>,
        words: &[generic::Occurrence],
        out: &mut Vec<Match>,
    ) -> Result<()> {
        let d = &self.catalogue.detectors[det as usize];
        // The regex sees the window's end as the end of its input. A detector whose matches
        // can outgrow the context (a Kubernetes service-account JWT runs 1–2 KB past its
        // keyword) would match a piece of a credential cut there, or nothing: its window runs
        // on to the end of the credential-like run it cuts, if that run ends within
        // `MAX_EXTENSION` (a longer run is data, such as a base64 blob, and stays cut).
        let window = if reaches_far(d) {
            window.start..extend_forward(hay, window.end)
        } else {
            window
        };
        // Most keyword hits are code that names a credential without holding one: a window
        // without a run of the bytes the secret is made of, long enough, cannot match, and is
        // dropped before the regex is compiled or run (`detectors::secret_run`).
        if let Some(run) = &d.secret_run
            && !run.occurs_in(&hay[window.clone()])
        {
            return Ok(());
        }
        let regex = match self.verifier(det as usize)? {
            Verifier::Regex(regex) => regex,
            Verifier::Shape {
                shape,
                lower_keywords,
            } => {
                let mut found = Vec::new();
                shape::find(shape, lower_keywords, hay, window, &mut found);
                out.extend(
                    found
                        .into_iter()
                        .filter(|r| self.is_credential(d, &hay[r.clone()]))
                        .map(|secret| Match {
                            detector: det as usize,
                            range: secret.clone(),
                            secret,
                            provider: None,
                            example: false,
                            encoded: None,
                        }),
                );
                return Ok(());
            }
            Verifier::Matcher(kind) => {
                return self.verify_generic(*kind, hay, window, words, out);
            }
        };
        let base = window.start;
        for caps in regex.captures_iter(&hay[window]) {
            let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                continue;
            };
            if m.is_empty() || !self.is_credential(d, m.as_bytes()) {
                continue;
            }
            // A credential that states its expiry (a group of the regex named `expires…`, such
            // as an Azure SAS's `se=`) grants nothing once it is past.
            let expired = regex.capture_names().zip(caps.iter()).any(|(name, e)| {
                name.is_some_and(|n| n.starts_with("expires"))
                    && e.is_some_and(|e| validate::expired(e.as_bytes(), validate::now_unix()))
            });
            if expired {
                continue;
            }
            let whole = caps.get(0).map_or(m.range(), |w| w.range());
            out.push(Match {
                detector: det as usize,
                range: base + whole.start..base + whole.end,
                secret: base + m.start()..base + m.end(),
                provider: None,
                example: false,
                encoded: None,
            });
        }
        Ok(())
    }

    /// Runs a built-in matcher once over `window` for every detector that uses it: each match
    /// goes to the detector that claims its form, with the provider its name or line names.
    fn verify_generic(
        &self,
        kind: generic::MatcherKind,
        hay: &[u8],
        window: Range<usize>,
        words: &[generic::Occurrence],
        out: &mut Vec<Match>,
    ) -> Result<()> {
        let mut found = Vec::new();
        generic::find(kind, hay, window, words, &mut found);
        for f in found {
            let owner = self.catalogue.detectors.iter().position(|d| {
                d.matcher()
                    .is_some_and(|m| m.kind == kind && m.forms.contains(&f.form))
            });
            let Some(det) = owner else { continue };
            let d = &self.catalogue.detectors[det];
            let secret = &hay[f.secret.clone()];
            if !self.is_credential(d, secret)
                || self.is_published(secret)
                || self.fails_claimed_format(secret)?
            {
                continue;
            }
            let attributor = self
                .attributor
                .get_or_init(|| generic::attribution::Attributor::new(&self.catalogue));
            let line = line_around(hay, f.secret.clone());
            let provider = if f.needs_provider {
                // Prose (`TaxJar key: …`) is a credential only where its word is a provider's.
                let Some(p) = attributor.provider(&hay[f.hints[0].clone()]) else {
                    continue;
                };
                Some(p)
            } else {
                f.hints
                    .iter()
                    .find_map(|h| attributor.provider(&hay[h.clone()]))
                    .or_else(|| attributor.provider(&strip(&hay[line.clone()], secret)))
                    .or_else(|| {
                        generic::attribution::enclosing_keys(hay, line.start)
                            .into_iter()
                            .find_map(|k| attributor.provider_named_by(&hay[k]))
                    })
            };
            // The whole match runs from the name (or the URL's scheme) to the secret's end.
            let start = f
                .hints
                .iter()
                .filter(|h| !h.is_empty())
                .map(|h| h.start)
                .min()
                .unwrap_or(f.secret.start)
                .min(f.secret.start);
            out.push(Match {
                detector: det,
                range: start..f.secret.end,
                secret: f.secret,
                provider,
                example: f.example,
                encoded: None,
            });
        }
        Ok(())
    }

    /// Whether a provider publishes `secret` as a value that grants nothing (an emulator's
    /// key, an SDK's client id): whichever detector finds it, it is not a credential.
    fn is_published(&self, secret: &[u8]) -> bool {
        self.catalogue
            .detectors
            .iter()
            .flat_map(|d| d.public_values.iter())
            .any(|v| v.as_bytes() == secret)
    }

    /// Whether `secret` has the format of a checksummed provider token whose checksum fails:
    /// a `ghp_` value that is not a GitHub token is an example, not a generic secret. (Asked
    /// only of generic matches, which are rare; the regex is compiled only if a keyword of the
    /// checksummed detector is in the value.)
    fn fails_claimed_format(&self, secret: &[u8]) -> Result<bool> {
        let lower = secret.to_ascii_lowercase();
        for (i, d) in self.catalogue.detectors.iter().enumerate() {
            let Some(kind) = d.checksum else { continue };
            let claims = d
                .keywords
                .iter()
                .any(|k| memchr::memmem::find(&lower, k.to_ascii_lowercase().as_bytes()).is_some());
            if !claims || d.secret_run.is_some_and(|run| !run.occurs_in(secret)) {
                continue;
            }
            let Some(regex) = self.regex(i)? else {
                continue;
            };
            let fails = regex.captures_iter(secret).any(|caps| {
                caps.name("secret")
                    .or_else(|| caps.get(0))
                    .is_some_and(|m| {
                        m.len() * 2 >= secret.len() && !validate::checksum_ok(kind, m.as_bytes())
                    })
            });
            if fails {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The validators: entropy, embedded checksum, placeholders, published public values.
    fn is_credential(&self, d: &Detector, secret: &[u8]) -> bool {
        if d.public_values.iter().any(|v| v.as_bytes() == secret) {
            return false;
        }
        if let Some(min) = d.min_entropy
            && validate::shannon_entropy(secret) < min
        {
            return false;
        }
        if let Some(kind) = d.checksum
            && !validate::checksum_ok(kind, secret)
        {
            return false;
        }
        if d.looks_random && !validate::looks_random(secret) {
            return false;
        }
        !validate::is_placeholder(secret, &self.catalogue.placeholders)
    }

    /// Two detectors matching overlapping bytes are one credential: keep the most specific
    /// (a provider's detector over a `generic-*` one, then what was found inside an encoded
    /// value over what matched the value itself — a GitHub token in a Kubernetes Secret's
    /// `data:` is GitHub's, not the manifest's —, then one that needed its service's name on
    /// the line over one that did not — a `sk_live_` key next to `CLERK_` is Clerk's, not
    /// Stripe's —, then checksummed, then more severe, then longer, then the earlier in the
    /// catalogue).
    ///
    /// The matches found inside one base64 or hex value all sit on the whole value; they were
    /// resolved against each other inside it, so they stand or fall together, as the best of
    /// them ranks.
    fn resolve_overlaps(&self, mut c: Vec<Match>) -> Vec<Match> {
        let rank = |x: &Match| {
            let d = &self.catalogue.detectors[x.detector];
            (
                !d.is_generic(),
                x.encoded.is_some(),
                needs_context(d),
                d.checksum.is_some(),
                d.severity,
                x.secret.len(),
                std::cmp::Reverse(x.detector),
            )
        };
        // Units of matches: one match, or the matches found inside one encoded value.
        c.sort_by(|a, b| {
            (a.secret.start, a.secret.end, a.encoded.is_none()).cmp(&(
                b.secret.start,
                b.secret.end,
                b.encoded.is_none(),
            ))
        });
        let mut units: Vec<Vec<Match>> = Vec::with_capacity(c.len());
        for x in c {
            match units.last_mut() {
                Some(unit)
                    if x.encoded.is_some()
                        && unit[0].encoded.is_some()
                        && unit[0].secret == x.secret =>
                {
                    unit.push(x)
                }
                _ => units.push(vec![x]),
            }
        }
        let unit_rank = |u: &[Match]| u.iter().map(rank).max().expect("units are not empty");
        units.sort_by(|a, b| {
            a[0].secret
                .start
                .cmp(&b[0].secret.start)
                .then(unit_rank(b).cmp(&unit_rank(a)))
        });
        let mut kept: Vec<Vec<Match>> = Vec::with_capacity(units.len());
        for u in units {
            match kept.last_mut() {
                Some(last) if u[0].secret.start < last[0].secret.end => {
                    if unit_rank(&u) > unit_rank(last) {
                        *last = u;
                    }
                }
                _ => kept.push(u),
            }
        }
        let mut out: Vec<Match> = kept.into_iter().flatten().collect();
        // Inside a unit, in the order their secrets were found in the value.
        out.sort_by_key(|m| m.secret.start);
        out
    }
}

/// A match found in the text `value` decodes to, placed on the value in the bytes around it.
fn lift(value: &decode::Value, m: Match) -> Match {
    let encoded = match m.encoded {
        Some(mut inner) if value.changes(&m.secret) => {
            inner.layers = inner.layers.around(value.encoding);
            Some(inner)
        }
        Some(inner) => Some(inner),
        None if value.changes(&m.secret) => Some(Box::new(Encoded {
            layers: decode::Layers::one(value.encoding),
            secret: value.text[m.secret.clone()].to_vec(),
        })),
        // Written plainly inside a percent-encoded run: not an encoded secret.
        None => None,
    };
    Match {
        detector: m.detector,
        range: value.encoded_range(&m.range),
        secret: value.encoded_range(&m.secret),
        provider: m.provider,
        example: m.example,
        encoded,
    }
}

/// Whether a detector only fires with its service's name nearby although its value has a
/// prefix of its own: a shaped detector whose keywords do not include its prefix.
fn needs_context(d: &Detector) -> bool {
    match &d.pattern {
        Pattern::Shape(shape) => {
            let prefix = shape.prefix();
            !prefix.is_empty() && !d.keywords.iter().any(|k| k.eq_ignore_ascii_case(prefix))
        }
        Pattern::Regex(_) | Pattern::Matcher(_) => false,
    }
}

/// Where a detector's matches can start relative to its keyword hits, read once per scanner
/// so that the loop over hits only looks a byte up.
#[derive(Clone, Copy)]
enum HitStart {
    /// Matches may start anywhere near a hit: every hit opens a window.
    Anywhere,
    /// Every match starts with one of its keywords after a non-word byte (a regex whose
    /// `secret_run::SecretRun::starts_word` holds): a hit after a word byte starts none.
    AfterNonWord,
    /// Every match starts at its prefix, a keyword, which cannot follow a byte that joins the
    /// value's first class (a shaped value, `shape::find`).
    AfterNonJoining(crate::detectors::shape::Class),
}

impl HitStart {
    /// Whether a hit right after byte `before` cannot be where one of the detector's matches
    /// starts. Such a hit opens no window: a match nearby has a hit of its own at its start.
    /// (`ion_` inside `version_`, `ck_` inside `check_` and `pat` inside `compat` were a third
    /// of an initial commit's hits.)
    fn excludes(self, before: u8) -> bool {
        match self {
            HitStart::Anywhere => false,
            HitStart::AfterNonWord => crate::detectors::secret_run::is_word_byte(before),
            HitStart::AfterNonJoining(class) => class.joins(before),
        }
    }

    fn of(d: &Detector) -> HitStart {
        match &d.pattern {
            Pattern::Regex(_) if d.secret_run.is_some_and(|r| r.starts_word) => {
                HitStart::AfterNonWord
            }
            Pattern::Shape(shape) if !shape.prefix().is_empty() && !needs_context(d) => {
                HitStart::AfterNonJoining(shape.parts[0].class)
            }
            _ => HitStart::Anywhere,
        }
    }
}

/// Per detector, the detector verified in its place: the first detector with the same built-in
/// matcher, or itself.
fn leads(catalogue: &Catalogue) -> Vec<u32> {
    let ds = &catalogue.detectors;
    (0..ds.len())
        .map(|i| {
            let kind = ds[i].matcher().map(|m| m.kind);
            let first = kind.and_then(|k| {
                ds.iter()
                    .position(|d| d.matcher().is_some_and(|m| m.kind == k))
            });
            first.unwrap_or(i) as u32
        })
        .collect()
}

/// The line (or lines) holding `range`, clamped to `CONTEXT` bytes either side (a minified
/// line with many matches must not be read whole for each).
fn line_around(hay: &[u8], range: Range<usize>) -> Range<usize> {
    let floor = range.start.saturating_sub(CONTEXT);
    let ceiling = hay.len().min(range.end + CONTEXT);
    let start = memchr::memrchr(b'\n', &hay[floor..range.start]).map_or(floor, |i| floor + i + 1);
    let end = memchr::memchr(b'\n', &hay[range.end..ceiling]).map_or(ceiling, |i| range.end + i);
    start..end
}

/// `line` with the secret's bytes blanked, so that a provider's word inside a random value is
/// not read as the line naming it.
fn strip(line: &[u8], secret: &[u8]) -> Vec<u8> {
    let mut out = line.to_vec();
    if let Some(i) = memchr::memmem::find(line, secret) {
        out[i..i + secret.len()].fill(b' ');
    }
    out
}

/// Compiles a detector's regex. Unicode is off: credentials are ASCII, blobs may not be UTF-8,
/// and ASCII classes keep the automata small.
pub fn compile(d: &Detector) -> std::result::Result<Regex, String> {
    let Some(pattern) = d.regex() else {
        return Err("has no regex (it is a shaped detector)".into());
    };
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            format!(
                "invalid regex: {}",
                last.trim().trim_start_matches("error: ")
            )
        })
}

/// A fresh window around a keyword hit at `start..end`.
fn window(hay: &[u8], start: usize, end: usize, multiline: bool) -> Range<usize> {
    let floor = start.saturating_sub(CONTEXT);
    let from = memchr::memrchr(b'\n', &hay[floor..start]).map_or(floor, |i| floor + i + 1);
    from..window_end(hay, end, end, multiline)
}

/// Where a window for a hit ending at `hit_end` stops, searching for the line end from `from`.
fn window_end(hay: &[u8], from: usize, hit_end: usize, multiline: bool) -> usize {
    if multiline {
        return hay.len().min(hit_end + MULTILINE_SPAN);
    }
    let limit = hay.len().min(hit_end + CONTEXT);
    if from >= limit {
        return from.min(hay.len());
    }
    memchr::memchr(b'\n', &hay[from..limit]).map_or(limit, |i| from + i)
}

/// Bytes credentials are written in: base64 and base64url, hex, and the dots between a JWT's
/// parts (a table: the window extension below tests every byte of up to `MAX_EXTENSION`).
static CREDENTIAL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'.' | b'-');
        b += 1;
    }
    table
};

fn is_credential_byte(b: u8) -> bool {
    CREDENTIAL_BYTES[b as usize]
}

/// How far past the context a window of a far-reaching detector may run on (see `verify`): a
/// Kubernetes service-account JWT ends ~1.5 KB past the context at most (claims, then an RS512
/// signature of 683 characters).
pub const MAX_EXTENSION: usize = 4 * 1024;

/// Whether a detector's secrets (its `secret` group, or the whole match) can be longer than
/// `CONTEXT`, so that a window may cut them. (A regex whose secret is not known, such as one
/// that does not parse, is taken to reach far.)
fn reaches_far(d: &Detector) -> bool {
    d.regex().is_some()
        && d.secret_run
            .and_then(|run| run.max_len)
            .is_none_or(|longest| longest as usize > CONTEXT)
}

/// The end of the run of credential bytes that a window ending at `end` cuts, if the run ends
/// within `MAX_EXTENSION`; otherwise `end`.
fn extend_forward(hay: &[u8], end: usize) -> usize {
    if end == 0 || end >= hay.len() || !is_credential_byte(hay[end - 1]) {
        return end;
    }
    let limit = hay.len().min(end + MAX_EXTENSION);
    match hay[end..limit].iter().position(|&b| !is_credential_byte(b)) {
        Some(i) => end + i,
        None if limit == hay.len() => limit,
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::validate::base62_crc32_token;

    /// (detector id, secret range) of every match in `text`.
    fn findings(scanner: &Scanner<'_>, text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        scanner.scan(text.as_bytes(), &mut out).unwrap();
        out.iter()
            .map(|m| (self::tests::id(scanner, m.detector), m.secret.clone()))
            .collect()
    }

    /// (detector id, attributed provider) of every match in `text`.
    fn with_providers(scanner: &Scanner<'_>, text: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        scanner.scan(text.as_bytes(), &mut out).unwrap();
        out.iter()
            .map(|m| {
                (
                    id(scanner, m.detector),
                    m.provider.as_ref().map(|p| p.to_string()),
                )
            })
            .collect()
    }

    fn id(scanner: &Scanner<'_>, i: usize) -> String {
        scanner.catalogue().detectors[i].id.to_string()
    }

    /// The ids of the detectors whose regex the scanner has compiled.
    fn compiled(scanner: &Scanner<'_>) -> Vec<String> {
        (0..scanner.catalogue().detectors.len())
            .filter(|&i| matches!(scanner.verifiers[i].get(), Some(Ok(Verifier::Regex(_)))))
            .map(|i| id(scanner, i))
            .collect()
    }

    /// Code that names credentials without holding one hits keywords of many regex detectors;
    /// none of their regexes is compiled, because no window holds a run their secret could be.
    /// A line that holds one compiles the detector that finds it.
    #[test]
    fn a_keyword_hit_without_a_secret_shaped_run_compiles_no_regex() {
        let catalogue = Catalogue::builtin().unwrap();
        let scanner = Scanner::new(&catalogue).unwrap();
        let code = "aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']\n\
            const token = await getToken(); // token: from the vault\n\
            headers[\"Authorization\"] = f\"Bearer {self.token}\"\n\
            SECRET_KEY = env('DJANGO_SECRET_KEY')\n\
            String apiKey = System.getenv(\"API_KEY\"); // secret_ notion\n\
            if not self.access_token: self.access_token = self._refresh_token()\n\
            DATABASES[\"payments\"][\"PASSWORD\"] = env(\"PAYMENTS_DB_PASSWORD\")\n\
            password = getpass.getpass(prompt=\"db password: \")\n\
            credentials = service_account.Credentials.from_service_account_file(self.key_path)\n";
        assert_eq!(findings(&scanner, code), vec![]);
        assert_eq!(compiled(&scanner), Vec::<String>::new());

        let key = super::test_values::random(7, super::test_values::B62, 40);
        let line = format!("aws_secret_access_key = \"{key}\"\n");
        assert_eq!(
            findings(&scanner, &line),
            vec![("aws-secret-access-key".to_string(), 25..65)]
        );
        // And those whose secret's run it holds (Yandex's `YC…` keys share the name and the
        // length), no other.
        let compiled = compiled(&scanner);
        assert!(
            compiled.contains(&"aws-secret-access-key".to_string()),
            "{compiled:?}"
        );
        for id in &compiled {
            let d = catalogue.detectors.iter().find(|d| d.id == *id).unwrap();
            assert!(d.secret_run.unwrap().occurs_in(line.as_bytes()), "{id}");
        }
    }

    /// A token prefix inside a word (`ion_` in `version_`, `ck_` in `check_`) opens no window
    /// for detectors whose matches start a word; at a word's start it does, and the token there
    /// is found. Detectors whose matches may start elsewhere still get the window.
    #[test]
    fn keyword_hits_inside_words_open_no_window_where_matches_start_words() {
        let catalogue = Catalogue::builtin().unwrap();
        let scanner = Scanner::new(&catalogue).unwrap();
        let index = |id: &str| catalogue.detectors.iter().position(|d| d.id == id).unwrap() as u32;
        let (ionic, woo) = (
            index("ionic-personal-access-token"),
            index("woocommerce-consumer-key"),
        );
        let opened = |hay: &str| -> Vec<u32> {
            scanner
                .windows(hay.as_bytes())
                .windows
                .into_iter()
                .map(|(d, _)| d)
                .collect()
        };
        let ion = super::test_values::random(3, super::test_values::B62, 42);
        let hex = super::test_values::random(4, b"0123456789abcdef", 40);
        let inside = format!("let version_{ion} = check_{hex};\n");
        let windows = opened(&inside);
        assert!(
            !windows.contains(&ionic) && !windows.contains(&woo),
            "{windows:?}"
        );
        assert_eq!(findings(&scanner, &inside), vec![]);

        let starting = format!("let v = ion_{ion}; let k = (ck_{hex});\n");
        let windows = opened(&starting);
        assert!(
            windows.contains(&ionic) && windows.contains(&woo),
            "{windows:?}"
        );
        let found: Vec<String> = findings(&scanner, &starting)
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(
            found,
            ["ionic-personal-access-token", "woocommerce-consumer-key"]
        );

        // The generic binding matcher reads every `key` hit, inside words or not.
        let generic = scanner.lead[index("generic-secret-assignment") as usize];
        assert!(opened("let monkey = 1;\n").contains(&generic));
    }

    /// In prose a bare `key` after a provider's name is that provider's credential (`SendGrid
    /// key: …`, its rotation steps printed); after any other word (`Routing key`, `Device
    /// key`) it names something else.
    #[test]
    fn prose_key_after_a_providers_name_is_that_providers_credential() {
        let catalogue = Catalogue::builtin().unwrap();
        let scanner = Scanner::new(&catalogue).unwrap();
        let key = super::test_values::random(11, super::test_values::B62, 32);
        let found = |text: &str| with_providers(&scanner, text);
        for line in [
            format!("SendGrid key: {key}\n"),
            format!("sendgrid key {key}\n"),
        ] {
            assert_eq!(
                found(&line),
                vec![(
                    "generic-secret-assignment-unquoted".to_string(),
                    Some("sendgrid".to_string())
                )],
                "{line}"
            );
        }
        for line in [
            format!("Routing key: {key}\n"),
            format!("Device key {key}\n"),
            format!("the key: {key}\n"),
        ] {
            assert_eq!(found(&line), vec![], "{line}");
        }
    }

    /// A generic finding whose name and line name no provider is the provider's that the key
    /// or section enclosing it is (`sendgrid:` above `  api_key: …`, `[sendgrid]`); a key that
    /// only holds a provider's word (`azure_rm_mysqlserver:`) names a module, not an issuer.
    #[test]
    fn a_section_naming_a_provider_attributes_the_generic_findings_in_it() {
        let catalogue = Catalogue::builtin().unwrap();
        let scanner = Scanner::new(&catalogue).unwrap();
        let key = super::test_values::random(12, super::test_values::B62, 32);
        let provider = |text: &str| -> Vec<Option<String>> {
            with_providers(&scanner, text)
                .into_iter()
                .map(|(_, p)| p)
                .collect()
        };
        let sendgrid = vec![Some("sendgrid".to_string())];
        assert_eq!(
            provider(&format!("mail:\n  sendgrid:\n    api_key: {key}\n")),
            sendgrid
        );
        assert_eq!(
            provider(&format!("[sendgrid]\nregion = eu\napi_key = {key}\n")),
            sendgrid
        );
        assert_eq!(
            provider(&format!("\"sendgrid\": {{\n  \"api_key\": \"{key}\"\n}}\n")),
            sendgrid
        );
        // The name wins over the section; a section that names no provider adds nothing.
        assert_eq!(
            provider(&format!("sendgrid:\n  stripe_api_key: {key}\n")),
            vec![Some("stripe".to_string())]
        );
        assert_eq!(provider(&format!("app:\n  api_key: {key}\n")), vec![None]);
        assert_eq!(
            provider(&format!("sendgrid_mailer_module:\n  api_key: {key}\n")),
            vec![None]
        );
        assert_eq!(
            provider(&format!("[services.sendgrid]\napi_key = {key}\n")),
            sendgrid
        );
        // Ansible's variables hold hosts' passwords, not Ansible Galaxy's tokens.
        assert_eq!(
            provider(&format!("ansible_become_pass: {key}\n")),
            vec![None]
        );
    }

    /// Only detectors whose secrets can be longer than the context pay for window extension.
    #[test]
    fn few_detectors_reach_past_the_context() {
        let catalogue = Catalogue::builtin().unwrap();
        let far: Vec<&str> = catalogue
            .detectors
            .iter()
            .filter(|d| reaches_far(d))
            .map(|d| &*d.id)
            .collect();
        assert!(far.contains(&"kubernetes-service-account-token"), "{far:?}");
        assert!(!far.contains(&"aws-secret-access-key"), "{far:?}");
        assert!(!far.contains(&"generic-secret-assignment"), "{far:?}");
        // JWT-shaped tokens and key blocks (PEM, OpenVPN, JWK objects over several lines): a
        // small share of the catalogue.
        assert!(
            far.len() * 16 < catalogue.detectors.len(),
            "{} of {} detectors: {far:?}",
            far.len(),
            catalogue.detectors.len()
        );
    }

    /// A credential longer than the context around its keyword (a Kubernetes service-account
    /// JWT with 1.5 KB of claims after the issuer) is reported whole, wherever the line puts it.
    #[test]
    fn a_credential_longer_than_the_window_is_reported_whole() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut random = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
                        [(x % 64) as usize] as char
                })
                .collect()
        };
        let claims = format!(
            r#"{{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/secret.name":"{}"}}"#,
            random(1100)
        );
        let token = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256","kid":"k1"}"#),
            b64(&claims),
            random(342)
        );
        let catalogue = Catalogue::builtin().unwrap();
        let scanner = Scanner::new(&catalogue).unwrap();
        for prefix in ["token: ", &format!("{} token: ", "# padding".repeat(200))] {
            let text = format!("{prefix}{token}");
            let mut out = Vec::new();
            scanner.scan(text.as_bytes(), &mut out).unwrap();
            let k8s: Vec<_> = out
                .iter()
                .filter(|m| id(&scanner, m.detector) == "kubernetes-service-account-token")
                .collect();
            assert_eq!(
                k8s.len(),
                1,
                "{:?}",
                findings(&scanner, &format!("{prefix}{token}"))
            );
            assert_eq!(&text.as_bytes()[k8s[0].secret.clone()], token.as_bytes());
        }
    }

    /// A catalogue a repository changed has a lexicon computed at run time; it watches the
    /// generic matchers' words as the built-ins' does, those no detector lists included
    /// (`password`, `htpasswd`, `requirepass`, `keytool`, `password-stdin`), so it finds what
    /// the built-ins find.
    #[test]
    fn a_changed_catalogue_watches_the_generic_matchers_words_too() {
        let builtin = Catalogue::builtin().unwrap();
        let mut changed = Catalogue::builtin().unwrap();
        changed.detectors[0].keywords.to_mut().push("extra".into());
        assert!(changed.builtin_lexicon().is_none());
        let pw = super::test_values::random(7, super::test_values::B62, 14);
        let text = format!(
            "CREATE USER app WITH PASSWORD '{pw}a1';\n\
             htpasswd -b -c /etc/nginx/.htpasswd admin {pw}b2\n\
             requirepass {pw}c3\n\
             keytool -storepasswd -keystore app.jks -new {pw}d4\n\
             echo '{pw}e5' | docker login --username ci --password-stdin registry.local\n"
        );
        for workload in [Workload::Filtered, Workload::Small, Workload::Large] {
            let want = findings(&Scanner::with_workload(&builtin, workload).unwrap(), &text);
            assert_eq!(want.len(), 5, "{want:?}");
            let got = findings(&Scanner::with_workload(&changed, workload).unwrap(), &text);
            assert_eq!(got, want, "{workload:?}");
        }
    }

    /// The small-workload automaton (case-sensitive over a lowercased copy) and the large one
    /// (a DFA over the keywords' byte codes) must find exactly the same things.
    #[test]
    fn small_and_large_prefilters_agree() {
        let catalogue = Catalogue::builtin().unwrap();
        let text = format!(
            "AWS_KEY = AKIA{}\nToken: {}\nnothing here\nAkIa{}",
            "HAV3OOEFJ2NO4QBH",
            base62_crc32_token("ghp_", "q7VnR2kLx9TzW4mPb8HsYc3Jd6FgNt"),
            "HAV3OOEFJ2NO4QBQ"
        );
        let small = Scanner::new(&catalogue).unwrap();
        let expected = findings(&small, &text);
        assert!(
            small.large.get().is_none(),
            "a small workload never builds the DFA"
        );
        assert_eq!(expected.len(), 2, "{expected:?}");

        let large = Scanner::new(&catalogue).unwrap();
        let filler = "x".repeat(LARGE_WORKLOAD as usize + 1);
        assert!(findings(&large, &filler).is_empty());
        assert_eq!(findings(&large, &text), expected);
        assert!(
            large.large.get().is_some(),
            "past the threshold the DFA is used"
        );
    }
}
