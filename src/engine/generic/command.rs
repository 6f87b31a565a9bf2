//! Passwords on command lines whose flags carry no credential word: `curl -u user:password`
//! (`--user`), the MySQL client family's `-p<password>` (glued, as those tools require), and
//! `-p <password>` after `sshpass`, a registry `login` or Sysinternals' `PsExec`; and commands
//! whose positional argument is a secret (`vault operator unseal <key share>`,
//! `ConvertTo-SecureString "<password>" -AsPlainText`, Windows' `net use \\host\share
//! <password>` and `net user <name> <password>`). Flags named for a credential (`--password …`,
//! `--token=…`) are the binding finder's.
//!
//! Also the tools whose password is a short flag's or a positional argument by their documented
//! syntax: `redis-cli -a <password>`, `htpasswd -b <file> <user> <password>` (`-nb <user>
//! <password>`), `kubectl create secret generic … --from-literal=<key>=<value>` under a
//! credential-like key, and redis.conf's `requirepass` / `masterauth` lines; OpenSSL's
//! `-passin` / `-passout` / `-pass` / `-password` with the `pass:<password>` source, keytool's
//! `-new <password>`, `echo <password> | docker login … --password-stdin` (any registry
//! login that reads standard input) and `echo <password> | sudo -S …`.
//!
//! And: `rabbitmqctl add_user <user> <password>` / `change_password <user> <password>`, the
//! MongoDB shells' and tools' `-p <password>` (only after `mongosh`, `mongo`, `mongodump` …:
//! elsewhere `-p` is a port), and `vault login <token>` (or a login method's
//! `password=<password>`).
//!
//! Each command is recognised by a word of `COMMAND_WORDS` and read by its own small parser
//! over the line's bytes: no regex, and the values go through the classifier like any other.

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
pub(super) fn skip_spaces(line: &[u8], p: usize) -> usize {
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
    /// `redis-cli -a <password>`.
    RedisCli,
    /// `htpasswd -b … <password>`: batch mode takes the password as the last argument.
    Htpasswd,
    /// `--from-literal=<key>=<value>` (kubectl's and oc's `create secret generic`).
    FromLiteral,
    /// redis.conf's `requirepass` and `masterauth` directives (Redis reads directive names in
    /// any case).
    RedisConf,
    /// OpenSSL's `pass:<password>` source after `-passin`, `-passout`, `-pass` or `-password`.
    OpensslPass,
    /// `keytool … -new <password>` (`-storepasswd`, `-keypasswd`).
    Keytool,
    /// `echo <literal> | … login … --password-stdin`.
    PasswordStdin,
    /// `echo <literal> | sudo -S …`: sudo reads the password from standard input.
    Sudo,
    /// `rabbitmqctl add_user <user> <password>`, `rabbitmqctl change_password <user>
    /// <password>`.
    Rabbitmqctl,
    /// The MongoDB shells and tools (`mongosh`, `mongo`, `mongodump` …): `-p <password>`.
    Mongo,
    /// `vault login <token>`, and `password=<password>` after a login method's flag.
    Vault,
}

