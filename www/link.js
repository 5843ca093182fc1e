// The configuration in the URL: `#v1=` then base64url(deflate-raw(JSON of `{ i, o }`)), `i` the
// inputs and `o` the options that differ from their defaults. The codec, and when the URL is
// written and read.
//
// A link is untrusted input:
//
// - a 400 KB link can inflate to 300 MB (deflate's ratio reaches about 1:1000), so the link
//   is inflated as a stream fed 1 KB at a time — at most about 1 MB of output each — and
//   dropped as soon as the output passes LIMITS.bytes (1 MiB): memory and time stay bounded
//   whatever the link holds;
// - what it inflates to then passes the same limits as any inputs text (raw-editor.js):
//   UTF-8, nesting, JSON;
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
import { LIMITS, checkLimits, sizeText } from "./raw-editor.js";
import { state } from "./state.js";

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
  if (location.hash !== hash) history.replaceState(null, "", hash);
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
