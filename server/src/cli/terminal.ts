// Text for a terminal. Strings that come from files and peers — certificate subjects and
// SANs, labels in key databases, an LDAP server's diagnosticMessage, names in a topology
// someone else wrote — may hold control characters: ESC starts sequences that clear the
// screen, set the window title or fake coloured verdicts; a lone CR or a backspace
// overwrites what was printed; bidi controls reorder it. Every text a command writes
// goes through terminalText on its way out (cli.ts), so no command and no future message
// can forget it. The escape is JSON's (\u001b): a JSON report stays valid JSON with the
// same values, and a person sees where the character was.

// C0 controls but TAB and LF, CR not followed by LF, DEL, C1 controls, and the Unicode
// format characters that reorder or break lines (ALM, LRM/RLM, LS/PS, the bidi embeddings,
// overrides and isolates).
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
