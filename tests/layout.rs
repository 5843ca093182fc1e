//! The files of a result (`Generated::files`, src/layout.rs): the layout the CLI writes and
//! the page zips. Expected paths: the CLI's table in README.md ("The CLI").

use iam_metaflow::{generate, validate, Generated, OutputFile, RoleKey};
use serde_json::{json, Value};

fn generated(inputs: Value, options: Value) -> Generated {
    generate(&inputs, Some(&options)).unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics))
}

fn paths(files: &[OutputFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

/// Every source resolves to a string of the serialized result, `""` to the result itself;
/// every path is relative, `/`-separated, without `.`, `..`, backslashes or controls, and
/// unique ignoring case.
fn check_files(generated: &Generated) {
    let result = serde_json::to_value(generated).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for file in &generated.files {
        if file.source.is_empty() {
            assert_eq!(file.path, "result.json");
        } else {
            let text = result.pointer(&file.source).and_then(Value::as_str);
            assert!(text.is_some_and(|t| !t.is_empty()), "{file:?}");
        }
        let path = &file.path;
        assert!(!path.starts_with('/') && !path.ends_with('/'), "{path}");
        assert!(
            path.split('/')
                .all(|s| !s.is_empty() && s != "." && s != ".."),
            "{path}"
        );
        assert!(
            !path.contains('\\') && !path.chars().any(char::is_control),
            "{path}"
        );
        assert!(seen.insert(path.to_lowercase()), "twice: {path}");
    }
}

#[test]
fn the_seed_example_gives_the_documented_files() {
    let inputs: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/seed/advanced.tfvars.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let g = generated(inputs, json!({}));
    check_files(&g);
    assert_eq!(
        paths(&g.files),
        [
            "main.tf",
            "shared-modules/wrapped/iam_metaflow/README.md",
            "shared-modules/wrapped/iam_metaflow/main.tf",
            "shared-modules/wrapped/iam_metaflow/outputs.tf",
            "shared-modules/wrapped/iam_metaflow/variables.tf",
            "shared-modules/wrapped/iam_metaflow/versions.tf",
            "resources/main.tf",
            "integrations.tf.example",
            "policies/batch_job.trust.json",
            "policies/batch_job.inline.json",
            "policies/batch_service.trust.json",
            "policies/batch_instance.trust.json",
            "policies/spot_fleet.trust.json",
            "result.json",
        ]
    );
    // What each holds, read through the result's own fields.
    let result = serde_json::to_value(&g).unwrap();
    let text = |path: &str| {
        let file = g.files.iter().find(|f| f.path == path).unwrap();
        result
            .pointer(&file.source)
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    };
    assert_eq!(text("main.tf"), g.hcl.module_call);
    assert_eq!(text("resources/main.tf"), g.hcl.resources);
    assert_eq!(text("integrations.tf.example"), g.hcl.integrations);
    for (name, module_text) in g.hcl.module.files() {
        assert_eq!(
            text(&format!("shared-modules/wrapped/iam_metaflow/{name}")),
            module_text
        );
    }
    for role in &g.roles {
        let key = role.key.as_str();
        assert_eq!(
            serde_json::to_value(role.key).unwrap(),
            json!(key),
            "RoleKey::as_str is its JSON"
        );
        assert_eq!(
            text(&format!("policies/{key}.trust.json")),
            role.assume_role_policy.json
        );
        if let Some(inline) = &role.inline_policy {
            assert_eq!(
                text(&format!("policies/{key}.inline.json")),
                inline.policy.json
            );
        }
    }
    assert_eq!(RoleKey::ALL.len(), 4);
}

#[test]
fn a_module_source_inside_the_output_is_the_module_folder() {
    let inputs = json!({ "name_prefix": "mf" });
    for (source, folder) in [
        ("./modules/iam", "modules/iam"),
        ("./a/./b/../c/", "a/c"),
        ("./policies", "policies"),
        ("terraform-aws-modules/iam/aws", "modules/iam_metaflow"),
        ("git::https://example.com/x.git", "modules/iam_metaflow"),
    ] {
        let g = generated(inputs.clone(), json!({ "module_source": source }));
        check_files(&g);
        assert!(
            g.files
                .iter()
                .any(|f| f.path == format!("{folder}/variables.tf")),
            "{source}: {:?}",
            paths(&g.files)
        );
        assert!(g
            .diagnostics
            .iter()
            .all(|d| d.code.as_str() != "module_source_folder"));
    }
}

#[test]
fn a_module_source_that_cannot_be_a_folder_of_the_output_is_left_out_with_a_warning() {
    let inputs = json!({ "name_prefix": "mf" });
    for source in [
        "./",
        "./..\\..\\evil",
        "../shared/iam",
        "./a/../../x",
        "./resources",
        "./RESOURCES",
        "./main.tf",
        "./result.json",
        "./policies/batch_job.trust.json",
        "./a\u{0}b",
    ] {
        let options = json!({ "module_source": source });
        let g = generated(inputs.clone(), options.clone());
        check_files(&g);
        assert!(
            g.files
                .iter()
                .all(|f| !f.source.starts_with("/hcl/module/")),
            "{source}: {:?}",
            paths(&g.files)
        );
        let warning = g
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "module_source_folder")
            .unwrap_or_else(|| panic!("{source}: {:#?}", g.diagnostics));
        assert_eq!(warning.pointer, "/options/module_source");
        // validate says the same.
        assert!(validate(&inputs, Some(&options)).contains(warning));
    }
}
