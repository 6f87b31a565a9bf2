//! The catalogue as people read it: `leakguard detectors` (every detector in use, and what the
//! repository config changed) and `leakguard explain` (one detector or provider in full, with
//! its rotation steps). Everything a repository config can set is printed through `Escaped`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

use crate::detectors::{BUILTIN_LABEL, Catalogue, Detector, Provider};
use crate::escape::Escaped;

/// Every detector in use, then everything the repository config changed: what it defines or
/// overrides (on the detector's line), what it disables, and the path rules and placeholder
/// words that suppress findings. A repository never weakens a built-in invisibly.
/// `config` names the repository config the placeholders come from.
pub fn list(out: &mut dyn Write, c: &Catalogue, config: Option<&Path>) -> io::Result<()> {
    let mut lines = vec![header()];
    for d in &c.detectors {
        let mut line = row(c, d);
        if let Some(o) = c.overridden.iter().find(|o| o.id == d.id) {
            line.push_str(&format!("  overridden by {}", Escaped(&o.by.to_string())));
        } else if &*d.defined_at.file != BUILTIN_LABEL {
            line.push_str(&format!(
                "  defined by {}",
                Escaped(&d.defined_at.to_string())
            ));
        }
        lines.push(line);
    }
    for off in &c.disabled {
        lines.push(format!(
            "{:<40} disabled by {}",
            Escaped(&off.id),
            Escaped(&off.by.to_string())
        ));
    }
    for p in &c.overridden_providers {
        lines.push(format!(
            "provider {:<31} rotation data overridden by {}",
            Escaped(&p.id),
            Escaped(&p.by.to_string())
        ));
    }
    for g in &c.skip_paths {
        lines.push(format!(
            "skip_paths {:<29} every detector allowed there, by {}",
            Escaped(&g.glob),
            Escaped(&g.defined_at.to_string())
        ));
    }
    for rule in &c.allow {
        let globs: Vec<&str> = rule.paths.iter().map(|g| g.glob.as_str()).collect();
        let ids: Vec<&str> = rule.detectors.iter().map(|(id, _)| id.as_str()).collect();
        let which = if ids.is_empty() {
            "every detector".to_string()
        } else {
            Escaped(&ids.join(", ")).to_string()
        };
        let reason = rule
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({})", Escaped(r)));
        lines.push(format!(
            "allow {:<34} {which} allowed there, by {}{reason}",
            Escaped(&globs.join(", ")),
            Escaped(&rule.defined_at.to_string())
        ));
    }
    if !c.placeholders.is_empty() {
        let from = config.map_or(String::new(), |p| {
            format!(", by {}", Escaped(&p.display().to_string()))
        });
        lines.push(format!(
            "placeholders {:<27} values containing these are not reported{from}",
            Escaped(&c.placeholders.join(", "))
        ));
    }
    for line in lines {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The detectors of providers in `categories` only, then how many there are: what a team
/// checks to see what its stack is covered by. The caller has checked that each category exists.
pub fn list_in(out: &mut dyn Write, c: &Catalogue, categories: &[String]) -> io::Result<()> {
    let chosen: Vec<&Detector> = c
        .detectors
        .iter()
        .filter(|d| categories.iter().any(|k| k == category_of(c, d)))
        .collect();
    let providers: BTreeSet<&str> = chosen.iter().map(|d| d.provider.as_ref()).collect();
    writeln!(out, "{}", header().trim_end())?;
    for d in &chosen {
        writeln!(out, "{}", row(c, d).trim_end())?;
    }
    writeln!(
        out,
        "{} detectors over {} providers in {}",
        chosen.len(),
        providers.len(),
        Escaped(&categories.join(", "))
    )
}

/// Every category with how many providers and detectors it holds (`--category list`).
pub fn categories(out: &mut dyn Write, c: &Catalogue) -> io::Result<()> {
    writeln!(
        out,
        "{:<20} {:>9} {:>9}",
        "CATEGORY", "PROVIDERS", "DETECTORS"
    )?;
    for (name, (providers, detectors)) in category_counts(c) {
        // A repository's provider may name any category.
        writeln!(
            out,
            "{:<20} {:>9} {detectors:>9}",
            Escaped(name),
            providers.len()
        )?;
    }
    Ok(())
}

/// The categories in use, each with its providers and its number of detectors. Detectors whose
/// provider has no category (a repository's own) count under `none`.
pub fn category_counts(c: &Catalogue) -> BTreeMap<&str, (BTreeSet<&str>, usize)> {
    let mut counts: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for d in &c.detectors {
        let entry = counts.entry(category_of(c, d)).or_default();
        entry.0.insert(d.provider.as_ref());
        entry.1 += 1;
    }
    counts
}

fn category_of<'c>(c: &'c Catalogue, d: &Detector) -> &'c str {
    c.provider_of(d)
        .and_then(|p| p.category.as_deref())
        .unwrap_or("none")
}

