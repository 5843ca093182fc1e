// A page: rendered in Node by the static build (the import only), probed in the browser.
import { useEffect, useState } from "react";
import * as pkg from "iam-metaflow";
import { probeText } from "../../probe.js";

export default function Page() {
  const [result, setResult] = useState("");
  useEffect(() => void probeText(pkg).then(setResult), []);
  return <pre id="result">{result}</pre>;
}
