// The page's state and the ways inputs come into it: one state object, the only functions
// that change it, `update` (evaluate, then tell the views), inputs read from a text within the
// page's limits, and the URL codec.
//
// Owner: this module. Every other module reads `state` and never assigns to it; it calls the
// functions below, then `update()`. Views register with `onUpdate` (start.js registers them)
// and each decides what it must touch. Two things are kept out of the state on purpose: what
// the DOM itself holds (field values while they are typed, which tab is selected) and the URL,
// which is written from the state (below).
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

/** The page's preset named `name`, a fresh object: the package's two (the seed's examples) and a
 *  blank one. */
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
  // Entries, then Object.fromEntries: a key such as `__proto__` stays an own key.
  const next = [];
  for (const key of known) {
    if (key === name) {
      if (value !== undefined) next.push([key, value]);
    } else if (Object.hasOwn(current, key)) next.push([key, current[key]]);
  }
  if (!known.includes(name) && value !== undefined) next.push([name, value]);
  for (const key of Object.keys(current)) if (!known.includes(key) && key !== name) next.push([key, current[key]]);
  state.inputs = Object.fromEntries(next);
}

/** The options the page has fields for, and their defaults (null: none). An option that is
 *  empty or its default is left out of `state.options`. */
const OPTIONS = { account_id: null, partition: "aws", module_name: null, module_source: null };

/** Sets one option from its field; empty or default values remove it. */
export function setOption(name, value) {
  if (!Object.hasOwn(OPTIONS, name)) return;
  const next = { ...state.options };
  if (typeof value !== "string" || value.trim() === "" || OPTIONS[name] === value) delete next[name];
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
  // The browser keeps every measure: a long session keeps only the last thousand or so.
  if (state.evaluations % 1000 === 0) performance.clearMeasures();
}

// Inputs from a text ------------------------------------------------------------------------------
//
// Every text of inputs the page did not write itself is untrusted: what is typed or pasted into
// the raw editor, a shared link, later a `.tfvars` file. Before it is parsed it must pass two
// limits: its size and how deep it nests. The page's own work on a value (JSON.stringify for
// the raw editor, the form, the engine's walk) recurses, so the nesting limit keeps it from a
// stack overflow; the size limit keeps a pasted or linked text from freezing the tab. No
// variable of the module nests deeper than 7 levels, and the largest configuration IAM accepts
// (a 10,240-character inline policy) is a few tens of KB: both limits leave ample room.
// Another format (HCL) is one more reader in READERS.

/** The limits every inputs text must pass. */
export const LIMITS = Object.freeze({
  /** Most bytes of UTF-8 text (1 MiB). */
  bytes: 1 << 20,
  /** Deepest nesting of arrays and objects (the engine's own limit). */
  depth: 32,
});

/** `bytes` as the page says it: "1 MiB". */
export const sizeText = (bytes) => (bytes >= 1 << 20 ? `${+(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KB`);

/** Whether `text` takes more than `limit` bytes of UTF-8. */
export function overBytes(text, limit) {
  // Each UTF-16 unit takes 1 to 3 bytes (a surrogate pair 4 for its 2 units): count only when
  // the length alone does not tell.
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair
      i++;
    } else bytes += 3; // a lone surrogate becomes U+FFFD, 3 bytes
    if (bytes > limit) return true;
  }
  return false;
}

/** How deep the JSON text nests (brackets outside strings), or `limit + 1` once deeper. One
 *  pass over the text, before JSON.parse builds anything. */
export function jsonDepth(text, limit = Infinity) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** A problem with a text, as a page diagnostic without its place (the caller adds it). */
function problem(code, message, help) {
  return { severity: "error", code, path: "", pointer: "", message, help };
}

/** The problem of a text over the size or nesting limit; null when it is within both. */
export function checkLimits(text, what = "the JSON") {
  if (overBytes(text, LIMITS.bytes)) {
    return problem("input_too_large", `${what} is larger than ${sizeText(LIMITS.bytes)}, the page's limit`, "give the module's variables only: the largest configuration IAM accepts is a few tens of KB");
  }
  if (jsonDepth(text, LIMITS.depth) > LIMITS.depth) {
    return problem("input_too_deep", `${what} nests deeper than ${LIMITS.depth} levels, the page's limit`, "no variable of the module nests deeper than 7 levels");
  }
  return null;
}

/** The readers by format: each takes a text within the limits and returns
 *  `{ value }` or `{ problem }`. */
export const READERS = {
  json(text) {
    const over = checkLimits(text);
    if (over) return { problem: over };
    try {
      return { value: JSON.parse(text) };
    } catch (err) {
      return { problem: problem("json_syntax", `the JSON does not parse: ${err.message}`, "fix the JSON; the form shows the last inputs that parsed") };
    }
  },
};

/** The inputs in `text` (a `terraform.tfvars.json` by default): `{ value }`, or `{ problem }`
 *  with a page diagnostic saying what is wrong and how to fix it. */
export function readInputs(text, format = "json") {
  const reader = READERS[format];
  if (!reader) return { problem: problem("unknown_format", `the page cannot read ${format}`, "give a terraform.tfvars.json") };
  return reader(text);
}

