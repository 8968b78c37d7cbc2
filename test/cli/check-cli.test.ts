// `sptls check` as a spawned process: exit codes, the JSON shape, 1-based text positions.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sptls.cjs');

before(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.mjs'))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

function sptls(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'sptls-cli-'));
writeFileSync(join(dir, 'clean.sptls'), 'server S { certificate self-signed }\nclient C { trusts S }\nC -> S\n');
writeFileSync(join(dir, 'db2.sptls'), 'server S { certificate self-signed }\ndb2 D { }\n  S -> D\n');
writeFileSync(join(dir, 'warn.sptls'), 'server S { certificate self-signed }\nclient C { trusts S tls-min 1.1 }\nC -> S\n');
mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
writeFileSync(join(dir, 'nested', 'deeper', 'x.sptls'), 'client C { hub }\n');
writeFileSync(join(dir, 'nested', 'notes.txt'), 'not a topology');

test('a clean file exits 0 and prints nothing on stdout', () => {
  const r = sptls(['check', join(dir, 'clean.sptls')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('an error exits 1; text form is path:line:col: severity rule-id: message, 1-based', () => {
  const r = sptls(['check', 'db2.sptls'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^db2\.sptls:3:3: error tls-to-db2: .*plain/m);
});

test('warnings alone exit 0', () => {
  const r = sptls(['check', join(dir, 'warn.sptls')]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /:2:29: warning legacy-tls: /);
});

test('JSON form has the spec shape with 0-based positions', () => {
  const r = sptls(['check', '--format', 'json', 'db2.sptls'], dir);
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.files.length, 1);
  assert.equal(report.files[0].path, 'db2.sptls');
  const [d] = report.files[0].diagnostics;
  assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
  assert.equal(d.code, 'tls-to-db2');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 3 } });
});

test('a directory is checked recursively, .sptls files only', () => {
  const r = sptls(['check', '--format=json', dir]);
  const paths = JSON.parse(r.stdout).files.map((f: { path: string }) => f.path.slice(dir.length + 1)).sort();
  assert.deepEqual(paths, ['clean.sptls', 'db2.sptls', 'nested/deeper/x.sptls', 'warn.sptls']);
  assert.equal(r.status, 1);
});

test('usage and I/O errors exit 2 with a one-line message', () => {
  for (const args of [['check'], ['check', '--format', 'xml', 'a.sptls'], ['check', '--bogus', 'a.sptls'], ['check', join(dir, 'missing.sptls')], ['nonsense'], ['check', '--now', 'yesterday', join(dir, 'clean.sptls')]]) {
    const r = sptls(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^sptls/);
  }
});

test('--now pins the validity rules', () => {
  const certs = join(root, 'test', 'rules', 'cases');
  const topo = join(dir, 'exp.sptls');
  // Its issuer is declared: a file certificate whose issuer is no ca is issuer-unknown.
  writeFileSync(topo, `ca Root { file "${join(certs, 'certs', 'root.pem')}" }\nserver E { address "expiring.example.com" certificate file "${join(certs, 'certs', 'expiring.pem')}" }\n`);
  assert.match(sptls(['check', '--now', '2026-06-01', topo]).stdout, /certificate-expiring/);
  assert.match(sptls(['check', '--now', '2026-06-25', topo]).stdout, /certificate-expired/);
  assert.equal(sptls(['check', '--now', '2026-01-01', topo]).stdout, '');
});

test('--help documents every command; each command has its own help', () => {
  const top = sptls(['--help']);
  assert.equal(top.status, 0);
  for (const name of top.stdout.matchAll(/^  ([a-z]+)\s{2,}/gm)) {
    const r = sptls([name[1]!, '--help']);
    assert.equal(r.status, 0, name[1]);
    assert.match(r.stdout, /Usage: sptls /);
  }
  assert.match(sptls(['check', '--help']).stdout, /--format text\|json/);
});

test('the bundle runs on the system node too (conformance runs outside npm)', () => {
  const sys = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
  if (sys.status !== 0) return; // no system node on this machine: nothing to check
  const r = spawnSync('/usr/bin/node', [bin, 'check', join(dir, 'clean.sptls')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the text summary counts hints too', () => {
  writeFileSync(join(dir, 'hint.sptls'), 'ca Spare\nserver S { certificate self-signed }\nclient C { trusts S }\nC -> S\n');
  const r = sptls(['check', join(dir, 'hint.sptls')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /hint unused-ca/);
  assert.match(r.stderr, /1 file\(s\) checked: 0 error\(s\), 0 warning\(s\), 1 hint\(s\)/);
});

test('check on a folder without .sptls files says so and does not pass', () => {
  const empty = join(dir, 'no-topologies');
  mkdirSync(empty, { recursive: true });
  writeFileSync(join(empty, 'readme.txt'), 'nothing to check');
  const r = sptls(['check', empty]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no-topologies: no \.sptls files in this directory or below it/);
  // Beside a folder that has some, the empty one is named and the rest is checked.
  const both = sptls(['check', empty, join(dir, 'clean.sptls')]);
  assert.equal(both.status, 0, both.stderr);
  assert.match(both.stderr, /no-topologies: no \.sptls files/);
});

test('fmt --check on a file with syntax errors names it instead of "0 of 0 file(s)"', () => {
  writeFileSync(join(dir, 'broken.sptls'), 'server S { port }\n');
  writeFileSync(join(dir, 'ugly.sptls'), 'server   S\n');
  const r = sptls(['fmt', '--check', join(dir, 'broken.sptls')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken\.sptls:1:\d+: syntax error/);
  assert.doesNotMatch(r.stderr, /0 of 0/);
  assert.match(r.stderr, /1 file\(s\) not formatted: fix the errors above/);
  const mixed = sptls(['fmt', '--check', join(dir, 'broken.sptls'), join(dir, 'ugly.sptls')]);
  assert.match(mixed.stderr, /1 of 1 file\(s\) would be reformatted; 1 file\(s\) not formatted/);
});
