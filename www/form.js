// The form: its sections (editors.js builds them), the options' fields, the raw JSON editor,
// and the events that turn edits into state changes.
//
// The form is never rebuilt while the user types in it: a field's edit reads its section back
// into the state and leaves the DOM as it is. When the inputs change from elsewhere (a preset,
// a link, the raw JSON editor), `showInputs` rebuilds only the sections whose value changed,
// and in the statements only the statements that changed: each section and statement
// remembers the value it shows.
import { $, isPlainObject, pointerOf, pretty, reconcile, whenIdle } from "./dom.js";
import {
  SECTIONS, buildSection, listRow, renumber, readList, removeRow, tagsEditor, tagRow,
  relabelTags, statementsEditor, statementBlock, relabelStatements, readStatement, conditionBlock,
  relabelConditions, suggestManagedPolicies,
} from "./editors.js";
import {
  state, clearProblems, setInputs, setVariable, setOption, setOptions, setProblems, update, LIMITS,
  overBytes, readInputs, sizeText,
} from "./state.js";

const form = $("inputs");
const fields = $("form-fields");
const raw = $("raw-json");

/** The JSON of the value each section, and each statement block, shows. */
const shownSection = new Map();
const shownStatement = new WeakMap();

const json = (v) => (v === undefined ? "undefined" : JSON.stringify(v));

/** Shows `inputs` in the form, rebuilding only the sections (and statements) whose value
 *  differs from the one they show. */
export function showInputs(inputs) {
  const value = isPlainObject(inputs) ? inputs : {};
  let previous = null;
  for (const name of SECTIONS) {
    let section = fields.querySelector(`:scope > [data-section="${name}"]`);
    const text = json(value[name]);
    if (!section || shownSection.get(name) !== text) {
      const patched = section && name === "custom_job_policy_statements" && patchStatements(section, value[name]);
      if (!patched) {
        const fresh = buildSection(name, value[name]);
        if (name === "custom_job_policy_statements") rememberStatements(fresh, value[name]);
        if (section) section.replaceWith(fresh);
        else fields.insertBefore(fresh, previous ? previous.nextSibling : fields.firstChild);
        section = fresh;
      }
      shownSection.set(name, text);
    }
    previous = section;
  }
}

/** Brings the statements editor to `statements`, keeping the blocks whose statement is
 *  unchanged; false when the section must be built anew. */
function patchStatements(section, statements) {
  if (section.dataset.raw === "1" || !(statements == null || isPlainObject(statements))) return false;
  const items = section.querySelector(":scope > .items");
  const blocks = new Map();
  for (const block of items.children) blocks.set(block.dataset.seg, block);
  const next = Object.entries(statements ?? {}).map(([key, st]) => {
    const block = blocks.get(key);
    const text = json(st);
    if (block && shownStatement.get(block) === text) return block;
    const fresh = statementBlock(key, st);
    shownStatement.set(fresh, text);
    return fresh;
  });
  reconcile(items, next);
  relabelStatements(section);
  return true;
}

function rememberStatements(section, statements) {
  if (!isPlainObject(statements)) return;
  for (const block of section.querySelectorAll(":scope > .items > .statement")) {
    shownStatement.set(block, json(statements[block.dataset.seg]));
  }
}

// The raw editor's text. Writing a textarea's value is slow for a long text (2 to 25 ms for
// the 70 KB of 100 statements, measured in Chromium, whatever changed), so a long text is
// written only when the editor is on screen (after the frame) or focused; a short one at once.
// `data-current` on the editor says whether its text is the inputs'.

/** Inputs whose JSON is up to this long are written at once (well under 1 ms). */
const RAW_AT_ONCE = 4_096;
/** The inputs the editor is to show, when not written yet. */
let rawPending;
let rawOnScreen = false;
new IntersectionObserver(([entry]) => {
  rawOnScreen = entry.isIntersecting;
  if (rawOnScreen) whenIdle(flushRaw);
}, { rootMargin: "25%" }).observe(raw);
raw.addEventListener("focus", () => flushRaw());
raw.addEventListener("input", () => {
  rawPending = undefined; // the text typed is the truth
});

/** Shows `inputs` as JSON in the raw editor: now, or when it is on screen (see above). */
export function showRaw(inputs) {
  rawPending = inputs;
  raw.dataset.current = "false";
  if (JSON.stringify(inputs).length <= RAW_AT_ONCE) flushRaw();
  else if (rawOnScreen) whenIdle(flushRaw);
}

