//! `from_hcl` through the public API: the seed's own examples, every HCL feature against
//! Terraform's reading (tests/fixtures/from_hcl, re-checked against `terraform apply
//! -var-file` when Terraform is installed), and the diagnostics with their lines and columns.

mod hcl_support;

use std::path::Path;

use hcl_support::{apply_var_file, fixture, fixture_json, terraform};
use iam_metaflow::{from_hcl, generate, validate, Diagnostic, FromHcl, Severity};
use serde_json::{json, Value};

fn from_hcl_fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/from_hcl")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The seed's ```hcl blocks, verbatim (comments and the `metaflow_s3` block included).
fn seed_examples() -> Vec<String> {
    let seed = fixture("iam_metaflow-seed.md");
    seed.split("```hcl\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .collect()
}

/// Equal as Terraform compares values: numbers by value (`1.50` and `1.5`, `1e3` and `1000`),
/// everything else exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn codes(read: &FromHcl) -> Vec<&'static str> {
    read.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// The only diagnostic of `read`, which must have that code.
fn only<'a>(read: &'a FromHcl, code: &str) -> &'a Diagnostic {
    assert_eq!(codes(read), [code], "{:#?}", read.diagnostics);
    &read.diagnostics[0]
}

fn at(d: &Diagnostic) -> (u32, u32) {
    (d.line.unwrap(), d.column.unwrap())
}

#[test]
fn the_seed_examples_read_as_their_tfvars_json() {
    let examples = seed_examples();
    assert_eq!(examples.len(), 2);
    for (text, name) in examples.iter().zip(["basic", "advanced"]) {
        let read = from_hcl(text, None);
        assert_eq!(
            read.inputs,
            fixture_json(&format!("{name}.tfvars.json")),
            "{name}"
        );
        assert_eq!(read.options.module_name.as_deref(), Some("metaflow_iam"));
        assert_eq!(
            read.options.module_source.as_deref(),
            Some("./shared-modules/wrapped/iam_metaflow")
        );
        // And generate writes the seed's block back from them.
        let options = serde_json::to_value(&read.options).unwrap();
        let generated = generate(&read.inputs, Some(&options)).unwrap();
        assert_eq!(
            generated.hcl.module_call,
            fixture(&format!("{name}.module_call.tf"))
        );
    }
    // The basic example's second block calls another module: ignored, with an info at its line.
    let basic = from_hcl(&examples[0], None);
    let ignored = only(&basic, "hcl_ignored");
    assert_eq!(ignored.severity, Severity::Info);
    assert_eq!(at(ignored), (13, 1));
    assert!(
        ignored.message.contains("module \"metaflow_s3\""),
        "{}",
        ignored.message
    );
    assert!(from_hcl(&examples[1], None).diagnostics.is_empty());
}

#[test]
fn every_hcl_feature_reads_as_terraform_reads_it() {
    let read = from_hcl(&from_hcl_fixture("features.tfvars"), None);
    assert!(read.diagnostics.is_empty(), "{:#?}", read.diagnostics);
    let terraform: Value =
        serde_json::from_str(&from_hcl_fixture("features.terraform.json")).unwrap();
    assert!(
        same(&read.inputs, &terraform),
        "from_hcl:\n{:#}\nterraform:\n{terraform:#}",
        read.inputs
    );
    assert_eq!(read.options, Default::default());
    // Numbers and bools stay as written; the engine converts them, as for JSON input.
    assert_eq!(read.inputs["tags"]["Number"], json!(42));
    assert_eq!(read.inputs["enable_spot_fleet_role"], json!("true"));
}

/// The variables a file sets: Terraform's reading prints `null` for the others (the root
/// module's default).
fn set(value: Value) -> Value {
    let mut object = value.as_object().unwrap().clone();
    object.retain(|_, v| !v.is_null());
    Value::Object(object)
}

#[test]
fn a_byte_order_mark_and_crlf_lines_read_as_terraform_reads_them() {
    let text = from_hcl_fixture("windows.tfvars");
    assert!(text.starts_with('\u{feff}') && text.contains("\r\n"));
    let read = from_hcl(&text, None);
    assert!(read.diagnostics.is_empty(), "{:#?}", read.diagnostics);
    let terraform: Value =
        serde_json::from_str(&from_hcl_fixture("windows.terraform.json")).unwrap();
    assert_eq!(read.inputs, set(terraform));
    // Lines and columns as an editor shows them: the mark is not a column.
    let read = from_hcl("\u{feff}name_prefix = var.x\r\n", None);
    assert_eq!(at(only(&read, "hcl_not_static")), (1, 15));
}

