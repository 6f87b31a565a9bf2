//! The verification stage of a scan: whether the run opted in, and the answers of the issuers
//! recorded in its `Outcome`.

use super::{Check, Checks, Client, Status, Target};

/// Whether this run verifies: `--no-verify-keys` and `--verify` first, then LEAKGUARD_VERIFY
/// (`1`/`true`/`yes` or `0`/`false`/`no`), then the repository's `verify` setting; off by
/// default.
pub fn wanted(verify: bool, no_verify: bool, setting: Option<bool>) -> bool {
    if no_verify {
        return false;
    }
    if verify {
        return true;
    }
    let env = std::env::var("LEAKGUARD_VERIFY").ok();
    match env.as_deref().map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes") => true,
        Some(v) if matches!(v.as_str(), "0" | "false" | "no") => false,
        _ => setting.unwrap_or(false),
    }
}

/// Asks each finding's issuer about its secret (once per fingerprint, suppressed findings
/// left alone), records the answers in `outcome.liveness`, and puts live findings first.
/// Never changes what blocks: a finding blocks whatever its issuer says.
pub fn annotate(
    outcome: &mut crate::outcome::Outcome,
    catalogue: &crate::detectors::Catalogue,
) -> crate::error::Result<()> {
    use crate::finding::Finding;
    let checks = Checks::builtin(catalogue)?;
    let client = Client::from_env().map_err(|e| crate::error::Error::Usage(e.to_string()))?;
    let id = |f: &Finding| catalogue.detectors[f.detector].id.as_ref();
    let text = |f: &Finding| String::from_utf8_lossy(f.secret.expose()).into_owned();
    let mut seen = std::collections::HashSet::new();
    let mut wanted: Vec<(&Finding, Option<&Check>, Option<String>)> = Vec::new();
    for f in outcome.findings.iter().filter(|f| f.suppressed.is_none()) {
        if !seen.insert(&f.fingerprint) {
            continue;
        }
        let check = checks.verify.get(id(f));
        // The other half of a pair: the nearest finding of that detector in the same place.
        let pair = check.and_then(|c| c.pair.as_deref()).and_then(|pair_id| {
            outcome
                .findings
                .iter()
                .filter(|g| id(g) == pair_id && g.path == f.path && g.origin == f.origin)
                .min_by_key(|g| g.line.abs_diff(f.line))
                .map(text)
        });
        wanted.push((f, check, pair));
    }
    let secrets: Vec<String> = wanted.iter().map(|(f, _, _)| text(f)).collect();
    let targets: Vec<Target<'_>> = wanted
        .iter()
        .zip(&secrets)
        .map(|((_, check, pair), secret)| Target {
            check: *check,
            secret,
            pair: pair.as_deref(),
        })
        .collect();
    let statuses = client.verify_all(&targets);
    let liveness: std::collections::HashMap<_, _> = wanted
        .iter()
        .map(|(f, _, _)| f.fingerprint.clone())
        .zip(statuses)
        .collect();
    // Live first, each class keeping its order (by place).
    outcome
        .findings
        .sort_by_key(|f| liveness.get(&f.fingerprint) != Some(&Status::Live));
    outcome.liveness = Some(liveness);
    Ok(())
}
