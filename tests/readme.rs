//! The README documents every diagnostic code with its severity and meaning.

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in iam_metaflow::Code::ALL {
        let severity = match code.severity() {
            iam_metaflow::Severity::Error => "error",
            iam_metaflow::Severity::Warning => "warning",
            iam_metaflow::Severity::Info => "info",
        };
        let row = format!(
            "| `{}` | {} | {} |",
            code.as_str(),
            severity,
            code.description()
        );
        assert!(readme.contains(&row), "README.md lacks the row:\n{row}");
    }
}
