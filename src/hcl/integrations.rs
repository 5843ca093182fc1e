//! `hcl.integrations`: the seed's "Integration with Other Modules" as configuration.

use super::writer::{self, Expr, Item};
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
    let safe: String = name_prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-compute")
}

/// `s3_metaflow` and `ecr_unop` taking the job role, and a Batch compute environment taking
/// the service role, the instance profile and (when enabled) the Spot Fleet role.
pub(crate) fn integrations(inputs: &Inputs, options: &Options) -> String {
    let output = |name: &str| Expr::raw(format!("module.{}.{name}", options.module_name));
    let tags = || {
        (!inputs.tags.is_empty()).then(|| {
            Item::attr(
                "tags",
                Expr::string_map(inputs.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            )
        })
    };

    let mut blocks: Vec<Item> = PLACEHOLDERS
        .iter()
        .map(|(name, description)| {
            Item::block(
                "variable",
                &[name],
                vec![
                    Item::attr("description", Expr::str(*description)),
                    Item::attr("type", Expr::raw("list(string)")),
                ],
            )
        })
        .collect();

    let mut s3 = vec![
        Item::attr("source", Expr::str("./shared-modules/wrapped/s3_metaflow")),
        Item::Blank,
        Item::attr(
            "bucket_name",
            Expr::str(format!("{}-datastore", inputs.name_prefix)),
        ),
        Item::attr("job_role_arn", output("batch_job_role_arn")),
    ];
    let mut ecr = vec![
        Item::attr("source", Expr::str("./shared-modules/wrapped/ecr_unop")),
        Item::Blank,
        Item::attr("job_role_arn", output("batch_job_role_arn")),
    ];
    for body in [&mut s3, &mut ecr] {
        if let Some(tags) = tags() {
            body.push(Item::Blank);
            body.push(tags);
        }
    }
    blocks.push(Item::block("module", &["metaflow_s3"], s3));
    blocks.push(Item::block("module", &["metaflow_ecr"], ecr));

    let spot = inputs.enable_spot_fleet_role;
    let mut compute = vec![Item::attr(
        "type",
        Expr::str(if spot { "SPOT" } else { "EC2" }),
    )];
    if spot {
        compute.push(Item::attr(
            "allocation_strategy",
            Expr::str("SPOT_CAPACITY_OPTIMIZED"),
        ));
    }
    compute.push(Item::attr(
        "instance_role",
        output("batch_instance_profile_arn"),
    ));
    if spot {
        compute.push(Item::attr(
            "spot_iam_fleet_role",
            output("spot_fleet_role_arn"),
        ));
    }
    compute.extend([
        Item::attr("instance_type", Expr::Inline(vec![Expr::str("optimal")])),
        Item::attr("min_vcpus", Expr::raw("0")),
        Item::attr("max_vcpus", Expr::raw("16")),
        Item::attr("subnets", Expr::raw("var.subnet_ids")),
        Item::attr("security_group_ids", Expr::raw("var.security_group_ids")),
    ]);
    let mut environment = vec![
        Item::attr("name", Expr::str(batch_name(&inputs.name_prefix))),
        Item::attr("type", Expr::str("MANAGED")),
        Item::attr("service_role", output("batch_service_role_arn")),
        Item::Blank,
        Item::block("compute_resources", &[], compute),
    ];
    if let Some(tags) = tags() {
        environment.push(Item::Blank);
        environment.push(tags);
    }
    blocks.push(Item::block(
        "resource",
        &["aws_batch_compute_environment", "metaflow"],
        environment,
    ));
    writer::blocks(blocks)
}
