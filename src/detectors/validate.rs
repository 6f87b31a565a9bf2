//! Validators that decide whether a regex match is a credential or a look-alike.
//!
//! They are cheap and run only on regex matches, so they may be thorough: entropy, embedded
//! checksums, and the many shapes placeholders take in docs and sample configs.

use super::schema::Checksum;

/// Shannon entropy of the bytes, in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62_decode(digits: &[u8]) -> Option<u64> {
    decode_digits(BASE62, digits)
}

/// Encodes `n` in base62, left-padded with `0` to `width` digits (used to build test tokens).
pub fn base62_encode(n: u64, width: usize) -> String {
    encode_digits(BASE62, n, width)
}

/// The value of `digits` in the positional system whose digits are `alphabet`, in order.
fn decode_digits(alphabet: &[u8], digits: &[u8]) -> Option<u64> {
    let base = alphabet.len() as u64;
    digits.iter().try_fold(0u64, |acc, &d| {
        let v = alphabet.iter().position(|&c| c == d)? as u64;
        acc.checked_mul(base)?.checked_add(v)
    })
}

/// `n` in the positional system whose digits are `alphabet`, left-padded with its zero digit
/// to `width` digits.
fn encode_digits(alphabet: &[u8], mut n: u64, width: usize) -> String {
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

/// Builds `<prefix><body><base62 CRC32 of body>`: a token with a valid GitHub/npm-style
/// checksum (for tests, fuzzing and documentation; the body is the random part).
pub fn base62_crc32_token(prefix: &str, body: &str) -> String {
    format!(
        "{prefix}{body}{}",
        base62_encode(crc32fast::hash(body.as_bytes()) as u64, 6)
    )
}

pub fn checksum_ok(kind: Checksum, secret: &[u8]) -> bool {
    match kind {
        Checksum::Base62Crc32 => base62_crc32_ok(secret),
        Checksum::Jwt => jwt_ok(secret, now_unix()),
        Checksum::GitlabRoutableCrc32 => gitlab_routable_ok(secret),
        Checksum::GrafanaServiceAccountCrc32 => grafana_service_account_ok(secret),
        Checksum::GrafanaApiKey => grafana_api_key_ok(secret),
        Checksum::Bech32 => bech32_ok(secret),
        Checksum::MacaroonV2 => macaroon_v2_ok(secret),
        Checksum::SentryOrgToken => sentry_org_token_ok(secret),
        Checksum::AzureDevopsPatCrc32 => azure_devops_pat_ok(secret),
    }
}

/// Strips the one or two `=` of base64 padding, so padded and unpadded values decode alike.
fn trim_padding(b64: &[u8]) -> &[u8] {
    b64.strip_suffix(b"==")
        .or_else(|| b64.strip_suffix(b"="))
        .unwrap_or(b64)
}

/// Decodes standard or URL-safe base64, padded or not, into a JSON object.
fn base64_json_object(b64: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
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

const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The value of lowercase base36 digits (GitLab writes base36 with Ruby's `to_s(36)`).
fn base36_decode(digits: &[u8]) -> Option<u64> {
    decode_digits(BASE36, digits)
}

/// Encodes `n` in lowercase base36, left-padded with `0` to `width` digits.
pub fn base36_encode(n: u64, width: usize) -> String {
    encode_digits(BASE36, n, width)
}

/// See `Checksum::GitlabRoutableCrc32`. The last 7 characters are the CRC32 of all that precedes
/// them; the 2 characters before those, after the last `.`, are the payload's length, which the
/// text between the prefix and the first `.` of the tail must be able to hold.
fn gitlab_routable_ok(secret: &[u8]) -> bool {
    const CRC_LEN: usize = 7;
    let Some(split) = secret.len().checked_sub(CRC_LEN) else {
        return false;
    };
    let (body, crc) = secret.split_at(split);
    if base36_decode(crc) != Some(u64::from(crc32fast::hash(body))) {
        return false;
    }
    let Some(dot) = memchr::memrchr(b'.', body) else {
        return false;
    };
    let (before, length) = (&body[..dot], &body[dot + 1..]);
    if length.len() != 2 {
        return false;
    }
    // The versioned form has `.<2-character version>` between the payload and the length.
    let payload_end = match memchr::memrchr(b'.', before) {
        Some(d) if before.len() - d == 3 => d,
        _ => before.len(),
    };
    base36_decode(length).is_some_and(|n| n > 0 && n as usize <= payload_end)
}

/// See `Checksum::GrafanaServiceAccountCrc32`.
fn grafana_service_account_ok(secret: &[u8]) -> bool {
    let Some(underscore) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    let (key, sum) = (&secret[..underscore], &secret[underscore + 1..]);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    sum.len() == 8
        && crc32fast::hash(key)
            .to_le_bytes()
            .iter()
            .flat_map(|&b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
            .eq(sum.iter().copied())
}

/// See `Checksum::GrafanaApiKey`.
fn grafana_api_key_ok(secret: &[u8]) -> bool {
    base64_json_object(secret).is_some_and(|key| {
        key.get("k").is_some_and(serde_json::Value::is_string)
            && key.get("n").is_some_and(serde_json::Value::is_string)
            && key.get("id").is_some_and(|id| id.is_i64() || id.is_u64())
    })
}

/// The BIP 173 checksum over a Bech32 string's human-readable part and data values.
fn bech32_polymod(hrp: &[u8], values: &[u8]) -> u32 {
    const GENERATOR: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let expanded = hrp
        .iter()
        .map(|b| b >> 5)
        .chain([0])
        .chain(hrp.iter().map(|b| b & 31))
        .chain(values.iter().copied());
    expanded.fold(1u32, |chk, v| {
        let top = chk >> 25;
        let mut chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
        chk
    })
}

/// See `Checksum::Bech32`: one case throughout, a checksum that verifies, and a data part of
/// whole bytes (fewer than 5 padding bits, all zero).
fn bech32_ok(secret: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if secret.iter().any(u8::is_ascii_lowercase) && secret.iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let lower = secret.to_ascii_lowercase();
    let Some(separator) = memchr::memrchr(b'1', &lower) else {
        return false;
    };
    let (hrp, data) = (&lower[..separator], &lower[separator + 1..]);
    if hrp.is_empty() || data.len() < 6 || !hrp.iter().all(|b| (33..=126).contains(b)) {
        return false;
    }
    let Some(values) = data
        .iter()
        .map(|&c| CHARSET.iter().position(|&x| x == c).map(|v| v as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    if bech32_polymod(hrp, &values) != 1 {
        return false;
    }
    let payload = &values[..values.len() - 6];
    let padding = payload.len() * 5 % 8;
    padding < 5
        && payload
            .last()
            .is_none_or(|&last| last & ((1u8 << padding) - 1) == 0)
}

/// A little-endian base-128 varint, as libmacaroons writes field types and lengths.
fn uvarint(data: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            *data = &data[i + 1..];
            return Some(value);
        }
    }
    None
}

/// One field of a version-2 macaroon: its type and its data (none for end-of-section, type 0).
fn macaroon_field<'a>(data: &mut &'a [u8]) -> Option<(u64, &'a [u8])> {
    let kind = uvarint(data)?;
    if kind == 0 {
        return Some((0, &[]));
    }
    let len = usize::try_from(uvarint(data)?).ok()?;
    if len > data.len() {
        return None;
    }
    let (field, rest) = data.split_at(len);
    *data = rest;
    Some((kind, field))
}

/// The field types of one section, up to its end-of-section marker; they must increase.
fn macaroon_section(data: &mut &[u8]) -> Option<Vec<u64>> {
    let mut kinds: Vec<u64> = Vec::new();
    loop {
        let (kind, _) = macaroon_field(data)?;
        if kind == 0 {
            return Some(kinds);
        }
        if kinds.last().is_some_and(|&last| kind <= last) {
            return None;
        }
        kinds.push(kind);
    }
}

/// See `Checksum::MacaroonV2`. Field types: 1 location, 2 identifier, 4 verification key id,
/// 6 signature. The header is an optional location and an identifier; a caveat is an
/// identifier, optionally with a verification key id (and then optionally a location); an
/// empty section ends the caveats; the 32-byte signature ends the macaroon.
fn macaroon_v2_ok(secret: &[u8]) -> bool {
    use base64::Engine as _;
    let Some(dash) = memchr::memchr(b'-', secret) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&secret[dash + 1..])
    else {
        return false;
    };
    let parse = || -> Option<()> {
        let (&version, mut rest) = bytes.split_first()?;
        if version != 2 {
            return None;
        }
        let header = macaroon_section(&mut rest)?;
        if header != [2] && header != [1, 2] {
            return None;
        }
        loop {
            let caveat = macaroon_section(&mut rest)?;
            if caveat.is_empty() {
                break;
            }
            if caveat != [2] && caveat != [2, 4] && caveat != [1, 2, 4] {
                return None;
            }
        }
        let (kind, signature) = macaroon_field(&mut rest)?;
        (kind == 6 && signature.len() == 32 && rest.is_empty()).then_some(())
    };
    parse().is_some()
}

/// See `Checksum::SentryOrgToken`.
fn sentry_org_token_ok(secret: &[u8]) -> bool {
    use base64::Engine as _;
    let Some(rest) = secret.strip_prefix(b"sntrys_") else {
        return false;
    };
    let Some(underscore) = memchr::memrchr(b'_', rest) else {
        return false;
    };
    let (payload, key) = (&rest[..underscore], &rest[underscore + 1..]);
    let issued = base64_json_object(payload).is_some_and(|claims| {
        claims
            .get("iat")
            .and_then(serde_json::Value::as_f64)
            .is_some_and(|t| t > 0.0)
    });
    issued
        && base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(trim_padding(key))
            .is_ok_and(|k| k.len() == 32)
}

/// The constants Microsoft XORs into the checksum of user and of application PATs.
const ADO_USER_PAT: u32 = 0xE0B9_692D;
const ADO_APPLICATION_PAT: u32 = 0x1019_F92E;

/// The 28 token bytes and the embedded checksum of a decoded 32-byte Azure DevOps PAT: the
/// checksum's bytes sit at offsets 22, 8, 7 and 2 (least significant first).
fn ado_pat_parts(bytes: &[u8; 32]) -> (Vec<u8>, u32) {
    let token = [&bytes[0..2], &bytes[3..7], &bytes[9..22], &bytes[23..32]].concat();
    let embedded = u32::from_le_bytes([bytes[22], bytes[8], bytes[7], bytes[2]]);
    (token, embedded)
}

/// See `Checksum::AzureDevopsPatCrc32`.
fn azure_devops_pat_ok(secret: &[u8]) -> bool {
    if secret.len() != 52 {
        return false;
    }
    let mut bytes = [0u8; 32];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    for &c in secret {
        let v = match c {
            b'a'..=b'z' => c - b'a',
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return false,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            if n < bytes.len() {
                bytes[n] = (acc >> bits) as u8;
                n += 1;
            }
        }
        acc &= (1 << bits) - 1;
    }
    let (token, embedded) = ado_pat_parts(&bytes);
    let crc = crc32fast::hash(&token);
    embedded == crc ^ ADO_USER_PAT || embedded == crc ^ ADO_APPLICATION_PAT
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// See `Checksum::Jwt`.
fn jwt_ok(secret: &[u8], now: i64) -> bool {
    use base64::Engine as _;
    let decode = |part: &[u8]| -> Option<serde_json::Map<String, serde_json::Value>> {
        let trimmed = part
            .strip_suffix(b"==")
            .or_else(|| part.strip_suffix(b"="))
            .unwrap_or(part);
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(trimmed)
            .ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let parts: Vec<&[u8]> = secret.split(|&b| b == b'.').collect();
    let [header, payload, _signature] = parts[..] else {
        return false;
    };
    let (Some(header), Some(payload)) = (decode(header), decode(payload)) else {
        return false;
    };
    if !header.get("alg").is_some_and(serde_json::Value::is_string) {
        return false;
    }
    match payload.get("exp").and_then(serde_json::Value::as_f64) {
        Some(exp) => exp as i64 >= now,
        None => true,
    }
}

/// GitHub's and npm's format: the last 6 characters are the CRC32 of the random part (the
/// characters between the prefix's `_` and the checksum), in base62.
fn base62_crc32_ok(secret: &[u8]) -> bool {
    let Some(underscore) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    if secret.len() < underscore + 1 + 6 + 1 {
        return false;
    }
    let (body, sum) = secret[underscore + 1..].split_at(secret.len() - underscore - 1 - 6);
    base62_decode(sum) == Some(crc32fast::hash(body) as u64)
}

/// Words that mark a value as a stand-in for a credential. A real token is random, so the
/// chance that one contains any of these by accident is negligible (~1e-5 for 4 letters).
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "dummy",
    "redacted",
    "insert",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "xxxx",
    "****",
    "....",
    "…",
    "notreal",
    "not_real",
    "not-a-real",
    "fake_",
    "fakekey",
    "faketoken",
];

/// References to a value held elsewhere, in the syntaxes of shells, CI systems and template
/// engines: `${VAR}`, `$(cmd)`, `{{ tmpl }}`, `{% tag %}`, `<%= erb %>`, `%(name)s`, `#{ruby}`.
/// They must be well-formed, so a random value that merely contains `$(` is not taken for one.
fn reference() -> &'static regex::bytes::Regex {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::Regex::new(
            r"\$\{[A-Za-z_][A-Za-z0-9_.:?/ -]*\}|\$\([A-Za-z0-9_ ./|-]+\)|\{\{[^}]*\}\}|\{%[^%]*%\}|<%[^%]*%>|%\([A-Za-z_]+\)[sdr]|#\{[^}]*\}",
        )
        .expect("the reference pattern is valid")
    })
}

