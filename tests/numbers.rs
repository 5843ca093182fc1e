//! Numbers given where Terraform expects a string come out as the strings Terraform writes
//! (cty's exact decimal: no exponent, no `.0`, `-0`), wherever a conversion happens.
//!
//! Expectations: tests/fixtures/numbers (Terraform 1.11.4 itself, see its README.md).

use iam_metaflow::{generate, validate, Diagnostic};
use serde_json::{json, Number, Value};

const JOB: &str = "custom_job_policy_statements";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/numbers/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[derive(serde::Deserialize)]
struct Recorded {
    number: String,
    terraform: String,
}

fn recorded() -> Vec<Recorded> {
    let recorded: Vec<Recorded> = serde_json::from_str(&fixture("terraform_strings.json")).unwrap();
    assert!(recorded.len() >= 20, "{} recorded numbers", recorded.len());
    recorded
}

/// Inputs with the number's JSON text as a condition value (a string of any length there:
/// a tag value has at most 256 characters), read as any Rust caller reads JSON text.
fn with_value(number_text: &str) -> Value {
    serde_json::from_str(&format!(
        r#"{{"name_prefix": "mf", "{JOB}": {{"S": {{
            "actions": ["s3:GetObject"], "resources": ["*"],
            "condition": [{{"test": "StringEquals", "variable": "aws:x", "values": [{number_text}]}}]
        }}}}}}"#
    ))
    .unwrap()
}

/// The condition value of [`with_value`] in the inline policy.
fn rendered_value(generated: &iam_metaflow::Generated) -> String {
    let policy = &generated.roles[0].inline_policy.as_ref().unwrap().policy;
    let document: Value = serde_json::from_str(&policy.minified_json).unwrap();
    let value = &document["Statement"][0]["Condition"]["StringEquals"]["aws:x"];
    value.as_str().unwrap().to_owned()
}

const VALUE_PATH: (&str, &str) = (
    "custom_job_policy_statements[\"S\"].condition[0].values[0]",
    "/custom_job_policy_statements/S/condition/0/values/0",
);

/// The significant digits of a number's text: what Terraform keeps when it does not round.
fn significant(text: &str) -> String {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits.trim_matches('0').to_owned()
}

#[test]
fn json_numbers_become_the_strings_terraform_writes() {
    let mut exact = 0;
    for Recorded { number, terraform } in recorded() {
        let inputs = with_value(&number);
        if significant(&terraform) != significant(&number) {
            // Terraform rounded it (more than 153 significant digits): an error, not a guess.
            let diagnostics = validate(&inputs, None);
            let d = diagnostics
                .iter()
                .find(|d| d.code.as_str() == "number_too_many_digits")
                .unwrap_or_else(|| panic!("{number}: {diagnostics:#?}"));
            assert_eq!((d.path.as_str(), d.pointer.as_str()), VALUE_PATH);
            assert!(d.is_error() && d.help.is_some(), "{d:?}");
            // The number is shown as every message shows the user's text: 100 characters, "…".
            let shown = match number.get(..100) {
                Some(start) if number.len() > 100 => format!("{start}…"),
                _ => number.clone(),
            };
            assert!(
                d.message.starts_with(&format!("the number {shown} has ")),
                "{}",
                d.message
            );
            continue;
        }
        let generated = generate(&inputs, None).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(rendered_value(&generated), terraform, "{number}");
        let info = generated
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "type_converted")
            .unwrap();
        assert_eq!((info.path.as_str(), info.pointer.as_str()), VALUE_PATH);
        assert!(info.message.starts_with("number "), "{}", info.message);
        assert!(
            info.message
                .ends_with(&format!(" converted to the string \"{terraform}\"")),
            "{}",
            info.message
        );
        exact += 1;
    }
    assert!(exact >= 20, "{exact} exact numbers");
}

#[test]
fn js_numbers_become_the_strings_terraform_writes() {
    // A JS number crosses as an f64 (src/wasm.rs: safe integers as integers, others as
    // `Number::from_f64`); JSON.stringify would write the same shortest text Terraform reads.
    let mut checked = 0;
    for Recorded { number, terraform } in recorded() {
        let Ok(f) = number.parse::<f64>() else {
            continue;
        };
        let shortest = if f == 0.0 && f.is_sign_negative() {
            "-0".to_owned()
        } else {
            format!("{f:e}")
        };
        // Only numbers an f64 holds exactly as written (its shortest text has their digits).
        if significant(&shortest) != significant(&number) || f.is_infinite() {
            continue;
        }
        // JS's -0 crosses as `Number::from_f64(-0.0)`, not as the integer 0.
        let negative_zero = f == 0.0 && f.is_sign_negative();
        let n = if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0 && !negative_zero {
            Number::from(f as i64)
        } else {
            Number::from_f64(f).unwrap()
        };
        let mut inputs = with_value("0");
        inputs[JOB]["S"]["condition"][0]["values"][0] = Value::Number(n);
        let generated = generate(&inputs, None).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(rendered_value(&generated), terraform, "{number} as f64");
        checked += 1;
    }
    assert!(checked >= 15, "{checked} numbers an f64 holds");
}

#[test]
fn merged_condition_values_keep_terraforms_order() {
    let statements: Value = serde_json::from_str(&fixture("condition_numbers.input.json")).unwrap();
    let expected: Value =
        serde_json::from_str(&fixture("condition_numbers.expected.json")).unwrap();
    let inputs = json!({ "name_prefix": "mf", JOB: statements });
    let generated = generate(&inputs, None).unwrap();
    let inline = generated.roles[0].inline_policy.as_ref().unwrap();
    assert_eq!(inline.policy.json, expected["json"].as_str().unwrap());
    assert_eq!(
        inline.policy.minified_json,
        expected["minified_json"].as_str().unwrap()
    );
    // A number as sid is a valid Sid once written without `e+` (it was `sid_chars` before).
    assert!(!generated
        .diagnostics
        .iter()
        .any(|d: &Diagnostic| d.code.as_str() == "sid_chars"));

    // The fixture tells the texts apart: the same numbers written with exponents, as before,
    // merge in another order, so this test fails for a conversion that is not Terraform's.
    let canonical = |v: &Value| -> String {
        let s = v.as_str().unwrap();
        match s {
            "1e+21" => "1000000000000000000000",
            "1e-6" => "0.000001",
            "1e-7" => "0.0000001",
            other => other,
        }
        .to_owned()
    };
    let merged = |json: &str| -> Vec<String> {
        let document: Value = serde_json::from_str(json).unwrap();
        document["Statement"][0]["Condition"]["NumericLessThan"]["s3:max-keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(canonical)
            .collect()
    };
    let mut statements = statements;
    let conditions = statements["numbers"]["condition"].as_array_mut().unwrap();
    conditions[0]["values"] = json!(["1e+21"]);
    conditions[1]["values"] = json!(["1e-6", "-0"]);
    conditions[3]["values"] = json!(["1e-7", "12345678901234567890"]);
    let inputs = json!({ "name_prefix": "mf", JOB: statements });
    let exponents = generate(&inputs, None).unwrap();
    let exponents = &exponents.roles[0]
        .inline_policy
        .as_ref()
        .unwrap()
        .policy
        .json;
    assert_ne!(
        merged(exponents),
        merged(&inline.policy.json),
        "the merged order does not depend on the texts: the fixture no longer tests it"
    );
}
