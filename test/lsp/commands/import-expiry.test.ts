// `sptls.importEnvironment` and `sptls.expiry` as any editor runs them: the bundled server over
// stdio. Both are refused in an untrusted workspace; trusted, they give what the CLI gives —
// import writes the same topology and certificate files and asks the client to show it, expiry
// prints the same list.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { COMMANDS, WORKSPACE_TRUST_NOTIFICATION, type CommandResult } from '../../../protocol/index.ts';
import { exampleCorp } from '../../import/support.ts';
import { CLIENT_CAPABILITIES, ensureBuilt, filesUnder, ROOT, startServerProcess, type ServerProcess } from '../server-process.ts';

const BIN = join(ROOT, 'bin', 'sptls.cjs');
const TOPOLOGY = 'ca Root { subject "CN=Expiry Test Root" }\nserver SP { address "sp.test" certificate signed-by Root trusts Root }\nclient C { trusts Root }\nC -> SP\n';
const NOW = '2027-03-01T00:00:00Z';

let dir: string;
let server: ServerProcess;
const shown: string[] = [];

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sptls-import-expiry-'));
  // The hand-made collection with its key material (key databases, stashes, certificates).
  cpSync((await exampleCorp()).dir, join(dir, 'collected'), { recursive: true });
  mkdirSync(join(dir, 'topo'));
  writeFileSync(join(dir, 'topo', 'topology.sptls'), TOPOLOGY);
  server = startServerProcess();
  server.conn.onRequest('window/workDoneProgress/create', () => null);
  server.conn.onRequest('window/showDocument', (p: { uri: string }) => { shown.push(p.uri); return { success: true }; });
  await server.conn.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(dir).href,
    capabilities: { ...CLIENT_CAPABILITIES, window: { workDoneProgress: true, showDocument: { support: true } } },
    initializationOptions: { diagnosticsDelay: 0, trusted: false },
  });
  await server.conn.sendNotification('initialized', {});
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const execute = (command: string, args: unknown[]) => server.conn.sendRequest('workspace/executeCommand', { command, arguments: args });
const collected = () => pathToFileURL(join(dir, 'collected')).href;
const topology = () => pathToFileURL(join(dir, 'topo', 'topology.sptls')).href;

test('untrusted: import writes nothing and expiry reads nothing', async () => {
  const before = filesUnder(dir);
  await assert.rejects(execute(COMMANDS.importEnvironment, [collected()]), /"Import environment" .* runs only in a trusted workspace/);
  await assert.rejects(execute(COMMANDS.expiry, [topology()]), /runs only in a trusted workspace/);
  assert.deepEqual(filesUnder(dir), before);
});

