// End to end: the collect script run on a host tree that holds real key material (the hand-made
// collection's SPHUB host, used as the host's root), with a fake dsmadmc; its output imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleCorp, put, scratch, sptls } from './support.ts';
import { readBack } from './topology-text.ts';

test('collect-script --include-stash on a server host, then import: the server with its certificate, trusts, hub and LDAP', async () => {
  const env = await exampleCorp();
  const host = join(env.dir, 'sphub');
  put(host, 'etc/passwd', 'tsminst1:x:1001:1001::/home/tsminst1:/bin/sh\n');
  const work = scratch('sptls-e2e-');
  const fake = join(work, 'bin');
  // dsmadmc answers the labelled queries as the hub does; the comma-delimited ones with nothing.
  put(fake, 'dsmadmc', `#!/bin/sh
for a; do last=$a; done
case " $* " in *" -commadelimited "*) exit 0;; esac
case "$last" in
  "select SERVER_NAME from status") echo SPHUB ;;
  "query monitorsettings") cat "${join(host, 'dsmadmc', 'query-monitorsettings.txt')}" ;;
  "query server format=detailed") cat "${join(host, 'dsmadmc', 'query-server.txt')}" ;;
esac
`);
  chmodSync(join(fake, 'dsmadmc'), 0o755);
  const script = sptls(['collect-script', '--platform', 'linux', '--include-stash']);
  writeFileSync(join(work, 'collect.sh'), script.stdout);
  const run = spawnSync('sh', [join(work, 'collect.sh'), join(work, 'out')], {
    encoding: 'utf8', env: { PATH: `${fake}:/usr/bin:/bin`, SPTLS_COLLECT_ROOT: host, SPTLS_ADMIN_ID: 'admin', SPTLS_ADMIN_PASSWORD: 'pw' },
  });
  assert.equal(run.status, 0, run.stderr);
  const [collected] = readdirSync(join(work, 'out'));
  for (const f of ['home/tsminst1/tsminst1/cert.kdb', 'home/tsminst1/tsminst1/cert.sth', 'home/tsminst1/tsminst1/ldap.example.com.arm', 'etc/hosts', 'dsmadmc/select-server-name.txt']) {
    assert.ok(readFileSync(join(work, 'out', collected!, f)), f);
  }
  const r = sptls(['import', 'out', '--out', 'env.sptls'], work);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(join(work, 'env.sptls'), 'utf8');
  const { decls, conns } = readBack(text);
  assert.deepEqual(decls.get('SPHUB')?.props.filter((p) => !p.startsWith('address')), [
    'port 1500', 'admin-port 1501', 'certificate file "certs/SPHUB.pem"', 'keydb "/home/tsminst1/tsminst1/cert.kdb"',
    'trusts Example_Corp_Root_CA', 'trusts Example_Corp_Issuing_CA_1', 'hub',
  ]);
  assert.deepEqual(decls.get('LDAP')?.props, ['address "ldap.example.com"', 'port 636', 'certificate file "certs/LDAP.pem"']);
  assert.deepEqual(conns.map((c) => `${c.from} -> ${c.to}`).sort(), ['SPHUB -> LDAP', 'SPHUB -> SPHUB_DB']);
  assert.match(text, /^# unknown: out\/\S+\/dsmadmc\/query-server\.txt:1: SPHUB defines server SPOLD at 10\.10\.1\.30:1500, which matches no collected server$/m);
  assert.match(text, /monitored server SPA1 of hub SPHUB was not collected/);
});
