// The server's "Test handshake" and "Simulate topology" commands: lens arguments from the
// real code-lens feature, a real listener on 127.0.0.1 serving an issued certificate, and
// the result every client shows.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { pathToFileURL } from 'node:url';
import type { TestHandshakeOptions } from '../../../protocol/index.ts';
import type { Diagnostic } from 'vscode-languageserver';
import { createFakeProber, fakeReport, nodeHandshakeProber } from '../../../server/src/handshake/index.ts';
import { knownTarget, lensArguments, makeTestHandshake, testHandshake, unlessCancelled } from '../../../server/src/lsp/commands/handshake.ts';
import type { CommandContext } from '../../../server/src/lsp/commands/registry.ts';
import { simulationText } from '../../../server/src/lsp/commands/simulate.ts';
import { DocumentStore } from '../../../server/src/lsp/documents.ts';
import { codeLenses } from '../../../server/src/lsp/features/code-lens.ts';
import { runIssue } from '../../../server/src/pki/issue/run.ts';
import { rehearsalIssuer } from '../../../server/src/simulate/pki.ts';
import { analyzeTopology } from '../../../server/src/workspace/topology.ts';

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

const lensArgs = (): TestHandshakeOptions[] =>
  codeLenses(analyzeTopology(topology, text), pathToFileURL(topology).href).map((l) => lensArguments(l.command!.arguments![1] as Record<string, unknown>)!);

/** A command context with no client: progress and findings are recorded. */
function context(signal = new AbortController().signal) {
  const steps: string[] = [];
  const findings: Array<[string, string, Diagnostic | null]> = [];
  const ctx: CommandContext = {
    documents: new DocumentStore({ expiryWarningDays: 30, maxDocumentSize: 4 * 1024 * 1024 }), progress: (m) => steps.push(m), signal, showDocument: async () => {},
    finding: (uri, key, d) => findings.push([uri, key, d]),
  };
  return { ctx, steps, findings };
}

describe('lens arguments', () => {
  const good = { line: 3, initiator: 'C', responder: 'SP', host: 'h', port: 1500 };
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['complete', good, true],
    ['without host and port', { ...good, host: undefined, port: undefined }, true],
    ['nothing', {}, false],
    ['port out of range', { ...good, port: 70000 }, false],
    ['port as text', { ...good, port: '1500' }, false],
    ['no initiator', { ...good, initiator: undefined }, false],
  ];
  for (const [name, raw, ok] of cases) it(name, () => assert.equal(lensArguments(raw) !== null, ok));

  it('every lens of the topology passes its own check', () => {
    const args = lensArgs();
    assert.deepEqual(args.map((a) => `${a.initiator}->${a.responder} ${knownTarget(a) ? 'known' : 'ask'}`), ['C->SP known', 'C->FAR ask']);
  });

  it('without an address the command asks for a target; a typed one is checked before anything is probed', async () => {
    const far = lensArgs()[1]!;
    const prober = createFakeProber();
    const command = makeTestHandshake(prober);
    const uri = pathToFileURL(topology).href;
    const ask = await command.run([uri, far], context().ctx);
    assert.equal(ask.ok, false);
    assert.match(ask.summary, /FAR has no address in the topology: give the target "HOST:PORT"/);
    assert.match((await command.run([uri, { ...far, target: 'far.test' }], context().ctx)).summary, /not HOST:PORT/);
    assert.match((await command.run([uri, { ...far, target: 'far.test:0' }], context().ctx)).summary, /outside 1\.\.65535/);
    assert.equal(prober.calls.length, 0);
  });

  it('arguments that are not [uri, lens options] are refused as such', async () => {
    const command = makeTestHandshake(createFakeProber());
    await assert.rejects(command.run([], context().ctx), /first argument must be the document URI/);
    await assert.rejects(command.run(['file:///t.sptls', 'C -> SP'], context().ctx), /second argument must be an options object/);
    await assert.rejects(command.run(['file:///t.sptls', { initiator: 'C' }], context().ctx), /lens's \{ line, initiator, responder/);
  });
});

describe('test handshake as the initiator', () => {
  it('the server command, run with the lens of C -> SP, answers the report text with the verdict first', async () => {
    const { ctx, steps, findings } = context();
    const r = await makeTestHandshake(nodeHandshakeProber).run([pathToFileURL(topology).href, lensArgs()[0]!], ctx);
    assert.equal(r.ok, true, r.text);
    assert.deepEqual(findings, [[pathToFileURL(topology).href, 'handshake C -> SP', null]], 'a trusted handshake clears the connection\'s finding');
    assert.match(r.summary, /^TRUSTED {2}127\.0\.0\.1:\d+ {2}exit 0$/);
    assert.equal(r.text.split('\n')[0], r.summary);
    assert.deepEqual(steps, [`handshake with SP (127.0.0.1:${knownTarget(lensArgs()[0]!)!.port}) as C`]);
  });

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

  it('a handshake that is not trusted is a finding on the connection\'s line, with the failed checks', async () => {
    const { ctx, findings } = context();
    const prober = createFakeProber((t) => fakeReport(t, { outcome: 'findings', exitCode: 1, summary: 'the certificate is not valid for its name',
      checks: [{ id: 'hostname', status: 'fail', reason: 'name mismatch: not valid for 127.0.0.1', codes: ['name-mismatch'] }] }));
    const args = lensArgs()[0]!;
    const r = await makeTestHandshake(prober).run([pathToFileURL(topology).href, args], ctx);
    assert.equal(r.ok, false);
    assert.equal(findings.length, 1);
    const [uri, key, d] = findings[0]!;
    assert.deepEqual([uri, key], [pathToFileURL(topology).href, 'handshake C -> SP']);
    assert.ok(d);
    assert.deepEqual(d.range.start, { line: args.line, character: 0 });
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'sptls handshake');
    assert.match(d.message as string, /^the live handshake C -> SP at 127\.0\.0\.1:\d+: /);
    assert.match(d.message as string, /hostname: name mismatch: not valid for 127\.0\.0\.1/);
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
    const controller = new AbortController();
    const slow = new Promise<string>((r) => setTimeout(() => r('late'), 2000).unref());
    const waiting = unlessCancelled(slow, controller.signal);
    controller.abort();
    assert.equal(await waiting, null);
    assert.equal(await unlessCancelled(Promise.resolve('done'), new AbortController().signal), 'done');
  });

  it('a command cancelled while it probes answers "cancelled" without waiting for the peer', async () => {
    const controller = new AbortController();
    // A prober that never answers: only the cancellation can end the command.
    const prober = { ...createFakeProber(), probe: () => new Promise<never>(() => {}) };
    const running = makeTestHandshake(prober).run([pathToFileURL(topology).href, lensArgs()[0]!], context(controller.signal).ctx);
    controller.abort();
    const r = await running;
    assert.deepEqual([r.ok, r.summary], [false, 'cancelled']);
  });
});
