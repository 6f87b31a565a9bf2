//! Passwords on command lines whose flags carry no credential word: `curl -u user:password`
//! (`--user`), the MySQL client family's `-p<password>` (glued, as those tools require), and
//! `-p <password>` after `sshpass`, a registry `login` or Sysinternals' `PsExec`; and commands
//! whose positional argument is a secret (`vault operator unseal <key share>`,
//! `ConvertTo-SecureString "<password>" -AsPlainText`, Windows' `net use \\host\share
//! <password>` and `net user <name> <password>`). Flags named for a credential (`--password …`,
//! `--token=…`) are the binding finder's.

use std::ops::Range;

use super::name::Strength;
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

/// The first position from `p` that is not a space or a tab.
fn skip_spaces(line: &[u8], p: usize) -> usize {
    line[p.min(line.len())..]
        .iter()
        .position(|&b| !is_space(b))
        .map_or(line.len(), |i| p + i)
}

/// What a word on a line says about the command there.
#[derive(Clone, Copy)]
pub(super) enum Command {
    Curl,
    /// The MySQL client family: `-p<password>` glued.
    Mysql,
    /// `-p <password>` after `sshpass` or a registry `login`.
    DashP,
    /// `-p <password>` after `PsExec`, a Windows command typed in any case (`PsExec.exe`,
    /// `psexec64`).
    PsExec,
    /// A command whose argument is the secret.
    Positional,
    /// Windows' `net use` (a share's password after its UNC path) and `net user` (an account's
    /// password after its name), typed in any case.
    Net,
}

impl Command {
    /// Whether the word counts in any case: PowerShell's and Windows' commands do; Unix
    /// commands are typed in lower case, and `CURL` or `Login` in prose is no command.
    fn any_case(self) -> bool {
        matches!(self, Command::PsExec | Command::Positional | Command::Net)
    }
}

/// The words `find` looks for on each line: the Unix commands as they are typed (lower case),
/// and the PowerShell and Windows ones in any case (`Command::any_case`).
/// Each is a keyword of the detectors that use the binding matcher (ASCII case-insensitive),
/// so the prefilter never skips such a line.
pub(super) const COMMAND_WORDS: &[(&str, Command)] = &[
    ("curl", Command::Curl),
    ("mysql", Command::Mysql),
    ("mariadb", Command::Mysql),
    ("sshpass", Command::DashP),
    ("login", Command::DashP),
    ("unseal", Command::Positional),
    ("securestring", Command::Positional),
    ("psexec", Command::PsExec),
    ("net use", Command::Net),
];

/// One automaton for `COMMAND_WORDS`: a line is read once, not once per word (building a
/// substring searcher per word and line was a percent of an initial commit's time).
fn command_words() -> &'static aho_corasick::AhoCorasick {
    static AUTOMATON: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(COMMAND_WORDS.iter().map(|(w, _)| w))
                .expect("a few literal words")
        });
    &AUTOMATON
}

/// Lines a command continued with `\` may run over.
const MAX_CONTINUATION: usize = 20;

/// Every command-line password in `window` (a window runs to line ends, so each line of it is
/// read once). A command continued with `\` is read on to its last line, in `hay` past the
/// window if need be (`curl … \` then `--user …` on the next line).
pub fn find(hay: &[u8], window: Range<usize>, out: &mut Vec<CommandPassword>) {
    // Most windows name a credential and run no command: one search of the whole window
    // says so, where a search per line paid its set-up on every line.
    if !command_words().is_match(&hay[window.clone()]) {
        return;
    }
    let mut start = window.start;
    while start < window.end {
        let end = memchr::memchr(b'\n', &hay[start..window.end]).map_or(window.end, |i| start + i);
        let line = &hay[start..end];
        let (mut curl, mut mysql, mut dash, mut positional, mut net) =
            (false, false, false, false, false);
        // Overlapping, so that no word hides another it shares letters with (`curlogin`):
        // only lines of a window that holds a command word get here.
        for m in command_words().find_overlapping_iter(line) {
            let (word, command) = COMMAND_WORDS[m.pattern().as_usize()];
            if !command.any_case() && &line[m.range()] != word.as_bytes() {
                continue;
            }
            match command {
                Command::Curl => curl = true,
                Command::Mysql => mysql = true,
                Command::DashP | Command::PsExec => dash = true,
                Command::Positional => positional = true,
                Command::Net => net = true,
            }
        }
        dash |= mysql;
        if positional {
            positional_secret(line, start, out);
        }
        if net {
            net_password(line, start, out);
        }
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
        let v = match line.get(after) {
            Some(b'=') => after + 1,
            _ => after,
        };
        let v = skip_spaces(line, v);
        let Some((user, pass)) = user_and_password(line, v) else {
            continue;
        };
        let password = &line[pass.clone()];
        if user.is_empty() || password.is_empty() || password.eq_ignore_ascii_case(&user) {
            continue;
        }
        if value::password(password, false).is_ok() {
            out.push(CommandPassword {
                curl: true,
                secret: base + pass.start..base + pass.end,
            });
        }
    }
}

