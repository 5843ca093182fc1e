//! Hostile strings through the HCL texts, called directly (validation would reject them):
//! read back with hcl-rs, `terraform fmt` and `terraform plan` where installed.

#[path = "../../tests/hcl_support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::generate;
use crate::inputs::{ConditionInput, Inputs, Options, Partition, PrincipalInput, StatementInput};
use crate::roles::{build_roles, Role};

/// Strings that break naive HCL writers.
const HOSTILE: [&str; 24] = [
    "${x}",
    "%{ if true }y%{ endif }",
    "$${",
    "%%{",
    "${",
    "$",
    "%",
    "$${~x}",
    "\"quoted\"",
    "back\\slash\\",
    "new\nline",
    "cr\r\nlf",
    "tab\t",
    "\u{8}backspace",
    "\u{c}formfeed",
    "\u{7f}del\u{0}nul",
    "漢字",
    "e\u{301}",
    "\u{301}leading",
    "<script>alert(1)</script>",
    "null",
    "\u{feff}bom\u{2028}ls\u{85}nel",
    "👩\u{200d}👩\u{200d}👧🇫🇷👍🏽",
    "",
];

fn all_hostile() -> String {
    HOSTILE.concat()
}

/// Terraform keeps every string in NFC (cty normalises each string value, however it is
/// written: `"e\u0301"` plans as `"é"`), so a plan can only be compared on strings that NFC
/// leaves alone.
fn nfc_safe(s: &str) -> String {
    s.replace('\u{301}', "")
}

fn statement(h: &str) -> StatementInput {
    StatementInput {
        sid: Some(h.to_owned()),
        actions: Some(vec![h.to_owned(), format!("s3:{h}")]),
        not_actions: None,
        effect: h.to_owned(),
        resources: Some(vec![format!("arn:aws:s3:::{h}")]),
        not_resources: Some(vec![]),
        principals: Some(vec![PrincipalInput {
            kind: h.to_owned(),
            identifiers: vec![h.to_owned()],
        }]),
        not_principals: None,
        condition: Some(vec![ConditionInput {
            test: h.to_owned(),
            variable: format!("aws:{h}"),
            values: vec![h.to_owned(), all_hostile()],
        }]),
    }
}

/// Inputs with hostile strings everywhere a user string goes.
fn hostile_inputs(name_prefix: &str) -> Inputs {
    let mut tags = BTreeMap::new();
    for h in HOSTILE {
        tags.insert(h.to_owned(), h.to_owned());
        tags.insert(format!("k{h}"), format!("v{h}"));
    }
    Inputs {
        name_prefix: name_prefix.to_owned(),
        tags,
        enable_spot_fleet_role: true,
        additional_job_policy_arns: HOSTILE
            .iter()
            .map(|h| format!("arn:aws:iam::123456789012:policy/{h}"))
            .collect(),
        custom_job_policy_statements: Some(
            HOSTILE
                .iter()
                .map(|h| (format!("key{h}"), statement(h)))
                .collect(),
        ),
    }
}

fn hostile_options() -> Options {
    Options {
        module_source: format!("./modules/{}", all_hostile()),
        ..Options::default()
    }
}

/// Roles whose policies are hostile JSON documents (the renderer is tested elsewhere; here the
/// documents only have to travel through HCL unchanged).
fn hostile_roles(inputs: &Inputs, options: &Options) -> Vec<Role> {
    let mut roles = build_roles(inputs, options);
    for role in &mut roles {
        let document = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": all_hostile(),
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": { "Service": "ecs-tasks.amazonaws.com" },
                "Condition": { "StringEquals": { "aws:PrincipalTag/x": HOSTILE } }
            }]
        });
        role.assume_role_policy.minified_json = document.to_string();
        if let Some(inline) = &mut role.inline_policy {
            let mut document = document.clone();
            document["Statement"][0]["Resource"] = json!(HOSTILE
                .iter()
                .map(|h| format!("arn:aws:s3:::{h}"))
                .collect::<Vec<_>>());
            inline.policy.minified_json = document.to_string();
        }
    }
    roles
}