// The URL codec ------------------------------------------------------------------------------------
//
// The configuration in the URL: `#v1=` then base64url(deflate-raw(JSON of `{ i, o }`)), `i` the
// inputs and `o` the options that differ from their defaults. A link is untrusted input:
//
// - a 400 KB link can inflate to 300 MB (deflate's ratio reaches about 1:1000), so the link
//   is inflated as a stream fed 1 KB at a time — at most about 1 MB of output each — and
//   dropped as soon as the output passes LIMITS.bytes (1 MiB): memory and time stay bounded
//   whatever the link holds;
// - what it inflates to then passes the same limits as any inputs text (above): UTF-8,
//   nesting, JSON;
// - a link that is corrupt, over a limit or of a version this page does not know is refused
//   with a LinkError saying why; the page then starts from a preset.
//
// The browser's own CompressionStream and DecompressionStream do the deflating: no library is
// loaded to open or write a link, and the work runs outside the page's scripts.
//
// The URL is written 150 ms after the last change, so typing is not slowed by history
// updates, and at once when a link is copied or the page is hidden; each write checks that no
// later change came meanwhile. `body[data-saved]` says whether the URL is current (the
// browser test waits on it).

/** Why a link could not be read; `message` says it for the page. */
export class LinkError extends Error {}

const FORMAT = "deflate-raw";
/** Compressed bytes fed to the inflater at once. */
const FEED = 1024;

/** The `#vN=` of a hash and its payload; null when the hash is not a configuration. */
export function parseHash(hash) {
  const m = /^#(v\d+)=(.*)$/s.exec(hash);
  return m ? { version: m[1], payload: m[2] } : null;
}

/** The hash for `{ inputs, options }`. */
export async function encodeLink({ inputs, options }) {
  const state = { i: inputs };
  if (Object.keys(options).length) state.o = options;
  const stream = new Blob([JSON.stringify(state)]).stream().pipeThrough(new CompressionStream(FORMAT));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return `#v1=${toBase64Url(bytes)}`;
}

/** `{ inputs, options }` from a hash made by encodeLink; null for a hash that is not a
 *  configuration (`#inputs`, empty). Throws a LinkError for one it cannot read. */
export async function decodeLink(hash) {
  const link = parseHash(hash);
  if (!link) return null;
  if (link.version !== "v1") {
    throw new LinkError(`it is of version ${link.version}, which this page does not know (a newer page made it?)`);
  }
  if (!/^[A-Za-z0-9_-]*$/.test(link.payload)) throw new LinkError("it is not base64url text (was it cut or changed?)");
  const compressed = fromBase64Url(link.payload);
  const bytes = await inflateCapped(compressed, LIMITS.bytes);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LinkError("it does not hold UTF-8 text");
  }
  const over = checkLimits(text, "what it holds");
  if (over) throw new LinkError(over.message);
  let state;
  try {
    state = JSON.parse(text);
  } catch {
    throw new LinkError("it does not hold JSON");
  }
  if (state === null || typeof state !== "object" || Array.isArray(state) || !Object.hasOwn(state, "i")) {
    throw new LinkError("it holds no inputs");
  }
  const options = state.o !== null && typeof state.o === "object" && !Array.isArray(state.o) ? state.o : {};
  return { inputs: state.i, options };
}

/** Inflates `bytes` as a stream; throws a LinkError as soon as the output passes `limit`
 *  bytes, or when the data is not deflate. */
export async function inflateCapped(bytes, limit) {
  const stream = new DecompressionStream(FORMAT);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // The writes wait for the reads (the stream's backpressure): each 1 KB fed is inflated only
  // when the output before it has been read and counted.
  const writing = (async () => {
    for (let at = 0; at < bytes.length; at += FEED) await writer.write(bytes.subarray(at, at + FEED));
    await writer.close();
  })();
  writing.catch(() => {}); // a failed write fails the reads too
  const parts = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        throw new LinkError(`it inflates to more than ${sizeText(limit)}, the page's limit for a link`);
      }
      parts.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    if (err instanceof LinkError) throw err;
    throw new LinkError("its data is corrupt (not deflate-compressed, or cut short)");
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

let timer = 0;
let change = 0;

/** The state changed: write the URL soon. */
export function saveSoon() {
  change++;
  clearTimeout(timer);
  document.body.dataset.saved = "false";
  timer = setTimeout(saveNow, 150);
}

/** Writes the URL now; resolves when it is current. */
export async function saveNow() {
  clearTimeout(timer);
  // JSON that does not parse or is over a limit: the URL keeps the last inputs that did.
  if (state.problems.raw) {
    document.body.dataset.saved = "true";
    return;
  }
  const at = change;
  const hash = await encodeLink(state);
  if (at !== change) return; // a later change writes its own
  try {
    if (location.hash !== hash) history.replaceState(null, "", hash);
  } catch {
    // Longer than the browser takes in a URL: the URL keeps the last configuration it took.
  }
  document.body.dataset.saved = "true";
}

/** The configuration in the URL's hash: `{ inputs, options }`, null when the hash holds none,
 *  or `{ error }` with the reason a link cannot be read. */
export async function readHash(hash = location.hash) {
  try {
    return await decodeLink(hash);
  } catch (err) {
    return { error: err instanceof LinkError ? err.message : `it could not be decoded (${err?.message ?? err})` };
  }
}

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    throw new LinkError("it is not base64url text (was it cut or changed?)");
  }
}
