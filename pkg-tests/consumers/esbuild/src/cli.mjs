// A Node CLI, bundled with its dependencies into one file: nothing of the package stays where
// it was installed.
import * as pkg from "iam-metaflow";
import { probe } from "../probe.js";

probe(pkg).then((result) => console.log(JSON.stringify(result)));
