//! The report a blocked developer reads: findings grouped by provider, each provider followed
//! by its rotation steps, then what to do next in this context, how to mark a false positive and
//! how to bypass. Written to stderr (git shows hook stderr; stdout stays free for JSON).

use std::io::{self, Write};

use crate::chunk::Origin;
use crate::detectors::{Catalogue, Provider};
use crate::escape::{Escaped, quote};
use crate::finding::{Finding, Suppression};
use crate::outcome::{Outcome, Stats};
use crate::policy::{self, Review, Verdict};
use crate::verify::Status;

use super::{Context, Styles, terminal};

/// Findings shown in detail; past this, a count per provider keeps the report readable.
pub const DETAIL_LIMIT: usize = 50;

pub struct Options {
    pub context: Context,
    pub styles: Styles,
    /// Omit the one-line summary of a clean run.
    pub quiet: bool,
    pub show_secrets: bool,
    /// Pre-push: the command that rewrites the commits that added secrets.
    pub rewrite: Option<String>,
    /// The configuration changes of the scanned commits (empty when there are none, or no
    /// commits were scanned).
    pub review: Review,
}

/// Writes the report. Every string of the repository's (names, steps, URLs, ids, paths,
/// commit subjects, authors, the start of a secret) is printed through `Escaped`, and the
/// finished text goes through `terminal::guard`: leakguard's own colour codes are the only
/// escape sequences that reach the terminal.
pub fn render(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    outcome: &Outcome,
    o: &Options,
) -> io::Result<()> {
    // The report is bounded (`DETAIL_LIMIT`), so it is composed whole, then checked.
    let mut text = Vec::new();
    compose(&mut text, catalogue, outcome, o)?;
    let text = String::from_utf8_lossy(&text);
    out.write_all(terminal::guard(&text, o.styles).as_bytes())
}

fn compose(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    outcome: &Outcome,
    o: &Options,
) -> io::Result<()> {
    let s = o.styles;
    let blocking: Vec<&Finding> = outcome.blocking().collect();
    let warnings: Vec<&Finding> = outcome.warnings().collect();
    if blocking.is_empty() && !o.review.blocks() {
        if !o.quiet || !warnings.is_empty() || !o.review.changes.is_empty() {
            writeln!(
                out,
                "leakguard: {} {}",
                s.good("no secrets found"),
                s.dim(scanned(&outcome.stats))
            )?;
            config_changes(out, o)?;
            warnings_list(out, catalogue, &warnings, o)?;
            suppressed_summary(out, outcome, o)?;
        }
        return Ok(());
    }

    let n = blocking.len();
    let what = plural(n, "secret", "secrets");
    let changed = o.review.commits().len();
    let commits = plural(changed, "commit", "commits");
    let weaken = if changed == 1 { "weakens" } else { "weaken" };
    let headline = match (o.context, n) {
        (Context::PrePush, 0) => format!(
            "push blocked: {commits} about to be pushed {weaken} leakguard's own configuration"
        ),
        (_, 0) => format!("{commits} {weaken} leakguard's own configuration"),
        (Context::PreCommit, _) => format!("commit blocked: {what} in staged changes"),
        (Context::Staged, _) => format!("{what} in staged changes"),
        (Context::PrePush, _) => format!("push blocked: {what} in commits about to be pushed"),
        (Context::History, _) => format!("{what} in git history"),
        (Context::Files, _) => format!("{what} in files"),
    };
    let live = blocking
        .iter()
        .filter(|f| outcome.liveness_of(f) == Some(&Status::Live))
        .count();
    let headline = if live > 0 {
        format!("{headline} ({live} live: rotate now)")
    } else {
        headline
    };
    writeln!(
        out,
        "leakguard: {} {}",
        s.error(&headline),
        s.dim(scanned(&outcome.stats))
    )?;

    let mut shown = 0;
    // Providers none of whose findings fit in the detail limit: counted on one line at the end
    // rather than each printing its heading and rotation steps.
    let mut not_shown: Vec<String> = Vec::new();
    for (provider_key, findings) in by_provider(catalogue, &blocking) {
        let provider = catalogue.providers.get(provider_key);
        let name = Escaped(provider.map_or(provider_key, |p| p.name.as_ref()));
        if shown == DETAIL_LIMIT {
            not_shown.push(format!("{name} {}", findings.len()));
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            s.heading(name),
            s.dim(format!("({})", findings.len()))
        )?;
        for f in &findings {
            if shown == DETAIL_LIMIT {
                break;
            }
            shown += 1;
            finding(out, catalogue, f, outcome.liveness_of(f), o)?;
        }
        if let Some(p) = provider {
            rotation(out, p, o)?;
        }
    }
    if shown < n {
        writeln!(out)?;
        let providers = if not_shown.is_empty() {
            String::new()
        } else {
            format!(", among them {}", not_shown.join(", "))
        };
        writeln!(
            out,
            "… and {} more not shown in detail{providers} (every finding: --format json)",
            n - shown
        )?;
    }
    if !o.review.changes.is_empty() {
        writeln!(out)?;
        config_changes(out, o)?;
    }
    writeln!(out)?;
    if n > 0 {
        next_steps(out, &blocking, o)?;
    } else {
        config_next_steps(out, o)?;
    }
    warnings_list(out, catalogue, &warnings, o)?;
    suppressed_summary(out, outcome, o)
}

