//! Snapshot tests over the fixture inputs in tests/fixtures/inputs (an `"options"` key beside
//! the inputs holds the options) and the seed's two examples in tests/fixtures/seed. Each
//! snapshot stores its input in the header and records the whole result, or every diagnostic
//! when generation fails. What each snapshot was checked against when first recorded is listed
//! in tests/fixtures/inputs/README.md.

use iam_metaflow::{Diagnostic, Generated};
use serde::Serialize;
use serde_json::{json, Value};

/// What a snapshot records: the result in its own key order (as JS receives it), or the error.
#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Generated(Box<Generated>),
    Failed {
        error: String,
        diagnostics: Vec<Diagnostic>,
    },
}

#[test]
fn fixtures() {
    for pattern in ["fixtures/inputs/*.json", "fixtures/seed/*.tfvars.json"] {
        insta::glob!(pattern, |path| {
            let (info, result) = evaluate(path);
            insta::with_settings!({ info => &info }, {
                insta::assert_json_snapshot!(result);
            });
        });
    }
}

/// The fixture's inputs and options, and the result of `generate` for them.
fn evaluate(path: &std::path::Path) -> (Value, Outcome) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut inputs: Value = serde_json::from_str(&text).unwrap();
    let options = inputs.as_object_mut().and_then(|map| map.remove("options"));
    let result = match iam_metaflow::generate(&inputs, options.as_ref()) {
        Ok(generated) => Outcome::Generated(Box::new(generated)),
        Err(error) => Outcome::Failed {
            error: error.to_string(),
            diagnostics: error.diagnostics,
        },
    };
    (json!({ "inputs": inputs, "options": options }), result)
}
