//! The module's variables and the options, decoded from generic JSON with exact paths.

use std::collections::BTreeMap;

use serde::Serialize;
use tsify::Tsify;

/// The module's input variables, after defaults and Terraform's conversions.
///
/// Its TypeScript type (tsify) is what `generate` accepts: every variable but `name_prefix` may
/// be left out (`#[serde(default)]` says so; these types are serialized, never deserialized),
/// and `null` means the default, as in a `terraform.tfvars.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
pub struct Inputs {
    /// Prefix of every IAM name.
    pub name_prefix: String,
    /// Tags of every role and of the instance profile.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Whether the Spot Fleet role is created.
    #[serde(default)]
    pub enable_spot_fleet_role: bool,
    /// Managed policies attached to the job role after the defaults.
    #[serde(default)]
    pub additional_job_policy_arns: Vec<String>,
    /// The job role's inline policy statements, by map key (sorted, as Terraform iterates).
    #[serde(default)]
    pub custom_job_policy_statements: Option<BTreeMap<String, StatementInput>>,
}

/// One statement of `custom_job_policy_statements`, in the seed's object shape; every attribute
/// may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(default)]
pub struct StatementInput {
    /// The Sid; the map key is used when absent.
    pub sid: Option<String>,
    /// `actions`.
    pub actions: Option<Vec<String>>,
    /// `not_actions`.
    pub not_actions: Option<Vec<String>>,
    /// `effect`, `"Allow"` when absent or null.
    pub effect: String,
    /// `resources`.
    pub resources: Option<Vec<String>>,
    /// `not_resources`.
    pub not_resources: Option<Vec<String>>,
    /// `principals`.
    pub principals: Option<Vec<PrincipalInput>>,
    /// `not_principals`.
    pub not_principals: Option<Vec<PrincipalInput>>,
    /// `condition`.
    pub condition: Option<Vec<ConditionInput>>,
}

/// A `principals` / `not_principals` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct PrincipalInput {
    /// `type`: `AWS`, `Service`, `Federated`, `CanonicalUser` or `*`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `identifiers`.
    pub identifiers: Vec<String>,
}

/// A `condition` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct ConditionInput {
    /// `test`: the condition operator.
    pub test: String,
    /// `variable`: the condition key.
    pub variable: String,
    /// `values`, order kept.
    pub values: Vec<String>,
}

/// The AWS partition every ARN is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Tsify)]
pub enum Partition {
    /// `aws`
    #[default]
    #[serde(rename = "aws")]
    Aws,
    /// `aws-cn`
    #[serde(rename = "aws-cn")]
    AwsCn,
    /// `aws-us-gov`
    #[serde(rename = "aws-us-gov")]
    AwsUsGov,
}

impl Partition {
    /// Every partition, in documentation order.
    pub const ALL: [Partition; 3] = [Partition::Aws, Partition::AwsCn, Partition::AwsUsGov];

    /// The partition's name as it appears in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
        }
    }

    /// The service principal of an AWS service (`ec2` → `ec2.amazonaws.com`, or
    /// `ec2.amazonaws.com.cn` in `aws-cn`, where only EC2 differs).
    pub fn service_principal(self, service: &str) -> String {
        match (self, service) {
            (Partition::AwsCn, "ec2") => "ec2.amazonaws.com.cn".to_owned(),
            _ => format!("{service}.amazonaws.com"),
        }
    }
}

/// The options: the context of the module call, not module inputs. Each may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(default)]
pub struct Options {
    /// Label of the generated `module` block.
    pub module_name: String,
    /// Its `source`.
    pub module_source: String,
    /// The 12-digit account the roles live in; lets ARNs be predicted.
    pub account_id: Option<String>,
    /// The partition of every ARN.
    pub partition: Partition,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            module_name: "metaflow_iam".to_owned(),
            module_source: "./shared-modules/wrapped/iam_metaflow".to_owned(),
            account_id: None,
            partition: Partition::Aws,
        }
    }
}

use serde_json::{Map, Value};

use crate::diagnostics::{quoted, At, Code, Diagnostic, Diagnostics, Path};

