//! `hcl.integrations`: the seed's "Integration with Other Modules" as configuration.

use super::writer::Writer;
use crate::inputs::{Inputs, Options};

/// Placeholders the snippet needs from the caller, declared so that it stands on its own.
const PLACEHOLDERS: [(&str, &str); 2] = [
    (
        "subnet_ids",
        "Subnets of the instances of the Batch compute environment",
    ),
    (
        "security_group_ids",
        "Security groups of the instances of the Batch compute environment",
    ),
];

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
    let mut w = Writer::with_capacity(2048);
    let output = |w: &mut Writer, key: &str, name: &str| {
        w.raw_parts(key, &["module.", &options.module_name, ".", name]);
    };
    let tags = |w: &mut Writer| {
        if !inputs.tags.is_empty() {
            w.blank();
            w.attribute_text(tags);
        }
    };

    for (name, description) in PLACEHOLDERS {
        w.block("variable", &[name], |w| {
            w.str("description", description);
            w.raw("type", "list(string)");
        });
    }

    w.block("module", &["metaflow_s3"], |w| {
        w.str("source", "./shared-modules/wrapped/s3_metaflow");
        w.blank();
        w.str("bucket_name", &[&inputs.name_prefix, "-datastore"].concat());
        output(w, "job_role_arn", "batch_job_role_arn");
        tags(w);
    });
    w.block("module", &["metaflow_ecr"], |w| {
        w.str("source", "./shared-modules/wrapped/ecr_unop");
        w.blank();
        output(w, "job_role_arn", "batch_job_role_arn");
        tags(w);
    });

    let spot = inputs.enable_spot_fleet_role;
    w.block(
        "resource",
        &["aws_batch_compute_environment", "metaflow"],
        |w| {
            w.str("name", &batch_name(&inputs.name_prefix));
            w.str("type", "MANAGED");
            output(w, "service_role", "batch_service_role_arn");
            w.blank();
            w.block("compute_resources", &[], |w| {
                w.str("type", if spot { "SPOT" } else { "EC2" });
                if spot {
                    w.str("allocation_strategy", "SPOT_CAPACITY_OPTIMIZED");
                }
                output(w, "instance_role", "batch_instance_profile_arn");
                if spot {
                    output(w, "spot_iam_fleet_role", "spot_fleet_role_arn");
                }
                w.inline("instance_type", &["optimal"]);
                w.raw("min_vcpus", "0");
                w.raw("max_vcpus", "16");
                w.raw("subnets", "var.subnet_ids");
                w.raw("security_group_ids", "var.security_group_ids");
            });
            tags(w);
        },
    );
    w.finish()
}
