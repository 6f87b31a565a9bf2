//! Passwords in SQL statements that set one, as migrations, init scripts and docs write them:
//! PostgreSQL's `CREATE|ALTER USER|ROLE … [WITH] [ENCRYPTED] PASSWORD '…'`, MySQL's, MariaDB's
//! and Oracle's `IDENTIFIED [WITH <plugin>] BY '…'`, MySQL's `SET PASSWORD [FOR …] = '…'` (or
//! `= PASSWORD('…')`) and SQL Server's `CREATE|ALTER LOGIN … WITH PASSWORD = '…'`. Keywords
//! count in any case.
//!
//! A password here is a string literal (`'it''s…'`, its quote doubled inside, is one) or,
//! after `IDENTIFIED BY`, Oracle's unquoted identifier (`IDENTIFIED BY Tq8vW3nY`); a bound
//! parameter (`$1`, `?`, `:pw`, `%s`, `@pw`), a SQL*Plus substitution variable (`&pw`) or
//! `VALUES '<hash>'` is not read, and the password goes through the password rule, which
//! rejects placeholders, templates and stand-ins (`tiger`). A `PASSWORD` word counts only in a
//! statement that creates or alters a user, role or login (looked for back to the previous
//! `;`), so `password 'x'` elsewhere is not read as SQL. Everything is compared in place over
//! the bytes: no allocation, no regex.

use std::ops::Range;

// A clause's words stay on a line: only spaces and tabs are skipped between them.
use super::command::skip_spaces;
use super::value;

/// A password literal in a SQL statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlPassword {
    pub secret: Range<usize>,
    /// A string literal, not Oracle's bare identifier.
    pub quoted: bool,
}

// The keywords a password clause starts from (`word_lists::SQL`, found in any case) are on
// every line the prefilter passes: `identified` is a keyword of the binding matcher, `password`
// holds `pass`.

/// How far back a statement's head (`CREATE ROLE app WITH`) is looked for: a statement that
/// spreads its options over lines stays within this.
const MAX_HEAD: usize = 1024;

