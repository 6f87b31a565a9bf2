//! leakguard: stops credentials before they leave a developer's machine.
//!
//! Data flows one way: a source (`git`) turns staged changes into `Chunk`s of added lines; the
//! `engine` prefilters them with one keyword automaton and verifies candidates with per-detector
//! regexes and validators; `allow` marks what the developer accepted (pragmas, path rules,
//! `.leakguardignore`, the `baseline`); `report` words the result for where the secret is.
//! Only `git` knows about gix.

pub mod allow;
pub mod app;
pub mod baseline;
pub mod chunk;
pub mod cli;
pub mod config;
pub mod detectors;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod files;
pub mod finding;
pub mod git;
pub mod install;
pub mod pipeline;
pub mod report;
