// Reading the CLI's input and options files, bounded.
//
// - At most MAX_READ bytes are read: the engine reads at most 1 MiB of text in strings and
//   keys (src/inputs.rs MAX_INPUT_BYTES); the rest is room for JSON's quotes, escapes and
//   indentation. A larger file is refused before it is read (its size is known), a larger
//   stream once MAX_READ bytes have come: `/dev/zero` or an endless pipe cannot fill memory.
// - A path is opened without blocking (O_NONBLOCK), then checked: a regular file is read; a
//   FIFO or pipe (`--input <(command)`, or a FIFO a writer opens later) is read while data
//   comes, and given up after IDLE_MS without any, a FIFO no writer opens included; a
//   folder, a device (`/dev/zero`, a terminal) or a socket is refused with a message. `-` is
//   the standard input, read to its end.
// - A UTF-8 byte order mark is dropped, as editors on Windows write one.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** The most bytes read from one input. */
export const MAX_READ = 8 * 1024 * 1024;
/** How long a FIFO may stay silent, or without a writer, before the read gives up. */
const IDLE_MS = 10_000;
const CHUNK = 64 * 1024;

/** An input that cannot be read: the CLI exits 2 with `message`. */
export class InputError extends Error {}

/** The text of `file` (`-` for stdin). Throws an InputError saying why it cannot be read. */
export function readInput(file, what) {
  const shown = file === "-" ? "- (standard input)" : file;
  let fd;
  try {
    fd = file === "-" ? 0 : openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`cannot read the ${what} ${shown}: ${e.message}`);
  }
  try {
    const bytes = readBounded(fd, file === "-", what, shown);
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    if (text.trim() === "") throw new InputError(`the ${what} ${shown} is empty`);
    return text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof TypeError) throw new InputError(`the ${what} ${shown} is not UTF-8 text`);
    throw new InputError(`cannot read the ${what} ${shown}: ${e.message}`);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

function readBounded(fd, isStdin, what, shown) {
  const stat = fstatSync(fd);
  if (stat.isFile()) {
    if (stat.size > MAX_READ) throw tooLarge(what, shown);
    return readAll(fd, what, shown, Infinity);
  }
  if (stat.isFIFO() || (isStdin && !stat.isDirectory())) {
    return readAll(fd, what, shown, isStdin ? Infinity : IDLE_MS);
  }
  const kind = stat.isDirectory()
    ? "a folder"
    : stat.isCharacterDevice() || stat.isBlockDevice()
      ? "a device"
      : stat.isSocket()
        ? "a socket"
        : "not a regular file";
  throw new InputError(`the ${what} ${shown} is ${kind}; give a file, or - for the standard input`);
}

/** Reads `fd` to its end, at most MAX_READ bytes, giving up after `idleMs` without data. */
function readAll(fd, what, shown, idleMs) {
  const chunks = [];
  let total = 0;
  let idleSince = Date.now();
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let n;
    try {
      n = readSync(fd, chunk, 0, CHUNK, null);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
      n = -1;
    }
    // No data yet: EAGAIN while a writer is silent, end of file before any writer opened a
    // FIFO (a FIFO read without blocking ends at once without one). Wait, up to `idleMs`.
    if (n === -1 || (n === 0 && total === 0 && Number.isFinite(idleMs))) {
      if (Date.now() - idleSince > idleMs) {
        throw new InputError(
          `the ${what} ${shown} sent no data for ${idleMs / 1000} s (is anything writing to it?); nothing read`,
        );
      }
      sleep(10);
      continue;
    }
    if (n === 0) break;
    idleSince = Date.now();
    total += n;
    if (total > MAX_READ) throw tooLarge(what, shown);
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(what, shown) {
  return new InputError(
    `the ${what} ${shown} is over ${MAX_READ / 1024 / 1024} MiB, more than any input the module takes; give the module's variables only`,
  );
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
