//! Command-line arguments (clap). Raw flags only; `commands` turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "leakguard",
    version,
    about = "Stops credentials before they leave your machine: a git pre-commit and pre-push hook \
             that names the provider and tells you how to rotate the key.",
    after_help = "Exit status: 0 no secrets, 1 secrets found (the hook blocks), 2 error (also blocks)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this configuration file instead of the repository's .leakguard.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use this baseline instead of the repository's .leakguard-baseline.json.
    #[arg(long, global = true, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// When to colour the report.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing when no secret is found.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print secrets in full instead of redacted (never use this in CI logs).
    #[arg(long, global = true)]
    pub show_secrets: bool,
    /// Ask each finding's issuer whether the secret is live (opt-in network access: each
    /// secret goes only to its own issuer's host; see README). Also LEAKGUARD_VERIFY=1, or
    /// `git config leakguard.verify true`; a repository's `verify = true` only asks.
    #[arg(long, global = true, conflicts_with = "no_verify_keys")]
    pub verify: bool,
    /// Never ask issuers, whatever the repository's settings or LEAKGUARD_VERIFY say.
    #[arg(long, global = true)]
    pub no_verify_keys: bool,
    /// Report format: human (stderr for hooks, stdout otherwise), json or sarif (stdout).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output/error (`baseline`: where to write
    /// the baseline).
    #[arg(long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run as a git hook (installed hooks call this).
    #[command(subcommand)]
    Hook(Hook),
    /// Scan files, the staged changes, or git history (for CI and audits).
    Scan(ScanArgs),
    /// Validate the built-in detectors and the repository config against their examples.
    Check(CheckArgs),
    /// List every detector (id, provider, severity, GitLab check id) and everything the
    /// repository config adds, overrides, disables or allows.
    Detectors(DetectorsArgs),
    /// Show a detector or provider: what it detects and how to rotate the credential.
    Explain {
        /// A detector id (`github-pat-classic`), a provider key (`github-pat`) or part of a
        /// provider's name (`github`).
        query: String,
    },
    /// Install the git hooks into a repository (or, with --global, for every repository).
    Install(InstallArgs),
    /// Show what is installed where and whether the hooks would run; exits 1 when the current
    /// repository is not protected.
    Doctor,
    /// Accept a finding everywhere by its fingerprint: append it to the repository's
    /// .leakguardignore (commit that file to share it).
    Ignore(IgnoreArgs),
    /// Revoke a leaked credential with its issuer, by the fingerprint a report printed (sends
    /// the secret to its issuer: network access, asked for first), or print how to rotate it
    /// where the issuer has no revocation API.
    Revoke(RevokeArgs),
    /// Record every finding already present (work tree files, or history with --git) in a
    /// baseline (.leakguard-baseline.json) that later hook runs and scans ignore.
    Baseline(BaselineArgs),
}

#[derive(Debug, Args)]
pub struct IgnoreArgs {
    /// The finding's fingerprint, as the report prints it: `<detector-id>:<16 hex digits>`.
    pub fingerprint: String,
    /// Why it is not a secret (or was rotated); written as a comment after the fingerprint.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The finding's fingerprint, as the report prints it: `<detector-id>:<16 hex digits>`.
    pub fingerprint: String,
    /// Revoke without asking (for scripts).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Look for the secret in git history (REV or FROM..TO, default all of HEAD's) instead of
    /// the staged changes and the work tree.
    #[arg(long, value_name = "REV-RANGE", num_args = 0..=1, default_missing_value = "HEAD")]
    pub git: Option<String>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or directories to record. Default: the whole work tree.
    #[arg(value_name = "PATH", conflicts_with = "git")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// How `scan` and `baseline` read: files (and which), or git history.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Git history instead of files: REV or FROM..TO (default: all history of HEAD).
    #[arg(long, value_name = "REV-RANGE", num_args = 0..=1, default_missing_value = "HEAD")]
    pub git: Option<String>,
    /// With --git: every ref, not only HEAD.
    #[arg(long, requires = "git")]
    pub all: bool,
    /// Include files that .gitignore and similar files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Subcommand)]
pub enum Hook {
    /// Scan the added lines of the staged changes; block the commit if they hold a secret.
    PreCommit {
        /// Only these files (repository-relative), as the pre-commit framework names them: their
        /// added lines when all of them are staged (a commit), else their staged content in
        /// full (`pre-commit run --all-files` or `--files`).
        files: Vec<String>,
    },
    /// Scan the commits a push would send (git passes the refs on stdin); block the push if
    /// they add a secret.
    ///
    /// Run by the pre-commit framework (no stdin), it scans PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF
    /// instead, or PRE_COMMIT_TO_REF (PRE_COMMIT_LOCAL_BRANCH) minus what the remote
    /// PRE_COMMIT_REMOTE_NAME is known to have when no FROM is given.
    PrePush {
        /// Name of the remote (or its URL when pushing to a URL); default PRE_COMMIT_REMOTE_NAME.
        remote: Option<String>,
        /// URL of the remote.
        url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (`-` reads standard input). Default: the current directory.
    #[arg(value_name = "PATH", conflicts_with_all = ["staged", "git"])]
    pub paths: Vec<PathBuf>,
    /// Scan the staged changes (what the pre-commit hook sees), without blocking wording.
    #[arg(long, conflicts_with = "git")]
    pub staged: bool,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Judge with the .leakguard.toml, .leakguardignore and baseline committed in REV (the base
    /// of a pull request: origin/main) instead of the work tree's, so that a change cannot
    /// allow itself. Configuration changes after REV are still listed, but hide nothing.
    #[arg(long, value_name = "REV")]
    pub config_from: Option<String>,
    /// With --git: let commits that weaken leakguard's configuration (disable a detector, skip
    /// paths, add ignore or baseline entries...) pass; they are still listed. Without it they
    /// block like a finding (unless --config-from judges them).
    #[arg(long, requires = "git")]
    pub allow_config_changes: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check these detector catalogues (detectors.toml syntax) on their own instead of the
    /// built-ins plus the repository config.
    #[arg(long = "catalogue", value_name = "FILE")]
    pub catalogues: Vec<PathBuf>,
    /// Positive and negative examples every detector must have.
    #[arg(long, default_value_t = 1)]
    pub min_examples: usize,
}

#[derive(Debug, Args)]
pub struct DetectorsArgs {
    /// Only the detectors of providers in these categories (`cloud`, `ci-cd`, `payments`…;
    /// comma-separated or repeated). `--category list` prints every category with its counts.
    #[arg(long, value_name = "CATEGORY", value_delimiter = ',')]
    pub category: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The repository to install into (default: the one around the current directory).
    #[arg(value_name = "REPO", conflicts_with = "global")]
    pub repo: Option<PathBuf>,
    /// Install for every repository of the user: a hooks directory under
    /// $XDG_CONFIG_HOME/leakguard (~/.config/leakguard) set as the global core.hooksPath, whose
    /// hooks also run each repository's own hooks.
    #[arg(long)]
    pub global: bool,
    /// Remove leakguard's hooks and put back what was there before.
    #[arg(long)]
    pub uninstall: bool,
    /// Which hooks (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values_t = [HookKind::PreCommit, HookKind::PrePush]
    )]
    pub hooks: Vec<HookKind>,
}

/// The git hooks leakguard provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum HookKind {
    PreCommit,
    PrePush,
}

impl HookKind {
    pub const ALL: [HookKind; 2] = [HookKind::PreCommit, HookKind::PrePush];

    /// The hook's file name, as git knows it.
    pub fn name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
        }
    }
}
