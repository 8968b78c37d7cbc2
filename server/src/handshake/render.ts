// Turns a HandshakeReport into what a person reads (verdict first, details below)
// or into JSON for scripts.
import type { CertFacts } from './cert-facts.ts';
import type { CheckStatus, HandshakeReport, Outcome } from './report.ts';

const HEADLINE: Record<Outcome, string> = {
  trusted: 'TRUSTED',
  findings: 'FINDINGS',
  'dns-failure': 'NO CONNECTION (DNS)',
  refused: 'NO CONNECTION (refused)',
  unreachable: 'NO CONNECTION (unreachable)',
  timeout: 'NO CONNECTION (timeout)',
  reset: 'NO TLS SESSION (reset)',
  closed: 'NO TLS SESSION (closed by peer)',
  'not-tls': 'NO TLS SESSION (peer speaks no TLS)',
  'starttls-refused': 'NO TLS SESSION (StartTLS refused)',
  'handshake-alert': 'NO TLS SESSION (handshake alert)',
  'handshake-failed': 'NO TLS SESSION (handshake failed)',
};

const STATUS: Record<CheckStatus, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: '--  ' };

const date = (iso: string) => iso.slice(0, 10);

function keyText(c: CertFacts): string {
  return `${c.keyType.toUpperCase()}${c.curve ? ` ${c.curve}` : ''} ${c.keyBits ?? '?'} bits`;
}

function certLines(c: CertFacts, i: number): string[] {
  const days = c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`;
  return [
    `  #${i + 1} ${c.subject}${c.isCA ? '  [CA]' : ''}`,
    `     issuer     ${c.issuer}${c.selfIssued ? '  (self-issued)' : ''}`,
    `     valid      ${date(c.notBefore)} .. ${date(c.notAfter)} (${days})`,
    `     key        ${keyText(c)}`,
    `     signature  ${c.signatureAlgorithm.name}${c.signatureAlgorithm.oid ? ` (${c.signatureAlgorithm.oid})` : ''}`,
    `     SANs       ${c.sans.length > 0 ? c.sans.join(', ') : '(none)'}`,
    `     SHA-256    ${c.fingerprintSha256}`,
  ];
}

function timingText(t: HandshakeReport['timings']): string {
  const parts: string[] = [];
  if (t.dnsMs !== undefined) parts.push(`dns ${t.dnsMs} ms`);
  if (t.connectMs !== undefined) parts.push(`tcp connect ${t.connectMs} ms`);
  if (t.starttlsMs !== undefined) parts.push(`StartTLS ${t.starttlsMs} ms`);
  if (t.handshakeMs !== undefined) parts.push(`handshake ${t.handshakeMs} ms`);
  parts.push(`total ${t.totalMs} ms`);
  return parts.join(', ');
}

function clientAuthText(r: HandshakeReport): string | undefined {
  const a = r.clientAuth;
  if (!a) return undefined;
  if (a.required) return `required${a.certificateSent ? ' (the certificate given was refused)' : ' (none given)'}`;
  if (a.requested === true) return a.certificateSent ? 'requested; certificate sent and accepted' : 'requested (optional)';
  if (a.requested === false) return 'not requested';
  return 'unknown';
}

export function renderText(r: HandshakeReport): string {
  const t = r.target;
  const lines = [
    `${HEADLINE[r.outcome]}  ${t.host}:${t.port}${t.starttls ? ` (StartTLS ${t.starttls})` : ''}  exit ${r.exitCode}`,
    `  ${r.summary}`,
  ];
  if (r.failure) {
    const f = r.failure;
    lines.push('', 'Problem', `  phase      ${f.phase}`, `  cause      ${f.message}`);
    if (f.alert) lines.push(`  alert      ${f.alert.number} ${f.alert.name}`);
    if (f.peerBytes) lines.push(`  peer sent  "${f.peerBytes.text}"`, `             hex ${f.peerBytes.hex}`);
  }
  if (r.checks.length > 0) {
    lines.push('', 'Checks');
    for (const c of r.checks) lines.push(`  ${STATUS[c.status]}  ${c.id.padEnd(11)} ${c.reason}`);
  }
  lines.push('', 'Connection');
  lines.push(`  address    ${t.address ?? '(not resolved)'} port ${t.port}${t.servername ? `, SNI ${t.servername}` : ', no SNI'}; name checked: ${t.expectedHostname}`);
  lines.push(`  timings    ${timingText(r.timings)}`);
  if (r.session) {
    lines.push(`  protocol   ${r.session.protocol}`, `  cipher     ${r.session.cipher}`);
    if (r.session.group) lines.push(`  group      ${r.session.group}`);
  }
  const auth = clientAuthText(r);
  if (auth) lines.push(`  client cert ${auth}`);
  lines.push(`  trust      ${r.trust.source === 'bundled' ? `Node's bundled public roots (${r.trust.count})` : r.trust.labels.length > 0 ? `${r.trust.count} certificate(s) from ${r.trust.labels.join(', ')}` : 'nothing (the trust set is empty)'}`);
  if (r.chain.length > 0) {
    const how = r.chainSource === 'wire' ? 'as sent by the server' : 'as rebuilt by Node; the order sent could not be read';
    lines.push('', `Certificate chain (${how}, ${r.chain.length} certificate${r.chain.length > 1 ? 's' : ''})`);
    r.chain.forEach((c, i) => lines.push(...certLines(c, i)));
  }
  if (r.versions) {
    lines.push('', 'TLS versions (each probed on its own connection)');
    for (const v of r.versions) lines.push(`  ${v.version}  ${v.result.padEnd(10)} ${v.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderJson(r: HandshakeReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
