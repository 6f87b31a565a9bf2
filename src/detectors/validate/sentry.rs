//! Sentry organization auth tokens (`Checksum::SentryOrgToken`).

use super::codec::{base64_json_object, trim_padding};

/// See `Checksum::SentryOrgToken`.
pub(crate) fn sentry_org_token_ok(secret: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};

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
}
