// The hand-made collection (test/fixtures/collections/example-corp): several hosts, Linux, AIX and
// Windows clients, a pre-8.1.2 server with SSLTCPPORT, a hub with spokes, LDAPS, a storage agent
// used LAN-free, and planted mistakes. `sptls import` must get every component, trust and
// connection right, and `sptls check` of the result must find every planted mistake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { exampleCorp, sptls } from './support.ts';
import { connText, readBack } from './topology-text.ts';

const env = await exampleCorp();
const work = dirname(env.dir);
const imported = sptls(['import', 'example-corp', '--out', 'out/env.sptls'], work);
const text = readFileSync(join(work, 'out', 'env.sptls'), 'utf8');
const { decls, conns } = readBack(text);
const props = (name: string) => decls.get(name)?.props ?? assert.fail(`${name} is not declared`);

test('import exits 0 and sums up what it wrote', () => {
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /^out\/env\.sptls: 3 servers, 1 storage agents, 3 clients, 1 Operations Centers, 1 LDAP, 11 connections, 7 certificates from \d+ files \(1 conflicts, 1 unread key databases, 1 unknowns\)$/m);
});

test('every component with its kind, address, ports and key database', () => {
  const kinds = Object.fromEntries([...decls.values()].map((d) => [d.name, d.kind]));
  assert.deepEqual(kinds, {
    Example_Corp_Root_CA: 'ca', Example_Corp_Issuing_CA_1: 'ca',
    SPA1: 'server', SPHUB: 'server', SPOLD: 'server', STA1: 'storage-agent', LDAP: 'ldap',
    SPA1_DB: 'db2', SPHUB_DB: 'db2', SPOLD_DB: 'db2', OC_OC01: 'operations-center',
    AIXDB01: 'client', FS01: 'client', WIN01: 'client',
  });
  assert.deepEqual(props('SPHUB'), [
    'address "sphub.example.com"', 'port 1500', 'admin-port 1501', 'certificate file "certs/SPHUB.pem"',
    'keydb "/home/tsminst1/tsminst1/cert.kdb"', 'trusts Example_Corp_Root_CA', 'trusts Example_Corp_Issuing_CA_1', 'hub',
  ]);
  // The pre-8.1.2 server: SSL-only ports, a level below 8.1.2 from SSLTLS12, its certificate from cert256.arm.
  assert.deepEqual(props('SPOLD'), [
    'address "spold.example.com"', 'port 1500', 'ssl-port 1542', 'ssl-admin-port 1543', 'version 8.1.1',
    'certificate file "certs/SPOLD.pem"', 'keydb "/home/tsminst1/tsminst1/cert.kdb"', 'spoke-of SPHUB',
  ]);
  assert.deepEqual(props('SPA1'), [
    'address "spa1.example.com"', 'port 1500', 'certificate file "certs/SPA1.pem"', 'keydb "/home/tsminst1/tsminst1/cert.kdb"',
    'trusts Example_Corp_Root_CA', 'trusts Example_Corp_Issuing_CA_1', 'spoke-of SPHUB',
  ]);
  assert.deepEqual(props('STA1'), [
    'address "sta1.example.com"', 'port 1502', 'ssl-port 1502', 'ssl-admin-port 1503', 'certificate file "certs/STA1.pem"',
    'keydb "/opt/tivoli/tsm/StorageAgent/bin/cert.kdb"', 'trusts Example_Corp_Root_CA',
  ]);
  assert.deepEqual(props('LDAP'), ['address "ldap.example.com"', 'port 636', 'certificate file "certs/LDAP.pem"']);
  assert.deepEqual(props('OC_OC01'), ['address "oc01.example.com"', 'keydb "/opt/tivoli/tsm/ui/Liberty/usr/servers/guiServer/gui-truststore.p12"', 'trusts Example_Corp_Root_CA']);
  assert.deepEqual(props('Example_Corp_Issuing_CA_1'), ['file "certs/Example_Corp_Issuing_CA_1.pem" signed-by Example_Corp_Root_CA']);
});

test('trusts come from certificate content, never from labels', () => {
  assert.deepEqual(props('FS01'), ['keydb "/opt/tivoli/tsm/client/ba/bin/dsmcert.kdb"', 'trusts Example_Corp_Issuing_CA_1']);
  assert.deepEqual(props('AIXDB01'), ['keydb "/usr/tivoli/tsm/client/ba/bin64/dsmcert.kdb"', 'trusts Example_Corp_Root_CA']);
  // WIN01's entry is labelled "SP1"; it holds SPOLD's certificate.
  assert.deepEqual(props('WIN01'), ['keydb "C:\\\\Program Files\\\\Tivoli\\\\TSM\\\\baclient\\\\dsmcert.kdb"', 'trusts SPOLD']);
});

test('every certificate exported once as PEM, byte for byte what the key databases hold', () => {
  const pem = (name: string) => new X509Certificate(readFileSync(join(work, 'out', 'certs', `${name}.pem`))).raw;
  assert.deepEqual(pem('SPHUB'), env.certs.sphub);
  assert.deepEqual(pem('SPOLD'), env.certs.spold);
  assert.deepEqual(pem('LDAP'), env.certs.ldap);
  assert.deepEqual(pem('Example_Corp_Root_CA'), env.certs.root);
  assert.deepEqual(pem('Example_Corp_Issuing_CA_1'), env.certs.issuing);
});