#[test]
fn numbers_are_exact_where_a_js_number_is_not() {
    let read = from_hcl(&from_hcl_fixture("numbers.tfvars"), None);
    let terraform: Value =
        serde_json::from_str(&from_hcl_fixture("numbers.terraform.json")).unwrap();
    let tags = read.inputs["tags"].as_object().unwrap();
    let expected = terraform["tags"].as_object().unwrap();
    assert_eq!(tags.len(), expected.len());
    let mut as_strings = Vec::new();
    for (key, value) in tags {
        let terraform = expected[key].as_str().unwrap();
        match value {
            // Kept as a number: one a JS number holds, whose value is Terraform's string's.
            Value::Number(n) => assert_eq!(n.as_f64(), terraform.parse().ok(), "{key}"),
            // Given as a string: Terraform's conversion of it, digit for digit.
            Value::String(s) => {
                assert_eq!(s, terraform, "{key}");
                as_strings.push(key.as_str());
            }
            other => panic!("{key}: {other}"),
        }
    }
    as_strings.sort();
    assert_eq!(
        as_strings,
        ["huge", "long_frac", "neg_zero", "over_safe", "u64_range"]
    );
    assert_eq!(codes(&read), ["hcl_number_as_string"; 5]);
    // The engine converts the rest as Terraform does (the same `type_converted` infos).
    assert!(validate(&read.inputs, None)
        .iter()
        .any(|d| d.code.as_str() == "type_converted" && d.path == "tags[\"int\"]"));
}

/// The root module of the Terraform check: each variable `any`, so that Terraform's reading
/// shows as it is (numbers stay numbers), output as `jsonencode`.
fn root_module_of_any() -> String {
    ["name_prefix", "tags", "enable_spot_fleet_role", "additional_job_policy_arns", "custom_job_policy_statements"]
        .iter()
        .map(|v| format!("variable \"{v}\" {{\n  type    = any\n  default = null\n}}\n\noutput \"{v}\" {{\n  value = jsonencode(var.{v})\n}}\n\n"))
        .collect()
}