/** Writes the text the editor is to show, if any is waiting. */
export function flushRaw() {
  if (rawPending === undefined) return;
  const text = pretty(rawPending);
  rawPending = undefined;
  if (raw.value !== text) raw.value = text;
  raw.dataset.current = "true";
}

/** Makes `value` (from outside the form: a preset, a link, the raw editor) the inputs: the
 *  form shows it, rebuilding only what changed, then every view. `start` is the triggering
 *  event's time, for the page's measures. */
export function acceptInputs(value, start) {
  clearProblems();
  setInputs(value);
  showInputs(value);
  update(start);
}

/** Shows `state.options` in the options' fields. */
export function showOptions() {
  for (const el of form.querySelectorAll("[data-option]")) {
    const value = state.options[el.dataset.option];
    el.value = typeof value === "string" ? value : el.dataset.option === "partition" ? "aws" : "";
  }
  suggestManagedPolicies(state.options.partition ?? "aws");
}

// Reading the form back into the state ---------------------------------------------------------

function duplicateKey(input, what, key) {
  const variable = what === "tag key" ? "tags" : "custom_job_policy_statements";
  return {
    severity: "error",
    code: "duplicate_key",
    path: `${variable}[${JSON.stringify(key)}]`,
    pointer: pointerOf(input),
    message: `the ${what} "${key}" appears twice: JSON keeps only one`,
    help: "rename or remove one of them",
    element: input,
  };
}

/** A map editor's rows (`keyField` holds each key, `read(row)` its value) as an object, or
 *  undefined when empty; a key seen before is left out and becomes a problem at its field. The
 *  entries go through a Map and Object.fromEntries, so a key such as `__proto__` stays an own
 *  key. */
function readMap(rows, keyField, what, problems, read) {
  const entries = new Map();
  for (const row of rows) {
    const key = row.querySelector(keyField);
    if (entries.has(key.value)) {
      problems.push(duplicateKey(key, what, key.value));
      continue;
    }
    entries.set(key.value, read(row));
  }
  return entries.size ? Object.fromEntries(entries) : undefined;
}

/** Reads the statement `block` alone back into the state, when only its attributes changed:
 *  a keystroke in one of 100 statements reads one. False when the section must be read whole
 *  (a key changed, keys appear twice, the inputs hold no such statement). */
function readOneStatement(block) {
  const name = "custom_job_policy_statements";
  const key = block.dataset.seg;
  const current = isPlainObject(state.inputs) ? state.inputs[name] : undefined;
  if (state.problems[name] || block.querySelector(".st-key").value !== key || !isPlainObject(current) || !Object.hasOwn(current, key)) {
    return false;
  }
  const statement = readStatement(block);
  const statements = { ...current, [key]: statement };
  shownStatement.set(block, json(statement));
  setVariable(name, statements);
  shownSection.set(name, json(statements));
  return true;
}

/** Reads section `name` back into the state; its problems (keys twice) into the page's.
 *  `from` is the element edited, when one was. */
function readSection(name, from) {
  const section = fields.querySelector(`:scope > [data-section="${name}"]`);
  if (!section || section.dataset.raw === "1") return;
  const block = from?.closest(".statement");
  if (block && from.dataset.part !== "key" && readOneStatement(block)) return;
  const problems = [];
  let value;
  switch (name) {
    case "name_prefix":
      value = section.querySelector("input").value;
      break;
    case "enable_spot_fleet_role":
      value = section.querySelector("input").checked ? true : undefined;
      break;
    case "additional_job_policy_arns": {
      const list = readList(section.querySelector("[data-list]"));
      value = list.length ? list : undefined;
      break;
    }
    case "tags":
      value = readMap(section.querySelectorAll(":scope > .items > .row"), ".tag-key", "tag key", problems,
        (row) => row.querySelector(".tag-value").value);
      break;
    case "custom_job_policy_statements":
      value = readMap(section.querySelectorAll(":scope > .items > .statement"), ".st-key", "statement key", problems,
        (block) => {
          const statement = readStatement(block);
          shownStatement.set(block, json(statement));
          return statement;
        });
      break;
  }
  setVariable(name, value);
  setProblems(name, problems);
  // A section with a key twice shows a row the inputs lack: it matches no inputs.
  shownSection.set(name, problems.length ? null : json(value));
}

/** A field of section `name` changed (`from`, when one was edited): the state, the raw editor,
 *  then every view. */
