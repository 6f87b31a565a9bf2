//! The value classifier: is the literal bound to a credential's name a credential?
//!
//! Every literal the binding finder extracts is judged here, by one function, into one of these
//! classes (checked in this order; the first that applies decides):
//!
//! | class | what it looks like | verdict |
//! |---|---|---|
//! | empty, too short, too long | `""`, `abc`, a 2 KB blob | rejected |
//! | template or placeholder | `<token>`, `${TOKEN}`, `{{ .Token }}`, `%s`, `{0}`, `{password}`, `changeme`, `xxxx`, `your-api-key`, `***` | rejected |
//! | reference or lookup | `$TOKEN`, `%TOKEN%`, `env:TOKEN`, `process.env.TOKEN`, `settings.API_KEY`, `:password`, `@Password`, `arn:aws:…`, `op://vault/item` | rejected |
//! | call or code | `getenv("X")`, `new Foo()`, `a + b`, `x || y`, `opts.key?.sha256`, `+e.keyId+`, `d===t?a:b` | rejected |
//! | percent-encoded text | `%c3%a9t%c3%a9`, `%20!%22` (escapes that decode to spaces, control bytes, non-ASCII) | rejected |
//! | file path or scope | `/run/secrets/db`, `./key.pem`, `C:\keys\a.pfx`, `~/.ssh/id_rsa`, `certs/tls.key`, `<id>/<id>.tsv.gz`, `AKID/20240131/eu-west-1/s3/aws4_request` (also with `%2F`) | rejected |
//! | URL without credentials | `https://auth.acme.test/token` | rejected, except under a webhook's name (below) |
//! | version | `1.2.3`, `v2.0.0-rc1` | rejected |
//! | boolean, null, number | `true`, `None`, `null`, `8080`, `3600` | rejected |
//! | time-based UUID | version 1 or 2 (`…-11ec-9d64-0242ac120002`: a timestamp and a MAC address) | rejected under secret names; a random (version 4) UUID is a key |
//! | known hash | `$2b$12$…`, `$argon2id$…`, `pbkdf2_sha256$…`, `{SSHA}…`; a hex or base64 digest when the name says hash | rejected |
//! | public value | `ssh-ed25519 AAAA…`, `-----BEGIN PUBLIC KEY-----`, `pk_live_…`, `age1…`, an uncompressed EC point (`B…` in base64url, `04…` in hex: web push keys) | rejected |
//! | words or identifier | `ExclusiveStartKey`, `my-secret-name`, `Mot de passe`, a word in markup (`]<]frame[>[`); under a key or token no credential word qualifies, a lowercase name (`v2listeners`, `x-sdk-sha256`) | rejected |
//! | **random** (secret names) | 10+ bytes (20+ under a weak name such as bare `key`), entropy above a floor that grows with length, no space, not words | accepted |
//! | **password** (password names) | 6+ bytes; under 8 bytes two character classes; never a default or a word the name restates (`password`, `admin123`, `Passw0rd!`, `super$ecret`, `hunter2`); words in camel case ended by a number (`blueHorse77`) and words with a symbol inside (`Horse!battery`) count; other identifiers and words do not | accepted |
//! | **Basic credentials** (`Authorization: Basic …`) | base64 of `user:password` whose password passes the password rule | accepted |
//! | **webhook URL** (webhook names) | an `http(s)` URL whose path or query holds a random token of 16+ bytes | accepted |
//!
//! The placeholder, entropy and looks-random heuristics are the validators' (`validate`), so a
//! generic finding and a provider's finding reject the same stand-ins.

use std::ops::Range;

use super::name::{Kind, Name, Strength};
use crate::detectors::validate;

/// What an accepted value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Random,
    Password,
    BasicCredentials,
    WebhookUrl,
}

/// Why a value is not a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejected {
    Empty,
    TooShort,
    TooLong,
    Template,
    Reference,
    Code,
    Path,
    Url,
    Version,
    Scalar,
    KnownHash,
    Public,
    Words,
    WeakPassword,
    NotRandom,
}

/// An accepted value: its class and the bytes of the credential within the value (an
/// `Authorization` value loses its scheme).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub class: Class,
    pub secret: Range<usize>,
}

/// Longest value judged: longer literals are data (certificates, blobs), not a credential
/// someone typed or pasted.
pub const MAX_LEN: usize = 1024;

/// Where a value was written, as far as judging it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Setting {
    /// An environment file's `NAME=value` (or a shell's `export`): never a label or a sentence,
    /// so a password of one character class (`whiteduke`) counts there.
    pub env_file: bool,
    /// Prose or a loose `name value` pair (`Here is the staging token: …`): only a strong
    /// name with a value that passes the secret rule counts.
    pub prose: bool,
    /// Written without quotes where code could stand (`private_key: x25519.PrivateKey`): a
    /// dotted chain of names is a reference there, however random its parts look.
    pub unquoted: bool,
}

/// Judges `value` (the literal as written, without its quotes) bound to `name`.
pub fn judge(value: &[u8], name: &Name) -> Result<Accepted, Rejected> {
    judge_in(value, name, Setting::default())
}

/// `judge`, for a value written in `setting`.
pub fn judge_in(value: &[u8], name: &Name, setting: Setting) -> Result<Accepted, Rejected> {
    let (start, end) = trim(value);
    let v = &value[start..end];
    if v.is_empty() {
        return Err(Rejected::Empty);
    }
    let accept = |class, r: Range<usize>| Accepted {
        class,
        secret: start + r.start..start + r.end,
    };
    if setting.unquoted && !setting.env_file && (is_name_chain(v) || is_snake_name(v)) {
        return Err(Rejected::Reference);
    }
    if setting.prose {
        if name.strength != Strength::Strong || !matches!(name.kind, Kind::Secret | Kind::Password)
        {
            return Err(Rejected::Words);
        }
        random(v, Strength::Strong, name.hash)?;
        // Prose holds words and markup: only a value with letters and digits mixed through it
        // and no markup or syntax is a credential there.
        let digits = v.iter().filter(|b| b.is_ascii_digit()).count();
        let letters = v.iter().filter(|b| b.is_ascii_alphabetic()).count();
        if v.len() < 12
            || digits < 2
            || letters < 2
            || v.iter().any(|b| b"<>{}()[]'\"=,;".contains(b))
        {
            return Err(Rejected::Words);
        }
        return Ok(accept(Class::Random, 0..v.len()));
    }
    match name.kind {
        Kind::Authorization => {
            let (scheme, rest) = split_scheme(v);
            let class = match scheme {
                Some(s) if s.eq_ignore_ascii_case(b"basic") => {
                    basic(&v[rest.clone()])?;
                    Class::BasicCredentials
                }
                Some(s)
                    if s.eq_ignore_ascii_case(b"digest")
                        || s.eq_ignore_ascii_case(b"negotiate") =>
                {
                    return Err(Rejected::Code);
                }
                // Bearer, Token, Bot, SSWS, OAuth … or no scheme at all.
                _ => {
                    // Without a scheme the value may be a word (`Authorization: required`),
                    // except a random UUID: an API key sent as the whole header.
                    let strength = if scheme.is_some() || is_random_uuid(&v[rest.clone()]) {
                        Strength::Strong
                    } else {
                        Strength::Weak
                    };
                    random(&v[rest.clone()], strength, name.hash)?;
                    Class::Random
                }
            };
            Ok(accept(class, rest))
        }
        Kind::Webhook => {
            webhook(v)?;
            Ok(accept(Class::WebhookUrl, 0..v.len()))
        }
        Kind::Password => {
            password_in(v, name.hash, setting)?;
            Ok(accept(Class::Password, 0..v.len()))
        }
        Kind::Secret if header_scheme(v) => {
            // `token: Bearer …`, `AUTH_HEADER="Basic …"`: a header's whole value kept under a
            // credential's name is judged as the header it is.
            let header = Name {
                kind: Kind::Authorization,
                ..*name
            };
            judge_in(value, &header, setting)
        }
        Kind::Secret => {
            // `auth`, `_auth` and `credentials` often hold base64 of `user:password` (Docker's
            // config.json, .npmrc): judged as the password inside.
            if name.strength == Strength::Weak && decodes_to_credentials(v) && basic(v).is_ok() {
                return Ok(accept(Class::BasicCredentials, 0..v.len()));
            }
            if name.loose && reads_as_lower_words(v) {
                // `resources_key = 'l7policies'`, `OBJECT_SHA256_KEY = 'x-sdk-sha256'`: a
                // dictionary key or a header's name, not a credential.
                return Err(Rejected::Words);
            }
            // Laravel's `APP_KEY=base64:…`: the key's random bytes in base64 after a prefix.
            let key = if v.starts_with(b"base64:") { 7 } else { 0 };
            random(&v[key..], name.strength, name.hash)?;
            Ok(accept(Class::Random, key..v.len()))
        }
    }
}

/// Whether `v` starts with one of the HTTP authentication schemes that carry a credential
/// (`Bearer`, `Basic`, `Token`) and a space: a header's value stored whole.
fn header_scheme(v: &[u8]) -> bool {
    let (scheme, _) = split_scheme(v);
    scheme.is_some_and(|s| {
        HEADER_SCHEMES
            .iter()
            .any(|known| s.eq_ignore_ascii_case(known))
    })
}

/// The HTTP authentication schemes whose value is the credential itself.
pub const HEADER_SCHEMES: [&[u8]; 3] = [b"bearer", b"basic", b"token"];

/// The version of a UUID written `xxxxxxxx-xxxx-Vxxx-xxxx-xxxxxxxxxxxx` (either case).
fn uuid_version(v: &[u8]) -> Option<u8> {
    let shaped = v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    // The version nibble: a hex digit, so `a`–`f` are versions 10–15 (none defined).
    shaped.then(|| (v[14] as char).to_digit(16).unwrap_or(0) as u8)
}

/// A version-4 (random) UUID of the RFC 4122 variant (`…-4xxx-[89ab]xxx-…`).
pub fn is_random_uuid(v: &[u8]) -> bool {
    uuid_version(v) == Some(4) && matches!(v[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
}

/// The secret rule: a value generated by a service.
pub fn random(v: &[u8], strength: Strength, hash_name: bool) -> Result<(), Rejected> {
    common(v, hash_name)?;
    let min = match strength {
        Strength::Strong => 10,
        Strength::Weak => 20,
    };
    if v.len() < min {
        return Err(Rejected::TooShort);
    }
    // Under a bare `key`, hex is a test vector, a digest or an id far more often than a
    // credential (`let key = "2b7e1516…"` in every crypto library's tests).
    if strength == Strength::Weak
        && v.iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b'-' | b':'))
    {
        return Err(Rejected::NotRandom);
    }
    // A time-based UUID (version 1 or 2: a timestamp and a network card's address) names a
    // record or a request; a key minted as a UUID is a random, version-4 one.
    if matches!(uuid_version(v), Some(1 | 2)) {
        return Err(Rejected::NotRandom);
    }
    if v.iter().any(|&b| b == b' ' || b == b'\t') {
        return Err(Rejected::Words);
    }
    if is_digest_shaped(v) && hash_name {
        return Err(Rejected::KnownHash);
    }
    if !looks_generated(v) || reads_as_identifier(v) || names_itself(v) || is_marked_word(v) {
        return Err(Rejected::Words);
    }
    // A generator does not spell stand-in words (`MyS3cur3P@ssw0rd` under `secret_key`).
    if spells_weak_words(v) {
        return Err(Rejected::WeakPassword);
    }
    if char_classes(v).count() < 2 && !v.iter().all(u8::is_ascii_hexdigit) {
        return Err(Rejected::NotRandom);
    }
    let random_enough = |v: &[u8]| validate::shannon_entropy(v) >= entropy_floor(v, strength);
    // Only a name that says credential vouches for what follows a label: under a bare `key`,
    // `v1.<hex>` and `build-<hex>` are versions and ids.
    let label_vouched =
        || strength == Strength::Strong && after_label(v).is_some_and(random_enough);
    if !(random_enough(v) || label_vouched()) {
        return Err(Rejected::NotRandom);
    }
    Ok(())
}

