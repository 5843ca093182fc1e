//! A policy's `document` serialized straight from its `minified_json` text: the JSON is read
//! and handed to the serializer as it is read, so no `serde_json::Value` is built per policy.
//!
//! The reader knows JSON's full grammar except fractional numbers (a rendered policy holds only
//! objects, arrays and strings); what it cannot read fails the serialization.

use std::borrow::Cow;

use serde::ser::{Error, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// JSON text that serializes as the value it holds (keys in text order).
pub(crate) struct JsonText<'a>(pub(crate) &'a str);

impl Serialize for JsonText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.trim_matches(is_space);
        let bytes = text.as_bytes();
        let invalid = || S::Error::custom("a policy's minified_json is not a JSON document");
        match bytes.first() {
            Some(b'{') => {
                let mut map = serializer.serialize_map(None)?;
                let mut at = skip_space(bytes, 1);
                if bytes.get(at) == Some(&b'}') {
                    return map.end();
                }
                loop {
                    let key_end = string_end(bytes, at).ok_or_else(invalid)?;
                    let key = unescape(text.get(at + 1..key_end - 1).ok_or_else(invalid)?)
                        .ok_or_else(invalid)?;
                    at = skip_space(bytes, key_end);
                    if bytes.get(at) != Some(&b':') {
                        return Err(invalid());
                    }
                    let start = skip_space(bytes, at + 1);
                    let end = value_end(bytes, start, 0).ok_or_else(invalid)?;
                    let value = text.get(start..end).ok_or_else(invalid)?;
                    map.serialize_entry(key.as_ref(), &JsonText(value))?;
                    at = skip_space(bytes, end);
                    match bytes.get(at) {
                        Some(b',') => at = skip_space(bytes, at + 1),
                        Some(b'}') if at + 1 == bytes.len() => return map.end(),
                        _ => return Err(invalid()),
                    }
                }
            }
            Some(b'[') => {
                let mut seq = serializer.serialize_seq(None)?;
                let mut at = skip_space(bytes, 1);
                if bytes.get(at) == Some(&b']') {
                    return seq.end();
                }
                loop {
                    let end = value_end(bytes, at, 0).ok_or_else(invalid)?;
                    seq.serialize_element(&JsonText(text.get(at..end).ok_or_else(invalid)?))?;
                    at = skip_space(bytes, end);
                    match bytes.get(at) {
                        Some(b',') => at = skip_space(bytes, at + 1),
                        Some(b']') if at + 1 == bytes.len() => return seq.end(),
                        _ => return Err(invalid()),
                    }
                }
            }
            Some(b'"') if string_end(bytes, 0) == Some(bytes.len()) => {
                let inner = text.get(1..text.len() - 1).ok_or_else(invalid)?;
                serializer.serialize_str(&unescape(inner).ok_or_else(invalid)?)
            }
            _ => match text {
                "true" => serializer.serialize_bool(true),
                "false" => serializer.serialize_bool(false),
                "null" => serializer.serialize_unit(),
                _ => {
                    if let Ok(n) = text.parse::<i64>() {
                        serializer.serialize_i64(n)
                    } else if let Ok(n) = text.parse::<u64>() {
                        serializer.serialize_u64(n)
                    } else {
                        Err(invalid())
                    }
                }
            },
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// The index just past the string literal starting at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The index just past the value starting at `at` (no leading space). Nesting is bounded.
fn value_end(bytes: &[u8], at: usize, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        open @ (b'{' | b'[') => {
            let close = if *open == b'{' { b'}' } else { b']' };
            let mut i = skip_space(bytes, at + 1);
            if bytes.get(i) == Some(&close) {
                return Some(i + 1);
            }
            loop {
                if *open == b'{' {
                    i = skip_space(bytes, string_end(bytes, i)?);
                    if bytes.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_space(bytes, i + 1);
                }
                i = skip_space(bytes, value_end(bytes, i, depth + 1)?);
                match bytes.get(i)? {
                    b',' => i = skip_space(bytes, i + 1),
                    c if *c == close => return Some(i + 1),
                    _ => return None,
                }
            }
        }
        _ => {
            let len = bytes
                .get(at..)?
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(bytes.len() - at);
            (len > 0).then_some(at + len)
        }
    }
}

/// The text of a string literal's inside (between the quotes), escapes undone.
fn unescape(inner: &str) -> Option<Cow<'_, str>> {
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let unit = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    // A surrogate pair: `\uD83D\uDE00`.
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                char::from_u32(code)?
            }
            _ => return None,
        };
        out.push(unit);
    }
    Some(Cow::Owned(out))
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut code = 0;
    for _ in 0..4 {
        code = code * 16 + chars.next()?.to_digit(16)?;
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::JsonText;

    /// serde_json's own parser is the independent reader: the transcoded text must be what it
    /// reads, in the same key order.
    #[test]
    fn transcodes_as_serde_json_reads() {
        for text in [
            r#"{"Version":"2012-10-17"}"#,
            r#"{"a":[],"b":{},"c":["x","y"],"d":{"e":"\u003c\u0026\u003e \"q\" \\ \n\t\r\b\f \u2028 \ud83d\ude00 é"}}"#,
            r#" { "z" : [ "1" , { } ] , "a" : true , "n" : null , "i" : -12 , "f" : false } "#,
            r#"[]"#,
            r#""just a string""#,
        ] {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                serde_json::to_string(&JsonText(text)).unwrap(),
                serde_json::to_string(&expected).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for text in [
            "",
            "{",
            r#"{"a"}"#,
            r#"{"a":"b""#,
            r#"{"a":"b"}x"#,
            r#"["a",]"#,
            r#""\x""#,
            r#""\ud83d""#,
            "1.5",
        ] {
            assert!(serde_json::to_string(&JsonText(text)).is_err(), "{text}");
        }
    }
}
