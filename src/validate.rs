//! What IAM and Terraform would reject (SPEC §6).
//!
//! The facts behind every limit are in `reference/iam-rules.md` part 2 and `iam-rules.json`
//! (`limits`, `regexes_rust`, `condition_operators`). Patterns are checked by hand-written
//! parsers, not a regex engine, to keep the WebAssembly small.

mod policy_text;
mod unicode;

use std::collections::BTreeMap;

use crate::diagnostics::{list_chars, quoted, At, Code, Diagnostic, Diagnostics};
use crate::inputs::{did_you_mean, ConditionInput, Inputs, Options, Partition, StatementInput};
use crate::policy::Policy;
use crate::roles::{self, Role, LONGEST_SUFFIX, ROLE_SPECS};

/// IAM's maximum role name length (API_CreateRole).
const ROLE_NAME_MAX: usize = 64;
/// Most tags on a role.
const TAGS_MAX: usize = 50;
/// Longest tag key.
const TAG_KEY_MAX: usize = 128;
/// Longest tag value.
const TAG_VALUE_MAX: usize = 256;
/// Managed policies per role: IAM's default quota.
const MANAGED_POLICY_QUOTA: usize = 10;
/// Managed policies per role: the most the quota can be raised to.
const MANAGED_POLICY_LIMIT: usize = 20;
/// Aggregate inline policy size of a role, whitespace not counted.
const INLINE_POLICY_MAX: usize = 10_240;
/// Trust policy size (the default quota), whitespace not counted.
const TRUST_POLICY_MAX: usize = 2_048;
/// Length limits of a policy ARN (AttachRolePolicy).
const POLICY_ARN_LENGTH: (usize, usize) = (20, 2_048);
/// Longest managed policy name.
const POLICY_NAME_MAX: usize = 128;

/// IAM's 27 base condition operators; a condition's `test` is one of them, optionally with a
/// set qualifier before it ([`SET_QUALIFIERS`]) and `IfExists` after it (not after `Null`).
pub const CONDITION_OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// The set qualifiers a condition operator may start with.
pub const SET_QUALIFIERS: [&str; 2] = ["ForAllValues:", "ForAnyValue:"];
const IF_EXISTS: &str = "IfExists";

/// Errors (and quota warnings) about the decoded inputs.
///
/// Each check adds its diagnostics to `out` with [`Diagnostics::add`], which builds one only
/// when it can be returned: a check that fires for each of thousands of elements costs the
/// test, not the message.
pub fn check_inputs(inputs: &Inputs, options: &Options, out: &mut Diagnostics) {
    name_prefix(&inputs.name_prefix, out);
    tags(&inputs.tags, out);
    policy_arns(&inputs.additional_job_policy_arns, options.partition, out);
    managed_policy_count(&inputs.additional_job_policy_arns, out);
    if let Some(statements) = &inputs.custom_job_policy_statements {
        statements_map(statements, out);
    }
}

/// Size limits of the rendered policies.
pub fn check_roles(roles: &[Role], out: &mut Diagnostics) {
    let inline = roles
        .iter()
        .find_map(|role| role.inline_policy.as_ref())
        .map(|inline| &inline.policy);
    check_policy_sizes(inline, roles, out);
}

