//! Validation errors and lint warnings through the public API (`validate` and `generate`).
//!
//! Expectations come from the reference facts, not from running the code: IAM's limits and
//! patterns (`shared/reference/iam-rules.md` part 2, `iam-rules.json` "limits",
//! "regexes_rust", "condition_operators"), the lint anchors (part 3, `aa_checks.json`), the
//! seed's examples (`shared/examples/*.tfvars.json`) and SPEC §6. Each test says which.

use iam_metaflow::{generate, validate, Diagnostic, Severity};
use serde_json::{json, Map, Value};

const JOB: &str = "custom_job_policy_statements";

/// `{"name_prefix": "mf", ...extra}`.
fn inputs(extra: Value) -> Value {
    let mut object = Map::new();
    object.insert("name_prefix".into(), json!("mf"));
    if let Value::Object(extra) = extra {
        object.extend(extra);
    }
    Value::Object(object)
}

/// Inputs with one statement under `key`.
fn statement(key: &str, body: Value) -> Value {
    inputs(json!({ JOB: { key: body } }))
}

/// A valid statement's body with `extra` merged in.
fn body(extra: Value) -> Value {
    let mut object = json!({
        "actions": ["s3:GetObject"],
        "resources": ["arn:aws:s3:::bucket/*"]
    });
    if let (Value::Object(o), Value::Object(extra)) = (&mut object, extra) {
        o.extend(extra);
    }
    object
}

fn with_code<'a>(diagnostics: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect()
}

/// Exactly one diagnostic with `code` for `inputs`, at `path` / `pointer`, with a help text.
fn expect_with(
    inputs: &Value,
    options: Option<&Value>,
    code: &str,
    severity: Severity,
    path: &str,
    pointer: &str,
) -> Diagnostic {
    let all = validate(inputs, options);
    let found = with_code(&all, code);
    assert_eq!(found.len(), 1, "one {code} expected, got: {all:#?}");
    let d = found[0].clone();
    assert_eq!(d.severity, severity, "{d:?}");
    assert_eq!(d.path, path, "{d:?}");
    assert_eq!(d.pointer, pointer, "{d:?}");
    assert!(!d.message.is_empty());
    assert!(d.help.as_deref().is_some_and(|h| !h.is_empty()), "{d:?}");
    d
}

fn expect(inputs: &Value, code: &str, severity: Severity, path: &str, pointer: &str) -> Diagnostic {
    expect_with(inputs, None, code, severity, path, pointer)
}

fn lacks_with(inputs: &Value, options: Option<&Value>, code: &str) {
    let all = validate(inputs, options);
    assert!(
        with_code(&all, code).is_empty(),
        "no {code} expected: {all:#?}"
    );
}

fn lacks(inputs: &Value, code: &str) {
    lacks_with(inputs, None, code);
}

