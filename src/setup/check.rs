//! Proves detectors against their own `examples` and `negative_examples` through the whole
//! pipeline (prefilter, regex, validators, overlap resolution, pragmas), the way a staged file
//! would be scanned. Used when a repository's config is loaded (its own detectors), by
//! `leakguard check` and by the built-in catalogue's test.

use std::sync::Arc;

use crate::chunk::{Chunk, Origin};
use crate::detectors::{Catalogue, Detector, Pattern, validate};
use crate::engine::{Scanner, compile, shape};
use crate::error::Result;
use crate::pipeline::scan_chunk;
use crate::suppress::Allowlist;

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
        if d.regex().is_some()
            && let Err(e) = compile(d)
        {
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
        for (n, example) in d.examples.iter().enumerate() {
            let others = claimed_by_others(&scanner, catalogue, i, example)?;
            if !others.is_empty() {
                problem(format!(
                    "example {} is also found by {}: make one of them stricter, or list the more \
                     general one in `more_general`",
                    n + 1,
                    others.join(", ")
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

/// The other detectors that claim a secret overlapping one of detector `i`'s in `example`,
/// before overlaps are resolved: each credential type is found by one detector, apart from the
/// generic ones (which provider detectors win over) and those `i` names as `more_general`.
fn claimed_by_others(
    scanner: &Scanner<'_>,
    catalogue: &Catalogue,
    i: usize,
    example: &str,
) -> Result<Vec<String>> {
    let d = &catalogue.detectors[i];
    let candidates = scanner.candidates(example.as_bytes())?;
    let own: Vec<&std::ops::Range<usize>> = candidates
        .iter()
        .filter(|(det, _)| *det == i)
        .map(|(_, r)| r)
        .collect();
    let mut others: Vec<String> = candidates
        .iter()
        .filter(|(det, r)| {
            let other = &catalogue.detectors[*det];
            *det != i
                && !other.is_generic()
                && !d.more_general.iter().any(|g| *g == *other.id)
                && own.iter().any(|o| o.start < r.end && r.start < o.end)
        })
        .map(|(det, _)| format!("`{}`", catalogue.detectors[*det].id))
        .collect();
    others.sort();
    others.dedup();
    Ok(others)
}

/// Indexes of the detectors that report (unsuppressed) findings in `text`.
fn detected_by(scanner: &Scanner<'_>, text: &str) -> Result<Vec<usize>> {
    let chunk = Chunk::whole(
        "<example>".into(),
        Arc::new(Origin::File),
        text.as_bytes().to_vec(),
    );
    let mut findings = Vec::new();
    scan_chunk(scanner, &Allowlist::default(), &chunk, &mut findings)?;
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
    let secret = match &d.pattern {
        Pattern::Regex(_) => {
            let Ok(regex) = compile(d) else {
                return "the regex does not compile".into();
            };
            let Some(caps) = regex.captures(example.as_bytes()) else {
                return "the regex does not match".into();
            };
            caps.name("secret")
                .or_else(|| caps.get(0))
                .map_or(&b""[..], |m| m.as_bytes())
                .to_vec()
        }
        Pattern::Matcher(_) => {
            return if found.is_empty() {
                "the built-in matcher finds no binding it accepts (see `leakguard explain` for \
                 its forms and value classes)"
                    .into()
            } else {
                let ids: Vec<&str> = found
                    .iter()
                    .map(|&j| scanner.catalogue().detectors[j].id.as_ref())
                    .collect();
                format!("an overlapping match of {} wins", ids.join(", "))
            };
        }
        Pattern::Shape(shape) => {
            let lower: Vec<Vec<u8>> = d
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase().into_bytes())
                .collect();
            let mut found = Vec::new();
            shape::find(
                shape,
                &lower,
                example.as_bytes(),
                0..example.len(),
                &mut found,
            );
            let Some(first) = found.first() else {
                return format!(
                    "no value of the shape {shape} is there{}",
                    if shape.prefix().is_empty() {
                        format!(
                            " within {} bytes after a keyword (on its line or the next), as a whole token",
                            shape::REACH
                        )
                    } else {
                        " as a whole token".to_string()
                    }
                );
            };
            example.as_bytes()[first.clone()].to_vec()
        }
    };
    let secret = &secret[..];
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
