// Editors nobody here wrote: Neovim's built-in LSP client and Emacs Eglot open
// examples/broken.sptls against `sptls lsp --stdio`. What they receive must be what the
// engine says: the same diagnostics (line and rule), the connection hover, the
// completion list and the quick fix for the Db2 connection. Then each runs the server's
// commands as its user would: "Issue certificates" from the code-action menu (the files
// `sptls issue` writes) and the "Test handshake" lens against an openssl s_server.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { analyze, type Analysis } from '../../server/src/analysis/engine.ts';
import { completion } from '../../server/src/lsp/features/completion.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { ensureCommand, freePort } from '../support/system.ts';
import { ensureBuilt, ROOT } from './server-process.ts';

const FILE = join(ROOT, 'examples', existsSync(join(ROOT, 'examples', 'broken.sptls')) ? 'broken.sptls' : '../../shared/conformance/02-untrusted.sptls');
const COMMAND = [process.execPath, join(ROOT, 'bin', 'sptls.cjs'), 'lsp', '--stdio'];

interface Report {
  client?: string;
  error?: string;
  diagnostics: Array<{ line: number; character: number; code?: string; text?: string }>;
  hover: string;
  completion: string[];
  code_actions: string[];
}

let analysis: Analysis;
let env: Record<string, string>;
let expectedDiagnostics: string[];
let hoverConnection: string;
let expectedCompletion: string[];

before(() => {
  ensureBuilt();
  analysis = analyze(readFileSync(FILE, 'utf8'), { certificateFiles: new DiskCertificateFiles(dirname(FILE)), now: new Date() });
  expectedDiagnostics = analysis.diagnostics.map((d) => `${analysis.lines.position(d.start).line} ${d.code}`).sort();
  const untrusted = analysis.diagnostics.find((d) => d.code === 'untrusted-responder')!;
  const link = analysis.model.links.find((l) => l.connection.from.start === untrusted.start)!;
  hoverConnection = `**${link.connection.from.text} -> ${link.connection.to!.text}**`;
  // Completion at the first property of a multi-line declaration block: that kind's properties.
  const entity = analysis.model.entities.find((e) => e.decl.block && e.decl.block.properties.length > 0
    && analysis.lines.lineOf(e.decl.block.properties[0]!.start) !== analysis.lines.lineOf(e.decl.block.start))!;
  const completeAt = analysis.lines.position(entity.decl.block!.properties[0]!.start);
  expectedCompletion = completion(analysis, completeAt, { snippets: false }).map((i) => i.label);
  const db2 = analysis.diagnostics.find((d) => d.code === 'tls-to-db2')!;
  const state = mkdtempSync(join(tmpdir(), 'sptls-editors-'));
  env = {
    ...process.env as Record<string, string>,
    HOME: state, XDG_CACHE_HOME: join(state, 'cache'), XDG_STATE_HOME: join(state, 'state'),
    XDG_DATA_HOME: join(state, 'data'), XDG_CONFIG_HOME: join(state, 'config'),
    SPTLS_FILE: FILE,
    SPTLS_CMD: JSON.stringify(COMMAND),
    SPTLS_HOVER: JSON.stringify(analysis.lines.position(untrusted.start + 1)),
    SPTLS_COMPLETE: JSON.stringify(completeAt),
    SPTLS_ACTION_LINE: String(analysis.lines.position(db2.start).line),
  };
});