/// The value after a short label joined to it by a separator (`v1.<hex>`, `<bot id>:<hex>`,
/// `live_<base62>`), to be judged on its own: the label's characters would make hex look like a
/// wider alphabet drawn with too little entropy. None unless more than 16 characters follow, the
/// label has two characters or more, names no digest algorithm (`sha256:<hex>` is a digest
/// however random) and, when it is a number, is followed by hex (`2024-05-06T12:34:56Z` is a
/// date, `_` and `-` also split dates and paths).
fn after_label(v: &[u8]) -> Option<&[u8]> {
    let p = v
        .iter()
        .position(|b| matches!(b, b'.' | b':' | b'_' | b'-'))?;
    let (label, rest) = (&v[..p], &v[p + 1..]);
    let digest = crate::engine::shape::DIGEST_LABELS
        .iter()
        .any(|d| label.eq_ignore_ascii_case(d));
    let number = label.iter().all(u8::is_ascii_digit);
    ((2..=12).contains(&p)
        && rest.len() > 16
        && !digest
        && (!number || rest.iter().all(u8::is_ascii_hexdigit)))
    .then_some(rest)
}

/// Whether a value reads as generated rather than as words or an identifier: the validators'
/// `looks_random`, except that a value without digits is judged by its letters, since a short
/// random value often has none (a 10-character base62 value in one case of six): mixed case
/// that does not split into words (`kQzRbWxTfP`, not `ExclusiveStartKey`), or one case with
/// few vowels (`xkqzvbnmwrtp`, not `webdavgeneratedpassword`).
fn looks_generated(v: &[u8]) -> bool {
    // Base64 of text (`c2VjcmV0LXRva2Vu`) is judged by the text: the validators do that.
    if let Some(text) = base64_text(v) {
        return validate::looks_random(&text);
    }
    // Words and a number (`dnacsolutions123`): the letters are judged as words.
    let letters_end = v
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let (letters, number) = v.split_at(letters_end);
    if !number.is_empty()
        && number.len() <= 4
        && letters.len() >= 8
        && letters.iter().all(u8::is_ascii_lowercase)
    {
        let vowels = letters.iter().filter(|b| b"aeiou".contains(b)).count();
        if vowels * 10 >= letters.len() * 3 {
            return false;
        }
    }
    if v.iter().any(u8::is_ascii_digit)
        || v.iter()
            .any(|b| !b.is_ascii_alphabetic() && !matches!(b, b'_' | b'-' | b'.' | b':'))
    {
        // The validators read many vowels as words; random mixed case is not words however
        // many vowels it drew (`quEa3BouacpLiWUb`).
        return validate::looks_random(v) || random_case(v);
    }
    if v.iter().any(|b| !b.is_ascii_alphabetic()) {
        // Words joined by separators: an identifier.
        return false;
    }
    let upper = v.iter().filter(|b| b.is_ascii_uppercase()).count();
    let vowels = v.iter().filter(|b| b"aeiouAEIOU".contains(b)).count();
    if upper > 0 && upper < v.len() {
        return !is_word_case(v);
    }
    vowels * 4 < v.len()
}

/// A generated value does not spell out what it is (`tokenEaCX…`, `…SECRETTOKENMARKER…`,
/// `base64string`): one that does is a stand-in or a test marker.
fn names_itself(v: &[u8]) -> bool {
    let lower = v.to_ascii_lowercase();
    [
        &b"secret"[..],
        b"token",
        b"password",
        b"passwd",
        b"apikey",
        b"api_key",
        b"marker",
        b"string",
        b"base64",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w).is_some())
}

/// Whether some run of letters mixes cases in a way words do not (`quEa`, `LiWUb`).
fn random_case(v: &[u8]) -> bool {
    v.split(|b| !b.is_ascii_alphabetic()).any(|run| {
        run.iter().any(u8::is_ascii_lowercase)
            && run.iter().any(u8::is_ascii_uppercase)
            && !is_word_case(run)
            && !(run.len() < 6 && run[1..].iter().all(u8::is_ascii_lowercase))
    })
}

