// The "Scan environment" command in the bundled language server, driven over stdio as an
// editor drives it: workspace/executeCommand with a work-done token, $/progress in
// return, the findings as LSP diagnostics, and cancellation that ends the scan early.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { startFleet, type Fleet } from '../scan/fleet.ts';
import { deadPort, silentPeer, type Listener } from '../scan/peers.ts';
import { ensureBuilt, initialize, startServerProcess, type ServerProcess } from './server-process.ts';

let fleet: Fleet;
let silent: Listener;
let server: ServerProcess;
let dead: number;

before(async () => {
  ensureBuilt();
  fleet = await startFleet(2);
  silent = await silentPeer();
  dead = await deadPort();
  server = startServerProcess();
  await initialize(server);
});

after(async () => {
  await server?.stop();
  await silent?.close();
  await fleet?.close();
});

/** A loopback TCP listener that counts the connections it gets. */
async function countingPeer(): Promise<{ port: number; connections(): number; close(): void }> {
  let connections = 0;
  const server = createServer((socket) => { connections++; socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, connections: () => connections, close: () => server.close() };
}

interface Progress { token: string; value: { kind: string; message?: string; percentage?: number } }

function open(name: string, text: string): string {
  const path = join(fleet.dir, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  void server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
  return uri;
}

test('the server advertises the command with work-done progress', async () => {
  const s = startServerProcess();
  try {
    const init = await initialize(s);
    assert.ok((init.capabilities.executeCommandProvider as { commands: string[] }).commands.includes('sptls.scanEnvironment'));
  } finally {
    await s.stop();
  }
});

test('scans the open topology: progress from 0 to every endpoint, the drift as diagnostics', async () => {
  const text = `${fleet.text}server DEAD { address "127.0.0.1" port ${dead} certificate signed-by Issuing trusts Root }\nC -> DEAD\n`;
  const uri = open('scan.sptls', text);
  const progress: Progress[] = [];
  const listening = server.conn.onNotification('$/progress', (p: Progress) => { progress.push(p); });
  const published = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.source === 'sptls scan'));
  const result = await server.conn.sendRequest('workspace/executeCommand', { command: 'sptls.scanEnvironment', arguments: [uri], workDoneToken: 'scan-1' }) as { ok: boolean; summary: string; text: string };
  listening.dispose();
  assert.equal(result.ok, false);
  assert.match(result.summary, /^scanned scan\.sptls: 3 endpoint\(s\) scanned in [\d.]+ s \(2 answered, 1 unreachable\): 1 error\(s\), 0 warning\(s\)$/);
  assert.match(result.text, /^scan\.sptls:\d+:8: error scan-unreachable: DEAD at 127\.0\.0\.1:\d+ cannot be scanned/m);
  const shown = (await published).diagnostics.filter((d) => d.source === 'sptls scan');
  assert.deepEqual(shown.map((d) => [d.code, d.severity, d.range.start.line]), [
    ['scan-unreachable', 1, text.split('\n').findIndex((l) => l.startsWith('server DEAD'))],
  ]);
  const mine = progress.filter((p) => p.token === 'scan-1').map((p) => p.value);
  assert.equal(mine[0]!.kind, 'begin');
  assert.equal(mine.at(-1)!.kind, 'end');
  assert.deepEqual(mine.filter((v) => v.kind === 'report').map((v) => v.message), ['0/3 endpoint(s) done', '1/3 endpoint(s) done', '2/3 endpoint(s) done', '3/3 endpoint(s) done']);
});

test('cancelling the request ends the scan without waiting for a hung host', async () => {
  const text = `server HUNG { address "127.0.0.1" port ${silent.port} }\nclient C { }\nC -> HUNG\n`;
  const uri = open('hung.sptls', text);
  const source = new CancellationTokenSource();
  const listening = server.conn.onNotification('$/progress', (p: Progress) => { if (p.token === 'scan-2' && p.value.kind === 'begin') source.cancel(); });
  const started = Date.now();
  const answer = await server.conn.sendRequest('workspace/executeCommand', { command: 'sptls.scanEnvironment', arguments: [uri], workDoneToken: 'scan-2' }, source.token)
    .then((r) => ({ result: r as { summary: string } }), (e: unknown) => ({ error: e as { code: number } }));
  listening.dispose();
  // The handshake timeout is 5 s by default: an answer well before it means the scan stopped.
  assert.ok(Date.now() - started < 4000, `answered after ${Date.now() - started} ms`);
  assert.ok('error' in answer && answer.error.code === -32800, JSON.stringify(answer));
});

test('refuses to scan in an untrusted workspace, and connects to nothing', async () => {
  const s = startServerProcess();
  const listener = await countingPeer();
  try {
    await s.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { trusted: false } });
    await s.conn.sendNotification('initialized', {});
    const text = `server SP { address "127.0.0.1" port ${listener.port} }\nclient C { }\nC -> SP\n`;
    const path = join(fleet.dir, 'untrusted.sptls');
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
    await assert.rejects(s.conn.sendRequest('workspace/executeCommand', { command: 'sptls.scanEnvironment', arguments: [uri] }), /runs only in a trusted workspace/);
    assert.equal(listener.connections(), 0);
  } finally {
    await s.stop();
    listener.close();
  }
});

test('refuses what is not a saved topology', async () => {
  const r = await server.conn.sendRequest('workspace/executeCommand', { command: 'sptls.scanEnvironment', arguments: ['untitled:Untitled-1'] }) as { ok: boolean; summary: string };
  assert.equal(r.ok, false);
  assert.match(r.summary, /^not scanned: save the topology first/);
});
