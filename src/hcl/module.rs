//! `hcl.module`: the wrapper module's own files, implementing the seed exactly.

use std::sync::OnceLock;

use super::writer::{object_key, Writer};
use super::ModuleFiles;
use crate::inputs::{Options, Partition};
#[cfg(test)]
use crate::outputs::{Source, OUTPUTS};
use crate::roles::{aws_managed_policy_arn, RoleKey, RoleSpec, ROLE_SPECS};

/// The upstream module every role is made with.
pub(crate) const UPSTREAM_SOURCE: &str = "terraform-aws-modules/iam/aws//modules/iam-role";

/// The seed's Requirements table: (name, version constraint).
#[cfg(test)]
pub(crate) const REQUIREMENTS: [(&str, &str); 2] = [("terraform", ">= 1.13.0"), ("aws", ">= 6.0")];

/// The type of `custom_job_policy_statements`, verbatim from the seed's Inputs table, as it
/// sits in `variables.tf` (continuation lines indented for the variable's body).
#[cfg(test)]
pub(crate) const STATEMENTS_TYPE: &str = "map(object({
    sid           = optional(string)
    actions       = optional(list(string))
    not_actions   = optional(list(string))
    effect        = optional(string, \"Allow\")
    resources     = optional(list(string))
    not_resources = optional(list(string))
    principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })))
    not_principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })))
    condition = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })))
  }))";

/// One variable of the module, from the seed's Inputs table.
#[cfg(test)]
pub(crate) struct Variable {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: &'static str,
    /// The default as HCL; `None` for a required variable.
    pub default: Option<&'static str>,
}

/// The five variables in the seed's order (that of `inputs::VARIABLES`).
#[cfg(test)]
pub(crate) const VARIABLES: [Variable; 5] = [
    Variable {
        name: "name_prefix",
        description: "A prefix used for naming all IAM resources (e.g., 'metaflow-prod', 'metaflow-dev')",
        kind: "string",
        default: None,
    },
    Variable {
        name: "tags",
        description: "A map of tags to add to all IAM resources",
        kind: "map(string)",
        default: Some("{}"),
    },
    Variable {
        name: "enable_spot_fleet_role",
        description: "Whether to create a Spot Fleet role for Batch compute environments using Spot instances",
        kind: "bool",
        default: Some("false"),
    },
    Variable {
        name: "additional_job_policy_arns",
        description: "Additional managed policy ARNs to attach to the Batch job role beyond the default CloudWatch, S3, and ECR policies",
        kind: "list(string)",
        default: Some("[]"),
    },
    Variable {
        name: "custom_job_policy_statements",
        description: "Optional custom inline policy statements for the Batch job role. Use this for specific permissions not covered by managed policies.",
        kind: STATEMENTS_TYPE,
        default: Some("null"),
    },
];

/// Texts that depend on nothing, or on the partition only: made once, then copied.
/// `variables.tf`, `outputs.tf` and the README's terraform-docs section are kept as text in
/// `text/` instead (their generators below, which the wasm would carry, run in the tests only).
#[cfg(test)]
static VERSIONS_TF: OnceLock<String> = OnceLock::new();
static MAIN_TF: [OnceLock<String>; 3] = [const { OnceLock::new() }; 3];

/// The module's files; the README shows `module_call` and `integrations` as usage.
pub(crate) fn module_files(
    options: &Options,
    module_call: &str,
    integrations: &str,
) -> ModuleFiles {
    let partition = options.partition;
    let main = match partition {
        Partition::Aws => &MAIN_TF[0],
        Partition::AwsCn => &MAIN_TF[1],
        Partition::AwsUsGov => &MAIN_TF[2],
    };
    ModuleFiles {
        readme: readme(module_call, integrations),
        main_tf: main.get_or_init(|| main_tf(partition)),
        outputs_tf: include_str!("text/outputs.tf"),
        variables_tf: include_str!("text/variables.tf"),
        versions_tf: versions_tf(),
    }
}

/// The README's start: the seed's title, an overview and the usage heading.
pub(crate) const README_HEAD: [&str; 3] = [
    "# Terraform Module: iam_metaflow\n\n\
     ## Overview\n\n\
     IAM roles for Metaflow on AWS Batch: a role for Batch jobs, the Batch service role, the \
     EC2 instance role and its instance profile, and an optional Spot Fleet role. Each role \
     is a call of the upstream `",
    UPSTREAM_SOURCE,
    "` module with a deterministic name.\n\n## Usage\n\n",
];

/// The README's end: the terraform-docs section.
pub(crate) const README_TAIL: &str = include_str!("text/tf_docs.md");