/// Size limits of the inline policy (the job role's, the only one) and of the trust policy of
/// each of `roles`, in the order of [`check_roles`]. `validate` checks the inline policy alone,
/// without building the roles: their trust policies are constants of the partition, far under
/// their limit (a test checks that).
pub fn check_policy_sizes(inline: Option<&Policy>, roles: &[Role], out: &mut Diagnostics) {
    out.extend(inline.and_then(inline_policy_size));
    for role in roles {
        out.extend(trust_policy_size(role));
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the checks.

/// The characters (Unicode scalar values) in `s`, as IAM counts lengths: the bytes that do not
/// continue a UTF-8 sequence. A plain loop, smaller in the wasm than `chars().count()`.
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// Characters IAM allows in role names (and managed policy names): `[A-Za-z0-9_+=,.@-]`.
fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

/// Characters IAM allows in tag keys and values: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
fn is_tag_char(c: char) -> bool {
    if c.is_ascii() {
        // The ASCII letters, numbers and separators are A-Z, a-z, 0-9 and the space.
        return c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@');
    }
    unicode::is_letter_number_or_separator(c)
}

/// Most distinct characters a message lists ([`list_chars`] says when there are more).
const BAD_CHARS_SHOWN: usize = crate::diagnostics::CHARS_SHOWN;

/// The distinct characters of `s` that fail `allowed`, in order of first appearance: the
/// first [`BAD_CHARS_SHOWN`] of them, and one more when there are more (then the scan stops:
/// linear in `s`, where collecting every distinct character of a long string was quadratic).
fn bad_chars(s: &str, allowed: fn(char) -> bool) -> Vec<char> {
    // Most strings are allowed ASCII: one pass over the bytes, nothing decoded.
    if s.bytes().all(|b| b.is_ascii() && allowed(char::from(b))) {
        return Vec::new();
    }
    let mut bad = Vec::new();
    for c in s.chars() {
        if !allowed(c) && !bad.contains(&c) {
            bad.push(c);
            if bad.len() > BAD_CHARS_SHOWN {
                break;
            }
        }
    }
    bad
}

/// `12345` → `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where the first `*` or `?` wildcard of an IAM pattern is (both are ASCII: a byte search).
pub(crate) fn first_wildcard(pattern: &str) -> Option<usize> {
    pattern.bytes().position(|b| b == b'*' || b == b'?')
}

/// For each of `keys`, the position of the first key equal to it when that is an earlier one
/// (`None` for the first of equal keys). O(n log n) with a map of first positions, where
/// comparing each key with every earlier one took 284 s for 100,000 policy ARNs. (A sort of
/// (key, position) pairs costs the wasm 2 KB more than the map.)
fn earlier_equal(keys: &[&str]) -> Vec<Option<usize>> {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    keys.iter()
        .enumerate()
        .map(|(i, key)| {
            let earlier = *first.entry(key).or_insert(i);
            (earlier != i).then_some(earlier)
        })
        .collect()
}

fn non_empty(list: &Option<Vec<String>>) -> bool {
    list.as_ref().is_some_and(|l| !l.is_empty())
}

// ---------------------------------------------------------------------------------------------
// name_prefix

fn name_prefix(prefix: &str, out: &mut Diagnostics) {
    let path = At::ROOT.attr("name_prefix");
    if prefix.is_empty() {
        return out.push(
            Diagnostic::at(
                Code::NamePrefixEmpty,
                &path,
                "name_prefix is empty, so the roles would be named \"-batch-job-role\" and so on",
            )
            .with_help("set name_prefix to a short name such as \"metaflow-prod\""),
        );
    }
    let bad = bad_chars(prefix, is_iam_name_char);
    if !bad.is_empty() {
        out.push(
            Diagnostic::at(
                Code::NamePrefixChars,
                &path,
                format!(
                    "name_prefix {} has characters IAM does not allow in role names: {}",
                    quoted(prefix),
                    list_chars(&bad)
                ),
            )
            .with_help("use only letters A-Z and a-z, digits 0-9 and _ + = , . @ -"),
        );
    }
    out.extend(role_name_length(prefix, &path));
}

/// The longest role name, `{prefix}-batch-instance-role`, must fit in 64 characters.
fn role_name_length(prefix: &str, path: &At<'_>) -> Option<Diagnostic> {
    let max_prefix = ROLE_NAME_MAX - LONGEST_SUFFIX.len();
    let length = char_count(prefix) + LONGEST_SUFFIX.len();
    (length > ROLE_NAME_MAX).then(|| {
        Diagnostic::at(
            Code::RoleNameTooLong,
            path,
            format!(
                "the role name {} is {length} characters; IAM allows at most {ROLE_NAME_MAX}",
                quoted(&format!("{prefix}{LONGEST_SUFFIX}"))
            ),
        )
        .with_help(format!(
            "shorten name_prefix to at most {max_prefix} characters (it has {})",
            char_count(prefix)
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// tags

fn tags(tags: &BTreeMap<String, String>, out: &mut Diagnostics) {
    let path = At::ROOT.attr("tags");
    if tags.len() > TAGS_MAX {
        out.push(
            Diagnostic::at(
                Code::TooManyTags,
                &path,
                format!(
                    "tags has {} entries; IAM allows at most {TAGS_MAX} tags on a role",
                    tags.len()
                ),
            )
            .with_help(format!(
                "remove {} tags, or merge related ones into one value",
                tags.len() - TAGS_MAX
            )),
        );
    }
    for (key, value) in tags {
        let at = path.key(key);
        tag_key_length(key, &at, out);
        tag_key_chars(key, &at, out);
        tag_key_reserved(key, &at, out);
        tag_value_length(key, value, &at, out);
        tag_value_chars(key, value, &at, out);
    }
    tag_key_duplicates(tags, &path, out);
}

fn tag_key_length(key: &str, at: &At<'_>, out: &mut Diagnostics) {
    let length = char_count(key);
    if length == 0 {
        return out.add(Code::TagKeyLength, || {
            Diagnostic::at(Code::TagKeyLength, at, "a tag key is empty")
                .with_help("give the tag a key of 1 to 128 characters")
        });
    }
    if length <= TAG_KEY_MAX {
        return;
    }
    out.add(Code::TagKeyLength, || {
        Diagnostic::at(
            Code::TagKeyLength,
            at,
            format!(
                "tag key {} is {length} characters; IAM allows at most {TAG_KEY_MAX}",
                quoted(key)
            ),
        )
        .with_help(format!(
            "shorten the key to at most {TAG_KEY_MAX} characters"
        ))
    });
}

fn tag_key_chars(key: &str, at: &At<'_>, out: &mut Diagnostics) {
    let bad = bad_chars(key, is_tag_char);
    if bad.is_empty() {
        return;
    }
    out.add(Code::TagKeyChars, || {
        Diagnostic::at(
            Code::TagKeyChars,
            at,
            format!(
                "tag key {} has characters IAM does not allow: {}",
                quoted(key),
                list_chars(&bad)
            ),
        )
        .with_help(TAG_CHARS_HELP)
    });
}

const TAG_CHARS_HELP: &str =
    "use only letters, digits, spaces and _ . : / = + - @ (letters and digits of any script)";

fn tag_key_reserved(key: &str, at: &At<'_>, out: &mut Diagnostics) {
    if !key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return;
    }
    out.add(Code::TagKeyReserved, || {
        Diagnostic::at(
            Code::TagKeyReserved,
            at,
            format!(
                "tag key {} starts with \"aws:\", a prefix AWS reserves for its own tags",
                quoted(key)
            ),
        )
        .with_help("rename the key without the aws: prefix, e.g. with your organisation's prefix")
    });
}

fn tag_value_length(key: &str, value: &str, at: &At<'_>, out: &mut Diagnostics) {
    let length = char_count(value);
    if length <= TAG_VALUE_MAX {
        return;
    }
    out.add(Code::TagValueLength, || {
        Diagnostic::at(
            Code::TagValueLength,
            at,
            format!(
                "the value of tag {} is {length} characters; IAM allows at most {TAG_VALUE_MAX}",
                quoted(key)
            ),
        )
        .with_help(format!(
            "shorten the value to at most {TAG_VALUE_MAX} characters"
        ))
    });
}

fn tag_value_chars(key: &str, value: &str, at: &At<'_>, out: &mut Diagnostics) {
    let bad = bad_chars(value, is_tag_char);
    if bad.is_empty() {
        return;
    }
    out.add(Code::TagValueChars, || {
        Diagnostic::at(
            Code::TagValueChars,
            at,
            format!(
                "the value {} of tag {} has characters IAM does not allow: {}",
                quoted(value),
                quoted(key),
                list_chars(&bad)
            ),
        )
        .with_help(TAG_CHARS_HELP)
    });
}

/// `s` with every character lowercased on its own (as `char::to_lowercase`).
pub(crate) fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        unicode::push_lowercase(c, &mut out);
    }
    out
}

/// IAM role tag keys are case-insensitive: the later of two equal keys is reported.
fn tag_key_duplicates(tags: &BTreeMap<String, String>, path: &At<'_>, out: &mut Diagnostics) {
    let lowered: Vec<String> = tags.keys().map(|key| lowercase(key)).collect();
    let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
    let keys: Vec<&String> = tags.keys().collect();
    for (key, first) in keys.iter().zip(earlier_equal(&lowered)) {
        if let Some(earlier) = first.and_then(|i| keys.get(i)) {
            out.add(Code::TagKeyDuplicate, || {
                Diagnostic::at(
                    Code::TagKeyDuplicate,
                    &path.key(key),
                    format!(
                        "tag key {} equals {} ignoring case; IAM role tag keys are \
                         case-insensitive, so one tag would replace the other",
                        quoted(key),
                        quoted(earlier)
                    ),
                )
                .with_help("keep only one of the two keys")
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Managed policy ARNs

/// A parsed `arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PolicyArn<'a> {
    /// The partition (`aws`, `aws-cn`, ...); any `[a-z0-9-]+`.
    pub partition: &'a str,
    /// `aws` or 12 digits.
    pub account: &'a str,
    /// The path between `policy/` and the name, with its trailing `/` (often empty).
    pub path: &'a str,
    /// The policy name.
    pub name: &'a str,
}

/// Parses a managed policy ARN; the error says what is wrong, for a message.
pub(crate) fn parse_policy_arn(arn: &str) -> Result<PolicyArn<'_>, String> {
    let length = char_count(arn);
    let (min, max) = POLICY_ARN_LENGTH;
    if !(min..=max).contains(&length) {
        return Err(format!(
            "it is {length} characters; a policy ARN has {min} to {max}"
        ));
    }
    let mut parts = arn.splitn(6, ':');
    let fields: [Option<&str>; 6] = std::array::from_fn(|_| parts.next());
    let [Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)] =
        fields
    else {
        return Err("it is not of the form arn:PARTITION:iam::ACCOUNT:policy/NAME".to_owned());
    };
    check_partition(partition)?;
    if service != "iam" {
        return Err(format!("its service is {}, not \"iam\"", quoted(service)));
    }
    if !region.is_empty() {
        return Err(format!(
            "it has the region {}; IAM ARNs have none (\"iam::\")",
            quoted(region)
        ));
    }
    check_account(account)?;
    let (path, name) = parse_policy_resource(resource)?;
    Ok(PolicyArn {
        partition,
        account,
        path,
        name,
    })
}

fn check_partition(partition: &str) -> Result<(), String> {
    let valid = !partition.is_empty()
        && partition
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "its partition {} is not a partition such as aws, aws-cn or aws-us-gov",
            quoted(partition)
        ))
    }
}

fn check_account(account: &str) -> Result<(), String> {
    let valid =
        account == "aws" || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "its account {} is neither \"aws\" (an AWS managed policy) nor 12 digits",
            quoted(account)
        ))
    }
}

