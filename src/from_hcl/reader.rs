//! The reader: from hcl-edit's tree to the inputs, the options and the diagnostics (the rules
//! are in mod.rs's notes).

use hcl_edit::expr::{Expression, Object, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Attribute, Block, BlockLabel, Body};
use hcl_edit::template::{Element, ForDirective, Template};
use hcl_edit::visit::{self, Visit};
use hcl_edit::Span;
use serde_json::{Map, Value};

use super::number;
use super::{FromHcl, HclOptions};
use crate::diagnostics::{shown, Code, Diagnostic, Diagnostics, Path};
use crate::inputs::VARIABLES;

/// Reads a `terraform.tfvars` or a `.tf` holding a `module` block that calls this module.
///
/// `module` names the block to read when the text has several candidates. Never fails: every
/// problem is a diagnostic with its line and column, and what can be read is read.
///
/// ```
/// let read = iam_metaflow::from_hcl(
///     "module \"iam\" {\n  source      = \"./iam_metaflow\"\n  name_prefix = \"metaflow-prod\"\n}\n",
///     None,
/// );
/// assert_eq!(read.inputs, serde_json::json!({ "name_prefix": "metaflow-prod" }));
/// assert_eq!(read.options.module_name.as_deref(), Some("iam"));
/// assert!(read.diagnostics.is_empty());
/// ```
pub fn from_hcl(text: &str, module: Option<&str>) -> FromHcl {
    // Terraform reads a file that starts with a byte order mark (as Windows editors write
    // them); hcl-edit does not. Lines and columns are counted without it, as editors show them.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        text,
        tfvars: true,
        diagnostics: Diagnostics::default(),
    };
    let mut options = HclOptions::default();
    // A JSON text may be as long as the JSON of any inputs within the engine's budget.
    if text.trim_start().starts_with('{') {
        if text.len() > crate::MAX_INPUT_JSON_BYTES {
            return FromHcl::too_large(text.len(), crate::MAX_INPUT_JSON_BYTES);
        }
        return super::json::from_json(text);
    }
    if text.len() > crate::MAX_INPUT_BYTES {
        return FromHcl::too_large(text.len(), crate::MAX_INPUT_BYTES);
    }
    // hcl-edit keeps an object's items in a vector-backed map and checks each new key against
    // the others: parsing one object of n items takes about n² steps (measured in the wasm:
    // 5,000 keys 0.3 s, 10,000 keys 2.1 s; 20,000 attributes, which are not checked that way,
    // 0.2 s). Every item is written with `=` or `:`, so counting those bounds the worst case
    // without parsing; no input of the module comes near (50 tags, an inline policy of 10,240
    // characters).
    let assignments = text.bytes().filter(|&b| b == b'=' || b == b':').count();
    if assignments > MAX_ASSIGNMENTS {
        let diagnostic = Diagnostic::new(
            Code::HclTooLarge,
            &Path::root(),
            format!("the text has {assignments} = and : characters; this reader reads texts of at most {MAX_ASSIGNMENTS}"),
        )
        .with_help("give the module block or the .tfvars alone, in a file of its own")
        .with_location(1, 1);
        return FromHcl {
            inputs: Value::Object(Map::new()),
            options,
            diagnostics: vec![diagnostic],
        };
    }
    let inputs = match hcl_edit::parser::parse_body(text) {
        Ok(body) => reader.body(&body, module, &mut options),
        Err(e) => {
            let location = e.location();
            let (message, help) = match number::overflowing_at(text, location.offset()) {
                Some(literal) => (
                    format!("the number {literal} is beyond the range this parser reads (about 1.8e308), though Terraform reads it"),
                    "write it as a quoted string".to_owned(),
                ),
                // Terraform keeps the last of two equal keys; hcl-edit stops.
                None if e.message().ends_with("found redefined object key") => (
                    format!("{}: {} (Terraform would keep the last value; this reader cannot read an object with a key written twice)", e.message(), e.line().trim()),
                    "remove one of the two".to_owned(),
                ),
                None => (
                    format!("{}: {}", e.message(), e.line().trim()),
                    "fix the HCL syntax at that place".to_owned(),
                ),
            };
            reader.diagnostics.push(
                Diagnostic::new(Code::HclSyntax, &Path::root(), message)
                    .with_help(help)
                    .with_location(to_u32(location.line()), to_u32(location.column())),
            );
            Map::new()
        }
    };
    FromHcl {
        inputs: Value::Object(inputs),
        options,
        diagnostics: reader.diagnostics.finish_by_place(),
    }
}

/// Most `=` and `:` characters in a text read (see [`from_hcl`]).
const MAX_ASSIGNMENTS: usize = 10_000;

