//! One diagnostic type for every problem the engine finds, with stable codes.
//!
//! Diagnostics carry user text back (a key, an action, a path), so every echo goes through
//! [`quoted`] or [`shown`] here: at most [`SHOWN`] characters of it, control and bidi
//! characters escaped. A diagnostic's size is bounded whatever the input: a 1 MB key gives a
//! message of about 100 characters, not a second megabyte.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use tsify::Tsify;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Terraform or IAM would reject the configuration.
    Error,
    /// Accepted, but risky or over a default quota.
    Warning,
    /// Accepted as Terraform accepts it; worth knowing.
    Info,
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident, $description:literal;)*) => {
        /// The stable code of a diagnostic. Its string form never changes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable string form, as it appears in JSON and the README.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text),* }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// One sentence saying what the code means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $description),* }
            }
        }
    };
}

codes! {
    // Decoding the inputs and options.
    InputNotObject = "input_not_object", Error, "The inputs (or the options) are not a JSON object.";
    MissingRequired = "missing_required", Error, "A required variable or attribute is missing or null.";
    TypeMismatch = "type_mismatch", Error, "A value has a type Terraform cannot convert to the variable's type.";
    TypeConverted = "type_converted", Info, "A value was converted to the variable's type, as Terraform converts it.";
    UnknownKey = "unknown_key", Error, "A key the module, the object type or the options do not have (Terraform drops unknown object attributes silently).";
    InvalidOption = "invalid_option", Error, "An option (account_id, partition, module_name, module_source) is not valid.";
    InputTooLarge = "input_too_large", Error, "The inputs and options together hold more than 1 MiB of text in their strings and keys, or more than 10,000 values.";
    DiagnosticsTruncated = "diagnostics_truncated", Info, "More than 100 diagnostics: the first 99 are given, and this one says how many were left out.";
    ModuleSourceFolder = "module_source_folder", Warning, "module_source is a local path (./ or ../) that is not a folder inside the output: the module's files are left out of the files to write.";
    // Names.
    NamePrefixEmpty = "name_prefix_empty", Error, "name_prefix is the empty string.";
    NamePrefixChars = "name_prefix_chars", Error, "name_prefix has characters IAM does not allow in role names.";
    RoleNameTooLong = "role_name_too_long", Error, "A role name built from name_prefix is over 64 characters.";
    // Tags.
    TooManyTags = "too_many_tags", Error, "More than 50 tags.";
    TagKeyLength = "tag_key_length", Error, "A tag key is empty or over 128 characters.";
    TagKeyChars = "tag_key_chars", Error, "A tag key has characters IAM does not allow.";
    TagKeyReserved = "tag_key_reserved", Error, "A tag key starts with the reserved prefix aws:.";
    TagKeyDuplicate = "tag_key_duplicate", Error, "Two tag keys are equal ignoring case (IAM role tag keys are case-insensitive).";
    TagValueLength = "tag_value_length", Error, "A tag value is over 256 characters.";
    TagValueChars = "tag_value_chars", Error, "A tag value has characters IAM does not allow.";
    // Managed policies.
    PolicyArnMalformed = "policy_arn_malformed", Error, "A managed policy ARN is not of the form arn:PARTITION:iam::ACCOUNT:policy/NAME (ACCOUNT is 12 digits or aws).";
    PolicyArnPartition = "policy_arn_partition", Error, "A managed policy ARN is in another partition than the one configured.";
    PolicyArnDuplicate = "policy_arn_duplicate", Error, "A managed policy ARN is listed twice, or repeats a default of the job role.";
    ManagedPolicyQuota = "managed_policy_quota", Warning, "More than 10 managed policies on one role: over IAM's default quota.";
    ManagedPolicyLimit = "managed_policy_limit", Error, "More than 20 managed policies on one role: over IAM's hard limit.";
    // Statements of the inline policy.
    SidChars = "sid_chars", Error, "A Sid (the sid attribute, or the map key that becomes the Sid) is not alphanumeric.";
    SidDuplicate = "sid_duplicate", Error, "Two statements have the same Sid.";
    EffectInvalid = "effect_invalid", Error, "effect is neither Allow nor Deny.";
    ActionMissing = "action_missing", Error, "A statement has neither actions nor not_actions.";
    ActionConflict = "action_conflict", Error, "A statement has both actions and not_actions.";
    ActionMalformed = "action_malformed", Error, "An action is not * or service:Action.";
    ResourceMissing = "resource_missing", Error, "A statement has neither resources nor not_resources.";
    ResourceConflict = "resource_conflict", Error, "A statement has both resources and not_resources.";
    PrincipalInIdentityPolicy = "principal_in_identity_policy", Error, "principals or not_principals in the job role's inline policy, an identity policy.";
    ConditionOperatorUnknown = "condition_operator_unknown", Error, "A condition test is not an IAM condition operator.";
    ConditionValueNotBool = "condition_value_not_bool", Error, "A Null or Bool condition has a value other than true or false.";
    ConditionValuesEmpty = "condition_values_empty", Error, "A condition has no values.";
    InlinePolicyTooLarge = "inline_policy_too_large", Error, "The inline policy is over 10,240 characters without whitespace.";
    TrustPolicyTooLarge = "trust_policy_too_large", Error, "A trust policy is over 2,048 characters without whitespace.";
    EmptyStatements = "empty_statements", Info, "custom_job_policy_statements is an empty map: no inline policy is created.";
    // Lint: security risks.
    PassRoleStarResource = "pass_role_star_resource", Warning, "iam:PassRole allowed on Resource \"*\".";
    StarActionStarResource = "star_action_star_resource", Warning, "A wildcard action allowed on Resource \"*\".";
    PrivilegeEscalationAction = "privilege_escalation_action", Warning, "An action that lets the role escalate its own privileges.";
    NotActionWithAllow = "not_action_with_allow", Warning, "not_actions with Allow grants every action but the listed ones.";
    NotResourceWithAllow = "not_resource_with_allow", Warning, "not_resources with Allow grants on every resource but the listed ones.";
    AdminPolicyArn = "admin_policy_arn", Warning, "An AdministratorAccess-like managed policy attached to the job role.";
    BroadDefaultPolicies = "broad_default_policies", Warning, "The job role's default managed policies grant full S3 and CloudWatch Logs access.";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem found in the inputs or the options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The stable code (see the README's table).
    #[tsify(type = "string")]
    pub code: Code,
    /// Where, in Terraform's style: `custom_job_policy_statements["s3"].actions[0]`.
    pub path: String,
    /// Where, as an RFC 6901 JSON pointer into the input.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's severity at `path`.
    pub fn new(code: Code, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            path: path.terraform(),
            pointer: path.pointer(),
            message: message.into(),
            help: None,
        }
    }

    /// A diagnostic with the code's severity at `at`, whose [`Path`] is made only now.
    pub(crate) fn at(code: Code, at: &At<'_>, message: impl Into<String>) -> Self {
        Self::new(code, &at.path(), message)
    }

    /// The same diagnostic with a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        write!(
            f,
            "{} [{}] {}: {}",
            self.severity_str(),
            self.code.as_str(),
            at,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    fn severity_str(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Most diagnostics a call returns: the first [`MAX_DIAGNOSTICS`]` - 1` (errors first), then
/// one `diagnostics_truncated` saying how many of each severity were left out.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The diagnostics of one call, collected as the checks find them, kept only while they can
/// be among the [`MAX_DIAGNOSTICS`] returned and counted past that.
///
/// An input within the budget can have a problem in each of its 10,000 values, several
/// even: building 30,000 diagnostics (a path, a message and a help each) took 150 ms and
/// 30 MB of linear memory in Node for nobody to read them. The result lists errors first,
/// then warnings, then infos, each in the order found, so a diagnostic that comes after
/// [`MAX_DIAGNOSTICS`] of its own severity or a more serious one can never be returned:
/// [`Diagnostics::add`] then only counts it, without building it. At most
/// [`MAX_DIAGNOSTICS`] of each severity are kept.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    kept: Vec<Diagnostic>,
    /// Diagnostics found, kept or not, by severity (errors, warnings, infos).
    found: [usize; 3],
    /// Diagnostics kept, by severity.
    kept_by: [usize; 3],
}

impl Diagnostics {
    /// Adds the diagnostic of `code` that `make` builds, or only counts it when it could not
    /// be returned: `make` runs only when the diagnostic is kept.
    pub(crate) fn add(&mut self, code: Code, make: impl FnOnce() -> Diagnostic) {
        // Each call site instantiates this with its own closure: the rest is not generic.
        if self.found(code) {
            self.keep(make());
        }
    }

    /// Counts a diagnostic of `code`; whether it is to be kept.
    fn found(&mut self, code: Code) -> bool {
        let severity = code.severity() as usize;
        if let Some(found) = self.found.get_mut(severity) {
            *found += 1;
        }
        // Kept so far of this severity and of the more serious ones: all come before it.
        let ahead: usize = self.kept_by.iter().take(severity + 1).sum();
        ahead < MAX_DIAGNOSTICS
    }

    fn keep(&mut self, diagnostic: Diagnostic) {
        if let Some(kept) = self.kept_by.get_mut(diagnostic.severity as usize) {
            *kept += 1;
        }
        self.kept.push(diagnostic);
    }

    /// Adds a diagnostic already built.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.add(diagnostic.code, || diagnostic);
    }

    /// Errors found so far, kept or not.
    pub(crate) fn errors(&self) -> usize {
        self.found[0]
    }

    /// Errors first, then warnings, then infos, each in the order found; past
    /// [`MAX_DIAGNOSTICS`], the first [`MAX_DIAGNOSTICS`]` - 1` and one `diagnostics_truncated`
    /// that says how many of each severity were left out.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let Diagnostics { kept, found, .. } = self;
        let mut sorted = errors_first(kept);
        if found.iter().sum::<usize>() <= MAX_DIAGNOSTICS {
            return sorted;
        }
        sorted.truncate(MAX_DIAGNOSTICS - 1);
        let mut shown = [0usize; 3];
        for d in &sorted {
            if let Some(n) = shown.get_mut(d.severity as usize) {
                *n += 1;
            }
        }
        let names = [
            ("error", "errors"),
            ("warning", "warnings"),
            ("info", "infos"),
        ];
        let mut counts = Vec::new();
        let mut left_out = 0;
        for ((found, shown), (one, many)) in found.iter().zip(shown).zip(names) {
            let n = found.saturating_sub(shown);
            left_out += n;
            if n > 0 {
                let what = if n == 1 { one } else { many };
                counts.push(format!("{} {what}", crate::validate::thousands(n)));
            }
        }
        sorted.push(
            Diagnostic::new(
                Code::DiagnosticsTruncated,
                &Path::root(),
                format!(
                    "{} more diagnostics were left out ({}): at most {MAX_DIAGNOSTICS} are given",
                    crate::validate::thousands(left_out),
                    counts.join(", ")
                ),
            )
            .with_help("fix the problems above and check again to see the rest"),
        );
        sorted
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, diagnostics: I) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }
}

