// "iam-metaflow/hcl": the JS functions of js/web/hcl.js; the result's types are the Rust
// types' (tsify), declared in the package's own declarations.
import type { FromHcl, InitInput } from "./index.js";

export type { Diagnostic, FromHcl, HclOptions } from "./index.js";

/** The options of `fromHcl`. */
export type FromHclOptions = { module?: string | null };

/**
 * Reads a `terraform.tfvars`, or the `module` block of a `.tf` that calls iam_metaflow: the
 * inputs and options to pass to `generate`, and diagnostics with their `line` and `column`.
 * Loads the HCL reader's wasm on the first call.
 */
export function fromHcl(text: string, options?: FromHclOptions | null): Promise<FromHcl>;

/** Loads the HCL reader's wasm ahead of the first `fromHcl`, or from elsewhere in a browser. */
export function initHcl(input?: InitInput): Promise<void>;
