//! The presets: the seed's two examples, which the page starts from and offers as buttons.
//!
//! Their texts are the project's one copy of the seed's `shared/examples/` (in
//! `tests/fixtures/seed/`), built into the crate so that the page and any other caller ask the
//! package for them rather than keeping copies. They are kept as the files' text: the wasm
//! hands them to `JSON.parse` and carries no JSON parser of its own for them.

/// A preset: a name and the `terraform.tfvars.json` text of the module's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The name the page shows and links use: `basic` or `advanced`.
    pub name: &'static str,
    /// The inputs, as a `terraform.tfvars.json` holds them.
    pub tfvars_json: &'static str,
}

const PRESETS: [Preset; 2] = [
    Preset {
        name: "basic",
        tfvars_json: include_str!("../tests/fixtures/seed/basic.tfvars.json"),
    },
    Preset {
        name: "advanced",
        tfvars_json: include_str!("../tests/fixtures/seed/advanced.tfvars.json"),
    },
];

/// The seed's two examples, by name, in the order the seed gives them: `basic`, `advanced`.
///
/// ```
/// let advanced = iam_metaflow::presets().iter().find(|p| p.name == "advanced").unwrap();
/// let inputs: serde_json::Value = serde_json::from_str(advanced.tfvars_json).unwrap();
/// assert!(iam_metaflow::generate(&inputs, None).is_ok());
/// ```
pub fn presets() -> &'static [Preset] {
    &PRESETS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_an_object_the_module_accepts() {
        let mut names: Vec<&str> = presets().iter().map(|p| p.name).collect();
        names.dedup();
        assert_eq!(names, ["basic", "advanced"]);
        for preset in presets() {
            let inputs: serde_json::Value = serde_json::from_str(preset.tfvars_json)
                .unwrap_or_else(|e| panic!("{}: {e}", preset.name));
            assert!(inputs.is_object(), "{}", preset.name);
            let generated = crate::generate(&inputs, None)
                .unwrap_or_else(|e| panic!("{}: {:?}", preset.name, e.diagnostics));
            assert_eq!(generated.roles[0].name, "metaflow-prod-batch-job-role");
        }
    }
}