fn errors(inputs: &Value) -> Vec<Diagnostic> {
    validate(inputs, None)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// The seed's examples (shared/examples/basic.tfvars.json, advanced.tfvars.json, copied).

fn basic() -> Value {
    json!({
        "name_prefix": "metaflow-prod",
        "tags": { "Environment": "production", "Project": "metaflow" }
    })
}

fn advanced() -> Value {
    json!({
        "name_prefix": "metaflow-prod",
        "enable_spot_fleet_role": true,
        "additional_job_policy_arns": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
        "custom_job_policy_statements": {
            "secrets_access": {
                "sid": "AllowSecretsManagerAccess",
                "effect": "Allow",
                "actions": ["secretsmanager:GetSecretValue"],
                "resources": ["arn:aws:secretsmanager:*:*:secret:metaflow/*"]
            }
        },
        "tags": { "Environment": "production", "Project": "metaflow" }
    })
}

#[test]
fn seed_examples_give_only_the_default_policies_warning() {
    // The seed presents both as working configurations; the job role always has the broad
    // defaults (SPEC §6 last bullet), and nothing else in them is risky.
    for example in [basic(), advanced()] {
        let generated = generate(&example, None).unwrap();
        assert_eq!(codes(&generated.diagnostics), ["broad_default_policies"]);
        assert_eq!(codes(&validate(&example, None)), ["broad_default_policies"]);
    }
}

#[test]
fn errors_make_generate_fail_and_warnings_do_not() {
    let error = generate(&json!({ "name_prefix": "" }), None).unwrap_err();
    assert_eq!(codes(&error.diagnostics)[0], "name_prefix_empty");
    let ok = generate(&inputs(json!({ JOB: {} })), None).unwrap();
    assert!(codes(&ok.diagnostics).contains(&"empty_statements"));
}

// ---------------------------------------------------------------------------------------------
// name_prefix: [A-Za-z0-9_+=,.@-], role names up to 64 (API_CreateRole; iam-rules.md §2.1).

#[test]
fn empty_name_prefix() {
    expect(
        &json!({ "name_prefix": "" }),
        "name_prefix_empty",
        Severity::Error,
        "name_prefix",
        "/name_prefix",
    );
}

#[test]
fn name_prefix_characters() {
    let d = expect(
        &json!({ "name_prefix": "metaflow prod/é" }),
        "name_prefix_chars",
        Severity::Error,
        "name_prefix",
        "/name_prefix",
    );
    for c in ["' '", "'/'", "'é'"] {
        assert!(d.message.contains(c), "{}", d.message);
    }
    // Every allowed punctuation character.
    lacks(
        &json!({ "name_prefix": "a_b+c=d,e.f@g-h" }),
        "name_prefix_chars",
    );
}

#[test]
fn name_prefix_length_boundary() {
    // 64 - len("-batch-instance-role") = 44.
    let ok = json!({ "name_prefix": "a".repeat(44) });
    lacks(&ok, "role_name_too_long");
    let generated = generate(&ok, None).unwrap();
    assert!(generated.roles.iter().any(|r| r.name.len() == 64));

    let d = expect(
        &json!({ "name_prefix": "a".repeat(45) }),
        "role_name_too_long",
        Severity::Error,
        "name_prefix",
        "/name_prefix",
    );
    assert!(d.message.contains("65"), "{}", d.message);
    assert!(d.help.unwrap().contains("44"));
}

// ---------------------------------------------------------------------------------------------
// Tags: 50 at most; key 1-128, value 0-256 characters of [\p{L}\p{Z}\p{N}_.:/=+\-@];
// no aws: prefix; role tag keys case-insensitive (iam-rules.md §2.2).

fn tags(tags: Value) -> Value {
    inputs(json!({ "tags": tags }))
}

fn n_tags(n: usize) -> Value {
    let map: Map<String, Value> = (0..n).map(|i| (format!("k{i}"), json!("v"))).collect();
    tags(Value::Object(map))
}

#[test]
fn tag_count_boundary() {
    lacks(&n_tags(50), "too_many_tags");
    let d = expect(
        &n_tags(51),
        "too_many_tags",
        Severity::Error,
        "tags",
        "/tags",
    );
    assert!(d.message.contains("51"), "{}", d.message);
}

#[test]
fn tag_key_length_boundary() {
    lacks(&tags(json!({ "k".repeat(128): "v" })), "tag_key_length");
    // Characters, not bytes: 128 two-byte letters are fine.
    lacks(&tags(json!({ "é".repeat(128): "v" })), "tag_key_length");
    let long = "k".repeat(129);
    expect(
        &tags(json!({ long.clone(): "v" })),
        "tag_key_length",
        Severity::Error,
        &format!("tags[\"{long}\"]"),
        &format!("/tags/{long}"),
    );
    expect(
        &tags(json!({ "": "v" })),
        "tag_key_length",
        Severity::Error,
        "tags[\"\"]",
        "/tags/",
    );
}

#[test]
fn tag_value_length_boundary() {
    lacks(&tags(json!({ "k": "v".repeat(256) })), "tag_value_length");
    lacks(&tags(json!({ "k": "ü".repeat(256) })), "tag_value_length");
    lacks(&tags(json!({ "k": "" })), "tag_value_length");
    assert!(errors(&tags(json!({ "k": "" }))).is_empty());
    expect(
        &tags(json!({ "k": "v".repeat(257) })),
        "tag_value_length",
        Severity::Error,
        "tags[\"k\"]",
        "/tags/k",
    );
}

#[test]
fn tag_characters() {
    // Letters and numbers of any script, spaces and _ . : / = + - @ (iam-rules.md §2.2).
    let unicode = tags(json!({
        "Équipe 漢字 ٣": "Ⅻ ½ naïve\u{a0}x_.:/=+-@",
        "team/owner": "data-science@example.com"
    }));
    assert!(errors(&unicode).is_empty(), "{:#?}", errors(&unicode));

    let d = expect(
        &tags(json!({ "team#1": "v" })),
        "tag_key_chars",
        Severity::Error,
        "tags[\"team#1\"]",
        "/tags/team#1",
    );
    assert!(d.message.contains("'#'"), "{}", d.message);

    // A combining mark is not \p{L} (general category Mn), an emoji is a symbol.
    let d = expect(
        &tags(json!({ "k": "e\u{301} 😀" })),
        "tag_value_chars",
        Severity::Error,
        "tags[\"k\"]",
        "/tags/k",
    );
    assert!(d.message.contains("'😀'"), "{}", d.message);
    lacks(&tags(json!({ "k": "e\u{301} 😀" })), "tag_key_chars");
}

#[test]
fn reserved_tag_keys() {
    for key in ["aws:team", "AWS:Team", "Aws:x"] {
        expect(
            &tags(json!({ key: "v" })),
            "tag_key_reserved",
            Severity::Error,
            &format!("tags[\"{key}\"]"),
            &format!("/tags/{key}"),
        );
    }
    for key in ["awsteam", "my-aws:team", "aws"] {
        lacks(&tags(json!({ key: "v" })), "tag_key_reserved");
    }
}

#[test]
fn tag_keys_equal_ignoring_case() {
    let d = expect(
        &tags(json!({ "Env": "a", "env": "b" })),
        "tag_key_duplicate",
        Severity::Error,
        "tags[\"env\"]",
        "/tags/env",
    );
    assert!(d.message.contains("\"Env\""), "{}", d.message);
    lacks(
        &tags(json!({ "Env": "a", "Envs": "b" })),
        "tag_key_duplicate",
    );
    // Letters of any script have case too (Unicode: U+00C9 lowercases to U+00E9, U+0414 to
    // U+0434).
    expect(
        &tags(json!({ "Équipe": "a", "équipe": "b" })),
        "tag_key_duplicate",
        Severity::Error,
        "tags[\"équipe\"]",
        "/tags/équipe",
    );
    expect(
        &tags(json!({ "Дом": "a", "дом": "b" })),
        "tag_key_duplicate",
        Severity::Error,
        "tags[\"дом\"]",
        "/tags/дом",
    );
}

// ---------------------------------------------------------------------------------------------
// Managed policy ARNs: arn:PARTITION:iam::(aws|12 digits):policy/(path/)*NAME; 10 per role by
// default, 20 at most (iam-rules.md §2.3, §2.4); the job role has 3 defaults (SPEC §3).

fn arns(arns: Value) -> Value {
    inputs(json!({ "additional_job_policy_arns": arns }))
}

#[test]
fn malformed_policy_arns() {
    for bad in [
        "AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:role/Foo",
        "arn:aws:iam::12345:policy/Foo",
        "arn:aws:iam:us-east-1:aws:policy/Foo",
        "arn:aws:iam::aws:policy/Foo Bar",
    ] {
        let d = expect(
            &arns(json!(["arn:aws:iam::aws:policy/ReadOnlyAccess", bad])),
            "policy_arn_malformed",
            Severity::Error,
            "additional_job_policy_arns[1]",
            "/additional_job_policy_arns/1",
        );
        assert!(d.message.contains(bad), "{}", d.message);
    }
    for good in [
        "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole",
        "arn:aws:iam::123456789012:policy/division_abc/subdivision_xyz/My+Policy=1,a.b@c-d",
    ] {
        assert!(errors(&arns(json!([good]))).is_empty(), "{good}");
    }
}

#[test]
fn policy_arn_in_another_partition() {
    let cn = arns(json!([
        "arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess"
    ]));
    let d = expect(
        &cn,
        "policy_arn_partition",
        Severity::Error,
        "additional_job_policy_arns[0]",
        "/additional_job_policy_arns/0",
    );
    assert!(d
        .help
        .unwrap()
        .contains("\"arn:aws:iam::aws:policy/AmazonSageMakerFullAccess\""));
    let options = json!({ "partition": "aws-cn" });
    lacks_with(&cn, Some(&options), "policy_arn_partition");
    lacks_with(&cn, Some(&options), "policy_arn_malformed");
}

#[test]
fn duplicate_policy_arns() {
    let x = "arn:aws:iam::123456789012:policy/x";
    expect(
        &arns(json!([x, "arn:aws:iam::aws:policy/ReadOnlyAccess", x])),
        "policy_arn_duplicate",
        Severity::Error,
        "additional_job_policy_arns[2]",
        "/additional_job_policy_arns/2",
    );
    // The job role's defaults (SPEC §3), in the configured partition.
    expect(
        &arns(json!(["arn:aws:iam::aws:policy/AmazonS3FullAccess"])),
        "policy_arn_duplicate",
        Severity::Error,
        "additional_job_policy_arns[0]",
        "/additional_job_policy_arns/0",
    );
    let gov = arns(json!([
        "arn:aws-us-gov:iam::aws:policy/CloudWatchLogsFullAccess"
    ]));
    let options = json!({ "partition": "aws-us-gov" });
    expect_with(
        &gov,
        Some(&options),
        "policy_arn_duplicate",
        Severity::Error,
        "additional_job_policy_arns[0]",
        "/additional_job_policy_arns/0",
    );
    lacks(
        &arns(json!([x, "arn:aws:iam::123456789012:policy/y"])),
        "policy_arn_duplicate",
    );
}

fn n_arns(n: usize) -> Value {
    let list: Vec<String> = (0..n)
        .map(|i| format!("arn:aws:iam::123456789012:policy/p{i}"))
        .collect();
    arns(json!(list))
}

#[test]
fn managed_policy_count_boundaries() {
    // 3 defaults + 7 = 10: the default quota.
    lacks(&n_arns(7), "managed_policy_quota");
    // 11: over the quota, a warning; generate still succeeds.
    expect(
        &n_arns(8),
        "managed_policy_quota",
        Severity::Warning,
        "additional_job_policy_arns",
        "/additional_job_policy_arns",
    );
    let generated = generate(&n_arns(8), None).unwrap();
    assert!(codes(&generated.diagnostics).contains(&"managed_policy_quota"));
    // 20: the hard limit.
    expect(
        &n_arns(17),
        "managed_policy_quota",
        Severity::Warning,
        "additional_job_policy_arns",
        "/additional_job_policy_arns",
    );
    lacks(&n_arns(17), "managed_policy_limit");
    // 21: an error, and not also the warning.
    let d = expect(
        &n_arns(18),
        "managed_policy_limit",
        Severity::Error,
        "additional_job_policy_arns",
        "/additional_job_policy_arns",
    );
    assert!(d.message.contains("21"), "{}", d.message);
    lacks(&n_arns(18), "managed_policy_quota");
}

// ---------------------------------------------------------------------------------------------
// Statements (iam-rules.md §2.1 Sid, §2.4 grammar; SPEC §6).

#[test]
fn sid_characters() {
    let d = expect(
        &statement("s3", body(json!({ "sid": "Allow-S3" }))),
        "sid_chars",
        Severity::Error,
        "custom_job_policy_statements[\"s3\"].sid",
        "/custom_job_policy_statements/s3/sid",
    );
    assert!(d.message.contains("'-'"), "{}", d.message);

    // Without sid, the map key is the Sid: the path is the statement.
    let d = expect(
        &statement("secrets_access", body(json!({}))),
        "sid_chars",
        Severity::Error,
        "custom_job_policy_statements[\"secrets_access\"]",
        "/custom_job_policy_statements/secrets_access",
    );
    assert!(d.message.contains("map key"), "{}", d.message);
    assert!(d.help.unwrap().contains("sid"));
    // An empty sid is skipped by coalesce(): the key is the Sid again.
    expect(
        &statement("a b", body(json!({ "sid": "" }))),
        "sid_chars",
        Severity::Error,
        "custom_job_policy_statements[\"a b\"]",
        "/custom_job_policy_statements/a b",
    );
    lacks(
        &statement("secrets_access", body(json!({ "sid": "Ok1" }))),
        "sid_chars",
    );
    lacks(&statement("S3Read", body(json!({}))), "sid_chars");
}

#[test]
fn duplicate_sids() {
    let two = inputs(json!({ JOB: {
        "a": body(json!({ "sid": "Same" })),
        "b": body(json!({ "sid": "Same" }))
    }}));
    expect(
        &two,
        "sid_duplicate",
        Severity::Error,
        "custom_job_policy_statements[\"b\"].sid",
        "/custom_job_policy_statements/b/sid",
    );
    // A key that becomes the Sid of one statement, the sid of another.
    let key =
        inputs(json!({ JOB: { "Read": body(json!({})), "z": body(json!({ "sid": "Read" })) }}));
    expect(
        &key,
        "sid_duplicate",
        Severity::Error,
        "custom_job_policy_statements[\"z\"].sid",
        "/custom_job_policy_statements/z/sid",
    );
    let distinct = inputs(json!({ JOB: { "a": body(json!({})), "b": body(json!({})) }}));
    lacks(&distinct, "sid_duplicate");
}

#[test]
fn effect_must_be_allow_or_deny() {
    let d = expect(
        &statement("s", body(json!({ "effect": "allow" }))),
        "effect_invalid",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].effect",
        "/custom_job_policy_statements/s/effect",
    );
    assert!(d.help.unwrap().contains("\"Allow\""));
    expect(
        &statement("s", body(json!({ "effect": "Permit" }))),
        "effect_invalid",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].effect",
        "/custom_job_policy_statements/s/effect",
    );
    for ok in ["Allow", "Deny"] {
        lacks(
            &statement("s", body(json!({ "effect": ok }))),
            "effect_invalid",
        );
    }
}

