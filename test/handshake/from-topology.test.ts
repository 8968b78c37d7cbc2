// `sptls handshake HOST:PORT --from COMPONENT --topology FILE`: real node:tls listeners on
// 127.0.0.1 serve certificates issued by `sptls issue` (EC keys, for speed); the handshake
// must trust what the component trusts and say whether the certificate presented is the
// one the topology issued for the responder it finds at HOST:PORT.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { main } from '../../server/src/cli/cli.ts';
import type { HandshakeReport } from '../../server/src/handshake/report.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { rehearsalIssuer } from '../../server/src/simulate/pki.ts';

let dir: string;
let topology: string;
const ports: Record<string, number> = {};
const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];

/**
 * A TLS listener on a port the system picks; it gets its certificate later (`serveAs`),
 * once the topology that names the port has been issued. Listening first leaves no window
 * in which another test could take the port.
 */
async function listener(): Promise<{ server: Server; port: number }> {
  const server = createServer({});
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  servers.push({ server, sockets });
  return { server, port: (server.address() as { port: number }).port };
}

/** Makes `server` present component `name`'s issued certificate and chain. */
function serveAs(server: Server, name: string): void {
  const file = (f: string) => readFileSync(join(dir, 'pki', 'components', name, f), 'utf8');
  server.setSecureContext({ key: file('key.pem'), cert: file('cert.pem') + file('chain.pem') });
}

const issuedFingerprint = (name: string): string =>
  (JSON.parse(readFileSync(join(dir, 'pki', 'manifest.json'), 'utf8')) as { entries: Record<string, { fingerprintSha256: string }> }).entries[name]!.fingerprintSha256;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir, env: {} });
  return { code, out, err };
}

async function probe(target: string, ...more: string[]): Promise<HandshakeReport> {
  const r = await cli('handshake', target, '--topology', 'topo.sptls', '--format', 'json', '--timeout', '3000', ...more);
  assert.equal(r.err, '', r.err);
  return JSON.parse(r.out) as HandshakeReport;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sptls-from-'));
  const listeners: Record<string, Server> = {};
  for (const name of ['SP', 'SP2', 'OTHER', 'FOREIGN', 'unlisted']) {
    const l = await listener();
    listeners[name] = l.server;
    ports[name] = l.port;
  }
  topology = join(dir, 'topo.sptls');
  writeFileSync(topology, `ca Root { subject "CN=Test Root" }
ca Issuing { signed-by Root subject "CN=Test Issuing" }
ca Elsewhere { subject "CN=Elsewhere Root" }
server SP { address "127.0.0.1" port ${ports.SP} certificate signed-by Issuing trusts Root }
server SP2 { address "127.0.0.1" port ${ports.SP2} certificate signed-by Issuing trusts Root }
server OTHER { address "other.test" certificate signed-by Issuing trusts Root }
server FOREIGN { address "foreign.test" certificate signed-by Elsewhere trusts Root }
server NEAR { address "localhost" certificate signed-by Issuing trusts Root }
client C { trusts Root }
client LONELY { }
C -> SP
C -> NEAR
client MID { trusts Issuing }
MID -> SP
LONELY -> SP
`);
  const issued = await runIssue({ topologyPath: topology, text: readFileSync(topology, 'utf8'), issuer: rehearsalIssuer });
  assert.equal(issued.kind, 'done', JSON.stringify(issued));
  serveAs(listeners.SP!, 'SP');
  serveAs(listeners.SP2!, 'OTHER'); // SP2's port answers with another component's certificate
  serveAs(listeners.OTHER!, 'OTHER');
  serveAs(listeners.FOREIGN!, 'FOREIGN');
  serveAs(listeners.unlisted!, 'NEAR');
});

