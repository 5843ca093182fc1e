// The zip of everything: the layout the CLI writes, in a folder named like the module, plus
// each policy document on its own.
//
// The layout is the page's own copy until the package offers it (the file layout shared by the
// CLI and the page): then `zipFiles` becomes a call to the package and nothing else here
// changes. The zip library (fflate) is loaded on the first download, not with the page.

/** The folder the module files go to in the zip, as the CLI chooses it: the call's source when
 *  it is a relative path that stays inside the folder, modules/iam_metaflow otherwise. */
export function moduleFolder(options) {
  const source = options.module_source ?? "./shared-modules/wrapped/iam_metaflow";
  if (source.startsWith("./") || source.startsWith("../")) {
    const parts = [];
    let inside = true;
    for (const seg of source.split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") inside = parts.pop() !== undefined && inside;
      else parts.push(seg);
    }
    if (inside && parts.length) return parts.join("/");
  }
  return "modules/iam_metaflow";
}

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
  const { zipSync, strToU8 } = await import("./vendor/fflate.js");
  const files = Object.entries(zipFiles(lastGood)).map(([path, text]) => [path, strToU8(text)]);
  return {
    name: `${lastGood.options.module_name ?? "metaflow_iam"}.zip`,
    bytes: zipSync(Object.fromEntries(files), { level: 6 }),
  };
}
