//! Proves detectors against their own `examples` and `negative_examples` through the whole
//! pipeline (prefilter, regex, validators, overlap resolution), the way a staged file would be
//! scanned. Used by the built-in catalogue's test and by `leakguard check` for repository configs.

use std::sync::Arc;

use crate::chunk::{Chunk, Origin};
use crate::detectors::{Catalogue, Detector, validate};
use crate::error::Result;

use super::{Scanner, compile};

/// One failed expectation, located at the detector's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    pub detector: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: detector `{}`: {}",
            self.location, self.detector, self.message
        )
    }
}

/// Checks every detector of `catalogue`; `min_examples` is the number of positive and of
/// negative examples each must have. Returns all problems, not just the first.
pub fn check(catalogue: &Catalogue, min_examples: usize) -> Result<Vec<Problem>> {
    catalogue.validate()?;
    let scanner = Scanner::new(catalogue)?;
    let mut problems = Vec::new();
    for (i, d) in catalogue.detectors.iter().enumerate() {
        let mut problem = |message: String| {
            problems.push(Problem {
                location: d.defined_at.to_string(),
                detector: d.id.to_string(),
                message,
            })
        };
        if let Err(e) = compile(d) {
            problem(e);
            continue;
        }
        if catalogue.provider_of(d).is_none() {
            problem(format!("unknown provider `{}`", d.provider));
        }
        if d.examples.len() < min_examples {
            problem(format!(
                "has {} examples, needs at least {min_examples}",
                d.examples.len()
            ));
        }
        if d.negative_examples.len() < min_examples {
            problem(format!(
                "has {} negative_examples, needs at least {min_examples}",
                d.negative_examples.len()
            ));
        }
        for (n, example) in d.examples.iter().enumerate() {
            let found = detected_by(&scanner, example)?;
            if !found.contains(&i) {
                problem(format!(
                    "example {} is not found: {}",
                    n + 1,
                    diagnose(&scanner, d, example, &found)
                ));
            }
        }
        for (n, example) in d.negative_examples.iter().enumerate() {
            if detected_by(&scanner, example)?.contains(&i) {
                problem(format!("negative example {} is found", n + 1));
            }
        }
    }
    Ok(problems)
}

/// Indexes of the detectors that report (unsuppressed) findings in `text`.
fn detected_by(scanner: &Scanner<'_>, text: &str) -> Result<Vec<usize>> {
    let chunk = Chunk::whole(
        "<example>".into(),
        Arc::new(Origin::File),
        text.as_bytes().to_vec(),
    );
    let mut findings = Vec::new();
    scanner.scan(&chunk, &mut findings)?;
    Ok(findings
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.detector)
        .collect())
}

/// Explains which stage dropped an example, so a detector author knows what to fix.
fn diagnose(scanner: &Scanner<'_>, d: &Detector, example: &str, found: &[usize]) -> String {
    let lower = example.to_ascii_lowercase();
    if !d
        .keywords
        .iter()
        .any(|k| lower.contains(&k.to_ascii_lowercase()))
    {
        return "it contains none of the keywords".into();
    }
    let Ok(regex) = compile(d) else {
        return "the regex does not compile".into();
    };
    let Some(caps) = regex.captures(example.as_bytes()) else {
        return "the regex does not match".into();
    };
    let secret = caps
        .name("secret")
        .or_else(|| caps.get(0))
        .map_or(&b""[..], |m| m.as_bytes());
    if let Some(min) = d.min_entropy {
        let e = validate::shannon_entropy(secret);
        if e < min {
            return format!("entropy {e:.2} is below min_entropy {min}");
        }
    }
    if let Some(kind) = d.checksum
        && !validate::checksum_ok(kind, secret)
    {
        return "the checksum does not verify".into();
    }
    if d.looks_random && !validate::looks_random(secret) {
        return "the value reads like an identifier or words (looks_random)".into();
    }
    if validate::is_placeholder(secret, &scanner.catalogue().placeholders) {
        return "the value looks like a placeholder".into();
    }
    if !found.is_empty() {
        let ids: Vec<&str> = found
            .iter()
            .map(|&j| scanner.catalogue().detectors[j].id.as_ref())
            .collect();
        return format!("an overlapping match of {} wins", ids.join(", "));
    }
    "the keyword and the secret are more than a window apart, or on different lines".into()
}