/// Configuration changes shown in detail; past this, a count.
const CHANGES_LIMIT: usize = 50;

/// The commits that weaken leakguard's own configuration, each with what it switches off, and
/// whether that blocks.
fn config_changes(out: &mut dyn Write, o: &Options) -> io::Result<()> {
    let review = &o.review;
    if review.changes.is_empty() {
        return Ok(());
    }
    let s = o.styles;
    let heading = match &review.verdict {
        Verdict::Blocks => s.error(
            "Configuration changes that weaken the check (they block like a secret: a change \
             must not switch off the check that judges it):",
        ),
        Verdict::Accepted => {
            s.warn("Configuration changes that weaken the check (accepted for this run):")
        }
        Verdict::JudgedWith(base) => s.warn(format!(
            "Configuration changes after {} (not applied: judged with its configuration):",
            Escaped(base)
        )),
    };
    writeln!(out, "{heading}")?;
    let mut shown = 0;
    for commit in review.commits() {
        if shown == CHANGES_LIMIT {
            break;
        }
        writeln!(
            out,
            "  {} {} {}",
            s.warn(Escaped(commit.short_id())),
            Escaped(&commit.subject),
            s.dim(format!("({})", Escaped(&commit.author)))
        )?;
        for change in review.changes.iter().filter(|c| c.commit.id == commit.id) {
            if shown == CHANGES_LIMIT {
                break;
            }
            shown += 1;
            let place = if change.line > 0 {
                format!("{}:{}:{}", change.file, change.line, change.column)
            } else {
                change.file.to_string()
            };
            writeln!(
                out,
                "      {}  {}",
                s.location(place),
                change.weakening.describe(&policy::shown)
            )?;
        }
    }
    if shown < review.changes.len() {
        writeln!(
            out,
            "  … and {} more (every change: --format json)",
            review.changes.len() - shown
        )?;
    }
    Ok(())
}

/// What to do when the configuration changes are all that blocks.
fn config_next_steps(out: &mut dyn Write, o: &Options) -> io::Result<()> {
    let s = o.styles;
    writeln!(
        out,
        "{}",
        s.heading("Review these changes: each can hide a secret in the same commits.")
    )?;
    match o.context {
        Context::PrePush => {
            writeln!(
                out,
                "  Intended? Push once accepting them: LEAKGUARD_ALLOW_CONFIG_CHANGES=1 git push"
            )?;
            writeln!(
                out,
                "  Not intended? Take them out of the commits listed above: {}",
                o.rewrite.as_deref().unwrap_or("git rebase -i <base>")
            )?;
        }
        _ => {
            writeln!(
                out,
                "  Judge a branch with its base's configuration (CI): leakguard scan --git BASE..HEAD --config-from BASE"
            )?;
            writeln!(
                out,
                "  Intended, and this checkout's configuration is trusted? leakguard scan --git … --allow-config-changes"
            )?;
        }
    }
    Ok(())
}

