//! Statements -> the data source's document model -> `json`, `minified_json` and `document`.
//!
//! The model borrows from the statements; only strings holding `&{` are copied (to become `${`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::json::Writer;
use super::sethash::{condition_key, identifiers_in_set_order, principal_key, set_order};
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
    if s.contains("&{") {
        Cow::Owned(s.replace("&{", "${"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Distinct values sorted in descending byte order.
fn descending_set(items: &[String]) -> Vec<&str> {
    let mut set: Vec<&str> = items.iter().map(String::as_str).collect();
    set.sort_unstable_by(|a, b| b.cmp(a));
    set.dedup();
    set
}

/// `actions` / `not_actions`: a set, no variable replacement.
fn action_set(items: &[String]) -> Option<Strings<'_>> {
    if items.is_empty() {
        return None;
    }
    let set = descending_set(items);
    Some(Strings::from_vec(
        set.into_iter().map(Cow::Borrowed).collect(),
    ))
}

/// `resources` / `not_resources`: a set sorted on the raw strings, then `&{` -> `${`.
fn resource_set(items: &[String]) -> Option<Strings<'_>> {
    if items.is_empty() {
        return None;
    }
    let set = descending_set(items);
    Some(Strings::from_vec(
        set.into_iter().map(replace_vars).collect(),
    ))
}

/// `principals` / `not_principals` blocks as `MarshalJSON` of the principal set writes them.
fn principals(blocks: &[PrincipalBlock]) -> Option<Principals<'_>> {
    if blocks.is_empty() {
        return None;
    }
    let ordered = set_order(blocks, principal_key);
    if let [only] = ordered.as_slice() {
        if only.kind == "*" && only.identifiers.iter().all(|id| id == "*") {
            // `identifiers` is a required set: it has at least one element, all "*": ["*"].
            if !only.identifiers.is_empty() {
                return Some(Principals::Star);
            }
        }
    }
    // Per type: the identifiers of every block of that type, in block order, and the count of
    // blocks (a type with one block of one identifier stays a plain string).
    let mut by_type: Vec<(&str, Vec<Cow<'_, str>>, usize)> = Vec::new();
    for block in ordered {
        let mut ids: Vec<Cow<'_, str>> = identifiers_in_set_order(&block.identifiers)
            .into_iter()
            .map(|(_, id)| replace_vars(id))
            .collect();
        // Sorted (descending) after the replacement, as MarshalJSON re-sorts each block.
        ids.sort_unstable_by(|a, b| b.cmp(a));
        let kind = block.kind.as_str();
        match by_type.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, all, count)) => {
                all.extend(ids);
                *count += 1;
            }
            None => by_type.push((kind, ids, 1)),
        }
    }
    by_type.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Some(Principals::ByType(
        by_type
            .into_iter()
            .map(|(kind, ids, count)| {
                let value = if count == 1 {
                    Strings::from_vec(ids)
                } else {
                    Strings::Many(ids)
                };
                (kind, value)
            })
            .collect(),
    ))
}

/// `condition` blocks as `MarshalJSON` of the condition set writes them.
fn conditions(blocks: &[ConditionBlock]) -> Vec<(&str, &str, Strings<'_>)> {
    if blocks.is_empty() {
        return Vec::new();
    }
    let mut merged: Vec<(&str, &str, Vec<Cow<'_, str>>)> = Vec::new();
    for block in set_order(blocks, condition_key) {
        let (test, variable) = (block.test.as_str(), block.variable.as_str());
        let values = block.values.iter().map(|v| replace_vars(v));
        match merged
            .iter_mut()
            .find(|(t, v, _)| *t == test && *v == variable)
        {
            Some((_, _, all)) => all.extend(values),
            None => merged.push((test, variable, values.collect())),
        }
    }
    merged.sort_unstable_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(b.1)));
    merged
        .into_iter()
        .map(|(test, variable, values)| (test, variable, Strings::from_vec(values)))
        .collect()
}

fn statement_model(statement: &Statement) -> StatementModel<'_> {
    StatementModel {
        sid: statement.sid.as_deref().unwrap_or_default(),
        effect: &statement.effect,
        action: action_set(&statement.actions),
        not_action: action_set(&statement.not_actions),
        resource: resource_set(&statement.resources),
        not_resource: resource_set(&statement.not_resources),
        principal: principals(&statement.principals),
        not_principal: principals(&statement.not_principals),
        condition: conditions(&statement.conditions),
    }
}

