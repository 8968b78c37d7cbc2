// The commands as any editor runs them: the bundled server over stdio, a client that only
// speaks LSP. The server advertises its commands, refuses the ones that write key material
// while the client says the workspace is untrusted, runs them once it says otherwise,
// reports progress, asks the client to show what it wrote, and writes what the CLI writes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { COMMANDS, DIAGRAM_REQUEST, WORKSPACE_TRUST_NOTIFICATION, type CommandResult, type DiagramResult } from '../../../protocol/index.ts';
import { ensureCommand } from '../../support/system.ts';
import { CLIENT_CAPABILITIES, ensureBuilt, filesUnder, ROOT, startServerProcess, type ServerProcess } from '../server-process.ts';

const TOPOLOGY = 'ca Root { subject "CN=Command Test Root" }\nserver SP { address "sp.test" certificate signed-by Root trusts Root }\nclient C { trusts Root }\nC -> SP\n';

let dir: string;
let server: ServerProcess;
let advertised: string[] = [];
const shown: string[] = [];
const progress: Array<{ kind: string; title?: string; message?: string }> = [];
const messages: string[] = [];

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sptls-commands-'));
  writeFileSync(join(dir, 'topology.sptls'), TOPOLOGY);
  server = startServerProcess();
  server.conn.onRequest('window/workDoneProgress/create', () => null);
  server.conn.onNotification('$/progress', (p: { value: { kind: string; title?: string; message?: string } }) => { progress.push(p.value); });
  server.conn.onRequest('window/showDocument', (p: { uri: string }) => { shown.push(p.uri); return { success: true }; });
  server.conn.onNotification('window/showMessage', (p: { message: string }) => { messages.push(p.message); });
  const init = await server.conn.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(dir).href,
    capabilities: { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true, showDocument: { support: true } } },
    initializationOptions: { diagnosticsDelay: 0, trusted: false },
  }) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
  advertised = init.capabilities.executeCommandProvider?.commands ?? [];
  await server.conn.sendNotification('initialized', {});
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const uri = () => pathToFileURL(join(dir, 'topology.sptls')).href;
const execute = (command: string, args: unknown[]) => server.conn.sendRequest('workspace/executeCommand', { command, arguments: args });

test('the server advertises every command, and the lens names one of them', async () => {
  assert.deepEqual(advertised, Object.values(COMMANDS));
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(), languageId: 'sptls', version: 1, text: TOPOLOGY } });
  const all = await server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uri() } }) as Array<{ command: { command: string; title: string; arguments: unknown[] } }>;
  const served: string[] = Object.values(COMMANDS);
  assert.ok(all.every((l) => served.includes(l.command.command)), `every lens names a server command: ${all.map((l) => l.command.command).join(', ')}`);
  const lenses = all.filter((l) => l.command.title === 'Test handshake');
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0]!.command.command, COMMANDS.testHandshake);
  assert.equal(lenses[0]!.command.arguments[0], uri(), 'the document URI first');
});

test('untrusted: "Issue certificates" is refused and writes nothing; "Test handshake" opens no connection', async () => {
  await assert.rejects(execute(COMMANDS.issueCertificates, [uri()]), /runs only in a trusted workspace/);
  assert.deepEqual(filesUnder(dir), ['topology.sptls']);
  await assert.rejects(execute(COMMANDS.testHandshake, [uri(), { line: 3, initiator: 'C', responder: 'SP', host: '127.0.0.1', port: 1 }]), /runs only in a trusted workspace/);
});

