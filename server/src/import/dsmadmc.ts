// dsmadmc outputs (artifacts §3, §4): QUERY SERVER (standard table, detailed `Label: value`,
// comma-delimited), QUERY MONITORSETTINGS (detailed), QUERY OPTION LDAPURL and
// `select SERVER_NAME from status`. Detailed output is parsed by label, never by position; in
// comma-delimited output only the positions the facts show are used.

export interface ServerDefinition {
  name: string;
  hlAddress?: string;
  llAddress?: string;
  /** The SSL field of the detailed output, when it has one (its label is not in the facts: "SSL"). */
  ssl?: boolean;
  line: number;
}

export interface MonitorSettings {
  monitorOn: boolean;
  group?: string;
  servers: string[];
  line: number;
}

export type DsmadmcOutput =
  | { kind: 'query-server'; definitions: ServerDefinition[] }
  | { kind: 'monitor-settings'; settings: MonitorSettings }
  | { kind: 'ldapurl'; urls: { url: string; line: number }[] }
  | { kind: 'server-name'; name: string; line: number };

interface Field { label: string; value: string; line: number }

/** `Label: value` lines (right-aligned labels). */
function detailedFields(lines: string[]): Field[] {
  const out: Field[] = [];
  lines.forEach((l, i) => {
    const m = /^\s*([A-Za-z][^:]*?):\s?(.*)$/.exec(l);
    if (m) out.push({ label: m[1]!.trim().toLowerCase(), value: m[2]!.trim(), line: i + 1 });
  });
  return out;
}

const isNamedFile = (name: string, stem: string) => name.toLowerCase().startsWith(stem);

/** Recognises a dsmadmc output by its content (and, for headerless comma output, its file name). */
export function parseDsmadmc(fileName: string, text: string): DsmadmcOutput | undefined {
  const lines = text.split(/\r?\n/);
  const fields = detailedFields(lines);
  const labels = new Set(fields.map((f) => f.label));

  if (labels.has('monitor status')) {
    const get = (l: string) => fields.find((f) => f.label === l);
    const status = get('monitor status')!;
    const servers = (get('monitored servers')?.value ?? '').split(/[\s,]+/).filter(Boolean);
    return { kind: 'monitor-settings', settings: { monitorOn: /^on$/i.test(status.value), group: get('monitored group')?.value || undefined, servers, line: status.line } };
  }

  if (labels.has('server name') && labels.has('high-level address')) {
    const definitions: ServerDefinition[] = [];
    for (const f of fields) {
      if (f.label === 'server name') { definitions.push({ name: f.value, line: f.line }); continue; }
      const d = definitions[definitions.length - 1];
      if (!d) continue;
      if (f.label === 'high-level address') d.hlAddress = f.value || undefined;
      else if (f.label === 'low-level address') d.llAddress = f.value || undefined;
      else if (f.label === 'ssl' && /^(yes|no)$/i.test(f.value)) d.ssl = /^yes$/i.test(f.value);
    }
    return { kind: 'query-server', definitions };
  }

  // Standard table: a header line "Server  Comm. …" (after any banner), then a dash rule; rows after it.
  const header = lines.findIndex((l) => /^\s*Server\s+Comm\./.test(l));
  const rule = header < 0 ? -1 : lines.findIndex((l, i) => i > header && /^-{3,}(\s+-{3,})+\s*$/.test(l));
  if (rule > 0) {
    const definitions: ServerDefinition[] = [];
    for (let i = rule + 1; i < lines.length; i++) {
      const cols = lines[i]!.trim().split(/\s+/);
      if (cols.length < 4 || /^AN[RS]\d{4}[A-Z]/.test(cols[0]!)) continue;
      definitions.push({ name: cols[0]!, hlAddress: cols[2], llAddress: cols[3], line: i + 1 });
    }
    return { kind: 'query-server', definitions };
  }

  const ldap: { url: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^\s*LDAP URL\s*[,\s]\s*(\S+)\s*$/i.exec(l);
    if (m) ldap.push({ url: m[1]!.replace(/^"|"$/g, ''), line: i + 1 });
  });
  if (ldap.length > 0) return { kind: 'ldapurl', urls: ldap };

  // Message lines (ANS8000I Server command: …) and a column header with its rule are not data.
  const rows = lines.map((l, i) => ({ l: l.trim(), line: i + 1 })).filter((r) => r.l !== '' && !/^AN[RS]\d{4}[A-Z]/.test(r.l) && !/^-+$/.test(r.l) && !/^SERVER_NAME$/i.test(r.l));
  if (isNamedFile(fileName, 'select-server-name')) {
    const row = rows[0];
    const m = row && /^(?:SERVER_NAME\s*:\s*)?"?([A-Za-z0-9_.-]+)"?$/i.exec(row.l);
    if (m) return { kind: 'server-name', name: m[1]!, line: row.line };
  }
  if (isNamedFile(fileName, 'query-server')) {
    // Comma-delimited detailed output: one row per definition, values in the F=D label order:
    // Server Name, Comm. Method, Transfer Method, High-level Address, Low-level Address, … (artifacts §3).
    const definitions: ServerDefinition[] = [];
    for (const r of rows) {
      const cols = r.l.split(',');
      if (cols.length < 5 || !/^[A-Za-z0-9_.-]+$/.test(cols[0]!)) continue;
      definitions.push({ name: cols[0]!, hlAddress: cols[3] || undefined, llAddress: cols[4] || undefined, line: r.line });
    }
    if (definitions.length > 0) return { kind: 'query-server', definitions };
  }
  return undefined;
}