/// Most bytes of text the inputs and options may hold together: the UTF-8 bytes of every
/// string and every object key. The module's variables take a few KB (a tag value has at most
/// 256 characters, a policy ARN 2,048, the inline policy 10,240); past this budget an input
/// is refused with `input_too_large` before any work that grows with it, so that one hostile
/// call cannot pin the memory of a long-lived instance (linear memory never shrinks).
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Most values the inputs and options may hold together: every string, number, bool, null,
/// list and object counts one, object keys none (their text counts in [`MAX_INPUT_BYTES`]).
///
/// A configuration IAM accepts holds about 3,000 values at most (50 tags, 20 managed
/// policies, statements within the inline policy's 10,240 characters); 10,000 leaves room
/// for mistakes. The cost of a call grows with the values and with the diagnostics they
/// give (up to about 5 each): at 10,000 the slowest input measured takes about 60 ms in
/// Node, at 100,000 over a second (`scripts/bench-hostile.mjs`, docs/performance.md).
pub const MAX_INPUT_VALUES: usize = 10_000;

/// The longest JSON text (`JSON.stringify`'s or serde_json's, without indentation) that an
/// input within the budget can have: each byte of a string or key written as a six-character
/// escape at most (`\u001b`), and each value with its punctuation in 32 bytes at most (the
/// longest number, `-1.7976931348623157e+308`, is 24 characters; quotes, a comma and a colon
/// add 4). A text longer than this is over the budget without parsing it: the JSON-text path
/// refuses it before copying or parsing it.
pub const MAX_INPUT_JSON_BYTES: usize = 6 * MAX_INPUT_BYTES + 32 * MAX_INPUT_VALUES + 64;

/// The input budget as a count kept while reading an input: the JS Walker counts each value
/// and string as it reads it, before it allocates for it, and [`check_input_size`] counts an
/// input already decoded. Both give the same diagnostic ([`Exceeded::diagnostic`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Budget {
    bytes: usize,
    values: usize,
}

/// Which part of the input budget an input went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exceeded {
    /// More than [`MAX_INPUT_BYTES`] of text.
    Bytes,
    /// More than [`MAX_INPUT_VALUES`] values.
    Values,
}

impl Budget {
    /// Counts `values` values and `bytes` bytes of string or key text; `Err` once the input
    /// is over the budget (and on every later call).
    pub(crate) fn take(&mut self, values: usize, bytes: usize) -> Result<(), Exceeded> {
        self.values = self.values.saturating_add(values);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_INPUT_BYTES {
            Err(Exceeded::Bytes)
        } else if self.values > MAX_INPUT_VALUES {
            Err(Exceeded::Values)
        } else {
            Ok(())
        }
    }
}

impl Exceeded {
    /// The `input_too_large` diagnostic, at the root: where the budget runs out depends on
    /// the order the input is read in, the total does not.
    pub(crate) fn diagnostic(self) -> Diagnostic {
        let message = match self {
            Exceeded::Bytes => format!(
                "the inputs and options hold more than {} bytes (1 MiB) of text in their \
                 strings and keys, the most iam-metaflow reads",
                crate::validate::thousands(MAX_INPUT_BYTES)
            ),
            Exceeded::Values => format!(
                "the inputs and options hold more than {} values (strings, numbers, bools, \
                 nulls, lists and objects), the most iam-metaflow reads",
                crate::validate::thousands(MAX_INPUT_VALUES)
            ),
        };
        Diagnostic::new(Code::InputTooLarge, &Path::root(), message).with_help(
            "pass only the module's variables, as a terraform.tfvars.json holds them: they \
             take a few KB (a tag value has at most 256 characters, a policy ARN 2,048, the \
             inline policy 10,240)",
        )
    }
}

