//! JSON text as Go's `encoding/json` writes it: `json.Marshal` (compact) and
//! `json.MarshalIndent(v, "", "  ")` (pretty), with Go's HTML-safe string escaping.
//!
//! serde_json writes the layout and the escapes Go shares with it (`"`, `\`, `\b`, `\f`, `\n`,
//! `\r`, `\t`, other controls as lowercase `\u00XX`, everything else copied). Go escapes five
//! more characters that serde_json copies: `<`, `>`, `&` (as `\u003c`, `\u003e`, `\u0026`) and
//! U+2028, U+2029 (as `\u2028`, `\u2029`). [`GoJson`] wraps serde_json's formatters and
//! escapes those in the runs of text serde_json hands it unescaped.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter, Serializer};

/// `value` as `json.Marshal` writes it (compact).
pub(crate) fn compact<T: Serialize>(value: &T) -> String {
    write(value, GoJson(CompactFormatter))
}

/// `value` as `json.MarshalIndent(value, "", "  ")` writes it.
pub(crate) fn pretty<T: Serialize>(value: &T) -> String {
    write(value, GoJson(PrettyFormatter::with_indent(b"  ")))
}

fn write<T: Serialize, F: Formatter>(value: &T, formatter: GoJson<F>) -> String {
    let mut out = Vec::with_capacity(256);
    let mut serializer = Serializer::with_formatter(&mut out, formatter);
    // Writing into a Vec cannot fail, and the documents hold only strings, sequences, structs
    // and maps with string keys, which serde_json always serializes.
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    // serde_json writes UTF-8 only, and the escapes added here are ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// A serde_json formatter with Go's HTML-safe escaping: `F`'s layout, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped in strings.
struct GoJson<F>(F);

impl<F: Formatter> Formatter for GoJson<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut run = 0;
        for (at, c) in fragment.char_indices() {
            let escape = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            writer.write_all(fragment.get(run..at).unwrap_or_default().as_bytes())?;
            writer.write_all(escape.as_bytes())?;
            run = at + c.len_utf8();
        }
        writer.write_all(fragment.get(run..).unwrap_or_default().as_bytes())
    }

    // The layout is `F`'s.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn escaped(s: &str) -> String {
        compact(&s)
    }

    // The expectations are Go's encoding/json output (Terraform's rendering of the same
    // strings is in tests/fixtures/policy/hostile_*.expected.json).
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
        let mut value: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
        value.insert("a", serde_json::json!(["x", "y"]));
        value.insert("b", serde_json::json!([]));
        value.insert("c", serde_json::json!({}));
        value.insert("d", serde_json::json!("z<"));
        assert_eq!(
            compact(&value),
            r#"{"a":["x","y"],"b":[],"c":{},"d":"z\u003c"}"#
        );
        assert_eq!(
            pretty(&value),
            "{\n  \"a\": [\n    \"x\",\n    \"y\"\n  ],\n  \"b\": [],\n  \"c\": {},\n  \"d\": \"z\\u003c\"\n}"
        );
    }
}
