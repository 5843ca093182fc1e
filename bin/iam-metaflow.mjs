#!/usr/bin/env node
// The iam-metaflow CLI: evaluates the iam_metaflow module for a terraform.tfvars.json and
// writes the module call, the module's files, the resources version and result.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { parseArgs } from "node:util";
import { generate, version } from "iam-metaflow";

const HELP = `Usage: iam-metaflow --input terraform.tfvars.json [--options options.json] --out DIR

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
  -i, --input FILE     the module's variables as JSON (a terraform.tfvars.json); - for stdin
  -o, --options FILE   options as JSON: module_name, module_source, account_id, partition
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
  const at = d.path === "" ? "(root)" : d.path;
  return `${d.severity} [${d.code}] ${at}: ${d.message}${d.help === undefined ? "" : ` (${d.help})`}`;
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

const inputs = readJson(args.input, "input");
const options = args.options === undefined ? undefined : readJson(args.options, "options");

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
