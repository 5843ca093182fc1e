//! `hcl.module_call`: the caller's `module` block, laid out like the seed's examples.

use super::writer::{self, Expr, Item};
use crate::inputs::{ConditionInput, Inputs, Options, PrincipalInput, StatementInput};

/// The `module` block: `source`, then the inputs that differ from their defaults.
pub(crate) fn module_call(inputs: &Inputs, options: &Options) -> String {
    let mut values = vec![Item::attr("name_prefix", Expr::str(&inputs.name_prefix))];
    if inputs.enable_spot_fleet_role {
        values.push(Item::attr("enable_spot_fleet_role", Expr::raw("true")));
    }
    if !inputs.additional_job_policy_arns.is_empty() {
        values.push(Item::attr(
            "additional_job_policy_arns",
            Expr::strings(&inputs.additional_job_policy_arns),
        ));
    }
    if let Some(statements) = &inputs.custom_job_policy_statements {
        let items = statements
            .iter()
            .map(|(key, s)| Item::key(key, statement(s)))
            .collect();
        values.push(Item::attr(
            "custom_job_policy_statements",
            Expr::Object(items),
        ));
    }
    if !inputs.tags.is_empty() {
        values.push(Item::attr(
            "tags",
            Expr::string_map(inputs.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        ));
    }

    let mut body = vec![
        Item::attr("source", Expr::str(&options.module_source)),
        Item::Blank,
    ];
    body.extend(separate_multi_line(values));
    writer::file(&[Item::block("module", &[&options.module_name], body)])
}

/// Puts a blank line between two items unless both are single-line (the seed's layout).
pub(crate) fn separate_multi_line(items: Vec<Item>) -> Vec<Item> {
    let multi = |item: &Item| match item {
        Item::Attr(_, value) => writer::is_multi_line(value),
        _ => true,
    };
    let mut out: Vec<Item> = Vec::with_capacity(items.len() * 2);
    let mut previous_multi = None;
    for item in items {
        let is_multi = multi(&item);
        if let Some(previous) = previous_multi {
            if previous || is_multi {
                out.push(Item::Blank);
            }
        }
        previous_multi = Some(is_multi);
        out.push(item);
    }
    out
}

/// A statement object, attributes in the order sid, effect, actions, not_actions, resources,
/// not_resources, principals, not_principals, condition; absent ones left out.
fn statement(s: &StatementInput) -> Expr<'_> {
    let mut items = Vec::new();
    if let Some(sid) = &s.sid {
        items.push(Item::attr("sid", Expr::str(sid)));
    }
    items.push(Item::attr("effect", Expr::str(&s.effect)));
    let lists = [
        ("actions", &s.actions),
        ("not_actions", &s.not_actions),
        ("resources", &s.resources),
        ("not_resources", &s.not_resources),
    ];
    for (name, list) in lists {
        if let Some(list) = list {
            items.push(Item::attr(name, Expr::strings(list)));
        }
    }
    for (name, list) in [
        ("principals", &s.principals),
        ("not_principals", &s.not_principals),
    ] {
        if let Some(list) = list {
            items.push(Item::attr(
                name,
                Expr::List(list.iter().map(principal).collect()),
            ));
        }
    }
    if let Some(conditions) = &s.condition {
        items.push(Item::attr(
            "condition",
            Expr::List(conditions.iter().map(condition).collect()),
        ));
    }
    Expr::Object(items)
}

fn principal(p: &PrincipalInput) -> Expr<'_> {
    Expr::Object(vec![
        Item::attr("type", Expr::str(&p.kind)),
        Item::attr("identifiers", Expr::strings(&p.identifiers)),
    ])
}

fn condition(c: &ConditionInput) -> Expr<'_> {
    Expr::Object(vec![
        Item::attr("test", Expr::str(&c.test)),
        Item::attr("variable", Expr::str(&c.variable)),
        Item::attr("values", Expr::strings(&c.values)),
    ])
}
