//! Bech32 strings (BIP 173): age identities (`Checksum::Bech32`).

/// The BIP 173 checksum over a Bech32 string's human-readable part and data values.
fn bech32_polymod(hrp: &[u8], values: &[u8]) -> u32 {
    const GENERATOR: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let expanded = hrp
        .iter()
        .map(|b| b >> 5)
        .chain([0])
        .chain(hrp.iter().map(|b| b & 31))
        .chain(values.iter().copied());
    expanded.fold(1u32, |chk, v| {
        let top = chk >> 25;
        let mut chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
        chk
    })
}

/// See `Checksum::Bech32`: one case throughout, a checksum that verifies, and a data part of
/// whole bytes (fewer than 5 padding bits, all zero).
pub(crate) fn bech32_ok(secret: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if secret.iter().any(u8::is_ascii_lowercase) && secret.iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let lower = secret.to_ascii_lowercase();
    let Some(separator) = memchr::memrchr(b'1', &lower) else {
        return false;
    };
    let (hrp, data) = (&lower[..separator], &lower[separator + 1..]);
    if hrp.is_empty() || data.len() < 6 || !hrp.iter().all(|b| (33..=126).contains(b)) {
        return false;
    }
    let Some(values) = data
        .iter()
        .map(|&c| CHARSET.iter().position(|&x| x == c).map(|v| v as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    if bech32_polymod(hrp, &values) != 1 {
        return false;
    }
    let payload = &values[..values.len() - 6];
    let padding = payload.len() * 5 % 8;
    padding < 5
        && payload
            .last()
            .is_none_or(|&last| last & ((1u8 << padding) - 1) == 0)
}

#[cfg(test)]
mod tests {
    use super::super::{Checksum, checksum_ok};
    use super::bech32_polymod;

    /// Bech32 with the BIP 173 checksum, for tests.
    fn bech32_encode(hrp: &str, data: &[u8]) -> String {
        const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        let mut values = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in data {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                values.push(((acc >> bits) & 31) as u8);
            }
        }
        if bits > 0 {
            values.push(((acc << (5 - bits)) & 31) as u8);
        }
        let mut with_zeros = values.clone();
        with_zeros.extend([0; 6]);
        let pm = bech32_polymod(hrp.as_bytes(), &with_zeros) ^ 1;
        values.extend((0..6).map(|i| ((pm >> (5 * (5 - i))) & 31) as u8));
        let data: String = values
            .iter()
            .map(|&v| CHARSET[usize::from(v)] as char)
            .collect();
        format!("{hrp}1{data}")
    }

    #[test]
    fn bech32_checksums_verify() {
        let ok = |t: &str| checksum_ok(Checksum::Bech32, t.as_bytes());
        // The identity printed in the age specification (c2sp.org/age).
        let spec = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
        assert!(ok(spec));
        assert!(ok(&spec.to_lowercase()));
        assert!(!ok(&spec.replace("Q4EGAEX", "Q4EGAEY")));
        assert!(!ok(&spec.replacen("AGE", "age", 1)), "mixed case");
        let key: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
        let encoded = bech32_encode("age-secret-key-", &key).to_uppercase();
        assert_eq!(encoded.len(), 74);
        assert!(ok(&encoded));
        // Swapping two data characters keeps the alphabet but breaks the checksum.
        let mut swapped = encoded.clone().into_bytes();
        swapped.swap(20, 21);
        assert!(swapped != encoded.as_bytes() && !ok(std::str::from_utf8(&swapped).unwrap()));
        assert!(!ok("AGE-SECRET-KEY-1"));
    }
}