#[test]
fn actions_exactly_one_of() {
    let both = body(json!({ "not_actions": ["s3:DeleteObject"] }));
    expect(
        &statement("s", both),
        "action_conflict",
        Severity::Error,
        "custom_job_policy_statements[\"s\"]",
        "/custom_job_policy_statements/s",
    );
    for neither in [
        json!({ "resources": ["*"] }),
        json!({ "actions": [], "not_actions": [], "resources": ["*"] }),
    ] {
        expect(
            &statement("s", neither),
            "action_missing",
            Severity::Error,
            "custom_job_policy_statements[\"s\"]",
            "/custom_job_policy_statements/s",
        );
    }
    let not_actions = json!({ "not_actions": ["iam:*"], "resources": ["*"] });
    lacks(&statement("s", not_actions.clone()), "action_missing");
    lacks(&statement("s", not_actions), "action_conflict");
}

#[test]
fn resources_exactly_one_of() {
    let both = body(json!({ "not_resources": ["arn:aws:s3:::other/*"] }));
    expect(
        &statement("s", both),
        "resource_conflict",
        Severity::Error,
        "custom_job_policy_statements[\"s\"]",
        "/custom_job_policy_statements/s",
    );
    for neither in [
        json!({ "actions": ["s3:GetObject"] }),
        json!({ "actions": ["s3:GetObject"], "resources": [] }),
    ] {
        expect(
            &statement("s", neither),
            "resource_missing",
            Severity::Error,
            "custom_job_policy_statements[\"s\"]",
            "/custom_job_policy_statements/s",
        );
    }
}

