//! Grafana's service account tokens (a CRC32 in hex) and its legacy API keys (base64 of a JSON
//! object).

use super::codec::base64_json_object;

/// See `Checksum::GrafanaServiceAccountCrc32`.
pub(crate) fn grafana_service_account_ok(secret: &[u8]) -> bool {
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
pub(crate) fn grafana_api_key_ok(secret: &[u8]) -> bool {
    base64_json_object(secret).is_some_and(|key| {
        key.get("k").is_some_and(serde_json::Value::is_string)
            && key.get("n").is_some_and(serde_json::Value::is_string)
            && key.get("id").is_some_and(|id| id.is_i64() || id.is_u64())
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};

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
}
