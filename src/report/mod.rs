//! Reporters: what the developer (or CI) sees.
//!
//! All of them redact secrets unless explicitly told otherwise. The human report groups
//! findings by provider and words the remediation for where the secret is (`Context`).

pub mod catalogue;
pub mod human;
pub mod json;
pub mod sarif;
pub mod terminal;

use std::fmt::Display;
use std::sync::LazyLock;

use owo_colors::{OwoColorize, Style};

use crate::engine::decode::{Encoding, Layers};

/// Where the findings were made, which decides how urgent rotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// The pre-commit hook: the secret has not left this machine.
    PreCommit,
    /// `leakguard scan --staged`: same place, but nothing is being blocked.
    Staged,
    /// The pre-push hook: the secret is in local commits that have not been pushed.
    PrePush,
    /// A history scan: the secret is already in commits others may have.
    History,
    /// Files on disk.
    Files,
}

/// Terminal styles, chosen once: colour only for a terminal without `NO_COLOR`, or when forced.
#[derive(Clone, Copy, Debug)]
pub struct Styles {
    enabled: bool,
}

impl Styles {
    pub fn new(enabled: bool) -> Self {
        Styles { enabled }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `text` in `style` when colour is on. Foreign text comes in as `escape::Escaped`.
    pub fn paint(&self, text: impl Display, style: Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, text: impl Display) -> String {
        self.paint(text, ERROR)
    }
    pub fn heading(&self, text: impl Display) -> String {
        self.paint(text, HEADING)
    }
    pub fn location(&self, text: impl Display) -> String {
        self.paint(text, LOCATION)
    }
    pub fn dim(&self, text: impl Display) -> String {
        self.paint(text, DIM)
    }
    pub fn good(&self, text: impl Display) -> String {
        self.paint(text, GOOD)
    }
    pub fn warn(&self, text: impl Display) -> String {
        self.paint(text, WARN)
    }

    /// Every escape sequence `paint` can write: the only ones a report may contain
    /// (`terminal::guard` escapes any other).
    pub fn codes() -> &'static [String] {
        static CODES: LazyLock<Vec<String>> = LazyLock::new(|| {
            let mut codes = Vec::new();
            for style in [ERROR, HEADING, LOCATION, DIM, GOOD, WARN, HINT] {
                let painted = "x".style(style).to_string();
                let (on, off) = painted.split_once('x').expect("the painted text");
                for code in on.split_inclusive('m').chain(off.split_inclusive('m')) {
                    if !code.is_empty() && !codes.iter().any(|c| c == code) {
                        codes.push(code.to_string());
                    }
                }
            }
            codes
        });
        &CODES
    }
    pub fn hint(&self, text: &str) -> String {
        self.paint(text, HINT)
    }
}

const ERROR: Style = Style::new().red().bold();
const HEADING: Style = Style::new().bold();
const LOCATION: Style = Style::new().cyan();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = Style::new().green();
const WARN: Style = Style::new().yellow();
const HINT: Style = Style::new().cyan().bold();

/// How a secret found inside an encoded value was encoded, in the order it was done (innermost
/// layer first): `base64-encoded`, `base64-encoded twice`, `hex-encoded, then base64-encoded`.
/// `None` for a secret written plainly.
pub fn encoding_note(layers: &Layers) -> Option<String> {
    let word = |e: Encoding| match e {
        Encoding::Base64 => "base64-encoded",
        Encoding::Hex => "hex-encoded",
        Encoding::Percent => "percent-encoded",
    };
    let mut applied: Vec<Encoding> = layers.iter().collect();
    applied.reverse();
    let first = *applied.first()?;
    if applied.iter().all(|&e| e == first) {
        return Some(match applied.len() {
            1 => word(first).to_string(),
            2 => format!("{} twice", word(first)),
            n => format!("{} {n} times", word(first)),
        });
    }
    Some(
        applied
            .iter()
            .map(|&e| word(e))
            .collect::<Vec<_>>()
            .join(", then "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_notes_say_what_was_done_in_order() {
        assert_eq!(encoding_note(&Layers::default()), None);
        let b64 = Layers::one(Encoding::Base64);
        assert_eq!(encoding_note(&b64).as_deref(), Some("base64-encoded"));
        assert_eq!(
            encoding_note(&b64.around(Encoding::Base64)).as_deref(),
            Some("base64-encoded twice")
        );
        assert_eq!(
            encoding_note(&Layers::one(Encoding::Hex).around(Encoding::Base64)).as_deref(),
            Some("hex-encoded, then base64-encoded")
        );
        assert_eq!(
            encoding_note(&Layers::one(Encoding::Percent)).as_deref(),
            Some("percent-encoded")
        );
    }
}
