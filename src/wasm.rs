//! The JS bindings: the only file that knows wasm-bindgen.
//!
//! Inputs that are plain data cross as one JSON text (js/boundary.js checks them and calls
//! `JSON.stringify`; src/json_text.rs parses it). Any other input crosses as any JS value and
//! is walked into a `serde_json::Value` here (Maps become objects, `undefined` properties are
//! left out, keys and strings are normalized to NFC as Terraform normalizes them, anything JSON
//! cannot hold is a diagnostic); both ways give the same value for plain data;
//! results cross as a tape of operations and one text of all strings (src/tape.rs), built
//! into JS values by js/boundary.js as `JSON.parse` would build serde_json's text: maps are
//! plain objects and keys such as `__proto__` stay ordinary own properties. Every JS call made here is a catching one, so
//! no JS exception unwinds through wasm frames.

use std::cell::RefCell;

use js_sys::{Array, JsString, Reflect, JSON};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::tape::{self, Keys, Tape};
use crate::{Code, Diagnostic, Path};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The module's variables as a `terraform.tfvars.json` holds them; `null` means the default. */
export interface Variables {
    name_prefix: string;
    tags?: Record<string, string> | null;
    enable_spot_fleet_role?: boolean | null;
    additional_job_policy_arns?: string[] | null;
    custom_job_policy_statements?: Record<string, StatementVariables> | null;
}

/** One statement of `custom_job_policy_statements`: every attribute is optional. */
export type StatementVariables = { [K in keyof StatementInput]?: StatementInput[K] | null };

/** The options of `generate` and `validate`: every field is optional. */
export type GenerateOptions = { [K in keyof Options]?: Options[K] | null };

/** A string, or a list of strings where Terraform renders more than one. */
export type OneOrMany = string | string[];

/** A policy document as `aws_iam_policy_document` renders it. */
export interface PolicyDocument {
    Version: string;
    Statement?: PolicyStatement[];
}

/** A rendered policy document, three ways. */
export interface Policy {
    /** The document as a JSON object (key order as in `json`). */
    document: PolicyDocument;
    /** Byte-identical to the data source's `json` attribute. */
    json: string;
    /** Byte-identical to the data source's `minified_json` attribute. */
    minified_json: string;
}

/** One statement of a rendered policy document. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: OneOrMany;
    NotAction?: OneOrMany;
    Resource?: OneOrMany;
    NotResource?: OneOrMany;
    Principal?: "*" | Record<string, OneOrMany>;
    NotPrincipal?: "*" | Record<string, OneOrMany>;
    Condition?: Record<string, Record<string, OneOrMany>>;
}

/** The error `generate` throws: `message` is the first error, `diagnostics` all of them. */
export interface GenerateError extends Error {
    diagnostics: Diagnostic[];
}
"#;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// Writes `[inputs, options]` as UTF-8 JSON text into `into` when both are plain data and
    /// returns its length; -1 when they are not; -n when `into` is too small and n bytes will
    /// do.
    #[wasm_bindgen(catch, js_name = plainJson)]
    fn plain_json(inputs: &JsValue, options: &JsValue, into: &mut [u8]) -> Result<i32, JsValue>;

    /// Extended grapheme clusters in `s` by `Intl.Segmenter`; undefined where JS has none.
    #[wasm_bindgen(catch, js_name = graphemeCount)]
    fn grapheme_count(s: &str) -> Result<Option<u32>, JsValue>;

    /// A `Map`'s entries as an array of `[key, value]` arrays; null when it has more than
    /// `max`. Throws what the Map's iteration throws.
    #[wasm_bindgen(catch, js_name = mapEntries)]
    fn map_entries(map: &JsValue, max: u32) -> Result<JsValue, JsValue>;

    /// The JS value of a tape (src/tape.rs); `keys` holds the field names sent before.
    #[wasm_bindgen(catch, js_name = buildResult)]
    fn build_result(keys: &JsValue, text: &[u8], ops: &[u32]) -> Result<JsValue, JsValue>;
}

/// Extended grapheme clusters in `s`, as `Intl.Segmenter` counts them (js/boundary.js); code
/// points where JS has no segmenter (every supported runtime has one: Node 16+, current
/// browsers).
pub(crate) fn graphemes(s: &str) -> usize {
    match grapheme_count(s) {
        Ok(Some(count)) => count as usize,
        _ => crate::validate::char_count(s),
    }
}

