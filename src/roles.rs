//! The module's logic: inputs -> the role set Terraform would create.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use tsify::Tsify;

use crate::inputs::{Inputs, Options, Partition, StatementInput};
use crate::policy::{self, ConditionBlock, Policy, PrincipalBlock, Statement};

/// Which of the module's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum RoleKey {
    /// The role Metaflow's Batch jobs run as (`{prefix}-batch-job-role`).
    BatchJob,
    /// The role AWS Batch itself uses (`{prefix}-batch-service-role`).
    BatchService,
    /// The role of the EC2 instances of the compute environment (`{prefix}-batch-instance-role`).
    BatchInstance,
    /// The Spot Fleet role (`{prefix}-spot-fleet-role`), only with `enable_spot_fleet_role`.
    SpotFleet,
}

impl RoleKey {
    /// Every role, in the order of the result.
    pub const ALL: [RoleKey; 4] = [
        RoleKey::BatchJob,
        RoleKey::BatchService,
        RoleKey::BatchInstance,
        RoleKey::SpotFleet,
    ];

    /// The key as it appears in JSON: `batch_job`, `batch_service`, `batch_instance`,
    /// `spot_fleet`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKey::BatchJob => "batch_job",
            RoleKey::BatchService => "batch_service",
            RoleKey::BatchInstance => "batch_instance",
            RoleKey::SpotFleet => "spot_fleet",
        }
    }
}

/// What each role is: its upstream module call, name suffix, trusted service and defaults.
pub(crate) struct RoleSpec {
    pub key: RoleKey,
    /// Label of the upstream `iam-role` module call in the wrapper module.
    pub module: &'static str,
    /// Appended to `name_prefix`.
    pub suffix: &'static str,
    /// Service name, before the partition's service-principal domain.
    pub service: &'static str,
    /// The trust statement's Sid (its map key in `trust_policy_permissions`).
    pub trust_sid: &'static str,
    /// AWS managed policies, as (map key, path and name after `policy/`).
    pub managed: &'static [(&'static str, &'static str)],
    /// Version constraint of the upstream module (the seed's Modules table).
    pub version: &'static str,
}

/// The four roles, in the order of the result.
pub(crate) const ROLE_SPECS: [RoleSpec; 4] = [
    RoleSpec {
        key: RoleKey::BatchJob,
        module: "batch_job_role",
        suffix: "-batch-job-role",
        service: "ecs-tasks",
        trust_sid: "ECSTasksAssumeRole",
        managed: &[
            ("CloudWatchLogsFullAccess", "CloudWatchLogsFullAccess"),
            ("AmazonS3FullAccess", "AmazonS3FullAccess"),
            (
                "AmazonEC2ContainerRegistryReadOnly",
                "AmazonEC2ContainerRegistryReadOnly",
            ),
        ],
        version: "~> 6.1",
    },
    RoleSpec {
        key: RoleKey::BatchService,
        module: "batch_service_role",
        suffix: "-batch-service-role",
        service: "batch",
        trust_sid: "BatchAssumeRole",
        managed: &[("AWSBatchServiceRole", "service-role/AWSBatchServiceRole")],
        version: "~> 6.1",
    },
    RoleSpec {
        key: RoleKey::BatchInstance,
        module: "batch_instance_role",
        suffix: "-batch-instance-role",
        service: "ec2",
        trust_sid: "EC2AssumeRole",
        managed: &[(
            "AmazonEC2ContainerServiceforEC2Role",
            "service-role/AmazonEC2ContainerServiceforEC2Role",
        )],
        version: "~> 6.1",
    },
    RoleSpec {
        key: RoleKey::SpotFleet,
        module: "spot_fleet_role",
        suffix: "-spot-fleet-role",
        service: "spotfleet",
        trust_sid: "SpotFleetAssumeRole",
        managed: &[(
            "AmazonEC2SpotFleetTaggingRole",
            "service-role/AmazonEC2SpotFleetTaggingRole",
        )],
        version: "6.2.0",
    },
];

/// The longest `{prefix}{suffix}`: the suffix that limits `name_prefix` most.
pub(crate) const LONGEST_SUFFIX: &str = "-batch-instance-role";

/// One IAM role the module creates, with everything attached to it.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
pub struct Role {
    /// Which role.
    pub key: RoleKey,
    /// The role's name.
    pub name: String,
    /// The role's path (always `/`).
    pub path: String,
    /// The predicted ARN; null without `account_id`.
    pub arn: Option<String>,
    /// The `aws_iam_role` resource address as `terraform plan` prints it.
    pub address: String,
    /// The trust policy.
    pub assume_role_policy: Policy,
    /// Managed policies, in attachment order.
    pub managed_policy_arns: Vec<Attachment>,
    /// The inline policy (only the job role, only with statements).
    pub inline_policy: Option<InlinePolicy>,
    /// The role's tags.
    pub tags: BTreeMap<String, String>,
    /// The instance profile (only `batch_instance`).
    pub instance_profile: Option<InstanceProfile>,
}

