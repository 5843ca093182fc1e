//! A small JSON parser for the text the bindings' fast path receives: what `JSON.stringify`
//! writes for plain data (objects, arrays, strings, safe integers, booleans, null; no
//! whitespace). It accepts whitespace too, and answers `None` for anything else (fractions,
//! exponents, integers outside i64, lone surrogates, trailing text, nesting deeper than
//! [`MAX_DEPTH`]), so the caller falls back to the walk that gives exact diagnostics.
//!
//! Ours rather than serde_json's deserializer: that one costs the wasm ~15 KB.

use serde_json::{Map, Number, Value};

use crate::mem::AppendStr;

/// Deepest nesting accepted (the fast path sends at most 32 levels plus the wrapping array).
const MAX_DEPTH: usize = 40;

/// The value of `text`, or `None` when it is not such JSON text.
pub(crate) fn parse(text: &str) -> Option<Value> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    (parser.at == parser.bytes.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    // Inlined: at `opt-level = "z"` these would be calls per byte.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.skip_whitespace();
        (self.next()? == b).then_some(())
    }

    fn literal(&mut self, rest: &[u8], value: Value) -> Option<Value> {
        let end = self.at.checked_add(rest.len())?;
        (self.bytes.get(self.at..end)? == rest).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.skip_whitespace();
        match self.next()? {
            b'"' => self.string().map(Value::String),
            b'{' if depth < MAX_DEPTH => self.object(depth),
            b'[' if depth < MAX_DEPTH => self.array(depth),
            b't' => self.literal(b"rue", Value::Bool(true)),
            b'f' => self.literal(b"alse", Value::Bool(false)),
            b'n' => self.literal(b"ull", Value::Null),
            b'-' => self.integer(true),
            b'0'..=b'9' => {
                self.at -= 1;
                self.integer(false)
            }
            _ => None,
        }
    }

    fn integer(&mut self, negative: bool) -> Option<Value> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let digits = self.bytes.get(start..self.at)?;
        // No leading zeros (JSON), no fraction or exponent (the fast path sends none).
        if digits.is_empty()
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
            || matches!(self.peek(), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        let mut n: i64 = 0;
        for d in digits {
            n = n.checked_mul(10)?.checked_sub(i64::from(d - b'0'))?;
        }
        // JSON.stringify writes no `-0`.
        if negative && n == 0 {
            return None;
        }
        if !negative {
            n = n.checked_neg()?;
        }
        Some(Value::Number(Number::from(n)))
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.next()? {
                b',' => {}
                b']' => return Some(Value::Array(items)),
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(Value::Object(Map::new()));
        }
        // Room for the variables (depth 1) or a small map, so that few maps grow.
        let mut map = Map::with_capacity(if depth <= 1 { 8 } else { 4 });
        loop {
            self.eat(b'"')?;
            let key = self.string()?;
            self.eat(b':')?;
            let value = self.value(depth + 1)?;
            // A repeated key keeps its first place and takes the last value (as JS does).
            map.insert(key, value);
            self.skip_whitespace();
            match self.next()? {
                b',' => {}
                b'}' => return Some(Value::Object(map)),
                _ => return None,
            }
        }
    }

    /// The rest of a string whose opening quote was read.
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let start = self.at;
            let run = self.bytes.get(start..)?;
            let len = run
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
            self.at = start + len;
            // The run starts and ends at ASCII bytes: char boundaries.
            let run = self.text.get(start..self.at)?;
            match self.next()? {
                // Most strings have no escape: one allocation of their size.
                b'"' if out.is_empty() => return Some(run.to_owned()),
                b'"' => {
                    out.append_str(run);
                    return Some(out);
                }
                b'\\' => {
                    out.append_str(run);
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.escaped_char()?,
                        _ => return None,
                    };
                    out.push(c);
                }
                // A raw control character.
                _ => return None,
            }
        }
    }

    /// The char of a `\uXXXX` escape (its `\u` read), a surrogate pair taking two escapes.
    fn escaped_char(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.literal(b"\\u", Value::Null)?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        char::from_u32(code)
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = char::from(self.next()?).to_digit(16)?;
            n = n * 16 + digit;
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    #[test]
    fn parses_what_json_stringify_writes() {
        let text = r#"[{"name_prefix":"metaflow-prod","tags":{"a\"b":"\u0000\n\t\\/","é":"漢🎉"},"n":[0,-1,9007199254740991,-9007199254740991,true,false,null,[],{}]},null]"#;
        assert_eq!(parse(text), serde_json::from_str::<Value>(text).ok());
        assert_eq!(
            parse(r#""\ud83c\udf89\u00e9""#),
            Some(json!("🎉é")),
            "surrogate pairs"
        );
    }

    #[test]
    fn rejects_what_the_fast_path_never_sends() {
        for text in [
            "",
            "1.5",
            "1e3",
            "01",
            "-",
            "--1",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\u{1}\"",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "[1] x",
            "tru",
            "\"abc",
            "\"\\x\"",
            "9223372036854775808",
            "{1:2}",
            "nul",
            "-0",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        assert_eq!(parse(&"[".repeat(100)), None, "too deep");
        assert_eq!(
            parse("-9223372036854775808"),
            Some(json!(i64::MIN)),
            "i64::MIN"
        );
    }

    #[test]
    fn keeps_key_order_and_takes_the_last_of_a_repeated_key() {
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().iter().collect();
        assert_eq!(
            keys,
            [(&"b".to_owned(), &json!(3)), (&"a".to_owned(), &json!(2))]
        );
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            (-9_007_199_254_740_991i64..=9_007_199_254_740_991).prop_map(|n| json!(n)),
            any::<String>().prop_map(Value::String),
            "[\\x00-\\x7f\"\\\\]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// serde_json's writer is the independent source: its text, compact or pretty, parses
        /// back to the value serde_json's own reader makes of it.
        #[test]
        fn agrees_with_serde_json(v in value()) {
            for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
                let ours = parse(&text);
                prop_assert_eq!(&ours, &serde_json::from_str::<Value>(&text).ok());
                prop_assert_eq!(ours.as_ref(), Some(&v));
                // Key order too (preserve_order: Map's equality ignores order).
                prop_assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&Some(&v)).unwrap());
            }
        }

        /// Escapes as JSON.stringify writes them (\uXXXX for control characters, lowercase).
        #[test]
        fn decodes_unicode_escapes(s in any::<String>()) {
            let mut text = String::from("\"");
            for unit in s.encode_utf16() {
                text.push_str(&format!("\\u{unit:04x}"));
            }
            text.push('"');
            prop_assert_eq!(parse(&text), Some(Value::String(s)));
        }

        /// Any text: never panics, and whatever it accepts serde_json reads the same way.
        #[test]
        fn accepts_nothing_serde_json_reads_otherwise(text in "[\\[\\]{}\",:0-9a-z\\\\ -]{0,24}") {
            if let Some(ours) = parse(&text) {
                prop_assert_eq!(Some(ours), serde_json::from_str::<Value>(&text).ok());
            }
        }
    }
}