/// Deepest nesting accepted; no variable nests deeper than 7 levels.
const MAX_DEPTH: usize = 32;
/// Most elements accepted in one list or one object.
const MAX_ELEMENTS: u32 = 100_000;
/// Most values accepted in the whole input (a budget against wide cyclic or huge inputs).
const MAX_VALUES: u32 = 1_000_000;
/// Most diagnostics the walk reports.
const MAX_DIAGNOSTICS: usize = 100;

/// Evaluates the module. Throws an `Error` carrying `diagnostics` when the inputs have errors.
#[wasm_bindgen(js_name = generate, unchecked_return_type = "Generated")]
pub fn generate(
    #[wasm_bindgen(unchecked_param_type = "Variables")] inputs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "GenerateOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (inputs, options) = match decode(&inputs, &options) {
        Ok(decoded) => decoded,
        Err(diagnostics) => return Err(error(&crate::Error { diagnostics })),
    };
    match crate::generate(&inputs, options.as_ref()) {
        Ok(generated) => generated_to_js(&generated),
        Err(e) => Err(error(&e)),
    }
}

/// Every diagnostic for the inputs and options, errors first. Never throws.
#[wasm_bindgen(js_name = validate, unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Variables")] inputs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "GenerateOptions | null")] options: JsValue,
) -> JsValue {
    let diagnostics = match decode(&inputs, &options) {
        Ok((inputs, options)) => crate::validate(&inputs, options.as_ref()),
        Err(diagnostics) => diagnostics,
    };
    to_js(&diagnostics).unwrap_or_else(|_| Array::new().into())
}

/// The JSON Schema (2020-12) of the inputs.
#[wasm_bindgen(js_name = inputSchema, unchecked_return_type = "Record<string, unknown>")]
pub fn input_schema() -> JsValue {
    // The text itself, parsed by JS: no JSON parser in the wasm.
    JSON::parse(crate::schema::SCHEMA_MINIFIED).unwrap_or(JsValue::NULL)
}

/// The package version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

/// The seed's two examples, by name: what the page's preset buttons load.
#[wasm_bindgen(js_name = presets, unchecked_return_type = "{ basic: Variables; advanced: Variables }")]
pub fn presets() -> JsValue {
    // The texts themselves, joined into one object and parsed by JS: no JSON parser in the
    // wasm. A fresh object each call, so a caller may change what it gets.
    let mut text = String::from("{");
    for (i, preset) in crate::presets().iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push('"');
        text.push_str(preset.name);
        text.push_str("\":");
        text.push_str(preset.tfvars_json);
    }
    text.push('}');
    JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// IAM's 27 base condition operators, for suggestions; a condition's `test` may add a set
/// qualifier (`ForAllValues:`, `ForAnyValue:`) before one and `IfExists` after it.
#[wasm_bindgen(js_name = conditionOperators)]
pub fn condition_operators() -> Vec<String> {
    crate::CONDITION_OPERATORS
        .iter()
        .map(|op| (*op).to_owned())
        .collect()
}

/// The size of the instance's linear memory in bytes; for the package's robustness test.
#[wasm_bindgen(js_name = __wasmMemoryBytes, skip_typescript)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size::<0>() * 65536) as f64
}

/// The result as JS, keys in the order of `Generated`.
fn generated_to_js(generated: &crate::Generated) -> Result<JsValue, JsValue> {
    to_js(&tape::ForJs(generated))
}

/// The state of the result crossing kept per instance: the struct field names numbered so far
/// (src/tape.rs) and their JS strings, and the tape's buffers (kept for their capacity).
#[derive(Default)]
struct Crossing {
    keys: Keys,
    js_keys: JsValue,
    tape: Tape,
}

impl Crossing {
    fn new() -> Self {
        Crossing {
            js_keys: Array::new().into(),
            ..Crossing::default()
        }
    }
}

thread_local! {
    static CROSSING: RefCell<Crossing> = RefCell::new(Crossing::new());
}

/// Buffers kept between calls up to this capacity (a huge result's buffers are dropped).
const KEPT_CAPACITY: usize = 1 << 20;

