//! # iam-metaflow
//!
//! Evaluates the `iam_metaflow` Terraform module: given the module's inputs (a
//! `terraform.tfvars.json` as it is) it returns every role Terraform would create, their
//! policies as Terraform's `aws_iam_policy_document` renders them byte for byte, the HCL to
//! write, the module's output map and diagnostics for everything IAM or Terraform would reject.
//!
//! ```
//! let inputs = serde_json::json!({
//!     "name_prefix": "metaflow-prod",
//!     "tags": { "Environment": "production" }
//! });
//! let generated = iam_metaflow::generate(&inputs, None).unwrap();
//! assert_eq!(generated.roles[0].name, "metaflow-prod-batch-job-role");
//! assert_eq!(
//!     generated.roles[0].assume_role_policy.minified_json,
//!     r#"{"Version":"2012-10-17","Statement":[{"Sid":"ECSTasksAssumeRole","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}"#
//! );
//!
//! let bad = serde_json::json!({ "name_prefix": "metaflow prod", "tag": {} });
//! let error = iam_metaflow::generate(&bad, None).unwrap_err();
//! assert_eq!(error.diagnostics[0].code.as_str(), "unknown_key");
//! assert_eq!(error.diagnostics[0].help.as_deref(), Some("did you mean \"tags\"? Terraform rejects an argument the module does not declare"));
//! ```
#![deny(missing_docs)]
// The HCL reader's wasm (feature `hcl-wasm`) exports only `fromHcl`: the engine's bindings and
// the helpers only they use are left out of it, unused.
#![cfg_attr(all(target_arch = "wasm32", feature = "hcl-wasm"), allow(dead_code))]

mod diagnostics;
mod from_hcl;
mod hcl;
mod inputs;
mod layout;
mod lint;
mod number;
mod outputs;
mod policy;
mod presets;
mod roles;
mod schema;
mod validate;
/// The bindings of the package's wasm; built with the feature `hcl-wasm`, those of the second
/// wasm, which reads HCL and loads on first use (src/wasm_hcl.rs, docs/architecture.md).
#[cfg(all(target_arch = "wasm32", not(feature = "hcl-wasm")))]
mod wasm;
#[cfg(all(target_arch = "wasm32", feature = "hcl-wasm"))]
#[path = "wasm_hcl.rs"]
mod wasm;

use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;

use diagnostics::Diagnostics;
pub use diagnostics::{Code, Diagnostic, Path, Severity, MAX_DIAGNOSTICS};
#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
pub use from_hcl::from_hcl;
pub use from_hcl::{FromHcl, HclOptions};
pub use hcl::Hcl;
pub use inputs::{
    check_input_size, ConditionInput, Inputs, Options, Partition, PrincipalInput, StatementInput,
    MAX_INPUT_BYTES, MAX_INPUT_JSON_BYTES, MAX_INPUT_VALUES,
};
pub use layout::OutputFile;
pub use outputs::{Output, Outputs};
pub use policy::{
    render as render_policy, ConditionBlock, Everyone, OneOrMany, Policy, PolicyDocument,
    PolicyStatement, Principal, PrincipalBlock, Statement,
};
pub use presets::{presets, Preset};
pub use roles::{Attachment, InlinePolicy, InstanceProfile, Role, RoleKey};
pub use schema::input_schema;
pub use validate::{CONDITION_OPERATORS, SET_QUALIFIERS};

/// The package version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything the module creates, the HCL to write, the outputs and the non-error diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
#[tsify(hashmap_as_object)]
pub struct Generated {
    /// The roles, in the order batch_job, batch_service, batch_instance, spot_fleet.
    pub roles: Vec<Role>,
    /// The module's ten outputs, by name.
    pub outputs: Outputs,
    /// The HCL texts.
    pub hcl: Hcl,
    /// The files to write and which string of this result each holds: the layout the CLI
    /// writes and the page zips (`src/layout.rs`).
    pub files: Vec<OutputFile>,
    /// Warnings and infos (errors make [`generate`] fail instead).
    pub diagnostics: Vec<Diagnostic>,
}

/// The error of [`generate`]: the inputs have at least one error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Every diagnostic, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.diagnostics.iter().find(|d| d.is_error()) {
            Some(first) => write!(f, "{first}"),
            None => write!(f, "invalid inputs"),
        }
    }
}

impl std::error::Error for Error {}

/// Evaluates the module for `inputs` (the module's variables as JSON) and `options`.
///
/// Fails with every diagnostic when any of them is an error.
pub fn generate(inputs: &Value, options: Option<&Value>) -> Result<Generated, Error> {
    let (evaluated, diagnostics) = evaluate(inputs, options, true);
    match evaluated {
        Some((inputs, options, roles)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            let outputs = outputs::build_outputs(&roles);
            let hcl = hcl::generate(&inputs, &options, &roles);
            let files = layout::files(&options, &roles);
            Ok(Generated {
                roles,
                outputs,
                hcl,
                files,
                diagnostics,
            })
        }
        _ => Err(Error { diagnostics }),
    }
}

/// Every diagnostic for `inputs` and `options`, errors first; never fails.
pub fn validate(inputs: &Value, options: Option<&Value>) -> Vec<Diagnostic> {
    evaluate(inputs, options, false).1
}

type Evaluated = (Inputs, Options, Vec<Role>);

/// inputs -> validate -> roles -> size checks and lint; diagnostics sorted errors first.
///
/// Without `build_roles` (for [`validate`]) the roles are left empty: their policies' sizes
/// are checked without building them, with the same diagnostics.
fn evaluate(
    inputs: &Value,
    options: Option<&Value>,
    build_roles: bool,
) -> (Option<Evaluated>, Vec<Diagnostic>) {
    if let Some(too_large) = check_input_size(inputs, options) {
        return (None, vec![too_large]);
    }
    let mut diagnostics = Diagnostics::default();
    let decoded = inputs::decode(inputs, options, &mut diagnostics);
    let evaluated = decoded.map(|(inputs, options)| {
        validate::check_inputs(&inputs, &options, &mut diagnostics);
        layout::check_module_source(&options, &mut diagnostics);
        let roles = if build_roles {
            let roles = roles::build_roles(&inputs, &options);
            validate::check_roles(&roles, &mut diagnostics);
            roles
        } else {
            let inline = roles::inline_policy_document(&inputs);
            validate::check_policy_sizes(inline.as_ref(), &[], &mut diagnostics);
            Vec::new()
        };
        lint::check(&inputs, &options, &mut diagnostics);
        (inputs, options, roles)
    });
    (evaluated, diagnostics.finish())
}
