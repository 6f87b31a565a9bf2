//! The `report` fuzz target: its invariants are in `fuzz/invariants/report.rs`, which
//! `tests/fuzz_regressions.rs` also runs on every input kept in `fuzz/regressions/report/`.

#![no_main]

#[path = "../invariants/report.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::check_input(data));