/// Low-severity findings: public-by-design keys and identifiers, listed without blocking.
fn warnings_list(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    warnings: &[&Finding],
    o: &Options,
) -> io::Result<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let s = o.styles;
    writeln!(
        out,
        "{} {} (public by design, identifiers, or generic matches in tests and examples; not blocking):",
        s.warn("warning:"),
        plural(
            warnings.len(),
            "low-severity finding",
            "low-severity findings"
        )
    )?;
    for f in warnings.iter().take(DETAIL_LIMIT) {
        let d = &catalogue.detectors[f.detector];
        let place = format!("{}:{}:{}", Escaped(&f.path), f.line, f.column);
        writeln!(
            out,
            "  {}  {}{} {}  fingerprint {}",
            s.location(place),
            Escaped(&d.name),
            encoded(f),
            s.dim(format!("[{}]", Escaped(&d.id))),
            s.dim(Escaped(f.fingerprint.as_str()))
        )?;
    }
    if warnings.len() > DETAIL_LIMIT {
        writeln!(
            out,
            "  … and {} more (every finding: --format json)",
            warnings.len() - DETAIL_LIMIT
        )?;
    }
    Ok(())
}

fn finding(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    f: &Finding,
    status: Option<&Status>,
    o: &Options,
) -> io::Result<()> {
    let s = o.styles;
    let d = &catalogue.detectors[f.detector];
    let place = format!("{}:{}:{}", Escaped(&f.path), f.line, f.column);
    writeln!(
        out,
        "  {}  {}{} {}",
        s.location(place),
        Escaped(&d.name),
        encoded(f),
        s.dim(format!("[{}, {}]", Escaped(&d.id), f.severity.as_str()))
    )?;
    let secret = if o.show_secrets {
        String::from_utf8_lossy(f.secret.expose()).into_owned()
    } else {
        f.secret.redacted()
    };
    writeln!(
        out,
        "      secret {}  fingerprint {}",
        Escaped(&secret),
        s.dim(Escaped(f.fingerprint.as_str()))
    )?;
    match status {
        None => {}
        Some(Status::Live) => writeln!(
            out,
            "      {} its issuer accepted it: rotate now",
            s.error("LIVE")
        )?,
        Some(Status::Invalid) => writeln!(
            out,
            "      {} its issuer no longer accepts it (revoked, expired or unknown there); it still blocks",
            s.good("invalid:")
        )?,
        Some(Status::Unknown(why)) => writeln!(
            out,
            "      {}",
            s.dim(format!("liveness unknown: {}", Escaped(why)))
        )?,
    }
    if !f.unknown_allow_ids.is_empty() {
        // The words are id-shaped, but the ids they are near may be a repository's own.
        let words: Vec<String> = f
            .unknown_allow_ids
            .iter()
            .map(|w| match catalogue.closest_id(w) {
                Some(near) => format!("{} (did you mean {}?)", quote(w), quote(near)),
                None => quote(w),
            })
            .collect();
        writeln!(
            out,
            "      {} unknown detector id {} in leakguard:allow; known ids for this finding: {}",
            s.error("error:"),
            words.join(", "),
            Escaped(&d.id)
        )?;
        writeln!(
            out,
            "      {} that pragma allows nothing until it names known ids; a free-text reason goes \
             after ` -- ` (leakguard:allow {} -- reason)",
            s.hint("hint:"),
            Escaped(&d.id)
        )?;
    }
    if let Origin::Commit(c) = f.origin.as_ref() {
        writeln!(
            out,
            "      added in {} {} {}",
            s.warn(Escaped(c.short_id())),
            Escaped(&c.subject),
            s.dim(format!("({})", Escaped(&c.author)))
        )?;
    }
    Ok(())
}

