//! Test and example context: where a generic finding is most likely a fixture.
//!
//! A path under `tests/`, `fixtures/`, `testdata/`, `examples/`, `samples/`, `docs/` … or a test
//! file by name (`test_*.py`, `*_test.go`, `*.spec.ts`, `FooTest.java`) lowers a *generic*
//! finding's severity to a warning, as does a name that says sample or example (decided by the
//! engine from the binding, `Found::example`). A token in a provider's own format is never
//! lowered: its format says it is real wherever it sits. This is asked where paths are known,
//! after the engine.

/// Directory names that hold tests, fixtures, examples or documentation.
const DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "testdata",
    "test-data",
    "test_data",
    "testing",
    "fixture",
    "fixtures",
    "__fixtures__",
    "__mocks__",
    "mocks",
    "mock",
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "doc",
    "docs",
    "documentation",
    "e2e",
    "molecule",
    "cypress",
    "integration-tests",
    "integration_tests",
];

/// Whether `path` (repository-relative, `/`-separated) is a test, fixture, example or
/// documentation file.
pub fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let lower = part.to_ascii_lowercase();
        if parts.peek().is_some() {
            if DIRS.contains(&lower.as_str()) {
                return true;
            }
            continue;
        }
        // The file name.
        let stem = lower.split('.').next().unwrap_or(&lower);
        return stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.ends_with("_spec")
            || stem.starts_with("example")
            || stem.starts_with("sample")
            || lower.contains(".test.")
            || lower.contains(".spec.")
            || lower.contains(".example")
            || lower.contains(".sample")
            || (part.ends_with("Test.java") || part.ends_with("Tests.java"))
            || (part.ends_with("Test.kt")
                || part.ends_with("Tests.cs")
                || part.ends_with("Test.cs"))
            || lower == "conftest.py";
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_example_paths() {
        for p in [
            "tests/config.py",
            "src/__tests__/api.ts",
            "pkg/auth/testdata/creds.json",
            "spec/fixtures/user.yml",
            "test_settings.py",
            "pkg/client_test.go",
            "web/app.spec.ts",
            "src/test/java/com/acme/ClientTest.java",
            "docs/setup.md",
            "examples/basic/main.rs",
            ".env.example",
            "config.sample.yml",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/config.py",
            "settings/production.py",
            ".env",
            "deploy/values.yaml",
            "contest/main.go",
            "latest/app.js",
            "testament.txt",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }
}
