//! Encoded values: the runs of base64 (standard and URL-safe, padded or not), hex and
//! percent-encoding in the scanned bytes that decode to text, so that the engine can scan what
//! they hold with the same detectors (`Scanner::scan`: recursion, at most `MAX_LAYERS` deep).
//! A GitHub token in a Kubernetes Secret's `data:`, `user:token` in a Docker `config.json`
//! `auth`, an `Authorization: Basic` header or an `.npmrc` `_auth`, a base64 PEM block in JSON
//! or YAML, the claims of a JWT: each is found as what it is.
//!
//! **Which values.** No keyword says where an encoded value is, so the candidates are found by
//! their bytes, in one forward pass that mostly skips:
//! - a run of at least `MIN_RUN` base64 digits (`A-Z a-z 0-9 + / - _`, then up to two `=`),
//!   found by probing the byte `MIN_RUN - 1` ahead and scanning back only as far as the last
//!   non-digit, so ordinary code (short words) is crossed in strides; a run of hex digits only
//!   (`0x` allowed in front) is hex, any other run base64;
//! - a run of URL bytes around a `%XX` escape (found with `memchr`), at least `MIN_RUN` long.
//!
//! A value is decoded only if it is at most `MAX_ENCODED` bytes long (longer runs are data:
//! images, fonts, inline source maps; the longest credential containers, a kubeconfig or an
//! 8192-bit PEM key in base64, are ~10 KB) and only as long as every decoded byte can be text
//! (`codec`): hashes, compressed and binary data show a control byte within a few bytes, so
//! the common case costs a few table lookups. A value whose decoded bytes are not UTF-8 is
//! dropped too.
//!
//! **Bounded work.** Decoding shrinks base64 by a quarter and hex by half, so every layer is
//! smaller than the one it came from; on top of that a `Budget` caps the bytes decoded for one
//! input (a run of added lines; a whole file in a file scan or an initial commit) at
//! `BUDGET_FLOOR` plus a quarter of its length, across all layers. Past it, values are no
//! longer decoded: the scan of the raw bytes is never cut short.

mod codec;

use std::fmt;
use std::ops::Range;

/// How many encodings may be opened inside one another (a `.dockerconfigjson` is two: base64
/// JSON holding base64 `user:token`).
pub const MAX_LAYERS: usize = 3;
/// The shortest run considered (and the stride of the search): 20 base64 digits carry 15
/// bytes, less than any token worth reporting together with what surrounds it.
pub const MIN_RUN: usize = 20;
/// The shortest hex value decoded: 16 bytes.
pub const MIN_HEX: usize = 32;
/// The longest value decoded.
pub const MAX_ENCODED: usize = 64 * 1024;
/// Decoded bytes always allowed for one input; a quarter of the input's length comes on top.
pub const BUDGET_FLOOR: usize = 1 << 20;

/// An encoding a value was found under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Base64,
    Hex,
    Percent,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Hex => "hex",
            Encoding::Percent => "percent",
        }
    }
}

/// The encodings around a secret, outermost first: `[Base64, Base64]` is base64 of a text
/// that holds the secret in base64. Empty when the secret was not encoded.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Layers {
    len: u8,
    items: [Option<Encoding>; MAX_LAYERS],
}

impl Layers {
    pub fn one(e: Encoding) -> Self {
        Layers::default().around(e)
    }