fn header() -> String {
    format!("{:<40} {:<28} {:<8} GITLAB", "ID", "PROVIDER", "SEVERITY")
}

fn row(c: &Catalogue, d: &Detector) -> String {
    let provider = c
        .provider_of(d)
        .map_or(d.provider.as_ref(), |p| p.name.as_ref());
    format!(
        "{:<40} {:<28} {:<8} {}",
        Escaped(&d.id),
        Escaped(provider),
        d.severity.as_str(),
        Escaped(d.gitlab_id.as_deref().unwrap_or("-"))
    )
}

/// Finds what `query` names: a detector id, a provider key, or providers whose key or name
/// contains it (case-insensitive). Returns false when nothing matches.
pub fn explain(out: &mut dyn Write, c: &Catalogue, query: &str) -> io::Result<bool> {
    if let Some(d) = c.detectors.iter().find(|d| d.id == query) {
        detector(out, c, d)?;
        if let Some(p) = c.provider_of(d) {
            writeln!(out)?;
            rotation(out, p)?;
        }
        return Ok(true);
    }
    let q = query.to_ascii_lowercase();
    let providers: Vec<&Provider> = match c.providers.get(query) {
        Some(p) => vec![p],
        None => c
            .providers
            .values()
            .filter(|p| p.key.contains(&q) || p.name.to_ascii_lowercase().contains(&q))
            .collect(),
    };
    for (i, p) in providers.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n{}", "-".repeat(72))?;
        }
        writeln!(out, "{} [{}]", Escaped(&p.name), Escaped(&p.key))?;
        for d in c.detectors.iter().filter(|d| d.provider == p.key) {
            writeln!(out)?;
            detector(out, c, d)?;
        }
        writeln!(out)?;
        rotation(out, p)?;
    }
    Ok(!providers.is_empty())
}

fn detector(out: &mut dyn Write, c: &Catalogue, d: &Detector) -> io::Result<()> {
    let provider = c
        .provider_of(d)
        .map_or(d.provider.as_ref(), |p| p.name.as_ref());
    writeln!(out, "{}  [{}]", Escaped(&d.name), Escaped(&d.id))?;
    writeln!(out, "  provider:  {}", Escaped(provider))?;
    writeln!(
        out,
        "  severity:  {}{}",
        d.severity.as_str(),
        if d.severity.as_str() == "low" {
            " (warns, does not block)"
        } else {
            ""
        }
    )?;
    if let Some(g) = &d.gitlab_id {
        writeln!(out, "  gitlab:    {}", Escaped(g))?;
    }
    if let Some(desc) = &d.description {
        writeln!(out, "  format:    {}", Escaped(desc))?;
    }
    if let Some(m) = d.matcher() {
        let forms: Vec<&str> = m.forms.iter().map(|f| f.as_str()).collect();
        writeln!(
            out,
            "  matcher:   {} (this detector reports the forms: {})",
            m.kind.as_str(),
            forms.join(", ")
        )?;
        for (label, text) in crate::engine::generic::EXPLAIN {
            writeln!(out, "  {label:<10} {text}")?;
        }
    }
    writeln!(out, "  keywords:  {}", Escaped(&d.keywords.join(", ")))?;
    writeln!(out, "  defined:   {}", Escaped(&d.defined_at.to_string()))
}

fn rotation(out: &mut dyn Write, p: &Provider) -> io::Result<()> {
    writeln!(
        out,
        "To rotate or revoke a leaked {} credential:",
        Escaped(&p.name)
    )?;
    for (i, step) in p.steps.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, Escaped(step))?;
    }
    for cmd in p.cli.iter() {
        writeln!(out, "  cli:    {}", Escaped(cmd))?;
    }
    if let Some(url) = &p.revoke_url {
        writeln!(out, "  revoke: {}", Escaped(url))?;
    }
    if let Some(url) = &p.docs {
        writeln!(out, "  docs:   {}", Escaped(url))?;
    }
    Ok(())
}
