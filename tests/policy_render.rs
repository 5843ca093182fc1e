//! `render_policy` against Terraform's own `aws_iam_policy_document` output.
//!
//! Every `tests/fixtures/policy/NAME.input.json` is a statements map in the shape of the module's
//! `custom_job_policy_statements`; `NAME.expected.json` beside it is what
//! `/work/shared/tools/tf-policy-document/render` (terraform 1.11.4, hashicorp/aws 5.100.0)
//! printed for it, recorded once (see the folder's README.md).

use std::fs;
use std::path::{Path, PathBuf};

use iam_metaflow::{render_policy, ConditionBlock, PrincipalBlock, Statement};
use proptest::prelude::*;
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy")
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().expect("string element").to_owned())
            .collect(),
        Some(other) => panic!("expected a list of strings, got {other}"),
    }
}

fn principal_blocks(value: Option<&Value>) -> Vec<PrincipalBlock> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(blocks)) => blocks
            .iter()
            .map(|block| PrincipalBlock {
                kind: block["type"].as_str().expect("type").to_owned(),
                identifiers: strings(block.get("identifiers")),
            })
            .collect(),
        Some(other) => panic!("expected principal blocks, got {other}"),
    }
}

fn condition_blocks(value: Option<&Value>) -> Vec<ConditionBlock> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(blocks)) => blocks
            .iter()
            .map(|block| ConditionBlock {
                test: block["test"].as_str().expect("test").to_owned(),
                variable: block["variable"].as_str().expect("variable").to_owned(),
                values: strings(block.get("values")),
            })
            .collect(),
        Some(other) => panic!("expected condition blocks, got {other}"),
    }
}

/// The statements the tool's `main.tf` builds: map keys in sorted order, `sid` = `sid` unless
/// null or empty, else the key; `effect` defaults to `Allow`.
fn statements_from_map(map: &Value) -> Vec<Statement> {
    let map = map.as_object().expect("statements map");
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys.into_iter()
        .map(|key| {
            let s = &map[key.as_str()];
            let sid = match s.get("sid").and_then(Value::as_str) {
                Some(sid) if !sid.is_empty() => sid.to_owned(),
                _ => key.clone(),
            };
            Statement {
                sid: Some(sid),
                effect: s
                    .get("effect")
                    .and_then(Value::as_str)
                    .unwrap_or("Allow")
                    .to_owned(),
                actions: strings(s.get("actions")),
                not_actions: strings(s.get("not_actions")),
                resources: strings(s.get("resources")),
                not_resources: strings(s.get("not_resources")),
                principals: principal_blocks(s.get("principals")),
                not_principals: principal_blocks(s.get("not_principals")),
                conditions: condition_blocks(s.get("condition")),
            }
        })
        .collect()
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixtures() -> Vec<(String, Value, Value)> {
    let mut names: Vec<String> = fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".input.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let input = read_json(&fixture_dir().join(format!("{name}.input.json")));
            let expected = read_json(&fixture_dir().join(format!("{name}.expected.json")));
            (name, input, expected)
        })
        .collect()
}

/// Fixtures where Terraform does something `render_policy` deliberately leaves to its caller.
///
/// `nfc_decomposed_input`: Terraform (cty) normalizes every string to Unicode NFC before the
/// provider sees it, so `e` + U+0301 arrives as `é`. Normalizing is the input decoder's job
/// (it applies to every string of the module, not only policies).
const CALLER_NORMALIZES: &[&str] = &["nfc_decomposed_input"];