/// What the module call must read back as: the inputs that differ from the defaults.
fn expected_call(inputs: &Inputs, options: &Options) -> Value {
    let mut call = json!({ "source": options.module_source, "name_prefix": inputs.name_prefix });
    if inputs.enable_spot_fleet_role {
        call["enable_spot_fleet_role"] = json!(true);
    }
    if !inputs.additional_job_policy_arns.is_empty() {
        call["additional_job_policy_arns"] = json!(inputs.additional_job_policy_arns);
    }
    if let Some(statements) = &inputs.custom_job_policy_statements {
        let mut value = serde_json::to_value(statements).unwrap();
        for statement in value.as_object_mut().unwrap().values_mut() {
            statement
                .as_object_mut()
                .unwrap()
                .retain(|_, v| !v.is_null());
        }
        call["custom_job_policy_statements"] = value;
    }
    if !inputs.tags.is_empty() {
        call["tags"] = json!(inputs.tags);
    }
    json!({ "module": { options.module_name.clone(): call } })
}

fn assert_reads_back(inputs: &Inputs, options: &Options, roles: &[Role]) {
    let hcl = generate(inputs, options, roles);

    assert_eq!(
        support::read(&hcl.module_call, &json!({})),
        expected_call(inputs, options)
    );

    let resources = support::read(&hcl.resources, &json!({}));
    assert_eq!(resources["locals"]["tags"], json!(inputs.tags));
    for role in roles {
        let read = resources["resource"]["aws_iam_role"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["name"] == role.name.as_str())
            .unwrap();
        assert_eq!(
            read["assume_role_policy"],
            role.assume_role_policy.minified_json.as_ref()
        );
        let attachments: BTreeMap<&str, &str> = role
            .managed_policy_arns
            .iter()
            .map(|a| (a.key.as_str(), a.arn.as_str()))
            .collect();
        let label = read_label(&resources["resource"]["aws_iam_role"], &role.name);
        assert_eq!(
            resources["resource"]["aws_iam_role_policy_attachment"][&label]["for_each"],
            json!(attachments)
        );
        if let Some(inline) = &role.inline_policy {
            let read = &resources["resource"]["aws_iam_role_policy"][&label];
            assert_eq!(read["name"], inline.name.as_str());
            assert_eq!(read["policy"], inline.policy.minified_json.as_ref());
        }
        if let Some(profile) = &role.instance_profile {
            let read = &resources["resource"]["aws_iam_instance_profile"][&label];
            assert_eq!(read["name"], profile.name.as_str());
        }
    }

    let integrations = support::read(&hcl.integrations, &json!({}));
    let s3 = &integrations["module"]["metaflow_s3"];
    assert_eq!(
        s3["bucket_name"],
        format!("{}-datastore", inputs.name_prefix)
    );
    if !inputs.tags.is_empty() {
        assert_eq!(s3["tags"], json!(inputs.tags));
    }

    let vars = json!({ "name_prefix": inputs.name_prefix, "additional_job_policy_arns": [],
                       "custom_job_policy_statements": null });
    for (name, text) in hcl.module.files() {
        if name.ends_with(".tf") {
            let read = support::read(text, &vars);
            if name == "main.tf" {
                assert_eq!(
                    read["module"]["batch_job_role"]["name"],
                    format!("{}-batch-job-role", inputs.name_prefix)
                );
            }
        }
    }
}

/// The resource label of the role named `name`.
fn read_label(roles: &Value, name: &str) -> String {
    roles
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["name"] == name)
        .map(|(label, _)| label.clone())
        .unwrap()
}

#[test]
fn hostile_strings_read_back_unchanged() {
    let inputs = hostile_inputs(&all_hostile());
    let options = hostile_options();
    let roles = hostile_roles(&inputs, &options);
    assert_reads_back(&inputs, &options, &roles);
    for h in HOSTILE {
        let inputs = hostile_inputs(h);
        assert_reads_back(&inputs, &options, &hostile_roles(&inputs, &options));
    }
}

