//! The HCL texts through the public API, checked against the seed (tests/fixtures/seed, tests/fixtures/hcl), an
//! independent HCL parser (hcl-rs) and, where installed, `terraform fmt` and `terraform plan`.
//! Hostile strings, which validation rejects, are tested inside the crate (src/hcl/tests.rs).

mod hcl_support;

use std::collections::BTreeMap;

use hcl_support::*;
use iam_metaflow::{generate, Generated};
use serde_json::{json, Value};

const EXAMPLES: [&str; 2] = ["basic", "advanced"];

fn example(name: &str) -> (Value, Generated) {
    let inputs = fixture_json(&format!("{name}.tfvars.json"));
    let generated = generate(&inputs, None).unwrap();
    (inputs, generated)
}

/// Every `.tf` text of a result, by a file name unique across `case`s.
fn tf_texts(case: &str, generated: &Generated, out: &mut BTreeMap<String, String>) {
    let hcl = &generated.hcl;
    out.insert(format!("{case}_module_call.tf"), hcl.module_call.clone());
    out.insert(format!("{case}_resources.tf"), hcl.resources.clone());
    out.insert(format!("{case}_integrations.tf"), hcl.integrations.clone());
    for (name, text) in hcl.module.files() {
        if name.ends_with(".tf") {
            out.insert(format!("{case}_module_{name}"), text.to_string());
        }
    }
}

#[test]
fn module_call_equals_the_seed_examples() {
    for name in EXAMPLES {
        let (_, generated) = example(name);
        assert_eq!(
            generated.hcl.module_call,
            fixture(&format!("{name}.module_call.tf")),
            "{name}"
        );
    }
}

#[test]
fn module_call_reads_back_as_the_inputs() {
    for name in EXAMPLES {
        let (inputs, generated) = example(name);
        let read = read(&generated.hcl.module_call, &json!({}));
        let mut expected = inputs.clone();
        expected["source"] = json!("./shared-modules/wrapped/iam_metaflow");
        assert_eq!(
            read,
            json!({ "module": { "metaflow_iam": expected } }),
            "{name}"
        );
    }
}

#[test]
fn readme_docs_section_equals_the_seeds() {
    let seed = fixture("iam_metaflow-seed.md");
    for name in EXAMPLES {
        let (_, generated) = example(name);
        assert_eq!(tf_docs(&generated.hcl.module.readme), tf_docs(&seed));
    }
}

