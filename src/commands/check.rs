//! `leakguard check`: the detectors in use (or the catalogues given) proven against their
//! examples, plus what the repository's ignore file and baseline hold.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{CheckArgs, GlobalArgs};
use crate::detectors::Catalogue;
use crate::error::{Error, Result};
use crate::escape::{Escaped, escape};
use crate::fingerprint::Fingerprint;
use crate::setup::check::check;
use crate::setup::{self, Need, Options, Setup, Suppressions};
use crate::suppress::IGNORE_FILE;

use super::{EXIT_CLEAN, EXIT_ERROR};

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let (catalogue, source) = if args.catalogues.is_empty() {
        let setup = setup::setup(&Options {
            examples: true,
            ..super::options(global, Need::IfAny, Suppressions::All)
        })?;
        let source = setup
            .config_source
            .as_deref()
            .map_or("built-in detectors".to_string(), |p: &Path| {
                format!("built-in detectors + {}", p.display())
            });
        allowlist_notes(&mut out, &setup)?;
        effective_values(&mut out, setup.catalogue())?;
        (setup.scanner.catalogue().clone(), source)
    } else {
        let mut merged = Catalogue::default();
        for path in &args.catalogues {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let part = Catalogue::parse(&path.display().to_string(), &text, false)?;
            merged.providers.extend(part.providers);
            merged.detectors.extend(part.detectors);
        }
        let names: Vec<String> = args
            .catalogues
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        (merged, names.join(" + "))
    };
    let problems = check(&catalogue, args.min_examples)?;
    for p in &problems {
        // Ids, examples and messages come from the catalogues checked.
        writeln!(out, "{}", Escaped(&p.to_string())).map_err(Error::Output)?;
    }
    let providers: BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .map(|d| d.provider.as_ref())
        .collect();
    let summary = format!(
        "{} detectors, {} providers ({source})",
        catalogue.detectors.len(),
        providers.len()
    );
    let summary = Escaped(&summary);
    if problems.is_empty() {
        writeln!(out, "leakguard: OK: {summary}").map_err(Error::Output)?;
        Ok(ExitCode::from(EXIT_CLEAN))
    } else {
        writeln!(out, "leakguard: {} problems: {summary}", problems.len())
            .map_err(Error::Output)?;
        Ok(ExitCode::from(EXIT_ERROR))
    }
}

/// The repository's own detectors with every default applied, so that a short `[[detector]]`
/// shows what it became.
fn effective_values(out: &mut dyn Write, catalogue: &Catalogue) -> Result<()> {
    use crate::detectors::{BUILTIN_LABEL, Pattern};
    for d in catalogue
        .detectors
        .iter()
        .filter(|d| d.defined_at.file.as_ref() != BUILTIN_LABEL)
    {
        let provider = catalogue
            .provider_of(d)
            .map_or(d.provider.as_ref().to_string(), |p| {
                format!("{} ({})", p.key, p.name)
            });
        let keywords: Vec<&str> = d.keywords.iter().map(|k| k.as_ref()).collect();
        let matcher = match &d.pattern {
            Pattern::Regex(_) => "regex",
            Pattern::Shape(_) => "shape",
            Pattern::Matcher(_) => "matcher",
        };
        // Repository text: quoted with Debug, which escapes control characters.
        writeln!(
            out,
            "leakguard: {}: detector `{}`: name {:?}, provider {:?}, severity {}, keywords {:?}, \
             {matcher}, looks_random {}, min_entropy {}",
            d.defined_at,
            escape(&d.id),
            d.name.as_ref(),
            provider,
            d.severity.as_str(),
            keywords,
            d.looks_random,
            d.min_entropy.map_or("none".to_string(), |e| e.to_string())
        )
        .map_err(Error::Output)?;
    }
    Ok(())
}

/// What the ignore file and the baseline hold (they parsed, or `setup` failed), and entries
/// that can never match because no detector in use has their id. Such entries are harmless,
/// so they are notes, not problems.
fn allowlist_notes(out: &mut dyn Write, setup: &Setup) -> Result<()> {
    let catalogue = setup.catalogue();
    let in_use = |fp: &Fingerprint| {
        let id = fp.detector_id();
        catalogue.detectors.iter().any(|d| d.id == id)
    };
    let mut lines = Vec::new();
    let ignore = &setup.allow.ignore;
    if !ignore.entries.is_empty() {
        lines.push(format!(
            "leakguard: {IGNORE_FILE}: {} fingerprints",
            ignore.entries.len()
        ));
        for e in ignore.entries.iter().filter(|e| !in_use(&e.fingerprint)) {
            lines.push(format!(
                "{IGNORE_FILE}:{}: note: no detector in use has the id of `{}`; it matches nothing",
                e.line, e.fingerprint
            ));
        }
    }
    // Read now: the hook reads it only when there is a finding, so `check` is where a broken
    // baseline shows up first.
    if let Some(b) = setup.allow.baseline()? {
        let unused = b.fingerprints().filter(|fp| !in_use(fp)).count();
        lines.push(format!(
            "leakguard: {}: {} fingerprints{}",
            b.label,
            b.len(),
            if unused > 0 {
                format!(" (note: {unused} for detectors not in use match nothing)")
            } else {
                String::new()
            }
        ));
    }
    for line in lines {
        writeln!(out, "{}", Escaped(&line)).map_err(Error::Output)?;
    }
    Ok(())
}
