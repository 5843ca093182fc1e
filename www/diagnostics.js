// Diagnostics: each next to the field it is about (a message, aria-describedby and
// aria-invalid), their count, and the list under the Diagnostics tab.
//
// Only what changed is touched: a field whose messages are the same keeps them, so typing
// that changes no diagnostic changes nothing here. Which field a diagnostic belongs to is
// found through a map of the form's fields by JSON pointer, made again only when the form's
// structure changed (a MutationObserver says when). The list is built only when its tab is
// shown.
import { $, h, uid, pointerOf } from "./dom.js";

const form = $("inputs");
const raw = $("raw-json");

/** Diagnostic codes about a map key rather than its value. */
const KEY_CODES = new Set([
  "tag_key_length", "tag_key_chars", "tag_key_reserved", "tag_key_duplicate", "duplicate_key",
]);
/** Diagnostics about the whole configuration, shown at the field closest to their subject. */
const ROOT_CODE_TARGET = {
  broad_default_policies: "/additional_job_policy_arns", // the job role's managed policies
};
/** Statement-level codes and the attribute the field for them is under. */
const STATEMENT_CODE_TARGET = {
  action_missing: "actions",
  action_conflict: "not_actions",
  resource_missing: "resources",
  resource_conflict: "not_resources",
};

// The fields by pointer ---------------------------------------------------------------------------

let fieldMap = null;
const isMessage = (n) => n.nodeType === 1 && n.classList.contains("msg");
/** Whether mutations changed the form's fields (not only the messages shown in it). */
const structural = (records) =>
  records.some((r) => r.type === "attributes" || ![...r.addedNodes, ...r.removedNodes].every(isMessage));
