//! A small HCL writer whose output is a fixed point of `terraform fmt`.
//!
//! Why not hcl-rs (0.20, checked): its formatter neither aligns `=` across consecutive
//! attributes nor keeps identifier keys bare (`tags = { "a" = "1" }`), so its output is neither
//! what `terraform fmt` makes of it nor the seed's layout (its string escaping, `$${`, `%%{` and
//! `\u0008`, did read back correctly); and it would bring a parser and a formatter into the wasm
//! build. The texts here use a handful of constructs, so a writer
//! of ~300 lines that knows exactly those, with one escaping function ([`quote`]), is smaller
//! and checkable. hcl-rs serves the tests as the independent parser instead.
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

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr<'a> {
    /// A string literal, escaped by [`quote`].
    Str(Cow<'a, str>),
    /// An expression written as is (`var.tags`, `true`, a type). Lines after the first must
    /// already carry the indentation of the place the expression goes.
    Raw(Cow<'a, str>),
    /// `[a, b]` on one line.
    Inline(Vec<Expr<'a>>),
    /// A list with one element per line (`[]` when empty).
    List(Vec<Expr<'a>>),
    /// An object with one item per line (`{}` when empty).
    Object(Vec<Item<'a>>),
    /// A function call with one argument per line, each followed by a comma.
    Call(&'static str, Vec<Expr<'a>>),
}

impl<'a> Expr<'a> {
    /// A string literal (borrowed where it can be: no copy of the text).
    pub(crate) fn str(s: impl Into<Cow<'a, str>>) -> Expr<'a> {
        Expr::Str(s.into())
    }

    /// An expression written as is.
    pub(crate) fn raw(s: impl Into<Cow<'a, str>>) -> Expr<'a> {
        Expr::Raw(s.into())
    }

    /// A list of string literals, one per line.
    pub(crate) fn strings<S: AsRef<str>>(items: &'a [S]) -> Expr<'a> {
        Expr::List(items.iter().map(|s| Expr::str(s.as_ref())).collect())
    }

    /// An object of string literals by key.
    pub(crate) fn string_map(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Expr<'a> {
        Expr::Object(
            entries
                .into_iter()
                .map(|(k, v)| Item::key(k, Expr::str(v)))
                .collect(),
        )
    }
}

/// One line-level item of a body or object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item<'a> {
    /// `key = value`; the key is written as is (an identifier, or a quoted string from
    /// [`object_key`]).
    Attr(Cow<'a, str>, Expr<'a>),
    /// `type "label" ... { body }`.
    Block(&'a str, Vec<&'a str>, Vec<Item<'a>>),
    /// An empty line.
    Blank,
}

impl<'a> Item<'a> {
    /// An attribute with an identifier name.
    pub(crate) fn attr(name: &'a str, value: Expr<'a>) -> Item<'a> {
        Item::Attr(Cow::Borrowed(name), value)
    }

    /// An object item whose key is any string: bare when it is an identifier, else quoted.
    pub(crate) fn key(key: &'a str, value: Expr<'a>) -> Item<'a> {
        Item::Attr(object_key(key), value)
    }

    /// A block with quoted labels.
    pub(crate) fn block(kind: &'a str, labels: &[&'a str], body: Vec<Item<'a>>) -> Item<'a> {
        Item::Block(kind, labels.to_vec(), body)
    }
}

/// The bytes [`quote_into`] looks at twice: controls, `"`, `\\`, `$`, `%` and 0xC2 (the lead
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

/// The one escaping function: appends `s` to `out` as an HCL quoted string that reads back as
/// `s`.
///
/// `${` → `$${` and `%{` → `%%{` (no interpolation or directive), `"` and `\` escaped, `\n`
/// `\r` `\t` as such and every other control character as `\uNNNN` (HCL has no `\b` or `\f`).
pub(crate) fn quote_into(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Scan bytes: everything to escape is ASCII, or a C1 control (0xC2 0x80..=0x9F), and no
    // byte of a longer UTF-8 sequence can be mistaken for them. Plain runs are copied at once.
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if !MAY_ESCAPE[usize::from(b)] {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let (escaped, control, len) = match (b, next) {
            (b'"', _) => ("\\\"", 0, 1),
            (b'\\', _) => ("\\\\", 0, 1),
            (b'\n', _) => ("\\n", 0, 1),
            (b'\r', _) => ("\\r", 0, 1),
            (b'\t', _) => ("\\t", 0, 1),
            (b'$', Some(b'{')) => ("$$", 0, 1),
            (b'%', Some(b'{')) => ("%%", 0, 1),
            (0..=0x1F | 0x7F, _) => ("", u32::from(b), 1),
            (0xC2, Some(c1 @ 0x80..=0x9F)) => ("", u32::from(c1), 2),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if escaped.is_empty() {
            // `\u00XX`: every control character is below U+0100.
            out.push_str("\\u00");
            for shift in [4, 0] {
                let digit = char::from_digit((control >> shift) & 0xF, 16).unwrap_or('0');
                out.push(digit.to_ascii_uppercase());
            }
        } else {
            out.push_str(escaped);
        }
        i += len;
        run = i;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// `s` as an HCL quoted string ([`quote_into`]).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::new();
    quote_into(&mut out, s);
    out
}

/// Words that HCL would read as something other than a string when written bare as a key.
const KEYWORDS: [&str; 6] = ["true", "false", "null", "for", "in", "if"];

/// An object key: bare when it is a plain identifier, else quoted by [`quote`].
pub(crate) fn object_key(key: &str) -> Cow<'_, str> {
    let mut chars = key.chars();
    let identifier = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !KEYWORDS.contains(&key);
    if identifier {
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
            _ => rest.find(['$', '%']).unwrap_or(rest.len()),
        };
        let Some((token, tail)) = rest.split_at_checked(token_len) else {
            break;
        };
        width += graphemes(token);
        rest = tail;
    }
    width
}

/// Renders items as a file: top-level items, a newline at the end.
pub(crate) fn file(items: &[Item]) -> String {
    // The texts are a few KB: start there rather than growing from a few bytes.
    let mut out = String::with_capacity(4096);
    body(&mut out, items, 0);
    out
}

/// Top-level blocks separated by one blank line.
pub(crate) fn blocks(blocks: Vec<Item>) -> String {
    let mut items = Vec::with_capacity(blocks.len() * 2);
    for (i, block) in blocks.into_iter().enumerate() {
        if i > 0 {
            items.push(Item::Blank);
        }
        items.push(block);
    }
    file(&items)
}

fn indent(out: &mut String, level: usize) {
    spaces(out, 2 * level);
}

/// Appends `n` spaces, a run at a time.
fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let run = n.min(SPACES.len());
        out.push_str(SPACES.get(..run).unwrap_or_default());
        n -= run;
    }
}

/// Whether an expression fits on one line (an [`Expr::Inline`] holds single-line elements).
fn is_single_line(expr: &Expr) -> bool {
    match expr {
        Expr::Str(_) | Expr::Inline(_) => true,
        Expr::Raw(s) => !s.contains('\n'),
        Expr::List(items) => items.is_empty(),
        Expr::Object(items) => items.is_empty(),
        Expr::Call(..) => false,
    }
}

/// Whether an expression takes more than one line.
pub(crate) fn is_multi_line(expr: &Expr) -> bool {
    !is_single_line(expr)
}

/// Writes `items` at `level`, each line ending with a newline.
fn body(out: &mut String, items: &[Item], level: usize) {
    let single = |item: &Item| matches!(item, Item::Attr(_, value) if is_single_line(value));
    let mut rest = items;
    while !rest.is_empty() {
        // The alignment group: consecutive single-line attributes (at least one item).
        let group = rest.iter().take_while(|item| single(item)).count().max(1);
        let (now, later) = rest.split_at(group.min(rest.len()));
        let width = now
            .iter()
            .map(|item| match item {
                Item::Attr(key, _) => key_width(key),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        for item in now {
            match item {
                Item::Attr(key, value) => {
                    indent(out, level);
                    out.push_str(key);
                    let pad = width.saturating_sub(key_width(key)) + 1;
                    spaces(out, pad);
                    out.push_str("= ");
                    value_into(out, value, level);
                    out.push('\n');
                }
                Item::Block(kind, labels, inner) => {
                    indent(out, level);
                    out.push_str(kind);
                    for label in labels {
                        out.push(' ');
                        quote_into(out, label);
                    }
                    out.push_str(" {\n");
                    body(out, inner, level + 1);
                    indent(out, level);
                    out.push_str("}\n");
                }
                Item::Blank => out.push('\n'),
            }
        }
        rest = later;
    }
}

/// Appends an expression at nesting `level`: the first line without indentation (it follows
/// `key = `), later lines with.
fn value_into(out: &mut String, expr: &Expr, level: usize) {
    match expr {
        Expr::Str(s) => quote_into(out, s),
        Expr::Raw(s) => out.push_str(s),
        Expr::Inline(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_into(out, item, level);
            }
            out.push(']');
        }
        Expr::List(items) if items.is_empty() => out.push_str("[]"),
        Expr::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                value_into(out, item, level + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        Expr::Object(items) if items.is_empty() => out.push_str("{}"),
        Expr::Object(items) => {
            out.push_str("{\n");
            body(out, items, level + 1);
            indent(out, level);
            out.push('}');
        }
        Expr::Call(name, args) => {
            out.push_str(name);
            out.push_str("(\n");
            for arg in args {
                indent(out, level + 1);
                value_into(out, arg, level + 1);
                out.push_str(",\n");
            }
            indent(out, level);
            out.push(')');
        }
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
        let text = file(&[
            Item::attr("a", Expr::raw("1")),
            Item::attr("bbb", Expr::raw("2")),
            Item::attr("cc", Expr::strings(&["x", "y"])),
            Item::attr("d", Expr::raw("3")),
        ]);
        assert_eq!(
            text,
            "a   = 1\nbbb = 2\ncc = [\n  \"x\",\n  \"y\"\n]\nd = 3\n"
        );
    }
}
