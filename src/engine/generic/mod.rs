//! Generic detection: credentials recognised by their *name*, not their format.
//!
//! One capability in small parts, each with one job:
//! - `name`: is this identifier a credential's name (`client_secret`, `zonkaSECRET`,
//!   `x-api-key`, but not `client_id`, `token_type`, `monkey`), and which rule judges its value;
//! - `binding`: where such a name is bound to a literal, in every common syntax (assignments,
//!   keys, declarations, arguments, comparisons, XML, flags, text headers, connection strings,
//!   fallbacks and placeholder defaults, name/value fields, JWT/HMAC keys in calls);
//! - `word_lists` and `words`: the words the finders start from, and where the prefilter found
//!   them in a window;
//! - `command`: passwords on command lines whose flags name no credential (`curl -u`, `mysql -p`,
//!   `redis-cli -a`, kubectl's `--from-literal=<key>=…`, OpenSSL's `-passin pass:…`, keytool's
//!   `-new …`, `echo … | docker login --password-stdin`, `echo … | sudo -S`, `mongosh … -p …`),
//!   commands whose positional argument is a secret (`vault operator unseal`, `vault login`,
//!   `ConvertTo-SecureString … -AsPlainText`, `htpasswd -b`, `rabbitmqctl add_user`) and
//!   redis.conf's `requirepass` / `masterauth` lines;
//! - `sql`: passwords that SQL statements set (`CREATE USER … PASSWORD '…'`, `IDENTIFIED BY
//!   '…'` or Oracle's unquoted `IDENTIFIED BY …`, `SET PASSWORD … = '…'`, `CREATE LOGIN … WITH
//!   PASSWORD = '…'`);
//! - `url`: `scheme://user:password@host` for any scheme;
//! - `value`: the one classifier every value goes through (its module doc lists the value
//!   classes: placeholders, references, paths, versions, hashes, public values … and the random,
//!   password, Basic and webhook rules that accept);
//! - `attribution`: which catalogue provider the name, URL or line names;
//! - `context`: test and example paths, for the stage after the engine.
//!
//! A detector in `detectors.toml` uses it with `matcher = { kind = "credential-binding", forms
//! = [...] }` instead of a regex. All detectors of one matcher kind share one pass over a
//! window: the engine runs the matcher once for the first of them and hands each form's
//! findings to the detector that claims the form, so the ids users' pragmas and ignore files
//! name (`generic-secret-assignment`, `generic-password-in-url` …) keep their meaning.
//!
//! Everything here is hand-written over the window's bytes: a keyword hit on a line that binds
//! nothing costs a few comparisons, never a regex compilation. The matcher sees bytes only, no
//! paths; a later stage decides what a path means (`context`).

pub mod attribution;
mod binding;
mod command;
pub mod context;
pub mod name;
mod sql;
mod url;
pub mod value;
mod word_lists;
mod words;

use std::ops::Range;

pub use crate::detectors::schema::{Form, MatcherKind};
pub use word_lists::watched as watched_words;
pub use words::{Occurrence, Role, occurrences as words_in, roles as word_roles};

/// What `leakguard explain` says of the generic detectors: how names, values, providers and
/// context are judged (the module docs of `name` and `value` are the long form).
pub const EXPLAIN: &[(&str, &str)] = &[
    (
        "names:",
        "a credential word (secret, token, key, password, passwd, pwd, pass, passphrase, \
         credential, creds, auth, authorization, webhook, pat) in any case style and glued to \
         anything (client_secret, clientSecret, CLIENT-SECRET, jwtsecret, stripeApiKey); not \
         public or identifier names (client_id, public_key, publishable_key, key_id, \
         token_type, max_tokens, cache_key, password_field, next_page_token); in prose a \
         credential word after a qualifier (API key: …) or a bare key after a catalogue \
         provider's name (SendGrid key: …)",
    ),
    (
        "values:",
        "rejected: placeholders and templates, variables and lookups, calls and code, paths, \
         URLs without credentials, versions, booleans and numbers, time-based UUIDs, hashes, public values, \
         names and words, stand-in passwords (password, changeme, P@ssw0rd, admin123)",
    ),
    (
        "",
        "accepted: random values (10+ characters, 20+ under a bare `key`; entropy over a \
         floor set by length and alphabet), passwords under password names (6+ characters, \
         two character classes; or an app password: 16 random lowercase letters, also in \
         four groups of four), Basic credentials, webhook URLs with a random token",
    ),
    (
        "provider:",
        "the catalogue provider the name, URL or line names (SENDGRID_KEY, postgres://), \
         else the YAML or JSON key or the [section] enclosing it when that is a \
         provider's name (sendgrid: above api_key: …); its rotation steps are printed. A \
         provider's own detector wins where both match, and a value in a checksummed \
         provider format whose checksum fails is not reported",
    ),
    (
        "context:",
        "in tests, fixtures, examples and docs, or under a sample/example name, it warns \
         instead of blocking",
    ),
];