/// A managed policy attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Attachment {
    /// Its key in the upstream module's `policies` map.
    pub key: String,
    /// The policy ARN.
    pub arn: String,
    /// The `aws_iam_role_policy_attachment` address.
    pub address: String,
}

/// The job role's inline policy.
#[derive(Debug, Clone, PartialEq, Serialize, Tsify)]
pub struct InlinePolicy {
    /// The policy name (the role's name).
    pub name: String,
    /// The `aws_iam_role_policy` address.
    pub address: String,
    /// The document.
    #[serde(flatten)]
    pub policy: Policy,
}

/// The instance profile of `batch_instance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct InstanceProfile {
    /// Its name (the role's name).
    pub name: String,
    /// The predicted ARN; null without `account_id`.
    pub arn: Option<String>,
    /// The `aws_iam_instance_profile` address.
    pub address: String,
}

/// `arn:{partition}:iam::aws:policy/{path_and_name}`.
pub(crate) fn aws_managed_policy_arn(partition: Partition, path_and_name: &str) -> String {
    concat(&[
        "arn:",
        partition.as_str(),
        ":iam::aws:policy/",
        path_and_name,
    ])
}

/// `parts` joined, in one allocation of the exact size. Ours rather than `[..].concat()`:
/// at `opt-level = "z"` std's generic copy loop costs several calls per part.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut len = 0;
    for part in parts {
        len += part.len();
    }
    let mut out = String::with_capacity(len);
    for part in parts {
        out.push_str(part);
    }
    out
}

/// What a role has that depends on the partition alone: its trust policy and its default
/// managed policies.
pub(crate) struct PartitionParts {
    pub trust: Policy,
    /// The trust policy's `minified_json` escaped for an HCL string (the resources text).
    pub trust_hcl: String,
    pub managed: Vec<DefaultPolicy>,
}

/// A default managed policy of a role.
pub(crate) struct DefaultPolicy {
    /// Its key in the upstream module's `policies` map.
    pub key: &'static str,
    /// The key as an address quotes it.
    pub address_key: String,
    /// Its ARN.
    pub arn: String,
}

/// The partition-only parts of every role of `ROLE_SPECS`, in its order. They are made on the
/// first call for a partition and kept: they depend on nothing but the partition and the
/// constants of this file, so every later call would make the same bytes again.
pub(crate) fn partition_parts(partition: Partition) -> &'static [PartitionParts; 4] {
    static AWS: OnceLock<[PartitionParts; 4]> = OnceLock::new();
    static AWS_CN: OnceLock<[PartitionParts; 4]> = OnceLock::new();
    static AWS_US_GOV: OnceLock<[PartitionParts; 4]> = OnceLock::new();
    let cell = match partition {
        Partition::Aws => &AWS,
        Partition::AwsCn => &AWS_CN,
        Partition::AwsUsGov => &AWS_US_GOV,
    };
    cell.get_or_init(|| {
        ROLE_SPECS
            .each_ref()
            .map(|spec| make_partition_parts(spec, partition))
    })
}

fn make_partition_parts(spec: &RoleSpec, partition: Partition) -> PartitionParts {
    let trust = Statement {
        sid: Some(spec.trust_sid.to_owned()),
        effect: "Allow".to_owned(),
        actions: vec!["sts:AssumeRole".to_owned()],
        principals: vec![PrincipalBlock {
            kind: "Service".to_owned(),
            identifiers: vec![partition.service_principal(spec.service)],
        }],
        ..Statement::default()
    };
    let trust = policy::render(&[trust]);
    PartitionParts {
        trust_hcl: crate::hcl::escaped(&trust.minified_json),
        trust,
        managed: spec
            .managed
            .iter()
            .map(|(key, path)| DefaultPolicy {
                key,
                address_key: address_key(key),
                arn: aws_managed_policy_arn(partition, path),
            })
            .collect(),
    }
}

/// Builds the role set. Expects inputs that passed validation, but never panics on others.
pub fn build_roles(inputs: &Inputs, options: &Options) -> Vec<Role> {
    let parts = partition_parts(options.partition);
    ROLE_SPECS
        .iter()
        .zip(parts)
        .filter(|(spec, _)| spec.key != RoleKey::SpotFleet || inputs.enable_spot_fleet_role)
        .map(|(spec, parts)| build_role(spec, parts, inputs, options))
        .collect()
}

