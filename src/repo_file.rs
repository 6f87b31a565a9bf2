//! Reading the files a repository hands leakguard about itself: `.leakguard.toml`,
//! `.leakguardignore` and the baseline.
//!
//! A cloned repository controls them, so each read is bounded and checked: at most `MAX_SIZE`
//! bytes, a regular file (a FIFO would block the hook forever, `/dev/zero` would never end), and,
//! for the repository's own copy, inside the repository (a symbolic link may point elsewhere in
//! the work tree, never out of it). Anything else is an error naming the file: a file that is
//! there but cannot be read must not be skipped silently, since skipping it changes the verdict.
//! The file is opened without blocking and checked on the open handle, so what is read is what
//! was checked.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest configuration, ignore file or baseline leakguard reads: 8 MiB (a baseline of
/// about 30 000 findings; a configuration is a few kilobytes).
pub const MAX_SIZE: u64 = 8 << 20;

/// Where a file comes from, which decides what it may be.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'a> {
    /// The repository's own copy, in the work tree whose root is given: it must resolve to a
    /// file inside that root.
    Repository(&'a Path),
    /// A file the user named on the command line (`--config FILE`, `--baseline FILE`): it may be
    /// anywhere, but it is still bounded and must be a regular file.
    Given,
}

/// Reads `path` (named `label` in errors); `None` when it does not exist.
pub fn read(path: &Path, label: &str, origin: Origin<'_>) -> Result<Option<Vec<u8>>> {
    let invalid = |message: String| Error::Config {
        location: label.to_string(),
        message,
    };
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let link = match path.symlink_metadata() {
        Ok(m) => m.file_type().is_symlink(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    if let (true, Origin::Repository(root)) = (link, origin) {
        let target = match path.canonicalize() {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(invalid(
                    "is a symbolic link to nothing (a dangling link): remove it or make it a file"
                        .into(),
                ));
            }
            Err(e) => return Err(io(e)),
        };
        let root = root.canonicalize().map_err(io)?;
        if !target.starts_with(&root) {
            return Err(invalid(
                "is a symbolic link to a file outside the repository; leakguard reads its \
                 configuration only from inside the repository"
                    .into(),
            ));
        }
    }
    let file = open_without_blocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(invalid(format!(
            "is not a regular file (it is {}); leakguard reads only regular files",
            kind(&meta.file_type())
        )));
    }
    if meta.len() > MAX_SIZE {
        return Err(too_large(label, meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read is still cut at the cap.
    file.take(MAX_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(too_large(label, bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// The error for a file over `MAX_SIZE` bytes.
pub fn too_large(label: &str, size: u64) -> Error {
    Error::Config {
        location: label.to_string(),
        message: format!(
            "is {size} bytes; leakguard reads at most {} MiB of configuration, ignore file or \
             baseline",
            MAX_SIZE >> 20
        ),
    }
}

/// Whether `path` exists in any form (a dangling link included), without following it.
pub fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Refuses to write the repository's file at `path` through a symbolic link or over something
/// that is not a regular file: a hostile clone could point `.leakguardignore` at a file
/// elsewhere on the machine, which `leakguard ignore` would then append to.
pub fn check_writable(path: &Path, label: &str) -> Result<()> {
    match path.symlink_metadata() {
        Ok(m) if !m.file_type().is_file() => Err(Error::Config {
            location: label.to_string(),
            message: format!(
                "is {}, not a regular file; leakguard writes only to a regular file there",
                kind(&m.file_type())
            ),
        }),
        _ => Ok(()),
    }
}

fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_inside_are_read_and_the_rest_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        let at = |name: &str| root.join(name);
        let read_in = |name: &str| read(&at(name), name, Origin::Repository(&root));
        assert_eq!(read_in("missing").unwrap(), None);
        std::fs::write(at("ok"), "a = 1\n").unwrap();
        assert_eq!(read_in("ok").unwrap().unwrap(), b"a = 1\n");
        std::fs::create_dir(at("dir")).unwrap();
        let err = read_in("dir").unwrap_err().to_string();
        assert!(
            err.starts_with("dir: is not a regular file (it is a directory)"),
            "{err}"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("ok", at("inner")).unwrap();
            assert_eq!(read_in("inner").unwrap().unwrap(), b"a = 1\n");
            std::fs::write(dir.path().join("outside"), "x").unwrap();
            std::os::unix::fs::symlink("../outside", at("out")).unwrap();
            let err = read_in("out").unwrap_err().to_string();
            assert!(err.contains("outside the repository"), "{err}");
            // Given on the command line, a file may be anywhere.
            assert!(read(&at("out"), "out", Origin::Given).unwrap().is_some());
            std::os::unix::fs::symlink("/dev/zero", at("zero")).unwrap();
            assert!(read_in("zero").unwrap_err().to_string().contains("outside"));
            let err = read(&at("zero"), "zero", Origin::Given)
                .unwrap_err()
                .to_string();
            assert!(err.contains("it is a device"), "{err}");
            std::os::unix::fs::symlink("nowhere", at("dangling")).unwrap();
            assert!(
                read_in("dangling")
                    .unwrap_err()
                    .to_string()
                    .contains("dangling")
            );
            assert!(check_writable(&at("inner"), "inner").is_err());
            assert!(check_writable(&at("ok"), "ok").is_ok());
            assert!(check_writable(&at("missing"), "missing").is_ok());
        }
        let big = std::fs::File::create(at("big")).unwrap();
        big.set_len(MAX_SIZE + 1).unwrap();
        let err = read_in("big").unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("big: is {} bytes", MAX_SIZE + 1)),
            "{err}"
        );
    }
}