/// The NFC forms of the decomposed sequences used in `nfc_decomposed_input.input.json`.
fn nfc_by_hand(value: &Value) -> Value {
    let mut text = serde_json::to_string(value).unwrap();
    for (decomposed, composed) in [
        ("e\u{301}", "\u{e9}"),
        ("n\u{303}", "\u{f1}"),
        ("A\u{30a}", "\u{c5}"),
    ] {
        text = text.replace(decomposed, composed);
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn fixtures_match_terraform_byte_for_byte() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 35,
        "only {} policy fixtures found",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for (name, input, expected) in &fixtures {
        if CALLER_NORMALIZES.contains(&name.as_str()) {
            let raw = render_policy(&statements_from_map(input));
            assert_ne!(
                raw.minified_json,
                expected["minified_json"].as_str().unwrap(),
                "{name} now matches without normalization: update CALLER_NORMALIZES"
            );
        }
        let input = if CALLER_NORMALIZES.contains(&name.as_str()) {
            nfc_by_hand(input)
        } else {
            input.clone()
        };
        let policy = render_policy(&statements_from_map(&input));
        let json = expected["json"].as_str().expect("json");
        let minified = expected["minified_json"].as_str().expect("minified_json");
        if policy.json != json {
            failures.push(format!(
                "{name}: json\n  got:  {:?}\n  want: {json:?}",
                policy.json
            ));
        }
        if policy.minified_json != minified {
            failures.push(format!(
                "{name}: minified_json\n  got:  {:?}\n  want: {minified:?}",
                policy.minified_json
            ));
        }
        // serde_json's compact form differs from Go's only in escaping; compare parsed values
        // and key order through serde_json on both sides.
        let reparsed: Value = serde_json::from_str(minified).expect("expected minified parses");
        if serde_json::to_string(&serde_json::to_value(&policy.document).unwrap()).unwrap()
            != serde_json::to_string(&reparsed).unwrap()
        {
            failures.push(format!(
                "{name}: document\n  got:  {}\n  want: {}",
                serde_json::to_value(&policy.document).unwrap(),
                reparsed
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn advanced_example_matches_the_seed() {
    // The seed's advanced example; its expected text is the fixture Terraform rendered, which
    // is the same text as the seed's examples/advanced.inline_policy.json.
    let input = read_json(&fixture_dir().join("advanced.input.json"));
    let policy = render_policy(&statements_from_map(&input));
    assert_eq!(
        policy.minified_json,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowSecretsManagerAccess","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:metaflow/*"}]}"#
    );
}

#[test]
fn advanced_fixture_is_the_seeds_expected_output() {
    // The seed's own expectation (tests/fixtures/seed, a copy of shared/examples).
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed/advanced.inline_policy.json");
    let fixture = read_json(&fixture_dir().join("advanced.expected.json"));
    assert_eq!(read_json(&seed), fixture);
    let input = read_json(&fixture_dir().join("advanced.input.json"));
    let policy = render_policy(&statements_from_map(&input));
    assert_eq!(policy.json, fixture["json"].as_str().unwrap());
    assert_eq!(
        policy.minified_json,
        fixture["minified_json"].as_str().unwrap()
    );
}

#[test]
fn no_statements_is_version_only() {
    // Upstream testAccPolicyDocumentExpectedJSONNoStatement.
    let policy = render_policy(&[]);
    assert_eq!(policy.json, "{\n  \"Version\": \"2012-10-17\"\n}");
    assert_eq!(policy.minified_json, r#"{"Version":"2012-10-17"}"#);
    assert_eq!(
        serde_json::to_value(&policy.document).unwrap(),
        serde_json::json!({"Version": "2012-10-17"})
    );
}

#[test]
fn empty_statement_is_an_empty_object() {
    // Every field of the provider's statement struct is `omitempty`, and Go's json.Indent keeps
    // an empty object inline (policy_model.go, encoding/json). Terraform itself always passes
    // an effect; this is the renderer's behaviour when a caller does not.
    let policy = render_policy(&[Statement::default()]);
    assert_eq!(
        policy.minified_json,
        r#"{"Version":"2012-10-17","Statement":[{}]}"#
    );
    assert_eq!(
        policy.json,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}"
    );
}

// --- properties -------------------------------------------------------------------------------

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c&{}$*]{0,6}",
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('<'),
                Just('>'),
                Just('&'),
                Just('{'),
                Just('"'),
                Just('\\'),
                Just('\n'),
                Just('\u{8}'),
                Just('\u{1}'),
                Just('\u{2028}'),
                Just('\u{2029}'),
                Just('漢'),
                Just('é'),
                Just('a'),
            ],
            0..8
        )
        .prop_map(|chars| chars.into_iter().collect()),
    ]
}

fn any_list() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(any_text(), 0..4)
}

fn any_statement() -> impl Strategy<Value = Statement> {
    let principal = || {
        (
            prop_oneof![any_text(), Just("*".to_owned()), Just("AWS".to_owned())],
            proptest::collection::vec(prop_oneof![any_text(), Just("*".to_owned())], 1..4),
        )
            .prop_map(|(kind, identifiers)| PrincipalBlock { kind, identifiers })
    };
    let condition =
        (any_text(), any_text(), any_list()).prop_map(|(test, variable, values)| ConditionBlock {
            test,
            variable,
            values,
        });
    (
        (
            proptest::option::of(any_text()),
            prop_oneof![Just("Allow".to_owned()), Just("Deny".to_owned())],
            any_list(),
            any_list(),
            any_list(),
            any_list(),
        ),
        (
            proptest::collection::vec(principal(), 0..4),
            proptest::collection::vec(principal(), 0..3),
            proptest::collection::vec(condition, 0..4),
        ),
    )
        .prop_map(
            |(
                (sid, effect, actions, not_actions, resources, not_resources),
                (principals, not_principals, conditions),
            )| Statement {
                sid,
                effect,
                actions,
                not_actions,
                resources,
                not_resources,
                principals,
                not_principals,
                conditions,
            },
        )
}

fn vars(s: &str) -> String {
    s.replace("&{", "${")
}

/// A set as rendered: deduplicated, then the (raw-sorted) strings with `&{` replaced, as a
/// multiset (sorted) since the property does not re-derive the exact order.
fn as_sorted(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().expect("string").to_owned())
            .collect(),
        other => panic!("not a string or array: {other}"),
    };
    items.sort();
    items
}

fn check_set(statement: &Value, key: &str, items: &[String], replace: bool) {
    match statement.get(key) {
        None => assert!(items.is_empty(), "{key} missing"),
        Some(value) => {
            // Distinct raw values in descending byte order, then `&{` -> `${` for resources.
            let mut raw: Vec<&String> = items.iter().collect();
            raw.sort_by(|a, b| b.cmp(a));
            raw.dedup();
            let expected: Vec<Value> = raw
                .into_iter()
                .map(|s| Value::String(if replace { vars(s) } else { s.clone() }))
                .collect();
            match expected.as_slice() {
                [one] => assert_eq!(value, one, "{key}"),
                _ => assert_eq!(value, &Value::Array(expected), "{key}"),
            }
        }
    }
}

fn check_principals(statement: &Value, key: &str, blocks: &[PrincipalBlock]) {
    let Some(value) = statement.get(key) else {
        assert!(blocks.is_empty(), "{key} missing");
        return;
    };
    let mut distinct: Vec<(String, Vec<String>)> = blocks
        .iter()
        .map(|b| {
            let mut ids = b.identifiers.clone();
            ids.sort();
            ids.dedup();
            (b.kind.clone(), ids)
        })
        .collect();
    distinct.sort();
    distinct.dedup();
    if value == "*" {
        assert_eq!(distinct, vec![("*".to_owned(), vec!["*".to_owned()])]);
        return;
    }
    let object = value.as_object().expect("principal object");
    let mut kinds: Vec<&String> = distinct.iter().map(|(k, _)| k).collect();
    kinds.dedup();
    assert_eq!(object.keys().collect::<Vec<_>>(), kinds, "{key} types");
    for kind in kinds {
        let mut expected: Vec<String> = distinct
            .iter()
            .filter(|(k, _)| k == kind)
            .flat_map(|(_, ids)| ids.iter().map(|id| vars(id)))
            .collect();
        expected.sort();
        let value = &object[kind.as_str()];
        assert_eq!(as_sorted(value), expected, "{key}.{kind}");
        let blocks_of_kind = distinct.iter().filter(|(k, _)| k == kind).count();
        if blocks_of_kind == 1 {
            // One block: its identifiers, replaced, in descending order; one is a plain string.
            expected.reverse();
            match expected.as_slice() {
                [one] => assert_eq!(value, one.as_str()),
                _ => assert_eq!(value, &serde_json::json!(expected)),
            }
        } else {
            assert!(value.is_array(), "{key}.{kind} merges blocks into an array");
        }
    }
}

fn check_conditions(statement: &Value, blocks: &[ConditionBlock]) {
    let Some(value) = statement.get("Condition") else {
        assert!(blocks.is_empty(), "Condition missing");
        return;
    };
    let mut distinct: Vec<&ConditionBlock> = blocks.iter().collect();
    distinct
        .sort_by(|a, b| (&a.test, &a.variable, &a.values).cmp(&(&b.test, &b.variable, &b.values)));
    distinct.dedup();
    let tests = value.as_object().expect("condition object");
    let mut expected_tests: Vec<&String> = distinct.iter().map(|b| &b.test).collect();
    expected_tests.dedup();
    assert_eq!(tests.keys().collect::<Vec<_>>(), expected_tests);
    for (test, variables) in tests {
        let variables = variables.as_object().expect("variables object");
        let mut expected_vars: Vec<&String> = distinct
            .iter()
            .filter(|b| &b.test == test)
            .map(|b| &b.variable)
            .collect();
        expected_vars.dedup();
        assert_eq!(variables.keys().collect::<Vec<_>>(), expected_vars);
        for (variable, values) in variables {
            let mut expected: Vec<String> = distinct
                .iter()
                .filter(|b| &b.test == test && &b.variable == variable)
                .flat_map(|b| b.values.iter().map(|v| vars(v)))
                .collect();
            let single = expected.len() == 1;
            let blocks_of_key = distinct
                .iter()
                .filter(|b| &b.test == test && &b.variable == variable)
                .count();
            if blocks_of_key == 1 && !single {
                // One block: its values in their order, duplicates and empty strings kept.
                assert_eq!(values, &serde_json::json!(expected), "{test}.{variable}");
            }
            expected.sort();
            if expected.is_empty() {
                assert_eq!(values, &Value::Array(Vec::new()));
            } else {
                assert_eq!(as_sorted(values), expected, "{test}.{variable}");
                assert_eq!(values.is_string(), single);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendered_json_parses_back_to_the_inputs(statements in proptest::collection::vec(any_statement(), 0..4)) {
        let policy = render_policy(&statements);
        let pretty: Value = serde_json::from_str(&policy.json).expect("json parses");
        let compact: Value = serde_json::from_str(&policy.minified_json).expect("minified_json parses");
        prop_assert_eq!(&pretty, &compact);
        prop_assert_eq!(&pretty, &serde_json::to_value(&policy.document).unwrap());
        prop_assert!(!policy.minified_json.contains('\n'));
        prop_assert!(!policy.json.ends_with('\n'));
        for forbidden in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            prop_assert!(!policy.minified_json.contains(forbidden));
            prop_assert!(!policy.json.contains(forbidden));
        }
        prop_assert_eq!(&pretty["Version"], "2012-10-17");
        let rendered = pretty.get("Statement").and_then(Value::as_array).cloned().unwrap_or_default();
        prop_assert_eq!(rendered.len(), statements.len());
        for (statement, input) in rendered.iter().zip(&statements) {
            match input.sid.as_deref() {
                Some(sid) if !sid.is_empty() => prop_assert_eq!(&statement["Sid"], sid),
                _ => prop_assert!(statement.get("Sid").is_none()),
            }
            prop_assert_eq!(&statement["Effect"], input.effect.as_str());
            check_set(statement, "Action", &input.actions, false);
            check_set(statement, "NotAction", &input.not_actions, false);
            check_set(statement, "Resource", &input.resources, true);
            check_set(statement, "NotResource", &input.not_resources, true);
            check_principals(statement, "Principal", &input.principals);
            check_principals(statement, "NotPrincipal", &input.not_principals);
            check_conditions(statement, &input.conditions);
        }
    }
}