/// The `input_too_large` diagnostic when `inputs` and `options` together are over the input
/// budget ([`MAX_INPUT_BYTES`] of text, [`MAX_INPUT_VALUES`] values), else `None`.
/// [`crate::generate`] and [`crate::validate`] check it first; it is public for callers that
/// hold an input they want to check before anything else. Linear in the input, with no
/// allocation but a stack of the lists and objects being counted.
pub fn check_input_size(inputs: &Value, options: Option<&Value>) -> Option<Diagnostic> {
    /// The lists and objects being counted, each as the rest of its elements.
    enum Open<'v> {
        List(std::slice::Iter<'v, Value>),
        Object(serde_json::map::Iter<'v>),
    }
    let mut budget = Budget::default();
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut next = Some(inputs);
    let mut options = options;
    loop {
        let value = match next.take() {
            Some(value) => value,
            None => match open.last_mut() {
                Some(Open::List(items)) => match items.next() {
                    Some(item) => item,
                    None => {
                        open.pop();
                        continue;
                    }
                },
                Some(Open::Object(entries)) => match entries.next() {
                    Some((key, item)) => {
                        if let Err(exceeded) = budget.take(0, key.len()) {
                            return Some(exceeded.diagnostic());
                        }
                        item
                    }
                    None => {
                        open.pop();
                        continue;
                    }
                },
                // The options next; after them, everything was counted within the budget.
                None => options.take()?,
            },
        };
        let bytes = match value {
            Value::String(s) => s.len(),
            Value::Array(items) => {
                open.push(Open::List(items.iter()));
                0
            }
            Value::Object(map) => {
                open.push(Open::Object(map.iter()));
                0
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        };
        if let Err(exceeded) = budget.take(1, bytes) {
            return Some(exceeded.diagnostic());
        }
    }
}

/// The variables, in the seed's order.
pub(crate) const VARIABLES: [&str; 5] = [
    "name_prefix",
    "tags",
    "enable_spot_fleet_role",
    "additional_job_policy_arns",
    "custom_job_policy_statements",
];

/// The attributes of a statement object, in the seed's order.
pub(crate) const STATEMENT_ATTRIBUTES: [&str; 9] = [
    "sid",
    "actions",
    "not_actions",
    "effect",
    "resources",
    "not_resources",
    "principals",
    "not_principals",
    "condition",
];

/// An object being read from JS (src/wasm.rs): its entries, and the keys Unicode NFC changed,
/// as (in NFC, as written), to name both when two keys become one.
#[derive(Default)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS bindings' (and tests')
pub(crate) struct Entries {
    pub(crate) map: Map<String, Value>,
    written: Vec<(String, String)>,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS bindings' (and tests')
impl Entries {
    /// Adds `key` (`written`, in NFC) at `path`; a key NFC made equal to an earlier one is
    /// Terraform's "Duplicate object attribute", added to `diagnostics`.
    pub(crate) fn insert(
        &mut self,
        written: String,
        key: String,
        item: Value,
        path: &Path,
        diagnostics: &mut Diagnostics,
    ) {
        if self.map.contains_key(&key) {
            let earlier = (self.written.iter())
                .find(|(normalized, _)| *normalized == key)
                .map_or(key.as_str(), |(_, earlier)| earlier.as_str());
            diagnostics.add(Code::DuplicateKey, || {
                Diagnostic::duplicate_key(path, &written, earlier, &key)
            });
            return;
        }
        if written != key {
            self.written.push((key.clone(), written));
        }
        self.map.insert(key, item);
    }
}

/// The path of `key` in the object at `path` (`depth` levels down): in Terraform's style, the
/// keys of the two variables of type map (`tags`, `custom_job_policy_statements`) are map keys,
/// other keys attributes.
pub(crate) fn child_path(path: &Path, depth: usize, key: &str) -> Path {
    let variable = if depth == 1 {
        path.pointer()
    } else {
        String::new()
    };
    if variable == "/tags" || variable == "/custom_job_policy_statements" {
        path.key(key)
    } else {
        path.attr(key)
    }
}

/// What Terraform does with an unknown attribute of an object value.
const SILENTLY_DROPPED: &str = "Terraform would drop it silently";

const OPTION_KEYS: [&str; 4] = ["module_name", "module_source", "account_id", "partition"];

/// Decodes the inputs and options. `None` when the inputs cannot be evaluated at all (not an
/// object, or no usable `name_prefix`); every problem is a diagnostic in `out` either way.
pub(crate) fn decode(
    inputs: &Value,
    options: Option<&Value>,
    out: &mut Diagnostics,
) -> Option<(Inputs, Options)> {
    let mut d = Decoder { diagnostics: out };
    let options = d.options(options);
    let inputs = d.inputs(inputs);
    inputs.map(|i| (i, options))
}

struct Decoder<'d> {
    diagnostics: &'d mut Diagnostics,
}

/// Terraform's name for a JSON value's type, for messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "tuple",
        Value::Object(_) => "object",
    }
}