/// Every SQL password literal that one of `words` starts (`word_lists::SQL` words of a window
/// of `hay`, (index, place), as `words::InWindow::sql` gives them). A statement's head may lie
/// before the window (`CREATE ROLE app WITH` on one line, `PASSWORD '…'` on a later one).
pub fn find(
    hay: &[u8],
    words: impl IntoIterator<Item = (usize, Range<usize>)>,
    out: &mut Vec<SqlPassword>,
) {
    for (word, m) in words {
        let (at, end) = (m.start, m.end);
        if !is_keyword(hay, at, end) {
            continue;
        }
        let identified = word == 0;
        let set = !identified && preceded_by_set(hay, at);
        // The literal first: most `password`s are followed by none, and then the statement's
        // head (up to `MAX_HEAD` bytes back) is never read.
        let literal = if identified {
            identified_by(hay, end)
        } else if set {
            set_password(hay, end)
        } else {
            password_clause(hay, end)
        };
        let Some(l) = literal else { continue };
        if !set && !sets_an_account(&hay[statement_start(hay, at)..at], identified) {
            continue;
        }
        let v = &hay[l.clone()];
        if !is_stored_hash(v) && value::password(v, false).is_ok() {
            let quoted = l.start > 0 && matches!(hay[l.start - 1], b'\'' | b'"');
            out.push(SqlPassword { secret: l, quoted });
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `at..end` is a keyword of a statement: after the line's start, a space or `(`, and
/// before a space, `=` or `(` (`PASSWORD='…'`, `PASSWORD('…')`). Not part of a name
/// (`db_password`, `password_hash`), a variable or parameter (`$password`, `:password`), a
/// member (`user.password`), a flag (`--password`) or a quoted word (`add('password', …)`).
fn is_keyword(hay: &[u8], at: usize, end: usize) -> bool {
    let before = at
        .checked_sub(1)
        .is_none_or(|i| hay[i].is_ascii_whitespace() || hay[i] == b'(');
    let after = hay
        .get(end)
        .is_none_or(|&b| b.is_ascii_whitespace() || b == b'=' || b == b'(');
    before && after
}

/// The end of keyword `kw` (any case) at `p`, if it is there as a word.
fn keyword_at(hay: &[u8], p: usize, kw: &[u8]) -> Option<usize> {
    let end = p + kw.len();
    (hay.get(p..end)?.eq_ignore_ascii_case(kw) && !hay.get(end).is_some_and(|&b| is_word_byte(b)))
        .then_some(end)
}

/// The contents of the SQL string literal at `p`: `'…'`, `"…"` (MySQL's strings, Oracle's
/// quoted passwords), with a `N` or `E` prefix (SQL Server's Unicode strings, PostgreSQL's
/// escape strings), or its quotes escaped inside a host language's string (`\"…\"`). `None`
/// for anything else (a parameter, a name, `NULL`) and for an empty or unclosed literal; a
/// literal does not run past its line.
fn literal(hay: &[u8], mut p: usize) -> Option<Range<usize>> {
    if matches!(hay.get(p), Some(b'N' | b'n' | b'E' | b'e')) && hay.get(p + 1) == Some(&b'\'') {
        p += 1;
    }
    let escaped = hay.get(p) == Some(&b'\\');
    let quote = *hay.get(p + usize::from(escaped))?;
    if quote != b'\'' && quote != b'"' {
        return None;
    }
    let start = p + 1 + usize::from(escaped);
    let line_end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |i| start + i);
    let body = &hay[start..line_end];
    let len = if escaped {
        memchr::memmem::find(body, &[b'\\', quote])?
    } else {
        // A doubled quote is one quote inside the literal (`'it''s'`).
        let mut i = 0;
        loop {
            i += memchr::memchr(quote, &body[i..])?;
            if body.get(i + 1) != Some(&quote) || i == 0 {
                break i;
            }
            i += 2;
        }
    };
    (len > 0).then_some(start..start + len)
}

/// `IDENTIFIED [WITH <plugin>] BY '<password>'`, from the end of `IDENTIFIED`. Not MySQL's
/// `BY PASSWORD '<hash>'`, `AS '<hash>'` or `BY RANDOM PASSWORD`, nor Oracle's
/// `EXTERNALLY` / `GLOBALLY`.
fn identified_by(hay: &[u8], end: usize) -> Option<Range<usize>> {
    let mut p = skip_spaces(hay, end);
    if let Some(e) = keyword_at(hay, p, b"with") {
        // The plugin: a name, or a quoted one (`'mysql_native_password'`).
        p = skip_spaces(hay, e);
        p = match literal(hay, p) {
            Some(l) => l.end + 1,
            None => {
                let name = hay[p..].iter().take_while(|&&b| is_word_byte(b)).count();
                if name == 0 {
                    return None;
                }
                p + name
            }
        };
        p = skip_spaces(hay, p);
    }
    p = skip_spaces(hay, keyword_at(hay, p, b"by")?);
    if keyword_at(hay, p, b"password").is_some() {
        return None;
    }
    literal(hay, p).or_else(|| oracle_identifier(hay, p))
}

/// Oracle's unquoted password, `IDENTIFIED BY <identifier>`: a letter, then letters, digits,
/// `_`, `$` and `#`, ending where the clause does (a space, `;`, the line's end, a host
/// string's closing quote). Not `VALUES '…'` (a stored hash), nor a bind variable (`:pw`), a
/// SQL*Plus substitution variable (`&pw`) or a template (`${pw}`, `{{pw}}`), which start with
/// no letter. A word of letters and underscores alone (`app_pw`, `new_password`,
/// `RANDOM`) is read as a name a script or a document fills in, not as a password.
fn oracle_identifier(hay: &[u8], p: usize) -> Option<Range<usize>> {
    if !hay.get(p)?.is_ascii_alphabetic() || keyword_at(hay, p, b"values").is_some() {
        return None;
    }
    let len = hay[p..]
        .iter()
        .take_while(|&&b| is_word_byte(b) || b == b'$' || b == b'#')
        .count();
    let end = p + len;
    let ends_clause = hay
        .get(end)
        .is_none_or(|&b| b.is_ascii_whitespace() || matches!(b, b';' | b'"' | b'\'' | b'`'));
    let word = &hay[p..end];
    let name_like = word.iter().all(|&b| b.is_ascii_alphabetic() || b == b'_');
    (ends_clause && !name_like).then_some(p..end)
}

/// Whether the word before `at` is `SET` (MySQL's `SET PASSWORD`).
fn preceded_by_set(hay: &[u8], at: usize) -> bool {
    let before = &hay[..at];
    let end = before
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    end >= 3
        && before[end - 3..end].eq_ignore_ascii_case(b"set")
        && (end == 3 || !is_word_byte(before[end - 4]))
}

/// Most bytes between `SET PASSWORD` and its `=`: the account, `FOR 'app'@'%'`.
const MAX_ACCOUNT: usize = 128;

/// `SET PASSWORD [FOR <account>] = '<password>'` or `= PASSWORD('<password>')`, from the end
/// of `PASSWORD`.
fn set_password(hay: &[u8], end: usize) -> Option<Range<usize>> {
    let limit = hay.len().min(end + MAX_ACCOUNT);
    let eq = end + memchr::memchr(b'=', &hay[end..limit])?;
    if hay[end..eq].iter().any(|&b| matches!(b, b'\n' | b';')) {
        return None;
    }
    let mut p = skip_spaces(hay, eq + 1);
    if let Some(e) = keyword_at(hay, p, b"password") {
        p = skip_spaces(hay, e);
        if hay.get(p) != Some(&b'(') {
            return None;
        }
        p = skip_spaces(hay, p + 1);
    }
    literal(hay, p)
}

/// `PASSWORD [=] '<password>'`, from the end of `PASSWORD`; not SQL Server's `PASSWORD =
/// '<hash>' HASHED`.
fn password_clause(hay: &[u8], end: usize) -> Option<Range<usize>> {
    let mut p = skip_spaces(hay, end);
    if hay.get(p) == Some(&b'=') {
        p = skip_spaces(hay, p + 1);
    }
    let l = literal(hay, p)?;
    let after = skip_spaces(hay, l.end + 1);
    keyword_at(hay, after, b"hashed").is_none().then_some(l)
}

/// Where the statement holding `at` starts: after the previous `;`, at most `MAX_HEAD` back.
fn statement_start(hay: &[u8], at: usize) -> usize {
    let floor = at.saturating_sub(MAX_HEAD);
    memchr::memrchr(b';', &hay[floor..at]).map_or(floor, |i| floor + i + 1)
}

/// Whether `head` (a statement up to its `PASSWORD` or `IDENTIFIED`) creates or alters an
/// account: `CREATE` or `ALTER` right before `USER`, `ROLE` or `LOGIN`, in any case. Before
/// `IDENTIFIED` also MySQL's older `GRANT … TO … IDENTIFIED BY` and Oracle's `CREATE DATABASE
/// LINK … CONNECT TO … IDENTIFIED BY`. Prose says "identified by 'name'" often (API docs:
/// "the column identified by 'colUsed'"); SQL says it after one of these.
fn sets_an_account(head: &[u8], identified: bool) -> bool {
    // Adjacent words, as SQL writes them: prose puts words between ("create a user with
    // password '…'", "alter the user's settings"). The verb starts a statement: its line, a
    // string (`execute("CREATE USER …`) or a parenthesis, never the middle of a sentence
    // ("Feature: create user").
    let mut prev: &[u8] = b"";
    let mut prev_starts = false;
    let mut i = 0;
    while i < head.len() {
        if !is_word_byte(head[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < head.len() && is_word_byte(head[i]) {
            i += 1;
        }
        let w = &head[start..i];
        let before = head[..start]
            .iter()
            .rev()
            .find(|&&b| b != b' ' && b != b'\t');
        let starts = matches!(
            before,
            None | Some(b'\n' | b'\r' | b'"' | b'\'' | b'`' | b'(' | b';')
        );
        let is = |k: &[u8]| w.eq_ignore_ascii_case(k);
        let after = |k: &[u8]| prev.eq_ignore_ascii_case(k);
        if (prev_starts
            && (after(b"create") || after(b"alter"))
            && (is(b"user") || is(b"role") || is(b"login")))
            || (identified && (is(b"grant") || (after(b"database") && is(b"link"))))
        {
            return true;
        }
        prev = w;
        prev_starts = starts;
    }
    false
}

/// PostgreSQL's and MySQL's stored forms, which a statement may set instead of the password:
/// `md5` and 32 hex digits, `SCRAM-SHA-256$…`, `*` and 40 hex digits. A hash, not the password.
fn is_stored_hash(v: &[u8]) -> bool {
    let hex = |s: &[u8], n: usize| s.len() == n && s.iter().all(u8::is_ascii_hexdigit);
    (v.starts_with(b"md5") && hex(&v[3..], 32))
        || v.starts_with(b"SCRAM-SHA-256$")
        || (v.starts_with(b"*") && hex(&v[1..], 40))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every password `find` reports in `text`.
    fn scan(text: &str) -> Vec<String> {
        let hay = text.as_bytes();
        let mut out = Vec::new();
        let words = super::super::words_in(hay);
        find(
            hay,
            super::super::words::InWindow::new(&words, 0..hay.len()).sql(),
            &mut out,
        );
        out.into_iter()
            .map(|s| String::from_utf8_lossy(&hay[s.secret]).into_owned())
            .collect()
    }

    #[test]
    fn password_literals_in_statements_that_set_one() {
        const PW: &str = "Yt6#mzQ2vkR";
        let found = |text: String| (text, vec![PW]);
        let none = |text: &str| (text.to_string(), vec![]);
        let cases: Vec<(String, Vec<&str>)> = vec![
            // PostgreSQL
            found(format!("CREATE USER app WITH PASSWORD '{PW}';")),
            found(format!(
                "create role reporting login password '{PW}' valid until 'infinity';"
            )),
            found(format!("ALTER ROLE app WITH ENCRYPTED PASSWORD '{PW}';")),
            found(format!("Alter User app Password E'{PW}';")),
            found(format!(
                "CREATE ROLE app WITH\n  LOGIN\n  NOSUPERUSER\n  PASSWORD '{PW}';"
            )),
            found(format!(
                r#"psql -c "CREATE USER app WITH PASSWORD '{PW}';""#
            )),
            found(format!(
                "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password '{PW}');"
            )),
            // MySQL, MariaDB, Oracle
            found(format!("CREATE USER 'app'@'%' IDENTIFIED BY '{PW}';")),
            found(format!("ALTER USER app IDENTIFIED BY \"{PW}\";")),
            found(format!(
                "ALTER USER 'app'@'localhost' IDENTIFIED WITH mysql_native_password BY '{PW}';"
            )),
            found(format!(
                "CREATE USER app IDENTIFIED WITH 'caching_sha2_password' BY '{PW}';"
            )),
            found(format!(
                "grant all on shop.* to 'app'@'%' identified by '{PW}';"
            )),
            found(format!(
                r#"cursor.execute("CREATE USER app IDENTIFIED BY \"{PW}\"")"#
            )),
            found(format!("SET PASSWORD FOR 'app'@'%' = '{PW}';")),
            found(format!("set password = password('{PW}');")),
            // SQL Server
            found(format!("CREATE LOGIN app WITH PASSWORD = '{PW}';")),
            found(format!(
                "ALTER LOGIN [app] WITH PASSWORD = N'{PW}' OLD_PASSWORD = 'x';"
            )),
            // bound parameters, placeholders, templates and variables
            none("CREATE USER app WITH PASSWORD $1;"),
            none("ALTER USER app IDENTIFIED BY ?;"),
            none("ALTER USER app IDENTIFIED BY :pw"),
            none("CREATE USER app WITH PASSWORD %s"),
            none("CREATE LOGIN app WITH PASSWORD = @pw;"),
            none("CREATE USER app WITH PASSWORD '%s';"),
            none("CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';"),
            none("ALTER USER app WITH PASSWORD '{password}';"),
            none("CREATE USER app WITH PASSWORD '<password>';"),
            none("CREATE USER app IDENTIFIED BY 'changeme';"),
            none("CREATE USER app IDENTIFIED BY 'password';"),
            none("CREATE USER app IDENTIFIED BY 'xxx';"),
            none(r#"sql = "CREATE USER app WITH PASSWORD '" + pw + "'""#),
            none("f\"ALTER USER {user} IDENTIFIED BY '{new_password}'\""),
            // no literal, or a stored hash
            none("CREATE USER app IDENTIFIED BY app_pw;"),
            none("CREATE USER app IDENTIFIED EXTERNALLY;"),
            none("ALTER USER app IDENTIFIED BY RANDOM PASSWORD;"),
            none("CREATE USER app IDENTIFIED BY;"),
            none(
                "CREATE USER app IDENTIFIED BY PASSWORD '*0A1B2C3D4E5F60718293A4B5C6D7E8F901234567';",
            ),
            none(
                "CREATE USER app IDENTIFIED WITH mysql_native_password AS '*0A1B2C3D4E5F60718293A4B5C6D7E8F901234567';",
            ),
            none("ALTER ROLE app PASSWORD 'md50a1b2c3d4e5f60718293a4b5c6d7e8f9';"),
            none("CREATE LOGIN app WITH PASSWORD = 0x0200AB HASHED;"),
            none(&format!("CREATE LOGIN app WITH PASSWORD = '{PW}' HASHED;")),
            none("CREATE USER app PASSWORD EXPIRE INTERVAL 90 DAY;"),
            none("ALTER ROLE app PASSWORD NULL;"),
            // not a statement that sets an account's password
            none(&format!("SELECT * FROM users WHERE password = '{PW}';")),
            none(&format!("UPDATE accounts SET db_password = '{PW}';")),
            none(&format!("form.password '{PW}'")),
            none(&format!(
                "-- create the user\nnode.add_new_child('password', '{PW}')"
            )),
            none(&format!("The password '{PW}' is rejected.")),
            none(&format!(
                "// Returns the device identified by '{PW}' and its peers."
            )),
            none(&format!("-- the column identified by \"{PW}\"\nSELECT 1;")),
            found(format!(
                "CREATE DATABASE LINK sales CONNECT TO app IDENTIFIED BY \"{PW}\" USING 'orcl';"
            )),
            // a quote doubled inside a literal is part of it
            (
                "ALTER USER app IDENTIFIED BY 'fZe5''9U0Dhzl';".into(),
                vec!["fZe5''9U0Dhzl"],
            ),
            (
                "CREATE USER app WITH PASSWORD 'it''s-7Xpu77wz';".into(),
                vec!["it''s-7Xpu77wz"],
            ),
            none("CREATE USER app WITH PASSWORD '';"),
            // Oracle's unquoted password
            (
                "CREATE USER app IDENTIFIED BY GCrVcT7rPfu DEFAULT TABLESPACE users;".into(),
                vec!["GCrVcT7rPfu"],
            ),
            (
                "alter user app identified by Zk4_x9Qm#v;".into(),
                vec!["Zk4_x9Qm#v"],
            ),
            (
                "ALTER USER system IDENTIFIED BY w3lT$8qRnx ACCOUNT UNLOCK;".into(),
                vec!["w3lT$8qRnx"],
            ),
            (
                r#"cur.execute("CREATE USER app IDENTIFIED BY Hq2vNp8rTz")"#.into(),
                vec!["Hq2vNp8rTz"],
            ),
            none("CREATE USER scott IDENTIFIED BY tiger;"),
            none("CREATE USER scott IDENTIFIED BY Tiger123;"),
            none("CREATE USER app IDENTIFIED BY changeme1;"),
            none("CREATE USER app IDENTIFIED BY VALUES 'S:8F2A0C9D1E7B';"),
            none("CREATE USER app IDENTIFIED GLOBALLY AS 'CN=app';"),
            none("ALTER USER app IDENTIFIED BY &new_password;"),
            none("ALTER USER app IDENTIFIED BY &&pw1;"),
            none("ALTER USER app IDENTIFIED BY :pw1;"),
            none("ALTER USER app IDENTIFIED BY ${pw1};"),
            none("ALTER USER app IDENTIFIED BY {{ oracle_pw1 }};"),
            none("ALTER USER app IDENTIFIED BY new_password;"),
            none("ALTER USER app IDENTIFIED BY MyPassword;"),
            none("ALTER USER app IDENTIFIED BY pw.value;"),
            none("ALTER USER app IDENTIFIED BY pw1%s;"),
            none("The account is identified by Hq2vNp8rTz in the directory."),
        ];
        let mut wrong = Vec::new();
        for (text, expected) in &cases {
            let got = scan(text);
            if got != *expected {
                wrong.push(format!("{text:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