/// The fixtures' expectations are what Terraform reads; re-read them when it is here.
#[test]
fn the_expectations_are_terraforms_reading() {
    let test = "the_expectations_are_terraforms_reading";
    if terraform(test).is_none() {
        return;
    }
    let variables = [
        "name_prefix",
        "tags",
        "enable_spot_fleet_role",
        "additional_job_policy_arns",
        "custom_job_policy_statements",
    ];
    let object = |outputs: std::collections::BTreeMap<String, String>| -> Value {
        outputs
            .into_iter()
            .map(|(k, v)| (k, serde_json::from_str(&v).unwrap()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let features = apply_var_file(
        &format!("{test}-features"),
        &[("main.tf", &root_module_of_any())],
        &from_hcl_fixture("features.tfvars"),
        &variables,
    );
    let expected: Value =
        serde_json::from_str(&from_hcl_fixture("features.terraform.json")).unwrap();
    assert!(same(&object(features), &expected));
    let windows = apply_var_file(
        &format!("{test}-windows"),
        &[("main.tf", &root_module_of_any())],
        &from_hcl_fixture("windows.tfvars"),
        &variables,
    );
    let expected: Value =
        serde_json::from_str(&from_hcl_fixture("windows.terraform.json")).unwrap();
    assert_eq!(object(windows), expected);

    // The numbers through the module's own variable types (tags: map(string)).
    let module = generate(&json!({ "name_prefix": "x" }), None)
        .unwrap()
        .hcl
        .module;
    let outputs: String = ["name_prefix", "tags"]
        .iter()
        .map(|v| format!("output \"{v}\" {{\n  value = jsonencode(var.{v})\n}}\n"))
        .collect();
    let numbers = apply_var_file(
        &format!("{test}-numbers"),
        &[
            ("variables.tf", module.variables_tf),
            ("outputs.tf", &outputs),
        ],
        &from_hcl_fixture("numbers.tfvars"),
        &["name_prefix", "tags"],
    );
    let expected: Value =
        serde_json::from_str(&from_hcl_fixture("numbers.terraform.json")).unwrap();
    assert_eq!(object(numbers), expected);
}

#[test]
fn references_in_a_tfvars_are_not_allowed_and_the_rest_loads() {
    let text = "name_prefix = var.env\ntags = {\n  a = upper(\"x\")\n  b = \"${local.owner}-x\"\n  c = \"kept\"\n}\nadditional_job_policy_arns = [\"one\", module.x.arn, \"three\"]\n";
    let read = from_hcl(text, None);
    assert_eq!(
        read.inputs,
        json!({ "tags": { "c": "kept" }, "additional_job_policy_arns": ["one", "three"] })
    );
    let found: Vec<(&str, &str, (u32, u32))> = read
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str(), at(d)))
        .collect();
    assert_eq!(
        found,
        [
            ("hcl_not_static", "name_prefix", (1, 15)),
            ("hcl_not_static", "tags[\"a\"]", (3, 7)),
            ("hcl_not_static", "tags[\"b\"]", (4, 10)),
            ("hcl_not_static", "additional_job_policy_arns[1]", (7, 38)),
        ]
    );
    let messages: Vec<&str> = read
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(messages[0].starts_with("Variables not allowed") && messages[0].contains("var.env"));
    assert!(
        messages[1].starts_with("Function calls not allowed")
            && messages[1].contains("upper(\"x\")")
    );
    assert!(messages[2].contains("local.owner"));
    assert!(messages[3].contains("module.x.arn"));
    assert_eq!(
        read.diagnostics[0].to_string(),
        "error [hcl_not_static] name_prefix (line 1, column 15): Variables not allowed: variables may not be used here (Terraform), and var.env is one (a .tfvars file gives values only: write the value itself)"
    );
}

#[test]
fn names_a_for_binds_are_not_references() {
    let read = from_hcl(
        "tags = { for k, v in { a = \"1\" } : k => \"${v}${k}\" }\nadditional_job_policy_arns = [for x in [\"a\"] : y]\n",
        None,
    );
    assert_eq!(read.inputs, json!({ "tags": { "a": "1a" } }));
    let d = only(&read, "hcl_not_static");
    assert_eq!(at(d), (2, 48));
    assert!(d.message.contains(" y "), "{}", d.message);
}

#[test]
fn references_in_a_module_block_are_known_only_to_terraform() {
    let text = "module \"iam\" {\n  source      = \"./modules/iam_metaflow\"\n  name_prefix = \"${var.env}-metaflow\"\n  tags        = merge(local.tags, { a = \"b\" })\n  enable_spot_fleet_role = true\n}\n";
    let read = from_hcl(text, None);
    assert_eq!(read.inputs, json!({ "enable_spot_fleet_role": true }));
    assert_eq!(read.options.module_name.as_deref(), Some("iam"));
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), at(d)))
        .collect();
    assert_eq!(found, [("name_prefix", (3, 20)), ("tags", (4, 17))]);
    assert!(read.diagnostics[0]
        .message
        .contains("var.env is known only when Terraform runs"));
    assert!(read.diagnostics[1]
        .message
        .contains("merge(local.tags, { a = \"b\" }) is a function call"));
}

#[test]
fn a_syntax_error_has_its_line_and_column() {
    let read = from_hcl("name_prefix = \"a\"\ntags = {\n  a = \"b\n}\n", None);
    let d = only(&read, "hcl_syntax");
    assert_eq!(d.severity, Severity::Error);
    // hcl-edit points at the start of the attribute it could not read.
    assert_eq!(at(d), (2, 1));
    assert_eq!(read.inputs, json!({}));
    let read = from_hcl("name_prefix = = 1\n", None);
    assert_eq!(at(only(&read, "hcl_syntax")), (1, 15));
    assert!(read.diagnostics[0]
        .to_string()
        .starts_with("error [hcl_syntax] line 1, column 15: "));
    // A number beyond an f64's range, which Terraform reads, stops the parser: said plainly.
    let read = from_hcl("tags = {\n  huge = 1e400\n}\n", None);
    let d = only(&read, "hcl_syntax");
    assert_eq!(d.line, Some(2));
    assert!(
        d.message
            .starts_with("the number 1e400 is beyond the range"),
        "{}",
        d.message
    );
}

