//! The HCL texts: a small writer and one file per emitted text.
//!
//! - [`writer`]: a streaming writer (blocks, attributes, the values the texts use), the one
//!   escaping function and `terraform fmt`'s layout;
//! - `module_call`: the caller's block (SPEC §5 layout, equal to the seed's examples);
//! - `module`: the wrapper module's `main.tf`, `variables.tf`, `outputs.tf`, `versions.tf` and
//!   `README.md` (its terraform-docs section equal to the seed's);
//! - `resources`: the role set as plain `hashicorp/aws` resources, policies as the engine's
//!   `minified_json` string;
//! - `integrations`: `s3_metaflow`, `ecr_unop` and a Batch compute environment.
//!
//! Every `.tf` text is a fixed point of `terraform fmt` and reads back, with an independent
//! parser, as the inputs it came from (tests in `tests.rs` and `tests/hcl.rs`).

use serde::Serialize;
use tsify::Tsify;

use crate::inputs::{Inputs, Options};
use crate::roles::Role;
use writer::Writer;

mod integrations;
mod module;
mod module_call;
mod resources;
mod writer;

#[cfg(test)]
pub(crate) use writer::object_key;
pub(crate) use writer::{escaped, quote};

#[cfg(test)]
mod tests;

/// The HCL texts to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(hashmap_as_object)]
pub struct Hcl {
    /// The caller's `module` block.
    pub module_call: String,
    /// The wrapper module's files, by file name.
    pub module: ModuleFiles,
    /// The same infrastructure as plain `hashicorp/aws` resources and the ten outputs.
    pub resources: String,
    /// The seed's "Integration with Other Modules".
    pub integrations: String,
}

/// The wrapper module's files, keyed by file name in JSON (in name order, as a map of them
/// would be). All but the README depend on nothing but the partition: they are made once per
/// partition and borrowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct ModuleFiles {
    /// `README.md`: the usage (the module call and integrations) and the terraform-docs
    /// section.
    #[serde(rename = "README.md")]
    pub readme: String,
    /// `main.tf`: one upstream `iam-role` module call per role.
    #[serde(rename = "main.tf")]
    pub main_tf: &'static str,
    /// `outputs.tf`.
    #[serde(rename = "outputs.tf")]
    pub outputs_tf: &'static str,
    /// `variables.tf`.
    #[serde(rename = "variables.tf")]
    pub variables_tf: &'static str,
    /// `versions.tf`.
    #[serde(rename = "versions.tf")]
    pub versions_tf: &'static str,
}

impl ModuleFiles {
    /// The file names, in name order (the keys of `module` in JSON).
    pub const NAMES: [&'static str; 5] = [
        "README.md",
        "main.tf",
        "outputs.tf",
        "variables.tf",
        "versions.tf",
    ];

    /// The files as (file name, text), in name order.
    pub fn files(&self) -> [(&'static str, &str); 5] {
        [
            ("README.md", &self.readme),
            ("main.tf", self.main_tf),
            ("outputs.tf", self.outputs_tf),
            ("variables.tf", self.variables_tf),
            ("versions.tf", self.versions_tf),
        ]
    }
}

/// All HCL texts for validated inputs and their role set. Never fails: every user string is
/// escaped, so even inputs that validation would reject give texts that read back unchanged.
pub fn generate(inputs: &Inputs, options: &Options, roles: &[Role]) -> Hcl {
    // The tags attribute is the same in four places of three texts: written once.
    let tags = tags_attribute(inputs);
    let module_call = module_call::module_call(inputs, options, &tags);
    let integrations = integrations::integrations(inputs, options, &tags);
    Hcl {
        module: module::module_files(options, &module_call, &integrations),
        resources: resources::resources(options, roles, &tags),
        module_call,
        integrations,
    }
}

/// `tags = { ... }` (`tags = {}` when empty) as an attribute of a top-level block, for
/// [`Writer::verbatim`].
fn tags_attribute(inputs: &Inputs) -> String {
    let mut w = Writer::nested(1, 256);
    let tags = inputs.tags.iter();
    w.string_map("tags", tags.map(|(k, v)| (k.as_str(), v.as_str())));
    w.finish()
}
