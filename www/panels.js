// The result's panels under their tabs (the ARIA tabs pattern), the file blocks in them (a
// titled text with Copy and Download buttons), copying and downloading, and the status line
// that says what happened.
//
// Only the visible panel is rendered; a hidden one is marked out of date and rendered when its
// tab is chosen. A panel rendered again keeps every element whose content is unchanged (a
// `Parts` per panel, `reconcile` to put them in place), and a file block whose text changed
// updates only the chunks of it that changed (highlight.js).
import { $, h, Parts, pretty, reconcile } from "./dom.js";
import { renderCode } from "./highlight.js";
import { diagnosticsList } from "./diagnostics.js";
import { state } from "./state.js";

/** Where the layout (`result.files`, the CLI's and the zip's) puts the module's file `name`:
 *  under the call's source when it is a folder of the output; the name alone when the layout
 *  leaves the module's files out (module_source names a folder outside it). */
function modulePath(result, name) {
  const source = `/hcl/module/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  return result.files.find((file) => file.source === source)?.path ?? name;
}

/** The module's files in the order a reader takes them: main, variables, outputs, versions. */
const FILE_ORDER = ["main.tf", "variables.tf", "outputs.tf", "versions.tf"];
const fileRank = (name) => (FILE_ORDER.includes(name) ? FILE_ORDER.indexOf(name) : FILE_ORDER.length);

const emptyNote = (text) => h("p", { class: "empty", text });

/** The text behind each file block's buttons, by block (updated on every render). */
const blockText = new WeakMap();

/** A titled text with copy and download buttons; `output` names it for tests and keys it. */
function fileBlock(parts, { title, text, lang, filename, output, level = "h3" }) {
  const type = lang === "json" ? "application/json" : "text/plain";
  const block = parts.get(`file:${output}`, `${title}\u0000${lang}\u0000${filename}\u0000${level}`, () => {
    const pre = h("pre", { class: `code lang-${lang}`, tabindex: "0", "aria-label": title, "data-output": output });
    pre.append(h("code", {}));
    const el = h("section", { class: "file" },
      h("div", { class: "file-head" },
        h(level, { text: title }),
        h("span", { class: "file-actions" },
          h("button", { type: "button", class: "small", onclick: () => copyText(blockText.get(el), title), text: "Copy" }),
          filename && h("button", { type: "button", class: "small", onclick: () => download(filename, blockText.get(el), type), text: "Download" }),
        ),
      ),
      pre,
    );
    return el;
  });
  blockText.set(block, text);
  renderCode(block.querySelector("pre > code"), text, lang);
  return block;
}

/** A paragraph of hint text, kept while its text is the same. */
const hint = (parts, key, text) => parts.get(key, text, () => h("p", { class: "hint", text }));

/** Each panel's content from `{ result, options }`, and the parts it keeps. */
const PANELS = new Map([
  ["panel-call", ({ result, options }, parts) => [
    fileBlock(parts, { title: "main.tf — the module call", text: result.hcl.module_call, lang: "hcl", filename: "main.tf", output: "module_call" }),
    hint(parts, "where", `The module folder goes to ${options.module_source ?? "./shared-modules/wrapped/iam_metaflow"} (see Module files); the zip has both.`),
  ]],
  ["panel-module", ({ result }, parts) => {
    const entries = Object.entries(result.hcl.module).sort(([a], [b]) => fileRank(a) - fileRank(b) || (a < b ? -1 : 1));
    if (!entries.length) return [parts.get("none", "", () => emptyNote("The engine returned no module files."))];
    const names = entries.map(([name]) => name);
    // An index of the files: each button moves the focus to that file's text.
    const index = parts.get("index", names.join("\u0000"), () => h("nav", { class: "file-index", "aria-label": "Module files" },
      names.map((name) => h("button", {
        type: "button",
        class: "small",
        text: name,
        onclick: () => {
          const pre = $("panel-module").querySelector(`pre[data-output="module:${CSS.escape(name)}"]`);
          pre?.focus();
          pre?.scrollIntoView({ block: "start" });
        },
      }))));
    const blocks = entries.map(([name, text]) =>
      fileBlock(parts, { title: modulePath(result, name), text, lang: name.endsWith(".tf") ? "hcl" : "text", filename: name, output: `module:${name}` }));
    return [index, ...blocks];
  }],
  ["panel-resources", ({ result }, parts) => [
    hint(parts, "what", "The same roles as plain hashicorp/aws resources, for a root module without the wrapper."),
    fileBlock(parts, { title: "resources/main.tf", text: result.hcl.resources, lang: "hcl", filename: "resources.tf", output: "resources" }),
  ]],
  ["panel-integrations", ({ result }, parts) => [
    hint(parts, "what", "Where the outputs go: s3_metaflow and ecr_unop take the job role, the Batch compute environment the service role and the instance profile."),
    fileBlock(parts, { title: "integrations.tf", text: result.hcl.integrations, lang: "hcl", filename: "integrations.tf", output: "integrations" }),
  ]],
  ["panel-policies", ({ result }, parts) => result.roles.map((role) => rolePolicies(parts, role))],
  ["panel-outputs", ({ result }, parts) => {
    const text = pretty(result.outputs);
    return [
      parts.get("table", text, () => outputsTable(result.outputs)),
      fileBlock(parts, { title: "outputs.json", text, lang: "json", filename: "outputs.json", output: "outputs" }),
    ];
  }],
  ["panel-diagnostics", null],
]);

function rolePolicies(parts, role) {
  const section = parts.get(`role:${role.key}`, "", () => h("section", { class: "role", "data-role": role.key }));
  const arns = role.managed_policy_arns.map((a) => a.arn);
  const children = [
    parts.get(`role:${role.key}:head`, `${role.name}\u0000${role.address}`, () => h("div", {},
      h("h3", { text: role.name }),
      h("p", { class: "hint" }, h("code", { text: role.key }), " · ", h("code", { text: role.address })),
    )),
    fileBlock(parts, {
      title: "Trust policy",
      text: role.assume_role_policy.json,
      lang: "json",
      filename: `${role.name}-trust.json`,
      output: `policy:${role.key}:trust`,
      level: "h4",
    }),
    parts.get(`role:${role.key}:managed`, arns.join("\u0000"), () => h("div", {},
      h("h4", { text: "Managed policies" }),
      h("ul", { class: "arns", "data-output": `policy:${role.key}:managed` }, arns.map((a) => h("li", {}, h("code", { text: a })))),
    )),
    role.inline_policy
      ? fileBlock(parts, {
        title: `Inline policy ${role.inline_policy.name}`,
        text: role.inline_policy.json,
        lang: "json",
        filename: `${role.name}-inline.json`,
        output: `policy:${role.key}:inline`,
        level: "h4",
      })
      : hint(parts, `role:${role.key}:no-inline`, "No inline policy."),
  ];
  if (role.instance_profile) {
    const { name, arn } = role.instance_profile;
    children.push(parts.get(`role:${role.key}:profile`, `${name}\u0000${arn}`, () =>
      h("p", {}, "Instance profile ", h("code", { text: name }), arn ? [" — ", h("code", { text: arn })] : null)));
  }
  reconcile(section, children);
  return section;
}

function outputsTable(outputs) {
  const rows = Object.entries(outputs).map(([name, o]) =>
    h("tr", {},
      h("th", { scope: "row" }, h("code", { text: name })),
      h("td", {}, o.value == null
        ? h("span", { class: "unknown", text: o.known_after_apply ? "(known after apply)" : "null" })
        : [h("code", { text: o.value }), o.known_after_apply ? h("span", { class: "unknown", text: " (predicted)" }) : null]),
      h("td", { text: o.description }),
    ));
  return h("div", { class: "table-scroll" },
    h("table", { class: "outputs" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Output" }), h("th", { scope: "col", text: "Value" }), h("th", { scope: "col", text: "Description" }))),
      h("tbody", {}, rows),
    ));
}

// Copy, download, status -------------------------------------------------------------------------

/** Says `text` in the status line (read out by screen readers). */
export function status(text) {
  $("action-status").textContent = text;
}

/** Copies `text` to the clipboard; `what` names it in the status line. */
export async function copyText(text, what) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
  }
  status(ok ? `Copied ${what}.` : `Could not copy ${what}: select the text and copy it.`);
}

/** Downloads `data` (a string or bytes) as a file named `name`. */
export function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h("a", { href: url, download: name, class: "offscreen" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  status(`Downloaded ${name}.`);
}

// Rendering -------------------------------------------------------------------------------------

/** Panels whose content is out of date; rendered when shown. */
const outOfDate = new Set(PANELS.keys());
const kept = new Map([...PANELS.keys()].map((id) => [id, new Parts()]));

/** The result changed: every panel is out of date. */
export function resultChanged() {
  for (const id of PANELS.keys()) outOfDate.add(id);
}

/** The diagnostics changed: the Diagnostics panel is out of date. */
export function diagnosticsChanged() {
  outOfDate.add("panel-diagnostics");
}

const tabs = [...document.querySelectorAll('[role="tab"]')];
const activeTab = () => tabs.find((t) => t.getAttribute("aria-selected") === "true") ?? tabs[0];

/** Renders the visible panel when it is out of date. */
export function renderActivePanel() {
  const id = activeTab().getAttribute("aria-controls");
  if (!outOfDate.has(id)) return;
  outOfDate.delete(id);
  const panel = $(id);
  if (id === "panel-diagnostics") {
    reconcile(panel, [diagnosticsList()]);
    return;
  }
  const parts = kept.get(id);
  const nodes = state.lastGood
    ? PANELS.get(id)(state.lastGood, parts)
    : [parts.get("empty", "", () => emptyNote("No result yet: fix the errors listed under Diagnostics."))];
  parts.sweep();
  reconcile(panel, nodes);
}

function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  renderActivePanel();
  if (focus) tab.focus();
}

for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab, false));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });
}
