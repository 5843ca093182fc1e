//! The engine through its public API: decoding, the role set, the outputs.
//!
//! Expected names, principals, policy ARNs and addresses come from shared/SPEC.md §3–4 and the
//! seed's tables; expected trust policy JSON comes from the `terraform plan` renderings recorded
//! in shared/reference/iam-role-v6.md §8.

use iam_metaflow::{generate, validate, Diagnostic, Generated, Role, RoleKey, Severity};
use serde_json::{json, Value};

/// The seed's examples, copied verbatim from shared/examples (see tests/fixtures/seed/README.md),
/// so that the tests run from a fresh clone.
fn examples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed")
}

fn example(name: &str) -> Value {
    let path = examples_dir().join(format!("{name}.tfvars.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn ok(inputs: Value, options: Option<Value>) -> Generated {
    generate(&inputs, options.as_ref()).unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics))
}

fn role(generated: &Generated, key: RoleKey) -> &Role {
    generated.roles.iter().find(|r| r.key == key).unwrap()
}

fn errors(inputs: Value) -> Vec<Diagnostic> {
    validate(&inputs, None)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn only_error(inputs: Value) -> Diagnostic {
    let errors = errors(inputs);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

#[test]
fn basic_example_creates_three_roles_with_deterministic_names() {
    let g = ok(example("basic"), None);
    let names: Vec<_> = g.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "metaflow-prod-batch-job-role",
            "metaflow-prod-batch-service-role",
            "metaflow-prod-batch-instance-role"
        ]
    );
    for r in &g.roles {
        assert_eq!(r.path, "/");
        assert_eq!(r.arn, None, "no account_id, no ARN");
        assert_eq!(
            serde_json::to_value(&r.tags).unwrap(),
            json!({"Environment": "production", "Project": "metaflow"})
        );
    }
    assert!(role(&g, RoleKey::BatchJob).inline_policy.is_none());
}

