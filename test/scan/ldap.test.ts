// `sptls scan` of LDAP directories against a real slapd: StartTLS on port 389 (the port
// that decides it), LDAPS on another port, both presenting the certificates issued for
// them. Nothing is drifted, so nothing may be reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nodeHandshakeProber } from '../../server/src/handshake/index.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { LDAP_PLAIN_PORT } from '../../server/src/scan/endpoints.ts';
import { scanTopology } from '../../server/src/scan/index.ts';
import { rehearsalIssuer } from '../../server/src/simulate/pki.ts';
import { startPeer, type Peer } from '../handshake/peers.ts';
import { ensureCommand, freePort } from '../support/system.ts';

let dir: string;
let slapd: Peer;
let text: string;
let ldaps: number;

before(async () => {
  ensureCommand('slapd', 'slapd');
  dir = mkdtempSync(join(tmpdir(), 'sptls-scan-ldap-'));
  ldaps = await freePort();
  text = `ca Root { subject "CN=Dir Root" }
ca Issuing { signed-by Root subject "CN=Dir Issuing" }
server SP { address "127.0.0.1" certificate signed-by Issuing trusts Root }
ldap DIR { address "127.0.0.1" port ${LDAP_PLAIN_PORT} tls-min 1.0 certificate signed-by Issuing }
ldap DIRS { address "127.0.0.1" port ${ldaps} certificate signed-by Issuing }
SP -> DIR
SP -> DIRS
`;
  writeFileSync(join(dir, 'dir.sptls'), text);
  const issued = await runIssue({ topologyPath: join(dir, 'dir.sptls'), text, issuer: rehearsalIssuer });
  assert.equal(issued.kind, 'done', JSON.stringify(issued));
  // One slapd serves both: DIR and DIRS get the same issued certificate files (DIR's).
  const c = (f: string) => join(dir, 'pki', 'components', 'DIR', f);
  writeFileSync(join(dir, 'full.pem'), readFileSync(c('cert.pem'), 'utf8') + readFileSync(c('chain.pem'), 'utf8'));
  writeFileSync(join(dir, 'slapd.conf'), [
    'include /etc/ldap/schema/core.schema',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    `TLSCertificateFile ${join(dir, 'full.pem')}`,
    `TLSCertificateKeyFile ${c('key.pem')}`,
    '',
  ].join('\n'));
  slapd = await startPeer('slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${LDAP_PLAIN_PORT} ldaps://127.0.0.1:${ldaps}`], LDAP_PLAIN_PORT, { cwd: dir });
});

after(async () => {
  await slapd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Whether openssl s_client completes a handshake of this legacy version with the LDAPS port. */
function opensslAccepts(flag: '-tls1' | '-tls1_1'): boolean {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${ldaps}`, flag, '-cipher', 'DEFAULT@SECLEVEL=0'], { input: '', encoding: 'utf8', timeout: 10_000 });
  return /^\s*Protocol\s*:\s*TLSv1(\.1)?\s*$/m.test(r.stdout) && !/Cipher is \(NONE\)/.test(r.stdout);
}

test('StartTLS on 389 and LDAPS elsewhere: both scanned, and only the planted differences reported', async () => {
  ensureCommand('openssl', 'openssl');
  const r = await scanTopology({ path: join(dir, 'dir.sptls'), text }, { prober: nodeHandshakeProber, timeoutMs: 3000 });
  assert.deepEqual(r.endpoints.map((e) => [e.responder, e.status, e.starttls ?? 'ldaps']), [['DIR', 'scanned', 'ldap'], ['DIRS', 'scanned', 'ldaps']]);
  // DIRS presents DIR's certificate (one slapd), and — where openssl finds slapd's TLS library takes
  // TLS 1.0/1.1 — accepts versions below the 1.2 its undeclared range defaults to. DIR declares tls-min 1.0.
  const legacy = (['1.0', '1.1'] as const).filter((v) => opensslAccepts(v === '1.0' ? '-tls1' : '-tls1_1'));
  const mismatch = r.findings.find((f) => f.code === 'scan-certificate-mismatch');
  assert.deepEqual(r.findings.map((f) => `${f.code} @ ${f.connection ?? f.responder}: ${f.message}`).sort(), [
    `scan-certificate-mismatch @ DIRS: ${mismatch?.message}`,
    ...legacy.map((v) => `scan-tls-version-accepted @ DIRS: DIRS accepts TLS ${v} although the topology expects at least 1.2 (the default)`),
  ].sort());
  assert.match(mismatch!.message, /^DIRS presents a certificate that is not the one in the topology/);
  assert.ok(r.endpoints.every((e) => e.leaf?.subject.endsWith('CN=DIR')), JSON.stringify(r.endpoints));
});
