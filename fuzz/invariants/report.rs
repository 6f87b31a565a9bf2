//! Invariants of the `report` fuzz target, shared with `tests/fuzz_regressions.rs`, which
//! replays every input kept in `fuzz/regressions/report/`.
//!
//! The report renderers fed with arbitrary repository-controlled strings: the input is cut at
//! 0xFF bytes (which UTF-8 never uses) into a provider key, name, category, steps, CLI line,
//! revoke and docs URLs, a detector id, name and description, a path, a commit subject and
//! author, a secret, a base revision and a glob. They become a repository config (written as
//! TOML with every character escaped, and parsed as leakguard parses one), findings in staged
//! changes and in a commit, and configuration changes of every kind. Then:
//!
//! - the human report, coloured or not, in every context, holds no control or bidi character
//!   but line breaks and leakguard's own colour codes (`Styles::codes`), and has exactly as
//!   many lines as the same report with every foreign string replaced by a plain one: no
//!   foreign string can add a line (a fake `leakguard: no secrets found`);
//! - so do `leakguard detectors` and `leakguard explain`;
//! - the JSON and SARIF reports parse back, hold the original strings, and contain no raw
//!   character a terminal acts on;
//! - an error quoting the strings is one safe line.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use leakguard::chunk::{CommitInfo, Origin};
use leakguard::detectors::{Catalogue, Severity};
use leakguard::error::Error;
use leakguard::escape;
use leakguard::finding::{Finding, Secret, Suppression};
use leakguard::fingerprint::Fingerprint;
use leakguard::outcome::{Outcome, Stats};
use leakguard::policy::{ConfigChange, Review, Verdict, Weakening};
use leakguard::report::{Context, Styles, catalogue, human, json, sarif};
use leakguard::verify::Status;

/// The repository-controlled strings of one input.
#[derive(Clone, Debug)]
struct Fields {
    provider: String,
    name: String,
    category: String,
    step1: String,
    step2: String,
    cli: String,
    revoke: String,
    docs: String,
    id: String,
    detector_name: String,
    description: String,
    path: String,
    subject: String,
    author: String,
    secret: String,
    base: String,
    glob: String,
}

impl Fields {
    fn parse(data: &[u8]) -> Self {
        let mut parts = data
            .split(|&b| b == 0xff)
            .map(|p| String::from_utf8_lossy(p).into_owned());
        let mut next = || parts.next().unwrap_or_default();
        Fields {
            provider: next(),
            name: next(),
            category: next(),
            step1: next(),
            step2: next(),
            cli: next(),
            revoke: next(),
            docs: next(),
            id: next(),
            detector_name: next(),
            description: next(),
            path: next(),
            subject: next(),
            author: next(),
            secret: next(),
            base: next(),
            glob: next(),
        }
    }

    fn all(&self) -> [&String; 17] {
        [
            &self.provider,
            &self.name,
            &self.category,
            &self.step1,
            &self.step2,
            &self.cli,
            &self.revoke,
            &self.docs,
            &self.id,
            &self.detector_name,
            &self.description,
            &self.path,
            &self.subject,
            &self.author,
            &self.secret,
            &self.base,
            &self.glob,
        ]
    }

    /// The same fields with every string replaced by a plain one: equal strings stay equal and
    /// different ones different (the report groups by some of them), lengths are kept (the
    /// redacted secret shows a share of it).
    fn plain(&self) -> Self {
        let mut names: HashMap<&String, String> = HashMap::new();
        for s in self.all() {
            let n = names.len();
            names.entry(s).or_insert_with(|| {
                let len = s.chars().count();
                let tag = format!("p{n}x");
                tag.chars().cycle().take(len.max(tag.len())).collect()
            });
        }
        let m = |s: &String| names[s].clone();
        Fields {
            provider: m(&self.provider),
            name: m(&self.name),
            category: m(&self.category),
            step1: m(&self.step1),
            step2: m(&self.step2),
            cli: m(&self.cli),
            revoke: m(&self.revoke),
            docs: m(&self.docs),
            id: m(&self.id),
            detector_name: m(&self.detector_name),
            description: m(&self.description),
            path: m(&self.path),
            subject: m(&self.subject),
            author: m(&self.author),
            secret: m(&self.secret),
            base: m(&self.base),
            glob: m(&self.glob),
        }
    }
}

