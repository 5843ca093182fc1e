// A module Worker: import maps do not reach Workers, so the path is spelled out.
import * as pkg from "./node_modules/iam-metaflow/dist/web/index.js";
import { probeText } from "./probe.js";

probeText(pkg).then((text) => postMessage(text));