/// `policy/(PATH/)*NAME` → (path with trailing `/`, name).
fn parse_policy_resource(resource: &str) -> Result<(&str, &str), String> {
    let Some(rest) = resource.strip_prefix("policy/") else {
        return Err(format!(
            "its resource {} does not start with \"policy/\"",
            quoted(resource)
        ));
    };
    let (path, name) = match rest.rfind('/') {
        Some(slash) => rest.split_at_checked(slash + 1).unwrap_or(("", rest)),
        None => ("", rest),
    };
    // Path segments: printable ASCII except '/' (`[\x21-\x2E\x30-\x7E]+`), none empty.
    let segments_ok = path
        .split_terminator('/')
        .all(|s| !s.is_empty() && s.chars().all(|c| ('!'..='~').contains(&c)));
    if !segments_ok {
        return Err(format!(
            "its path {} has an empty segment or characters other than printable ASCII",
            quoted(path)
        ));
    }
    let name_length = char_count(name);
    if name_length == 0 || name_length > POLICY_NAME_MAX {
        return Err(format!(
            "its policy name is {name_length} characters; IAM allows 1 to {POLICY_NAME_MAX}"
        ));
    }
    let bad = bad_chars(name, is_iam_name_char);
    if !bad.is_empty() {
        return Err(format!(
            "its policy name {} has characters IAM does not allow: {}",
            quoted(name),
            list_chars(&bad)
        ));
    }
    Ok((path, name))
}

fn policy_arns(arns: &[String], partition: Partition, out: &mut Diagnostics) {
    let path = At::ROOT.attr("additional_job_policy_arns");
    for (i, arn) in arns.iter().enumerate() {
        let at = path.index(i);
        match parse_policy_arn(arn) {
            Err(reason) => out.add(Code::PolicyArnMalformed, || {
                policy_arn_malformed(arn, &reason, &at)
            }),
            Ok(parsed) => policy_arn_partition(arn, &parsed, partition, &at, out),
        }
    }
    policy_arn_duplicates(arns, partition, &path, out);
}

fn policy_arn_malformed(arn: &str, reason: &str, at: &At<'_>) -> Diagnostic {
    Diagnostic::at(
        Code::PolicyArnMalformed,
        at,
        format!("{} is not a managed policy ARN: {reason}", quoted(arn)),
    )
    .with_help(
        "write it as arn:aws:iam::aws:policy/NAME for an AWS managed policy, or \
         arn:aws:iam::123456789012:policy/NAME for one of your own",
    )
}

fn policy_arn_partition(
    arn: &str,
    parsed: &PolicyArn<'_>,
    partition: Partition,
    at: &At<'_>,
    out: &mut Diagnostics,
) {
    if parsed.partition == partition.as_str() {
        return;
    }
    out.add(Code::PolicyArnPartition, || {
        let fixed = format!(
            "arn:{}:iam::{}:policy/{}{}",
            partition.as_str(),
            parsed.account,
            parsed.path,
            parsed.name
        );
        Diagnostic::at(
            Code::PolicyArnPartition,
            at,
            format!(
                "{} is in the partition {}, but the roles are in \"{}\" (the partition option)",
                quoted(arn),
                quoted(parsed.partition),
                partition.as_str()
            ),
        )
        .with_help(format!(
            "use {}, or set the partition option to {}",
            quoted(&fixed),
            quoted(parsed.partition)
        ))
    });
}

/// The job role's default managed policies in `partition` (the job role is the first of
/// `ROLE_SPECS`).
fn job_role_defaults(partition: Partition) -> &'static [roles::DefaultPolicy] {
    roles::partition_parts(partition)
        .first()
        .map_or(&[], |parts| &parts.managed)
}

fn policy_arn_duplicates(
    arns: &[String],
    partition: Partition,
    path: &At<'_>,
    out: &mut Diagnostics,
) {
    let keys: Vec<&str> = arns.iter().map(String::as_str).collect();
    for ((i, arn), earlier) in arns.iter().enumerate().zip(earlier_equal(&keys)) {
        let default = job_role_defaults(partition)
            .iter()
            .any(|default| default.arn == *arn);
        if !default && earlier.is_none() {
            continue;
        }
        out.add(Code::PolicyArnDuplicate, || {
            let message = match earlier {
                Some(j) if !default => format!(
                    "{} is listed twice: also at {}",
                    quoted(arn),
                    path.index(j).terraform()
                ),
                _ => format!(
                    "{} is already attached to the job role by default",
                    quoted(arn)
                ),
            };
            Diagnostic::at(Code::PolicyArnDuplicate, &path.index(i), message)
                .with_help("remove this entry: a policy is attached to a role only once")
        });
    }
}

