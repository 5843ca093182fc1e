//! What IAM rejects in the text of the inline policy at apply, though Terraform renders it:
//! a character outside the policy alphabet, an empty policy variable `${}`, an empty resource.
//!
//! - The alphabet: "IAM policy documents can contain only the following Unicode characters:
//!   horizontal tab (U+0009), linefeed (U+000A), carriage return (U+000D), and characters in
//!   the range U+0020 to U+00FF" (IAM quotas; the API pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`,
//!   reference/iam-rules.md §2.1). The provider sends the document as Go's encoder writes it:
//!   other characters raw (so `日本` or an emoji fails the pattern), but controls and U+2028,
//!   U+2029 as `\u` escapes. The quotas page names characters, not the bytes of the text, so
//!   those count as outside the alphabet too: a control character in an ARN or a condition is
//!   a mistake either way.
//! - `${}`: Access Analyzer's error "Empty variable" ("Empty policy variable. Remove the ${ }
//!   variable structure or provide a variable within the structure.", reference/aa_checks.json).
//!   The provider turns `&{` into `${` in resources and condition values before IAM sees them
//!   (iam-rules.md §1.3), so `&{}` is one too. Policy variables are read in the Resource and
//!   Condition elements only.
//! - `""` as a resource: not an ARN (Access Analyzer's "Missing ARN field": "Resource ARNs must
//!   include at least {{fields}} fields in the following structure:
//!   arn:partition:service:region:account:resource").
//!
//! Only the strings no other check covers are read here: resources, not_resources, condition
//! keys and values. A Sid, an effect, an action and a condition operator have stricter rules
//! of their own (`sid_chars`, `effect_invalid`, `action_malformed`,
//! `condition_operator_unknown`) that already name any such character; principals are an error
//! in this identity policy whatever they hold.

use crate::diagnostics::{quoted, shown_char, At, Code, Diagnostic};
use crate::inputs::StatementInput;

/// The policy-text diagnostics of one statement at `at`.
pub(super) fn statement_text(statement: &StatementInput, at: &At<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (attr, list) in [
        ("resources", &statement.resources),
        ("not_resources", &statement.not_resources),
    ] {
        let path = at.attr(attr);
        let what = if attr == "resources" {
            "the resource"
        } else {
            "the not_resources entry"
        };
        for (i, resource) in list.iter().flatten().enumerate() {
            let at = path.index(i);
            if resource.is_empty() {
                out.push(resource_empty(attr, &at));
                continue;
            }
            out.extend(outside_alphabet(resource, what, &at));
            out.extend(empty_variable(resource, what, &at));
        }
    }
    let conditions = at.attr("condition");
    for (i, condition) in statement.condition.iter().flatten().enumerate() {
        let path = conditions.index(i);
        out.extend(outside_alphabet(
            &condition.variable,
            "the condition key",
            &path.attr("variable"),
        ));
        let values = path.attr("values");
        for (j, value) in condition.values.iter().enumerate() {
            let at = values.index(j);
            out.extend(outside_alphabet(value, "the condition value", &at));
            out.extend(empty_variable(value, "the condition value", &at));
        }
    }
    out
}

/// Whether IAM allows `c` in a policy document.
fn in_alphabet(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// The first character of `s` outside the alphabet, with its 1-based position in characters.
fn first_outside(s: &str) -> Option<(usize, char)> {
    // Most strings are printable ASCII: one pass over the bytes, nothing decoded.
    if s.bytes()
        .all(|b| (0x20..0x80).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return None;
    }
    s.chars()
        .enumerate()
        .find(|(_, c)| !in_alphabet(*c))
        .map(|(i, c)| (i + 1, c))
}

fn outside_alphabet(s: &str, what: &str, at: &At<'_>) -> Option<Diagnostic> {
    let (position, c) = first_outside(s)?;
    Some(
        Diagnostic::at(
            Code::PolicyChars,
            at,
            format!(
                "{what} {} has the character {} at position {position}: IAM allows only tab, \
                 line feed, carriage return and U+0020 to U+00FF in a policy document \
                 ([\\u0009\\u000A\\u000D\\u0020-\\u00FF]+) and rejects the policy at apply",
                quoted(s),
                shown_char(c)
            ),
        )
        .with_help(
            "remove or replace the character; where the text must match such characters, a \
             wildcard (* or ?) in a resource or a StringLike value can stand for them",
        ),
    )
}

fn empty_variable(s: &str, what: &str, at: &At<'_>) -> Option<Diagnostic> {
    // `${}`, or `&{}`, which the provider turns into `${}` (`$&{}` too holds `&{}`). All ASCII:
    // a search over the bytes (no substring searcher in the wasm).
    let written = s.as_bytes().windows(3).find_map(|w| match w {
        b"${}" => Some("${}"),
        b"&{}" => Some("&{}"),
        _ => None,
    })?;
    let turned = if written == "&{}" {
        " (Terraform's provider turns &{ into ${)"
    } else {
        ""
    };
    Some(
        Diagnostic::at(
            Code::PolicyVariableEmpty,
            at,
            format!(
                "{what} {} has the empty policy variable {written}{turned}; IAM Access \
                 Analyzer: \"Empty policy variable. Remove the ${{ }} variable structure or \
                 provide a variable within the structure.\"",
                quoted(s)
            ),
        )
        .with_help("name a variable inside it, such as ${aws:username}, or remove it"),
    )
}

fn resource_empty(attr: &str, at: &At<'_>) -> Diagnostic {
    Diagnostic::at(
        Code::ResourceEmpty,
        at,
        format!(
            "an entry of {attr} is the empty string, which is not an ARN; IAM rejects the \
             policy (Access Analyzer: \"Resource ARNs must include at least … fields in the \
             following structure: arn:partition:service:region:account:resource\")"
        ),
    )
    .with_help("give the resource's ARN, \"*\" for every resource, or remove the entry")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_is_tab_lf_cr_and_latin_1() {
        // reference/iam-rules.md §2.1: [\u0009\u000A\u000D\u0020-\u00FF].
        for c in [
            '\t', '\n', '\r', ' ', '~', '\u{7f}', '\u{80}', '\u{a0}', 'é', 'ÿ',
        ] {
            assert!(in_alphabet(c), "{c:?}");
        }
        for c in [
            '\u{0}', '\u{8}', '\u{b}', '\u{1f}', 'Ā', '日', '😀', '\u{2028}',
        ] {
            assert!(!in_alphabet(c), "{c:?}");
        }
        assert_eq!(first_outside("arn:aws:s3:::b/é\t"), None);
        assert_eq!(first_outside("ab日本"), Some((3, '日')));
        assert_eq!(first_outside("a\u{1}"), Some((2, '\u{1}')));
    }
}
