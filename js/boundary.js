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

const OBJECT = Object.prototype;
const ARRAY = Array.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const keysOf = Object.keys;
const ownKeys = Reflect.ownKeys;
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
    if (proto !== ARRAY) return false;
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
  if (proto !== OBJECT && proto !== null) return false;
  const keys = keysOf(v);
  const n = keys.length;
  // Symbol keys and non-enumerable keys: the Walker and JSON.stringify differ on them.
  if (n > MAX_ELEMENTS || ownKeys(v).length !== n) return false;
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
    if (OBJECT.toJSON !== undefined || ARRAY.toJSON !== undefined) return undefined;
    budget = MAX_VALUES;
    if (inputs === undefined || !plain(inputs, 0)) return undefined;
    if (options === undefined || options === null) return `[${stringify(inputs)},null]`;
    if (!plain(options, 0)) return undefined;
    return `[${stringify(inputs)},${stringify(options)}]`;
  } catch {
    return undefined;
  }
}
