//! Statements -> the data source's document ([`PolicyDocument`]) -> `json` and
//! `minified_json`.

use std::collections::BTreeMap;

use super::document::{Everyone, OneOrMany, PolicyDocument, PolicyStatement, Principal};
use super::sethash::{condition_key, principal_key, set_order, SetKey};
use super::{ConditionBlock, PrincipalBlock, Statement};

/// The only document version this crate renders.
pub(crate) const VERSION: &str = "2012-10-17";

impl OneOrMany {
    /// One value as a plain string, any other count as an array.
    fn from_vec(mut items: Vec<String>) -> Self {
        match (items.pop(), items.is_empty()) {
            (Some(only), true) => OneOrMany::One(only),
            (Some(last), false) => {
                items.push(last);
                OneOrMany::Many(items)
            }
            (None, _) => OneOrMany::Many(items),
        }
    }
}

/// `strings.NewReplacer("&{", "${").Replace(s)`: the provider's way of writing a policy
/// variable in HCL without Terraform interpolating it.
fn replace_vars(s: &str) -> String {
    s.replace("&{", "${")
}

/// The distinct values of a string set in descending byte order.
fn distinct_descending(items: &[String]) -> Vec<String> {
    let mut set = items.to_vec();
    descending(&mut set);
    set.dedup();
    set
}

/// Sorts `items` in descending byte order.
fn descending(items: &mut [String]) {
    items.sort_unstable_by(|a, b| b.cmp(a));
}

/// A string set (`actions`, `resources`, ...): distinct values, one as a plain string, more as
/// an array in descending byte order of the raw values; `replace` applies `&{` -> `${` after
/// sorting (resources), as the provider does.
fn string_set(items: &[String], replace: bool) -> Option<OneOrMany> {
    if items.is_empty() {
        return None;
    }
    let mut set = distinct_descending(items);
    if replace {
        set = set.iter().map(|s| replace_vars(s)).collect();
    }
    Some(OneOrMany::from_vec(set))
}

/// The positions of `count` blocks in set order (no hashing needed for fewer than two).
fn block_order(count: usize, keys: impl Iterator<Item = SetKey>) -> Vec<usize> {
    if count < 2 {
        return (0..count).collect();
    }
    set_order(keys).into_iter().map(|(_, i)| i).collect()
}

/// `principals` / `not_principals` blocks as `MarshalJSON` of the principal set writes them.
fn principals(blocks: &[PrincipalBlock]) -> Option<Principal> {
    if blocks.is_empty() {
        return None;
    }
    // Each block's distinct identifiers (a set), raw, in descending order.
    let ids: Vec<Vec<String>> = blocks
        .iter()
        .map(|b| distinct_descending(&b.identifiers))
        .collect();
    let order = block_order(
        blocks.len(),
        blocks
            .iter()
            .zip(&ids)
            .map(|(b, ids)| principal_key(&b.kind, ids)),
    );
    if let [only] = order.as_slice() {
        // `Principal: "*"` needs exactly one block, of type "*", whose identifiers are ["*"].
        if let (Some(block), Some([star])) = (blocks.get(*only), ids.get(*only).map(Vec::as_slice))
        {
            if block.kind == "*" && star == "*" {
                return Some(Principal::All(Everyone::Star));
            }
        }
    }
    // Per type, in block order: a first block of one identifier gives a string; any further
    // block turns the value into an array and appends its identifiers, each block's own
    // identifiers re-sorted after the replacement.
    let mut by_type: BTreeMap<String, OneOrMany> = BTreeMap::new();
    for i in order {
        let (Some(block), Some(block_ids)) = (blocks.get(i), ids.get(i)) else {
            continue;
        };
        let mut block_ids: Vec<String> = block_ids.iter().map(|id| replace_vars(id)).collect();
        descending(&mut block_ids);
        let block_ids = OneOrMany::from_vec(block_ids);
        let Some(value) = by_type.get_mut(&block.kind) else {
            by_type.insert(block.kind.clone(), block_ids);
            continue;
        };
        if let OneOrMany::One(first) = value {
            *value = OneOrMany::Many(vec![std::mem::take(first)]);
        }
        if let OneOrMany::Many(all) = value {
            match block_ids {
                OneOrMany::One(id) => all.push(id),
                OneOrMany::Many(more) => all.extend(more),
            }
        }
    }
    Some(Principal::ByType(by_type))
}

/// `condition` blocks as `MarshalJSON` of the condition set writes them: values of blocks with
/// the same test and variable concatenated in set order, keyed by test then variable.
fn conditions(blocks: &[ConditionBlock]) -> Option<BTreeMap<String, BTreeMap<String, OneOrMany>>> {
    if blocks.is_empty() {
        return None;
    }
    let mut merged: BTreeMap<&str, BTreeMap<&str, Vec<String>>> = BTreeMap::new();
    for i in block_order(blocks.len(), blocks.iter().map(condition_key)) {
        let Some(block) = blocks.get(i) else {
            continue;
        };
        merged
            .entry(&block.test)
            .or_default()
            .entry(&block.variable)
            .or_default()
            .extend(block.values.iter().map(|v| replace_vars(v)));
    }
    // Inserted one by one: they come in order, and `collect` into a map would sort them again.
    let mut condition = BTreeMap::new();
    for (test, keys) in merged {
        let values = condition
            .entry(test.to_owned())
            .or_insert_with(BTreeMap::new);
        for (key, value) in keys {
            values.insert(key.to_owned(), OneOrMany::from_vec(value));
        }
    }
    Some(condition)
}

fn statement(statement: &Statement) -> PolicyStatement {
    PolicyStatement {
        sid: statement.sid.clone().filter(|sid| !sid.is_empty()),
        effect: statement.effect.clone(),
        action: string_set(&statement.actions, false),
        not_action: string_set(&statement.not_actions, false),
        resource: string_set(&statement.resources, true),
        not_resource: string_set(&statement.not_resources, true),
        principal: principals(&statement.principals),
        not_principal: principals(&statement.not_principals),
        condition: conditions(&statement.conditions),
    }
}

/// The document the data source builds from `statements`.
pub(crate) fn document(statements: &[Statement]) -> PolicyDocument {
    PolicyDocument {
        version: VERSION.to_owned(),
        statement: statements.iter().map(statement).collect(),
    }
}
