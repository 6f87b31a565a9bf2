//! Version-2 binary macaroons, as PyPI issues upload tokens (`Checksum::MacaroonV2`).

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
pub(crate) fn macaroon_v2_ok(secret: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};

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
}
