// The JS half of the bindings (src/wasm.rs imports it; wasm-bindgen copies it into the build).
//
// plainJson: the inputs' fast path. When the inputs (and options) are plain data that
// JSON.stringify renders exactly as the Rust Walker would decode them, one string crosses
// instead of a walk of hundreds of calls. Any doubt means "not plain" (undefined) and the Walker,
// the source of exact diagnostics, takes over.

/** The Walker's limits (src/wasm.rs): deepest nesting and most elements in one list or object. */
const MAX_DEPTH = 32;
const MAX_ELEMENTS = 100000;
/** Most values the fast path takes in one call; bigger inputs go through the Walker. */
const MAX_VALUES = 100000;

const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const keysOf = Object.keys;
const ownNames = Object.getOwnPropertyNames;
const isArray = Array.isArray;
const isSafeInteger = Number.isSafeInteger;
const stringify = JSON.stringify;
const NON_ASCII = /[^\x00-\x7f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

let budget = 0;
/** Whether `plain` checks the strings (and keys) too. */
let texts = false;

/** A string the Walker keeps as it is: ASCII, or well-formed and already in NFC. */
function plainString(s) {
  return !texts || !NON_ASCII.test(s) || (!LONE_SURROGATE.test(s) && s.normalize("NFC") === s);
}

/** Whether `v` (not undefined) at nesting `depth` is plain data (its strings and keys
 * included when `texts` is set). */
function plain(v, depth) {
  switch (typeof v) {
    case "string":
      return plainString(v);
    case "boolean":
      return true;
    case "number":
      // The Walker crosses safe integers as integers, and other numbers differently.
      return isSafeInteger(v);
    case "object":
      break;
    default:
      // bigint, symbol, function, undefined.
      return false;
  }
  if (v === null) return true;
  if (depth >= MAX_DEPTH || --budget < 0) return false;
  const proto = getPrototypeOf(v);
  if (isArray(v)) {
    if (proto !== ARRAY_PROTO) return false;
    const n = v.length;
    if (n > MAX_ELEMENTS) return false;
    budget -= n;
    for (let i = 0; i < n; i++) {
      const item = v[i];
      // Holes and undefined: null for both.
      if (item !== undefined && !plain(item, depth + 1)) return false;
    }
    return true;
  }
  if (proto !== OBJECT_PROTO && proto !== null) return false;
  const keys = keysOf(v);
  const n = keys.length;
  // Non-enumerable keys: the Walker reads them, JSON.stringify does not. (Both leave symbol
  // keys out.)
  if (n > MAX_ELEMENTS || ownNames(v).length !== n) return false;
  budget -= n;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const item = v[key];
    // A key whose value is undefined is left out, by JSON.stringify and the Walker alike.
    if (item !== undefined && (!plainString(key) || !plain(item, depth + 1))) return false;
  }
  return true;
}

/**
 * `[inputs, options]` as JSON text when both are plain data (options may be undefined or null:
 * no options), else undefined, with their strings and keys checked when `withTexts`. Never
 * throws.
 */
