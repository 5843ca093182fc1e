// The zip of everything: the files of the result's layout (`result.files`, the layout the CLI
// writes: src/layout.rs), in a folder named like the module. This module and the zip library
// (fflate) are not part of the start: start.js imports them when the browser is first idle, so
// that the zip also works offline.
import { zipSync, strToU8 } from "./vendor/fflate.js";

/** The string `pointer` (RFC 6901) points at in `value`. */
export function at(value, pointer) {
  let here = value;
  for (const token of pointer.split("/").slice(1)) here = here?.[token.replaceAll("~1", "/").replaceAll("~0", "~")];
  return here;
}

/** Every file of the zip, by path: each file of the layout holds the string its `source`
 *  points at, or the result itself as JSON (`source` ""). */
function zipFiles({ result, options }) {
  const root = `${options.module_name ?? "metaflow_iam"}/`;
  const files = {};
  for (const { path, source } of result.files) {
    files[`${root}${path}`] = source === "" ? `${JSON.stringify(result, null, 2)}\n` : at(result, source);
  }
  return files;
}

/** The zip of `lastGood` (`{ result, options }`): its file name and bytes. */
export async function zipOf(lastGood) {
  const files = Object.entries(zipFiles(lastGood)).map(([path, text]) => [path, strToU8(text)]);
  return {
    name: `${lastGood.options.module_name ?? "metaflow_iam"}.zip`,
    bytes: zipSync(Object.fromEntries(files), { level: 6 }),
  };
}
