// fromHcl: reading a terraform.tfvars, or the module block of a .tf, with the HCL reader's own
// wasm (the crate built with the feature hcl-wasm, src/wasm_hcl.rs). That wasm is loaded on the
// first call, so that the package's first load does not carry the HCL parser (about 170 KB
// gzip; docs/performance.md).
//
// scripts/build.sh copies this file to dist/web/hcl/index.js beside that wasm's web glue; each
// entry (dist/node/index.js, dist/web/index.js) gives `hclReader` how its environment loads it.

/**
 * `fromHcl` and `initHcl` over `load(input)`, which loads and instantiates the HCL reader's wasm
 * and resolves to its glue module. A failed load is tried again on the next call.
 */
export function hclReader(load) {
  let loading;

  function initHcl(input) {
    loading ??= load(input).catch((e) => {
      loading = undefined;
      throw e;
    });
    return loading.then(() => undefined);
  }

  async function fromHcl(text, options) {
    if (typeof text !== "string") {
      throw new TypeError(`fromHcl: the text must be a string, got ${typeof text}`);
    }
    for (const key of Object.keys(options ?? {})) {
      if (key !== "module") throw new TypeError(`fromHcl: unknown option "${key}"; the one option is module`);
    }
    const module = options?.module ?? undefined;
    if (module !== undefined && typeof module !== "string") {
      throw new TypeError(`fromHcl: options.module must be a string, got ${typeof module}`);
    }
    await initHcl();
    const glue = await loading;
    return glue.fromHcl(text, module);
  }

  return { fromHcl, initHcl };
}
