//! Hostile inputs through the public API (issue 16): the input budget, the cap on the number
//! of diagnostics, and the cap on every echo of user text. The speed of the slow paths is
//! shown by `scripts/bench-hostile.mjs` (figures, not timed tests).

use iam_metaflow::{
    check_input_size, generate, validate, Diagnostic, Severity, MAX_DIAGNOSTICS, MAX_INPUT_BYTES,
    MAX_INPUT_VALUES,
};
use serde_json::{json, Map, Value};

const MIB: usize = 1 << 20;

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// The input budget

#[test]
fn text_up_to_the_budget_is_read_and_one_byte_more_is_refused() {
    // `{"name_prefix": S}`: the key's 11 bytes and S's bytes.
    let at_limit = json!({ "name_prefix": "a".repeat(MAX_INPUT_BYTES - 11) });
    assert_eq!(check_input_size(&at_limit, None), None);
    assert_ne!(codes(&validate(&at_limit, None)), ["input_too_large"]);

    let over = json!({ "name_prefix": "a".repeat(MAX_INPUT_BYTES - 10) });
    let d = check_input_size(&over, None).expect("over the budget");
    assert_eq!(d.code.as_str(), "input_too_large");
    assert_eq!((d.path.as_str(), d.pointer.as_str()), ("", ""));
    assert!(
        d.message.contains("1,048,576 bytes (1 MiB)"),
        "{}",
        d.message
    );
    assert!(d
        .help
        .as_deref()
        .unwrap_or("")
        .contains("terraform.tfvars.json"));
    // Nothing else is checked: one diagnostic, from validate and from generate.
    assert_eq!(validate(&over, None), std::slice::from_ref(&d));
    assert_eq!(generate(&over, None).unwrap_err().diagnostics, [d]);
}

#[test]
fn keys_count_as_text_and_options_count_too() {
    let mut tags = Map::new();
    let key = "k".repeat(1000);
    for i in 0..(MAX_INPUT_BYTES / 1000) {
        tags.insert(format!("{i:05}{key}"), json!(""));
    }
    let inputs = json!({ "name_prefix": "mf", "tags": tags });
    assert_eq!(
        check_input_size(&inputs, None).map(|d| d.code.as_str()),
        Some("input_too_large")
    );

    let half = json!({ "name_prefix": "a".repeat(MAX_INPUT_BYTES / 2) });
    let options = json!({ "module_source": "a".repeat(MAX_INPUT_BYTES / 2) });
    assert_eq!(check_input_size(&half, None), None);
    assert_eq!(codes(&validate(&half, Some(&options))), ["input_too_large"]);
}

#[test]
fn values_up_to_the_budget_are_read_and_one_more_is_refused() {
    // The object, name_prefix and the list count 3; each element one.
    let list = |n: usize| json!({ "name_prefix": "mf", "additional_job_policy_arns": vec![0; n] });
    assert_eq!(check_input_size(&list(MAX_INPUT_VALUES - 3), None), None);
    let d = check_input_size(&list(MAX_INPUT_VALUES - 2), None).expect("over");
    assert_eq!(d.code.as_str(), "input_too_large");
    assert!(d.message.contains("10,000 values"), "{}", d.message);
    // Nulls, bools, numbers, empty lists and objects count alike.
    let mixed: Vec<Value> = (0..MAX_INPUT_VALUES)
        .map(|i| match i % 4 {
            0 => Value::Null,
            1 => json!(true),
            2 => json!([]),
            _ => json!({}),
        })
        .collect();
    assert!(check_input_size(&json!({ "x": mixed }), None).is_some());
}

#[test]
fn a_deep_input_is_counted_without_recursion() {
    // Deeper than any stack would take in a recursive count: refused by its value count.
    let mut deep = json!("leaf");
    for _ in 0..=MAX_INPUT_VALUES {
        deep = Value::Array(vec![deep]);
    }
    assert!(check_input_size(&deep, None).is_some());
    // serde_json drops values recursively: leave this one to the end of the process.
    std::mem::forget(deep);
}

// ---------------------------------------------------------------------------------------------
// The cap on the number of diagnostics

/// `n` unknown top-level keys (errors) beside a valid name_prefix.
fn unknown_keys(n: usize) -> Value {
    let mut inputs = Map::new();
    inputs.insert("name_prefix".to_owned(), json!("mf"));
    for i in 0..n {
        inputs.insert(format!("unknown{i:05}"), json!(0));
    }
    Value::Object(inputs)
}

