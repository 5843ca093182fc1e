//! What is risky: warnings after Access Analyzer's and parliament's checks.

use crate::diagnostics::Diagnostic;
use crate::inputs::{Inputs, Options};

/// Security warnings about accepted inputs.
pub fn check(inputs: &Inputs, options: &Options) -> Vec<Diagnostic> {
    let _ = (inputs, options);
    Vec::new()
}