function sectionChanged(name, start, from) {
  readSection(name, from);
  showRaw(state.inputs);
  setProblems("raw", []);
  update(start);
}

// Events ---------------------------------------------------------------------------------------

form.addEventListener("submit", (e) => e.preventDefault());

form.addEventListener("input", (e) => {
  const t = e.target;
  if (t === raw) return; // the raw editor has its own (below)
  if (t.dataset.option !== undefined) {
    setOption(t.dataset.option, t.value);
    if (t.dataset.option === "partition") suggestManagedPolicies(t.value || "aws");
    return update(e.timeStamp);
  }
  if (t.dataset.part === "key") {
    t.closest("[data-seg]").dataset.seg = t.value;
    const statements = t.closest(".statements");
    if (statements) relabelStatements(statements);
  }
  const section = t.closest("[data-section]");
  if (section) sectionChanged(section.dataset.section, e.timeStamp, t);
});

// Enter in a list or tag row adds another row (the form itself never submits).
form.addEventListener("keydown", (e) => {
  if (e.key !== "Enter" || e.isComposing || e.target.tagName !== "INPUT") return;
  const box = e.target.closest(".row")?.closest("[data-list], [data-section='tags']");
  if (!box) return;
  e.preventDefault();
  box.querySelector(":scope > .add").click();
});

form.addEventListener("click", (e) => {
  const button = e.target.closest("button[data-action]");
  if (!button) return;
  let section = button.closest("[data-section]");
  switch (button.dataset.action) {
    case "list-add": {
      const box = button.closest("[data-list]");
      const row = listRow(box, "");
      box.querySelector(":scope > .items").append(row);
      renumber(box);
      row.querySelector("input").focus();
      break;
    }
    case "list-remove":
      removeRow(button.closest(".row"), button.closest("[data-list]"), renumber);
      break;
    case "tag-add": {
      if (section.dataset.raw === "1") {
        const fresh = tagsEditor({});
        section.replaceWith(fresh);
        section = fresh;
      }
      const row = tagRow("", "");
      section.querySelector(":scope > .items").append(row);
      relabelTags(section);
      row.querySelector("input").focus();
      break;
    }
    case "tag-remove":
      removeRow(button.closest(".row"), section, relabelTags);
      break;
    case "statement-add": {
      if (section.dataset.raw === "1") {
        const fresh = statementsEditor({});
        section.replaceWith(fresh);
        section = fresh;
      }
      const taken = new Set([...section.querySelectorAll(".st-key")].map((i) => i.value));
      let n = section.querySelectorAll(".statement").length + 1;
      while (taken.has(`statement${n}`)) n++;
      const block = statementBlock(`statement${n}`, { effect: "Allow", actions: [""], resources: ["*"] });
      section.querySelector(":scope > .items").append(block);
      relabelStatements(section);
      block.querySelector(".st-key").focus();
      break;
    }
    case "statement-remove": {
      const block = button.closest(".statement");
      const next = block.nextElementSibling ?? block.previousElementSibling;
      block.remove();
      relabelStatements(section);
      (next?.querySelector(".st-key") ?? section.querySelector(":scope > .add")).focus();
      break;
    }
    case "condition-add": {
      const box = button.closest(".conditions");
      const block = conditionBlock({ test: "", variable: "", values: [""] });
      box.querySelector(":scope > .items").append(block);
      relabelConditions(box);
      block.querySelector(".c-test").focus();
      break;
    }
    case "condition-remove": {
      const box = button.closest(".conditions");
      button.closest(".condition").remove();
      relabelConditions(box);
      box.querySelector(":scope > .add").focus();
      break;
    }
    default:
      return;
  }
  sectionChanged(section.dataset.section, e.timeStamp);
});

// The raw JSON editor's input path ------------------------------------------------------------
//
// `acceptText(text, format)` is the way in for any text of inputs: the text passes the page's
// limits and the reader of its format (state.js `readInputs`), then becomes the inputs; or the
// reason it cannot becomes the editor's diagnostic while the form and the result keep the last
// inputs that could be read. The editor calls it with what is typed. Another way in (opening or
// dropping a `.tfvars` or `.tf` file) adds a reader to READERS, calls `acceptText(text, "hcl")`,
// then `showRaw(state.inputs)` to show the JSON. A paste or drop over the size limit is refused
// before it reaches the editor.

const refused = $("raw-refused");

/** Makes the inputs in `text` (of `format`, see READERS) the inputs; `start` is the
 *  triggering event's time, for the page's measures. Returns whether it could. */
