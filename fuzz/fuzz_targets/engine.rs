//! The `engine` fuzz target: its invariants are in `fuzz/invariants/engine.rs`, which
//! `tests/fuzz_regressions.rs` also runs on every input kept in `fuzz/regressions/engine/`.

#![no_main]

#[path = "../invariants/engine.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::check_input(data));
