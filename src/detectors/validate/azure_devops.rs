//! Azure DevOps personal access tokens (`Checksum::AzureDevopsPatCrc32`).

/// The constants Microsoft XORs into the checksum of user and of application PATs.
const ADO_USER_PAT: u32 = 0xE0B9_692D;
const ADO_APPLICATION_PAT: u32 = 0x1019_F92E;

/// The 28 token bytes and the embedded checksum of a decoded 32-byte Azure DevOps PAT: the
/// checksum's bytes sit at offsets 22, 8, 7 and 2 (least significant first).
fn ado_pat_parts(bytes: &[u8; 32]) -> (Vec<u8>, u32) {
    let token = [&bytes[0..2], &bytes[3..7], &bytes[9..22], &bytes[23..32]].concat();
    let embedded = u32::from_le_bytes([bytes[22], bytes[8], bytes[7], bytes[2]]);
    (token, embedded)
}

/// See `Checksum::AzureDevopsPatCrc32`.
pub(crate) fn azure_devops_pat_ok(secret: &[u8]) -> bool {
    if secret.len() != 52 {
        return false;
    }
    let mut bytes = [0u8; 32];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    for &c in secret {
        let v = match c {
            b'a'..=b'z' => c - b'a',
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return false,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            if n < bytes.len() {
                bytes[n] = (acc >> bits) as u8;
                n += 1;
            }
        }
        acc &= (1 << bits) - 1;
    }
    let (token, embedded) = ado_pat_parts(&bytes);
    let crc = crc32fast::hash(&token);
    embedded == crc ^ ADO_USER_PAT || embedded == crc ^ ADO_APPLICATION_PAT
}

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};
    use super::{ADO_APPLICATION_PAT, ADO_USER_PAT, ado_pat_parts};

    /// An Azure DevOps PAT built with the layout Microsoft's scanner verifies.
    fn ado_pat(token: &[u8; 28], constant: u32) -> String {
        const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
        let crc = crc32fast::hash(token) ^ constant;
        let mut bytes = [0u8; 32];
        bytes[0..2].copy_from_slice(&token[0..2]);
        bytes[3..7].copy_from_slice(&token[2..6]);
        bytes[9..22].copy_from_slice(&token[6..19]);
        bytes[23..32].copy_from_slice(&token[19..28]);
        let [b0, b1, b2, b3] = crc.to_le_bytes();
        (bytes[22], bytes[8], bytes[7], bytes[2]) = (b0, b1, b2, b3);
        let (round_trip, embedded) = ado_pat_parts(&bytes);
        assert_eq!((round_trip.as_slice(), embedded), (&token[..], crc));
        let mut out = String::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for b in bytes {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
        out
    }

    #[test]
    fn azure_devops_pats_carry_a_crc32() {
        let ok = |t: &str| checksum_ok(Checksum::AzureDevopsPatCrc32, t.as_bytes());
        let token: [u8; 28] = std::array::from_fn(|i| (i as u8).wrapping_mul(91) ^ 0x3c);
        let user = ado_pat(&token, ADO_USER_PAT);
        let application = ado_pat(&token, ADO_APPLICATION_PAT);
        assert_eq!(user.len(), 52);
        assert!(ok(&user) && ok(&application));
        assert!(ok(&user.to_uppercase()), "Microsoft decodes either case");
        assert!(
            !ok(&ado_pat(&token, 0)),
            "a plain CRC32 is not the PAT constant"
        );
        let mut flipped = user.clone().into_bytes();
        flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
        assert!(!ok(std::str::from_utf8(&flipped).unwrap()));
        assert!(!ok("mt4rpkvbgdfvcjst745epexqk2574yywshzyjh5qrsxlgw3wl7yw"));
        assert!(!ok(&user[..51]));
    }
}
