//! The `leakguard` binary: parse arguments, run, map the result to git's exit statuses.
//!
//! Failing safe lives here. In a hook every way of not finishing the check — an error, a bad
//! argument, even a panic — blocks (exit 2) with an `error:` line saying what went wrong, the
//! error's `hint:` when it has one, and a `hint:` saying how to bypass deliberately, unless the
//! organisation chose `LEAKGUARD_FAIL_OPEN=1`, which turns an error (never a finding) into a
//! warning and exit 0. A panic prints no backtrace and no payload text that could hold file
//! content: see `panic_line`.

#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::Parser;
use clap::error::ErrorKind;

use leakguard::cli::{Cli, Command, Hook};
use leakguard::commands::{self, EXIT_ERROR, EXIT_FINDINGS};
use leakguard::error::Error;
use leakguard::escape;
use leakguard::pipeline;
use leakguard::report::Styles;

/// Set while `commands::run` runs under `catch_unwind`: the panic hook then only records its line
/// for `main` to print with the verdict; otherwise it prints it itself.
static CATCHING: AtomicBool = AtomicBool::new(false);
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Which hook runs, for the wording of the bypass (`None`: not a hook).
#[derive(Clone, Copy, PartialEq, Eq)]
enum HookKind {
    PreCommit,
    PrePush,
}

fn main() -> ExitCode {
    // The main work needs the workers' deep stack (see `STACK_SIZE`); the workers themselves
    // start on the first parallel scan.
    if main_stack_can_grow() {
        return checked_main();
    }
    match std::thread::Builder::new()
        .name("leakguard".into())
        .stack_size(pipeline::STACK_SIZE)
        .spawn(checked_main)
        .map(|t| t.join())
    {
        Ok(Ok(code)) => code,
        // Panics are caught inside; this is a failure to start the thread at all.
        _ => {
            eprintln!("leakguard: error: cannot start (out of memory?); nothing was checked");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Stack the main thread may grow to on Linux.
#[cfg(target_os = "linux")]
const MAIN_STACK: u64 = 64 << 20;

/// Whether the main thread's stack may now grow to `MAIN_STACK`, so the work can run on it.
///
/// Linux grows the main thread's stack on demand, checking `RLIMIT_STACK` (usually 8 MiB) at
/// each growth, and leaves at least 128 MiB unmapped below it; raising the soft limit is all it
/// takes. Spawning a thread with a deep stack instead cost 0.5–0.8 ms on every run (the hook in
/// an empty repository: 3.8 ms → 3.3 ms, perf stat, 3 × 100 runs). Elsewhere, or when the hard
/// limit forbids it, the work runs on a spawned thread as before.
#[cfg(target_os = "linux")]
fn main_stack_can_grow() -> bool {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Stack);
    if limit.current.is_none_or(|current| current >= MAIN_STACK) {
        return true;
    }
    if limit.maximum.is_some_and(|maximum| maximum < MAIN_STACK) {
        return false;
    }
    let raised = Rlimit {
        current: Some(MAIN_STACK),
        maximum: limit.maximum,
    };
    setrlimit(Resource::Stack, raised).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn main_stack_can_grow() -> bool {
    false
}

fn checked_main() -> ExitCode {
    let started = Instant::now();
    std::panic::set_hook(Box::new(|info| {
        let line = panic_line(info);
        if CATCHING.load(Ordering::SeqCst) {
            *PANIC.lock().unwrap_or_else(|p| p.into_inner()) = Some(line);
        } else {
            eprintln!("leakguard: error: {line}");
        }
    }));
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match hook_in_args(&args) {
            // git passes a hook no options; a bad argument still must not let it through.
            Some(hook)
                if !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) =>
            {
                let message = e.to_string();
                let first = message.lines().next().unwrap_or("invalid arguments");
                return fail(
                    hook,
                    &escape::one_line(first.trim_start_matches("error: ")),
                    None,
                    None,
                );
            }
            _ => e.exit(),
        },
    };
    let hook = match &cli.command {
        Command::Hook(Hook::PreCommit { .. }) => Some(HookKind::PreCommit),
        Command::Hook(Hook::PrePush { .. }) => Some(HookKind::PrePush),
        _ => None,
    };
    CATCHING.store(true, Ordering::SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        commands::run(&cli, started)
    }));
    CATCHING.store(false, Ordering::SeqCst);
    let styles = commands::styles(
        &cli.global,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(Error::Output(e))) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            let (e, hint) = e.into_parts();
            // Escaped: messages and hints quote paths, ids and library text from the repository.
            let hint = hint.map(|h| escape::one_line(&h));
            let line = escape::error_chain(&e);
            // Secrets were found before the error: those block whatever the policy says.
            let found = match &e {
                Error::Incomplete { secrets, .. } => *secrets,
                _ => 0,
            };
            match hook {
                Some(hook) => fail(hook, &line, hint.as_deref(), Some((styles, found))),
                None => {
                    eprintln!("leakguard: {} {line}", styles.error("error:"));
                    if let Some(hint) = hint {
                        eprintln!("leakguard: {} {hint}", styles.hint("hint:"));
                    }
                    ExitCode::from(if found > 0 { EXIT_FINDINGS } else { EXIT_ERROR })
                }
            }
        }
        Err(_) => {
            let line = PANIC
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
                .unwrap_or_else(|| "internal error (a bug in leakguard)".into());
            match hook {
                Some(hook) => fail(hook, &line, None, Some((styles, 0))),
                None => {
                    eprintln!("leakguard: {} {line}", styles.error("error:"));
                    ExitCode::from(EXIT_ERROR)
                }
            }
        }
    }
}

