//! One integration binary (as ripgrep does): each module is an area of behaviour, every test
//! runs the real binary against real git repositories.

mod issuer;
mod util;

/// Pragmas, `.leakguardignore`, `leakguard ignore`, baselines; suppressions in every report.
mod allow;
/// The built-in catalogue proven against its own examples.
mod catalogue;
/// Configuration errors, repository config, pragmas.
mod config;
/// Encoded secrets (base64, hex, percent-encoding) opened and reported as their provider's.
mod decode;
/// Failing safe (errors, panics, LEAKGUARD_FAIL_OPEN) and no secret in any output.
mod failsafe;
/// The pre-commit framework: `.pre-commit-hooks.yaml` and the PRE_COMMIT_* pre-push range.
mod framework;
/// Every input a fuzz target failed on, replayed through the target's invariants.
mod fuzz_regressions;
/// Generic detection (credentials recognised by their name) through the real hook.
mod generic;
/// Hostile and unusual repositories: huge, deep, sparse, split, SHA-256, shallow, bare, corrupt.
mod hostile;
/// `leakguard install` (repository and global), hook chaining, `leakguard doctor`.
mod install;
/// A change cannot switch off the check that judges it: configuration changes in a range.
mod policy;
/// The pre-commit hook driven by real `git commit`.
mod precommit;
/// The pre-push hook driven by real `git push` to a local bare remote.
mod prepush;
/// Property tests (proptest) of line numbers, added runs and the engine's windows.
mod properties;
/// `leakguard scan`: files, stdin, staged, history; JSON and SARIF.
mod scan;
/// Whole-output snapshots: blocked commit and push, clean run, error, JSON and SARIF.
mod snapshots;
/// A hostile repository cannot write to the terminal: every field escaped, errors one line.
mod terminal;
/// Opt-in liveness checks and revocations against a fake issuer on 127.0.0.1.
mod verify;
/// Staged files read from the work tree only when they are exactly the staged blob.
mod worktree;
