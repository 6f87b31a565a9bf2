//! The built-in catalogue's `[verify.<id>]` and `[revoke.<id>]` tables, validated.

use super::spec::{self, Check};

/// The built-in catalogue's checks and revocations, by detector id.
#[derive(Debug, Default)]
pub struct Checks {
    pub verify: std::collections::HashMap<String, Check>,
    pub revoke: std::collections::HashMap<String, Check>,
}

impl Checks {
    /// Loads and validates the checks of the built-in `detectors.toml` against `catalogue`
    /// (only the built-in catalogue has checks: a repository's config cannot send secrets
    /// anywhere, see `detectors::Catalogue::parse`).
    pub fn builtin(catalogue: &crate::detectors::Catalogue) -> crate::error::Result<Checks> {
        Self::parse(
            crate::detectors::BUILTIN_LABEL,
            crate::detectors::BUILTIN,
            catalogue,
        )
    }

    fn parse(
        label: &str,
        text: &str,
        catalogue: &crate::detectors::Catalogue,
    ) -> crate::error::Result<Checks> {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(default)]
            verify: std::collections::BTreeMap<String, toml::Spanned<spec::CheckSyntax>>,
            #[serde(default)]
            revoke: std::collections::BTreeMap<String, toml::Spanned<spec::CheckSyntax>>,
        }
        let at = |offset: usize| {
            let line = text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            format!("{label}:{line}")
        };
        let file: File = toml::from_str(text).map_err(|e| crate::error::Error::Config {
            location: at(e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
        let known = |id: &str| catalogue.detectors.iter().any(|d| d.id == id);
        let mut checks = Checks::default();
        for (revoke, table) in [(false, file.verify), (true, file.revoke)] {
            for (id, syntax) in table {
                let location = at(syntax.span().start);
                let fail = |message: String| crate::error::Error::Config {
                    location: location.clone(),
                    message: format!(
                        "[{}.{id}]: {message}",
                        if revoke { "revoke" } else { "verify" }
                    ),
                };
                if !known(&id) {
                    return Err(fail("no detector has this id".into()));
                }
                let check = Check::from_syntax(syntax.get_ref(), revoke).map_err(fail)?;
                if let Some(pair) = &check.pair
                    && !known(pair)
                {
                    return Err(fail(format!("`pair = \"{pair}\"` names no detector")));
                }
                if revoke {
                    checks.revoke.insert(id, check);
                } else {
                    checks.verify.insert(id, check);
                }
            }
        }
        Ok(checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_checks_load() {
        let catalogue = crate::detectors::Catalogue::builtin().unwrap();
        let checks = Checks::builtin(&catalogue).unwrap();
        assert!(checks.verify.len() >= 25, "{}", checks.verify.len());
        assert!(checks.revoke.contains_key("github-pat-classic"));
        assert!(checks.revoke.contains_key("gitlab-pat"));
        assert!(checks.revoke.contains_key("slack-bot-token"));
    }

    #[test]
    fn a_check_for_an_unknown_detector_is_an_error() {
        let catalogue = crate::detectors::Catalogue::builtin().unwrap();
        let text = "[verify.nope]\nrequest = \"GET https://example.com/\"\nheaders = { A = \"{secret}\" }\nlive = { status = [200] }\ninvalid = { status = [401] }\n";
        let err = Checks::parse("x.toml", text, &catalogue)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.toml:1: [verify.nope]: no detector"),
            "{err}"
        );
    }
}
