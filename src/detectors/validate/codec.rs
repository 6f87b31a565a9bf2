//! Base-N codecs the checksum validators decode with: positional digit systems (base62,
//! base36), and base64 of JSON objects. Only decoders are compiled into the binary; the encoders
//! build test tokens.

pub(crate) const BASE62: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub(crate) fn base62_decode(digits: &[u8]) -> Option<u64> {
    decode_digits(BASE62, digits)
}

/// Encodes `n` in base62, left-padded with `0` to `width` digits (builds test tokens).
#[cfg(test)]
pub(crate) fn base62_encode(n: u64, width: usize) -> String {
    encode_digits(BASE62, n, width)
}

/// The value of `digits` in the positional system whose digits are `alphabet`, in order.
pub(crate) fn decode_digits(alphabet: &[u8], digits: &[u8]) -> Option<u64> {
    let base = alphabet.len() as u64;
    digits.iter().try_fold(0u64, |acc, &d| {
        let v = alphabet.iter().position(|&c| c == d)? as u64;
        acc.checked_mul(base)?.checked_add(v)
    })
}

/// `n` in the positional system whose digits are `alphabet`, left-padded with its zero digit
/// to `width` digits.
#[cfg(test)]
pub(crate) fn encode_digits(alphabet: &[u8], mut n: u64, width: usize) -> String {
    let base = alphabet.len() as u64;
    let mut out = Vec::new();
    while n > 0 {
        out.push(alphabet[(n % base) as usize]);
        n /= base;
    }
    while out.len() < width {
        out.push(alphabet[0]);
    }
    out.reverse();
    String::from_utf8(out).expect("the alphabets are ASCII")
}

pub(crate) const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The value of lowercase base36 digits (GitLab writes base36 with Ruby's `to_s(36)`).
pub(crate) fn base36_decode(digits: &[u8]) -> Option<u64> {
    decode_digits(BASE36, digits)
}

/// Encodes `n` in lowercase base36, left-padded with `0` to `width` digits.
#[cfg(test)]
pub(crate) fn base36_encode(n: u64, width: usize) -> String {
    encode_digits(BASE36, n, width)
}

/// Strips the one or two `=` of base64 padding, so padded and unpadded values decode alike.
pub(crate) fn trim_padding(b64: &[u8]) -> &[u8] {
    b64.strip_suffix(b"==")
        .or_else(|| b64.strip_suffix(b"="))
        .unwrap_or(b64)
}

/// Decodes standard or URL-safe base64, padded or not, into a JSON object.
pub(crate) fn base64_json_object(b64: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    use base64::Engine as _;
    let trimmed = trim_padding(b64);
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}
