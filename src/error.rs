//! The one error type of leakguard.
//!
//! Every message names what failed (a file and line, a detector id, a git object) so that the
//! one-line report a blocked developer sees is enough to act on. Causes stay in `#[source]` and
//! are appended by the renderer in `main.rs`; nothing here knows about gix, whose errors arrive
//! boxed from `src/git/`. An error a person can cause also says what to do about it: a `hint`,
//! attached where the error is made (`with_hint`) or given by its kind (`Error::hint`), which
//! `main.rs` prints as a `hint:` line after the `error:` line.

use std::path::PathBuf;

/// A boxed cause from a layer whose error types we do not name here (gix, mostly).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No repository around `path`; `source` says why when it is more than "none was found"
    /// (a repository that could not be opened).
    #[error("not inside a git repository: {}", path.display())]
    NotARepository {
        path: PathBuf,
        #[source]
        source: Option<BoxError>,
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

    /// An error with advice on what to do about it (see `with_hint`); it reads as `error`.
    #[error("{error}")]
    Hinted { error: Box<Error>, hint: String },

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

    /// A path a person gave (`what`: "the configuration file") could not be read: when it does
    /// not exist, says so and where relative paths start, rather than the OS's words.
    pub fn given_path(what: &str, path: &std::path::Path, source: std::io::Error) -> Self {
        if source.kind() != std::io::ErrorKind::NotFound {
            return Error::Io {
                path: path.to_path_buf(),
                source,
            };
        }
        let error = Error::Usage(format!("{what} {} does not exist", path.display()));
        match std::env::current_dir() {
            Ok(cwd) if path.is_relative() => error.with_hint(format!(
                "a relative path is relative to the current directory, {}",
                cwd.display()
            )),
            _ => error,
        }
    }

    /// This error with advice for the person who caused it, printed as a `hint:` line.
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        Error::Hinted {
            error: Box::new(self.into_parts().0),
            hint: hint.into(),
        }
    }

    /// The error to print, and its hint: the one attached with `with_hint`, else the one its
    /// kind always has (`hint`).
    pub fn into_parts(self) -> (Error, Option<String>) {
        match self {
            Error::Hinted { error, hint } => (*error, Some(hint)),
            other => {
                let hint = other.hint();
                (other, hint)
            }
        }
    }

    /// The advice every error of a kind gets, when it has one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Hinted { hint, .. } => Some(hint.clone()),
            Error::NotARepository { .. } => Some(
                "run leakguard inside a git repository (or `git init` one); \
                 `leakguard scan PATH` scans files outside git"
                    .into(),
            ),
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Some("check the path: a relative path is relative to the current directory".into())
            }
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                Some("check the file's permissions".into())
            }
            Error::Incomplete { source, .. } => source.hint(),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