#[test]
fn at_most_the_cap_is_returned_with_how_many_were_left_out() {
    let exactly = validate(&unknown_keys(MAX_DIAGNOSTICS - 1), None);
    // The unknown keys and the job role's default-policies warning: exactly the cap.
    assert_eq!(exactly.len(), MAX_DIAGNOSTICS);
    assert!(exactly
        .iter()
        .all(|d| d.code.as_str() != "diagnostics_truncated"));

    let many = validate(&unknown_keys(9_000), None);
    assert_eq!(many.len(), MAX_DIAGNOSTICS);
    let (last, shown) = many.split_last().unwrap();
    assert!(shown.iter().all(|d| d.code.as_str() == "unknown_key"));
    // The first ones, in key order.
    assert_eq!(shown[0].path, "unknown00000");
    assert_eq!(shown[98].path, "unknown00098");
    assert_eq!(last.code.as_str(), "diagnostics_truncated");
    assert_eq!(last.severity, Severity::Info);
    assert_eq!(
        last.message,
        "8,902 more diagnostics were left out (8,901 errors, 1 warning): at most 100 are given"
    );
    // generate fails with the same list.
    assert_eq!(
        generate(&unknown_keys(9_000), None)
            .unwrap_err()
            .diagnostics,
        many
    );
}

#[test]
fn errors_come_first_even_when_found_after_the_cap() {
    // 150 infos (numbers converted to strings) found before 3 errors.
    let mut inputs = json!({
        "name_prefix": "mf",
        "tags": {},
        "additional_job_policy_arns": vec![0; 150],
    });
    for key in ["zz1", "zz2", "zz3"] {
        inputs[key] = json!(1);
    }
    let diagnostics = validate(&inputs, None);
    let severities: Vec<Severity> = diagnostics.iter().map(|d| d.severity).collect();
    assert!(severities.is_sorted(), "{severities:?}");
    assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    // 150 malformed ARNs and 3 unknown keys, the ARN count over the limit.
    assert_eq!(errors, MAX_DIAGNOSTICS - 1);
    assert!(diagnostics[..3]
        .iter()
        .any(|d| d.code.as_str() == "unknown_key"));
    let last = diagnostics.last().unwrap();
    assert!(
        last.message.contains("errors") && last.message.contains("infos"),
        "{}",
        last.message
    );
}

// ---------------------------------------------------------------------------------------------
// The cap on echoes of user text

/// Every text field of every diagnostic for `inputs` and `options` is short, whatever the
/// length of the strings in them: at most `SHOWN` characters of each echo, plus the words.
fn assert_echoes_are_cut(inputs: &Value, options: Option<&Value>, expected: &str) {
    let diagnostics = validate(inputs, options);
    assert!(
        diagnostics.iter().any(|d| d.code.as_str() == expected),
        "no {expected}: {:#?}",
        codes(&diagnostics)
    );
    for d in &diagnostics {
        for (field, text) in [
            ("message", d.message.as_str()),
            ("help", d.help.as_deref().unwrap_or("")),
        ] {
            // Two echoes of 100 characters (a key and a value) and the sentence around them.
            assert!(
                text.chars().count() <= 800,
                "{} {field}: {} characters",
                d.code.as_str(),
                text.chars().count()
            );
        }
        for (field, text) in [("path", d.path.as_str()), ("pointer", d.pointer.as_str())] {
            // A key is kept to 256 characters; paths are a few keys deep.
            assert!(
                text.chars().count() <= 1_000,
                "{} {field}: {} characters",
                d.code.as_str(),
                text.chars().count()
            );
        }
    }
}

/// A string of about `n` bytes that no check accepts: spaces, a control, a bidi override.
fn long(n: usize) -> String {
    format!("x \u{1b}\u{202e}{}", "y".repeat(n))
}

#[test]
fn unknown_keys_and_map_keys_are_cut() {
    let big = long(MIB / 2);
    assert_echoes_are_cut(
        &json!({ "name_prefix": "mf", big.clone(): 1 }),
        None,
        "unknown_key",
    );
    let statement = json!({ "actions": ["s3:GetObject"], "resources": ["*"], big.clone(): 1 });
    assert_echoes_are_cut(
        &json!({ "name_prefix": "mf", "custom_job_policy_statements": { "S": statement } }),
        None,
        "unknown_key",
    );
    // A statement key becomes the Sid: sid_chars echoes it, the path holds it.
    let statement = json!({ "actions": ["s3:GetObject"], "resources": ["*"] });
    assert_echoes_are_cut(
        &json!({ "name_prefix": "mf", "custom_job_policy_statements": { big.clone(): statement } }),
        None,
        "sid_chars",
    );
    assert_echoes_are_cut(
        &json!({ "name_prefix": "mf", "tags": { big.clone(): long(MIB / 4) } }),
        None,
        "tag_key_chars",
    );
}

