//! Loose objects read with `read(2)` instead of gix's memory maps.
//!
//! gix maps each loose object file and unmaps it after inflating it. With several worker threads
//! every unmap makes the kernel interrupt the other CPUs to flush their TLBs: on a 200 MB initial
//! commit of 16 000 new files (exactly the loose objects `git add` leaves behind) that cost
//! ~0.3 s of system time, a quarter of the wall time (bench/initial-commit.sh). Only the common
//! case is handled here — a loose blob with a well-formed header; anything else (packed objects,
//! alternates, corruption) returns `None` and goes through gix, which also gives the errors.

use std::cell::RefCell;
use std::io::Read;
use std::path::Path;

use gix::ObjectId;

thread_local! {
    /// The compressed file, reused from one object to the next on each thread.
    static COMPRESSED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// deflate's best case compresses 1032 bytes into one; a declared size beyond that is a lie.
const MAX_DEFLATE_RATIO: usize = 1032;

/// Reads loose blob `id` from `objects_dir` into `out`; `None` if it is not a loose blob this
/// function can read (the caller then asks gix).
pub(super) fn read_blob(objects_dir: &Path, id: ObjectId, out: &mut Vec<u8>) -> Option<()> {
    let hex = id.to_hex().to_string();
    let path = objects_dir.join(&hex[..2]).join(&hex[2..]);
    let mut file = std::fs::File::open(path).ok()?;
    COMPRESSED.with_borrow_mut(|input| {
        input.clear();
        file.read_to_end(input).ok()?;
        let mut inflate = gix::zlib::Inflate::default();
        let mut header = [0u8; 64];
        let (status, consumed_in, consumed_out) = inflate.prefix(input, &mut header).ok()?;
        let header_len = memchr::memchr(0, &header[..consumed_out])? + 1;
        let size: usize = std::str::from_utf8(header[..header_len - 1].strip_prefix(b"blob ")?)
            .ok()?
            .parse()
            .ok()?;
        let in_header = consumed_out - header_len;
        // A corrupt or hostile header must not make us allocate (deflate expands at most
        // ~1032×) or slice past what was decoded; gix then reports the object as it sees it.
        if size < in_header || size / MAX_DEFLATE_RATIO > input.len() {
            return None;
        }
        if status == gix::zlib::Status::StreamEnd {
            let body = &header[header_len..consumed_out];
            (body.len() == size).then(|| {
                out.clear();
                out.extend_from_slice(body);
            })
        } else {
            let n = inflate
                .rest(
                    &input[consumed_in..],
                    &header[..consumed_out],
                    header_len,
                    out,
                    size,
                )
                .ok()?;
            (n == size).then_some(())
        }
    })
}

/// Which of the 256 fan-out directories (`objects/00` … `objects/ff`) exist under
/// `objects_dir`; all of them when it cannot be read (then every blob is probed, as before).
pub(super) fn fanout_dirs(objects_dir: &Path) -> [bool; 256] {
    let Ok(entries) = std::fs::read_dir(objects_dir) else {
        return [true; 256];
    };
    let mut dirs = [false; 256];
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        if name.len() == 2
            && let Ok(hex) = std::str::from_utf8(name)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            dirs[byte as usize] = true;
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fanout_dirs_are_the_two_hex_digit_directories() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["00", "a7", "ff", "info", "pack", "zz"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let dirs = fanout_dirs(dir.path());
        let present: Vec<usize> = (0..256).filter(|&i| dirs[i]).collect();
        assert_eq!(present, vec![0x00, 0xa7, 0xff]);
        // Unreadable: every directory may hold objects.
        assert!(fanout_dirs(&dir.path().join("missing")).iter().all(|&d| d));
    }
}