/// ` (base64-encoded)` after a detector's name, for a secret found inside an encoded value.
fn encoded(f: &Finding) -> String {
    super::encoding_note(&f.encoding).map_or_else(String::new, |note| format!(" ({note})"))
}

fn rotation(out: &mut dyn Write, p: &Provider, o: &Options) -> io::Result<()> {
    let s = o.styles;
    let intro = match o.context {
        Context::PreCommit | Context::Staged => {
            "If it was ever shared beyond this machine, rotate it:"
        }
        Context::PrePush => "If the branch was pushed or shared before, rotate it:",
        Context::History => "It is already out: rotate it now:",
        Context::Files => "If these files were ever shared or committed, rotate it:",
    };
    writeln!(out, "  {}", s.heading(intro))?;
    for (i, step) in p.steps.iter().enumerate() {
        writeln!(out, "    {}. {}", i + 1, Escaped(step))?;
    }
    for cmd in p.cli.iter() {
        writeln!(out, "    {} {}", s.dim("cli:"), Escaped(cmd))?;
    }
    if let Some(url) = &p.revoke_url {
        writeln!(out, "    {} {}", s.dim("revoke:"), Escaped(url))?;
    }
    if let Some(url) = &p.docs {
        writeln!(out, "    {} {}", s.dim("docs:"), Escaped(url))?;
    }
    Ok(())
}

fn next_steps(out: &mut dyn Write, blocking: &[&Finding], o: &Options) -> io::Result<()> {
    let s = o.styles;
    match o.context {
        Context::PreCommit | Context::Staged => {
            writeln!(
                out,
                "{}",
                s.heading("These secrets have not left this machine. To commit without them:")
            )?;
            writeln!(
                out,
                "  1. Take each secret out of the staged file; read it from an environment variable or a secret manager instead."
            )?;
            writeln!(
                out,
                "  2. Stage the file again: git add {}",
                paths(blocking)
            )?;
            writeln!(
                out,
                "  3. Rotate a secret anyway if it was ever pasted, sent or committed anywhere else."
            )?;
        }
        Context::PrePush => {
            let rebase = o.rewrite.as_deref().unwrap_or("git rebase -i <base>");
            writeln!(
                out,
                "{}",
                s.heading(
                    "These secrets are in local commits that have not been pushed. Before pushing:"
                )
            )?;
            writeln!(
                out,
                "  1. Take each secret out of its file, then rewrite the commits that added it:"
            )?;
            writeln!(out, "       the last commit:  git commit --amend")?;
            writeln!(
                out,
                "       older commits:    {rebase}   (mark the commits listed above as `edit`)"
            )?;
            writeln!(
                out,
                "  2. Rotate a secret if this branch was ever pushed or shared elsewhere."
            )?;
        }
        Context::History => {
            writeln!(out, "{}", s.heading("These secrets are already in history: rotate them first, then clean the history (git filter-repo) if it matters."))?;
        }
        Context::Files => {
            writeln!(out, "{}", s.heading("Move these secrets out of the files (environment variables or a secret manager)."))?;
        }
    }
    writeln!(
        out,
        "{} add `leakguard:allow` in a comment on that line (or `leakguard:allow <detector-id>`),",
        s.dim("Not a secret?")
    )?;
    let mut fingerprints: Vec<&str> = blocking.iter().map(|f| f.fingerprint.as_str()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    match fingerprints.as_slice() {
        [one] => writeln!(
            out,
            "  or ignore it wherever it appears, by fingerprint: leakguard ignore {} --reason \"…\"",
            Escaped(one)
        )?,
        _ => writeln!(
            out,
            "  or ignore one wherever it appears, by the fingerprint shown above: leakguard ignore <fingerprint> --reason \"…\""
        )?,
    }
    if matches!(o.context, Context::History | Context::Files) {
        writeln!(
            out,
            "{} record every finding present now in a baseline that later runs ignore: leakguard baseline{}",
            s.dim("Adopting leakguard in an existing repository?"),
            if o.context == Context::History {
                " --git"
            } else {
                ""
            }
        )?;
    }
    // The bypass is a hint, as it is when a hook blocks on an error.
    let bypass = match o.context {
        Context::PreCommit => Some("git commit --no-verify"),
        Context::PrePush => Some("git push --no-verify"),
        _ => None,
    };
    if let Some(bypass) = bypass {
        writeln!(
            out,
            "leakguard: {} emergency bypass (skips every check once): {bypass}",
            s.hint("hint:")
        )?;
    }
    Ok(())
}

fn suppressed_summary(out: &mut dyn Write, outcome: &Outcome, o: &Options) -> io::Result<()> {
    let mut counts: Vec<(Suppression, usize)> = Vec::new();
    for f in &outcome.findings {
        if let Some(why) = f.suppressed {
            match counts.iter_mut().find(|(w, _)| *w == why) {
                Some((_, c)) => *c += 1,
                None => counts.push((why, 1)),
            }
        }
    }
    if counts.is_empty() {
        return Ok(());
    }
    counts.sort();
    let total: usize = counts.iter().map(|(_, c)| c).sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(w, c)| format!("{c} by {}", w.as_str()))
        .collect();
    writeln!(
        out,
        "{}",
        o.styles.dim(format!(
            "leakguard: {} suppressed ({})",
            plural(total, "finding", "findings"),
            parts.join(", ")
        ))
    )
}

