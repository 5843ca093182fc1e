// An ES module consumer: the entry's functions, init's options, the .wasm subpath.
import init, { generate, initSync, validate, type Diagnostic, type Generated, type InitOutput } from "iam-metaflow";
import wasmUrl from "iam-metaflow/iam_metaflow_bg.wasm";

await init();
await init({ module_or_path: wasmUrl });
await init({ module_or_path: new URL("https://example.com/iam_metaflow_bg.wasm") });
const result: Generated = generate({ name_prefix: "ts" });
const name: string = result.roles[0].name;
const diagnostics: Diagnostic[] = validate({ name_prefix: "ts" }, { account_id: "123456789012" });
const loaded: InitOutput = initSync();
const bytes: number = (await init()).memory.buffer.byteLength;
console.log(name, diagnostics, loaded, bytes);

// @ts-expect-error init resolves to the instance's exports
const wrong: string = await init();
// @ts-expect-error init takes an options object
await init(42);
// @ts-expect-error initSync takes `module`
initSync({ module_or_path: wasmUrl });
console.log(wrong);
