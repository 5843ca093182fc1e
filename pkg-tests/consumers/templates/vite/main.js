// The Vite projects' page. ?probe=worker probes in a module Worker instead, and ?probe=web (dev
// server only) the "iam-metaflow/web" entry (the wasm as a file): Vite ≤ 7's dev server cannot
// serve it, and its error must name the fix. No top-level await: Vite 5 and 6's default build
// targets refuse it.
import * as pkg from "iam-metaflow";
import { probeText } from "./probe.js";

const show = (text) => (document.querySelector("#result").textContent = text);
const mode = new URLSearchParams(location.search).get("probe");
if (mode === "worker") {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e) => show(e.data);
} else if (mode === "web" && import.meta.env.DEV) import("iam-metaflow/web").then(probeText).then(show);
else probeText(pkg).then(show);