/// Providers in order of first appearance, with their findings.
fn by_provider<'a>(
    catalogue: &'a Catalogue,
    findings: &[&'a Finding],
) -> Vec<(&'a str, Vec<&'a Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let key = f.provider_key(catalogue);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    groups
}

fn paths(findings: &[&Finding]) -> String {
    let mut p: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    p.dedup();
    let shown: Vec<String> = p.iter().take(5).map(|x| shell_quote(x)).collect();
    let more = if p.len() > 5 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

fn shell_quote(path: &str) -> String {
    if path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        path.to_string()
    } else {
        format!("'{}'", Escaped(path).to_string().replace('\'', "'\\''"))
    }
}

fn scanned(stats: &Stats) -> String {
    let mut parts = Vec::new();
    if stats.commits > 0 {
        parts.push(plural(stats.commits, "commit", "commits"));
    }
    parts.extend([
        plural(stats.files, "file", "files"),
        plural(stats.added_lines, "added line", "added lines"),
    ]);
    if stats.binary_skipped > 0 {
        parts.push(format!("{} binary skipped", stats.binary_skipped));
    }
    if stats.shallow_skipped > 0 {
        parts.push(format!(
            "{} shallow boundary not diffed",
            stats.shallow_skipped
        ));
    }
    if stats.renames_skipped > 0 {
        parts.push(format!("{} renamed unchanged", stats.renames_skipped));
    }
    format!(
        "({} scanned in {})",
        parts.join(", "),
        duration(stats.elapsed)
    )
}