test('trusted: import writes what `sptls import` writes beside the collection, and shows the topology', async () => {
  await server.conn.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
  const result = await execute(COMMANDS.importEnvironment, [collected()]) as CommandResult;
  assert.equal(result.ok, true, result.text);
  const target = join(dir, 'imported.sptls');
  assert.equal(result.written[0], pathToFileURL(target).href, 'the topology first');
  assert.deepEqual(shown, [pathToFileURL(target).href]);

  const reference = mkdtempSync(join(tmpdir(), 'sptls-import-ref-'));
  try {
    const cli = spawnSync(process.execPath, [BIN, 'import', join(dir, 'collected'), '--out', 'imported.sptls'], { cwd: reference, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(readFileSync(target, 'utf8'), readFileSync(join(reference, 'imported.sptls'), 'utf8'));
    const certs = filesUnder(join(reference, 'certs'));
    assert.ok(certs.length > 0, 'the collection holds certificates');
    assert.deepEqual(filesUnder(join(dir, 'certs')), certs);
    for (const c of certs) assert.equal(readFileSync(join(dir, 'certs', c), 'utf8'), readFileSync(join(reference, 'certs', c), 'utf8'));
    assert.equal(result.written.length, certs.length + 1);
    // The same summary after the file's name; the CLI's stderr lines (conflicts, unread) in the text.
    assert.equal(result.summary, `${target}${cli.stdout.trimEnd().slice('imported.sptls'.length)}`);
    for (const line of cli.stderr.split('\n').filter(Boolean)) assert.ok(result.text.includes(line.replace(/^sptls import: /, '')), `${line} in\n${result.text}`);
  } finally {
    rmSync(reference, { recursive: true, force: true });
  }
});

test('import again: refused while the topology exists, replaced with force', async () => {
  const target = join(dir, 'imported.sptls');
  writeFileSync(target, '# mine\n');
  const refused = await execute(COMMANDS.importEnvironment, [collected()]) as CommandResult;
  assert.equal(refused.ok, false);
  assert.match(refused.summary, /^nothing imported: .*exists.*\(set force, or another out\)/);
  assert.equal(readFileSync(target, 'utf8'), '# mine\n', 'never overwritten without force');
  const forced = await execute(COMMANDS.importEnvironment, [collected(), { force: true }]) as CommandResult;
  assert.equal(forced.ok, true, forced.text);
  assert.notEqual(readFileSync(target, 'utf8'), '# mine\n');
  const elsewhere = pathToFileURL(join(dir, 'other', 'prod.sptls')).href;
  const other = await execute(COMMANDS.importEnvironment, [collected(), { out: elsewhere }]) as CommandResult;
  assert.equal(other.ok, true, other.text);
  assert.ok(existsSync(join(dir, 'other', 'prod.sptls')) && existsSync(join(dir, 'other', 'certs')));
  await assert.rejects(execute(COMMANDS.importEnvironment, [collected(), { out: 'prod.sptls' }]), (e: { code: number }) => e.code === -32602);
});

test('collect-script: the script `sptls collect-script` prints, even untrusted (it reads and writes nothing)', async () => {
  await server.conn.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: false });
  try {
    for (const platform of ['linux', 'windows'] as const) {
      const result = await execute(COMMANDS.collectScript, [{ platform }]) as CommandResult;
      assert.equal(result.text, execFileSync(process.execPath, [BIN, 'collect-script', '--platform', platform], { encoding: 'utf8' }));
    }
    const stash = await execute(COMMANDS.collectScript, [{ platform: 'aix', includeStash: true }]) as CommandResult;
    assert.equal(stash.text, execFileSync(process.execPath, [BIN, 'collect-script', '--platform', 'aix', '--include-stash'], { encoding: 'utf8', stdio: 'pipe' }));
    assert.match(stash.summary, /WARNING: this collection includes stash files/);
    await assert.rejects(execute(COMMANDS.collectScript, [{ platform: 'zos' }]), (e: { code: number }) => e.code === -32602);
  } finally {
    await server.conn.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true });
  }
});

test('expiry lists what `sptls expiry` lists, in text and JSON', async () => {
  const path = join(dir, 'topo', 'topology.sptls');
  const empty = await execute(COMMANDS.expiry, [topology(), { now: NOW }]) as CommandResult;
  assert.equal(empty.text, execFileSync(process.execPath, [BIN, 'expiry', path, '--now', NOW], { encoding: 'utf8' }));
  assert.match(empty.text, /^No certificate with a known end date/);
  execFileSync(process.execPath, [BIN, 'issue', path], { stdio: 'pipe' });
  for (const format of ['text', 'json'] as const) {
    const result = await execute(COMMANDS.expiry, [topology(), { now: NOW, format, within: 3650 }]) as CommandResult;
    assert.equal(result.ok, true, result.text);
    assert.equal(result.text, execFileSync(process.execPath, [BIN, 'expiry', path, '--now', NOW, '--format', format, '--within', '3650'], { encoding: 'utf8' }));
  }
  const json = JSON.parse((await execute(COMMANDS.expiry, [topology(), { now: NOW, format: 'json' }]) as CommandResult).text) as { certificates: Array<{ name: string }> };
  assert.deepEqual(json.certificates.map((c) => c.name).sort(), ['Root', 'SP']);
  const summary = (await execute(COMMANDS.expiry, [topology(), { now: NOW }]) as CommandResult).summary;
  assert.match(summary, /^2 certificate\(s\); the first to end: SP on \d{4}-\d{2}-\d{2}$/);
  await assert.rejects(execute(COMMANDS.expiry, [topology(), { format: 'xml' }]), (e: { code: number }) => e.code === -32602);
});
