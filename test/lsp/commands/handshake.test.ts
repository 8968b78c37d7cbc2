// The editor's "Test handshake" and "Simulate topology" commands without VS Code: lens
// arguments from the real code-lens feature, a real listener on 127.0.0.1 serving an
// issued certificate, and the text the result view shows.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import {
  knownTarget, lensArguments, simulationText, targetProblem, targetPrompt, testHandshake, unlessCancelled, type TestHandshakeArgs,
} from '../../client/src/commands/handshake-logic.ts';
import { createFakeProber, nodeHandshakeProber } from '../../server/src/handshake/index.ts';
import { codeLenses } from '../../server/src/lsp/features/code-lens.ts';
import { analyzeTopology, runIssue } from '../../server/src/pki/issue/run.ts';
import { rehearsalIssuer } from '../../server/src/simulate/pki.ts';

let dir: string;
let topology: string;
let text: string;
let server: Server;
const sockets = new Set<Socket>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sptls-client-hs-'));
  // Listen first on a port the system picks, and give the listener its certificate once the
  // topology naming that port is issued: no window for another test to take the port.
  server = createServer({});
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  topology = join(dir, 'topo.sptls');
  text = `ca Root { subject "CN=Client Test Root" }
server SP { address "127.0.0.1" port ${port} certificate signed-by Root trusts Root }
server FAR { certificate signed-by Root trusts Root }
client C { trusts Root }
C -> SP
C -> FAR
`;
  writeFileSync(topology, text);
  const issued = await runIssue({ topologyPath: topology, text, issuer: rehearsalIssuer });
  assert.equal(issued.kind, 'done');
  const file = (f: string) => readFileSync(join(dir, 'pki', 'components', 'SP', f), 'utf8');
  server.setSecureContext({ key: file('key.pem'), cert: file('cert.pem') + file('chain.pem') });
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const lensArgs = (): TestHandshakeArgs[] =>
  codeLenses(analyzeTopology(topology, text), `file://${topology}`).map((l) => lensArguments(l.command!.arguments![0])!);

describe('lens arguments', () => {
  const good = { uri: 'file:///t.sptls', line: 3, initiator: 'C', responder: 'SP', host: 'h', port: 1500 };
  const cases: Array<[string, unknown, boolean]> = [
    ['complete', good, true],
    ['without host and port', { ...good, host: undefined, port: undefined }, true],
    ['nothing', undefined, false],
    ['a string', 'C -> SP', false],
    ['port out of range', { ...good, port: 70000 }, false],
    ['port as text', { ...good, port: '1500' }, false],
    ['no initiator', { ...good, initiator: undefined }, false],
  ];
  for (const [name, raw, ok] of cases) it(name, () => assert.equal(lensArguments(raw) !== null, ok));

  it('every lens of the topology passes its own check', () => {
    const args = lensArgs();
    assert.deepEqual(args.map((a) => `${a.initiator}->${a.responder} ${knownTarget(a) ? 'known' : 'ask'}`), ['C->SP known', 'C->FAR ask']);
  });

  it('asks for what the topology lacks, and validates the answer', () => {
    const far = lensArgs()[1]!;
    assert.deepEqual(targetPrompt(far), { value: ':1500', prompt: 'FAR has no address in the topology: where does it listen? (HOST:PORT)' });
    assert.equal(targetProblem('far.test:1500'), null);
    assert.match(targetProblem('far.test') ?? '', /not HOST:PORT/);
    assert.match(targetProblem('far.test:0') ?? '', /outside 1\.\.65535/);
  });
});

describe('test handshake as the initiator', () => {
  it('the lens of C -> SP reaches the listener, trusts via Root and finds the issued certificate', async () => {
    const args = lensArgs()[0]!;
    const r = await testHandshake({ topologyPath: topology, text, args, target: knownTarget(args)!, prober: nodeHandshakeProber, timeoutMs: 3000 });
    assert.equal(r.kind, 'report');
    if (r.kind !== 'report') return;
    assert.equal(r.report.outcome, 'trusted', r.report.summary);
    assert.match(r.text.split('\n')[0]!, /^TRUSTED {2}127\.0\.0\.1:\d+ {2}exit 0$/, 'the verdict comes first');
    assert.match(r.text, /ok {4}topology {4}the server is SP \(its address 127\.0\.0\.1 and port \d+ match\)/);
    assert.match(r.text, /C -> SP {2}\(topo\.sptls, line 5\), tested as C/);
  });

  it('the user\'s answer for FAR is used; the certificate there is SP\'s, which the report says', async () => {
    const far = lensArgs()[1]!;
    const sp = knownTarget(lensArgs()[0]!)!;
    const r = await testHandshake({ topologyPath: topology, text, args: far, target: sp, prober: nodeHandshakeProber, timeoutMs: 3000 });
    assert.equal(r.kind, 'report');
    if (r.kind === 'report') assert.match(r.text, /topology {4}the server is SP/, 'HOST:PORT is SP\'s endpoint: the topology says who answers there');
  });

  it('without an issued PKI nothing is probed and the message says what to run', async () => {
    const bare = join(dir, 'bare');
    mkdirSync(bare, { recursive: true });
    const path = join(bare, 'b.sptls');
    writeFileSync(path, text);
    const prober = createFakeProber();
    const r = await testHandshake({ topologyPath: path, text, args: lensArgs()[0]!, target: { host: '127.0.0.1', port: 1 }, prober });
    assert.deepEqual(r.kind, 'refused');
    if (r.kind === 'refused') assert.match(r.message, /run sptls issue b\.sptls first/);
    assert.equal(prober.calls.length, 0);
  });
});

describe('simulate and cancellation', () => {
  it('the simulate matrix of the topology, with its issued PKI', async () => {
    const out = await simulationText(topology, text, { prober: nodeHandshakeProber, timeoutMs: 3000 });
    assert.match(out, /PKI: .*pki \(issued\)/);
    assert.match(out, /C -> SP +node +trusted +handshake ok, chain trusted +TLSv1\.3 +agree/);
  });

  it('a cancelled wait resolves with null at once; an uncancelled one with the result', async () => {
    let cancel: () => void = () => {};
    const slow = new Promise<string>((r) => setTimeout(() => r('late'), 2000).unref());
    const waiting = unlessCancelled(slow, (l) => { cancel = l; });
    cancel();
    assert.equal(await waiting, null);
    assert.equal(await unlessCancelled(Promise.resolve('done'), () => {}), 'done');
  });
});
