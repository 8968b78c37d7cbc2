// The scripts `sptls rotate` writes, run for real: `bash -n` on every one, then every
// phase in the order its STEPS.txt gives, with the real sptls (issue, keydb) and fake
// gsk8capicmd_64 / dsmcert / keytool / dsmadmc that record their arguments. The recorded
// order must follow the order rule, the staged files must be the right certificates
// (openssl verify), and each phase file must pass `sptls check` with the files the hosts made.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureCommand } from '../support/system.ts';
import { production, root, selfSigned } from './support.ts';

const cli = join(root, 'bin', 'sptls.cjs');
// EC keys: the same topology, issued in a moment instead of the RSA 4096 root's seconds.
const fast = (text: string) => text.replace(/key rsa \d+/g, 'key ec p256');

let work: string;
let fakeBin: string;
before(() => {
  ensureCommand('bash', 'bash');
  ensureCommand('openssl', 'openssl');
  work = mkdtempSync(join(tmpdir(), 'sptls-rotate-scripts-'));
  fakeBin = join(work, 'bin');
  mkdirSync(fakeBin);
  // Each fake tool appends one line: the tool, the folder it ran in, its arguments (one per field).
  const fake = `#!/bin/sh
{ printf '%s' "$(basename "$0")|$(basename "$(pwd)")"; for a in "$@"; do printf '|%s' "$a"; done; printf '\\n'; } >> "$ROTATE_LOG"
case "$*" in
  *"CREATE CERTIFICATE"*)
    label=$(printf '%s' "$*" | sed -n 's/.*CREATE CERTIFICATE "\\([^"]*\\)".*/\\1/p')
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "$FAKE_SUBJECT" -days 825 -out "$label.arm" 2>/dev/null ;;
esac
`;
  for (const tool of ['gsk8capicmd_64', 'dsmcert', 'keytool', 'dsmadmc']) {
    writeFileSync(join(fakeBin, tool), fake);
    chmodSync(join(fakeBin, tool), 0o755);
  }
  writeFileSync(join(fakeBin, 'sptls'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(join(fakeBin, 'sptls'), 0o755);
});
after(() => rmSync(work, { recursive: true, force: true }));

function sh(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(args[0]!, args.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, ...env } });
  return { status: r.status, out: r.stdout + r.stderr };
}

function allScripts(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allScripts(p) : n.endsWith('.sh') ? [p] : [];
  });
}

/** Runs one phase the way STEPS.txt says; `afterHost` brings files back as the administrator would. */
function runPhase(rotationDir: string, phaseId: string, log: string, env: Record<string, string>, afterHost?: (script: string) => void): string[] {
  const steps = readFileSync(join(rotationDir, phaseId, 'STEPS.txt'), 'utf8');
  const order = [...steps.matchAll(/^\d+\. (\S+)/gm)].map((m) => m[1]!);
  for (const script of order) {
    const r = sh(['sh', join(rotationDir, script)], rotationDir, { ROTATE_LOG: log, ...env });
    assert.equal(r.status, 0, `${script}: ${r.out}`);
    afterHost?.(script);
  }
  return order;
}

const logLines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('|')) : []);

