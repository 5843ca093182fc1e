// The raw JSON editor, and the way in for any text of inputs.
//
// `acceptText(text, format)` is that way in: the text passes the limits below and the reader
// of its format (READERS), then becomes the inputs (form.js `acceptInputs`); or the reason it
// cannot becomes the editor's diagnostic while the form and the result keep the last inputs
// that could be read. The editor calls it with what is typed; another way in (opening or
// dropping a `.tfvars` or `.tf` file) adds a reader to READERS, calls
// `acceptText(text, "hcl")`, then `showRaw(state.inputs)` to show the JSON. A shared link
// passes the same limits (link.js). A paste or drop over the size limit is refused before it
// reaches the editor.
//
// Every such text is untrusted. Before it is parsed it must pass two limits: its size and how
// deep it nests. The page's own work on a value (JSON.stringify for the raw editor, the form,
// the engine's walk) recurses, so the nesting limit keeps it from a stack overflow; the size
// limit keeps a pasted or linked text from freezing the tab. No variable of the module nests
// deeper than 7 levels, and the largest configuration IAM accepts (a 10,240-character inline
// policy) is a few tens of KB: both limits leave ample room.
import { $ } from "./dom.js";
import { setProblems, update } from "./state.js";
import { acceptInputs } from "./form.js";

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

// The editor ------------------------------------------------------------------------------------

const raw = $("raw-json");
const refused = $("raw-refused");

/** Makes the inputs in `text` (of `format`, see READERS) the inputs; `start` is the
 *  triggering event's time, for the page's measures. */
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

// A paste or drop over the limit is refused whole: the editor keeps its text.
raw.addEventListener("beforeinput", (e) => {
  if (e.inputType !== "insertFromPaste" && e.inputType !== "insertFromDrop") return;
  const text = e.data ?? e.dataTransfer?.getData("text/plain") ?? "";
  if (!overBytes(text, LIMITS.bytes)) return;
  e.preventDefault();
  refused.textContent = `The pasted text was not inserted: it is larger than ${sizeText(LIMITS.bytes)}, the page's limit. Give the module's variables only.`;
  refused.hidden = false;
});
