//! Every input a fuzz target ever failed on, replayed through the target's own invariants
//! (`fuzz/invariants/<target>.rs`) on every `cargo test`: a fixed crash stays fixed without
//! cargo-fuzz, and CI's short fuzz run can only fail on a new bug. When a fuzz run finds one,
//! fix it, then copy its input from `fuzz/artifacts/<target>/` to `fuzz/regressions/<target>/`
//! under a name that says what it was (`fuzz/README.md`).

use std::path::Path;

use crate::util::MANIFEST_DIR;

#[path = "../fuzz/invariants/added_runs.rs"]
mod added_runs;
#[path = "../fuzz/invariants/config.rs"]
mod config;
#[path = "../fuzz/invariants/engine.rs"]
mod engine;
#[path = "../fuzz/invariants/report.rs"]
mod report;

/// Runs `check` on every file in `fuzz/regressions/<target>/`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(MANIFEST_DIR)
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let input = std::fs::read(&path).expect("a regression input");
        let outcome = std::panic::catch_unwind(|| check(&input));
        assert!(outcome.is_ok(), "{target}: {} fails again", path.display());
        n += 1;
    }
    n
}

#[test]
fn config_regressions() {
    // At least the crash of issue 14 (a provider id of 38 lines echoed into an error).
    assert!(replay("config", config::check_input) >= 1);
}

#[test]
fn report_regressions() {
    replay("report", report::check_input);
    // And a few inputs written by hand: every hostile sequence in every field.
    let hostile = [
        "ACME\u{1b}]52;c;ZXZpbA==\u{7}",
        "Revoke it \u{1b}[8mHIDDEN",
        "\u{1b}[31mred",
        "x\u{1b}[2K\rleakguard: no secrets found\n",
        "\u{9b}2K\u{202e}gpj.exe\u{2066}\u{2069}",
    ];
    for h in hostile {
        let input: Vec<u8> = std::iter::repeat_n(h.as_bytes(), 17)
            .collect::<Vec<_>>()
            .join(&0xff);
        report::check_input(&input);
    }
    report::check_input(b"");
}

#[test]
fn engine_and_added_runs_regressions() {
    replay("engine", engine::check_input);
    replay("added_runs", added_runs::check_input);
    added_runs::check_input(b"\x03\x00a\nb\na\nc\n");
}