#[test]
fn malformed_actions() {
    // "*" or service:name, service [A-Za-z0-9-]+, name [A-Za-z0-9*?]+ (regexes_rust.action).
    let s = body(json!({ "actions": ["s3:GetObject", "s3GetObject", "ec2:Describe*", "s*:Get"] }));
    let all = validate(&statement("s", s), None);
    let found = with_code(&all, "action_malformed");
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "custom_job_policy_statements[\"s\"].actions[1]",
            "custom_job_policy_statements[\"s\"].actions[3]"
        ]
    );
    assert_eq!(
        found[0].pointer,
        "/custom_job_policy_statements/s/actions/1"
    );
    assert!(found[0].message.contains("\"s3GetObject\""));

    let not = json!({ "not_actions": ["iam*"], "resources": ["*"] });
    expect(
        &statement("s", not),
        "action_malformed",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].not_actions[0]",
        "/custom_job_policy_statements/s/not_actions/0",
    );
    let fine = body(json!({ "actions": ["*", "iam:*AccessKey*", "s3:Get?bject", "S3:getobject"] }));
    lacks(&statement("s", fine), "action_malformed");
}

#[test]
fn principals_in_the_identity_policy() {
    let principal = json!([{ "type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"] }]);
    expect(
        &statement("s", body(json!({ "principals": principal }))),
        "principal_in_identity_policy",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].principals",
        "/custom_job_policy_statements/s/principals",
    );
    expect(
        &statement("s", body(json!({ "not_principals": principal }))),
        "principal_in_identity_policy",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].not_principals",
        "/custom_job_policy_statements/s/not_principals",
    );
    lacks(
        &statement("s", body(json!({}))),
        "principal_in_identity_policy",
    );
}

