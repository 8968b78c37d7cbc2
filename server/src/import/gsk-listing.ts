// `gsk8capicmd_64 -cert -list` and `-cert -details` outputs (artifacts §6). A listing is text about
// a key database, not the database: the importer reports it and asks for the database itself,
// since trust is taken from certificate content, never from labels.

export interface ListedEntry { label: string; kind: 'personal' | 'trusted' | 'secret-key'; isDefault: boolean; line: number }
export interface DetailedEntry { label: string; subject?: string; issuer?: string; sha256?: string; trusted?: boolean; line: number }

export type GskListing = { kind: 'list'; entries: ListedEntry[] } | { kind: 'details'; entries: DetailedEntry[] };

const LEGEND = /^\*\s*default,\s*-\s*personal,\s*!\s*trusted/;
const MARKS: Record<string, ListedEntry['kind']> = { '-': 'personal', '!': 'trusted', '#': 'secret-key' };

export function parseGskListing(text: string): GskListing | undefined {
  const lines = text.split(/\r?\n/);
  if (lines.some((l) => LEGEND.test(l.trim()))) {
    const entries: ListedEntry[] = [];
    lines.forEach((l, i) => {
      const m = /^(\*?)([-!#])\t(.+)$/.exec(l.replace(/\s+$/, ''));
      if (m) entries.push({ label: m[3]!.replace(/^"(.*)"$/, '$1'), kind: MARKS[m[2]!]!, isDefault: m[1] === '*', line: i + 1 });
    });
    return { kind: 'list', entries };
  }
  if (!lines.some((l) => /^Label\s*:/.test(l)) || !lines.some((l) => /^(Subject|Issuer|Serial)\s*:/.test(l))) return undefined;
  const entries: DetailedEntry[] = [];
  let fingerprint: 'sha256' | undefined;
  lines.forEach((l, i) => {
    const kv = /^([A-Za-z][A-Za-z0-9 ]*?)\s*:\s*(.*)$/.exec(l);
    const current = entries[entries.length - 1];
    if (kv) {
      const [key, value] = [kv[1]!, kv[2]!.trim()];
      fingerprint = undefined;
      if (key === 'Label') entries.push({ label: value, line: i + 1 });
      else if (!current) return;
      else if (key === 'Subject') current.subject = value;
      else if (key === 'Issuer') current.issuer = value;
      else if (key === 'Trust Status') current.trusted = /^enabled$/i.test(value);
      else if (key === 'Fingerprint' && /^SHA256\s*:?$/i.test(value)) fingerprint = 'sha256';
      else if (/^SHA256$/i.test(key)) fingerprint = 'sha256';
      return;
    }
    // Hex blocks follow a "Fingerprint : SHA256 :" line on indented lines.
    if (fingerprint && current && /^\s+[0-9A-Fa-f]{2}(\s[0-9A-Fa-f]{2})*\s*$/.test(l)) {
      current.sha256 = ((current.sha256 ? current.sha256 + ' ' : '') + l.trim()).toUpperCase();
    }
  });
  for (const e of entries) if (e.sha256) e.sha256 = e.sha256.split(/\s+/).join(':');
  return { kind: 'details', entries };
}
