//! The JS bindings: the only file that knows wasm-bindgen. Every export is the same few steps:
//! the inputs in (the [`Walker`]: any JS value to JSON, within the input budget, strings in
//! NFC), the crate's public function, the result out
//! (keys the user chose as JSON text for `JSON.parse`, the rest through serde-wasm-bindgen).
//! Every call into JS that can run user code or throw is a catching one. Why each choice:
//! docs/architecture.md, "The boundary".

use js_sys::{Array, JsString, Reflect, JSON};
use serde::Serialize;
use serde_json::{Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::diagnostics::quoted;
use crate::diagnostics::Diagnostics;
use crate::inputs::{child_path, Budget, Entries, Exceeded};
use crate::{Code, Diagnostic, Path};

#[wasm_bindgen(typescript_custom_section)]
const GENERATE_ERROR: &'static str = r#"
/** The `Error` that `generate` throws: `message` is the first error, `diagnostics` all of them. */
export interface GenerateError extends Error {
    diagnostics: Diagnostic[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `Map.prototype.entries.call(map)`: the entries of a Map, whatever its own properties.
    #[wasm_bindgen(catch, js_namespace = ["Map", "prototype", "entries"], js_name = call)]
    fn map_entries(map: &JsValue) -> Result<js_sys::Iterator, JsValue>;

    /// `Array.from`, here for the segments of a string.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(iterable: &JsValue) -> Result<Array, JsValue>;

    /// `Intl.Segmenter`, absent from some runtimes.
    #[wasm_bindgen(js_namespace = Intl)]
    type Segmenter;

    /// A grapheme segmenter (the default granularity).
    #[wasm_bindgen(catch, constructor, js_namespace = Intl)]
    fn new() -> Result<Segmenter, JsValue>;

    /// The segments of `s`.
    #[wasm_bindgen(catch, method)]
    fn segment(this: &Segmenter, s: &str) -> Result<JsValue, JsValue>;
}

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Evaluates the module for `inputs`, an object of the module's variables. Throws a
/// `GenerateError` when the inputs have errors.
#[wasm_bindgen(js_name = generate, unchecked_return_type = "Generated")]
pub fn generate(
    #[wasm_bindgen(unchecked_param_type = "Inputs")] inputs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (inputs, options) = decode(&inputs, &options).map_err(|d| error(&d))?;
    let generated =
        crate::generate(&inputs, options.as_ref()).map_err(|e| error(&e.diagnostics))?;
    // Every field by name: a field added to `Generated` does not compile until it crosses.
    let crate::Generated {
        roles,
        outputs,
        hcl,
        files,
        diagnostics,
    } = &generated;
    let roles = serde_json::to_string(roles)
        .map_err(|e| internal_error(&e.to_string()))
        .and_then(|text| JSON::parse(&text))?;
    let crossing = Crossing {
        roles,
        outputs,
        hcl,
        files,
        diagnostics,
    };
    to_js(&crossing).map_err(|e| internal_error(&e.to_string()))
}

/// How `Generated` crosses, in its field order: the roles (user-chosen keys, `__proto__`
/// included) as JSON text parsed by `JSON.parse`, the rest through serde-wasm-bindgen.
#[derive(Serialize)]
struct Crossing<'a> {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    roles: JsValue,
    outputs: &'a crate::Outputs,
    hcl: &'a crate::Hcl,
    files: &'a [crate::OutputFile],
    diagnostics: &'a [Diagnostic],
}

/// Every diagnostic for the inputs and options, errors first. Never throws.
#[wasm_bindgen(js_name = validate, unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Inputs")] inputs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options | null")] options: JsValue,
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
    JSON::parse(crate::schema::SCHEMA).unwrap_or(JsValue::NULL)
}

/// The package version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

/// The seed's two examples, by name: what the page's preset buttons load. A fresh object each
/// call, parsed by JS from the texts in the crate.
#[wasm_bindgen(js_name = presets, unchecked_return_type = "{ basic: Inputs; advanced: Inputs }")]
pub fn presets() -> JsValue {
    let entries: Vec<String> = (crate::presets().iter())
        .map(|preset| format!("\"{}\":{}", preset.name, preset.tfvars_json))
        .collect();
    JSON::parse(&format!("{{{}}}", entries.join(","))).unwrap_or(JsValue::NULL)
}

/// IAM's 27 base condition operators; a condition's `test` may add a set qualifier
/// (`ForAllValues:`, `ForAnyValue:`) before one and `IfExists` after it.
#[wasm_bindgen(js_name = conditionOperators)]
pub fn condition_operators() -> Vec<String> {
    crate::CONDITION_OPERATORS.map(str::to_owned).to_vec()
}

/// `value` as plain JS data (objects, not Maps): for values whose keys are all the crate's own.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// A JS `Error` whose message is the first error and whose `diagnostics` holds them all.
fn error(diagnostics: &[Diagnostic]) -> JsValue {
    let first = crate::Error {
        diagnostics: diagnostics.to_vec(),
    };
    js_error(&first.to_string(), diagnostics)
}

