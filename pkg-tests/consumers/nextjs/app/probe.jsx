"use client";
// A client component: prerendered in Node at build (the import only), probed in the browser.
import { useEffect, useState } from "react";
import * as pkg from "iam-metaflow";
import { probeText } from "../probe.js";

export default function Probe() {
  const [result, setResult] = useState("");
  useEffect(() => void probeText(pkg).then(setResult), []);
  return <pre id="result">{result}</pre>;
}
