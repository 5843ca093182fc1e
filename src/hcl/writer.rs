//! A small HCL writer whose output is a fixed point of `terraform fmt`.
//!
//! Why not hcl-rs (0.20, checked): its formatter neither aligns `=` across consecutive
//! attributes nor keeps identifier keys bare (`tags = { "a" = "1" }`), so its output is neither
//! what `terraform fmt` makes of it nor the seed's layout (its string escaping, `$${`, `%%{` and
//! `\u0008`, did read back correctly); and it would bring a parser and a formatter into the wasm
//! build. The texts here use a handful of constructs, so a writer of ~300 lines that knows
//! exactly those, with one escaping function ([`escape_then`]), is smaller and checkable. hcl-rs
//! serves the tests as the independent parser instead.
//!
//! The [`Writer`] streams: every call appends to one `String`, with no tree in between. The
//! one thing that looks back is alignment: a line's padding depends on the longest key of its
//! group, so the writer notes where each key of the open group ends and pads the group when it
//! ends.
//!
//! Blocks whose keys never change have a fixed alignment: `integrations` and the role
//! blocks of `resources` are written as their own lines ([`Writer::verbatim`]) around their
//! values ([`Writer::value_then`]), one push per run of text. In the wasm build (opt-level z)
//! each push is a few calls and a `memory.copy`, and one attribute at a time takes about five
//! of them plus the alignment (with the fixed lines and the tags written once, the HCL texts
//! went from ~212k to ~121k instructions per `generate` in Node, callgrind). `terraform fmt`
//! checks their layout in the tests like that of every other text.
//!
//! Layout rules, checked against `terraform fmt -` (Terraform 1.11.4):
//! - two spaces of indentation per nesting level;
//! - `=` aligned across consecutive single-line attributes or object items; a line whose value
//!   opens a bracket it does not close (a multi-line value), a blank line or a block line ends
//!   the group;
//! - a key's width is counted as `hclwrite` counts it: grapheme clusters per lexer token (a
//!   quoted key is three or more tokens, and `$`, `$${`, `%`, `%%{` inside it are tokens of
//!   their own, so a combining mark after them is a column of its own).

use std::borrow::Cow;

/// A line of the open alignment group: where its key ends in the text, and the key's width.
#[derive(Debug, Clone, Copy)]
struct Aligned {
    end: usize,
    width: usize,
}

/// Writes HCL text: blocks, attributes and the values the texts use, laid out as
/// `terraform fmt` lays them out.
///
/// Keys are written as they are given: an identifier, or an object key from [`object_key`].
/// Every string value and label goes through [`escape_then`].
#[derive(Debug)]
pub(crate) struct Writer {
    out: String,
    /// Nesting depth: two spaces of indentation each.
    level: usize,
    /// The single-line attributes written since the last line that ends a group.
    group: Vec<Aligned>,
}

