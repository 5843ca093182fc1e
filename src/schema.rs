//! A JSON Schema (2020-12) of the inputs, kept as JSON text in `schema.json`.
//!
//! It describes a `terraform.tfvars.json` in canonical types: where Terraform would convert a
//! value (a number where a string is expected, `"true"` for a bool), [`crate::generate`]
//! accepts it with an `info` diagnostic but the schema asks for the canonical type. Nulls are
//! allowed where Terraform allows them: for every variable with a default (null means the
//! default) and for the optional attributes of a statement. Rules IAM enforces on single strings
//! (characters, lengths, counts, the `aws:` tag prefix) are in the schema too, so an editor
//! flags them; rules that span values (Sids unique, tag keys equal ignoring case, policy sizes)
//! are only checked by `validate`. Text rather than code keeps the wasm small.

use serde_json::Value;

/// The schema's text.
pub(crate) const SCHEMA: &str = include_str!("schema.json");

/// The bytes of `json` outside strings that are whitespace between tokens.
const fn is_layout(json: &[u8], i: usize, in_string: bool) -> bool {
    !in_string && matches!(json[i], b' ' | b'\n' | b'\r' | b'\t')
}

/// Whether byte `i` of `json` ends the string state it is in (tracks `"` and `\` escapes).
const fn string_state(json: &[u8], i: usize, in_string: bool, escaped: bool) -> (bool, bool) {
    match (in_string, escaped, json[i]) {
        (true, true, _) => (true, false),
        (true, false, b'\\') => (true, true),
        (true, false, b'"') => (false, false),
        (false, _, b'"') => (true, false),
        (state, _, _) => (state, false),
    }
}

/// The length of `json` without its layout whitespace.
const fn minified_len(json: &[u8]) -> usize {
    let (mut i, mut len, mut in_string, mut escaped) = (0, 0, false, false);
    while i < json.len() {
        if !is_layout(json, i, in_string) {
            len += 1;
        }
        (in_string, escaped) = string_state(json, i, in_string, escaped);
        i += 1;
    }
    len
}

/// `json` without its layout whitespace, made at compile time.
const fn minify<const N: usize>(json: &[u8]) -> [u8; N] {
    let mut out = [0; N];
    let (mut i, mut at, mut in_string, mut escaped) = (0, 0, false, false);
    while i < json.len() {
        if !is_layout(json, i, in_string) {
            out[at] = json[i];
            at += 1;
        }
        (in_string, escaped) = string_state(json, i, in_string, escaped);
        i += 1;
    }
    out
}

/// The schema's text without layout whitespace: what the wasm build carries and hands to
/// `JSON.parse` (the indented file is for readers).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) const SCHEMA_MINIFIED: &str = {
    const BYTES: [u8; minified_len(SCHEMA.as_bytes())] = minify(SCHEMA.as_bytes());
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => SCHEMA,
    }
};

/// The JSON Schema (2020-12) of the module's inputs.
pub fn input_schema() -> Value {
    // The text is checked by the tests below; `Null` is unreachable in practice.
    serde_json::from_str(SCHEMA).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minified_text_is_the_same_schema_without_whitespace() {
        let full: Value = serde_json::from_str(SCHEMA).unwrap();
        let minified: Value = serde_json::from_str(SCHEMA_MINIFIED).unwrap();
        assert_eq!(minified, full);
        // serde_json's own compact writing of the same value is the independent expectation.
        assert_eq!(SCHEMA_MINIFIED, serde_json::to_string(&full).unwrap());
    }
    use crate::inputs::{STATEMENT_ATTRIBUTES, VARIABLES};
    use crate::roles::LONGEST_SUFFIX;

    fn sorted_keys(v: &Value) -> Vec<String> {
        let mut keys: Vec<String> = v
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn parses_and_covers_every_variable_and_attribute() {
        let schema = input_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(sorted_keys(&schema["properties"]), sorted(&VARIABLES));
        assert_eq!(
            sorted_keys(&schema["$defs"]["statement"]["properties"]),
            sorted(&STATEMENT_ATTRIBUTES)
        );
    }

    #[test]
    fn prefix_limit_matches_the_longest_role_name() {
        // 64 is IAM's role-name limit (reference/iam-rules.md); the longest suffix limits most.
        let max = &input_schema()["properties"]["name_prefix"]["maxLength"];
        assert_eq!(max.as_u64(), Some((64 - LONGEST_SUFFIX.len()) as u64));
        assert_eq!(max.as_u64(), Some(44));
    }
}
