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
use std::ops::Range;

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
    // First words of providers' keys that are everyday section names (`[general]`,
    // `remote:`, `product:`): General Translation, Remote, Product Hunt.
    "general",
    "remote",
    "product",
    // Ansible's own variables name hosts' and privilege-escalation passwords
    // (`ansible_password`, `ansible_become_pass`), not Ansible Galaxy's API tokens.
    "ansible",
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

    /// The provider whose word `key` is, whole (`sendgrid`, `Stripe`, `services.twilio`: the
    /// last dotted part): an enclosing key or section names a provider only by being its name.
    /// Keys that merely hold one (`azure_rm_mysqlflexibleserver`, `cisco.dnac.inventory`)
    /// name a module or a resource, whose secret is as often another issuer's.
    pub fn provider_named_by(&self, key: &[u8]) -> Option<Text> {
        let last = key.rsplit(|&b| b == b'.').next().unwrap_or(key);
        let lower = last.to_ascii_lowercase();
        self.index.get(&lower).map(|&i| self.pick(i, last))
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

/// How many lines above a finding its enclosing keys are looked for, and how many bytes.
const ENCLOSING_LINES: usize = 40;
const ENCLOSING_BYTES: usize = 4096;

/// The keys that enclose the line starting at `line_start`, innermost first: the YAML or
/// JSON keys of the less-indented lines above it (`stripe:` above `  api_key: …`, `"mailgun":
/// {` above `"key": "…"`), up to a `[section]` header (TOML, INI), which ends the search. For
/// a name that names no provider (`api_key`), the section it is in often does.
pub fn enclosing_keys(hay: &[u8], line_start: usize) -> Vec<Range<usize>> {
    let mut keys = Vec::new();
    let floor = line_start.saturating_sub(ENCLOSING_BYTES);
    let mut indent = indentation(&hay[line_start..]);
    let mut end = line_start;
    for _ in 0..ENCLOSING_LINES {
        if end <= floor || indent == 0 && !keys.is_empty() {
            break;
        }
        // The line before `end` (which starts a line).
        let last = end - 1;
        let start = memchr::memrchr(b'\n', &hay[floor..last]).map_or(floor, |i| floor + i + 1);
        if start == floor && floor > 0 {
            break;
        }
        let line = &hay[start..last];
        end = start;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let ind = indentation(line);
        let text = &line[ind..];
        if text.is_empty() || text[0] == b'#' || text.starts_with(b"//") {
            continue;
        }
        // A bracket line deeper than the finding's is a flow sequence or an array's row
        // (`    [a, b]`), no header.
        // A TOML or INI section header encloses everything after it at any indentation. It
        // ends in `]` (a comment aside); a Markdown link `[Stripe docs](…)` does not.
        let header = text[0] == b'['
            && text
                .split(|&b| b == b'#' || b == b';')
                .next()
                .is_some_and(|h| h.trim_ascii_end().ends_with(b"]"));
        if header && ind <= indent {
            let inner = text.trim_ascii_end();
            let name = inner.iter().position(|&b| b != b'[').unwrap_or(0);
            let close = inner.iter().position(|&b| b == b']');
            if let Some(close) = close.filter(|&c| c > name) {
                keys.push(start + ind + name..start + ind + close);
            }
            break;
        }
        if ind >= indent {
            continue;
        }
        indent = ind;
        if let Some(key) = opening_key(text) {
            keys.push(start + ind + key.start..start + ind + key.end);
        }
    }
    keys
}

/// Leading spaces and tabs.
fn indentation(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// The key of a line that opens a block: YAML `key:` (or `- key:`) with nothing after the
/// colon but a comment or a block indicator, JSON `"key": {` or `"key": [`.
fn opening_key(text: &[u8]) -> Option<Range<usize>> {
    let dash = if text.starts_with(b"- ") { 2 } else { 0 };
    let body = &text[dash..];
    let quoted = body.first().is_some_and(|&b| b == b'"' || b == b'\'');
    let (key, rest) = if quoted {
        let close = body[1..].iter().position(|&b| b == body[0])? + 1;
        (1..close, &body[close + 1..])
    } else {
        let colon = body.iter().position(|&b| b == b':')?;
        (0..colon, &body[colon..])
    };
    let rest = rest.trim_ascii_start().strip_prefix(b":")?.trim_ascii();
    let opens = rest.is_empty()
        || rest.starts_with(b"#")
        || rest.starts_with(b"{")
        || rest.starts_with(b"[")
        || rest.starts_with(b"&");
    let name = &body[key.clone()];
    (opens && !name.is_empty() && name.iter().all(|&b| b.is_ascii_graphic()))
        .then(|| dash + key.start..dash + key.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The enclosing keys of the last line of `text`, innermost first.
    fn keys(text: &str) -> Vec<&str> {
        let start = text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
        enclosing_keys(text.as_bytes(), start)
            .into_iter()
            .map(|k| &text[k])
            .collect()
    }

    #[test]
    fn enclosing_keys_of_yaml_json_toml_and_ini() {
        let rows: &[(&str, &[&str])] = &[
            (
                "mail:\n  sendgrid:\n    api_key: x\n",
                &["sendgrid", "mail"],
            ),
            // Siblings and comments between are skipped; a deeper line is no parent.
            (
                "stripe:\n  # live\n  mode: live\n  nested:\n    a: 1\n  secret: x\n",
                &["stripe"],
            ),
            ("- name: app\n  services:\n    token: x\n", &["services"]),
            ("\"mailgun\": {\n  \"key\": \"x\"\n", &["mailgun"]),
            ("\"keys\": [\n  \"x\"\n", &["keys"]),
            ("anchors: &base\n  token: x\n", &["anchors"]),
            ("[twilio]\nregion = us\nauth_token = x\n", &["twilio"]),
            (
                "[[services.pusher]]\n  secret = \"x\"\n",
                &["services.pusher"],
            ),
            // A Markdown link is no section header.
            ("[Stripe docs](https://example.com)\nsecret: x\n", &[]),
            ("[twilio] # live\nauth_token = x\n", &["twilio"]),
            // A top-level key ends the search.
            ("[database]\nmode:\n  password: x\n", &["mode"]),
            // A bracket line deeper than the finding is a flow sequence or an array, no header.
            (
                "sendgrid:\n  hosts:\n    [a, b]\n  api_key: x\n",
                &["sendgrid"],
            ),
            (
                "\"mailgun\": {\n  \"ips\": [\n    [1, 2]\n  ],\n  \"key\": \"x\"\n",
                &["mailgun"],
            ),
            // A key with a value opens nothing; a top-level line has no parent but a section.
            ("stripe: enabled\n  secret: x\n", &[]),
            ("app: 1\ntoken: x\n", &[]),
            ("token: x\n", &[]),
            ("\n\n  token: x\n", &[]),
        ];
        for (text, expected) in rows {
            assert_eq!(keys(text), *expected, "{text:?}");
        }
    }

    /// Bounded: a long run of lines above is read only up to the limits, never out of range.
    #[test]
    fn enclosing_keys_stay_within_their_reach() {
        let mut text = String::from("sendgrid:\n");
        for i in 0..ENCLOSING_LINES + 5 {
            text.push_str(&format!("  k{i}: v\n"));
        }
        text.push_str("  api_key: x\n");
        assert_eq!(keys(&text), Vec::<&str>::new());
        let long = format!(
            "sendgrid:\n  a: {}\n  api_key: x\n",
            "v".repeat(ENCLOSING_BYTES)
        );
        assert_eq!(keys(&long), Vec::<&str>::new());
        for cut in 0..12 {
            let _ = enclosing_keys(b"a:\n b:\n  c: x\n", cut);
        }
    }
}