impl Command {
    /// Whether the word counts in any case: PowerShell's and Windows' commands do; Unix
    /// commands are typed in lower case, and `CURL` or `Login` in prose is no command.
    fn any_case(self) -> bool {
        matches!(
            self,
            Command::PsExec | Command::Positional | Command::Net | Command::RedisConf
        )
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
    ("redis-cli", Command::RedisCli),
    ("htpasswd", Command::Htpasswd),
    ("from-literal", Command::FromLiteral),
    ("requirepass", Command::RedisConf),
    ("masterauth", Command::RedisConf),
    ("pass:", Command::OpensslPass),
    ("keytool", Command::Keytool),
    ("password-stdin", Command::PasswordStdin),
    ("rabbitmqctl", Command::Rabbitmqctl),
    ("mongo", Command::Mongo),
    ("vault", Command::Vault),
    ("sudo", Command::Sudo),
];

/// Lines a command continued with `\` may run over.
const MAX_CONTINUATION: usize = 20;

/// Every command-line password in `window` (a window runs to line ends, so each line of it is
/// read once). A command continued with `\` is read on to its last line, in `hay` past the
/// window if need be (`curl … \` then `--user …` on the next line).
///
/// `words` are the window's command words, (index in `COMMAND_WORDS`, place in `hay`) in order
/// of their ends, found in any case (`words::InWindow::command`). A window without one, as
/// most are (they name a credential and run no command), is not read.
pub fn find(
    hay: &[u8],
    window: Range<usize>,
    words: impl IntoIterator<Item = (usize, Range<usize>)>,
    out: &mut Vec<CommandPassword>,
) {
    let mut words = words.into_iter().peekable();
    if words.peek().is_none() {
        return;
    }
    let mut start = window.start;
    while start < window.end {
        let end = memchr::memchr(b'\n', &hay[start..window.end]).map_or(window.end, |i| start + i);
        let line = &hay[start..end];
        let (mut curl, mut mysql, mut dash, mut positional, mut net, mut windows) =
            (false, false, false, false, false, false);
        let (mut redis, mut htpasswd, mut literal, mut conf) = (false, false, false, false);
        let (mut openssl, mut keytool, mut stdin) = (false, false, false);
        let (mut rabbit, mut mongo, mut vault, mut sudo) = (false, false, false, false);
        // Every occurrence on this line, overlapping ones too, so that no word hides another
        // it shares letters with (`curlogin`). A word holds no line break, so each lies on one
        // line; those on lines read as a continuation (skipped below) are passed over.
        while let Some((index, range)) = words.next_if(|(_, r)| r.end <= end) {
            let (word, command) = COMMAND_WORDS[index];
            if range.start < start || !command.any_case() && &hay[range.clone()] != word.as_bytes()
            {
                continue;
            }
            match command {
                Command::Curl => curl = true,
                Command::Mysql => mysql = true,
                Command::DashP => dash = true,
                Command::PsExec => (dash, windows) = (true, true),
                Command::Positional => positional = true,
                Command::Net => net = true,
                Command::RedisCli => redis = true,
                Command::Htpasswd => htpasswd = true,
                Command::FromLiteral => literal = true,
                Command::RedisConf => conf = true,
                Command::OpensslPass => openssl = true,
                Command::Keytool => keytool = true,
                Command::PasswordStdin => stdin = true,
                Command::Rabbitmqctl => rabbit = true,
                Command::Mongo => mongo = true,
                Command::Vault => vault = true,
                Command::Sudo => sudo = true,
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
        if redis {
            redis_cli(line, start, out);
        }
        if htpasswd {
            htpasswd_password(line, start, out);
        }
        if literal {
            from_literal(line, start, out);
        }
        if conf {
            redis_directive(line, start, out);
        }
        if openssl {
            openssl_pass(line, start, out);
        }
        if stdin {
            password_stdin(line, start, out);
        }
        if sudo {
            sudo_stdin(line, start, out);
        }
        if rabbit {
            rabbitmqctl_password(line, start, out);
        }
        if vault {
            vault_login(line, start, out);
        }
        // A MongoDB tool's `-p` on its own line; on the lines it continues onto, any `-p`
        // (unless `dash_p` reads every line's `-p <password>` already).
        let plain_dash = dash && !mysql;
        mongo = mongo && !plain_dash && mongo_password(line, start, out);
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
            if keytool {
                keytool_new(l, s, out);
            }
            if mongo && s > start {
                dash_p(l, s, false, false, out);
            }
            let continued = trim_end(l).ends_with(b"\\");
            if !continued || e >= hay.len() || !(curl || dash || keytool || mongo) {
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
        let Some((user, pass)) = user_and_password(line, v, b':') else {
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
/// 'user:pw'`, `--user user:'pw'`, `--user "user":"pw"`). `sep` is the byte between them
/// (`:` for curl, `=` for kubectl's `key=value`).
fn user_and_password(line: &[u8], p: usize, sep: u8) -> Option<(Vec<u8>, Range<usize>)> {
    let pieces = shell_pieces(line, p);
    let mut user = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let text = &line[piece.clone()];
        let Some(colon) = memchr::memchr(sep, text) else {
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

/// Whether `len` bytes at `at` are a command's name as a word of its own: after the line's
/// start, a space, a path's `/`, a quote (a JSON or YAML argument list), a backtick, `(` or a
/// separator; before a space, a quote or the line's end. A file named after the tool
/// (`/etc/nginx/.htpasswd`, `htpasswd.users`) is not the tool.
fn is_command_at(line: &[u8], at: usize, len: usize) -> bool {
    let before = at == 0
        || matches!(
            line[at - 1],
            b' ' | b'\t' | b'/' | b'"' | b'\'' | b'`' | b'(' | b';' | b'|' | b'&'
        );
    let after = line
        .get(at + len)
        .is_none_or(|&b| is_space(b) || b == b'"' || b == b'\'');
    before && after
}

/// Most arguments of one command read: a bound, so that a long line costs each command this
/// much, not the rest of the line.
const MAX_ARGS: usize = 16;

/// The arguments after a command's name, up to a command separator (`;`, `|`, `&`, `)`) or
/// `MAX_ARGS`: each one a quoted word's contents or a bare word. In an argument list
/// (`["redis-cli", "-a", "…"]`: the name was quoted) commas between the words are skipped too.
struct Args<'a> {
    line: &'a [u8],
    p: usize,
    list: bool,
    read: usize,
}

impl<'a> Args<'a> {
    /// The arguments of the command whose name is the `len` bytes at `at`.
    fn after(line: &'a [u8], at: usize, len: usize) -> Self {
        let list = at > 0 && matches!(line[at - 1], b'"' | b'\'');
        let p = at + len + usize::from(list && matches!(line.get(at + len), Some(b'"' | b'\'')));
        Args {
            line,
            p,
            list,
            read: 0,
        }
    }
}

impl Iterator for Args<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.read >= MAX_ARGS {
            return None;
        }
        let line = self.line;
        let mut p = skip_spaces(line, self.p);
        while self.list && line.get(p) == Some(&b',') {
            p = skip_spaces(line, p + 1);
        }
        let w = word(line, p)?;
        // A quoted word's range is its contents: go on past the closing quote.
        self.p = w.end + usize::from(matches!(line.get(w.end), Some(b'"' | b'\'')));
        self.read += 1;
        Some(w)
    }
}

/// Every start of `name` in `line` where it is a command (`is_command_at`).
fn commands<'a>(line: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(line, name).filter(move |&at| is_command_at(line, at, name.len()))
}

fn push_password(
    line: &[u8],
    base: usize,
    w: Range<usize>,
    form: Form,
    out: &mut Vec<CommandPassword>,
) {
    if value::password(&line[w.clone()], false).is_ok() {
        out.push(CommandPassword {
            form,
            secret: base + w.start..base + w.end,
        });
    }
}

/// `redis-cli … -a <password> …`. redis-cli reads its options up to the first word that is
/// neither an option nor an option's argument (the command to send: `SET k -a` sends `-a`),
/// so the reading stops there; an option followed by a bare word is taken to own it (`-h
/// host`, `-n 2`). `--pass <password>` is a credential-named flag: the binding finder's.
fn redis_cli(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in commands(line, b"redis-cli") {
        let mut args = Args::after(line, at, b"redis-cli".len());
        let mut after_option = false;
        while let Some(w) = args.next() {
            let text = &line[w.clone()];
            if text == b"-a" {
                if let Some(pw) = args.next().filter(|pw| line[pw.start] != b'-') {
                    push_password(line, base, pw, Form::CliFlag, out);
                }
                after_option = false;
            } else if text.starts_with(b"-") {
                after_option = true;
            } else if after_option {
                after_option = false;
            } else {
                break;
            }
        }
    }
}

/// `htpasswd -b[flags] <file> <user> <password>` and `htpasswd -nb[flags] <user> <password>`
/// (`-n` prints instead of writing a file). Apache's htpasswd takes its flags first, in one
/// cluster or several (`-c -b`); `-C <cost>` and `-r <rounds>` take an argument; without
/// `-b`, or with `-i` (from standard input), no password is on the line.
fn htpasswd_password(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in commands(line, b"htpasswd") {
        let (mut batch, mut no_file, mut stdin, mut takes_arg) = (false, false, false, false);
        let mut positional: [Range<usize>; 3] = [0..0, 0..0, 0..0];
        let mut n = 0;
        for w in Args::after(line, at, b"htpasswd".len()) {
            let text = &line[w.clone()];
            if takes_arg {
                takes_arg = false;
            } else if n == 0 && text.len() > 1 && text[0] == b'-' {
                for (i, &c) in text.iter().enumerate().skip(1) {
                    match c {
                        b'b' => batch = true,
                        b'n' => no_file = true,
                        b'i' => stdin = true,
                        // The argument follows, glued (`-C10`) or as the next word.
                        b'C' | b'r' => {
                            takes_arg = i + 1 == text.len();
                            break;
                        }
                        _ => {}
                    }
                }
            } else {
                positional[n] = w;
                n += 1;
                if n == positional.len() {
                    break;
                }
            }
        }
        let at = if no_file { 1 } else { 2 };
        if batch && !stdin && n > at {
            push_password(line, base, positional[at].clone(), Form::CliFlag, out);
        }
    }
}

/// `--from-literal=<key>=<value>` (also `--from-literal <key>=<value>`, quoted whole or in
/// parts): a value under a credential-like key, judged like any assignment's value. Other
/// keys (`username`, `host`) are the secret's plain data.
fn from_literal(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    const FLAG: &[u8] = b"--from-literal";
    for at in memchr::memmem::find_iter(line, FLAG) {
        let mut p = at + FLAG.len();
        match line.get(p) {
            Some(b'=') => p += 1,
            Some(&b) if is_space(b) => p = skip_spaces(line, p),
            _ => continue,
        }
        let Some((key, v)) = user_and_password(line, p, b'=') else {
            continue;
        };
        let Some(name) = super::name::classify(&key) else {
            continue;
        };
        if let Ok(accepted) = value::judge(&line[v.clone()], &name) {
            let s = v.start + accepted.secret.start..v.start + accepted.secret.end;
            out.push(CommandPassword {
                form: Form::CliFlag,
                secret: base + s.start..base + s.end,
            });
        }
    }
}

/// Redis's `requirepass <password>` and `masterauth <password>` where Redis reads them: a
/// redis.conf line that the directive opens (`# requirepass foobared`, the shipped default, is
/// a comment) and its one argument ends, so prose that names the directive is not read as one;
/// `redis-server --requirepass <password>` (the server takes every directive as a flag, as
/// compose files start it); and `CONFIG SET requirepass <password>`.
fn redis_directive(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    let first = skip_spaces(line, 0);
    for d in [&b"requirepass"[..], b"masterauth"] {
        let found = line
            .windows(d.len())
            .enumerate()
            .filter(|(_, w)| w.eq_ignore_ascii_case(d))
            .map(|(at, _)| at);
        for at in found {
            let conf_line = at == first;
            let flag = at >= 2
                && &line[at - 2..at] == b"--"
                && (at == 2 || is_space(line[at - 3]) || matches!(line[at - 3], b'"' | b'\''));
            if !(conf_line || flag || after_config_set(&line[..at])) {
                continue;
            }
            let v = at + d.len();
            if !line.get(v).is_some_and(|&b| is_space(b)) {
                continue;
            }
            let v = skip_spaces(line, v);
            let Some(w) = word(line, v) else { continue };
            let quoted = matches!(line[v], b'"' | b'\'');
            let form = if !conf_line {
                Form::CliFlag
            } else if !trim_end(&line[w.end + usize::from(quoted)..]).is_empty() {
                continue;
            } else if quoted {
                Form::Quoted
            } else {
                Form::Unquoted
            };
            push_password(line, base, w, form, out);
        }
    }
}

/// OpenSSL's pass-phrase arguments with the `pass:<password>` source (openssl-passphrase-options):
/// `-passin`, `-passout`, `-pass` (`enc`, `genpkey`, `s_server`) and `-password` (`pkcs12`), with
/// one or two dashes, the source as the next word (`pass:pw`, `'pass:pw'`, `pass:"pw"`, or an
/// argument list's `"-passin", "pass:pw"`). The other sources (`env:VAR`, `file:path`, `fd:N`,
/// `stdin`) name where the password is, not what it is.
fn openssl_pass(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in memchr::memmem::find_iter(line, b"pass:") {
        // The word the source starts: right at `pass:`, or after its opening quote.
        let word_start = if at > 0 && matches!(line[at - 1], b'"' | b'\'') {
            at - 1
        } else {
            at
        };
        if !openssl_flag_before(&line[..word_start]) {
            continue;
        }
        let pw = if word_start < at {
            // Quoted whole (`'pass:pw'`, an argument list's `"pass:pw"]`): up to its quote.
            let from = at + b"pass:".len();
            memchr::memchr(line[word_start], &line[from..]).map(|i| from..from + i)
        } else {
            user_and_password(line, at, b':')
                .filter(|(source, _)| source == b"pass")
                .map(|(_, pw)| pw)
        };
        if let Some(pw) = pw.filter(|pw| !pw.is_empty()) {
            push_password(line, base, pw, Form::CliFlag, out);
        }
    }
}

/// OpenSSL's pass-phrase flags (without their dashes), whose `pass:…` source is the password:
/// read here, and left to this finder by the binding finder.
pub(super) fn is_openssl_pass_flag(name: &[u8]) -> bool {
    matches!(name, b"passin" | b"passout" | b"pass" | b"password")
}

/// Whether `before` (a line up to a pass-phrase source) ends with one of OpenSSL's pass-phrase
/// flags and the space between: `-passin `, `--passout `, or an argument list's `"-pass", `.
fn openssl_flag_before(before: &[u8]) -> bool {
    let mut end = before.len();
    // An argument list: `"-passin", "pass:…"` or `'-passin', 'pass:…'`.
    while end > 0 && matches!(before[end - 1], b' ' | b'\t' | b',') {
        end -= 1;
    }
    if end == before.len() {
        return false;
    }
    let quoted = end > 0 && matches!(before[end - 1], b'"' | b'\'');
    if quoted {
        end -= 1;
    } else if before[end..].contains(&b',') {
        return false;
    }
    let start = before[..end]
        .iter()
        .rposition(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'[' | b'('))
        .map_or(0, |i| i + 1);
    let flag = &before[start..end];
    let flag = flag.strip_prefix(b"--").or_else(|| flag.strip_prefix(b"-"));
    flag.is_some_and(is_openssl_pass_flag)
}

/// `keytool -storepasswd -new <password>` and `-keypasswd … -new <password>`: the new password
/// as `-new`'s argument (the other password flags, `-storepass`, `-keypass`, `-srcstorepass`
/// …, name a credential and are the binding finder's). Read only on a line that runs keytool,
/// or one it continues onto: `-new` is no password flag elsewhere.
fn keytool_new(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in memchr::memmem::find_iter(line, b"-new") {
        let before = at == 0 || matches!(line[at - 1], b' ' | b'\t' | b'"' | b'\'');
        let after = at + b"-new".len();
        if !before
            || !line
                .get(after)
                .is_some_and(|&b| is_space(b) || matches!(b, b'"' | b'\'' | b','))
        {
            continue;
        }
        let mut p = after + usize::from(matches!(line.get(after), Some(b'"' | b'\'')));
        p = skip_spaces(line, p);
        if line.get(p) == Some(&b',') {
            p = skip_spaces(line, p + 1);
        }
        let Some(w) = word(line, p) else { continue };
        if line[w.start] != b'-' {
            push_password(line, base, w, Form::CliFlag, out);
        }
    }
}

/// Registry logins that read the password from standard input (`docker login`, `podman
/// login`, `helm registry login`, `oras login` … `--password-stdin`) fed by `echo <literal>`
/// or `printf '%s' <literal>` through a pipe. Only a literal: a quoted one, or a bare word; a
/// variable, an expansion or a command's output (`$PW`, `"${PW}"`, `$(cat pw)`) is where the
/// password is kept, not the password.
fn password_stdin(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in memchr::memmem::find_iter(line, b"--password-stdin") {
        let end = at + b"--password-stdin".len();
        if at == 0
            || !is_space(line[at - 1])
            || line.get(end).is_some_and(|&b| {
                !b.is_ascii_whitespace() && !matches!(b, b';' | b'&' | b')' | b'"' | b'\'')
            })
        {
            continue;
        }
        // The pipe that feeds the login, and the login between them.
        let Some(pipe) = memchr::memrchr(b'|', &line[..at]) else {
            continue;
        };
        if pipe > 0 && line[pipe - 1] == b'|' {
            continue;
        }
        let login = &line[pipe + 1..at];
        let has_login = memchr::memmem::find_iter(login, b"login").any(|i| {
            (i == 0 || login[i - 1].is_ascii_whitespace())
                && login.get(i + 5).is_none_or(|b| b.is_ascii_whitespace())
        });
        if !has_login {
            continue;
        }
        if let Some(w) = echoed_literal(line, pipe) {
            push_password(line, base, w, Form::CliFlag, out);
        }
    }
}

/// `echo <literal> | sudo -S …`: with `-S` (`--stdin`, or in a cluster of short options such
/// as `-kS`) sudo reads the password from standard input, which `echo` or `printf '%s'` feeds
/// through the pipe right before it. Only a literal, as for `password_stdin`.
fn sudo_stdin(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in commands(line, b"sudo") {
        // The command word: `sudo` or a path to it (`/usr/bin/sudo`) followed by a space.
        let word_start = line[..at]
            .iter()
            .rposition(|&b| b.is_ascii_whitespace() || b == b'|')
            .map_or(0, |i| i + 1);
        if (word_start < at && line[at - 1] != b'/')
            || line.get(at + b"sudo".len()).is_none_or(|&b| !is_space(b))
        {
            continue;
        }
        // `sudo` is the command the pipe feeds: only spaces between them.
        let before = &line[..word_start];
        let Some(pipe) = before.iter().rposition(|&b| !is_space(b)) else {
            continue;
        };
        if before[pipe] != b'|' || (pipe > 0 && before[pipe - 1] == b'|') {
            continue;
        }
        if sudo_reads_stdin(line, Args::after(line, at, b"sudo".len()))
            && let Some(w) = echoed_literal(line, pipe)
        {
            push_password(line, base, w, Form::CliFlag, out);
        }
    }
}

/// Whether sudo's options (`args`, up to the command it runs) include `-S` (`--stdin`), read as
/// sudo reads them: a short option that takes an argument ends its cluster and takes the rest
/// of it, or the next word (`-uSvc` runs as the user `Svc`; `-ku deploy -S` reads stdin); a long
/// one takes the next word unless it is written with `=`.
fn sudo_reads_stdin(line: &[u8], mut args: Args<'_>) -> bool {
    const SHORT_WITH_ARGUMENT: &[u8] = b"CDRTUghprtu";
    const LONG_WITH_ARGUMENT: &[&[u8]] = &[
        b"--chdir",
        b"--chroot",
        b"--close-from",
        b"--command-timeout",
        b"--group",
        b"--host",
        b"--other-user",
        b"--prompt",
        b"--role",
        b"--type",
        b"--user",
    ];
    let mut stdin = false;
    while let Some(w) = args.next() {
        let flag = &line[w];
        if flag.len() < 2 || flag[0] != b'-' || flag == b"--" {
            break;
        }
        let takes_next = if flag.starts_with(b"--") {
            stdin |= flag == b"--stdin";
            LONG_WITH_ARGUMENT.contains(&flag)
        } else {
            let mut takes_next = false;
            for (i, c) in flag.iter().enumerate().skip(1) {
                if SHORT_WITH_ARGUMENT.contains(c) {
                    takes_next = i + 1 == flag.len();
                    break;
                }
                stdin |= *c == b'S';
            }
            takes_next
        };
        if takes_next {
            args.next();
        }
    }
    stdin
}

/// The literal that `echo` (`-n`, `-e` allowed) or `printf '%s'` prints, when it is the whole
/// command that ends at `pipe`: one shell word, quoted or bare, without expansions (`$` outside
/// single quotes, a backtick).
fn echoed_literal(line: &[u8], pipe: usize) -> Option<Range<usize>> {
    // The command's name is the last `echo` or `printf` word of the command before the pipe
    // (after a separator, a Dockerfile `RUN`, a YAML `run:` …): its words are read forwards.
    let head = &line[..pipe];
    let start = head
        .iter()
        .rposition(|&b| matches!(b, b';' | b'&' | b'|' | b'(' | b'`'))
        .map_or(0, |i| i + 1);
    let is_word_at = |i: usize| {
        i == 0
            || head[i - 1].is_ascii_whitespace()
            || matches!(head[i - 1], b'"' | b'\'' | b'(' | b'{' | b'`')
    };
    let (at, command) = [&b"echo "[..], b"printf "]
        .iter()
        .filter_map(|name| {
            memchr::memmem::rfind(&head[start..], name)
                .map(|i| start + i)
                .filter(|&i| is_word_at(i))
                .map(|i| (i, name.len() - 1))
        })
        .max()?;
    let mut p = at;
    let printf = command == b"printf".len();
    p = skip_spaces(line, p + command);
    if printf {
        // The format: `'%s'`, `"%s"`, `%s`, with a `\n` or not.
        let f = word(line, p)?;
        if !matches!(&line[f.clone()], b"%s" | b"%s\\n") {
            return None;
        }
        p = skip_spaces(
            line,
            f.end + usize::from(matches!(line.get(f.end), Some(b'"' | b'\''))),
        );
    } else {
        while matches!(line.get(p..p + 3), Some(b"-n " | b"-e ")) {
            p = skip_spaces(line, p + 3);
        }
    }
    let pieces = shell_pieces(line, p);
    let [piece] = pieces.as_slice() else {
        return None;
    };
    // The word runs up to the pipe: nothing else is printed (`echo pw > file | …`).
    let after = piece.end + usize::from(matches!(line.get(piece.end), Some(b'"' | b'\'')));
    if after > pipe || !line[after..pipe].iter().all(|&b| is_space(b)) {
        return None;
    }
    let single = p < piece.start && line[p] == b'\'';
    let text = &line[piece.clone()];
    let expands = text.contains(&b'`') || (!single && text.contains(&b'$'));
    (!expands && !piece.is_empty()).then(|| piece.clone())
}

/// `rabbitmqctl [options] add_user <user> <password>` and `change_password <user> <password>`
/// (rabbitmqctl's documented syntax; without the password it reads one from standard input).
/// Options before the subcommand (`-n <node>`, `--node <node>`, `-t <timeout>`, `-q`) and after
/// it (`--silent`) are skipped; `add_user --pre-hashed-password` takes a hash, not a password.
fn rabbitmqctl_password(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in commands(line, b"rabbitmqctl") {
        let mut subcommand = false;
        let mut positional = Vec::with_capacity(2);
        let mut args = Args::after(line, at, b"rabbitmqctl".len());
        while let Some(w) = args.next() {
            let text = &line[w.clone()];
            if text.starts_with(b"-") {
                if text == b"--pre-hashed-password" {
                    positional.clear();
                    break;
                }
                // The options that take an argument as the next word.
                if !subcommand && matches!(text, b"-n" | b"--node" | b"-t" | b"--timeout") {
                    args.next();
                }
            } else if !subcommand {
                if !matches!(text, b"add_user" | b"change_password") {
                    break;
                }
                subcommand = true;
            } else {
                positional.push(w);
                if positional.len() == 2 {
                    break;
                }
            }
        }
        if let [_, pw] = positional.as_slice() {
            push_password(line, base, pw.clone(), Form::CliFlag, out);
        }
    }
}

/// The MongoDB shells and database tools, each taking `-p <password>` (also `--password
/// <password>` and `--password=<password>`, the binding finder's; `-p` alone prompts).
const MONGO_TOOLS: &[&[u8]] = &[
    b"mongosh",
    b"mongo",
    b"mongodump",
    b"mongorestore",
    b"mongoexport",
    b"mongoimport",
    b"mongostat",
    b"mongotop",
];

/// `-p <password>` after a MongoDB tool's name on this line (`mongosh -u admin -p <password>`),
/// where `-p` is the tools' password flag; not elsewhere, where `-p` is a port (`docker run -p
/// 27017:27017 mongo`). Returns whether the line runs such a tool.
fn mongo_password(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) -> bool {
    let mut found = false;
    for tool in MONGO_TOOLS {
        for at in commands(line, tool) {
            found = true;
            let mut args = Args::after(line, at, tool.len());
            while let Some(w) = args.next() {
                if &line[w.clone()] != b"-p" {
                    continue;
                }
                if let Some(pw) = args.next().filter(|pw| line[pw.start] != b'-') {
                    push_password(line, base, pw, Form::CliFlag, out);
                }
            }
        }
    }
    found
}

/// `vault login [flags] <token>` (the token positional; `-` reads it from standard input) and
/// `vault login -method=<method> … password=<password>` (a method's `key=value` pairs: only
/// `password` is a secret, `username=` and `role=` are not). Flags take their value after `=`
/// or as the next word (`-method userpass`); the boolean ones are listed.
fn vault_login(line: &[u8], base: usize, out: &mut Vec<CommandPassword>) {
    for at in commands(line, b"vault") {
        let mut args = Args::after(line, at, b"vault".len());
        if args.next().is_none_or(|w| &line[w] != b"login") {
            continue;
        }
        let mut method = false;
        while let Some(w) = args.next() {
            let text = &line[w.clone()];
            if let Some(flag) = text.strip_prefix(b"-").filter(|f| !f.is_empty()) {
                let flag = flag.strip_prefix(b"-").unwrap_or(flag);
                let (key, has_value) = match memchr::memchr(b'=', flag) {
                    Some(i) => (&flag[..i], true),
                    None => (flag, false),
                };
                if key == b"method" {
                    let value = if has_value {
                        Some(&flag[key.len() + 1..])
                    } else {
                        args.next().map(|v| &line[v])
                    };
                    method |= value.is_some_and(|v| v != b"token");
                } else if !has_value
                    && !matches!(
                        key,
                        b"no-print" | b"no-store" | b"non-interactive" | b"tls-skip-verify"
                    )
                {
                    args.next();
                }
            } else if text.starts_with(b"password=") {
                // Quoted whole or in part (`password='…'`, `'password=…'`).
                if let Some((_, pw)) = user_and_password(line, w.start, b'=')
                    .filter(|(key, pw)| key == b"password" && !pw.is_empty())
                {
                    push_password(line, base, pw, Form::CliFlag, out);
                }
            } else if !method && !text.contains(&b'=') {
                // The token: random, as Vault makes them (`hvs.…`, `s.…`).
                if value::random(text, Strength::Strong, false).is_ok() {
                    out.push(CommandPassword {
                        form: Form::CliFlag,
                        secret: base + w.start..base + w.end,
                    });
                }
                break;
            }
        }
    }
}

/// Whether `before` ends with Redis's `CONFIG SET` (any case) and a space.
fn after_config_set(before: &[u8]) -> bool {
    let before = trim_end(before);
    let ends_with =
        |b: &[u8], w: &[u8]| b.len() >= w.len() && b[b.len() - w.len()..].eq_ignore_ascii_case(w);
    if !ends_with(before, b"set") {
        return false;
    }
    let rest = trim_end(&before[..before.len() - 3]);
    rest.len() < before.len() - 3
        && ends_with(rest, b"config")
        && (rest.len() == 6 || !rest[rest.len() - 7].is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command password `find` reports in `line`, as (form, secret).
    fn scan(line: &str) -> Vec<(Form, String)> {
        let hay = line.as_bytes();
        let mut out = Vec::new();
        let words = super::super::words_in(hay);
        let window = super::super::words::InWindow::new(&words, 0..hay.len());
        find(hay, 0..hay.len(), window.command(), &mut out);
        out.into_iter()
            .map(|c| (c.form, String::from_utf8_lossy(&hay[c.secret]).into_owned()))
            .collect()
    }

    #[test]
    fn redis_htpasswd_kubectl_and_redis_conf_passwords_by_their_syntax() {
        const PW: &str = "Rk4v#Wq81m";
        const KEY: &str = "zH3tP9wLq2VmXc7RbN5kDy8F";
        let flag = |s: &'static str| vec![(Form::CliFlag, s)];
        let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
            // redis-cli -a
            (format!("redis-cli -a {PW} ping"), flag(PW)),
            (
                format!("redis-cli -h cache.internal -p 6380 -a '{PW}' --no-auth-warning INFO"),
                flag(PW),
            ),
            (
                format!("docker exec -it cache redis-cli -n 2 -a \"{PW}\" KEYS '*'"),
                flag(PW),
            ),
            (format!("/usr/local/bin/redis-cli --tls -a {PW}"), flag(PW)),
            (
                format!(r#"    test: ["CMD", "redis-cli", "-a", "{PW}", "ping"]"#),
                flag(PW),
            ),
            ("redis-cli -a $REDIS_PASSWORD ping".into(), vec![]),
            ("redis-cli -a \"${REDIS_PASSWORD}\" ping".into(), vec![]),
            ("redis-cli -a <password> ping".into(), vec![]),
            ("redis-cli -a changeme ping".into(), vec![]),
            ("redis-cli -a %REDIS_PASS% ping".into(), vec![]),
            ("redis-cli -a --no-auth-warning ping".into(), vec![]),
            (format!("redis-cli -h cache ping {PW}"), vec![]),
            // `-a` of the command sent, or of another command
            (format!("redis-cli SET greeting -a {PW}"), vec![]),
            (format!("ls -a {PW}"), vec![]),
            (format!("uname -a; echo {PW}"), vec![]),
            (format!("my-redis-cli -a {PW}"), vec![]),
            (format!("redis-cli ping && grep -a {PW} log"), vec![]),
            // htpasswd -b
            (
                format!("htpasswd -bc /etc/nginx/.htpasswd admin {PW}"),
                flag(PW),
            ),
            (
                format!("sudo htpasswd -b -B -C 12 /etc/apache2/.htpasswd ops '{PW}'"),
                flag(PW),
            ),
            (
                format!("RUN htpasswd -Bbn deploy {PW} > /auth/htpasswd"),
                flag(PW),
            ),
            (format!("htpasswd -nb ci-user \"{PW}\""), flag(PW)),
            (format!("htpasswd -bC10 auth.htpasswd ops {PW}"), flag(PW)),
            ("htpasswd -c /etc/nginx/.htpasswd admin".into(), vec![]),
            (format!("htpasswd /etc/nginx/.htpasswd admin {PW}"), vec![]),
            (
                format!("htpasswd -ib /etc/nginx/.htpasswd admin {PW}"),
                vec![],
            ),
            (
                "htpasswd -bc .htpasswd admin $ADMIN_PASSWORD".into(),
                vec![],
            ),
            ("htpasswd -nb user password".into(), vec![]),
            ("htpasswd -bc .htpasswd admin <password>".into(), vec![]),
            (format!("cat /etc/nginx/.htpasswd -b x y {PW}"), vec![]),
            ("htpasswd -nb admin".into(), vec![]),
            // kubectl --from-literal
            (
                format!(
                    "kubectl create secret generic db --from-literal=username=app --from-literal=password={PW}"
                ),
                flag(PW),
            ),
            (
                format!("kubectl -n prod create secret generic api --from-literal=api-key={KEY}"),
                flag(KEY),
            ),
            (
                format!("oc create secret generic hook --from-literal 'WEBHOOK_TOKEN={KEY}'"),
                flag(KEY),
            ),
            (format!("  --from-literal=DB_PASSWORD='{PW}' \\"), flag(PW)),
            (
                format!("kubectl create secret generic db --from-literal=username={PW}"),
                vec![],
            ),
            (
                format!("kubectl create secret generic db --from-literal=host={PW}"),
                vec![],
            ),
            (
                "kubectl create secret generic db --from-literal=username=bob".into(),
                vec![],
            ),
            (
                "kubectl create secret generic db --from-literal=password=$DB_PASSWORD".into(),
                vec![],
            ),
            (
                "kubectl create secret generic db --from-literal=password=\"${DB_PASSWORD}\""
                    .into(),
                vec![],
            ),
            (
                "kubectl create secret generic db --from-literal=password=<password>".into(),
                vec![],
            ),
            (
                "kubectl create secret generic db --from-literal=api-key=xxx".into(),
                vec![],
            ),
            // an api key must look random; a password need not
            (
                "kubectl create secret generic db --from-literal=api-key=orders-service".into(),
                vec![],
            ),
            // redis.conf
            (format!("requirepass {PW}"), vec![(Form::Unquoted, PW)]),
            (format!("  masterauth \"{PW}\""), vec![(Form::Quoted, PW)]),
            (format!("REQUIREPASS {PW}\r"), vec![(Form::Unquoted, PW)]),
            ("# requirepass foobared".into(), vec![]),
            ("requirepass foobared".into(), vec![]),
            ("requirepass ${REDIS_PASSWORD}".into(), vec![]),
            ("masterauth <master-password>".into(), vec![]),
            ("masterauth".into(), vec![]),
            (format!("Set requirepass {PW} in redis.conf"), vec![]),
            (
                format!("requirepass {PW} is what the server checks"),
                vec![],
            ),
            (format!("requirepassword {PW}"), vec![]),
            // the server's flags and CONFIG SET
            (
                format!("    command: redis-server --requirepass {PW} --appendonly yes"),
                flag(PW),
            ),
            (format!("redis-server --masterauth '{PW}'"), flag(PW)),
            (format!("redis-cli CONFIG SET requirepass {PW}"), flag(PW)),
            (format!("r.config_set('requirepass', '{PW}')"), vec![]),
            (
                "redis-server --requirepass \"$REDIS_PASSWORD\"".into(),
                vec![],
            ),
            (
                format!("redis-cli config set requirepass {PW} && redis-cli -a {PW} ping"),
                vec![(Form::CliFlag, PW), (Form::CliFlag, PW)],
            ),
            (format!("--requirepassword {PW}"), vec![]),
            (format!("reconfig set requirepass {PW}"), vec![]),
        ];
        super::super::tests::assert_table(&cases, scan);
    }

    #[test]
    fn openssl_pass_sources_keytool_new_and_password_stdin_logins() {
        const PW: &str = "EnS89Jtk9Lp";
        let flag = |s: &'static str| vec![(Form::CliFlag, s)];
        let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
            // OpenSSL's `pass:` source
            (
                format!(
                    "openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass:{PW} -out b.p12"
                ),
                flag(PW),
            ),
            (
                format!("openssl rsa -in enc.key -passin pass:{PW} -out plain.key"),
                flag(PW),
            ),
            (
                format!("openssl enc -aes-256-cbc -pbkdf2 -pass 'pass:{PW}' -in a -out a.enc"),
                flag(PW),
            ),
            (
                format!("openssl pkcs12 -in b.p12 -nodes -password pass:\"{PW}\""),
                flag(PW),
            ),
            (
                format!("openssl req -new -key k.pem --passin pass:{PW} -out r.csr"),
                flag(PW),
            ),
            (
                format!(r#"subprocess.run(["openssl", "pkcs12", "-passout", "pass:{PW}"])"#),
                flag(PW),
            ),
            (format!("  -passin pass:{PW} \\"), flag(PW)),
            (
                "openssl rsa -passin env:KEY_PASSPHRASE -in enc.key".into(),
                vec![],
            ),
            (
                "openssl pkcs12 -passout file:/run/secrets/p12 -export".into(),
                vec![],
            ),
            ("openssl enc -pass fd:3 -d -in a.enc".into(), vec![]),
            ("openssl req -passin stdin -new -key k.pem".into(), vec![]),
            (
                "openssl rsa -passin pass:$KEY_PASS -in enc.key".into(),
                vec![],
            ),
            (
                "openssl rsa -passin \"pass:${KEY_PASS}\" -in enc.key".into(),
                vec![],
            ),
            (
                "openssl pkcs12 -passout pass:changeit -export".into(),
                vec![],
            ),
            (
                "openssl pkcs12 -passout pass:password -export".into(),
                vec![],
            ),
            ("openssl pkcs12 -passout pass: -export".into(), vec![]),
            (
                "openssl rsa -passin pass:<passphrase> -in enc.key".into(),
                vec![],
            ),
            // `pass:` after anything else is not OpenSSL's source
            (format!("echo pass:{PW}"), vec![]),
            (format!("--bypass pass:{PW}"), vec![]),
            (format!("url = \"user:pass:{PW}\""), vec![]),
            (format!("mypass:{PW}"), vec![]),
            // keytool -new
            (
                format!("keytool -storepasswd -new {PW} -keystore app.jks"),
                flag(PW),
            ),
            (
                format!("keytool -keypasswd -alias api -new '{PW}' -keystore app.jks"),
                flag(PW),
            ),
            (
                format!("keytool -storepasswd -keystore app.jks \\\n    -new {PW}"),
                flag(PW),
            ),
            (
                "keytool -storepasswd -new $NEW_STORE_PASS -keystore app.jks".into(),
                vec![],
            ),
            (
                "keytool -storepasswd -new changeit -keystore cacerts".into(),
                vec![],
            ),
            ("keytool -keypasswd -new -keystore app.jks".into(), vec![]),
            (format!("git checkout -b feature -new {PW}"), vec![]),
            // echo … | login --password-stdin
            (
                format!(
                    "echo \"{PW}\" | docker login -u ci --password-stdin registry.acme-corp.net"
                ),
                flag(PW),
            ),
            (
                format!(
                    "echo -n '{PW}' | podman login quay.acme-corp.net --username ci --password-stdin"
                ),
                flag(PW),
            ),
            (
                format!("echo {PW} | helm registry login oci.acme-corp.net -u ci --password-stdin"),
                flag(PW),
            ),
            (
                format!("printf '%s' \"{PW}\" | oras login -u ci --password-stdin r.acme-corp.net"),
                flag(PW),
            ),
            (
                format!("  - run: echo \"{PW}\" | docker login ghcr.io -u ci --password-stdin"),
                flag(PW),
            ),
            (
                "echo $CR_PAT | docker login ghcr.io -u ci --password-stdin".into(),
                vec![],
            ),
            (
                "echo \"${REGISTRY_PASSWORD}\" | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            (
                "echo \"$(cat /run/secrets/reg)\" | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            (
                "echo `cat pw.txt` | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            // echo … | sudo -S
            (format!("echo \"{PW}\" | sudo -S apt-get update"), flag(PW)),
            (
                format!("echo {PW} | sudo -kS systemctl restart app"),
                flag(PW),
            ),
            (
                format!("printf '%s' '{PW}' | sudo --stdin -u deploy whoami"),
                flag(PW),
            ),
            (format!("echo {PW} | sudo -u deploy -S ls /srv"), flag(PW)),
            (format!("echo {PW} | sudo -ku deploy -S ls"), flag(PW)),
            (
                format!("echo {PW} | sudo --user deploy --prompt '' -S ls"),
                flag(PW),
            ),
            (format!("echo {PW} | sudo -R /srv/jail -S ls"), flag(PW)),
            (format!("echo {PW} | /usr/bin/sudo -S ls"), flag(PW)),
            (format!("(echo {PW} | sudo -S ls)"), flag(PW)),
            (
                format!("(echo {PW} | docker login -u ci --password-stdin r.acme-corp.net)"),
                flag(PW),
            ),
            // `-uSvc` runs as the user Svc; `pseudo` is no sudo
            (format!("echo {PW} | sudo -uSvc ls"), vec![]),
            (format!("echo {PW} | pseudo -S ls"), vec![]),
            (format!("echo {PW} | sudo -- -S ls"), vec![]),
            ("echo $SUDO_PW | sudo -S apt-get update".into(), vec![]),
            (format!("echo {PW} | sudo apt-get update"), vec![]),
            (format!("echo {PW} | sudo -u -S ls"), vec![]),
            (format!("echo {PW} || sudo -S ls"), vec![]),
            (format!("echo {PW} | tee log | sudo -S ls"), vec![]),
            ("sudo -S apt-get update < pw.txt".into(), vec![]),
            (
                "echo \"${{ secrets.REGISTRY_TOKEN }}\" | docker login -u ci --password-stdin"
                    .into(),
                vec![],
            ),
            (
                "cat ~/pw.txt | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            (
                "echo changeme | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            (
                "echo <password> | docker login -u ci --password-stdin".into(),
                vec![],
            ),
            (
                format!("echo {PW} and more | docker login -u ci --password-stdin"),
                vec![],
            ),
            (
                format!("echo {PW} | tee log | docker login -u ci --password-stdin"),
                vec![],
            ),
            (format!("echo {PW} | docker push --password-stdin"), vec![]),
            (
                format!("echo {PW} || docker login -u ci --password-stdin"),
                vec![],
            ),
            (
                "docker login -u ci --password-stdin < pw.txt".into(),
                vec![],
            ),
        ];
        super::super::tests::assert_table(&cases, scan);
    }

    /// A command word on a line read as another command's continuation names no command of
    /// the next line: `mysql` in curl's `--data` does not make the next line's `-p…` a MySQL
    /// password.
    #[test]
    fn command_words_on_continuation_lines_stay_there() {
        let text =
            "curl -u deploy:Xq7mK2pLw9Rz \\\n  --data mysql\nfoo -u root -pHv8sN3qT6yWc orders\n";
        assert_eq!(
            scan(text),
            vec![(Form::CurlUser, "Xq7mK2pLw9Rz".to_string())]
        );
    }

    #[test]
    fn rabbitmqctl_mongodb_tools_and_vault_login_by_their_syntax() {
        const PW: &str = "tV4r#Lm82Qx";
        const TOKEN: &str = "hvs.CAESIGq3Rz8KpW2vN7xYbT5mLc9D";
        let flag = |s: &'static str| vec![(Form::CliFlag, s)];
        let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
            // rabbitmqctl add_user / change_password <user> <password>
            (format!("rabbitmqctl add_user deployer {PW}"), flag(PW)),
            (
                format!("sudo rabbitmqctl change_password deployer '{PW}'"),
                flag(PW),
            ),
            (
                format!(
                    "rabbitmqctl -n rabbit@mq1 add_user ops \"{PW}\" && rabbitmqctl set_user_tags ops administrator"
                ),
                flag(PW),
            ),
            (
                format!("docker exec mq rabbitmqctl --node rabbit@mq1 -q add_user ops {PW}"),
                flag(PW),
            ),
            (
                format!(r#"    command: ["rabbitmqctl", "add_user", "ops", "{PW}"]"#),
                flag(PW),
            ),
            (
                "rabbitmqctl add_user deployer $RABBITMQ_PASSWORD".into(),
                vec![],
            ),
            (
                "rabbitmqctl add_user deployer \"${RABBIT_PASS}\"".into(),
                vec![],
            ),
            (
                "rabbitmqctl add_user deployer \"$(cat /run/secrets/mq)\"".into(),
                vec![],
            ),
            (
                "rabbitmqctl add_user deployer '{{ rabbitmq_password }}'".into(),
                vec![],
            ),
            ("rabbitmqctl add_user <username> <password>".into(), vec![]),
            ("rabbitmqctl add_user guest guest".into(), vec![]),
            ("rabbitmqctl change_password admin changeme".into(), vec![]),
            ("rabbitmqctl add_user deployer".into(), vec![]),
            (
                format!("rabbitmqctl add_user --pre-hashed-password deployer {PW}"),
                vec![],
            ),
            (
                format!("rabbitmqctl set_permissions -p / deployer {PW}"),
                vec![],
            ),
            (format!("rabbitmqctl delete_user {PW}"), vec![]),
            (format!("my-rabbitmqctl add_user ops {PW}"), vec![]),
            // MongoDB shells and tools: `-p <password>`
            (
                format!("mongosh -u admin -p {PW} --authenticationDatabase admin"),
                flag(PW),
            ),
            (
                format!("mongo mongodb://db1:27017/app -u app -p '{PW}'"),
                flag(PW),
            ),
            (
                format!("mongodump --host db1 -u backup -p \"{PW}\" --out /backup"),
                flag(PW),
            ),
            (format!("mongorestore -u ops -p {PW} dump/"), flag(PW)),
            (
                format!("mongoexport -d app -c users -u ops -p {PW} -o users.json"),
                flag(PW),
            ),
            (
                format!("mongoimport -u ops -p {PW} --file a.json"),
                flag(PW),
            ),
            (format!("mongostat -u ops -p {PW} 5"), flag(PW)),
            (format!("mongotop -u ops -p {PW}"), flag(PW)),
            (
                format!("docker exec -it db mongosh -u root -p {PW} && echo done"),
                flag(PW),
            ),
            (
                format!("mongodump --uri mongodb://db1 -u backup \\\n  -p {PW} \\\n  --gzip"),
                flag(PW),
            ),
            ("mongosh -u admin -p $MONGO_PASSWORD".into(), vec![]),
            (
                "mongosh -u admin -p \"${MONGO_INITDB_ROOT_PASSWORD}\"".into(),
                vec![],
            ),
            (
                "mongosh -u admin -p --authenticationDatabase admin".into(),
                vec![],
            ),
            ("mongosh -u admin -p".into(), vec![]),
            ("mongosh -u admin -p <password>".into(), vec![]),
            ("mongosh -u admin -p changeme".into(), vec![]),
            // `-p` of another command on a line that names MongoDB is a port
            ("docker run -d -p 27017:27017 mongo".into(), vec![]),
            (format!("docker run -p {PW} mongo:7"), vec![]),
            (format!("ssh -p {PW} mongodb-host"), vec![]),
            (format!("mongod --port 27017 && ssh -p {PW} host"), vec![]),
            (format!("pymongo -p {PW}"), vec![]),
            // vault login <token>, and a login method's password=
            (format!("vault login {TOKEN}"), flag(TOKEN)),
            (format!("vault login -no-print '{TOKEN}'"), flag(TOKEN)),
            (
                format!("vault login -address=https://vault.acme.test:8200 {TOKEN}"),
                flag(TOKEN),
            ),
            (format!("vault login -method=token {TOKEN}"), flag(TOKEN)),
            (
                format!("vault login -method=userpass username=ops password={PW}"),
                flag(PW),
            ),
            (
                format!("vault login -method ldap username=ops password='{PW}'"),
                flag(PW),
            ),
            ("vault login".into(), vec![]),
            ("vault login -".into(), vec![]),
            ("vault login $VAULT_TOKEN".into(), vec![]),
            ("vault login \"$(cat ~/.vault-token)\"".into(), vec![]),
            ("vault login {{ vault_token }}".into(), vec![]),
            ("vault login <token>".into(), vec![]),
            (
                "vault login -method=github token=$GITHUB_TOKEN".into(),
                vec![],
            ),
            ("vault login -method=userpass username=ops".into(), vec![]),
            (
                "vault login -method=userpass username=ops password=$VAULT_PASS".into(),
                vec![],
            ),
            (
                "vault login -method=aws role=deployer-role-name".into(),
                vec![],
            ),
            (format!("vault login -method=oidc role={PW}"), vec![]),
            (format!("vault read -field=value secret/{PW}"), vec![]),
            (format!("my-vault login {TOKEN}"), vec![]),
        ];
        super::super::tests::assert_table(&cases, scan);
    }
}
