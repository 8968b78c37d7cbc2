// `sptls keydb` writes what the product needs: dsm.sys stanzas that can work for the server's
// level (SSL port below 8.1.2, none when there is none), LAN-free ports, SSLACCEPTCERTFROMSERV NO
// for CA-signed servers, output names that never collide, a summary that counts what the key
// database will trust, and backups that never collide. openssl and the .kdb reader are the oracles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { runKeydb } from '../../server/src/pki/provision/run.ts';
import { ensureCommand } from '../support/system.ts';
import { cli, fakeIssuer, topologyIn } from './issue-support.ts';
import { run, scratchDir } from './support.ts';

ensureCommand('openssl', 'openssl');
const root = scratchDir();
let n = 0;

/** Issues the topology's PKI with fixture keys in a fresh folder, then runs `sptls keydb` there. */
async function keydb(text: string, ...args: string[]) {
  const dir = join(root, `case-${n++}`);
  const topologyPath = topologyIn(dir, text);
  const issued = await runIssue({ topologyPath, text, issuer: fakeIssuer() });
  assert.ok(issued.kind === 'done' && issued.result.ok, JSON.stringify(issued.kind === 'done' ? issued.result.errors : issued));
  const r = await cli(['keydb', 'topology.sptls', ...args], dir);
  const folder = (name: string) => join(dir, 'pki', 'keydb', name);
  const read = (name: string, file: string) => readFileSync(join(folder(name), file), 'utf8');
  return { dir, r, folder, read, topologyPath };
}

