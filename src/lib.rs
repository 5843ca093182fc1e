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
mod lint;
mod number;
mod outputs;
mod policy;
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

pub use diagnostics::{Code, Diagnostic, Path, Severity};
#[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))]
pub use from_hcl::from_hcl;
pub use from_hcl::{FromHcl, HclOptions};
pub use hcl::Hcl;
pub use inputs::{
    ConditionInput, Inputs, Options, Partition, PrincipalInput, StatementInput, MAX_INPUT_SIZE,
    MAX_INPUT_VALUES,
};
pub use outputs::{Output, Outputs};
pub use policy::{
    render as render_policy, ConditionBlock, Everyone, OneOrMany, Policy, PolicyDocument,
    PolicyStatement, Principal, PrincipalBlock, Statement,
};
pub use roles::{Attachment, InlinePolicy, InstanceProfile, Role, RoleKey};
pub use schema::input_schema;

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
            Ok(Generated {
                roles,
                outputs,
                hcl,
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
    let (decoded, mut diagnostics) = inputs::decode(inputs, options);
    let evaluated = decoded.map(|(inputs, options)| {
        diagnostics.extend(validate::check_inputs(&inputs, &options));
        let roles = if build_roles {
            let roles = roles::build_roles(&inputs, &options);
            diagnostics.extend(validate::check_roles(&roles));
            roles
        } else {
            let inline = roles::inline_policy_document(&inputs);
            diagnostics.extend(validate::check_policy_sizes(inline.as_ref(), &[]));
            Vec::new()
        };
        diagnostics.extend(lint::check(&inputs, &options));
        (inputs, options, roles)
    });
    (evaluated, errors_first(diagnostics))
}

/// Errors, then warnings, then infos; within a severity, diagnostics keep the order of the
/// input (a stable three-way partition rather than a sort instance of its own).
fn errors_first(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.is_sorted_by_key(|d| d.severity) {
        return diagnostics;
    }
    let mut errors = Vec::with_capacity(diagnostics.len());
    let mut warnings = Vec::new();
    let mut infos = Vec::new();
    for d in diagnostics {
        match d.severity {
            Severity::Error => errors.push(d),
            Severity::Warning => warnings.push(d),
            Severity::Info => infos.push(d),
        }
    }
    errors.append(&mut warnings);
    errors.append(&mut infos);
    errors
}