#[test]
fn several_candidate_blocks_are_listed_and_one_can_be_picked() {
    let text = "module \"prod\" {\n  source      = \"./iam_metaflow\"\n  name_prefix = \"prod\"\n}\n\nmodule \"dev\" {\n  source      = \"git::https://example.com/iam-metaflow.git?ref=v1\"\n  name_prefix = \"dev\"\n}\n";
    let read = from_hcl(text, None);
    let d = only(&read, "hcl_module_ambiguous");
    assert_eq!(
        d.message,
        "2 module blocks calling iam_metaflow: module \"prod\" (line 1), module \"dev\" (line 6)"
    );
    assert_eq!(read.inputs, json!({}));
    let dev = from_hcl(text, Some("dev"));
    assert_eq!(dev.inputs, json!({ "name_prefix": "dev" }));
    assert_eq!(dev.options.module_name.as_deref(), Some("dev"));
    assert_eq!(
        dev.options.module_source.as_deref(),
        Some("git::https://example.com/iam-metaflow.git?ref=v1")
    );
    let ignored = only(&dev, "hcl_ignored");
    assert_eq!(at(ignored), (1, 1));
    let missing = from_hcl(text, Some("staging"));
    let d = only(&missing, "hcl_module_not_found");
    assert!(d.message.starts_with("no module block named \"staging\": the module blocks are: module \"prod\" (line 1), module \"dev\" (line 6)"), "{}", d.message);
}

#[test]
fn a_block_with_this_modules_arguments_is_a_candidate() {
    let text = "terraform {\n  required_version = \">= 1.13\"\n}\n\nmodule \"iam\" {\n  source  = \"app.terraform.io/acme/metaflow/aws\"\n  version = \"1.2.0\"\n  name_prefix = \"p\"\n}\n\nmodule \"other\" {\n  source = \"./other\"\n  bucket = \"b\"\n}\n\noutput \"x\" {\n  value = module.iam.batch_job_role_arn\n}\n";
    let read = from_hcl(text, None);
    assert_eq!(read.inputs, json!({ "name_prefix": "p" }));
    assert_eq!(
        read.options.module_source.as_deref(),
        Some("app.terraform.io/acme/metaflow/aws")
    );
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), at(d)))
        .collect();
    assert_eq!(
        found,
        [
            ("hcl_ignored", (1, 1)),
            ("hcl_ignored", (7, 3)),
            ("hcl_ignored", (11, 1)),
            ("hcl_ignored", (16, 1))
        ]
    );
    assert!(read.diagnostics[1].message.contains("version"));
    let none = from_hcl("provider \"aws\" {\n  region = \"us-east-1\"\n}\n", None);
    let codes = codes(&none);
    assert_eq!(codes, ["hcl_module_not_found", "hcl_ignored"]);
    assert!(none.diagnostics[0]
        .message
        .contains("the text has no module block"));
}

#[test]
fn what_terraform_rejects_in_each_kind_of_file() {
    // A block in a .tfvars.
    let read = from_hcl("name_prefix = \"a\"\nlocals {\n  x = 1\n}\n", None);
    let d = only(&read, "hcl_unexpected");
    assert_eq!(at(d), (2, 1));
    assert!(d.message.starts_with("Unexpected \"locals\" block"));
    assert_eq!(read.inputs, json!({ "name_prefix": "a" }));
    // An argument set twice: the parser rejects it, as Terraform does ("Attribute redefined").
    let read = from_hcl("name_prefix = \"a\"\nname_prefix = \"b\"\n", None);
    let d = only(&read, "hcl_syntax");
    assert_eq!(at(d), (2, 1));
    assert!(d.message.contains("redefined attribute"), "{}", d.message);
    // An argument outside any block of a .tf.
    let read = from_hcl(
        "name_prefix = \"a\"\nmodule \"m\" {\n  source = \"./iam_metaflow\"\n}\n",
        None,
    );
    let d = only(&read, "hcl_unexpected");
    assert_eq!(at(d), (1, 1));
    assert!(d.message.starts_with("Unsupported argument"));
}

#[test]
fn a_key_written_twice_keeps_the_last_value_as_terraform_does() {
    let read = from_hcl("tags = {\n  a = \"1\"\n  \"a\" = \"2\"\n}\n", None);
    assert_eq!(read.inputs, json!({ "tags": { "a": "2" } }));
    let d = only(&read, "hcl_duplicate_key");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!((d.path.as_str(), at(d)), ("tags[\"a\"]", (3, 3)));
}