/// Meta-arguments of a `module` block: not inputs of the module.
const META_ARGUMENTS: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

pub(super) struct Reader<'t> {
    pub(super) text: &'t str,
    /// Whether the text is a `.tfvars` (references are "not allowed") or a `.tf`.
    pub(super) tfvars: bool,
    pub(super) diagnostics: Diagnostics,
}

impl Reader<'_> {
    /// Adds a diagnostic at the byte offset `at` of the text ([`Reader::add_at`]); `message`
    /// runs only when it is kept.
    fn report(
        &mut self,
        code: Code,
        path: &Path,
        at: usize,
        message: impl FnOnce() -> String,
        help: &str,
    ) {
        self.add_at(code, at, || {
            let diagnostic = Diagnostic::new(code, path, message());
            if help.is_empty() {
                diagnostic
            } else {
                diagnostic.with_help(help)
            }
        });
    }

    /// Adds the diagnostic of `code` that `make` builds, at the byte offset `at` of the text;
    /// `make` runs, and the place is counted, only when it is kept ([`Diagnostics::add`]).
    fn add_at(&mut self, code: Code, at: usize, make: impl FnOnce() -> Diagnostic) {
        let text = self.text;
        self.diagnostics.add(code, || {
            let (line, column) = location(text, at);
            make().with_location(line, column)
        });
    }

    /// Line and column (both from 1, the column in characters) of a byte offset.
    pub(super) fn location(&self, at: usize) -> (u32, u32) {
        location(self.text, at)
    }

    /// The text of a span, cut as every message cuts the user's text ([`shown`]).
    fn excerpt(&self, span: Option<std::ops::Range<usize>>) -> String {
        shown(span.and_then(|s| self.text.get(s)).unwrap_or("")).into_owned()
    }

    fn body(
        &mut self,
        body: &Body,
        module: Option<&str>,
        options: &mut HclOptions,
    ) -> Map<String, Value> {
        let blocks: Vec<&Block> = body.blocks().collect();
        let has_module = blocks.iter().any(|b| b.has_ident("module"));
        let has_attributes = body.attributes().next().is_some();
        if !has_module && (has_attributes || blocks.is_empty()) {
            for block in blocks {
                let name = block.ident.value().as_str();
                self.report(
                    Code::HclUnexpected,
                    &Path::root(),
                    start(block.ident.span()),
                    || format!("Unexpected \"{name}\" block: blocks are not allowed in a .tfvars file (Terraform)"),
                    "a .tfvars file holds only the module's variables as name = value",
                );
            }
            return self.attributes(body.attributes(), &Path::root());
        }
        self.tfvars = false;
        for attr in body.attributes() {
            self.report(
                Code::HclUnexpected,
                &Path::root(),
                start(attr.span()),
                || format!(
                    "Unsupported argument: an argument named \"{}\" is not expected outside a block in a .tf file (Terraform)",
                    attr.key.value().as_str()
                ),
                "put the module's arguments inside its module block",
            );
        }
        let (chosen, candidates) = self.choose_module(&blocks, module);
        let reason = match chosen {
            Some(block) => format!("only {} is read", block_name(block)),
            None => "it is not a module block calling iam_metaflow".to_owned(),
        };
        for block in &blocks {
            // Without a block to read, the module blocks are listed in the error already.
            let listed = chosen.is_none() && block.has_ident("module");
            if listed || candidates.iter().any(|c| std::ptr::eq(*c, *block)) {
                continue;
            }
            self.report(
                Code::HclIgnored,
                &Path::root(),
                start(block.span()),
                || format!("{} ignored: {reason}", block_name(block)),
                "",
            );
        }
        let Some(block) = chosen else {
            return Map::new();
        };
        options.module_name = label(block).map(str::to_owned);
        for inner in block.body.blocks() {
            self.report(
                Code::HclIgnored,
                &Path::root(),
                start(inner.span()),
                || {
                    format!(
                        "{} inside the module block ignored: the module takes no blocks",
                        block_name(inner)
                    )
                },
                "",
            );
        }
        let mut inputs = Map::new();
        let mut arguments = Vec::new();
        for attr in block.body.attributes() {
            let name = attr.key.value().as_str();
            if name == "source" {
                let path = Path::root().attr("source");
                match self.value(&attr.value, &path) {
                    Some(Value::String(source)) => options.module_source = Some(source),
                    Some(other) => self.report(
                        Code::HclInvalidValue,
                        &path,
                        start(attr.value.span()),
                        || format!("the module source must be a string, not {other}"),
                        "write the source as a quoted string",
                    ),
                    None => {}
                }
            } else if META_ARGUMENTS.contains(&name) {
                self.report(
                    Code::HclIgnored,
                    &Path::root().attr(name),
                    start(attr.span()),
                    || {
                        format!(
                            "the meta-argument {name} ignored: it is not an input of the module"
                        )
                    },
                    "",
                );
            } else {
                arguments.push(attr);
            }
        }
        inputs.extend(self.attributes(arguments.into_iter(), &Path::root()));
        inputs
    }

    /// The module block to read (`None` after reporting why there is none) and the candidates.
    fn choose_module<'b>(
        &mut self,
        blocks: &[&'b Block],
        module: Option<&str>,
    ) -> (Option<&'b Block>, Vec<&'b Block>) {
        let modules: Vec<&Block> = blocks
            .iter()
            .copied()
            .filter(|b| b.has_ident("module"))
            .collect();
        // The first 20 blocks, then how many more.
        let listed = |found: &[&Block], reader: &Reader<'_>| {
            let mut list = found
                .iter()
                .take(20)
                .map(|b| {
                    let (line, _) = reader.location(start(b.span()));
                    format!("{} (line {line})", block_name(b))
                })
                .collect::<Vec<_>>()
                .join(", ");
            if found.len() > 20 {
                list.push_str(&format!(" and {} more", found.len() - 20));
            }
            list
        };
        let (candidates, what) = match module {
            Some(name) => (
                modules
                    .iter()
                    .copied()
                    .filter(|b| label(b) == Some(name))
                    .collect::<Vec<_>>(),
                format!("named \"{name}\""),
            ),
            None => {
                let by_source: Vec<&Block> = modules
                    .iter()
                    .copied()
                    .filter(|b| calls_this_module(b))
                    .collect();
                if by_source.is_empty() {
                    let by_arguments = modules
                        .iter()
                        .copied()
                        .filter(|b| has_this_modules_arguments(b))
                        .collect();
                    (by_arguments, "calling iam_metaflow".to_owned())
                } else {
                    (by_source, "calling iam_metaflow".to_owned())
                }
            }
        };
        let chosen = match candidates.as_slice() {
            [one] => Some(*one),
            [] => {
                let found = if modules.is_empty() {
                    "the text has no module block".to_owned()
                } else {
                    format!("the module blocks are: {}", listed(&modules, self))
                };
                let at = blocks.first().map_or(0, |b| start(b.span()));
                self.report(
                    Code::HclModuleNotFound,
                    &Path::root(),
                    at,
                    || format!("no module block {what}: {found}"),
                    "give the module block whose source names iam_metaflow, or name the block to read (the module option; --module in the CLI)",
                );
                None
            }
            several => {
                let at = start(several.first().and_then(|b| b.span()));
                let message = format!(
                    "{} module blocks {what}: {}",
                    several.len(),
                    listed(several, self)
                );
                self.report(
                    Code::HclModuleAmbiguous,
                    &Path::root(),
                    at,
                    || message,
                    "name the block to read (the module option; --module in the CLI)",
                );
                None
            }
        };
        (chosen, candidates)
    }

    /// Attributes (the variables of a `.tfvars`, the arguments of a module block) as an object.
    /// (The parser rejects an attribute set twice, as Terraform does.)
    fn attributes<'a>(
        &mut self,
        attributes: impl Iterator<Item = &'a Attribute>,
        root: &Path,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for attr in attributes {
            let name = attr.key.value().as_str();
            if let Some(value) = self.value(&attr.value, &root.attr(name)) {
                out.insert(name.to_owned(), value);
            }
        }
        out
    }

    /// The value of an expression, or `None` after reporting why it cannot be read.
    fn value(&mut self, expr: &Expression, path: &Path) -> Option<Value> {
        match expr {
            Expression::Null(_) => Some(Value::Null),
            Expression::Bool(b) => Some(Value::Bool(*b.value())),
            Expression::String(s) => Some(Value::String(s.value().clone())),
            Expression::Number(n) => self.number(n.span(), false, path),
            Expression::UnaryOp(op)
                if *op.operator.value() == UnaryOperator::Neg
                    && matches!(op.expr, Expression::Number(_)) =>
            {
                self.number(op.expr.span(), true, path)
            }
            Expression::Parenthesis(p) => self.value(p.inner(), path),
            Expression::Array(array) => {
                let mut items = Vec::with_capacity(array.len());
                for (i, item) in array.iter().enumerate() {
                    items.extend(self.value(item, &path.index(i)));
                }
                Some(Value::Array(items))
            }
            Expression::Object(object) => Some(Value::Object(self.object(object, path))),
            Expression::StringTemplate(t) => literal(t)
                .map(Value::String)
                .or_else(|| self.evaluate(expr, path)),
            Expression::HeredocTemplate(h) => literal(&h.template)
                .map(Value::String)
                .or_else(|| self.evaluate(expr, path)),
            _ => self.evaluate(expr, path),
        }
    }

    fn number(
        &mut self,
        span: Option<std::ops::Range<usize>>,
        negative: bool,
        path: &Path,
    ) -> Option<Value> {
        let at = start(span.clone());
        let literal = span.and_then(|s| self.text.get(s)).unwrap_or("");
        let literal = if negative {
            format!("-{literal}")
        } else {
            literal.to_owned()
        };
        let (value, found) = number::literal(&literal, path);
        for diagnostic in found {
            self.add_at(diagnostic.code, at, || diagnostic);
        }
        value
    }

    fn object(&mut self, object: &Object, path: &Path) -> Map<String, Value> {
        let mut out = Map::new();
        // Where each key was first written (a map: objects may have many keys).
        let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
        // Map keys below `tags` and `custom_job_policy_statements` print as ["key"], as the
        // engine's own paths do; other keys as attributes.
        let is_map = ["tags", "custom_job_policy_statements"]
            .iter()
            .any(|v| *path == Path::root().attr(v));
        for (key, value) in object.iter() {
            let Some(name) = self.key(key, path) else {
                continue;
            };
            let at = start(key.span());
            let item_path = if is_map {
                path.key(&name)
            } else {
                path.attr(&name)
            };
            if let Some(&first) = seen.get(&name) {
                // The earlier key's place is counted only for a diagnostic that is kept.
                let text = self.text;
                self.report(
                    Code::HclDuplicateKey,
                    &item_path,
                    at,
                    || {
                        let (line, column) = location(text, first);
                        format!("the key \"{name}\" is also written at line {line}, column {column}: Terraform keeps the last value")
                    },
                    "remove one of the two",
                );
            } else {
                seen.insert(name.clone(), at);
            }
            if let Some(item) = self.value(value.expr(), &item_path) {
                out.insert(name, item);
            } else {
                out.remove(&name);
            }
        }
        out
    }

    /// An object key as Terraform makes it a string: a bare name as it is, an expression's
    /// number or bool converted.
    fn key(&mut self, key: &ObjectKey, path: &Path) -> Option<String> {
        let expr = match key {
            ObjectKey::Ident(ident) => return Some(ident.value().as_str().to_owned()),
            ObjectKey::Expression(expr) => expr,
        };
        let at = start(expr.span());
        if let Expression::Number(n) = expr {
            let literal = n.span().and_then(|s| self.text.get(s)).unwrap_or("");
            if let Some(plain) = number::Decimal::parse(literal).and_then(|d| d.plain()) {
                return Some(plain);
            }
        }
        let problem = match self.value(expr, path)? {
            Value::String(s) => return Some(s),
            Value::Bool(b) => return Some(b.to_string()),
            Value::Number(n) => {
                match number::Decimal::parse(&n.to_string()).and_then(|d| d.plain()) {
                    Some(plain) => return Some(plain),
                    None => "a number too large to write out",
                }
            }
            Value::Null => "a null value",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        };
        self.report(
            Code::HclInvalidValue,
            path,
            at,
            || format!("Invalid object key: can't use {problem} as a key (Terraform)"),
            "write the key as a name or a quoted string",
        );
        None
    }

    /// An expression other than a literal: evaluated as Terraform evaluates a `.tfvars`, with
    /// no variables and no functions, once no reference or function call is found in it.
    fn evaluate(&mut self, expr: &Expression, path: &Path) -> Option<Value> {
        let mut finder = NotStatic::default();
        finder.visit_expr(expr);
        if !finder.found.is_empty() {
            for (kind, span) in finder.found {
                let what = self.excerpt(span.clone());
                let (message, help) = match (self.tfvars, kind) {
                    (true, Kind::Reference) => (
                        format!("Variables not allowed: variables may not be used here (Terraform), and {what} is one"),
                        "a .tfvars file gives values only: write the value itself",
                    ),
                    (true, Kind::Function) => (
                        format!("Function calls not allowed: functions may not be called here (Terraform), and {what} is one"),
                        "a .tfvars file gives values only: write the value the function returns",
                    ),
                    (false, Kind::Reference) => (
                        format!("{what} is known only when Terraform runs: the value is left out"),
                        "write the value itself, then read the block again",
                    ),
                    (false, Kind::Function) => (
                        format!("{what} is a function call only Terraform evaluates: the value is left out"),
                        "write the value the function returns, then read the block again",
                    ),
                };
                self.report(Code::HclNotStatic, path, start(span), || message, help);
            }
            return None;
        }
        use hcl::eval::Evaluate;
        let evaluated = hcl::Expression::from(expr.clone()).evaluate(&hcl::eval::Context::new());
        let failure = match evaluated.map(serde_json::to_value) {
            Ok(Ok(value)) => return Some(value),
            Ok(Err(e)) => format!("cannot be read: {e}"),
            Err(e) => format!("cannot be evaluated: {}", e.kind()),
        };
        let message = format!("{} {failure}", self.excerpt(expr.span()));
        self.report(
            Code::HclInvalidValue,
            path,
            start(expr.span()),
            || message,
            "write the value itself",
        );
        None
    }
}