#[test]
fn module_files_are_the_seed_module() {
    let (inputs, generated) = example("advanced");
    let module = &generated.hcl.module;
    assert_eq!(
        serde_json::to_value(module)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        [
            "README.md",
            "main.tf",
            "outputs.tf",
            "variables.tf",
            "versions.tf"
        ]
    );

    // versions.tf: the seed's Requirements.
    let versions = read(module.versions_tf, &json!({}));
    let requirements: BTreeMap<String, String> = seed_table("Requirements")
        .into_iter()
        .map(|row| (docs_name(&row[0]), row[1].clone()))
        .collect();
    assert_eq!(
        versions,
        json!({ "terraform": {
            "required_version": requirements["terraform"],
            "required_providers": { "aws": { "source": "hashicorp/aws", "version": requirements["aws"] } }
        }})
    );

    // variables.tf: the seed's Inputs (description, type text, default), nullable = false for
    // non-null defaults.
    let variables_text = module.variables_tf;
    let variables = read(variables_text, &json!({}));
    let rows = seed_table("Inputs");
    assert_eq!(variables["variable"].as_object().unwrap().len(), rows.len());
    for row in &rows {
        let name = docs_name(&row[0]);
        let variable = &variables["variable"][&name];
        assert_eq!(
            variable["description"],
            row[1].replace("\\_", "_"),
            "{name}"
        );
        let kind = row[2]
            .trim_start_matches("<pre>")
            .trim_end_matches("</pre>")
            .trim_matches('`')
            .replace("<br>", "\n");
        assert!(
            variables_text.contains(&format!("= {kind}\n")),
            "type of {name}"
        );
        if row[3] == "n/a" {
            assert!(variable.get("default").is_none());
            assert!(variable.get("nullable").is_none());
        } else {
            let default = read(&format!("x = {}", row[3].trim_matches('`')), &json!({}));
            assert_eq!(variable["default"], default["x"], "{name}");
            let nullable = if default["x"].is_null() {
                Value::Null
            } else {
                json!(false)
            };
            assert_eq!(
                variable.get("nullable").cloned().unwrap_or(Value::Null),
                nullable
            );
        }
    }

    // outputs.tf: the seed's Outputs, reading the upstream module's outputs.
    let outputs = read(module.outputs_tf, &json!({}));
    let rows = seed_table("Outputs");
    assert_eq!(outputs["output"].as_object().unwrap().len(), 10);
    for row in &rows {
        let name = docs_name(&row[0]);
        let output = &outputs["output"][&name];
        assert_eq!(output["description"], row[1].replace("\\_", "_"));
        let value = output["value"].as_str().unwrap();
        assert!(
            value.starts_with("<try(module.") && value.ends_with(", null)>"),
            "{name}: {value}"
        );
    }

    // main.tf: the seed's Modules, only upstream inputs, the role set's names and policies.
    let vars = vars_with_defaults(&inputs);
    let main = read(module.main_tf, &vars);
    check_main(&main, &generated, &vars, "aws");
    assert!(!module.main_tf.contains("provider"));
    assert!(!module.main_tf.contains("resource"));
    assert!(!module.main_tf.contains("data "));
}

/// main.tf read with `vars`: module blocks as in the seed's Modules table, inputs the upstream
/// module has, names and policies as the role set.
fn check_main(main: &Value, generated: &Generated, vars: &Value, partition: &str) {
    let upstream = fixture_json("iam-role-v6-inputs.json");
    let specs = fixture_json("roles.json");
    let modules = main["module"].as_object().unwrap();
    let rows = seed_table("Modules");
    assert_eq!(modules.len(), rows.len());
    for row in &rows {
        let label = docs_name(&row[0]);
        let block = &modules[&label];
        assert_eq!(block["source"], row[1]);
        assert_eq!(block["version"], row[2]);
        let known = upstream["v6.1.0"].as_array().unwrap();
        for key in block.as_object().unwrap().keys() {
            assert!(
                key == "source" || key == "version" || known.contains(&json!(key)),
                "{label}: {key} is not an input of iam-role"
            );
        }
        let spec = &specs[&label];
        let name = format!(
            "{}{}",
            vars["name_prefix"].as_str().unwrap(),
            spec["suffix"].as_str().unwrap()
        );
        assert_eq!(block["name"], name);
        assert_eq!(block["use_name_prefix"], false);
        let principal = if partition == "aws-cn" {
            spec.get("principal_aws_cn").unwrap_or(&spec["principal"])
        } else {
            &spec["principal"]
        };
        assert_eq!(
            block["trust_policy_permissions"],
            json!({ spec["sid"].as_str().unwrap(): {
                "actions": ["sts:AssumeRole"],
                "principals": [{ "type": "Service", "identifiers": [principal] }]
            }}),
            "{label}"
        );
        assert_eq!(block["tags"], vars["tags"]);
        let created = label != "spot_fleet_role" || vars["enable_spot_fleet_role"] == true;
        assert_eq!(block.get("create").cloned().unwrap_or(json!(true)), created);

        // policies: the seed's defaults (SPEC §3) then the additional ARNs; the same as the
        // role set's attachments.
        let mut policies: BTreeMap<String, String> = spec["policies"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    format!("arn:{partition}:iam::aws:policy/{}", v.as_str().unwrap()),
                )
            })
            .collect();
        if label == "batch_job_role" {
            for arn in vars["additional_job_policy_arns"].as_array().unwrap() {
                let arn = arn.as_str().unwrap().to_owned();
                policies.insert(arn.clone(), arn);
            }
        }
        assert_eq!(block["policies"], json!(policies), "{label}");
        if let Some(role) = generated.roles.iter().find(|r| r.name == name) {
            let attached: BTreeMap<String, String> = role
                .managed_policy_arns
                .iter()
                .map(|a| (a.key.clone(), a.arn.clone()))
                .collect();
            assert_eq!(attached, policies);
        } else {
            assert!(!created);
        }
    }
    let job = &modules["batch_job_role"];
    let statements = &vars["custom_job_policy_statements"];
    let inline = statements.as_object().is_some_and(|s| !s.is_empty());
    assert_eq!(job["create_inline_policy"], inline);
    assert_eq!(job["inline_policy_permissions"], *statements);
    assert_eq!(
        modules["batch_instance_role"]["create_instance_profile"],
        true
    );
}

