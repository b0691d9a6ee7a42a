/**
 * Text from the database made safe for a terminal: control characters (C0,
 * DEL, C1 — ESC starts the sequences that recolour, move the cursor or retitle
 * the window), line and paragraph separators and bidirectional overrides are
 * shown as escapes (`\x1b`, `\u{202e}`), and a backslash as `\\` so an escape
 * shown can always be told from text typed that way.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    if (char === '\\') return '\\\\';
    const code = char.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
