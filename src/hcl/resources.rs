//! `hcl.resources`: the same infrastructure as plain `hashicorp/aws` resources.
//!
//! Policies go in as the engine's `minified_json`, as one escaped string literal, rather than
//! `jsonencode(...)` of an HCL object: both plan to the same normalised document, but the
//! string is the engine's bytes as they are (a reader can diff it against the role set, and
//! the tests read it back byte for byte), while `jsonencode` would need a second serialisation
//! of every document with its own key quoting and Terraform's own escaping of `<`, `>` and `&`.

use super::module::terraform_block;
use super::writer::{self, Expr, Item};
use crate::inputs::Inputs;
use crate::outputs::{Source, OUTPUTS};
use crate::roles::{Role, ROLE_SPECS};

/// The resource label of a role's resources: the upstream module call's label.
fn label(role: &Role) -> &'static str {
    ROLE_SPECS
        .iter()
        .find(|spec| spec.key == role.key)
        .map_or("role", |spec| spec.module)
}

/// The `.tf` text: `terraform`, `locals`, the resources of every role, the ten outputs.
pub(crate) fn resources(inputs: &Inputs, roles: &[Role]) -> String {
    let mut blocks = vec![
        terraform_block(),
        Item::block(
            "locals",
            &[],
            vec![Item::attr(
                "tags",
                Expr::string_map(inputs.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            )],
        ),
    ];
    for role in roles {
        blocks.extend(role_resources(role));
    }
    for (name, key, source, description) in OUTPUTS {
        let value = match roles.iter().find(|r| r.key == key) {
            Some(role) => {
                let reference = match source {
                    Source::RoleArn => "aws_iam_role.{}.arn",
                    Source::RoleName => "aws_iam_role.{}.name",
                    Source::ProfileArn => "aws_iam_instance_profile.{}.arn",
                    Source::ProfileName => "aws_iam_instance_profile.{}.name",
                };
                reference.replacen("{}", label(role), 1)
            }
            None => "null".to_owned(),
        };
        blocks.push(Item::block(
            "output",
            &[name],
            vec![
                Item::attr("description", Expr::str(description)),
                Item::attr("value", Expr::raw(value)),
            ],
        ));
    }
    writer::blocks(blocks)
}

fn role_resources(role: &Role) -> Vec<Item> {
    let label = label(role);
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
