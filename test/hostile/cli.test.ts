// Issue 13 against the CLI: every command given every file of the hostile corpus ends in
// time, with bounded memory, and says what is wrong in one line or a diagnostic; never a
// hang, a stack trace or a raw control character. Then one test per item with its message.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeCorpus, type Corpus } from './corpus.ts';
import { RAW_CONTROL, runCli, STACK_FRAME, type BoundedRun } from './bounded-run.ts';
import { MAX_PBE_ITERATIONS } from '../../server/src/pki/keydb/pbe.ts';

/** Generous for a loaded 2-core machine; every run here takes well under a few seconds idle. */
const LIMIT_MS = 60_000;
/** A Node CLI with the bundle loaded peaks near 100 MiB; /dev/zero read whole would take gigabytes. */
const MAX_PEAK_MIB = 400;

let corpus: Corpus;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sptls-hostile-'));
  corpus = makeCorpus(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The invariants of the "Done when": in time, bounded, no crash, no raw control character. */
async function bounded(args: string[], cwd = dir, { oneLine = true } = {}): Promise<BoundedRun> {
  const r = await runCli(args, { cwd, limitMs: LIMIT_MS });
  const what = `sptls ${args.map((a) => JSON.stringify(a)).join(' ')}`;
  assert.equal(r.timedOut, false, `${what} did not end within ${LIMIT_MS} ms`);
  assert.ok(r.peakMiB < MAX_PEAK_MIB, `${what} peaked at ${r.peakMiB.toFixed(0)} MiB`);
  assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${what} exited ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, STACK_FRAME, `${what} printed a stack trace`);
  assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL, `${what} printed a raw control character`);
  // One line says what failed; fmt --check/--write may add their count of files.
  if (r.code === 2 && oneLine) assert.equal(r.stderr.trimEnd().split('\n').filter((l) => !/^\d+ (?:of \d+ )?file\(s\) /.test(l)).length, 1, `${what} should fail in one line:\n${r.stderr}`);
  return r;
}

describe('every command, every hostile topology', () => {
  const commands: Array<(file: string, out: string) => string[]> = [
    (f) => ['check', f],
    (f) => ['fmt', f],
    (f) => ['fmt', '--check', f],
    (f) => ['diagram', f, '--format', 'dot'],
    (f, out) => ['issue', f, '--out', out, '--dry-run'],
    (f, out) => ['keydb', f, '--out', out],
    (f) => ['handshake', '127.0.0.1:9', '--from', 'C1', '--topology', f],
    (f) => ['simulate', f],
    (f) => ['expiry', f],
    (f, out) => ['rotate', f, '--ca', 'Root', '--out', out],
    (f) => ['rotate', f, '--ca', 'Root', '--status', '--keydbs', corpus.keydbDirs.fifo],
  ];
  for (const name of ['huge', 'fifo', 'devZero', 'sparse', 'badFiles'] as const) {
    test(`${name} topology`, async () => {
      for (const command of commands) await bounded(command(corpus.topologies[name], join(dir, `out-${name}`)));
    });
  }

  test('huge, FIFO, /dev/zero and sparse topologies are refused before they are read', async () => {
    const cases = [
      [corpus.topologies.huge, /20 MiB, over the 8 MiB limit for topology files/],
      [corpus.topologies.fifo, /a FIFO \(named pipe\), not a regular file/],
      [corpus.topologies.devZero, /a character device, not a regular file/],
      [corpus.topologies.sparse, /1\.5 GiB, over the 8 MiB limit/],
    ] as const;
    for (const [file, reason] of cases) {
      for (const command of ['check', 'fmt', 'diagram', 'simulate']) {
        const r = await bounded([command, file]);
        assert.equal(r.code, 2, `${command} ${basename(file)}`);
        assert.match(r.stderr, reason, `${command} ${basename(file)}`);
      }
    }
  });
});

describe('item 2: key stores from hosts cannot hang or exhaust inspect and check --keydbs', () => {
  test('inspect refuses a FIFO, a link to /dev/zero and a 1.5 GiB sparse file in one line', async () => {
    const cases = [
      [corpus.keyStores.fifo, /a FIFO \(named pipe\), not a regular file/],
      [corpus.keyStores.devZero, /a character device, not a regular file/],
      [corpus.keyStores.sparse, /1\.5 GiB, over the 16 MiB limit for key store files/],
    ] as const;
    for (const [file, reason] of cases) {
      const r = await bounded(['inspect', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, reason);
    }
  });

  test('a PKCS#12 whose MAC asks for 2^31-1 iterations is refused at once, whatever the password', async () => {
    for (const env of [{}, { P12PW: 'wrong' }] as Array<Record<string, string>>) {
      const args = ['inspect', corpus.keyStores.macIterations, ...('P12PW' in env ? ['--password-env', 'P12PW'] : [])];
      const r = await runCli(args, { cwd: dir, limitMs: LIMIT_MS, env });
      assert.equal(r.timedOut, false);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`asks for 2147483647 iterations, over sptls's limit of ${MAX_PBE_ITERATIONS}`));
      assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    }
  });

  test('a .kdb whose private key asks for 8,388,607 PBKDF2 iterations is refused, not derived', async () => {
    const r = await bounded(['inspect', corpus.keyStores.keyIterations]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /record 1: PBKDF2 asks for 8388607 iterations, over sptls's limit/);
  });

  test('check --keydbs reports each hostile key database as unreadable and goes on', async () => {
    const topology = join(dir, 'keydbs.sptls');
    const { writeFileSync } = await import('node:fs');
    const { SMALL_TOPOLOGY } = await import('./corpus.ts');
    writeFileSync(topology, SMALL_TOPOLOGY);
    const expected = {
      fifo: /FIFO \(named pipe\), not a regular file/,
      devZero: /character device, not a regular file/,
      sparse: /1\.5 GiB, over the 16 MiB limit/,
      keyIterations: /8388607 iterations, over sptls's limit/,
    } as const;
    for (const [name, reason] of Object.entries(expected)) {
      const r = await bounded(['check', topology, '--keydbs', corpus.keydbDirs[name as keyof typeof expected]]);
      assert.match(r.stdout, reason, name);
    }
  });
});

