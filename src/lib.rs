//! leakguard: stops credentials before they leave a developer's machine.
//!
//! Data flows one way: `setup` builds the catalogue, the scanner and the allowlist once; a
//! source (`git`, `files`) turns what is about to leave the machine into `Chunk`s of added
//! lines; the `engine` returns plain matches in those bytes; `suppress` locates them and marks
//! what the developer accepted (pragmas, `.leakguardignore`, the baseline, path rules);
//! `report` words the `Outcome` for where the secret is. `pipeline` drives these stages and
//! `commands` wires them per subcommand. Only `git` knows about gix. One short paragraph per
//! stage: `ARCHITECTURE.md`.

// One exception, allowed where it is: mapping the index file (`git/index_view.rs`).
#![deny(unsafe_code)]

pub mod chunk;
pub mod cli;
pub mod commands;
pub mod config;
pub mod detectors;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod escape;
pub mod files;
pub mod finding;
pub mod fingerprint;
pub mod git;
pub mod install;
pub mod outcome;
pub mod pipeline;
pub mod policy;
pub mod repo_file;
pub mod report;
pub mod setup;
pub mod suppress;
pub mod verify;
