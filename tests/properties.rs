//! Properties of the whole engine: it never panics, its output does not depend on the key
//! order of the input objects, and every string reaches the policy JSON unchanged.

use iam_metaflow::{generate, validate, RoleKey};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Any JSON value, biased towards the shapes of the module's inputs.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("name_prefix".to_owned()),
        Just("tags".to_owned()),
        Just("enable_spot_fleet_role".to_owned()),
        Just("additional_job_policy_arns".to_owned()),
        Just("custom_job_policy_statements".to_owned()),
        Just("sid".to_owned()),
        Just("effect".to_owned()),
        Just("actions".to_owned()),
        Just("not_actions".to_owned()),
        Just("resources".to_owned()),
        Just("not_resources".to_owned()),
        Just("principals".to_owned()),
        Just("not_principals".to_owned()),
        Just("condition".to_owned()),
        Just("type".to_owned()),
        Just("identifiers".to_owned()),
        Just("test".to_owned()),
        Just("variable".to_owned()),
        Just("values".to_owned()),
        ".{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
        Just(json!("Allow")),
        Just(json!("s3:GetObject")),
        Just(json!("*")),
        Just(json!("arn:aws:iam::aws:policy/ReadOnlyAccess")),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// The same value with the keys of every object in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

fn result_bytes(inputs: &Value) -> String {
    match generate(inputs, None) {
        Ok(generated) => serde_json::to_string(&generated).unwrap(),
        Err(error) => serde_json::to_string(&error.diagnostics).unwrap(),
    }
}

/// Valid inputs with arbitrary tags and statements.
fn valid_inputs() -> impl Strategy<Value = Value> {
    let word = "[A-Za-z0-9]{1,10}";
    let statement = (
        prop::collection::vec("[a-z0-9]{1,8}:[A-Za-z*]{1,10}", 1..4),
        prop::collection::vec(
            // An empty policy variable (`${}`, `&{}`) is an error (policy_variable_empty).
            "\\*|arn:aws:s3:::[a-z0-9/${}&]{1,12}"
                .prop_filter("no empty policy variable", |r| !r.replace("&{", "${").contains("${}")),
            1..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(actions, resources, deny)| {
            json!({
                "effect": if deny { "Deny" } else { "Allow" },
                "actions": actions,
                "resources": resources,
                "condition": [{"test": "StringLike", "variable": "s3:prefix", "values": ["a/", "b/"]}]
            })
        });
    (
        word,
        // Valid tags: keys that differ only in case are an error (tag_key_duplicate).
        prop::collection::btree_map(word, "[A-Za-z0-9 _.:/=+@-]{0,12}", 0..5).prop_filter(
            "tag keys distinct ignoring case",
            |tags| {
                let lower: std::collections::BTreeSet<String> =
                    tags.keys().map(|k| k.to_lowercase()).collect();
                lower.len() == tags.len()
            },
        ),
        any::<bool>(),
        prop::collection::btree_map(word, statement, 0..4),
    )
        .prop_map(|(prefix, tags, spot, statements)| {
            json!({
                "name_prefix": prefix,
                "tags": tags,
                "enable_spot_fleet_role": spot,
                "custom_job_policy_statements": statements,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_json(inputs in any_json(), options in any_json()) {
        let _ = generate(&inputs, Some(&options));
        let _ = validate(&inputs, Some(&options));
        let _ = generate(&json!({"name_prefix": "p", "custom_job_policy_statements": inputs}), None);
    }

    #[test]
    fn key_order_of_the_input_does_not_matter(inputs in prop_oneof![any_json(), valid_inputs()]) {
        prop_assert_eq!(result_bytes(&inputs), result_bytes(&reversed(&inputs)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any string in any string field of a statement reaches the rendered policy as itself
    /// (after Terraform's documented `&{` -> `${` replacement), whatever it contains.
    #[test]
    fn strings_round_trip_through_the_policy_json(
        sid in "[A-Za-z0-9]{1,8}",
        action in ".{1,30}",
        resource in ".{1,30}",
        variable in ".{0,30}",
        value in ".{0,30}",
    ) {
        let statement = iam_metaflow::Statement {
            sid: Some(sid.clone()),
            effect: "Allow".to_owned(),
            actions: vec![action.clone()],
            resources: vec![resource.clone()],
            conditions: vec![iam_metaflow::ConditionBlock {
                test: "StringEquals".to_owned(),
                variable: variable.clone(),
                values: vec![value.clone()],
            }],
            ..Default::default()
        };
        let policy = iam_metaflow::render_policy(&[statement]);
        let pretty: Value = serde_json::from_str(&policy.json).unwrap();
        let minified: Value = serde_json::from_str(&policy.minified_json).unwrap();
        prop_assert_eq!(&pretty, &minified);
        prop_assert_eq!(&pretty, &serde_json::to_value(&policy.document).unwrap());
        let s = &pretty["Statement"][0];
        prop_assert_eq!(s["Sid"].as_str(), Some(sid.as_str()));
        prop_assert_eq!(s["Action"].as_str(), Some(action.as_str()));
        let resource = resource.replace("&{", "${");
        let value = value.replace("&{", "${");
        prop_assert_eq!(s["Resource"].as_str(), Some(resource.as_str()));
        prop_assert_eq!(
            s["Condition"]["StringEquals"][variable.as_str()].as_str(),
            Some(value.as_str())
        );
    }
}

#[test]
fn valid_inputs_generate_on_every_role() {
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&valid_inputs(), |inputs| {
            let generated =
                generate(&inputs, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let job = generated
                .roles
                .iter()
                .find(|r| r.key == RoleKey::BatchJob)
                .unwrap();
            prop_assert_eq!(
                job.inline_policy.is_some(),
                !inputs["custom_job_policy_statements"]
                    .as_object()
                    .unwrap()
                    .is_empty()
            );
            Ok(())
        })
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The module block generate writes reads back (from_hcl) as the inputs and options it came
    /// from, the defaults it leaves out aside.
    #[test]
    fn the_module_call_reads_back_as_its_inputs(
        inputs in valid_inputs(),
        module_name in "[a-z_][a-z0-9_-]{0,12}",
        module_source in prop_oneof![
            Just("./shared-modules/wrapped/iam_metaflow".to_owned()),
            "[./a-z0-9 \"\\\\${}%-]{1,30}",
        ],
    ) {
        let options = json!({ "module_name": module_name, "module_source": module_source });
        let generated = generate(&inputs, Some(&options)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read = iam_metaflow::from_hcl(&generated.hcl.module_call, None);
        prop_assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        let mut expected = inputs.clone();
        let object = expected.as_object_mut().unwrap();
        if object["tags"] == json!({}) {
            object.remove("tags");
        }
        if object["enable_spot_fleet_role"] == json!(false) {
            object.remove("enable_spot_fleet_role");
        }
        prop_assert_eq!(read.inputs, expected);
        prop_assert_eq!(serde_json::to_value(&read.options).unwrap(), options);
    }
}