#[test]
fn a_key_written_the_same_way_twice_stops_the_parser_with_a_clear_message() {
    // Terraform keeps the last value; hcl-edit rejects the object.
    let read = from_hcl("tags = {\n  a = \"1\"\n  a = \"2\"\n}\n", None);
    let d = only(&read, "hcl_syntax");
    assert!(
        d.message.contains("Terraform would keep the last value"),
        "{}",
        d.message
    );
    assert_eq!(d.help.as_deref(), Some("remove one of the two"));
}

#[test]
fn values_terraform_cannot_evaluate_are_reported() {
    let read = from_hcl(
        "tags = {\n  (null) = \"x\"\n  b = 1 + \"a\"\n  c = \"ok\"\n}\n",
        None,
    );
    assert_eq!(read.inputs, json!({ "tags": { "c": "ok" } }));
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), at(d)))
        .collect();
    assert_eq!(
        found,
        [("hcl_invalid_value", (2, 3)), ("hcl_invalid_value", (3, 7))]
    );
    assert!(read.diagnostics[0].message.contains("null value as a key"));
}

#[test]
fn an_empty_text_is_empty_inputs() {
    for text in ["", "# only a comment\n", "\n\n"] {
        let read = from_hcl(text, None);
        assert_eq!(read.inputs, json!({}));
        assert!(read.diagnostics.is_empty());
    }
}

#[test]
fn an_expression_terraform_would_reject_is_named() {
    let read = from_hcl("name_prefix = 1 + \"a\"\n", None);
    let d = only(&read, "hcl_invalid_value");
    assert!(
        d.message.starts_with("1 + \"a\" cannot be evaluated: "),
        "{}",
        d.message
    );
    assert_eq!(at(d), (1, 15));
    assert_eq!(read.inputs, json!({}));
}

#[test]
fn a_long_expression_is_cut_in_its_message() {
    // As every message cuts the user's text (docs/architecture.md, "Echoes"): 100 characters.
    let name = "a".repeat(300);
    let read = from_hcl(&format!("name_prefix = var.{name}\n"), None);
    let d = only(&read, "hcl_not_static");
    let shown = format!("var.{}…", "a".repeat(96));
    assert!(
        d.message.contains(&format!("and {shown} is one")),
        "{}",
        d.message
    );
}

#[test]
fn many_problems_are_capped() {
    // As every call's diagnostics (`diagnostics_truncated` in the README's table): the first 99,
    // then one that counts the rest.
    let text: String = (0..500).map(|i| format!("v{i} = var.x{i}\n")).collect();
    let read = from_hcl(&text, None);
    assert_eq!(read.diagnostics.len(), 100);
    assert_eq!(at(&read.diagnostics[98]), (99, 7));
    let last = &read.diagnostics[99];
    assert_eq!(last.code.as_str(), "diagnostics_truncated");
    assert!(last
        .message
        .starts_with("401 more diagnostics were left out (401 errors)"));
}

#[test]
fn an_error_after_many_infos_is_kept() {
    // 150 numbers a JS number cannot hold (an info each), then a reference (an error).
    let mut text: String = (0..150)
        .map(|i| format!("n{i} = 12345678901234567890\n"))
        .collect();
    text.push_str("last = var.x\n");
    let read = from_hcl(&text, None);
    assert_eq!(read.diagnostics.len(), 100);
    assert_eq!(read.diagnostics[0].code.as_str(), "hcl_not_static");
    assert_eq!(at(&read.diagnostics[0]), (151, 8));
    assert_eq!(read.diagnostics[1].code.as_str(), "hcl_number_as_string");
    assert_eq!(at(&read.diagnostics[1]), (1, 6));
    assert_eq!(read.diagnostics[99].code.as_str(), "diagnostics_truncated");
}

#[test]
fn a_json_text_has_as_many_diagnostics_as_any_call() {
    // 150 numbers a JS number cannot hold, the first written twice (its last value, 1, fits):
    // one error and 149 infos.
    let numbers: Vec<String> = (0..150)
        .map(|i| format!("\"n{i}\": 12345678901234567890"))
        .collect();
    let read = from_hcl(&format!("{{{}, \"n0\": 1}}", numbers.join(", ")), None);
    assert_eq!(read.diagnostics.len(), 100);
    assert_eq!(read.diagnostics[0].code.as_str(), "duplicate_key");
    assert_eq!(read.diagnostics[1].code.as_str(), "hcl_number_as_string");
    let last = &read.diagnostics[99];
    assert_eq!(last.code.as_str(), "diagnostics_truncated");
    assert!(last
        .message
        .starts_with("51 more diagnostics were left out (51 infos)"));
}

