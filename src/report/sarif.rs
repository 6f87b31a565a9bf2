//! `--format sarif`: SARIF 2.1.0 for GitHub and GitLab code scanning. One rule per detector,
//! whose help carries the provider's rotation steps so the code-scanning UI shows them.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::chunk::Origin;
use crate::detectors::{Catalogue, Detector, Severity};
use crate::escape;
use crate::finding::{Finding, Suppression};
use crate::outcome::Outcome;
use crate::policy::{ConfigChange, Review, Verdict};

/// The rule of configuration changes that weaken the check. Not a valid detector id (detector
/// ids are kebab-case), so no repository can define one of the same name.
pub const CONFIG_CHANGE_RULE: &str = "leakguard/config-change";

pub fn render(
    out: &mut dyn Write,
    catalogue: &Catalogue,
    outcome: &Outcome,
    review: &Review,
    show_secrets: bool,
) -> io::Result<()> {
    let mut rules: Vec<Value> = catalogue
        .detectors
        .iter()
        .map(|d| rule(catalogue, d))
        .collect();
    let mut results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| result(catalogue, f, outcome.liveness_of(f), show_secrets))
        .collect();
    if !review.changes.is_empty() {
        let index = rules.len();
        rules.push(config_change_rule());
        results.extend(
            review
                .changes
                .iter()
                .map(|c| config_change(c, review, index)),
        );
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "leakguard",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    escape::json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn config_change_rule() -> Value {
    let help = "A commit in the scanned range weakens leakguard's own configuration (.leakguard.toml, \
                .leakguardignore or the baseline): it disables or replaces a detector, skips or \
                allows paths, adds a placeholder word or accepts fingerprints. The same commits \
                could hide a secret that way. Review the change; judge pull requests with their \
                base's configuration (`leakguard scan --git BASE..HEAD --config-from BASE`), or \
                accept it with --allow-config-changes.";
    json!({
        "id": CONFIG_CHANGE_RULE,
        "name": "ConfigurationWeakened",
        "shortDescription": { "text": "A commit weakens leakguard's own configuration" },
        "fullDescription": { "text": help },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": "error" },
        "properties": {
            "tags": ["security", "configuration"],
            "security-severity": "8.0",
            "precision": "high",
        },
    })
}

fn config_change(c: &ConfigChange, review: &Review, rule_index: usize) -> Value {
    let what = c.weakening.describe(&|s| format!("`{s}`"));
    let status = match &review.verdict {
        Verdict::Blocks => String::new(),
        Verdict::Accepted => " Accepted with --allow-config-changes.".into(),
        Verdict::JudgedWith(base) => {
            format!(" Not applied: the scan was judged with the configuration of {base}.")
        }
    };
    let mut region = json!({});
    if c.line > 0 {
        region = json!({ "startLine": c.line, "startColumn": c.column.max(1) });
    }
    let mut location = json!({ "artifactLocation": { "uri": uri(c.file) } });
    if c.line > 0 {
        location["region"] = region;
    }
    json!({
        "ruleId": CONFIG_CHANGE_RULE,
        "ruleIndex": rule_index,
        "level": if review.blocks() { "error" } else { "warning" },
        "message": {
            "text": format!(
                "Commit {} ({}) weakens leakguard's configuration: {what}.{status}",
                c.commit.short_id(),
                c.commit.subject
            )
        },
        "locations": [{ "physicalLocation": location }],
        "properties": {
            "commit": c.commit.id,
            "commitSubject": c.commit.subject,
            "author": c.commit.author,
            "change": c.weakening,
        },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "warning",
        _ => "error",
    }
}

/// GitHub's code-scanning severity scale (0.1–10).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

fn rule(catalogue: &Catalogue, d: &Detector) -> Value {
    let provider = catalogue.provider_of(d);
    let provider_name = provider.map_or(d.provider.as_ref(), |p| p.name.as_ref());
    let mut text = format!("{} ({provider_name}).\n\nTo rotate or revoke it:\n", d.name);
    let mut markdown = format!(
        "**{}** ({provider_name})\n\nTo rotate or revoke it:\n\n",
        d.name
    );
    if let Some(p) = provider {
        for (i, step) in p.steps.iter().enumerate() {
            text.push_str(&format!("{}. {step}\n", i + 1));
            markdown.push_str(&format!("{}. {step}\n", i + 1));
        }
        for cmd in p.cli.iter() {
            text.push_str(&format!("CLI: {cmd}\n"));
            markdown.push_str(&format!("\n`{cmd}`\n"));
        }
        if let Some(url) = &p.revoke_url {
            text.push_str(&format!("Revoke: {url}\n"));
            markdown.push_str(&format!("\nRevoke: <{url}>\n"));
        }
        if let Some(url) = &p.docs {
            text.push_str(&format!("Docs: {url}\n"));
            markdown.push_str(&format!("\nDocs: <{url}>\n"));
        }
    }
    let mut rule = json!({
        "id": d.id,
        "name": d.name,
        "shortDescription": { "text": d.name },
        "fullDescription": { "text": d.description.as_deref().unwrap_or(&d.name) },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(d.severity) },
        "properties": {
            "tags": ["security", "secret", d.provider.as_ref()],
            "security-severity": security_severity(d.severity),
            "precision": "high",
        },
    });
    if let Some(url) = provider.and_then(|p| p.docs.as_ref()) {
        rule["helpUri"] = json!(url);
    }
    rule
}

fn result(
    catalogue: &Catalogue,
    f: &Finding,
    status: Option<&crate::verify::Status>,
    show_secrets: bool,
) -> Value {
    let d = &catalogue.detectors[f.detector];
    let secret = if show_secrets {
        String::from_utf8_lossy(f.secret.expose()).into_owned()
    } else {
        f.secret.redacted()
    };
    let what = match super::encoding_note(&f.encoding) {
        Some(note) => format!("{} ({note})", d.name),
        None => d.name.to_string(),
    };
    let mut message = format!("{what} found: {secret}.");
    if let Origin::Commit(c) = f.origin.as_ref() {
        message.push_str(&format!(
            " Added in commit {} ({}).",
            c.short_id(),
            c.subject
        ));
    }
    message.push_str(" See the rule's help for how to rotate it.");
    let mut result = json!({
        "ruleId": d.id,
        "ruleIndex": f.detector,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&f.path) },
                "region": { "startLine": f.line.max(1), "startColumn": f.column.max(1) },
            }
        }],
        "partialFingerprints": { "leakguardFingerprint/v1": f.fingerprint },
    });
    if let Origin::Commit(c) = f.origin.as_ref() {
        result["properties"] =
            json!({ "commit": c.id, "commitSubject": c.subject, "author": c.author });
    }
    if f.provider.is_some() {
        // A generic finding attributed to a provider: its rotation steps are that provider's.
        let key = f.provider_key(catalogue);
        let name = catalogue
            .providers
            .get(key)
            .map_or(key, |p| p.name.as_ref());
        result["message"]["text"] = json!(format!(
            "{what} found: {secret}. The name says it is a {name} credential: rotate it there."
        ));
        if !result["properties"].is_object() {
            result["properties"] = json!({});
        }
        result["properties"]["provider"] = json!(key);
    }
    if let Some(status) = status {
        if !result["properties"].is_object() {
            result["properties"] = json!({});
        }
        result["properties"]["verification"] = json!(status.label());
        if let crate::verify::Status::Unknown(why) = status {
            result["properties"]["verificationReason"] = json!(why);
        }
    }
    if !f.encoding.is_empty() {
        if !result["properties"].is_object() {
            result["properties"] = json!({});
        }
        let layers: Vec<&str> = f.encoding.iter().map(|e| e.as_str()).collect();
        result["properties"]["encoding"] = json!(layers);
    }
    if let Some(why) = f.suppressed {
        let kind = if why == Suppression::Pragma {
            "inSource"
        } else {
            "external"
        };
        let justification = match why {
            Suppression::Pragma => "leakguard:allow pragma in the source",
            Suppression::IgnoreFile => "fingerprint listed in .leakguardignore",
            Suppression::Baseline => {
                "recorded in the baseline (present before leakguard was adopted)"
            }
            Suppression::PathGlob => "path allowed by skip_paths or [[allow]] in .leakguard.toml",
        };
        result["suppressions"] = json!([{ "kind": kind, "justification": justification }]);
    }
    result
}

/// A relative URI reference for a repository path: unreserved characters and `/` kept, every
/// other byte percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(super::uri("src/a b/ü.txt"), "src/a%20b/%C3%BC.txt");
        assert_eq!(super::uri("plain/path-1_2.rs"), "plain/path-1_2.rs");
    }
}
