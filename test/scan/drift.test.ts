// `sptls scan` against loopback peers with planted drift: node:tls listeners (the
// project's cheap fake peer), openssl s_server, a hung service, an HTTP service and a
// port nothing listens on. Every planted drift must be found, and nothing else.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../server/src/cli/cli.ts';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { scanTopology, type ScanProgress, type ScanResult } from '../../server/src/scan/index.ts';
import { rehearsalIssuer } from '../../server/src/simulate/pki.ts';
import { startPeer, type Peer } from '../handshake/peers.ts';
import { sarifValidator } from '../support/sarif.ts';
import { ensureCommand, freePort } from '../support/system.ts';
import { deadPort, httpPeer, issued, silentPeer, tlsPeer, type Listener, type TlsPeer } from './peers.ts';

const DAY = 86_400_000;
const TIMEOUT_MS = 4000;
let dir: string;
let topology: string;
let text: string;
let now: Date;
let openssl: Peer;
const peers: Listener[] = [];
const ports: Record<string, number> = {};

// Each server of the topology and what answers at its address.
const TLS_PEERS = ['GOOD', 'SWAPPED', 'NOCHAIN', 'OLD', 'EXPIRING', 'FOREIGN', 'NAMED', 'FILED'] as const;

before(async () => {
  ensureCommand('openssl', 'openssl');
  dir = mkdtempSync(join(tmpdir(), 'sptls-scan-'));
  const tls: Record<string, TlsPeer> = {};
  for (const name of TLS_PEERS) {
    tls[name] = await tlsPeer();
    peers.push(tls[name]);
    ports[name] = tls[name].port;
  }
  const silent = await silentPeer();
  const http = await httpPeer();
  peers.push(silent, http);
  ports.SILENT = silent.port;
  ports.HTTP = http.port;
  ports.DEAD = await deadPort();
  ports.OSSL = await freePort();
  const at = (name: string) => `address "127.0.0.1" port ${ports[name]}`;
  text = `ca Root { subject "CN=Scan Root" }
ca Issuing { signed-by Root subject "CN=Scan Issuing" }
ca Other { subject "CN=Other Root" }
server SILENT { ${at('SILENT')} certificate signed-by Issuing trusts Root }
server GOOD { ${at('GOOD')} certificate signed-by Issuing trusts Root }
server OSSL { ${at('OSSL')} certificate signed-by Issuing trusts Root }
server SWAPPED { ${at('SWAPPED')} certificate signed-by Issuing trusts Root }
server NOCHAIN { ${at('NOCHAIN')} certificate signed-by Issuing trusts Root }
server OLD { ${at('OLD')} version 8.1.10 certificate signed-by Issuing trusts Root }
server EXPIRING { ${at('EXPIRING')} certificate signed-by Issuing { valid 12 days } trusts Root }
server FOREIGN { ${at('FOREIGN')} certificate signed-by Issuing trusts Root }
server NAMED { ${at('NAMED')} certificate signed-by Issuing trusts Root }
server FILED { ${at('FILED')} certificate file "filed.pem" trusts Root }
server DEAD { ${at('DEAD')} certificate signed-by Issuing trusts Root }
server HTTP { ${at('HTTP')} certificate signed-by Issuing trusts Root }
server STRANGER { address "127.0.0.1" certificate signed-by Other trusts Other }
server WRONGNAME { address "wrong.example" certificate signed-by Issuing trusts Root }
server NOWHERE { certificate signed-by Issuing trusts Root }
client C { trusts Root }
client E { trusts Other }
client F { tls-min 1.3 trusts Root }
client G { }
client D { trusts Issuing }
C -> SILENT
C -> GOOD
E -> GOOD
D -> GOOD
C -> OSSL
F -> OSSL
C -> SWAPPED
C -> NOCHAIN
C -> OLD
C -> EXPIRING
C -> FOREIGN
C -> NAMED
C -> FILED
G -> FILED
C -> DEAD
C -> HTTP
C -> NOWHERE
`;
  topology = join(dir, 'topo.sptls');
  writeFileSync(topology, text);
  now = new Date();
  const outcome = await runIssue({ topologyPath: topology, text, issuer: rehearsalIssuer, now });
  assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
  const pki = join(dir, 'pki');
  tls.GOOD!.present(issued(pki, 'GOOD'));
  tls.SWAPPED!.present(issued(pki, 'GOOD'));
  tls.NOCHAIN!.present(issued(pki, 'NOCHAIN', false));
  tls.OLD!.present(issued(pki, 'OLD'));
  tls.EXPIRING!.present(issued(pki, 'EXPIRING'));
  tls.FOREIGN!.present(issued(pki, 'STRANGER'));
  tls.NAMED!.present(issued(pki, 'WRONGNAME'));
  // FILED's certificate is known from a file (GOOD's, copied there); the host presents OLD's.
  writeFileSync(join(dir, 'filed.pem'), readFileSync(join(pki, 'components', 'GOOD', 'cert.pem')));
  tls.FILED!.present(issued(pki, 'OLD'));
  const c = join(pki, 'components', 'OSSL');
  openssl = await startPeer('openssl', ['s_server', '-quiet', '-tls1_2', '-accept', String(ports.OSSL), '-cert', join(c, 'cert.pem'), '-key', join(c, 'key.pem'), '-cert_chain', join(c, 'chain.pem')], ports.OSSL);
});

