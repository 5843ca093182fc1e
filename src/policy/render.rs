//! Statements -> the data source's document model -> `json` and `minified_json`.
//!
//! The model borrows from the statements; only strings holding `&{` are copied (to become `${`).

use std::borrow::Cow;

use crate::mem::AppendStr;

use super::json::{fixed_key, Writer};
use super::sethash::{condition_key, principal_key, set_order, SetKey};
use super::{ConditionBlock, PrincipalBlock, Statement};

/// The only document version this crate renders.
pub(crate) const VERSION: &str = "2012-10-17";

/// A rendered value: one string, or an array (possibly empty).
#[derive(Debug)]
enum Strings<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> Strings<'a> {
    /// One value as a plain string, any other count as an array.
    fn from_vec(mut items: Vec<Cow<'a, str>>) -> Self {
        if items.len() == 1 {
            if let Some(only) = items.pop() {
                return Strings::One(only);
            }
        }
        Strings::Many(items)
    }
}

/// `Principal` / `NotPrincipal`.
#[derive(Debug)]
enum Principals<'a> {
    /// `"*"`.
    Star,
    /// Type -> identifiers, types in byte order.
    ByType(Vec<(&'a str, Strings<'a>)>),
}

/// One statement of the document, every field already in its rendered form.
#[derive(Debug)]
struct StatementModel<'a> {
    sid: &'a str,
    effect: &'a str,
    action: Option<Strings<'a>>,
    not_action: Option<Strings<'a>>,
    resource: Option<Strings<'a>>,
    not_resource: Option<Strings<'a>>,
    principal: Option<Principals<'a>>,
    not_principal: Option<Principals<'a>>,
    /// (test, variable, values), sorted by test then variable.
    condition: Vec<(&'a str, &'a str, Strings<'a>)>,
}

/// `strings.NewReplacer("&{", "${").Replace(s)`.
fn replace_vars(s: &str) -> Cow<'_, str> {
    match with_vars(s) {
        Some(replaced) => Cow::Owned(replaced),
        None => Cow::Borrowed(s),
    }
}

/// `s` with each `&{` made `${`, or `None` when it holds none. Split at `&` rather than
/// `str::replace`, whose substring searcher costs 2 KB of wasm.
fn with_vars(s: &str) -> Option<String> {
    if !s.contains('&') {
        return None;
    }
    let mut pieces = s.split('&');
    let mut out = String::with_capacity(s.len());
    out.append_str(pieces.next()?);
    let mut changed = false;
    for piece in pieces {
        let var = piece.starts_with('{');
        changed |= var;
        out.push(if var { '$' } else { '&' });
        out.append_str(piece);
    }
    changed.then_some(out)
}

/// The distinct values of a string set in descending byte order.
fn distinct_descending(items: &[String]) -> Vec<Cow<'_, str>> {
    let by = crate::sort::order(items.len(), &|a, b| items.get(a) > items.get(b));
    let mut set: Vec<Cow<'_, str>> = by
        .into_iter()
        .filter_map(|i| items.get(i))
        .map(|s| Cow::Borrowed(s.as_str()))
        .collect();
    set.dedup();
    set
}

/// Applies `&{` -> `${` to each value; says whether any changed.
fn replace_vars_in(items: &mut [Cow<'_, str>]) -> bool {
    let mut changed = false;
    for item in items {
        if let Some(replaced) = with_vars(item) {
            *item = Cow::Owned(replaced);
            changed = true;
        }
    }
    changed
}

/// A string set (`actions`, `resources`, ...): distinct values, one as a plain string, more as
/// an array in descending byte order of the raw values; `replace` applies `&{` -> `${` after
/// sorting (resources), as the provider does.
fn string_set(items: &[String], replace: bool) -> Option<Strings<'_>> {
    match items {
        [] => None,
        [only] if replace => Some(Strings::One(replace_vars(only))),
        [only] => Some(Strings::One(Cow::Borrowed(only))),
        _ => {
            let mut set = distinct_descending(items);
            if replace {
                replace_vars_in(&mut set);
            }
            Some(Strings::from_vec(set))
        }
    }
}

