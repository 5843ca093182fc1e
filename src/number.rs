//! A number where Terraform expects a string, written as Terraform writes it.
//!
//! Terraform converts a number to a string with cty: `big.Float.Text('f', -1)`, the shortest
//! decimal that reads back as the same 512-bit float, with no exponent and no `.0`, and `-0`
//! for negative zero (`1e21` → `"1000000000000000000000"`, `1e-7` → `"0.0000001"`, `-0.0` →
//! `"-0"`). HCL reads a `.tfvars.json` number into a 512-bit float, so a decimal of at most 153
//! significant digits comes back exactly as it was written, digits kept: two decimals of at
//! most 153 digits are further apart than one step of 512 bits (10^-153 > 2^-511), so no other
//! decimal as short can read back as the same float. Beyond that Terraform rounds
//! (a 200-digit integer comes out with 155 significant digits); that is a diagnostic here, not
//! a guess.
//!
//! The number arrives as a `serde_json::Number`, whose text (serde_json's
//! `arbitrary_precision` feature, see Cargo.toml) is the JSON text as written, or for a number
//! that came from a JS number (an f64), its shortest round-trip decimal (`1e21`, `-0.0`). The
//! conversion is done on that text, digit by digit: no float arithmetic, so nothing is lost.
//! No crate does this (it is cty's own rule); it is a linear pass over the text.
//!
//! Checked against Terraform 1.11.4 (a root module with `variable "x" { type = string }` and
//! `output "x"`, `terraform apply -var-file=x.tfvars.json`, `terraform output -raw x`); the
//! values are in tests/fixtures/numbers/terraform_strings.json.

/// Most significant digits Terraform keeps exactly (see the notes at the top).
pub(crate) const EXACT_DIGITS: usize = 153;

/// The longest string a number is expanded to: longer than any string that can apply in
/// this module (the whole inline policy is at most 10,240 characters), and a bound on the
/// memory a short text such as `1e999999999` could otherwise take.
pub(crate) const MAX_CHARS: usize = 10_240;

/// Why a number cannot be written as Terraform would write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// More significant digits than [`EXACT_DIGITS`]: Terraform would round it.
    TooPrecise {
        /// The number's significant digits.
        digits: usize,
    },
    /// The decimal form would be longer than [`MAX_CHARS`].
    TooLong {
        /// The characters it would take (saturated).
        chars: usize,
    },
}

/// A JS number as the inputs hold it: safe integers and other integral values up to 2^64 as
/// integers (so that Terraform's conversion prints them as such), other finite numbers as
/// floats (`-0` keeps its sign); `None` for NaN and the infinities, which JSON cannot hold.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS bindings' (and tests')
pub(crate) fn from_js(n: f64) -> Option<serde_json::Number> {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 && !(n == 0.0 && n.is_sign_negative())
    {
        return Some(serde_json::Number::from(n as i64));
    }
    serde_json::Number::from_f64(n)
}

/// The string Terraform makes of the JSON number `text`
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, leniently).
pub(crate) fn to_terraform_string(text: &str) -> Result<String, Problem> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or(""),
            unsigned.get(at + 1..).unwrap_or(""),
        ),
        None => (unsigned, ""),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));

    // The digits of whole and fraction with the decimal point after `point` of them.
    let digits = whole.bytes().chain(fraction.bytes());
    let leading_zeros = digits.clone().take_while(|&b| b == b'0').count();
    let significant: Vec<u8> = digits.skip(leading_zeros).collect();
    let trailing_zeros = significant.iter().rev().take_while(|&&b| b == b'0').count();
    let significant = significant
        .get(..significant.len() - trailing_zeros)
        .unwrap_or(&[]);
    if significant.is_empty() {
        return Ok(write_plain(negative, significant, 0));
    }
    if significant.len() > EXACT_DIGITS {
        return Err(Problem::TooPrecise {
            digits: significant.len(),
        });
    }
    // Where the point is, counted from the first significant digit (negative: zeros between
    // the point and the first digit). Saturating: a huge exponent is only ever too long.
    let point = (whole.len() as i64)
        .saturating_sub(leading_zeros as i64)
        .saturating_add(parse_exponent(exponent));
    let length = significant.len() as i64;
    let chars = i64::from(negative)
        + if point <= 0 {
            2i64.saturating_add(point.saturating_neg())
                .saturating_add(length)
        } else if point >= length {
            point
        } else {
            length + 1
        };
    if chars > MAX_CHARS as i64 {
        return Err(Problem::TooLong {
            chars: usize::try_from(chars).unwrap_or(usize::MAX),
        });
    }
    // Bounded by MAX_CHARS from here on.
    Ok(write_plain(negative, significant, point as isize))
}