const K = 'key rsa 2048';
const fingerprint = (path: string) => run('openssl', ['x509', '-in', path, '-noout', '-fingerprint', '-sha256']).stdout.trim();
/** The lines of one dsm.sys stanza, unindented. */
const stanza = (sys: string, server: string) => {
  const lines = sys.split('\n');
  const start = lines.indexOf(`SERVERNAME ${server}`);
  assert.ok(start >= 0, `no stanza for ${server} in\n${sys}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('SERVERNAME '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.startsWith('   ')).map((l) => l.trim());
};

describe('sptls keydb: client option lines follow the server level', () => {
  const topology = [
    `ca Root { ${K} }`,
    `server OLD { address "old.example.com" port 1500 ssl-port 1543 version 8.1.1 certificate signed-by Root { ${K} } }`,
    `server NOSSL { address "nossl.example.com" port 1500 version 8.1.0 certificate signed-by Root { ${K} } }`,
    `server V7 { address "v7.example.com" port 1500 ssl-port 1542 version 7.1.7 certificate signed-by Root { ${K} } }`,
    `server NEW { address "new.example.com" port 1500 version 8.1.22 certificate signed-by Root { ${K} } }`,
    `server SELF { address "self.example.com" port 1500 version 8.1.22 certificate self-signed { ${K} } }`,
    `storage-agent STA { address "sta.example.com" port 1502 version 8.1.22 certificate signed-by Root { ${K} } trusts Root }`,
    'client C { version 8.1.22 trusts Root, SELF }',
    'C -> OLD', 'C -> NOSSL', 'C -> V7', 'C -> NEW', 'C -> SELF', 'C -> STA', 'STA -> NEW', 'STA -> OLD', 'STA -> NOSSL',
    '',
  ].join('\n');

  test('below 8.1.2 (7.1.8): TCPPORT is the SSL port with SSL YES; without an ssl-port no stanza, and why', async () => {
    const { r, read } = await keydb(topology);
    assert.equal(r.code, 0, r.out + r.err);
    const sys = read('C', 'dsm.sys.txt');
    assert.deepEqual(stanza(sys, 'OLD').slice(0, 5), ['COMMMETHOD TCPIP', 'TCPSERVERADDRESS old.example.com', 'TCPPORT 1543', 'SSL YES', 'SSLREQUIRED YES']);
    assert.deepEqual(stanza(sys, 'V7').slice(2, 4), ['TCPPORT 1542', 'SSL YES']);
    assert.deepEqual(stanza(sys, 'NEW').slice(2, 4), ['TCPPORT 1500', 'SSL YES']);
    assert.doesNotMatch(sys, /^SERVERNAME NOSSL$/m);
    assert.match(sys, /^\* SERVERNAME NOSSL: not written: NOSSL \(version 8\.1\.0\) accepts TLS only on its SSL port \(SSLTCPPORT\), and the topology declares no ssl-port for it: add 'ssl-port N' to NOSSL/m);
    assert.match(r.out, /no dsm\.sys stanza for NOSSL: .*add 'ssl-port N' to NOSSL/);
    // dsmcert is not told about a server the client cannot reach.
    assert.doesNotMatch(read('C', 'create-keydb.sh'), /-server 'NOSSL'/);
  });

  test('CA-signed servers get SSLACCEPTCERTFROMSERV NO, a self-signed one does not; LAN-free gets the agent port', async () => {
    const { read } = await keydb(topology);
    const sys = read('C', 'dsm.sys.txt');
    assert.ok(stanza(sys, 'NEW').includes('SSLACCEPTCERTFROMSERV NO'));
    assert.ok(!stanza(sys, 'SELF').includes('SSLACCEPTCERTFROMSERV NO'));
    const lanFree = stanza(sys, 'NEW');
    const at = lanFree.indexOf('LANFREECOMMMETHOD TCPIP');
    assert.ok(at > 0, lanFree.join('\n'));
    assert.deepEqual(lanFree.slice(at - 1, at + 3), ['ENABLELANFREE YES', 'LANFREECOMMMETHOD TCPIP', 'LANFREETCPSERVERADDRESS sta.example.com', 'LANFREETCPPORT 1502']);
  });

  test('a storage agent gets the setstorageserver command per server, with the SSL port below 8.1.2', async () => {
    const { read } = await keydb(topology);
    const opt = read('STA', 'dsmsta.opt.txt');
    assert.match(opt, /^\* {3}dsmsta setstorageserver myname=STA mypassword=<password> myhladdress=sta\.example\.com servername=NEW serverpassword=<password> hladdress=new\.example\.com lladdress=1500 ssl=yes /m);
    assert.match(opt, /^\* {3}dsmsta setstorageserver .* servername=OLD .* lladdress=1543 ssl=yes /m);
    assert.match(opt, /^\* to server NOSSL: no working command: NOSSL \(version 8\.1\.0\) accepts TLS only on its SSL port/m);
    assert.ok(opt.split('\n').filter(Boolean).every((l) => l.startsWith('*') || /^[A-Z]+ \S+$/.test(l)), opt);
  });

  test('no generated file sends the administrator to sptls\' own sources', async () => {
    const { folder } = await keydb(topology.replace('client C { version 8.1.22', 'client C { version 8.1.22 tls-max 1.3'));
    for (const name of ['C', 'OLD', 'STA', 'NEW']) {
      for (const f of readdirSync(folder(name)).filter((x) => x.endsWith('.txt') || x.startsWith('create-keydb'))) {
        assert.doesNotMatch(readFileSync(join(folder(name), f), 'utf8'), /facts|sptls' sources|reference\//i, `${name}/${f}`);
      }
    }
  });
});

describe('sptls keydb: output names never collide', () => {
  test('a keydb named like the PKCS#12 export: the export gets another name, the script imports from it', async () => {
    const { r, folder, read } = await keydb(`ca Root { ${K} }\nserver SP1 { address "sp1.example.com" keydb "SP1.p12" certificate signed-by Root { ${K} } trusts Root }\n`);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /SP1-2\.p12 instead of SP1\.p12/);
    const files = readdirSync(folder('SP1'));
    assert.ok(files.includes('SP1-2.p12') && files.includes('SP1-2.p12.pw') && files.includes('SP1.p12.pw'), files.join(' '));
    assert.match(read('SP1', 'create-keydb.sh'), /-cert -import -db 'SP1-2\.p12' -pw "\$P12_PW" -type pkcs12 -target 'SP1\.p12' /);
    const p12 = join(folder('SP1'), 'SP1-2.p12');
    assert.equal(run('openssl', ['pkcs12', '-info', '-noout', '-in', p12, '-passin', `pass:${read('SP1', 'SP1-2.p12.pw').trim()}`]).status, 0);
  });

  test('a certificate label equal to a trusted CA\'s name is refused with the reason, and nothing is written for it', async () => {
    for (const label of ['Root', 'ROOT']) {
      const { r, folder } = await keydb(`ca Root { ${K} }\nserver SP1 { address "sp1.example.com" certificate signed-by Root { ${K} label "${label}" } trusts Root }\n`);
      assert.equal(r.code, 1);
      assert.match(r.out, new RegExp(`NOT BUILT: the trusted certificate of Root and SP1's own certificate would both have the label "${label}" in one key database .*give the certificate another 'label'`));
      assert.throws(() => readdirSync(folder('SP1')));
    }
  });

  test('a client keydb "Root.arm": the trusted root goes to another .arm, which holds the root', async () => {
    const { r, dir, folder, read } = await keydb(`ca Root { ${K} }\nclient C { keydb "Root.arm" trusts Root }\n`);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Root-2\.arm instead of Root\.arm/);
    assert.equal(fingerprint(join(folder('C'), 'Root-2.arm')), fingerprint(join(dir, 'pki', 'ca', 'Root.crt.pem')));
    assert.match(read('C', 'create-keydb.sh'), /-cert -add -db 'Root\.arm' -stashed -label 'Root' -file 'Root-2\.arm' -format ascii/);
  });

  test('a keydb named like a generated file, or with characters a script cannot carry, is refused', async () => {
    const taken = await keydb(`ca Root { ${K} }\nclient C { keydb "create-keydb.sh" trusts Root }\n`);
    assert.match(taken.r.out, /NOT BUILT: its keydb "create-keydb\.sh" would share the name create-keydb\.sh with a file sptls writes beside it/);
    const odd = await keydb(`ca Root { ${K} }\nclient C { keydb "a$(id)&b.kdb" trusts Root }\n`);
    assert.match(odd.r.out, /NOT BUILT: its keydb "a\$\(id\)&b\.kdb": sptls writes key databases whose names hold only letters/);
  });
});