/// A hook could not finish its check: block with the reason, its hint and the deliberate bypass
/// (a hint too), or, when the organisation chose `LEAKGUARD_FAIL_OPEN=1` and no secret was
/// found, warn and let it pass.
fn fail(
    hook: HookKind,
    reason: &str,
    hint: Option<&str>,
    styles: Option<(Styles, usize)>,
) -> ExitCode {
    let (styles, found) = styles.unwrap_or((Styles::new(false), 0));
    let (what, bypass) = match hook {
        HookKind::PreCommit => ("commit", "git commit --no-verify"),
        HookKind::PrePush => ("push", "git push --no-verify"),
    };
    if found == 0 && fail_open() {
        eprintln!(
            "leakguard: {} this {what} was NOT checked for secrets and is let through \
             (LEAKGUARD_FAIL_OPEN=1): {reason}",
            styles.warn("warning:")
        );
        return ExitCode::SUCCESS;
    }
    eprintln!("leakguard: {} {reason}", styles.error("error:"));
    if let Some(hint) = hint {
        eprintln!("leakguard: {} {hint}", styles.hint("hint:"));
    }
    eprintln!(
        "leakguard: {} the {what} is blocked because the check could not run; fix the problem \
         above, or bypass once deliberately with {bypass}",
        styles.hint("hint:")
    );
    ExitCode::from(if found > 0 { EXIT_FINDINGS } else { EXIT_ERROR })
}

/// The organisation's choice to let a hook's *errors* through with a warning.
fn fail_open() -> bool {
    std::env::var("LEAKGUARD_FAIL_OPEN")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// The hook named by arguments clap rejected: `hook pre-commit …` / `hook pre-push …`.
fn hook_in_args(args: &[OsString]) -> Option<HookKind> {
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let at = words.iter().position(|w| *w == "hook")?;
    Some(match words.get(at + 1) {
        Some(&"pre-push") => HookKind::PrePush,
        _ => HookKind::PreCommit,
    })
}

/// One line for a panic: where it happened and what it said, with anything that could be a
/// piece of scanned content (a long run of token characters) cut down, and no backtrace.
fn panic_line(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let place = info
        .location()
        .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
    format!(
        "internal error{place}: {} (a bug in leakguard; please report it)",
        scrub(&payload)
    )
}

/// Shortens every run of 12 or more token characters (letters, digits, `+/=_-`) to its first
/// four and a count, escapes control characters and caps the length, so that a message built
/// from scanned bytes cannot carry a credential out.
fn scrub(message: &str) -> String {
    let is_token = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
    let mut out = String::new();
    let mut chars = message.chars().peekable();
    while let Some(&c) = chars.peek() {
        if is_token(c) {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| is_token(**c)) {
                word.push(c);
                chars.next();
            }
            if word.len() >= 12 {
                let head: String = word.chars().take(4).collect();
                out.push_str(&format!("{head}…({} chars)", word.len()));
            } else {
                out.push_str(&word);
            }
        } else {
            out.push_str(&escape::escape(c.encode_utf8(&mut [0; 4])));
            chars.next();
        }
        if out.chars().count() > 300 {
            out.push('…');
            break;
        }
    }
    out
}