describe('item 3: certificate files named by a topology are read bounded (spec: file-not-found)', () => {
  test('check reports a FIFO, a /dev/zero link and a 1.5 GiB file as file-not-found with the reason', async () => {
    const r = await bounded(['check', corpus.topologies.badFiles, '--format', 'json']);
    const findings = JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ code: string; message: string }> }> } | Array<{ diagnostics: Array<{ code: string; message: string }> }>;
    const diagnostics = (Array.isArray(findings) ? findings : findings.files).flatMap((f) => f.diagnostics);
    const notFound = diagnostics.filter((d) => d.code === 'file-not-found').map((d) => d.message).join('\n');
    assert.match(notFound, /cert-zero\.pem.*it is a character device, not a regular file/);
    assert.match(notFound, /cert-fifo\.pem.*it is a FIFO \(named pipe\), not a regular file/);
    assert.match(notFound, /cert-sparse\.pem.*1\.5 GiB, more than a certificate file's limit of 1 MiB/);
  });

  test('handshake --trust refuses a FIFO, a /dev/zero link and a sparse file before connecting', async () => {
    for (const file of Object.values(corpus.certificates)) {
      const r = await bounded(['handshake', '127.0.0.1:9', '--trust', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not a regular file|over the 1 MiB limit for certificate files/);
    }
  });
});

describe('the PKI directory of issue, keydb, simulate --pki, expiry and rotate --status holds a FIFO or a /dev/zero link', () => {
  test('each command refuses it, naming the file and what it is, or reports the file unusable, without reading it', async () => {
    const { mkdirSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { SMALL_TOPOLOGY } = await import('./corpus.ts');
    const work = join(dir, 'pki-hostile');
    mkdirSync(work);
    const topology = join(work, 'topology.sptls');
    writeFileSync(topology, SMALL_TOPOLOGY);
    const fifoPki = join(work, 'pki-fifo');
    const zeroPki = join(work, 'pki-zero');
    mkdirSync(fifoPki);
    mkdirSync(zeroPki);
    assert.equal(spawnSync('mkfifo', [join(fifoPki, 'manifest.json')]).status, 0);
    symlinkSync('/dev/zero', join(zeroPki, 'manifest.json'));
    for (const pki of [fifoPki, zeroPki]) {
      // issue and keydb list every problem under one heading line.
      const issue = await bounded(['issue', topology, '--out', pki], dir, { oneLine: false });
      assert.notEqual(issue.code, 0);
      assert.match(issue.stderr, /manifest\.json: it is a (FIFO \(named pipe\)|character device), not a regular file/);
      const keydb = await bounded(['keydb', topology, '--out', pki], dir, { oneLine: false });
      assert.notEqual(keydb.code, 0);
      assert.match(keydb.stderr, /manifest\.json: it is a (FIFO \(named pipe\)|character device), not a regular file/);
      await bounded(['simulate', topology, '--pki', pki]);
      const expiry = await bounded(['expiry', topology, '--pki', pki]);
      assert.match(expiry.stderr, /manifest\.json: it is a (FIFO \(named pipe\)|character device), not a regular file/);
      const status = await bounded(['rotate', topology, '--ca', 'Root', '--status', '--keydbs', corpus.keydbDirs.fifo, '--pki', pki]);
      assert.match(status.stderr, /manifest\.json: it is a (FIFO \(named pipe\)|character device), not a regular file/);
    }
  });
});

describe('import of a collection that holds the whole corpus', () => {
  test('FIFOs, /dev/zero links, 1.5 GiB sparse files and hostile key stores are skipped or read bounded', async () => {
    const r = await bounded(['import', corpus.dir, '--out', join(dir, 'imported.sptls')]);
    assert.notEqual(r.code, null);
  });
});

describe('items 4 and 1 through every command: escape-laden subjects and an injecting file name', () => {
  test('inspect of a certificate whose subject carries ESC[2J and an OSC title prints no raw escape', async () => {
    const r = await bounded(['inspect', corpus.keyStores.escapeSubject]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /TRUSTED/);
  });

  test('a topology named x\\ntouch PWNED\\nSSL NO\\n.sptls: every command stays bounded; no generated file gets the injected lines', async () => {
    const file = corpus.topologies.injectionName;
    const out = join(dir, 'out-injection');
    for (const args of [['check', file], ['fmt', '--check', file], ['diagram', file, '--format', 'dot'], ['issue', file, '--out', out], ['keydb', file, '--out', out]]) {
      const r = await bounded(args);
      assert.ok(r.code === 0 || r.code === 1, `${args[0]}: ${r.stderr}`);
    }
    const generated = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(sh|cmd|txt|opt|properties)$/.test(e.name));
    assert.ok(generated.length > 0, 'keydb wrote its scripts and option files');
    for (const e of generated) {
      const text = readFileSync(join(e.parentPath, e.name), 'utf8');
      assert.doesNotMatch(text, /^(?:touch PWNED|SSL NO)\r?$/m, e.name);
    }
  });
});