fn duration(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::chunk::CommitInfo;
    use crate::detectors::Severity;
    use crate::finding::Secret;
    use crate::fingerprint::Fingerprint;
    use crate::outcome::Stats;

    const CATALOGUE: &str = r#"
[provider.acme]
name = "Acme Cloud"
revoke_url = "https://console.acme.test/keys"
steps = ["Revoke the key on the Acme console.", "Create a replacement in the secret manager."]
cli = ["acme keys revoke <key-id>"]

[[detector]]
id = "acme-api-key"
provider = "acme"
name = "Acme API key"
severity = "high"
keywords = ["acmk_"]
regex = 'acmk_[a-z0-9]{24}'

[[detector]]
id = "acme-site-id"
provider = "acme"
name = "Acme site id"
severity = "low"
keywords = ["acms_"]
regex = 'acms_[a-z0-9]{12}'
"#;

    fn finding(
        detector: usize,
        severity: Severity,
        path: &str,
        origin: &Arc<Origin>,
        line: u32,
        secret: &str,
        suppressed: Option<Suppression>,
    ) -> Finding {
        let id = ["acme-api-key", "acme-site-id"][detector];
        Finding {
            detector,
            provider: None,
            severity,
            path: path.into(),
            origin: origin.clone(),
            line,
            column: 7,
            secret: Secret::new(secret.as_bytes()),
            fingerprint: Fingerprint::of(id, secret.as_bytes()),
            encoding: Default::default(),
            suppressed,
            unknown_allow_ids: Vec::new(),
        }
    }

    fn render_to_string(outcome: &Outcome, context: Context, rewrite: Option<&str>) -> String {
        let catalogue = Catalogue::parse("t.toml", CATALOGUE, false).unwrap();
        let mut out = Vec::new();
        let options = Options {
            context,
            styles: Styles::new(false),
            quiet: false,
            show_secrets: false,
            rewrite: rewrite.map(String::from),
            review: Review::default(),
        };
        render(&mut out, &catalogue, outcome, &options).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn stats() -> Stats {
        Stats {
            files: 2,
            added_lines: 14,
            bytes: 512,
            binary_skipped: 1,
            elapsed: std::time::Duration::from_micros(2500),
            ..Stats::default()
        }
    }

    /// Everything a blocked commit shows, in order: the headline, each provider's findings with
    /// its rotation steps, what to do next, the warnings and the suppressed count.
    #[test]
    fn a_blocked_commit() {
        use Severity::{High, Low};
        let staged = Arc::new(Origin::Staged);
        let outcome = Outcome {
            liveness: None,
            findings: vec![
                finding(
                    0,
                    High,
                    "deploy/prod.env",
                    &staged,
                    1,
                    "acmk_h3kq9zt2vw8xm4rb7pj5nc6y",
                    None,
                ),
                finding(
                    0,
                    High,
                    "src/app.py",
                    &staged,
                    3,
                    "acmk_w5tz2qk8rm3vx9hb4nj7cp6d",
                    None,
                ),
                finding(1, Low, "src/app.py", &staged, 4, "acms_k3q9zt2vw8xm", None),
                finding(
                    0,
                    High,
                    "test/fixture.py",
                    &staged,
                    2,
                    "acmk_r8vm4kx2tq9zb7wn3hj6pc5y",
                    Some(Suppression::Pragma),
                ),
            ],
            stats: stats(),
        };
        insta::assert_snapshot!(render_to_string(&outcome, Context::PreCommit, None));
    }

    #[test]
    fn a_blocked_push_names_the_commit_and_the_rewrite() {
        let commit = Arc::new(Origin::Commit(CommitInfo {
            id: "0123456789abcdef0123456789abcdef01234567".into(),
            subject: "add the deploy config".into(),
            author: "Dev <dev@example.com>".into(),
            parent: Some("fedcba9876543210fedcba9876543210fedcba98".into()),
        }));
        let outcome = Outcome {
            liveness: None,
            findings: vec![finding(
                0,
                Severity::High,
                "deploy/prod.env",
                &commit,
                1,
                "acmk_h3kq9zt2vw8xm4rb7pj5nc6y",
                None,
            )],
            stats: Stats {
                commits: 1,
                ..stats()
            },
        };
        insta::assert_snapshot!(render_to_string(
            &outcome,
            Context::PrePush,
            Some("git rebase -i fedcba9876")
        ));
    }

    #[test]
    fn a_clean_run_says_what_was_scanned() {
        let outcome = Outcome {
            liveness: None,
            findings: Vec::new(),
            stats: stats(),
        };
        assert_eq!(
            render_to_string(&outcome, Context::PreCommit, None),
            "leakguard: no secrets found (2 files, 14 added lines, 1 binary skipped scanned in 2.5 ms)\n"
        );
    }
}
