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

#[cfg(any(test, all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod alloc;
mod diagnostics;
mod hcl;
mod inputs;
#[cfg(any(target_arch = "wasm32", test))]
mod json_text;
mod kept;
mod lint;
mod mem;
mod outputs;
mod policy;
mod presets;
mod roles;
mod schema;
mod sort;
#[cfg(any(target_arch = "wasm32", test))]
mod tape;
mod validate;
#[cfg(target_arch = "wasm32")]
mod wasm;

/// The wasm build's allocator: smaller and faster than the default dlmalloc (`src/alloc.rs`).
/// Sound only without threads, hence not with the `atomics` target feature.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: alloc::wasm::Allocator = alloc::wasm::Allocator::new();

use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;

pub use diagnostics::{Code, Diagnostic, Path, Severity};
pub use hcl::Hcl;
pub use inputs::{ConditionInput, Inputs, Options, Partition, PrincipalInput, StatementInput};
pub use outputs::{Output, Outputs};
pub use policy::{render as render_policy, ConditionBlock, Policy, PrincipalBlock, Statement};
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

/// `items` in ascending byte order of `key`, items with equal keys in their original order.
/// Every sort by a string key goes through here and [`sort::order`], the crate's one sort.
pub(crate) fn sorted_by_str<'a, T: Copy>(items: &[T], key: impl Fn(&T) -> &'a str) -> Vec<T> {
    let keys: Vec<&str> = items.iter().map(key).collect();
    sort::order(keys.len(), &|a, b| keys.get(a) < keys.get(b))
        .into_iter()
        .filter_map(|i| items.get(i).copied())
        .collect()
}
