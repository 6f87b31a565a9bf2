use std::collections::BTreeSet;

use leakguard::detectors::Catalogue;
use leakguard::setup::check::check;

use crate::util::{TestRepo, code, text};

#[test]
fn every_builtin_detector_finds_its_examples_and_not_its_negative_examples() {
    let catalogue = Catalogue::builtin_with_examples().expect("the embedded catalogue parses");
    let problems = check(&catalogue, 2).expect("the embedded catalogue is valid");
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        report.join("\n")
    );
}

#[test]
fn the_catalogue_is_broad_and_every_provider_has_rotation_data() {
    let catalogue = Catalogue::builtin().unwrap();
    let providers: BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .map(|d| d.provider.as_ref())
        .collect();
    assert!(
        catalogue.detectors.len() >= 1000,
        "{} detectors",
        catalogue.detectors.len()
    );
    assert!(providers.len() >= 750, "{} providers", providers.len());
    for (key, p) in &catalogue.providers {
        assert!(!p.steps.is_empty(), "provider {key} has no rotation steps");
        assert!(
            p.revoke_url.is_some() || p.docs.is_some() || p.steps.len() >= 2,
            "provider {key} says neither where to revoke nor where to read more"
        );
        for url in p.revoke_url.iter().chain(&p.docs) {
            assert!(
                url.starts_with("https://"),
                "provider {key}: {url} is not an https URL"
            );
        }
    }
    let used: BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .map(|d| d.provider.as_ref())
        .collect();
    for key in catalogue.providers.keys() {
        assert!(
            used.contains(key.as_ref()),
            "provider {key} has no detector"
        );
    }
}

/// The categories `docs/catalogue.md` lists (the backquoted words of its `Categories:`
/// paragraph), so the test and the reference cannot drift apart.
fn documented_categories() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalogue.md"))
        .expect("docs/catalogue.md is readable");
    let paragraph = doc
        .split("\n\n")
        .find(|p| p.starts_with("Categories: "))
        .expect("docs/catalogue.md lists the categories");
    paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_builtin_provider_has_a_documented_category_and_docs() {
    let categories = documented_categories();
    assert!(categories.len() >= 20, "{categories:?}");
    let catalogue = Catalogue::builtin().unwrap();
    for (key, p) in &catalogue.providers {
        let category = p.category.as_deref().unwrap_or_default();
        assert!(
            categories.contains(category),
            "provider {key}: category `{category}` is not one of docs/catalogue.md's"
        );
        assert!(p.docs.is_some(), "provider {key} has no docs link");
    }
}

#[test]
fn the_compact_catalogue_matches_the_toml_source() {
    let compact = Catalogue::builtin().unwrap();
    let full = Catalogue::builtin_with_examples().unwrap();
    assert_eq!(compact.detectors.len(), full.detectors.len());
    for (c, f) in compact.detectors.iter().zip(&full.detectors) {
        assert_eq!(
            (&c.id, &c.name, c.severity, &c.keywords, c.defined_at.line),
            (&f.id, &f.name, f.severity, &f.keywords, f.defined_at.line)
        );
        assert_eq!(
            format!("{:?}", c.pattern),
            format!("{:?}", f.pattern),
            "{}",
            c.id
        );
        assert_eq!(
            (c.min_entropy, c.looks_random, c.checksum, c.multiline),
            (f.min_entropy, f.looks_random, f.checksum, f.multiline),
            "{}",
            c.id
        );
        assert!(c.examples.is_empty() && !f.examples.is_empty());
    }
    assert_eq!(compact.providers.len(), full.providers.len());
}