/// Writes `value` as a tape and builds it in JS (js/boundary.js `buildResult`): plain objects
/// and arrays, own keys only, as `JSON.parse` of serde_json's text would make them.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let built = CROSSING.try_with(|crossing| {
        // Never borrowed twice (buildResult does not call back); a fresh state if it were.
        let mut fresh = None;
        let mut borrowed = crossing.try_borrow_mut().ok();
        let state = match borrowed.as_deref_mut() {
            Some(state) => state,
            None => fresh.insert(Crossing::new()),
        };
        let written = tape::write(value, &mut state.tape, &mut state.keys);
        let built = match written {
            Ok(()) => build_result(&state.js_keys, state.tape.text.as_bytes(), &state.tape.ops),
            Err(e) => Err(internal_error(&e.to_string())),
        };
        if built.is_err() {
            // JS may lack names numbered here: start over with none.
            state.keys = Keys::default();
            state.js_keys = Array::new().into();
        }
        state.tape.clear(KEPT_CAPACITY);
        built
    });
    built.unwrap_or_else(|_| Err(internal_error("the result buffers are gone")))
}

/// An `Error` for a failure of the bindings themselves, with empty `diagnostics`.
fn internal_error(message: &str) -> JsValue {
    let err = js_sys::Error::new(&format!("internal error: {message}"));
    let _ = Reflect::set(&err, &"diagnostics".into(), &Array::new());
    err.into()
}

/// A JS `Error` whose message is the first error and whose `diagnostics` holds them all.
fn error(e: &crate::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let diagnostics = to_js(&e.diagnostics).unwrap_or_else(|_| Array::new().into());
    let _ = Reflect::set(&err, &"diagnostics".into(), &diagnostics);
    err.into()
}

/// The inputs and options as JSON, or the diagnostics of what JSON cannot hold.
/// `undefined` and `null` options are no options.
fn decode(inputs: &JsValue, options: &JsValue) -> Result<(Value, Option<Value>), Vec<Diagnostic>> {
    match decode_plain(inputs, options) {
        Some(decoded) => Ok(decoded),
        None => walk(inputs, options),
    }
}

