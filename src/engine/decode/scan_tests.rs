//! The scanner over encoded values: what is found inside, under which layers, placed where,
//! and what the depth limit and the budget leave alone. Every token is made here from random
//! characters in its provider's documented shape.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use super::{Budget, Encoding, MAX_LAYERS};
use crate::detectors::Catalogue;
use crate::detectors::validate::base62_crc32_token;
use crate::engine::test_values::{B62, random};
use crate::engine::{Match, Scanner};

/// A GitHub classic token (ghp_, 30 random base62, their CRC32 in 6 base62 digits).
fn github(seed: u64) -> String {
    base62_crc32_token("ghp_", &random(seed, B62, 30))
}

fn b64(text: &str) -> String {
    STANDARD.encode(text)
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Every byte as a `%XX` escape.
fn percent_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A found match, as the tests read it.
#[derive(Debug, PartialEq)]
struct Found {
    detector: String,
    /// The bytes of the input the match is placed on.
    at: String,
    /// Outermost first; empty when the secret was written plainly.
    layers: Vec<Encoding>,
    /// The decoded secret (the bytes at `at` when written plainly).
    secret: String,
}

fn catalogue() -> Catalogue {
    Catalogue::builtin().unwrap()
}

fn found(scanner: &Scanner<'_>, hay: &str, matches: Vec<Match>) -> Vec<Found> {
    matches
        .into_iter()
        .map(|m| Found {
            detector: scanner.catalogue().detectors[m.detector].id.to_string(),
            at: hay[m.secret.clone()].to_string(),
            layers: m
                .encoded
                .as_ref()
                .map_or_else(Vec::new, |e| e.layers.iter().collect()),
            secret: match &m.encoded {
                Some(e) => String::from_utf8(e.secret.clone()).unwrap(),
                None => hay[m.secret].to_string(),
            },
        })
        .collect()
}

fn scan(hay: &str) -> Vec<Found> {
    let catalogue = catalogue();
    let scanner = Scanner::new(&catalogue).unwrap();
    let mut out = Vec::new();
    scanner.scan(hay.as_bytes(), &mut out).unwrap();
    found(&scanner, hay, out)
}

fn one(detector: &str, at: &str, layers: &[Encoding], secret: &str) -> Vec<Found> {
    vec![Found {
        detector: detector.into(),
        at: at.into(),
        layers: layers.to_vec(),
        secret: secret.into(),
    }]
}

use Encoding::{Base64, Hex, Percent};

/// Base64 values that decode to binary data, or to text that holds no credential, and words
/// and paths that only look like base64: nothing, and no error.
#[test]
fn values_that_decode_to_garbage_or_harmless_text_report_nothing() {
    let binary: Vec<u8> = random(7, B62, 48)
        .bytes()
        .map(|b| b.wrapping_mul(37))
        .collect();
    for hay in [
        format!("data: {}\n", STANDARD.encode(&binary)),
        format!("blob = \"{}\"\n", URL_SAFE_NO_PAD.encode(&binary)),
        format!("{}\n", random(8, B62, 64)),
        "digest: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n".to_string(),
        "let some_rather_long_identifier_name = compute_the_value_of(other_long_argument);\n"
            .to_string(),
        "import org/apache/commons/lang3/StringUtils/and/some/more/path\n".to_string(),
        format!(
            "greeting: {}\n",
            b64("Hello! This is an ordinary sentence, with nothing secret in it.")
        ),
        format!("note: {}\n", hex("an ordinary sentence, hex-encoded")),
        "q=https%3A%2F%2Fdocs.example%2Fsearch%3Fterm%3Dtoken%20rotation\n".to_string(),
    ] {
        assert_eq!(scan(&hay), [], "{hay}");
    }
}

/// A GitHub token base64'd in a Kubernetes Secret's `data:` is GitHub's (not the manifest
/// detector's), placed on the encoded value, with the decoded token as its secret.
#[test]
fn a_github_token_in_a_kubernetes_secret_is_githubs() {
    let token = github(1);
    let value = b64(&token);
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n  token: {value}\n"
    );
    assert_eq!(
        scan(&manifest),
        one("github-pat-classic", &value, &[Base64], &token)
    );

    // Without the token the manifest is still reported, as the manifest it is.
    let other = b64(&random(2, B62, 24));
    let plain = manifest.replace(&value, &other);
    let f = scan(&plain);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].detector, "kubernetes-secret-manifest");
    assert!(f[0].layers.is_empty());
}

