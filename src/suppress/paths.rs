//! `skip_paths` and `[[allow]]` rules of `.leakguard.toml`: findings under these paths are
//! suppressed (for every detector, or for the ones a rule names).

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::detectors::{Catalogue, PathGlob};
use crate::error::{Error, Result};
use crate::escape::{quote, tame};

/// `skip_paths` and `[[allow]]` rules, compiled.
#[derive(Clone, Debug, Default)]
pub struct PathRules {
    /// Globs that suppress every detector.
    every: GlobSet,
    /// Globs that suppress only some detectors (indexes into `Catalogue::detectors`).
    some: Vec<(GlobSet, Vec<usize>)>,
}

impl PathRules {
    /// Compiles the merged catalogue's path globs; a bad glob is an error at its location.
    pub fn build(catalogue: &Catalogue) -> Result<Self> {
        let mut every = GlobSetBuilder::new();
        for g in &catalogue.skip_paths {
            every.add(glob(g)?);
        }
        let mut some = Vec::new();
        for rule in &catalogue.allow {
            if rule.detectors.is_empty() {
                for g in &rule.paths {
                    every.add(glob(g)?);
                }
                continue;
            }
            let mut set = GlobSetBuilder::new();
            for g in &rule.paths {
                set.add(glob(g)?);
            }
            // Ids of disabled detectors are accepted in a rule but match nothing.
            let detectors: Vec<usize> = rule
                .detectors
                .iter()
                .filter_map(|(id, _)| catalogue.detectors.iter().position(|d| &d.id == id))
                .collect();
            some.push((build_set(set, &rule.defined_at.to_string())?, detectors));
        }
        Ok(PathRules {
            every: build_set(every, "skip_paths")?,
            some,
        })
    }

    pub fn allows(&self, path: &str, detector: usize) -> bool {
        (!self.every.is_empty() && self.every.is_match(path))
            || self
                .some
                .iter()
                .any(|(set, ids)| ids.contains(&detector) && set.is_match(path))
    }
}

fn glob(g: &PathGlob) -> Result<Glob> {
    Glob::new(&g.glob).map_err(|e| Error::Config {
        location: g.defined_at.to_string(),
        message: tame(&format!("invalid glob {}: {}", quote(&g.glob), e.kind())),
    })
}

fn build_set(builder: GlobSetBuilder, location: &str) -> Result<GlobSet> {
    builder.build().map_err(|e| Error::Config {
        location: location.into(),
        message: tame(&e.to_string()),
    })
}