fn condition(test: &str, values: Value) -> Value {
    statement(
        "s",
        body(json!({ "condition": [
            { "test": "StringEquals", "variable": "aws:RequestedRegion", "values": ["us-east-1"] },
            { "test": test, "variable": "aws:SecureTransport", "values": values }
        ]})),
    )
}

#[derive(serde::Deserialize)]
struct Operators {
    all_valid_operator_strings: Vec<String>,
}

#[test]
fn every_documented_condition_operator_is_accepted() {
    // tests/fixtures/validate/condition_operators.json: copied from iam-rules.json.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/validate/condition_operators.json"
    ))
    .unwrap();
    let operators: Operators = serde_json::from_str(&text).unwrap();
    assert_eq!(operators.all_valid_operator_strings.len(), 159);
    // One statement per input: all 159 in one policy would exceed the inline policy size.
    for test in &operators.all_valid_operator_strings {
        let condition = json!([{ "test": test, "variable": "aws:x", "values": ["true"] }]);
        let one = statement("s", body(json!({ "condition": condition })));
        assert!(errors(&one).is_empty(), "{test}: {:#?}", errors(&one));
    }
}

#[test]
fn unknown_condition_operators() {
    for (test, suggestion) in [
        ("NullIfExists", Some("Null")),
        ("ForAllValues:Foo", None),
        ("StringEqual", Some("StringEquals")),
        ("stringequals", Some("StringEquals")),
        (
            "ForAnyValue:StringLikeIfExist",
            Some("ForAnyValue:StringLikeIfExists"),
        ),
        ("ForAnyValues:StringLike", Some("ForAnyValue:StringLike")),
        ("IfExists", None),
        ("", None),
    ] {
        let d = expect(
            &condition(test, json!(["true"])),
            "condition_operator_unknown",
            Severity::Error,
            "custom_job_policy_statements[\"s\"].condition[1].test",
            "/custom_job_policy_statements/s/condition/1/test",
        );
        if let Some(s) = suggestion {
            let help = d.help.unwrap();
            assert!(
                help.contains(&format!("did you mean \"{s}\"?")),
                "{test}: {help}"
            );
        }
    }
}

#[test]
fn null_and_bool_take_true_or_false() {
    // iam-rules.md §2.4 ("Null values must be true or false"); parliament
    // MISMATCHED_TYPE_OPERATION_TO_NULL covers Bool and Null.
    for test in [
        "Bool",
        "BoolIfExists",
        "ForAnyValue:Bool",
        "Null",
        "ForAllValues:Null",
    ] {
        let d = expect(
            &condition(test, json!(["true", "yes", "false"])),
            "condition_value_not_bool",
            Severity::Error,
            "custom_job_policy_statements[\"s\"].condition[1].values[1]",
            "/custom_job_policy_statements/s/condition/1/values/1",
        );
        assert!(d.message.contains("\"yes\""), "{}", d.message);
        lacks(
            &condition(test, json!(["true", "false"])),
            "condition_value_not_bool",
        );
    }
    let d = expect(
        &condition("Bool", json!(["False"])),
        "condition_value_not_bool",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].condition[1].values[0]",
        "/custom_job_policy_statements/s/condition/1/values/0",
    );
    assert!(d.help.unwrap().contains("\"false\""));
    lacks(
        &condition("StringEquals", json!(["yes"])),
        "condition_value_not_bool",
    );
}

#[test]
fn empty_condition_values_are_a_warning() {
    // Terraform renders `"key": []` (tests/fixtures/policy/condition_empty_values_variants, from
    // shared/tools/tf-policy-document/render) and IAM accepts it; Access Analyzer lists "Empty
    // array condition" and its ForAllValues / ForAnyValue / IfExists variants as suggestions
    // (shared/reference/aa_checks.json), in the words quoted here.
    let fixture = |name: &str| -> Value {
        let path = format!(
            "{}/tests/fixtures/policy/condition_empty_values_variants.{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let statements = fixture("input");
    let generated = generate(&inputs(json!({ JOB: statements })), None).unwrap();
    let policy = &generated.roles[0].inline_policy.as_ref().unwrap().policy;
    let expected = fixture("expected");
    assert_eq!(policy.json, expected["json"].as_str().unwrap());
    assert_eq!(
        policy.minified_json,
        expected["minified_json"].as_str().unwrap()
    );

    let empty = with_code(&generated.diagnostics, "condition_values_empty");
    let at =
        |i: usize| format!("custom_job_policy_statements[\"EmptyValues\"].condition[{i}].values");
    let words = [
        "There are no values for the condition key aws:PrincipalTag/team and it does not \
         affect the policy.",
        "The ForAllValues prefix with an empty condition key matches only if the key \
         aws:TagKeys is missing from the request context.",
        "The ForAnyValue prefix with an empty condition key aws:TagKeys never matches the \
         request context and it does not affect the policy.",
        "The IfExists suffix with an empty condition key matches only if the key aws:SourceVpc \
         is missing from the request context.",
        "The ForAllValues prefix with an empty condition key matches only if the key \
         aws:TagKeys is missing from the request context.",
    ];
    assert_eq!(empty.len(), words.len(), "{empty:#?}");
    for (i, (d, words)) in empty.iter().zip(words).enumerate() {
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.path, at(i));
        assert!(d.message.contains(words), "{i}: {}", d.message);
        assert!(
            d.message.contains(": [] and IAM accepts it"),
            "{}",
            d.message
        );
    }
    // Where the key must be absent, the help suggests Null = true, as Access Analyzer does.
    assert!(empty[1].help.as_deref().unwrap().contains("\"Null\""));
    assert!(empty[3].help.as_deref().unwrap().contains("\"Null\""));
    assert!(!empty[0].help.as_deref().unwrap().contains("\"Null\""));
    // ForAnyValue with IfExists matches only when the key is absent: the IfExists words.
    let d = expect(
        &condition("ForAnyValue:StringEqualsIfExists", json!([])),
        "condition_values_empty",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].condition[1].values",
        "/custom_job_policy_statements/s/condition/1/values",
    );
    assert!(d.message.contains("The IfExists suffix"), "{}", d.message);
}