/// Returns true when the candidate is a placeholder, a reference or a low-effort stand-in.
pub fn is_placeholder(secret: &[u8], extra_words: &[String]) -> bool {
    let lower = secret.to_ascii_lowercase();
    let contains = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    if PLACEHOLDER_WORDS.iter().any(|w| contains(w.as_bytes())) {
        return true;
    }
    if extra_words
        .iter()
        .any(|w| !w.is_empty() && contains(w.to_ascii_lowercase().as_bytes()))
    {
        return true;
    }
    if reference().is_match(secret) {
        return true;
    }
    let word = |inner: &[u8]| {
        !inner.is_empty()
            && inner
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"_- ".contains(b))
    };
    let wrapped = |open: u8, close: u8| {
        secret.len() >= 2
            && secret[0] == open
            && secret[secret.len() - 1] == close
            && word(&secret[1..secret.len() - 1])
    };
    // $VARIABLE, %VARIABLE%, <your-token>, [REDACTED]
    if (secret.first() == Some(&b'$') && word(&secret[1..]))
        || wrapped(b'%', b'%')
        || wrapped(b'<', b'>')
        || wrapped(b'[', b']')
    {
        return true;
    }
    mostly_repeated(secret) || has_long_sequence(&lower, 6) || sequence_runs(&lower, 4) >= 2
}