impl Writer {
    /// A writer for a text of about `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            level: 0,
            group: Vec::new(),
        }
    }

    /// A writer for a part of a text written at nesting `level`, to be put into a text with
    /// [`Writer::attribute_text`] at the same level.
    pub(crate) fn nested(level: usize, capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            level,
            group: Vec::new(),
        }
    }

    /// The text, each line ending with a newline.
    pub(crate) fn finish(mut self) -> String {
        self.end_group();
        self.out
    }

    /// Whole top-level blocks written before (a cached text), separated from what precedes
    /// them as a block is.
    pub(crate) fn text(&mut self, text: &str) {
        self.end_group();
        self.separate_top_level();
        self.out.push_str(text);
    }

    /// `parts`, one after the other, as they are: text laid out by its maker for the place it goes: lines written before by a
    /// [`Writer::nested`] at this level (an attribute that several texts share, made once), or
    /// the fixed lines of a text whose keys, and so whose alignment, never change (with
    /// [`Writer::value_then`] for the values between them).
    pub(crate) fn verbatim(&mut self, parts: &[&str]) {
        self.end_group();
        for part in parts {
            self.out.push_str(part);
        }
    }

    /// A string value inside [`Writer::verbatim`] lines: `value` escaped ([`escape_then`]),
    /// then `then` as it is.
    pub(crate) fn value_then(&mut self, value: &str, then: &str) {
        escape_then(&mut self.out, value, then);
    }

    /// An empty line.
    pub(crate) fn blank(&mut self) {
        self.end_group();
        self.out.push('\n');
    }

    /// `kind "label" ... { body }`; at the top level, after a blank line unless it is the first.
    pub(crate) fn block(&mut self, kind: &str, labels: &[&str], body: impl FnOnce(&mut Writer)) {
        self.end_group();
        self.separate_top_level();
        self.indent();
        self.out.push_str(kind);
        for label in labels {
            self.out.push_str(" \"");
            escape_then(&mut self.out, label, "\"");
        }
        self.open(" {\n");
        body(self);
        self.close("}\n");
    }

    /// `key = "value"`.
    pub(crate) fn str(&mut self, key: &str, value: &str) {
        self.key(key, true, " = \"");
        escape_then(&mut self.out, value, "\"\n");
    }

    /// `key = value` with the value as it is (`var.tags`, `true`, a type). Lines after the
    /// first must already carry the indentation of the place the value goes.
    pub(crate) fn raw(&mut self, key: &str, value: &str) {
        self.key(key, !value.contains('\n'), " = ");
        self.out.push_str(value);
        self.out.push('\n');
    }

    /// `key = value` with a single-line value made of `parts` as they are (a reference).
    pub(crate) fn raw_parts(&mut self, key: &str, parts: &[&str]) {
        self.key(key, true, " = ");
        for part in parts {
            self.out.push_str(part);
        }
        self.out.push('\n');
    }

    /// `key = ["a", "b"]` on one line.
    pub(crate) fn inline(&mut self, key: &str, items: &[&str]) {
        if items.is_empty() {
            return self.key(key, true, " = []\n");
        }
        self.key(key, true, " = [\"");
        for (i, item) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            escape_then(&mut self.out, item, if last { "\"]\n" } else { "\", \"" });
        }
    }

    /// A list of strings, one per line (`[]` when empty).
    pub(crate) fn strings<S: AsRef<str>>(&mut self, key: &str, items: &[S]) {
        if items.is_empty() {
            return self.raw(key, "[]");
        }
        self.key(key, false, " = ");
        self.open("[\n");
        for (i, item) in items.iter().enumerate() {
            self.indent();
            self.out.push('"');
            let last = i + 1 == items.len();
            let end = if last { "\"\n" } else { "\",\n" };
            escape_then(&mut self.out, item.as_ref(), end);
        }
        self.close("]\n");
    }

    /// An object of string values by key, keys from [`object_key`] (`{}` when empty).
    pub(crate) fn string_map<'m>(
        &mut self,
        key: &str,
        entries: impl ExactSizeIterator<Item = (&'m str, &'m str)>,
    ) {
        if entries.len() == 0 {
            return self.raw(key, "{}");
        }
        self.object(key, |w| {
            for (key, value) in entries {
                w.str(&object_key(key), value);
            }
        });
    }

    /// `key = { body }`, one item per line; `body` writes at least one (an empty object is
    /// `raw(key, "{}")`, a single-line value).
    pub(crate) fn object(&mut self, key: &str, body: impl FnOnce(&mut Writer)) {
        self.key(key, false, " = ");
        self.open("{\n");
        body(self);
        self.close("}\n");
    }

    /// A list of objects, one `{ ... }` per element, whose items `item` writes (`[]` when
    /// empty).
    pub(crate) fn objects<T>(
        &mut self,
        key: &str,
        items: &[T],
        mut item: impl FnMut(&mut Writer, &T),
    ) {
        if items.is_empty() {
            return self.raw(key, "[]");
        }
        self.key(key, false, " = ");
        self.open("[\n");
        for (i, element) in items.iter().enumerate() {
            self.indent();
            self.open("{\n");
            item(self, element);
            self.close(if i + 1 < items.len() { "},\n" } else { "}\n" });
        }
        self.close("]\n");
    }

    /// `key = name(args)`, one argument per line, each followed by a comma; `args` writes them
    /// with [`Writer::arg_object`] and [`Writer::arg_raw`].
    pub(crate) fn call(&mut self, key: &str, name: &str, args: impl FnOnce(&mut Writer)) {
        self.key(key, false, " = ");
        self.out.push_str(name);
        self.open("(\n");
        args(self);
        self.close(")\n");
    }

    /// A call argument: an object whose items `body` writes (at least one).
    pub(crate) fn arg_object(&mut self, body: impl FnOnce(&mut Writer)) {
        self.end_group();
        self.indent();
        self.open("{\n");
        body(self);
        self.close("},\n");
    }

    /// A call argument written as it is, on one line.
    pub(crate) fn arg_raw(&mut self, value: &str) {
        self.end_group();
        self.indent();
        self.out.push_str(value);
        self.out.push_str(",\n");
    }

    /// Starts a line with `key`, then `then` (` = ` and what the value starts with): a
    /// single-line value joins the alignment group, a multi-line one ends it (and is a group of
    /// its own: one space before `=`).
    fn key(&mut self, key: &str, single_line: bool, then: &str) {
        if !single_line {
            self.end_group();
        }
        self.indent();
        self.out.push_str(key);
        if single_line {
            self.group.push(Aligned {
                end: self.out.len(),
                width: key_width(key),
            });
        }
        self.out.push_str(then);
    }

    /// Ends the line with `bracket` (and its newline) and goes one level in.
    fn open(&mut self, bracket: &str) {
        self.end_group();
        self.out.push_str(bracket);
        self.level += 1;
    }

    /// Goes one level out and writes `bracket` (and its newline) on a line of its own.
    fn close(&mut self, bracket: &str) {
        self.end_group();
        self.level = self.level.saturating_sub(1);
        self.indent();
        self.out.push_str(bracket);
    }

    /// Top-level blocks are separated by one blank line.
    fn separate_top_level(&mut self) {
        if self.level == 0 && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(&mut self) {
        spaces(&mut self.out, 2 * self.level);
    }

    /// Pads the keys of the open group to its widest one and starts a new group.
    fn end_group(&mut self) {
        if self.group.len() >= 2 {
            let width = self.group.iter().map(|line| line.width).max().unwrap_or(0);
            // From the last line up, so that the ends noted before stay where they are.
            for line in self.group.iter().rev() {
                let mut pad = width.saturating_sub(line.width);
                while pad > 0 && self.out.is_char_boundary(line.end) {
                    let run = SPACES.get(..pad).unwrap_or(SPACES);
                    self.out.insert_str(line.end, run);
                    pad -= run.len();
                }
            }
        }
        self.group.clear();
    }
}