#[test]
fn main_tf_follows_the_partition() {
    let inputs = fixture_json("advanced.tfvars.json");
    let options = json!({ "partition": "aws-cn" });
    let mut inputs_cn = inputs.clone();
    inputs_cn["additional_job_policy_arns"] =
        json!(["arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess"]);
    let generated = generate(&inputs_cn, Some(&options)).unwrap();
    let vars = vars_with_defaults(&inputs_cn);
    let main = read(generated.hcl.module.main_tf, &vars);
    check_main(&main, &generated, &vars, "aws-cn");
}

#[test]
fn resources_read_back_as_the_role_set() {
    for name in EXAMPLES {
        let (inputs, generated) = example(name);
        let read = read(&generated.hcl.resources, &json!({}));
        let vars = vars_with_defaults(&inputs);
        assert_eq!(read["locals"]["tags"], vars["tags"]);
        let resource = &read["resource"];
        assert_eq!(
            resource["aws_iam_role"].as_object().unwrap().len(),
            generated.roles.len()
        );
        for role in &generated.roles {
            let planned = resource["aws_iam_role"]
                .as_object()
                .unwrap()
                .values()
                .find(|r| r["name"] == role.name.as_str())
                .unwrap();
            assert_eq!(planned["path"], "/");
            // The exact string: byte for byte the engine's minified_json.
            assert_eq!(
                planned["assume_role_policy"],
                role.assume_role_policy.minified_json.as_ref()
            );
            assert_eq!(planned["tags"], "<local.tags>");
        }
        let attachments: usize = resource["aws_iam_role_policy_attachment"]
            .as_object()
            .unwrap()
            .values()
            .map(|r| r["for_each"].as_object().unwrap().len())
            .sum();
        assert_eq!(
            attachments,
            generated
                .roles
                .iter()
                .map(|r| r.managed_policy_arns.len())
                .sum::<usize>()
        );
        let outputs = read["output"].as_object().unwrap();
        assert_eq!(outputs.len(), 10);
        for (output, spec) in outputs.iter().zip(seed_table("Outputs")) {
            assert_eq!(*output.0, docs_name(&spec[0]));
            assert_eq!(output.1["description"], spec[1].replace("\\_", "_"));
        }
        let spot = inputs["enable_spot_fleet_role"] == true;
        assert_eq!(outputs["spot_fleet_role_name"]["value"].is_null(), !spot);
    }
}

