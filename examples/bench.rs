//! The native side of `npm run bench`: `generate` for the seed's advanced example, alone and
//! with the result serialized to JSON text (what the JS binding hands to `JSON.parse`), timed in
//! a loop.
//!
//! Prints `mean_ns=<n> generate_only_ns=<n> validate_ns=<n> iterations=<n>`: `validate` is the
//! pipeline without outputs and HCL, so the difference shows what those cost.

use std::hint::black_box;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/seed/advanced.tfvars.json"))?;
    let options = serde_json::json!({ "account_id": "123456789012" });
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);

    for _ in 0..iterations / 10 {
        black_box(iam_metaflow::generate(black_box(&inputs), Some(&options))?);
    }

    let start = Instant::now();
    for _ in 0..iterations {
        let generated = iam_metaflow::generate(black_box(&inputs), Some(&options))?;
        black_box(serde_json::to_string(&generated)?);
    }
    let mean = start.elapsed().as_nanos() / u128::from(iterations);

    let start = Instant::now();
    for _ in 0..iterations {
        black_box(iam_metaflow::generate(black_box(&inputs), Some(&options))?);
    }
    let generate_only = start.elapsed().as_nanos() / u128::from(iterations);

    let start = Instant::now();
    for _ in 0..iterations {
        black_box(iam_metaflow::validate(black_box(&inputs), Some(&options)));
    }
    let validate_only = start.elapsed().as_nanos() / u128::from(iterations);

    println!(
        "mean_ns={mean} generate_only_ns={generate_only} validate_ns={validate_only} iterations={iterations}"
    );
    Ok(())
}
