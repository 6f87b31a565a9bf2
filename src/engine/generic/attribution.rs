//! Attribution: which catalogue provider a generic finding names (`SENDGRID_KEY`, `heroku_token`,
//! `stripeApiKey`, `postgres://…`), so the report prints that provider's rotation steps.
//!
//! One table holds every provider's words: the first segment of its
//! key (`github` of `github-pat`), and the keywords of its detectors that are plain words
//! (`heroku`, `jira`, `mysql`), not token prefixes (`ghp_`) or credential words (`token`). A
//! word counts where it starts a word of the text (start, after a non-letter, or at a
//! lower→upper case change) and ends one (end, a non-letter, an upper-case letter after a
//! lowercase one, or a credential word glued on: `herokutoken`). The name is asked first, then
//! the URL's scheme and host, then the line. The table is built on the first generic match,
//! not at start-up: a commit without one never pays for it.
//!
//! The texts asked are short (a name, a host, one line), so each word start of the text is
//! looked up in a hash table, longest candidate first, rather than searched with an automaton
//! of the ~1 500 words: building that automaton was 43% of the instructions of a commit with
//! three findings, and looking the starts up costs microseconds.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::detectors::{Catalogue, Text};

pub struct Attributor {
    /// Each provider word (lower case) → its pattern number. (A fixed-seed hash: the keys are
    /// the catalogue's words, not attacker-chosen text.)
    index: HashMap<Vec<u8>, usize, FixedState>,
    /// The longest word's length.
    longest: usize,
    /// Per pattern: the provider key it names.
    providers: Vec<Text>,
    /// Per pattern: the provider keys that share its word, for the name's other words to pick
    /// from (`stripe` + `test` → `stripe-test`).
    alternatives: Vec<Vec<Text>>,
}

/// Providers that are formats or families rather than issuers: a name that says `jwt` or
/// `private` does not tell who issued the value.
const NOT_ISSUERS: &[&str] = &[
    "generic",
    "generic-password",
    "jwt",
    "private-key",
    "ssh-key",
    "pgp-key",
];

/// Words that are too common in code to name a provider on their own.
const TOO_COMMON: &[&str] = &[
    "age",
    "frame",
    "fly",
    "base",
    "front",
    "heap",
    "render",
    "stream",
    "segment",
    "linear",
    "notion",
    "square",
    "drone",
    "harness",
    "kraken",
    "atlas",
    "machine",
    "recovery",
    "unseal",
    "devops",
    "bearer",
    "service",
    "account",
    "credentials",
    "authorization",
    "access",
    "secret",
    "token",
    "password",
    "passwd",
    "private",
    "public",
    "api",
    "key",
    "auth",
    "oauth",
    "client",
    "app",
    "user",
    "admin",
    "login",
    "basic",
    "data",
    "cloud",
    "config",
    "test",
    "rust",
    "ionic",
    "oracle",
    "vault",
    "sentry",
    "lob",
    "ibm",
    "mob",
    "sdk",
    "pat",
];

/// Credential words that may be glued after a provider's word (`herokutoken`, `stripekey`).
const GLUED: &[&[u8]] = &[
    b"token", b"key", b"secret", b"pass", b"pwd", b"api", b"auth", b"cred", b"access", b"app",
    b"client", b"bot", b"webhook", b"private", b"url", b"uri",
];