/// Line and column (both from 1, the column in characters) of the byte offset `at` of `text`.
fn location(text: &str, at: usize) -> (u32, u32) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (to_u32(line), to_u32(column))
}

/// A template of literals only (a heredoc without interpolations), as its text.
fn literal(template: &Template) -> Option<String> {
    let mut out = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(s) => out.push_str(s.value()),
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Reference,
    Function,
}

/// Finds the references and function calls of an expression: the names a `for` binds are not
/// references.
#[derive(Default)]
struct NotStatic {
    bound: Vec<String>,
    found: Vec<(Kind, Option<std::ops::Range<usize>>)>,
}

impl NotStatic {
    fn is_bound(&self, name: &str) -> bool {
        self.bound.iter().any(|b| b == name)
    }
}

impl Visit for NotStatic {
    fn visit_expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Variable(name) if !self.is_bound(name.value().as_str()) => {
                self.found.push((Kind::Reference, name.span()));
            }
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(name) if !self.is_bound(name.value().as_str()) => {
                    self.found.push((Kind::Reference, t.span()));
                }
                _ => visit::visit_traversal(self, t),
            },
            Expression::FuncCall(call) => self.found.push((Kind::Function, call.span())),
            Expression::ForExpr(f) => {
                self.visit_expr(&f.intro.collection_expr);
                let before = self.bound.len();
                self.bound.extend(
                    f.intro
                        .key_var
                        .iter()
                        .map(|k| k.value().as_str().to_owned()),
                );
                self.bound
                    .push(f.intro.value_var.value().as_str().to_owned());
                if let Some(key) = &f.key_expr {
                    self.visit_expr(key);
                }
                self.visit_expr(&f.value_expr);
                if let Some(cond) = &f.cond {
                    self.visit_expr(&cond.expr);
                }
                self.bound.truncate(before);
            }
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_for_directive(&mut self, directive: &ForDirective) {
        let f = &directive.for_expr;
        self.visit_expr(&f.collection_expr);
        let before = self.bound.len();
        self.bound
            .extend(f.key_var.iter().map(|k| k.value().as_str().to_owned()));
        self.bound.push(f.value_var.value().as_str().to_owned());
        self.visit_template(&f.template);
        self.bound.truncate(before);
    }
}