after(async () => {
  for (const { server, sockets } of servers) { for (const s of sockets) s.destroy(); await new Promise((r) => server.close(r)); }
  rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  target: () => string;
  /** The initiator; default C. */
  from?: string;
  args?: string[];
  responder: string | null;
  /** How the responder was found, as the reason says it. */
  how?: RegExp;
  topology: 'pass' | 'fail' | 'skip';
  codes?: string[];
  chain: 'pass' | 'fail';
  exit: 0 | 1;
  /** The certificate served, whose fingerprint a mismatch must quote. */
  served?: string;
}

const cases: Case[] = [
  { name: 'address and port match, the issued certificate is served', target: () => `127.0.0.1:${ports.SP}`, responder: 'SP', how: /address 127\.0\.0\.1 and port \d+ match/, topology: 'pass', chain: 'pass', exit: 0 },
  { name: 'SP2 answers with OTHER\'s certificate (same CA): fingerprint and SANs differ', target: () => `127.0.0.1:${ports.SP2}`, responder: 'SP2', topology: 'fail', codes: ['unexpected-certificate', 'sans-differ'], chain: 'pass', exit: 1, served: 'OTHER' },
  { name: 'found by --servername (its address)', target: () => `127.0.0.1:${ports.OTHER}`, args: ['--servername', 'other.test'], responder: 'OTHER', how: /--servername other\.test is its address/, topology: 'pass', chain: 'pass', exit: 0 },
  { name: 'found by --servername, but another CA issued what is served: issuer differs, chain untrusted', target: () => `127.0.0.1:${ports.FOREIGN}`, args: ['--servername', 'other.test'], responder: 'OTHER', topology: 'fail', codes: ['unexpected-certificate', 'issuer-differs', 'sans-differ'], chain: 'fail', exit: 1, served: 'FOREIGN' },
  { name: 'found through the connection C -> NEAR (address localhost, another port)', target: () => `localhost:${ports.unlisted}`, responder: 'NEAR', how: /connection C -> NEAR \(line 12\)/, topology: 'pass', chain: 'pass', exit: 0 },
  { name: 'no responder at HOST:PORT (SP2 has no connection there): compared with nothing, said so', target: () => `127.0.0.1:${ports.unlisted}`, from: 'SP2', responder: null, topology: 'skip', chain: 'pass', exit: 1 /* NEAR's certificate names localhost, not 127.0.0.1 */ },
];

describe('handshake --from against issued certificates on 127.0.0.1', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const report = await probe(c.target(), '--from', c.from ?? 'C', ...(c.args ?? []));
      const check = report.checks.find((k) => k.id === 'topology');
      assert.ok(check, 'a topology check is reported');
      assert.equal(check.status, c.topology, check.reason);
      assert.equal(report.checks.find((k) => k.id === 'chain')?.status, c.chain);
      assert.equal(report.exitCode, c.exit, report.summary);
      assert.deepEqual(report.trust.labels, ['Root'], 'the trust set is what C trusts');
      if (c.codes) assert.deepEqual(check.codes, c.codes);
      if (c.responder) assert.match(check.reason, new RegExp(`\\b${c.responder}\\b`));
      else assert.match(check.reason, /names no responder/);
      if (c.how) assert.match(check.reason, c.how);
      if (c.topology === 'pass') assert.ok(check.reason.includes(issuedFingerprint(c.responder!).slice(0, 23)), 'quotes the issued fingerprint');
      if (c.served) {
        assert.ok(check.reason.includes(issuedFingerprint(c.responder!)), 'quotes the expected fingerprint');
        assert.ok(check.reason.includes(issuedFingerprint(c.served)), 'quotes the presented fingerprint');
        assert.equal(report.chain[0]!.fingerprintSha256, issuedFingerprint(c.served));
      }
    });
  }

  it('text output shows the topology check with its plain-words reason', async () => {
    const r = await cli('handshake', `127.0.0.1:${ports.SP2}`, '--from', 'C', '--topology', 'topo.sptls');
    assert.equal(r.code, 1);
    assert.match(r.out, /^FINDINGS/);
    assert.match(r.out, /FAIL {2}topology {4}the server at 127\.0\.0\.1:\d+ should be SP2 .* but it presented another certificate/);
  });
});