/// The significant `digits` (ASCII, without leading or trailing zeros; none for zero) with
/// the decimal point after `point` of them (when negative, that many zeros between the point
/// and the first digit), in plain decimal as Terraform writes a number: no exponent, no
/// trailing `.0`, `-0` for negative zero. Its length, which the caller bounds, is about
/// `max(point, digits.len()) + max(-point, 0) + 3`.
pub(crate) fn write_plain(negative: bool, digits: &[u8], point: isize) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let digit = |b: &u8| char::from(*b);
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs()));
        out.extend(digits.iter().map(digit));
    } else {
        let point = point.unsigned_abs();
        let (before, after) = digits.split_at(point.min(digits.len()));
        out.extend(before.iter().map(digit));
        out.extend(std::iter::repeat_n('0', point.saturating_sub(digits.len())));
        if !after.is_empty() {
            out.push('.');
            out.extend(after.iter().map(digit));
        }
    }
    out
}

/// `[+-]?[0-9]+` as a number, saturating far beyond any exponent that fits [`MAX_CHARS`].
fn parse_exponent(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    const LIMIT: i64 = 1 << 40;
    let magnitude = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0, |n: i64, b| (n * 10 + i64::from(b - b'0')).min(LIMIT));
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terraform(text: &str) -> String {
        to_terraform_string(text).unwrap()
    }

    #[test]
    fn writes_exact_decimals_without_exponent() {
        // What Terraform 1.11.4 printed for each (tests/fixtures/numbers has the full table).
        for (text, expected) in [
            ("1e21", "1000000000000000000000"),
            ("9007199254740992", "9007199254740992"),
            ("9007199254740992.0", "9007199254740992"),
            ("0.000001", "0.000001"),
            ("1e-7", "0.0000001"),
            ("-0.0", "-0"),
            ("-0", "-0"),
            ("0", "0"),
            ("0.0", "0"),
            ("1.0", "1"),
            ("1.50", "1.5"),
            ("1E+2", "100"),
            ("-1.5e-3", "-0.0015"),
            ("100e-2", "1"),
            ("12345678901234567890", "12345678901234567890"),
            ("0.1000000000000000000001", "0.1000000000000000000001"),
        ] {
            assert_eq!(terraform(text), expected, "{text}");
        }
    }

    #[test]
    fn js_numbers_as_the_inputs_hold_them() {
        let text = |n: f64| from_js(n).map(|n| to_terraform_string(&n.to_string()).ok());
        assert_eq!(text(42.0), Some(Some("42".to_owned())));
        assert_eq!(text(-0.0), Some(Some("-0".to_owned())));
        assert_eq!(
            text(9_007_199_254_740_992.0),
            Some(Some("9007199254740992".to_owned()))
        );
        assert_eq!(text(1e21), Some(Some("1000000000000000000000".to_owned())));
        assert_eq!(text(0.1), Some(Some("0.1".to_owned())));
        assert_eq!(from_js(f64::NAN), None);
        assert_eq!(from_js(f64::INFINITY), None);
    }

    #[test]
    fn shortest_f64_texts_expand() {
        // serde_json's text of numbers made from f64 (JS numbers).
        for (f, expected) in [
            (1e21, "1000000000000000000000"),
            (-0.0, "-0"),
            (9007199254740992.0, "9007199254740992"),
            (1e-7, "0.0000001"),
            (0.1, "0.1"),
            (1.5e300, &format!("15{}", "0".repeat(299))),
            (5e-324, &format!("0.{}5", "0".repeat(323))),
        ] {
            let number = serde_json::Number::from_f64(f).unwrap();
            assert_eq!(terraform(number.as_str()), expected, "{f:e}");
        }
    }

    #[test]
    fn precision_and_length_limits() {
        let exact = format!("1{}3", "2".repeat(EXACT_DIGITS - 2));
        assert_eq!(terraform(&exact), exact);
        assert_eq!(terraform(&format!("{exact}000")), format!("{exact}000"));
        let rounded = format!("1{}3", "2".repeat(EXACT_DIGITS - 1));
        assert_eq!(
            to_terraform_string(&rounded),
            Err(Problem::TooPrecise {
                digits: EXACT_DIGITS + 1
            })
        );
        assert_eq!(terraform("1e10239").len(), MAX_CHARS);
        assert_eq!(
            to_terraform_string("1e10240"),
            Err(Problem::TooLong { chars: 10_241 })
        );
        assert_eq!(
            to_terraform_string("-1e-10240"),
            Err(Problem::TooLong { chars: 10_243 })
        );
        assert!(matches!(
            to_terraform_string("1e99999999999999999999999"),
            Err(Problem::TooLong { .. })
        ));
        assert_eq!(terraform("0e99999999999999999999999"), "0");
        assert!(matches!(
            to_terraform_string("1e-99999999999999999999999"),
            Err(Problem::TooLong { .. })
        ));
    }
}
