//! The shape of a rendered policy document: what `aws_iam_policy_document` puts in its JSON.
//!
//! The renderer builds a [`PolicyDocument`] and writes both texts from it, so the value a
//! caller reads (`Policy::document`), its TypeScript type (tsify) and the two texts are one
//! fact. Maps are `BTreeMap`s: Go's `encoding/json` writes map keys in byte order, and so does
//! a `BTreeMap` of `String`s, so the value's key order is the texts' key order.

use std::collections::BTreeMap;

use serde::Serialize;
use tsify::Tsify;

/// A policy document as the data source renders it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct PolicyDocument {
    /// Always `2012-10-17`.
    #[serde(rename = "Version")]
    pub version: String,
    /// The statements; absent when there are none.
    #[serde(rename = "Statement", skip_serializing_if = "Vec::is_empty")]
    #[tsify(optional)]
    pub statement: Vec<PolicyStatement>,
}

/// One statement of a rendered document; absent fields are left out, as Go's `omitempty` does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[tsify(hashmap_as_object)]
pub struct PolicyStatement {
    /// The Sid; absent when empty.
    #[serde(rename = "Sid", skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny` (absent only when rendered from an empty effect, which Terraform never
    /// passes).
    #[serde(rename = "Effect", skip_serializing_if = "String::is_empty")]
    pub effect: String,
    /// `Action`.
    #[serde(rename = "Action", skip_serializing_if = "Option::is_none")]
    pub action: Option<OneOrMany>,
    /// `NotAction`.
    #[serde(rename = "NotAction", skip_serializing_if = "Option::is_none")]
    pub not_action: Option<OneOrMany>,
    /// `Resource`.
    #[serde(rename = "Resource", skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany>,
    /// `NotResource`.
    #[serde(rename = "NotResource", skip_serializing_if = "Option::is_none")]
    pub not_resource: Option<OneOrMany>,
    /// `Principal`.
    #[serde(rename = "Principal", skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// `NotPrincipal`.
    #[serde(rename = "NotPrincipal", skip_serializing_if = "Option::is_none")]
    pub not_principal: Option<Principal>,
    /// `Condition`: operator -> condition key -> values.
    #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
    pub condition: Option<BTreeMap<String, BTreeMap<String, OneOrMany>>>,
}

/// A string, or a list of strings where there are not exactly one (the data source writes a
/// set of one as a plain string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(untagged)]
pub enum OneOrMany {
    /// Exactly one value.
    One(String),
    /// Any other count, empty included.
    Many(Vec<String>),
}

/// `Principal` / `NotPrincipal`: everyone, or identifiers by principal type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(hashmap_as_object)]
#[serde(untagged)]
pub enum Principal {
    /// `"*"`: one block of type `*` whose identifiers are `["*"]`.
    All(Everyone),
    /// Principal type (`AWS`, `Service`, ...) -> identifiers.
    ByType(BTreeMap<String, OneOrMany>),
}

/// The principal `"*"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
pub enum Everyone {
    /// `"*"`.
    #[serde(rename = "*")]
    Star,
}
