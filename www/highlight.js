// Syntax colouring of the result's texts: small tokenizers for JSON and HCL, and a renderer
// that keeps the cost of a change proportional to what changed.
//
// A text is shown as chunks of about CHUNK_LINES lines, each a block of its own (its layout is
// the browser's to reuse, and `content-visibility: auto` skips the chunks scrolled out of
// view). A chunk always starts where the tokenizer is at the top level at the start of a line,
// so it can be tokenized on its own. When the text changes, the chunks of the unchanged start
// and end are kept as they are — elements, colours and layout — and only the chunks between
// are made again. New chunks are coloured at once up to SYNC_CHARS characters; the rest are
// shown as plain text first and coloured when the browser is idle, a few at a time, so a long
// text never blocks typing. The text content is complete at every moment.
import { h, reconcile, whenIdle } from "./dom.js";

/** Lines in a chunk (at least; a chunk ends at the first line start where it may). */
const CHUNK_LINES = 16;
/** Characters of new chunks coloured at once (more than a code block shows without
 *  scrolling); the rest are coloured when idle. */
const SYNC_CHARS = 3_000;
/** Most milliseconds of colouring in one idle task: a key pressed meanwhile waits no longer. */
const IDLE_BUDGET = 4;

/** What each code element shows: `{ text, lang, chunks }`; a chunk is `{ start, end, el }`. */
const shown = new WeakMap();

/** Shows `text` in `code` (an element inside a `pre.code`), coloured as `lang` ("json",
 *  "hcl" or plain text for anything else). */
export function renderCode(code, text, lang) {
  const before = shown.get(code);
  if (before && before.text === text && before.lang === lang) return;
  const tokenize = TOKENIZERS[lang] ?? tokenizeText;
  const old = before?.lang === lang ? before : null;

  // The chunks of the unchanged start stay.
  const prefix = old ? commonPrefix(old.text, text) : 0;
  const chunks = [];
  let oldIndex = 0;
  if (old) {
    while (oldIndex < old.chunks.length && old.chunks[oldIndex].end <= prefix) chunks.push(old.chunks[oldIndex++]);
  }
  // The chunks of the unchanged end can stay from where a new chunk ends on one of their
  // starts: the text after that point is the same and the tokenizer is at the top level there.
  const delta = old ? text.length - old.text.length : 0;
  const tail = new Map(); // start in the new text -> index of the old chunk
  if (old) {
    const suffix = commonSuffix(old.text, text, prefix);
    for (let i = oldIndex; i < old.chunks.length; i++) {
      if (old.text.length - old.chunks[i].start <= suffix) tail.set(old.chunks[i].start + delta, i);
    }
  }
  let at = chunks.length ? chunks[chunks.length - 1].end : 0;
  let budget = SYNC_CHARS;
  while (at < text.length) {
    const reuse = tail.get(at);
    if (reuse !== undefined) {
      for (let i = reuse; i < old.chunks.length; i++) {
        const c = old.chunks[i];
        chunks.push({ start: c.start + delta, end: c.end + delta, el: c.el });
      }
      break;
    }
    const { tokens, end, lines } = tokenize(text, at, (pos, count) => count >= CHUNK_LINES || tail.has(pos));
    const el = h("span", { class: "chunk" });
    el.style.setProperty("--lines", String(lines));
    if (budget > 0) {
      el.append(fragment(tokens));
      budget -= end - at;
    } else {
      el.append(text.slice(at, end));
      queue.push({ el, tokens });
    }
    chunks.push({ start: at, end, el });
    at = end;
  }
  // Only the chunks that changed are replaced: the kept ones are not touched.
  reconcile(code, chunks.map((c) => c.el));
  shown.set(code, { text, lang, chunks });
  if (queue.length && !idleScheduled) {
    idleScheduled = true;
    whenIdle(colourWhenIdle);
  }
}

/** Chunks shown as plain text, to be coloured when the browser is idle. */
const queue = [];
let idleScheduled = false;

function colourWhenIdle(deadline) {
  idleScheduled = false;
  const start = performance.now();
  const end = start + Math.min(IDLE_BUDGET, deadline.timeRemaining());
  while (queue.length && performance.now() < end) {
    const { el, tokens } = queue.shift();
    if (el.isConnected) el.replaceChildren(fragment(tokens));
  }
  performance.measure("highlight-idle", { start, end: performance.now() });
  // Chunks of a text replaced since are dropped when reached (not connected).
  if (queue.length) {
    idleScheduled = true;
    whenIdle(colourWhenIdle);
  }
}

/** The text of `tokens` as text nodes and spans. */
function fragment(tokens) {
  const frag = document.createDocumentFragment();
  let plain = "";
  for (const [kind, t] of tokens) {
    if (!kind) {
      plain += t;
      continue;
    }
    if (plain) frag.append(plain);
    plain = "";
    frag.append(h("span", { class: `t-${kind}`, text: t }));
  }
  if (plain) frag.append(plain);
  return frag;
}