    /// These layers inside one more, `e`, outermost. (Never more than `MAX_LAYERS`: the engine
    /// opens no deeper; a further one would be dropped.)
    pub fn around(self, e: Encoding) -> Self {
        let mut items = [None; MAX_LAYERS];
        items[0] = Some(e);
        let n = (self.len as usize).min(MAX_LAYERS - 1);
        items[1..=n].copy_from_slice(&self.items[..n]);
        Layers {
            len: n as u8 + 1,
            items,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Outermost first.
    pub fn iter(&self) -> impl Iterator<Item = Encoding> + '_ {
        self.items[..self.len as usize].iter().flatten().copied()
    }
}

impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Decoded bytes left for one input (see the module's documentation). A value is decoded only
/// while some are left, and what decoding it produced is charged, whether or not it was text:
/// the budget bounds the work, and one value overshoots it by at most `MAX_ENCODED` bytes.
pub struct Budget {
    left: usize,
}

impl Budget {
    pub fn for_input(len: usize) -> Self {
        Budget {
            left: BUDGET_FLOOR + len / 4,
        }
    }

    fn is_spent(&self) -> bool {
        self.left == 0
    }

    fn charge(&mut self, decoded: usize) {
        self.left = self.left.saturating_sub(decoded);
    }
}

/// An encoded value and what it decodes to.
pub struct Value {
    /// The encoded bytes (padding included) in the input.
    pub range: Range<usize>,
    pub encoding: Encoding,
    /// What it decodes to: text.
    pub text: Vec<u8>,
    /// Percent-encoding: the offsets in `text` of the bytes that escapes produced.
    escapes: Vec<u32>,
    /// A JWT's header or payload (starts `eyJ`, next to a `.`): signed claims, where only a
    /// provider's token is worth reporting, never a value that merely looks generic.
    pub jwt_part: bool,
}

impl Value {
    /// The input bytes that encode `decoded` (a range of `text`). For base64 and hex it is the
    /// whole value: a piece of a base64 value does not start on a character of its own, and the
    /// value is what a reader sees and what must be replaced. For percent-encoding it is exactly
    /// the bytes that decode to `decoded`.
    pub fn encoded_range(&self, decoded: &Range<usize>) -> Range<usize> {
        match self.encoding {
            Encoding::Base64 | Encoding::Hex => self.range.clone(),
            Encoding::Percent => {
                let before = |at: usize| self.escapes.partition_point(|&e| (e as usize) < at);
                let start = self.range.start + decoded.start + 2 * before(decoded.start);
                let end = self.range.start + decoded.end + 2 * before(decoded.end);
                start..end
            }
        }
    }

    /// Whether decoding changed the bytes of `decoded`: always for base64 and hex; for
    /// percent-encoding only if an escape is among them (a token written plainly inside a
    /// percent-encoded query string is not an encoded token).
    pub fn changes(&self, decoded: &Range<usize>) -> bool {
        match self.encoding {
            Encoding::Base64 | Encoding::Hex => true,
            Encoding::Percent => {
                let i = self
                    .escapes
                    .partition_point(|&e| (e as usize) < decoded.start);
                self.escapes
                    .get(i)
                    .is_some_and(|&e| (e as usize) < decoded.end)
            }
        }
    }
}

/// Bytes of a base64 (either alphabet) or hex run, as a table (`computes_run_byte` is the
/// definition).
static RUN_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = computes_run_byte(b as u8);
        b += 1;
    }
    t
};

/// Bytes a percent-encoded value is written with: RFC 3986's unreserved and reserved
/// characters, without the quote and brackets that delimit values in code.
static URL_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
            );
        b += 1;
    }
    t
};

fn is_run_byte(b: u8) -> bool {
    RUN_BYTES[b as usize]
}

/// Bit `j` set iff `block[j]` is a run byte (`block` is at most 64 bytes; the bits past its
/// end are clear). A whole block is classified by comparisons the compiler turns into vector
/// instructions (a table lookup per byte would not be), then packed eight bytes at a time.
fn run_mask(block: &[u8]) -> u64 {
    let Ok(block) = <&[u8; 64]>::try_from(block) else {
        return block
            .iter()
            .enumerate()
            .fold(0, |m, (j, &b)| m | (is_run_byte(b) as u64) << j);
    };
    let mut flags = [0u8; 64];
    for (flag, &b) in flags.iter_mut().zip(block) {
        *flag = computes_run_byte(b) as u8;
    }
    flags.chunks_exact(8).enumerate().fold(0, |m, (k, eight)| {
        let word = u64::from_le_bytes(eight.try_into().expect("chunks of 8"));
        // Each byte is 0 or 1: the product gathers byte i's bit into bit 56 + i.
        m | (word.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
    })
}

/// Whether `b` is a run byte (letters, digits, `+ - / _`), computed without branches or a
/// table: the definition behind `RUN_BYTES`, and what `run_mask` vectorises.
const fn computes_run_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    // `+` to `9` holds the digits and `+ - /`, and also `,` and `.`, which are not run bytes.
    let plus_to_nine = (b.wrapping_sub(b'+') < 15) & (b != b',') & (b != b'.');
    letter | plus_to_nine | (b == b'_')
}

/// Where the first run of at least `MIN_RUN` set bits starts in `mask`: bit `j` of `long`
/// is set iff bits `j..j + 20` all are (a run reaching past bit 63 has clear bits shifted in,
/// so it is not reported here but carried into the next block).
fn first_long_run(mask: u64) -> Option<usize> {
    const _: () = assert!(MIN_RUN == 20, "the shifts below make runs of 20");
    let two = mask & (mask >> 1);
    let four = two & (two >> 2);
    let eight = four & (four >> 4);
    let sixteen = eight & (eight >> 8);
    let long = sixteen & (four >> 16);
    (long != 0).then(|| long.trailing_zeros() as usize)
}