describe('sptls keydb: the summary counts what the database will trust', () => {
  test('chain certificates imported with the personal certificate are counted, as the .kdb holds them', async () => {
    const { r, read, folder } = await keydb(`ca Root { ${K} }\nca Issuing { signed-by Root ${K} }\nserver DR { address "dr.example.com" certificate signed-by Issuing { ${K} } }\n`, '--native-kdb');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^ {2}cert\.kdb: 2 trusted certificate\(s\) \(Issuing, Root from DR's chain\)/m);
    const kdb = readKdb(readFileSync(join(folder('DR'), 'cert.kdb')), read('DR', 'cert.kdb.pw').trim());
    assert.ok(kdb.ok);
    assert.equal(kdb.kdb.entries.filter((e) => e.kind === 'trusted').length, 2);
  });
});

describe('sptls keydb --force: backups never collide', () => {
  test('two --force runs in the same second keep two distinct backups of every key store', async () => {
    const { dir, topologyPath, folder } = await keydb(`ca Root { ${K} }\nclient C { trusts Root }\n`);
    const text = readFileSync(topologyPath, 'utf8');
    const now = new Date('2026-12-08T01:40:22Z');
    const contents: string[] = [readFileSync(join(folder('C'), 'dsmcert.kdb.pw'), 'utf8')];
    for (let i = 0; i < 2; i++) {
      const out = await runKeydb({ topologyPath, text, force: true, now });
      assert.ok(out.kind === 'done' && out.components.every((c) => !c.problem), JSON.stringify(out));
      contents.push(readFileSync(join(folder('C'), 'dsmcert.kdb.pw'), 'utf8'));
    }
    const backups = readdirSync(folder('C')).filter((f) => f.startsWith('dsmcert.kdb.pw.bak-')).sort();
    assert.deepEqual(backups, ['dsmcert.kdb.pw.bak-20261208-014022', 'dsmcert.kdb.pw.bak-20261208-014022-2']);
    assert.deepEqual(backups.map((b) => readFileSync(join(folder('C'), b), 'utf8')), contents.slice(0, 2));
    // And back to back through the CLI, on the real clock.
    for (let i = 0; i < 2; i++) assert.equal((await cli(['keydb', 'topology.sptls', '--force'], dir)).code, 0);
  });
});
