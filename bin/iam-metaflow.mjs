#!/usr/bin/env node
// The iam-metaflow CLI: evaluates the iam_metaflow module for a terraform.tfvars.json, a
// terraform.tfvars or a .tf's module block, and writes the files of the result's layout
// (result.files, src/layout.rs) into DIR.
//
// Reading is bounded (bin/read-input.mjs), writing is all or nothing and never touches a file
// the CLI did not write (bin/write-files.mjs), and everything printed is made printable
// (bin/terminal.mjs).
import { parseArgs } from "node:util";
import { InputError, MAX_READ, readInput } from "./read-input.mjs";
import { printable, say } from "./terminal.mjs";
import { MANIFEST, WriteRefused, writeFiles } from "./write-files.mjs";

const HELP = `Usage: iam-metaflow --input terraform.tfvars[.json]|main.tf [--options options.json] --out DIR [--force]

Evaluates the iam_metaflow Terraform module for the inputs and writes into DIR:
  main.tf                 the module call (options.module_name, options.module_source)
  <module_source>/        the wrapper module's files (main.tf, variables.tf, outputs.tf,
                          versions.tf, README.md) when module_source is a relative path
                          inside DIR (default ./shared-modules/wrapped/iam_metaflow);
                          modules/iam_metaflow/ for a registry or Git source. A ./ or ../
                          path that leaves DIR, is DIR or holds another file is refused.
  resources/main.tf       the same infrastructure as plain aws resources, no module
  integrations.tf.example the seed's integration with other modules
  policies/*.json         each role's trust policy and the job role's inline policy
  result.json             everything generate() returns (roles, policies, outputs, hcl)
  ${MANIFEST}      what iam-metaflow wrote here, with each file's SHA-256

Safety:
  - A file already in DIR is replaced only when ${MANIFEST} lists it and it is
    unchanged since; any other file in the way (your own main.tf, a file you edited, a
    symlink) stops the run before anything is written. --force replaces them.
  - No symlink inside DIR is followed; a folder of the layout that is a symlink is refused.
  - Files are written in full into .<DIR>.iam-metaflow-staging beside DIR, then moved in;
    a failure (a full disk, a kill) leaves DIR as it was, and a killed run is undone by the
    next one.
  - Inputs are read up to ${MAX_READ / 1024 / 1024} MiB; a FIFO that sends nothing for 10 s, a device or a
    folder is refused. A UTF-8 byte order mark is accepted.

Diagnostics are printed to stderr, one a line, with their path:
  error [unknown_key] tag: unknown key "tag" ... (did you mean "tags"? ...)
Control and bidi characters in anything printed are shown as \\u001b.

Options:
  -i, --input FILE     the module's variables: a terraform.tfvars.json (.json), a
                       terraform.tfvars (.tfvars) or a .tf holding the module block (.tf);
                       - for stdin; stdin and other names are JSON when they start with {
  -m, --module NAME    the module block to read from a .tf that has several
  -o, --options FILE   options as JSON: module_name, module_source, account_id, partition
                       (over those of the module block)
  -d, --out DIR        where to write the files (created when missing)
  -f, --force          replace files in DIR that iam-metaflow did not write, or that changed
  -q, --quiet          print errors only
  -h, --help           this text
  -v, --version        the version

Exit status:
  0  written (warnings may be printed)
  1  the inputs have errors, or module_source cannot be a folder in DIR (nothing written)
  2  usage error, or an input that cannot be read or is not JSON
  3  internal error (a bug: please report it with the one-line message)
  4  not written: a file in the way, a symlink, or writing failed (DIR is as it was)`;

/** Exits with `status` after printing `lines`. */
class Exit extends Error {
  constructor(status, ...lines) {
    super(lines[0] ?? "");
    this.status = status;
    this.lines = lines;
  }
}

const usage = (message) => new Exit(2, `iam-metaflow: ${message}`, "", "Run iam-metaflow --help for usage.");

/** The same text as the Rust `Display` of a diagnostic. */
function format(d) {
  const line = d.line === undefined ? "" : `line ${d.line}, column ${d.column}`;
  const at = d.path === "" ? line || "(root)" : line === "" ? d.path : `${d.path} (${line})`;
  return `${d.severity} [${d.code}] ${at}: ${d.message}${d.help === undefined ? "" : ` (${d.help})`}`;
}

function readText(file, what) {
  try {
    return readInput(file, what);
  } catch (e) {
    if (e instanceof InputError) throw usage(e.message);
    throw e;
  }
}

