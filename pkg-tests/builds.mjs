// The two builds every suite runs against: the Node build (the package's "node" entry, which
// loads the wasm on the first call) and the web build loaded in Node with initSync. Both share
// one wasm-bindgen glue. IAM_METAFLOW_BUILD=node|web picks one; by default a suite runs against
// both.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../dist/", import.meta.url);

async function loadNode() {
  const pkg = await import(new URL("node/index.js", root));
  await pkg.init();
  return { ...pkg, ...(await internals()) };
}

async function loadWeb() {
  const pkg = await import(new URL("web/index.js", root));
  pkg.initSync({ module: readFileSync(new URL("web/iam_metaflow_bg.wasm", root)) });
  return { ...pkg, ...(await internals()) };
}

/** The bindings' internal exports (`__name`) for the tests that use them: no entry exports them. */
async function internals() {
  const glue = await import(new URL("web/iam_metaflow.js", root));
  return Object.fromEntries(Object.entries(glue).filter(([name]) => name.startsWith("__")));
}

const all = { node: loadNode, web: loadWeb };
const only = process.env.IAM_METAFLOW_BUILD;

/** [name, module] for each build under test. */
export async function builds() {
  const names = only ? [only] : Object.keys(all);
  return Promise.all(names.map(async (name) => [name, await all[name]()]));
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
