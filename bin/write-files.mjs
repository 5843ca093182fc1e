// Writing the CLI's files into DIR: never a file the user owns, never through a symlink, and
// all or nothing.
//
// What the CLI wrote. DIR/.iam-metaflow.json (the manifest) lists every file the CLI wrote
// there, with the SHA-256 of what it wrote. A file already in DIR is the CLI's to replace
// only when the manifest lists it and it still has that content; any other file in the way
// (the user's own main.tf, a file edited since, a symlink) stops the run before anything is
// written, unless --force, which replaces it (its old content is lost). A file the manifest
// lists that the new layout no longer has (the Spot Fleet role's policy once disabled, the
// module's files once module_source moves) is removed when unchanged, kept when edited.
//
// Symlinks. DIR itself may be a symlink the user chose: it is resolved once. Inside DIR no
// symlink is followed: a folder of the layout that is a symlink (DIR/resources -> /etc) stops
// the run even with --force; a file that is a symlink is replaced as a link (rename never
// follows one), and only with --force.
//
// All or nothing. Every file is first written, in full and synced to disk, into a staging
// folder beside DIR (.<DIR name>.iam-metaflow-staging, on the same file system, so that
// renames out of it are atomic). Only then are they moved into DIR:
// - when DIR does not exist, the staging folder becomes DIR in one rename;
// - otherwise file by file, each old file first moved into the staging folder. Each step is
//   first recorded in the staging folder's journal. If a step fails, the steps done are
//   undone from the journal, and DIR is as it was. If the process is killed between two
//   steps (a window of a few renames), the next run finds the journal and undoes them before
//   anything else.
// A failure while writing (a full disk, a read-only folder, a kill) therefore leaves DIR as
// it was: at every moment each file of DIR is either its old or its new version in full,
// and after a failure or the next run's recovery, the old one.
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** For the package's tests only: `stage:N` fails after N files staged (as a full disk
 * would), `commit:N` after N steps of the commit, `kill:N` kills the process there. */
const CRASH = /^(stage|commit|kill):(\d+)$/.exec(process.env.IAM_METAFLOW_TEST_CRASH ?? "");

/** Fails or dies at the test's crash point `where`, reached for the `n`th time. */
function crashPoint(where, n) {
  if (CRASH === null || Number(CRASH[2]) !== n) return;
  if (CRASH[1] === "kill" && where === "commit") process.kill(process.pid, "SIGKILL");
  if (CRASH[1] === where) throw new Error(`ENOSPC: no space left on device (test crash at ${where} ${n})`);
}

/** The manifest's name: src/layout.rs CLI_MANIFEST, which no module folder may take. */
export const MANIFEST = ".iam-metaflow.json";
/** Files the CLI compares with what it wrote are read up to this size; larger ones count as
 * changed. */
const MAX_COMPARED = 64 * 1024 * 1024;

/** Writing was refused or failed, and DIR is as it was: the CLI exits 4 with these lines. */
export class WriteRefused extends Error {
  constructor(message, lines = []) {
    super(message);
    this.lines = lines;
  }
}

/**
 * Writes `files` ([{ path, text }], paths `/`-separated and relative) into `dir`. Returns
 * { written, removed, kept }: the paths written, the stale files removed and the stale files
 * kept because they were edited.
 */
export function writeFiles(dir, files, { force = false, version = "" } = {}) {
  for (const { path } of files) checkPath(path);
  try {
    return write(dir, files, force, version);
  } catch (e) {
    if (e instanceof WriteRefused) throw e;
    throw new WriteRefused(`cannot write into ${dir}: ${e.message}; nothing written`);
  }
}

function write(dir, files, force, version) {
  const target = resolveDir(dir);
  const staging = join(dirname(target), `.${basename(target)}.iam-metaflow-staging`);
  recover(staging, target);

  const manifest = {
    note: "Written by iam-metaflow: the files it wrote into this folder, with the SHA-256 of each. It replaces or removes only these, and only while unchanged.",
    version,
    files: Object.fromEntries(files.map(({ path, text }) => [path, sha256(text)])),
  };
  const all = [...files, { path: MANIFEST, text: `${JSON.stringify(manifest, null, 2)}\n` }];
  const exists = existsSync(target);
  const plan = exists ? planInto(target, all, force) : { folders: [], replaced: new Set(), stale: [], kept: [] };

  stage(staging, all);
  if (!exists) {
    try {
      renameSync(join(staging, "new"), target);
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw new WriteRefused(`cannot write into ${dir}: ${e.message}; nothing written`);
    }
  } else {
    commit(staging, target, all, plan, dir);
  }
  rmSync(staging, { recursive: true, force: true });
  for (const path of plan.stale) removeEmptyFolders(target, path);
  return { written: all.map((f) => f.path), removed: plan.stale, kept: plan.kept };
}

