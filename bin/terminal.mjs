// What the CLI prints: every text that reaches the terminal goes through `printable`, so that
// input text (a key, a path, a file name) cannot move the cursor, retitle the window, clear
// the screen (ESC sequences, BEL) or reorder what is shown (bidi controls, the "Trojan Source"
// characters). The engine already escapes what its diagnostics echo; this covers everything
// else the CLI prints (file names, error messages of the file system) and is harmless twice.

/** The characters src/diagnostics.rs `is_invisible` escapes: C0 and C1 controls, DEL, the bidi
 * controls, zero-width and other format characters, line and paragraph separators, tags. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** `text` with each hidden character escaped as the engine escapes it (`\u001B`,
 * `\U000E0001`), on one line. */
export function printable(text) {
  return String(text).replace(HIDDEN, (c) => {
    const code = c.codePointAt(0).toString(16).toUpperCase();
    return code.length > 4 ? `\\U${code.padStart(8, "0")}` : `\\u${code.padStart(4, "0")}`;
  });
}

/** Writes each line to stderr, made printable. */
export function say(...lines) {
  for (const line of lines) process.stderr.write(`${printable(line)}\n`);
}
