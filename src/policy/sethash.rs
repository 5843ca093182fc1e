//! Terraform SDKv2 `TypeSet` ordering of `principals`, `not_principals` and `condition` blocks.
//!
//! The SDK keys each set element by the CRC-32 (IEEE) of a text serialization of the element and
//! lists the elements sorted by the *decimal string* of that key (a string sort, so `"1000"` comes
//! before `"20"`). Identical elements share a key and collapse into one. The serializations are
//! spelled out in `reference/iam-rules.md` §1.4:
//!
//! * a string element of a set: `value;`
//! * a principal block: `identifiers:{` + each identifier + `;` (in the identifiers' own set
//!   order) + `};type:` + type + `;`
//! * a condition block: `test:` + test + `;values:(` + each value + `;` + `);variable:` +
//!   variable + `;`

use std::cmp::Ordering;

use super::ConditionBlock;

/// The CRC-32 (IEEE 802.3, reflected, polynomial `0xEDB88320`) lookup table.
const TABLE: [u32; 256] = make_table();

const fn make_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

/// A streaming CRC-32 (IEEE), the checksum of Go's `crc32.ChecksumIEEE`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crc32(u32);

impl Crc32 {
    /// Starts a checksum.
    pub(crate) const fn new() -> Self {
        Self(!0)
    }

    /// Feeds bytes.
    pub(crate) fn update(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 = TABLE[((self.0 ^ u32::from(b)) & 0xff) as usize] ^ (self.0 >> 8);
        }
        self
    }

    /// Feeds a string's UTF-8 bytes.
    pub(crate) fn str(self, s: &str) -> Self {
        self.update(s.as_bytes())
    }

    /// The checksum.
    pub(crate) const fn finish(self) -> u32 {
        !self.0
    }
}

/// The CRC-32 (IEEE) of `bytes`.
#[cfg(test)]
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    Crc32::new().update(bytes).finish()
}

/// A set key: the decimal digits of a hash code, compared as a string (as `sort.Strings` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SetKey {
    digits: [u8; 10],
    len: u8,
}

impl SetKey {
    /// The key of hash code `code` (`strconv.Itoa` of a non-negative `int`).
    pub(crate) fn new(code: u32) -> Self {
        let mut digits = [0u8; 10];
        let mut len = 0usize;
        let mut rest = code;
        // Write the digits backwards, then reverse the used part.
        loop {
            if let Some(slot) = digits.get_mut(len) {
                *slot = b'0' + (rest % 10) as u8;
            }
            len += 1;
            rest /= 10;
            if rest == 0 || len == digits.len() {
                break;
            }
        }
        if let Some(used) = digits.get_mut(..len) {
            used.reverse();
        }
        Self {
            digits,
            len: len as u8,
        }
    }

    /// The decimal digits.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.digits.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl Ord for SetKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for SetKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The set key of a string element: CRC-32 of `value;`.
fn string_key(value: &str) -> SetKey {
    SetKey::new(Crc32::new().str(value).update(b";").finish())
}

/// The positions of `keys` in the SDK's set order: ascending by the decimal string of each
/// key, elements with equal keys collapsed into the first of them.
pub(crate) fn set_order(keys: impl Iterator<Item = SetKey>) -> Vec<(SetKey, usize)> {
    let mut order: Vec<(SetKey, usize)> = keys.zip(0..).collect();
    // By key then position, so the first of equal elements comes first and survives dedup.
    order.sort_unstable();
    order.dedup_by_key(|entry| entry.0);
    order
}

/// The set key of a principal block of type `kind` with the distinct identifiers `ids`.
pub(crate) fn principal_key<S: AsRef<str>>(kind: &str, ids: &[S]) -> SetKey {
    let mut crc = Crc32::new().update(b"identifiers:{");
    if let [only] = ids {
        crc = crc.str(only.as_ref()).update(b";");
    } else {
        // The identifiers are written in their own set order.
        for (_, i) in set_order(ids.iter().map(|id| string_key(id.as_ref()))) {
            if let Some(id) = ids.get(i) {
                crc = crc.str(id.as_ref()).update(b";");
            }
        }
    }
    let crc = crc.update(b"};type:").str(kind).update(b";");
    SetKey::new(crc.finish())
}

/// The set key of a condition block.
pub(crate) fn condition_key(block: &ConditionBlock) -> SetKey {
    let mut crc = Crc32::new()
        .update(b"test:")
        .str(&block.test)
        .update(b";values:(");
    for value in &block.values {
        crc = crc.str(value).update(b";");
    }
    let crc = crc.update(b");variable:").str(&block.variable).update(b";");
    SetKey::new(crc.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_vectors() {
        // The standard check value of CRC-32/ISO-HDLC, and zlib.crc32 values.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"a"), 0xE8B7_BE43);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn crc32_streams() {
        let whole = crc32(b"identifiers:{a;};type:AWS;");
        let parts = Crc32::new()
            .update(b"identifiers:{")
            .str("a")
            .update(b";};type:")
            .str("AWS")
            .update(b";")
            .finish();
        assert_eq!(whole, parts);
    }

    #[test]
    fn set_keys_sort_as_decimal_strings() {
        assert_eq!(SetKey::new(0).as_bytes(), b"0");
        assert_eq!(SetKey::new(u32::MAX).as_bytes(), b"4294967295");
        assert_eq!(SetKey::new(1_000_000_000).as_bytes(), b"1000000000");
        assert!(SetKey::new(1000) < SetKey::new(20));
        assert!(SetKey::new(4_294_967_295) < SetKey::new(5));
        assert!(SetKey::new(12) < SetKey::new(120));
    }

    #[test]
    fn equal_keys_collapse_into_the_first() {
        let order = set_order([SetKey::new(20), SetKey::new(1000), SetKey::new(20)].into_iter());
        assert_eq!(order, vec![(SetKey::new(1000), 1), (SetKey::new(20), 0)]);
    }

    #[test]
    fn principal_key_follows_the_serialization() {
        // One identifier: "identifiers:{a;};type:AWS;".
        assert_eq!(
            principal_key("AWS", &["a"]),
            SetKey::new(crc32(b"identifiers:{a;};type:AWS;"))
        );
        // Two: written in their own set order (decimal string of crc32("x;") and "y;").
        let (x, y) = (crc32(b"x;"), crc32(b"y;"));
        let text: &[u8] = if SetKey::new(x) < SetKey::new(y) {
            b"identifiers:{x;y;};type:AWS;"
        } else {
            b"identifiers:{y;x;};type:AWS;"
        };
        assert_eq!(principal_key("AWS", &["x", "y"]), SetKey::new(crc32(text)));
        assert_eq!(
            principal_key("AWS", &["y", "x"]),
            principal_key("AWS", &["x", "y"])
        );
    }
}
