// The page's start, and its map. The page is plain ES modules by concern, no framework and no
// bundler; the engine is the package's web build in ./pkg/ (a copy made by scripts/build.sh).
//
//   start.js        this file: loads the engine and the link together, registers the views,
//                   the first render, the buttons
//   state.js        the one state object and its owner: changing it, evaluating it (the
//                   engine's generate), telling the views; inputs from a text within the page's
//                   limits; the URL codec (#v1=) and writing the URL
//   form.js         the form: showing the inputs (only what changed), reading edits back; the
//                   raw JSON editor and its input path (acceptText)
//   editors.js      the form's editors: lists, tags, statements, conditions; suggestions
//   diagnostics.js  messages at their fields, counts, the Diagnostics tab's list
//   highlight.js    tokenizers; chunked, incremental colouring of long texts
//   panels.js       tabs, the result's panels, file blocks; copy, download, the status line
//   picture.js      the SVG of the roles, redrawn when the roles it shows change
//   zip.js          the zip of everything (with its library, imported when first idle)
//   dom.js          small DOM helpers: h, s, reconcile, Parts, pointers
//
// index.html preloads the wasm and every module of the start (a module added to the start goes
// there too), so that they load in parallel; each request counts (about 6 ms each on a busy
// machine, measured), hence modules by concern rather than smaller.
import init, { conditionOperators, version } from "./pkg/index.js";
import { $, afterPaint, whenIdle } from "./dom.js";
import { state, preset, setOptions, onUpdate, readHash, saveNow, saveSoon } from "./state.js";
import { acceptInputs, showOptions, showRaw } from "./form.js";
import { suggestionLists } from "./editors.js";
import { showDiagnostics } from "./diagnostics.js";
import { showPicture } from "./picture.js";
import { copyText, diagnosticsChanged, download, renderActivePanel, resultChanged, status } from "./panels.js";

const DEFAULT_PRESET = "advanced";

// The views, in the order they are told of each evaluation.
onUpdate("diagnostics", () => {
  if (showDiagnostics(state.diagnostics, state.lastGood !== null)) diagnosticsChanged();
});
onUpdate("picture", (fresh) => {
  if (fresh || !state.lastGood) showPicture(state.lastGood);
});
onUpdate("panel", (fresh) => {
  if (fresh) resultChanged();
  const stale = state.stale && state.lastGood !== null;
  document.body.classList.toggle("is-stale", stale);
  $("stale-note").hidden = !stale;
  renderActivePanel();
});
onUpdate("link", saveSoon);
let firstOutput = false;
onUpdate("marks", (fresh) => {
  document.body.dataset.updates = String(state.evaluations);
  if (fresh && !firstOutput) {
    firstOutput = true;
    performance.mark("first-output");
    afterPaint(() => performance.mark("first-output-painted"));
  }
});

/** Says why the link could not be read, and that a preset is shown instead. */
function linkProblem(reason) {
  const note = $("link-problem");
  note.textContent = `The configuration in the link could not be read: ${reason}. Showing the ${DEFAULT_PRESET} example instead.`;
  note.hidden = false;
}

/** The configuration `readHash` found, or null; says why when a link cannot be read. */
function fromLink(link) {
  $("link-problem").hidden = true;
  if (!link?.error) return link;
  linkProblem(link.error);
  return null;
}

/** Shows `inputs` and `options`: the options' fields, the form, the raw editor, the result. */
function show(inputs, options, start) {
  setOptions(options);
  showOptions();
  acceptInputs(inputs, start);
  showRaw(state.inputs);
}

async function start() {
  performance.mark("start");
  if (new URLSearchParams(location.search).get("embed") === "1") document.documentElement.classList.add("embed");
  // The engine (fetched and compiled as it streams in) and the link (inflated by the browser)
  // load together.
  const begun = performance.now();
  const link = readHash().finally(() => performance.measure("link-read", { start: begun, end: performance.now() }));
  try {
    await init();
  } catch (err) {
    $("loading").textContent = `The engine could not load: ${err.message}`;
    return;
  }
  performance.mark("engine-ready");
  $("version").textContent = version();
  $("loading").remove();
  $("form-fields").append(...suggestionLists(conditionOperators()));
  const linked = fromLink(await link);
  if (linked) show(linked.inputs, linked.options);
  else show(preset(DEFAULT_PRESET), {});
  await saveNow();
  document.body.dataset.ready = "true";
  afterPaint(() => (document.body.dataset.painted = "true"));
  // Not needed for the first render, but needed offline: the zip, once idle.
  whenIdle(() => zip().catch(() => {}));
}

for (const button of document.querySelectorAll("[data-preset]")) {
  button.addEventListener("click", (e) => {
    const name = button.dataset.preset;
    $("link-problem").hidden = true;
    show(preset(name), {}, e.timeStamp);
    status(`Loaded the ${name} preset.`);
  });
}

// A link pasted into the address bar of an open page changes only the hash.
addEventListener("hashchange", async () => {
  const linked = fromLink(await readHash());
  if (!linked) return; // not a configuration (`#inputs`, the skip link), or unreadable
  show(linked.inputs, linked.options);
  saveNow();
});

addEventListener("pagehide", () => saveNow());
addEventListener("visibilitychange", () => document.visibilityState === "hidden" && saveNow());

/** The zip module, with its library. */
const zip = () => import("./zip.js");

$("download-zip").addEventListener("click", async () => {
  if (!state.lastGood) return status("Nothing to download yet: fix the errors first.");
  const { zipOf } = await zip();
  const { name, bytes } = await zipOf(state.lastGood);
  download(name, bytes, "application/zip");
});
$("copy-link").addEventListener("click", async () => {
  await saveNow();
  copyText(location.href, "the link");
});

start();
