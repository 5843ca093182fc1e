// A server component: generate runs at build (prerender, in Node), its result is in the HTML.
import { generate } from "iam-metaflow";
import Probe from "./probe";

export default function Page() {
  return (
    <main>
      <p id="ssr">{generate({ name_prefix: "ssr" }).roles[0].name}</p>
      <Probe />
    </main>
  );
}