/// The encoded values of an input, in two passes: base64 and hex runs, then percent-encoded
/// runs. Each is decoded when it is asked for, so that the caller can scan it (and spend the
/// budget on what it holds) before the next one is decoded.
pub struct Values<'a> {
    hay: &'a [u8],
    /// Where the search for base64 and hex runs resumes; `hay[at - 1]` is never a run byte.
    at: usize,
    /// Where the search for `%` resumes, and where the previous percent run ended (a run is
    /// never extended back past it).
    percent_at: usize,
    percent_floor: usize,
}

impl<'a> Values<'a> {
    pub fn new(hay: &'a [u8]) -> Self {
        Values {
            hay,
            at: 0,
            percent_at: 0,
            percent_floor: 0,
        }
    }

    /// The next value that decodes to text within `budget`.
    pub fn next(&mut self, budget: &mut Budget) -> Option<Value> {
        while let Some(run) = self.next_run() {
            if let Some(value) = self.base64_or_hex(run, budget) {
                return Some(value);
            }
        }
        while let Some(run) = self.next_percent_run() {
            if let Some(value) = self.percent(run, budget) {
                return Some(value);
            }
        }
        None
    }

    /// The next maximal run of at least `MIN_RUN` run bytes, with its padding. The input is
    /// read 64 bytes at a time as a bit mask of its run bytes (`run_mask`), and a run is found
    /// with shifts of that mask (`first_long_run`), without a branch per byte: probing every
    /// `MIN_RUN` bytes and scanning back mispredicted a branch on almost every probe, and was a
    /// tenth of an initial commit's time.
    fn next_run(&mut self) -> Option<Range<usize>> {
        let hay = self.hay;
        let mut base = self.at;
        // Run bytes right before `base`: the run they belong to started at `base - carry`.
        // None at `self.at`, which follows a non-run byte or a run's padding.
        let mut carry = 0;
        while base + MIN_RUN - carry.min(MIN_RUN) <= hay.len() {
            let block = &hay[base..hay.len().min(base + 64)];
            let mask = run_mask(block);
            let start = if carry > 0 && carry + mask.trailing_ones() as usize >= MIN_RUN {
                Some(base - carry)
            } else {
                first_long_run(mask).map(|j| base + j)
            };
            if let Some(start) = start {
                let mut end = start + MIN_RUN;
                while end < hay.len() && is_run_byte(hay[end]) {
                    end += 1;
                }
                let padding = hay[end..]
                    .iter()
                    .take(2)
                    .take_while(|&&b| b == b'=')
                    .count();
                self.at = end + padding;
                return Some(start..end + padding);
            }
            let n = block.len();
            let top = (mask << (64 - n)).leading_ones() as usize;
            carry = if top == n { carry + n } else { top };
            base += n;
        }
        self.at = hay.len();
        None
    }

    fn base64_or_hex(&self, run: Range<usize>, budget: &mut Budget) -> Option<Value> {
        if run.len() > MAX_ENCODED || budget.is_spent() {
            return None;
        }
        let bytes = &self.hay[run.clone()];
        let digits = {
            let b = bytes.strip_suffix(b"==").unwrap_or(bytes);
            b.strip_suffix(b"=").unwrap_or(b)
        };
        let hex_digits = match digits {
            [b'0', b'x' | b'X', rest @ ..] => rest,
            _ => digits,
        };
        let is_hex =
            digits.len() == bytes.len() && hex_digits.iter().all(|&b| codec::is_hex_digit(b));
        let mut text = Vec::new();
        let encoding = if is_hex {
            // A run of hex digits is hex (base64 of text is never all hex digits); a short one
            // is an id or a hash prefix.
            if hex_digits.len() < MIN_HEX {
                return None;
            }
            let ok = codec::hex(hex_digits, &mut text);
            budget.charge(text.len());
            if !ok {
                return None;
            }
            Encoding::Hex
        } else {
            let ok = codec::base64(digits, &mut text);
            budget.charge(text.len());
            if !ok {
                return None;
            }
            Encoding::Base64
        };
        if !codec::is_text(&text) {
            return None;
        }
        let jwt_part = bytes.starts_with(b"eyJ")
            && (run.start > 0 && self.hay[run.start - 1] == b'.'
                || self.hay.get(run.end) == Some(&b'.'));
        Some(Value {
            range: run,
            encoding,
            text,
            escapes: Vec::new(),
            jwt_part,
        })
    }