/// The README: [`README_HEAD`], the usage (`module_call` and `integrations`), [`README_TAIL`].
fn readme(module_call: &str, integrations: &str) -> String {
    const INTEGRATION: &str = "\n## Integration with Other Modules\n\n";
    let fences = 2 * 2 * 8;
    let mut out = String::with_capacity(
        README_HEAD.iter().map(|part| part.len()).sum::<usize>()
            + module_call.len()
            + INTEGRATION.len()
            + integrations.len()
            + 1
            + README_TAIL.len()
            + fences,
    );
    for part in README_HEAD {
        out.push_str(part);
    }
    code_block(&mut out, module_call);
    out.push_str(INTEGRATION);
    code_block(&mut out, integrations);
    out.push('\n');
    out.push_str(README_TAIL);
    out
}

/// Appends a fenced `hcl` code block whose fence is longer than any run of backticks in
/// `text`, so that no user string can end it.
fn code_block(out: &mut String, text: &str) {
    let mut longest = 0;
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let tail = rest.get(start..).unwrap_or_default();
        let run = tail.len() - tail.trim_start_matches('`').len();
        longest = longest.max(run);
        rest = tail.get(run..).unwrap_or_default();
    }
    let fence = longest.max(2) + 1;
    let push_fence = |out: &mut String| (0..fence).for_each(|_| out.push('`'));
    push_fence(out);
    out.push_str("hcl\n");
    out.push_str(text);
    push_fence(out);
    out.push('\n');
}

fn main_tf(partition: Partition) -> String {
    let mut w = Writer::with_capacity(4096);
    for spec in &ROLE_SPECS {
        role_module(&mut w, spec, partition);
    }
    w.finish()
}

fn role_module(w: &mut Writer, spec: &RoleSpec, partition: Partition) {
    w.block("module", &[spec.module], |w| {
        w.str("source", UPSTREAM_SOURCE);
        w.str("version", spec.version);
        w.blank();
        if spec.key == RoleKey::SpotFleet {
            w.raw("create", "var.enable_spot_fleet_role");
        }
        w.raw_parts("name", &["\"${var.name_prefix}", spec.suffix, "\""]);
        w.raw("use_name_prefix", "false");
        if spec.key == RoleKey::BatchInstance {
            w.raw("create_instance_profile", "true");
        }
        w.blank();

        // The trust statement map of the role, as `trust_policy_permissions` takes it.
        w.object("trust_policy_permissions", |w| {
            w.object(&object_key(spec.trust_sid), |w| {
                w.inline("actions", &["sts:AssumeRole"]);
                let service = partition.service_principal(spec.service);
                w.objects("principals", &[service], |w, service| {
                    w.str("type", "Service");
                    w.inline("identifiers", &[service]);
                });
            });
        });
        w.blank();

        let managed = || {
            let arns = spec.managed.iter();
            arns.map(|(key, path)| (*key, aws_managed_policy_arn(partition, path)))
        };
        if spec.key == RoleKey::BatchJob {
            w.call("policies", "merge", |w| {
                w.arg_object(|w| {
                    for (key, arn) in managed() {
                        w.str(&object_key(key), &arn);
                    }
                });
                w.arg_raw("{ for arn in var.additional_job_policy_arns : arn => arn }");
            });
        } else if spec.managed.is_empty() {
            w.raw("policies", "{}");
        } else {
            w.object("policies", |w| {
                for (key, arn) in managed() {
                    w.str(&object_key(key), &arn);
                }
            });
        }
        w.blank();

        if spec.key == RoleKey::BatchJob {
            // A conditional, not `&&`: older Terraform evaluates both sides of `&&`, and
            // length(null) fails.
            w.raw(
                "create_inline_policy",
                "var.custom_job_policy_statements == null ? false : length(var.custom_job_policy_statements) > 0",
            );
            w.raw(
                "inline_policy_permissions",
                "var.custom_job_policy_statements",
            );
            w.blank();
        }
        w.raw("tags", "var.tags");
    });
}

#[cfg(test)]
fn variables_tf() -> String {
    let mut w = Writer::with_capacity(2048);
    for v in &VARIABLES {
        w.block("variable", &[v.name], |w| {
            w.str("description", v.description);
            w.raw("type", v.kind);
            if let Some(default) = v.default {
                w.raw("default", default);
                if default != "null" {
                    w.raw("nullable", "false");
                }
            }
        });
    }
    w.finish()
}

/// The upstream module and output attribute an output of ours reads.
#[cfg(test)]
fn output_source(key: RoleKey, source: Source) -> (&'static str, &'static str) {
    let module = ROLE_SPECS
        .iter()
        .find(|spec| spec.key == key)
        .map_or("", |spec| spec.module);
    let attribute = match source {
        Source::RoleArn => "arn",
        Source::RoleName => "name",
        Source::ProfileArn => "instance_profile_arn",
        Source::ProfileName => "instance_profile_name",
    };
    (module, attribute)
}

#[cfg(test)]
fn outputs_tf() -> String {
    let mut w = Writer::with_capacity(2048);
    for (name, key, source, description) in OUTPUTS {
        let (module, attribute) = output_source(key, source);
        w.block("output", &[name], |w| {
            w.str("description", description);
            w.raw_parts("value", &["try(module.", module, ".", attribute, ", null)"]);
        });
    }
    w.finish()
}