#[test]
fn empty_map_key_without_sid() {
    // Terraform 1.11.4 (shared/tools/tf-policy-document/render, whose sid is the module's
    // `try(coalesce(statement.value.sid, statement.key))`) fails for the key "" with sid
    // absent, null or "": "Call to function "coalesce" failed: no non-null, non-empty-string
    // arguments."
    for extra in [json!({}), json!({ "sid": null }), json!({ "sid": "" })] {
        let d = expect(
            &statement("", body(extra)),
            "sid_empty",
            Severity::Error,
            "custom_job_policy_statements[\"\"]",
            "/custom_job_policy_statements/",
        );
        assert!(
            d.message
                .contains("no non-null, non-empty-string arguments"),
            "{}",
            d.message
        );
        assert!(generate(&statement("", body(json!({}))), None).is_err());
    }
    // With a sid, the empty key is fine (the render tool gives "Sid": "Ok").
    lacks(&statement("", body(json!({ "sid": "Ok" }))), "sid_empty");
    lacks(&statement("Ok", body(json!({ "sid": "" }))), "sid_empty");
}

#[test]
fn characters_outside_the_policy_alphabet() {
    // IAM: only U+0009, U+000A, U+000D and U+0020-U+00FF in a policy document
    // (shared/reference/iam-rules.md §2.1, API pattern [\u0009\u000A\u000D\u0020-\u00FF]+).
    let d = expect(
        &statement(
            "s",
            body(json!({ "resources": ["arn:aws:s3:::bucket/日本/*"] })),
        ),
        "policy_chars",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].resources[0]",
        "/custom_job_policy_statements/s/resources/0",
    );
    assert!(
        d.message.contains("'日' (U+65E5) at position 21"),
        "{}",
        d.message
    );
    let d = expect(
        &statement(
            "s",
            body(json!({ "not_resources": ["a\u{202e}b"], "resources": null })),
        ),
        "policy_chars",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].not_resources[0]",
        "/custom_job_policy_statements/s/not_resources/0",
    );
    // A bidirectional control is shown escaped, never raw.
    assert!(d.message.contains("'\\u202E' (U+202E)"), "{}", d.message);
    assert!(!d.message.contains('\u{202e}'), "{}", d.message);
    let conditions = json!({ "condition": [
        { "test": "StringEquals", "variable": "aws:PrincipalTag/équipe", "values": ["ok\tfine", "naïve"] },
        { "test": "StringEquals", "variable": "aws:PrincipalTag/😀", "values": ["x", "a\u{1}"] }
    ]});
    let all = validate(&statement("s", body(conditions)), None);
    let found = with_code(&all, "policy_chars");
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "custom_job_policy_statements[\"s\"].condition[1].variable",
            "custom_job_policy_statements[\"s\"].condition[1].values[1]",
        ]
    );
    assert!(
        found[0].message.contains("'😀' (U+1F600)"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.contains("'\\u0001' (U+0001)"),
        "{}",
        found[1].message
    );
    // Latin-1 (é, ï, U+00A0, U+00FF), tab, line feed and carriage return are allowed.
    let latin = body(json!({ "resources": ["arn:aws:s3:::b/é\u{a0}ÿ\t\n\r"] }));
    lacks(&statement("s", latin), "policy_chars");
}

