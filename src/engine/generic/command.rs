//! Passwords on command lines whose flags carry no credential word: `curl -u user:password`
//! (`--user`), the MySQL client family's `-p<password>` (glued, as those tools require), and
//! `-p <password>` after `sshpass`, a registry `login` or Sysinternals' `PsExec`; and commands
//! whose positional argument is a secret (`vault operator unseal <key share>`,
//! `ConvertTo-SecureString "<password>" -AsPlainText`, Windows' `net use \\host\share
//! <password>` and `net user <name> <password>`). Flags named for a credential (`--password …`,
//! `--token=…`) are the binding finder's.

use std::ops::Range;

use super::Form;
use super::name::Strength;
use super::value;

/// A password on a command line, with the form that reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandPassword {
    pub form: Form,
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
    /// `-p <password>` after `PsExec` or PAExec (which takes its switches), Windows commands
    /// typed in any case (`PsExec.exe`, `psexec64`, `-P`).
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
    ("paexec", Command::PsExec),
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
        let (mut curl, mut mysql, mut dash, mut positional, mut net, mut windows) =
            (false, false, false, false, false, false);
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
                Command::DashP => dash = true,
                Command::PsExec => (dash, windows) = (true, true),
                Command::Positional => positional = true,
                Command::Net => net = true,
            }
        }
        dash |= mysql;
        // A MySQL client on a PsExec line keeps its case-sensitive `-p` (its `-P` is a port).
        windows &= !mysql;
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
                dash_p(l, s, mysql, windows, out);
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
                form: Form::CurlUser,
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
            form: Form::CliFlag,
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

/// Words of a `net` command read at most: `net use` takes a device, a UNC path, switches and
/// a password; `net user` a name, a password and switches. A bound, so that a line of a
/// thousand `net user`s costs each one this much, not the rest of the line.
const NET_WORDS: usize = 8;

/// The password of Windows' `net use [device] \\host\share <password> [/user:…]` (the first
/// word after the UNC path that is not a `/` switch: it may follow `/user:`) and `net user
/// <name> <password> [/add]` (the word after the account's name). `net user` counts as a
/// command when a `/` switch follows, or when it starts the line (after spaces, a prompt's `>`
/// or `$`, `@`, `RUN`, `cmd /c`, a YAML `-` or `key:`, `&&`) and nothing follows the password:
/// prose about "net user accounts" is no command. `*` makes `net` prompt; variables and weak
/// or stand-in passwords are rejected by the password rule.
fn net_password(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    while let Some(off) = memchr::memmem::find(&lower[from..], b"net use") {
        let at = from + off;
        from = at + 1;
        // `net` is a word of its own (not `internet use`, `dotnet user`, `ASP.NET user`).
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
        let mut words = Vec::with_capacity(NET_WORDS);
        while words.len() < NET_WORDS {
            p = skip_spaces(line, p);
            let Some(w) = word(line, p) else { break };
            // A quoted word's range is its contents: go on past the closing quote.
            p = w.end + usize::from(matches!(line.get(w.end), Some(b'"' | b'\'')));
            words.push(w);
        }
        // The words read are this command's: the next `net` is looked for after them.
        from = from.max(p);
        let is_switch = |w: &Range<usize>| line.get(w.start) == Some(&b'/');
        let password = if user {
            match words.as_slice() {
                [name, pw, rest @ ..] if !is_switch(name) => {
                    let switch_after = rest.iter().any(is_switch);
                    (switch_after || rest.is_empty() && starts_command(&lower[..at]))
                        .then(|| pw.clone())
                }
                _ => None,
            }
        } else {
            // Past the optional device (`Z:`, `*`) to the UNC path; the password is the first
            // word after it that is not a switch (`… \\h\s /user:bob <password>`).
            words
                .iter()
                .take(2)
                .position(|w| line[w.clone()].starts_with(b"\\\\"))
                .and_then(|unc| words[unc + 1..].iter().find(|w| !is_switch(w)).cloned())
        };
        let Some(pw) = password else { continue };
        let text = &line[pw.clone()];
        if is_switch(&pw) || text == b"*" {
            continue;
        }
        if value::password(text, false).is_ok() {
            out.push(CommandPassword {
                form: Form::CliFlag,
                secret: base + pw.start..base + pw.end,
            });
        }
    }
}

/// Whether a command starts where `before` (the line up to it, lowercased) ends: at the line's
/// start, after a prompt (`>`, `$`), `@`, a Dockerfile `RUN`, `cmd /c`, a YAML list item or
/// key (`- `, `win_shell: `), or a command separator (`&&`, `&`, `|`, `(`).
fn starts_command(before: &[u8]) -> bool {
    let before = trim_end(before);
    let Some(&last) = before.last() else {
        return true;
    };
    let word_before = |w: &[u8]| {
        before.ends_with(w)
            && (before.len() == w.len() || before[before.len() - w.len() - 1].is_ascii_whitespace())
    };
    matches!(last, b'>' | b'$' | b'@' | b'-' | b':' | b'&' | b'|' | b'(')
        || word_before(b"run")
        || word_before(b"/c")
        || word_before(b"/k")
}

/// `-p<password>` for the MySQL family (a space there makes the client prompt), and
/// `-p <password>` for `sshpass`, registry logins and PsExec; `-P` too for PsExec, whose
/// switches are case-insensitive (MySQL's `-P` is the port).
fn dash_p(line: &[u8], base: usize, mysql: bool, any_case: bool, out: &mut Vec<CommandPassword>) {
    let folded;
    let search = if any_case {
        folded = line.to_ascii_lowercase();
        &folded[..]
    } else {
        line
    };
    let mut i = 0;
    while let Some(off) = memchr::memmem::find(&search[i..], b"-p") {
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
                form: Form::CliFlag,
                secret: base + w.start..base + w.end,
            });
        }
    }
}
