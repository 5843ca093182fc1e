// The two builds every suite runs against: the Node build (the package's "node" entry, which
// loads the wasm on the first call) and the web build loaded in Node with initSync. Both share
// one wasm-bindgen glue. IAM_METAFLOW_BUILD=node|web picks one; by default a suite runs against
// both.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../dist/", import.meta.url);

// Each loader gives the package and the instance's exports (`init` and `initSync` resolve to
// them), whose `memory` the robustness test measures; the exports are no part of the API. Both
// entries load the one wasm-bindgen glue of dist/web: in one process they share its instance.
async function loadNode() {
  const pkg = await import(new URL("node/index.js", root));
  return [pkg, await pkg.init()];
}

async function loadWeb() {
  const pkg = await import(new URL("web/index.js", root));
  return [pkg, pkg.initSync({ module: readFileSync(new URL("web/iam_metaflow_bg.wasm", root)) })];
}

const all = { node: loadNode, web: loadWeb };
const only = process.env.IAM_METAFLOW_BUILD;

/** [name, module, the instance's exports] for each build under test. */
export async function builds() {
  const names = only ? [only] : Object.keys(all);
  return Promise.all(names.map(async (name) => [name, ...(await all[name]())]));
}

/** Where a fixture is: the seed's examples in tests/fixtures/seed (the project's one copy of
 * shared/examples), the package tests' own in pkg-tests/fixtures. */
export function fixturePath(name) {
  const seed = new URL(`../tests/fixtures/seed/${name}`, import.meta.url);
  return fileURLToPath(existsSync(seed) ? seed : new URL(`fixtures/${name}`, import.meta.url));
}

export function fixture(name) {
  return JSON.parse(fixtureText(name));
}

export function fixtureText(name) {
  return readFileSync(fixturePath(name), "utf8");
}