impl Decoder<'_> {
    /// Reports a diagnostic of `code` at `path`; `message` runs only when it is kept
    /// ([`Diagnostics::add`]).
    fn error(&mut self, code: Code, path: &At<'_>, message: impl FnOnce() -> String, help: &str) {
        self.diagnostics.add(code, || {
            let diagnostic = Diagnostic::at(code, path, message());
            if help.is_empty() {
                diagnostic
            } else {
                diagnostic.with_help(help)
            }
        });
    }

    fn mismatch(&mut self, path: &At<'_>, expected: &str, got: &Value) {
        self.diagnostics.add(Code::TypeMismatch, || {
            Diagnostic::at(
                Code::TypeMismatch,
                path,
                format!("{expected} required, got {}", type_name(got)),
            )
            .with_help(format!(
                "give a value of type {}",
                expected.strip_prefix("a ").unwrap_or(expected)
            ))
        });
    }

    /// Reports keys of `object` that are not in `known`, with a "did you mean" hint;
    /// `consequence` says what Terraform would do with the key.
    fn unknown_keys(
        &mut self,
        object: &Map<String, Value>,
        known: &[&str],
        path: &At<'_>,
        what: &str,
        consequence: &str,
    ) {
        if object.keys().all(|key| known.contains(&key.as_str())) {
            return;
        }
        for (key, _) in sorted(object) {
            if known.contains(&key.as_str()) {
                continue;
            }
            self.diagnostics.add(Code::UnknownKey, || {
                let help = match did_you_mean(key, known) {
                    Some(close) => format!("did you mean \"{close}\"? {consequence}"),
                    None => format!("{what} has only: {}; {consequence}", known.join(", ")),
                };
                Diagnostic::at(
                    Code::UnknownKey,
                    &path.attr(key),
                    format!("unknown key {} in {what}", quoted(key)),
                )
                .with_help(help)
            });
        }
    }

    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &At<'_>,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.mismatch(path, what, other);
                None
            }
        }
    }

    /// A string, with Terraform's number and bool conversions. `None` for null or an error.
    /// The one place a value becomes a string: numbers as Terraform writes them
    /// (src/number.rs).
    fn string(&mut self, value: &Value, path: &At<'_>) -> Option<String> {
        let (given, converted) = match value {
            Value::String(s) => return Some(s.clone()),
            Value::Null => return None,
            Value::Number(n) => match crate::number::to_terraform_string(n.as_str()) {
                Ok(text) => (n.as_str(), text),
                Err(problem) => {
                    self.number_problem(n.as_str(), &problem, path);
                    return None;
                }
            },
            Value::Bool(b) => (if *b { "true" } else { "false" }, b.to_string()),
            other => {
                self.mismatch(path, "string", other);
                return None;
            }
        };
        self.diagnostics.add(Code::TypeConverted, || {
            Diagnostic::at(
                Code::TypeConverted,
                path,
                format!(
                    "{} {given} converted to the string \"{converted}\"",
                    type_name(value)
                ),
            )
            .with_help(format!("write it as the string \"{converted}\""))
        });
        Some(converted)
    }

    /// A number Terraform would not write exactly, or whose text is absurdly long.
    fn number_problem(&mut self, given: &str, problem: &crate::number::Problem, path: &At<'_>) {
        use crate::number::{Problem, EXACT_DIGITS, MAX_CHARS};
        let shown = crate::diagnostics::shown(given);
        let (message, help) = match problem {
            Problem::TooPrecise { digits } => (
                format!(
                    "the number {shown} has {digits} significant digits: Terraform reads a \
                     number into 512 bits (exact to {EXACT_DIGITS} digits) and would round it \
                     when converting it to a string"
                ),
                "write it as a string, in quotes, to keep every digit".to_owned(),
            ),
            Problem::TooLong { chars } => (
                format!(
                    "the number {shown} written as a string has {chars} characters, over the \
                     {MAX_CHARS} that any string of this module can have and still apply"
                ),
                "give the string it stands for, in quotes".to_owned(),
            ),
        };
        self.error(Code::NumberTooManyDigits, path, || message, &help);
    }

    /// A value that must not be null; a missing one is reported, with how to give it.
    fn required<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &At<'_>,
        what: &str,
        help: &str,
    ) -> Option<&'v Value> {
        let value = value.filter(|v| !v.is_null());
        if value.is_none() {
            self.error(
                Code::MissingRequired,
                path,
                || format!("{what} is required"),
                help,
            );
        }
        value
    }

    /// A string that must not be null.
    fn required_string(
        &mut self,
        value: Option<&Value>,
        path: &At<'_>,
        what: &str,
    ) -> Option<String> {
        let value = self.required(value, path, what, "give it a string value")?;
        self.string(value, path)
    }

    /// A list of strings; `None` for null or an error (reported).
    fn string_list(&mut self, value: &Value, path: &At<'_>) -> Option<Vec<String>> {
        match value {
            Value::Null => None,
            Value::Array(items) => {
                let mut ok = true;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let p = path.index(i);
                    if item.is_null() {
                        self.error(
                            Code::TypeMismatch,
                            &p,
                            || "string required, got null".to_owned(),
                            "remove the null element",
                        );
                        ok = false;
                    } else if let Some(s) = self.string(item, &p) {
                        out.push(s);
                    } else {
                        ok = false;
                    }
                }
                ok.then_some(out)
            }
            other => {
                self.mismatch(path, "list of string", other);
                None
            }
        }
    }

    fn bool(&mut self, value: &Value, path: &At<'_>) -> Option<bool> {
        match value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" || s == "false" => {
                self.diagnostics.push(
                    Diagnostic::at(
                        Code::TypeConverted,
                        path,
                        format!("string \"{s}\" converted to the bool {s}"),
                    )
                    .with_help(format!("write it as the bool {s}, without quotes")),
                );
                Some(s == "true")
            }
            other => {
                self.mismatch(path, "bool", other);
                None
            }
        }
    }

    fn options(&mut self, value: Option<&Value>) -> Options {
        let mut options = Options::default();
        let root = At::ROOT.attr("options");
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return options;
        };
        let Some(map) = self.object(value, &root, "object") else {
            return options;
        };
        self.unknown_keys(
            map,
            &OPTION_KEYS,
            &root,
            "the options",
            "it would be ignored",
        );
        let option =
            |d: &mut Self, name: &str, problem: Problem| d.option(map, &root, name, problem);
        if let Some(name) = option(self, "module_name", |name| {
            (!is_identifier(name)).then(|| {
                (
                    format!("module_name {} is not a Terraform identifier", quoted(name)),
                    "use letters, digits, _ and -, starting with a letter or _",
                )
            })
        }) {
            options.module_name = name;
        }
        if let Some(source) = option(self, "module_source", |source| {
            source.is_empty().then(|| {
                (
                    "module_source is empty".to_owned(),
                    "give the path or registry address of the wrapper module",
                )
            })
        }) {
            options.module_source = source;
        }
        options.account_id = option(self, "account_id", |account| {
            (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit())).then(|| {
                (
                    format!("account_id {} is not 12 digits", quoted(account)),
                    "give the AWS account ID as a string of 12 digits, leading zeros included",
                )
            })
        });
        let partition = option(self, "partition", |name| {
            partition_named(name).is_none().then(|| {
                (
                    format!(
                        "partition {} is not aws, aws-cn or aws-us-gov",
                        quoted(name)
                    ),
                    "use aws, aws-cn or aws-us-gov",
                )
            })
        });
        if let Some(p) = partition.as_deref().and_then(partition_named) {
            options.partition = p;
        }
        options
    }

    /// The string option `name` of `map`, or `None` when it is absent, null or has a problem,
    /// which is reported.
    fn option(
        &mut self,
        map: &Map<String, Value>,
        root: &At<'_>,
        name: &str,
        problem: Problem,
    ) -> Option<String> {
        let value = get(map, name).filter(|v| !v.is_null())?;
        let path = root.attr(name);
        let text = self.string(value, &path)?;
        match problem(&text) {
            None => Some(text),
            Some((message, help)) => {
                self.error(Code::InvalidOption, &path, || message, help);
                None
            }
        }
    }

    fn inputs(&mut self, value: &Value) -> Option<Inputs> {
        let root = At::ROOT;
        let Value::Object(map) = value else {
            self.error(
                Code::InputNotObject,
                &root,
                || format!("the inputs must be an object of variables, got {}", type_name(value)),
                "pass an object like a terraform.tfvars.json: { \"name_prefix\": \"metaflow-prod\" }",
            );
            return None;
        };
        self.unknown_keys(
            map,
            &VARIABLES,
            &root,
            "the module's variables",
            "Terraform rejects an argument the module does not declare",
        );
        let field = |name: &str| get(map, name).filter(|v| !v.is_null());

        let name_prefix = self.required_string(
            get(map, "name_prefix"),
            &root.attr("name_prefix"),
            "name_prefix",
        );

        let tags = match field("tags") {
            None => BTreeMap::new(),
            Some(v) => self.string_map(v, &root.attr("tags")),
        };
        let enable_spot_fleet_role = field("enable_spot_fleet_role")
            .and_then(|v| self.bool(v, &root.attr("enable_spot_fleet_role")))
            .unwrap_or(false);
        let additional_job_policy_arns = field("additional_job_policy_arns")
            .and_then(|v| self.string_list(v, &root.attr("additional_job_policy_arns")))
            .unwrap_or_default();
        let custom_job_policy_statements = field("custom_job_policy_statements")
            .and_then(|v| self.statements(v, &root.attr("custom_job_policy_statements")));

        Some(Inputs {
            name_prefix: name_prefix?,
            tags,
            enable_spot_fleet_role,
            additional_job_policy_arns,
            custom_job_policy_statements,
        })
    }

    /// A `map(string)`; entries that fail are reported and left out.
    fn string_map(&mut self, value: &Value, path: &At<'_>) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(map) = self.object(value, path, "map of string") else {
            return out;
        };
        for (key, v) in sorted(map) {
            let p = path.key(key);
            if v.is_null() {
                self.error(
                    Code::TypeMismatch,
                    &p,
                    || "string required, got null".to_owned(),
                    "give the tag a string value, or remove it",
                );
            } else if let Some(s) = self.string(v, &p) {
                out.insert(key.clone(), s);
            }
        }
        out
    }

    fn statements(
        &mut self,
        value: &Value,
        path: &At<'_>,
    ) -> Option<BTreeMap<String, StatementInput>> {
        let map = self.object(value, path, "map of object")?;
        let mut out = BTreeMap::new();
        for (key, v) in sorted(map) {
            let p = path.key(key);
            let before = self.diagnostics.errors();
            let statement = self.statement(v, &p);
            let failed = self.diagnostics.errors() > before;
            match statement {
                Some(s) if !failed => {
                    out.insert(key.clone(), s);
                }
                _ => {}
            }
        }
        Some(out)
    }

    fn statement(&mut self, value: &Value, path: &At<'_>) -> Option<StatementInput> {
        if value.is_null() {
            self.error(
                Code::TypeMismatch,
                path,
                || "object required, got null".to_owned(),
                "give the statement an object, or remove it",
            );
            return None;
        }
        let map = self.object(value, path, "object")?;
        self.unknown_keys(
            map,
            &STATEMENT_ATTRIBUTES,
            path,
            "a statement",
            SILENTLY_DROPPED,
        );
        let field = |name: &str| get(map, name).filter(|v| !v.is_null());
        let list =
            |d: &mut Self, name: &str| field(name).and_then(|v| d.string_list(v, &path.attr(name)));
        let sid = field("sid").and_then(|v| self.string(v, &path.attr("sid")));
        let actions = list(self, "actions");
        let not_actions = list(self, "not_actions");
        let effect = field("effect")
            .and_then(|v| self.string(v, &path.attr("effect")))
            .unwrap_or_else(|| "Allow".to_owned());
        let resources = list(self, "resources");
        let not_resources = list(self, "not_resources");
        let principals =
            field("principals").and_then(|v| self.principals(v, &path.attr("principals")));
        let not_principals =
            field("not_principals").and_then(|v| self.principals(v, &path.attr("not_principals")));
        let condition =
            field("condition").and_then(|v| self.conditions(v, &path.attr("condition")));
        Some(StatementInput {
            sid,
            actions,
            not_actions,
            effect,
            resources,
            not_resources,
            principals,
            not_principals,
            condition,
        })
    }

    /// A list of objects, each decoded by `element`.
    fn object_list<T>(
        &mut self,
        value: &Value,
        path: &At<'_>,
        keys: &[&str],
        what: &str,
        element: impl Fn(&mut Self, &Map<String, Value>, &At<'_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = value else {
            self.mismatch(path, "list of object", value);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = path.index(i);
            if let Some(map) = self.object(item, &p, "object") {
                self.unknown_keys(map, keys, &p, what, SILENTLY_DROPPED);
                out.extend(element(self, map, &p));
            }
        }
        Some(out)
    }

    fn principals(&mut self, value: &Value, path: &At<'_>) -> Option<Vec<PrincipalInput>> {
        self.object_list(
            value,
            path,
            &["type", "identifiers"],
            "a principal",
            |d, map, p| {
                let kind = d.required_string(get(map, "type"), &p.attr("type"), "type");
                let identifiers = d.required_list(
                    get(map, "identifiers"),
                    &p.attr("identifiers"),
                    "identifiers",
                );
                Some(PrincipalInput {
                    kind: kind?,
                    identifiers: identifiers?,
                })
            },
        )
    }

    fn conditions(&mut self, value: &Value, path: &At<'_>) -> Option<Vec<ConditionInput>> {
        self.object_list(
            value,
            path,
            &["test", "variable", "values"],
            "a condition",
            |d, map, p| {
                let test = d.required_string(get(map, "test"), &p.attr("test"), "test");
                let variable =
                    d.required_string(get(map, "variable"), &p.attr("variable"), "variable");
                let values = d.required_list(get(map, "values"), &p.attr("values"), "values");
                Some(ConditionInput {
                    test: test?,
                    variable: variable?,
                    values: values?,
                })
            },
        )
    }

    fn required_list(
        &mut self,
        value: Option<&Value>,
        path: &At<'_>,
        what: &str,
    ) -> Option<Vec<String>> {
        let value = self.required(value, path, what, "give it a list of strings")?;
        self.string_list(value, path)
    }
}

