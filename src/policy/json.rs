//! JSON text as Go's `encoding/json` writes it: `json.Marshal` (compact) and
//! `json.MarshalIndent(v, "", "  ")` (pretty), with Go's HTML-safe string escaping.

use crate::mem::AppendStr;

/// What each byte becomes inside a string: 0 = itself, `b'u'` = `\u00XX`, `b'l'` = maybe the
/// start of U+2028/U+2029 (lead byte E2), anything else = a backslash and that byte.
const ESCAPE: [u8; 256] = make_escape_table();

const fn make_escape_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'<' as usize] = b'u';
    table[b'>' as usize] = b'u';
    table[b'&' as usize] = b'u';
    table[0xE2] = b'l';
    table
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` as a JSON string literal, escaped as Go's `encoding/json` does with HTML escaping
/// on (the default of `Marshal` and `MarshalIndent`).
///
/// `<`, `>`, `&` become `\u003c`, `\u003e`, `\u0026`; U+2028 and U+2029 become `\u2028` and
/// `\u2029`; `"`, `\`, `\n`, `\r`, `\t`, `\b`, `\f` get short escapes; other control characters
/// become `\u00XX` (lowercase hex); everything else, DEL and non-ASCII included, is copied.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let code = ESCAPE[usize::from(b)];
        if code == 0 {
            continue;
        }
        let escape: &str = match code {
            b'l' => match bytes.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => "\\u2028",
                Some([0x80, 0xA9]) => "\\u2029",
                _ => continue,
            },
            _ => "",
        };
        out.append_str(s.get(start..i).unwrap_or_default());
        match code {
            b'l' => {
                out.append_str(escape);
                // Skip the two continuation bytes (they never need escaping themselves).
                start = i + 3;
            }
            b'u' => {
                out.append_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
                start = i + 1;
            }
            short => {
                out.push('\\');
                out.push(char::from(short));
                start = i + 1;
            }
        }
    }
    out.append_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// A comma, a newline and indentation for the common depths.
const COMMA_NEWLINE_INDENT: &str = ",\n                                ";

/// The compact and indented forms of a constant object key that needs no escaping:
/// `fixed_key!("Sid")` is `("\"Sid\":", "\"Sid\": ")`.
macro_rules! fixed_key {
    ($key:literal) => {
        (concat!("\"", $key, "\":"), concat!("\"", $key, "\": "))
    };
}
pub(crate) use fixed_key;

/// Writes the same JSON twice at once: compactly (`json.Marshal`) and indented like
/// `json.MarshalIndent(v, "", "  ")`.
///
/// The caller opens and closes containers and writes keys and values; the writer places
/// commas, newlines and indentation. Empty containers stay inline (`[]`, `{}`). Each string is
/// escaped once, into the compact text, and copied from there into the indented one.
pub(crate) struct Writer {
    compact: String,
    pretty: String,
    depth: usize,
    /// No member has been written yet in the innermost open container.
    empty: bool,
}

impl Writer {
    /// A writer whose compact text is expected to be about `compact_len` bytes.
    pub(crate) fn with_capacity(compact_len: usize) -> Self {
        Self {
            compact: String::with_capacity(compact_len),
            pretty: String::with_capacity(compact_len * 2),
            depth: 0,
            empty: true,
        }
    }

    /// The compact and the indented texts.
    pub(crate) fn finish(self) -> (String, String) {
        (self.compact, self.pretty)
    }

    fn push(&mut self, token: &str) {
        self.compact.append_str(token);
        self.pretty.append_str(token);
    }

    /// Appends to the indented text a newline and indentation, after a comma if `comma`.
    fn newline(&mut self, comma: bool) {
        let from = usize::from(!comma);
        match COMMA_NEWLINE_INDENT.get(from..2 + 2 * self.depth) {
            Some(text) => self.pretty.append_str(text),
            None => {
                self.pretty.append_str(if comma { ",\n" } else { "\n" });
                for _ in 0..self.depth {
                    self.pretty.append_str("  ");
                }
            }
        }
    }

