//! Text that did not come from leakguard, made harmless before it reaches a terminal.
//!
//! A cloned repository controls most of what leakguard prints: provider and detector names,
//! rotation steps, URLs, ids and globs in `.leakguard.toml`, file paths, commit subjects and
//! author names, the first characters of a secret, and every error message that quotes one of
//! them. Printed raw, an escape sequence in any of these drives the developer's terminal: OSC 52
//! writes to the clipboard, `ESC[8m` hides the rest of the report, `ESC[2K` erases a line and
//! a bidi override reorders what is shown. This module is the one place that decides what is
//! shown escaped: every control character (C0, DEL, C1) and every invisible bidirectional
//! control (embeddings, overrides, isolates, marks) and the line and paragraph separators,
//! shown as `\e`, `\n`, `\u{202e}`… Everything else, including backslashes, is kept, so a
//! path or a name stays readable.
//!
//! `Escaped` (a `Display` wrapper) is how reports print a foreign string; `quote` is how an
//! error message quotes one (escaped and shortened); `tame` makes a message built by a library
//! from foreign text (toml, serde) safe and bounded; `one_line` renders a whole error chain.
//! `json` writes JSON whose strings keep their original value while every character a
//! terminal could act on is a `\u` escape, so a report piped to a terminal is safe too.
//! The colour codes the human report adds itself are the only escapes leakguard emits
//! (`report::terminal` enforces it on the finished report).

use std::borrow::Cow;
use std::fmt;
use std::io;

/// Whether `c` is shown escaped: a control character (C0, DEL, C1) or an invisible
/// bidirectional control (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069) or a line or
/// paragraph separator (U+2028–U+2029, which some programs break lines at).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Writes the escaped form of one unsafe character.
fn escape_char(out: &mut dyn fmt::Write, c: char) -> fmt::Result {
    match c {
        '\x1b' => out.write_str("\\e"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        '\0' => out.write_str("\\0"),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    }
}

/// Writes `s` with every unsafe character escaped.
fn write_escaped(out: &mut dyn fmt::Write, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(at) = rest.find(is_unsafe) {
        out.write_str(&rest[..at])?;
        let c = rest[at..]
            .chars()
            .next()
            .expect("a character at a found index");
        escape_char(out, c)?;
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

/// `s` with every unsafe character escaped; borrowed when there is none (the usual case).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    write_escaped(&mut out, s).expect("writing to a String");
    Cow::Owned(out)
}

/// A string that did not come from leakguard, as a report prints it: `Display` escapes every
/// unsafe character (and honours width and alignment, for tables).
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_some() || f.precision().is_some() {
            f.pad(&escape(self.0))
        } else {
            write_escaped(f, self.0)
        }
    }
}

/// The escaped form of `s`, at most `limit` characters of it, never cut inside an escape;
/// `true` when something was left out.
fn escape_at_most(out: &mut String, s: &str, limit: usize) -> bool {
    let mut shown = 0;
    let mut piece = String::new();
    for c in s.chars() {
        piece.clear();
        if is_unsafe(c) {
            escape_char(&mut piece, c).expect("writing to a String");
        } else {
            piece.push(c);
        }
        let n = piece.chars().count();
        if shown + n > limit {
            return true;
        }
        out.push_str(&piece);
        shown += n;
    }
    false
}

/// Characters of a foreign value an error message quotes (`quote`).
pub const QUOTE_LIMIT: usize = 60;

/// A foreign value as an error message quotes it: in backticks, escaped, and cut to
/// `QUOTE_LIMIT` characters with `…` (a 30-line provider id stays one short line).
pub fn quote(s: &str) -> String {
    let mut out = String::from("`");
    if escape_at_most(&mut out, s, QUOTE_LIMIT) {
        out.push('…');
    }
    out.push('`');
    out
}

/// Characters of a backtick-quoted span that `tame` keeps, and of a whole tamed message.
const TAME_SPAN_LIMIT: usize = 200;
const TAME_LIMIT: usize = 1000;

/// A message a library built, possibly from foreign text (toml's `unknown variant `…``,
/// serde's errors): escaped, each backtick-quoted span cut to 200 characters and the whole to
/// 1000, so that it stays one bounded line whatever the input held.
pub fn tame(message: &str) -> String {
    let mut out = String::new();
    let mut total = 0;
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
            total += 1;
        }
        let quoted = i % 2 == 1;
        let limit = if quoted {
            TAME_SPAN_LIMIT.min(TAME_LIMIT.saturating_sub(total))
        } else {
            TAME_LIMIT.saturating_sub(total)
        };
        let before = out.chars().count();
        let cut = escape_at_most(&mut out, part, limit);
        total += out.chars().count() - before;
        if cut {
            out.push('…');
            total += 1;
            if !quoted || total >= TAME_LIMIT {
                break;
            }
        }
    }
    out
}

/// A whole error message (a chain of causes joined by `: `) as one line: line breaks become
/// spaces (libraries format some messages on several lines) and every other unsafe character
/// is escaped.
pub fn one_line(message: &str) -> String {
    escape(&message.replace(['\n', '\r'], " ")).into_owned()
}

