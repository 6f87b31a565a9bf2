//! `leakguard ignore <fingerprint>`: appends it to the repository's `.leakguardignore`.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, IgnoreArgs};
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::setup;
use crate::suppress::ignore_file::{self, Appended, IGNORE_FILE};

use super::EXIT_CLEAN;

pub fn run(global: &GlobalArgs, args: &IgnoreArgs) -> Result<ExitCode> {
    let repo = setup::repository()?;
    let root = repo.workdir().ok_or_else(|| {
        Error::Usage("a bare repository has no work tree to hold .leakguardignore".into())
    })?;
    let path = ignore_file::ignore_path(&root);
    let fingerprint =
        Fingerprint::parse(&args.fingerprint).map_err(|e| Error::Usage(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    match ignore_file::append(&path, &fingerprint, args.reason.as_deref())? {
        Appended::AlreadyListed { line } => writeln!(
            out,
            "leakguard: {fingerprint} is already listed in {IGNORE_FILE}:{line}"
        ),
        Appended::Added { created } => writeln!(
            out,
            "leakguard: added {fingerprint} to {IGNORE_FILE}{}; commit it to share it: git add {IGNORE_FILE}",
            if created { " (new file)" } else { "" },
        ),
    }
    .map_err(Error::Output)?;
    // Advisory only: a broken config is reported by the hook itself.
    let id = fingerprint.detector_id();
    if let Ok(config) = setup::configure(Some(&root), global.config.as_deref(), false)
        && !config.catalogue.detectors.iter().any(|d| d.id == id)
    {
        eprintln!(
            "leakguard: warning: no detector in use has the id `{id}`; this entry matches nothing \
             until one does (see `leakguard detectors`)"
        );
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