/// The bytes [`escape_then`] looks at twice: controls, `"`, `\\`, `$`, `%` and 0xC2 (the lead
/// byte of the C1 controls); every other byte is copied as it is.
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0x7F] = true;
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'$' as usize] = true;
    table[b'%' as usize] = true;
    table[0xC2] = true;
    table
};

/// Appends `s` to `out` as an HCL quoted string that reads back as `s` ([`escape_then`]).
pub(crate) fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    escape_then(out, s, "\"");
}

/// How [`escape_then`] writes a character.
enum Escape {
    /// This character first; the escaped one goes on with the next run (`\"`, `$${`).
    Before(char),
    /// This text instead of the character.
    Text(&'static str),
    /// `\u00XX` instead of the character (a C0 or C1 control).
    Control(u8),
}

/// The one escaping function: appends `s` as the inside of an HCL quoted string that reads
/// back as `s`, then `end` (the closing quote and whatever follows it on the line).
///
/// `${` → `$${` and `%{` → `%%{` (no interpolation or directive), `"` and `\` escaped, `\n`
/// `\r` `\t` as such and every other control character as `\uNNNN` (HCL has no `\b` or `\f`).
fn escape_then(out: &mut String, s: &str, end: &str) {
    out.reserve(s.len() + end.len());
    // Scan bytes: everything to escape is ASCII, or a C1 control (0xC2 0x80..=0x9F), and no
    // byte of a longer UTF-8 sequence can be mistaken for them. Plain runs are copied at once;
    // an escape that only adds a character before the one it escapes (`\"`, `\\`, `$${`,
    // `%%{`) pushes that character and leaves the escaped one to the next run, which at
    // opt-level z is half the cost of pushing both as a string.
    let bytes = s.as_bytes();
    // `run`: the start of what is not copied yet; `i`: where the scan goes on.
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let at = i;
        i += 1;
        if !MAY_ESCAPE[usize::from(b)] {
            continue;
        }
        let escape = match (b, bytes.get(i).copied()) {
            (b'"' | b'\\', _) => Escape::Before('\\'),
            (b'$' | b'%', Some(b'{')) => Escape::Before(char::from(b)),
            (b'\n', _) => Escape::Text("\\n"),
            (b'\r', _) => Escape::Text("\\r"),
            (b'\t', _) => Escape::Text("\\t"),
            (0..=0x1F | 0x7F, _) => Escape::Control(b),
            (0xC2, Some(c1 @ 0x80..=0x9F)) => {
                i += 1;
                Escape::Control(c1)
            }
            _ => continue,
        };
        out.push_str(s.get(run..at).unwrap_or_default());
        run = i;
        match escape {
            Escape::Before(c) => {
                out.push(c);
                run = at;
            }
            Escape::Text(text) => out.push_str(text),
            Escape::Control(control) => {
                // `\u00XX`: every control character is below U+0100.
                out.push_str("\\u00");
                for shift in [4, 0] {
                    let digit = char::from_digit(u32::from(control >> shift) & 0xF, 16);
                    out.push(digit.unwrap_or('0').to_ascii_uppercase());
                }
            }
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push_str(end);
}

/// The inside of the HCL quoted string of `s` ([`escape_then`]), for texts escaped once and
/// written many times ([`Writer::verbatim`]).
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::new();
    escape_then(&mut out, s, "");
    out
}

/// `s` as an HCL quoted string ([`quote_into`]).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

/// An object key: bare when it is a plain identifier, else quoted by [`quote`].
pub(crate) fn object_key(key: &str) -> Cow<'_, str> {
    // ASCII only, so bytes are characters. A byte loop and a `match`: at opt-level z,
    // `Iterator::all` and `<[&str]>::contains` are calls per byte and per word.
    let bytes = key.as_bytes();
    let mut identifier = matches!(bytes.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'_');
    let mut i = 1;
    while let (true, Some(&b)) = (identifier, bytes.get(i)) {
        identifier = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        i += 1;
    }
    // Words that HCL would read as something other than a string when written bare.
    let keyword = matches!(key, "true" | "false" | "null" | "for" | "in" | "if");
    if identifier && !keyword {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(quote(key))
    }
}

