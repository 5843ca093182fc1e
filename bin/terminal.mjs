// What the CLI prints: every text that reaches the terminal goes through `printable`, so that
// input text (a key, a path, a file name) cannot move the cursor, retitle the window, clear
// the screen (ESC sequences, BEL) or reorder what is shown (bidi controls, the "Trojan Source"
// characters). The engine already escapes what its diagnostics echo; this covers everything
// else the CLI prints (file names, error messages of the file system) and is harmless twice.

/** C0 and C1 controls, DEL, the bidi controls and the line and paragraph separators: the
 * characters src/diagnostics.rs `is_hidden` escapes. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `text` with each hidden character written as `\u001b`, on one line. */
export function printable(text) {
  return String(text).replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Writes each line to stderr, made printable. */
export function say(...lines) {
  for (const line of lines) process.stderr.write(`${printable(line)}\n`);
}
