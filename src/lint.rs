//! What is risky: warnings after Access Analyzer's and parliament's checks
//! (`reference/iam-rules.md` part 3, especially §3.3, and `aa_checks.json`).
//!
//! Choices, so that one risk is reported once:
//! - The statement checks look at `Allow` statements only; a `Deny` narrows access.
//! - An action element that is `*` or `service:*` on a resource exactly `"*"` is reported as
//!   `star_action_star_resource` only: that warning already says it grants everything of the
//!   service, including `iam:PassRole` and the privilege-escalation actions.
//! - `pass_role_star_resource` fires when a resource with a wildcard can match role ARNs
//!   (`*`, `arn:aws:iam::*:role/*`, `...:role/batch-*`: Access Analyzer's "Pass role with star
//!   in resource"; `...:user/*` cannot be passed), unless the statement has an
//!   `iam:PassedToService` condition. `star_action_star_resource` needs the resource `"*"`
//!   itself (SPEC §6).
//! - `privilege_escalation_action` looks at the actions whatever the resources: parliament's
//!   single-action escalations (its `PRIVILEGE_ESCALATION` auditor).

use std::collections::BTreeMap;

use crate::diagnostics::{quoted, shown, At, Code, Diagnostic, Diagnostics};
use crate::inputs::{Inputs, Options, StatementInput};
use crate::validate::{first_wildcard, parse_policy_arn};

/// Security warnings about accepted inputs, added to `out` ([`Diagnostics::add`] builds each
/// only when it can be returned).
pub fn check(inputs: &Inputs, options: &Options, out: &mut Diagnostics) {
    let _ = options;
    if let Some(statements) = &inputs.custom_job_policy_statements {
        statements_map(statements, out);
    }
    admin_policy_arns(&inputs.additional_job_policy_arns, out);
    out.push(broad_default_policies());
}

// ---------------------------------------------------------------------------------------------
// Action matching