#[test]
fn a_number_reads_alike_in_hcl_and_in_json() {
    let digits = "1234567890".repeat(16);
    for number in ["12345678901234567890", "-0", &digits, "1e-5000"] {
        let hcl = from_hcl(&format!("tags = {{\n  n = {number}\n}}\n"), None);
        let json = from_hcl(&format!("{{\"tags\": {{\"n\": {number}}}}}"), None);
        let what = |read: &FromHcl| -> Vec<(&str, String, String, Option<String>)> {
            (read.diagnostics.iter())
                .map(|d| {
                    (
                        d.code.as_str(),
                        d.path.clone(),
                        d.message.clone(),
                        d.help.clone(),
                    )
                })
                .collect()
        };
        assert!(!what(&hcl).is_empty(), "{number}");
        assert_eq!(what(&hcl), what(&json), "{number}");
    }
}

#[test]
fn a_number_longer_than_terraform_keeps_is_flagged() {
    let digits = "1234567890".repeat(16);
    let read = from_hcl(&format!("tags = {{\n  long = {digits}\n}}\n"), None);
    assert_eq!(read.inputs, json!({ "tags": { "long": digits } }));
    assert_eq!(
        codes(&read),
        ["hcl_number_precision", "hcl_number_as_string"]
    );
    assert_eq!(at(&read.diagnostics[0]), (2, 10));
}

#[test]
fn a_module_block_needs_a_literal_source_and_takes_no_blocks() {
    let read = from_hcl(
        "module \"m\" {\n  source      = local.iam_source\n  name_prefix = \"p\"\n\n  lifecycle {\n  }\n}\n",
        Some("m"),
    );
    assert_eq!(read.inputs, json!({ "name_prefix": "p" }));
    assert_eq!(read.options.module_source, None);
    let found: Vec<_> = read
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str(), at(d)))
        .collect();
    assert_eq!(
        found,
        [
            ("hcl_not_static", "source", (2, 17)),
            ("hcl_ignored", "", (5, 3))
        ]
    );
}

#[test]
fn a_text_too_large_for_the_parser_is_refused_before_parsing() {
    // One object of 10,001 items: hcl-edit would take seconds (quadratic in an object's size).
    let items: String = (0..10_001).map(|i| format!("  k{i} = \"v\"\n")).collect();
    let read = from_hcl(&format!("tags = {{\n{items}}}\n"), None);
    let d = only(&read, "hcl_too_large");
    assert!(
        d.message
            .starts_with("the text has 10002 = and : characters"),
        "{}",
        d.message
    );
    assert_eq!(read.inputs, json!({}));
    // 10,000 are read (attributes here: the parser reads those in linear time).
    let attributes: String = (0..10_000).map(|i| format!("v{i} = 1\n")).collect();
    assert_eq!(
        from_hcl(&attributes, None)
            .inputs
            .as_object()
            .unwrap()
            .len(),
        10_000
    );
}

#[test]
fn many_blocks_are_listed_up_to_twenty() {
    let blocks: String = (0..5_000)
        .map(|i| format!("module \"m{i}\" {{\n  source = \"./iam_metaflow\"\n}}\n"))
        .collect();
    let read = from_hcl(&blocks, None);
    let d = only(&read, "hcl_module_ambiguous");
    assert!(
        d.message
            .starts_with("5000 module blocks calling iam_metaflow: module \"m0\" (line 1), "),
        "{}",
        d.message
    );
    assert!(
        d.message
            .ends_with("module \"m19\" (line 58) and 4980 more"),
        "{}",
        d.message
    );
    let others: String = (0..30_000)
        .map(|i| format!("locals {{\n}}\n# {i}\n"))
        .collect();
    let text = format!("{blocks}{others}");
    assert!(text.len() <= iam_metaflow::MAX_INPUT_BYTES);
    let read = from_hcl(&text, None);
    assert_eq!(read.diagnostics.len(), 100);
    assert!(read.diagnostics[99]
        .message
        .starts_with("29,902 more diagnostics were left out (29,902 infos)"));
}

#[test]
fn a_text_over_the_input_budget_is_refused() {
    let text = "# x\n".repeat(iam_metaflow::MAX_INPUT_BYTES / 4 + 1);
    let read = from_hcl(&text, None);
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(read.diagnostics[0].code.as_str(), "input_too_large");
}