describe('sptls rotate scripts', () => {
  it('CorpRoot: every script parses, the phases run in order with real sptls and recorded GSKit/Java tools, and each phase checks clean', () => {
    const dir = join(work, 'root');
    mkdirSync(dir);
    writeFileSync(join(dir, 'production.sptls'), fast(production));
    assert.equal(sh(['sptls', 'issue', 'production.sptls'], dir).status, 0);
    const r = sh(['sptls', 'rotate', 'production.sptls', '--ca', 'CorpRoot'], dir);
    assert.equal(r.status, 0, r.out);
    const rot = join(dir, 'rotate-CorpRoot');
    const scripts = allScripts(rot);
    assert.ok(scripts.length >= 30);
    for (const s of scripts) assert.equal(sh(['bash', '-n', s], rot).status, 0, s);

    const log = join(work, 'root.log');
    const phases = ['phase-1-trust-new', 'phase-2-reissue', 'phase-3-drop-old'];
    const marks: number[] = [];
    for (const p of phases) {
      runPhase(rot, p, log, { SPTLS_ADMIN_ID: 'admin', SPTLS_ADMIN_PASSWORD: 'x' });
      marks.push(logLines(log).length);
      assert.equal(sh(['sptls', 'check', `${p}.sptls`], rot).status, 0, p);
    }
    const lines = logLines(log);
    const phaseOf = (i: number) => marks.findIndex((m) => i < m);
    const where = (pred: (l: string[]) => boolean) => lines.flatMap((l, i) => (pred(l) ? [phaseOf(i)] : []));
    // Phase 1 only adds the new root: 14 initiators, GSKit by label, Java by alias.
    const adds = where((l) => (l.includes('-add') || l.includes('-importcert')) && l.includes('CorpRoot-2'));
    assert.equal(adds.length, 14);
    assert.ok(adds.every((p) => p === 0));
    // Phase 2 only switches certificates: imported and made the default on the 6 GSKit responders,
    // with SET DEFAULTTLSCERT on the servers (8.1.19 and later), gsk8capicmd_64 on the storage agents.
    const switches = where((l) => l.includes('-setdefault') || l.some((a) => a.startsWith('SET DEFAULTTLSCERT')));
    assert.equal(switches.length, 6);
    assert.deepEqual(lines.filter((l) => l.includes('-setdefault')).map((l) => l[1]), ['STA1', 'STA2']);
    assert.ok(switches.every((p) => p === 1));
    assert.ok(where((l) => l.includes('-import')).every((p) => p === 1));
    // The PKCS#12 password reaches -pw from the .pw file sptls keydb wrote beside it.
    const imp = lines.find((l) => l[1] === 'SPA1' && l.includes('-import'))!;
    const pw = readFileSync(join(dir, 'pki', 'keydb', 'SPA1', 'SPA1.p12.pw'), 'utf8').split('\n')[0];
    assert.deepEqual(imp.slice(2, 7), ['-cert', '-import', '-db', 'SPA1.p12', '-pw']);
    assert.equal(imp[7], pw);
    // Phase 3 only removes the old root, from all 14.
    const removals = where((l) => (l.includes('-delete')) && l.includes('CorpRoot'));
    assert.equal(removals.length, 14);
    assert.ok(removals.every((p) => p === 2));
    assert.deepEqual(lines.filter((l) => l[0] === 'keytool' && l.includes('-importcert')).map((l) => l[1]).sort(), ['OC', 'REPORTS']);

    // The staged anchor is the new root, and what SPA1 presents from phase 2 chains to it and not to the old one.
    const anchor = join(rot, 'phase-1-trust-new', 'FILESRV01', 'CorpRoot-2.arm');
    const spa1 = join(dir, 'pki', 'components', 'SPA1');
    const verify = (ca: string) => sh(['openssl', 'verify', '-CAfile', ca, '-untrusted', join(spa1, 'chain.pem'), join(spa1, 'cert.pem')], dir).status;
    assert.equal(verify(anchor), 0);
    assert.notEqual(verify(join(dir, 'pki', 'ca', 'CorpRoot.crt.pem')), 0);
  });

  it('a self-signed server certificate: CREATE CERTIFICATE first, the .arm to the servers that trust it, SET DEFAULTTLSCERT, then the old one out', () => {
    const dir = join(work, 'self');
    mkdirSync(dir);
    writeFileSync(join(dir, 'production.sptls'), fast(selfSigned));
    assert.equal(sh(['sptls', 'rotate', 'production.sptls', '--certificate', 'SPB1'], dir).status, 0);
    const rot = join(dir, 'rotate-SPB1');
    for (const s of allScripts(rot)) assert.equal(sh(['bash', '-n', s], rot).status, 0, s);
    const log = join(work, 'self.log');
    const env = { FAKE_SUBJECT: '/C=US/O=TSM/OU=TSM Network/CN=SPB1', SPTLS_ADMIN_ID: 'admin', SPTLS_ADMIN_PASSWORD: 'x' };
    // The administrator copies the exported .arm back from SPB1 before the workstation stages it.
    const bringBack = (script: string) => {
      const arm = join(rot, 'phase-1-trust-new', 'SPB1', 'SPB1-2.arm');
      if (script.endsWith('SPB1/run.sh') && existsSync(arm)) writeFileSync(join(rot, 'SPB1-2.arm'), readFileSync(arm));
    };
    const order = runPhase(rot, 'phase-1-trust-new', log, env, bringBack);
    assert.deepEqual(order.slice(0, 2), ['phase-1-trust-new/SPB1/run.sh', 'phase-1-trust-new/sptls.sh']);
    for (const p of ['phase-2-switch', 'phase-3-drop-old']) runPhase(rot, p, log, env);
    // With the real exported file (no stand-in), every phase checks clean.
    for (const p of ['phase-1-trust-new', 'phase-2-switch', 'phase-3-drop-old']) {
      const c = sh(['sptls', 'check', `${p}.sptls`], rot);
      assert.equal(c.status, 0, `${p}: ${c.out}`);
    }
    const seq = logLines(log).map((l) => `${l[0]} ${l[1]} ${l.slice(2).filter((a) => !a.startsWith('-id=') && !a.startsWith('-password=') && a !== '-dataonly=yes').join(' ')}`);
    assert.deepEqual(seq, [
      'dsmadmc SPB1 CREATE CERTIFICATE "SPB1-2" DEFAULT=NO',
      'gsk8capicmd_64 SPHUB -cert -add -db cert.kdb -stashed -label SPB1-2 -file SPB1-2.arm -format ascii',
      'gsk8capicmd_64 SPA1 -cert -add -db cert.kdb -stashed -label SPB1-2 -file SPB1-2.arm -format ascii',
      'dsmadmc SPB1 SET DEFAULTTLSCERT "SPB1-2"',
      'gsk8capicmd_64 SPHUB -cert -delete -db cert.kdb -stashed -label SPB1',
      'gsk8capicmd_64 SPA1 -cert -delete -db cert.kdb -stashed -label SPB1',
      'gsk8capicmd_64 SPB1 -cert -delete -db cert.kdb -stashed -label TSM Server SelfSigned SHA Key',
    ]);
  });

  it('a hostile keydb name reaches the tool as one argument and runs nothing', () => {
    const dir = join(work, 'hostile');
    mkdirSync(dir);
    const evil = `x'; touch pwned; echo '$(touch pwned2)\`touch pwned3\`.kdb`;
    writeFileSync(join(dir, 't.sptls'), fast(production).replace('client ADMIN { version 8.1.22 trusts CorpRoot }', `client ADMIN { version 8.1.22 keydb "${evil}" trusts CorpRoot }`));
    assert.equal(sh(['sptls', 'issue', 't.sptls'], dir).status, 0);
    assert.equal(sh(['sptls', 'rotate', 't.sptls', '--ca', 'CorpRoot'], dir).status, 0);
    const rot = join(dir, 'rotate-CorpRoot');
    const log = join(work, 'hostile.log');
    runPhase(rot, 'phase-1-trust-new', log, {});
    const admin = join(rot, 'phase-1-trust-new', 'ADMIN');
    assert.deepEqual(readdirSync(admin).filter((f) => f.startsWith('pwned')), []);
    const line = logLines(log).find((l) => l[1] === 'ADMIN')!;
    assert.equal(line[line.indexOf('-db') + 1], evil);
  });

  it('--status --keydbs: what the collected key databases show, by fingerprint (a re-keyed root under its old name included)', () => {
    const dir = join(work, 'status');
    mkdirSync(dir);
    writeFileSync(join(dir, 'production.sptls'), fast(production));
    assert.equal(sh(['sptls', 'issue', 'production.sptls'], dir).status, 0);
    assert.equal(sh(['sptls', 'keydb', 'production.sptls', '--native-kdb'], dir).status, 0);
    assert.equal(sh(['sptls', 'rotate', 'production.sptls', '--ca', 'CorpRoot'], dir).status, 0);
    const status = () => {
      const r = sh(['sptls', 'rotate', 'production.sptls', '--ca', 'CorpRoot', '--status', '--keydbs', 'pki/keydb', '--format', 'json'], dir);
      assert.equal(r.status, 0, r.out);
      return JSON.parse(r.out) as { current: { id: string }; keydbs: Array<{ id: string; evidence: Array<{ change: { type: string; component?: string }; state: string }> }>; phaseByHosts: string | null };
    };
    const states = (s: ReturnType<typeof status>, type: string) => s.keydbs[0]!.evidence.filter((e) => e.change.type === type).map((e) => `${e.change.component}:${e.state}`);
    // Before anything: the new root is not even issued, so no host holds it.
    const s0 = status();
    assert.equal(s0.current.id, 'phase-1-trust-new');
    assert.ok(states(s0, 'add-trust').every((x) => x.endsWith(':not-done')));
    // The workstation step issues CorpRoot-2; ORADB02's key database is rebuilt with both roots (its run.sh done).
    assert.equal(sh(['sh', 'phase-1-trust-new/sptls.sh'], join(dir, 'rotate-CorpRoot')).status, 0);
    assert.equal(sh(['sptls', 'keydb', 'rotate-CorpRoot/phase-1-trust-new.sptls', '--out', 'pki', '--only', 'ORADB02', '--native-kdb', '--force'], dir).status, 0);
    const s1 = status();
    const adds = states(s1, 'add-trust');
    assert.equal(adds.length, 14);
    assert.deepEqual(adds.filter((x) => x.endsWith(':done')), ['ORADB02:done']);
    assert.equal(adds.filter((x) => x.endsWith(':not-done')).length, 13);
    assert.equal(s1.phaseByHosts, 'phase-1-trust-new');
  });
});
