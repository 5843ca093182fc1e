// Small DOM helpers shared by every view. User text reaches the DOM only through these: as text
// nodes, attribute values and form values, never as HTML.

export const $ = (id) => document.getElementById(id);

let uidCounter = 0;
/** A page-unique id with `prefix`. */
export const uid = (prefix) => `${prefix}-${++uidCounter}`;

/** Creates an element; `text` sets textContent, `on*` adds listeners, others are attributes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";
/** `h` for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = Boolean(v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

/**
 * Makes `parent`'s children exactly `nodes`, touching only what differs: a node already in
 * place stays (the browser keeps its layout), others are inserted, the rest removed. Views
 * call it with the nodes of their last render reused where nothing changed.
 */
export function reconcile(parent, nodes) {
  let at = parent.firstChild;
  for (const node of nodes) {
    if (node === at) {
      at = at.nextSibling;
      continue;
    }
    parent.insertBefore(node, at);
  }
  while (at) {
    const next = at.nextSibling;
    at.remove();
    at = next;
  }
}

/**
 * Elements of one view kept between renders by key: `get(key, deps, build)` returns the
 * element built for `key` while `deps` (a string) is unchanged, else builds it anew. `sweep()`
 * forgets the keys not asked for since the last sweep.
 */
export class Parts {
  #kept = new Map();
  #used = new Set();

  get(key, deps, build) {
    this.#used.add(key);
    const kept = this.#kept.get(key);
    if (kept && kept.deps === deps) return kept.el;
    const el = build();
    this.#kept.set(key, { deps, el });
    return el;
  }

  sweep() {
    for (const key of this.#kept.keys()) if (!this.#used.has(key)) this.#kept.delete(key);
    this.#used.clear();
  }
}

/** RFC 6901: escapes one reference token. */
export const escapeToken = (t) => String(t).replaceAll("~", "~0").replaceAll("/", "~1");

/** The JSON pointer of a form element: the `data-seg` tokens of it and its ancestors. */
export function pointerOf(el) {
  const segs = [];
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    if (e.dataset && e.dataset.seg !== undefined) segs.unshift(e.dataset.seg);
  }
  return segs.map((t) => "/" + escapeToken(t)).join("");
}

export const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The text the raw editor shows for a value. */
export const pretty = (v) => JSON.stringify(v, null, 2);

/** Runs `task` when the browser is idle (soon in browsers without requestIdleCallback); the
 *  task gets a deadline with `timeRemaining()`. */
export function whenIdle(task) {
  if (typeof requestIdleCallback === "function") return requestIdleCallback(task, { timeout: 500 });
  return setTimeout(() => task({ timeRemaining: () => 8, didTimeout: false }), 16);
}

/** Runs `task` once the next frame has been painted. */
export function afterPaint(task) {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => task();
    channel.port2.postMessage(null);
  });
}
