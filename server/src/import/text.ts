// Text from collected files: decoding, line splitting, and escaping for the three places a string
// from a host can land (a .sptls string, a .sptls comment, a terminal).

/**
 * The text of a file: UTF-16 when it starts with a UTF-16 byte-order mark (what Windows tools
 * often write), else UTF-8; undefined when it holds NUL bytes (a binary file is never options text).
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
  if (b.includes(0)) return undefined;
  const text = b.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** A .sptls string literal (spec §2: escapes \" and \\, no raw newline). */
export function sptlsString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE, '?')}"`;
}

/** Text safe inside a `#` comment and on a terminal: one line, no control characters. */
export function safeText(value: string): string {
  return value.replace(UNSAFE, hex);
}