function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b`, not reaching into their first `prefix`. */
function commonSuffix(a, b, prefix) {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Tokenizers. Each takes the text, where to start (the start of a line, at the top level) and
// `stop(pos, lines)`, asked at each later line start at the top level; it returns the tokens
// (`[kind, text]`, kind null for plain text) up to the first line start where `stop` says yes
// (or the end), that position and how many lines it covered.

const TOKENIZERS = { json: tokenizeJson, hcl: tokenizeHcl };

function tokenizeText(text, start, stop) {
  const tokens = [];
  let at = start;
  let lines = 0;
  while (at < text.length) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl + 1;
    tokens.push([null, text.slice(at, end)]);
    at = end;
    lines++;
    if (at < text.length && stop(at, lines)) break;
  }
  return { tokens, end: at, lines };
}

const JSON_TOKEN = /("(?:[^"\\\n]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])|(\n)|[^\S\n]+|[^"\s{}[\],\d-]+|[^]/y;

function tokenizeJson(text, start, stop) {
  const tokens = [];
  let at = start;
  let lines = 0;
  while (at < text.length) {
    JSON_TOKEN.lastIndex = at;
    const m = JSON_TOKEN.exec(text); // always matches: its last branch takes any character
    at = JSON_TOKEN.lastIndex;
    if (m[1]) {
      tokens.push([m[2] ? "key" : "str", m[1]]);
      if (m[2]) tokens.push([null, m[2]]);
    } else if (m[3]) tokens.push(["num", m[3]]);
    else if (m[4]) tokens.push(["lit", m[4]]);
    else if (m[5]) tokens.push(["punct", m[5]]);
    else if (m[6]) {
      tokens.push([null, m[6]]);
      lines++;
      if (at < text.length && stop(at, lines)) break;
    } else tokens.push([null, m[0]]);
  }
  return { tokens, end: at, lines: Math.max(lines, 1) };
}

const NUM = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][\w-]*/y;
const AFTER = /[ \t]*(.)/y;

function tokenizeHcl(text, start, stop) {
  const out = [];
  let i = start;
  let lineStart = true;
  let lines = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const rest = text.slice(i, i + 2);
    if (c === "\n") {
      out.push([null, c]);
      i++;
      lineStart = true;
      lines++;
      if (i < n && stop(i, lines)) break;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      let j = i;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\r")) j++;
      out.push([null, text.slice(i, j)]);
      i = j;
      continue;
    }
    if (c === "#" || rest === "//") {
      const j = text.indexOf("\n", i);
      const end = j < 0 ? n : j;
      out.push(["com", text.slice(i, end)]);
      i = end;
      continue;
    }
    if (rest === "/*") {
      const j = text.indexOf("*/", i + 2);
      const end = j < 0 ? n : j + 2;
      out.push(["com", text.slice(i, end)]);
      i = end;
      continue;
    }
    if (rest === "<<") {
      const m = /^<<-?([A-Za-z_][\w-]*)\n/.exec(text.slice(i, i + 200));
      if (m) {
        const close = new RegExp(`\\n[ \\t]*${m[1]}(?=\\n|$)`, "g");
        close.lastIndex = i + m[0].length - 1;
        const e = close.exec(text);
        const end = e ? e.index + e[0].length : n;
        out.push(["str", text.slice(i, end)]);
        i = end;
        lineStart = false;
        continue;
      }
    }
    if (c === '"') {
      i = hclString(text, i, out);
      lineStart = false;
      continue;
    }
    NUM.lastIndex = i;
    const num = NUM.exec(text);
    if (num) {
      out.push(["num", num[0]]);
      i += num[0].length;
      lineStart = false;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(text);
    if (id) {
      const word = id[0];
      const end = i + word.length;
      AFTER.lastIndex = end;
      const after = AFTER.exec(text);
      const next = after ? after[1] : "";
      let kind = null;
      if (word === "true" || word === "false" || word === "null") kind = "lit";
      else if (next === "=" && text[AFTER.lastIndex] !== "=") kind = "attr";
      else if (lineStart && (next === '"' || next === "{")) kind = "block";
      out.push([kind, word]);
      i = end;
      lineStart = false;
      continue;
    }
    out.push([/[{}[\]()=,:]/.test(c) ? "punct" : null, c]);
    i++;
    lineStart = false;
  }
  return { tokens: out, end: i, lines: Math.max(lines, 1) };
}

/** A quoted HCL string from `start`, with `${…}` interpolations marked; returns the end. */
function hclString(text, start, out) {
  let i = start + 1;
  let from = start;
  const n = text.length;
  while (i < n && text[i] !== '"' && text[i] !== "\n") {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if ((text[i] === "$" || text[i] === "%") && text[i + 1] === text[i] && text[i + 2] === "{") {
      i += 3; // $${ and %%{ are literal
      continue;
    }
    if ((text[i] === "$" || text[i] === "%") && text[i + 1] === "{") {
      if (i > from) out.push(["str", text.slice(from, i)]);
      let depth = 0;
      let j = i + 1;
      for (; j < n; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
        else if (text[j] === "\n") break;
      }
      out.push(["interp", text.slice(i, j + 1)]);
      i = j + 1;
      from = i;
      continue;
    }
    i++;
  }
  const end = Math.min(n, text[i] === '"' ? i + 1 : i);
  if (end > from) out.push(["str", text.slice(from, end)]);
  return end;
}
