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
            for style in [ERROR, HEADING, LOCATION, DIM, GOOD, WARN] {
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
        self.paint(text, Style::new().cyan().bold())
    }
}

const ERROR: Style = Style::new().red().bold();
const HEADING: Style = Style::new().bold();
const LOCATION: Style = Style::new().cyan();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = Style::new().green();
const WARN: Style = Style::new().yellow();
