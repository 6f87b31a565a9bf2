//! Named value shapes: the compact form of a detector (`shape = "hex32"`, `prefix = "SG."`).
//!
//! Most credentials are a random value of a fixed shape. Hundreds of long-tail services issue a
//! bare 32-hex or 40-character key that is only recognisable with the service's name nearby, so
//! a detector names the shape instead of writing a regex: the shapes are reviewed in one place,
//! cost no regex compilation on a keyword hit, and read the same in every detector. The grammar
//! is in `docs/catalogue.md`. This module only parses and describes; matching is the engine's
//! (`engine/shape.rs`). It uses nothing from the crate so that `build.rs` can compile the
//! built-in shapes into static data.

use std::fmt;

/// The characters a shaped value is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `0-9a-f` or `0-9A-F`, one case throughout, at least one letter.
    Hex,
    HexLower,
    HexUpper,
    Digits,
    /// `A-Za-z0-9`.
    Alnum,
    AlnumLower,
    AlnumUpper,
    /// `A-Z2-7`, optional `=` padding.
    Base32,
    /// `A-Za-z0-9+/`, optional `=` padding (counted in the length).
    Base64,
    /// `A-Za-z0-9_-`.
    Base64Url,
    /// 8-4-4-4-12 hexadecimal digits, one case throughout.
    Uuid,
}

/// Class names as written in `shape`, longest first so that a prefix never shadows a longer name.
const CLASS_NAMES: &[(&str, Class)] = &[
    ("alnum-lower", Class::AlnumLower),
    ("alnum-upper", Class::AlnumUpper),
    ("hex-lower", Class::HexLower),
    ("hex-upper", Class::HexUpper),
    ("base64url", Class::Base64Url),
    ("base62", Class::Alnum),
    ("base64", Class::Base64),
    ("base32", Class::Base32),
    ("digits", Class::Digits),
    ("alnum", Class::Alnum),
    ("uuid", Class::Uuid),
    ("hex", Class::Hex),
];

impl Class {
    pub fn name(self) -> &'static str {
        CLASS_NAMES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("?", |(n, _)| n)
    }

    /// Whether `b` may occur in a value of this class (padding and the UUID's hyphens included).
    pub fn member(self, b: u8) -> bool {
        match self {
            Class::Hex => b.is_ascii_hexdigit(),
            Class::HexLower => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            Class::HexUpper => b.is_ascii_digit() || (b'A'..=b'F').contains(&b),
            Class::Digits => b.is_ascii_digit(),
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::AlnumLower => b.is_ascii_digit() || b.is_ascii_lowercase(),
            Class::AlnumUpper => b.is_ascii_digit() || b.is_ascii_uppercase(),
            Class::Base32 => b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b == b'=',
            Class::Base64 => b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
            Class::Base64Url => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'),
            Class::Uuid => b.is_ascii_hexdigit() || b == b'-',
        }
    }

    /// Whether `b` next to a value would make it part of a longer token: letters, digits, `_`,
    /// `-` and the class's own characters. A `hex32` is never the middle of a longer hexadecimal
    /// string, nor a run of a base64url digest between two of its `-`. `=` is padding, which
    /// only ends a value: the `=` of `KEY=value` does not join it.
    pub fn joins(self, b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (b != b'=' && self.member(b))
    }

    /// The minimum entropy a value of this class must have when the detector sets none and the
    /// value has no prefix (bits per character; capped for short values in `Shape`).
    pub fn default_min_entropy(self) -> f64 {
        match self {
            Class::Hex | Class::HexLower | Class::HexUpper | Class::Uuid => 3.0,
            Class::Digits => 2.5,
            _ => 3.5,
        }
    }
}

/// One part of a shaped value: a literal, then `min..=max` characters of a class.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub literal: String,
    pub class: Class,
    pub min: usize,
    pub max: usize,
}

/// A detector's value: its parts in order (the first literal is the prefix).
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError(pub String);

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest value length a shape may name: a window sees 1 KiB either side of its keyword.
pub const MAX_SHAPE_LEN: usize = 512;

impl Shape {
    /// Parses `shape`, with an optional `prefix` and an optional `then` (`".base64url-43"`).
    pub fn parse(
        prefix: Option<&str>,
        shape: &str,
        then: Option<&str>,
    ) -> Result<Shape, ShapeError> {
        let mut parts = vec![Self::part(prefix.unwrap_or(""), shape)?];
        if let Some(then) = then {
            let at = then
                .char_indices()
                .find(|&(i, _)| Self::class_at(&then[i..]).is_some())
                .map(|(i, _)| i)
                .ok_or_else(|| {
                    ShapeError(format!(
                        "`then = \"{then}\"` names no shape: write a literal followed by one, such as \".base64url-43\""
                    ))
                })?;
            if at == 0 {
                return Err(ShapeError(format!(
                    "`then = \"{then}\"` needs a literal before its shape (a separator such as `.` or `_`)"
                )));
            }
            parts.push(Self::part(&then[..at], &then[at..])?);
        }
        let shape = Shape { parts };
        if shape.max_len() > MAX_SHAPE_LEN {
            return Err(ShapeError(format!(
                "values longer than {MAX_SHAPE_LEN} characters cannot be shapes; write a regex"
            )));
        }
        Ok(shape)
    }