/// A TOML basic string holding `s` exactly: everything but printable ASCII is a `\u` escape.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// The fields as a repository config that defines one provider and one detector.
fn catalogue(f: &Fields) -> Catalogue {
    let text = format!(
        "[provider.{key}]\nname = {name}\ncategory = {category}\nsteps = [{s1}, {s2}]\n\
         cli = [{cli}]\nrevoke_url = {revoke}\ndocs = {docs}\n\n\
         [[detector]]\nid = {id}\nprovider = {key}\nname = {dname}\ndescription = {desc}\n\
         severity = \"high\"\nkeywords = [\"key\"]\nregex = 'key'\n",
        key = toml_string(&f.provider),
        name = toml_string(&f.name),
        category = toml_string(&f.category),
        s1 = toml_string(&f.step1),
        s2 = toml_string(&f.step2),
        cli = toml_string(&f.cli),
        revoke = toml_string(&f.revoke),
        docs = toml_string(&f.docs),
        id = toml_string(&f.id),
        dname = toml_string(&f.detector_name),
        desc = toml_string(&f.description),
    );
    Catalogue::parse(".leakguard.toml", &text, true)
        .unwrap_or_else(|e| panic!("the generated config parses: {e}\n{text}"))
}

fn outcome(f: &Fields) -> Outcome {
    let commit = Arc::new(Origin::Commit(commit_info(f)));
    let staged = Arc::new(Origin::Staged);
    // The second is a finding attributed to a provider (as a generic match is): its group and
    // rotation steps are that provider's, here the repository's own.
    let finding = |origin: &Arc<Origin>, attributed: bool, severity, suppressed| Finding {
        detector: 0,
        provider: attributed.then(|| f.provider.clone().into()),
        severity,
        path: f.path.clone(),
        origin: origin.clone(),
        line: 3,
        column: 7,
        secret: Secret::new(f.secret.as_bytes()),
        fingerprint: Fingerprint::of(&f.id, f.secret.as_bytes()),
        suppressed,
        // Pragma words are id-shaped; the repository's own id is printed beside them.
        unknown_allow_ids: vec!["no-such-detector".into()],
        encoding: Default::default(),
    };
    Outcome {
        findings: vec![
            finding(&commit, false, Severity::High, None),
            finding(&staged, true, Severity::High, None),
            finding(&staged, false, Severity::Low, None),
            finding(&commit, false, Severity::High, Some(Suppression::PathGlob)),
        ],
        stats: Stats {
            files: 1,
            added_lines: 3,
            commits: 1,
            elapsed: Duration::from_millis(1),
            ..Stats::default()
        },
        // As if the run verified and the issuer's answer could not be read: the reason is shown
        // in the report (leakguard's own phrases, but printed as foreign text all the same).
        liveness: Some(HashMap::from([(
            Fingerprint::of(&f.id, f.secret.as_bytes()),
            Status::Unknown(f.description.clone()),
        )])),
    }
}

fn commit_info(f: &Fields) -> CommitInfo {
    CommitInfo {
        id: "0123456789abcdef0123456789abcdef01234567".into(),
        subject: f.subject.clone(),
        author: f.author.clone(),
        parent: None,
    }
}

fn review(f: &Fields, verdict: Verdict) -> Review {
    let fingerprint = Fingerprint::of(&f.id, f.secret.as_bytes())
        .as_str()
        .to_string();
    let weakenings = [
        Weakening::Disable {
            detector: f.id.clone(),
        },
        Weakening::OverrideDetector {
            detector: f.id.clone(),
        },
        Weakening::OverrideProvider {
            provider: f.provider.clone(),
        },
        Weakening::RemoveDetector {
            detector: f.id.clone(),
        },
        Weakening::ChangeDetector {
            detector: f.detector_name.clone(),
        },
        Weakening::SkipPaths {
            glob: f.glob.clone(),
        },
        Weakening::Allow {
            paths: vec![f.glob.clone(), f.path.clone()],
            detectors: vec![f.id.clone()],
        },
        Weakening::Placeholder {
            word: f.secret.clone(),
        },
        Weakening::Ignore {
            fingerprint: fingerprint.clone(),
        },
        Weakening::Baseline {
            fingerprints: vec![fingerprint, f.step1.clone(), f.step2.clone(), f.cli.clone()],
        },
        Weakening::Unreadable {
            problem: f.description.clone(),
        },
    ];
    Review {
        changes: weakenings
            .into_iter()
            .enumerate()
            .map(|(i, weakening)| ConfigChange {
                commit: commit_info(f),
                file: leakguard::policy::FILES[i % 3],
                line: i,
                column: 1,
                weakening,
            })
            .collect(),
        verdict,
    }
}

