// The commands that write key material or open connections, run through VS Code:
// "Issue certificates" and "Build key databases" must write what the CLI writes, "Test
// handshake" must reach an `openssl s_server` this test starts, and in an untrusted
// workspace (the runner's second code-server, with workspace trust on) none of them
// may write a file or open a connection. Suites tagged @untrusted run only there.
/// <reference types="mocha" />
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureCommand, freePort } from '../../support/system.ts';
import { activatedExtension, diagnosticsWhen, e2eEnv, open, workspaceDir } from './helpers.ts';

/** The command id package.json contributes under `title`, checked to be registered by the running extension. */
async function contributedCommand(ext: vscode.Extension<unknown>, title: string): Promise<string> {
  const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? []);
  const entry = contributed.find((c) => c.title === title);
  assert.ok(entry, `package.json contributes no command titled "${title}" (it has: ${contributed.map((c) => c.title).join(', ')})`);
  const registered = await vscode.commands.getCommands(true);
  assert.ok(registered.includes(entry.command), `"${title}" (${entry.command}) is contributed but the extension did not register it on activation`);
  return entry.command;
}

function sptls(args: string[]): void {
  execFileSync(process.execPath, [join(e2eEnv().repoRoot, 'bin', 'sptls.cjs'), ...args], { stdio: 'pipe' });
}

/** Every file under `dir`, as sorted relative paths. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [relative(dir, join(d, n))]));
  return walk(dir).sort();
}

/** A topology file in its own workspace folder (its PKI goes to pki/ beside it). */
function topologyIn(folder: string, text: string): vscode.Uri {
  const dir = join(workspaceDir(), folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'topology.sptls'), text);
  return vscode.Uri.file(join(dir, 'topology.sptls'));
}

/** A loopback topology whose server SP1 listens on `port`; N1 trusts the root that signs it. */
const handshakeTopology = (port: number) =>
  `ca Root { }\nserver SP1 {\n  address "127.0.0.1"\n  port ${port}\n  certificate signed-by Root\n  trusts Root\n}\nclient N1 { trusts Root }\nN1 -> SP1\n`;

/** The "Test handshake" lens arguments of the connection N1 -> SP1 ([uri, options]), as the language server gives them. */
async function lensArgs(uri: vscode.Uri): Promise<unknown[]> {
  await vscode.workspace.openTextDocument(uri);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  const lens = lenses.find((l) => l.command?.title === 'Test handshake');
  assert.ok(lens?.command?.arguments?.length === 2, `a "Test handshake" lens on N1 -> SP1 (lenses: ${lenses.map((l) => l.command?.title).join(', ')})`);
  assert.equal(lens.command.arguments[0], uri.toString(), 'the document URI first');
  return lens.command.arguments;
}

function resultDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'sptls-result');
}

/** Starts `openssl s_server` with the issued certificate of SP1 and resolves once it accepts. */
function startOpensslServer(pki: string, port: number, connections = 1): Promise<ChildProcess> {
  ensureCommand('openssl', 'openssl');
  const component = join(pki, 'components', 'SP1');
  const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(component, 'cert.pem'), '-key', join(component, 'key.pem'),
    '-cert_chain', join(component, 'chain.pem'), '-naccept', String(connections)], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    const onData = (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('ACCEPT')) resolve(server);
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`openssl s_server exited with ${code} before accepting: ${said}`)));
  });
}

