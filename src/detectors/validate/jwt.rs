//! JSON Web Tokens: structure and expiry (`Checksum::Jwt`).

pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// See `Checksum::Jwt`.
pub(crate) fn jwt_ok(secret: &[u8], now: i64) -> bool {
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
    // A JWT behind its issuer's prefix (`ghs_<app id>_eyJ…`): the token is what follows.
    let secret = match memchr::memmem::find(secret, b"eyJ") {
        Some(i) if i > 0 && matches!(secret[i - 1], b'_' | b'-') => &secret[i..],
        _ => secret,
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

#[cfg(test)]
mod tests {
    use super::jwt_ok;

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
        let prefixed = |payload: &str| format!("ghs_3739310_{}", token(alg, payload));
        assert!(
            jwt_ok(prefixed(r#"{"exp":1900000000}"#).as_bytes(), now),
            "behind an issuer's prefix, not yet expired"
        );
        assert!(
            !jwt_ok(prefixed(r#"{"exp":1700000000}"#).as_bytes(), now),
            "behind an issuer's prefix, expired"
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
}