/// `aaaaaaaaaaaa`, `sk_live_000000000000`: a run of 6 or more identical characters that makes
/// up a third of the value. (Shorter runs occur in real tokens: base64 of zero bytes is `AAAA`.)
fn mostly_repeated(bytes: &[u8]) -> bool {
    let mut longest = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in bytes {
        run = if prev == Some(b) { run + 1 } else { 1 };
        prev = Some(b);
        if b != b'-' && b != b'_' {
            longest = longest.max(run);
        }
    }
    longest >= 6 && longest * 3 >= bytes.len()
}

/// Whether a value looks machine-generated rather than written by a person, for detectors that
/// have no format to go on (a quoted value next to `secret = `):
/// - a value with no digit made only of letters and `_ - . :` separators is an identifier or
///   words (`ExclusiveStartKey`, `REVISION_SCRIPT_FILENAME`, `consistency-token-value`);
/// - at least 12 letters, at most 2 digits and vowels making up 30% or more of the letters read
///   like words (`webdavgeneratedpassword2`); random base62 has about 19% vowels.
///
/// A random value can fail either rule by chance (a 20-character base62 value has no digit 3% of
/// the time), so this is only for generic, lower-severity detectors.
pub fn looks_random(secret: &[u8]) -> bool {
    // Base64 of text (`c2dsYW5nLXRlc3Qta2V5` is "sglang-test-key", a Kubernetes Secret's
    // `cGFzc3dvcmQ=`) is judged by that text. Random base64 decodes to printable ASCII by chance
    // with probability (95/256)^n, under 1e-4 from 9 bytes on.
    if let Some(text) = base64_text(secret) {
        return text_looks_random(&text);
    }
    text_looks_random(secret)
}