function plainText(inputs, options, withTexts) {
  try {
    // JSON.stringify calls an inherited toJSON; the Walker does not.
    if (OBJECT_PROTO.toJSON !== undefined || ARRAY_PROTO.toJSON !== undefined) return undefined;
    budget = MAX_VALUES;
    texts = withTexts;
    if (inputs === undefined || !plain(inputs, 0)) return undefined;
    if (options === undefined || options === null) return `[${stringify(inputs)},null]`;
    if (!plain(options, 0)) return undefined;
    return `[${stringify(inputs)},${stringify(options)}]`;
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();

/**
 * Writes `[inputs, options]` as UTF-8 JSON text into `into` (a view of the wasm's memory)
 * when both are plain data, and returns the bytes written; -1 when they are not plain data;
 * when `into` is too small, -n for a size n >= 2 that is large enough. Never throws.
 *
 * The strings and keys are checked only when the text is not ASCII: ASCII strings are plain,
 * and JSON.stringify writes a lone surrogate as an ASCII escape, which the Rust parser
 * (src/json_text.rs) refuses.
 */
export function plainJson(inputs, options, into) {
  let text = plainText(inputs, options, false);
  if (text === undefined) return -1;
  let { read, written } = encoder.encodeInto(text, into);
  if (read === text.length && written !== read) {
    // Not ASCII: again, with the strings checked (a getter may give another value).
    text = plainText(inputs, options, true);
    if (text === undefined) return -1;
    ({ read, written } = encoder.encodeInto(text, into));
  }
  // Three bytes of UTF-8 at most per UTF-16 unit; the text has at least 2.
  return read === text.length ? written : -3 * text.length;
}

// Iterations of JS iterables run here, not as one wasm-to-JS call per step: the grapheme
// segments of an HCL key (src/hcl/writer.rs measures key widths) and a Map's entries (the
// Walker in src/wasm.rs).

/** The grapheme segmenter, made at its first use (null where JS has no Intl.Segmenter). */
let segmenter;

/** Extended grapheme clusters in `s`, or undefined where JS has no Intl.Segmenter. */
export function graphemeCount(s) {
  if (segmenter === undefined) {
    try {
      segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    } catch {
      segmenter = null;
    }
  }
  if (segmenter === null) return undefined;
  let count = 0;
  for (const _ of segmenter.segment(s)) count++;
  return count;
}

/** The entries of the Map `map` as an array (each entry as the iteration gave it), or null
 * when it has more than `max`; throws what the iteration throws. */
export function mapEntries(map, max) {
  const entries = [];
  for (const entry of map) {
    if (entries.length >= max) return null;
    entries.push(entry);
  }
  return entries;
}

// buildResult: the results' crossing. Rust writes a result as a tape of u32 operations and one
// text holding all its strings (src/tape.rs documents the operations); this builds the JS value
// JSON.parse would make of serde_json's text for it: plain objects (own data properties, in
// order, `__proto__` included) and arrays.

const NULL = 0;
const TRUE = 1;
const FALSE = 2;
const NUMBER = 3;
const STRING = 4;
const ARRAY = 5;
const OBJECT = 6;
const KEY = 7;
const NEW_KEY = 8;
const DYN_KEY = 9;
const RAW = 10;
const RAW_KEPT = 11;
const JOINED = 12;

const defineProperty = Object.defineProperty;
const decoder = new TextDecoder();
const bits = new Uint32Array(2);
const float = new Float64Array(bits.buffer);

/**
 * The tape being read, its text's bytes and the text decoded, whether it is ASCII (then byte
 * offsets are string offsets), the instance's field names, and the position.
 */
let ops;
let bytes;
let text;
let ascii = true;
let names;
let shapes;
let at = 0;

/** The text from byte `start` to byte `end`. */
function slice(start, end) {
  return ascii ? text.slice(start, end) : decoder.decode(bytes.subarray(start, end));
}

/** `s` as its own (internalized) string, not a slice of the whole text: names live long. */
function ownName(s) {
  const o = {};
  o[s] = 0;
  return keysOf(o)[0];
}

function key() {
  switch (ops[at]) {
    case KEY:
      at += 2;
      return names[ops[at - 1]];
    case NEW_KEY: {
      const name = ownName(slice(ops[at + 2], ops[at + 3]));
      names[ops[at + 1]] = name;
      at += 4;
      return name;
    }
    case DYN_KEY:
      at += 3;
      return slice(ops[at - 2], ops[at - 1]);
    default:
      throw new Error("internal error: a malformed result tape");
  }
}

// Objects of the result's structs are built by one object literal each: V8 makes such an
// object at once, where adding keys one by one costs a map transition each (and a backing
// store once past four). SHAPES lists the structs' keys (the `Generated` of src/lib.rs and
// what it holds, `outputs` and `hcl.module` included; src/tape.rs `ForJs` writes them). An
// object is matched to a shape by its entry count and first key, and each key is checked as
// it is read: an object that does not fit, or of a shape not listed (a map, say), is read key
// by key.
const SHAPES = [
  [["roles", "outputs", "hcl", "diagnostics"], (k) => ({ roles: field(k[0]), outputs: field(k[1]), hcl: field(k[2]), diagnostics: field(k[3]) })],
  [
    ["key", "name", "path", "arn", "address", "assume_role_policy", "managed_policy_arns", "inline_policy", "tags", "instance_profile"],
    (k) => ({
      key: field(k[0]),
      name: field(k[1]),
      path: field(k[2]),
      arn: field(k[3]),
      address: field(k[4]),
      assume_role_policy: field(k[5]),
      managed_policy_arns: field(k[6]),
      inline_policy: field(k[7]),
      tags: field(k[8]),
      instance_profile: field(k[9]),
    }),
  ],
  [["key", "arn", "address"], (k) => ({ key: field(k[0]), arn: field(k[1]), address: field(k[2]) })],
  [["name", "arn", "address"], (k) => ({ name: field(k[0]), arn: field(k[1]), address: field(k[2]) })],
  [["document", "json", "minified_json"], (k) => ({ document: field(k[0]), json: field(k[1]), minified_json: field(k[2]) })],
  [
    ["name", "address", "document", "json", "minified_json"],
    (k) => ({ name: field(k[0]), address: field(k[1]), document: field(k[2]), json: field(k[3]), minified_json: field(k[4]) }),
  ],
  [
    ["value", "type", "sensitive", "description", "known_after_apply"],
    (k) => ({ value: field(k[0]), type: field(k[1]), sensitive: field(k[2]), description: field(k[3]), known_after_apply: field(k[4]) }),
  ],
  [
    ["module_call", "module", "resources", "integrations"],
    (k) => ({ module_call: field(k[0]), module: field(k[1]), resources: field(k[2]), integrations: field(k[3]) }),
  ],
  [
    [
      "batch_instance_profile_arn",
      "batch_instance_profile_name",
      "batch_instance_role_arn",
      "batch_instance_role_name",
      "batch_job_role_arn",
      "batch_job_role_name",
      "batch_service_role_arn",
      "batch_service_role_name",
      "spot_fleet_role_arn",
      "spot_fleet_role_name",
    ],
    (k) => ({
      batch_instance_profile_arn: field(k[0]),
      batch_instance_profile_name: field(k[1]),
      batch_instance_role_arn: field(k[2]),
      batch_instance_role_name: field(k[3]),
      batch_job_role_arn: field(k[4]),
      batch_job_role_name: field(k[5]),
      batch_service_role_arn: field(k[6]),
      batch_service_role_name: field(k[7]),
      spot_fleet_role_arn: field(k[8]),
      spot_fleet_role_name: field(k[9]),
    }),
  ],
  [
    ["README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf"],
    (k) => ({ "README.md": field(k[0]), "main.tf": field(k[1]), "outputs.tf": field(k[2]), "variables.tf": field(k[3]), "versions.tf": field(k[4]) }),
  ],
  [
    ["severity", "code", "path", "pointer", "message", "help"],
    (k) => ({ severity: field(k[0]), code: field(k[1]), path: field(k[2]), pointer: field(k[3]), message: field(k[4]), help: field(k[5]) }),
  ],
  [
    ["severity", "code", "path", "pointer", "message"],
    (k) => ({ severity: field(k[0]), code: field(k[1]), path: field(k[2]), pointer: field(k[3]), message: field(k[4]) }),
  ],
];

/** The builders of SHAPES by their keys as JSON text (unambiguous, unlike a joined list). */
const BUILDERS = new Map(SHAPES.map(([keys, build]) => [stringify(keys), build]));

/** Thrown by `field` for a key a shape does not expect. */
const MISFIT = new Error("an object that does not fit its shape");

/** The value of the entry whose key is the name numbered `id`; throws MISFIT for another. */
function field(id) {
  if (ops[at] !== KEY || ops[at + 1] !== id) throw MISFIT;
  at += 2;
  return value();
}

/** Per instance (by its names array): each shape met, by entry count and first key. */
const instanceShapes = new WeakMap();

/** Most entries of an object looked up among SHAPES. */
const MAX_SHAPE = 64;

/** Adds `key` to `object` as an own data property, as JSON.parse does (`__proto__` too). */
function put(object, key, value) {
  if (key === "__proto__") defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** An object of `n` entries read key by key; its keys' numbers go to `ids` when given (-1
 * for a key not numbered). */
function object(n, ids) {
  const object = {};
  for (let i = 0; i < n; i++) {
    if (ids !== undefined) ids.push(ops[at] === DYN_KEY ? -1 : ops[at + 1]);
    const k = key();
    put(object, k, value());
  }
  return object;
}

/** An object of `n` entries at `at` (after its count): by its shape's builder where it has
 * one, else key by key. */
function shaped(n) {
  if (n === 0 || n > MAX_SHAPE || ops[at] !== KEY) return object(n, undefined);
  const slot = ops[at + 1] * (MAX_SHAPE + 1) + n;
  const shape = shapes[slot];
  const start = at;
  if (shape !== undefined) {
    if (shape === null) return object(n, undefined);
    try {
      return shape.build(shape.ids);
    } catch (e) {
      if (e !== MISFIT) throw e;
      at = start;
      return object(n, undefined);
    }
  }
  const ids = [];
  const built = object(n, ids);
  const build = ids.includes(-1) ? undefined : BUILDERS.get(stringify(ids.map((id) => names[id])));
  shapes[slot] = build === undefined ? null : { ids, build };
  return built;
}

// Policy documents cross as JSON text (RAW). Most are the same text call after call (the trust
// policies depend on the partition alone; the inline policy changes when its statements do),
// so each text is parsed once, with a copier made for its value, and every call gets a copy of
// its own: copying a small document costs less than parsing it.

/** The copiers of the documents met, by their JSON text; emptied when it holds MAX_DOCUMENTS. */
const documents = new Map();
const MAX_DOCUMENTS = 64;

/** `JSON.parse(json)`: a new value each time. */
function parsed(json) {
  let copy = documents.get(json);
  if (copy === undefined) {
    if (documents.size >= MAX_DOCUMENTS) documents.clear();
    copy = copier(JSON.parse(json));
    documents.set(json, copy);
  }
  return copy();
}

/**
 * A function that returns a deep copy of `v`, a value JSON.parse made (own keys, `__proto__`
 * included), which is never changed. Each object is copied by a spread and each array by
 * `slice`, which V8 makes at once (a spread defines own properties: `__proto__` too), then the
 * objects and arrays inside are replaced by their copies (an assignment to an own property,
 * `__proto__` included, sets that property).
 */
function copier(v) {
  if (typeof v !== "object" || v === null) return () => v;
  const keys = isArray(v) ? v.keys() : keysOf(v);
  const inner = [];
  const copiers = [];
  for (const key of keys) {
    const item = v[key];
    if (typeof item === "object" && item !== null) {
      inner.push(key);
      copiers.push(copier(item));
    }
  }
  const n = inner.length;
  const shallow = isArray(v) ? () => v.slice() : () => ({ ...v });
  return () => {
    const copy = shallow();
    for (let i = 0; i < n; i++) copy[inner[i]] = copiers[i]();
    return copy;
  };
}

function value() {
  switch (ops[at++]) {
    case NULL:
      return null;
    case TRUE:
      return true;
    case FALSE:
      return false;
    case NUMBER:
      // Little-endian halves, as wasm writes them.
      bits[0] = ops[at];
      bits[1] = ops[at + 1];
      at += 2;
      return float[0];
    case STRING:
      at += 2;
      return slice(ops[at - 2], ops[at - 1]);
    case RAW:
      at += 2;
      return parsed(slice(ops[at - 2], ops[at - 1]));
    case RAW_KEPT:
      // JSON text that is a kept text: the same string every call, its hash kept by V8.
      return parsed(key());
    case KEY:
    case NEW_KEY:
      // A kept text, numbered as names are.
      at--;
      return key();
    case ARRAY: {
      const n = ops[at++];
      const array = [];
      for (let i = 0; i < n; i++) array.push(value());
      return array;
    }
    case OBJECT:
      return shaped(ops[at++]);
    case JOINED: {
      // A string of parts, some of them kept texts: V8 joins strings without copying them.
      const n = ops[at++];
      let joined = "";
      for (let i = 0; i < n; i++) joined += value();
      return joined;
    }
    default:
      throw new Error("internal error: a malformed result tape");
  }
}

/**
 * The JS value of the tape `tapeOps` (a Uint32Array) over the UTF-8 text `tapeBytes` (a
 * Uint8Array); `fieldNames` (an array kept per instance by the Rust side) holds the field
 * names sent before.
 */
export function buildResult(fieldNames, tapeBytes, tapeOps) {
  ops = tapeOps;
  bytes = tapeBytes;
  text = decoder.decode(tapeBytes);
  ascii = text.length === tapeBytes.length;
  names = fieldNames;
  shapes = instanceShapes.get(fieldNames);
  if (shapes === undefined) instanceShapes.set(fieldNames, (shapes = []));
  at = 0;
  try {
    return value();
  } finally {
    ops = bytes = text = names = shapes = undefined;
  }
}
