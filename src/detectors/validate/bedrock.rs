//! Amazon Bedrock short-term API keys (`Checksum::BedrockPresignedUrl`).

use super::codec::trim_padding;

/// What the presigned URL inside a short-term key starts with: AWS's token generator signs a
/// `CallWithBearerToken` request to Bedrock's global host (its scheme left out).
const URL_START: &[u8] = b"bedrock.amazonaws.com/?Action=CallWithBearerToken&";

/// See `Checksum::BedrockPresignedUrl`.
pub(crate) fn bedrock_presigned_url_ok(secret: &[u8]) -> bool {
    use base64::Engine as _;
    let Some(b64) = secret.strip_prefix(b"bedrock-api-key-") else {
        return false;
    };
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trim_padding(b64))
        .is_ok_and(|url| {
            url.starts_with(URL_START)
                && url.ends_with(b"&Version=1")
                && memchr::memmem::find(&url, b"&X-Amz-Signature=").is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};

    #[test]
    fn a_short_term_key_is_a_presigned_bedrock_url() {
        use base64::Engine as _;
        let ok = |url: &str| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(url);
            checksum_ok(
                Checksum::BedrockPresignedUrl,
                format!("bedrock-api-key-{b64}").as_bytes(),
            )
        };
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=43200&X-Amz-Signature=9c0f";
        assert!(ok(&format!(
            "bedrock.amazonaws.com/?Action=CallWithBearerToken&{query}&Version=1"
        )));
        // another host or action, no signature, no version: not a key AWS issued
        assert!(!ok(&format!(
            "example.com/?Action=CallWithBearerToken&{query}&Version=1"
        )));
        assert!(!ok(&format!(
            "bedrock.amazonaws.com/?Action=ListFoundationModels&{query}&Version=1"
        )));
        assert!(!ok(
            "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Expires=43200&Version=1"
        ));
        assert!(!ok(&format!(
            "bedrock.amazonaws.com/?Action=CallWithBearerToken&{query}"
        )));
        assert!(!checksum_ok(
            Checksum::BedrockPresignedUrl,
            b"bedrock-api-key-not*base64"
        ));
    }
}
