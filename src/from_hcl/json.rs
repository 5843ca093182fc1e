//! A `terraform.tfvars.json`: HCL's JSON syntax, which Terraform reads with HCL's own JSON
//! parser. serde_json reads the text (its `arbitrary_precision` keeps each number's digits);
//! what HCL's parser rejects and serde_json would let pass, a key written twice in one object, is
//! found by a second walk over the text. A number a JS number cannot hold exactly becomes the
//! string Terraform converts it to, as in HCL (`number.rs`): the inputs cross into JS, where
//! `JSON.parse` and JS numbers would round it.

use serde_json::{Map, Value};

use super::number;
use super::{FromHcl, HclOptions};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Path};
use crate::inputs::child_path;

/// The inputs a `terraform.tfvars.json` holds (no options: it has no module block).
pub(super) fn from_json(text: &str) -> FromHcl {
    let mut diagnostics = Diagnostics::default();
    let inputs = match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            duplicate_keys(text, &mut diagnostics);
            exact(value, &Path::root(), 0, &mut diagnostics)
        }
        Err(e) => {
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
            let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
            diagnostics.push(
                Diagnostic::new(
                    Code::InputNotJson,
                    &Path::root(),
                    format!("the text is not JSON: {e}"),
                )
                .with_help("fix the JSON at that place")
                .with_location(line, column),
            );
            Value::Object(Map::new())
        }
    };
    FromHcl {
        inputs,
        options: HclOptions::default(),
        diagnostics: diagnostics.finish(),
    }
}

/// `value` with each number a JS number cannot hold exactly as the string Terraform converts
/// it to (an `hcl_number_as_string` info each).
fn exact(value: Value, path: &Path, depth: usize, diagnostics: &mut Diagnostics) -> Value {
    match value {
        Value::Number(n) => {
            let (value, found) = number::literal(&n.to_string(), path);
            diagnostics.extend(found);
            value.unwrap_or(Value::Null)
        }
        Value::Array(items) => Value::Array(
            (items.into_iter().enumerate())
                .map(|(i, item)| exact(item, &path.index(i), depth + 1, diagnostics))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, item)| {
                    let item = exact(item, &child_path(path, depth, &key), depth + 1, diagnostics);
                    (key, item)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Adds to `found` the keys a JSON text repeats within one object, each Terraform's
/// "Duplicate object attribute": HCL's JSON parser rejects a `terraform.tfvars.json` that
/// repeats a key, where serde_json and `JSON.parse` keep the last value and drop the others
/// unseen. None when the text is not JSON.
fn duplicate_keys(text: &str, found: &mut Diagnostics) {
    let keys = JsonKeys {
        path: Path::root(),
        depth: 0,
        found,
    };
    let _ = serde::de::DeserializeSeed::deserialize(
        keys,
        &mut serde_json::Deserializer::from_str(text),
    );
}

/// A walk over a JSON text that keeps nothing but the keys of each object, to find the repeated
/// ones ([`duplicate_keys`]).
struct JsonKeys<'a> {
    path: Path,
    depth: usize,
    found: &'a mut Diagnostics,
}

impl JsonKeys<'_> {
    fn child(&mut self, path: Path) -> JsonKeys<'_> {
        JsonKeys {
            path,
            depth: self.depth + 1,
            found: self.found,
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonKeys<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(self.child(self.path.index(i)))?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = child_path(&self.path, self.depth, &key);
            if !seen.insert(key.clone()) {
                self.found.add(Code::DuplicateKey, || {
                    Diagnostic::duplicate_key(&path, &key, &key, &key)
                });
            }
            map.next_value_seed(self.child(path))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_a_json_text_repeats_are_duplicates() {
        // Terraform 1.11.4 on {"x": {"a": "1", "a": "2"}} in a .tfvars.json: `Error: Duplicate
        // object attribute` / `An attribute named "a" was already defined`.
        let text = r#"{"name_prefix": "p", "tags": {"a": "1", "b": 2, "a": "3"},
            "custom_job_policy_statements": {"s": {"actions": [], "actions": ["x"]}}}"#;
        let duplicates = |text: &str| {
            let mut found = Diagnostics::default();
            duplicate_keys(text, &mut found);
            found.finish()
        };
        let found = duplicates(text);
        let at: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.code.as_str(), d.path.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("duplicate_key", "tags[\"a\"]"),
                (
                    "duplicate_key",
                    "custom_job_policy_statements[\"s\"].actions"
                ),
            ]
        );
        assert!(found[0].message.starts_with("Duplicate object attribute"));
        assert!(duplicates(r#"{"a": 1.5e300, "b": [{"c": 1}, {"c": 2}]}"#).is_empty());
        assert!(duplicates("not json").is_empty());
    }

    #[test]
    fn numbers_keep_their_digits() {
        let read = from_json(
            r#"{"name_prefix": "p", "tags": {"a": 12345678901234567890, "b": 42, "c": 1e21}}"#,
        );
        assert_eq!(read.inputs["tags"]["a"], "12345678901234567890");
        assert_eq!(read.inputs["tags"]["b"], 42);
        let codes: Vec<&str> = read.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["hcl_number_as_string"]);
        assert_eq!(read.diagnostics[0].path, "tags[\"a\"]");
    }

    #[test]
    fn a_syntax_error_has_its_line() {
        let read = from_json("{\n  \"name_prefix\": \"p\",\n}");
        assert_eq!(read.diagnostics[0].code.as_str(), "input_not_json");
        assert_eq!(read.diagnostics[0].line, Some(3));
    }
}