#[test]
fn empty_policy_variables_and_resources() {
    // Access Analyzer's error "Empty variable" (shared/reference/aa_checks.json); the provider
    // turns &{ into ${ in resources and condition values (iam-rules.md §1.3).
    for (resource, shown) in [
        ("arn:aws:s3:::b/${}/x", "${}"),
        ("arn:aws:s3:::b/&{}", "&{}"),
    ] {
        let d = expect(
            &statement("s", body(json!({ "resources": [resource] }))),
            "policy_variable_empty",
            Severity::Error,
            "custom_job_policy_statements[\"s\"].resources[0]",
            "/custom_job_policy_statements/s/resources/0",
        );
        assert!(
            d.message
                .contains(&format!("empty policy variable {shown}")),
            "{}",
            d.message
        );
        assert!(d
            .message
            .contains("Empty policy variable. Remove the ${ } variable structure"));
    }
    let values = json!({ "condition": [
        { "test": "StringLike", "variable": "s3:prefix", "values": ["home/${aws:username}/", "${}"] }
    ]});
    expect(
        &statement("s", body(values)),
        "policy_variable_empty",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].condition[0].values[1]",
        "/custom_job_policy_statements/s/condition/0/values/1",
    );
    lacks(
        &statement(
            "s",
            body(json!({ "resources": ["arn:aws:s3:::b/${aws:username}/{}"] })),
        ),
        "policy_variable_empty",
    );
    // An empty resource is not an ARN.
    let d = expect(
        &statement("s", body(json!({ "resources": ["arn:aws:s3:::b", ""] }))),
        "resource_empty",
        Severity::Error,
        "custom_job_policy_statements[\"s\"].resources[1]",
        "/custom_job_policy_statements/s/resources/1",
    );
    assert!(d
        .message
        .contains("arn:partition:service:region:account:resource"));
    lacks(&statement("s", body(json!({}))), "resource_empty");
}

#[test]
fn empty_statements_map() {
    expect(
        &inputs(json!({ JOB: {} })),
        "empty_statements",
        Severity::Info,
        "custom_job_policy_statements",
        "/custom_job_policy_statements",
    );
    lacks(&inputs(json!({ JOB: null })), "empty_statements");
    lacks(&inputs(json!({})), "empty_statements");
}

// ---------------------------------------------------------------------------------------------
// Sizes: a role's inline policies at most 10,240 characters without whitespace
// (iam-rules.md §2.3).

/// Statements whose action strings alone add up to `chars` characters or more.
fn statements_of_size(chars: usize) -> Value {
    // Each action "s3:GetObjectNNNNNNNNNNNNNNNNNNN" is 31 characters.
    let actions: Vec<String> = (0..chars.div_ceil(31))
        .map(|i| format!("s3:GetObject{i:019}"))
        .collect();
    inputs(json!({ JOB: { "Big": { "actions": actions, "resources": ["*"] } } }))
}

#[test]
fn small_inline_policy_is_not_too_large() {
    // 3,100 characters of actions: any rendering (actions quoted, with commas, a Sid, an
    // Effect and a Resource) is far below 10,240.
    lacks(&statements_of_size(3_100), "inline_policy_too_large");
}

#[test]
fn large_inline_policy_is_too_large() {
    let big = statements_of_size(10_250);
    let generated = generate(&inputs(json!({ JOB: { "S": body(json!({})) } })), None).unwrap();
    let inline = generated.roles[0].inline_policy.as_ref().unwrap();
    if !inline.policy.minified_json.contains("Statement") {
        // The policy renderer is still a stub on this branch: nothing to measure yet.
        eprintln!("skipped: render() renders no statements yet");
        return;
    }
    // 10,261 characters of distinct actions, each quoted in any correct rendering: over
    // 10,240 whatever the layout.
    let d = expect(
        &big,
        "inline_policy_too_large",
        Severity::Error,
        "custom_job_policy_statements",
        "/custom_job_policy_statements",
    );
    assert!(d.message.contains("10,240"), "{}", d.message);
}

// trust_policy_too_large cannot be reached through the public API: the module fixes every
// trust policy (one Service principal, one Sid) far below 2,048 characters. Its check is unit
// tested in src/validate.rs with a synthetic role.

