//! The IAM policy model and its rendering, byte-identical to Terraform's
//! `aws_iam_policy_document` data source (`json` and `minified_json`).

mod document;
mod json;
mod render;
mod sethash;

use serde::Serialize;
use tsify::Tsify;

pub use document::{Everyone, OneOrMany, PolicyDocument, PolicyStatement, Principal};

/// One statement as the `aws_iam_policy_document` data source receives it.
///
/// Lists are as configured (before Terraform's set semantics): rendering deduplicates and sorts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// `sid`; `None` or empty is omitted from the JSON.
    pub sid: Option<String>,
    /// `effect`, `Allow` or `Deny`.
    pub effect: String,
    /// `actions` (a set).
    pub actions: Vec<String>,
    /// `not_actions` (a set).
    pub not_actions: Vec<String>,
    /// `resources` (a set).
    pub resources: Vec<String>,
    /// `not_resources` (a set).
    pub not_resources: Vec<String>,
    /// `principals` blocks.
    pub principals: Vec<PrincipalBlock>,
    /// `not_principals` blocks.
    pub not_principals: Vec<PrincipalBlock>,
    /// `condition` blocks.
    pub conditions: Vec<ConditionBlock>,
}

/// A `principals` or `not_principals` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalBlock {
    /// `type`.
    pub kind: String,
    /// `identifiers` (a set).
    pub identifiers: Vec<String>,
}

/// A `condition` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConditionBlock {
    /// `test`.
    pub test: String,
    /// `variable`.
    pub variable: String,
    /// `values` (a list: order, duplicates and empty strings kept).
    pub values: Vec<String>,
}

/// A rendered policy document three ways: the document as a value, and the data source's two
/// texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Policy {
    /// The document as a value (key order as in `json`).
    pub document: PolicyDocument,
    /// Byte-identical to the data source's `json` attribute.
    pub json: String,
    /// Byte-identical to the data source's `minified_json` attribute.
    pub minified_json: String,
}

/// Renders statements as `aws_iam_policy_document` does (version `2012-10-17`, no `Id`).
///
/// The rules (reference `iam-rules.md` Part 1): keys in the order `Version`, `Statement` and
/// `Sid`, `Effect`, `Action`, `NotAction`, `Resource`, `NotResource`, `Principal`,
/// `NotPrincipal`, `Condition`, empty fields omitted; the string sets deduplicated, one element
/// as a string and more as an array in descending byte order; `&{` written as `${` in resources,
/// principal identifiers and condition values; principal and condition blocks merged in the
/// order of Terraform's block sets; strings escaped as Go's `encoding/json` escapes them.
///
/// An empty `effect` is omitted as Go's `omitempty` would (Terraform itself never passes one).
///
/// Strings are taken as given. Terraform normalizes every string to Unicode NFC before the
/// provider sees it (`e` + U+0301 arrives as `é`); callers wanting that must normalize first.
/// Blocks with equal set keys collapse as in Terraform; identifiers and other set elements are
/// deduplicated by value (Terraform would also drop one of two values whose CRC-32 collide).
pub fn render(statements: &[Statement]) -> Policy {
    let document = render::document(statements);
    Policy {
        json: json::pretty(&document),
        minified_json: json::compact(&document),
        document,
    }
}