fn write_strings(w: &mut Writer<'_>, value: &Strings<'_>) {
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

fn write_principals(w: &mut Writer<'_>, value: &Principals<'_>) {
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

fn write_conditions(w: &mut Writer<'_>, conditions: &[(&str, &str, Strings<'_>)]) {
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

fn write_statement(w: &mut Writer<'_>, s: &StatementModel<'_>) {
    w.begin_object();
    if !s.sid.is_empty() {
        w.key("Sid");
        w.string(s.sid);
    }
    if !s.effect.is_empty() {
        w.key("Effect");
        w.string(s.effect);
    }
    for (key, value) in [
        ("Action", &s.action),
        ("NotAction", &s.not_action),
        ("Resource", &s.resource),
        ("NotResource", &s.not_resource),
    ] {
        if let Some(value) = value {
            w.key(key);
            write_strings(w, value);
        }
    }
    for (key, value) in [
        ("Principal", &s.principal),
        ("NotPrincipal", &s.not_principal),
    ] {
        if let Some(value) = value {
            w.key(key);
            write_principals(w, value);
        }
    }
    if !s.condition.is_empty() {
        w.key("Condition");
        write_conditions(w, &s.condition);
    }
    w.end_object();
}

fn write_document(out: &mut String, pretty: bool, statements: &[StatementModel<'_>]) {
    let mut w = Writer::new(out, pretty);
    w.begin_object();
    w.key("Version");
    w.string(VERSION);
    if !statements.is_empty() {
        w.key("Statement");
        w.begin_array();
        for statement in statements {
            w.element();
            write_statement(&mut w, statement);
        }
        w.end_array();
    }
    w.end_object();
}

fn strings_value(value: &Strings<'_>) -> Value {
    match value {
        Strings::One(s) => Value::String(s.to_string()),
        Strings::Many(items) => Value::Array(
            items
                .iter()
                .map(|item| Value::String(item.to_string()))
                .collect(),
        ),
    }
}

fn principals_value(value: &Principals<'_>) -> Value {
    match value {
        Principals::Star => Value::String(String::from("*")),
        Principals::ByType(types) => Value::Object(
            types
                .iter()
                .map(|(kind, ids)| ((*kind).to_owned(), strings_value(ids)))
                .collect(),
        ),
    }
}

fn conditions_value(conditions: &[(&str, &str, Strings<'_>)]) -> Value {
    let mut tests = Map::new();
    for (test, variable, values) in conditions {
        let entry = tests
            .entry((*test).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(variables) = entry {
            variables.insert((*variable).to_owned(), strings_value(values));
        }
    }
    Value::Object(tests)
}

fn statement_value(s: &StatementModel<'_>) -> Value {
    let mut map = Map::new();
    if !s.sid.is_empty() {
        map.insert("Sid".to_owned(), Value::String(s.sid.to_owned()));
    }
    if !s.effect.is_empty() {
        map.insert("Effect".to_owned(), Value::String(s.effect.to_owned()));
    }
    for (key, value) in [
        ("Action", &s.action),
        ("NotAction", &s.not_action),
        ("Resource", &s.resource),
        ("NotResource", &s.not_resource),
    ] {
        if let Some(value) = value {
            map.insert(key.to_owned(), strings_value(value));
        }
    }
    for (key, value) in [
        ("Principal", &s.principal),
        ("NotPrincipal", &s.not_principal),
    ] {
        if let Some(value) = value {
            map.insert(key.to_owned(), principals_value(value));
        }
    }
    if !s.condition.is_empty() {
        map.insert("Condition".to_owned(), conditions_value(&s.condition));
    }
    Value::Object(map)
}

fn document_value(statements: &[StatementModel<'_>]) -> Value {
    let mut map = Map::new();
    map.insert("Version".to_owned(), Value::String(VERSION.to_owned()));
    if !statements.is_empty() {
        map.insert(
            "Statement".to_owned(),
            Value::Array(statements.iter().map(statement_value).collect()),
        );
    }
    Value::Object(map)
}

/// The document (`json` layout), the compact text (`minified_json`) and the document value.
pub(crate) fn render(statements: &[Statement]) -> (Value, String, String) {
    let model: Vec<StatementModel<'_>> = statements.iter().map(statement_model).collect();
    let mut minified = String::with_capacity(64 + 192 * model.len());
    write_document(&mut minified, false, &model);
    let mut json = String::with_capacity(minified.len() * 2 + 16);
    write_document(&mut json, true, &model);
    (document_value(&model), json, minified)
}