#[test]
fn trust_policies_of_the_module_are_small() {
    let all = validate(
        &json!({ "name_prefix": "a".repeat(44), "enable_spot_fleet_role": true }),
        None,
    );
    assert!(with_code(&all, "trust_policy_too_large").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Lint (iam-rules.md §3.3; aa_checks.json "Pass role with star in resource" and
// "Pass role with star in action and resource"; parliament PRIVILEGE_ESCALATION,
// NOTRESOURCE_WITH_ALLOW).

fn allow(actions: Value, resources: Value) -> Value {
    statement("s", json!({ "actions": actions, "resources": resources }))
}

#[test]
fn pass_role_on_wildcard_resources() {
    expect(
        &allow(json!(["s3:GetObject", "iam:PassRole"]), json!(["*"])),
        "pass_role_star_resource",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].actions[1]",
        "/custom_job_policy_statements/s/actions/1",
    );
    // Wildcards in the action and in the ARN (Access Analyzer: "wildcards (*) in the resource").
    expect(
        &allow(
            json!(["iam:Pass*"]),
            json!(["arn:aws:iam::123456789012:role/*"]),
        ),
        "pass_role_star_resource",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].actions[0]",
        "/custom_job_policy_statements/s/actions/0",
    );
    // Specific roles, wildcards over other resource types, an iam:PassedToService
    // condition, or Deny: no warning.
    lacks(
        &allow(
            json!(["iam:*"]),
            json!(["arn:aws:iam::123456789012:user/*"]),
        ),
        "pass_role_star_resource",
    );
    lacks(
        &allow(
            json!(["iam:PassRole"]),
            json!(["arn:aws:iam::123456789012:role/batch"]),
        ),
        "pass_role_star_resource",
    );
    let conditioned = body(json!({
        "actions": ["iam:PassRole"],
        "resources": ["*"],
        "condition": [{ "test": "StringEquals", "variable": "iam:PassedToService",
                        "values": ["batch.amazonaws.com"] }]
    }));
    lacks(&statement("s", conditioned), "pass_role_star_resource");
    let deny = json!({ "effect": "Deny", "actions": ["iam:PassRole"], "resources": ["*"] });
    lacks(&statement("s", deny), "pass_role_star_resource");
}

#[test]
fn star_actions_on_star_resource() {
    for action in ["*", "s3:*"] {
        expect(
            &allow(json!(["s3:GetObject", action]), json!(["*"])),
            "star_action_star_resource",
            Severity::Warning,
            "custom_job_policy_statements[\"s\"].actions[1]",
            "/custom_job_policy_statements/s/actions/1",
        );
    }
    // "*" on "*" is reported once, as star_action_star_resource.
    let star = allow(json!(["*"]), json!(["*"]));
    lacks(&star, "pass_role_star_resource");
    lacks(&star, "privilege_escalation_action");
    // Scoped resources, or not a whole-service wildcard: no warning.
    lacks(
        &allow(json!(["s3:*"]), json!(["arn:aws:s3:::bucket/*"])),
        "star_action_star_resource",
    );
    lacks(
        &allow(json!(["s3:Get*"]), json!(["*"])),
        "star_action_star_resource",
    );
}

#[test]
fn privilege_escalation_actions() {
    let d = expect(
        &allow(
            json!(["s3:GetObject", "iam:CreatePolicyVersion"]),
            json!(["arn:aws:iam::123456789012:policy/p"]),
        ),
        "privilege_escalation_action",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].actions[1]",
        "/custom_job_policy_statements/s/actions/1",
    );
    assert!(
        d.message.contains("iam:CreatePolicyVersion"),
        "{}",
        d.message
    );

    // A wildcard naming the three Put*Policy actions: one diagnostic naming them.
    let d = expect(
        &allow(
            json!(["iam:Put*Policy"]),
            json!(["arn:aws:iam::123456789012:role/x"]),
        ),
        "privilege_escalation_action",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].actions[0]",
        "/custom_job_policy_statements/s/actions/0",
    );
    for name in [
        "iam:PutUserPolicy",
        "iam:PutGroupPolicy",
        "iam:PutRolePolicy",
    ] {
        assert!(d.message.contains(name), "{}", d.message);
    }
    for action in [
        "lambda:UpdateFunctionCode",
        "glue:updatedevendpoint",
        "iam:AttachRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:CreateAccessKey",
        "iam:AddUserToGroup",
        "iam:*LoginProfile",
    ] {
        let all = validate(
            &allow(json!([action]), json!(["arn:aws:iam::123456789012:user/u"])),
            None,
        );
        assert_eq!(
            with_code(&all, "privilege_escalation_action").len(),
            1,
            "{action}"
        );
    }
    lacks(
        &allow(json!(["iam:GetRole", "s3:*"]), json!(["*"])),
        "privilege_escalation_action",
    );
}

#[test]
fn not_action_and_not_resource_with_allow() {
    let not_action = json!({ "not_actions": ["iam:*"], "resources": ["arn:aws:s3:::b/*"] });
    expect(
        &statement("s", not_action),
        "not_action_with_allow",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].not_actions",
        "/custom_job_policy_statements/s/not_actions",
    );
    let not_resource =
        json!({ "actions": ["s3:GetObject"], "not_resources": ["arn:aws:s3:::b/*"] });
    expect(
        &statement("s", not_resource),
        "not_resource_with_allow",
        Severity::Warning,
        "custom_job_policy_statements[\"s\"].not_resources",
        "/custom_job_policy_statements/s/not_resources",
    );
    let deny =
        json!({ "effect": "Deny", "not_actions": ["s3:*"], "not_resources": ["arn:aws:s3:::b"] });
    lacks(&statement("s", deny.clone()), "not_action_with_allow");
    lacks(&statement("s", deny), "not_resource_with_allow");
}

#[test]
fn admin_like_policy_arns() {
    for arn in [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/IAMFullAccess",
        "arn:aws:iam::123456789012:policy/team/AdministratorAccess",
    ] {
        expect(
            &arns(json!(["arn:aws:iam::aws:policy/ReadOnlyAccess", arn])),
            "admin_policy_arn",
            Severity::Warning,
            "additional_job_policy_arns[1]",
            "/additional_job_policy_arns/1",
        );
    }
    let gov = arns(json!([
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
    ]));
    let options = json!({ "partition": "aws-us-gov" });
    expect_with(
        &gov,
        Some(&options),
        "admin_policy_arn",
        Severity::Warning,
        "additional_job_policy_arns[0]",
        "/additional_job_policy_arns/0",
    );
    for arn in [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
    ] {
        lacks(&arns(json!([arn])), "admin_policy_arn");
    }
}

#[test]
fn broad_default_policies_once_at_the_root() {
    let d = expect(
        &advanced(),
        "broad_default_policies",
        Severity::Warning,
        "",
        "",
    );
    assert!(d.message.contains("AmazonS3FullAccess"));
    assert!(d.message.contains("CloudWatchLogsFullAccess"));
    let help = d.help.unwrap();
    assert!(help.contains("custom_job_policy_statements"), "{help}");
    assert!(help.contains("permissions boundary"), "{help}");
}