test('every connection: client stanzas, LAN-free, server definitions via the hosts file, OC to hub, LDAP, Db2 plain', () => {
  assert.deepEqual(conns.map(connText).sort(), [
    'AIXDB01 -> SPA1 port 1500', 'AIXDB01 -> STA1 port 1502', 'FS01 -> SPA1 port 1500', 'OC_OC01 -> SPHUB',
    'SPA1 -> SPA1_DB plain', 'SPHUB -> LDAP port 636', 'SPHUB -> SPHUB_DB plain', 'SPHUB -> SPOLD port 1500',
    'SPOLD -> SPOLD_DB plain', 'STA1 -> SPA1 port 1500', 'WIN01 -> SPOLD port 1500',
  ]);
});

test('each statement names its sources; conflicts, unread key databases and unknowns are comments', () => {
  for (const line of text.split('\n')) {
    if (/^\S+ -> \S+/.test(line) || /^ca /.test(line)) assert.match(line, /  # from example-corp\/\S/, line);
    if (/^  (address|port|ssl-port|keydb|trusts|certificate|hub|spoke-of)\b/.test(line)) assert.match(line, /  # from example-corp\//, line);
  }
  assert.match(text, /^# storage-agent STA1: name from example-corp\/sta1\/opt\/tivoli\/tsm\/StorageAgent\/bin\/devconfig\.txt:1$/m);
  assert.ok(!/fun4me|passw0rd/.test(text + imported.stdout + imported.stderr), 'no password of the device configuration reaches the output');
  assert.match(text, /^# server SPHUB: name from example-corp\/sphub\/dsmadmc\/select-server-name\.csv:1$/m);
  assert.match(text, /^ca Example_Corp_Root_CA \{ file "certs\/Example_Corp_Root_CA\.pem" \}  # from example-corp\/aixdb01\/usr\/tivoli\/tsm\/client\/ba\/bin64\/dsmcert\.kdb, example-corp\/oc01\/.*gui-truststore\.p12, example-corp\/spa1\/.*cert\.kdb and 2 more$/m);
  assert.match(text, /^  port 1500  # from example-corp\/spa1\/home\/tsminst1\/tsminst1\/dsmserv\.opt:3$/m);
  assert.match(text, /^# conflict: example-corp\/spa1\/home\/tsminst1\/tsminst1\/dsmserv\.opt: TCPPORT is set twice \(line 3: 1500, line 6: 1600\); the first is used$/m);
  assert.match(text, /^# unread: example-corp\/spold\/home\/tsminst1\/tsminst1\/cert\.kdb: not read, its stash cert\.sth was not collected; to read it: collect cert\.sth beside it/m);
  assert.match(text, /^# unknown: example-corp\/oc01\/gsk-list\.txt: a gsk8capicmd -cert -list listing of 1 entries; labels are not trust/m);
  assert.match(text, /^# example-corp\/fs01\/etc\/adsm\/TSM\.KDB: TSM\.KDB, the client password store .* left alone$/m);
  assert.match(text, /^  # version: not in the collected files$/m);
  assert.match(text, /^# example-corp\/win01\/C\/ProgramData\/Tivoli\/TSM\/baclient\/Nodes\/WIN01\/spclicert\.kdb: spclicert\.kdb, the client's own certificate/m);
  assert.match(imported.stderr, /conflict: .*TCPPORT is set twice/);
  assert.match(imported.stderr, /unread: .*cert\.kdb: not read/);
});

test('sptls check of the import finds every planted mistake and nothing else', () => {
  const r = sptls(['check', '--format', 'json', join('out', 'env.sptls')], work);
  assert.equal(r.status, 1, r.stderr);
  const lines = text.split('\n');
  const found = JSON.parse(r.stdout).files[0].diagnostics
    .filter((d: { severity: string }) => d.severity === 'error' || d.severity === 'warning')
    .map((d: { code: string; range: { start: { line: number } } }) => `${d.code} @ ${lines[d.range.start.line]!.replace(/\s+#.*$/, '').trim()}`)
    .sort();
  const expected = [
    'certificate-expiring @ certificate file "certs/SPA1.pem"', // SPA1's certificate ends in 10 days
    'hub-spoke @ spoke-of SPHUB', // SPA1 is monitored, but SPHUB has no definition for it
    'untrusted-responder @ FS01 -> SPA1 { port 1500 }', // FS01 trusts only the intermediate
    'untrusted-responder @ SPHUB -> LDAP { port 636 }', // the directory's certificate is not in SPHUB's cert.kdb
    'untrusted-responder @ SPHUB -> SPOLD { port 1500 }', // SPOLD's self-signed certificate is not in SPHUB's cert.kdb
    'ssl-port-required @ SPHUB -> SPOLD { port 1500 }', // the hub defines the pre-8.1.2 spoke on its TCP port, not its SSL port
    'ssl-port-required @ WIN01 -> SPOLD { port 1500 }', // SSL YES toward a pre-8.1.2 server, but TCPPORT is not its SSLTCPPORT
  ].sort();
  assert.deepEqual(found, expected);
});

test('a second import into the same file refuses without --force, replaces with it', () => {
  const again = sptls(['import', 'example-corp', '--out', 'out/env.sptls'], work);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /env\.sptls.*--force/);
  assert.equal(sptls(['import', 'example-corp', '--out', 'out/env.sptls', '--force'], work).status, 0);
});
