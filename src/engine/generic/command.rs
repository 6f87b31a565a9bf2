//! Passwords on command lines whose flags carry no credential word: `curl -u user:password`
//! (`--user`), the MySQL client family's `-p<password>` (glued, as those tools require), and
//! `-p <password>` after `sshpass` or a registry `login`. Flags named for a credential
//! (`--password …`, `--token=…`) are the binding finder's.

use std::ops::Range;

use super::value;

/// A password on a command line, with the form that reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandPassword {
    pub curl: bool,
    pub secret: Range<usize>,
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Lines a command continued with `\` may run over.
const MAX_CONTINUATION: usize = 20;

/// Every command-line password in `window` (a window runs to line ends, so each line of it is
/// read once). A command continued with `\` is read on to its last line, in `hay` past the
/// window if need be (`curl … \` then `--user …` on the next line).
pub fn find(hay: &[u8], window: Range<usize>, out: &mut Vec<CommandPassword>) {
    let mut start = window.start;
    while start < window.end {
        let end = memchr::memchr(b'\n', &hay[start..window.end]).map_or(window.end, |i| start + i);
        let line = &hay[start..end];
        let has = |w: &[u8]| memchr::memmem::find(line, w).is_some();
        let curl = has(b"curl");
        let mysql = has(b"mysql") || has(b"mariadb");
        let dash = mysql || has(b"sshpass") || has(b"login");
        // The command's lines: this one and those it continues onto.
        let mut s = start;
        let mut e = end;
        for _ in 0..=MAX_CONTINUATION {
            let l = &hay[s..e];
            if curl {
                curl_user(l, s, out);
            }
            if dash {
                dash_p(l, s, mysql, out);
            }
            let continued = trim_end(l).ends_with(b"\\");
            if !continued || e >= hay.len() || !(curl || dash) {
                break;
            }
            s = e + 1;
            e = memchr::memchr(b'\n', &hay[s..]).map_or(hay.len(), |i| s + i);
        }
        // Lines already read as a continuation are not read again.
        start = if e > end {
            e.min(window.end) + 1
        } else {
            end + 1
        };
    }
}

fn trim_end(l: &[u8]) -> &[u8] {
    let end = l
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &l[..end]
}

/// The word starting at `p`: a quoted string's contents, or bytes up to whitespace.
fn word(line: &[u8], p: usize) -> Option<Range<usize>> {
    let first = *line.get(p)?;
    if first == b'"' || first == b'\'' {
        let close = memchr::memchr(first, &line[p + 1..])?;
        return Some(p + 1..p + 1 + close);
    }
    let end = line[p..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b';' | b'|' | b'&' | b')'))
        .map_or(line.len(), |i| p + i);
    (end > p).then_some(p..end)
}

/// `curl … -u user:password` / `--user user:password` / `-uuser:password`.
fn curl_user(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'-', &line[i..]) {
        let p = i + off;
        i = p + 1;
        if p > 0 && !is_space(line[p - 1]) {
            continue;
        }
        let rest = &line[p..];
        let after = if rest.starts_with(b"--user")
            && !rest[6..]
                .first()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            p + 6
        } else if rest.starts_with(b"-u") {
            p + 2
        } else {
            continue;
        };
        let mut v = after;
        if line.get(v) == Some(&b'=') {
            v += 1;
        }
        while v < line.len() && is_space(line[v]) {
            v += 1;
        }
        let Some(w) = word(line, v) else { continue };
        let creds = &line[w.clone()];
        let Some(colon) = memchr::memchr(b':', creds) else {
            continue;
        };
        let (user, pass) = (&creds[..colon], &creds[colon + 1..]);
        if user.is_empty() || pass.is_empty() || pass.eq_ignore_ascii_case(user) {
            continue;
        }
        if value::password(pass, false).is_ok() {
            let s = base + w.start + colon + 1;
            out.push(CommandPassword {
                curl: true,
                secret: s..s + pass.len(),
            });
        }
    }
}

/// `-p<password>` for the MySQL family (a space there makes the client prompt), and
/// `-p <password>` for `sshpass` and registry logins.
fn dash_p(line: &[u8], base: usize, mysql: bool, out: &mut Vec<CommandPassword>) {
    let mut i = 0;
    while let Some(off) = memchr::memmem::find(&line[i..], b"-p") {
        let p = i + off;
        i = p + 2;
        if p > 0 && !is_space(line[p - 1]) {
            continue;
        }
        let v = p + 2;
        let glued = line.get(v).is_some_and(|&b| !b.is_ascii_whitespace());
        let w = if glued && mysql {
            word(line, v)
        } else if !glued && !mysql {
            let mut s = v;
            while s < line.len() && is_space(line[s]) {
                s += 1;
            }
            word(line, s)
        } else {
            None
        };
        let Some(w) = w else { continue };
        if line[w.clone()].first() == Some(&b'-') {
            continue;
        }
        if value::password(&line[w.clone()], false).is_ok() {
            out.push(CommandPassword {
                curl: false,
                secret: base + w.start..base + w.end,
            });
        }
    }
}