export function acceptText(text, format, start) {
  const read = readInputs(text, format);
  if (read.problem) {
    setProblems("raw", [{ ...read.problem, element: raw }]);
    update(start);
    return false;
  }
  acceptInputs(read.value, start);
  return true;
}

raw.addEventListener("input", (e) => {
  refused.hidden = true;
  acceptText(raw.value, "json", e.timeStamp);
});

// A paste or drop over the limit is refused whole: the editor keeps its text. A paste of HCL
// (a terraform.tfvars, a .tf's module block) is read as HCL, and the editor shows it as JSON.
raw.addEventListener("beforeinput", (e) => {
  if (e.inputType !== "insertFromPaste" && e.inputType !== "insertFromDrop") return;
  const text = e.data ?? e.dataTransfer?.getData("text/plain") ?? "";
  if (overBytes(text, LIMITS.bytes)) {
    e.preventDefault();
    refuse(`The pasted text was not inserted: it is larger than ${sizeText(LIMITS.bytes)}, the page's limit. Give the module's variables only.`);
  } else if (isHcl(text)) {
    e.preventDefault();
    void acceptHcl(text, e.timeStamp);
  }
});

function refuse(text) {
  refused.textContent = text;
  refused.hidden = false;
}

// HCL in ----------------------------------------------------------------------------------------
//
// A `terraform.tfvars`, or a `.tf` holding the module block, pasted into the editor, opened, or
// dropped on the form: the package's fromHcl reads it (iam-metaflow/hcl, whose parser is a wasm
// of its own, fetched on the first use), its inputs become the inputs, the module block's name
// and source the options, and the editor shows the inputs as JSON. Its diagnostics (what only
// Terraform can evaluate, syntax errors) are the editor's, each with its line and column; the
// rest of the text still loads. A `.json` file goes the JSON way.

/** Whether `text` is HCL rather than JSON: it does not start like JSON, and a line starts with
 *  an attribute (`name =`) or a block (`module "x" {`). */
const isHcl = (text) => !/^\s*[{[]/.test(text) && /^\s*[A-Za-z_][\w-]*(?:\s*=|(?:\s+"[^"\n]*")*\s*\{)/m.test(text);

/** Reads of HCL so far: a read that a later one overtook is dropped. */
let hclReads = 0;

/** Makes the inputs and options in the HCL `text` the page's; returns whether it could. */
export async function acceptHcl(text, start) {
  refused.hidden = true;
  const turn = ++hclReads;
  let read;
  try {
    read = await (await import("./pkg/hcl.js")).fromHcl(text);
  } catch (err) {
    refuse(`The HCL reader could not load: ${err.message}`);
    return false;
  }
  if (turn !== hclReads) return false;
  const problems = read.diagnostics.map((d) => ({
    ...d,
    message: d.line === undefined ? d.message : `line ${d.line}, column ${d.column}: ${d.message}`,
    element: raw,
  }));
  if (Object.keys(read.inputs).length === 0 && problems.some((d) => d.severity === "error")) {
    setProblems("raw", problems);
    update(start);
    return false;
  }
  setOptions({ ...state.options, ...read.options });
  showOptions();
  acceptInputs(read.inputs, start);
  showRaw(state.inputs);
  flushRaw();
  if (problems.length) {
    setProblems("raw", problems);
    update(start);
  }
  return true;
}

/** Reads a file of inputs: HCL by its name (`.tfvars`, `.tf`) or content, JSON otherwise. */
async function openFile(file, start) {
  if (file.size > LIMITS.bytes) {
    refuse(`${file.name} was not read: it is larger than ${sizeText(LIMITS.bytes)}, the page's limit.`);
    return;
  }
  const text = await file.text();
  if (/\.(tfvars|tf)$/i.test(file.name) || (!/\.json$/i.test(file.name) && isHcl(text))) {
    await acceptHcl(text, start);
  } else if (acceptText(text, "json", start)) {
    showRaw(state.inputs);
  }
}

$("open-file").addEventListener("change", (e) => {
  const [file] = e.target.files;
  if (file) void openFile(file, e.timeStamp);
  e.target.value = "";
});

form.addEventListener("dragover", (e) => {
  if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
});
form.addEventListener("drop", (e) => {
  const [file] = e.dataTransfer?.files ?? [];
  if (!file) return;
  e.preventDefault();
  void openFile(file, e.timeStamp);
});