fn managed_policy_count(additional: &[String], out: &mut Diagnostics) {
    out.extend(managed_policy_count_problem(additional));
}

fn managed_policy_count_problem(additional: &[String]) -> Option<Diagnostic> {
    let defaults = ROLE_SPECS.first().map_or(0, |job| job.managed.len());
    let total = defaults + additional.len();
    if total <= MANAGED_POLICY_QUOTA {
        return None;
    }
    let path = At::ROOT.attr("additional_job_policy_arns");
    let counted = format!(
        "the job role would have {total} managed policies ({defaults} defaults + {} additional)",
        additional.len()
    );
    if total > MANAGED_POLICY_LIMIT {
        Some(
            Diagnostic::at(
                Code::ManagedPolicyLimit,
                &path,
                format!("{counted}; IAM allows at most {MANAGED_POLICY_LIMIT} on a role"),
            )
            .with_help(format!(
                "remove at least {} ARNs: move their permissions into \
                 custom_job_policy_statements or combine them in one customer managed policy",
                total - MANAGED_POLICY_LIMIT
            )),
        )
    } else {
        Some(
            Diagnostic::at(
                Code::ManagedPolicyQuota,
                &path,
                format!(
                    "{counted}; IAM's default quota is {MANAGED_POLICY_QUOTA} per role, so the \
                     attachment fails unless the account's quota was raised"
                ),
            )
            .with_help(format!(
                "request a quota increase (up to {MANAGED_POLICY_LIMIT}) for \"Managed policies \
                 per role\", or keep at most {} additional ARNs",
                MANAGED_POLICY_QUOTA - defaults
            )),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Statements of the inline policy

fn statements_map(statements: &BTreeMap<String, StatementInput>, out: &mut Diagnostics) {
    let path = At::ROOT.attr("custom_job_policy_statements");
    if statements.is_empty() {
        return out.push(
            Diagnostic::at(
                Code::EmptyStatements,
                &path,
                "custom_job_policy_statements is an empty map, so the job role gets no inline \
                 policy",
            )
            .with_help("add statements, or leave custom_job_policy_statements out (null)"),
        );
    }
    for (key, statement) in statements {
        statement_checks(key, statement, &path.key(key), out);
    }
    sid_duplicates(statements, &path, out);
}

fn statement_checks(key: &str, statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    out.extend(sid_empty(key, statement, at));
    sid_chars(key, statement, at, out);
    effect(&statement.effect, at, out);
    action_presence(statement, at, out);
    resource_presence(statement, at, out);
    for (attr, list) in [
        ("actions", &statement.actions),
        ("not_actions", &statement.not_actions),
    ] {
        for (i, action) in list.iter().flatten().enumerate() {
            action_malformed(action, &at.attr(attr).index(i), out);
        }
    }
    principals(statement, at, out);
    for (i, condition) in statement.condition.iter().flatten().enumerate() {
        condition_checks(condition, &at.attr("condition").index(i), out);
    }
    out.extend(policy_text::statement_text(statement, at));
}

/// The map key `""` with no sid: the module's `try(coalesce(statement.value.sid,
/// statement.key))` has no non-empty argument, and Terraform fails at plan.
fn sid_empty(key: &str, statement: &StatementInput, at: &At<'_>) -> Option<Diagnostic> {
    roles::effective_sid(key, statement).is_empty().then(|| {
        let sid = match &statement.sid {
            None => "no sid",
            Some(_) => "sid = \"\"",
        };
        Diagnostic::at(
            Code::SidEmpty,
            at,
            format!(
                "the statement's map key is \"\" and it has {sid}, so the module's \
                 coalesce(sid, key) fails at plan: Terraform's \"Call to function \
                 \"coalesce\" failed: no non-null, non-empty-string arguments.\""
            ),
        )
        .with_help(
            "give the statement a non-empty key, or set sid = \"Statement1\" (letters and digits)",
        )
    })
}

/// Where a Sid problem is: `.sid` when set, the statement when the key is the Sid.
fn sid_path<'a>(statement: &StatementInput, at: &'a At<'a>) -> At<'a> {
    match &statement.sid {
        Some(sid) if !sid.is_empty() => at.attr("sid"),
        _ => *at,
    }
}

/// `secrets_access` → `SecretsAccess`: a Sid IAM accepts, for the help text.
fn suggested_sid(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        return "Statement1".to_owned();
    }
    // A suggestion is echoed twice in the help: cut like every echo (all ASCII here).
    out.truncate(crate::diagnostics::SHOWN);
    out
}

fn sid_chars(key: &str, statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    let sid = roles::effective_sid(key, statement);
    let bad = bad_chars(sid, |c| c.is_ascii_alphanumeric());
    if !bad.is_empty() {
        out.add(Code::SidChars, || {
            sid_chars_diagnostic(key, sid, &bad, statement, at)
        });
    }
}

fn sid_chars_diagnostic(
    key: &str,
    sid: &str,
    bad: &[char],
    statement: &StatementInput,
    at: &At<'_>,
) -> Diagnostic {
    let suggestion = suggested_sid(sid);
    let from_key = !matches!(&statement.sid, Some(s) if !s.is_empty());
    let (message, help) = if from_key {
        (
            format!(
                "the map key {} becomes the statement's Sid (sid is not set), and IAM allows \
                 only letters A-Z, a-z and digits in a Sid, not {}",
                quoted(key),
                list_chars(bad)
            ),
            format!("set sid = \"{suggestion}\" in the statement, or rename the key to \"{suggestion}\""),
        )
    } else {
        (
            format!(
                "sid {} has characters IAM does not allow in a Sid: {}",
                quoted(sid),
                list_chars(bad)
            ),
            format!("use only letters A-Z, a-z and digits, e.g. sid = \"{suggestion}\""),
        )
    };
    Diagnostic::at(Code::SidChars, &sid_path(statement, at), message).with_help(help)
}

fn sid_duplicates(
    statements: &BTreeMap<String, StatementInput>,
    path: &At<'_>,
    out: &mut Diagnostics,
) {
    let sids: Vec<&str> = statements
        .iter()
        .map(|(key, statement)| roles::effective_sid(key, statement))
        .collect();
    let keys: Vec<&String> = statements.keys().collect();
    for ((key, statement), first) in statements.iter().zip(earlier_equal(&sids)) {
        let sid = roles::effective_sid(key, statement);
        if let Some(earlier) = first.and_then(|i| keys.get(i)) {
            out.add(Code::SidDuplicate, || {
                Diagnostic::at(
                    Code::SidDuplicate,
                    &sid_path(statement, &path.key(key)),
                    format!(
                        "Sid {} is also the Sid of {}; Sids must be unique within a policy",
                        quoted(sid),
                        path.key(earlier).terraform()
                    ),
                )
                .with_help("give each statement its own sid")
            });
        }
    }
}

fn effect(effect: &str, at: &At<'_>, out: &mut Diagnostics) {
    if effect == "Allow" || effect == "Deny" {
        return;
    }
    out.add(Code::EffectInvalid, || {
        let help = ["Allow", "Deny"]
            .into_iter()
            .find(|e| e.eq_ignore_ascii_case(effect.trim()))
            .map(|e| format!("write \"{e}\": IAM compares the effect case-sensitively"))
            .unwrap_or_else(|| "use \"Allow\" or \"Deny\"".to_owned());
        Diagnostic::at(
            Code::EffectInvalid,
            &at.attr("effect"),
            format!(
                "effect {} is neither \"Allow\" nor \"Deny\"",
                quoted(effect)
            ),
        )
        .with_help(help)
    });
}

fn action_presence(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    match (
        non_empty(&statement.actions),
        non_empty(&statement.not_actions),
    ) {
        (true, true) => out.add(Code::ActionConflict, || {
            Diagnostic::at(
                Code::ActionConflict,
                at,
                "the statement has both actions and not_actions; IAM allows only one of them",
            )
            .with_help("keep actions (the actions granted) and remove not_actions")
        }),
        (false, false) => out.add(Code::ActionMissing, || {
            Diagnostic::at(
                Code::ActionMissing,
                at,
                "the statement has no actions (actions and not_actions are both unset or empty)",
            )
            .with_help("list the actions it grants, e.g. actions = [\"s3:GetObject\"]")
        }),
        _ => {}
    }
}

fn resource_presence(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    match (
        non_empty(&statement.resources),
        non_empty(&statement.not_resources),
    ) {
        (true, true) => out.add(Code::ResourceConflict, || {
            Diagnostic::at(
                Code::ResourceConflict,
                at,
                "the statement has both resources and not_resources; IAM allows only one of them",
            )
            .with_help("keep resources (the resources it applies to) and remove not_resources")
        }),
        (false, false) => out.add(Code::ResourceMissing, || {
            Diagnostic::at(
                Code::ResourceMissing,
                at,
                "the statement has no resources (resources and not_resources are both unset \
                 or empty); IAM requires one in an identity policy",
            )
            .with_help(
                "list the resources it applies to, e.g. resources = [\"arn:aws:s3:::my-bucket/*\"]",
            )
        }),
        _ => {}
    }
}

/// Why `action` is not `*` or `service:name` (`[A-Za-z0-9-]+:[A-Za-z0-9*?]+`).
fn action_problem(action: &str) -> Option<String> {
    if action == "*" {
        return None;
    }
    let Some((service, name)) = action.split_once(':') else {
        return Some("it has no \":\" between the service and the action name".to_owned());
    };
    if service.is_empty() {
        return Some("the service prefix before \":\" is empty".to_owned());
    }
    if first_wildcard(service).is_some() {
        return Some(format!(
            "the service prefix {} has a wildcard; wildcards are allowed only in the action name",
            quoted(service)
        ));
    }
    let bad = bad_chars(service, |c| c.is_ascii_alphanumeric() || c == '-');
    if !bad.is_empty() {
        return Some(format!(
            "the service prefix {} has characters other than letters, digits and -: {}",
            quoted(service),
            list_chars(&bad)
        ));
    }
    if name.is_empty() {
        return Some("the action name after \":\" is empty".to_owned());
    }
    let bad = bad_chars(name, |c| c.is_ascii_alphanumeric() || c == '*' || c == '?');
    (!bad.is_empty()).then(|| {
        format!(
            "the action name {} has characters other than letters, digits, * and ?: {}",
            quoted(name),
            list_chars(&bad)
        )
    })
}

fn action_malformed(action: &str, at: &At<'_>, out: &mut Diagnostics) {
    let Some(reason) = action_problem(action) else {
        return;
    };
    out.add(Code::ActionMalformed, || {
        Diagnostic::at(
            Code::ActionMalformed,
            at,
            format!(
                "action {} is not \"*\" or service:Action: {reason}",
                quoted(action)
            ),
        )
        .with_help("write it as service:Action, e.g. \"s3:GetObject\" or \"s3:Get*\"")
    });
}

fn principals(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    for (attr, list) in [
        ("principals", &statement.principals),
        ("not_principals", &statement.not_principals),
    ] {
        if list.as_ref().is_some_and(|l| !l.is_empty()) {
            out.add(Code::PrincipalInIdentityPolicy, || {
                Diagnostic::at(
                    Code::PrincipalInIdentityPolicy,
                    &at.attr(attr),
                    format!(
                        "{attr} is set, but the job role's inline policy is an identity policy, \
                         which IAM rejects with a principal"
                    ),
                )
                .with_help(format!(
                    "remove {attr}: the policy applies to the job role itself, and who may \
                     assume the role is fixed by the module (ecs-tasks.amazonaws.com)"
                ))
            });
        }
    }
}

/// A condition operator, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Operator<'a> {
    /// `ForAllValues:` or `ForAnyValue:`, if present.
    qualifier: Option<&'a str>,
    /// One of the 27 base operators (when valid).
    base: &'a str,
    /// Whether it ends in `IfExists`.
    if_exists: bool,
}

/// Splits `test` into qualifier, base and `IfExists`, without checking the base.
fn split_operator(test: &str) -> Operator<'_> {
    let (qualifier, rest) = SET_QUALIFIERS
        .iter()
        .find_map(|q| test.strip_prefix(q).map(|rest| (Some(*q), rest)))
        .unwrap_or((None, test));
    let (base, if_exists) = match rest.strip_suffix(IF_EXISTS) {
        Some(base) => (base, true),
        None => (rest, false),
    };
    Operator {
        qualifier,
        base,
        if_exists,
    }
}

