// A TypeScript consumer of fromHcl, type-checked under `strict` by types.test.mjs: the result's
// types come from the Rust types (tsify); the `@ts-expect-error` lines prove they are not `any`.
import { generate, type Inputs } from "iam-metaflow";
import { fromHcl, initHcl, type FromHcl, type FromHclOptions, type HclOptions } from "iam-metaflow/hcl";

async function main(): Promise<void> {
  await initHcl();
  const options: FromHclOptions = { module: "metaflow_iam" };
  const read: FromHcl = await fromHcl('name_prefix = "p"\n', options);
  const hclOptions: HclOptions = read.options;
  const name: string | undefined = hclOptions.module_name;
  const source: string | undefined = hclOptions.module_source;
  for (const d of read.diagnostics) {
    const line: number | undefined = d.line;
    const column: number | undefined = d.column;
    console.log(d.code, d.path, line, column, name, source);
  }
  // The inputs are what the text holds, unchecked: the engine checks them.
  const generated = generate(read.inputs as unknown as Inputs, read.options);
  console.log(generated.roles.length);

  // @ts-expect-error the text is a string
  await fromHcl(42);
  // @ts-expect-error the one option is module
  await fromHcl("", { modul: "a" });
  // @ts-expect-error fromHcl is asynchronous
  const notAwaited: FromHcl = fromHcl("");
  console.log(notAwaited);
}

void main();