/// Errors, then warnings, then infos; within a severity, diagnostics keep the order they
/// were found in (a stable three-way partition rather than a sort instance of its own).
fn errors_first(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.is_sorted_by_key(|d| d.severity) {
        return diagnostics;
    }
    let mut errors = Vec::with_capacity(diagnostics.len());
    let mut warnings = Vec::new();
    let mut infos = Vec::new();
    for d in diagnostics {
        match d.severity {
            Severity::Error => errors.push(d),
            Severity::Warning => warnings.push(d),
            Severity::Info => infos.push(d),
        }
    }
    errors.append(&mut warnings);
    errors.append(&mut infos);
    errors
}

/// The most characters of user text a diagnostic's message or help echoes.
pub(crate) const SHOWN: usize = 100;

/// The most characters of a key a path keeps. Longer than [`SHOWN`]: the page finds the
/// field of a diagnostic by its pointer, so every key an IAM field may hold (a tag key has
/// at most 128 characters) and one well over that limit must still resolve.
pub(crate) const KEY_SHOWN: usize = 256;

/// `s` cut to its first [`SHOWN`] characters, with `…` after a cut: the form every echo of
/// user text takes. Borrowed when `s` is short enough.
pub(crate) fn shown(s: &str) -> Cow<'_, str> {
    cut(s, SHOWN)
}