/// Grapheme clusters in a token; ASCII is one per byte here (a key never holds a raw CR LF).
fn graphemes(token: &str) -> usize {
    if token.is_ascii() {
        token.len()
    } else {
        extended_graphemes(token)
    }
}

/// Extended grapheme clusters (UAX #29) in `s`: unicode-segmentation's tables natively.
#[cfg(not(target_arch = "wasm32"))]
fn extended_graphemes(s: &str) -> usize {
    unicode_segmentation::UnicodeSegmentation::graphemes(s, true).count()
}

/// Extended grapheme clusters (UAX #29) in `s`: in wasm, JS's own `Intl.Segmenter`, which
/// keeps ~30 KB of Unicode tables out of the binary. `pkg-tests/hcl.test.mjs` checks that
/// both count the same on the hard cases (the fixture `grapheme-keys.*`).
#[cfg(target_arch = "wasm32")]
fn extended_graphemes(s: &str) -> usize {
    crate::wasm::graphemes(s)
}

/// The columns `terraform fmt` counts for a key: grapheme clusters per lexer token.
fn key_width(key: &str) -> usize {
    if key.as_bytes().first() != Some(&b'"') {
        return graphemes(key);
    }
    let Some(inner) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) else {
        return graphemes(key);
    };
    // The quotes are tokens of their own; inside, `$`/`%` start a token (`$`, `$${`, `$${~`)
    // and a run of other characters is one token.
    let mut width = 2;
    let mut rest = inner;
    while !rest.is_empty() {
        let token_len = match rest.as_bytes().first() {
            Some(&b) if b == b'$' || b == b'%' => {
                let escaped = [b, b, b'{'];
                if rest.as_bytes().starts_with(&escaped) {
                    if rest.as_bytes().get(3) == Some(&b'~') {
                        4
                    } else {
                        3
                    }
                } else {
                    1
                }
            }
            _ => until_dollar_or_percent(rest),
        };
        let Some((token, tail)) = rest.split_at_checked(token_len) else {
            break;
        };
        width += graphemes(token);
        rest = tail;
    }
    width
}

