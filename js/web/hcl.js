// "iam-metaflow/hcl" in browsers and bundlers: fromHcl reads a terraform.tfvars, or the module
// block of a .tf, with the HCL reader's own wasm (the crate built with the feature hcl-wasm,
// src/wasm_hcl.rs, in dist/web/hcl/). It is an entry of its own, so that the package's entry
// carries neither the parser (about 190 KB gzip) nor a chunk that loads it; its wasm is fetched
// by the first call. The Node entry (js/node/hcl.js) gives `hclReader` a loader that reads it.
import glueInit, * as glue from "./hcl/iam_metaflow_hcl.js";
import { hclReader } from "./hcl-reader.js";

/** The first call fetches the wasm beside its glue, or `initHcl(input)` loads it from elsewhere
 *  (a URL, a Response, bytes, a compiled module), as `init` takes. */
export const { fromHcl, initHcl } = hclReader(async (input) => {
  await glueInit(input === undefined ? undefined : { module_or_path: input });
  return glue;
});