/// The shell word at `p` as its pieces: quoted strings (their contents) and bare runs, which
/// the shell joins into one argument (`kevin:'s3cr3t'`, `"kevin":"s3cr3t"`).
fn shell_pieces(line: &[u8], mut p: usize) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    while let Some(&b) = line.get(p) {
        if b == b'"' || b == b'\'' {
            let Some(close) = memchr::memchr(b, &line[p + 1..]) else {
                break;
            };
            pieces.push(p + 1..p + 1 + close);
            p += close + 2;
        } else if b.is_ascii_whitespace() || matches!(b, b';' | b'|' | b'&' | b')') {
            break;
        } else {
            let end = line[p..]
                .iter()
                .position(|&c| {
                    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b';' | b'|' | b'&' | b')')
                })
                .map_or(line.len(), |i| p + i);
            pieces.push(p..end);
            p = end;
        }
    }
    pieces
}

/// `user:password` as one shell word: the user as the shell passes it, and the password's
/// bytes when they lie in one piece of the word (the usual case: `-u user:pw`, `--user
/// 'user:pw'`, `--user user:'pw'`, `--user "user":"pw"`).
fn user_and_password(line: &[u8], p: usize) -> Option<(Vec<u8>, Range<usize>)> {
    let pieces = shell_pieces(line, p);
    let mut user = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let text = &line[piece.clone()];
        let Some(colon) = memchr::memchr(b':', text) else {
            user.extend_from_slice(text);
            continue;
        };
        user.extend_from_slice(&text[..colon]);
        let after = piece.start + colon + 1..piece.end;
        return if !after.is_empty() && i + 1 == pieces.len() {
            Some((user, after))
        } else if after.is_empty() && i + 2 == pieces.len() {
            Some((user, pieces[i + 1].clone()))
        } else {
            None
        };
    }
    None
}

/// Commands whose positional argument is itself a secret: `vault operator unseal <key share>`
/// (a share of the key that decrypts a Vault's storage) and PowerShell's
/// `ConvertTo-SecureString "<password>" -AsPlainText` (the password in clear, which the flag
/// acknowledges).
fn positional_secret(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    let lower = line.to_ascii_lowercase();
    let after = |w: &[u8]| memchr::memmem::find(&lower, w).map(|i| i + w.len());
    let mut push = |w: Range<usize>| {
        out.push(CommandPassword {
            curl: false,
            secret: base + w.start..base + w.end,
        })
    };
    if let Some(mut p) = after(b"operator unseal") {
        // Skip the command's own flags (`-migrate`, `-reset`).
        let arg = loop {
            p = skip_spaces(line, p);
            match word(line, p) {
                Some(w) if line[w.start] == b'-' && !line[w.clone()].contains(&b'=') => p = w.end,
                w => break w,
            }
        };
        if let Some(w) =
            arg.filter(|w| value::random(&line[w.clone()], Strength::Strong, false).is_ok())
        {
            push(w);
        }
    }
    if let (Some(mut p), true) = (
        after(b"convertto-securestring"),
        memchr::memmem::find(&lower, b"-asplaintext").is_some(),
    ) {
        p = skip_spaces(line, p);
        if lower[p..].starts_with(b"-string") {
            p = skip_spaces(line, p + b"-string".len());
        }
        if let Some(w) = word(line, p).filter(|w| value::password(&line[w.clone()], false).is_ok())
        {
            push(w);
        }
    }
}

/// The password of Windows' `net use [device] \\host\share <password> [/user:…]` (the word
/// after the UNC path) and `net user <name> <password> [/add]` (the word after the account's
/// name, when the command starts the line or a `/` switch follows, so that prose about "net
/// user accounts" is no command). `*` makes `net` prompt; variables and weak or stand-in
/// passwords are rejected by the password rule.
fn net_password(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(off) = memchr::memmem::find(&lower[from..], b"net use") {
        let at = from + off;
        from = at + 1;
        // `net` is a word of its own (not `internet use`, `dotnet user-secrets`).
        if at > 0
            && (line[at - 1].is_ascii_alphanumeric() || matches!(line[at - 1], b'_' | b'-' | b'.'))
        {
            continue;
        }
        let user = lower.get(at + 7) == Some(&b'r');
        let mut p = at + if user { 8 } else { 7 };
        if !line.get(p).is_some_and(|&b| is_space(b)) {
            continue;
        }
        let mut words = std::iter::from_fn(|| {
            p = skip_spaces(line, p);
            let w = word(line, p)?;
            // A quoted word's range is its contents: go on past the closing quote.
            p = w.end + usize::from(matches!(line.get(w.end), Some(b'"' | b'\'')));
            Some(w)
        });
        let password = if user {
            let at_line_start = line[..at]
                .iter()
                .all(|&b| is_space(b) || matches!(b, b'@' | b'>' | b'$'));
            match (words.next(), words.next()) {
                (Some(name), Some(pw)) if line[name.start] != b'/' => {
                    let switch_after = words.any(|w| line[w.start] == b'/');
                    (at_line_start || switch_after).then_some(pw)
                }
                _ => None,
            }
        } else {
            // Past the optional device (`Z:`, `*`) to the UNC path; the password follows it.
            let mut ws = words.by_ref().take(2);
            let unc = ws.find(|w| line[w.clone()].starts_with(b"\\\\"));
            unc.and_then(|_| words.next())
        };
        let Some(pw) = password else { continue };
        let text = &line[pw.clone()];
        if text.first() == Some(&b'/') || text == b"*" {
            continue;
        }
        if value::password(text, false).is_ok() {
            out.push(CommandPassword {
                curl: false,
                secret: base + pw.start..base + pw.end,
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
            word(line, skip_spaces(line, v))
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
