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
    digits.iter().try_fold(0u64, |acc, &d| {
        let v = BASE62.iter().position(|&c| c == d)? as u64;
        acc.checked_mul(62)?.checked_add(v)
    })
}

/// Encodes `n` in base62, left-padded with `0` to `width` digits (used to build test tokens).
pub fn base62_encode(mut n: u64, width: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).expect("base62 digits are ASCII")
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
    }
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
    mostly_repeated(secret) || has_long_sequence(&lower, 6)
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