/// The decoded bytes when `v` is canonical standard base64 of at least 9 bytes of printable
/// ASCII text (random base64 decodes to printable text with probability under 1e-4).
fn base64_text(v: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if v.len() < 12 || !v.len().is_multiple_of(4) {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(v).ok()?;
    // Nine printable bytes, or six of lowercase words (`a secret`).
    let printable = decoded.iter().all(|b| (0x20..0x7f).contains(b));
    let words = decoded
        .iter()
        .all(|b| b.is_ascii_lowercase() || *b == b' ' || *b == b'-');
    (printable && (decoded.len() >= 9 || (words && decoded.len() >= 6))).then_some(decoded)
}

/// `ExclusiveStartKey`, `myApiToken`: words that each start with a capital after the first,
/// each of 3+ letters (the first may have 2) and each with a vowel. Random mixed case splits
/// into short, vowel-less pieces (`kDfJeWq`).
fn is_word_case(v: &[u8]) -> bool {
    if v.len() < 6 || !v.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut starts: Vec<usize> = vec![0];
    for i in 1..v.len() {
        if v[i].is_ascii_uppercase() {
            if v[i - 1].is_ascii_uppercase() {
                return false;
            }
            starts.push(i);
        }
    }
    starts.push(v.len());
    starts.windows(2).enumerate().all(|(n, w)| {
        let word = &v[w[0]..w[1]];
        let min = if n == 0 { 2 } else { 3 };
        word.len() >= min && word.iter().any(|b| b"aeiouyAEIOUY".contains(b))
    })
}

/// The least entropy (bits per byte) a generated value of this length and alphabet has. A
/// random string of `n` symbols from an alphabet of `k` holds about `d = k(1 - (1 - 1/k)^n)`
/// distinct symbols, and its entropy is close to `log2(d)`; 0.7 bits below (capped at 4.0,
/// and 0.2 bits stricter for a weak name) keeps random values while rejecting typed patterns
/// (`abcdabcd1234`) and few-symbol strings. The alphabet is read from the value: hex, one
/// case and digits, both cases and digits, or with symbols.
pub fn entropy_floor(v: &[u8], strength: Strength) -> f64 {
    let c = char_classes(v);
    // Separators (a UUID's dashes, the one colon between two long parts: `<uuid>:<uuid>`) are
    // layout, not symbols drawn at random. Colons between short groups are a fingerprint's,
    // a MAC's or an IPv6 address's, all public.
    let two_parts = memchr::memchr_iter(b':', v).count() == 1
        && v.split(|&b| b == b':').all(|part| part.len() >= 8);
    let separator = |b: &u8| matches!(b, b'-' | b'_' | b'.') || (two_parts && *b == b':');
    let symbols = v.iter().filter(|b| !separator(b)).count();
    let k: f64 = if v.iter().all(|b| b.is_ascii_hexdigit() || separator(b)) {
        16.0
    } else if v
        .iter()
        .any(|b| !b.is_ascii_alphanumeric() && !separator(b))
    {
        80.0
    } else if c.lower && c.upper {
        62.0
    } else {
        36.0
    };
    let n = symbols as f64;
    let distinct = k * (1.0 - (1.0 - 1.0 / k).powf(n));
    let floor = (distinct.log2() - 0.7).min(4.0);
    match strength {
        Strength::Strong => floor,
        Strength::Weak => floor + 0.2,
    }
}

/// The password rule: a value a person chose.
pub fn password(v: &[u8], hash_name: bool) -> Result<(), Rejected> {
    password_in(v, hash_name, Setting::default())
}

fn password_in(v: &[u8], hash_name: bool, setting: Setting) -> Result<(), Rejected> {
    common(v, hash_name)?;
    if v.len() < 6 {
        return Err(Rejected::TooShort);
    }
    let app_password = is_grouped_app_password(v);
    if v.iter().any(|&b| b == b' ' || b == b'\t') && !app_password {
        // Labels and sentences (`Mot de passe`, `Enter your password`), not passwords.
        return Err(Rejected::Words);
    }
    if is_digest_shaped(v) && hash_name {
        return Err(Rejected::KnownHash);
    }
    let classes = char_classes(v);
    let lenient = setting.env_file && v.len() >= 8 && v.iter().all(u8::is_ascii_lowercase);
    if classes.count() < 2 && !lenient && !app_password && !is_random_letters(v) {
        // One class: a word (`whiteduke`, `Passwort` counts its capital as a word's), or only
        // digits or only symbols. An environment file holds no labels: a lowercase word of 8+
        // letters there is a password.
        return Err(Rejected::Words);
    }
    if is_weak_password(v) {
        return Err(Rejected::WeakPassword);
    }
    if validate::is_placeholder(v, &[]) {
        return Err(Rejected::Template);
    }
    if (reads_as_identifier(v) && !is_chosen_phrase(v))
        || (reads_as_words(v) && !has_inner_symbol(v))
    {
        // `db_password_value`, `smtpPassword`: a variable's name in a string;
        // `Mustbe8characters`: a sentence.
        return Err(Rejected::Words);
    }
    Ok(())
}

/// An app password: 16 random lowercase letters (`qmzrtwpkhvbnxeyd`), the form Google and
/// Apple issue to mail clients and scripts, which people paste under a password name. Only
/// that length: other runs of lowercase letters are mostly names (`smtprelaypwd`) or words.
/// Words run together keep a vowel every few letters (`thisismypassword`) and use the common
/// letters; random letters leave runs of four consonants and use the rare ones as often (the
/// unit test counts how many 16-letter draws pass). `y` counts as a vowel, as in English names.
fn is_random_letters(v: &[u8]) -> bool {
    if v.len() != 16 || !v.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let longest = longest_consonant_run(v);
    // English words draw four letters in five from its twelve most common ones (`etaoinshrdlu`),
    // even where consonants pile up (`strengthmeter`); uniform random letters about half.
    let common = v.iter().filter(|b| b"etaoinshrdlu".contains(b)).count();
    // Patterns people type as stand-ins (`aaaabbbbccccdddd`, `bcdfbcdfbcdfbcdf`): random
    // letters repeat few (fewer than 10 distinct of 16 in ~2.5% of draws) and seldom three in
    // a row (~2%).
    let mut seen = [false; 26];
    v.iter().for_each(|b| seen[usize::from(b - b'a')] = true);
    let distinct = seen.iter().filter(|&&s| s).count();
    let tripled = v.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    // A credential word inside is a name (`svcacctpwdkey`), not a draw (a chance three-letter
    // hit in 16 random letters is ~0.1% per word).
    let named = [
        &b"pwd"[..],
        b"pass",
        b"secret",
        b"token",
        b"key",
        b"usr",
        b"user",
        b"admin",
        b"root",
        b"login",
        b"auth",
    ]
    .iter()
    .any(|w| memchr::memmem::find(v, w).is_some());
    longest >= 4
        && common * 100 < v.len() * 65
        && distinct >= 10
        && !tripled
        && !named
        && !is_keyboard_mash(v)
}

/// An app password as the issuer displays it: four groups of four random lowercase letters
/// separated by spaces (Google: `qmzr twpk hvbn xeyd`) or hyphens (Apple: `qmzr-twpk-hvbn-xeyd`),
/// copied as shown.
fn is_grouped_app_password(v: &[u8]) -> bool {
    grouped_app_password_separator(v).is_some_and(|separator| {
        is_random_letters(
            &v.iter()
                .copied()
                .filter(|&b| b != separator)
                .collect::<Vec<u8>>(),
        )
    })
}

/// The separator of an app password's layout, whatever its letters: 19 bytes, four groups of
/// four lowercase letters split by the same space or hyphen. (The binding reader asks it to
/// read such a value whole; the classifier then judges the letters.)
pub(super) fn grouped_app_password_separator(v: &[u8]) -> Option<u8> {
    let separator = v.get(4).copied().filter(|&b| b == b' ' || b == b'-')?;
    (v.len() == 19
        && v.chunks(5).all(|g| {
            g[..4].iter().all(u8::is_ascii_lowercase) && g.get(4).is_none_or(|&b| b == separator)
        }))
    .then_some(separator)
}

/// A symbol between letters or digits (`Horse!battery`, `tea#Pot`): labels and messages end in
/// punctuation (`Required!`) or join words with dashes and dots; people put symbols in passwords.
fn has_inner_symbol(v: &[u8]) -> bool {
    v.len() > 2
        && v[1..v.len() - 1]
            .iter()
            .any(|b| b"!#$%&*+=?@^~|<>;,".contains(b))
}

/// Words joined in camel case and ended with digits, nothing else (`blueHorse77`): how people
/// make passwords they can remember. Code names seldom end in a number after two words.
fn is_chosen_phrase(v: &[u8]) -> bool {
    let digits = v.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let letters = &v[..v.len() - digits];
    (1..=4).contains(&digits)
        && letters.len() >= 6
        && letters.iter().all(u8::is_ascii_alphabetic)
        && letters.iter().skip(1).any(u8::is_ascii_uppercase)
}

/// Checks shared by every rule: the classes that reject whatever the name.
fn common(v: &[u8], hash_name: bool) -> Result<(), Rejected> {
    if v.len() > MAX_LEN {
        return Err(Rejected::TooLong);
    }
    if v.iter().any(|b| !(0x20..0x7f).contains(b)) {
        // Control bytes or non-ASCII: prose, binary, or a label in another language.
        return Err(Rejected::Words);
    }
    if is_template(v) {
        return Err(Rejected::Template);
    }
    if is_percent_encoded_text(v) {
        return Err(Rejected::Words);
    }
    if is_reference(v) || has_shell_variable(v) {
        return Err(Rejected::Reference);
    }
    if is_path(v) {
        return Err(Rejected::Path);
    }
    if is_code(v) || is_selector(v) {
        return Err(Rejected::Code);
    }
    if memchr::memmem::find(v, b"://").is_some() {
        return Err(Rejected::Url);
    }
    if is_scalar(v) {
        return Err(Rejected::Scalar);
    }
    if is_version(v) {
        return Err(Rejected::Version);
    }
    if is_crypt_hash(v) || (hash_name && is_digest_shaped(v)) {
        return Err(Rejected::KnownHash);
    }
    if is_public(v) {
        return Err(Rejected::Public);
    }
    if validate::is_placeholder(v, &[]) {
        return Err(Rejected::Template);
    }
    Ok(())
}

fn trim(v: &[u8]) -> (usize, usize) {
    let start = v
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    (start, end)
}

/// Character classes present: lowercase, uppercase (beyond a leading capital), digit, symbol
/// (separators `-_.` do not count: they join words).
#[derive(Default)]
struct Classes {
    lower: bool,
    upper: bool,
    digit: bool,
    symbol: bool,
}

impl Classes {
    fn count(&self) -> usize {
        [self.lower, self.upper, self.digit, self.symbol]
            .iter()
            .filter(|&&b| b)
            .count()
    }
}

fn char_classes(v: &[u8]) -> Classes {
    let mut c = Classes::default();
    for (i, &b) in v.iter().enumerate() {
        match b {
            b'a'..=b'z' => c.lower = true,
            b'A'..=b'Z' => c.upper |= i > 0,
            b'0'..=b'9' => c.digit = true,
            b'-' | b'_' | b'.' => {}
            _ => c.symbol = true,
        }
    }
    if !c.lower && v.first().is_some_and(u8::is_ascii_uppercase) {
        // ALLCAPS: its first letter is not a capitalised word's.
        c.upper = true;
    }
    c
}

/// Template syntaxes and stand-ins beyond the validators' placeholders: format directives,
/// indexed and named format fields, masked values.
fn is_template(v: &[u8]) -> bool {
    let has = |n: &[u8]| memchr::memmem::find(v, n).is_some();
    if has(b"${") || has(b"{{") || has(b"#{") || has(b"<%") || has(b"{%") || has(b"$(") {
        return true;
    }
    // printf and Python %-format directives: `%s`, `%(name)s`, `%d`.
    let percent = v
        .windows(2)
        .any(|w| w[0] == b'%' && matches!(w[1], b's' | b'd' | b'v' | b'(' | b'@' | b'q'));
    if percent {
        return true;
    }
    // `{0}`, `{}`, `{password}`: format fields.
    if let Some(open) = memchr::memchr(b'{', v)
        && let Some(close) = memchr::memchr(b'}', &v[open..])
    {
        let inner = &v[open + 1..open + close];
        if inner
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(b))
            && inner.len() < 40
        {
            return true;
        }
    }
    // `<password>`, `<YOUR TOKEN>` (also HTML-escaped: `&lt;password&gt;`); `{…}`: an
    // encrypted value (Maven's settings-security, Jenkins' credentials) or a template.
    if (v.first() == Some(&b'<') && v.last() == Some(&b'>'))
        || (v.first() == Some(&b'{') && v.last() == Some(&b'}'))
        || (v.starts_with(b"&lt;") && v.ends_with(b"&gt;"))
    {
        return true;
    }
    // Elided: `MIIJKAIBAAKCAgEA2Se7…`, `sk-…`, `AAAAB3…kN...seeF`.
    if memchr::memmem::find(v, b"...").is_some()
        || memchr::memmem::find(v, "…".as_bytes()).is_some()
    {
        return true;
    }
    // Hex words programmers use as stand-ins.
    let lower = v.to_ascii_lowercase();
    if [
        &b"deadbeef"[..],
        b"cafebabe",
        b"feedface",
        b"baadf00d",
        b"c0ffee",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w).is_some())
    {
        return true;
    }
    if is_keyboard_mash(&lower) {
        return true;
    }
    // Masks: `****`, `••••`, `xxxx-xxxx`.
    let masked = v
        .iter()
        .filter(|&&b| matches!(b, b'*' | b'x' | b'X' | b'#' | b'?' | b'.'))
        .count();
    masked * 2 >= v.len()
}

/// Letters typed across a keyboard row (`sdf0o9823sjdfsdf`, `qwe089234lkjsdf`): a person
/// filling in an example, not a generator. Either most letters come from the home row, or
/// two or more three-key runs along a row appear (random letters do either well under 1% of
/// the time).
fn is_keyboard_mash(lower: &[u8]) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let letters: Vec<u8> = lower
        .iter()
        .copied()
        .filter(u8::is_ascii_lowercase)
        .collect();
    if letters.len() >= 6 {
        let home = letters.iter().filter(|b| ROWS[1].contains(b)).count();
        if home * 10 >= letters.len() * 9 {
            return true;
        }
    }
    let runs = lower
        .windows(3)
        .filter(|w| {
            ROWS.iter().any(|row| {
                row.windows(3)
                    .any(|r| r == *w || (r[0] == w[2] && r[1] == w[1] && r[2] == w[0]))
            })
        })
        .count();
    runs >= 2
}

/// Text written with percent escapes (`%c3%a9t%c3%a9`, `%20!%22`, `%00%01`) that decodes to
/// spaces, control bytes or non-ASCII letters: a test of URL encoding, not a credential. Two
/// escapes or more, at least a third of the value.
fn is_percent_encoded_text(v: &[u8]) -> bool {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut escapes = 0;
    let mut odd = false;
    let mut i = 0;
    while i + 2 < v.len() {
        if v[i] == b'%'
            && let (Some(h), Some(l)) = (hex(v[i + 1]), hex(v[i + 2]))
        {
            let byte = h * 16 + l;
            escapes += 1;
            odd |= !(0x21..0x7f).contains(&byte);
            i += 3;
        } else {
            i += 1;
        }
    }
    // Escapes (three bytes each) make up a third of the value.
    odd && escapes >= 2 && escapes * 9 >= v.len()
}