#[test]
fn options_actions_operators_arns_and_names_are_cut() {
    let big = long(MIB / 2);
    for option in ["module_name", "account_id", "partition"] {
        assert_echoes_are_cut(
            &json!({ "name_prefix": "mf" }),
            Some(&json!({ option: big.clone() })),
            "invalid_option",
        );
    }
    let statement = |extra: Value| {
        let mut s = json!({ "actions": ["s3:GetObject"], "resources": ["*"] });
        if let (Some(s), Some(extra)) = (s.as_object_mut(), extra.as_object()) {
            s.extend(extra.clone());
        }
        json!({ "name_prefix": "mf", "custom_job_policy_statements": { "S": s } })
    };
    for action in [
        big.clone(),
        format!("{big}:Get"),
        format!("s3:{big}"),
        format!("iam:{big}*"),
    ] {
        assert_echoes_are_cut(
            &statement(json!({ "actions": [action] })),
            None,
            "action_malformed",
        );
    }
    for test in [
        big.clone(),
        format!("{big}:StringEquals"),
        format!("ForAnyValue:{big}"),
    ] {
        let condition = json!([{ "test": test, "variable": "aws:x", "values": ["a"] }]);
        assert_echoes_are_cut(
            &statement(json!({ "condition": condition })),
            None,
            "condition_operator_unknown",
        );
    }
    assert_echoes_are_cut(
        &statement(json!({ "effect": long(MIB / 4), "sid": long(MIB / 4) })),
        None,
        "effect_invalid",
    );
    assert_echoes_are_cut(
        &json!({ "name_prefix": big.clone() }),
        None,
        "name_prefix_chars",
    );
    // Within the 2,048 characters of an ARN, every part is echoed cut.
    let path = "p".repeat(1_900);
    let arns = [
        format!("arn:aws-cn:iam::aws:policy/{path}/Name"),
        format!("arn:aws:iam::aws:policy/{path} x/Name"),
        format!("arn:aws:iam::aws:policy/{path}/Name"),
        format!("arn:aws:iam::aws:policy/{path}/Name"),
        big.clone(),
    ];
    let inputs = json!({ "name_prefix": "mf", "additional_job_policy_arns": arns });
    for code in [
        "policy_arn_partition",
        "policy_arn_malformed",
        "policy_arn_duplicate",
    ] {
        assert_echoes_are_cut(&inputs, None, code);
    }
}

#[test]
fn echoes_escape_controls_and_bidi_characters() {
    let key = "a\u{1b}]0;PWNED\u{7}\u{202e}b\u{2066}";
    let d = &validate(&json!({ "name_prefix": "mf", key: 1 }), None)[0];
    assert_eq!(d.code.as_str(), "unknown_key");
    assert_eq!(
        d.message,
        "unknown key \"a\\u001B]0;PWNED\\u0007\\u202Eb\\u2066\" in the module's variables"
    );
    // Terraform's path style writes a key that is not an identifier in brackets, escaped; the
    // pointer keeps the key as it is, so that it resolves.
    assert_eq!(d.path, "[\"a\\u001B]0;PWNED\\u0007\\u202Eb\\u2066\"]");
    assert_eq!(d.pointer, format!("/{key}"));
}

#[test]
fn long_keys_are_cut_in_paths_and_the_pointer_stays_a_pointer() {
    let key = format!("{}/~{}", "k".repeat(250), "z".repeat(10_000));
    let d = &validate(
        &json!({ "name_prefix": "mf", "tags": { key.clone(): "v" } }),
        None,
    );
    let d = d
        .iter()
        .find(|d| d.code.as_str() == "tag_key_length")
        .unwrap();
    let kept = format!("{}/~{}", "k".repeat(250), "z".repeat(4));
    assert_eq!(d.path, format!("tags[\"{kept}…\"]"));
    assert_eq!(
        d.pointer,
        format!("/tags/{}~1~0{}…", "k".repeat(250), "z".repeat(4))
    );
    // A key of at most 256 characters is kept whole, and its pointer resolves.
    let key = "k".repeat(256);
    let inputs = json!({ "name_prefix": "mf", "tags": { key.clone(): "v" } });
    let d = validate(&inputs, None);
    let d = d
        .iter()
        .find(|d| d.code.as_str() == "tag_key_length")
        .unwrap();
    assert_eq!(inputs.pointer(&d.pointer), Some(&json!("v")));
}
