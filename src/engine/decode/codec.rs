//! The three decoders, each writing into a `Text` sink that gives up at the first byte that
//! cannot be text: a value worth scanning decodes to text (a token, `user:token`, a PEM block, a
//! JSON or YAML document), and random or binary data (hashes, images, DER, compressed data) and
//! words read as base64 show a control byte or broken UTF-8 within a few bytes, so rejecting
//! them costs almost nothing.

/// Decoded bytes, checked as they come: printable ASCII, tab, line feed, carriage return, and
/// UTF-8 sequences whose lead and continuation bytes are where UTF-8 puts them. (Overlong forms
/// and surrogates pass here; `is_text` checks the whole value at the end.)
pub(super) struct Text<'a> {
    out: &'a mut Vec<u8>,
    /// Continuation bytes the current UTF-8 sequence still needs.
    need: u8,
}

impl<'a> Text<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Text { out, need: 0 }
    }

    /// Appends `b`; `false` if it cannot be the next byte of text.
    #[inline]
    fn push(&mut self, b: u8) -> bool {
        self.out.push(b);
        if self.need > 0 {
            self.need -= 1;
            return b & 0xc0 == 0x80;
        }
        match b {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7e => true,
            0xc2..=0xdf => {
                self.need = 1;
                true
            }
            0xe0..=0xef => {
                self.need = 2;
                true
            }
            0xf0..=0xf4 => {
                self.need = 3;
                true
            }
            _ => false,
        }
    }

    fn len(&self) -> usize {
        self.out.len()
    }

    /// Whether the text ended where a character does.
    fn complete(&self) -> bool {
        self.need == 0
    }
}

/// The value of each base64 character, standard (`+/`) and URL-safe (`-_`) alike; 0xff for
/// bytes that are not base64 digits.
static BASE64: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'-' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b'_' as usize] = 63;
    t
};

/// The value of a hex digit (either case); 0xff otherwise.
static HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = d as u8;
        d += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

pub(super) fn is_hex_digit(b: u8) -> bool {
    HEX[b as usize] != 0xff
}

/// Decodes base64 digits (no padding; standard and URL-safe alphabets both accepted) into
/// `out`. `false` if a byte is not a base64 digit, the length is impossible (4n + 1), or a
/// decoded byte cannot be text. Non-zero bits left over at the end are ignored, as most
/// decoders do.
pub(super) fn base64(digits: &[u8], out: &mut Vec<u8>) -> bool {
    if digits.len() % 4 == 1 {
        return false;
    }
    out.reserve(digits.len() / 4 * 3 + 2);
    let mut out = Text::new(out);
    let mut groups = digits.chunks_exact(4);
    for g in &mut groups {
        let v = [
            BASE64[g[0] as usize],
            BASE64[g[1] as usize],
            BASE64[g[2] as usize],
            BASE64[g[3] as usize],
        ];
        if v.contains(&0xff) {
            return false;
        }
        let n = (u32::from(v[0]) << 18)
            | (u32::from(v[1]) << 12)
            | (u32::from(v[2]) << 6)
            | u32::from(v[3]);
        if !(out.push((n >> 16) as u8) && out.push((n >> 8) as u8) && out.push(n as u8)) {
            return false;
        }
    }
    let rest = groups.remainder();
    if rest.is_empty() {
        return out.complete();
    }
    let mut n = 0u32;
    for (i, &c) in rest.iter().enumerate() {
        let v = BASE64[c as usize];
        if v == 0xff {
            return false;
        }
        n |= u32::from(v) << (18 - 6 * i);
    }
    // Two digits carry one byte, three carry two.
    out.push((n >> 16) as u8) && (rest.len() == 2 || out.push((n >> 8) as u8)) && out.complete()
}

/// Decodes an even number of hex digits into `out`; `false` as `base64` says.
pub(super) fn hex(digits: &[u8], out: &mut Vec<u8>) -> bool {
    if digits.len() % 2 == 1 {
        return false;
    }
    let mut out = Text::new(out);
    for pair in digits.chunks_exact(2) {
        let (hi, lo) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        if hi == 0xff || lo == 0xff || !out.push(hi << 4 | lo) {
            return false;
        }
    }
    out.complete()
}

