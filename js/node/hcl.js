// "iam-metaflow/hcl" in Node (import; and require, through esbuild's bundle of this file): the
// first fromHcl reads the HCL reader's wasm file; nothing is read at import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as glue from "../web/hcl/iam_metaflow_hcl.js";
import { hclReader } from "../web/hcl-reader.js";

export const { fromHcl, initHcl } = hclReader(async () => {
  // dist/node/hcl.cjs has __dirname; the ES module finds the file from its own URL.
  const file = ["..", "web", "hcl", "iam_metaflow_hcl_bg.wasm"];
  const path = typeof __dirname === "string" ? join(__dirname, ...file) : new URL(file.join("/"), import.meta.url);
  glue.initSync({ module: readFileSync(path) });
  return glue;
});
