//! `cargo run --example generate [-- --options FILE] < input.json`
//!
//! Reads the module's inputs (a `terraform.tfvars.json`) on standard input and prints the whole
//! result as JSON (exit 0), or the diagnostics (exit 1). Options come from `--options FILE`, or
//! from an `"options"` key beside the inputs (the file wins when both are given). Unreadable
//! input exits 2.

use std::io::Read;
use std::process::ExitCode;

use serde_json::Value;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let mut options_file = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--options" => options_file = Some(args.next().ok_or("--options needs a FILE")?),
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: generate [--options FILE] < input.json"
                ))
            }
        }
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("reading standard input: {e}"))?;
    let mut inputs: Value =
        serde_json::from_str(&text).map_err(|e| format!("standard input is not JSON: {e}"))?;
    let mut options = match inputs.as_object_mut() {
        Some(map) => map.remove("options"),
        None => None,
    };
    if let Some(path) = options_file {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
        options =
            Some(serde_json::from_str(&text).map_err(|e| format!("{path} is not JSON: {e}"))?);
    }
    match iam_metaflow::generate(&inputs, options.as_ref()) {
        Ok(generated) => {
            let json = serde_json::to_string_pretty(&generated).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            for diagnostic in &error.diagnostics {
                eprintln!("{diagnostic}");
            }
            Ok(ExitCode::from(1))
        }
    }
}