impl Attributor {
    pub fn new(catalogue: &Catalogue) -> Self {
        // Built on a commit's first generic match, so its cost is paid by every commit with
        // one: with 1 224 detectors it was 5.3 M instructions of a 30 M commit with three
        // findings (SipHash, a map of detector lists, a lowercase copy of every keyword).
        // Now one pass, a fast hash, and copies only of the words kept: ~10x less.
        //
        // Providers in the order their first detector appears, so a word shared by several
        // providers (`github`) names the catalogue's first (personal access tokens).
        let mut order: Vec<&Text> = Vec::new();
        let mut keywords_of: Vec<Vec<&str>> = Vec::new();
        let mut position: HashMap<&str, usize, FixedState> = HashMap::default();
        for d in &catalogue.detectors {
            let i = *position.entry(&d.provider).or_insert_with(|| {
                order.push(&d.provider);
                keywords_of.push(Vec::new());
                order.len() - 1
            });
            keywords_of[i].extend(d.keywords.iter().map(|k| &**k));
        }
        let mut words: Vec<(Vec<u8>, &Text)> = Vec::new();
        for (key, keywords) in order.into_iter().zip(&keywords_of) {
            if NOT_ISSUERS.contains(&key.as_ref()) {
                continue;
            }
            let first = key.split('-').next().unwrap_or(key);
            let mut add = |w: &str| {
                let plain = w.len() >= 4 && w.bytes().all(|b| b.is_ascii_alphanumeric());
                let word = plain && w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
                if word {
                    words.push((w.as_bytes().to_ascii_lowercase(), key));
                }
            };
            add(first);
            for k in keywords {
                add(k);
            }
            // Three-letter keys that are unambiguous issuers.
            if matches!(first, "aws" | "npm") {
                words.push((first.as_bytes().to_vec(), key));
            }
        }
        let mut providers = Vec::new();
        let mut alternatives: Vec<Vec<Text>> = Vec::new();
        let mut index: HashMap<Vec<u8>, usize, FixedState> =
            HashMap::with_capacity_and_hasher(words.len(), FixedState::default());
        let mut longest = 0;
        for (w, key) in words {
            match index.get(&w) {
                Some(&i) => {
                    if !alternatives[i].contains(key) {
                        alternatives[i].push(key.clone());
                    }
                }
                None => {
                    longest = longest.max(w.len());
                    index.insert(w, providers.len());
                    providers.push(key.clone());
                    alternatives.push(vec![key.clone()]);
                }
            }
        }
        // Dropped once here rather than looked for in a list for each of the ~1 000 words.
        for common in TOO_COMMON {
            index.remove(common.as_bytes());
        }
        Attributor {
            index,
            longest,
            providers,
            alternatives,
        }
    }

    /// The provider named in `text` (a name, a scheme, a host or a line), if any: at the
    /// leftmost word start that begins a provider's word, the longest such word that also
    /// ends a word of the text.
    pub fn provider(&self, text: &[u8]) -> Option<Text> {
        let lower = text.to_ascii_lowercase();
        for s in 0..text.len() {
            if !text[s].is_ascii_alphanumeric() || !starts_word(text, s) {
                continue;
            }
            let top = (s + self.longest).min(text.len());
            for e in (s + 1..=top).rev() {
                if let Some(&i) = self.index.get(&lower[s..e])
                    && ends_word(text, e)
                {
                    return Some(self.pick(i, text));
                }
            }
        }
        None
    }

    /// Among the providers sharing a word, the one whose key's other words the text has too
    /// (`STRIPE_TEST_KEY` → `stripe-test`, `SLACK_WEBHOOK_URL` → `slack-webhook`).
    fn pick(&self, i: usize, text: &[u8]) -> Text {
        let lower: Vec<u8> = text.iter().map(u8::to_ascii_lowercase).collect();
        self.alternatives[i]
            .iter()
            .skip(1)
            .find(|key| {
                key.split('-')
                    .skip(1)
                    .all(|w| w.len() >= 3 && memchr::memmem::find(&lower, w.as_bytes()).is_some())
            })
            .cloned()
            .unwrap_or_else(|| self.providers[i].clone())
    }
}

fn starts_word(t: &[u8], s: usize) -> bool {
    s == 0
        || !t[s - 1].is_ascii_alphabetic()
        || (t[s - 1].is_ascii_lowercase() && t[s].is_ascii_uppercase())
}

fn ends_word(t: &[u8], e: usize) -> bool {
    if e == t.len() || !t[e].is_ascii_alphabetic() {
        return true;
    }
    if t[e - 1].is_ascii_lowercase() && t[e].is_ascii_uppercase() {
        return true;
    }
    let rest: Vec<u8> = t[e..].iter().take(8).map(u8::to_ascii_lowercase).collect();
    GLUED.iter().any(|g| rest.starts_with(g))
}
