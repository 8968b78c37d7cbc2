// Issue 13 against the bundled language server over stdio: requests before `initialize`
// (item 9a), certificate files named by an untrusted workspace (item 3) and huge documents
// (item 8). The server's peak RSS is read from /proc once the awaited answer has come.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { CLIENT_CAPABILITIES, ensureBuilt, startServerProcess, type ServerProcess } from '../lsp/server-process.ts';
import { makeCorpus, SMALL_TOPOLOGY, type Corpus } from './corpus.ts';
import { buildChain, fixtureKey } from '../pki/support.ts';

/** The server process's peak resident set (VmHWM), in MiB. */
function peakMiB(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)![1]) / 1024;
}

async function start(initializationOptions: Record<string, unknown>, rootUri: string | null): Promise<{ server: ServerProcess; messages: string[]; nextMessage: () => Promise<string> }> {
  const server = startServerProcess();
  const messages: string[] = [];
  const waiting: Array<(m: string) => void> = [];
  server.conn.onNotification('window/showMessage', (p: { message: string }) => {
    messages.push(p.message);
    waiting.shift()?.(p.message);
  });
  await server.conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: CLIENT_CAPABILITIES, initializationOptions: { diagnosticsDelay: 0, ...initializationOptions } });
  await server.conn.sendNotification('initialized', {});
  const nextMessage = () => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no window/showMessage within 30 s; stderr: ${server.stderr()}`)), 30_000);
    waiting.push((m) => { clearTimeout(timer); resolve(m); });
  });
  return { server, messages, nextMessage };
}

const open = (server: ServerProcess, uri: string, text: string, version = 1) =>
  server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version, text } });

let dir: string;
let corpus: Corpus;
before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sptls-hostile-lsp-'));
  corpus = makeCorpus(join(dir, 'corpus'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('item 9a: before initialize', () => {
  test('requests get error -32002 (ServerNotInitialized), not null', async () => {
    const server = startServerProcess();
    try {
      const uri = pathToFileURL(join(dir, 'early.sptls')).href;
      for (const [method, params] of [
        ['textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }],
        ['textDocument/semanticTokens/full', { textDocument: { uri } }],
        ['workspace/symbol', { query: '' }],
        ['workspace/executeCommand', { command: 'sptls.anything', arguments: [] }],
      ] as const) {
        await assert.rejects(server.conn.sendRequest(method, params), (e: { code?: number }) => e.code === -32002, method);
      }
      // A notification before initialize is dropped: the document is not open afterwards.
      await open(server, uri, SMALL_TOPOLOGY);
      await server.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: CLIENT_CAPABILITIES });
      await server.conn.sendNotification('initialized', {});
      assert.equal(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } }), null);
    } finally {
      await server.stop();
    }
  });
});

describe('item 3: certificate files in an untrusted workspace', () => {
  test('files outside the workspace folders are not read until the workspace is trusted; a 1.5 GiB file inside is refused bounded', async () => {
    const workspace = join(dir, 'ws');
    const outside = join(dir, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    const chain = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);
    writeFileSync(join(outside, 'root.pem'), `-----BEGIN CERTIFICATE-----\n${chain.root.der.toString('base64')}\n-----END CERTIFICATE-----\n`);
    const text = `ca Root { file "../outside/root.pem" }\nca Big { file "${corpus.certificates.sparse}" }\n`;
    const uri = pathToFileURL(join(workspace, 'topology.sptls')).href;
    const { server } = await start({ trusted: false }, pathToFileURL(workspace).href);
    try {
      const notFound = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'file-not-found').map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
      let published = server.diagnostics(uri);
      await open(server, uri, text);
      const untrusted = notFound(await published);
      assert.equal(untrusted.length, 2, untrusted.join('\n'));
      assert.match(untrusted[0]!, /not read: the workspace is not trusted and the file is outside its folders/);
      published = server.diagnostics(uri);
      await server.conn.sendNotification('sptls/workspaceTrust', { trusted: true });
      const trusted = notFound(await published);
      assert.equal(trusted.length, 1, trusted.join('\n'));
      assert.match(trusted[0]!, /Big: cannot use .*1\.5 GiB, more than a certificate file's limit of 1 MiB/);
      assert.ok(peakMiB(server) < 400, `server peaked at ${peakMiB(server)} MiB`);
    } finally {
      await server.stop();
    }
  });

  test('an editor that says nothing about trust is trusted (other editors keep reading files)', async () => {
    const workspace = join(dir, 'ws2');
    mkdirSync(workspace);
    const uri = pathToFileURL(join(workspace, 'topology.sptls')).href;
    const { server } = await start({}, pathToFileURL(workspace).href);
    try {
      const published = server.diagnostics(uri);
      await open(server, uri, `ca Root { file "${corpus.keyStores.escapeSubject}" }\n`);
      assert.deepEqual((await published).diagnostics.filter((d) => d.code === 'file-not-found'), []);
    } finally {
      await server.stop();
    }
  });
});

describe('item 8: huge documents', () => {
  test('a 20 MB document: one warning, empty answers at once, no diagnostics, bounded memory', async () => {
    const huge = readFileSync(corpus.topologies.huge, 'utf8');
    const uri = pathToFileURL(join(dir, 'huge.sptls')).href;
    const { server, messages, nextMessage } = await start({}, null);
    try {
      const warned = nextMessage();
      const published = server.diagnostics(uri);
      await open(server, uri, huge);
      assert.match(await warned, /huge\.sptls is 20 MiB, over the 4 MiB limit \(setting sptls\.maxDocumentSize\)/);
      assert.deepEqual((await published).diagnostics, []);
      const started = performance.now();
      assert.equal(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } }), null);
      assert.deepEqual(await server.conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }), { data: [] });
      assert.ok(performance.now() - started < 5_000, 'answers for an oversize document must not wait for an analysis');
      // An edit that keeps it over the limit does not warn again.
      const again = server.diagnostics(uri);
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# x\n' }] });
      await again;
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.ok(peakMiB(server) < 400, `server peaked at ${peakMiB(server)} MiB`);
    } finally {
      await server.stop();
    }
  });

  test('the limit is a setting: a small limit refuses a small document, a large one analyses it', async () => {
    const uri = pathToFileURL(join(dir, 'small.sptls')).href;
    for (const [maxDocumentSize, analyzed] of [[100, false], [1_000_000, true]] as const) {
      const { server, messages } = await start({ maxDocumentSize }, null);
      try {
        const published = server.diagnostics(uri);
        await open(server, uri, SMALL_TOPOLOGY);
        await published;
        const hover = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } });
        assert.equal(hover !== null, analyzed, `maxDocumentSize ${maxDocumentSize}`);
        assert.equal(messages.length, analyzed ? 0 : 1);
      } finally {
        await server.stop();
      }
    }
  });
});