    /// The next run of URL bytes that holds a `%XX` escape and is at least `MIN_RUN` long.
    fn next_percent_run(&mut self) -> Option<Range<usize>> {
        let hay = self.hay;
        loop {
            let p = self.percent_at + memchr::memchr(b'%', &hay[self.percent_at..])?;
            let escape = hay.len() > p + 2
                && codec::is_hex_digit(hay[p + 1])
                && codec::is_hex_digit(hay[p + 2]);
            if !escape {
                self.percent_at = p + 1;
                continue;
            }
            let url = |b: u8| URL_BYTES[b as usize];
            let mut start = p;
            while start > self.percent_floor && url(hay[start - 1]) && p - start <= MAX_ENCODED {
                start -= 1;
            }
            let mut end = p;
            while end < hay.len() && url(hay[end]) {
                end += 1;
            }
            self.percent_at = end;
            self.percent_floor = end;
            if end - start >= MIN_RUN && end - start <= MAX_ENCODED {
                return Some(start..end);
            }
        }
    }

    fn percent(&self, run: Range<usize>, budget: &mut Budget) -> Option<Value> {
        if budget.is_spent() {
            return None;
        }
        let (mut text, mut escapes) = (Vec::new(), Vec::new());
        let ok = codec::percent(&self.hay[run.clone()], &mut text, &mut escapes);
        budget.charge(text.len());
        if !ok || !codec::is_text(&text) {
            return None;
        }
        Some(Value {
            range: run,
            encoding: Encoding::Percent,
            text,
            escapes,
            jwt_part: false,
        })
    }
}