/// The positions of `count` blocks in set order (no hashing needed for fewer than two).
fn block_order(count: usize, keys: impl Iterator<Item = SetKey>) -> Vec<usize> {
    if count < 2 {
        return (0..count).collect();
    }
    set_order(keys).into_iter().map(|(_, i)| i).collect()
}

/// `principals` / `not_principals` blocks as `MarshalJSON` of the principal set writes them.
fn principals(blocks: &[PrincipalBlock]) -> Option<Principals<'_>> {
    if blocks.is_empty() {
        return None;
    }
    // Each block's distinct identifiers (a set), raw, in descending order.
    let mut ids: Vec<Vec<Cow<'_, str>>> = blocks
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
                return Some(Principals::Star);
            }
        }
    }
    // Per type (kept in byte order), in block order: a first block of one identifier gives a
    // string; any further block turns the value into an array and appends its identifiers,
    // each block's own identifiers re-sorted after the replacement.
    let mut by_type: Vec<(&str, Strings<'_>)> = Vec::with_capacity(order.len());
    for i in order {
        let (Some(block), Some(block_ids)) = (blocks.get(i), ids.get_mut(i)) else {
            continue;
        };
        let mut block_ids = std::mem::take(block_ids);
        if replace_vars_in(&mut block_ids) {
            let by =
                crate::sort::order(block_ids.len(), &|a, b| block_ids.get(a) > block_ids.get(b));
            block_ids = crate::sort::permute(block_ids, &by);
        }
        let block_ids = Strings::from_vec(block_ids);
        let kind = block.kind.as_str();
        let at = by_type.partition_point(|(k, _)| *k < kind);
        let value = match by_type.get_mut(at) {
            Some((k, value)) if *k == kind => value,
            _ => {
                by_type.insert(at, (kind, block_ids));
                continue;
            }
        };
        if let Strings::One(first) = value {
            *value = Strings::Many(vec![std::mem::take(first)]);
        }
        if let Strings::Many(all) = value {
            match block_ids {
                Strings::One(id) => all.push(id),
                Strings::Many(more) => all.extend(more),
            }
        }
    }
    Some(Principals::ByType(by_type))
}

/// `condition` blocks as `MarshalJSON` of the condition set writes them: values of blocks with
/// the same test and variable concatenated in set order, sorted by test then variable.
fn conditions(blocks: &[ConditionBlock]) -> Vec<(&str, &str, Strings<'_>)> {
    let mut merged: Vec<(&str, &str, Vec<Cow<'_, str>>)> = Vec::new();
    for i in block_order(blocks.len(), blocks.iter().map(condition_key)) {
        let Some(block) = blocks.get(i) else {
            continue;
        };
        let name = (block.test.as_str(), block.variable.as_str());
        let values = block.values.iter().map(|v| replace_vars(v));
        let at = merged.partition_point(|(t, v, _)| (*t, *v) < name);
        match merged.get_mut(at) {
            Some((t, v, all)) if (*t, *v) == name => all.extend(values),
            _ => merged.insert(at, (name.0, name.1, values.collect())),
        }
    }
    merged
        .into_iter()
        .map(|(test, variable, values)| (test, variable, Strings::from_vec(values)))
        .collect()
}

fn statement_model(statement: &Statement) -> StatementModel<'_> {
    StatementModel {
        sid: statement.sid.as_deref().unwrap_or_default(),
        effect: &statement.effect,
        action: string_set(&statement.actions, false),
        not_action: string_set(&statement.not_actions, false),
        resource: string_set(&statement.resources, true),
        not_resource: string_set(&statement.not_resources, true),
        principal: principals(&statement.principals),
        not_principal: principals(&statement.not_principals),
        condition: conditions(&statement.conditions),
    }
}