/// Names of values held elsewhere: shell and Windows variables, environment and settings
/// lookups, bind parameters, cloud secret references.
fn is_reference(v: &[u8]) -> bool {
    let lower_starts = |p: &[u8]| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    let ident = |s: &[u8]| {
        !s.is_empty()
            && !s[0].is_ascii_digit()
            && s.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    // $VAR, $env:VAR, %VAR%, !VAR!, :name, @Name, !Ref
    if let Some((&first, rest)) = v.split_first() {
        if first == b'$'
            && (ident(rest) || lower_starts(b"$env:") || rest.split(|&b| b == b'.').all(ident))
        {
            return true;
        }
        if matches!(first, b':' | b'@' | b'!') && ident(rest) {
            return true;
        }
        // `?InterpolationInJSX`: a name marked as optional or as a grammar's symbol.
        if first == b'?' && ident(rest) && (reads_as_identifier(rest) || is_word_case(rest)) {
            return true;
        }
        // `%VAR%`, and cmd's delayed expansion `!VAR!` (batch files).
        if matches!(first, b'%' | b'!')
            && v.len() > 2
            && v.last() == Some(&first)
            && ident(&v[1..v.len() - 1])
        {
            return true;
        }
    }
    for prefix in [
        &b"env:"[..],
        b"env.",
        b"process.env",
        b"os.environ",
        b"os.getenv",
        b"system.getenv",
        b"import.meta.env",
        b"config.",
        b"settings.",
        b"secrets.",
        b"vault:",
        b"ssm:",
        b"arn:aws:",
        b"arn:aws-",
        b"op://",
        b"sm://",
        b"ref+",
        b"projects/",
        b"file:",
        b"keyvault",
        b"@microsoft.keyvault",
    ] {
        if lower_starts(prefix) {
            return true;
        }
    }
    // `settings.API_KEY`, `cfg.auth.token`: a dotted chain of identifiers made of words.
    let wordy = |s: &[u8]| {
        ident(s)
            && (!s.iter().any(u8::is_ascii_uppercase)
                || !s.iter().any(u8::is_ascii_lowercase)
                || is_word_case(s))
    };
    v.contains(&b'.') && v.split(|&b| b == b'.').all(wordy) && !v.iter().any(u8::is_ascii_digit)
}

/// A shell variable spliced into the value (`'$DB_PASSWORD'`, `x${Y}`): `$` followed by an
/// upper-case name of 3+ characters that ends there. (A generated value holds `$` and capitals
/// by chance, but rarely three capitals and then a non-letter.)
fn has_shell_variable(v: &[u8]) -> bool {
    memchr::memchr_iter(b'$', v).any(|i| {
        let name = &v[i + 1..];
        let len = name
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || **b == b'_' || b.is_ascii_digit())
            .count();
        len >= 3
            && name[0].is_ascii_uppercase()
            && name.get(len).is_none_or(|b| !b.is_ascii_alphanumeric())
            && name[..len]
                .iter()
                .filter(|b| b.is_ascii_uppercase())
                .count()
                >= 3
    })
}

/// A CSS selector or a DOM id (`#add-password`, `.token-field`): a name, not a value.
fn is_selector(v: &[u8]) -> bool {
    matches!(v.first(), Some(b'#' | b'.'))
        && v.len() > 1
        && v[1].is_ascii_alphabetic()
        && v[1..]
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
}

/// `bgp_md5_auth_key`: a variable's name, written where code stands.
fn is_snake_name(v: &[u8]) -> bool {
    v.contains(&b'_')
        && v.first()
            .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        && v.iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
}

/// A name or names joined by dots (`accessKeyId`, `e.accessKeyId`).
fn is_chain(v: &[u8]) -> bool {
    let ident = |p: &[u8]| {
        !p.is_empty()
            && (p[0].is_ascii_alphabetic() || p[0] == b'_' || p[0] == b'$')
            && p.iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$'))
    };
    v.split(|&b| b == b'.').all(ident)
}

/// `x25519.X25519PrivateKey`, `self.api_key`: names joined by dots.
fn is_name_chain(v: &[u8]) -> bool {
    let mut parts = 0;
    let all = v.split(|&b| b == b'.').all(|p| {
        parts += 1;
        // `a?.b`, `a!.b`: optional chaining and non-null assertions.
        let p = p
            .strip_suffix(b"?")
            .or_else(|| p.strip_suffix(b"!"))
            .unwrap_or(p);
        p.len() >= 2
            && (p[0].is_ascii_alphabetic() || p[0] == b'_')
            && p.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    });
    all && parts >= 2
}

/// Whether the `==` at `i` is the padding of a base64 part that a separator joins to the next
/// part (`<base64>==:<secret>`): exactly two `=`, then `:`, `.`, `|`, `,` or `;`, after a run of
/// base64 characters whose length padding makes a multiple of four. An operator has an operand
/// right after it (`x==y`, `a===b`).
fn ends_base64_part(v: &[u8], i: usize) -> bool {
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    let part = v[..i].iter().rev().take_while(|b| is_b64(b)).count();
    part >= 6
        && part % 4 == 2
        && v.get(i + 2)
            .is_some_and(|b| matches!(b, b':' | b'.' | b'|' | b',' | b';'))
        && v.get(i + 3).is_some_and(|b| b.is_ascii_alphanumeric())
}

/// Expressions rather than literals: calls, operators between words.
fn is_code(v: &[u8]) -> bool {
    // A reference or a pointer in code: `&NSWorkspaceAuthorization`, `**out_token`.
    let deref = v.iter().take_while(|b| matches!(b, b'&' | b'*')).count();
    if deref > 0 {
        let rest = &v[deref..];
        let name = rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let type_name = rest.first().is_some_and(u8::is_ascii_uppercase)
            && rest.iter().all(u8::is_ascii_alphabetic);
        if name && (reads_as_identifier(rest) || rest.contains(&b'_') || type_name) {
            return true;
        }
    }
    // A value that starts or ends with a quote is a splice of several strings.
    if matches!(v.first(), Some(b'\'' | b'"')) || matches!(v.last(), Some(b'\'' | b'"')) {
        return true;
    }
    let has = |n: &[u8]| memchr::memmem::find(v, n).is_some();
    // The code between two strings, read as one (`"…"+e.accessKeyId+"…"`): a name chain
    // joined to its neighbours by `+`.
    if v.len() > 2 && v[0] == b'+' && v[v.len() - 1] == b'+' && {
        let inner = &v[1..v.len() - 1];
        is_chain(inner) && (inner.contains(&b'.') || reads_as_identifier(inner))
    } {
        return true;
    }
    // A comparison (`d===t?a:b`, `x==y`): base64 pads with `=` only at the end of what it
    // encodes, which may be one part of a composite credential (Tableau's `<base64>==:<secret>`).
    if memchr::memmem::find_iter(v, b"==")
        .any(|i| v[i..].iter().any(|b| b.is_ascii_alphanumeric()) && !ends_base64_part(v, i))
    {
        return true;
    }
    // Optional chaining and non-null assertions between names
    // (`options.customerKey?.encryptionKeySha256`, `config!.token`): an expression.
    if (has(b"?.") || has(b"!.")) && is_name_chain(v) {
        return true;
    }
    if has(b" + ") || has(b" || ") || has(b" && ") || has(b"=>") || has(b"->") || has(b"::") {
        return true;
    }
    // A regular expression: character classes and escapes (`[^\W\d]\w*`, `[-!#$%&…]+`).
    let has = |n: &[u8]| memchr::memmem::find(v, n).is_some();
    if (v.contains(&b'[') && (has(b"]+") || has(b"]*") || has(b"a-z") || has(b"0-9") || has(b"[^")))
        || has(b"\\w")
        || has(b"\\d")
        || has(b"\\s")
    {
        return true;
    }
    // Only a value with brackets pays for the test (the two rules below are about brackets).
    let drawn = v
        .iter()
        .any(|b| matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}'))
        && is_printable_draw(v);
    // Syntax rather than data: three or more brackets and braces.
    if !drawn
        && v.iter()
            .filter(|b| matches!(b, b'(' | b')' | b'{' | b'}'))
            .count()
            >= 3
    {
        return true;
    }
    // Markup: `value.</p>`, `<b>`.
    if memchr::memmem::find(v, b"</").is_some() || memchr::memmem::find(v, b"/>").is_some() {
        return true;
    }
    // Brackets of code: `proto.Field(`, `Annotated[`, `get(key)`.
    if !drawn
        && v.iter().any(|b| matches!(b, b'(' | b')' | b'[' | b']'))
        && v.iter().filter(|b| b.is_ascii_alphabetic()).count() * 2 > v.len()
    {
        return true;
    }
    // `name(` after an identifier, closed later: a call.
    if let Some(open) = memchr::memchr(b'(', v)
        && open > 0
        && (v[open - 1].is_ascii_alphanumeric() || v[open - 1] == b'_')
        && v.last() == Some(&b')')
    {
        return true;
    }
    v.starts_with(b"new ") || v.starts_with(b"function") || v.starts_with(b"lambda")
}

/// Generated from every printable character (`Tw]MB&@fD*Df.*S7RMs[Vng`, a JWT signing secret,
/// a password manager's): brackets fall where the draw put them, and no run of its letters
/// reads as a word. Code names things (`proto.Field(`, `get(key)`) and seldom uses every
/// character class (`get_from_dict_or_env(` has no capital or digit).
fn is_printable_draw(v: &[u8]) -> bool {
    if v.len() < 20
        || char_classes(v).count() < 4
        || validate::shannon_entropy(v) < entropy_floor(v, Strength::Strong)
    {
        return false;
    }
    // Words split at case changes too: `RSAPrivateKey` names `Private`, a draw's `oZAgiGfV`
    // splits into pieces too short to read.
    let mut worded = false;
    for_each_segment(v, |seg| {
        worded |= seg.len() >= 5 && seg[0].is_ascii_alphabetic() && reads_as_word(seg);
    });
    !worded
}

/// File system paths: absolute, relative, home, Windows, globs; or a name with a key-file
/// extension.
fn is_path(v: &[u8]) -> bool {
    let has = |n: &[u8]| memchr::memmem::find(v, n).is_some();
    if has(b"**/") || has(b"/**") || has(b"/*.") || v.starts_with(b"*.") {
        return true;
    }
    if v.starts_with(b"/")
        || v.starts_with(b"./")
        || v.starts_with(b"../")
        || v.starts_with(b"~/")
        || v.starts_with(b"\\\\")
    {
        // A base64 value may start with `/`; a path has more than one component or a dot.
        let slashes = v.iter().filter(|&&b| b == b'/').count();
        let random_b64 = v.iter().any(|&b| b == b'+' || b == b'=');
        return !random_b64 && (slashes >= 2 || v.contains(&b'.'));
    }
    if v.len() > 2 && v[0].is_ascii_alphabetic() && v[1] == b':' && matches!(v[2], b'\\' | b'/') {
        return true;
    }
    if is_word_path(v) {
        return true;
    }
    let Some(dot) = memchr::memrchr(b'.', v) else {
        return false;
    };
    let ext = &v[dot + 1..];
    // A name under a directory with any short extension (`<id>/<id>.counts.tsv.gz`, an
    // object's key): base64 holds slashes but no dots.
    if memchr::memchr(b'/', &v[..dot]).is_some()
        && (1..=4).contains(&ext.len())
        && ext
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && ext.iter().any(u8::is_ascii_lowercase)
        && !v.iter().any(|b| matches!(b, b'+' | b'=' | b' '))
    {
        return true;
    }
    let known = [
        &b"pem"[..],
        b"key",
        b"json",
        b"txt",
        b"p12",
        b"pfx",
        b"jks",
        b"keystore",
        b"crt",
        b"cer",
        b"der",
        b"env",
        b"yaml",
        b"yml",
        b"ini",
        b"conf",
        b"cfg",
        b"properties",
        b"xml",
        b"toml",
        b"gpg",
        b"asc",
        b"pub",
        b"ppk",
        b"kdbx",
        b"secret",
        b"secrets",
        b"token",
        b"html",
        b"js",
        b"py",
        b"rb",
        b"sh",
        b"csv",
        b"log",
        b"db",
        b"sqlite",
        b"png",
        b"svg",
    ];
    known.iter().any(|k| ext.eq_ignore_ascii_case(k))
        && v[..dot]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./\\".contains(b))
}