suite('sptls commands in a trusted workspace', () => {
  let ext: vscode.Extension<unknown>;

  suiteSetup(async () => {
    ext = await activatedExtension();
    assert.equal(vscode.workspace.isTrusted, true, 'the runner starts this code-server with workspace trust off, so the folder is trusted');
  });

  // The key database test builds on the PKI this test issued (command) and the CLI's
  // reference copy of it: issuing production.sptls twice more would only cost time.
  let topology: vscode.Uri;
  let reference: string;

  suiteTeardown(() => { if (reference) rmSync(reference, { recursive: true, force: true }); });

  test('"Issue certificates" writes the PKI that sptls issue writes', async () => {
    const command = await contributedCommand(ext, 'Issue certificates');
    topology = topologyIn('pki', readFileSync(join(workspaceDir(), 'production.sptls'), 'utf8'));
    await vscode.commands.executeCommand(command, topology);
    reference = mkdtempSync(join(tmpdir(), 'sptls-e2e-pki-'));
    sptls(['issue', topology.fsPath, '--out', reference]);
    const expected = filesUnder(reference);
    assert.ok(expected.length > 10, `sptls issue wrote ${expected.length} files`);
    const pki = join(workspaceDir(), 'pki', 'pki');
    assert.deepEqual(filesUnder(pki), expected);
    const root = new X509Certificate(readFileSync(join(pki, 'ca', 'CorpRoot.crt.pem')));
    assert.match(root.subject, /CN=Example Corp Root CA/);
    assert.equal(statSync(join(pki, 'ca', 'CorpRoot.key.pem')).mode & 0o077, 0, 'CA key readable by its owner only');
  });

  test('"Build key databases" writes the key database folders that sptls keydb writes', async () => {
    const command = await contributedCommand(ext, 'Build key databases');
    assert.ok(topology && reference, 'needs the PKI of the "Issue certificates" test');
    await vscode.commands.executeCommand(command, topology);
    sptls(['keydb', topology.fsPath, '--out', reference]);
    const expected = filesUnder(join(reference, 'keydb'));
    assert.ok(expected.some((f) => f.startsWith('SPHUB/')), `sptls keydb built SPHUB (${expected.length} files)`);
    assert.deepEqual(filesUnder(join(workspaceDir(), 'pki', 'pki', 'keydb')), expected);
  });

  test('"Test handshake" reaches an openssl s_server presenting the issued certificate and trusts it', async () => {
    const command = await contributedCommand(ext, 'Test handshake');
    const port = await freePort();
    const uri = topologyIn('handshake', handshakeTopology(port));
    sptls(['issue', uri.fsPath]);
    const server = await startOpensslServer(join(workspaceDir(), 'handshake', 'pki'), port);
    try {
      await vscode.commands.executeCommand(command, ...(await lensArgs(uri)));
    } finally {
      server.kill();
    }
    const result = resultDocuments().find((d) => d.getText().includes('N1 -> SP1'));
    assert.ok(result, `a result document for N1 -> SP1 (open: ${resultDocuments().map((d) => d.uri.toString()).join(', ') || 'none'})`);
    assert.match(result.getText().split('\n')[0]!, /TRUSTED/, result.getText().slice(0, 800));
  });

  test('"Scan environment" puts what the live hosts show in the Problems panel', async () => {
    const command = await contributedCommand(ext, 'Scan environment');
    const port = await freePort();
    const dead = await freePort();
    const text = `${handshakeTopology(port)}server DEAD {\n  address "127.0.0.1"\n  port ${dead}\n  certificate signed-by Root\n}\nN1 -> DEAD\n`;
    const uri = topologyIn('scan', text);
    sptls(['issue', uri.fsPath]);
    // Six connections: the handshake as N1, then a free one and one per TLS version 1.0–1.3.
    const server = await startOpensslServer(join(workspaceDir(), 'scan', 'pki'), port, 6);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await vscode.commands.executeCommand(command, uri);
    } finally {
      server.kill();
    }
    const found = await diagnosticsWhen(uri, (d) => d.some((x) => x.source === 'sptls scan'), 'a scan finding');
    const scan = found.filter((d) => d.source === 'sptls scan');
    assert.deepEqual(scan.map((d) => [d.code, d.severity, d.range.start.line]), [['scan-unreachable', vscode.DiagnosticSeverity.Error, text.split('\n').indexOf('server DEAD {')]]);
    assert.match(scan[0]!.message, /^DEAD at 127\.0\.0\.1:\d+ cannot be scanned: connection refused/);
  });
});

suite('sptls in an untrusted workspace @untrusted', () => {
  let ext: vscode.Extension<unknown>;

  suiteSetup(async () => {
    ext = await activatedExtension();
    assert.equal(vscode.workspace.isTrusted, false, 'the runner starts this code-server with workspace trust on and the folder not trusted');
  });

  test('diagnostics still come (editing features need no trust)', async () => {
    const doc = await open('broken.sptls');
    const got = await diagnosticsWhen(doc.uri, (d) => d.length > 20, 'more than 20 entries');
    assert.ok(got.length > 20);
  });

  test('"Issue certificates" and "Build key databases" write nothing', async () => {
    const uri = topologyIn('untrusted', readFileSync(join(workspaceDir(), 'production.sptls'), 'utf8'));
    for (const title of ['Issue certificates', 'Build key databases']) {
      await vscode.commands.executeCommand(await contributedCommand(ext, title), uri);
      assert.deepEqual(filesUnder(join(workspaceDir(), 'untrusted')), ['topology.sptls'], `${title} wrote files in an untrusted workspace`);
    }
  });

  test('"Test handshake" opens no connection', async () => {
    let connections = 0;
    const listener = createServer((socket) => { connections++; socket.destroy(); });
    const port = await freePort();
    await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    try {
      const uri = topologyIn('untrusted-handshake', handshakeTopology(port));
      await vscode.commands.executeCommand(await contributedCommand(ext, 'Test handshake'), ...(await lensArgs(uri)));
      assert.equal(connections, 0, 'the handshake command connected in an untrusted workspace');
      assert.equal(resultDocuments().length, 0);
    } finally {
      listener.close();
    }
  });
});