/// `user:token` base64'd in a Docker config.json `auth`, an `Authorization: Basic` header and
/// an .npmrc `_auth`: the token is its provider's.
#[test]
fn user_and_token_in_basic_credentials() {
    let token = github(3);
    let value = b64(&format!("octocat:{token}"));
    for hay in [
        format!(
            "{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{value}\"\n    }}\n  }}\n}}\n"
        ),
        format!("curl -H \"Authorization: Basic {value}\" https://api.example.test/user\n"),
        format!("_auth={value}\nalways-auth=true\n"),
    ] {
        assert_eq!(
            scan(&hay),
            one("github-pat-classic", &value, &[Base64], &token),
            "{hay}"
        );
    }
}

#[test]
fn hex_encoded() {
    let token = github(4);
    for value in [hex(&token), hex(&token).to_uppercase()] {
        let hay = format!("const SEED = \"{value}\";\n");
        assert_eq!(
            scan(&hay),
            one("github-pat-classic", &value, &[Hex], &token)
        );
    }
    let value = format!("0x{}", hex(&token));
    let hay = format!("seed: {value}\n");
    assert_eq!(
        scan(&hay),
        one("github-pat-classic", &value, &[Hex], &token)
    );
}

/// Percent-encoding: a token whose bytes were escaped is placed exactly on its escaped bytes;
/// one written plainly inside a percent-encoded URL is found plainly, not as encoded.
#[test]
fn percent_encoded() {
    let token = github(5);
    let escaped = percent_all(&token);
    let hay = format!("redirect=https%3A%2F%2Fci.example.test%2Fhook%3Ftoken%3D{escaped}&x=1\n");
    assert_eq!(
        scan(&hay),
        one("github-pat-classic", &escaped, &[Percent], &token)
    );

    let hay = format!("next=https%3A%2F%2Fci.example.test%2Fhook&token={token}&x=1\n");
    assert_eq!(scan(&hay), one("github-pat-classic", &token, &[], &token));
}

/// Layers inside layers, outermost first: a `.dockerconfigjson` (base64 JSON holding base64
/// `user:token`), hex inside base64, base64 three times; a fourth layer is not opened.
#[test]
fn layers_inside_layers() {
    let token = github(6);
    let auth = b64(&format!("deploy:{token}"));
    let docker = b64(&format!(
        "{{\"auths\":{{\"registry.example.test\":{{\"auth\":\"{auth}\"}}}}}}"
    ));
    let hay = format!(
        "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {docker}\n"
    );
    assert_eq!(
        scan(&hay),
        one("github-pat-classic", &docker, &[Base64, Base64], &token)
    );

    let value = b64(&format!("seed={}", hex(&token)));
    assert_eq!(
        scan(&format!("x: {value}\n")),
        one("github-pat-classic", &value, &[Base64, Hex], &token)
    );

    let mut value = token.clone();
    for _ in 0..MAX_LAYERS {
        value = b64(&value);
    }
    assert_eq!(
        scan(&format!("x: {value}\n")),
        one("github-pat-classic", &value, &[Base64; MAX_LAYERS], &token)
    );
    let deeper = b64(&value);
    assert_eq!(scan(&format!("x: {deeper}\n")), [], "one layer too many");
}