    fn class_at(text: &str) -> Option<(Class, &str)> {
        CLASS_NAMES
            .iter()
            .find_map(|&(name, class)| Some((class, text.strip_prefix(name)?)))
    }

    fn part(literal: &str, shape: &str) -> Result<Part, ShapeError> {
        let bad = |why: &str| {
            ShapeError(format!(
                "shape `{shape}` {why}: write <class>-<length> (`base62-40`), <class>-<min>..<max> \
                 (`base64url-32..64`) or `uuid`; classes: hex, hex-lower, hex-upper, digits, alnum \
                 (base62), alnum-lower, alnum-upper, base32, base64, base64url, uuid"
            ))
        };
        if literal.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(ShapeError(format!(
                "literal `{}` must be printable ASCII without spaces",
                literal.escape_default()
            )));
        }
        let (class, rest) = Self::class_at(shape).ok_or_else(|| bad("names no known class"))?;
        let (min, max) = if class == Class::Uuid {
            if !rest.is_empty() {
                return Err(bad("has a length, but a uuid is always 36 characters"));
            }
            (36, 36)
        } else {
            let rest = rest.strip_prefix('-').unwrap_or(rest);
            if rest.is_empty() {
                return Err(bad("has no length"));
            }
            let number = |s: &str| {
                s.parse::<usize>()
                    .map_err(|_| bad("has a length that is not a number"))
            };
            let (min, max) = match rest.split_once("..") {
                Some((a, b)) => (number(a)?, number(b)?),
                None => {
                    let n = number(rest)?;
                    (n, n)
                }
            };
            if min == 0 || min > max {
                return Err(bad("has an empty or reversed length range"));
            }
            (min, max)
        };
        Ok(Part {
            literal: literal.to_string(),
            class,
            min,
            max,
        })
    }

    /// The literal every value starts with (empty: the value needs its keyword as context).
    pub fn prefix(&self) -> &str {
        &self.parts[0].literal
    }

    pub fn max_len(&self) -> usize {
        self.parts.iter().map(|p| p.literal.len() + p.max).sum()
    }

    pub fn min_len(&self) -> usize {
        self.parts.iter().map(|p| p.literal.len() + p.min).sum()
    }

    /// The entropy a value must reach when the detector sets no `min_entropy`: none for a value
    /// with a prefix (the prefix already says what it is), else the class's default, lowered
    /// for short values whose entropy cannot reach it.
    pub fn default_min_entropy(&self) -> Option<f64> {
        if !self.prefix().is_empty() {
            return None;
        }
        let class = self.parts[0].class.default_min_entropy();
        let reachable = (self.min_len() as f64).log2() - 1.0;
        Some(class.min(reachable).max(0.0))
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            f.write_str(&p.literal)?;
            match (p.class, p.min == p.max) {
                (Class::Uuid, _) => f.write_str("<uuid>")?,
                (c, true) => write!(f, "<{} {}>", c.name(), p.min)?,
                (c, false) => write!(f, "<{} {}..{}>", c.name(), p.min, p.max)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_parse() {
        let s = Shape::parse(None, "hex32", None).unwrap();
        assert_eq!(
            s.parts,
            vec![Part {
                literal: String::new(),
                class: Class::Hex,
                min: 32,
                max: 32
            }]
        );
        let s = Shape::parse(Some("SG."), "base64url-22", Some(".base64url-43")).unwrap();
        assert_eq!(s.to_string(), "SG.<base64url 22>.<base64url 43>");
        assert_eq!(s.min_len(), 69);
        let s = Shape::parse(None, "base62-32..40", None).unwrap();
        assert_eq!(
            (s.parts[0].class, s.parts[0].min, s.parts[0].max),
            (Class::Alnum, 32, 40)
        );
        assert_eq!(Shape::parse(None, "uuid", None).unwrap().max_len(), 36);
        assert_eq!(
            Shape::parse(None, "alnum-upper-20", None).unwrap().parts[0].class,
            Class::AlnumUpper
        );
    }

    #[test]
    fn bad_shapes_say_what_to_write() {
        for bad in [
            "hexa32",
            "hex",
            "base62-",
            "hex-0",
            "hex-40..32",
            "uuid36",
            "b64-40",
            "hex-x",
        ] {
            let e = Shape::parse(None, bad, None).unwrap_err().to_string();
            assert!(e.contains("write <class>-<length>"), "{bad}: {e}");
        }
        assert!(Shape::parse(None, "hex32", Some("base64-3")).is_err());
        assert!(Shape::parse(None, "hex32", Some(".")).is_err());
        assert!(Shape::parse(Some("a b"), "hex32", None).is_err());
        assert!(Shape::parse(None, "base64-600", None).is_err());
    }

    #[test]
    fn default_entropy_depends_on_class_prefix_and_length() {
        assert_eq!(
            Shape::parse(None, "hex32", None)
                .unwrap()
                .default_min_entropy(),
            Some(3.0)
        );
        assert_eq!(
            Shape::parse(None, "base62-40", None)
                .unwrap()
                .default_min_entropy(),
            Some(3.5)
        );
        assert_eq!(
            Shape::parse(Some("key-"), "hex32", None)
                .unwrap()
                .default_min_entropy(),
            None
        );
        let short = Shape::parse(None, "alnum-8", None)
            .unwrap()
            .default_min_entropy()
            .unwrap();
        assert!((short - 2.0).abs() < 1e-9, "{short}");
    }
}