/// Names, dates and numbers joined by slashes, also percent-encoded (`AKID/20240131/eu-west-1/
/// s3/aws4_request`, a signature's credential scope; `team/project/main`): a scope or a
/// path, not a secret. Random base64 holds slashes too, but between runs of mixed case.
fn is_word_path(v: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i..].len() >= 3 && v[i] == b'%' && v[i + 1] == b'2' && matches!(v[i + 2], b'F' | b'f')
        {
            decoded.push(b'/');
            i += 3;
        } else {
            decoded.push(v[i]);
            i += 1;
        }
    }
    let parts: Vec<&[u8]> = decoded.split(|&b| b == b'/').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && !(p.iter().any(u8::is_ascii_lowercase) && p.iter().any(u8::is_ascii_uppercase))
        })
        && parts
            .iter()
            .any(|p| p.len() >= 3 && reads_as_lower_words(p))
}

/// `1.2.3`, `v2.0.0-rc.1`, `2024-01-31`.
fn is_version(v: &[u8]) -> bool {
    let body = v.strip_prefix(b"v").unwrap_or(v);
    let core_end = body
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(body.len());
    let core = &body[..core_end];
    let dotted = core.first().is_some_and(u8::is_ascii_digit)
        && core.iter().filter(|&&b| b == b'.').count() >= 1
        && !core.ends_with(b".");
    if dotted && (core_end == body.len() || matches!(body[core_end], b'-' | b'+')) {
        return true;
    }
    // Dates and times.
    v.len() <= 25
        && v.first().is_some_and(u8::is_ascii_digit)
        && v.iter()
            .all(|b| b.is_ascii_digit() || b"-:T.Z+ ".contains(b))
}

/// Booleans, null, numbers, and the words configuration files use for them.
fn is_scalar(v: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"true",
        b"false",
        b"yes",
        b"no",
        b"on",
        b"off",
        b"null",
        b"nil",
        b"none",
        b"undefined",
        b"empty",
        b"n/a",
        b"na",
        b"disabled",
        b"enabled",
        b"required",
        b"optional",
        b"unset",
        b"blank",
        b"auto",
    ];
    if WORDS.iter().any(|w| v.eq_ignore_ascii_case(w)) {
        return true;
    }
    // `0x0B96`, `0x5632…`: a number or a byte string written in hex.
    if (v.starts_with(b"0x") || v.starts_with(b"0X"))
        && v.len() > 2
        && v[2..].iter().all(u8::is_ascii_hexdigit)
    {
        return true;
    }
    v.iter()
        .all(|b| b.is_ascii_digit() || b"-+._eE".contains(b))
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().filter(|&&b| b == b'.').count() <= 1
}

/// Password hashes in the crypt formats and LDAP schemes (also as an htpasswd line's
/// `user:hash`), and OpenSSL's salted ciphertext (`U2FsdGVkX1…`, base64 of `Salted__`):
/// derived values, not credentials.
fn is_crypt_hash(v: &[u8]) -> bool {
    if v.starts_with(b"U2FsdGVkX1") {
        return true;
    }
    if let Some(colon) = memchr::memchr(b':', v)
        && colon > 0
        && v[colon + 1..].first() == Some(&b'$')
        && is_crypt_hash(&v[colon + 1..])
    {
        return true;
    }
    let starts = |p: &[u8]| v.len() > p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    [
        &b"$2a$"[..],
        b"$2b$",
        b"$2y$",
        b"$2x$",
        b"$1$",
        b"$5$",
        b"$6$",
        b"$y$",
        b"$7$",
        b"$8$",
        b"$apr1$",
        b"$argon2",
        b"$scrypt$",
        b"$pbkdf2",
        b"$sha1$",
        b"$md5",
        b"$krb5",
        b"pbkdf2_sha",
        b"pbkdf2:sha",
        b"bcrypt$",
        b"argon2$",
        b"scrypt:",
        b"sha1$",
        b"{ssha}",
        b"{sha}",
        b"{ssha256}",
        b"{ssha512}",
        b"{crypt}",
        b"{bcrypt}",
        b"{md5}",
        b"{pbkdf2}",
        b"{noop}",
        b"{sha256}",
        b"$9$",
    ]
    .iter()
    .any(|p| starts(p))
}

/// A hex digest (MD5, SHA-1, SHA-256, SHA-512) or standard base64 of 32 or 64 bytes.
fn is_digest_shaped(v: &[u8]) -> bool {
    let hex = v.iter().all(u8::is_ascii_hexdigit);
    (hex && matches!(v.len(), 32 | 40 | 56 | 64 | 96 | 128))
        || (matches!(v.len(), 44 | 88) && v.ends_with(b"="))
}

/// Values published by design: public keys and certificates, publishable keys.
fn is_public(v: &[u8]) -> bool {
    [
        &b"ssh-rsa "[..],
        b"ssh-ed25519 ",
        b"ssh-dss ",
        b"ecdsa-sha2-",
        b"sk-ssh-",
        b"-----BEGIN PUBLIC KEY",
        b"-----BEGIN RSA PUBLIC KEY",
        b"-----BEGIN CERTIFICATE",
        b"-----BEGIN PGP PUBLIC KEY",
        b"pk_live_",
        b"pk_test_",
        // The base64 body of an SSH public key (`ssh-rsa`, `ssh-ed25519`, `ecdsa-sha2-…`).
        b"AAAAB3NzaC1",
        b"AAAAC3NzaC1",
        b"AAAAE2VjZHNh",
        b"pk.eyJ",
        b"npub1",
        b"xpub",
        b"sb_publishable_",
    ]
    .iter()
    .any(|p| v.starts_with(p))
        || (v.starts_with(b"age1") && v.len() == 62)
        || is_uncompressed_ec_point(v)
}

/// An uncompressed elliptic-curve public point (`0x04`, then X and Y): a P-256 public key as
/// web push publishes its application server key (87 characters of base64url starting with
/// `B`) or as hex (`04…`, 130 digits). A private scalar is 32 bytes and never has this shape.
fn is_uncompressed_ec_point(v: &[u8]) -> bool {
    use base64::Engine as _;
    if v.len() == 130 && v.starts_with(b"04") && v.iter().all(u8::is_ascii_hexdigit) {
        return true;
    }
    if !matches!(v.len(), 87 | 88) || v[0] != b'B' {
        return false;
    }
    let body = v.strip_suffix(b"=").unwrap_or(v);
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(body));
    decoded.is_ok_and(|d| d.len() == 65 && d[0] == 0x04)
}

/// A word set in markup or punctuation (`<|video|>`, `[MASK]`, `]<]image[>[`): a
/// vocabulary's special token or a marker, not a generated value. No digits, and every run of
/// letters is a word in one case (random symbols and letters mix cases and digits, and
/// rarely draw a run of three letters or more that reads as a word).
fn is_marked_word(v: &[u8]) -> bool {
    if v.iter().any(u8::is_ascii_digit) || !v.iter().any(|b| !b.is_ascii_alphanumeric()) {
        return false;
    }
    let mut runs = v
        .split(|b| !b.is_ascii_alphabetic())
        .filter(|r| !r.is_empty())
        .peekable();
    runs.peek().is_some() && runs.all(|r| r.len() >= 3 && reads_as_word(r))
}

/// One word in one case (`video`, `MASK`, `Start`): a vowel in every four letters, no more
/// than three consonants in a row.
fn reads_as_word(r: &[u8]) -> bool {
    let one_case =
        r[1..].iter().all(u8::is_ascii_lowercase) || r.iter().all(u8::is_ascii_uppercase);
    let lower: Vec<u8> = r.iter().map(u8::to_ascii_lowercase).collect();
    let vowels = lower.iter().filter(|b| is_vowel(b)).count();
    one_case && vowels > 0 && vowels * 4 >= lower.len() && longest_consonant_run(&lower) <= 3
}

/// `aeiouy`, lower case: `y` counts, as in English names.
fn is_vowel(b: &u8) -> bool {
    b"aeiouy".contains(b)
}