#[test]
fn ordinary_inputs_read_back_unchanged() {
    let inputs = Inputs {
        name_prefix: "metaflow-dev".to_owned(),
        tags: BTreeMap::new(),
        enable_spot_fleet_role: false,
        additional_job_policy_arns: vec![],
        custom_job_policy_statements: Some(BTreeMap::new()),
    };
    for partition in Partition::ALL {
        let options = Options {
            partition,
            ..Options::default()
        };
        let roles = build_roles(&inputs, &options);
        assert_reads_back(&inputs, &options, &roles);
    }
}

/// Texts of many inputs, for one `terraform fmt -check` run.
fn tf_texts(case: &str, inputs: &Inputs, options: &Options, out: &mut BTreeMap<String, String>) {
    let hcl = generate(inputs, options, &hostile_roles(inputs, options));
    out.insert(format!("{case}_module_call.tf"), hcl.module_call);
    out.insert(format!("{case}_resources.tf"), hcl.resources);
    out.insert(format!("{case}_integrations.tf"), hcl.integrations);
    for (name, text) in hcl.module.files() {
        if name.ends_with(".tf") {
            out.insert(format!("{case}_module_{name}"), text.to_owned());
        }
    }
}

/// A small deterministic generator of keys made of characters that are hard to count.
fn tricky_keys(seed: u64, count: usize) -> Vec<String> {
    const POOL: [&str; 20] = [
        "a", "漢", "e", "\u{301}", "$", "{", "%", "~", "\"", "\\", "\n", "\u{8}", " ", "👍", "🇫",
        "_", "\u{200d}", "🏽", "\u{1100}", "\u{1161}",
    ];
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..count)
        .map(|_| {
            let len = 1 + next() % 7;
            (0..len).map(|_| POOL[next() % POOL.len()]).collect()
        })
        .collect()
}

#[test]
fn hostile_texts_are_fixed_points_of_terraform_fmt() {
    let mut texts = BTreeMap::new();
    let options = hostile_options();
    tf_texts("all", &hostile_inputs(&all_hostile()), &options, &mut texts);
    for (i, h) in HOSTILE.iter().enumerate() {
        tf_texts(&format!("h{i}"), &hostile_inputs(h), &options, &mut texts);
    }
    for seed in 0..60 {
        let mut inputs = hostile_inputs("p");
        inputs.tags = tricky_keys(seed, 6)
            .into_iter()
            .map(|k| (k.clone(), k))
            .collect();
        inputs.custom_job_policy_statements = Some(
            tricky_keys(seed + 1000, 4)
                .into_iter()
                .map(|k| (k.clone(), statement(&k)))
                .collect(),
        );
        tf_texts(&format!("r{seed}"), &inputs, &options, &mut texts);
    }
    support::assert_fmt_stable("fmt_hostile", &texts);
}

/// The hostile inputs with the tags and policy ARNs a plan can compare: NFC-stable, and without
/// the tag keys the provider cannot hold.
fn plannable_hostile_inputs(name_prefix: &str) -> Inputs {
    let mut inputs = hostile_inputs(name_prefix);
    inputs.tags = inputs
        .tags
        .into_iter()
        .map(|(k, v)| (nfc_safe(&k), nfc_safe(&v)))
        // The provider's flatmap state drops a tag whose key is "%" (its map-size marker);
        // IAM would reject that key anyway, and validation does.
        .filter(|(k, _)| !k.is_empty() && k != "%")
        .collect();
    inputs.additional_job_policy_arns = inputs
        .additional_job_policy_arns
        .iter()
        .map(|arn| nfc_safe(arn))
        .collect();
    inputs
}

