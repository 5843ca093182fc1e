//! A JSON Schema (2020-12) of the inputs.
//!
//! It describes a `terraform.tfvars.json` in canonical types: where Terraform would convert a
//! value (a number where a string is expected, `"true"` for a bool), [`crate::generate`]
//! accepts it with an `info` diagnostic but the schema asks for the canonical type. Nulls are
//! allowed where Terraform allows them: for every variable with a default (null means the
//! default) and for the optional attributes of a statement. Rules IAM enforces on strings
//! (characters, lengths, counts, the `aws:` tag prefix) are in the schema too, so an editor
//! flags them; a few rules that span values (Sids unique, keys equal ignoring case, role-name
//! length with each suffix, policy sizes) are only checked by `validate`.

use serde_json::{json, Value};

use crate::roles::LONGEST_SUFFIX;

/// The longest `name_prefix` that keeps every role name within IAM's 64 characters.
const MAX_PREFIX: usize = 64 - LONGEST_SUFFIX.len();

/// The JSON Schema (2020-12) of the module's inputs.
pub fn input_schema() -> Value {
    let nullable_list = json!({
        "type": ["array", "null"],
        "items": { "type": "string" }
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/iam-metaflow/iam-metaflow/inputs.schema.json",
        "title": "iam_metaflow inputs",
        "description": "The variables of the iam_metaflow Terraform module, as a terraform.tfvars.json holds them.",
        "type": "object",
        "additionalProperties": false,
        "required": ["name_prefix"],
        "properties": {
            "name_prefix": {
                "description": "A prefix used for naming all IAM resources (e.g., 'metaflow-prod', 'metaflow-dev')",
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_PREFIX,
                "pattern": "^[A-Za-z0-9_+=,.@-]+$"
            },
            "tags": {
                "description": "A map of tags to add to all IAM resources",
                "type": ["object", "null"],
                "default": {},
                "maxProperties": 50,
                "propertyNames": {
                    "minLength": 1,
                    "maxLength": 128,
                    "pattern": "^(?![aA][wW][sS]:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+$"
                },
                "additionalProperties": {
                    "type": "string",
                    "maxLength": 256,
                    "pattern": "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$"
                }
            },
            "enable_spot_fleet_role": {
                "description": "Whether to create a Spot Fleet role for Batch compute environments using Spot instances",
                "type": ["boolean", "null"],
                "default": false
            },
            "additional_job_policy_arns": {
                "description": "Additional managed policy ARNs to attach to the Batch job role beyond the default CloudWatch, S3, and ECR policies",
                "type": ["array", "null"],
                "default": [],
                "uniqueItems": true,
                "maxItems": 17,
                "items": {
                    "type": "string",
                    "pattern": "^arn:aws(-[a-z]+)*:iam::(aws|[0-9]{12}):policy/([A-Za-z0-9.,+@=_-]+/)*[A-Za-z0-9.,+@=_-]+$"
                }
            },
            "custom_job_policy_statements": {
                "description": "Optional custom inline policy statements for the Batch job role. Use this for specific permissions not covered by managed policies.",
                "type": ["object", "null"],
                "default": null,
                "additionalProperties": { "$ref": "#/$defs/statement" }
            }
        },
        "$defs": {
            "statement": {
                "description": "One statement; the map key becomes the Sid unless sid is set.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "sid": { "type": ["string", "null"], "pattern": "^[A-Za-z0-9]*$" },
                    "actions": nullable_list,
                    "not_actions": nullable_list,
                    "effect": { "enum": ["Allow", "Deny", null], "default": "Allow" },
                    "resources": nullable_list,
                    "not_resources": nullable_list,
                    "principals": {
                        "type": ["array", "null"],
                        "items": { "$ref": "#/$defs/principal" }
                    },
                    "not_principals": {
                        "type": ["array", "null"],
                        "items": { "$ref": "#/$defs/principal" }
                    },
                    "condition": {
                        "type": ["array", "null"],
                        "items": { "$ref": "#/$defs/condition" }
                    }
                }
            },
            "principal": {
                "type": "object",
                "additionalProperties": false,
                "required": ["type", "identifiers"],
                "properties": {
                    "type": { "type": "string" },
                    "identifiers": { "type": "array", "items": { "type": "string" } }
                }
            },
            "condition": {
                "type": "object",
                "additionalProperties": false,
                "required": ["test", "variable", "values"],
                "properties": {
                    "test": { "type": "string" },
                    "variable": { "type": "string" },
                    "values": { "type": "array", "items": { "type": "string" } }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::{STATEMENT_ATTRIBUTES, VARIABLES};

    fn keys(v: &Value) -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn covers_every_variable_and_attribute() {
        let schema = input_schema();
        let mut variables = keys(&schema["properties"]);
        variables.sort();
        let mut expected: Vec<String> = VARIABLES.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(variables, expected);

        let mut attributes = keys(&schema["$defs"]["statement"]["properties"]);
        attributes.sort();
        let mut expected: Vec<String> =
            STATEMENT_ATTRIBUTES.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(attributes, expected);
    }

    #[test]
    fn prefix_limit_matches_the_longest_role_name() {
        // 64 is IAM's role-name limit; "-batch-instance-role" is the longest suffix (SPEC §3).
        assert_eq!(MAX_PREFIX, 64 - "-batch-instance-role".len());
    }
}
