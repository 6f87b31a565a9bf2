//! The `added_runs` fuzz target: its invariants are in `fuzz/invariants/added_runs.rs`, which
//! `tests/fuzz_regressions.rs` also runs on every input kept in `fuzz/regressions/added_runs/`.

#![no_main]

#[path = "../invariants/added_runs.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::check_input(data));
