// `sptls diagram`: formats, --out written atomically, --expand and --no-chains, and
// clear usage errors. Most cases run the command in-process; one spawns the real CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../server/src/cli/cli.ts';
import { writeAtomically } from '../../server/src/cli/commands/diagram.ts';
import { nodeFileSink } from '../../server/src/pki/fs/file-sink.ts';
import { clientPopulation, parseXml, withClass } from './samples.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sptls-diagram-'));
writeFileSync(join(dir, 'clients.sptls'), clientPopulation([{ count: 8, trusts: 'Root', prefix: 'N' }]));
writeFileSync(join(dir, 'broken.sptls'), 'server S { certificate self-signed port }\nclient C { trusts S = }\nC -> S\nC -> \n');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const status = await main(['diagram', ...args], { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir, env: {} });
  return { status, out, err };
}

test('svg is the default format; dot and mermaid on request', async () => {
  const svg = await run(['clients.sptls']);
  assert.equal(svg.status, 0, svg.err);
  assert.equal(parseXml(svg.out).documentElement?.tagName, 'svg');
  const dot = await run(['clients.sptls', '--format', 'dot']);
  assert.match(dot.out, /^digraph topology \{/);
  assert.match(dot.out, /"group:N001" -> "SP1"/);
  const mermaid = await run(['clients.sptls', '--format=mermaid']);
  assert.match(mermaid.out, /^flowchart LR/);
});

test('--expand draws a group client by client; --collapse sets the threshold', async () => {
  const grouped = await run(['clients.sptls', '--format', 'dot']);
  assert.doesNotMatch(grouped.out, /"N003"/);
  for (const args of [['--expand', 'N003'], ['--expand', 'group:N001'], ['--expand', 'N001,N002'], ['--collapse', '9']]) {
    const r = await run(['clients.sptls', '--format', 'dot', ...args]);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /"N003" -> "SP1"/, args.join(' '));
  }
});

test('an --expand that names no group is a usage error listing the groups', async () => {
  const r = await run(['clients.sptls', '--expand', 'NOPE']);
  assert.equal(r.status, 2);
  assert.match(r.err, /--expand NOPE: no such group or group member; groups: group:N001 \(8 clients\)/);
});

test('--no-chains drops the chain layer', async () => {
  const r = await run(['clients.sptls', '--no-chains']);
  assert.equal(withClass(parseXml(r.out), 'g', 'chain').length, 0);
  const withChains = await run(['clients.sptls']);
  assert.ok(withClass(parseXml(withChains.out), 'g', 'chain').length > 0);
});

test('a file with syntax errors still renders, under a banner', async () => {
  const r = await run(['broken.sptls']);
  assert.equal(r.status, 0, r.err);
  const doc = parseXml(r.out);
  assert.match(withClass(doc, 'g', 'banner')[0]!.textContent!, /syntax errors? — the diagram shows what parsed/);
  assert.deepEqual(withClass(doc, 'g', 'node').map((g) => g.getAttribute('data-id')).filter(Boolean).sort(), ['C', 'S']);
});

test('--out replaces the file atomically and leaves no temporary file', async () => {
  const target = join(dir, 'out.svg');
  writeFileSync(target, 'old');
  const r = await run(['clients.sptls', '--out', 'out.svg']);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /out\.svg: \d+ nodes, \d+ connection edges, \d+ chain edges; 1 client group\(s\) collapsed \(group:N001\)/);
  assert.equal(parseXml(readFileSync(target, 'utf8')).documentElement?.tagName, 'svg');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  const bad = await run(['clients.sptls', '--out', 'missing-dir/out.svg']);
  assert.equal(bad.status, 2);
  assert.match(bad.err, /missing-dir\/out\.svg: cannot write \(ENOENT\)/);
});

test('a failed rename keeps the old file and removes the temporary one', async () => {
  const target = join(dir, 'keep.svg');
  writeFileSync(target, 'old');
  const failing = { ...nodeFileSink, rename: async () => { throw Object.assign(new Error('disk full'), { code: 'ENOSPC' }); } };
  await assert.rejects(writeAtomically(target, 'new', failing), /disk full/);
  assert.equal(readFileSync(target, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
});

test('usage errors: bad format, no file, unreadable file', async () => {
  assert.match((await run(['clients.sptls', '--format', 'png'])).err, /--format must be svg, dot, mermaid, not 'png'/);
  assert.equal((await run([])).status, 2);
  const missing = await run(['nope.sptls']);
  assert.equal(missing.status, 2);
  assert.match(missing.err, /nope\.sptls: no such file/);
});

test('the real CLI lists and runs the command', () => {
  const entry = join(root, 'server', 'src', 'cli', 'main.ts');
  const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /diagram\s+draw the topology/);
  const r = spawnSync(process.execPath, [entry, 'diagram', join(dir, 'clients.sptls'), '--format', 'mermaid'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /group:N001|8 clients/);
});
