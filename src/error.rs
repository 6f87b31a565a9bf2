//! The one error type of leakguard.
//!
//! Every message names what failed (a file and line, a detector id, a git object) so that the
//! one-line report a blocked developer sees is enough to act on. Causes stay in `#[source]` and
//! are appended by the renderer in `main.rs`; nothing here knows about gix, whose errors arrive
//! boxed from `src/git/`.

use std::path::PathBuf;

/// A boxed cause from a layer whose error types we do not name here (gix, mostly).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not inside a git repository: {}", path.display())]
    NotARepository {
        path: PathBuf,
        #[source]
        source: BoxError,
    },

    /// Reading the repository failed (corrupt index, missing object, unreadable ref...).
    #[error("{context}")]
    Git {
        context: String,
        #[source]
        source: BoxError,
    },

    /// A configuration or detector file is malformed, or cannot be read as one (too large,
    /// not a regular file); `location` is `file:line:column`, or just the file. A message that
    /// quotes the file quotes it through `escape::quote` or `escape::tame`: escaped, short.
    #[error("{location}: {message}")]
    Config { location: String, message: String },

    #[error("cannot read {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file operation of the installer failed (`action`: "write", "remove", ...).
    #[error("cannot {action} {}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The installer found something it must not touch, or a command it ran failed.
    #[error("{0}")]
    Install(String),

    /// Writing the report failed (a closed pipe is not an error; see `main.rs`).
    #[error("cannot write the report")]
    Output(#[source] std::io::Error),

    #[error("{0}")]
    Usage(String),

    /// The scan stopped at an error after it had already found `secrets` blocking findings;
    /// those still block, even where errors are let through (`LEAKGUARD_FAIL_OPEN`).
    #[error("the scan stopped after finding {secrets} secret(s)")]
    Incomplete {
        secrets: usize,
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// Wraps any error from the git layer with what we were doing when it happened.
    pub fn git(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Error::Git {
            context: context.into(),
            source: source.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
