// Option lines of dsmserv.opt, dsmsta.opt, dsm.sys and dsm.opt: `OPTION value`, one per line, a `*`
// in column 1 (after blanks) starts a comment; names are case-insensitive and may be abbreviated
// down to the upper-case part of their documented spelling (artifacts §1, §2).

export interface OptionLine {
  /** The canonical upper-case name when the option is known, else the name as upper case. */
  name: string;
  value: string;
  /** 1-based line number. */
  line: number;
}

// Documented spellings: the upper-case part is the shortest accepted abbreviation. Where the facts
// show no mixed-case spelling, the full name is the only one accepted.
const SPELLINGS = [
  'SErvername', 'COMMmethod', 'TCPPort', 'TCPServeraddress', 'TCPADMINPort', 'SSLTCPPort', 'SSLTCPADMINPort',
  'NODename', 'DEFAULTServer', 'SSL', 'SSLREQUIRED', 'SSLFIPSMODE', 'SSLDISABLELEGACYTLS', 'SSLTLS12', 'USETLS12',
  'SSLHIDELEGACY', 'SSLACCEPTCERTFROMSERV', 'LDAPURL', 'ENABLELanfree', 'LANFREECOMMmethod', 'LANFREETCPServeraddress',
  'LANFREETCPPort', 'LANFREESSL', 'PASSWORDDIR', 'DEVCONFIG', 'ADMINONCLIENTPORT', 'FIPSMODE',
];
const KNOWN = SPELLINGS.map((s) => ({ full: s.toUpperCase(), min: s.replace(/[a-z].*$/, '') }));

export function canonicalOption(word: string): string {
  const upper = word.toUpperCase();
  const exact = KNOWN.find((k) => k.full === upper);
  if (exact) return exact.full;
  // The longest minimum wins, so SSLTCPADMINP is not read as SSLTCPP.
  const matches = KNOWN.filter((k) => upper.length >= k.min.length && upper.startsWith(k.min) && k.full.startsWith(upper));
  matches.sort((a, b) => b.min.length - a.min.length);
  return matches[0]?.full ?? upper;
}

/** Quotes are allowed around file specifications with blanks (artifacts §2); they are not part of the value. */
function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

export function parseOptionLines(text: string): OptionLine[] {
  const out: OptionLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('*') || line.startsWith('#')) return;
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    out.push({ name: canonicalOption(m[1]!), value: unquote(m[2]!.trim()), line: i + 1 });
  });
  return out;
}

/** Does the text look like an options file: at least one line, and every line a comment or `WORD value`? */
export function looksLikeOptions(text: string): boolean {
  let options = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('*') || line.startsWith('#')) continue;
    if (!/^[A-Za-z][A-Za-z0-9_]*(\s|$)/.test(line)) return false;
    options++;
  }
  return options > 0;
}

export interface Stanza {
  /** The SERVERNAME value. */
  name: string;
  line: number;
  options: OptionLine[];
}

/** dsm.sys: "a server stanza … begins with a SERVERName option and ends either at the next SERVERName option or the end of the file". */
export function parseStanzas(text: string): { stanzas: Stanza[]; outside: OptionLine[] } {
  const stanzas: Stanza[] = [];
  const outside: OptionLine[] = [];
  for (const o of parseOptionLines(text)) {
    if (o.name === 'SERVERNAME') stanzas.push({ name: o.value, line: o.line, options: [] });
    else if (stanzas.length > 0) stanzas[stanzas.length - 1]!.options.push(o);
    else outside.push(o);
  }
  return { stanzas, outside };
}

/** The first value of an option (options files: the first one counts, repeats are reported by the caller). */
export const optionOf = (options: OptionLine[], name: string): OptionLine | undefined => options.find((o) => o.name === name);
