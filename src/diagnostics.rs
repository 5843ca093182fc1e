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
    NumberTooManyDigits = "number_too_many_digits", Error, "A number given where a string is expected has more significant digits than Terraform keeps exactly (153), or a decimal form over 10,240 characters.";
    DuplicateKey = "duplicate_key", Error, "Two keys of one object are equal once Terraform normalizes them to Unicode NFC: Terraform fails with \"Duplicate object attribute\".";
    UnknownKey = "unknown_key", Error, "A key the module, the object type or the options do not have (Terraform drops unknown object attributes silently).";
    InvalidOption = "invalid_option", Error, "An option (account_id, partition, module_name, module_source) is not valid.";
    InputNotJson = "input_not_json", Error, "The inputs were given as text, and the text is not JSON.";
    // Reading HCL (from_hcl): a .tfvars, or the module block of a .tf.
    HclSyntax = "hcl_syntax", Error, "The text is not valid HCL.";
    HclTooLarge = "hcl_too_large", Error, "The text has more than 10,000 = and : (the parser slows down quadratically with an object's size); nothing is read.";
    HclNotStatic = "hcl_not_static", Error, "A reference, a function call or an interpolation of them, whose value only Terraform knows (in a .tfvars Terraform rejects it: Variables not allowed); the value is left out.";
    HclInvalidValue = "hcl_invalid_value", Error, "An expression Terraform cannot evaluate (a null or list object key, an operator on the wrong types); the value is left out.";
    HclUnexpected = "hcl_unexpected", Error, "What Terraform rejects in that kind of file: a block in a .tfvars, an argument outside any block in a .tf.";
    HclDuplicateKey = "hcl_duplicate_key", Warning, "An object key written twice: Terraform keeps the last value.";
    HclIgnored = "hcl_ignored", Info, "A block or module meta-argument that is not an input (terraform, provider, output, other modules; version, count, for_each, providers, depends_on), ignored.";
    HclModuleAmbiguous = "hcl_module_ambiguous", Error, "Several module blocks call iam_metaflow: pick one by its name.";
    HclModuleNotFound = "hcl_module_not_found", Error, "No module block calls iam_metaflow, or none has the name asked for.";
    HclNumberAsString = "hcl_number_as_string", Info, "A number a JS number cannot hold exactly, given as the string Terraform converts it to.";
    HclNumberPrecision = "hcl_number_precision", Warning, "A number with more significant digits than Terraform keeps (512 bits, about 154 digits): Terraform rounds it.";
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
    SidEmpty = "sid_empty", Error, "A statement's map key is empty and its sid is unset or empty: the module's coalesce(sid, key) fails at plan.";
    EffectInvalid = "effect_invalid", Error, "effect is neither Allow nor Deny.";
    ActionMissing = "action_missing", Error, "A statement has neither actions nor not_actions.";
    ActionConflict = "action_conflict", Error, "A statement has both actions and not_actions.";
    ActionMalformed = "action_malformed", Error, "An action is not * or service:Action.";
    ResourceMissing = "resource_missing", Error, "A statement has neither resources nor not_resources.";
    ResourceConflict = "resource_conflict", Error, "A statement has both resources and not_resources.";
    PrincipalInIdentityPolicy = "principal_in_identity_policy", Error, "principals or not_principals in the job role's inline policy, an identity policy.";
    ConditionOperatorUnknown = "condition_operator_unknown", Error, "A condition test is not an IAM condition operator.";
    ConditionValueNotBool = "condition_value_not_bool", Error, "A Null or Bool condition has a value other than true or false.";
    ConditionValuesEmpty = "condition_values_empty", Warning, "A condition has no values: Terraform renders \"key\": [] and IAM accepts it, but it has no effect, never matches (ForAnyValue:) or matches only when the key is absent (ForAllValues:, IfExists).";
    PolicyChars = "policy_chars", Error, "A string of the inline policy has a character outside IAM's policy alphabet (tab, line feed, carriage return, U+0020 to U+00FF).";
    PolicyVariableEmpty = "policy_variable_empty", Error, "A resource or condition value has an empty policy variable ${} (or &{}, which Terraform turns into ${}).";
    ResourceEmpty = "resource_empty", Error, "A resource or not_resources entry is the empty string.";
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
    /// The line (from 1) in the HCL text read by `from_hcl`; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub line: Option<u32>,
    /// The column (from 1, in characters) in the HCL text read by `from_hcl`; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub column: Option<u32>,
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
            line: None,
            column: None,
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

    /// The same diagnostic at a line and column (both from 1) of an HCL text.
    pub fn with_location(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// Terraform's "Duplicate object attribute": the key at `at`, written `key`, equals the
    /// earlier key `earlier` of the same object once both are in Unicode NFC (`normalized`), as
    /// Terraform compares keys. JSON text can also repeat a key exactly (`key == earlier`).
    pub fn duplicate_key(at: &Path, key: &str, earlier: &str, normalized: &str) -> Diagnostic {
        let mut message = format!(
            "Duplicate object attribute: an attribute named {} was already defined",
            quoted(normalized)
        );
        if key != earlier {
            message.push_str(&format!(
                " (the keys {} and {} are the same key once Terraform normalizes them to \
                 Unicode NFC)",
                code_points(earlier),
                code_points(key)
            ));
        }
        Diagnostic::new(Code::DuplicateKey, at, message).with_help(
            "rename or remove one of the two keys: Terraform rejects the file, and a JSON \
             object keeps only one of them",
        )
    }
}

