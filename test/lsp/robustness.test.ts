// The bundled server under abuse: garbage documents, positions out of range, requests
// for documents never opened, a burst of 1,000 edits with cancelled requests, and a
// client that vanishes. After each, the server must still answer correctly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { CompletionItem, Hover } from 'vscode-languageserver';
import { analyzeText } from './helpers.ts';
import { ensureBuilt, initialize, startServerProcess, type ServerProcess } from './server-process.ts';

const GOOD = 'ca Root\nserver SP1 { certificate signed-by Root }\nclient N1\nN1 -> SP1\n';
let server: ServerProcess;

before(async () => {
  ensureBuilt();
  server = startServerProcess();
  await initialize(server);
});

after(async () => {
  await server.stop();
  assert.doesNotMatch(server.stderr(), /Error/, 'nothing on stderr');
  assert.deepEqual(server.logs.filter((m) => /failed/.test(m)), [], 'no handler failed');
});

/** The server still works: a fresh document gets the engine's diagnostics and a hover. */
async function stillAnswers(tag: string): Promise<void> {
  const uri = `file:///tmp/robust/check-${tag}.sptls`;
  const published = server.diagnostics(uri);
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text: GOOD } });
  assert.deepEqual((await published).diagnostics.map((d) => d.code), ['untrusted-responder']);
  const hover = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 7 } }) as Hover;
  assert.match((hover.contents as { value: string }).value, /N1 -> SP1/);
  await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

const REQUESTS: Array<[method: string, extra: (line: number, character: number) => object]> = [
  ['textDocument/hover', (line, character) => ({ position: { line, character } })],
  ['textDocument/completion', (line, character) => ({ position: { line, character } })],
  ['textDocument/definition', (line, character) => ({ position: { line, character } })],
  ['textDocument/references', (line, character) => ({ position: { line, character }, context: { includeDeclaration: true } })],
  ['textDocument/prepareRename', (line, character) => ({ position: { line, character } })],
  ['textDocument/selectionRange', (line, character) => ({ positions: [{ line, character }] })],
  ['textDocument/codeAction', (line, character) => ({ range: { start: { line, character }, end: { line, character } }, context: { diagnostics: [] } })],
  ['textDocument/codeAction', (line, character) => ({ range: { start: { line, character }, end: { line, character } }, context: { diagnostics: [{ code: 'tls-to-db2' }, { range: null, code: 7 }] } })],
  ['textDocument/documentSymbol', () => ({})],
  ['textDocument/foldingRange', () => ({})],
  ['textDocument/semanticTokens/full', () => ({})],
  ['textDocument/formatting', () => ({ options: { tabSize: 2, insertSpaces: true } })],
  ['textDocument/codeLens', () => ({})],
];

test('garbage documents and out-of-range positions get answers, not errors', async () => {
  const garbage = [
    randomBytes(4000).toString('latin1'),
    '{'.repeat(10_000),
    `server X { address "${'a'.repeat(200_000)}`,
    'A -> -> -> B { port { purpose } } } ca ca ca server server',
    '\u0000\ud800\udfff\u2028 server \uFEFF X { trusts , , , }',
  ];
  for (const [i, text] of garbage.entries()) {
    const uri = `file:///tmp/robust/garbage-${i}.sptls`;
    const published = server.diagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
    const diags = (await published).diagnostics;
    assert.ok(diags.length > 0, `garbage ${i} has diagnostics`);
    for (const [line, character] of [[0, 0], [0, 5], [1, 3], [99_999, 0], [0, 99_999], [2 ** 31 - 1, 2 ** 31 - 1]] as const) {
      for (const [method, extra] of REQUESTS) {
        await server.conn.sendRequest(method, { textDocument: { uri }, ...extra(line, character) });
      }
    }
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await stillAnswers('garbage');
});

test('requests for documents never opened answer empty', async () => {
  const uri = 'file:///tmp/robust/never-opened.sptls';
  for (const [method, extra] of REQUESTS) {
    const result = await server.conn.sendRequest(method, { textDocument: { uri }, ...extra(0, 0) });
    assert.ok(result === null || (Array.isArray(result) && result.length === 0) || (typeof result === 'object' && Array.isArray((result as { data?: unknown[] }).data)), `${method} → ${JSON.stringify(result)}`);
  }
  await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'x' }] });
  await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///tmp/robust/other.sptls' } });
  await stillAnswers('never-opened');
});

test('1,000 edits in a burst, with requests cancelled in flight: the last version is what gets published', async () => {
  const uri = 'file:///tmp/robust/burst.sptls';
  let text = GOOD;
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
  const pending: Array<Promise<unknown>> = [];
  for (let v = 2; v <= 1001; v++) {
    // Alternately insert a client with its connection, and a `#` that grows a comment on the last line.
    const insert = v % 2 === 0 ? `client C${v} { trusts Root }\nC${v} -> SP1\n` : '#';
    const lastLine = text.lastIndexOf('\n') + 1;
    const position = { line: text.split('\n').length - 1, character: 0 };
    text = text.slice(0, lastLine) + insert + text.slice(lastLine);
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: position, end: position }, text: insert }],
    });
    if (v % 10 === 0) {
      const source = new CancellationTokenSource();
      pending.push(server.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position }, source.token).catch((e: Error) => assert.match(e.message, /cancel/i)));
      if (v % 20 === 0) source.cancel();
    }
  }
  const final = await server.diagnostics(uri, (p) => p.version === 1001, 30_000);
  await Promise.all(pending);
  const expected = analyzeText(text).diagnostics.map((d) => d.code);
  assert.deepEqual(final.diagnostics.map((d) => d.code), expected);
  const publishedForBurst = server.published.filter((p) => p.uri === uri).length;
  assert.ok(publishedForBurst < 1000, `debounced: ${publishedForBurst} publications for 1,000 edits`);
  const items = await server.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: text.split('\n').length - 1, character: 0 } }) as CompletionItem[];
  assert.ok(items.some((i) => i.label === 'C1000'), 'completion sees the last edit');
  await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await stillAnswers('burst');
});

test('a client that disappears: the server exits by itself, without a crash', async () => {
  const orphan = startServerProcess();
  await initialize(orphan);
  await orphan.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/robust/o.sptls', languageId: 'sptls', version: 1, text: GOOD } });
  orphan.child.stdin!.end();
  const code = await Promise.race([orphan.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
  assert.notEqual(code, 'still running');
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
  assert.doesNotMatch(orphan.stderr(), /Error|at /);
  orphan.conn.dispose();
  await stillAnswers('after-orphan');
});
