// `npm run package` in a clean copy of the project (so the repository's dist/ is not
// rewritten under other tests): the VSIX holds only what runs, and the server inside
// it starts and answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCommand } from '../support/system.ts';
import { initialize, ROOT, startServerProcess } from './server-process.ts';

const COPY = ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'language-configuration.json', 'syntaxes', 'images', 'scripts', 'grammar', 'protocol', 'server', 'client', 'bin'];
let work: string;
let vsix: string;
let entries: string[];

before(() => {
  ensureCommand('unzip', 'unzip');
  work = mkdtempSync(join(tmpdir(), 'sptls-package-'));
  for (const item of COPY) if (existsSync(join(ROOT, item))) cpSync(join(ROOT, item), join(work, item), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  const r = spawnSync(process.execPath, [join('scripts', 'package.mjs')], { cwd: work, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const { name, version } = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8'));
  vsix = join(work, `${name}-${version}.vsix`);
  assert.match(r.stdout, new RegExp(`${name}-${version}\\.vsix: [0-9.]+ MB`), 'the size is printed');
  const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  entries = list.stdout.split('\n').filter(Boolean);
});

after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

test('the VSIX holds the bundles, manifest, grammar, images, README and LICENSE', () => {
  for (const want of ['extension/package.json', 'extension/dist/server.cjs', 'extension/dist/extension.cjs', 'extension/syntaxes/sptls.tmLanguage.json', 'extension/language-configuration.json', 'extension/images/icon.png']) {
    assert.ok(entries.includes(want), `${want} in ${entries.join(', ')}`);
  }
  assert.ok(entries.some((e) => /^extension\/readme\.md$/i.test(e)));
  assert.ok(entries.some((e) => /^extension\/LICENSE(\.txt)?$/i.test(e)));
  const manifest = JSON.parse(spawnSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' }).stdout);
  assert.ok(entries.includes(`extension/${manifest.main.replace(/^\.\//, '')}`), 'main is inside the VSIX');
});

test('no sources, tests, source maps or node_modules in the VSIX', () => {
  const bad = entries.filter((e) => /\.ts$|\.map$|(^|\/)node_modules\/|^extension\/(test|server|client|grammar|protocol|scripts)\//.test(e));
  assert.deepEqual(bad, []);
});

test('the minified server inside the VSIX starts and publishes diagnostics', async () => {
  const out = join(work, 'unpacked');
  assert.equal(spawnSync('unzip', ['-q', vsix, '-d', out]).status, 0);
  const server = startServerProcess([join(out, 'extension', 'dist', 'server.cjs'), '--stdio']);
  try {
    await initialize(server);
    const uri = 'file:///tmp/vsix/t.sptls';
    const published = server.diagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text: 'server SP1\ndb2 DB\nSP1 -> DB\n' } });
    assert.deepEqual((await published).diagnostics.map((d) => d.code), ['tls-to-db2']);
  } finally {
    await server.stop();
  }
});