/// The entries of an object in key order, as Terraform iterates maps, so that nothing
/// depends on the order of the input's keys.
fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by_key(|entry| entry.0);
    entries
}

/// The value of `name` in an object. The objects read here have a handful of keys: comparing
/// them costs less than hashing `name` for the map's index.
fn get<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    map.iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// What is wrong with an option's value, as (message, help), or `None` when it is fine.
type Problem = fn(&str) -> Option<(String, &'static str)>;

/// The partition of that name.
fn partition_named(name: &str) -> Option<Partition> {
    Partition::ALL.into_iter().find(|p| p.as_str() == name)
}

/// A Terraform identifier: a letter or `_`, then letters, digits, `_` and `-`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The closest of `candidates` to `key`, when it is close enough to be a typo.
///
/// Linear in `key` whatever its length: the distance between two strings is at least the
/// difference of their lengths, so a candidate whose length differs by more than its
/// threshold is not compared, and a key longer than every candidate by more than that is not
/// even lowercased (a 1 MB condition `test` took 4 to 10 s when every candidate was compared).
pub(crate) fn did_you_mean<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let threshold = |c: &str| (c.len() / 3).max(2);
    let longest = candidates
        .iter()
        .map(|c| c.len() + threshold(c))
        .max()
        .unwrap_or(0);
    // Candidates are ASCII: a key of more bytes than `longest` may still be close only when
    // its characters are fewer; counting them is linear.
    if key.len() > longest && crate::validate::char_count(key) > longest {
        return None;
    }
    let key = key.to_ascii_lowercase();
    let key_length = crate::validate::char_count(&key);
    candidates
        .iter()
        .filter(|c| key_length.abs_diff(c.len()) <= threshold(c))
        .map(|c| (levenshtein(&key, c), *c))
        .filter(|(distance, c)| *distance <= threshold(c))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    // One row of the edit-distance table, updated in place: row[j] = distance(a[..i], b[..j]).
    let mut row: Vec<usize> = (0..=crate::validate::char_count(b)).collect();
    for (i, ca) in a.chars().enumerate() {
        let (mut diagonal, mut left) = (i, i + 1);
        let mut cells = row.iter_mut();
        if let Some(first) = cells.next() {
            *first = left;
        }
        for (cell, cb) in cells.zip(b.chars()) {
            let up = *cell;
            let value = (diagonal + usize::from(ca != cb)).min(up + 1).min(left + 1);
            (diagonal, left) = (up, value);
            *cell = value;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("conditions", &STATEMENT_ATTRIBUTES),
            Some("condition")
        );
        assert_eq!(
            did_you_mean("Actions", &STATEMENT_ATTRIBUTES),
            Some("actions")
        );
        assert_eq!(
            did_you_mean("resource", &STATEMENT_ATTRIBUTES),
            Some("resources")
        );
        assert_eq!(did_you_mean("zzzzzzzz", &STATEMENT_ATTRIBUTES), None);
    }

    /// `did_you_mean` as it was before its length cap: every candidate compared.
    fn did_you_mean_uncapped<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let key = key.to_ascii_lowercase();
        candidates
            .iter()
            .map(|c| (levenshtein(&key, c), *c))
            .filter(|(distance, c)| *distance <= (c.len() / 3).max(2))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, c)| c)
    }

    #[test]
    fn the_length_cap_changes_no_suggestion() {
        let lists: [&[&str]; 3] = [&VARIABLES, &STATEMENT_ATTRIBUTES, &OPTION_KEYS];
        for list in lists {
            for candidate in list.iter() {
                // Each candidate grown and shrunk around its threshold, with typos.
                for n in 0..candidate.len() + 12 {
                    for key in [
                        format!("{candidate}{}", "s".repeat(n)),
                        candidate.chars().take(n).collect::<String>(),
                        format!("x{}", candidate.get(1..).unwrap_or("")).repeat(n % 3 + 1),
                        format!("{}é", "é".repeat(n)),
                    ] {
                        assert_eq!(
                            did_you_mean(&key, list),
                            did_you_mean_uncapped(&key, list),
                            "{key:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(did_you_mean(&"s".repeat(1 << 20), &VARIABLES), None);
    }

    #[test]
    fn no_input_within_the_budget_has_a_longer_json_text() {
        // The worst cases: every byte of text escaped, every value the longest number.
        let escaped = "\u{1}".repeat(MAX_INPUT_BYTES - 16);
        let numbers = vec![Value::from(-f64::MAX); MAX_INPUT_VALUES - 3];
        let pairs: Map<String, Value> = (0..MAX_INPUT_VALUES - 1)
            .map(|i| (format!("\u{1}{i:x}"), Value::from(-f64::MAX)))
            .collect();
        for input in [
            serde_json::json!({ "s": escaped }),
            serde_json::json!({ "x": numbers }),
            Value::Object(pairs),
        ] {
            assert_eq!(check_input_size(&input, None), None);
            let text = serde_json::to_string(&[input, Value::Null]).unwrap_or_default();
            assert!(text.len() <= MAX_INPUT_JSON_BYTES, "{}", text.len());
        }
    }

    #[test]
    fn edit_distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("flaw", "lawn"), 2);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("漢字", "漢"), 1);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn keys_equal_once_in_nfc_are_one_key_and_a_duplicate() {
        // "\u{212b}x" (Angstrom sign) and "\u{c5}x" are both "\u{c5}x" in NFC.
        let mut object = Entries::default();
        let mut diagnostics = Diagnostics::default();
        let at = Path::root().attr("tags");
        let key = "\u{c5}x".to_owned();
        object.insert(
            "\u{212b}x".into(),
            key.clone(),
            Value::from("a"),
            &at.key(&key),
            &mut diagnostics,
        );
        object.insert(
            key.clone(),
            key.clone(),
            Value::from("b"),
            &at.key(&key),
            &mut diagnostics,
        );
        assert_eq!(object.map.len(), 1);
        assert_eq!(object.map[&key], "a");
        let diagnostics = diagnostics.finish();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::DuplicateKey);
        assert!(
            diagnostics[0].message.contains("\\u212Bx"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn map_variables_have_keys_other_objects_attributes() {
        let tags = Path::root().attr("tags");
        assert_eq!(child_path(&tags, 1, "a b").terraform(), "tags[\"a b\"]");
        let statement = Path::root().attr("custom_job_policy_statements").key("s");
        assert_eq!(
            child_path(&statement, 2, "sid").terraform(),
            "custom_job_policy_statements[\"s\"].sid"
        );
        assert_eq!(child_path(&Path::root(), 0, "tags").terraform(), "tags");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("metaflow_iam"));
        assert!(is_identifier("_a-1"));
        assert!(!is_identifier("1a"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a b"));
    }
}
