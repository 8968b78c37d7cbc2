// The disk edge of `sptls import`: hosts by manifest or by folder, loose files, and the bounds
// (symbolic links, special files and files over 8 MiB are not read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { readCollections } from '../../server/src/import/read-collection.ts';
import { put, scratch, sptls } from './support.ts';

test('hosts: a folder with sptls-collect.txt anywhere, else each folder below the root; loose files belong to their folder', async () => {
  const dir = scratch('sptls-read-');
  put(dir, 'all/sp1/sptls-collect.txt', 'sptls-collect 1\n');
  put(dir, 'all/sp1/etc/hosts', '10.0.0.1 sp1\n');
  put(dir, 'all/nested/deeper/fs01/sptls-collect.txt', 'sptls-collect 1\n');
  put(dir, 'all/nested/deeper/fs01/opt/dsm.sys', 'SERVERNAME A\n');
  put(dir, 'all/win01/C/dsm.opt', 'NODENAME W\n');
  put(dir, 'all/loose.arm', 'x');
  put(dir, 'single/dsmserv.opt', 'TCPPORT 1500\n');
  const r = await readCollections(['all', 'single/dsmserv.opt'], dir);
  assert.deepEqual(r.files.map((f) => [f.host, f.path, f.display]).sort(), [
    ['all', '/loose.arm', 'all/loose.arm'],
    ['fs01', '/opt/dsm.sys', 'all/nested/deeper/fs01/opt/dsm.sys'],
    ['fs01', '/sptls-collect.txt', 'all/nested/deeper/fs01/sptls-collect.txt'],
    ['single', '/dsmserv.opt', 'single/dsmserv.opt'],
    ['sp1', '/etc/hosts', 'all/sp1/etc/hosts'],
    ['sp1', '/sptls-collect.txt', 'all/sp1/sptls-collect.txt'],
    ['win01', '/C/dsm.opt', 'all/win01/C/dsm.opt'],
  ]);
  assert.deepEqual(r.skipped, []);
});

test('symbolic links, special files and files over 8 MiB are skipped and said so', async () => {
  const dir = scratch('sptls-read-');
  put(dir, 'c/h/secret', 'root:hash');
  symlinkSync(join(dir, 'c/h/secret'), join(dir, 'c/h/dsm.opt'));
  mkdirSync(join(dir, 'c/h/linked'));
  symlinkSync('/etc', join(dir, 'c/h/linked/etc'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'c/h/dsm.sys')]).status, 0);
  put(dir, 'c/h/big.kdb', '');
  truncateSync(join(dir, 'c/h/big.kdb'), 8 * 1024 * 1024 + 1);
  const r = await readCollections(['c', 'missing'], dir);
  assert.deepEqual(r.files.map((f) => f.display), ['c/h/secret']);
  assert.deepEqual(r.skipped.sort((a, b) => a.file.localeCompare(b.file)), [
    { file: 'c/h/big.kdb', reason: '8388609 bytes, more than 8388608' },
    { file: 'c/h/dsm.opt', reason: 'a symbolic link (not followed)' },
    { file: 'c/h/dsm.sys', reason: 'not a regular file' },
    { file: 'c/h/linked/etc', reason: 'a symbolic link (not followed)' },
    { file: 'missing', reason: 'does not exist' },
  ]);
  const cli = sptls(['import', 'c', '--out', 'o.sptls'], dir);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stderr, /^sptls import: skipped c\/h\/dsm\.opt: a symbolic link \(not followed\)$/m);
  assert.equal(sptls(['import', 'missing', '--out', 'o2.sptls'], dir).status, 2, 'nothing read is a usage error');
});
