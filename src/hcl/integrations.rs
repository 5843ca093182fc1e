//! `hcl.integrations`: the seed's "Integration with Other Modules" as configuration.
//!
//! The text's keys never change, and so neither does its alignment: it is written as its own
//! lines ([`Writer::verbatim`]) around the few values (the name prefix, the module name, the
//! tags), which is a fraction of the work of one attribute at a time. The tests hold the
//! layout to `terraform fmt` for every case (tags or none, Spot or not).

use super::writer::Writer;
use crate::inputs::{Inputs, Options};

/// Placeholders the snippet needs from the caller, declared so that it stands on its own.
const PLACEHOLDERS: &str = r#"variable "subnet_ids" {
  description = "Subnets of the instances of the Batch compute environment"
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the instances of the Batch compute environment"
  type        = list(string)
}
"#;

/// AWS Batch allows only `[A-Za-z0-9_-]` in a compute environment's name.
fn batch_name(name_prefix: &str) -> String {
    let mut name = String::with_capacity(name_prefix.len() + 8);
    for c in name_prefix.chars() {
        let safe = c.is_ascii_alphanumeric() || c == '_' || c == '-';
        name.push(if safe { c } else { '-' });
    }
    name.push_str("-compute");
    name
}

/// `s3_metaflow` and `ecr_unop` taking the job role, and a Batch compute environment taking
/// the service role, the instance profile and (when enabled) the Spot Fleet role. `tags` is the
/// tags attribute ([`super::tags_attribute`]).
pub(crate) fn integrations(inputs: &Inputs, options: &Options, tags: &str) -> String {
    let module = options.module_name.as_str();
    let mut w = Writer::with_capacity(1536 + 3 * tags.len());
    // `module.{module}.{output}`, the rest of the line, and the next lines up to a value.
    let output = |w: &mut Writer, output: &str, then: &str| {
        w.verbatim(&["module.", module, ".", output, then]);
    };
    // The block's tags after a blank line, if any, and the end of the block.
    let tags_and_end = |w: &mut Writer| {
        if !inputs.tags.is_empty() {
            w.verbatim(&["\n", tags]);
        }
        w.verbatim(&["}\n"]);
    };

    w.verbatim(&[PLACEHOLDERS]);

    w.verbatim(&["\nmodule \"metaflow_s3\" {\n  \
         source = \"./shared-modules/wrapped/s3_metaflow\"\n\n  \
         bucket_name  = \""]);
    w.value_then(&inputs.name_prefix, "-datastore\"\n  job_role_arn = ");
    output(&mut w, "batch_job_role_arn", "\n");
    tags_and_end(&mut w);

    w.verbatim(&["\nmodule \"metaflow_ecr\" {\n  \
         source = \"./shared-modules/wrapped/ecr_unop\"\n\n  \
         job_role_arn = "]);
    output(&mut w, "batch_job_role_arn", "\n");
    tags_and_end(&mut w);

    w.verbatim(&[
        "\nresource \"aws_batch_compute_environment\" \"metaflow\" {\n  \
         name         = \"",
    ]);
    w.value_then(
        &batch_name(&inputs.name_prefix),
        "\"\n  type         = \"MANAGED\"\n  service_role = ",
    );
    output(
        &mut w,
        "batch_service_role_arn",
        "\n\n  compute_resources {\n",
    );
    // The widest key, and so the alignment, depends on the Spot Fleet role.
    if inputs.enable_spot_fleet_role {
        w.verbatim(&["    type                = \"SPOT\"\n    \
             allocation_strategy = \"SPOT_CAPACITY_OPTIMIZED\"\n    \
             instance_role       = "]);
        output(
            &mut w,
            "batch_instance_profile_arn",
            "\n    spot_iam_fleet_role = ",
        );
        output(
            &mut w,
            "spot_fleet_role_arn",
            "\n    instance_type       = [\"optimal\"]\n    \
             min_vcpus           = 0\n    \
             max_vcpus           = 16\n    \
             subnets             = var.subnet_ids\n    \
             security_group_ids  = var.security_group_ids\n",
        );
    } else {
        w.verbatim(&["    type               = \"EC2\"\n    \
             instance_role      = "]);
        output(
            &mut w,
            "batch_instance_profile_arn",
            "\n    instance_type      = [\"optimal\"]\n    \
             min_vcpus          = 0\n    \
             max_vcpus          = 16\n    \
             subnets            = var.subnet_ids\n    \
             security_group_ids = var.security_group_ids\n",
        );
    }
    w.verbatim(&["  }\n"]);
    tags_and_end(&mut w);
    w.finish()
}