    /// Starts a member of the innermost container (array element or object key).
    fn member(&mut self) {
        if self.depth == 0 {
            return;
        }
        let comma = !self.empty;
        if comma {
            self.compact.push(',');
        }
        self.newline(comma);
        self.empty = false;
    }

    fn open(&mut self, bracket: &str) {
        self.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: &str) {
        self.depth = self.depth.saturating_sub(1);
        if !self.empty {
            self.newline(false);
        }
        self.push(bracket);
        self.empty = false;
    }

    /// Opens an object as a value.
    pub(crate) fn begin_object(&mut self) {
        self.open("{");
    }

    /// Closes the innermost object.
    pub(crate) fn end_object(&mut self) {
        self.close("}");
    }

    /// Opens an array as a value.
    pub(crate) fn begin_array(&mut self) {
        self.open("[");
    }

    /// Closes the innermost array.
    pub(crate) fn end_array(&mut self) {
        self.close("]");
    }

    /// Writes an object key; the value must follow.
    pub(crate) fn key(&mut self, key: &str) {
        self.member();
        self.string(key);
        self.compact.push(':');
        self.pretty.append_str(": ");
    }

    /// Writes an object key known to need no escaping, given as its compact and indented
    /// forms (see `fixed_key!`); the value must follow.
    pub(crate) fn fixed_key(&mut self, (compact, pretty): (&str, &str)) {
        self.member();
        self.compact.append_str(compact);
        self.pretty.append_str(pretty);
    }

    /// Starts an array element; the value must follow.
    pub(crate) fn element(&mut self) {
        self.member();
    }

    /// Writes a string value.
    pub(crate) fn string(&mut self, value: &str) {
        let start = self.compact.len();
        write_string(&mut self.compact, value);
        self.pretty
            .append_str(self.compact.get(start..).unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, s);
        out
    }

    #[test]
    fn html_characters_use_unicode_escapes() {
        assert_eq!(
            escaped("<script>a&b</script>"),
            r#""\u003cscript\u003ea\u0026b\u003c/script\u003e""#
        );
    }

    #[test]
    fn short_escapes_as_go_1_22() {
        assert_eq!(escaped("\"\\\n\r\t\u{8}\u{c}"), r#""\"\\\n\r\t\b\f""#);
    }

    #[test]
    fn other_controls_are_lowercase_u00xx() {
        assert_eq!(
            escaped("\u{0}\u{1}\u{b}\u{1f}"),
            r#""\u0000\u0001\u000b\u001f""#
        );
    }

    #[test]
    fn line_separators_are_escaped_other_unicode_is_raw() {
        assert_eq!(
            escaped("a\u{2028}b\u{2029}c\u{2027}\u{202a}"),
            "\"a\\u2028b\\u2029c\u{2027}\u{202a}\""
        );
        assert_eq!(escaped("漢 é 😀 \u{7f} /"), "\"漢 é 😀 \u{7f} /\"");
    }

    #[test]
    fn pretty_and_compact_layouts() {
        {
            let mut w = Writer::with_capacity(0);
            w.begin_object();
            w.key("a");
            w.begin_array();
            w.element();
            w.string("x");
            w.element();
            w.string("y");
            w.end_array();
            w.key("b");
            w.begin_array();
            w.end_array();
            w.key("c");
            w.begin_object();
            w.end_object();
            w.fixed_key(fixed_key!("d"));
            w.string("z<");
            w.end_object();
            let (compact, pretty) = w.finish();
            assert_eq!(compact, r#"{"a":["x","y"],"b":[],"c":{},"d":"z\u003c"}"#);
            assert_eq!(
                pretty,
                "{\n  \"a\": [\n    \"x\",\n    \"y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"z\\u003c\"\n}"
            );
        }
    }
}