const watcher = new MutationObserver((records) => {
  if (structural(records)) fieldMap = null;
});
watcher.observe(form, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-seg", "data-field"] });

/** Every `[data-field]` element by its pointer. */
function fields() {
  if (structural(watcher.takeRecords())) fieldMap = null;
  if (fieldMap) return fieldMap;
  fieldMap = new Map();
  for (const el of document.querySelectorAll("[data-field]")) {
    const p = pointerOf(el);
    if (!fieldMap.has(p)) fieldMap.set(p, []);
    fieldMap.get(p).push(el);
  }
  return fieldMap;
}

/** The form element a diagnostic belongs to: its pointer, or the nearest ancestor's field. */
function targetOf(d) {
  if (d.element?.isConnected) return d.element;
  const map = fields();
  const choose = (cands) => {
    const keyFirst = KEY_CODES.has(d.code);
    return cands.find((c) => (c.dataset.part === "key") === keyFirst) ?? cands[0];
  };
  let p = typeof d.pointer === "string" ? d.pointer : "";
  if (p === "" && ROOT_CODE_TARGET[d.code]) p = ROOT_CODE_TARGET[d.code];
  const sub = STATEMENT_CODE_TARGET[d.code];
  if (sub && map.has(`${p}/${sub}`)) return choose(map.get(`${p}/${sub}`));
  for (;;) {
    if (map.has(p)) return choose(map.get(p));
    if (p === "") return raw;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

const textOf = (d) => `${d.message}${d.help ? ` — ${d.help}` : ""}`;
const keyOf = (list) => list.map((d) => `${d.severity}\u0000${d.code}\u0000${textOf(d)}`).join("\u0001");

// The messages next to the fields ---------------------------------------------------------------

/** The fields showing messages: field -> { key, messages, describedBy (before them) }. */
let shown = new Map();
/** The list of the last diagnostics shown, to tell whether the Diagnostics tab is current. */
let listKey = null;
let current = [];

/** Shows `diagnostics` next to their fields and in the counts (`hasResult`: whether a result
 *  is shown); returns whether they differ from the ones shown before (the Diagnostics tab is
 *  then out of date). */
export function showDiagnostics(diagnostics, hasResult) {
  current = diagnostics;
  const wanted = new Map();
  for (const d of diagnostics) {
    const target = targetOf(d);
    if (!wanted.has(target)) wanted.set(target, []);
    wanted.get(target).push(d);
  }
  const next = new Map();
  for (const [target, entry] of shown) {
    const list = wanted.get(target);
    if (list && target.isConnected && keyOf(list) === entry.key) {
      next.set(target, entry);
      wanted.delete(target);
    } else {
      unmark(target, entry);
    }
  }
  for (const [target, list] of wanted) next.set(target, mark(target, list));
  shown = next;

  showCounts(diagnostics, hasResult);
  const key = diagnostics.map((d) => `${keyOf([d])}\u0000${d.path}\u0000${d.pointer}`).join("\u0001");
  const changed = key !== listKey;
  listKey = key;
  return changed;
}

function mark(target, list) {
  const describedBy = target.getAttribute("aria-describedby");
  const container = target.closest(".row, .field, fieldset") ?? target.parentElement;
  const messages = list.map((d) => {
    const msg = h("p", { class: `msg ${d.severity}`, id: uid("msg"), "data-code": d.code },
      h("span", { class: "sev", text: d.severity === "error" ? "Error" : d.severity === "warning" ? "Warning" : "Note" }),
      ` ${textOf(d)}`,
    );
    container.append(msg);
    return msg;
  });
  target.setAttribute("aria-describedby", [describedBy, ...messages.map((m) => m.id)].filter(Boolean).join(" "));
  if (list.some((d) => d.severity === "error")) target.setAttribute("aria-invalid", "true");
  return { key: keyOf(list), messages, describedBy };
}

function unmark(target, { messages, describedBy }) {
  for (const msg of messages) msg.remove();
  if (describedBy) target.setAttribute("aria-describedby", describedBy);
  else target.removeAttribute("aria-describedby");
  target.removeAttribute("aria-invalid");
}

const setText = (el, text) => {
  if (el.textContent !== text) el.textContent = text;
};

function showCounts(diagnostics, hasResult) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  const parts = [];
  if (counts.error) parts.push(`${counts.error} error${counts.error > 1 ? "s" : ""}`);
  if (counts.warning) parts.push(`${counts.warning} warning${counts.warning > 1 ? "s" : ""}`);
  if (counts.info) parts.push(`${counts.info} note${counts.info > 1 ? "s" : ""}`);
  const summary = parts.length ? parts.join(", ") : "No problems found.";
  const count = $("diag-count");
  setText(count, counts.error && hasResult ? `${summary} — the result shows the last valid inputs.` : summary);
  count.dataset.errors = String(counts.error);
  const badge = $("diag-badge");
  setText(badge, diagnostics.length ? String(diagnostics.length) : "");
  badge.className = `badge ${counts.error ? "error" : counts.warning ? "warning" : ""}`;
}

// The list under the Diagnostics tab -------------------------------------------------------------

/** The list of the diagnostics last shown, for the Diagnostics tab. */
export function diagnosticsList() {
  const items = current.map((d) =>
    h("li", { class: `diag ${d.severity}`, "data-code": d.code, "data-pointer": d.pointer ?? "" },
      h("span", { class: "sev", text: d.severity }),
      h("code", { class: "code", text: d.code }),
      h("button", { type: "button", class: "jump", text: d.path || (d.pointer ?? "") || "inputs", onclick: () => focusField(d) }),
      h("span", { class: "text", text: textOf(d) }),
    ));
  if (!items.length) items.push(h("li", { class: "none", text: "No diagnostics." }));
  return h("ul", { id: "diag-list", class: "diag-list" }, items);
}

/** Moves the focus to the field of `d`; in the raw JSON, selects what it is about. */
function focusField(d) {
  const target = targetOf(d);
  target.focus();
  target.scrollIntoView({ block: "center" });
  const position = d.code === "json_syntax" ? /position (\d+)/.exec(d.message) : null;
  if (target === raw && position) {
    const at = Number(position[1]);
    raw.setSelectionRange(at, at + 1);
  } else if (target === raw && d.pointer) {
    const token = d.pointer.slice(d.pointer.lastIndexOf("/") + 1).replaceAll("~1", "/").replaceAll("~0", "~");
    const at = raw.value.indexOf(JSON.stringify(token));
    if (at >= 0) raw.setSelectionRange(at, at + JSON.stringify(token).length);
  }
}
