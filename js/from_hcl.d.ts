// The types of js/from_hcl.js (copied to dist/web/hcl/index.d.ts): the functions are JS; the
// data types come from the Rust types (tsify), declared in the package's own d.ts.
import type { FromHcl } from "../iam_metaflow.js";

export type { FromHcl, HclOptions, Diagnostic } from "../iam_metaflow.js";

/** The options of `fromHcl`. */
export interface FromHclOptions {
    /** The label of the module block to read, when the text has several that call the module. */
    module?: string | null;
}

/**
 * Reads a `terraform.tfvars`, or the `module` block of a `.tf` that calls iam_metaflow: the
 * inputs and options to pass to `generate`, and diagnostics with their `line` and `column`.
 * Loads the HCL reader's wasm on the first call.
 */
export declare function fromHcl(text: string, options?: FromHclOptions | null): Promise<FromHcl>;

/**
 * Loads the HCL reader's wasm ahead of the first `fromHcl`. In browsers `input` is what `init`
 * takes (a URL, a `Response`, bytes or a `WebAssembly.Module`; by default the file beside the
 * package); Node reads the file itself.
 */
export declare function initHcl(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** Internal: how an entry builds `fromHcl` and `initHcl`. */
export declare function hclReader(load: (input?: unknown) => Promise<unknown>): {
    fromHcl: typeof fromHcl;
    initHcl: typeof initHcl;
};