#[test]
fn integrations_read_back() {
    for name in EXAMPLES {
        let (inputs, generated) = example(name);
        let read = read(&generated.hcl.integrations, &json!({}));
        let s3 = &read["module"]["metaflow_s3"];
        assert_eq!(s3["source"], "./shared-modules/wrapped/s3_metaflow");
        assert_eq!(s3["bucket_name"], "metaflow-prod-datastore");
        assert_eq!(
            s3["job_role_arn"],
            "<module.metaflow_iam.batch_job_role_arn>"
        );
        assert_eq!(s3["tags"], inputs["tags"]);
        let ecr = &read["module"]["metaflow_ecr"];
        assert_eq!(ecr["source"], "./shared-modules/wrapped/ecr_unop");
        assert_eq!(
            ecr["job_role_arn"],
            "<module.metaflow_iam.batch_job_role_arn>"
        );
        let batch = &read["resource"]["aws_batch_compute_environment"]["metaflow"];
        assert_eq!(
            batch["service_role"],
            "<module.metaflow_iam.batch_service_role_arn>"
        );
        let compute = &batch["compute_resources"];
        assert_eq!(
            compute["instance_role"],
            "<module.metaflow_iam.batch_instance_profile_arn>"
        );
        let spot = inputs["enable_spot_fleet_role"] == true;
        assert_eq!(compute.get("spot_iam_fleet_role").is_some(), spot, "{name}");
        assert!(read["variable"]["subnet_ids"].is_object());
    }
}

#[test]
fn every_text_is_a_fixed_point_of_terraform_fmt() {
    let mut texts = BTreeMap::new();
    for name in EXAMPLES {
        tf_texts(name, &example(name).1, &mut texts);
    }
    let options =
        json!({ "partition": "aws-us-gov", "module_name": "iam", "account_id": "123456789012" });
    let generated = generate(&fixture_json("basic.tfvars.json"), Some(&options)).unwrap();
    tf_texts("gov", &generated, &mut texts);
    assert_fmt_stable("fmt_public", &texts);
}

#[test]
fn terraform_plan_of_resources_matches_the_role_set() {
    if !can_plan("terraform_plan_of_resources_matches_the_role_set") {
        return;
    }
    let (_, generated) = example("advanced");
    let plan = plan("plan_public", &generated.hcl.resources);
    assert_plan_matches(&plan, &serde_json::to_value(&generated.roles).unwrap());
    let outputs = plan["planned_values"]["outputs"].as_object().unwrap();
    assert_eq!(outputs.len(), 10);
    assert_eq!(
        outputs["batch_job_role_name"]["value"],
        "metaflow-prod-batch-job-role"
    );
}

/// The wrapper module itself, planned with the real upstream `iam-role` module (a local
/// checkout named by IAM_METAFLOW_UPSTREAM_IAM): the same addresses, names, attachments,
/// inline policy, instance profile, tags and outputs as the role set.
#[test]
fn terraform_plan_of_the_wrapper_module_matches_the_role_set() {
    let test = "terraform_plan_of_the_wrapper_module_matches_the_role_set";
    if !can_plan(test) {
        return;
    }
    let Some(upstream) = upstream_iam_role(test) else {
        return;
    };
    let outputs: Vec<String> = seed_table("Outputs")
        .iter()
        .map(|row| docs_name(&row[0]))
        .collect();
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    for (name, options) in [
        ("advanced", json!({})),
        ("basic", json!({ "partition": "aws-cn" })),
    ] {
        let inputs = fixture_json(&format!("{name}.tfvars.json"));
        let generated = generate(&inputs, Some(&options)).unwrap();
        let plan = plan_wrapper(
            &format!("wrapper_{name}"),
            &generated.hcl.module_call,
            "./shared-modules/wrapped/iam_metaflow",
            &generated.hcl.module.files(),
            &upstream,
            &outputs,
        );
        assert_wrapper_plan_matches(&plan, &serde_json::to_value(&generated.roles).unwrap());
        let planned = plan["planned_values"]["outputs"].as_object().unwrap();
        for (output, value) in generated.outputs.iter() {
            if !value.known_after_apply {
                assert_eq!(
                    planned[output].get("value").cloned().unwrap_or(Value::Null),
                    json!(value.value),
                    "{name}: {output}"
                );
            }
        }
    }
}
