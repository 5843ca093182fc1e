// What every consumer checks, in a page, a Worker or Node; consumers.test.mjs copies this file
// into each project and reads the result. A call before `init()` (browsers: an Error that says
// to call `await init()`; Node: it loads the wasm and works), `init()` and what it resolves to
// (the instance's exports), a generated role name, and an error's diagnostics.
export async function probe(pkg) {
  const result = {};
  try {
    result.beforeInit = pkg.generate({ name_prefix: "early" }).roles[0].name;
  } catch (e) {
    result.beforeInit = { error: e?.constructor?.name, message: String(e?.message) };
  }
  const start = performance.now();
  result.initMemory = (await pkg.init()).memory instanceof WebAssembly.Memory;
  result.initMs = Math.round(performance.now() - start);
  result.defaultIsInit = pkg.default === pkg.init;
  result.name = pkg.generate({ name_prefix: "consumer" }).roles[0].name;
  result.version = pkg.version();
  try {
    pkg.generate({ name_prefix: "" });
  } catch (e) {
    // A thrown Error's `diagnostics` do not survive structured clone: sent explicitly.
    result.diagnostics = e.diagnostics.map((d) => d.code);
  }
  return result;
}

/** The probe's result as text, or the failure that stopped it. */
export function probeText(pkg) {
  return probe(pkg).then(JSON.stringify, (e) => JSON.stringify({ failed: String(e?.stack ?? e) }));
}
