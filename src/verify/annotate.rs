//! The verification stage of a scan: whether the run opted in, and the answers of the issuers
//! recorded in its `Outcome`.

use super::{Check, Checks, Client, Status, Target};

/// Who may turn liveness checks on. Sending a secret over the network, even to its own issuer,
/// is the decision of the person running leakguard: their flags, their environment, their git
/// configuration, a configuration file they named with `--config`. A repository's own
/// `.leakguard.toml` (or the one `--config-from` reads from git) is the repository's word, and
/// a cloned repository is not trusted (SECURITY.md): it can ask, never turn checks on.
pub struct Opt {
    /// `--verify`.
    pub flag: bool,
    /// `--no-verify-keys`.
    pub refused: bool,
    /// `git config leakguard.verify` (system, global or this clone's own `.git/config`).
    pub git_config: Option<bool>,
    /// The `verify` setting of the configuration in effect, and whether the person named that
    /// file with `--config` (else it is the repository's).
    pub setting: Option<(bool, Source)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Yours,
    Repository,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Yes,
    No,
    /// Off, though the repository's configuration asks for checks: worth a note saying how to
    /// consent.
    AskedByRepository,
}

/// Whether this run verifies: `--no-verify-keys` and `--verify` first, then LEAKGUARD_VERIFY
/// (`1`/`true`/`yes` or `0`/`false`/`no`), then `git config leakguard.verify`, then the
/// `verify` setting of a file named with `--config`; off by default. A repository's own
/// `verify = true` only asks (`Wanted::AskedByRepository`).
pub fn wanted(opt: &Opt) -> Wanted {
    let env = std::env::var("LEAKGUARD_VERIFY").ok();
    let env = match env.as_deref().map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes") => Some(true),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no") => Some(false),
        _ => None,
    };
    decide(opt, env)
}

fn decide(opt: &Opt, env: Option<bool>) -> Wanted {
    let yes_or_no = |on: bool| if on { Wanted::Yes } else { Wanted::No };
    if opt.refused {
        return Wanted::No;
    }
    if opt.flag {
        return Wanted::Yes;
    }
    if let Some(on) = env.or(opt.git_config) {
        return yes_or_no(on);
    }
    match opt.setting {
        Some((on, Source::Yours)) => yes_or_no(on),
        Some((true, Source::Repository)) => Wanted::AskedByRepository,
        Some((false, Source::Repository)) | None => Wanted::No,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(flag: bool, refused: bool, git: Option<bool>, setting: Option<(bool, Source)>) -> Opt {
        Opt {
            flag,
            refused,
            git_config: git,
            setting,
        }
    }

    #[test]
    fn a_repository_can_ask_for_checks_but_only_the_person_turns_them_on() {
        let repo_asks = Some((true, Source::Repository));
        let cases = [
            // (opt, LEAKGUARD_VERIFY, expected)
            (opt(false, false, None, None), None, Wanted::No),
            (
                opt(false, false, None, repo_asks),
                None,
                Wanted::AskedByRepository,
            ),
            (opt(false, false, Some(true), repo_asks), None, Wanted::Yes),
            (opt(false, false, Some(false), repo_asks), None, Wanted::No),
            (opt(false, false, None, repo_asks), Some(true), Wanted::Yes),
            (opt(false, false, Some(true), None), Some(false), Wanted::No),
            (
                opt(true, false, Some(false), None),
                Some(false),
                Wanted::Yes,
            ),
            (
                opt(true, true, Some(true), repo_asks),
                Some(true),
                Wanted::No,
            ),
            (
                opt(false, false, None, Some((true, Source::Yours))),
                None,
                Wanted::Yes,
            ),
            (
                opt(false, false, Some(false), Some((true, Source::Yours))),
                None,
                Wanted::No,
            ),
            (
                opt(false, false, None, Some((false, Source::Repository))),
                None,
                Wanted::No,
            ),
        ];
        for (i, (opt, env, expected)) in cases.iter().enumerate() {
            assert_eq!(&decide(opt, *env), expected, "case {i}");
        }
    }
}
