import * as pkg from "iam-metaflow";
import { probeText } from "./probe.js";

probeText(pkg).then((text) => postMessage(text));
