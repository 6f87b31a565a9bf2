//! The last step before a human report reaches a terminal: its own colour codes are the only
//! escape sequences it may hold.
//!
//! Every string of the repository's is escaped where the report prints it (`escape::Escaped`);
//! this guard checks the finished text once more and escapes anything unsafe that is not one
//! of the sequences `Styles` writes, so a string printed without `Escaped` by mistake still
//! cannot drive the terminal (it can at worst recolour, or break a line).

use std::borrow::Cow;

use crate::escape;

use super::Styles;

/// `text` with every unsafe character escaped, except line breaks and the colour codes
/// `Styles` writes (when colour is on).
pub fn guard(text: &str, styles: Styles) -> Cow<'_, str> {
    let unsafe_at = |s: &str| s.find(|c: char| c != '\n' && escape::is_unsafe(c));
    let Some(first) = unsafe_at(text) else {
        return Cow::Borrowed(text);
    };
    let codes: &[String] = if styles.enabled() {
        Styles::codes()
    } else {
        &[]
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(at) = unsafe_at(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(code) = codes.iter().find(|c| rest.starts_with(c.as_str())) {
            out.push_str(code);
            rest = &rest[code.len()..];
            continue;
        }
        let c = rest.chars().next().expect("a character at a found index");
        out.push_str(&escape::escape(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leakguard_colour_codes_pass() {
        let on = Styles::new(true);
        let ours = on.error("error:");
        assert!(ours.contains('\u{1b}'));
        let text = format!("{ours} \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[8mhidden\u{202e}\n");
        let shown = guard(&text, on);
        assert!(shown.starts_with(&ours), "{shown:?}");
        assert!(
            shown.ends_with(" \\e]52;c;ZXZpbA==\\u{7} \\e[8mhidden\\u{202e}\n"),
            "{shown:?}"
        );
        let off = guard(&text, Styles::new(false));
        assert!(!off.contains('\u{1b}'), "{off:?}");
        assert!(matches!(guard("plain\ntext\n", on), Cow::Borrowed(_)));
    }
}