function runEditor(args: string[], report: string): Report {
  const r = spawnSync(args[0]!, args.slice(1), { env: { ...env, SPTLS_REPORT: report }, cwd: dirname(report), encoding: 'utf8', timeout: 60_000 });
  assert.ok(existsSync(report), `no report from ${args[0]} (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as Report;
  assert.equal(parsed.error, undefined, `${args[0]} failed: ${parsed.error}`);
  assert.equal(r.status, 0, r.stderr);
  return parsed;
}

function checkReport(report: Report, codes: string[]): void {
  assert.deepEqual(codes.sort(), expectedDiagnostics);
  assert.ok(report.hover.includes(hoverConnection), `hover shows ${hoverConnection}: ${report.hover}`);
  assert.match(report.hover, /Not trusted/);
  assert.deepEqual(report.completion, expectedCompletion);
  assert.ok(report.completion.length > 3);
  assert.ok(report.code_actions.includes("Mark the Db2 connection 'plain'"), report.code_actions.join(' | '));
}

test('Neovim (built-in LSP client, headless)', () => {
  ensureCommand('nvim', 'neovim');
  const dir = mkdtempSync(join(tmpdir(), 'sptls-nvim-'));
  const report = runEditor(['nvim', '--headless', '--clean', '-n', '-c', `luafile ${join(import.meta.dirname, 'clients', 'nvim-lsp.lua')}`], join(dir, 'report.json'));
  assert.match(report.client ?? '', /^neovim /);
  for (const d of report.diagnostics) assert.ok(d.code, 'each diagnostic carries its rule id');
  checkReport(report, report.diagnostics.map((d) => `${d.line} ${d.code}`));
});

function ensureEglot(): void {
  ensureCommand('emacs', 'emacs-nox');
  const hasEglot = () => spawnSync('emacs', ['--batch', '-q', '--eval', "(require 'eglot)"], { env, stdio: 'ignore' }).status === 0;
  if (!hasEglot()) {
    // Emacs 29 has Eglot built in; Debian 12's Emacs 28 needs the elpa-eglot package.
    const r = spawnSync('flock', ['/tmp/sptls-apt.lock', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'elpa-eglot'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    assert.ok(r.status === 0 && hasEglot(), `could not install elpa-eglot: ${r.stderr}`);
  }
}

test('Emacs Eglot (batch)', () => {
  ensureEglot();
  const dir = mkdtempSync(join(tmpdir(), 'sptls-eglot-'));
  const report = runEditor(['emacs', '--batch', '-q', '-l', join(import.meta.dirname, 'clients', 'eglot-lsp.el')], join(dir, 'report.json'));
  // Eglot shows each diagnostic as "sptls [rule-id]: message".
  const codes = report.diagnostics.map((d) => {
    const m = /^sptls \[([a-z0-9-]+)\]: /.exec(d.text ?? '');
    assert.ok(m, `diagnostic text ${d.text}`);
    return `${d.line} ${m[1]}`;
  });
  checkReport(report, codes);
});

interface CommandReport {
  error?: string;
  command: string;
  result: { ok: boolean; summary: string; text: string; written: string[] };
}

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [relative(root, join(d, n))]));
  return walk(root).sort();
}

/** Starts `openssl s_server` with the issued certificate of SP1 and resolves once it accepts. */
function opensslServer(pki: string, port: number): Promise<ChildProcess> {
  ensureCommand('openssl', 'openssl');
  const c = join(pki, 'components', 'SP1');
  const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(c, 'cert.pem'), '-key', join(c, 'key.pem'), '-cert_chain', join(c, 'chain.pem'), '-naccept', '1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    const onData = (chunk: Buffer) => { said += chunk.toString(); if (said.includes('ACCEPT')) resolve(server); };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`openssl s_server exited with ${code} before accepting: ${said}`)));
  });
}

/** One editor issues the PKI of a loopback topology from its code-action menu, then tests N1 -> SP1 from the lens. */
async function runCommandsIn(args: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-editor-commands-'));
  try {
    const port = await freePort();
    const topology = join(dir, 'topology.sptls');
    writeFileSync(topology, `ca Root { subject "CN=Editor Command Root" }\nserver SP1 {\n  address "127.0.0.1"\n  port ${port}\n  certificate signed-by Root\n  trusts Root\n}\nclient N1 { trusts Root }\nN1 -> SP1\n`);
    const run = (step: string): CommandReport => {
      const report = join(dir, `${step}.json`);
      const r = spawnSync(args[0]!, args.slice(1), { env: { ...env, SPTLS_FILE: topology, SPTLS_STEP: step, SPTLS_REPORT: report }, cwd: dir, encoding: 'utf8', timeout: 90_000 });
      assert.ok(existsSync(report), `no report from ${args[0]} (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
      const parsed = JSON.parse(readFileSync(report, 'utf8')) as CommandReport;
      assert.equal(parsed.error, undefined, `${args[0]} failed: ${parsed.error}`);
      return parsed;
    };

    const issued = run('issue');
    assert.equal(issued.command, 'sptls.issueCertificates');
    assert.equal(issued.result.ok, true, issued.result.text);
    const reference = join(dir, 'reference');
    execFileSync(process.execPath, [join(ROOT, 'bin', 'sptls.cjs'), 'issue', topology, '--out', reference], { stdio: 'pipe' });
    const expected = filesUnder(reference);
    assert.ok(expected.includes('components/SP1/cert.pem'), expected.join(' '));
    assert.deepEqual(filesUnder(join(dir, 'pki')), expected, 'the editor\'s command wrote what sptls issue writes');

    const server = await opensslServer(join(dir, 'pki'), port);
    let tested: CommandReport;
    try {
      tested = run('handshake');
    } finally {
      server.kill();
    }
    assert.equal(tested.command, 'sptls.testHandshake');
    assert.match(tested.result.text.split('\n')[0]!, /^TRUSTED {2}127\.0\.0\.1:\d+/, tested.result.text.slice(0, 800));
    assert.match(tested.result.text, /N1 -> SP1 {2}\(topology\.sptls, line 9\), tested as N1/);
    assert.equal(tested.result.ok, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Neovim runs the server\'s commands: issue from the code-action menu, the handshake lens', async () => {
  ensureCommand('nvim', 'neovim');
  await runCommandsIn(['nvim', '--headless', '--clean', '-n', '-c', `luafile ${join(import.meta.dirname, 'clients', 'nvim-lsp.lua')}`]);
});

test('Emacs Eglot runs the server\'s commands: issue from the code-action menu, the handshake lens', async () => {
  ensureEglot();
  await runCommandsIn(['emacs', '--batch', '-q', '-l', join(import.meta.dirname, 'clients', 'eglot-lsp.el')]);
});