#[cfg(test)]
mod scan_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

    #[test]
    fn run_bytes_are_letters_digits_and_the_base64_signs() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
            assert_eq!(is_run_byte(b), expected, "{b:#04x}");
        }
    }

    /// The maximal runs of at least `MIN_RUN` run bytes with their padding, byte by byte.
    fn runs_by_hand(hay: &[u8]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < hay.len() {
            let len = hay[i..].iter().take_while(|&&b| is_run_byte(b)).count();
            if len >= MIN_RUN {
                let end = i + len;
                let padding = hay[end..]
                    .iter()
                    .take(2)
                    .take_while(|&&b| b == b'=')
                    .count();
                out.push(i..end + padding);
                i = end + padding;
            } else {
                i += len.max(1);
            }
        }
        out
    }

    proptest::proptest! {
        /// Runs found through the 64-byte masks are exactly the runs: across block
        /// boundaries, at either end of the input, after padding, in blocks that are all run.
        #[test]
        fn runs_through_masks_are_the_runs(
            pieces in proptest::collection::vec(
                (proptest::sample::select(b"aZ9_+/-=., \n\x80".to_vec()), 1usize..30),
                0..40,
            ),
        ) {
            // Stretches of each byte, so that runs just under, at and over `MIN_RUN` are common.
            let hay: Vec<u8> = pieces.iter().flat_map(|&(b, n)| vec![b; n]).collect();
            let mut values = Values::new(&hay);
            let mut found = Vec::new();
            while let Some(run) = values.next_run() {
                found.push(run);
            }
            proptest::prop_assert_eq!(found, runs_by_hand(&hay));
        }

        #[test]
        fn masks_are_the_table(block in proptest::collection::vec(proptest::num::u8::ANY, 0..=64)) {
            let by_table = block
                .iter()
                .enumerate()
                .fold(0u64, |m, (j, &b)| m | (is_run_byte(b) as u64) << j);
            proptest::prop_assert_eq!(run_mask(&block), by_table);
        }
    }

    /// (encoded text, encoding, decoded text) of every value in `hay`.
    fn values(hay: &str) -> Vec<(String, Encoding, String)> {
        let mut budget = Budget::for_input(hay.len());
        let mut values = Values::new(hay.as_bytes());
        let mut out = Vec::new();
        while let Some(v) = values.next(&mut budget) {
            out.push((
                hay[v.range.clone()].to_string(),
                v.encoding,
                String::from_utf8(v.text).unwrap(),
            ));
        }
        out
    }

    const TEXT: &str = "deploy-bot:Zq8~Wn3?Rt5>Yx1";

    #[test]
    fn every_base64_form_is_opened() {
        for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
            let encoded = engine.encode(TEXT);
            for hay in [
                format!("auth: {encoded}\n"),
                format!("{{\"auth\":\"{encoded}\"}}"),
                format!("Authorization: Basic {encoded}"),
                encoded.clone(),
            ] {
                assert_eq!(
                    values(&hay),
                    [(encoded.clone(), Encoding::Base64, TEXT.to_string())],
                    "{hay}"
                );
            }
        }
    }

    #[test]
    fn hex_with_or_without_0x_in_either_case() {
        let hex: String = TEXT.bytes().map(|b| format!("{b:02x}")).collect();
        for encoded in [hex.clone(), hex.to_uppercase(), format!("0x{hex}")] {
            let hay = format!("secret = \"{encoded}\";");
            assert_eq!(
                values(&hay),
                [(encoded.clone(), Encoding::Hex, TEXT.to_string())],
                "{hay}"
            );
        }
        // Hex digits only but too short to hold anything: an id, not decoded.
        assert_eq!(values("id = 6465706c6f792d626f743a5a71"), []);
    }

    #[test]
    fn percent_encoded_runs() {
        let hay =
            "curl -d 'client_secret=Zq8%7EWn3%3FRt5%3EYx1%2F%2B&grant_type=x' https://a.example";
        assert_eq!(
            values(hay),
            [(
                "client_secret=Zq8%7EWn3%3FRt5%3EYx1%2F%2B&grant_type=x".to_string(),
                Encoding::Percent,
                "client_secret=Zq8~Wn3?Rt5>Yx1/+&grant_type=x".to_string()
            )]
        );
        // Format strings, short escapes, a lone `%`: nothing.
        assert_eq!(values(r#"printf("%08x %2d 100% done", a, b)"#), []);
    }

    #[test]
    fn percent_positions_map_back_exactly() {
        let hay = b"q=a%20b&token=Zq8%7EWn3xyz&x=1";
        let mut values = Values::new(hay);
        let v = values.next(&mut Budget::for_input(hay.len())).unwrap();
        let text = String::from_utf8(v.text.clone()).unwrap();
        let at = text.find("Zq8").unwrap();
        let decoded = at..at + "Zq8~Wn3xyz".len();
        assert_eq!(&hay[v.encoded_range(&decoded)], b"Zq8%7EWn3xyz");
        assert!(v.changes(&decoded));
        let plain = text.find("token").unwrap();
        assert_eq!(&hay[v.encoded_range(&(plain..plain + 5))], b"token");
        assert!(!v.changes(&(plain..plain + 5)), "no escape among them");
    }

    /// Hashes, binary data and ordinary code are not opened; the search still finds a value
    /// that follows them.
    #[test]
    fn binary_garbage_and_code_are_left_alone() {
        let png = STANDARD.encode([
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R',
        ]);
        let encoded = STANDARD.encode(TEXT);
        let hay = format!(
            "sha256 = \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"\n\
             integrity: sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\n\
             data:image/png;base64,{png}\n\
             let some_rather_long_identifier_name = compute_the_value_of(other_long_argument);\n\
             d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35\n\
             auth: {encoded}\n"
        );
        assert_eq!(
            values(&hay),
            [(encoded, Encoding::Base64, TEXT.to_string())]
        );
    }

    #[test]
    fn values_too_long_or_past_the_budget_are_not_decoded() {
        let long = STANDARD.encode(TEXT.repeat(MAX_ENCODED / TEXT.len()));
        assert!(long.len() > MAX_ENCODED);
        assert_eq!(values(&format!("blob: {long}\n")), []);

        let one = STANDARD.encode(TEXT);
        let hay = format!("a: {one}\nb: {one}\n");
        let mut values = Values::new(hay.as_bytes());
        // Enough for one value's decoded bytes, not two.
        let mut budget = Budget { left: TEXT.len() };
        assert!(values.next(&mut budget).is_some());
        assert!(budget.is_spent());
        assert!(values.next(&mut budget).is_none());
    }

    #[test]
    fn jwt_parts_are_marked() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"1234567890","scope":"read"}"#);
        let hay = format!("{header}.{payload}.c2lnbmF0dXJlLWJ5dGVzLWhlcmU");
        let mut values = Values::new(hay.as_bytes());
        let mut budget = Budget::for_input(hay.len());
        let mut parts = Vec::new();
        while let Some(v) = values.next(&mut budget) {
            parts.push((String::from_utf8(v.text).unwrap(), v.jwt_part));
        }
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[0].1 && parts[1].1, "{parts:?}");
        assert!(!parts[2].1, "the signature does not start eyJ: {parts:?}");
    }

    #[test]
    fn layers_read_outermost_first() {
        let l = Layers::one(Encoding::Hex).around(Encoding::Base64);
        assert_eq!(
            l.iter().collect::<Vec<_>>(),
            [Encoding::Base64, Encoding::Hex]
        );
        assert!(Layers::default().is_empty());
        let deep = l.around(Encoding::Percent).around(Encoding::Base64);
        assert_eq!(deep.iter().count(), MAX_LAYERS);
    }
}