describe('handshake --from judges trust as check does (spec §4.2: the root must be trusted)', () => {
  async function untrustedByCheck(line: number): Promise<boolean> {
    const r = await cli('check', 'topo.sptls', '--format', 'json');
    const found = (JSON.parse(r.out) as { files: Array<{ diagnostics: Array<{ code: string; range: { start: { line: number } } }> }> }).files[0]!.diagnostics;
    return found.some((d) => d.code === 'untrusted-responder' && d.range.start.line + 1 === line);
  }

  it('a component trusting only the intermediate CA: root-not-trusted, exit 1, and check says untrusted too', async () => {
    const report = await probe(`127.0.0.1:${ports.SP}`, '--from', 'MID');
    const chain = report.checks.find((k) => k.id === 'chain')!;
    assert.equal(chain.status, 'fail', chain.reason);
    assert.deepEqual(chain.codes, ['root-not-trusted']);
    assert.match(chain.reason, /trusted intermediate 'CN=Test Issuing', but its root 'CN=Test Root' is not in the trust set \(Issuing\)/);
    assert.equal(report.exitCode, 1);
    assert.equal(await untrustedByCheck(14), true, 'check reports untrusted-responder on MID -> SP');
  });

  it('a component that trusts nothing: an empty trust set (not Node\'s public roots), exit 1, as check says', async () => {
    const report = await probe(`127.0.0.1:${ports.SP}`, '--from', 'LONELY');
    assert.deepEqual(report.trust, { source: 'given', labels: [], count: 0 });
    const chain = report.checks.find((k) => k.id === 'chain')!;
    assert.equal(chain.status, 'fail');
    assert.match(chain.reason, /the trust set, which is empty/);
    assert.equal(report.exitCode, 1);
    assert.equal(await untrustedByCheck(15), true, 'check reports untrusted-responder on LONELY -> SP');
    const text = await cli('handshake', `127.0.0.1:${ports.SP}`, '--from', 'LONELY', '--topology', 'topo.sptls');
    assert.match(text.out, /trust +nothing \(the trust set is empty\)/);
  });
});

describe('handshake --from: bad input exits 2 with a clear message', () => {
  const errors: Array<{ name: string; args: () => string[]; message: RegExp }> = [
    { name: 'unknown component', args: () => ['--from', 'NOPE', '--topology', 'topo.sptls'], message: /declares no component NOPE \(components: SP, SP2/ },
    { name: 'a CA is not a component', args: () => ['--from', 'Root', '--topology', 'topo.sptls'], message: /Root is a ca/ },
    { name: 'no issued PKI', args: () => ['--from', 'C', '--topology', 'topo.sptls', '--pki', 'missing'], message: /no issued PKI in .*missing .*run sptls issue topo\.sptls --out .*missing.* first/ },
    { name: '--from without --topology', args: () => ['--from', 'C'], message: /--from goes with --topology FILE/ },
    { name: '--trust with --from', args: () => ['--from', 'C', '--topology', 'topo.sptls', '--trust', 'pki/ca/Root.crt.pem'], message: /--trust and --from exclude each other/ },
  ];
  for (const e of errors) {
    it(e.name, async () => {
      const r = await cli('handshake', `127.0.0.1:${ports.SP}`, ...e.args());
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, e.message);
    });
  }

  it('a topology without pki/ beside it says to run sptls issue first', async () => {
    const bare = join(dir, 'bare');
    rmSync(bare, { recursive: true, force: true });
    mkdirSync(bare);
    writeFileSync(join(bare, 'b.sptls'), readFileSync(topology, 'utf8'));
    const r = await cli('handshake', `127.0.0.1:${ports.SP}`, '--from', 'C', '--topology', 'bare/b.sptls');
    assert.equal(r.code, 2);
    assert.match(r.err, /no issued PKI in .*bare\/pki .*run sptls issue bare\/b\.sptls first/);
  });
});
