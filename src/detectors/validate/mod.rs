//! Validators that decide whether a regex match is a credential or a look-alike.
//!
//! They are cheap and run only on regex matches, so they may be thorough. One module per thing
//! checked: each checksum family a provider embeds in its tokens (`base62_crc32` for GitHub and
//! npm, `gitlab`, `grafana`, `bech32`, `macaroon`, `sentry`, `azure_devops`, `jwt`, `bedrock`), an expiry
//! date written beside a credential (`expiry`), the value
//! heuristics for everything else (`heuristics`: entropy, placeholders, looks-random), and the
//! base-N decoders they share (`codec`).

mod azure_devops;
mod base62_crc32;
mod bech32;
mod bedrock;
mod codec;
mod expiry;
mod gitlab;
mod grafana;
mod heuristics;
mod jwt;
mod macaroon;
mod sentry;

#[cfg(test)]
pub(crate) use base62_crc32::base62_crc32_token;
pub(crate) use expiry::expired;
pub use heuristics::{is_placeholder, looks_random, shannon_entropy};
pub(crate) use jwt::now_unix;

use super::schema::Checksum;

/// Whether `secret` passes the built-in validator `kind`.
pub fn checksum_ok(kind: Checksum, secret: &[u8]) -> bool {
    match kind {
        Checksum::Base62Crc32 => base62_crc32::base62_crc32_ok(secret),
        Checksum::Jwt => jwt::jwt_ok(secret, jwt::now_unix()),
        Checksum::GitlabRoutableCrc32 => gitlab::gitlab_routable_ok(secret),
        Checksum::GrafanaServiceAccountCrc32 => grafana::grafana_service_account_ok(secret),
        Checksum::GrafanaApiKey => grafana::grafana_api_key_ok(secret),
        Checksum::Bech32 => bech32::bech32_ok(secret),
        Checksum::MacaroonV2 => macaroon::macaroon_v2_ok(secret),
        Checksum::SentryOrgToken => sentry::sentry_org_token_ok(secret),
        Checksum::AzureDevopsPatCrc32 => azure_devops::azure_devops_pat_ok(secret),
        Checksum::BedrockPresignedUrl => bedrock::bedrock_presigned_url_ok(secret),
    }
}