/// Every report a human reads, for one set of fields.
fn human_reports(f: &Fields, base: &str) -> Vec<String> {
    let c = catalogue(f);
    let o = outcome(f);
    let mut reports = Vec::new();
    for colour in [false, true] {
        for context in [Context::PreCommit, Context::PrePush, Context::History] {
            for verdict in [
                Verdict::Blocks,
                Verdict::Accepted,
                Verdict::JudgedWith(base.to_string()),
            ] {
                for (show_secrets, quiet) in [(false, false), (true, true)] {
                    let options = human::Options {
                        context,
                        styles: Styles::new(colour),
                        quiet,
                        show_secrets,
                        rewrite: Some("git rebase -i 0123456789".into()),
                        review: review(f, verdict.clone()),
                    };
                    let mut out = Vec::new();
                    human::render(&mut out, &c, &o, &options).expect("writes to memory");
                    reports.push(String::from_utf8(out).expect("the report is UTF-8"));
                }
            }
        }
    }
    let mut out = Vec::new();
    catalogue::list(&mut out, &c, None).expect("writes to memory");
    catalogue::explain(&mut out, &c, &f.id).expect("writes to memory");
    catalogue::explain(&mut out, &c, &f.provider).expect("writes to memory");
    reports.push(String::from_utf8(out).expect("UTF-8"));
    reports.push(escape::error_chain(&Error::Config {
        location: f.path.clone(),
        message: format!("{} {}", f.name, escape::quote(&f.id)),
    }));
    reports
}

/// No control or bidi character but line breaks and leakguard's own colour codes.
fn assert_terminal_safe(text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c != '\n' && escape::is_unsafe(c)) {
        rest = &rest[at..];
        let code = Styles::codes()
            .iter()
            .find(|c| rest.starts_with(c.as_str()))
            .unwrap_or_else(|| panic!("a raw control or bidi character at {rest:?}"));
        rest = &rest[code.len()..];
    }
}

fn assert_json_safe(text: &str) {
    assert!(
        !text.chars().any(|c| c != '\n' && escape::is_unsafe(c)),
        "a raw control or bidi character in JSON: {text:?}"
    );
}

/// Checks the invariants above on one input.
pub fn check_input(data: &[u8]) {
    let f = Fields::parse(data);
    let plain = f.plain();
    let reports = human_reports(&f, &f.base);
    let plain_reports = human_reports(&plain, &plain.base);
    for (report, plain) in reports.iter().zip(&plain_reports) {
        assert_terminal_safe(report);
        assert_eq!(
            report.matches('\n').count(),
            plain.matches('\n').count(),
            "a foreign string changed the number of lines:\n{report}\n---\n{plain}"
        );
    }

    let c = catalogue(&f);
    let o = outcome(&f);
    let r = review(&f, Verdict::Blocks);
    let mut out = Vec::new();
    json::render(&mut out, &c, &o, &r, Context::PrePush, true).expect("writes to memory");
    let text = String::from_utf8(out).expect("JSON is UTF-8");
    assert_json_safe(&text);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the JSON report parses");
    let first = &doc["findings"][0];
    assert_eq!(first["path"], f.path.as_str());
    assert_eq!(first["name"], f.detector_name.as_str());
    assert_eq!(first["provider"], f.provider.as_str());
    assert_eq!(first["provider_name"], f.name.as_str());
    assert_eq!(first["secret"], f.secret.as_str());
    assert_eq!(first["commit"]["subject"], f.subject.as_str());
    assert_eq!(first["commit"]["author"], f.author.as_str());
    let changes = &doc["config_changes"]["changes"];
    assert_eq!(changes[5]["glob"], f.glob.as_str());
    assert_eq!(changes[5]["commit"]["subject"], f.subject.as_str());

    let mut out = Vec::new();
    sarif::render(&mut out, &c, &o, &r, false).expect("writes to memory");
    let text = String::from_utf8(out).expect("SARIF is UTF-8");
    assert_json_safe(&text);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the SARIF log parses");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), o.findings.len() + r.changes.len());
    assert_eq!(
        doc["runs"][0]["tool"]["driver"]["rules"][0]["name"],
        f.detector_name.as_str()
    );
    assert_eq!(
        results[0]["properties"]["commitSubject"],
        f.subject.as_str()
    );
}
