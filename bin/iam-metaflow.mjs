#!/usr/bin/env node
// The iam-metaflow CLI: evaluates the iam_metaflow module for a terraform.tfvars.json, a
// terraform.tfvars or a .tf's module block, and writes the module call, the module's files, the
// resources version and result.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { parseArgs } from "node:util";
import { fromHcl, generate, version } from "iam-metaflow";

const HELP = `Usage: iam-metaflow --input terraform.tfvars[.json]|main.tf [--options options.json] --out DIR

Evaluates the iam_metaflow Terraform module for the inputs and writes into DIR:
  main.tf                 the module call (options.module_name, options.module_source)
  <module_source>/        the wrapper module's files (main.tf, variables.tf, outputs.tf,
                          versions.tf, README.md) when module_source is a relative path
                          inside DIR (default ./shared-modules/wrapped/iam_metaflow);
                          modules/iam_metaflow/ otherwise
  resources/main.tf       the same infrastructure as plain aws resources, no module
  integrations.tf.example the seed's integration with other modules
  result.json             everything generate() returns (roles, policies, outputs, hcl)

Diagnostics are printed to stderr, one a line, with their path:
  error [unknown_key] tag: unknown key "tag" ... (did you mean "tags"? ...)

Options:
  -i, --input FILE     the module's variables: a terraform.tfvars.json (.json), a
                       terraform.tfvars (.tfvars) or a .tf holding the module block (.tf);
                       - for stdin; stdin and other names are JSON when they start with {
  -m, --module NAME    the module block to read from a .tf that has several
  -o, --options FILE   options as JSON: module_name, module_source, account_id, partition
                       (over those of the module block)
  -d, --out DIR        where to write the files (created when missing)
  -q, --quiet          print errors only
  -h, --help           this text
  -v, --version        the version

Exit status: 0 written (warnings may be printed), 1 the inputs have errors (nothing written),
2 usage error or unreadable input.`;

function usage(message) {
  process.stderr.write(`iam-metaflow: ${message}\n\nRun iam-metaflow --help for usage.\n`);
  process.exit(2);
}

/** The same text as the Rust `Display` of a diagnostic. */
function format(d) {
  const line = d.line === undefined ? "" : `line ${d.line}, column ${d.column}`;
  const at = d.path === "" ? line || "(root)" : line === "" ? d.path : `${d.path} (${line})`;
  return `${d.severity} [${d.code}] ${at}: ${d.message}${d.help === undefined ? "" : ` (${d.help})`}`;
}

/**
 * The inputs of FILE and the options its module block gives: JSON, or HCL read by fromHcl
 * (.tfvars, .tf). The HCL's diagnostics are printed; an error among them exits 1.
 */
async function readInputs(file, module, quiet) {
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    usage(`cannot read the input ${file}: ${e.message}`);
  }
  const hcl = /\.(tfvars|tf)$/i.test(file) || (!/\.json$/i.test(file) && !/^\uFEFF?\s*\{/.test(text));
  if (!hcl) {
    if (module !== undefined) usage(`--module reads a .tf; the input ${file} is JSON`);
    try {
      return { inputs: JSON.parse(text), options: {} };
    } catch (e) {
      usage(`the input ${file} is not JSON: ${e.message}`);
    }
  }
  const read = await fromHcl(text, { module });
  const errors = read.diagnostics.filter((d) => d.severity === "error").length;
  for (const d of read.diagnostics) {
    if (!quiet || d.severity === "error") process.stderr.write(`${format(d)}\n`);
  }
  if (errors > 0) {
    process.stderr.write(`iam-metaflow: ${errors} error${errors === 1 ? "" : "s"} in ${file}; nothing written\n`);
    process.exit(1);
  }
  return read;
}

function readJson(file, what) {
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    usage(`cannot read the ${what} ${file}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    usage(`the ${what} ${file} is not JSON: ${e.message}`);
  }
}

/** Where the module's files go: module_source when it is a relative path inside DIR. */
function moduleDir(source) {
  if (typeof source === "string" && (source.startsWith("./") || source.startsWith("../"))) {
    const dir = normalize(source);
    if (!isAbsolute(dir) && dir !== ".." && !dir.startsWith(`..${sep}`) && dir !== ".") return dir;
  }
  return join("modules", "iam_metaflow");
}

let args;
try {
  args = parseArgs({
    options: {
      input: { type: "string", short: "i" },
      module: { type: "string", short: "m" },
      options: { type: "string", short: "o" },
      out: { type: "string", short: "d" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    strict: true,
  }).values;
} catch (e) {
  usage(e.message);
}

if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (args.version) {
  process.stdout.write(`${version()}\n`);
  process.exit(0);
}
if (args.input === undefined) usage("--input is required");
if (args.out === undefined) usage("--out is required");

const read = await readInputs(args.input, args.module, args.quiet);
const inputs = read.inputs;
const fileOptions = args.options === undefined ? undefined : readJson(args.options, "options");
// The module block's name and source, under what --options gives (a file that is not an object
// goes to generate as it is, which reports it).
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const options =
  Object.keys(read.options).length === 0
    ? fileOptions
    : fileOptions === undefined || isObject(fileOptions)
      ? { ...read.options, ...fileOptions }
      : fileOptions;

let result;
try {
  result = generate(inputs, options);
} catch (e) {
  if (!Array.isArray(e?.diagnostics)) throw e;
  for (const d of e.diagnostics) {
    if (!args.quiet || d.severity === "error") process.stderr.write(`${format(d)}\n`);
  }
  const errors = e.diagnostics.filter((d) => d.severity === "error").length;
  process.stderr.write(`iam-metaflow: ${errors} error${errors === 1 ? "" : "s"}; nothing written\n`);
  process.exit(1);
}

if (!args.quiet) for (const d of result.diagnostics) process.stderr.write(`${format(d)}\n`);

const files = new Map();
files.set("main.tf", result.hcl.module_call);
const dir = moduleDir(options?.module_source ?? "./shared-modules/wrapped/iam_metaflow");
for (const [name, text] of Object.entries(result.hcl.module)) files.set(join(dir, name), text);
files.set(join("resources", "main.tf"), result.hcl.resources);
files.set("integrations.tf.example", result.hcl.integrations);
files.set("result.json", `${JSON.stringify(result, null, 2)}\n`);

try {
  for (const [name, text] of files) {
    const path = join(args.out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
} catch (e) {
  usage(`cannot write into ${args.out}: ${e.message}`);
}
if (!args.quiet) {
  process.stdout.write(`${[...files.keys()].map((f) => join(args.out, f)).join("\n")}\n`);
}
