//! Value heuristics for candidates that carry no checksum: entropy, placeholders and references
//! (`EXAMPLE`, `${VAR}`, `<your-key>`, repeated or typed runs), and whether a value reads like
//! something generated rather than written by a person.

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
    // Only a value holding one of the syntaxes' opening characters can be one: most are not,
    // and then the pattern is never compiled (0.75 M instructions, 3% of a commit's).
    if secret.iter().any(|b| b"${<%#".contains(b)) && reference().is_match(secret) {
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
