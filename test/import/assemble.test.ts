// The assembler on small in-memory collections: how each option and output turns into statements,
// conflicts, unknowns and unread key databases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddressBook } from '../../server/src/import/addresses.ts';
import { importEnvironment } from '../../server/src/import/engine.ts';
import type { CollectedFile } from '../../server/src/import/recognise.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeJavaTruststore } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { buildCertificate } from '../../server/src/codec/x509/build.ts';
import { generateKey } from '../../server/src/codec/x509/keys.ts';
import { readBack } from './topology-text.ts';

type Files = Record<string, string | Uint8Array>;

/** `{ 'host/path': content }` -> collected files; a host gets a manifest with fqdn host.example.com. */
function collection(files: Files): CollectedFile[] {
  const hosts = new Set(Object.keys(files).map((k) => k.split('/')[0]!));
  const all: Files = { ...files };
  for (const h of hosts) all[`${h}/sptls-collect.txt`] ??= `sptls-collect 1\nhost ${h}\nfqdn ${h}.example.com\n`;
  return Object.entries(all).map(([k, v]) => {
    const [host, ...rest] = k.split('/');
    return { host: host!, path: `/${rest.join('/')}`, display: k, bytes: typeof v === 'string' ? Buffer.from(v) : v };
  });
}

function run(files: Files) {
  const r = importEnvironment(collection(files), { inputs: ['c'] });
  return { ...r, ...readBack(r.text) };
}

const conn = (r: ReturnType<typeof run>, from: string, to: string) => r.conns.find((c) => c.from === from && c.to === to);

const OLD = 'COMMMETHOD TCPIP\nTCPPORT 1500\nSSLTCPPORT 1542\nSSLTLS12 YES\n';
const NEW = 'COMMMETHOD TCPIP\nTCPPORT 1500\n';