after(async () => {
  await openssl?.stop();
  for (const p of peers) await p.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `code @ anchor`: the anchor is the responder, or the connection for per-initiator findings. */
const found = (r: ScanResult) => r.findings.map((f) => `${f.code} @ ${f.connection ?? f.responder}`).sort();

const PLANTED = [
  'scan-unreachable @ SILENT', // accepts TCP, never answers
  'scan-unreachable @ DEAD', // nothing listens
  'scan-unreachable @ HTTP', // speaks HTTP
  'scan-untrusted @ E -> GOOD', // E trusts another root
  'scan-untrusted @ D -> GOOD', // D trusts only the intermediate: GSKit needs the root
  'scan-tls-version-refused @ OSSL', // openssl -tls1_2: refuses 1.3 that its range includes
  'scan-certificate-mismatch @ SWAPPED', // presents GOOD's certificate
  'scan-chain-differs @ NOCHAIN', // leaves out the intermediate
  'scan-untrusted @ C -> NOCHAIN', // …so C cannot build a path to Root
  'scan-tls-version-accepted @ OLD', // 8.1.10 caps at 1.2, the host offers 1.3
  'scan-certificate-expiring @ EXPIRING',
  'scan-certificate-mismatch @ FOREIGN', // presents a certificate of another CA
  'scan-chain-differs @ FOREIGN',
  'scan-untrusted @ C -> FOREIGN',
  'scan-certificate-mismatch @ NAMED', // presents a certificate for wrong.example
  'scan-hostname-mismatch @ NAMED',
  'scan-not-scanned @ C -> NOWHERE', // no address
  'scan-handshake-failed @ F -> OSSL', // F wants TLS 1.3 only, the host speaks 1.2 only
  'scan-certificate-mismatch @ FILED', // presents OLD's certificate, not the one in its file
  'scan-untrusted @ G -> FILED', // G trusts nothing, so nothing it is sent
];

describe('sptls scan with planted drift', () => {
  let result: ScanResult;
  const events: ScanProgress[] = [];

  before(async () => {
    // Two workers: the hung service holds one for its timeout while the other finishes the rest.
    result = await scanTopology({ path: topology, text }, { prober: nodeHandshakeProber, concurrency: 2, timeoutMs: TIMEOUT_MS, now }, { progress: (p) => events.push(p) });
  });

  test('every planted drift is found, and nothing else', () => {
    assert.deepEqual(found(result), [...PLANTED].sort());
  });

  test('each endpoint is probed once, in the words of check', () => {
    assert.equal(result.endpoints.length, 12, 'GOOD is reached by C and E but is one endpoint');
    const message = (code: string, anchor: string) => result.findings.find((f) => f.code === code && (f.connection ?? f.responder) === anchor)!.message;
    assert.match(message('scan-certificate-mismatch', 'SWAPPED'), /^SWAPPED presents a certificate that is not the one in the topology: /);
    assert.match(message('scan-tls-version-accepted', 'OLD'), /^OLD offers TLS 1\.3 although version 8\.1\.10 caps at 1\.2$/);
    const notAfter = new X509Certificate(readFileSync(join(dir, 'pki', 'components', 'EXPIRING', 'cert.pem'))).validTo;
    const days = Math.floor((Date.parse(notAfter) - now.getTime()) / DAY);
    assert.ok(days >= 11 && days <= 12, `issued for 12 days, ${days} left`);
    assert.match(message('scan-certificate-expiring', 'EXPIRING'), new RegExp(`^EXPIRING's certificate expires in ${days} day\\(s\\)`));
    assert.match(message('scan-tls-version-refused', 'OSSL'), /^OSSL refuses TLS 1\.3 although its range 1\.2–1\.3 includes it/);
    assert.match(message('scan-chain-differs', 'NOCHAIN'), /it leaves out the intermediate Issuing \('.*CN=Scan Issuing'\)/);
    assert.match(message('scan-unreachable', 'DEAD'), /refused/);
    assert.match(message('scan-certificate-mismatch', 'FILED'), /where its certificate file "filed\.pem" has [0-9A-F:]+$/);
    assert.match(message('scan-handshake-failed', 'F -> OSSL'), /^F cannot complete a handshake with OSSL: .*alert 70 protocol_version/);
    assert.match(message('scan-unreachable', 'HTTP'), /HTTP/);
    assert.match(message('scan-unreachable', 'SILENT'), new RegExp(`within ${TIMEOUT_MS} ms`));
    const line = (name: string) => text.split('\n').findIndex((l) => l.startsWith(`server ${name} `));
    const mismatch = result.findings.find((f) => f.code === 'scan-certificate-mismatch' && f.responder === 'SWAPPED')!;
    assert.equal(result.analysis.lines.position(mismatch.start).line, line('SWAPPED'), 'anchored on the responder declaration');
  });

  test('a hung host is reported without stalling the rest', () => {
    const silent = result.endpoints.find((e) => e.responder === 'SILENT')!;
    assert.equal(silent.status, 'unreachable');
    assert.ok(silent.ms >= TIMEOUT_MS, `the hung host took its timeout (${silent.ms} ms)`);
    // The other worker finished every other endpoint while SILENT waited: its completion is the last event.
    assert.equal(events.at(-1)!.endpoint, `127.0.0.1:${ports.SILENT}`);
    assert.equal(events.at(-1)!.done, 12);
    assert.ok(result.ms < 2 * TIMEOUT_MS, `the scan took ${result.ms} ms`);
  });

  test('an expired certificate is reported as such when the clock has passed its end', async () => {
    const later = new Date(now.getTime() + 13 * DAY);
    const r = await scanTopology({ path: topology, text }, { prober: nodeHandshakeProber, timeoutMs: 1000, now: later });
    const expected = PLANTED.map((p) => (p === 'scan-certificate-expiring @ EXPIRING' ? 'scan-certificate-expired @ EXPIRING' : p)).sort();
    assert.deepEqual(found(r), expected);
    assert.match(r.findings.find((f) => f.code === 'scan-certificate-expired')!.message, /^EXPIRING's certificate expired 1 day\(s\) ago, on /);
  });
});

describe('sptls scan on the command line', () => {
  const cli = async (...argv: string[]) => {
    let out = '', err = '';
    const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir, env: {} });
    return { code, out, err };
  };

  test('text: findings as check prints them, endpoint lines, a summary, exit 1', async () => {
    const r = await cli('scan', 'topo.sptls', '--timeout', '1000', '--now', now.toISOString());
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^topo\.sptls:\d+:8: error scan-certificate-mismatch: SWAPPED presents a certificate that is not the one in the topology/m);
    assert.match(r.out, /^ {2}GOOD +127\.0\.0\.1:\d+ {2}TLSv1\.3; accepts TLS 1\.2, 1\.3; presents /m);
    assert.match(r.err, /^12 endpoint\(s\) scanned in [\d.]+ s \(9 answered, 3 unreachable\): 14 error\(s\), 5 warning\(s\)$/m);
    assert.doesNotMatch(r.err, /\r/, 'no progress line when stderr is not a terminal');
  });

  test('json carries the same findings with LSP positions', async () => {
    const r = await cli('scan', 'topo.sptls', '--timeout', '1000', '--format', 'json', '--now', now.toISOString());
    const json = JSON.parse(r.out) as { schema: string; counts: { endpoints: number; errors: number }; findings: Array<{ code: string; range: { start: { line: number } } }> };
    assert.equal(json.schema, 'sptls.scan/1');
    assert.equal(json.counts.endpoints, 12);
    assert.equal(json.findings.length, PLANTED.length);
    assert.equal(r.code, 1);
  });

  test('sarif: a valid SARIF 2.1.0 log with the findings; github: one annotation each', async () => {
    const sarif = await cli('scan', 'topo.sptls', '--timeout', '1000', '--format', 'sarif', '--now', now.toISOString());
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.out) as { runs: Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const results = log.runs[0]!.results;
    assert.equal(results.length, PLANTED.length);
    assert.ok(results.every((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'topo.sptls'));
    assert.equal(results.filter((r) => r.level === 'error').length, 14);
    const gh = await cli('scan', 'topo.sptls', '--timeout', '1000', '--format', 'github', '--now', now.toISOString());
    assert.equal(gh.code, 1);
    const lines = gh.out.trimEnd().split('\n');
    assert.equal(lines.length, PLANTED.length);
    assert.equal(lines.filter((l) => l.startsWith('::error file=topo.sptls,line=')).length, 14);
    assert.ok(lines.some((l) => /^::warning file=topo\.sptls,line=\d+,endLine=\d+,col=8,endColumn=15,title=sptls scan-chain-differs::NOCHAIN sends the chain /.test(l)), gh.out);
  });

  test('--pki DIR: the certificates are compared with the PKI there; with none, they are not judged', async () => {
    cpSync(join(dir, 'pki'), join(dir, 'elsewhere'), { recursive: true });
    const moved = await cli('scan', 'topo.sptls', '--timeout', '1000', '--format', 'json', '--pki', 'elsewhere', '--now', now.toISOString());
    const codes = (out: string) => (JSON.parse(out) as { findings: Array<{ code: string; responder: string; connection?: string }> }).findings.map((f) => `${f.code} @ ${f.connection ?? f.responder}`).sort();
    assert.deepEqual(codes(moved.out), [...PLANTED].sort());
    mkdirSync(join(dir, 'empty'));
    const none = await cli('scan', 'topo.sptls', '--timeout', '1000', '--format', 'json', '--pki', 'empty', '--now', now.toISOString());
    const found = codes(none.out);
    assert.ok(!found.some((f) => f.startsWith('scan-certificate-mismatch @ SWAPPED')), 'without the issued PKI nothing says what SWAPPED should present');
    assert.ok(found.includes('scan-not-judged @ SWAPPED'));
    assert.ok(found.includes('scan-certificate-mismatch @ FILED'), 'a certificate file is compared without any PKI');
  });

  test('usage errors exit 2', async () => {
    assert.equal((await cli('scan', 'topo.sptls', '--concurrency', '0')).code, 2);
    assert.equal((await cli('scan', 'topo.sptls', '--format', 'xml')).code, 2);
    assert.equal((await cli('scan', 'missing.sptls')).code, 2);
  });
});