thread_local! {
    /// The buffer JS writes the inputs' JSON text into, kept for its capacity.
    static INPUT_TEXT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The input buffer's size, kept between calls: the seed's examples take under 1 KB.
const INPUT_TEXT_SIZE: usize = 16 * 1024;

/// The fast path: the inputs and options when both are plain data.
fn decode_plain(inputs: &JsValue, options: &JsValue) -> Option<(Value, Option<Value>)> {
    let decoded = INPUT_TEXT.try_with(|kept| {
        // A getter of the inputs may call back into generate(): a fresh buffer then.
        let mut fresh = Vec::new();
        let mut borrowed = kept.try_borrow_mut().ok();
        let buffer = borrowed.as_deref_mut().unwrap_or(&mut fresh);
        let decoded = decode_plain_into(inputs, options, buffer);
        // A buffer grown for large inputs is not kept: each call starts from the same state,
        // so that repeating calls repeats the allocator's work and memory stops growing.
        if buffer.len() > INPUT_TEXT_SIZE {
            *buffer = Vec::new();
        }
        decoded
    });
    decoded.ok().flatten()
}

/// [`decode_plain`] with JS writing the text into `buffer` (grown once when too small).
fn decode_plain_into(
    inputs: &JsValue,
    options: &JsValue,
    buffer: &mut Vec<u8>,
) -> Option<(Value, Option<Value>)> {
    if buffer.len() < INPUT_TEXT_SIZE {
        buffer.resize(INPUT_TEXT_SIZE, 0);
    }
    let mut written = plain_json(inputs, options, buffer).ok()?;
    if written < -1 {
        buffer.resize(usize::try_from(written.unsigned_abs()).ok()?, 0);
        written = plain_json(inputs, options, buffer).ok()?;
    }
    let text = buffer.get(..usize::try_from(written).ok()?)?;
    // SAFETY: `TextEncoder.encodeInto` wrote these bytes, and it writes UTF-8 only, whole
    // characters only. That is the trust wasm-bindgen's own strings from JS rest on (it does
    // not check them either); checking again would cost the wasm 0.4 KB.
    let text = unsafe { std::str::from_utf8_unchecked(text) };
    match crate::json_text::parse(text)? {
        Value::Array(pair) => {
            let mut pair = pair.into_iter();
            let inputs = pair.next()?;
            let options = pair.next()?;
            Some((inputs, (!options.is_null()).then_some(options)))
        }
        _ => None,
    }
}

/// For the package's equivalence test: whether the inputs and options take the fast path.
#[wasm_bindgen(js_name = __plainTaken, skip_typescript)]
pub fn plain_taken(inputs: JsValue, options: JsValue) -> bool {
    decode_plain(&inputs, &options).is_some()
}

/// The Walker's way: every JS value, with a diagnostic for each value JSON cannot hold.
fn walk(inputs: &JsValue, options: &JsValue) -> Result<(Value, Option<Value>), Vec<Diagnostic>> {
    let mut walker = Walker::default();
    let inputs = walker.value(inputs, &Path::root(), 0);
    let options = (!options.is_undefined() && !options.is_null())
        .then(|| walker.value(options, &Path::root().attr("options"), 0));
    if walker.diagnostics.is_empty() {
        Ok((inputs, options))
    } else {
        Err(walker.diagnostics)
    }
}

/// Walks a JS value into JSON, collecting a diagnostic for each value JSON cannot hold.
#[derive(Default)]
struct Walker {
    diagnostics: Vec<Diagnostic>,
    /// Values seen so far.
    values: u32,
    /// The objects and arrays being walked, to catch cycles.
    ancestors: Vec<JsValue>,
}

impl Walker {
    fn reject(&mut self, path: &Path, message: String, help: &str) -> Value {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics
                .push(Diagnostic::new(Code::TypeMismatch, path, message).with_help(help));
        }
        Value::Null
    }

    fn value(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        self.values = self.values.saturating_add(1);
        if self.values == MAX_VALUES {
            return self.reject(
                path,
                format!("the input holds more than {MAX_VALUES} values"),
                "pass the module's variables only",
            );
        }
        if self.values > MAX_VALUES {
            return Value::Null;
        }
        // Strings first: most values are strings, and each test is a call into JS.
        if let Some(s) = v.as_string() {
            return Value::String(nfc(v, s));
        }
        if v.is_undefined() || v.is_null() {
            return Value::Null;
        }
        if let Some(b) = v.as_bool() {
            return Value::Bool(b);
        }
        if let Some(n) = v.as_f64() {
            return self.number(n, path);
        }
        if v.is_bigint() {
            return self.bigint(v, path);
        }
        if v.is_symbol() || v.is_function() {
            let what = if v.is_symbol() { "symbol" } else { "function" };
            return self.reject(
                path,
                format!("a {what} is not a value Terraform accepts"),
                "give a string, number, bool, list or object",
            );
        }
        if depth >= MAX_DEPTH {
            return self.reject(
                path,
                format!("the value nests deeper than {MAX_DEPTH} levels"),
                "no variable of the module nests deeper than 7 levels",
            );
        }
        if self.ancestors.iter().any(|a| a == v) {
            return self.reject(
                path,
                "the value contains itself (a cycle)".to_owned(),
                "pass plain data without cycles",
            );
        }
        self.ancestors.push(v.clone());
        let walked = if Array::is_array(v) {
            self.array(v, path, depth)
        } else if v.is_instance_of::<js_sys::Map>() {
            self.map(v, path, depth)
        } else {
            self.object(v, path, depth)
        };
        self.ancestors.pop();
        walked
    }

    fn number(&mut self, n: f64, path: &Path) -> Value {
        if !n.is_finite() {
            return self.reject(
                path,
                format!(
                    "the number {} is not a value Terraform accepts",
                    if n.is_nan() {
                        "NaN"
                    } else if n > 0.0 {
                        "Infinity"
                    } else {
                        "-Infinity"
                    }
                ),
                "give a finite number",
            );
        }
        // Safe integers cross as integers so that Terraform's conversions print them as such.
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            return Value::Number(Number::from(n as i64));
        }
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }

    /// A number Map key as text: what `Value::to_string` prints for [`Walker::number`]'s value,
    /// without serde_json's writer (about 3 KB of wasm).
    fn number_key(&mut self, n: f64, path: &Path) -> String {
        match self.number(n, path) {
            Value::Number(n) => n.to_string(),
            _ => "null".to_owned(),
        }
    }

    fn bigint(&mut self, v: &JsValue, path: &Path) -> Value {
        let text: Option<String> = v
            .dyn_ref::<js_sys::BigInt>()
            .and_then(|b| b.to_string(10).ok())
            .and_then(|s| s.as_string());
        let parsed = text.as_deref().and_then(|t| {
            t.parse::<i64>()
                .map(Number::from)
                .ok()
                .or_else(|| t.parse::<u64>().map(Number::from).ok())
        });
        match parsed {
            Some(n) => Value::Number(n),
            None => self.reject(
                path,
                "a BigInt outside the 64-bit range".to_owned(),
                "give a smaller number or a string",
            ),
        }
    }

    fn too_many(&mut self, path: &Path) -> Value {
        self.reject(
            path,
            format!("more than {MAX_ELEMENTS} elements"),
            "give fewer elements",
        )
    }

    fn threw(&mut self, path: &Path, thrown: &JsValue) -> Value {
        let what = thrown
            .dyn_ref::<js_sys::Error>()
            .and_then(|e| e.message().as_string())
            .unwrap_or_else(|| "a non-Error value".to_owned());
        self.reject(
            path,
            format!("reading the value threw: {what}"),
            "pass plain data",
        )
    }

    fn array(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let length = match Reflect::get(v, &JsValue::from_str("length")) {
            Ok(l) => l.as_f64().unwrap_or(0.0),
            Err(e) => return self.threw(path, &e),
        };
        if length > f64::from(MAX_ELEMENTS) {
            return self.too_many(path);
        }
        let length = length as u32;
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length {
            let p = path.index(i as usize);
            match Reflect::get_u32(v, i) {
                Ok(item) => items.push(self.value(&item, &p, depth + 1)),
                Err(e) => items.push(self.threw(&p, &e)),
            }
        }
        Value::Array(items)
    }

    fn map(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let entries = match map_entries(v, MAX_ELEMENTS) {
            Ok(entries) if entries.is_null() => return self.too_many(path),
            Ok(entries) => Array::from(&entries),
            Err(e) => return self.threw(path, &e),
        };
        let mut out = Map::new();
        for entry in entries.iter() {
            let (key, value) = match (Reflect::get_u32(&entry, 0), Reflect::get_u32(&entry, 1)) {
                (Ok(k), Ok(v)) => (k, v),
                (Err(e), _) | (_, Err(e)) => return self.threw(path, &e),
            };
            let Some(key) = key
                .as_string()
                .map(|s| nfc(&key, s))
                .or_else(|| key.as_f64().map(|n| self.number_key(n, path)))
            else {
                return self.reject(
                    path,
                    "a Map key that is not a string".to_owned(),
                    "use string keys",
                );
            };
            if !value.is_undefined() {
                let p = if depth == 1 && path_is_map(path) {
                    path.key(&key)
                } else {
                    path.attr(&key)
                };
                let item = self.value(&value, &p, depth + 1);
                out.insert(key, item);
            }
        }
        Value::Object(out)
    }

    fn object(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let keys = match Reflect::own_keys(v) {
            Ok(keys) => keys,
            Err(e) => return self.threw(path, &e),
        };
        if keys.length() > MAX_ELEMENTS {
            return self.too_many(path);
        }
        let mut out = Map::new();
        for key in keys.iter() {
            // Symbol keys are left out, as JSON.stringify leaves them out.
            let Some(name) = key.as_string().map(|s| nfc(&key, s)) else {
                continue;
            };
            // Terraform's path style: map keys of `tags` and of the statements map are keys.
            let p = if depth == 1 && path_is_map(path) {
                path.key(&name)
            } else {
                path.attr(&name)
            };
            match Reflect::get(v, &key) {
                Ok(item) if item.is_undefined() => {}
                Ok(item) => {
                    let item = self.value(&item, &p, depth + 1);
                    out.insert(name, item);
                }
                Err(e) => {
                    self.threw(&p, &e);
                }
            }
        }
        Value::Object(out)
    }
}

/// `s` (the text of the JS string `js`) in Unicode NFC, as Terraform normalizes every string
/// (cty): JS's own `normalize`, asked only for non-ASCII text.
fn nfc(js: &JsValue, s: String) -> String {
    if s.is_ascii() {
        return s;
    }
    js.dyn_ref::<JsString>()
        .and_then(|js| js.normalize("NFC").as_string())
        .unwrap_or(s)
}

/// Whether `path` (one level deep) is a variable of type map: its keys are map keys.
fn path_is_map(path: &Path) -> bool {
    let pointer = path.pointer();
    pointer == "/tags" || pointer == "/custom_job_policy_statements"
}
