// The registry's one path for every command, with a recording client: the trust guard
// refuses before the module loads, progress (with and without a percentage) reaches the
// reporter, a bad argument is InvalidParams, a cancelled run answers RequestCancelled,
// and every answer is logged and shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationTokenSource, ResponseError, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { CommandResult } from '../../../protocol/index.ts';
import { runCommand, uriArgument, type CommandEntry, type ServerCommand } from '../../../server/src/lsp/commands/registry.ts';
import { DiagnosticsScheduler } from '../../../server/src/lsp/diagnostics.ts';
import { DocumentStore } from '../../../server/src/lsp/documents.ts';

function harness(trusted: boolean) {
  const events: string[] = [];
  const reporter: WorkDoneProgressReporter = {
    begin: (title) => { events.push(`begin ${title}`); },
    report: (a: number | string, b?: string) => { events.push(typeof a === 'number' ? `report ${a}% ${b}` : `report ${a}`); },
    done: () => { events.push('done'); },
  };
  const connection = {
    console: { log: (m: string) => events.push(`log ${m}`) },
    sendNotification: (method: string, p: { type: number; message: string }) => { events.push(`${method} ${p.type} ${p.message}`); return Promise.resolve(); },
  } as unknown as Connection;
  const documents = new DocumentStore({ expiryWarningDays: 30, maxDocumentSize: 4 * 1024 * 1024 });
  const deps = {
    connection, documents, diagnostics: new DiagnosticsScheduler(documents, () => {}, () => {}, 0),
    trusted: () => trusted, attached: reporter, createProgress: false, showDocument: false,
  };
  return { events, deps };
}

const entry = (command: ServerCommand, needsTrust = true): CommandEntry => ({ id: 'sptls.issueCertificates', title: 'Test command', needsTrust, load: async () => command });
const result = (ok: boolean): CommandResult => ({ ok, summary: ok ? 'all done' : 'it failed', text: 'the text\n', written: [] });

test('untrusted: refused before the command loads, nothing reported', async () => {
  const { events, deps } = harness(false);
  let loaded = false;
  const r = await runCommand({ ...entry({ run: async () => result(true) }), load: async () => { loaded = true; return { run: async () => result(true) }; } }, ['file:///t.sptls'], new CancellationTokenSource().token, deps);
  assert.ok(r instanceof ResponseError);
  assert.match(r.message, /"Test command" writes key material or opens network connections, so it runs only in a trusted workspace/);
  assert.equal(loaded, false);
  assert.deepEqual(events, []);
  // A command that needs no trust runs anyway.
  assert.equal(((await runCommand(entry({ run: async () => result(true) }, false), [], new CancellationTokenSource().token, deps)) as CommandResult).ok, true);
});

test('progress with and without a percentage; the answer is logged and shown (error type when not ok)', async () => {
  const { events, deps } = harness(true);
  const command: ServerCommand = { run: async (_args, ctx) => { ctx.progress('reading'); ctx.progress('2/4 endpoints', 50); return result(false); } };
  const r = await runCommand(entry(command), ['file:///t.sptls'], new CancellationTokenSource().token, deps);
  assert.deepEqual(r, result(false));
  assert.deepEqual(events, ['begin sptls: Test command', 'report reading', 'report 50% 2/4 endpoints', 'log the text', 'window/showMessage 1 sptls: it failed', 'done']);
});

test('a bad argument is InvalidParams; a cancelled run is RequestCancelled and shows nothing', async () => {
  const { events, deps } = harness(true);
  const bad = await runCommand(entry({ run: async (args) => { uriArgument(args); return result(true); } }), [42], new CancellationTokenSource().token, deps);
  assert.ok(bad instanceof ResponseError);
  assert.deepEqual([bad.code, bad.message], [-32602, 'sptls.issueCertificates: the first argument must be the document URI']);
  const source = new CancellationTokenSource();
  const cancelled = await runCommand(entry({ run: async (_args, ctx) => { source.cancel(); assert.ok(ctx.signal.aborted); return result(true); } }), ['file:///t.sptls'], source.token, deps);
  assert.ok(cancelled instanceof ResponseError);
  assert.equal(cancelled.code, -32800);
  assert.ok(!events.some((e) => e.startsWith('window/showMessage')));
});