fn write_strings(w: &mut Writer, value: &Strings<'_>) {
    match value {
        Strings::One(s) => w.string(s),
        Strings::Many(items) => {
            w.begin_array();
            for item in items {
                w.element();
                w.string(item);
            }
            w.end_array();
        }
    }
}

fn write_principals(w: &mut Writer, value: &Principals<'_>) {
    match value {
        Principals::Star => w.string("*"),
        Principals::ByType(types) => {
            w.begin_object();
            for (kind, ids) in types {
                w.key(kind);
                write_strings(w, ids);
            }
            w.end_object();
        }
    }
}

fn write_conditions(w: &mut Writer, conditions: &[(&str, &str, Strings<'_>)]) {
    w.begin_object();
    let mut open_test: Option<&str> = None;
    for (test, variable, values) in conditions {
        if open_test != Some(*test) {
            if open_test.is_some() {
                w.end_object();
            }
            w.key(test);
            w.begin_object();
            open_test = Some(test);
        }
        w.key(variable);
        write_strings(w, values);
    }
    if open_test.is_some() {
        w.end_object();
    }
    w.end_object();
}

fn write_statement(w: &mut Writer, s: &StatementModel<'_>) {
    w.begin_object();
    if !s.sid.is_empty() {
        w.fixed_key(fixed_key!("Sid"));
        w.string(s.sid);
    }
    if !s.effect.is_empty() {
        w.fixed_key(fixed_key!("Effect"));
        w.string(s.effect);
    }
    for (key, value) in [
        (fixed_key!("Action"), &s.action),
        (fixed_key!("NotAction"), &s.not_action),
        (fixed_key!("Resource"), &s.resource),
        (fixed_key!("NotResource"), &s.not_resource),
    ] {
        if let Some(value) = value {
            w.fixed_key(key);
            write_strings(w, value);
        }
    }
    for (key, value) in [
        (fixed_key!("Principal"), &s.principal),
        (fixed_key!("NotPrincipal"), &s.not_principal),
    ] {
        if let Some(value) = value {
            w.fixed_key(key);
            write_principals(w, value);
        }
    }
    if !s.condition.is_empty() {
        w.fixed_key(fixed_key!("Condition"));
        write_conditions(w, &s.condition);
    }
    w.end_object();
}

fn write_document(w: &mut Writer, statements: &[StatementModel<'_>]) {
    w.begin_object();
    w.fixed_key(fixed_key!("Version"));
    w.string(VERSION);
    if !statements.is_empty() {
        w.fixed_key(fixed_key!("Statement"));
        w.begin_array();
        for statement in statements {
            w.element();
            write_statement(w, statement);
        }
        w.end_array();
    }
    w.end_object();
}

/// About the length of the compact text: every input string with quotes and a comma, and the
/// keys of each statement. Duplicates make it an overestimate, escapes an underestimate.
fn size_hint(statements: &[Statement]) -> usize {
    let list = |items: &[String]| items.iter().map(|s| s.len() + 3).sum::<usize>();
    let blocks = |blocks: &[PrincipalBlock]| {
        blocks
            .iter()
            .map(|b| b.kind.len() + 6 + list(&b.identifiers))
            .sum::<usize>()
    };
    32 + statements
        .iter()
        .map(|s| {
            48 + s.sid.as_deref().map_or(0, str::len)
                + s.effect.len()
                + list(&s.actions)
                + list(&s.not_actions)
                + list(&s.resources)
                + list(&s.not_resources)
                + blocks(&s.principals)
                + blocks(&s.not_principals)
                + s.conditions
                    .iter()
                    .map(|c| c.test.len() + c.variable.len() + 12 + list(&c.values))
                    .sum::<usize>()
        })
        .sum::<usize>()
}

/// The document (`json` layout) and the compact text (`minified_json`).
pub(crate) fn render(statements: &[Statement]) -> (String, String) {
    let model: Vec<StatementModel<'_>> = statements.iter().map(statement_model).collect();
    let mut writer = Writer::with_capacity(size_hint(statements));
    write_document(&mut writer, &model);
    let (minified, json) = writer.finish();
    (json, minified)
}