/** `text` checked to be JSON (the usage error otherwise). */
function json(text, file, what) {
  try {
    JSON.parse(text);
  } catch (e) {
    throw usage(`the ${what} ${file} is not JSON: ${e.message}`);
  }
  return text;
}

/**
 * The inputs of `file` and the options its module block gives, through fromHcl, which reads a
 * .tfvars, a .tf's module block and a .tfvars.json (whose numbers keep every digit) as Terraform
 * does: its diagnostics printed; an error in the text is exit 1. JSON that does not parse is a
 * usage error. Stdin and other names are JSON when they start with `{`.
 */
async function readInputs(file, module, quiet, fromHcl) {
  const text = readText(file, "input");
  const hcl = /\.(tfvars|tf)$/i.test(file) || (!/\.json$/i.test(file) && !/^\uFEFF?\s*\{/.test(text));
  if (!hcl) {
    if (module !== undefined) throw usage(`--module reads a .tf; the input ${file} is JSON`);
    json(text, file, "input");
  }
  const read = await fromHcl(text, { module });
  for (const d of read.diagnostics) {
    if (!quiet || d.severity === "error") say(format(d));
  }
  const errors = read.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    throw new Exit(1, `iam-metaflow: ${errors} error${errors === 1 ? "" : "s"} in ${file}; nothing written`);
  }
  return read;
}

/** The string `pointer` (RFC 6901) points at in `value`. */
function at(value, pointer) {
  let here = value;
  for (const token of pointer.split("/").slice(1)) {
    here = here?.[token.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  if (typeof here !== "string") throw new Error(`the layout's source ${pointer} is not a string of the result`);
  return here;
}

/** The text of each file of the result's layout. */
function contents(result) {
  return result.files.map(({ path, source }) => ({
    path,
    text: source === "" ? `${JSON.stringify(result, null, 2)}\n` : at(result, source),
  }));
}

async function main(argv) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        input: { type: "string", short: "i" },
        module: { type: "string", short: "m" },
        options: { type: "string", short: "o" },
        out: { type: "string", short: "d" },
        force: { type: "boolean", short: "f" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw usage(e.message);
  }
  const { generate, version } = await import("iam-metaflow");
  const fromHcl = async (...args) => (await import("iam-metaflow/hcl")).fromHcl(...args);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (args.input === undefined) throw usage("--input is required");
  if (args.out === undefined) throw usage("--out is required");

  const read = await readInputs(args.input, args.module, args.quiet, fromHcl);
  const fileOptions = args.options === undefined ? undefined : JSON.parse(json(readText(args.options, "options"), args.options, "options"));
  // The module block's name and source, under what --options gives (options that are not an
  // object go to generate as they are, which reports them).
  const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  const options =
    Object.keys(read.options).length === 0 || (fileOptions !== undefined && !isObject(fileOptions))
      ? fileOptions
      : { ...read.options, ...fileOptions };
  const inputs = read.inputs;

  let result;
  try {
    result = generate(inputs, options);
  } catch (e) {
    if (!Array.isArray(e?.diagnostics) || e.diagnostics.length === 0) throw e;
    for (const d of e.diagnostics) {
      if (!args.quiet || d.severity === "error") say(format(d));
    }
    const errors = e.diagnostics.filter((d) => d.severity === "error").length;
    say(`iam-metaflow: ${errors} error${errors === 1 ? "" : "s"}; nothing written`);
    return 1;
  }

  const outside = result.diagnostics.filter((d) => d.code === "module_source_folder");
  for (const d of result.diagnostics) {
    if (!args.quiet || outside.includes(d)) say(format(d));
  }
  if (outside.length > 0) {
    say(`iam-metaflow: module_source cannot be a folder in ${args.out}; nothing written`);
    return 1;
  }

  let written;
  try {
    written = writeFiles(args.out, contents(result), { force: args.force === true, version: version() });
  } catch (e) {
    if (!(e instanceof WriteRefused)) throw e;
    say(...e.lines.map((line) => `  ${line}`), `iam-metaflow: ${e.message}`);
    return 4;
  }
  for (const path of written.kept) {
    say(`iam-metaflow: kept ${path}: iam-metaflow wrote it, it was changed since, and the layout no longer has it`);
  }
  if (!args.quiet) {
    const shown = [...written.written, ...written.removed.map((p) => `${p} (removed)`)];
    process.stdout.write(`${shown.map((p) => printable(`${args.out.replace(/\/$/, "")}/${p}`)).join("\n")}\n`);
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof Exit) {
    say(...e.lines);
    process.exitCode = e.status;
  } else {
    const message = String(e?.message ?? e).split("\n")[0];
    say(`iam-metaflow: internal error: ${message}`);
    process.exitCode = 3;
  }
}
