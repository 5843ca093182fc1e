// A CommonJS consumer (TypeScript compiles the import to `require`).
import { generate, init, type Generated, type InitOutput } from "iam-metaflow";

const result: Generated = generate({ name_prefix: "cts" });
init().then((loaded: InitOutput) => console.log(result.roles[0].name, loaded.memory));
