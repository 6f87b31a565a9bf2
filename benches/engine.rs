//! Engine throughput: `cargo bench --bench engine -- [DIR] [MAX_MB]`.
//!
//! Loads up to MAX_MB (default 200) of text files from DIR (default: the cargo registry sources,
//! which every machine that built leakguard has) into memory, then times the engine over them on
//! one thread, with the stage that locates its matches (`pipeline::scan_chunk`, as a scan runs
//! them), and then the engine alone (`Scanner::scan`): no I/O, no git, no threads. Also prints
//! the keywords that hit most often, since every hit costs a regex run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use aho_corasick::AhoCorasickBuilder;
use leakguard::chunk::{Chunk, Origin, looks_binary};
use leakguard::detectors::Catalogue;
use leakguard::engine::Scanner;
use leakguard::pipeline::scan_chunk;
use leakguard::suppress::Allowlist;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
            });
        home.join("registry/src")
    });
    let max = args
        .get(1)
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(200)
        << 20;
    let mut files = Vec::new();
    let mut total = 0;
    collect(&dir, &mut files, &mut total, max);
    println!(
        "corpus: {} files, {:.1} MB from {}",
        files.len(),
        total as f64 / 1e6,
        dir.display()
    );

    let started = Instant::now();
    let catalogue = Catalogue::builtin().expect("catalogue");
    let scanner = Scanner::new(&catalogue).expect("scanner");
    let origin = Arc::new(Origin::File);
    let chunks: Vec<Chunk> = files
        .into_iter()
        .map(|(p, data)| Chunk::whole(p, origin.clone(), data))
        .collect();
    // Warm-up run builds the automaton and compiles the regexes that hit.
    let allow = Allowlist::default();
    let mut findings = Vec::new();
    scan_chunk(&scanner, &allow, &chunks[0], &mut findings).expect("scan");
    println!(
        "start-up (catalogue + first chunk): {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    for round in 1..=3 {
        let t = Instant::now();
        findings.clear();
        for c in &chunks {
            scan_chunk(&scanner, &allow, c, &mut findings).expect("scan");
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "round {round}: {:.0} MB/s on one thread ({:.3} s, {} findings)",
            total as f64 / 1e6 / secs,
            secs,
            findings.len()
        );
    }
    let t = Instant::now();
    let mut matches = Vec::new();
    for c in &chunks {
        for run in &c.runs {
            scanner
                .scan(&c.data[run.bytes.clone()], &mut matches)
                .expect("scan");
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "engine alone (matches, not located): {:.0} MB/s ({:.3} s, {} matches)",
        total as f64 / 1e6 / secs,
        secs,
        matches.len()
    );

    // Which keywords the prefilter hits most: each hit means a window and a regex run.
    let mut keywords: Vec<String> = catalogue
        .detectors
        .iter()
        .flat_map(|d| d.keywords.iter().map(|k| k.to_ascii_lowercase()))
        .collect();
    keywords.sort();
    keywords.dedup();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(&keywords)
        .expect("automaton");
    let mut hits: HashMap<usize, usize> = HashMap::new();
    for c in &chunks {
        for m in ac.find_overlapping_iter(&c.data) {
            *hits.entry(m.pattern().as_usize()).or_default() += 1;
        }
    }
    let mut hits: Vec<(usize, usize)> = hits.into_iter().collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.1));
    println!("hottest keywords (hits per MB):");
    for (k, n) in hits.iter().take(15) {
        println!(
            "  {:>8.1}  {}",
            *n as f64 / (total as f64 / 1e6),
            keywords[*k]
        );
    }
}

fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>, total: &mut usize, max: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if *total >= max {
            return;
        }
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            collect(&p, out, total, max);
        } else if ft.is_file()
            && let Ok(data) = std::fs::read(&p)
            && !looks_binary(&data)
        {
            *total += data.len();
            out.push((p.display().to_string(), data));
        }
    }
}