/// Whether the IAM action pattern `pattern` (with `*` and `?` wildcards) matches the action
/// `action`; IAM compares actions ignoring case.
fn action_matches(pattern: &str, action: &str) -> bool {
    if action.is_ascii() {
        // Bytes are characters of the action here (no copies); a byte of a non-ASCII
        // character of the pattern equals no ASCII byte, as that character equals no ASCII one.
        return glob(pattern.as_bytes(), action.as_bytes(), b'*', b'?', |a, b| {
            a.eq_ignore_ascii_case(&b)
        });
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let action: Vec<char> = action.chars().collect();
    glob(&pattern, &action, '*', '?', |a, b| {
        a.eq_ignore_ascii_case(&b)
    })
}

/// Iterative wildcard match: `star` any run of characters, `any` exactly one; `eq` compares.
fn glob<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star_char: T,
    any: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it currently covers up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (pattern.get(p).copied(), text.get(t).copied()) {
            (Some(pc), _) if pc == star_char => {
                star = Some((p, t));
                p += 1;
            }
            (Some(pc), Some(tc)) if pc == any || eq(pc, tc) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.iter().skip(p).all(|c| *c == star_char)
}

/// `*` or `service:*`: every action of everything, or of one service.
fn is_star_action(action: &str) -> bool {
    action == "*" || action.split_once(':').is_some_and(|(_, name)| name == "*")
}

// ---------------------------------------------------------------------------------------------
// Statements

fn statements_map(statements: &BTreeMap<String, StatementInput>, out: &mut Diagnostics) {
    let path = At::ROOT.attr("custom_job_policy_statements");
    for (key, statement) in statements {
        if statement.effect != "Allow" {
            continue;
        }
        let at = path.key(key);
        action_elements(statement, &at, out);
        not_action_with_allow(statement, &at, out);
        not_resource_with_allow(statement, &at, out);
    }
}

fn resources(statement: &StatementInput) -> &[String] {
    statement.resources.as_deref().unwrap_or_default()
}

/// One risk per element of `actions`, the broadest first.
fn action_elements(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    let resources = resources(statement);
    let star_resource = resources.iter().any(|r| r == "*");
    let role_wildcards: Vec<&String> = resources
        .iter()
        .filter(|r| is_wildcard_over_roles(r))
        .collect();
    let actions = at.attr("actions");
    for (i, action) in statement.actions.iter().flatten().enumerate() {
        let path = actions.index(i);
        if star_resource && is_star_action(action) {
            out.add(Code::StarActionStarResource, || {
                star_action_star_resource(action, &path)
            });
            continue;
        }
        if !role_wildcards.is_empty()
            && action_matches(action, "iam:PassRole")
            && !has_passed_to_service(statement)
        {
            out.add(Code::PassRoleStarResource, || {
                pass_role_star_resource(action, &role_wildcards, &path)
            });
        }
        privilege_escalation(action, &path, out);
    }
}

fn star_action_star_resource(action: &str, at: &At<'_>) -> Diagnostic {
    let scope = match action.split_once(':') {
        Some((service, _)) => format!("every {} action on every resource", shown(service)),
        None => "every action of every service on every resource, as AdministratorAccess does"
            .to_owned(),
    };
    let iam = if action_matches(action, "iam:PassRole") {
        ", including iam:PassRole and actions that let the role grant itself more permissions"
    } else {
        ""
    };
    Diagnostic::at(
        Code::StarActionStarResource,
        at,
        format!(
            "action {} on resource \"*\" allows {scope}{iam}",
            quoted(action)
        ),
    )
    .with_help(
        "list only the actions the flows need (e.g. \"s3:GetObject\") and the ARNs of the \
         resources they use",
    )
}

/// Whether a condition of the statement tests `iam:PassedToService` (keys ignore case).
fn has_passed_to_service(statement: &StatementInput) -> bool {
    statement
        .condition
        .iter()
        .flatten()
        .any(|c| c.variable.eq_ignore_ascii_case("iam:PassedToService"))
}

/// The literal start of a wildcard pattern, up to its first `*` or `?`, or the whole pattern.
fn literal_start(pattern: &str) -> &str {
    first_wildcard(pattern)
        .and_then(|wildcard| pattern.get(..wildcard))
        .unwrap_or(pattern)
}

/// Whether the wildcard pattern may equal `target` (judged on its literal start).
fn may_equal(pattern: &str, target: &str) -> bool {
    if first_wildcard(pattern).is_some() {
        target.starts_with(literal_start(pattern))
    } else {
        pattern == target
    }
}

/// Whether the wildcard pattern may match a string that starts with `prefix`.
fn may_start_with(pattern: &str, prefix: &str) -> bool {
    let literal = literal_start(pattern);
    literal.starts_with(prefix) || (literal.len() < pattern.len() && prefix.starts_with(literal))
}

/// A resource with a wildcard that can match IAM role ARNs (`*`, `arn:aws:iam::*:role/*`,
/// `arn:aws:iam::123456789012:role/batch-*`), as opposed to, say, `arn:aws:s3:::bucket/*`.
fn is_wildcard_over_roles(resource: &str) -> bool {
    if first_wildcard(resource).is_none() {
        return false;
    }
    let mut parts = resource.splitn(6, ':');
    let fields: [Option<&str>; 6] = std::array::from_fn(|_| parts.next());
    match fields {
        [_, _, Some(service), _, _, Some(rest)] => {
            may_equal(service, "iam") && may_start_with(rest, "role/")
        }
        // Fewer parts: a wildcard swallowed the separators (e.g. `*` or `arn:aws:iam::*`).
        _ => true,
    }
}

fn pass_role_star_resource(action: &str, wildcards: &[&String], at: &At<'_>) -> Diagnostic {
    let what = if action.eq_ignore_ascii_case("iam:PassRole") {
        "iam:PassRole".to_owned()
    } else {
        format!("action {} includes iam:PassRole, and", quoted(action))
    };
    Diagnostic::at(
        Code::PassRoleStarResource,
        at,
        format!(
            "{what} is allowed on {}: the job role could pass any matching role, with all its \
             permissions, to a service it starts (an EC2 instance, a Lambda function, a job)",
            quoted_list(wildcards)
        ),
    )
    .with_help(
        "list the ARNs of the roles it may pass, or add a condition naming the service they \
         are passed to: { test = \"StringEquals\", variable = \"iam:PassedToService\", \
         values = [\"sagemaker.amazonaws.com\"] }",
    )
}

/// Actions that let the role grant itself more than it has (parliament's
/// `PRIVILEGE_ESCALATION` single-action cases; iam-rules.md §3.3 item 3), with what each enables.
const ESCALATIONS: [(&str, &str); 15] = [
    (
        "iam:CreatePolicyVersion",
        "write a new default version of a managed policy with any permissions",
    ),
    (
        "iam:SetDefaultPolicyVersion",
        "switch a managed policy to an older, broader version",
    ),
    (
        "iam:AttachUserPolicy",
        "attach any managed policy, such as AdministratorAccess, to a user",
    ),
    (
        "iam:AttachGroupPolicy",
        "attach any managed policy, such as AdministratorAccess, to a group",
    ),
    (
        "iam:AttachRolePolicy",
        "attach any managed policy, such as AdministratorAccess, to a role, this one included",
    ),
    (
        "iam:PutUserPolicy",
        "write an inline policy with any permissions into a user",
    ),
    (
        "iam:PutGroupPolicy",
        "write an inline policy with any permissions into a group",
    ),
    (
        "iam:PutRolePolicy",
        "write an inline policy with any permissions into a role, this one included",
    ),
    (
        "iam:UpdateAssumeRolePolicy",
        "change who may assume a role, then assume it",
    ),
    (
        "iam:CreateAccessKey",
        "create access keys for another user and act as that user",
    ),
    (
        "iam:CreateLoginProfile",
        "give a user a console password and sign in as that user",
    ),
    (
        "iam:UpdateLoginProfile",
        "change a user's console password and sign in as that user",
    ),
    (
        "iam:AddUserToGroup",
        "add a user to a group that has more permissions",
    ),
    (
        "lambda:UpdateFunctionCode",
        "replace a Lambda function's code and run it with the function's role",
    ),
    (
        "glue:UpdateDevEndpoint",
        "put an SSH key on a Glue development endpoint and use its role",
    ),
];

fn privilege_escalation(action: &str, at: &At<'_>, out: &mut Diagnostics) {
    let matched: Vec<&(&str, &str)> = ESCALATIONS
        .iter()
        .filter(|(target, _)| action_matches(action, target))
        .collect();
    if !matched.is_empty() {
        out.add(Code::PrivilegeEscalationAction, || {
            privilege_escalation_diagnostic(action, &matched, at)
        });
    }
}

fn privilege_escalation_diagnostic(
    action: &str,
    matched: &[&(&str, &str)],
    at: &At<'_>,
) -> Diagnostic {
    let message = match matched {
        [] => String::new(),
        [(target, enables)] if action.eq_ignore_ascii_case(target) => {
            format!(
                "action {} lets the role escalate its privileges: it can {enables}",
                quoted(action)
            )
        }
        [(target, enables)] => format!(
            "action {} includes {target}, which lets the role escalate its privileges: it can \
             {enables}",
            quoted(action)
        ),
        several => {
            let names: Vec<&str> = several.iter().map(|(target, _)| *target).collect();
            format!(
                "action {} includes {} privilege-escalation actions ({}): with them the role can \
                 grant itself any permission",
                quoted(action),
                names.len(),
                names.join(", ")
            )
        }
    };
    Diagnostic::at(Code::PrivilegeEscalationAction, at, message).with_help(
        "remove it unless the job really manages IAM or this code; if it must stay, limit \
         resources to the exact ARNs and add a permissions boundary to the role",
    )
}

fn not_action_with_allow(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    let not_actions = statement.not_actions.as_deref().unwrap_or_default();
    if not_actions.is_empty() {
        return;
    }
    out.add(Code::NotActionWithAllow, || {
        Diagnostic::at(
            Code::NotActionWithAllow,
            &at.attr("not_actions"),
            format!(
                "not_actions with effect \"Allow\" grants every action of every service except \
                 {}, including actions AWS adds later",
                quoted_list(not_actions)
            ),
        )
        .with_help("list the allowed actions in actions instead of the excluded ones")
    });
}

fn not_resource_with_allow(statement: &StatementInput, at: &At<'_>, out: &mut Diagnostics) {
    let not_resources = statement.not_resources.as_deref().unwrap_or_default();
    if not_resources.is_empty() {
        return;
    }
    out.add(Code::NotResourceWithAllow, || {
        Diagnostic::at(
            Code::NotResourceWithAllow,
            &at.attr("not_resources"),
            format!(
                "not_resources with effect \"Allow\" grants the actions on every resource except \
                 {}, including resources created later",
                quoted_list(not_resources)
            ),
        )
        .with_help("list the allowed resources in resources instead of the excluded ones")
    });
}

/// `"a", "b"`, or the first three and a count; each item as [`quoted`] writes it.
fn quoted_list(items: &[impl AsRef<str>]) -> String {
    const SHOWN: usize = 3;
    let mut out = String::new();
    for (i, item) in items.iter().take(SHOWN).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&quoted(item.as_ref()));
    }
    if items.len() > SHOWN {
        out.push_str(&format!(", and {} more", items.len() - SHOWN));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Managed policies

/// AWS managed policies that grant administrator access, or the means to take it, with why.
/// `AdministratorAccess` counts in any account (a customer policy of that name is meant to be
/// one); the others only as AWS managed policies (account `aws`).
const ADMIN_POLICIES: [(&str, &str); 5] = [
    (
        "AdministratorAccess",
        "grants every action on every resource",
    ),
    (
        "PowerUserAccess",
        "grants every action except most of IAM and Organizations",
    ),
    (
        "IAMFullAccess",
        "lets the role grant itself any permission through IAM",
    ),
    (
        "AdministratorAccess-Amplify",
        "grants administrator access to Amplify and the services it deploys, including \
         iam:PassRole and CloudFormation",
    ),
    (
        "AdministratorAccess-AWSElasticBeanstalk",
        "grants administrator access to Elastic Beanstalk and the services it manages",
    ),
];

fn admin_policy_arns(arns: &[String], out: &mut Diagnostics) {
    let path = At::ROOT.attr("additional_job_policy_arns");
    for (i, arn) in arns.iter().enumerate() {
        if let Some((name, why)) = admin_policy(arn) {
            out.add(Code::AdminPolicyArn, || {
                admin_policy_arn(arn, name, why, &path.index(i))
            });
        }
    }
}

/// The administrator-like policy `arn` attaches, with why it is one.
fn admin_policy(arn: &str) -> Option<&'static (&'static str, &'static str)> {
    // The policy name ends the ARN: one that ends with none of these names needs no parsing.
    if !ADMIN_POLICIES.iter().any(|(name, _)| arn.ends_with(name)) {
        return None;
    }
    let parsed = parse_policy_arn(arn).ok()?;
    ADMIN_POLICIES.iter().find(|(name, _)| {
        *name == parsed.name && (parsed.account == "aws" || *name == "AdministratorAccess")
    })
}

