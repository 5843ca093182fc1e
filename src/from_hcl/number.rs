//! Number literals of the HCL text, kept exact.
//!
//! Terraform reads a number literal at 512 bits of precision and, where a string is expected
//! (every variable of this module that takes a number), writes it as its exact decimal digits:
//! `12345678901234567890` stays `"12345678901234567890"`, `1e21` becomes
//! `"1000000000000000000000"`, `-0.0` becomes `"-0"` (measured with `terraform apply
//! -var-file`, tests/fixtures/from_hcl/README.md). A JS number is an f64, and the inputs reach
//! the engine through JS in the package and the page (`JSON.parse`, `JSON.stringify`): a
//! literal whose value an f64 does not hold exactly would arrive as another number.
//!
//! So a literal is kept as a JSON number when its f64's shortest decimal is the literal's own
//! value, and the f64 is not `-0` (which `JSON.stringify` writes as `0`): the engine's decoder
//! then converts it as it converts a number of a `terraform.tfvars.json`, with the same
//! `type_converted` info. Any other literal is given as the string Terraform converts it to,
//! with an `hcl_number_as_string` info. The string is the literal's value in plain decimal
//! digits, written as the engine writes a number given for a string (`crate::number`): what
//! Terraform writes for any literal of up to 153 significant digits (the digits 512 bits
//! always keep); a longer one gets an `hcl_number_precision` warning.

use serde_json::{Number, Value};

use crate::diagnostics::{shown, Code, Diagnostic, Path};
use crate::number::{write_plain, EXACT_DIGITS};

/// Longest plain decimal written for a literal (`1e100000` would be 100,001 characters): far
/// over anything an IAM name, tag or policy field takes.
pub(super) const MAX_PLAIN_LENGTH: usize = 4096;

/// A decimal number: `digits` × 10^`exponent`, `digits` without leading or trailing zeros
/// (empty for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decimal {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Reads `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` (HCL's number literal, with a sign, and
    /// Rust's `{:e}` of an f64); `None` for anything else or an exponent beyond i64.
    pub(super) fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => {
                let exp = rest.get(at + 1..)?;
                let exp = exp.strip_prefix('+').unwrap_or(exp);
                (rest.get(..at)?, exp.parse::<i64>().ok()?)
            }
            None => (rest, 0),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int) || !(frac.is_empty() || all_digits(frac)) || mantissa.ends_with('.') {
            return None;
        }
        let mut digits: String = int.chars().chain(frac.chars()).collect();
        let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
        let leading = digits.len() - digits.trim_start_matches('0').len();
        digits.drain(..leading);
        let trimmed = digits.trim_end_matches('0').len();
        exponent = exponent.checked_add(i64::try_from(digits.len() - trimmed).ok()?)?;
        digits.truncate(trimmed);
        if digits.is_empty() {
            exponent = 0;
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }

    /// The number of significant digits.
    pub(super) fn significant_digits(&self) -> usize {
        self.digits.len()
    }

    /// Plain decimal digits, no exponent, no trailing zeros after the point: how Terraform
    /// writes a number as a string (`-0` for negative zero). `None` when longer than
    /// [`MAX_PLAIN_LENGTH`].
    pub(super) fn plain(&self) -> Option<String> {
        let len = i64::try_from(self.digits.len()).ok()?;
        // Where the point goes, counted from the first digit.
        let point = len.checked_add(self.exponent)?;
        let width = point.max(len).max(0) + (-point).max(0) + 3;
        if width > MAX_PLAIN_LENGTH as i64 {
            return None;
        }
        let point = isize::try_from(point).ok()?;
        Some(write_plain(self.negative, self.digits.as_bytes(), point))
    }

    /// Whether a JS number holds this value exactly and `JSON.stringify` writes it back as it:
    /// the nearest f64's shortest decimal is this value, and it is not negative zero.
    pub(super) fn fits_js_number(&self) -> bool {
        if self.digits.is_empty() {
            return !self.negative;
        }
        let text = format!(
            "{}{}e{}",
            if self.negative { "-" } else { "" },
            self.digits,
            self.exponent
        );
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Decimal::parse(&format!("{f:e}")).as_ref() == Some(self),
            _ => false,
        }
    }
}

/// What a number literal (`text`, with a `-` when negated) reads as; see the file's notes.
pub(super) enum Read {
    /// A JSON number, exactly as a `terraform.tfvars.json` would hold it.
    Number(Value),
    /// The string Terraform converts it to; `true` when Terraform would round it first.
    String(String, bool),
    /// Too long to write out.
    TooLong,
}

/// Reads a number literal.
pub(super) fn read(text: &str) -> Read {
    let Some(decimal) = Decimal::parse(text) else {
        return Read::TooLong;
    };
    if decimal.fits_js_number() {
        if let Some(number) = json_number(text) {
            return Read::Number(Value::Number(number));
        }
    }
    match decimal.plain() {
        Some(plain) => Read::String(plain, decimal.significant_digits() > EXACT_DIGITS),
        None => Read::TooLong,
    }
}