#[test]
fn check_command_passes_on_the_builtins() {
    let repo = TestRepo::without_hook();
    let out = repo.leakguard(&["check", "--min-examples", "2"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).starts_with("leakguard: OK: "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn detectors_command_lists_every_detector() {
    let repo = TestRepo::without_hook();
    let out = repo.leakguard(&["detectors"]);
    assert_eq!(code(&out), 0);
    let listing = text(&out.stdout);
    let catalogue = Catalogue::builtin().unwrap();
    assert_eq!(
        listing.lines().count(),
        catalogue.detectors.len() + 1,
        "a header and one line each"
    );
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with("github-pat-classic ") && l.contains("798.52"))
    );
}

#[test]
fn detectors_lists_by_category() {
    let repo = TestRepo::without_hook();
    let catalogue = Catalogue::builtin().unwrap();
    let in_category = |category: &str| -> BTreeSet<String> {
        catalogue
            .detectors
            .iter()
            .filter(|d| {
                catalogue.provider_of(d).and_then(|p| p.category.as_deref()) == Some(category)
            })
            .map(|d| d.id.to_string())
            .collect()
    };
    let out = repo.leakguard(&["detectors", "--category", "payments,ci-cd"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    let listed: BTreeSet<String> = listing
        .lines()
        .skip(1)
        .filter(|l| !l.contains(" detectors over "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = in_category("payments")
        .union(&in_category("ci-cd"))
        .cloned()
        .collect();
    assert!(expected.contains("stripe-live-secret-key"), "{expected:?}");
    assert_eq!(listed, expected);
    assert!(!listing.contains("github-pat-classic "), "{listing}");
    assert!(
        listing.contains(&format!("\n{} detectors over ", expected.len())),
        "{listing}"
    );

    let counts = repo.leakguard(&["detectors", "--category", "list"]);
    assert_eq!(code(&counts), 0);
    let counts = text(&counts.stdout);
    let payments = counts
        .lines()
        .find(|l| l.starts_with("payments "))
        .unwrap_or_else(|| panic!("{counts}"));
    assert_eq!(
        payments.split_whitespace().nth(2),
        Some(in_category("payments").len().to_string().as_str()),
        "{payments}"
    );

    let wrong = repo.leakguard(&["detectors", "--category", "paymnets"]);
    assert_eq!(code(&wrong), 2, "{}", text(&wrong.stderr));
    assert!(
        text(&wrong.stderr).contains("no category `paymnets`; the categories are: "),
        "{}",
        text(&wrong.stderr)
    );
}

#[test]
fn every_gitlab_secret_check_has_a_detector() {
    let catalogue = Catalogue::builtin().unwrap();
    let covered: BTreeSet<&str> = catalogue
        .detectors
        .iter()
        .filter_map(|d| d.gitlab_id.as_deref())
        .collect();
    let list = std::fs::read_to_string(
        std::path::Path::new(crate::util::MANIFEST_DIR).join("tests/data/gitlab-checks.tsv"),
    )
    .unwrap();
    let missing: Vec<&str> = list
        .lines()
        .filter(|l| l.starts_with("798."))
        .filter(|l| !covered.contains(l.split('\t').next().unwrap()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} GitLab checks without a detector:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(
        catalogue.detectors.len() >= 250,
        "{} detectors",
        catalogue.detectors.len()
    );
}

#[test]
fn explain_prints_rotation_steps_for_a_detector_or_a_provider() {
    let repo = TestRepo::without_hook();
    let out = repo.leakguard(&["explain", "github-pat-classic"]);
    assert_eq!(code(&out), 0);
    let page = text(&out.stdout);
    assert!(
        page.starts_with("GitHub personal access token (classic)  [github-pat-classic]"),
        "{page}"
    );
    assert!(
        page.contains("To rotate or revoke a leaked GitHub (personal access tokens) credential:"),
        "{page}"
    );
    assert!(
        page.contains("revoke: https://github.com/settings/tokens"),
        "{page}"
    );

    let by_name = text(&repo.leakguard(&["explain", "GitHub"]).stdout);
    for key in ["[github-pat]", "[github-oauth]", "[github-app]"] {
        assert!(by_name.contains(key), "{key} in {by_name}");
    }
    let none = repo.leakguard(&["explain", "no-such-thing"]);
    assert_eq!(code(&none), 2);
    assert!(crate::util::stderr(&none).contains("no detector or provider matches `no-such-thing`"));
}
