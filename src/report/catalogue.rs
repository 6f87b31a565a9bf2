//! `leakguard explain`: one detector or provider in full, with its rotation steps.

use std::io::{self, Write};

use crate::detectors::{Catalogue, Detector, Provider};

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
        writeln!(out, "{} [{}]", p.name, p.key)?;
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
    writeln!(out, "{}  [{}]", d.name, d.id)?;
    writeln!(out, "  provider:  {provider}")?;
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
        writeln!(out, "  gitlab:    {g}")?;
    }
    if let Some(desc) = &d.description {
        writeln!(out, "  format:    {desc}")?;
    }
    writeln!(out, "  keywords:  {}", d.keywords.join(", "))?;
    writeln!(out, "  defined:   {}", d.defined_at)
}

fn rotation(out: &mut dyn Write, p: &Provider) -> io::Result<()> {
    writeln!(out, "To rotate or revoke a leaked {} credential:", p.name)?;
    for (i, step) in p.steps.iter().enumerate() {
        writeln!(out, "  {}. {step}", i + 1)?;
    }
    for cmd in &p.cli {
        writeln!(out, "  cli:    {cmd}")?;
    }
    if let Some(url) = &p.revoke_url {
        writeln!(out, "  revoke: {url}")?;
    }
    if let Some(url) = &p.docs {
        writeln!(out, "  docs:   {url}")?;
    }
    Ok(())
}