/// The decoded bytes when `value` is canonical standard base64 of at least 9 bytes of printable
/// ASCII text.
fn base64_text(value: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if value.len() < 12 || !value.len().is_multiple_of(4) {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    (decoded.len() >= 9 && decoded.iter().all(|b| (0x20..0x7f).contains(b))).then_some(decoded)
}

fn text_looks_random(secret: &[u8]) -> bool {
    let digits = secret.iter().filter(|b| b.is_ascii_digit()).count();
    let identifier = secret
        .iter()
        .all(|b| b.is_ascii_alphabetic() || b"_-.: ".contains(b));
    if digits == 0 && identifier {
        return false;
    }
    let letters: Vec<u8> = secret
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    let vowels = letters.iter().filter(|b| b"aeiou".contains(b)).count();
    !(letters.len() >= 12 && digits <= 2 && vowels * 10 >= letters.len() * 3)
}

/// How many separate runs of at least `n` consecutive ascending or descending letters or digits
/// the value holds: `abcd1234defg5678`, `1234abcd-1234-abcd-1234-…` are typed, not generated (two
/// runs of 4 in a random base62 value are a ~1e-7 event, in 64 hex digits ~2e-4).
fn sequence_runs(lower: &[u8], n: usize) -> usize {
    let sequential = |w: &[u8]| {
        w.iter().all(|b| b.is_ascii_alphanumeric())
            && (w.windows(2).all(|p| p[1] == p[0].wrapping_add(1))
                || w.windows(2).all(|p| p[1] == p[0].wrapping_sub(1)))
    };
    let (mut runs, mut i) = (0, 0);
    while i + n <= lower.len() {
        if sequential(&lower[i..i + n]) {
            runs += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    runs
}

/// `123456`, `abcdef`, `fedcba`: `n` consecutive ascending or descending letters or digits.
fn has_long_sequence(lower: &[u8], n: usize) -> bool {
    lower.windows(n).any(|w| {
        w.iter().all(|b| b.is_ascii_alphanumeric())
            && (w.windows(2).all(|p| p[1] == p[0].wrapping_add(1))
                || w.windows(2).all(|p| p[1] == p[0].wrapping_sub(1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_random_strings() {
        assert_eq!(shannon_entropy(b"aaaaaaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ") > 4.0);
    }

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

    /// A routable token built the way GitLab's `RoutableToken` generator builds one.
    fn gitlab_routable(prefix: &str, random: &[u8; 16], routing: &str, versioned: bool) -> String {
        use base64::Engine as _;
        let mut payload = Vec::new();
        if versioned {
            payload.extend_from_slice(random);
            payload.extend_from_slice(routing.as_bytes());
            payload.push(routing.len() as u8);
        } else {
            payload.extend_from_slice(routing.as_bytes());
            payload.extend_from_slice(random);
            payload.push(16);
        }
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
        let length = base36_encode(b64.len() as u64, 2);
        let body = if versioned {
            format!("{prefix}{b64}.01.{length}")
        } else {
            format!("{prefix}{b64}.{length}")
        };
        let crc = base36_encode(u64::from(crc32fast::hash(body.as_bytes())), 7);
        format!("{body}{crc}")
    }

    #[test]
    fn gitlab_routable_tokens_carry_a_base36_crc32() {
        let ok = |t: &str| checksum_ok(Checksum::GitlabRoutableCrc32, t.as_bytes());
        // GitLab's own test vector (spec/lib/authn/…/routable_token): valid, then with its last
        // CRC character changed.
        assert!(ok(
            "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4k"
        ));
        assert!(!ok(
            "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4l"
        ));
        let random = *b"q8\x01Zr\xffk3\x10Lp9Wc\x7f2";
        for versioned in [true, false] {
            let token = gitlab_routable("glpat-", &random, "c:1\no:7x\nu:2kq", versioned);
            assert!(ok(&token), "{token}");
            // One payload character changed: the CRC no longer matches.
            let mut flipped = token.clone().into_bytes();
            flipped[8] = if flipped[8] == b'a' { b'b' } else { b'a' };
            assert!(!ok(std::str::from_utf8(&flipped).unwrap()));
            assert!(!ok(&token.to_uppercase()), "base36 is lowercase");
        }
        // A CRC that verifies but a length field longer than the payload.
        let body = "glpat-abc.01.zz";
        let forged = format!(
            "{body}{}",
            base36_encode(u64::from(crc32fast::hash(body.as_bytes())), 7)
        );
        assert!(!ok(&forged));
        assert!(!ok("short"));
    }

    #[test]
    fn grafana_service_account_tokens_carry_a_crc32() {
        let ok = |t: &str| checksum_ok(Checksum::GrafanaServiceAccountCrc32, t.as_bytes());
        // Grafana's own test vector (pkg/components/satokengen).
        assert!(ok("glsa_iNValIdinValiDinvalidinvalidinva_5b582697"));
        assert!(!ok("glsa_iNValIdinValiDinvalidinvalidinvb_5b582697"));
        let key = "glsa_Zq4TkW8mPx2RvN7bLc9HsJ3dFgY6aEu1";
        let crc = crc32fast::hash(key.as_bytes()).to_le_bytes();
        let hex: String = crc.iter().map(|b| format!("{b:02x}")).collect();
        assert!(ok(&format!("{key}_{hex}")));
        assert!(!ok(&format!("{key}_{}", hex.to_uppercase())));
        assert!(!ok(key));
    }

    #[test]
    fn grafana_legacy_api_keys_are_base64_json() {
        use base64::Engine as _;
        let ok = |t: &str| checksum_ok(Checksum::GrafanaApiKey, t.as_bytes());
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(ok(&b64(
            r#"{"k":"pEZWLBqnbaxk9YrfxZdFAGYK6AOgG4qs","n":"ci-deployer","id":1}"#
        )));
        assert!(ok(b64(
            r#"{"k":"pEZWLBqnbaxk9YrfxZdFAGYK6AOgG4qs","n":"x","id":12}"#
        )
        .trim_end_matches('=')));
        // Power BI report links also start eyJrIjoi ({"k":…) but carry no name or org id.
        assert!(!ok(&b64(
            r#"{"k":"a6c197b1-348b-4529-8cd2-6e20de9900de","t":"72f988bf-86f1","c":5}"#
        )));
        assert!(
            !ok(&b64(r#"{"k":"abc","n":"x","id":"1"}"#)),
            "id is a number"
        );
        assert!(!ok(
            "eyJrIjoicEZXTEJxbmJheGs5WXJmeFpkRkFHWUs2QU9nRzRxc1IiLCJuIjoi"
        ));
    }

    /// Bech32 with the BIP 173 checksum, for tests.
    fn bech32_encode(hrp: &str, data: &[u8]) -> String {
        const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        let mut values = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in data {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                values.push(((acc >> bits) & 31) as u8);
            }
        }
        if bits > 0 {
            values.push(((acc << (5 - bits)) & 31) as u8);
        }
        let mut with_zeros = values.clone();
        with_zeros.extend([0; 6]);
        let pm = bech32_polymod(hrp.as_bytes(), &with_zeros) ^ 1;
        values.extend((0..6).map(|i| ((pm >> (5 * (5 - i))) & 31) as u8));
        let data: String = values
            .iter()
            .map(|&v| CHARSET[usize::from(v)] as char)
            .collect();
        format!("{hrp}1{data}")
    }

    #[test]
    fn bech32_checksums_verify() {
        let ok = |t: &str| checksum_ok(Checksum::Bech32, t.as_bytes());
        // The identity printed in the age specification (c2sp.org/age).
        let spec = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
        assert!(ok(spec));
        assert!(ok(&spec.to_lowercase()));
        assert!(!ok(&spec.replace("Q4EGAEX", "Q4EGAEY")));
        assert!(!ok(&spec.replacen("AGE", "age", 1)), "mixed case");
        let key: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
        let encoded = bech32_encode("age-secret-key-", &key).to_uppercase();
        assert_eq!(encoded.len(), 74);
        assert!(ok(&encoded));
        // Swapping two data characters keeps the alphabet but breaks the checksum.
        let mut swapped = encoded.clone().into_bytes();
        swapped.swap(20, 21);
        assert!(swapped != encoded.as_bytes() && !ok(std::str::from_utf8(&swapped).unwrap()));
        assert!(!ok("AGE-SECRET-KEY-1"));
    }

    /// A version-2 binary macaroon, serialized the way libmacaroons and pymacaroons do.
    fn macaroon_v2(location: &str, identifier: &str, caveats: &[&str]) -> Vec<u8> {
        fn field(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
            out.push(kind);
            let mut n = data.len();
            loop {
                let b = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
            out.extend_from_slice(data);
        }
        let mut out = vec![2];
        field(&mut out, 1, location.as_bytes());
        field(&mut out, 2, identifier.as_bytes());
        out.push(0);
        for caveat in caveats {
            field(&mut out, 2, caveat.as_bytes());
            out.push(0);
        }
        out.push(0);
        field(&mut out, 6, &[0x5c; 32]);
        out
    }

    #[test]
    fn macaroon_tokens_must_decode() {
        use base64::Engine as _;
        let ok = |t: &str| checksum_ok(Checksum::MacaroonV2, t.as_bytes());
        let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let caveat = r#"{"version": 1, "permissions": "user"}"#;
        let long_caveat = format!(
            r#"{{"permissions": {{"projects": ["{}"]}}}}"#,
            "p".repeat(200)
        );
        let token = macaroon_v2(
            "upload.example",
            "6f0e9f9e-1f8c-4b8e-9a54-2c1c2b3d4e5f",
            &[caveat],
        );
        assert!(ok(&format!("pypi-{}", b64(&token))));
        let long = macaroon_v2("upload.example", "3", &[caveat, &long_caveat]);
        assert!(
            ok(&format!("pypi-{}", b64(&long))),
            "two-byte varint lengths"
        );
        assert!(
            !ok(&format!("pypi-{}", b64(&token[..token.len() - 1]))),
            "truncated"
        );
        let mut v1 = token.clone();
        v1[0] = 1;
        assert!(
            !ok(&format!("pypi-{}", b64(&v1))),
            "version 1 is not binary v2"
        );
        let mut extra = token.clone();
        extra.push(0);
        assert!(!ok(&format!("pypi-{}", b64(&extra))), "trailing bytes");
        assert!(!ok(
            "pypi-AgEIcHlwaS5vcmcan2X0lUkrvetRDcSj-FuT1araE5YbjOH2QPt_dWUg5649jZccPsqkVo"
        ));
        assert!(!ok("no-dash-here!"));
    }

    #[test]
    fn sentry_org_tokens_carry_base64_json() {
        use base64::Engine as _;
        let ok = |t: &str| checksum_ok(Checksum::SentryOrgToken, t.as_bytes());
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let claims = r#"{"iat": 1715415090.6347156, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}"#;
        let secret = b64(&[0xa7; 32]);
        let secret = secret.trim_end_matches('=');
        assert!(ok(&format!("sntrys_{}_{secret}", b64(claims.as_bytes()))));
        let no_iat = r#"{"url": "https://sentry.io", "org": "acme"}"#;
        assert!(!ok(&format!("sntrys_{}_{secret}", b64(no_iat.as_bytes()))));
        assert!(!ok(&format!(
            "sntrys_{}_{}",
            b64(claims.as_bytes()),
            &secret[1..]
        )));
        assert!(!ok(&format!(
            "sntrys_eyJpYXQiOjE3MTU0MTUwOTAuNjM0NzE1Ni_{secret}"
        )));
    }

    /// An Azure DevOps PAT built with the layout Microsoft's scanner verifies.
    fn ado_pat(token: &[u8; 28], constant: u32) -> String {
        const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
        let crc = crc32fast::hash(token) ^ constant;
        let mut bytes = [0u8; 32];
        bytes[0..2].copy_from_slice(&token[0..2]);
        bytes[3..7].copy_from_slice(&token[2..6]);
        bytes[9..22].copy_from_slice(&token[6..19]);
        bytes[23..32].copy_from_slice(&token[19..28]);
        let [b0, b1, b2, b3] = crc.to_le_bytes();
        (bytes[22], bytes[8], bytes[7], bytes[2]) = (b0, b1, b2, b3);
        let (round_trip, embedded) = ado_pat_parts(&bytes);
        assert_eq!((round_trip.as_slice(), embedded), (&token[..], crc));
        let mut out = String::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for b in bytes {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
        out
    }

    #[test]
    fn azure_devops_pats_carry_a_crc32() {
        let ok = |t: &str| checksum_ok(Checksum::AzureDevopsPatCrc32, t.as_bytes());
        let token: [u8; 28] = std::array::from_fn(|i| (i as u8).wrapping_mul(91) ^ 0x3c);
        let user = ado_pat(&token, ADO_USER_PAT);
        let application = ado_pat(&token, ADO_APPLICATION_PAT);
        assert_eq!(user.len(), 52);
        assert!(ok(&user) && ok(&application));
        assert!(ok(&user.to_uppercase()), "Microsoft decodes either case");
        assert!(
            !ok(&ado_pat(&token, 0)),
            "a plain CRC32 is not the PAT constant"
        );
        let mut flipped = user.clone().into_bytes();
        flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
        assert!(!ok(std::str::from_utf8(&flipped).unwrap()));
        assert!(!ok("mt4rpkvbgdfvcjst745epexqk2574yywshzyjh5qrsxlgw3wl7yw"));
        assert!(!ok(&user[..51]));
    }

    #[test]
    fn base64_of_words_does_not_look_random() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(!looks_random(
            b64("sglang-tensorcast-local-test-key").as_bytes()
        ));
        assert!(!looks_random(b64("consistency_token_value").as_bytes()));
        assert!(
            looks_random(b64("kT9#vq2LmZ8x!Rw4").as_bytes()),
            "random text stays random"
        );
        // Random base64 decodes to binary and is judged as it stands.
        assert!(looks_random(
            b"ZvIcndZ3uKaxtnm5iB+0OheLnjPO8OaNI56eM97wNNAe"
        ));
        assert!(looks_random(
            b"k1zPZM6uVxMQ3oxqgoYlNuJPyRTZ1vREs76zTQE3eJk="
        ));
    }

    #[test]
    fn two_typed_runs_make_a_placeholder() {
        for p in [
            "abcd1234defg5678",
            "1234abcd-1234-abcd-1234-d46a8903e9bc",
            "wxyz9876qK",
        ] {
            assert!(is_placeholder(p.as_bytes(), &[]), "{p}");
        }
        for s in [
            "8de01e789a29a273e3c8815cac49d37ee75cc6a8",
            "oa7heNArc6FxwQJjbH4ZLP31Nkb5iVQs",
            "x1234yZq",
        ] {
            assert!(!is_placeholder(s.as_bytes(), &[]), "{s}");
        }
    }

    #[test]
    fn identifiers_and_words_do_not_look_random() {
        for word in [
            "ExclusiveStartKey",
            "REVISION_SCRIPT_FILENAME",
            "consistency_token_value",
            "webdavgeneratedpassword2",
            "automountServiceAccountToken",
            "provider-app-client-secret",
        ] {
            assert!(!looks_random(word.as_bytes()), "{word}");
        }
        for random in [
            "oa7heNArc6FxwQJjbH4ZLP31Nkb5iVQs",
            "8de01e789a29a273e3c8815cac49d37ee75cc6a8",
            "5xy9gIUxFzoiz3c=gN^H",
            "xto0LIFYX35mmHF9T1R2QBqT",
            "ZvIcndZ3uKaxtnm5iB+0OheLnjPO8OaNI56eM97wNNAe",
        ] {
            assert!(looks_random(random.as_bytes()), "{random}");
        }
    }

    #[test]
    fn jwt_structure_and_expiry() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let token = |header: &str, payload: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmU",
                b64(header),
                b64(payload)
            )
        };
        let now = 1_800_000_000;
        let alg = r#"{"alg":"HS256","typ":"JWT"}"#;
        assert!(
            jwt_ok(token(alg, r#"{"sub":"42"}"#).as_bytes(), now),
            "no expiry"
        );
        assert!(
            jwt_ok(token(alg, r#"{"exp":1900000000}"#).as_bytes(), now),
            "not yet expired"
        );
        assert!(
            !jwt_ok(token(alg, r#"{"exp":1700000000}"#).as_bytes(), now),
            "expired"
        );
        assert!(
            !jwt_ok(token(r#"{"typ":"JWT"}"#, r#"{"sub":"42"}"#).as_bytes(), now),
            "no alg"
        );
        assert!(
            !jwt_ok(token(alg, "[1,2]").as_bytes(), now),
            "payload not an object"
        );
        assert!(!jwt_ok(b"eyJhbGciOi.eyJzdWIi.not-base64-json", now));
        assert!(
            !jwt_ok(format!("{}.x", b64(alg)).as_bytes(), now),
            "two parts"
        );
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "${GITHUB_TOKEN}",
            "$API_KEY",
            "<your-token>",
            "{{ secrets.token }}",
            "%API_KEY%",
            "xxxxxxxxxxxxxxxxxxxx",
            "sk_live_aaaaaaaaaaaaaaaaaaaaaaaa",
            "sk_live_0123456789abcdef",
            "my-dummy-token",
            "[REDACTED]",
            "${{ secrets.API_TOKEN }}",
            "%(password)s",
            "<%= ENV['KEY'] %>",
        ] {
            assert!(
                is_placeholder(p.as_bytes(), &[]),
                "{p} should be a placeholder"
            );
        }
        for s in [
            "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ",
            "AKIAQ3EGRQ2FM6BMVRXS",
            "c2VjcmV0LXRva2Vu",
        ] {
            assert!(
                !is_placeholder(s.as_bytes(), &[]),
                "{s} is not a placeholder"
            );
        }
        assert!(is_placeholder(
            b"AKIAQ3EGRQ2FM6BMVRXS",
            &["m6bmv".to_string()]
        ));
    }
}