/// `s` cut to its first `max` characters, with `…` after a cut.
fn cut(s: &str, max: usize) -> Cow<'_, str> {
    // At most `max` bytes is at most `max` characters: no count for most strings.
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    match s.char_indices().nth(max) {
        Some((end, _)) => Cow::Owned(format!("{}…", s.get(..end).unwrap_or(s))),
        None => Cow::Borrowed(s),
    }
}

/// `s` quoted for a message: cut as [`shown`] cuts it, then `"`, `\` and the characters a
/// reader cannot see or that reorder text (controls, bidi controls, line separators) escaped
/// as in HCL (`\n`, `\u001b`).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * SHOWN) + 2);
    out.push('"');
    push_escaped(&mut out, &shown(s));
    out.push('"');
    out
}

/// Appends `s` with `"`, `\`, control, bidi and line-separator characters escaped as HCL
/// escapes them: the inside of [`quoted`] and of a path's `["key"]`.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

/// Characters that must not reach a reader raw: controls (C0, DEL, C1), the bidi controls
/// that reorder what follows them (the "Trojan Source" characters: U+061C, U+200E, U+200F,
/// U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators.
pub(crate) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Attr(String),
    MapKey(String),
    Index(usize),
}

/// A location in the input, printable both in Terraform's style and as a JSON pointer.
///
/// A path shares its parent's segments: extending one is one allocation, whatever its depth
/// (the decoder makes a path for every value it reads).
#[derive(Clone, Default)]
pub struct Path {
    last: Option<Arc<Node>>,
}

