//! Reporters: what the developer (or CI) sees.
//!
//! All of them redact secrets unless explicitly told otherwise. The human report groups
//! findings by provider and words the remediation for where the secret is (`Context`).

pub mod catalogue;
pub mod human;
pub mod json;
pub mod sarif;

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

    pub fn paint(&self, text: &str, style: Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(text, Style::new().red().bold())
    }
    pub fn heading(&self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }
    pub fn location(&self, text: &str) -> String {
        self.paint(text, Style::new().cyan())
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }
    pub fn good(&self, text: &str) -> String {
        self.paint(text, Style::new().green())
    }
    pub fn warn(&self, text: &str) -> String {
        self.paint(text, Style::new().yellow())
    }
    pub fn hint(&self, text: &str) -> String {
        self.paint(text, Style::new().cyan().bold())
    }
}
