//! `hcl.module_call`: the caller's `module` block, laid out like the seed's examples.

use super::writer::{object_key, Writer};
use crate::inputs::{Inputs, Options, StatementInput};

/// The `module` block: `source`, then the inputs that differ from their defaults, with a blank
/// line between two of them unless both are single-line (the seed's layout).
///
/// `tags` is the tags attribute ([`super::tags_attribute`]).
pub(crate) fn module_call(inputs: &Inputs, options: &Options, tags: &str) -> String {
    let mut w = Writer::with_capacity(1024);
    w.block("module", &[&options.module_name], |w| {
        w.str("source", &options.module_source);
        w.blank();

        let mut previous_multi_line = None;
        let mut separate = |w: &mut Writer, multi_line: bool| {
            if previous_multi_line.is_some_and(|previous| previous || multi_line) {
                w.blank();
            }
            previous_multi_line = Some(multi_line);
        };
        separate(w, false);
        w.str("name_prefix", &inputs.name_prefix);
        if inputs.enable_spot_fleet_role {
            separate(w, false);
            w.raw("enable_spot_fleet_role", "true");
        }
        let arns = &inputs.additional_job_policy_arns;
        if !arns.is_empty() {
            separate(w, true);
            w.strings("additional_job_policy_arns", arns);
        }
        if let Some(statements) = &inputs.custom_job_policy_statements {
            let key = "custom_job_policy_statements";
            separate(w, !statements.is_empty());
            if statements.is_empty() {
                w.raw(key, "{}");
            } else {
                w.object(key, |w| {
                    for (key, s) in statements {
                        statement(w, &object_key(key), s);
                    }
                });
            }
        }
        if !inputs.tags.is_empty() {
            separate(w, true);
            w.verbatim(&[tags]);
        }
    });
    w.finish()
}

/// A statement object, attributes in the order sid, effect, actions, not_actions, resources,
/// not_resources, principals, not_principals, condition; absent ones left out.
fn statement(w: &mut Writer, key: &str, s: &StatementInput) {
    w.object(key, |w| {
        if let Some(sid) = &s.sid {
            w.str("sid", sid);
        }
        w.str("effect", &s.effect);
        let lists = [
            ("actions", &s.actions),
            ("not_actions", &s.not_actions),
            ("resources", &s.resources),
            ("not_resources", &s.not_resources),
        ];
        for (name, list) in lists {
            if let Some(list) = list {
                w.strings(name, list);
            }
        }
        for (name, list) in [
            ("principals", &s.principals),
            ("not_principals", &s.not_principals),
        ] {
            if let Some(list) = list {
                w.objects(name, list, |w, p| {
                    w.str("type", &p.kind);
                    w.strings("identifiers", &p.identifiers);
                });
            }
        }
        if let Some(conditions) = &s.condition {
            w.objects("condition", conditions, |w, c| {
                w.str("test", &c.test);
                w.str("variable", &c.variable);
                w.strings("values", &c.values);
            });
        }
    });
}
