// The page's script, bundled into dist/main.js (webpack, esbuild, Rollup).
import * as pkg from "iam-metaflow";
import { probeText } from "../probe.js";

probeText(pkg).then((text) => (document.querySelector("#result").textContent = text));
