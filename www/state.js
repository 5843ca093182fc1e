// The page's state: one object, the only functions that change it, and `update`, which
// evaluates it and tells the views.
//
// Owner: this module. Every other module reads `state` and never assigns to it; it calls the
// functions below, then `update()`. Views register with `onUpdate` (start.js registers them)
// and each decides what it must touch. Two things are kept out of the state on purpose: what
// the DOM itself holds (field values while they are typed, which tab is selected) and the URL,
// which is written from the state (link.js).
import { generate, validate, presets } from "./pkg/index.js";

export const state = {
  /** The module's variables as the engine receives them: any JSON value (the raw editor may
   *  hold anything; the engine says what is wrong with it). */
  inputs: {},
  /** The options that differ from their defaults: account_id, partition, module_name,
   *  module_source. */
  options: {},
  /** Problems the page finds itself and the engine never sees, by where they come from:
   *  "raw" (the raw JSON editor) or a form section (keys that appear twice). Each is a
   *  diagnostic; `element` names the field it belongs to when its pointer cannot. */
  problems: {},
  /** Every diagnostic of the current inputs: the page's problems, then the engine's. */
  diagnostics: [],
  /** The last successful evaluation, `{ result, options }`; null before the first. */
  lastGood: null,
  /** Whether the inputs changed into an error since `lastGood` was made. */
  stale: false,
  /** How many times the inputs were evaluated (the browser test counts them). */
  evaluations: 0,
};

/** The page's preset named `name`: the package's two (the seed's examples) and a blank one. */
export function preset(name) {
  if (name === "blank") return { name_prefix: "" };
  return presets()[name];
}

/** The variables in the order the page writes them: the order of the seed's advanced example,
 *  which sets every variable. */
let order = null;
function variableOrder() {
  order ??= Object.keys(presets().advanced);
  return order;
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Replaces the inputs (a preset, a link, the raw editor). */
export function setInputs(value) {
  state.inputs = value;
}

/** Sets one variable from the form (undefined removes it), keeping the variables' order. */
export function setVariable(name, value) {
  const current = isPlainObject(state.inputs) ? state.inputs : {};
  const known = variableOrder();
  const next = {};
  for (const key of known) {
    if (key === name) {
      if (value !== undefined) next[key] = value;
    } else if (Object.hasOwn(current, key)) next[key] = current[key];
  }
  if (!known.includes(name) && value !== undefined) next[name] = value;
  for (const key of Object.keys(current)) if (!known.includes(key) && key !== name) next[key] = current[key];
  state.inputs = next;
}

/** The options' defaults: an option equal to its default is left out of `state.options`. */
const OPTION_DEFAULTS = { partition: "aws" };

/** Sets one option from its field; empty or default values remove it. */
export function setOption(name, value) {
  const next = { ...state.options };
  if (typeof value !== "string" || value.trim() === "" || OPTION_DEFAULTS[name] === value) delete next[name];
  else next[name] = value;
  state.options = next;
}

/** Replaces the options (a link): only string values are options. */
export function setOptions(options) {
  state.options = {};
  for (const [name, value] of Object.entries(isPlainObject(options) ? options : {})) setOption(name, value);
}

/** Sets the page's problems from `source` (an empty list clears them). */
export function setProblems(source, list) {
  if (list.length) state.problems[source] = list;
  else delete state.problems[source];
}

export function clearProblems() {
  state.problems = {};
}

/** Evaluates the inputs: the diagnostics always, the result when there is no error. Returns
 *  whether a new result was made. */
export function evaluate() {
  const page = Object.values(state.problems).flat();
  let result = null;
  let engine = [];
  if (page.length === 0) {
    try {
      result = generate(state.inputs, state.options);
      engine = result.diagnostics;
    } catch (err) {
      engine = Array.isArray(err?.diagnostics) ? err.diagnostics : [internal(err)];
    }
  } else if (!state.problems.raw) {
    // Keys that appear twice in the form: the engine still says what it sees in the rest.
    try {
      engine = validate(state.inputs, state.options);
    } catch (err) {
      engine = [internal(err)];
    }
  }
  // JSON that does not parse, or is over the limits: the engine has nothing current to see.
  state.diagnostics = [...page, ...engine];
  state.evaluations++;
  if (result) state.lastGood = { result, options: { ...state.options } };
  state.stale = result === null;
  return result !== null;
}

function internal(err) {
  return {
    severity: "error",
    code: "internal",
    path: "",
    pointer: "",
    message: `the engine failed: ${err?.message ?? String(err)}`,
  };
}

/** The views, told after every evaluation (in the order they registered). */
const views = [];

/** Registers `view(fresh)`, called after every evaluation; `fresh` says whether it made a new
 *  result. `name` names its share of the work in the page's measures (`update:name`). */
export function onUpdate(name, view) {
  views.push({ name, view });
}

/** Evaluates the state and tells every view; `start` is the triggering event's time (for the
 *  page's measures). */
export function update(start) {
  const begun = performance.now();
  const fresh = evaluate();
  let at = performance.now();
  performance.measure("update:evaluate", { start: begun, end: at });
  for (const { name, view } of views) {
    view(fresh);
    const now = performance.now();
    performance.measure(`update:${name}`, { start: at, end: now });
    at = now;
  }
  const end = at;
  performance.measure("update-work", { start: begun, end });
  if (typeof start === "number" && start > 0) performance.measure("update", { start, end });
}