fn admin_policy_arn(arn: &str, name: &str, why: &str, at: &At<'_>) -> Diagnostic {
    Diagnostic::at(
        Code::AdminPolicyArn,
        at,
        format!(
            "{} attaches {name} to the job role, which {why}; every Metaflow task would run with \
             it",
            quoted(arn)
        ),
    )
    .with_help(
        "attach a policy scoped to what the flows need, or add a custom_job_policy_statements \
         statement listing those actions and resources",
    )
}

/// Once per configuration: the job role always gets full S3 and CloudWatch Logs access.
fn broad_default_policies() -> Diagnostic {
    Diagnostic::at(
        Code::BroadDefaultPolicies,
        &At::ROOT,
        "the job role always gets AmazonS3FullAccess (every S3 bucket in the account) and \
         CloudWatchLogsFullAccess (every log group); the module has no switch to remove them",
    )
    .with_help(
        "grant the buckets the flows use in a scoped custom_job_policy_statements statement, \
         and cap the role with a permissions boundary or deny it in the other buckets' bucket \
         policies",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_actions_ignoring_case() {
        // IAM action matching: `*` any run, `?` one character, case-insensitive
        // (iam-rules.md §2.4 Action).
        for (pattern, action) in [
            ("*", "iam:PassRole"),
            ("iam:*", "iam:PassRole"),
            ("iam:Pass*", "iam:PassRole"),
            ("IAM:passrole", "iam:PassRole"),
            ("iam:P?ssRole", "iam:PassRole"),
            ("iam:*Role", "iam:PassRole"),
            ("iam:*Pass*Role*", "iam:PassRole"),
            ("i*", "iam:PassRole"),
            ("iam:Put*Policy", "iam:PutRolePolicy"),
            ("iam:**", "iam:PassRole"),
        ] {
            assert!(action_matches(pattern, action), "{pattern} {action}");
        }
        for (pattern, action) in [
            ("iam:Pass", "iam:PassRole"),
            ("iam:PassRole?", "iam:PassRole"),
            ("s3:*", "iam:PassRole"),
            ("iam:Get*", "iam:PassRole"),
            ("iam:*Policy", "iam:PassRole"),
            ("", "iam:PassRole"),
            ("iam:Put*Policy", "iam:PutRolePolicyX"),
        ] {
            assert!(!action_matches(pattern, action), "{pattern} {action}");
        }
        assert!(action_matches("", ""));
        assert!(action_matches("*", ""));
    }

    #[test]
    fn a_non_ascii_character_is_one_character() {
        // `?` stands for one character whatever its UTF-8 length; a non-ASCII character of
        // the pattern matches only itself.
        assert!(action_matches("iam:Pass?ole", "iam:PassRole"));
        assert!(action_matches("iam:Pass?ole", "iam:PassÉole"));
        assert!(!action_matches("iam:Pass??ole", "iam:PassÉole"));
        assert!(action_matches("iam:*é", "iam:Passé"));
        for pattern in [
            "é*",
            "*é",
            "iam:PassRolé",
            "iam:Pass\u{e9}ole",
            "iam:*Rolé*",
        ] {
            assert!(!action_matches(pattern, "iam:PassRole"), "{pattern}");
        }
    }

    #[test]
    fn wildcards_over_roles() {
        // IAM role ARNs are arn:PARTITION:iam::ACCOUNT:role/PATH/NAME (iam-rules.md §2.4).
        for resource in [
            "*",
            "arn:aws:iam::*",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::*:role/batch-*",
            "arn:aws:iam::123456789012:ro*",
            "arn:aws:i*:*:*:*",
            "arn:*:*:*:*:*",
        ] {
            assert!(is_wildcard_over_roles(resource), "{resource}");
        }
        for resource in [
            "arn:aws:iam::123456789012:role/batch",
            "arn:aws:iam::123456789012:user/*",
            "arn:aws:s3:::bucket/*",
            "arn:aws:iam::123456789012:policy/*",
            "arn:aws:iamx*::123456789012:role/*",
            "arn:aws:iam::123456789012:rolex*",
        ] {
            assert!(!is_wildcard_over_roles(resource), "{resource}");
        }
    }

    #[test]
    fn star_actions() {
        assert!(is_star_action("*"));
        assert!(is_star_action("s3:*"));
        assert!(!is_star_action("s3:Get*"));
        assert!(!is_star_action("s3:GetObject"));
    }
}
