import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nodeFileSink, type FileSink } from '../../server/src/pki/fs/file-sink.ts';
import { backupName, KEY_FILE_MODE, writeFileSafely } from '../../server/src/pki/fs/safe-write.ts';
import { scratchDir } from './support.ts';

const root = scratchDir();
let n = 0;
const freshDir = () => { const d = join(root, `case-${n++}`); mkdirSync(d); return d; };

/** Throws on the first `failAt` step and on every later call (the process "died" there). */
function crashingSink(failAt: keyof FileSink): FileSink {
  let dead = false;
  const wrap = <K extends keyof FileSink>(name: K): FileSink[K] => (async (...args: unknown[]) => {
    if (dead || name === failAt) { dead = true; throw new Error(`simulated crash in ${name}`); }
    return (nodeFileSink[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  }) as FileSink[K];
  return { exists: wrap('exists'), writeNew: wrap('writeNew'), rename: wrap('rename'), link: wrap('link'), remove: wrap('remove'), syncDir: wrap('syncDir') };
}

const visible = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

describe('writeFileSafely', () => {
  test('writes a new key file with mode 0600 and leaves no temp file', async () => {
    const dir = freshDir();
    const p = join(dir, 'server.key');
    const r = await writeFileSafely(p, 'KEY-1', { mode: KEY_FILE_MODE });
    assert.deepEqual(r, { ok: true, path: p });
    assert.equal(readFileSync(p, 'utf8'), 'KEY-1');
    assert.equal(statSync(p).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['server.key']);
  });

  test('refuses to overwrite an existing file by default', async () => {
    const dir = freshDir();
    const p = join(dir, 'server.key');
    writeFileSync(p, 'OLD');
    const r = await writeFileSafely(p, 'NEW', { mode: KEY_FILE_MODE });
    assert.equal(!r.ok && r.error.kind, 'exists');
    assert.match(!r.ok ? r.error.message : '', /server\.key already exists.*--force/);
    assert.equal(readFileSync(p, 'utf8'), 'OLD');
    assert.deepEqual(readdirSync(dir), ['server.key']);
  });

  test('with backup: replaces the file and keeps the old one under a dated name', async () => {
    const dir = freshDir();
    const p = join(dir, 'cert.kdb');
    writeFileSync(p, 'OLD', { mode: 0o600 });
    const now = new Date('2025-03-04T05:06:07Z');
    const r = await writeFileSafely(p, 'NEW', { mode: KEY_FILE_MODE, existing: 'backup', now });
    assert.ok(r.ok);
    assert.equal(r.backup, join(dir, 'cert.kdb.bak-20250304-050607'));
    assert.equal(backupName(p, now), r.backup);
    assert.equal(readFileSync(p, 'utf8'), 'NEW');
    assert.equal(readFileSync(r.backup!, 'utf8'), 'OLD');
    assert.equal(statSync(p).mode & 0o777, 0o600);
  });

  test('backups in the same second get distinct names (-2, -3) and none is destroyed', async () => {
    const dir = freshDir();
    const p = join(dir, 'k');
    writeFileSync(p, 'V1');
    const now = new Date('2025-01-01T00:00:00Z');
    const first = await writeFileSafely(p, 'V2', { mode: 0o600, existing: 'backup', now });
    const second = await writeFileSafely(p, 'V3', { mode: 0o600, existing: 'backup', now });
    const third = await writeFileSafely(p, 'V4', { mode: 0o600, existing: 'backup', now });
    assert.ok(first.ok && second.ok && third.ok, JSON.stringify([first, second, third]));
    assert.deepEqual([first.backup, second.backup, third.backup], [backupName(p, now), `${backupName(p, now)}-2`, `${backupName(p, now)}-3`]);
    assert.deepEqual([readFileSync(p, 'utf8'), readFileSync(first.backup!, 'utf8'), readFileSync(second.backup!, 'utf8'), readFileSync(third.backup!, 'utf8')], ['V4', 'V1', 'V2', 'V3']);
  });

  // Every step a crash can interrupt: the target holds the old content or nothing, never a part.
  const steps: [keyof FileSink, boolean][] = [['writeNew', false], ['link', false], ['remove', false], ['rename', true], ['syncDir', false], ['link', true]];
  for (const [step, existing] of steps) {
    test(`crash in ${step} (${existing ? 'replacing' : 'new file'}) leaves no half-written target`, async () => {
      const dir = freshDir();
      const p = join(dir, 'server.key');
      if (existing) writeFileSync(p, 'OLD-CONTENT');
      const r = await writeFileSafely(p, 'NEW-CONTENT-'.repeat(1000), { mode: KEY_FILE_MODE, existing: 'backup', sink: crashingSink(step) });
      const content = existsSync(p) ? readFileSync(p, 'utf8') : undefined;
      assert.ok(content === undefined || content === 'OLD-CONTENT' || content === 'NEW-CONTENT-'.repeat(1000), `target is ${content?.slice(0, 20)}`);
      if (existing) assert.equal(content, 'OLD-CONTENT', 'the old file survives until the atomic rename');
      if (!r.ok) assert.equal(r.error.kind, 'io');
      // Leftovers can only be dot-prefixed temp files or a complete backup, never the target name.
      for (const f of visible(dir)) assert.ok(f === 'server.key' || f.startsWith('server.key.bak-'), f);
    });
  }
});

test('writing into a missing directory is an io error naming the file', async () => {
  const p = join(root, 'no', 'such', 'dir', 'x.key');
  const r = await writeFileSafely(p, 'x', { mode: KEY_FILE_MODE });
  assert.equal(!r.ok && r.error.kind, 'io');
  assert.match(!r.ok ? r.error.message : '', /x\.key/);
});
