//! `leakguard baseline`: every finding already present (work-tree files, or history with
//! `--git`) recorded in a baseline that later runs ignore.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{BaselineArgs, GlobalArgs};
use crate::error::{Error, Result};
use crate::escape::Escaped;
use crate::finding::Finding;
use crate::repo_file;
use crate::report::human::plural;
use crate::setup::{self, Need, Suppressions};
use crate::suppress::baseline::{self, BASELINE_FILE, Baseline};

use super::EXIT_CLEAN;
use super::scan::{files, history, quiet_progress};

pub fn run(global: &GlobalArgs, args: &BaselineArgs, started: Instant) -> Result<ExitCode> {
    // The previous baseline must not hide what it recorded: it is being replaced.
    let setup = setup::setup(&super::options(
        global,
        Need::IfAny,
        Suppressions::IgnoreFile,
    ))?;
    let root = setup.root.clone();
    let output = match (&global.output, &root) {
        (Some(path), _) => path.clone(),
        (None, Some(root)) => root.join(BASELINE_FILE),
        (None, None) => {
            return Err(Error::Usage(
                "not inside a git work tree: give the baseline's path with --output FILE".into(),
            ));
        }
    };
    // The repository's own baseline: never written through a link (a hostile clone could point
    // it anywhere on the machine), and the previous one read as the hook reads it.
    let origin = match (&global.output, &root) {
        (None, Some(root)) => {
            repo_file::check_writable(&output, BASELINE_FILE)?;
            repo_file::Origin::Repository(root)
        }
        _ => repo_file::Origin::Given,
    };
    let no_progress = quiet_progress(global, args.source.no_progress);
    let (mut outcome, source) = if let Some(spec) = &args.source.git {
        let repo = setup.repo?;
        (
            history(
                &repo,
                &setup.scanner,
                &setup.allow,
                spec,
                args.source.all,
                no_progress,
            )?,
            "history",
        )
    } else {
        let paths = match (args.paths.is_empty(), &root) {
            (false, _) => args.paths.clone(),
            (true, Some(root)) => vec![root.clone()],
            (true, None) => vec![PathBuf::from(".")],
        };
        let mut outcome = files(
            &setup.scanner,
            &setup.allow,
            &paths,
            false,
            args.source.no_ignore,
            no_progress,
        )?;
        // Record work-tree paths relative to its root, wherever the command ran.
        if let Some(root) = &root {
            for f in &mut outcome.findings {
                if let Ok(rel) = Path::new(&f.path).strip_prefix(root) {
                    f.path = rel.to_string_lossy().into_owned();
                }
            }
        }
        (outcome, "files")
    };
    outcome.stats.elapsed = started.elapsed();
    let previous = Baseline::load(&output, &output.display().to_string(), origin).ok();
    let recorded: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let distinct = baseline::write(&output, setup.scanner.catalogue(), &recorded, source)?;
    let shown = root
        .as_deref()
        .and_then(|r| output.strip_prefix(r).ok())
        .unwrap_or(&output)
        .display()
        .to_string();
    let shown = Escaped(&shown);
    let mut out = std::io::stdout().lock();
    let what = if source == "history" {
        format!(
            "{} of git history",
            plural(outcome.stats.commits, "commit", "commits")
        )
    } else {
        plural(outcome.stats.files, "file", "files")
    };
    let mut line = format!(
        "leakguard: wrote {shown}: {} ({}) from {what}",
        plural(distinct, "secret", "secrets"),
        plural(recorded.len(), "finding", "findings"),
    );
    if let Some(previous) = &previous {
        let (added, dropped) = previous.changes(recorded.iter().map(|f| &f.fingerprint));
        line.push_str(&format!(
            "; {added} new and {dropped} gone since the previous baseline"
        ));
    }
    let suppressed = outcome.findings.len() - recorded.len();
    if suppressed > 0 {
        line.push_str(&format!(
            "; {suppressed} already allowed otherwise (pragma, ignore file, path rule) not recorded"
        ));
    }
    writeln!(out, "{line}").map_err(Error::Output)?;
    writeln!(
        out,
        "Later hook runs and scans ignore exactly these secrets (by fingerprint); a new secret still blocks."
    )
    .map_err(Error::Output)?;
    writeln!(
        out,
        "Commit it so every clone and CI use it: git add {}",
        shown
    )
    .map_err(Error::Output)?;
    if distinct > 0 {
        writeln!(
            out,
            "These secrets are still valid until rotated: a baseline stops the noise, not the leak."
        )
        .map_err(Error::Output)?;
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