/// Whether `test` is a condition operator IAM knows: [`operator_problem`] is `None`.
fn is_operator(test: &str) -> bool {
    let op = split_operator(test);
    CONDITION_OPERATORS.contains(&op.base) && !(op.base == "Null" && op.if_exists)
}

/// Why `test` is not a condition operator IAM knows, and the closest one, if it is not.
fn operator_problem(test: &str) -> Option<(String, Option<String>)> {
    let op = split_operator(test);
    if CONDITION_OPERATORS.contains(&op.base) {
        if op.base == "Null" && op.if_exists {
            return Some((
                "Null cannot take the IfExists suffix".to_owned(),
                Some(test.strip_suffix(IF_EXISTS).unwrap_or(test).to_owned()),
            ));
        }
        return None;
    }
    let rest = test
        .strip_prefix(op.qualifier.unwrap_or(""))
        .unwrap_or(test);
    if op.qualifier.is_none() {
        if let Some((prefix, after)) = test.split_once(':') {
            return Some(unknown_qualifier(prefix, after));
        }
    }
    let suggestion =
        closest_operator(rest).map(|close| format!("{}{close}", op.qualifier.unwrap_or("")));
    Some((
        format!("{} is not one of IAM's condition operators", quoted(rest)),
        suggestion,
    ))
}