test('SSL NO makes a client session plain only toward a server below 8.1.2', () => {
  const r = run({
    'old/srv/dsmserv.opt': OLD, 'new/srv/dsmserv.opt': NEW,
    'c1/dsm.sys': 'SERVERNAME A\n TCPSERVERADDRESS old.example.com\n TCPPORT 1500\n SSL NO\nSERVERNAME B\n TCPSERVERADDRESS new\n TCPPORT 1500\n SSL NO\n NODENAME C1\n',
  });
  assert.deepEqual(conn(r, 'C1', 'OLD'), { from: 'C1', to: 'OLD', tls: false, port: 1500 });
  assert.deepEqual(conn(r, 'C1', 'NEW'), { from: 'C1', to: 'NEW', tls: true, port: 1500 });
  assert.match(r.text, /^# SSL NO: toward 8\.1\.2\+ servers SSL is always used/m);
  assert.deepEqual(r.decls.get('OLD')!.props.filter((p) => p.startsWith('version')), ['version 8.1.1']);
});

test('SSL=NO of a server definition is plain only where one end is below 8.1.2', () => {
  const def = (name: string, ssl: string) => `Server Name: ${name}\nHigh-level Address: ${name.toLowerCase()}.example.com\nLow-level Address: 1500\nSSL: ${ssl}\n`;
  const r = run({
    'a/srv/dsmserv.opt': NEW, 'a/dsmadmc/select-server-name.csv': 'A\n', 'a/dsmadmc/query-server.txt': [def('OLD', 'No'), def('NEW', 'No'), def('NEW2', 'Yes')].join(''),
    'old/srv/dsmserv.opt': OLD, 'new/srv/dsmserv.opt': NEW, 'new2/srv/dsmserv.opt': NEW,
  });
  assert.deepEqual(conn(r, 'A', 'OLD'), { from: 'A', to: 'OLD', tls: false, port: 1500 });
  assert.deepEqual(conn(r, 'A', 'NEW'), { from: 'A', to: 'NEW', tls: true, port: 1500 });
  assert.deepEqual(conn(r, 'A', 'NEW2'), { from: 'A', to: 'NEW2', tls: true, port: 1500 });
  assert.match(r.text, /^# SSL=NO: from 8\.1\.2 the server uses TLS for this session anyway/m);
});

test('Windows: each dsm*.opt that names a server address is a connection of the one client', () => {
  const r = run({
    'a/srv/dsmserv.opt': NEW, 'b/srv/dsmserv.opt': NEW,
    'w/C/baclient/dsm.opt': 'NODENAME W\nTCPSERVERADDRESS a.example.com\nTCPPORT 1500\n',
    'w/C/baclient/dsm_b.opt': 'NODENAME W\nTCPSERVERADDRESS b.example.com\n',
    'w/C/baclient/dsm_notes.opt': 'ERRORLOGNAME c:\\logs\\dsmerror.log\n',
  });
  assert.deepEqual(r.conns.filter((c) => c.from === 'W').map((c) => `${c.to} ${c.port}`), ['A 1500', 'B undefined']);
  assert.deepEqual([...r.decls.values()].filter((d) => d.kind === 'client').map((d) => d.name), ['W']);
});

test('LAN-free: LANFREESSL NO is plain, no LANFREESSL is TLS with a comment; the default address is the own host', () => {
  const r = run({
    'sp/srv/dsmserv.opt': NEW, 'sta/sta/dsmsta.opt': 'SERVERNAME SP\nTCPPORT 1502\n', 'sp/dsmadmc/select-server-name.csv': 'SP\n',
    'sta/dsm.sys': 'SERVERNAME SP\n TCPSERVERADDRESS sp.example.com\n NODENAME C0\n ENABLELANFREE YES\n',
    'c1/dsm.sys': 'SERVERNAME SP\n TCPSERVERADDRESS sp.example.com\n NODENAME C1\n ENABLELANFREE YES\n LANFREETCPSERVERADDRESS sta.example.com\n LANFREETCPPORT 1502\n LANFREESSL NO\n',
    'c2/dsm.sys': 'SERVERNAME SP\n TCPSERVERADDRESS sp.example.com\n NODENAME C2\n ENABLELANFREE YES\n LANFREETCPSERVERADDRESS sta.example.com\n',
  });
  assert.deepEqual(conn(r, 'C1', 'STA'), { from: 'C1', to: 'STA', tls: false, port: 1502 });
  assert.deepEqual(conn(r, 'C2', 'STA'), { from: 'C2', to: 'STA', tls: true, port: undefined });
  assert.deepEqual(conn(r, 'C0', 'STA'), { from: 'C0', to: 'STA', tls: true, port: undefined }, 'LANFREETCPSERVERADDRESS defaults to 127.0.0.1');
  assert.match(r.text, /^# LANFREESSL not set: its default is not documented; written as TLS, check the client$/m);
  assert.deepEqual(conn(r, 'STA', 'SP'), { from: 'STA', to: 'SP', tls: true, port: undefined });
});

test('conflicts: stanzas that disagree, an LDAP URL only the running server has, a server known by two names', () => {
  const r = run({
    'a/srv/dsmserv.opt': NEW + 'LDAPURL ldaps://dir.example.com\n', 'a/dsmadmc/select-server-name.csv': 'A\n',
    'a/dsmadmc/query-option-ldapurl.txt': 'LDAP URL   ldaps://dir.example.com\nLDAP URL   ldaps://other.example.com\n',
    'a/dsmadmc/query-server.txt': 'Server Name: BEE\nHigh-level Address: b.example.com\nLow-level Address: 1500\n',
    'b/srv/dsmserv.opt': NEW, 'b/dsmadmc/select-server-name.csv': 'B\n',
    'c/ba/dsm.sys': 'SERVERNAME A\n TCPSERVERADDRESS a.example.com\n TCPPORT 1500\n',
    'c/api/dsm.sys': 'SERVERNAME A\n TCPSERVERADDRESS a.example.com\n TCPPORT 1600\n',
  });
  assert.equal(r.model.conflicts.length, 3, r.model.conflicts.join('\n'));
  assert.match(r.model.conflicts.join('\n'), /c\/api\/dsm\.sys:1: stanza A disagrees with c\/ba\/dsm\.sys:1/);
  assert.match(r.model.conflicts.join('\n'), /the running server A uses LDAPURL ldaps:\/\/other\.example\.com, which its collected dsmserv\.opt does not hold/);
  assert.match(r.model.conflicts.join('\n'), /A calls the server at b\.example\.com BEE, elsewhere it is B/);
  assert.deepEqual(conn(r, 'A', 'B'), { from: 'A', to: 'B', tls: true, port: 1500 });
});

test('unknowns: an uncollected server, monitored server or definition; a TSMDBMGR stanza is no connection', () => {
  const r = run({
    'a/srv/dsmserv.opt': NEW, 'a/dsmadmc/select-server-name.csv': 'A\n',
    'a/dsmadmc/query-monitorsettings.txt': 'Monitor Status: On\nMonitored Group: G\nMonitored Servers: A, GONE\n',
    'a/dsmadmc/query-server.txt': 'Server Name: FAR\nHigh-level Address: 10.9.9.9\nLow-level Address: 1500\n',
    'a/api/dsm.sys': 'servername TSMDBMGR_TSMINST1\ntcpserveraddr localhost\ntcpport 1500\nnodename $$_TSMDBMGR_$$\n',
    'c/dsm.sys': 'SERVERNAME X\n TCPSERVERADDRESS nowhere.example.com\n',
  });
  const unknowns = r.model.unknowns.join('\n');
  assert.match(unknowns, /monitored server GONE of hub A was not collected/);
  assert.match(unknowns, /A defines server FAR at 10\.9\.9\.9:1500, which matches no collected server/);
  assert.match(unknowns, /C connects to nowhere\.example\.com:default port, which matches no collected server/);
  assert.deepEqual(r.conns.filter((c) => c.from !== 'A').length, 0, 'no connection for the TSMDBMGR stanza or the unknown server');
  assert.deepEqual(r.decls.get('A')!.props.includes('hub'), true);
});

test('unread key databases say what would unlock them', async () => {
  const key = await generateKey({ kind: 'ec', curve: 'P-256' });
  const now = Date.now();
  const der = buildCertificate({ subject: 'CN=R', publicKey: key.publicKey, issuer: { selfSigned: key.privateKey }, isCA: true, notBefore: new Date(now - 1e8), notAfter: new Date(now + 1e10) });
  const r = run({
    'a/srv/dsmserv.opt': NEW, 'a/srv/cert.kdb': writeKdb([{ label: 'R', certificate: der }], 'right'), 'a/srv/cert.sth': writeStashV1('wrong'),
    'oc/gui/gui-truststore.p12': writeJavaTruststore([{ alias: 'r', certificate: der }], 'pw', { iterations: 16 }),
    'z/lonely/cert.kdb': writeKdb([{ label: 'R', certificate: der }], 'pw'), 'z/lonely/other.kdb': writeKdb([{ label: 'R', certificate: der }], 'pw'),
  });
  assert.deepEqual(r.model.unrecognised.map((u) => u.file + ': ' + u.reason), [
    'z/lonely/cert.kdb: a cert.kdb with no dsmserv.opt or dsmsta.opt beside it: no component to give it to',
    'z/lonely/other.kdb: a key database under a name the product does not use (cert.kdb, dsmcert.kdb, spclicert.kdb)',
  ]);
  const unread = r.model.unread.join('\n');
  assert.match(unread, /a\/srv\/cert\.kdb: not read, .*; to read it: collect the cert\.sth that belongs to this key database/);
  assert.match(unread, /oc\/gui\/gui-truststore\.p12: not read, no password was collected for it; to read it: collect bootstrap\.properties \(tsm\.truststore\.pswd\)/);
  assert.match(r.text, /^ {2}# trusts: unknown, oc\/gui\/gui-truststore\.p12 was not read/m);
  assert.match(r.text, /^ {2}# its hub: no collected server shows it is a hub/m);
});

test('listings are reported, not taken as trust', () => {
  const r = run({ 'a/list.txt': 'Label : x\nSubject : CN=x\nIssuer : CN=x\nTrust Status : Enabled\n' });
  assert.match(r.model.unknowns.join('\n'), /a\/list\.txt: a gsk8capicmd -cert -details listing of 1 entries; labels are not trust/);
  assert.equal(r.decls.size, 0);
});

test('addresses: hosts files, first labels, loopback', () => {
  const book = new AddressBook();
  book.addHost('sp1', ['sp1.dca.example.com']);
  book.addHost('sp2', []);
  book.addHostsFile([{ ip: '10.0.0.2', names: ['sp2.dcb.example.com'], line: 1 }]);
  assert.equal(book.hostOf('SP1.DCA.example.com', 'x'), 'sp1');
  assert.equal(book.hostOf('sp1', 'x'), 'sp1');
  assert.equal(book.hostOf('sp1.other.example.com', 'x'), undefined, 'another domain with the same first label is another host');
  assert.equal(book.hostOf('10.0.0.2', 'x'), 'sp2', 'an IP through the hosts file, then the first label');
  assert.equal(book.hostOf('localhost', 'sp2'), 'sp2');
  assert.equal(book.hostOf('10.0.0.3', 'x'), undefined);
});

test("a cert.kdb in the second writer's format (KeyStore Explorer, V8 stash) is read like a native one", () => {
  const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'kdb', 'second-writer');
  const r = run({
    'sphub/srv/dsmserv.opt': NEW, 'sphub/dsmadmc/select-server-name.csv': 'SPHUB\n',
    'sphub/srv/cert.kdb': readFileSync(join(dir, 'rsa.kdb')), 'sphub/srv/cert.sth': readFileSync(join(dir, 'rsa.sth')),
  });
  assert.deepEqual(r.model.unread, []);
  const sphub = r.model.components.find((c) => c.name === 'SPHUB')!;
  assert.equal(sphub.certificate?.value, 'D0:FA:27:D1:16:57:88:42:8E:16:67:EB:C5:ED:9A:40:F7:E9:34:DE:24:4F:CC:E5:DB:C6:67:4E:D9:C3:0B:CC');
  assert.deepEqual(r.decls.get('SPHUB')!.props.filter((p) => p.startsWith('trusts')), ['trusts Example_Corp_Root_CA', 'trusts Example_Corp_Issuing_CA_1']);
  assert.deepEqual(r.decls.get('Example_Corp_Issuing_CA_1')!.props, ['file "certs/Example_Corp_Issuing_CA_1.pem" signed-by Example_Corp_Root_CA']);
});