/// `versions.tf`: `terraform { required_version, required_providers }` with the seed's
/// Requirements; also the head of `hcl.resources`. Made once.
pub(crate) fn versions_tf() -> &'static str {
    include_str!("text/versions.tf")
}

/// The generator of `text/versions.tf`.
#[cfg(test)]
fn generated_versions_tf() -> &'static str {
    VERSIONS_TF.get_or_init(|| {
        let mut w = Writer::with_capacity(256);
        w.block("terraform", &[], |w| {
            for (name, version) in REQUIREMENTS {
                if name == "terraform" {
                    w.str("required_version", version);
                    w.blank();
                }
            }
            w.block("required_providers", &[], |w| {
                for (name, version) in REQUIREMENTS {
                    if name != "terraform" {
                        w.object(name, |w| {
                            w.str("source", &format!("hashicorp/{name}"));
                            w.str("version", version);
                        });
                    }
                }
            });
        });
        w.finish()
    })
}

/// Markdown escaping as terraform-docs does it in table cells.
#[cfg(test)]
fn md(text: &str) -> String {
    text.replace('_', "\\_").replace('|', "\\|")
}

/// `<a name="{kind}_{name}"></a> [{name}](#{kind}\_{name})`, as terraform-docs writes a name.
#[cfg(test)]
fn anchor(kind: &str, name: &str) -> String {
    format!(
        "<a name=\"{kind}_{name}\"></a> [{}](#{}\\_{})",
        md(name),
        kind,
        md(name)
    )
}

/// The `BEGIN_TF_DOCS` … `END_TF_DOCS` section, as terraform-docs writes it for the module.
#[cfg(test)]
pub(crate) fn tf_docs() -> String {
    let mut out = String::from("<!-- BEGIN_TF_DOCS -->\n## Requirements\n\n");
    out.push_str("| Name | Version |\n|------|---------|\n");
    for (name, version) in REQUIREMENTS {
        out.push_str(&format!(
            "| {} | {version} |\n",
            anchor("requirement", name)
        ));
    }
    out.push_str("\n## Providers\n\nNo providers.\n\n## Modules\n\n");
    out.push_str("| Name | Source | Version |\n|------|--------|---------|\n");
    let mut modules: Vec<&RoleSpec> = ROLE_SPECS.iter().collect();
    modules.sort_unstable_by_key(|spec| spec.module);
    for spec in modules {
        out.push_str(&format!(
            "| {} | {UPSTREAM_SOURCE} | {} |\n",
            anchor("module", spec.module),
            spec.version
        ));
    }
    out.push_str("\n## Resources\n\nNo resources.\n\n## Inputs\n\n");
    out.push_str("| Name | Description | Type | Default | Required |\n");
    out.push_str("|------|-------------|------|---------|:--------:|\n");
    let mut variables: Vec<&Variable> = VARIABLES.iter().collect();
    variables.sort_unstable_by_key(|v| v.name);
    for v in variables {
        let kind = if v.kind.contains('\n') {
            format!("<pre>{}</pre>", v.kind.replace('\n', "<br>"))
        } else {
            format!("`{}`", v.kind)
        };
        let default = v.default.map_or("n/a".to_owned(), |d| format!("`{d}`"));
        let required = if v.default.is_some() { "no" } else { "yes" };
        out.push_str(&format!(
            "| {} | {} | {kind} | {default} | {required} |\n",
            anchor("input", v.name),
            md(v.description)
        ));
    }
    out.push_str("\n## Outputs\n\n| Name | Description |\n|------|-------------|\n");
    for (name, _, _, description) in OUTPUTS {
        out.push_str(&format!(
            "| {} | {} |\n",
            anchor("output", name),
            md(description)
        ));
    }
    out.push_str("<!-- END_TF_DOCS -->\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_the_decoders_in_the_same_order() {
        let names: Vec<&str> = VARIABLES.iter().map(|v| v.name).collect();
        assert_eq!(names, crate::inputs::VARIABLES);
    }

    #[test]
    fn code_blocks_outlast_backticks() {
        let block = |text: &str| {
            let mut out = String::new();
            code_block(&mut out, text);
            out
        };
        assert_eq!(block("a\n"), "```hcl\na\n```\n");
        assert_eq!(block("x = \"````\"\n"), "`````hcl\nx = \"````\"\n`````\n");
    }

    #[test]
    fn kept_texts_equal_their_generators() {
        // Regenerate with the generators' output if a change of theirs makes this fail.
        assert_eq!(include_str!("text/variables.tf"), variables_tf());
        assert_eq!(include_str!("text/outputs.tf"), outputs_tf());
        assert_eq!(include_str!("text/tf_docs.md"), tf_docs());
        assert_eq!(versions_tf(), generated_versions_tf());
    }
}