/// The length of `s` up to its first `$` or `%` (ASCII, so a character boundary): a byte loop,
/// where `find` with a pattern of two characters is a few calls per character at opt-level z.
fn until_dollar_or_percent(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'$' || b == b'%' {
            break;
        }
        i += 1;
    }
    i
}

/// A run of spaces to slice indentation and padding from.
const SPACES: &str = "                                                                ";

/// Appends `n` spaces: one slice of [`SPACES`] (indentation is short).
fn spaces(out: &mut String, n: usize) {
    match SPACES.get(..n) {
        Some(run) => out.push_str(run),
        None => out.extend(std::iter::repeat_n(' ', n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(quote("${x}"), r#""$${x}""#);
        assert_eq!(quote("%{ if }"), r#""%%{ if }""#);
        assert_eq!(quote("$${"), r#""$$${""#);
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            quote("\n\r\t\u{8}\u{c}\u{7f}"),
            r#""\n\r\t\u0008\u000C\u007F""#
        );
        assert_eq!(quote("漢e\u{301}$x%"), "\"漢e\u{301}$x%\"");
        assert_eq!(
            quote("\u{85}\u{9f}\u{a0}Âé\u{0}"),
            "\"\\u0085\\u009F\u{a0}Âé\\u0000\""
        );
    }

    #[test]
    fn quotes_keys_that_are_not_identifiers() {
        assert_eq!(object_key("Environment"), "Environment");
        assert_eq!(object_key("a-b_1"), "a-b_1");
        assert_eq!(object_key("aws:tag"), r#""aws:tag""#);
        assert_eq!(object_key("1a"), r#""1a""#);
        assert_eq!(object_key("null"), r#""null""#);
        assert_eq!(object_key(""), r#""""#);
    }

    // Widths measured with `terraform fmt -` (Terraform 1.11.4), see the module comment.
    #[test]
    fn counts_key_width_as_terraform_fmt() {
        assert_eq!(key_width(r#""漢漢""#), 4);
        assert_eq!(key_width("\"e\u{301}x\""), 4);
        assert_eq!(key_width("\"\u{301}x\""), 4);
        assert_eq!(key_width("\"$${\u{301}\""), 6);
        assert_eq!(key_width("\"a%%{\u{301}b\""), 8);
        assert_eq!(key_width("\"a$\u{301}b\""), 6);
        assert_eq!(key_width("\"a\\\"\u{301}b\""), 6);
        assert_eq!(key_width("\"\\\\\u{301}\""), 4);
        assert_eq!(key_width("\"$${x}\u{301}\""), 7);
    }

    #[test]
    fn aligns_single_line_attributes_only() {
        let mut w = Writer::with_capacity(0);
        w.raw("a", "1");
        w.raw("bbb", "2");
        w.strings("cc", &["x", "y"]);
        w.raw("d", "3");
        assert_eq!(
            w.finish(),
            "a   = 1\nbbb = 2\ncc = [\n  \"x\",\n  \"y\"\n]\nd = 3\n"
        );
    }
}
