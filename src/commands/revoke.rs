//! `leakguard revoke <fingerprint>`: finds the secret with that fingerprint (the staged changes
//! and the work tree, or history with `--git`), says what it will send where, asks, and revokes
//! it with its issuer where the issuer documents a revocation call (`[revoke.<id>]` in
//! `detectors.toml`); otherwise prints the provider's rotation steps. One line of result.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, RevokeArgs};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::fingerprint::Fingerprint;
use crate::pipeline::{self, Progress};
use crate::setup::{self, Need, Suppressions};
use crate::verify::{Checks, Client};

use super::{EXIT_CLEAN, EXIT_FINDINGS};

pub fn run(global: &GlobalArgs, args: &RevokeArgs) -> Result<ExitCode> {
    let wanted = Fingerprint::parse(&args.fingerprint).map_err(|e| Error::Usage(e.to_string()))?;
    let need = if args.git.is_some() {
        Need::Required
    } else {
        Need::IfAny
    };
    let setup = setup::setup(&super::options(global, need, Suppressions::None))?;
    let catalogue = setup.catalogue();
    let found = find(&setup, args, &wanted)?.ok_or_else(|| {
        Error::Usage(format!(
            "no secret with the fingerprint {wanted} in {}",
            if args.git.is_some() {
                "that history"
            } else {
                "the staged changes or the work tree (for a committed one: --git)"
            }
        ))
    })?;
    let detector = &catalogue.detectors[found.detector];
    let provider = catalogue.provider_of(detector);
    let provider_name = provider.map_or(detector.provider.as_ref(), |p| p.name.as_ref());
    let checks = Checks::builtin(catalogue)?;
    let mut out = std::io::stdout().lock();
    let Some(check) = checks.revoke.get(detector.id.as_ref()) else {
        writeln!(
            out,
            "leakguard: not revoked {wanted}: {provider_name} has no revocation call leakguard can make; rotate it by hand:"
        )
        .map_err(Error::Output)?;
        if let Some(p) = provider {
            for (n, step) in p.steps.iter().enumerate() {
                writeln!(out, "  {}. {step}", n + 1).map_err(Error::Output)?;
            }
            if let Some(url) = &p.revoke_url {
                writeln!(out, "  revoke: {url}").map_err(Error::Output)?;
            }
        }
        return Ok(ExitCode::from(EXIT_FINDINGS));
    };
    let place = format!("{}:{}:{}", found.path, found.line, found.column);
    eprintln!(
        "leakguard: this sends the {} {} (found at {place}) to {provider_name}:\n  {}\n  {}",
        detector.name,
        found.secret.redacted(),
        check.describe(),
        check.what.as_deref().unwrap_or_default()
    );
    if !args.yes && !confirmed()? {
        writeln!(
            out,
            "leakguard: not revoked {wanted}: not confirmed (pass --yes in scripts)"
        )
        .map_err(Error::Output)?;
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    let client = Client::from_env().map_err(|e| Error::Usage(e.to_string()))?;
    let secret = String::from_utf8_lossy(found.secret.expose()).into_owned();
    let result = client.revoke(check, &secret, None);
    match result {
        Ok(()) => {
            writeln!(
                out,
                "leakguard: revoked {wanted} ({provider_name}): the issuer confirmed it"
            )
            .map_err(Error::Output)?;
            Ok(ExitCode::from(EXIT_CLEAN))
        }
        Err(why) => {
            writeln!(
                out,
                "leakguard: not revoked {wanted} ({provider_name}): {why}"
            )
            .map_err(Error::Output)?;
            Ok(ExitCode::from(EXIT_FINDINGS))
        }
    }
}

/// The finding with `wanted`'s fingerprint, suppressed or not.
fn find(setup: &setup::Setup, args: &RevokeArgs, wanted: &Fingerprint) -> Result<Option<Finding>> {
    let pick = |findings: Vec<Finding>| findings.into_iter().find(|f| &f.fingerprint == wanted);
    if let Some(spec) = &args.git {
        let repo = setup
            .repo
            .as_ref()
            .map_err(|e| Error::Usage(e.to_string()))?;
        let outcome = super::scan::history(repo, &setup.scanner, &setup.allow, spec, false, true)?;
        return Ok(pick(outcome.findings));
    }
    if let Ok(repo) = &setup.repo {
        let staged = pipeline::scan_staged(repo, &setup.scanner, &setup.allow, &[])?;
        if let Some(f) = pick(staged.findings) {
            return Ok(Some(f));
        }
    }
    let root = setup
        .repo
        .as_ref()
        .ok()
        .and_then(|r| r.workdir())
        .unwrap_or_else(|| PathBuf::from("."));
    let files = crate::files::collect(&[root], true)?;
    let progress = Progress::new(false, files.len(), "files");
    let outcome = pipeline::scan_files(&files, false, &setup.scanner, &setup.allow, &progress)?;
    Ok(pick(outcome.findings))
}

/// Asks on the terminal (or reads one line of piped input): only `y` or `yes` confirms.
fn confirmed() -> Result<bool> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Revoke it? [y/N] ");
        let _ = std::io::stderr().flush();
    }
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|source| Error::Io {
            path: "<stdin>".into(),
            source,
        })?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