test('after sptls/workspaceTrust { trusted: true }: issue writes what `sptls issue` writes, with progress and the manifest shown', async () => {
  await server.conn.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
  const result = await execute(COMMANDS.issueCertificates, [uri()]) as CommandResult;
  assert.equal(result.ok, true, result.text);
  const reference = mkdtempSync(join(tmpdir(), 'sptls-commands-ref-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'sptls.cjs'), 'issue', join(dir, 'topology.sptls'), '--out', reference], { stdio: 'pipe' });
    const expected = filesUnder(reference);
    assert.ok(expected.length >= 5, expected.join(' '));
    assert.deepEqual(filesUnder(join(dir, 'pki')), expected);
    assert.deepEqual(result.written.map((w) => relative(join(dir, 'pki'), new URL(w).pathname)).sort(), expected.filter((f) => !f.endsWith('manifest.json')).concat(expected.filter((f) => f.endsWith('manifest.json'))).sort());
  } finally {
    rmSync(reference, { recursive: true, force: true });
  }
  assert.match(result.summary, /file\(s\) written in/);
  assert.ok(shown.some((s) => s.endsWith('/pki/manifest.json')), `showDocument asked for the manifest (asked: ${shown.join(', ')})`);
  assert.deepEqual(progress.map((p) => p.kind), ['begin', 'report', 'report', 'end']);
  assert.equal(progress[0]!.title, 'sptls: Issue certificates');
  assert.ok(messages.some((m) => m === `sptls: ${result.summary}`), messages.join(' | '));
});

test('a handshake that fails is a diagnostic on its connection until the next edit', async () => {
  const lens = { line: 3, initiator: 'C', responder: 'SP', host: 'sp.test', port: 1500 };
  // Port 1 on loopback refuses at once: the probe fails without waiting on anything.
  const failed = server.diagnostics(uri(), (p) => p.diagnostics.some((d) => d.code === 'handshake'));
  const result = await execute(COMMANDS.testHandshake, [uri(), { ...lens, target: '127.0.0.1:1' }]) as CommandResult;
  assert.equal(result.ok, false, result.text);
  const published = await failed;
  const finding = published.diagnostics.find((d) => d.code === 'handshake')!;
  assert.equal(finding.range.start.line, 3);
  assert.equal(finding.source, 'sptls handshake');
  assert.match(finding.message as string, /^the live handshake C -> SP at 127\.0\.0\.1:1: /);
  assert.equal(published.version, 1, 'published for the version that was tested');
  const edited = server.diagnostics(uri(), (p) => p.version === 2);
  await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(), version: 2 }, contentChanges: [{ text: TOPOLOGY }] });
  assert.ok(!(await edited).diagnostics.some((d) => d.code === 'handshake'), 'the edit drops it');
});

test('inspect a key store the server issued: the text `sptls inspect` prints', async () => {
  const cert = join(dir, 'pki', 'ca', 'Root.crt.pem');
  assert.ok(existsSync(cert), filesUnder(join(dir, 'pki')).join(' '));
  const result = await execute(COMMANDS.inspectKeyDatabase, [pathToFileURL(cert).href]) as CommandResult;
  const cli = execFileSync(process.execPath, [join(ROOT, 'bin', 'sptls.cjs'), 'inspect', cert], { encoding: 'utf8' });
  assert.equal(result.text, cli);
  assert.match(result.text, /CN=Command Test Root/);
});

test('a PKCS#12 without a password answers needs: password; with the password it lists the entries', async () => {
  const p12 = join(dir, 'store.p12');
  ensureCommand('openssl', 'openssl');
  execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'pki', 'ca', 'Root.crt.pem'), '-nokeys', '-out', p12, '-passout', 'pass:s3cret'], { stdio: 'pipe' });
  const asked = await execute(COMMANDS.inspectKeyDatabase, [pathToFileURL(p12).href]) as CommandResult;
  assert.deepEqual([asked.ok, asked.needs], [false, 'password']);
  const listed = await execute(COMMANDS.inspectKeyDatabase, [pathToFileURL(p12).href, { password: 's3cret' }]) as CommandResult;
  assert.equal(listed.ok, true, listed.text);
  assert.match(listed.text, /pkcs12, 1 entry[^]*CN=Command Test Root/);
});

test('arguments that do not fit are InvalidParams; an unknown command is refused', async () => {
  await assert.rejects(execute(COMMANDS.issueCertificates, []), (e: { code: number; message: string }) => e.code === -32602 && /document URI/.test(e.message));
  await assert.rejects(execute('sptls.nothing', [uri()]), /unknown command sptls\.nothing/);
});

test('sptls/diagram: the SVG of the open document and the range of each element', async () => {
  const drawn = await server.conn.sendRequest(DIAGRAM_REQUEST, { textDocument: { uri: uri() } }) as DiagramResult;
  assert.equal(drawn.version, 2, "the version the last test left open");
  assert.match(drawn.svg, /^<svg/);
  const sp = drawn.elements.find((e) => e.id === 'SP');
  assert.ok(sp);
  assert.equal(TOPOLOGY.slice(sp.start, sp.end), 'server SP { address "sp.test" certificate signed-by Root trusts Root }');
  assert.deepEqual(sp.range, { start: { line: 1, character: 0 }, end: { line: 1, character: TOPOLOGY.split('\n')[1]!.length } });
  assert.equal(readFileSync(join(dir, 'topology.sptls'), 'utf8'), TOPOLOGY);
  await assert.rejects(server.conn.sendRequest(DIAGRAM_REQUEST, {}), (e: { code: number }) => e.code === -32602);
  assert.equal(await server.conn.sendRequest(DIAGRAM_REQUEST, { textDocument: { uri: pathToFileURL(join(dir, 'absent.sptls')).href } }), null);
});
