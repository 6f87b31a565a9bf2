//! GitLab's routable tokens (`Checksum::GitlabRoutableCrc32`).

use super::codec::base36_decode;

/// See `Checksum::GitlabRoutableCrc32`. The last 7 characters are the CRC32 of all that precedes
/// them; the 2 characters before those, after the last `.`, are the payload's length, which the
/// text between the prefix and the first `.` of the tail must be able to hold.
pub(crate) fn gitlab_routable_ok(secret: &[u8]) -> bool {
    const CRC_LEN: usize = 7;
    let Some(split) = secret.len().checked_sub(CRC_LEN) else {
        return false;
    };
    let (body, crc) = secret.split_at(split);
    if base36_decode(crc) != Some(u64::from(crc32fast::hash(body))) {
        return false;
    }
    let Some(dot) = memchr::memrchr(b'.', body) else {
        return false;
    };
    let (before, length) = (&body[..dot], &body[dot + 1..]);
    if length.len() != 2 {
        return false;
    }
    // The versioned form has `.<2-character version>` between the payload and the length.
    let payload_end = match memchr::memrchr(b'.', before) {
        Some(d) if before.len() - d == 3 => d,
        _ => before.len(),
    };
    base36_decode(length).is_some_and(|n| n > 0 && n as usize <= payload_end)
}

#[cfg(test)]
mod tests {
    use super::super::codec::base36_encode;
    use super::super::{Checksum, checksum_ok};

    /// A routable token built the way GitLab's `RoutableToken` generator builds one.
    fn gitlab_routable(prefix: &str, random: &[u8; 16], routing: &str, versioned: bool) -> String {
        use base64::Engine as _;
        let mut payload = Vec::new();
        if versioned {
            payload.extend_from_slice(random);
            payload.extend_from_slice(routing.as_bytes());
            payload.push(routing.len() as u8);
        } else {
            payload.extend_from_slice(routing.as_bytes());
            payload.extend_from_slice(random);
            payload.push(16);
        }
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
        let length = base36_encode(b64.len() as u64, 2);
        let body = if versioned {
            format!("{prefix}{b64}.01.{length}")
        } else {
            format!("{prefix}{b64}.{length}")
        };
        let crc = base36_encode(u64::from(crc32fast::hash(body.as_bytes())), 7);
        format!("{body}{crc}")
    }

    #[test]
    fn gitlab_routable_tokens_carry_a_base36_crc32() {
        let ok = |t: &str| checksum_ok(Checksum::GitlabRoutableCrc32, t.as_bytes());
        // GitLab's own test vector (spec/lib/authn/…/routable_token): valid, then with its last
        // CRC character changed.
        assert!(ok(
            "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4k"
        ));
        assert!(!ok(
            "glrtr-W5m1cHR6skC98Bx7XkuYjmM6MQpnOjgKbzpyegp0OjIQ.01.181uebm4l"
        ));
        let random = *b"q8\x01Zr\xffk3\x10Lp9Wc\x7f2";
        for versioned in [true, false] {
            let token = gitlab_routable("glpat-", &random, "c:1\no:7x\nu:2kq", versioned);
            assert!(ok(&token), "{token}");
            // One payload character changed: the CRC no longer matches.
            let mut flipped = token.clone().into_bytes();
            flipped[8] = if flipped[8] == b'a' { b'b' } else { b'a' };
            assert!(!ok(std::str::from_utf8(&flipped).unwrap()));
            assert!(!ok(&token.to_uppercase()), "base36 is lowercase");
        }
        // A CRC that verifies but a length field longer than the payload.
        let body = "glpat-abc.01.zz";
        let forged = format!(
            "{body}{}",
            base36_encode(u64::from(crc32fast::hash(body.as_bytes())), 7)
        );
        assert!(!ok(&forged));
        assert!(!ok("short"));
    }
}
