//! Plain files and directories as a source (`leakguard scan PATH…`), and stdin (`-`).
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker), so `.gitignore`,
//! `.ignore` and git's exclude files are honoured unless `--no-ignore` is given; hidden files are
//! scanned (`.env` is exactly where secrets live) but `.git` directories are not.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::chunk::{Chunk, Origin, looks_binary};
use crate::error::{Error, Result};

/// A file to scan, with the path to show in reports.
#[derive(Clone, Debug)]
pub struct FileRef {
    pub path: PathBuf,
    pub display: String,
}

/// Expands the given paths (files or directories) into the files to scan, sorted.
pub fn collect(paths: &[PathBuf], respect_ignore: bool) -> Result<Vec<FileRef>> {
    let mut out = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root)
            .map_err(|source| Error::given_path("the path", root, source))?;
        if meta.is_file() {
            out.push(FileRef {
                display: display(root),
                path: root.clone(),
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(respect_ignore)
            .git_global(respect_ignore)
            .git_exclude(respect_ignore)
            .ignore(respect_ignore)
            .parents(respect_ignore)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            let entry =
                entry.map_err(|e| Error::Usage(format!("cannot walk {}: {e}", root.display())))?;
            if entry.file_type().is_some_and(|t| t.is_file()) {
                out.push(FileRef {
                    display: display(entry.path()),
                    path: entry.into_path(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Reads a file into a chunk whose every line counts as added; `None` for binary files.
pub fn read(file: &FileRef, origin: Arc<Origin>) -> Result<Option<Chunk>> {
    let data = std::fs::read(&file.path).map_err(|source| Error::Io {
        path: file.path.clone(),
        source,
    })?;
    Ok((!looks_binary(&data)).then(|| Chunk::whole(file.display.clone(), origin, data)))
}

/// Standard input as one chunk named `<stdin>`.
pub fn read_stdin(origin: Arc<Origin>) -> Result<Option<Chunk>> {
    let mut data = Vec::new();
    std::io::stdin()
        .read_to_end(&mut data)
        .map_err(|source| Error::Io {
            path: "<stdin>".into(),
            source,
        })?;
    Ok((!looks_binary(&data)).then(|| Chunk::whole("<stdin>".into(), origin, data)))
}
