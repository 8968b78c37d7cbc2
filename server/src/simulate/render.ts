// The rehearsal matrix as text (one line per connection, reasons indented below) and JSON
// (the same rows, schema sptls.simulate/1).
import type { ResultRow } from './run.ts';

export interface SimulationResult {
  file: string;
  pki: string;
  rows: ResultRow[];
}

export interface Counts {
  /** Connections of the topology (Java rows are second rehearsals of a connection). */
  connections: number;
  /** Rehearsals made from Java. */
  java: number;
  rehearsed: number;
  agree: number;
  disagree: number;
  notRehearsed: number;
}

export function countRows(rows: ResultRow[]): Counts {
  const rehearsed = rows.filter((r) => r.agree !== undefined);
  const agree = rehearsed.filter((r) => r.agree).length;
  const connections = rows.filter((r) => r.client !== 'java').length;
  const java = rehearsed.filter((r) => r.client === 'java').length;
  return { connections, java, rehearsed: rehearsed.length, agree, disagree: rehearsed.length - agree, notRehearsed: connections - (rehearsed.length - java) };
}

function observedText(r: ResultRow): string {
  if (!r.observed) return 'not rehearsed';
  switch (r.observed.verdict) {
    case 'trusted': return 'handshake ok, chain trusted';
    case 'untrusted': return 'handshake ok, chain untrusted';
    case 'no-common-version': return 'protocol-version refusal';
    case 'failed': return 'handshake failed';
  }
}

export function renderSimulationText(s: SimulationResult): string {
  const c = countRows(s.rows);
  const head = ['line', 'connection', 'client', 'predicted', 'observed', 'version', 'result'];
  const table = s.rows.map((r) => [
    String(r.line), r.connection, r.rehearsal || r.client === 'java' ? r.client : '-', r.predicted ?? '-', observedText(r), r.observed?.version ?? '-',
    r.agree === undefined ? 'skipped' : r.agree ? 'agree' : 'DISAGREE',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `sptls simulate ${s.file}`,
    `  PKI: ${s.pki}`,
    `  ${c.connections} connections: ${c.rehearsed - c.java} rehearsed on 127.0.0.1${c.java ? ` and ${c.java} more from Java` : ''} (${c.agree} agree, ${c.disagree} disagree), ${c.notRehearsed} not rehearsed`,
    '',
    line(head),
  ];
  const indent = ' '.repeat(widths[0]! + 2);
  for (const [i, r] of s.rows.entries()) {
    out.push(line(table[i]!));
    if (r.disagreement) out.push(`${indent}disagreement: ${r.disagreement}`);
    if (r.skip) out.push(`${indent}not rehearsed: ${r.skip}`);
    if (r.observed && r.observed.verdict !== 'trusted') out.push(`${indent}observed: ${r.observed.reason}`);
    if (r.note) out.push(`${indent}note: ${r.note}`);
  }
  out.push('', c.disagree === 0 ? `every rehearsed connection agrees with the rules (${c.rehearsed - c.java} of ${c.connections}${c.java ? `; ${c.java} also from Java` : ''})` : `${c.disagree} connection(s) behave differently from what the rules predict`);
  return `${out.join('\n')}\n`;
}

export function renderSimulationJson(s: SimulationResult): string {
  return `${JSON.stringify({ schema: 'sptls.simulate/1', file: s.file, pki: s.pki, counts: countRows(s.rows), rows: s.rows.map(jsonRow) }, null, 2)}\n`;
}

/** Trust entries by name: a file certificate's DER is not for the report. */
function jsonRow(r: ResultRow): unknown {
  return r.rehearsal ? { ...r, rehearsal: { ...r.rehearsal, trust: r.rehearsal.trust.map((t) => t.name) } } : r;
}
