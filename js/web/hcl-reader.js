// fromHcl's argument checks and its one load of the HCL reader's wasm, for the entries of
// "iam-metaflow/hcl" (js/web/hcl.js, js/node/hcl.js), each with its own way to load it.

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
    return (await loading).fromHcl(text, module);
  }

  return { fromHcl, initHcl };
}