/// A number literal (`text`, with a `-` when negated) read at `path`, in a `.tfvars` or a
/// `.tfvars.json` alike: its value (`None` when too long to write out) and the diagnostics that
/// say how it was read, without their place in the text.
pub(super) fn literal(text: &str, path: &Path) -> (Option<Value>, Vec<Diagnostic>) {
    let given = shown(text);
    match read(text) {
        Read::Number(n) => (Some(n), Vec::new()),
        Read::String(s, rounded) => {
            let mut diagnostics = Vec::new();
            if rounded {
                diagnostics.push(
                    Diagnostic::new(
                        Code::HclNumberPrecision,
                        path,
                        format!("the number {given} has more significant digits than Terraform keeps (512 bits): Terraform rounds it, this keeps every digit"),
                    )
                    .with_help("write it as a quoted string to keep every digit in Terraform too"),
                );
            }
            diagnostics.push(
                Diagnostic::new(
                    Code::HclNumberAsString,
                    path,
                    format!("the number {given} is read as the string \"{}\", as Terraform converts it: a JS number cannot hold it exactly", shown(&s)),
                )
                .with_help(format!("write it as the string \"{s}\"")),
            );
            (Some(Value::String(s)), diagnostics)
        }
        Read::TooLong => {
            let diagnostic = Diagnostic::new(
                Code::HclInvalidValue,
                path,
                format!("the number {given} is too large to write out"),
            )
            .with_help("no input of the module takes such a number: write the value as a string");
            (None, vec![diagnostic])
        }
    }
}

/// The number literal around byte `offset` of `text` when an f64 cannot hold its magnitude
/// (`1e400`): hcl-edit's number parser stops there with a syntax error, where Terraform reads it.
pub(super) fn overflowing_at(text: &str, offset: usize) -> Option<&str> {
    let is_number = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'+' || b == b'-';
    let bytes = text.as_bytes();
    let end = offset
        + bytes
            .get(offset..)?
            .iter()
            .take_while(|b| is_number(**b))
            .count();
    let begin = offset
        - bytes
            .get(..offset)?
            .iter()
            .rev()
            .take_while(|b| is_number(**b))
            .count();
    let literal = text.get(begin..end)?.trim_start_matches(['-', '+']);
    Decimal::parse(literal)?;
    literal.parse::<f64>().ok().filter(|f| f.is_infinite())?;
    Some(literal)
}

/// The JSON number of a literal, as serde_json reads it from a `terraform.tfvars.json` (its
/// text when serde_json keeps numbers' text): HCL allows leading zeros, JSON does not.
fn json_number(text: &str) -> Option<Number> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let unpadded = rest.trim_start_matches('0');
    let json = if unpadded.is_empty() || !unpadded.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{sign}0{unpadded}")
    } else {
        format!("{sign}{unpadded}")
    };
    serde_json::from_str(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        Decimal::parse(text).unwrap().plain().unwrap()
    }

    #[test]
    fn plain_decimals_are_terraforms() {
        // Each pair measured with `terraform apply -var-file` into a map(string) variable.
        for (literal, terraform) in [
            ("12345678901234567890", "12345678901234567890"),
            ("0.1000000000000000000001", "0.1000000000000000000001"),
            ("1.50", "1.5"),
            ("1e21", "1000000000000000000000"),
            ("-0.0", "-0"),
            ("00012", "12"),
            ("1.0E+2", "100"),
            ("9007199254740993", "9007199254740993"),
            ("0.30000000000000004", "0.30000000000000004"),
            ("1e-7", "0.0000001"),
            ("0", "0"),
            ("120.0500", "120.05"),
        ] {
            assert_eq!(plain(literal), terraform, "{literal}");
        }
        assert_eq!(plain("1e400").len(), 401);
    }

    #[test]
    fn what_a_js_number_holds() {
        for fits in [
            "1",
            "1.5",
            "1e21",
            "0.1",
            "9007199254740992",
            "1e300",
            "0",
            "-5",
        ] {
            assert!(Decimal::parse(fits).unwrap().fits_js_number(), "{fits}");
        }
        for not in [
            "12345678901234567890",
            "9007199254740993",
            "0.1000000000000000000001",
            "1e400",
            "1e-400",
            "-0",
            "-0.0",
        ] {
            assert!(!Decimal::parse(not).unwrap().fits_js_number(), "{not}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_literal() {
        for bad in [
            "",
            "-",
            "1.",
            ".5",
            "1e",
            "e5",
            "1x",
            "1e99999999999999999999",
            "--1",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
        assert!(matches!(read("1e100000"), Read::TooLong));
    }

    #[test]
    fn numbers_read_as_json_would() {
        let number = |t: &str| match read(t) {
            Read::Number(n) => n,
            _ => panic!("{t} not a number"),
        };
        assert_eq!(number("007"), serde_json::json!(7));
        assert_eq!(number("-5"), serde_json::json!(-5));
        // The literal's text is kept (serde_json's `arbitrary_precision`); its value is 1.5.
        assert_eq!(number("1.50").as_f64(), Some(1.5));
        assert_eq!(number("0.0"), serde_json::json!(0.0));
        assert!(matches!(read("-0"), Read::String(s, false) if s == "-0"));
    }
}