/// The most consonants in a row among lowercase letters (`strength`: 4).
fn longest_consonant_run(lower: &[u8]) -> usize {
    let mut run = 0;
    let mut longest = 0;
    for b in lower {
        run = if is_vowel(b) { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    longest
}

/// A lowercase name or header (`l7policies`, `x-sdk-sha256`, `user-data`): lowercase letters,
/// few digits and separators, and most letters in runs that read as words or abbreviations.
/// A random lowercase value holds more digits or runs that read as no word.
fn reads_as_lower_words(v: &[u8]) -> bool {
    if !v
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
    {
        return false;
    }
    let digits = v.iter().filter(|b| b.is_ascii_digit()).count();
    let letters = v.iter().filter(|b| b.is_ascii_lowercase()).count();
    if digits > 3 || digits * 4 > v.len() || letters < 4 {
        return false;
    }
    // Single letters (`x-`, `l7`) are prefixes and variants, neither words nor noise.
    let runs = || v.split(|b| !b.is_ascii_lowercase()).filter(|r| r.len() > 1);
    let letters: usize = runs().map(<[u8]>::len).sum();
    let wordy: usize = runs()
        .filter(|r| ABBREVIATIONS.contains(r) || (r.len() >= 3 && reads_as_word(r)))
        .map(<[u8]>::len)
        .sum();
    letters > 0 && wordy * 10 >= letters * 7
}

/// Whether the letters of a value, digits aside, read as a run of English words: ten or more,
/// a third of them vowels, no more than three consonants in a row (`Mustbe8characters`).
fn reads_as_words(v: &[u8]) -> bool {
    let letters: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    // Words are written in lower case (a capital may start them); random letters mix cases.
    let capitals = v.iter().skip(1).filter(|b| b.is_ascii_uppercase()).count();
    if letters.len() < 10
        || capitals > 0
        || v.iter().filter(|b| !b.is_ascii_alphanumeric()).count() > 1
    {
        return false;
    }
    let vowels = letters.iter().filter(|b| is_vowel(b)).count();
    vowels * 3 >= letters.len() && longest_consonant_run(&letters) <= 3
}

/// Abbreviations without a vowel that code names are made of (`allowedHttpMethods`).
const ABBREVIATIONS: &[&[u8]] = &[
    b"http", b"https", b"html", b"xhtml", b"smtp", b"sftp", b"ftps", b"pswd", b"grpc", b"lstm",
    b"pwd", b"src", b"dst", b"cfg", b"ctx", b"msg", b"pkg", b"std", b"cmd", b"mgr", b"svc", b"btn",
    b"img", b"nav", b"sdk", b"rpc", b"www", b"sql", b"xml", b"png", b"svg", b"pdf", b"css", b"rgb",
    b"gpu", b"cpu", b"tcp", b"udp", b"dns", b"ssh", b"ssl", b"tls", b"jwt", b"kms", b"fn", b"db",
    b"js", b"ts", b"px", b"vm", b"fs", b"bg", b"fg", b"sha", b"crc",
];

/// Whether a value is a name as code writes names: words and abbreviations in any case style,
/// with few digits (`CFStringRef`, `Mesh2dPipelineKey`, `thisIsMyToken`, `YUAN2_API_KEY`,
/// `auth/weak-password`, `CHAP-Password`). A random value splits into short pieces, many
/// without a vowel, and holds more digits: base62 of 16 characters reads as a name about
/// 3% of the time, hex almost never (the unit tests measure it).
pub fn reads_as_identifier(v: &[u8]) -> bool {
    if v.is_empty()
        || !v
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:$@=\\".contains(b))
    {
        return false;
    }
    // Names are made of words: joined by separators or case changes. One run of a single case
    // (`kct2ixyoxwud`) is judged by the other rules.
    let joined = v.iter().any(|b| b"_-./:=\\".contains(b))
        || v.windows(2).any(|w| {
            (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase()
        });
    if !joined {
        return false;
    }
    let (mut letter_segments, mut letters, mut digit_groups, mut digits) = (0, 0, 0, 0);
    let mut abbreviations = 0;
    let mut ok = true;
    for_each_segment(v, |seg| {
        if seg[0].is_ascii_digit() {
            digit_groups += 1;
            digits += seg.len();
            return;
        }
        letter_segments += 1;
        letters += seg.len();
        let lower: Vec<u8> = seg.iter().map(u8::to_ascii_lowercase).collect();
        let acronym = seg.iter().all(u8::is_ascii_uppercase) && seg.len() <= 4;
        if acronym || ABBREVIATIONS.contains(&lower.as_slice()) {
            return;
        }
        let vowels = lower.iter().filter(|b| is_vowel(b)).count();
        if vowels == 0 {
            if seg.len() <= 3 {
                abbreviations += 1;
            } else {
                ok = false;
            }
            return;
        }
        if longest_consonant_run(&lower) >= 6 {
            ok = false;
        }
        if seg.len() >= 8 && vowels * 4 < seg.len() {
            ok = false;
        }
    });
    ok && letter_segments > 0
        && letters >= 4
        // Few digits: one group (`Mesh2dPipelineKey`), or version-like groups between words
        // (`ring_core_0_17_14__aes_set_encrypt_key`).
        && (digit_groups <= 1 && digits <= 3
            || letter_segments >= 3 && digit_groups * 2 <= letter_segments)
        && digits * 4 <= v.len()
        && letters >= 3 * letter_segments
        && abbreviations <= 1.max(letter_segments / 3)
}

/// Calls `f` with each segment of a value: runs of letters or of digits, split at separators,
/// at letter/digit changes and at case changes (`aB`, and `ABc` before the `B`).
fn for_each_segment(v: &[u8], mut f: impl FnMut(&[u8])) {
    let mut start: Option<usize> = None;
    for i in 0..v.len() {
        let b = v[i];
        if !b.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                f(&v[s..i]);
            }
            continue;
        }
        if let Some(s) = start {
            let p = v[i - 1];
            let next_lower = v.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let boundary = p.is_ascii_digit() != b.is_ascii_digit()
                || (p.is_ascii_lowercase() && b.is_ascii_uppercase())
                || (p.is_ascii_uppercase() && b.is_ascii_uppercase() && next_lower);
            if boundary {
                f(&v[s..i]);
                start = Some(i);
            }
        } else {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        f(&v[s..]);
    }
}

/// Words a weak or stand-in password is made of; a password that is nothing but these (after
/// undoing l33t spelling and dropping digits and symbols) is a default, a test value or the
/// name restated.
const WEAK_WORDS: &[&str] = &[
    "password",
    "passwort",
    "passwd",
    "pass",
    "pwd",
    "pw",
    "secret",
    "secrets",
    "admin",
    "administrator",
    "root",
    "toor",
    "user",
    "username",
    "login",
    "test",
    "tester",
    "testing",
    "demo",
    "sample",
    "example",
    "default",
    "guest",
    "changeme",
    "change",
    // The JDK's documented default keystore password (`cacerts`).
    "changeit",
    // Oracle's demo schema `scott` / `tiger`, in every tutorial.
    "scott",
    "tiger",
    "me",
    "letmein",
    "let",
    "in",
    "welcome",
    "qwerty",
    "qwertz",
    "azerty",
    "asdf",
    "zxcv",
    "abc",
    "abcd",
    "xyz",
    "foo",
    "bar",
    "baz",
    "qux",
    "foobar",
    "hunter",
    "dragon",
    "monkey",
    "master",
    "hello",
    "world",
    "my",
    "your",
    "our",
    "the",
    "super",
    "top",
    "very",
    "db",
    "database",
    "mysql",
    "postgres",
    "postgresql",
    "pg",
    "redis",
    "mongo",
    "mongodb",
    "sql",
    "oracle",
    "sa",
    "dev",
    "prod",
    "local",
    "localhost",
    "app",
    "web",
    "api",
    "service",
    "token",
    "key",
    "dummy",
    "fake",
    "mock",
    "temp",
    "tmp",
    "open",
    "sesame",
    "iloveyou",
    "love",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "trustno",
    "none",
    "null",
    "empty",
    "blank",
    "nopass",
    "whatever",
    "anything",
    "something",
    "thing",
    "stuff",
    "this",
    "is",
    "a",
    "it",
    "not",
    "real",
    "x",
    "y",
    "z",
    "s",
    "p",
    "pa",
    "ss",
    "wd",
    "word",
    "hidden",
    "private",
    "access",
    "auth",
    "mypass",
    "system",
    "manager",
    "operator",
    "support",
    "info",
    "contact",
    "server",
    "client",
    "host",
    "docker",
    "jenkins",
    "git",
    "ftp",
    "smtp",
    "mail",
    "email",
    "rabbit",
    "rabbitmq",
    "elastic",
    "kibana",
    "grafana",
    "postgre",
    "sys",
    "system",
    "lorem",
    "ipsum",
    "foo",
    "passw",
    "ord",
    "secure",
    "strong",
    "complex",
    "new",
    "mysecure",
    "mystrong",
];

/// Undoes l33t spelling and keeps only the letters, lowercased; `!` and `|` read as `i` only
/// when `bang` (a trailing `!` is more often punctuation).
fn letters(v: &[u8], bang: bool) -> Vec<u8> {
    v.iter()
        .filter_map(|&b| match b {
            b'@' | b'4' => Some(b'a'),
            b'3' => Some(b'e'),
            b'1' => Some(b'i'),
            b'!' | b'|' if bang => Some(b'i'),
            b'0' => Some(b'o'),
            b'$' | b'5' => Some(b's'),
            b'7' | b'+' => Some(b't'),
            _ if b.is_ascii_alphabetic() => Some(b.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// A default or stand-in password: only weak words (see `WEAK_WORDS`), l33t spelling undone,
/// digits and symbols dropped; or nothing but digits and symbols.
pub fn is_weak_password(v: &[u8]) -> bool {
    if !v.iter().any(u8::is_ascii_alphabetic) || spells_weak_words(v) {
        return true;
    }
    // A short value named after what it stands for (`h2pass`, `dbpass1`, `mypwd`, `secret42`):
    // two letters or fewer besides the word (`Bypass#92x`, `Compass!7q` are passwords).
    if v.len() <= 10 {
        let lower = v.to_ascii_lowercase();
        let letters = lower.iter().filter(|b| b.is_ascii_lowercase()).count();
        if [&b"pass"[..], b"pwd", b"secret"]
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some() && letters <= w.len() + 2)
        {
            return true;
        }
    }
    let letters_only: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    if made_of_weak_words(&letters(v, false)) || made_of_weak_words(&letters_only) {
        return true;
    }
    // A word and a run of digits typed in sequence (`netapp123`, `Lablab#1234`, `1q2w3e`).
    let digits: Vec<u8> = v.iter().copied().filter(u8::is_ascii_digit).collect();
    digits.len() >= 3
        && digits.len() <= 4
        && (digits.windows(2).all(|p| p[1] == p[0] + 1)
            || digits.windows(2).all(|p| p[0] == p[1] + 1))
}

/// Whether a value, l33t spelling undone and digits dropped, is made of stand-in words or
/// holds a long one (`P@ssw0rd`, `mysecretpassword`, `TMEadm!n123`).
fn spells_weak_words(v: &[u8]) -> bool {
    let plain = letters(v, true);
    // Short runs of letters split into one- and two-letter stand-ins by chance (hex's `adb`).
    if plain.len() < 6 {
        return false;
    }
    if made_of_weak_words(&letters(v, false)) {
        return true;
    }
    // The same with digits dropped instead of read as letters (`admin123`, `hunter2`).
    let letters_only: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    if made_of_weak_words(&plain) || made_of_weak_words(&letters_only) {
        return true;
    }
    // A long stand-in word anywhere (`myreallysecurepassword1!`, `TMEadm!n123`).
    const INSIDE: &[&[u8]] = &[
        b"password",
        b"passwort",
        b"passwd",
        b"changeme",
        b"letmein",
        b"welcome",
        b"qwerty",
        b"admin",
        b"secret",
        b"example",
        b"sample",
    ];
    INSIDE.iter().any(|w| {
        memchr::memmem::find(&plain, w).is_some()
            || memchr::memmem::find(&letters_only, w).is_some()
    })
}

/// Whether `s` splits entirely into `WEAK_WORDS` (dynamic programming over prefixes).
fn made_of_weak_words(s: &[u8]) -> bool {
    if s.is_empty() || s.len() > 64 {
        return s.is_empty();
    }
    let mut ok = vec![false; s.len() + 1];
    ok[0] = true;
    for end in 1..=s.len() {
        ok[end] = WEAK_WORDS.iter().any(|w| {
            let w = w.as_bytes();
            w.len() <= end && ok[end - w.len()] && &s[end - w.len()..end] == w
        });
    }
    ok[s.len()]
}

/// An `Authorization` value's scheme (`Basic`, `Bearer`, `token` …) and the credential's range.
pub fn split_scheme(v: &[u8]) -> (Option<&[u8]>, Range<usize>) {
    let word_end = v
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
        .unwrap_or(v.len());
    // Up to 24 characters: vendors name their schemes (`Klaviyo-API-Key`, `DeepL-Auth-Key`).
    if word_end > 0 && word_end < v.len() && v[word_end] == b' ' && word_end <= 24 {
        let rest = word_end
            + v[word_end..]
                .iter()
                .position(|&b| b != b' ')
                .unwrap_or(v.len() - word_end);
        return (Some(&v[..word_end]), rest..v.len());
    }
    (None, 0..v.len())
}

/// `Basic` credentials: base64 of `user:password` with a password that passes the password
/// rule.
pub fn basic(b64: &[u8]) -> Result<(), Rejected> {
    use base64::Engine as _;
    common(b64, false)?;
    if b64.len() < 8 {
        return Err(Rejected::TooShort);
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(b64))
    else {
        // Not valid base64 (a typo, a truncation): it can only be judged as a random value.
        return if b64.len() >= 16 {
            random(b64, Strength::Strong, false)
        } else {
            Err(Rejected::NotRandom)
        };
    };
    let colon = memchr::memchr(b':', &decoded).ok_or(Rejected::NotRandom)?;
    let (user, pass) = (&decoded[..colon], &decoded[colon + 1..]);
    if user.iter().chain(pass).any(|b| !(0x20..0x7f).contains(b)) {
        return Err(Rejected::NotRandom);
    }
    if pass.eq_ignore_ascii_case(user) {
        return Err(Rejected::WeakPassword);
    }
    password(pass, false)
}

/// Whether `v` is base64 of `user:password` (checked before `basic` is asked to judge it, so
/// that a weak name's value is not taken for a mistyped Basic credential).
fn decodes_to_credentials(v: &[u8]) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(v)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(v))
        .is_ok_and(|d| d.contains(&b':'))
}

/// A webhook URL: http(s), a host, and a random token of 16+ bytes in its path or query.
fn webhook(v: &[u8]) -> Result<(), Rejected> {
    if v.len() > MAX_LEN {
        return Err(Rejected::TooLong);
    }
    if is_template(v) {
        return Err(Rejected::Template);
    }
    let rest = v
        .strip_prefix(b"https://")
        .or_else(|| v.strip_prefix(b"http://"))
        .ok_or(Rejected::NotRandom)?;
    let slash = memchr::memchr(b'/', rest).ok_or(Rejected::NotRandom)?;
    let tail = &rest[slash..];
    let random_part = tail
        .split(|b| b"/?&=#".contains(b))
        .any(|part| part.len() >= 16 && random(part, Strength::Strong, false).is_ok());
    if random_part && !validate::is_placeholder(tail, &[]) {
        Ok(())
    } else {
        Err(Rejected::NotRandom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::generic::name;

    use crate::engine::test_values::{B62, random as random_string};
    const B64: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";
    const HEX: &[u8] = b"0123456789abcdef";
    const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    /// What password generators draw from. (`:;<=>?/` are left out: a value that happens to
    /// hold `=>`, `::` or `%s` reads as code or a template and is rejected, a rare loss.)
    const PRINTABLE: &[u8] =
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#%&*+-._@^~";
    /// The same with brackets, as full-printable generators draw them (a JWT signing secret).
    const BRACKETS: &[u8] =
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#%&*+-._@^~()[]{}";

    fn verdict(name: &str, value: &str) -> Result<Class, Rejected> {
        let n = name::classify(name.as_bytes()).unwrap_or_else(|| panic!("{name} is a name"));
        judge(value.as_bytes(), &n).map(|a| a.class)
    }

    /// Random values of every common alphabet and length pass the secret rule for many seeds:
    /// the entropy floor must not reject what services generate.
    #[test]
    fn generated_values_pass_the_secret_rule() {
        let n = name::classify(b"api_key").unwrap();
        let mut failures = Vec::new();
        for (alphabet, lengths) in [
            (B62, &[10usize, 12, 16, 20, 24, 32, 40, 64][..]),
            (B64, &[16, 24, 44, 88]),
            (HEX, &[16, 24, 32, 40, 64]),
            (LOWER_DIGITS, &[12, 16, 20, 32]),
            (PRINTABLE, &[12, 16, 24]),
            (BRACKETS, &[24, 32, 48]),
        ] {
            for &len in lengths {
                let mut failed = 0;
                for seed in 1..=200 {
                    let v = random_string(seed * 7919 + len as u64, alphabet, len);
                    if judge(v.as_bytes(), &n).is_err() {
                        failed += 1;
                    }
                }
                // A short random string is sometimes all letters or all digits, or reads
                // like words; more than a few percent lost is a bug.
                // With brackets, a draw sometimes writes `{{`, `]*` or a run that reads as a
                // word: read as a template, a regular expression or code (10-17%, more the
                // longer the draw; 33/200 at 48 characters when this was written).
                let limit = if len <= 12 {
                    20
                } else if alphabet == BRACKETS {
                    40
                } else {
                    6
                };
                if failed > limit {
                    failures.push(format!(
                        "{len} chars of a {}-symbol alphabet: {failed}/200 rejected",
                        alphabet.len()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Generated lowercase letters (an app password's 16) pass the password rule; words run
    /// together do not.
    #[test]
    fn random_letters_are_passwords_and_words_are_not() {
        const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
        let n = name::classify(b"smtp_password").unwrap();
        let rejected = (1..=200)
            .filter(|seed| {
                let v = random_string(seed * 104_729, LOWER, 16);
                judge(v.as_bytes(), &n).is_err()
            })
            .count();
        // One draw in eight reads too much like words or repeats too much (24/200 when this was
        // written): the price of not taking run-together words and patterns for passwords.
        assert!(
            rejected <= 36,
            "{rejected}/200 random 16-letter values rejected"
        );
        for words in [
            "thisismypassword",
            "administrator",
            "correcthorsebattery",
            "passwordconfirmation",
            "databasepassword",
            "strengthmeter",
            "kkkkmmmmnnnnpppp",
            "bcdfbcdfbcdfbcdf",
            "svcacctpwdkeyabc",
            "smtprelaypwd",
        ] {
            assert!(judge(words.as_bytes(), &n).is_err(), "{words}");
        }
    }

    /// Value class by value class, under a secret name, a password name, a weak name.
    #[test]
    #[ignore = "a diagnostic: prints why generated values are rejected"]
    fn why_generated_values_are_rejected() {
        let n = name::classify(b"api_key").unwrap();
        for (alphabet, len) in [(HEX, 16usize)] {
            for seed in 1..=200 {
                let v = random_string(seed * 7919 + len as u64, alphabet, len);
                if let Err(e) = judge(v.as_bytes(), &n) {
                    let why = match e {
                        Rejected::Words => {
                            format!("looks_random={}", validate::looks_random(v.as_bytes()))
                        }
                        Rejected::NotRandom => format!(
                            "entropy {:.2} < {:.2}",
                            validate::shannon_entropy(v.as_bytes()),
                            entropy_floor(v.as_bytes(), Strength::Strong)
                        ),
                        _ => String::new(),
                    };
                    println!("{v}: {e:?} {why}");
                }
            }
        }
    }

    #[test]
    fn value_classes() {
        let r20 = random_string(11, B62, 20);
        // Base64 of 16 bytes: the first part of a composite secret (`{r22}==:{r32}`).
        let r22 = random_string(13, B64, 22);
        let r32 = random_string(12, B62, 32);
        let r40hex = random_string(13, HEX, 40);
        let r14 = random_string(14, LOWER_DIGITS, 14);
        let random_uuid = |seed: u64| {
            format!(
                "{}-{}-4{}-a{}-{}",
                random_string(seed, HEX, 8),
                random_string(seed + 1, HEX, 4),
                random_string(seed + 2, HEX, 3),
                random_string(seed + 3, HEX, 3),
                random_string(seed + 4, HEX, 12)
            )
        };
        let uuid = random_uuid(15);
        use Class::*;
        use Rejected::*;
        let table: Vec<(&str, String, Result<Class, Rejected>)> = vec![
            // random
            ("api_key", r32.clone(), Ok(Random)),
            ("api_key", r20.clone(), Ok(Random)),
            ("secret", r40hex.clone(), Ok(Random)),
            ("token", r14.clone(), Ok(Random)),
            ("api_key", uuid.clone(), Ok(Random)),
            // a time-based UUID: a timestamp and a MAC address, an identifier
            (
                "api_key",
                format!("{}-11ec-9d64-0242ac120002", &uuid[..13]),
                Err(NotRandom),
            ),
            ("api_key", format!("acme_live_{r32}"), Ok(Random)),
            ("key", r32.clone(), Ok(Random)),
            ("key", r14.clone(), Err(TooShort)),
            // empty, short, long
            ("api_key", String::new(), Err(Empty)),
            ("api_key", "a1B2c3".into(), Err(TooShort)),
            ("api_key", "a".repeat(2000), Err(TooLong)),
            // templates and placeholders
            ("api_key", "<your-api-key>".into(), Err(Template)),
            ("api_key", "${API_KEY}".into(), Err(Template)),
            ("api_key", "{{ .Values.apiKey }}".into(), Err(Template)),
            ("api_key", "%s".into(), Err(Template)),
            ("password", "%(password)s".into(), Err(Template)),
            ("password", "{password}".into(), Err(Template)),
            ("api_key", "{0}".into(), Err(Template)),
            ("api_key", "changeme".into(), Err(Template)),
            ("api_key", "xxxxxxxxxxxxxxxxxxxx".into(), Err(Template)),
            ("api_key", "your-api-key-here".into(), Err(Template)),
            ("password", "********".into(), Err(Template)),
            // references
            ("token", "$GITHUB_TOKEN".into(), Err(Reference)),
            ("token", "%GITHUB_TOKEN%".into(), Err(Reference)),
            ("token", "env:GITHUB_TOKEN".into(), Err(Reference)),
            ("token", "process.env.GITHUB_TOKEN".into(), Err(Reference)),
            (
                "api_key",
                "settings.PAYMENTS_API_KEY".into(),
                Err(Reference),
            ),
            ("password", ":password".into(), Err(Reference)),
            ("password", "@Password".into(), Err(Reference)),
            ("password", "!SHARE_PW!".into(), Err(Reference)),
            (
                "secret",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db".into(),
                Err(Reference),
            ),
            ("token", "op://vault/item/token".into(), Err(Reference)),
            // calls and code
            ("token", "getToken()".into(), Err(Code)),
            ("token", "os.getenv(\"TOKEN\")".into(), Err(Reference)),
            ("password", "a + b".into(), Err(Code)),
            // brackets: code names things, a full-printable draw does not
            (
                "token",
                "getToken(request.headers[authKey])".into(),
                Err(Code),
            ),
            (
                "secret",
                "loadSecret(vault.paths[environment])".into(),
                Err(Code),
            ),
            (
                "jwt_secret",
                "Tw]MB&@fD*Df.*S7RMsVngi9ieQBtX&bF+w[wvWcL".into(),
                Ok(Random),
            ),
            // paths
            (
                "private_key",
                "/etc/ssl/private/server.key".into(),
                Err(Path),
            ),
            ("private_key", "./certs/client.pem".into(), Err(Path)),
            ("private_key", "~/.ssh/id_ed25519".into(), Err(Path)),
            ("private_key", "C:\\keys\\signing.pfx".into(), Err(Path)),
            ("secret", "secrets/db-password.txt".into(), Err(Path)),
            (
                "key",
                format!("{uuid}/{}.counts.tsv.gz", random_string(40, HEX, 24)),
                Err(Path),
            ),
            (
                "secret",
                "AKIDEXAMPLE/20240131/eu-west-2/s3/aws4_request".into(),
                Err(Path),
            ),
            (
                "secret",
                "AKIDEXAMPLE%2F20240131%2Fus-east-1%2Fs3%2Faws4_request".into(),
                Err(Path),
            ),
            (
                "secret",
                format!(
                    "{}/{}/{}",
                    random_string(41, B64, 14),
                    random_string(42, B64, 14),
                    random_string(43, B64, 12)
                ),
                Ok(Random),
            ),
            // percent-encoded text
            ("password", "%c3%a9t%c3%a9-x".into(), Err(Words)),
            ("password", "%20!%22%23%24%25".into(), Err(Words)),
            // code: optional chains, sigils
            ("token", "options.customer?.tokenValue".into(), Err(Code)),
            ("credential", "+e.accessKeyId+".into(), Err(Code)),
            ("pass", "d===t?a:b".into(), Err(Code)),
            ("password", "x8Kq==m2Wp".into(), Err(Code)),
            ("password", "x8Kq==:m2Wp".into(), Err(Code)),
            ("secret", format!("{r22}==:{r32}"), Ok(Random)),
            // a label before the random part: its letters do not make hex a wider alphabet
            ("secret", format!("v1.{r40hex}"), Ok(Random)),
            ("secret", format!("542110471:{r40hex}"), Ok(Random)),
            (
                "secret",
                "v1.aaaabbbbccccddddeeee0000".into(),
                Err(NotRandom),
            ),
            ("secret", format!("{uuid}:{}", random_uuid(25)), Ok(Random)),
            // colons between short groups: fingerprints, MAC and IPv6 addresses; a digest's
            // or a date's label; labels under a bare `key`
            (
                "deploy_key",
                "43:51:43:a1:b5:fc:8b:b7:0a:3a:a9:b1:0f:66:73:a8".into(),
                Err(NotRandom),
            ),
            ("secret", "02:1a:2b:ff:fe:3c:4d:5e".into(), Err(NotRandom)),
            (
                "token",
                "2a03:2880:f12f:83:face:b00c:0:25de".into(),
                Err(NotRandom),
            ),
            (
                "token",
                format!("sha256:{r40hex}{}", &r40hex[..24]),
                Err(NotRandom),
            ),
            ("secret", format!("md5:{}", &r40hex[..32]), Err(NotRandom)),
            ("key", "2024-05-06T12:34:56.789123Z".into(), Err(NotRandom)),
            ("key", format!("v1.{r40hex}"), Err(NotRandom)),
            ("key", format!("build-{r40hex}"), Err(NotRandom)),
            ("key", format!("{uuid}:{}", random_uuid(25)), Err(NotRandom)),
            ("secret", format!("{r22}==|{r32}"), Ok(Random)),
            ("secret", format!("{r22}===:{r32}"), Err(Code)),
            ("secret", format!("{r22}X==:{r32}"), Err(Code)),
            ("secret", format!("+{r20}+"), Ok(Random)),
            ("secret", format!("{r20}=="), Ok(Random)),
            ("token", "?TemplateInJSX".into(), Err(Reference)),
            // words in markup; names under a loose key
            ("secret", "]<]frame[>[".into(), Err(Words)),
            ("secret", "<|boundary|>".into(), Err(Template)),
            ("resources_key", "v2listeners".into(), Err(Words)),
            ("OBJECT_SHA256_KEY", "x-sdk-sha256".into(), Err(Words)),
            ("resources_key", r14.clone(), Ok(Random)),
            // URLs
            (
                "token",
                "https://auth.acme.test/oauth/token".into(),
                Err(Url),
            ),
            // versions, scalars
            ("token", "1.2.3".into(), Err(Version)),
            ("token", "v2.0.0-rc1".into(), Err(Version)),
            ("secret", "true".into(), Err(Scalar)),
            ("password", "None".into(), Err(Scalar)),
            ("password", "12345678".into(), Err(Scalar)),
            ("token", "3600".into(), Err(Scalar)),
            // hashes
            (
                "password",
                format!("$2b$12${}", random_string(20, B64, 53).replace('+', ".")),
                Err(KnownHash),
            ),
            ("password_hash", r40hex.clone(), Err(KnownHash)),
            ("token_sha256", random_string(21, HEX, 64), Err(KnownHash)),
            // public values
            (
                "api_key",
                format!("pk_live_{}", random_string(22, B62, 24)),
                Err(Public),
            ),
            ("private_key", format!("ssh-ed25519 AAAA{r32}"), Err(Public)),
            // words and identifiers
            ("secret", "ExclusiveStartKey".into(), Err(Words)),
            ("token", "consistency-token-value".into(), Err(Words)),
            ("password", "Mot de passe".into(), Err(Words)),
            ("password", "Passwort".into(), Err(Words)),
            ("password", "whiteduke".into(), Err(Words)),
            // words run together keep their vowels; generated letters do not
            ("password", "thisismypassword".into(), Err(Words)),
            ("password", "qmzrtwpkhvbnxeyd".into(), Ok(Password)),
            (
                "EMAIL_HOST_PASSWORD",
                "qmzr twpk hvbn xeyd".into(),
                Ok(Password),
            ),
            ("password", "this isnt grouped".into(), Err(Words)),
            ("password", "open sesa meno wayy".into(), Err(Words)),
            (
                "APPLE_APP_SPECIFIC_PASSWORD",
                "fkvq-bzxt-mhwp-rcjn".into(),
                Ok(Password),
            ),
            ("password", "aaaabbbbccccdddd".into(), Err(Words)),
            ("password", "smtprelaypwdsync".into(), Err(Words)),
            ("password", "qwertyuiopasdfgh".into(), Err(Template)),
            ("password", "smtpPassword".into(), Err(WeakPassword)),
            ("password", "db_user_value".into(), Err(Words)),
            // passwords
            ("password", "Tq8vW3nY".into(), Ok(Password)),
            ("password", "gH7#kq".into(), Ok(Password)),
            ("password", "Tr0ub4dor&3".into(), Ok(Password)),
            ("password", "correct-Horse-battery".into(), Err(Words)),
            // words joined in camel case and ended with a number: a memorable password ...
            ("password", "blueHorse77".into(), Ok(Password)),
            ("db_password", "MaxLovesTacos9".into(), Ok(Password)),
            // ... but not a name with a separator, a number inside, or no capital
            ("password", "login_form2".into(), Err(Words)),
            ("password", "field2Input".into(), Err(Words)),
            ("password", "Mesh2dPipeline".into(), Err(Words)),
            // words with a symbol inside are a password; a message ends in its punctuation
            ("password", "Horse!battery".into(), Ok(Password)),
            ("password", "Confirmation!".into(), Err(Words)),
            ("db_password", r20.clone(), Ok(Password)),
            ("password", "hunter2".into(), Err(WeakPassword)),
            ("password", "Passw0rd!".into(), Err(WeakPassword)),
            ("password", "admin123".into(), Err(WeakPassword)),
            ("password", "super$ecret".into(), Err(WeakPassword)),
            ("password", "P@ssw0rd".into(), Err(WeakPassword)),
            ("password", "changeit".into(), Err(Words)),
            ("password", "&lt;YOUR-PASSWORD&gt;".into(), Err(Template)),
            ("password", "'$DB_PASSWORD'".into(), Err(Reference)),
            ("password", "#add-password".into(), Err(Code)),
            ("password", "abc".into(), Err(TooShort)),
            // Authorization values
            ("Authorization", format!("Bearer {r32}"), Ok(Random)),
            ("Authorization", format!("token {r40hex}"), Ok(Random)),
            (
                "Authorization",
                format!("Klaviyo-API-Key {r32}"),
                Ok(Random),
            ),
            ("Authorization", "Bearer ${TOKEN}".into(), Err(Template)),
            ("Authorization", "Basic dXNlcjpwYXNz".into(), Err(TooShort)),
            // webhooks
            (
                "webhook_url",
                format!(
                    "https://hooks.acme.test/services/{}",
                    random_string(23, B62, 24)
                ),
                Ok(WebhookUrl),
            ),
            (
                "webhook_url",
                "https://acme.test/hooks/deploy".into(),
                Err(NotRandom),
            ),
        ];
        let mut wrong = Vec::new();
        for (name, value, expected) in &table {
            let got = verdict(name, value);
            if &got != expected {
                wrong.push(format!(
                    "{name} = {value:?}: expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn basic_credentials_are_judged_by_their_password() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let strong = b64(&format!("deploy:{}", random_string(31, B62, 16)));
        let n = name::classify(b"Authorization").unwrap();
        let a = judge(format!("Basic {strong}").as_bytes(), &n).unwrap();
        assert_eq!(a.class, Class::BasicCredentials);
        assert_eq!(a.secret, 6..6 + strong.len());
        assert_eq!(
            basic(b64("admin:admin").as_bytes()),
            Err(Rejected::WeakPassword)
        );
        assert!(basic(b64("user:password").as_bytes()).is_err());
        assert!(basic(b"bm90IGEgcGFpcg==").is_err(), "no colon");
        // Docker's config.json `auth`: base64 of user:password under a weak name.
        let n = name::classify(b"auth").unwrap();
        assert_eq!(
            judge(strong.as_bytes(), &n).map(|a| a.class),
            Ok(Class::BasicCredentials)
        );
    }

    /// Names as code writes them read as identifiers; random values rarely do.
    #[test]
    fn identifiers_and_random_values() {
        for name in [
            "CFStringRef",
            "Mesh2dPipelineKey",
            "thisIsMyToken",
            "allowedHttpMethods",
            "YUAN2_API_KEY",
            "auth/weak-password",
            "CHAP-Password",
            "pickupInStore.store1",
            "ErrorIdToken",
            "_registerComponent",
            "WebGLDebugContext",
            "AWSAccessKeyId",
            "Uint8Array",
            "kIOHIDReportIntervalKey",
            "GgpFrameToken",
            "URLPatternComponentResult",
            "ExclusiveStartKey",
            "oauth2_token",
            "bdsApiKeyPassphrase",
        ] {
            assert!(reads_as_identifier(name.as_bytes()), "{name}");
        }
        let mut read_as_names = 0;
        for (alphabet, len) in [(B62, 16usize), (B62, 24), (HEX, 32), (LOWER_DIGITS, 20)] {
            for seed in 0..500 {
                let v = random_string(seed * 31 + len as u64, alphabet, len);
                read_as_names += usize::from(reads_as_identifier(v.as_bytes()));
            }
        }
        assert!(read_as_names * 100 <= 2000 * 3, "{read_as_names} of 2000");
    }

    #[test]
    fn weak_passwords() {
        for weak in [
            "password",
            "Password1",
            "p@ssw0rd",
            "hunter2",
            "letmein!",
            "changeme123",
            "netapp123",
            "Lablab#1234",
            "1q2w3e",
            "myreallysecurepassword1!",
            "TMEadm!n123",
            "admin",
            "root1234",
            "qwerty123",
            "123456",
            "!@#$%^",
            "mysecretpassword",
            "supersecret",
            "testpass",
            "s3cr3t",
            "Welcome1!",
            "open_sesame",
        ] {
            assert!(is_weak_password(weak.as_bytes()), "{weak}");
        }
        for strong in ["Tq8vW3nY", "gH7#kq91", "winter-Falcon-42", "Xk2!pQ9z"] {
            assert!(!is_weak_password(strong.as_bytes()), "{strong}");
        }
    }
}