/// Decodes `%XX` escapes, copying every other byte (`+` stays `+`: a value that meant a space
/// by it holds no secret there), into `out`, and records in `escapes` the decoded offset of
/// each byte an escape produced. `false` if a decoded byte cannot be text.
pub(super) fn percent(encoded: &[u8], out: &mut Vec<u8>, escapes: &mut Vec<u32>) -> bool {
    let mut out = Text::new(out);
    let mut i = 0;
    while i < encoded.len() {
        let b = encoded[i];
        if b == b'%'
            && let (Some(&h), Some(&l)) = (encoded.get(i + 1), encoded.get(i + 2))
            && is_hex_digit(h)
            && is_hex_digit(l)
        {
            escapes.push(out.len() as u32);
            if !out.push(HEX[h as usize] << 4 | HEX[l as usize]) {
                return false;
            }
            i += 3;
        } else {
            if !out.push(b) {
                return false;
            }
            i += 1;
        }
    }
    out.complete()
}

/// Whether decoded bytes are text as a whole: `Text` accepted each byte, and the multi-byte
/// sequences are valid UTF-8 (no overlong form, no surrogate).
pub(super) fn is_text(decoded: &[u8]) -> bool {
    decoded.is_ascii() || std::str::from_utf8(decoded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    fn b64(digits: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        base64(digits.trim_end_matches('=').as_bytes(), &mut out).then_some(out)
    }

    #[test]
    fn base64_both_alphabets_padded_or_not() {
        for text in [
            "a",
            "ab",
            "abc",
            "abcd",
            "user:pass~~>>??",
            "héllo wörld ~~~???>>>",
        ] {
            let std = STANDARD.encode(text);
            let url = URL_SAFE_NO_PAD.encode(text);
            assert_eq!(b64(&std).as_deref(), Some(text.as_bytes()), "{std}");
            assert_eq!(b64(&url).as_deref(), Some(text.as_bytes()), "{url}");
        }
        // Both alphabets in one value decode too: the value's bytes decide, not its alphabet.
        assert_eq!(b64("Pz8_Pz8+").as_deref(), Some(&b"?????>"[..]));
    }

    #[test]
    fn base64_rejects_what_is_not_text_or_not_base64() {
        assert_eq!(b64("AAECAw"), None, "control bytes");
        assert_eq!(b64(&STANDARD.encode(b"\x89PNG\r\n\x1a\n")), None, "PNG");
        assert_eq!(b64("abcde"), None, "4n + 1 digits");
        assert_eq!(b64("ab.d"), None, "not a digit");
        // Broken UTF-8 is rejected as it comes: a continuation byte first, a lead byte without
        // its continuation, a sequence cut at the end.
        assert_eq!(b64(&STANDARD.encode(b"\x80abc")), None);
        assert_eq!(b64(&STANDARD.encode(b"\xc3abc")), None);
        assert_eq!(b64(&STANDARD.encode(b"abc\xe2\x82")), None);
        // A lowercase word read as base64 is not text.
        assert_eq!(b64("some_rather_long_identifier_name"), None);
        // A surrogate's bytes are where UTF-8 puts them; is_text decides.
        let mut out = Vec::new();
        assert!(base64(
            STANDARD.encode(b"\xed\xa0\x80").as_bytes(),
            &mut out
        ));
        assert!(!is_text(&out));
    }

    #[test]
    fn hex_either_case() {
        let mut out = Vec::new();
        assert!(hex(b"757365723A7061737321", &mut out));
        assert_eq!(out, b"user:pass!");
        out.clear();
        assert!(hex(b"757365723a7061737321", &mut out));
        assert_eq!(out, b"user:pass!");
        out.clear();
        assert!(!hex(b"7573657", &mut out), "odd length");
        out.clear();
        assert!(!hex(b"00ff", &mut out), "binary");
    }

    #[test]
    fn percent_records_where_escapes_decoded() {
        let (mut out, mut escapes) = (Vec::new(), Vec::new());
        assert!(percent(b"a%3Db%2Fc%zz%4", &mut out, &mut escapes));
        assert_eq!(out, b"a=b/c%zz%4");
        assert_eq!(escapes, [1, 3]);
        let (mut out, mut escapes) = (Vec::new(), Vec::new());
        assert!(
            !percent(b"x%00y", &mut out, &mut escapes),
            "a NUL is binary"
        );
        let (mut out, mut escapes) = (Vec::new(), Vec::new());
        assert!(percent(b"-----BEGIN%20KEY-----%0A", &mut out, &mut escapes));
        assert_eq!(out, b"-----BEGIN KEY-----\n");
    }
}
