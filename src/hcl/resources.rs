//! `hcl.resources`: the same infrastructure as plain `hashicorp/aws` resources.
//!
//! Policies go in as the engine's `minified_json`, as one escaped string literal, rather than
//! `jsonencode(...)` of an HCL object: both plan to the same normalised document, but the
//! string is the engine's bytes as they are (a reader can diff it against the role set, and
//! the tests read it back byte for byte), while `jsonencode` would need a second serialisation
//! of every document with its own key quoting and Terraform's own escaping of `<`, `>` and `&`.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::module::versions_tf;
use super::writer::{escaped, Writer};
use crate::inputs::{Options, Partition};
use crate::outputs::{Source, OUTPUTS};
use crate::roles::{partition_parts, Role, RoleKey, ROLE_SPECS};

/// The resource label of a role's resources: the upstream module call's label.
fn label(key: RoleKey) -> &'static str {
    ROLE_SPECS
        .iter()
        .find(|spec| spec.key == key)
        .map_or("role", |spec| spec.module)
}

/// The ten outputs for each set of roles present (a bit per `ROLE_SPECS` entry): they depend
/// on nothing else, so they are made once.
static OUTPUT_BLOCKS: [OnceLock<String>; 16] = [const { OnceLock::new() }; 16];

/// `json` escaped for HCL: kept from `roles::partition_parts` when it is one of the trust
/// policies of `partition` (most of the escaping work, the same on every call).
fn escaped_policy(partition: Partition, json: &str) -> Cow<'static, str> {
    match partition_parts(partition).iter().find(|parts| {
        // Roles borrow their trust policy from these parts: the same text, found by address
        // (a text compare is a byte loop in the wasm).
        let trust: &str = &parts.trust.minified_json;
        std::ptr::eq(trust, json) || trust == json
    }) {
        Some(parts) => Cow::Borrowed(&parts.trust_hcl),
        None => Cow::Owned(escaped(json)),
    }
}

/// The roles present, a bit per `ROLE_SPECS` entry.
fn role_set(roles: &[Role]) -> usize {
    ROLE_SPECS
        .iter()
        .enumerate()
        .filter(|(_, spec)| roles.iter().any(|r| r.key == spec.key))
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// The `.tf` text: `terraform`, `locals`, the resources of every role, the ten outputs. `tags`
/// is the tags attribute ([`super::tags_attribute`]).
pub(crate) fn resources(options: &Options, roles: &[Role], tags: &str) -> String {
    let present = role_set(roles);
    let made;
    let outputs = match OUTPUT_BLOCKS.get(present) {
        Some(cell) => cell.get_or_init(|| outputs(present)),
        None => {
            made = outputs(present);
            &made
        }
    };
    let terraform = versions_tf();
    // The policies, escaped, are most of the text; the rest is about 1 KB a role.
    let policies: usize = roles.iter().map(policies_len).sum();
    let mut w = Writer::with_capacity(
        terraform.len() + outputs.len() + policies + policies / 4 + 1024 * (roles.len() + 1),
    );
    w.text(terraform);
    w.block("locals", &[], |w| w.verbatim(&[tags]));
    for role in roles {
        role_resources(&mut w, options.partition, role);
    }
    w.text(outputs);
    w.finish()
}

/// The length of a role's policy documents.
fn policies_len(role: &Role) -> usize {
    let inline = role.inline_policy.as_ref();
    role.assume_role_policy.minified_json.len()
        + inline.map_or(0, |inline| inline.policy.minified_json.len())
}

/// The ten output blocks, reading the roles whose bit is set in `present`.
fn outputs(present: usize) -> String {
    let is_present = |key: RoleKey| {
        ROLE_SPECS
            .iter()
            .position(|spec| spec.key == key)
            .is_some_and(|i| present & 1 << i != 0)
    };
    let mut w = Writer::with_capacity(2048);
    for (name, key, source, description) in OUTPUTS {
        w.block("output", &[name], |w| {
            w.str("description", description);
            if is_present(key) {
                let (resource, attribute) = match source {
                    Source::RoleArn => ("aws_iam_role.", ".arn"),
                    Source::RoleName => ("aws_iam_role.", ".name"),
                    Source::ProfileArn => ("aws_iam_instance_profile.", ".arn"),
                    Source::ProfileName => ("aws_iam_instance_profile.", ".name"),
                };
                w.raw_parts("value", &[resource, label(key), attribute]);
            } else {
                w.raw("value", "null");
            }
        });
    }
    w.finish()
}

/// A role's resources. Their keys never change, and so neither does their alignment: the
/// blocks are written as their own lines ([`Writer::verbatim`]) around the values, a fraction
/// of the work of one attribute at a time; only `for_each`, whose keys are the inputs', goes
/// through the writer's alignment. Every block follows another (`locals` comes first).
fn role_resources(w: &mut Writer, partition: Partition, role: &Role) {
    let label = label(role.key);
    let trust = escaped_policy(partition, &role.assume_role_policy.minified_json);
    w.verbatim(&[
        "\nresource \"aws_iam_role\" \"",
        label,
        "\" {\n  name                  = \"",
    ]);
    w.value_then(&role.name, "\"\n  path                  = \"");
    w.value_then(&role.path, "\"\n  assume_role_policy    = \"");
    w.verbatim(&[
        &trust,
        "\"\n  force_detach_policies = true\n  tags                  = local.tags\n}\n",
    ]);
    if !role.managed_policy_arns.is_empty() {
        w.block(
            "resource",
            &["aws_iam_role_policy_attachment", label],
            |w| {
                let policies = role.managed_policy_arns.iter();
                w.string_map(
                    "for_each",
                    policies.map(|a| (a.key.as_str(), a.arn.as_str())),
                );
                w.verbatim(&[
                    "\n  role       = aws_iam_role.",
                    label,
                    ".name\n  policy_arn = each.value\n",
                ]);
            },
        );
    }
    if let Some(inline) = &role.inline_policy {
        w.verbatim(&[
            "\nresource \"aws_iam_role_policy\" \"",
            label,
            "\" {\n  name   = \"",
        ]);
        w.value_then(&inline.name, "\"\n  role   = aws_iam_role.");
        w.verbatim(&[label, ".name\n  policy = \""]);
        w.value_then(&inline.policy.minified_json, "\"\n}\n");
    }
    if let Some(profile) = &role.instance_profile {
        w.verbatim(&[
            "\nresource \"aws_iam_instance_profile\" \"",
            label,
            "\" {\n  name = \"",
        ]);
        w.value_then(&profile.name, "\"\n  path = \"");
        w.value_then(&role.path, "\"\n  role = aws_iam_role.");
        w.verbatim(&[label, ".name\n  tags = local.tags\n}\n"]);
    }
}
