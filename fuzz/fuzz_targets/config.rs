//! The `config` fuzz target: its invariants are in `fuzz/invariants/config.rs`, which
//! `tests/fuzz_regressions.rs` also runs on every input kept in `fuzz/regressions/config/`.

#![no_main]

#[path = "../invariants/config.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::check_input(data));