/// The job role's inline policy document, when it has one (a non-empty statement map).
pub(crate) fn inline_policy_document(inputs: &Inputs) -> Option<Policy> {
    match &inputs.custom_job_policy_statements {
        Some(statements) if !statements.is_empty() => {
            Some(policy::render(&inline_statements(statements)))
        }
        _ => None,
    }
}

fn build_role(
    spec: &RoleSpec,
    parts: &'static PartitionParts,
    inputs: &Inputs,
    options: &Options,
) -> Role {
    let partition = options.partition.as_str();
    let name = concat(&[&inputs.name_prefix, spec.suffix]);
    // Every address of the role is `module.{module}.module.{spec.module}.{resource}[{index}]`:
    // the start is made once.
    let module_path = concat(&[
        "module.",
        &options.module_name,
        ".module.",
        spec.module,
        ".",
    ]);
    let address = |resource_and_index: &str| concat(&[&module_path, resource_and_index]);
    let iam_arn = |kind: &str| {
        options
            .account_id
            .as_ref()
            .map(|account| concat(&["arn:", partition, ":iam::", account, ":", kind, "/", &name]))
    };

    let attachment = |key: &str, address_key: &str, arn: &str| Attachment {
        key: key.to_owned(),
        arn: arn.to_owned(),
        address: concat(&[
            &module_path,
            "aws_iam_role_policy_attachment.this[",
            address_key,
            "]",
        ]),
    };
    let mut managed_policy_arns: Vec<Attachment> = parts
        .managed
        .iter()
        .map(|default| attachment(default.key, &default.address_key, &default.arn))
        .collect();
    if spec.key == RoleKey::BatchJob {
        let additional = &inputs.additional_job_policy_arns;
        managed_policy_arns.extend(
            additional
                .iter()
                .map(|arn| attachment(arn, &address_key(arn), arn)),
        );
    }

    let inline_policy = match spec.key {
        RoleKey::BatchJob => inline_policy_document(inputs).map(|policy| InlinePolicy {
            name: name.clone(),
            address: address("aws_iam_role_policy.inline[0]"),
            policy,
        }),
        _ => None,
    };

    let instance_profile = (spec.key == RoleKey::BatchInstance).then(|| InstanceProfile {
        name: name.clone(),
        arn: iam_arn("instance-profile"),
        address: address("aws_iam_instance_profile.this[0]"),
    });

    Role {
        key: spec.key,
        arn: iam_arn("role"),
        address: address("aws_iam_role.this[0]"),
        path: "/".to_owned(),
        assume_role_policy: parts.trust.clone(),
        managed_policy_arns,
        inline_policy,
        tags: inputs.tags.clone(),
        instance_profile,
        name,
    }
}

/// The statements of the inline policy in Terraform's order (sorted map keys), with the
/// upstream module's `sid = try(coalesce(statement.value.sid, statement.key))`.
pub fn inline_statements(statements: &BTreeMap<String, StatementInput>) -> Vec<Statement> {
    statements
        .iter()
        .map(|(key, s)| {
            let list = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
            let principals = |v: &Option<Vec<crate::inputs::PrincipalInput>>| {
                v.iter()
                    .flatten()
                    .map(|p| PrincipalBlock {
                        kind: p.kind.clone(),
                        identifiers: p.identifiers.clone(),
                    })
                    .collect()
            };
            Statement {
                sid: Some(effective_sid(key, s).to_owned()),
                effect: s.effect.clone(),
                actions: list(&s.actions),
                not_actions: list(&s.not_actions),
                resources: list(&s.resources),
                not_resources: list(&s.not_resources),
                principals: principals(&s.principals),
                not_principals: principals(&s.not_principals),
                conditions: s
                    .condition
                    .iter()
                    .flatten()
                    .map(|c| ConditionBlock {
                        test: c.test.clone(),
                        variable: c.variable.clone(),
                        values: c.values.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `coalesce(sid, key)`: Terraform's `coalesce` skips null and empty strings.
pub fn effective_sid<'a>(key: &'a str, statement: &'a StatementInput) -> &'a str {
    match &statement.sid {
        Some(sid) if !sid.is_empty() => sid,
        _ => key,
    }
}

/// A `for_each` key as `terraform plan` prints it in an address: `["key"]`, quoted as HCL
/// quotes it (`${` as `$${`). Keys are policy names and validated ARNs, so the characters
/// where Terraform's printing and HCL quoting differ (non-printable ones) never reach here.
fn address_key(key: &str) -> String {
    crate::hcl::quote(key)
}
