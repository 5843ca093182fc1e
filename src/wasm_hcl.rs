//! The bindings of the second wasm, built with the feature `hcl-wasm`: `fromHcl` only.
//!
//! The HCL parser (hcl-edit, hcl-rs's evaluator) would add about 170 KB gzip to the package's
//! wasm (docs/performance.md), so it lives in a wasm of its own that the package loads on the
//! first `fromHcl` call (js/from_hcl.js). The result crosses as JSON text parsed by JS's
//! `JSON.parse`: keys such as `__proto__` stay ordinary own properties.

use js_sys::{JsString, JSON};
use wasm_bindgen::prelude::*;

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads a `terraform.tfvars` or the `module` block of a `.tf`: `{ inputs, options,
/// diagnostics }`. `module` names the block to read when there are several. A text longer
/// than any within the input budget is refused before it is copied into the wasm.
#[wasm_bindgen(js_name = fromHcl, unchecked_return_type = "FromHcl")]
pub fn from_hcl(text: JsString, module: Option<String>) -> Result<JsValue, JsValue> {
    let length = text.length() as usize;
    let read = if length > crate::MAX_INPUT_JSON_BYTES {
        crate::FromHcl::too_large(length, crate::MAX_INPUT_JSON_BYTES)
    } else {
        crate::from_hcl(&String::from(text), module.as_deref())
    };
    // Neither step fails for this type (string keys only, serde_json's own text); an `Error`
    // if one ever did.
    let json = serde_json::to_string(&read)
        .map_err(|e| js_sys::Error::new(&format!("internal error: {e}")))?;
    JSON::parse(&json)
}

/// The HCL writer's grapheme count (src/hcl/writer.rs) asks the bindings; this wasm writes no
/// HCL, so it is never called here.
pub(crate) fn graphemes(s: &str) -> usize {
    crate::validate::char_count(s)
}