/// A generic match: the form it was found in, the credential's bytes, and what attribution
/// should read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub form: Form,
    pub secret: Range<usize>,
    /// Where the provider is most likely named: the name (`SENDGRID_KEY`), or the URL's scheme
    /// and host. Empty when only the line can tell.
    pub hints: [Range<usize>; 2],
    /// The name says test, sample or example, or a URL's host is a documentation or local one.
    pub example: bool,
    /// A credential only if the first hint names a catalogue provider (`TaxJar key: …`).
    pub needs_provider: bool,
}

/// Every generic match of `kind` in `window` of `hay`. `hay` is the run the window lies in:
/// an XML element's value may be read a few lines past the window.
///
/// `words` is every occurrence in `hay` of the binding, SQL and command words, in order of
/// their ends: the keyword prefilter's hits of the lexicon's keywords whose `word_roles` say
/// they are one.
pub fn find(
    kind: MatcherKind,
    hay: &[u8],
    window: Range<usize>,
    words: &[Occurrence],
    out: &mut Vec<Found>,
) {
    match kind {
        MatcherKind::CredentialBinding => {
            let words = words::InWindow::new(words, window.clone());
            let mut bindings = Vec::new();
            binding::find(hay, window.clone(), words.binding(), &mut bindings);
            // One credential read by two rules (`Authorization: "Bearer …"` by the header's and
            // by the bare Bearer string's) is one finding: the first rule's.
            for b in bindings {
                push_new(
                    out,
                    Found {
                        form: b.form,
                        secret: b.secret,
                        hints: [b.name, 0..0],
                        example: b.example,
                        needs_provider: b.needs_provider,
                    },
                );
            }
            let mut commands = Vec::new();
            command::find(hay, window.clone(), words.command(), &mut commands);
            out.extend(commands.into_iter().map(|c| Found {
                form: c.form,
                secret: c.secret,
                hints: [0..0, 0..0],
                example: false,
                needs_provider: false,
            }));
            // A SQL password is a literal bound to `PASSWORD` or `IDENTIFIED BY` (or Oracle's
            // bare identifier after `IDENTIFIED BY`); the binding finder already reads
            // `PASSWORD = '…'` and `PASSWORD('…')`, so a literal found there is not reported
            // twice.
            let mut sql = Vec::new();
            sql::find(hay, words.sql(), &mut sql);
            for s in sql {
                push_new(
                    out,
                    Found {
                        form: if s.quoted {
                            Form::Quoted
                        } else {
                            Form::Unquoted
                        },
                        secret: s.secret,
                        hints: [0..0, 0..0],
                        example: false,
                        needs_provider: false,
                    },
                );
            }
        }
        MatcherKind::CredentialUrl => {
            let mut urls = Vec::new();
            url::find(hay, window, &mut urls);
            out.extend(urls.into_iter().map(|u| Found {
                form: Form::Url,
                secret: u.secret,
                hints: [u.scheme, u.host],
                example: u.example,
                needs_provider: false,
            }));
        }
    }
}

/// Adds `found` unless a match already holds the same credential bytes. A match that is a
/// credential only if a provider is named (which the engine may still drop) gives way to one
/// that is a credential anyway.
fn push_new(out: &mut Vec<Found>, found: Found) {
    match out.iter_mut().find(|f| f.secret == found.secret) {
        None => out.push(found),
        Some(f) if f.needs_provider && !found.needs_provider => *f = found,
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests;