/// An `Error` for a failure of the bindings themselves, with empty `diagnostics`.
fn internal_error(message: &str) -> JsValue {
    js_error(&format!("internal error: {message}"), &[])
}

fn js_error(message: &str, diagnostics: &[Diagnostic]) -> JsValue {
    let err = js_sys::Error::new(message);
    let diagnostics = to_js(&diagnostics).unwrap_or_else(|_| Array::new().into());
    let _ = Reflect::set(&err, &"diagnostics".into(), &diagnostics);
    err.into()
}

/// Extended grapheme clusters in `s`, as `Intl.Segmenter` counts them; code points where JS has
/// no segmenter.
pub(crate) fn graphemes(s: &str) -> usize {
    let counted = Segmenter::new()
        .and_then(|segmenter| segmenter.segment(s))
        .and_then(|segments| array_from(&segments));
    match counted {
        Ok(segments) => segments.length() as usize,
        Err(_) => s.chars().count(),
    }
}

/// The inputs and options as JSON, or the diagnostics of what JSON cannot hold. `undefined`
/// and `null` options are no options.
fn decode(inputs: &JsValue, options: &JsValue) -> Result<(Value, Option<Value>), Vec<Diagnostic>> {
    let mut walker = Walker::default();
    let inputs = walker.value(inputs, &Path::root(), 0);
    let options = (!options.is_undefined() && !options.is_null())
        .then(|| walker.value(options, &Path::root().attr("options"), 0));
    let diagnostics = walker.diagnostics.finish();
    match walker.exceeded {
        // Over the budget: that alone, as `check_input_size` reports it.
        Some(exceeded) => Err(vec![exceeded.diagnostic()]),
        None if diagnostics.is_empty() => Ok((inputs, options)),
        None => Err(diagnostics),
    }
}

/// Deepest nesting accepted; no variable nests deeper than 7 levels.
const MAX_DEPTH: usize = 32;

/// Walks a JS value into JSON, collecting a diagnostic for each value JSON cannot hold.
#[derive(Default)]
struct Walker {
    diagnostics: Diagnostics,
    /// The input budget spent so far (src/inputs.rs): each value, and the text of each string
    /// and key, counted before it is copied.
    budget: Budget,
    /// Set once the inputs are over the budget: the walk stops there.
    exceeded: Option<Exceeded>,
    /// The objects and arrays being walked, to catch cycles.
    ancestors: Vec<JsValue>,
}

impl Walker {
    fn report(&mut self, code: Code, path: &Path, message: String, help: &str) -> Value {
        self.diagnostics.add(code, || {
            Diagnostic::new(code, path, message).with_help(help)
        });
        Value::Null
    }

    fn reject(&mut self, path: &Path, message: String, help: &str) -> Value {
        self.report(Code::TypeMismatch, path, message, help)
    }

    /// Counts `values` values and `bytes` bytes of text; false once the inputs are over the
    /// budget. A JS string's length in UTF-16 units is at most its length in UTF-8 bytes, so
    /// counting it before the copy refuses an over-long string without copying it.
    fn take(&mut self, values: usize, bytes: usize) -> bool {
        if self.exceeded.is_none() {
            self.exceeded = self.budget.take(values, bytes).err();
        }
        self.exceeded.is_none()
    }

    /// Whether `more` values still fit: checked before a list or an object is read, so that a
    /// huge one is refused before any of its elements is.
    fn fits(&mut self, more: usize) -> bool {
        let mut probe = self.budget;
        if self.exceeded.is_none() {
            self.exceeded = probe.take(more, 0).err();
        }
        self.exceeded.is_none()
    }

    /// A JS string's text, counted against the budget before it is copied (its UTF-16 length)
    /// and after (the rest of its UTF-8 length); `None` over the budget.
    fn string(&mut self, js: &JsString, values: usize) -> Option<String> {
        let units = js.length() as usize;
        if !self.take(values, units) {
            return None;
        }
        let text = String::from(js);
        self.take(0, text.len().saturating_sub(units))
            .then_some(text)
    }