/// Whether a module block's `source` names this module: its text holds `iam_metaflow` or
/// `iam-metaflow` (a local path, a registry address, a git URL with `?ref=`).
pub(super) fn calls_this_module(block: &Block) -> bool {
    block.body.get_attribute("source").is_some_and(|source| {
        source.value.as_str().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.contains("iam_metaflow") || s.contains("iam-metaflow")
        })
    })
}

/// Whether a module block sets `name_prefix` and nothing but this module's variables and
/// meta-arguments.
fn has_this_modules_arguments(block: &Block) -> bool {
    block.body.has_attribute("name_prefix")
        && block.body.attributes().all(|a| {
            let name = a.key.value().as_str();
            VARIABLES.contains(&name) || META_ARGUMENTS.contains(&name)
        })
}

/// The first label of a block.
fn label(block: &Block) -> Option<&str> {
    block.labels.first().map(|l| match l {
        BlockLabel::Ident(i) => i.value().as_str(),
        BlockLabel::String(s) => s.value().as_str(),
    })
}

/// A block as written: `module "metaflow_s3"`, `terraform`.
fn block_name(block: &Block) -> String {
    let mut name = block.ident.value().as_str().to_owned();
    for l in &block.labels {
        let l = match l {
            BlockLabel::Ident(i) => i.value().as_str(),
            BlockLabel::String(s) => s.value().as_str(),
        };
        name.push_str(&format!(" \"{l}\""));
    }
    name
}

/// Where a span starts (0 when the parser gave none, which it always does).
fn start(span: Option<std::ops::Range<usize>>) -> usize {
    span.map_or(0, |s| s.start)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
