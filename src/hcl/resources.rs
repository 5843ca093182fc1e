//! `hcl.resources`: the same infrastructure as plain `hashicorp/aws` resources.
//!
//! Policies go in as the engine's `minified_json`, as one escaped string literal, rather than
//! `jsonencode(...)` of an HCL object: both plan to the same normalised document, but the
//! string is the engine's bytes as they are (a reader can diff it against the role set, and
//! the tests read it back byte for byte), while `jsonencode` would need a second serialisation
//! of every document with its own key quoting and Terraform's own escaping of `<`, `>` and `&`.

use std::sync::OnceLock;

use super::module::terraform_block;
use super::writer::{self, Expr, Item};
use crate::inputs::Inputs;
use crate::outputs::{Source, OUTPUTS};
use crate::roles::{Role, RoleKey, ROLE_SPECS};

/// The resource label of a role's resources: the upstream module call's label.
fn label(key: RoleKey) -> &'static str {
    ROLE_SPECS
        .iter()
        .find(|spec| spec.key == key)
        .map_or("role", |spec| spec.module)
}

/// The `terraform` block, and the ten outputs for each set of roles present (a bit per
/// `ROLE_SPECS` entry): they depend on nothing else, so they are made once.
static TERRAFORM: OnceLock<String> = OnceLock::new();
static OUTPUT_BLOCKS: [OnceLock<String>; 16] = [const { OnceLock::new() }; 16];

/// The `.tf` text: `terraform`, `locals`, the resources of every role, the ten outputs.
pub(crate) fn resources(inputs: &Inputs, roles: &[Role]) -> String {
    let mut blocks = vec![Item::block(
        "locals",
        &[],
        vec![Item::attr(
            "tags",
            Expr::string_map(inputs.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        )],
    )];
    for role in roles {
        blocks.extend(role_resources(role));
    }
    let present = ROLE_SPECS
        .iter()
        .enumerate()
        .filter(|(_, spec)| roles.iter().any(|r| r.key == spec.key))
        .fold(0, |mask, (i, _)| mask | 1 << i);
    let outputs = OUTPUT_BLOCKS.get(present).map_or_else(
        || outputs(present),
        |cell| cell.get_or_init(|| outputs(present)).clone(),
    );
    let terraform = TERRAFORM.get_or_init(|| writer::file(&[terraform_block()]));
    format!("{terraform}\n{}\n{outputs}", writer::blocks(blocks))
}

/// The ten output blocks, reading the roles whose bit is set in `present`.
fn outputs(present: usize) -> String {
    let is_present = |key: RoleKey| {
        ROLE_SPECS
            .iter()
            .position(|spec| spec.key == key)
            .is_some_and(|i| present & 1 << i != 0)
    };
    writer::blocks(
        OUTPUTS
            .iter()
            .map(|(name, key, source, description)| {
                let value = if is_present(*key) {
                    let reference = match source {
                        Source::RoleArn => "aws_iam_role.{}.arn",
                        Source::RoleName => "aws_iam_role.{}.name",
                        Source::ProfileArn => "aws_iam_instance_profile.{}.arn",
                        Source::ProfileName => "aws_iam_instance_profile.{}.name",
                    };
                    reference.replacen("{}", label(*key), 1)
                } else {
                    "null".to_owned()
                };
                Item::block(
                    "output",
                    &[name],
                    vec![
                        Item::attr("description", Expr::str(*description)),
                        Item::attr("value", Expr::raw(value)),
                    ],
                )
            })
            .collect(),
    )
}

fn role_resources(role: &Role) -> Vec<Item<'_>> {
    let label = label(role.key);
    let role_ref = |attribute: &str| Expr::raw(format!("aws_iam_role.{label}.{attribute}"));
    let mut blocks = vec![Item::block(
        "resource",
        &["aws_iam_role", label],
        vec![
            Item::attr("name", Expr::str(&role.name)),
            Item::attr("path", Expr::str(&role.path)),
            Item::attr(
                "assume_role_policy",
                Expr::str(&role.assume_role_policy.minified_json),
            ),
            Item::attr("force_detach_policies", Expr::raw("true")),
            Item::attr("tags", Expr::raw("local.tags")),
        ],
    )];
    if !role.managed_policy_arns.is_empty() {
        let policies = Expr::string_map(
            role.managed_policy_arns
                .iter()
                .map(|a| (a.key.as_str(), a.arn.as_str())),
        );
        blocks.push(Item::block(
            "resource",
            &["aws_iam_role_policy_attachment", label],
            vec![
                Item::attr("for_each", policies),
                Item::Blank,
                Item::attr("role", role_ref("name")),
                Item::attr("policy_arn", Expr::raw("each.value")),
            ],
        ));
    }
    if let Some(inline) = &role.inline_policy {
        blocks.push(Item::block(
            "resource",
            &["aws_iam_role_policy", label],
            vec![
                Item::attr("name", Expr::str(&inline.name)),
                Item::attr("role", role_ref("name")),
                Item::attr("policy", Expr::str(&inline.policy.minified_json)),
            ],
        ));
    }
    if let Some(profile) = &role.instance_profile {
        blocks.push(Item::block(
            "resource",
            &["aws_iam_instance_profile", label],
            vec![
                Item::attr("name", Expr::str(&profile.name)),
                Item::attr("path", Expr::str(&role.path)),
                Item::attr("role", role_ref("name")),
                Item::attr("tags", Expr::raw("local.tags")),
            ],
        ));
    }
    blocks
}
