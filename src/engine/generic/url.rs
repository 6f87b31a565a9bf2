//! Credential URLs of any scheme: `scheme://user:password@host` (`postgres://`, `mongodb+srv://`,
//! `redis://:password@`, `amqps://`, `smtp://`, `ftp://`, `https://` …) and a token as the
//! whole user part (`https://<token>@git.host/…`).
//!
//! Found from each `://` in the window: the scheme before it, the authority after it up to the
//! path. A password may hold an unescaped `@`, so the host starts after the *last* `@` of the
//! authority; the password is what follows the first `:` of the user part. It is judged by the
//! password rule, and rejected when it repeats the user name (`postgres:postgres`); a user part
//! without a password counts only if it is itself a random token.

use std::ops::Range;

use super::name::Strength;
use super::value;

/// A credential found in a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlCredential {
    /// The scheme (`postgresql+psycopg2`), for attribution.
    pub scheme: Range<usize>,
    /// The host, for attribution (`git.heroku.com`).
    pub host: Range<usize>,
    pub secret: Range<usize>,
    /// The host is a documentation or local one (`example.com`, `localhost`).
    pub example: bool,
}

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

/// Bytes that end a URL's authority. `#` and `?` are not among them: a password written
/// into a URL unescaped often holds one, and the host after the last `@` is checked anyway.
fn ends_authority(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'/' | b'"'
                | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b'\\'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'|'
                | b'^'
                | b','
                | b';'
                | b')'
                | b'('
        )
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'%')
}

/// Every credential URL in `window`.
pub fn find(hay: &[u8], window: Range<usize>, out: &mut Vec<UrlCredential>) {
    let finder = memchr::memmem::Finder::new(b"://");
    let base = window.start;
    for i in finder.find_iter(&hay[window.clone()]) {
        let sep = base + i;
        if let Some(c) = at(hay, sep, window.start) {
            out.push(c);
        }
    }
}

/// The credential of the URL whose `://` is at `sep`.
fn at(hay: &[u8], sep: usize, floor: usize) -> Option<UrlCredential> {
    let mut s = sep;
    while s > floor && is_scheme_byte(hay[s - 1]) {
        s -= 1;
    }
    while s < sep && !hay[s].is_ascii_alphabetic() {
        s += 1;
    }
    if s == sep {
        return None;
    }
    let scheme = s..sep;
    let start = sep + 3;
    let limit = hay.len().min(start + 512);
    let end = (start..limit)
        .find(|&i| ends_authority(hay[i]))
        .unwrap_or(limit);
    let authority = &hay[start..end];
    let at_sign = memchr::memrchr(b'@', authority)?;
    let (userinfo, host) = (start..start + at_sign, start + at_sign + 1..end);
    let host_bytes = &hay[host.clone()];
    if host_bytes.is_empty()
        || !host_bytes[0].is_ascii_alphanumeric()
        || !host_bytes.iter().all(|&b| is_host_byte(b))
    {
        return None;
    }
    let user_bytes = &hay[userinfo.clone()];
    let example = is_example_host(host_bytes);
    match memchr::memchr(b':', user_bytes) {
        Some(colon) => {
            let user = &user_bytes[..colon];
            let pass = userinfo.start + colon + 1..userinfo.end;
            let pass_bytes = &hay[pass.clone()];
            if pass_bytes.is_empty() || pass_bytes.eq_ignore_ascii_case(user) {
                return None;
            }
            // A URL carries its password percent-encoded (`%2F%40` is `/@`): it is judged as
            // the client will send it.
            value::password(&percent_decoded(pass_bytes), false).ok()?;
            Some(UrlCredential {
                scheme,
                host,
                secret: pass,
                example,
            })
        }
        None => {
            // `https://<token>@host`: a token as the user of a web URL, which the client sends
            // as Basic credentials (git hosts document it). Any other user part without a
            // password is a user name (`ssh://<user>@host`, a job's id), and a hex one is an
            // id or a public key (a Sentry DSN's `https://<hex>@ingest…/1`): no password.
            let web = [&b"http"[..], b"https", b"git+https"]
                .iter()
                .any(|w| hay[scheme.clone()].eq_ignore_ascii_case(w));
            if !web
                || user_bytes
                    .iter()
                    .all(|b| b.is_ascii_hexdigit() || *b == b'-')
            {
                return None;
            }
            value::random(user_bytes, Strength::Strong, false).ok()?;
            if user_bytes.len() < 20 {
                return None;
            }
            Some(UrlCredential {
                scheme,
                host,
                secret: userinfo,
                example,
            })
        }
    }
}

/// `v` with its `%XX` escapes decoded (a malformed escape is kept as written).
fn percent_decoded(v: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%'
            && let (Some(h), Some(l)) = (
                v.get(i + 1).copied().and_then(hex),
                v.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(v[i]);
            i += 1;
        }
    }
    out
}

/// Hosts of documentation and of the local machine: a finding there is most likely an example.
fn is_example_host(host: &[u8]) -> bool {
    let name = match memchr::memrchr(b':', host) {
        Some(colon) if host[colon + 1..].iter().all(u8::is_ascii_digit) => &host[..colon],
        _ => host,
    };
    let lower: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
    let ends = |s: &[u8]| lower == s || lower.ends_with(&[b".", s].concat());
    ends(b"example.com")
        || ends(b"example.org")
        || ends(b"example.net")
        || ends(b"example")
        || ends(b"test")
        || ends(b"invalid")
        || ends(b"localhost")
        || lower == b"127.0.0.1"
        || lower == b"0.0.0.0"
}
