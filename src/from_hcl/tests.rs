//! Reading back what the crate's own HCL writer writes, for any string (the writer's one
//! escaping function, src/hcl/writer.rs), and the reader's small helpers.

use proptest::prelude::*;
use serde_json::json;

use super::reader::*;
use crate::hcl::{object_key, quote};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any string and any key the writer quotes read back as themselves: quotes, backslashes,
    /// `${`, `%{`, control characters, any Unicode.
    #[test]
    fn any_string_the_writer_quotes_reads_back(value in any::<String>(), key in any::<String>()) {
        let text = format!("tags = {{\n  {} = {}\n}}\n", object_key(&key), quote(&value));
        let read = from_hcl(&text, None);
        prop_assert!(read.diagnostics.is_empty(), "{:?}\n{}", read.diagnostics, text);
        prop_assert_eq!(read.inputs, json!({ "tags": { key: value } }));
    }

    /// Never panics, whatever the text.
    #[test]
    fn never_panics(text in "(\\PC|[\"${}%=\\[\\]#<>\\-.\n ]){0,80}", module in proptest::option::of("[a-z]{0,3}")) {
        let _ = from_hcl(&text, module.as_deref());
    }
}

#[test]
fn locations_count_characters_from_one() {
    let reader = Reader {
        text: "ab\né漢x\n",
        tfvars: true,
        diagnostics: Default::default(),
    };
    assert_eq!(reader.location(0), (1, 1));
    assert_eq!(reader.location(3), (2, 1));
    // After é (2 bytes) and 漢 (3 bytes): the third character.
    assert_eq!(reader.location(8), (2, 3));
    assert_eq!(reader.location(100), (3, 1));
}

#[test]
fn sources_that_name_this_module() {
    let block = |source: &str| {
        let text = format!("module \"m\" {{\n  source = \"{source}\"\n}}\n");
        let body = hcl_edit::parser::parse_body(&text).unwrap();
        let block = body.blocks().next().unwrap().clone();
        calls_this_module(&block)
    };
    assert!(block("./shared-modules/wrapped/iam_metaflow"));
    assert!(block(
        "git::https://example.com/org/iam-metaflow.git?ref=v1.2.0"
    ));
    assert!(block("../modules/IAM_METAFLOW/"));
    assert!(!block("./shared-modules/wrapped/s3_metaflow"));
    assert!(!block("terraform-aws-modules/iam/aws"));
}
