//! The tests' own values: random characters from a fixed-seed xorshift, so that every test token
//! is made here, in its provider's documented shape, and never copied. The engine's unit tests
//! use it as a module, the integration tests through `#[path]` (`tests/util.rs`).

/// `len` characters of `alphabet`, drawn by a xorshift seeded with `seed`.
pub fn random(seed: u64, alphabet: &[u8], len: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

pub const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
