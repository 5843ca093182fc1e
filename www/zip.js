// The zip of everything: the layout the CLI writes, in a folder named like the module, plus
// each policy document on its own.
//
// The layout is the page's own copy until the package offers it (the file layout shared by the
// CLI and the page): then `zipFiles` (and panels.js `moduleFolder`) become calls to the package
// and nothing else changes. This module and the zip library (fflate) are not part of the
// start: start.js imports them when the browser is first idle, so that the zip also works
// offline.
import { zipSync, strToU8 } from "./vendor/fflate.js";
import { moduleFolder } from "./panels.js";

/** Every file of the zip, by path. */
function zipFiles({ result, options }) {
  const root = `${options.module_name ?? "metaflow_iam"}/`;
  const files = {};
  files[`${root}main.tf`] = result.hcl.module_call;
  const folder = moduleFolder(options);
  for (const [name, text] of Object.entries(result.hcl.module)) files[`${root}${folder}/${name}`] = text;
  files[`${root}resources/main.tf`] = result.hcl.resources;
  files[`${root}integrations.tf.example`] = result.hcl.integrations;
  files[`${root}result.json`] = `${JSON.stringify(result, null, 2)}\n`;
  for (const role of result.roles) {
    files[`${root}policies/${role.key}.trust.json`] = role.assume_role_policy.json;
    if (role.inline_policy) files[`${root}policies/${role.key}.inline.json`] = role.inline_policy.json;
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