// ---------------------------------------------------------------------------------------------
// How messages show the user's text: quoted, with what a reader cannot see escaped.

/// Whether `c` shows as nothing, or moves or hides text around it: controls, bidirectional
/// controls, zero-width and other format characters, line and paragraph separators, tags.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}')
}

/// Appends `c` as HCL and JSON escape it: `\u202E`, or `\U000E0001` beyond the BMP.
fn push_escaped(out: &mut String, c: char) {
    let code = u32::from(c);
    if code > 0xFFFF {
        out.push_str(&format!("\\U{code:08X}"));
    } else {
        out.push_str(&format!("\\u{code:04X}"));
    }
}

/// `U+` and the code point of `c` in upper-case hex, at least four digits (`U+00E9`).
pub(crate) fn push_code_point(out: &mut String, c: char) {
    out.push_str(&format!("U+{:04X}", u32::from(c)));
}

/// `'a'`, `'é' (U+00E9)`, `'\u202E' (U+202E)`: a character as a reader can tell it apart;
/// non-ASCII ones with their code point (a combining mark or an odd space looks like nothing),
/// invisible ones escaped.
pub(crate) fn shown_char(c: char) -> String {
    let mut out = String::from("'");
    if is_invisible(c) {
        push_escaped(&mut out, c);
    } else {
        out.push(c);
    }
    out.push('\'');
    if !(c.is_ascii_graphic() || c == ' ') {
        out.push_str(" (");
        push_code_point(&mut out, c);
        out.push(')');
    }
    out
}

/// Most characters [`list_chars`] lists.
pub(crate) const CHARS_SHOWN: usize = 8;

/// Characters shown with [`shown_char`], separated by commas; past [`CHARS_SHOWN`] of them,
/// `and others`.
pub(crate) fn list_chars(chars: &[char]) -> String {
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i == CHARS_SHOWN {
            out.push_str(" and others");
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&shown_char(c));
    }
    out
}

/// `s` quoted for a message as HCL or JSON would quote it (`"` `\` and invisible characters
/// escaped), cut as [`shown`] cuts it.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    push_escaped_text(&mut out, shown(s).chars());
    out.push('"');
    out
}

/// Appends `chars` as the inside of an HCL or JSON string: `"` `\` and invisible characters
/// escaped. Message texts and the map keys of paths are written so.
fn push_escaped_text(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_invisible(c) => push_escaped(out, c),
            c => out.push(c),
        }
    }
}