/// An error and its causes as the one line `main` prints: `error: cause: cause`, through
/// `one_line`. Messages quote paths, ids and library text; none of it reaches the terminal raw.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        line.push_str(": ");
        line.push_str(&c.to_string());
        cause = c.source();
    }
    one_line(&line)
}

/// JSON output whose strings hold their original values, written so that no byte of it can
/// drive a terminal: serde_json escapes C0 controls itself; this also writes DEL, C1 controls,
/// bidi controls and the line separators as `\uXXXX`.
pub mod json {
    use super::*;
    use serde::Serialize;
    use serde_json::ser::{Formatter, PrettyFormatter};

    /// `serde_json::to_writer_pretty`, with unsafe characters escaped.
    pub fn to_writer_pretty<W: io::Write, T: Serialize + ?Sized>(
        writer: W,
        value: &T,
    ) -> serde_json::Result<()> {
        let mut ser = serde_json::Serializer::with_formatter(writer, Safe(PrettyFormatter::new()));
        value.serialize(&mut ser)
    }

    /// `serde_json::to_string_pretty`, with unsafe characters escaped.
    pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
        let mut out = Vec::new();
        to_writer_pretty(&mut out, value)?;
        Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
    }

    struct Safe(PrettyFormatter<'static>);

    impl Formatter for Safe {
        fn write_string_fragment<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            fragment: &str,
        ) -> io::Result<()> {
            let mut rest = fragment;
            while let Some(at) = rest.find(is_unsafe) {
                writer.write_all(&rest.as_bytes()[..at])?;
                let c = rest[at..]
                    .chars()
                    .next()
                    .expect("a character at a found index");
                // All unsafe characters are in the Basic Multilingual Plane: one `\uXXXX`.
                write!(writer, "\\u{:04x}", c as u32)?;
                rest = &rest[at + c.len_utf8()..];
            }
            writer.write_all(rest.as_bytes())
        }

        fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.begin_array(w)
        }
        fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.end_array(w)
        }
        fn begin_array_value<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            self.0.begin_array_value(w, first)
        }
        fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.end_array_value(w)
        }
        fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.begin_object(w)
        }
        fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.end_object(w)
        }
        fn begin_object_key<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> io::Result<()> {
            self.0.begin_object_key(w, first)
        }
        fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.begin_object_value(w)
        }
        fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
            self.0.end_object_value(w)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "ACME\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[8mHIDDEN\u{9b}2K\u{202e}gpj.exe\u{2066}\n\r\t\u{7f}";

    fn clean(s: &str) -> bool {
        !s.chars().any(is_unsafe)
    }

    #[test]
    fn every_control_and_bidi_character_is_escaped() {
        let shown = Escaped(HOSTILE).to_string();
        assert_eq!(
            shown,
            "ACME\\e]52;c;ZXZpbA==\\u{7}\\e[8mHIDDEN\\u{9b}2K\\u{202e}gpj.exe\\u{2066}\\n\\r\\t\\u{7f}"
        );
        assert!(clean(&shown));
        assert_eq!(
            escape("plain C:\\path ünïcode 🙂"),
            "plain C:\\path ünïcode 🙂"
        );
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        // Escaping escaped text changes nothing.
        assert_eq!(escape(&shown), shown);
        assert_eq!(format!("[{:<8}]", Escaped("a\u{1b}")), "[a\\e     ]");
    }

    #[test]
    fn quotes_are_escaped_and_short() {
        let id = format!("id{}end", "\n".repeat(38));
        let q = quote(&id);
        assert!(clean(&q) && !q.contains('\n'), "{q}");
        assert!(q.chars().count() <= QUOTE_LIMIT + 3, "{q}");
        assert!(q.starts_with("`id\\n\\n") && q.ends_with("…`"), "{q}");
        assert_eq!(quote("acme"), "`acme`");
        // Never cut inside an escape.
        let q = quote(&"\u{202e}".repeat(30));
        assert!(q.ends_with("\\u{202e}…`"), "{q}");
    }

    #[test]
    fn tamed_messages_are_one_bounded_line() {
        let long = "x".repeat(5000);
        let m = tame(&format!(
            "unknown variant `{long}\n`, expected one of `low`, `high`"
        ));
        assert!(clean(&m));
        assert!(m.chars().count() < 300, "{m}");
        assert!(m.ends_with("…`, expected one of `low`, `high`"), "{m}");
        let m = tame(&format!("{long}\n{long}"));
        assert!(m.chars().count() <= TAME_LIMIT + 1 && m.ends_with('…'));
        assert_eq!(tame("plain `a` b"), "plain `a` b");
    }

    #[test]
    fn error_lines_keep_words_apart_and_escape_the_rest() {
        assert_eq!(one_line("a\nb\r\nc\u{1b}[2K"), "a b  c\\e[2K");
    }

    #[test]
    fn json_keeps_values_and_escapes_what_a_terminal_acts_on() {
        let text = json::to_string_pretty(&serde_json::json!({ "v": HOSTILE })).unwrap();
        assert!(clean(&text.replace('\n', "")), "{text:?}");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["v"], HOSTILE);
        assert_eq!(
            json::to_string_pretty(&serde_json::json!({"a": [1, "b"]})).unwrap(),
            serde_json::to_string_pretty(&serde_json::json!({"a": [1, "b"]})).unwrap()
        );
    }
}