#[test]
fn terraform_plan_of_hostile_resources_matches_the_role_set() {
    if !support::can_plan("terraform_plan_of_hostile_resources_matches_the_role_set") {
        return;
    }
    // Role names must pass the provider's check at plan; everything else is hostile.
    let inputs = plannable_hostile_inputs("metaflow-hostile_+=,.@");
    let mut roles = hostile_roles(&inputs, &Options::default());
    for role in &mut roles {
        let trust = &mut role.assume_role_policy.minified_json;
        *trust = nfc_safe(trust);
        if let Some(inline) = &mut role.inline_policy {
            inline.policy.minified_json = nfc_safe(&inline.policy.minified_json);
        }
    }
    let hcl = generate(&inputs, &Options::default(), &roles);
    let plan = support::plan("plan_hostile", &hcl.resources);
    support::assert_plan_matches(&plan, &serde_json::to_value(&roles).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_strings_read_back_unchanged(
        name_prefix in any::<String>(),
        tags in prop::collection::btree_map(any::<String>(), any::<String>(), 0..4),
        arns in prop::collection::btree_set(any::<String>(), 0..3),
        key in any::<String>(),
        value in any::<String>(),
    ) {
        let inputs = Inputs {
            name_prefix,
            tags,
            enable_spot_fleet_role: true,
            // Keys of the job role's attachments: not the names of its default policies.
            additional_job_policy_arns: arns.into_iter().map(|a| format!("arn:{a}")).collect(),
            custom_job_policy_statements: Some(BTreeMap::from([(key, statement(&value))])),
        };
        let options = Options::default();
        let roles = build_roles(&inputs, &options);
        assert_reads_back(&inputs, &options, &roles);
    }
}

/// The wrapper module with hostile keys, planned with the real upstream module (a checkout
/// named by IAM_METAFLOW_UPSTREAM_IAM): Terraform's own addresses against the role set's.
/// Ignored for now: roles.rs escapes instance keys in addresses only for `"`, `\\` and `\n`,
/// while Terraform writes them as HCL strings (`$${`, `%%{`, `\t`, `\r`, and `\u00xx` for every
/// character Go's `unicode.IsPrint` rejects); run with `--ignored` once that is fixed.
#[test]
#[ignore = "roles.rs address keys do not yet escape as Terraform prints them"]
fn terraform_plan_of_the_hostile_wrapper_module_matches_the_role_set() {
    let test = "terraform_plan_of_the_hostile_wrapper_module_matches_the_role_set";
    if !support::can_plan(test) {
        return;
    }
    let Some(upstream) = support::upstream_iam_role(test) else {
        return;
    };
    let mut inputs = plannable_hostile_inputs("metaflow-hostile");
    // NFC as above; the data source checks the effect and the principal type at plan.
    inputs.custom_job_policy_statements = inputs.custom_job_policy_statements.map(|statements| {
        statements
            .into_iter()
            .map(|(key, s)| {
                let list =
                    |v: Option<Vec<String>>| v.map(|v| v.iter().map(|x| nfc_safe(x)).collect());
                let statement = StatementInput {
                    sid: s.sid.map(|x| nfc_safe(&x)),
                    actions: list(s.actions),
                    resources: list(s.resources),
                    condition: s.condition.map(|c| {
                        c.into_iter()
                            .map(|c| ConditionInput {
                                test: nfc_safe(&c.test),
                                variable: nfc_safe(&c.variable),
                                values: c.values.iter().map(|x| nfc_safe(x)).collect(),
                            })
                            .collect()
                    }),
                    ..s
                };
                (nfc_safe(&key), statement)
            })
            .collect()
    });
    for statement in inputs.custom_job_policy_statements.iter_mut().flatten() {
        let statement = statement.1;
        statement.effect = "Allow".to_owned();
        for principal in statement.principals.iter_mut().flatten() {
            principal.kind = "AWS".to_owned();
            principal.identifiers = principal.identifiers.iter().map(|x| nfc_safe(x)).collect();
        }
    }
    let options = Options::default();
    let roles = build_roles(&inputs, &options);
    let hcl = generate(&inputs, &options, &roles);
    let plan = support::plan_wrapper(
        "wrapper_hostile",
        &hcl.module_call,
        &options.module_source,
        &hcl.module.files(),
        &upstream,
        &[],
    );
    support::assert_wrapper_plan_matches(&plan, &serde_json::to_value(&roles).unwrap());
}
