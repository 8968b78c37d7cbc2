// The one place where text from a topology (its file name, labels, names, addresses, key
// database names) is made safe for the files `sptls keydb` generates. One set of functions per
// dialect: POSIX sh, cmd.exe batch files, Spectrum Protect option files (dsmserv.opt, dsmsta.opt,
// dsm.sys, dsm.opt) and Java .properties. Comments never span lines; values either arrive intact
// at the program that reads them or are refused (null / UnsafeText), never silently altered.

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export class UnsafeText extends Error {}

/** True when `s` holds a character that no generated line can carry (newlines, ESC, NUL…). */
export const hasControl = (s: string): boolean => CONTROL.test(s);

/** One printable line: control characters as \xNN / \uNNNN, a backslash doubled so the form is unambiguous. */
export function printable(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// --- POSIX sh ---------------------------------------------------------------------------

/** One shell word, single-quoted: nothing inside is expanded. */
export function shArg(s: string): string {
  if (s.includes('\0')) throw new UnsafeText('a shell argument cannot hold NUL');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text after `# ` on one comment line. */
export const shComment = (s: string): string => printable(s);

// --- cmd.exe batch files ----------------------------------------------------------------
// cmd reads a batch line in phases: (1) %-expansion, where only %% is a literal percent (a
// caret does not help, and `%~` in a rem line aborts the batch); (2) special characters,
// where ^ escapes the next character and & | < > ( ) and quotes are syntax; (5) with delayed
// expansion on, the arguments are scanned again when they contain a `!`: ^ escapes, !VAR!
// expands. Then the program splits its command line by the C runtime's rules (\" is a quote).
// A literal argument is encoded for those readers in reverse order; every quote is ^-escaped,
// so cmd never enters its quote mode and every special character is escaped the same way.

/** A piece of a cmd command line: trusted syntax, or a value that must arrive as one argument. */
export type CmdPart = { raw: string } | { literal: string };

/** The C runtime's quoting of one argument (CommandLineToArgvW rules). */
function crtQuote(s: string): string {
  return `"${s.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

function cmdLiteral(s: string, delayed: boolean): string {
  if (hasControl(s)) throw new UnsafeText(`"${printable(s)}" holds a control character, which a cmd.exe line cannot carry`);
  // Plain quotes suffice (and read best) when nothing inside is special to any phase or to the C runtime.
  if (!/["%!^]|\\$/.test(s)) return `"${s}"`;
  let out = crtQuote(s);
  if (delayed) out = out.replace(/[\^!]/g, '^$&');
  out = out.replace(/[\^&|<>()"]/g, '^$&');
  return out.replace(/%/g, '%%');
}

/**
 * One command line of a batch file that runs with delayed expansion on (`setlocal
 * EnableDelayedExpansion`): the program, then its arguments. Raw parts are written as given;
 * each literal arrives as one argument. cmd scans the program and the arguments separately
 * for `!`, so only a `!` among the arguments decides how their carets are read.
 */
export function cmdLine(program: string, args: CmdPart[]): string {
  const delayed = args.some((p) => ('raw' in p ? p.raw : p.literal).includes('!'));
  return [program, ...args.map((p) => ('raw' in p ? p.raw : cmdLiteral(p.literal, delayed)))].join(' ');
}

/** Text after `rem ` on one line: printable, %% for %, and no caret that could continue the line. */
export const cmdComment = (s: string): string => printable(s).replace(/%/g, '%%').replace(/\^/g, '\\x5e');

// --- Spectrum Protect option files (dsmserv.opt, dsmsta.opt, dsm.sys, dsm.opt) -----------
// `*` in column 1 starts a comment; an option is `NAME value` on one line, with no quoting
// that the sources document. So a value with blanks or control characters is not written.

/** An option value as written, or null when it cannot be one (blank, space, control character). */
export function optValue(s: string): string | null {
  return s.length > 0 && !/\s/.test(s) && !hasControl(s) ? s : null;
}

/** Text after `* ` on one comment line. */
export const optComment = (s: string): string => printable(s);

// --- Java .properties (Liberty bootstrap.properties) -------------------------------------

/** A value as java.util.Properties reads it back: backslash escapes, \uXXXX outside ASCII. */
export function propertiesValue(s: string): string {
  return s.replace(/[\\\u0000-\u001f\u007f-\uffff]|^[ \t\f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\f') return '\\f';
    if (c === ' ') return '\\ ';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Text after `# ` on one comment line (a .properties comment never continues). */
export const propertiesComment = (s: string): string => printable(s);