/// A credential found by its name inside decoded JSON is reported (as the generic finding it
/// is), but the claims of a JWT are not read for generic credentials: only a provider's token
/// there is one.
#[test]
fn generic_credentials_inside_decoded_text_but_not_in_jwt_claims() {
    let password = format!("Kx7{}#q", random(9, B62, 14));
    let json = format!("{{\"username\":\"svc-reports\",\"password\":\"{password}\"}}");
    let value = b64(&json);
    let f = scan(&format!("config: {value}\n"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].detector.starts_with("generic-"), "{f:?}");
    assert_eq!(
        (f[0].at.as_str(), f[0].secret.as_str()),
        (value.as_str(), password.as_str())
    );
    assert_eq!(f[0].layers, [Base64]);

    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(&json);
    let jwt = format!("{header}.{claims}.");
    let f = scan(&format!("session = \"{jwt}\"\n"));
    assert!(
        f.iter().all(|f| f.layers.is_empty()),
        "nothing from inside the claims: {f:?}"
    );
}

/// Two tokens in one encoded value are both reported, on the value, in the order they were
/// written; a plain token next to the value stays where it is.
#[test]
fn every_token_inside_one_value() {
    let (a, b, c) = (github(10), github(11), github(12));
    let value = b64(&format!("GH_A={a}\nGH_B={b}\n"));
    let hay = format!("env: {value}\nplain: {c}\n");
    let f = scan(&hay);
    let got: Vec<(&str, &str, usize)> = f
        .iter()
        .map(|f| (f.at.as_str(), f.secret.as_str(), f.layers.len()))
        .collect();
    assert_eq!(
        got,
        [
            (value.as_str(), a.as_str(), 1),
            (value.as_str(), b.as_str(), 1),
            (c.as_str(), c.as_str(), 0)
        ]
    );
}

/// The budget: an input of more decodable text than `BUDGET_FLOOR` plus a quarter of its
/// length stops opening values past that point; the plain scan is never cut short.
#[test]
fn values_past_the_budget_are_not_opened() {
    let token = github(13);
    let encoded = b64(&token);
    // 48 KB lines of base64 text: each decodes to 36 KB of harmless text.
    let filler = format!(
        "blob: {}\n",
        b64(&"lorem ipsum dolor sit amet ".repeat(1365))
    );
    let lines = (super::BUDGET_FLOOR * 2) / (filler.len() * 3 / 4 - filler.len() / 4) + 2;
    let fill = filler.repeat(lines);
    let hay = format!("first: {encoded}\n{fill}last: {encoded}\nplain: {token}\n");
    let got: Vec<Vec<Encoding>> = scan(&hay).into_iter().map(|f| f.layers).collect();
    assert_eq!(
        got,
        [vec![Base64], vec![]],
        "the first and the plain one only"
    );

    // The same value alone is opened: the budget was what stopped it.
    assert_eq!(scan(&format!("last: {encoded}\n")).len(), 1);

    // A spent budget opens nothing, at any depth.
    let catalogue = catalogue();
    let scanner = Scanner::new(&catalogue).unwrap();
    let mut out = Vec::new();
    let mut spent = Budget { left: 0 };
    let hay = format!("a: {encoded}\n");
    scanner
        .scan_layer(hay.as_bytes(), 0, &mut spent, &mut out)
        .unwrap();
    assert_eq!(out, []);
}

/// The decoded token is the secret, so that it fingerprints the same encoded or not.
#[test]
fn the_decoded_token_is_the_secret_whatever_its_encoding() {
    let token = github(14);
    for hay in [
        format!("a: {token}\n"),
        format!("a: {}\n", b64(&token)),
        format!("a: {}\n", hex(&token)),
        format!("a: {}\n", percent_all(&token)),
        format!("a: {}\n", b64(&b64(&token))),
    ] {
        let f = scan(&hay);
        assert_eq!(f.len(), 1, "{hay}: {f:?}");
        assert_eq!(f[0].secret, token, "{hay}");
    }
}
