//! A JSON Schema (2020-12) of the inputs.

use serde_json::Value;

/// The JSON Schema (2020-12) of the module's inputs.
pub fn input_schema() -> Value {
    serde_json::json!({})
}