/// `Prefix:Operator` where `Prefix:` is not `ForAllValues:` or `ForAnyValue:`.
fn unknown_qualifier(prefix: &str, after: &str) -> (String, Option<String>) {
    let qualifiers: Vec<String> = SET_QUALIFIERS.iter().map(|q| (*q).to_owned()).collect();
    let qualifier = closest_ignoring_case(&format!("{prefix}:"), &qualifiers);
    // `after` is not split at a `:` again: a test of many `:` costs one pass, not one
    // level of recursion each.
    let operator = if is_operator(after) && split_operator(after).qualifier.is_none() {
        Some(after.to_owned())
    } else {
        closest_operator(after)
    };
    (
        format!(
            "{} is not a set qualifier (ForAllValues: or ForAnyValue:)",
            quoted(&format!("{prefix}:"))
        ),
        qualifier.zip(operator).map(|(q, o)| format!("{q}{o}")),
    )
}

/// The operator (a base operator, or one with `IfExists`) closest to `s`.
fn closest_operator(s: &str) -> Option<String> {
    let forms: Vec<String> = CONDITION_OPERATORS
        .iter()
        .flat_map(|base| {
            let if_exists = (*base != "Null").then(|| format!("{base}{IF_EXISTS}"));
            std::iter::once((*base).to_owned()).chain(if_exists)
        })
        .collect();
    closest_ignoring_case(s, &forms)
}

/// The candidate closest to `s` when it looks like a typo of it, compared ignoring case.
fn closest_ignoring_case(s: &str, candidates: &[String]) -> Option<String> {
    let lower: Vec<String> = candidates.iter().map(|c| c.to_ascii_lowercase()).collect();
    let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    let close = did_you_mean(s, &refs)?;
    let index = refs.iter().position(|c| *c == close)?;
    candidates.get(index).cloned()
}

fn condition_checks(condition: &ConditionInput, at: &At<'_>, out: &mut Diagnostics) {
    if is_operator(&condition.test) {
        condition_bool_values(condition, at, out);
    } else {
        // What is wrong and the closest operator are worked out only for a kept diagnostic.
        out.add(Code::ConditionOperatorUnknown, || {
            let (reason, suggestion) = operator_problem(&condition.test).unwrap_or_default();
            condition_operator_unknown(&condition.test, &reason, suggestion, at)
        });
    }
    if condition.values.is_empty() {
        out.add(Code::ConditionValuesEmpty, || {
            condition_values_empty(condition, at)
        });
    }
}

/// `values = []`: Terraform renders `"key": []` and IAM accepts it; Access Analyzer's
/// suggestions "Empty array condition" and its ForAllValues, ForAnyValue and IfExists variants
/// (reference/aa_checks.json) say what the empty set does, in their words.
fn condition_values_empty(condition: &ConditionInput, at: &At<'_>) -> Diagnostic {
    let quoted_key = quoted(&condition.variable);
    // Inside Access Analyzer's quoted words, the key escaped but without quotes of its own.
    let key = quoted_key
        .get(1..quoted_key.len() - 1)
        .unwrap_or(&quoted_key);
    let operator = split_operator(&condition.test);
    let null_instead = "to require that the key is absent, use test = \"Null\" with values = \
                        [\"true\"]; otherwise give at least one value"
        .to_owned();
    let (what, help) = match (operator.qualifier, operator.if_exists) {
        (Some("ForAllValues:"), _) => (
            format!(
                "The ForAllValues prefix with an empty condition key matches only if the key \
                 {key} is missing from the request context."
            ),
            null_instead,
        ),
        (_, true) => (
            format!(
                "The IfExists suffix with an empty condition key matches only if the key {key} \
                 is missing from the request context."
            ),
            null_instead,
        ),
        (Some(_), false) => (
            format!(
                "The ForAnyValue prefix with an empty condition key {key} never matches the \
                 request context and it does not affect the policy."
            ),
            "give at least one value, or remove the condition".to_owned(),
        ),
        (None, false) => (
            format!(
                "There are no values for the condition key {key} and it does not affect the \
                 policy."
            ),
            "give at least one value, or remove the condition".to_owned(),
        ),
    };
    Diagnostic::at(
        Code::ConditionValuesEmpty,
        &at.attr("values"),
        format!(
            "the {} condition on {quoted_key} has no values; Terraform renders \
             {quoted_key}: [] and IAM accepts it. IAM Access Analyzer: \"{what}\"",
            quoted(&condition.test)
        ),
    )
    .with_help(help)
}

fn condition_operator_unknown(
    test: &str,
    reason: &str,
    suggestion: Option<String>,
    at: &At<'_>,
) -> Diagnostic {
    let help = match suggestion {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => "use an operator such as StringEquals, StringLike, ArnLike, Bool or Null, \
                 optionally with the IfExists suffix or a ForAllValues:/ForAnyValue: prefix"
            .to_owned(),
    };
    Diagnostic::at(
        Code::ConditionOperatorUnknown,
        &at.attr("test"),
        format!("condition test {} is not valid: {reason}", quoted(test)),
    )
    .with_help(help)
}

