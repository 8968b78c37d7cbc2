// `sptls collect-script`: the sh variant run against a fake host tree (SPTLS_COLLECT_ROOT) with a
// fake dsmadmc on PATH; the host tree must be left exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sptls.cjs');

function sptls(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
}

function put(base: string, path: string, content: string | Buffer) {
  const full = join(base, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Every path under dir with its type, size, mode, mtime and content hash. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const hash = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : '';
      out.set(p, `${st.mode} ${st.size} ${st.mtimeMs} ${hash}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function fakeHost(platform: 'linux' | 'aix') {
  const base = mkdtempSync(join(tmpdir(), 'sptls-collect-'));
  const host = join(base, 'host');
  const usr = platform === 'aix' ? '/usr/tivoli/tsm' : '/opt/tivoli/tsm';
  put(host, 'etc/hosts', '127.0.0.1 localhost\n10.10.1.20 spa1.example.com spa1\n');
  put(host, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\ntsminst1:x:1001:1001::/home/tsminst1:/bin/sh\nalice:x:1002:1002::/home/alice:/bin/sh\n');
  const inst = 'home/tsminst1/tsminst1';
  put(host, `${inst}/dsmserv.opt`, 'COMMMETHOD TCPIP\nTCPport 1500\n');
  put(host, `${inst}/cert.kdb`, 'kdb');
  put(host, `${inst}/cert.sth`, 'stash');
  put(host, `${inst}/cert256.arm`, 'arm');
  put(host, `${inst}/dsmkeydb.kdb`, 'master key');
  put(host, `${inst}/dsmkeydb.sth`, 'master key stash');
  put(host, `${inst}/TSM.PWD`, 'pwd');
  put(host, `${inst}/devconf.dat`, 'set stakeydbpw secret');
  put(host, `${usr.slice(1)}/client/ba/bin${platform === 'aix' ? '64' : ''}/dsm.sys`, 'SErvername SPA1\n  TCPServeraddress spa1.example.com\n');
  put(host, `${usr.slice(1)}/client/ba/bin${platform === 'aix' ? '64' : ''}/dsmcert.kdb`, 'kdb');
  put(host, `${usr.slice(1)}/client/ba/bin${platform === 'aix' ? '64' : ''}/dsmcert.sth`, 'stash');
  put(host, `${usr.slice(1)}/client/api/bin64/dsm.sys`, 'servername TSMDBMGR_TSMINST1\n');
  put(host, 'etc/adsm/TSM.KDB', 'node passwords');
  put(host, 'home/alice/IBM/SpectrumProtect/certs/dsmcert.kdb', 'kdb');
  put(host, 'home/alice/IBM/StorageProtect/certs/dsmcert.kdb', 'kdb2');
  put(host, `${usr.slice(1)}/StorageAgent/bin/dsmsta.opt`, 'SERVERNAME SPA1\n');
  put(host, `${usr.slice(1)}/StorageAgent/bin/devconfig.txt`, 'set stakeydbpw secret');
  put(host, 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/gui-truststore.p12', 'p12');
  put(host, 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/bootstrap.properties', 'tsm.truststore.pswd={xor}AAAA\n');
  // A symbolic link must not be followed, a file over 8 MiB not copied.
  put(host, 'secret/shadow', 'root:hash');
  symlinkSync(join(host, 'secret/shadow'), join(host, `${usr.slice(1)}/client/ba/bin${platform === 'aix' ? '64' : ''}/dsm.opt`));
  put(host, `${usr.slice(1)}/client/api/bin64/dsmcert.kdb`, '');
  truncateSync(join(host, `${usr.slice(1)}/client/api/bin64/dsmcert.kdb`), 8 * 1024 * 1024 + 1);
  // dsmadmc: records its arguments, answers every query.
  const fakeBin = join(base, 'bin');
  put(fakeBin, 'dsmadmc', `#!/bin/sh\nprintf '%s|' "$@" >> "${join(base, 'dsmadmc.log')}"\necho >> "${join(base, 'dsmadmc.log')}"\nfor a; do last=$a; done\necho "answer to $last"\n`);
  chmodSync(join(fakeBin, 'dsmadmc'), 0o755);
  return { base, host, fakeBin, usr };
}

function runScript(platform: 'linux' | 'aix', extra: string[], env: Record<string, string>) {
  const h = fakeHost(platform);
  const g = sptls(['collect-script', '--platform', platform, ...extra]);
  assert.equal(g.status, 0, g.stderr);
  const script = join(h.base, 'collect.sh');
  writeFileSync(script, g.stdout);
  const before = snapshot(h.host);
  const out = join(h.base, 'out');
  const r = spawnSync('sh', [script, out], {
    encoding: 'utf8',
    env: { PATH: `${h.fakeBin}:/usr/bin:/bin`, SPTLS_COLLECT_ROOT: h.host, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(snapshot(h.host), before, 'the host tree is unchanged');
  const hosts = readdirSync(out);
  assert.equal(hosts.length, 1);
  const col = join(out, hosts[0]!);
  return { ...h, col, run: r, generated: g, script, out };
}

test('linux: copies the documented files keeping their paths, never stashes or password stores', () => {
  const r = runScript('linux', [], {});
  const has = (p: string) => existsSync(join(r.col, p));
  for (const p of [
    'etc/hosts', 'home/tsminst1/tsminst1/dsmserv.opt', 'home/tsminst1/tsminst1/cert.kdb', 'home/tsminst1/tsminst1/cert256.arm',
    'opt/tivoli/tsm/client/ba/bin/dsm.sys', 'opt/tivoli/tsm/client/ba/bin/dsmcert.kdb', 'opt/tivoli/tsm/client/api/bin64/dsm.sys',
    'home/alice/IBM/SpectrumProtect/certs/dsmcert.kdb', 'home/alice/IBM/StorageProtect/certs/dsmcert.kdb',
    'opt/tivoli/tsm/StorageAgent/bin/dsmsta.opt', 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/gui-truststore.p12',
  ]) assert.ok(has(p), `copied ${p}`);
  assert.equal(readFileSync(join(r.col, 'home/tsminst1/tsminst1/dsmserv.opt'), 'utf8'), 'COMMMETHOD TCPIP\nTCPport 1500\n');
  for (const p of [
    'home/tsminst1/tsminst1/cert.sth', 'opt/tivoli/tsm/client/ba/bin/dsmcert.sth', 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/bootstrap.properties',
    'home/tsminst1/tsminst1/dsmkeydb.kdb', 'home/tsminst1/tsminst1/dsmkeydb.sth', 'home/tsminst1/tsminst1/TSM.PWD', 'home/tsminst1/tsminst1/devconf.dat',
    'etc/adsm/TSM.KDB', 'opt/tivoli/tsm/StorageAgent/bin/devconfig.txt', 'etc/passwd', 'secret/shadow',
  ]) assert.ok(!has(p), `not copied: ${p}`);
  assert.ok(!has('opt/tivoli/tsm/client/ba/bin/dsm.opt'), 'a symbolic link is not followed');
  assert.ok(!has('opt/tivoli/tsm/client/api/bin64/dsmcert.kdb'), 'a file over 8 MiB is not copied');
  const manifest = readFileSync(join(r.col, 'sptls-collect.txt'), 'utf8');
  assert.match(manifest, /^sptls-collect 1\nplatform linux\nhost /);
  assert.match(manifest, /^skipped \/opt\/tivoli\/tsm\/client\/ba\/bin\/dsm\.opt \(symbolic link\)$/m);
  assert.match(manifest, /^skipped \/opt\/tivoli\/tsm\/client\/api\/bin64\/dsmcert\.kdb \(8388609 bytes/m);
  assert.match(manifest, /^copied \/home\/tsminst1\/tsminst1\/dsmserv\.opt$/m);
  assert.ok(!existsSync(join(r.col, 'dsmadmc')), 'no dsmadmc outputs without credentials');
  assert.ok(!existsSync(join(r.base, 'dsmadmc.log')), 'dsmadmc is not run without credentials');
  // Nothing is written outside OUTDIR: the temp folder holds only what the test made.
  assert.deepEqual(readdirSync(r.base).sort(), ['bin', 'collect.sh', 'host', 'out']);
  // A second run into the same OUTDIR refuses instead of mixing two collections.
  const again = spawnSync('sh', [r.script, r.out], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', SPTLS_COLLECT_ROOT: r.host } });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists already/);
});

test('--include-stash copies the stashes and bootstrap.properties, with a warning from the command and the script', () => {
  const r = runScript('linux', ['--include-stash'], {});
  assert.match(r.generated.stderr, /WARNING: .*stash files/);
  assert.match(r.run.stderr, /WARNING: .*stash files/);
  for (const p of [
    'home/tsminst1/tsminst1/cert.sth', 'opt/tivoli/tsm/client/ba/bin/dsmcert.sth', 'opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/bootstrap.properties',
    'home/tsminst1/tsminst1/devconf.dat', 'opt/tivoli/tsm/StorageAgent/bin/devconfig.txt',
  ]) {
    assert.ok(existsSync(join(r.col, p)), `copied ${p}`);
  }
  assert.ok(!existsSync(join(r.col, 'home/tsminst1/tsminst1/dsmkeydb.sth')), 'the master-key stash is never copied');
  assert.ok(!existsSync(join(r.col, 'etc/adsm/TSM.KDB')));
});

test('with credentials, saves each query as -dataonly=yes -commadelimited output', () => {
  const r = runScript('linux', [], { SPTLS_ADMIN_ID: 'admin', SPTLS_ADMIN_PASSWORD: 'pw', SPTLS_ADMIN_SERVERNAME: 'SPA1' });
  const log = readFileSync(join(r.base, 'dsmadmc.log'), 'utf8').trim().split('\n');
  const queries = ['select SERVER_NAME from status', 'query server format=detailed', 'query monitorsettings', 'query option ldapurl'];
  assert.deepEqual(log, queries.flatMap((q) => [
    `-dataonly=yes|-servername=SPA1|-id=admin|-password=pw|-commadelimited|${q}|`,
    `-dataonly=yes|-servername=SPA1|-id=admin|-password=pw|${q}|`,
  ]));
  assert.equal(readFileSync(join(r.col, 'dsmadmc', 'query-server.csv'), 'utf8'), 'answer to query server format=detailed\n');
  assert.ok(existsSync(join(r.col, 'dsmadmc', 'query-monitorsettings.txt')));
  assert.match(readFileSync(join(r.col, 'sptls-collect.txt'), 'utf8'), /^dsmadmc -commadelimited query monitorsettings rc=0$/m);
  const cred = runScript('linux', [], { SPTLS_ADMIN_CREDENTIALSFILE: '/secure/creds' });
  assert.match(readFileSync(join(cred.base, 'dsmadmc.log'), 'utf8'), /^-dataonly=yes\|-credentialsfile=\/secure\/creds\|-commadelimited\|select SERVER_NAME from status\|$/m);
});

test('aix: the AIX folders (ba/bin64, /usr/tivoli) are collected', () => {
  const r = runScript('aix', [], {});
  for (const p of ['usr/tivoli/tsm/client/ba/bin64/dsm.sys', 'usr/tivoli/tsm/client/api/bin64/dsm.sys', 'usr/tivoli/tsm/StorageAgent/bin/dsmsta.opt', 'home/tsminst1/tsminst1/dsmserv.opt']) {
    assert.ok(existsSync(join(r.col, p)), `copied ${p}`);
  }
  assert.match(readFileSync(join(r.col, 'sptls-collect.txt'), 'utf8'), /^platform aix$/m);
});

test('windows: a PowerShell script over the documented Windows folders that only reads them', () => {
  const g = sptls(['collect-script', '--platform', 'windows']);
  assert.equal(g.status, 0, g.stderr);
  for (const p of ['C:\\Program Files\\Tivoli\\TSM\\baclient', 'C:\\Program Files\\Common Files\\Tivoli\\TSM\\api64', 'C:\\ProgramData\\Tivoli\\TSM\\baclient\\Nodes', 'IBM\\SpectrumProtect\\certs', 'spclicert.kdb', 'C:\\Windows\\System32\\drivers\\etc\\hosts']) {
    assert.ok(g.stdout.includes(p), `mentions ${p}`);
  }
  assert.ok(!/\.sth'/.test(g.stdout), 'no stash without --include-stash');
  assert.ok(!/Remove-Item|Move-Item|Rename-Item|Set-Acl|Clear-Content/.test(g.stdout), 'no cmdlet that changes a file');
  // Every write goes below $Out: Set-Content/Add-Content only on the manifest, Copy-Item only to $dest.
  for (const line of g.stdout.split('\n')) {
    if (/Set-Content|Add-Content/.test(line)) assert.match(line, /-LiteralPath \$M\b/);
    if (/Copy-Item/.test(line)) assert.match(line, /-Destination \$dest\b/);
  }
});

test('sptls --help lists collect-script and import; each has its own --help', () => {
  const top = sptls(['--help']);
  assert.match(top.stdout, /^ {2}collect-script +print a read-only script/m);
  assert.match(top.stdout, /^ {2}import +write a topology from collected/m);
  for (const c of ['collect-script', 'import']) assert.match(sptls([c, '--help']).stdout, new RegExp(`^Usage: sptls ${c} `));
});

test('usage errors exit 2', () => {
  assert.equal(sptls(['collect-script']).status, 2);
  assert.equal(sptls(['collect-script', '--platform', 'solaris']).status, 2);
});
