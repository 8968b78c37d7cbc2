// The bundled server (dist/server.cjs) and `sptls lsp --stdio`, driven over stdio
// through a whole editing session: initialize → didOpen → diagnostics → hover →
// completion → code action → didChange → rename → formatting → close → shutdown/exit.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { CodeAction, CompletionItem, Diagnostic, Hover, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { SERVER_V8_FLAGS } from '../../client/src/server-flags.ts';
import { applyTextEdits, applyWorkspaceEdit } from './helpers.ts';
import { CLIENT_CAPABILITIES, ensureBuilt, initialize, ROOT, SERVER, startServerProcess } from './server-process.ts';

const URI = 'file:///tmp/sptls-protocol/topology.sptls';
const TEXT = [
  'ca Root',
  'server SP1 {',
  '  certificate signed-by Root',
  '  trusts Root',
  '}',
  'client N1   {   version 8.1.22 }',
  'db2 DB',
  'N1 -> SP1',
  'SP1 -> DB',
  '',
].join('\n');

before(() => ensureBuilt());

test('a whole editing session against the bundled server', async () => {
  const server = startServerProcess();
  try {
    const init = await initialize(server);
    const caps = init.capabilities as Record<string, any>;
    assert.equal(caps['hoverProvider'], true);
    assert.deepEqual(caps['completionProvider'].triggerCharacters, [' ', '>']);
    assert.equal(caps['renameProvider'].prepareProvider, true);
    assert.ok(caps['semanticTokensProvider'].legend.tokenTypes.length > 0);
    for (const c of ['definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'documentFormattingProvider', 'codeActionProvider', 'codeLensProvider']) {
      assert.ok(caps[c], `capability ${c}`);
    }

    const first = server.diagnostics(URI);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sptls', version: 1, text: TEXT } });
    const published = await first;
    assert.equal(published.version, 1);
    const codes = published.diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['tls-to-db2', 'untrusted-responder', 'unused-trust']);
    const untrusted = published.diagnostics.find((d) => d.code === 'untrusted-responder')!;
    assert.equal(untrusted.source, 'sptls');
    assert.equal(untrusted.severity, 1);
    assert.deepEqual(untrusted.range, { start: { line: 7, character: 0 }, end: { line: 7, character: 2 } });
    assert.deepEqual(untrusted.data, { initiator: 'N1', responder: 'SP1', trust: 'Root' });
    const unused = published.diagnostics.find((d) => d.code === 'unused-trust')!;
    assert.equal(unused.severity, 4);
    assert.deepEqual(unused.tags, [1]);

    const hover = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 7, character: 4 } }) as Hover;
    assert.match((hover.contents as { value: string }).value, /N1 -> SP1[^]*Not trusted/);

    const items = await server.conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 5, character: 13 } }) as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'trusts'), items.map((i) => i.label).join(','));

    const actions = await server.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI }, range: untrusted.range, context: { diagnostics: [untrusted] },
    }) as CodeAction[];
    const fix = actions.find((a) => a.title === "Add 'trusts Root' to N1");
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const fixed = applyWorkspaceEdit(TEXT, URI, fix.edit);

    const second = server.diagnostics(URI, (p) => p.version === 2);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }] });
    assert.deepEqual((await second).diagnostics.map((d: Diagnostic) => d.code).sort(), ['tls-to-db2', 'unused-trust']);

    const prepared = await server.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: URI }, position: { line: 0, character: 4 } }) as { placeholder: string };
    assert.equal(prepared.placeholder, 'Root');
    const renamed = await server.conn.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: { line: 0, character: 4 }, newName: 'CorpRoot' }) as WorkspaceEdit;
    const afterRename = applyWorkspaceEdit(fixed, URI, renamed);
    assert.equal(afterRename.match(/\bCorpRoot\b/g)?.length, 4);
    assert.doesNotMatch(afterRename, /\bRoot\b/);
    await assert.rejects(
      server.conn.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: { line: 0, character: 4 }, newName: 'SP1' }),
      (e: Error) => /SP1/.test(e.message),
    );

    const edits = await server.conn.sendRequest('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } }) as TextEdit[];
    assert.ok(edits.length > 0);
    assert.match(applyTextEdits(fixed, edits), /client N1 \{ version 8\.1\.22 trusts Root \}|client N1 \{\n/);

    const symbols = await server.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } }) as Array<{ name: string; children?: Array<{ name: string }> }>;
    assert.ok(symbols.flatMap((s) => [s, ...(s.children ?? [])]).some((s) => s.name === 'SP1'));
    const tokens = await server.conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: URI } }) as { data: number[] };
    assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);

    const cleared = server.diagnostics(URI);
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    assert.deepEqual((await cleared).diagnostics, []);
    assert.equal(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } }), null);

    await server.conn.sendRequest('shutdown');
    await server.conn.sendNotification('exit');
    assert.equal(await server.exited, 0);
    assert.doesNotMatch(server.stderr(), /Error|failed/);
    assert.deepEqual(server.logs.filter((m) => /failed/.test(m)), []);
  } finally {
    await server.stop();
  }
});

test('`sptls lsp --stdio` from the CLI bundle is the same server', async () => {
  const server = startServerProcess([join(ROOT, 'bin', 'sptls.cjs'), 'lsp', '--stdio']);
  try {
    await initialize(server);
    const published = server.diagnostics(URI);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sptls', version: 1, text: TEXT } });
    assert.ok((await published).diagnostics.some((d) => d.code === 'tls-to-db2'));
    const hover = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 8 } }) as Hover;
    assert.match((hover.contents as { value: string }).value, /\*\*server SP1\*\*/);
  } finally {
    await server.stop();
  }
  assert.equal(await server.exited, 0);
});

test('certificate files resolve next to the document', async () => {
  const server = startServerProcess();
  try {
    await initialize(server);
    const uri = `file://${join(ROOT, 'examples', 'probe-not-on-disk.sptls')}`;
    const text = 'ca Old { file "certs/weak-1024.pem" }\nca Missing { file "certs/none.pem" }\n';
    const published = server.diagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
    const byLine = (await published).diagnostics.map((d) => `${d.range.start.line} ${d.code}`);
    assert.ok(byLine.includes('1 file-not-found'), byLine.join(', '));
    assert.ok(!byLine.includes('0 file-not-found'), byLine.join(', '));
  } finally {
    await server.stop();
  }
});

test('over --node-ipc with the extension\'s V8 flags, as VS Code starts it', async () => {
  const child = fork(SERVER, ['--node-ipc', `--clientProcessId=${process.pid}`], { execArgv: [...SERVER_V8_FLAGS], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published = new Promise<{ diagnostics: Diagnostic[] }>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
  conn.onRequest('workspace/configuration', () => [null]);
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: CLIENT_CAPABILITIES, initializationOptions: { diagnosticsDelay: 0 } });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sptls', version: 1, text: TEXT } });
    assert.ok((await published).diagnostics.some((d) => d.code === 'untrusted-responder'));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill();
    conn.dispose();
  }
});
