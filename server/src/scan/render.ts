// A scan as text (the findings in `check`'s form, then one line per endpoint) and as
// JSON (schema sptls.scan/1). The CLI escapes what reaches a terminal (cli/terminal.ts).
import type { FileFindings } from '../ci/findings.ts';
import type { ScanResult } from './run.ts';

export interface ScanCounts {
  endpoints: number;
  scanned: number;
  unreachable: number;
  cancelled: number;
  errors: number;
  warnings: number;
}

export function countScan(r: ScanResult): ScanCounts {
  const status = (s: string) => r.endpoints.filter((e) => e.status === s).length;
  return {
    endpoints: r.endpoints.length, scanned: status('scanned'), unreachable: status('unreachable'), cancelled: status('cancelled'),
    errors: r.findings.filter((f) => f.severity === 'error').length,
    warnings: r.findings.filter((f) => f.severity === 'warning').length,
  };
}

export function summaryLine(r: ScanResult): string {
  const c = countScan(r);
  const cancelled = c.cancelled ? `, ${c.cancelled} cancelled` : '';
  return `${c.endpoints} endpoint(s) scanned in ${(r.ms / 1000).toFixed(1)} s (${c.scanned} answered, ${c.unreachable} unreachable${cancelled}): ${c.errors} error(s), ${c.warnings} warning(s)`;
}

export function scanFindings(file: string, r: ScanResult): FileFindings {
  return { path: file, lines: r.analysis.lines, diagnostics: r.findings };
}

export function renderScanText(file: string, r: ScanResult): string {
  const out: string[] = [];
  for (const f of r.findings) {
    const p = r.analysis.lines.position(f.start);
    out.push(`${file}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.code}: ${f.message}`);
  }
  if (r.endpoints.length > 0) out.push('', 'Endpoints:');
  const width = Math.max(0, ...r.endpoints.map((e) => e.responder.length));
  for (const e of r.endpoints) {
    const where = `${e.host}:${e.port}${e.starttls ? ' (StartTLS)' : ''}`;
    const what = e.status !== 'scanned'
      ? e.status
      : [e.protocol ?? 'no session', e.accepted ? `accepts TLS ${e.accepted.join(', ') || 'none'}` : '', e.leaf ? `presents '${e.leaf.subject}' until ${e.leaf.notAfter.slice(0, 10)}` : ''].filter(Boolean).join('; ');
    out.push(`  ${e.responder.padEnd(width)}  ${where}  ${what}  (${e.ms} ms)`);
  }
  return `${out.join('\n')}\n`;
}

export function renderScanJson(file: string, r: ScanResult): string {
  const findings = r.findings.map(({ start, end, data: _data, ...f }) => ({ ...f, range: { start: r.analysis.lines.position(start), end: r.analysis.lines.position(end) } }));
  return `${JSON.stringify({ schema: r.schema, file, pki: r.pki, ms: r.ms, counts: countScan(r), endpoints: r.endpoints, findings })}\n`;
}
