// The text of `sptls inspect`, shared by the CLI and the language server's command.
import { keyLabel } from '../../codec/x509/keys.ts';
import type { InspectReport } from './inspect-file.ts';

export const day = (d: Date) => d.toISOString().replace('.000Z', 'Z');

export function inspectText(r: InspectReport): string {
  const lines = [`${r.file}: ${r.format}, ${r.entries.length} ${r.entries.length === 1 ? 'entry' : 'entries'}`];
  if (r.passwordSource) lines.push(`  password from ${r.passwordSource}`);
  for (const d of r.details) lines.push(`  ${d}`);
  for (const [i, e] of r.entries.entries()) {
    lines.push('', `[${i + 1}] ${e.label ?? '(no label)'}  ${e.kind}`);
    const c = e.certificate;
    if (!c) continue;
    lines.push(
      `    subject:     ${c.subjectText}`,
      `    issuer:      ${c.issuerText}${c.selfIssued ? ' (self-signed)' : ''}`,
      `    valid:       ${day(c.notBefore)} .. ${day(c.notAfter)}`,
      `    key:         ${keyLabel(c.key)}   signature: ${c.signatureAlgorithm}${c.isCA ? '   CA' : ''}`,
    );
    if (c.sans.dns.length + c.sans.ip.length > 0) lines.push(`    SAN:         ${[...c.sans.dns.map((d) => `DNS:${d}`), ...c.sans.ip.map((ip) => `IP:${ip}`)].join(', ')}`);
    lines.push(`    SHA-256:     ${c.fingerprintSha256}`);
  }
  return lines.join('\n') + '\n';
}
