//! Reading HCL: a `terraform.tfvars`, or the `module` block of a `.tf` that calls this module,
//! into the inputs (as the equivalent `terraform.tfvars.json` holds them) and the options.
//!
//! Parsing is hcl-edit's (the parser of hcl-rs), because it keeps every expression's byte span:
//! each diagnostic carries the line and column it is about. Values are read from that tree as
//! Terraform reads them (each rule below measured with `terraform apply -var-file`, fixtures
//! in tests/fixtures/from_hcl):
//! - literals, arrays and objects are read here, so that a problem inside one is reported at
//!   its own element and the rest still loads; number literals keep their exact value
//!   ([`number`]);
//! - strings and heredocs come unescaped and, for `<<-`, unindented from the parser;
//! - any other expression (a template with interpolations, an operator, a conditional, a `for`)
//!   is evaluated by hcl-rs's evaluator with no variables and no functions, as Terraform
//!   evaluates a `.tfvars`, once a walk over it has found no reference and no function call.
//!   Those would need Terraform: each is an `hcl_not_static` error at its place, in Terraform's
//!   words for a `.tfvars` ("Variables not allowed"), and the value is left out.
//!
//! A text that starts with `{` is a `terraform.tfvars.json`, read as HCL's JSON syntax
//! (`json.rs`): its numbers keep their digits and a key written twice is Terraform's error.
//!
//! Which kind of file: a text with a `module` block, or with blocks and no attributes, is read as
//! a `.tf`; anything else as a `.tfvars`. In a `.tf` the module block read is the one named by
//! the `module` argument, or else the one block whose `source` names `iam_metaflow` (or
//! `iam-metaflow`); failing that, the one block whose arguments include `name_prefix` and are
//! all this module's variables or meta-arguments. Other blocks are ignored with an info.
//!
//! The reader (`reader.rs`, `number.rs`) is compiled natively and into the HCL reader's wasm
//! (feature `hcl-wasm`), not into the package's wasm, which only declares the result's types.

#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
mod json;
#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
mod number;
#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
mod reader;
#[cfg(test)]
mod tests;

#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
pub use reader::from_hcl;

use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;

use crate::diagnostics::Diagnostic;

/// What [`from_hcl`] read.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct FromHcl {
    /// The module's variables as a `terraform.tfvars.json` would hold them, to pass to
    /// `generate`. Values that could not be read are left out (see `diagnostics`).
    #[tsify(type = "Record<string, unknown>")]
    pub inputs: Value,
    /// The options the module block gives: its name and its `source`.
    pub options: HclOptions,
    /// The problems found, each with its line and column: errors first, then warnings, then
    /// infos, each in the order of the text; at most [`crate::MAX_DIAGNOSTICS`], as for any call.
    pub diagnostics: Vec<Diagnostic>,
}

impl FromHcl {
    /// What a text of `length` characters over `limit` reads to: nothing, and an
    /// `input_too_large` error.
    pub fn too_large(length: usize, limit: usize) -> FromHcl {
        let diagnostic = Diagnostic::new(
            crate::Code::InputTooLarge,
            &crate::Path::root(),
            format!("the text is {length} characters; this reader reads at most {limit}"),
        )
        .with_help("give the module block or the .tfvars alone, in a file of its own");
        FromHcl {
            inputs: Value::Object(serde_json::Map::new()),
            options: HclOptions::default(),
            diagnostics: vec![diagnostic],
        }
    }
}

/// The options a `module` block gives; both absent for a `.tfvars`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct HclOptions {
    /// The block's label: `module "metaflow_iam"` gives `metaflow_iam`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub module_name: Option<String>,
    /// The block's `source`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub module_source: Option<String>,
}