    fn value(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        // Strings first: most values are strings.
        if let Some(js) = v.dyn_ref::<JsString>() {
            return self
                .string(js, 1)
                .map_or(Value::Null, |text| Value::String(nfc_js(js, text)));
        }
        if !self.take(1, 0) || v.is_undefined() || v.is_null() {
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
        let walked = match is_array(v) {
            Ok(true) => self.array(v, path, depth),
            Ok(false) if v.is_instance_of::<js_sys::Map>() => self.map(v, path, depth),
            Ok(false) => self.object(v, path, depth),
            Err(e) => self.threw(path, &e),
        };
        self.ancestors.pop();
        walked
    }

    fn number(&mut self, n: f64, path: &Path) -> Value {
        let Some(number) = crate::number::from_js(n) else {
            // NaN, Infinity or -Infinity, as JS writes it.
            let shown = js_sys::Number::from(n).to_string_with_radix(10);
            let shown = shown.map(String::from).unwrap_or_default();
            let message = format!("the number {shown} is not a value Terraform accepts");
            return self.reject(path, message, "give a finite number");
        };
        Value::Number(number)
    }

    fn bigint(&mut self, v: &JsValue, path: &Path) -> Value {
        let Some(text) = v
            .dyn_ref::<js_sys::BigInt>()
            .and_then(|b| b.to_string(10).ok())
        else {
            return Value::Null;
        };
        let Some(text) = self.string(&text, 0) else {
            return Value::Null;
        };
        // Its decimal text, every digit kept (serde_json's `arbitrary_precision`).
        match text.parse::<Number>() {
            Ok(n) => Value::Number(n),
            Err(_) => self.reject(
                path,
                "a BigInt that cannot be read".to_owned(),
                "give a number or a string",
            ),
        }
    }

    /// The diagnostic for a JS exception thrown while reading the value at `path`.
    fn threw(&mut self, path: &Path, thrown: &JsValue) -> Value {
        let message = Reflect::get(thrown, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .filter(|_| thrown.is_instance_of::<js_sys::Error>());
        let what = message
            .as_deref()
            .map_or("a value that is not an Error", |m| m);
        self.reject(
            path,
            format!("reading the value threw: {}", quoted(what)),
            "pass plain data",
        )
    }

    fn array(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let length = match Reflect::get(v, &"length".into()) {
            Ok(l) => l.as_f64().unwrap_or(0.0),
            Err(e) => return self.threw(path, &e),
        };
        // Each element is a value: the budget bounds the length before anything is read.
        if !self.fits(length as usize) {
            return Value::Null;
        }
        let length = length as u32;
        let mut items = Vec::with_capacity(length as usize);
        for i in 0..length {
            if self.exceeded.is_some() {
                return Value::Null;
            }
            let p = path.index(i as usize);
            match Reflect::get_u32(v, i) {
                Ok(item) => items.push(self.value(&item, &p, depth + 1)),
                Err(e) => items.push(self.threw(&p, &e)),
            }
        }
        Value::Array(items)
    }

    fn map(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let entries = match map_entries(v) {
            Ok(entries) => entries,
            Err(e) => return self.threw(path, &e),
        };
        let mut out = Entries::default();
        while self.exceeded.is_none() {
            let entry = match entries.next() {
                Ok(next) if next.done() => return Value::Object(out.map),
                Ok(next) => next.value(),
                Err(e) => return self.threw(path, &e),
            };
            let key = Reflect::get_u32(&entry, 0).unwrap_or(JsValue::UNDEFINED);
            let value = Reflect::get_u32(&entry, 1);
            self.entry(&mut out, &key, value, path, depth);
        }
        Value::Null
    }

    fn object(&mut self, v: &JsValue, path: &Path, depth: usize) -> Value {
        let keys = match Reflect::own_keys(v) {
            Ok(keys) => keys,
            Err(e) => return self.threw(path, &e),
        };
        if !self.fits(keys.length() as usize) {
            return Value::Null;
        }
        let mut out = Entries::default();
        for key in keys.iter() {
            // Symbol keys are left out, as JSON.stringify leaves them out.
            if !key.is_symbol() {
                self.entry(&mut out, &key, Reflect::get(v, &key), path, depth);
            }
        }
        if self.exceeded.is_none() {
            Value::Object(out.map)
        } else {
            Value::Null
        }
    }

    /// Adds the entry `key: value` of an object or a Map (`value` what reading it gave) to
    /// `out`: a key as JS writes it (a number key `1e21` is "1e+21"), in NFC; an undefined
    /// value left out, as JSON.stringify leaves it out.
    fn entry(
        &mut self,
        out: &mut Entries,
        key: &JsValue,
        value: Result<JsValue, JsValue>,
        path: &Path,
        depth: usize,
    ) {
        let written = match (key.dyn_ref::<JsString>(), key.as_f64()) {
            (Some(js), _) => self.string(js, 0),
            (None, Some(n)) => js_sys::Number::from(n)
                .to_string_with_radix(10)
                .ok()
                .map(String::from),
            (None, None) => {
                self.reject(path, "a key that is not a string".into(), "use string keys");
                return;
            }
        };
        let Some(written) = written else { return };
        let name = nfc(written.clone());
        let p = child_path(path, depth, &name);
        match value {
            Ok(item) if item.is_undefined() => {}
            Ok(item) => {
                let item = self.value(&item, &p, depth + 1);
                out.insert(written, name, item, &p, &mut self.diagnostics);
            }
            Err(e) => {
                self.threw(&p, &e);
            }
        }
    }
}

/// `text`, the text of the JS string `js`, in Unicode NFC, as Terraform normalizes every
/// string (cty): JS's own `normalize`, asked only for non-ASCII text.
fn nfc_js(js: &JsString, text: String) -> String {
    if text.is_ascii() {
        return text;
    }
    String::from(js.normalize("NFC"))
}

/// `s` in Unicode NFC.
fn nfc(s: String) -> String {
    if s.is_ascii() {
        return s;
    }
    nfc_js(&JsString::from(s.as_str()), s)
}