/// The last segment of a path and the path before it.
struct Node {
    parent: Option<Arc<Node>>,
    segment: Segment,
}

impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        self.segments() == other.segments()
    }
}

impl Eq for Path {}

impl std::fmt::Debug for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Path")
            .field("segments", &self.segments())
            .finish()
    }
}

impl Path {
    /// The input object itself.
    pub fn root() -> Self {
        Path::default()
    }

    /// An attribute of an object (a variable at the top level): `.name`. A name over
    /// 256 characters is kept cut to its first 256 and `…`.
    pub fn attr(&self, name: &str) -> Path {
        self.push(Segment::Attr(cut(name, KEY_SHOWN).into_owned()))
    }

    /// A key of a map: `["key"]`. A key over 256 characters is kept cut to its first 256
    /// and `…`.
    pub fn key(&self, key: &str) -> Path {
        self.push(Segment::MapKey(cut(key, KEY_SHOWN).into_owned()))
    }

    /// An element of a list: `[3]`.
    pub fn index(&self, index: usize) -> Path {
        self.push(Segment::Index(index))
    }

    fn push(&self, segment: Segment) -> Path {
        Path {
            last: Some(Arc::new(Node {
                parent: self.last.clone(),
                segment,
            })),
        }
    }

    /// The segments from the root.
    fn segments(&self) -> Vec<&Segment> {
        let mut segments = Vec::new();
        let mut node = self.last.as_deref();
        while let Some(n) = node {
            segments.push(&n.segment);
            node = n.parent.as_deref();
        }
        segments.reverse();
        segments
    }