/** A path of the layout: relative, `/`-separated, no empty, `.` or `..` segment, no
 * backslash or control character (src/layout.rs makes them so; checked again here, as the
 * CLI writes them). */
function checkPath(path) {
  const ok =
    typeof path === "string" &&
    path !== "" &&
    !/[\\\u0000-\u001f\u007f]/.test(path) &&
    path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
  if (!ok) throw new Error(`the layout has an unsafe path: ${JSON.stringify(path)}`);
}

/** DIR as a real path (a symlink given as DIR is followed once, by the user's choice); a
 * missing DIR's parents are created. */
function resolveDir(dir) {
  const absolute = resolve(dir);
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch (e) {
    if (e.code !== "ENOENT") throw new WriteRefused(`cannot use ${dir}: ${e.message}; nothing written`);
    mkdirSync(dirname(absolute), { recursive: true });
    return join(realpathSync(dirname(absolute)), basename(absolute));
  }
  const real = stat.isSymbolicLink() ? realpathSync(absolute) : absolute;
  if (!lstatSync(real).isDirectory()) throw new WriteRefused(`${dir} is not a folder; nothing written`);
  return real;
}

/** What is in the way in an existing DIR: the folders to create, the files to replace, the
 * stale files to remove and those to keep. Throws WriteRefused when a file that is not the
 * CLI's is in the way (without --force) or a symlink or a file stands where a folder goes. */
function planInto(target, files, force) {
  const previous = readManifest(target);
  const refusals = [];
  const folders = new Set();
  const replaced = new Set();
  for (const { path } of files) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      const stat = lstatOrNull(join(target, folder));
      if (stat === null) folders.add(folder);
      else if (stat.isSymbolicLink()) refusals.push(`${folder} is a symlink; iam-metaflow never writes through one`);
      else if (!stat.isDirectory()) refusals.push(`${folder} is a file where the folder ${folder}/ goes`);
    }
    const stat = lstatOrNull(join(target, path));
    if (stat === null) continue;
    if (stat.isDirectory()) {
      refusals.push(`${path} is a folder where the file ${path} goes`);
    } else if (ours(target, path, stat, previous)) {
      replaced.add(path);
    } else if (force) {
      replaced.add(path);
    } else {
      const why = stat.isSymbolicLink()
        ? "is a symlink"
        : path in previous
          ? "was changed since iam-metaflow wrote it"
          : path === MANIFEST
            ? "is not a manifest iam-metaflow wrote"
            : "was not written by iam-metaflow";
      refusals.push(`${path} ${why}; --force replaces it`);
    }
  }
  if (refusals.length > 0) {
    throw new WriteRefused(`refused to write into ${target}; nothing written`, [...new Set(refusals)]);
  }
  const wanted = new Set(files.map((f) => f.path));
  const stale = [];
  const kept = [];
  for (const path of Object.keys(previous)) {
    if (wanted.has(path) || !isSafeRelative(path)) continue;
    const stat = lstatOrNull(join(target, path));
    if (stat === null) continue;
    if (ours(target, path, stat, previous) && parentsAreFolders(target, path)) stale.push(path);
    else kept.push(path);
  }
  return { folders: [...folders].sort((a, b) => a.split("/").length - b.split("/").length), replaced, stale, kept };
}

/** The files the manifest in `target` lists, by path: their SHA-256. Empty when there is no
 * manifest or it is not one the CLI wrote. */
function readManifest(target) {
  const stat = lstatOrNull(join(target, MANIFEST));
  if (stat === null || !stat.isFile()) return {};
  const text = readCompared(join(target, MANIFEST), stat);
  try {
    const files = JSON.parse(text ?? "").files;
    if (files === null || typeof files !== "object" || Array.isArray(files)) return {};
    return Object.fromEntries(Object.entries(files).filter(([, hash]) => typeof hash === "string"));
  } catch {
    return {};
  }
}

/** Whether the file at `path` is one the CLI wrote and nobody changed since: a regular file
 * (not a symlink) with the hash the manifest gives; the manifest itself when it is one. */
function ours(target, path, stat, previous) {
  if (!stat.isFile()) return false;
  if (path === MANIFEST) return Object.keys(previous).length > 0;
  if (!(path in previous)) return false;
  const text = readCompared(join(target, path), stat);
  return text !== null && sha256(text) === previous[path];
}

function parentsAreFolders(target, path) {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const stat = lstatOrNull(join(target, parts.slice(0, i).join("/")));
    if (stat === null || !stat.isDirectory()) return false;
  }
  return true;
}

function isSafeRelative(path) {
  try {
    checkPath(path);
    return true;
  } catch {
    return false;
  }
}

/** The content of a regular file, read without following a symlink; null when over
 * MAX_COMPARED or unreadable. */
