//! The IAM policy model and its rendering, byte-identical to Terraform's
//! `aws_iam_policy_document` data source (`json` and `minified_json`).

mod document;
mod json;
mod render;
mod sethash;

use std::borrow::Cow;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

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

/// A rendered policy document: the data source's two texts, and the document as a value.
///
/// Serialized (and in JS) it has three fields: `document`, the document as a JSON object (key
/// order as in `json`), then `json` and `minified_json`. `document` is serialized as
/// `minified_json` is read, rather than built as a `serde_json::Value` per policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Byte-identical to the data source's `json` attribute.
    pub json: Cow<'static, str>,
    /// Byte-identical to the data source's `minified_json` attribute.
    pub minified_json: Cow<'static, str>,
}

impl Policy {
    /// The same policy borrowing this one's texts (a policy kept for the program's life, such
    /// as a partition's trust policy: no copy per call, and JS receives it once).
    pub(crate) fn borrowed(&'static self) -> Policy {
        Policy {
            json: Cow::Borrowed(&self.json),
            minified_json: Cow::Borrowed(&self.minified_json),
        }
    }

    /// The document as a JSON value, parsed from `minified_json` (key order as in `json`).
    pub fn document(&self) -> serde_json::Value {
        serde_json::from_str(&self.minified_json).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Policy", 3)?;
        s.serialize_field("document", &document::JsonText(&self.minified_json))?;
        s.serialize_field("json", &crate::kept::Text(&self.json))?;
        s.serialize_field("minified_json", &crate::kept::Text(&self.minified_json))?;
        s.end()
    }
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
    let (json, minified_json) = render::render(statements);
    Policy {
        json: Cow::Owned(json),
        minified_json: Cow::Owned(minified_json),
    }
}
