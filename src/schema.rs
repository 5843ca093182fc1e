//! A JSON Schema (2020-12) of the inputs, kept as JSON text in `schema.json`.
//!
//! It describes a `terraform.tfvars.json` in canonical types: where Terraform would convert a
//! value (a number where a string is expected, `"true"` for a bool), [`crate::generate`]
//! accepts it with an `info` diagnostic but the schema asks for the canonical type. Nulls are
//! allowed where Terraform allows them: for every variable with a default (null means the
//! default) and for the optional attributes of a statement. Rules IAM enforces on single strings
//! (characters, lengths, counts, the `aws:` tag prefix) are in the schema too, so an editor
//! flags them; rules that span values (Sids unique, tag keys equal ignoring case, policy sizes)
//! are only checked by `validate`.

use serde_json::Value;

/// The schema's text.
pub(crate) const SCHEMA: &str = include_str!("schema.json");

/// The JSON Schema (2020-12) of the module's inputs.
pub fn input_schema() -> Value {
    // The text is checked by the tests below; `Null` is unreachable in practice.
    serde_json::from_str(SCHEMA).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::inputs::{STATEMENT_ATTRIBUTES, VARIABLES};
    use crate::roles::LONGEST_SUFFIX;
    use crate::{ConditionInput, Inputs, PrincipalInput, StatementInput};

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

    /// The JSON type name of `value`, as a schema's `type` spells it.
    fn json_type(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Checks that `value` has a type `schema` allows and, object by object, exactly the
    /// properties it lists; `$ref`s resolved against `root`.
    fn conforms(value: &Value, schema: &Value, root: &Value, at: &str) {
        let schema = match schema["$ref"].as_str() {
            Some(reference) => root.pointer(reference.trim_start_matches('#')).unwrap(),
            None => schema,
        };
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            // An enum of strings (effect).
            _ => vec![json_type(&schema["enum"][0])],
        };
        assert!(
            types.contains(&json_type(value)),
            "{at}: {value} is not {types:?}"
        );
        match value {
            Value::Object(map) if schema["properties"].is_object() => {
                assert_eq!(
                    sorted_keys(value),
                    sorted_keys(&schema["properties"]),
                    "{at}"
                );
                for (key, item) in map {
                    conforms(
                        item,
                        &schema["properties"][key],
                        root,
                        &format!("{at}.{key}"),
                    );
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let items = &schema["additionalProperties"];
                    conforms(item, items, root, &format!("{at}[{key}]"));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    conforms(item, &schema["items"], root, &format!("{at}[{i}]"));
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_schema_describes_the_input_types_field_by_field() {
        // Every field of every input type holds a value, so that each is compared with its
        // schema: the types are the source, the schema must follow them.
        let list = |items: &[&str]| Some(items.iter().map(|s| s.to_string()).collect());
        let statement = StatementInput {
            sid: Some("S".into()),
            actions: list(&["s3:GetObject"]),
            not_actions: list(&[]),
            effect: "Allow".into(),
            resources: list(&["*"]),
            not_resources: list(&[]),
            principals: Some(vec![PrincipalInput {
                kind: "AWS".into(),
                identifiers: vec!["*".into()],
            }]),
            not_principals: Some(vec![]),
            condition: Some(vec![ConditionInput {
                test: "Bool".into(),
                variable: "aws:SecureTransport".into(),
                values: vec!["true".into()],
            }]),
        };
        let inputs = Inputs {
            name_prefix: "p".into(),
            tags: [("k".to_owned(), "v".to_owned())].into(),
            enable_spot_fleet_role: true,
            additional_job_policy_arns: vec!["arn:aws:iam::aws:policy/A".into()],
            custom_job_policy_statements: Some([("s".to_owned(), statement)].into()),
        };
        let schema = input_schema();
        conforms(
            &serde_json::to_value(&inputs).unwrap(),
            &schema,
            &schema,
            "inputs",
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
