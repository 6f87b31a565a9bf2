//! GitHub's and npm's tokens: `<prefix>_` + a random base62 part + 6 base62 characters of its
//! CRC32 (`Checksum::Base62Crc32`).

use super::codec::base62_decode;

/// GitHub's and npm's format: the last 6 characters are the CRC32 of the random part (the
/// characters between the prefix's `_` and the checksum), in base62.
pub(crate) fn base62_crc32_ok(secret: &[u8]) -> bool {
    let Some(underscore) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    if secret.len() < underscore + 1 + 6 + 1 {
        return false;
    }
    let (body, sum) = secret[underscore + 1..].split_at(secret.len() - underscore - 1 - 6);
    base62_decode(sum) == Some(crc32fast::hash(body) as u64)
}

/// Builds `<prefix><body><base62 CRC32 of body>`: a token with a valid GitHub/npm-style
/// checksum (for unit tests; the body is the random part). Integration tests build
/// their own (`tests/util.rs`): this is not public API.
#[cfg(test)]
pub(crate) fn base62_crc32_token(prefix: &str, body: &str) -> String {
    format!(
        "{prefix}{body}{}",
        super::codec::base62_encode(crc32fast::hash(body.as_bytes()) as u64, 6)
    )
}

#[cfg(test)]
mod tests {
    use super::super::codec::base62_encode;
    use super::super::{Checksum, checksum_ok};

    #[test]
    fn base62_crc32_matches_published_github_token_layout() {
        // Layout published by GitHub: 30 random base62 chars + base62(CRC32) padded to 6.
        let body = "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ";
        let sum = base62_encode(crc32fast::hash(body.as_bytes()) as u64, 6);
        assert_eq!(sum, "0mLq17");
        let good = format!("ghp_{body}{sum}");
        assert!(checksum_ok(Checksum::Base62Crc32, good.as_bytes()));
        let bad = format!("ghp_{body}0mLq18");
        assert!(!checksum_ok(Checksum::Base62Crc32, bad.as_bytes()));
        assert!(!checksum_ok(Checksum::Base62Crc32, b"ghp_short"));
        assert!(!checksum_ok(
            Checksum::Base62Crc32,
            b"no-underscore-here-at-all-0123456789"
        ));
    }
}