function readCompared(file, stat) {
  if (stat.size > MAX_COMPARED) return null;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(stat.size);
      let read = 0;
      while (read < buffer.length) {
        const n = readSync(fd, buffer, read, buffer.length - read, null);
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Writes every file in full into `staging`/new, synced to disk, with the owner's pid beside
 * it. Throws WriteRefused (the staging folder removed) when it cannot. */
function stage(staging, files) {
  try {
    mkdirSync(staging);
  } catch (e) {
    throw new WriteRefused(`cannot create the staging folder ${staging}: ${e.message}; nothing written`);
  }
  try {
    writeSynced(join(staging, "owner"), `${process.pid}\n`);
    for (const [i, { path, text }] of files.entries()) {
      crashPoint("stage", i);
      const file = join(staging, "new", path);
      mkdirSync(dirname(file), { recursive: true });
      writeSynced(file, text);
    }
    syncFolder(join(staging, "new"));
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw new WriteRefused(`cannot write into ${staging}: ${e.message}; nothing written`);
  }
}

/** Moves the staged files into an existing `target`, journaled; undoes every step on
 * failure. */
function commit(staging, target, files, plan, dir) {
  const journal = openSync(join(staging, "journal"), "wx");
  const done = [];
  const step = (op, run) => {
    crashPoint("commit", done.length);
    writeSync(journal, `${JSON.stringify(op)}\n`);
    fsyncSync(journal);
    done.push(op);
    run();
  };
  try {
    for (const folder of plan.folders) step({ mkdir: folder }, () => mkdirSync(join(target, folder)));
    // The manifest last: until it is in place, the old one describes DIR.
    for (const { path } of files) {
      if (plan.replaced.has(path)) step({ backup: path }, () => backup(staging, target, path));
      step({ place: path }, () => renameSync(join(staging, "new", path), join(target, path)));
    }
    for (const path of plan.stale) step({ backup: path }, () => backup(staging, target, path));
    step({ done: true }, () => syncFolder(target));
  } catch (e) {
    undo(staging, target, done);
    closeSync(journal);
    rmSync(staging, { recursive: true, force: true });
    throw new WriteRefused(`cannot write into ${dir}: ${e.message}; nothing written (${dir} is as it was)`);
  }
  closeSync(journal);
}

function backup(staging, target, path) {
  const saved = join(staging, "old", path);
  mkdirSync(dirname(saved), { recursive: true });
  renameSync(join(target, path), saved);
}

/** Undoes the journaled steps `ops`, last first. Each undo checks what happened: a step may
 * have been recorded and not run. */
function undo(staging, target, ops) {
  if (ops.some((op) => op.done)) return;
  for (const op of [...ops].reverse()) {
    try {
      if (op.place !== undefined) {
        // Placed when its staged copy is gone: the file at its path is the new one.
        if (!existsSync(join(staging, "new", op.place)) && lstatOrNull(join(target, op.place)) !== null) {
          unlinkSync(join(target, op.place));
        }
      } else if (op.backup !== undefined) {
        if (lstatOrNull(join(staging, "old", op.backup)) !== null) {
          renameSync(join(staging, "old", op.backup), join(target, op.backup));
        }
      } else if (op.mkdir !== undefined) {
        if (lstatOrNull(join(target, op.mkdir))?.isDirectory()) rmdirSync(join(target, op.mkdir));
      }
    } catch {
      // Best effort: the other steps are still undone.
    }
  }
}

/** A staging folder left by an earlier run: refuses while that run is alive, else undoes
 * what its journal records and removes it. */
function recover(staging, target) {
  if (lstatOrNull(staging) === null) return;
  let owner = NaN;
  try {
    owner = Number.parseInt(readFileSync(join(staging, "owner"), "utf8"), 10);
  } catch {}
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
    throw new WriteRefused(
      `another iam-metaflow (pid ${owner}) is writing ${target}; nothing written (if none is running, remove ${staging})`,
    );
  }
  let ops = [];
  try {
    ops = readFileSync(join(staging, "journal"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {}
  if (existsSync(target)) undo(staging, target, ops);
  rmSync(staging, { recursive: true, force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Removes the folders above a removed file that it left empty, up to DIR. */
function removeEmptyFolders(target, path) {
  const parts = path.split("/").slice(0, -1);
  while (parts.length > 0) {
    try {
      rmdirSync(join(target, ...parts));
    } catch {
      return;
    }
    parts.pop();
  }
}

function writeSynced(file, text) {
  const bytes = Buffer.from(text, "utf8");
  const fd = openSync(file, "wx");
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncFolder(folder) {
  try {
    const fd = openSync(folder, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every system syncs a folder; the files themselves are synced.
  }
}

function lstatOrNull(path) {
  try {
    return lstatSync(path);
  } catch (e) {
    if (e.code === "ENOENT" || e.code === "ENOTDIR") return null;
    throw e;
  }
}

function sha256(text) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
