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

/** A string the Walker keeps as it is: ASCII, or well-formed and already in NFC. */
function plainString(s) {
  return !NON_ASCII.test(s) || (!LONE_SURROGATE.test(s) && s.normalize("NFC") === s);
}

/** Whether `v` (not undefined) at nesting `depth` is plain data. */
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
    if (!plainString(key)) return false;
    const item = v[key];
    if (item !== undefined && !plain(item, depth + 1)) return false;
  }
  return true;
}

/**
 * `[inputs, options]` as JSON text when both are plain data (options may be undefined or null:
 * no options), else undefined. Never throws.
 */
export function plainJson(inputs, options) {
  try {
    // JSON.stringify calls an inherited toJSON; the Walker does not.
    if (OBJECT_PROTO.toJSON !== undefined || ARRAY_PROTO.toJSON !== undefined) return undefined;
    budget = MAX_VALUES;
    if (inputs === undefined || !plain(inputs, 0)) return undefined;
    if (options === undefined || options === null) return `[${stringify(inputs)},null]`;
    if (!plain(options, 0)) return undefined;
    return `[${stringify(inputs)},${stringify(options)}]`;
  } catch {
    return undefined;
  }
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
      return JSON.parse(slice(ops[at - 2], ops[at - 1]));
    case ARRAY: {
      const n = ops[at++];
      const array = [];
      for (let i = 0; i < n; i++) array.push(value());
      return array;
    }
    case OBJECT: {
      const n = ops[at++];
      const object = {};
      for (let i = 0; i < n; i++) {
        const k = key();
        const v = value();
        if (k === "__proto__") defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
        else object[k] = v;
      }
      return object;
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
  at = 0;
  try {
    return value();
  } finally {
    ops = bytes = text = names = undefined;
  }
}