    /// Terraform's style: `custom_job_policy_statements["secrets_access"].actions[0]`. An
    /// attribute that is not an identifier (an unknown key such as `"a b"`) is written as a
    /// key, `["a b"]`; keys are escaped as [`quoted`] escapes them. A key cut to its first
    /// 256 characters ends in `…`.
    pub fn terraform(&self) -> String {
        let mut out = String::new();
        for segment in self.segments() {
            match segment {
                Segment::Attr(name) if is_attribute_name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Attr(key) | Segment::MapKey(key) => {
                    out.push_str("[\"");
                    push_escaped(&mut out, key);
                    out.push_str("\"]");
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// An RFC 6901 JSON pointer: `/custom_job_policy_statements/secrets_access/actions/0`.
    /// A key over 256 characters appears cut, as its first 256 characters and `…`: still a
    /// valid pointer, but one that does not resolve in the input.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        for segment in self.segments() {
            out.push('/');
            match segment {
                Segment::Attr(s) | Segment::MapKey(s) => {
                    out.push_str(&s.replace('~', "~0").replace('/', "~1"))
                }
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

/// An attribute name Terraform's path style can write after a `.`: a letter or `_`, then
/// letters, digits, `_` and `-` (ASCII, as every name the module declares is).
fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Where the engine is while it reads the inputs: a path kept on the stack, each step borrowing
/// its parent and its name, so that extending it costs nothing. Most values have no problem:
/// the owned [`Path`] is made by [`At::path`] only for a diagnostic.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Attr(&'a str),
    MapKey(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The input object itself.
    pub(crate) const ROOT: At<'static> = At {
        parent: None,
        step: Step::Root,
    };

    /// An attribute of an object: `.name`.
    pub(crate) fn attr(&'a self, name: &'a str) -> At<'a> {
        self.then(Step::Attr(name))
    }

    /// A key of a map: `["key"]`.
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        self.then(Step::MapKey(key))
    }

    /// An element of a list: `[3]`.
    pub(crate) fn index(&'a self, index: usize) -> At<'a> {
        self.then(Step::Index(index))
    }

    fn then(&'a self, step: Step<'a>) -> At<'a> {
        At {
            parent: Some(self),
            step,
        }
    }

    /// The owned path.
    pub(crate) fn path(&self) -> Path {
        let parent = self.parent.map_or_else(Path::root, At::path);
        match self.step {
            Step::Root => parent,
            Step::Attr(name) => parent.attr(name),
            Step::MapKey(key) => parent.key(key),
            Step::Index(index) => parent.index(index),
        }
    }

    /// Terraform's style, as [`Path::terraform`].
    pub(crate) fn terraform(&self) -> String {
        self.path().terraform()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_in_both_styles() {
        let p = Path::root()
            .attr("custom_job_policy_statements")
            .key("a/b~\"c")
            .attr("actions")
            .index(0);
        assert_eq!(
            p.terraform(),
            "custom_job_policy_statements[\"a/b~\\\"c\"].actions[0]"
        );
        assert_eq!(
            p.pointer(),
            "/custom_job_policy_statements/a~1b~0\"c/actions/0"
        );
        assert_eq!(Path::root().pointer(), "");
        assert_eq!(Path::root().terraform(), "");
    }

    #[test]
    fn a_place_on_the_stack_makes_the_same_path() {
        let statements = At::ROOT.attr("custom_job_policy_statements");
        let statement = statements.key("a/b~\"c");
        let actions = statement.attr("actions");
        let at = actions.index(0);
        let expected = Path::root()
            .attr("custom_job_policy_statements")
            .key("a/b~\"c")
            .attr("actions")
            .index(0);
        assert_eq!(at.path(), expected);
        assert_eq!(At::ROOT.path(), Path::root());
    }

    #[test]
    fn echoes_are_cut_and_escaped() {
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(
            quoted("\u{1b}[2J\u{7}\u{202e}\u{2066}\u{200f}\u{2028}\u{85}é漢"),
            "\"\\u001b[2J\\u0007\\u202e\\u2066\\u200f\\u2028\\u0085é漢\""
        );
        assert_eq!(
            quoted(&"x".repeat(101)),
            format!("\"{}…\"", "x".repeat(100))
        );
        assert_eq!(quoted(&"x".repeat(100)), format!("\"{}\"", "x".repeat(100)));
        // Characters, not bytes: 100 of them, whole.
        assert_eq!(shown(&"é".repeat(100)), "é".repeat(100));
        assert_eq!(shown(&"é".repeat(101)), format!("{}…", "é".repeat(100)));
    }

    #[test]
    fn paths_cut_long_keys_and_bracket_odd_attributes() {
        let long = format!("{}~/{}", "k".repeat(255), "z".repeat(1000));
        let p = Path::root().attr("tags").key(&long);
        let kept = format!("{}~", "k".repeat(255));
        assert_eq!(p.terraform(), format!("tags[\"{kept}…\"]"));
        assert_eq!(p.pointer(), format!("/tags/{}~0…", "k".repeat(255)));
        // An attribute that is not an identifier is written as a key, escaped.
        let p = Path::root().attr("a b\u{1b}").attr("c").index(2);
        assert_eq!(p.terraform(), "[\"a b\\u001b\"].c[2]");
        assert_eq!(p.pointer(), "/a b\u{1b}/c/2");
    }

    /// A diagnostic of `code` at the root, counting how many were built.
    fn counted(code: Code, built: &std::cell::Cell<usize>) -> impl FnOnce() -> Diagnostic + '_ {
        move || {
            built.set(built.get() + 1);
            Diagnostic::new(code, &Path::root(), "m")
        }
    }

    #[test]
    fn diagnostics_past_the_cap_are_counted_not_built() {
        let built = std::cell::Cell::new(0);
        let mut out = Diagnostics::default();
        for _ in 0..150 {
            out.add(Code::TypeConverted, counted(Code::TypeConverted, &built));
        }
        assert_eq!(built.get(), MAX_DIAGNOSTICS);
        // Errors found later are kept: they come first in the result.
        for _ in 0..120 {
            out.add(Code::UnknownKey, counted(Code::UnknownKey, &built));
        }
        assert_eq!(built.get(), 2 * MAX_DIAGNOSTICS);
        // With the errors at the cap, no warning can be returned.
        out.add(
            Code::ManagedPolicyQuota,
            counted(Code::ManagedPolicyQuota, &built),
        );
        assert_eq!(built.get(), 2 * MAX_DIAGNOSTICS);
        assert_eq!(out.errors(), 120);
        let finished = out.finish();
        assert_eq!(finished.len(), MAX_DIAGNOSTICS);
        assert!(finished[..99].iter().all(Diagnostic::is_error));
        assert_eq!(
            finished[99].message,
            "172 more diagnostics were left out (21 errors, 1 warning, 150 infos): at most \
             100 are given"
        );
    }

    #[test]
    fn diagnostics_up_to_the_cap_are_all_returned() {
        let mut out = Diagnostics::default();
        for _ in 0..MAX_DIAGNOSTICS - 1 {
            out.push(Diagnostic::new(Code::TypeConverted, &Path::root(), "info"));
        }
        out.push(Diagnostic::new(Code::UnknownKey, &Path::root(), "error"));
        let finished = out.finish();
        assert_eq!(finished.len(), MAX_DIAGNOSTICS);
        assert_eq!(finished[0].message, "error");
        assert_eq!(finished[99].message, "info");
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
            assert!(seen.insert(s), "duplicate code {s}");
        }
    }
}