#[test]
fn advanced_example_adds_the_spot_fleet_role_and_the_inline_policy() {
    let g = ok(example("advanced"), None);
    assert_eq!(g.roles.len(), 4);
    let spot = role(&g, RoleKey::SpotFleet);
    assert_eq!(spot.name, "metaflow-prod-spot-fleet-role");
    assert_eq!(
        spot.address,
        "module.metaflow_iam.module.spot_fleet_role.aws_iam_role.this[0]"
    );
    let job = role(&g, RoleKey::BatchJob);
    let arns: Vec<_> = job
        .managed_policy_arns
        .iter()
        .map(|a| a.arn.as_str())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
        ]
    );
    let inline = job.inline_policy.as_ref().unwrap();
    assert_eq!(inline.name, "metaflow-prod-batch-job-role");
    assert_eq!(
        inline.address,
        "module.metaflow_iam.module.batch_job_role.aws_iam_role_policy.inline[0]"
    );
    // Terraform's own rendering of the seed's statement (shared/examples).
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(examples_dir().join("advanced.inline_policy.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(inline.policy.json, expected["json"].as_str().unwrap());
    assert_eq!(
        inline.policy.minified_json,
        expected["minified_json"].as_str().unwrap()
    );
}

#[test]
fn trust_policies_match_terraforms_rendering() {
    let g = ok(example("advanced"), None);
    // iam-role-v6.md §8, `json` of module.ecs_task_role.data.aws_iam_policy_document.this[0].
    assert_eq!(
        role(&g, RoleKey::BatchJob).assume_role_policy.json,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"ECSTasksAssumeRole\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"sts:AssumeRole\",\n      \"Principal\": {\n        \"Service\": \"ecs-tasks.amazonaws.com\"\n      }\n    }\n  ]\n}"
    );
    // iam-role-v6.md §8, minified_json of the other three.
    let minified = |key| role(&g, key).assume_role_policy.minified_json.clone();
    assert_eq!(
        minified(RoleKey::BatchService),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"BatchAssumeRole","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"batch.amazonaws.com"}}]}"#
    );
    assert_eq!(
        minified(RoleKey::BatchInstance),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"EC2AssumeRole","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}"#
    );
    assert_eq!(
        minified(RoleKey::SpotFleet),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"SpotFleetAssumeRole","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"spotfleet.amazonaws.com"}}]}"#
    );
    let doc = &role(&g, RoleKey::BatchService).assume_role_policy.document;
    assert_eq!(
        serde_json::to_string(doc).unwrap(),
        minified(RoleKey::BatchService),
        "document keeps Terraform's key order"
    );
    // Serialized, a policy is `document` (the object itself, in Terraform's key order), then
    // the two texts; iam-role-v6.md §8 gives the text.
    let serialized =
        serde_json::to_string(&role(&g, RoleKey::BatchService).assume_role_policy).unwrap();
    assert_eq!(
        serialized,
        format!(
            r#"{{"document":{0},"json":{1},"minified_json":{2}}}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"BatchAssumeRole","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"batch.amazonaws.com"}}]}"#,
            serde_json::to_string(&role(&g, RoleKey::BatchService).assume_role_policy.json)
                .unwrap(),
            serde_json::to_string(&minified(RoleKey::BatchService)).unwrap(),
        )
    );
}

#[test]
fn account_id_and_partition_predict_every_arn() {
    let mut inputs = example("advanced");
    inputs["additional_job_policy_arns"] =
        json!(["arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess"]);
    let g = ok(
        inputs,
        Some(json!({"account_id": "012345678901", "partition": "aws-cn", "module_name": "iam"})),
    );
    let instance = role(&g, RoleKey::BatchInstance);
    assert_eq!(
        instance.arn.as_deref(),
        Some("arn:aws-cn:iam::012345678901:role/metaflow-prod-batch-instance-role")
    );
    let profile = instance.instance_profile.as_ref().unwrap();
    assert_eq!(profile.name, "metaflow-prod-batch-instance-role");
    assert_eq!(
        profile.arn.as_deref(),
        Some("arn:aws-cn:iam::012345678901:instance-profile/metaflow-prod-batch-instance-role")
    );
    assert_eq!(
        profile.address,
        "module.iam.module.batch_instance_role.aws_iam_instance_profile.this[0]"
    );
    // EC2's service principal differs in aws-cn (SPEC §2); the others do not.
    assert!(instance
        .assume_role_policy
        .minified_json
        .contains(r#""Service":"ec2.amazonaws.com.cn""#));
    assert!(role(&g, RoleKey::BatchService)
        .assume_role_policy
        .minified_json
        .contains(r#""Service":"batch.amazonaws.com""#));
    assert_eq!(
        instance.managed_policy_arns[0].arn,
        "arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
    );
    assert_eq!(
        g.outputs["batch_job_role_arn"].value.as_deref(),
        Some("arn:aws-cn:iam::012345678901:role/metaflow-prod-batch-job-role")
    );
}

#[test]
fn attachment_addresses_use_the_policies_map_keys() {
    let g = ok(example("advanced"), None);
    let job = role(&g, RoleKey::BatchJob);
    let keys: Vec<_> = job
        .managed_policy_arns
        .iter()
        .map(|a| a.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "CloudWatchLogsFullAccess",
            "AmazonS3FullAccess",
            "AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
        ]
    );
    assert_eq!(
        job.managed_policy_arns[3].address,
        "module.metaflow_iam.module.batch_job_role.aws_iam_role_policy_attachment.this[\"arn:aws:iam::aws:policy/AmazonSageMakerFullAccess\"]"
    );
    let service = role(&g, RoleKey::BatchService);
    assert_eq!(
        service.managed_policy_arns[0].arn,
        "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"
    );
}

#[test]
fn outputs_follow_terraform_output_json() {
    let basic = ok(example("basic"), None);
    assert_eq!(basic.outputs.iter().len(), 10);
    let name = &basic.outputs["batch_job_role_name"];
    assert_eq!(name.value.as_deref(), Some("metaflow-prod-batch-job-role"));
    assert!(!name.known_after_apply);
    let arn = &basic.outputs["batch_service_role_arn"];
    assert_eq!(arn.value, None);
    assert!(arn.known_after_apply, "ARNs are learnt from AWS at apply");
    assert_eq!(
        arn.description,
        "The ARN of the Batch service role. Use this for the service_role variable in AWS Batch compute environments."
    );
    // Spot fleet disabled: both outputs null and known (SPEC §4).
    for key in ["spot_fleet_role_arn", "spot_fleet_role_name"] {
        assert_eq!(basic.outputs[key].value, None);
        assert!(!basic.outputs[key].known_after_apply);
    }
    assert_eq!(
        basic.outputs["batch_instance_profile_name"]
            .value
            .as_deref(),
        Some("metaflow-prod-batch-instance-role")
    );
    let value = serde_json::to_value(&basic.outputs["batch_job_role_arn"]).unwrap();
    assert_eq!(value["type"], "string");
    assert_eq!(value["sensitive"], false);
}

#[test]
fn null_means_the_default() {
    let g = ok(
        json!({
            "name_prefix": "mf",
            "tags": null,
            "enable_spot_fleet_role": null,
            "additional_job_policy_arns": null,
            "custom_job_policy_statements": null
        }),
        None,
    );
    assert_eq!(g.roles.len(), 3);
    assert!(g.roles.iter().all(|r| r.tags.is_empty()));
}

#[test]
fn statements_default_effect_and_take_the_key_as_sid() {
    let g = ok(
        json!({
            "name_prefix": "mf",
            "custom_job_policy_statements": {
                "Zeta": {"actions": ["s3:GetObject"], "resources": ["*"], "effect": null},
                "Alpha": {"sid": "", "actions": ["s3:PutObject"], "resources": ["*"], "effect": "Deny"}
            }
        }),
        None,
    );
    let inline = role(&g, RoleKey::BatchJob).inline_policy.clone().unwrap();
    // Sorted map keys; coalesce(sid, key) skips the empty sid; effect defaults to Allow.
    assert_eq!(
        inline.policy.minified_json,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Alpha","Effect":"Deny","Action":"s3:PutObject","Resource":"*"},{"Sid":"Zeta","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    );
}

#[test]
fn missing_name_prefix_is_an_error() {
    let d = only_error(json!({"tags": {}}));
    assert_eq!(d.code.as_str(), "missing_required");
    assert_eq!(d.path, "name_prefix");
    assert_eq!(d.pointer, "/name_prefix");
    let d = only_error(json!({"name_prefix": null}));
    assert_eq!(d.code.as_str(), "missing_required");
}

#[test]
fn inputs_must_be_an_object() {
    for value in [json!(null), json!([]), json!("x"), json!(1)] {
        let d = only_error(value);
        assert_eq!(d.code.as_str(), "input_not_object");
        assert_eq!(d.pointer, "");
    }
}

#[test]
fn types_are_converted_as_terraform_converts_them() {
    let diagnostics = validate(
        &json!({
            "name_prefix": 42,
            "enable_spot_fleet_role": "true",
            "tags": {"Count": 3, "Flag": false}
        }),
        None,
    );
    assert!(
        !diagnostics.iter().any(Diagnostic::is_error),
        "{diagnostics:#?}"
    );
    let converted: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "type_converted")
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        converted,
        [
            "name_prefix",
            "tags[\"Count\"]",
            "tags[\"Flag\"]",
            "enable_spot_fleet_role"
        ]
    );
    let g = ok(
        json!({"name_prefix": 42, "enable_spot_fleet_role": "true", "tags": {"Count": 3}}),
        None,
    );
    assert_eq!(g.roles[0].name, "42-batch-job-role");
    assert_eq!(g.roles.len(), 4);
    assert_eq!(g.roles[0].tags["Count"], "3");
}

#[test]
fn type_errors_name_the_path_and_terraforms_expected_type() {
    let cases = [
        (
            json!({"name_prefix": ["a"]}),
            "name_prefix",
            "string required, got tuple",
        ),
        (
            json!({"name_prefix": "a", "enable_spot_fleet_role": "yes"}),
            "enable_spot_fleet_role",
            "bool required, got string",
        ),
        (
            json!({"name_prefix": "a", "enable_spot_fleet_role": 1}),
            "enable_spot_fleet_role",
            "bool required, got number",
        ),
        (
            json!({"name_prefix": "a", "additional_job_policy_arns": "arn"}),
            "additional_job_policy_arns",
            "list of string required, got string",
        ),
        (
            json!({"name_prefix": "a", "additional_job_policy_arns": [{}]}),
            "additional_job_policy_arns[0]",
            "string required, got object",
        ),
        (
            json!({"name_prefix": "a", "tags": ["x"]}),
            "tags",
            "map of string required, got tuple",
        ),
        (
            json!({"name_prefix": "a", "tags": {"k": {"v": 1}}}),
            "tags[\"k\"]",
            "string required, got object",
        ),
        (
            json!({"name_prefix": "a", "custom_job_policy_statements": []}),
            "custom_job_policy_statements",
            "map of object required, got tuple",
        ),
        (
            json!({"name_prefix": "a", "custom_job_policy_statements": {"s": {"actions": [1, null]}}}),
            "custom_job_policy_statements[\"s\"].actions[1]",
            "string required, got null",
        ),
        (
            json!({"name_prefix": "a", "custom_job_policy_statements": {"s": {"actions": ["x:y"], "resources": ["*"], "condition": {}}}}),
            "custom_job_policy_statements[\"s\"].condition",
            "list of object required, got object",
        ),
    ];
    for (inputs, path, message) in cases {
        let d = only_error(inputs.clone());
        assert_eq!(d.code.as_str(), "type_mismatch", "{inputs}");
        assert_eq!(d.path, path, "{inputs}");
        assert_eq!(d.message, message, "{inputs}");
        assert!(d.help.is_some());
    }
}

#[test]
fn unknown_keys_at_any_depth_get_a_did_you_mean() {
    let inputs = json!({
        "name_prefix": "a",
        "tag": {},
        "custom_job_policy_statements": {
            "s": {
                "actions": ["s3:GetObject"],
                "resources": ["*"],
                "conditions": [],
                "principals": [{"type": "AWS", "identifier": ["*"]}]
            }
        }
    });
    let errors = errors(inputs);
    let found: Vec<_> = errors
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.pointer.as_str(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        found.contains(&(
            "unknown_key",
            "/tag",
            "did you mean \"tags\"? Terraform rejects an argument the module does not declare"
                .into()
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "unknown_key",
            "/custom_job_policy_statements/s/conditions",
            "did you mean \"condition\"? Terraform would drop it silently".into()
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "unknown_key",
            "/custom_job_policy_statements/s/principals/0/identifier",
            "did you mean \"identifiers\"? Terraform would drop it silently".into()
        )),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(code, pointer, _)| *code == "missing_required"
                && *pointer == "/custom_job_policy_statements/s/principals/0/identifiers"),
        "{found:#?}"
    );
}

#[test]
fn options_are_checked() {
    let cases = [
        (json!({"account_id": "1234"}), "/options/account_id"),
        (json!({"account_id": "12345678901a"}), "/options/account_id"),
        (json!({"partition": "aws-iso"}), "/options/partition"),
        (json!({"module_name": "1x"}), "/options/module_name"),
        (json!({"module_source": ""}), "/options/module_source"),
    ];
    for (options, pointer) in cases {
        let diagnostics = validate(&json!({"name_prefix": "a"}), Some(&options));
        let d = diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(d.code.as_str(), "invalid_option", "{options}");
        assert_eq!(d.pointer, pointer);
    }
    let d = validate(
        &json!({"name_prefix": "a"}),
        Some(&json!({"acount_id": "1"})),
    );
    assert_eq!(d[0].code.as_str(), "unknown_key");
    assert_eq!(
        d[0].help.as_deref(),
        Some("did you mean \"account_id\"? it would be ignored")
    );
}

#[test]
fn generate_error_lists_every_diagnostic_errors_first() {
    let error = generate(
        &json!({"name_prefix": 5, "tagz": {}, "enable_spot_fleet_role": []}),
        None,
    )
    .unwrap_err();
    let severities: Vec<_> = error.diagnostics.iter().map(|d| d.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert_eq!(error.diagnostics.iter().filter(|d| d.is_error()).count(), 2);
    assert!(
        error.to_string().starts_with("error [unknown_key] tagz:"),
        "{error}"
    );
}

#[test]
fn attachment_addresses_quote_keys_as_terraform_prints_them() {
    // A policy path may hold `${`: Terraform prints the instance key with `$${`
    // (shared/reference/iam-rules.md §2.4 path characters; HCL's template escaping).
    let g = ok(
        json!({
            "name_prefix": "mf",
            "additional_job_policy_arns": ["arn:aws:iam::123456789012:policy/${x}/Name"]
        }),
        None,
    );
    assert_eq!(
        role(&g, RoleKey::BatchJob).managed_policy_arns[3].address,
        "module.metaflow_iam.module.batch_job_role.aws_iam_role_policy_attachment.this[\"arn:aws:iam::123456789012:policy/$${x}/Name\"]"
    );
}
