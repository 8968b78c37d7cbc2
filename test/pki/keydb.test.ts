// `sptls keydb` on the issued example PKI: every PKCS#12 opens in OpenSSL 3 without -legacy,
// keytool lists the right entries, a Java TLS handshake works with a generated server key
// store and a generated truststore, the scripts parse and hold the expected commands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash } from '../../server/src/pki/keydb/kdb/stash.ts';
import { libertyXorDecode, writeJavaTruststore } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { ensureCommand } from '../support/system.ts';
import { cli, EXAMPLE, fakeIssuer, topologyIn } from './issue-support.ts';
import { buildChain, fixtureKey, run, scratchDir } from './support.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';

ensureCommand('openssl', 'openssl');
ensureCommand('keytool', 'default-jdk-headless');
ensureCommand('javac', 'default-jdk-headless');

const dir = scratchDir();
const pki = join(dir, 'pki');
const kdir = (name: string) => join(pki, 'keydb', name);
const pw = (path: string) => readFileSync(`${path}.pw`, 'utf8').trim();

before(async () => {
  const topologyPath = topologyIn(dir, EXAMPLE, 'production.sptls');
  const issued = await runIssue({ topologyPath, text: readFileSync(topologyPath, 'utf8'), issuer: fakeIssuer() });
  assert.ok(issued.kind === 'done' && issued.result.ok);
  const r = await cli(['keydb', 'production.sptls', '--native-kdb'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /EXPERIMENTAL/);
});

const GSKIT_WITH_KEY = ['SPHUB', 'SPA1', 'LIBMGR', 'STA1', 'STA2', 'SPB1'];
const CLIENTS = ['FILESRV01', 'FILESRV02', 'ORADB01', 'ORADB02', 'EXCH01', 'ADMIN'];

describe('sptls keydb', () => {
  test('refuses without an issued PKI and says to run sptls issue', async () => {
    const other = join(dir, 'no-pki');
    topologyIn(other, EXAMPLE, 'production.sptls');
    const r = await cli(['keydb', 'production.sptls'], other);
    assert.equal(r.code, 1);
    assert.match(r.err, /run 'sptls issue' first/);
  });

  test('every PKCS#12 opens with openssl pkcs12 -info without -legacy', () => {
    const files = [...GSKIT_WITH_KEY.map((n) => join(kdir(n), `${n}.p12`)), join(kdir('OC'), 'gui-truststore.p12'), join(kdir('REPORTS'), 'truststore.p12')];
    for (const f of files) {
      const r = run('openssl', ['pkcs12', '-info', '-noout', '-in', f, '-passin', `pass:${pw(f)}`]);
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
      assert.match(r.stderr, /MAC: sha1/);
      assert.equal(statSync(f).mode & 0o777, 0o600);
      assert.equal(statSync(`${f}.pw`).mode & 0o777, 0o600);
    }
  });

  test('keytool lists a PrivateKeyEntry for a server and trustedCertEntry for the truststores', () => {
    const server = join(kdir('SPHUB'), 'SPHUB.p12');
    const s = run('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', server, '-storepass', pw(server)]);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /Your keystore contains 1 entry/);
    assert.match(s.stdout, /^sphub, .*PrivateKeyEntry,/m);
    for (const f of [join(kdir('OC'), 'gui-truststore.p12'), join(kdir('REPORTS'), 'truststore.p12')]) {
      const t = run('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', f, '-storepass', pw(f)]);
      assert.equal(t.status, 0, t.stderr);
      assert.match(t.stdout, /^corproot, .*trustedCertEntry,/m);
    }
    const bootstrap = readFileSync(join(kdir('OC'), 'bootstrap.properties.txt'), 'utf8');
    const xor = bootstrap.match(/^tsm\.truststore\.pswd=(\{xor\}\S+)$/m)?.[1];
    assert.equal(libertyXorDecode(xor!), pw(join(kdir('OC'), 'gui-truststore.p12')));
  });

  test('a Java TLS handshake: server key store from keydb, client truststore from keydb (and a wrong truststore fails)', () => {
    const work = join(dir, 'java');
    spawnSync('mkdir', ['-p', work]);
    writeFileSync(join(work, 'Handshake.java'), JAVA);
    const c = spawnSync('javac', ['-d', work, join(work, 'Handshake.java')], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const server = join(kdir('SPHUB'), 'SPHUB.p12');
    const trust = join(kdir('OC'), 'gui-truststore.p12');
    const ok = spawnSync('java', ['-cp', work, 'Handshake', server, pw(server), trust, pw(trust)], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^OK TLSv1\.[23] CN=SPHUB, OU=TSM Network, O=TSM, C=US$/m);
    const stranger = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);
    const wrong = join(work, 'wrong.p12');
    writeFileSync(wrong, writeJavaTruststore([{ alias: 'other', certificate: stranger.root.der }], 'changeit'));
    const bad = spawnSync('java', ['-cp', work, 'Handshake', server, pw(server), wrong, 'changeit'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /^FAIL .*(PKIX|certification path)/m);
  });

  test('server scripts parse and create, add, import, set default and list', () => {
    for (const name of GSKIT_WITH_KEY) {
      const sh = join(kdir(name), 'create-keydb.sh');
      assert.equal(run('bash', ['-n', sh]).status, 0, sh);
      const text = readFileSync(sh, 'utf8');
      assert.match(text, /-keydb -create -db 'cert\.kdb' -pw "\$KDB_PW" -type cms -stash/);
      assert.match(text, /-cert -add -db 'cert\.kdb' -stashed -label 'CorpRoot' -file 'CorpRoot\.arm' -format ascii/);
      assert.match(text, new RegExp(`-cert -import -db '${name}\\.p12' -pw "\\$P12_PW" -type pkcs12 -target 'cert\\.kdb' -target_stashed .*-label '${name}'`));
      assert.match(text, new RegExp(`-cert -setdefault -db 'cert\\.kdb' -stashed -label '${name}'`));
      assert.match(text, /-cert -list -db 'cert\.kdb' -stashed/);
      assert.ok(statSync(sh).mode & 0o100, 'executable');
      const cmd = readFileSync(join(kdir(name), 'create-keydb.cmd'), 'utf8');
      assert.match(cmd, /set \/p KDB_PW=<"cert\.kdb\.pw"\r\n/);
      assert.match(cmd, /"!GSK!" -cert -setdefault -db "cert\.kdb" -stashed -label ".+" \|\| exit \/b 1/);
      // The root is added as trusted, so the PKCS#12 carries only the intermediate.
      const p12 = join(kdir(name), `${name}.p12`);
      const info = run('openssl', ['pkcs12', '-in', p12, '-passin', `pass:${pw(p12)}`, '-nokeys', '-info']);
      assert.equal((info.stdout.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
      assert.doesNotMatch(info.stdout, /subject=.*Root CA/);
    }
    const opt = readFileSync(join(kdir('SPHUB'), 'dsmserv.opt.txt'), 'utf8');
    assert.match(opt, /^TCPPORT 1500$/m);
    assert.match(opt, /^TCPADMINPORT 1501$/m);
    assert.doesNotMatch(opt, /^SSLTLS13/m); // no such option in the facts: a comment instead
    assert.match(readFileSync(join(kdir('STA1'), 'dsmsta.opt.txt'), 'utf8'), /^TCPPORT 1502$/m);
  });

  test('client scripts: gsk8capicmd_64 and dsmcert forms; dsm.sys stanzas for the servers it uses', () => {
    for (const name of CLIENTS) {
      const sh = join(kdir(name), 'create-keydb.sh');
      assert.equal(run('bash', ['-n', sh]).status, 0, sh);
      const text = readFileSync(sh, 'utf8');
      assert.match(text, /-keydb -create -db 'dsmcert\.kdb' .* -stash/);
      assert.match(text, /-cert -add -db 'dsmcert\.kdb' -stashed -label 'CorpRoot' -file 'CorpRoot\.arm' -format ascii/);
      assert.match(text, /dsmcert -add -server 'SP[A-Z0-9]+' -file 'CorpRoot\.arm'/);
      assert.doesNotMatch(text, /-cert -import/);
    }
    const sys = readFileSync(join(kdir('ORADB01'), 'dsm.sys.txt'), 'utf8');
    assert.match(sys, /^SERVERNAME SPA1\n {3}COMMMETHOD TCPIP\n {3}TCPSERVERADDRESS spa1\.dca\.example\.com\n {3}TCPPORT 1500\n {3}SSL YES$/m);
    assert.match(sys, /^ {3}LANFREETCPSERVERADDRESS sta1\.dca\.example\.com$/m);
    assert.match(readFileSync(join(kdir('ADMIN'), 'dsm.sys.txt'), 'utf8'), /^SERVERNAME SPHUB$/m);
    assert.match(readFileSync(join(kdir('ADMIN'), 'dsm.opt.txt'), 'utf8'), /^TCPSERVERADDRESS sphub\.dca\.example\.com$/m);
  });

  test('--native-kdb writes a .kdb our reader opens with the v1 stash: trusted root and intermediate, personal leaf', () => {
    const stash = readStash(readFileSync(join(kdir('SPHUB'), 'cert.sth')));
    assert.ok(stash.ok && stash.version === 'v1');
    assert.equal(readFileSync(join(kdir('SPHUB'), 'cert.sth')).length, 129);
    assert.equal(stash.password, pw(join(kdir('SPHUB'), 'cert.kdb')));
    const kdb = readKdb(readFileSync(join(kdir('SPHUB'), 'cert.kdb')), stash.password);
    assert.ok(kdb.ok);
    assert.deepEqual(kdb.kdb.entries.map((e) => [e.label, e.kind]), [['CorpRoot', 'trusted'], ['CorpIssuing', 'trusted'], ['SPHUB', 'personal']]);
    const client = readKdb(readFileSync(join(kdir('EXCH01'), 'dsmcert.kdb')), pw(join(kdir('EXCH01'), 'dsmcert.kdb')));
    assert.ok(client.ok);
    assert.deepEqual(client.kdb.entries.map((e) => e.kind), ['trusted']);
  });

  test('an existing folder is not rebuilt without --force; --force keeps backups of the key stores', async () => {
    const again = await cli(['keydb', 'production.sptls', '--only', 'OC'], dir);
    assert.equal(again.code, 1);
    assert.match(again.out, /NOT BUILT: already built \(gui-truststore\.p12, gui-truststore\.p12\.pw, bootstrap\.properties\.txt exist\): --force/);
    const old = readFileSync(join(kdir('OC'), 'gui-truststore.p12'));
    const forced = await cli(['keydb', 'production.sptls', '--only', 'OC', '--force'], dir);
    assert.equal(forced.code, 0, forced.err);
    const backups = readdirSync(kdir('OC')).filter((f) => f.startsWith('gui-truststore.p12.bak-'));
    assert.equal(backups.length, 1);
    assert.deepEqual(readFileSync(join(kdir('OC'), backups[0]!)), old);
  });

  test('--password-env: one password from the environment, no .pw files, scripts read the variable', async () => {
    const other = join(dir, 'envpw');
    const topologyPath = topologyIn(other, EXAMPLE, 'production.sptls');
    const issued = await runIssue({ topologyPath, text: readFileSync(topologyPath, 'utf8'), issuer: fakeIssuer() });
    assert.equal(issued.kind, 'done');
    const r = await cli(['keydb', 'production.sptls', '--only', 'SPA1', '--password-env', 'KSPW'], other, { KSPW: 'Secret-pw-123' });
    assert.equal(r.code, 0, r.err);
    const folder = join(other, 'pki', 'keydb', 'SPA1');
    assert.equal(existsSync(join(folder, 'SPA1.p12.pw')), false);
    assert.equal(run('openssl', ['pkcs12', '-info', '-noout', '-in', join(folder, 'SPA1.p12'), '-passin', 'pass:Secret-pw-123']).status, 0);
    assert.match(readFileSync(join(folder, 'create-keydb.sh'), 'utf8'), /KDB_PW=\$\{KSPW:\?set KSPW/);
    assert.doesNotMatch(r.out + r.err, /Secret-pw-123/);
  });
});

const JAVA = `
import java.io.*;
import java.security.KeyStore;
import javax.net.ssl.*;

public class Handshake {
  static KeyStore load(String path, String pw) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(path)) { ks.load(in, pw.toCharArray()); }
    return ks;
  }
  public static void main(String[] a) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(a[0], a[1]), a[1].toCharArray());
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (SSLSocket s = (SSLSocket) server.accept()) { s.startHandshake(); s.getOutputStream().write(1); s.getOutputStream().flush(); s.getInputStream().read(); } catch (Exception e) { }
    });
    t.start();
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(a[2], a[3]));
    SSLContext clientCtx = SSLContext.getInstance("TLS");
    clientCtx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
      c.setSoTimeout(10000);
      c.startHandshake();
      c.getInputStream().read();
      SSLSession session = c.getSession();
      System.out.println("OK " + session.getProtocol() + " " + ((java.security.cert.X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253).replace(",", ", "));
      c.getOutputStream().write(1);
    } catch (Exception e) {
      System.out.println("FAIL " + e);
      System.exit(1);
    } finally {
      server.close();
    }
  }
}
`;
