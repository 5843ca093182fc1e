// The package's functions, the same in every entry: each makes sure the wasm is loaded
// (load.js) before it calls the binding of the same name. The bindings' internal exports stay
// internal.
import * as glue from "./iam_metaflow.js";
import { ready } from "./load.js";

export const generate = (inputs, options) => (ready(), glue.generate(inputs, options));
export const validate = (inputs, options) => (ready(), glue.validate(inputs, options));
export const inputSchema = () => (ready(), glue.inputSchema());
export const version = () => (ready(), glue.version());
export const presets = () => (ready(), glue.presets());
export const conditionOperators = () => (ready(), glue.conditionOperators());