/// `Null` and `Bool` (in any form) take only `true` or `false`.
fn condition_bool_values(condition: &ConditionInput, at: &At<'_>, out: &mut Diagnostics) {
    let base = split_operator(&condition.test).base;
    if base != "Null" && base != "Bool" {
        return;
    }
    for (i, value) in condition.values.iter().enumerate() {
        if value == "true" || value == "false" {
            continue;
        }
        out.add(Code::ConditionValueNotBool, || {
            let help = match value.to_ascii_lowercase().as_str() {
                lower @ ("true" | "false") => format!("write \"{lower}\" in lower case"),
                _ if base == "Null" => {
                    "use \"true\" (the key is absent) or \"false\" (the key is present)".to_owned()
                }
                _ => "use \"true\" or \"false\"".to_owned(),
            };
            Diagnostic::at(
                Code::ConditionValueNotBool,
                &at.attr("values").index(i),
                format!(
                    "value {} of the {} condition is not \"true\" or \"false\"",
                    quoted(value),
                    quoted(&condition.test)
                ),
            )
            .with_help(help)
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes of the rendered policies

/// Characters IAM counts against a policy size limit: all but whitespace.
fn policy_size(minified_json: &str) -> usize {
    if minified_json.is_ascii() {
        // The ASCII white space of `char::is_whitespace`: tab to carriage return, and space.
        return minified_json
            .bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count();
    }
    minified_json.chars().filter(|c| !c.is_whitespace()).count()
}

/// The size of a policy over `limit` characters, or `None` when it fits. A text of at most
/// `limit` bytes fits without counting: every character takes at least one byte.
fn size_over(minified_json: &str, limit: usize) -> Option<usize> {
    if minified_json.len() <= limit {
        return None;
    }
    Some(policy_size(minified_json)).filter(|size| *size > limit)
}

fn inline_policy_size(inline: &Policy) -> Option<Diagnostic> {
    size_over(&inline.minified_json, INLINE_POLICY_MAX).map(|size| {
        Diagnostic::at(
            Code::InlinePolicyTooLarge,
            &At::ROOT.attr("custom_job_policy_statements"),
            format!(
                "the job role's inline policy is {} characters without whitespace; IAM allows \
                 at most {} for a role's inline policies",
                thousands(size),
                thousands(INLINE_POLICY_MAX)
            ),
        )
        .with_help(
            "shorten it: merge statements with the same effect and resources, use wildcards \
             such as \"s3:Get*\", or move statements into customer managed policies (6,144 \
             characters each) listed in additional_job_policy_arns",
        )
    })
}

fn trust_policy_size(role: &Role) -> Option<Diagnostic> {
    size_over(&role.assume_role_policy.minified_json, TRUST_POLICY_MAX).map(|size| {
        Diagnostic::at(
            Code::TrustPolicyTooLarge,
            &At::ROOT,
            format!(
                "the trust policy of role {} is {} characters without whitespace; IAM's default \
                 quota is {}",
                quoted(&role.name),
                thousands(size),
                thousands(TRUST_POLICY_MAX)
            ),
        )
        .with_help("request a higher \"Role trust policy length\" quota (up to 4,096)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_policy_arns() {
        // Shapes from iam-rules.md §2.4 (managed policy ARN examples).
        let aws = parse_policy_arn("arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole");
        assert_eq!(
            aws,
            Ok(PolicyArn {
                partition: "aws",
                account: "aws",
                path: "service-role/",
                name: "AWSBatchServiceRole"
            })
        );
        let own = parse_policy_arn("arn:aws-cn:iam::123456789012:policy/division_abc/sub_xyz/Name");
        assert_eq!(
            own.map(|a| (a.partition, a.account, a.path, a.name)),
            Ok(("aws-cn", "123456789012", "division_abc/sub_xyz/", "Name"))
        );
        for bad in [
            "",
            "AmazonS3FullAccess",
            "arn:aws:iam::aws:role/Foo",
            "arn:aws:s3::aws:policy/Foo",
            "arn:aws:iam:us-east-1:aws:policy/Foo",
            "arn:aws:iam::12345:policy/Foo",
            "arn:aws:iam::aws:policy/",
            "arn:aws:iam::aws:policy//Foo",
            "arn:aws:iam::aws:policy/Fo o",
            "arn:AWS:iam::aws:policy/Foo",
            "arn:aws:iam::aws:policy/a b/Foo",
        ] {
            assert!(parse_policy_arn(bad).is_err(), "{bad}");
        }
        let long_name = format!("arn:aws:iam::aws:policy/{}", "a".repeat(129));
        assert!(parse_policy_arn(&long_name).is_err());
        let max_name = format!("arn:aws:iam::aws:policy/{}", "a".repeat(128));
        assert!(parse_policy_arn(&max_name).is_ok());
    }

    #[test]
    fn finds_the_first_of_equal_keys() {
        let keys = ["b", "a", "b", "c", "a", "b"];
        let expected = [None, None, Some(0), None, Some(1), Some(0)];
        assert_eq!(earlier_equal(&keys), expected);
        assert_eq!(earlier_equal(&[]), []);
    }

    #[test]
    fn operators_are_what_operator_problem_accepts() {
        let mut tests: Vec<String> = Vec::new();
        for base in CONDITION_OPERATORS
            .iter()
            .chain(&["Nul", "", "IfExists", "stringequals"])
        {
            for prefix in ["", "ForAllValues:", "ForAnyValue:", "Other:", ":"] {
                for suffix in ["", IF_EXISTS, "IfExist", ":"] {
                    tests.push(format!("{prefix}{base}{suffix}"));
                }
            }
        }
        for test in &tests {
            assert_eq!(
                is_operator(test),
                operator_problem(test).is_none(),
                "{test}"
            );
        }
    }

    #[test]
    fn lists_at_most_eight_bad_characters() {
        let bad = bad_chars("#$%^&*()!~`", is_iam_name_char);
        // Eight shown, one more found to say there are others; the scan stops there.
        assert_eq!(bad.len(), BAD_CHARS_SHOWN + 1);
        assert_eq!(
            list_chars(&bad),
            "'#', '$', '%', '^', '&', '*', '(', ')' and others"
        );
        let eight = bad_chars("#$%^&*()", is_iam_name_char);
        assert_eq!(list_chars(&eight), "'#', '$', '%', '^', '&', '*', '(', ')'");
    }

    #[test]
    fn splits_operators() {
        let op = split_operator("ForAnyValue:StringLikeIfExists");
        assert_eq!(op.qualifier, Some("ForAnyValue:"));
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists);
        assert_eq!(split_operator("Null").base, "Null");
        assert!(operator_problem("NullIfExists").is_some());
        assert_eq!(
            operator_problem("StringEqual").and_then(|p| p.1),
            Some("StringEquals".to_owned())
        );
        assert_eq!(
            operator_problem("ForAllValues:stringlikeIfExists").and_then(|p| p.1),
            Some("ForAllValues:StringLikeIfExists".to_owned())
        );
        assert_eq!(
            operator_problem("ForAnyValue:StringLikeIfExist").and_then(|p| p.1),
            Some("ForAnyValue:StringLikeIfExists".to_owned())
        );
        assert_eq!(
            operator_problem("ForAnyValues:StringLike").and_then(|p| p.1),
            Some("ForAnyValue:StringLike".to_owned())
        );
        assert_eq!(
            operator_problem("ForAllValues:Whatever").and_then(|p| p.1),
            None
        );
        assert!(operator_problem("IfExists").is_some());
    }

    #[test]
    fn checks_actions() {
        // The action grammar of iam-rules.md §2.4 / regexes_rust.action.
        for good in [
            "*",
            "s3:GetObject",
            "s3:Get*",
            "iam:*AccessKey*",
            "a-b:X?y",
            "S3:get",
        ] {
            assert_eq!(action_problem(good), None, "{good}");
        }
        for bad in [
            "s3GetObject",
            ":Get",
            "s3:",
            "s*:Get",
            "s3:Get-Object",
            " s3:Get",
            "s3:Get:Object",
            "",
        ] {
            assert!(action_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(thousands(10_240), "10,240");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(suggested_sid("secrets_access"), "SecretsAccess");
        assert_eq!(suggested_sid("--"), "Statement1");
        assert_eq!(policy_size("{\"a\": \"b c\"}"), 10);
    }

    /// The role set of a configuration with one statement, its policies replaced by
    /// `inline` and `trust` as if rendered so.
    fn roles_with(inline: &str, trust: &str) -> Vec<Role> {
        let statement = StatementInput {
            sid: None,
            actions: Some(vec!["s3:GetObject".to_owned()]),
            not_actions: None,
            effect: "Allow".to_owned(),
            resources: Some(vec!["*".to_owned()]),
            not_resources: None,
            principals: None,
            not_principals: None,
            condition: None,
        };
        let inputs = Inputs {
            name_prefix: "mf".to_owned(),
            tags: BTreeMap::new(),
            enable_spot_fleet_role: false,
            additional_job_policy_arns: Vec::new(),
            custom_job_policy_statements: Some(BTreeMap::from([("S".to_owned(), statement)])),
        };
        let mut roles = crate::roles::build_roles(&inputs, &Options::default());
        for role in &mut roles {
            role.assume_role_policy.minified_json = trust.to_owned();
            if let Some(policy) = &mut role.inline_policy {
                policy.policy.minified_json = inline.to_owned();
            }
        }
        roles
    }

    /// The diagnostics of [`check_roles`] for `roles`.
    fn checked(roles: &[Role]) -> Vec<Diagnostic> {
        let mut out = Diagnostics::default();
        check_roles(roles, &mut out);
        out.finish()
    }

    fn size_codes(inline: &str, trust: &str) -> Vec<&'static str> {
        checked(&roles_with(inline, trust))
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn policy_size_limits_do_not_count_whitespace() {
        // 10,240 and 2,048 characters, whitespace not counted (iam-rules.md §2.3).
        let inline_at_limit = format!("{} {}", "a".repeat(10_000), "b".repeat(240));
        let trust_at_limit = format!("{}\n{}", "a".repeat(2_000), "é".repeat(48));
        assert!(size_codes(&inline_at_limit, &trust_at_limit).is_empty());

        let inline_over = "a".repeat(10_241);
        let trust_over = "é".repeat(2_049);
        assert_eq!(size_codes(&inline_over, "{}"), ["inline_policy_too_large"]);
        // One diagnostic per role: three roles without the Spot Fleet role.
        assert_eq!(size_codes("{}", &trust_over), ["trust_policy_too_large"; 3]);
        let d = checked(&roles_with(&inline_over, "{}")).remove(0);
        assert_eq!(d.path, "custom_job_policy_statements");
        assert_eq!(d.pointer, "/custom_job_policy_statements");
        assert!(d.message.contains("10,241"), "{}", d.message);
        let d = checked(&roles_with("{}", &trust_over)).remove(0);
        assert_eq!((d.path.as_str(), d.pointer.as_str()), ("", ""));
        assert!(d.message.contains("\"mf-batch-job-role\""), "{}", d.message);
    }

    #[test]
    fn trust_policies_are_far_under_their_limit() {
        // `check_policy_sizes` relies on it: the trust policies depend on the partition alone.
        for partition in Partition::ALL {
            for parts in roles::partition_parts(partition) {
                let size = policy_size(&parts.trust.minified_json);
                assert!(size < TRUST_POLICY_MAX / 4, "{partition:?}: {size}");
            }
        }
    }

    #[test]
    fn tag_chars_are_letters_numbers_separators() {
        // General categories from the Unicode Character Database (UnicodeData.txt).
        for c in [
            'a', 'Z', '7', 'é', '漢', '٣', 'Ⅻ', '½', ' ', '\u{a0}', '\u{3000}', '\u{2028}',
        ] {
            assert!(is_tag_char(c), "{c:?}");
        }
        for c in "_.:/=+-@".chars() {
            assert!(is_tag_char(c), "{c:?}");
        }
        // Mn/Mc marks are Alphabetic in std but not L; symbols, punctuation and controls.
        for c in [
            '\u{345}', '\u{93e}', '\u{301}', '#', '!', '\t', '😀', '€', '\u{ad}',
        ] {
            assert!(!is_tag_char(c), "{c:?}");
        }
    }

    #[test]
    fn ascii_tag_chars_agree_with_the_unicode_table() {
        // The ASCII shortcut of `is_tag_char` against the UCD-generated ranges.
        for c in (0..128u8).map(char::from) {
            let expected = "_.:/=+-@".contains(c) || unicode::is_letter_number_or_separator(c);
            assert_eq!(is_tag_char(c), expected, "{c:?}");
        }
    }
}