/// `s` quoted with every non-ASCII character escaped (`"\u212Bx"`): for two texts that look
/// the same.
fn code_points(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_graphic() || c == ' ' {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out.push('"');
    out
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}] ", self.severity_str(), self.code.as_str())?;
        match (self.path.as_str(), self.line.zip(self.column)) {
            ("", None) => f.write_str("(root)")?,
            (path, None) => f.write_str(path)?,
            ("", Some((line, column))) => write!(f, "line {line}, column {column}")?,
            (path, Some((line, column))) => write!(f, "{path} (line {line}, column {column})")?,
        }
        write!(f, ": {}", self.message)?;
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

    /// [`Diagnostics::finish`], each severity in the order of its place in the text read (line,
    /// then column) rather than the order found: an HCL text's diagnostics.
    #[cfg(any(not(target_arch = "wasm32"), feature = "hcl-wasm"))] // from_hcl's
    pub(crate) fn finish_by_place(mut self) -> Vec<Diagnostic> {
        self.kept.sort_by_key(|d| (d.line, d.column));
        self.finish()
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
                    push_escaped_text(&mut out, key.chars());
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
        assert_eq!(
            Path::root().attr("tags").key("a\u{202e}\tb").terraform(),
            "tags[\"a\\u202E\\tb\"]"
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
    fn duplicate_keys_in_terraforms_words() {
        // Terraform 1.11.4 on tags {"\u212bx": "a", "\u00c5x": "b"} in a .tfvars.json:
        // `Error: Duplicate object attribute` / `An attribute named "Åx" was already defined`.
        let at = Path::root().attr("tags").key("\u{c5}x");
        let d = Diagnostic::duplicate_key(&at, "\u{c5}x", "\u{212b}x", "\u{c5}x");
        assert_eq!(d.code.as_str(), "duplicate_key");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.path, "tags[\"\u{c5}x\"]");
        assert_eq!(d.pointer, "/tags/\u{c5}x");
        assert_eq!(
            d.message,
            "Duplicate object attribute: an attribute named \"\u{c5}x\" was already defined \
             (the keys \"\\u212Bx\" and \"\\u00C5x\" are the same key once Terraform normalizes \
             them to Unicode NFC)"
        );
        assert!(d
            .help
            .unwrap()
            .starts_with("rename or remove one of the two keys"));
        // The same key twice in JSON text: Terraform's words alone.
        let at = Path::root().attr("tags").key("a");
        let d = Diagnostic::duplicate_key(&at, "a", "a", "a");
        assert_eq!(
            d.message,
            "Duplicate object attribute: an attribute named \"a\" was already defined"
        );
    }

    #[test]
    fn messages_show_invisible_characters_escaped() {
        assert_eq!(
            list_chars(&[' ', '#', '\u{a0}', '\u{301}', '\t']),
            "' ', '#', '\u{a0}' (U+00A0), '\u{301}' (U+0301), '\\u0009' (U+0009)"
        );
        // Unicode writes code points with four hex digits at least, more when needed.
        assert_eq!(
            list_chars(&['😀', '\u{7f}']),
            "'😀' (U+1F600), '\\u007F' (U+007F)"
        );
        assert_eq!(shown_char('\u{202e}'), "'\\u202E' (U+202E)");
        assert_eq!(shown_char('\u{e0041}'), "'\\U000E0041' (U+E0041)");
        assert_eq!(shown_char('日'), "'日' (U+65E5)");
        assert_eq!(
            quoted("a\"b\\c\nd\u{202e}\u{1}"),
            r#""a\"b\\c\nd\u202E\u0001""#
        );
        assert_eq!(
            quoted("\u{1b}[2J\u{7}\u{202e}\u{2066}\u{200f}\u{2028}\u{85}é漢"),
            "\"\\u001B[2J\\u0007\\u202E\\u2066\\u200F\\u2028\\u0085é漢\""
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
        assert_eq!(p.terraform(), "[\"a b\\u001B\"].c[2]");
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
