// The artifact parsers on the verbatim samples of shared/reference/sp-config-artifacts.md, and
// hostile strings from collected files on their way to the .sptls and the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index.ts';
import { parseDevconfig } from '../../server/src/import/devconfig.ts';
import { parseDsmadmc } from '../../server/src/import/dsmadmc.ts';
import { parseGskListing } from '../../server/src/import/gsk-listing.ts';
import { parseHostsFile } from '../../server/src/import/hosts-file.ts';
import { canonicalOption, parseOptionLines, parseStanzas } from '../../server/src/import/options-file.ts';
import { decodeText } from '../../server/src/import/text.ts';
import { identifier } from '../../server/src/import/write.ts';
import { put, scratch, sptls } from './support.ts';

test('options: comments, abbreviations down to the upper-case part, quotes around file specifications', () => {
  assert.equal(canonicalOption('TCPport'), 'TCPPORT');
  assert.equal(canonicalOption('tcpp'), 'TCPPORT');
  assert.equal(canonicalOption('TCPS'), 'TCPSERVERADDRESS');
  assert.equal(canonicalOption('SSLTCPADMINPort'), 'SSLTCPADMINPORT');
  assert.equal(canonicalOption('SSLTCPadminPort'), 'SSLTCPADMINPORT');
  assert.equal(canonicalOption('se'), 'SERVERNAME');
  assert.equal(canonicalOption('S'), 'S', 'shorter than every minimum: left as written');
  assert.equal(canonicalOption('TCPServeraddr'), 'TCPSERVERADDRESS', 'tcpserveraddr as in the blueprint stanza');
  assert.deepEqual(parseOptionLines('* comment\n  *TCPport 1400\nTCPport 1500\nPASSWORDDIR "/opt/my dir"\n'), [
    { name: 'TCPPORT', value: '1500', line: 3 }, { name: 'PASSWORDDIR', value: '/opt/my dir', line: 4 },
  ]);
});

test('dsm.sys: a stanza runs from SERVERNAME to the next one (the IBM sample)', () => {
  const sample = [
    '************************************************************************',
    '* IBM Storage Protect                                          *',
    '************************************************************************',
    'SErvername  server_a', '  COMMmethod         TCPip', '  TCPPort            1500', '  TCPServeraddress   your_ITSM_server_1',
    'SErvername  server_b', '  COMMmethod         TCPip', '  TCPPort            1500', '  TCPServeraddress   your_ITSM_server_2',
  ].join('\n');
  const { stanzas, outside } = parseStanzas(sample);
  assert.deepEqual(outside, []);
  assert.deepEqual(stanzas.map((s) => [s.name, s.line, s.options.map((o) => `${o.name}=${o.value}`)]), [
    ['server_a', 4, ['COMMMETHOD=TCPip', 'TCPPORT=1500', 'TCPSERVERADDRESS=your_ITSM_server_1']],
    ['server_b', 8, ['COMMMETHOD=TCPip', 'TCPPORT=1500', 'TCPSERVERADDRESS=your_ITSM_server_2']],
  ]);
});

test('QUERY SERVER: the standard table, the detailed form and the comma-delimited form', () => {
  const table = [
    'Server  Comm.   High-level  Low-level Days  Server   Virtual  Allow',
    'Name    Method  Address     Address   Since Password Volume   Replace-',
    '                                      Last  Set      Password ment',
    '                                      Access         Set',
    '-------- ------ ----------- --------  ------ ------- -------- --------',
    'SERVER_A TCPIP  9.115.35.6  1501         11  Yes      No       No',
    'SERVER_B TCPIP  9.115.45.24 1500         <1  Yes      No       No',
    'ASTRO    TCPIP  9.115.32.21 1500         24  Yes      No       No',
  ].join('\n');
  assert.deepEqual(parseDsmadmc('q-server.txt', table), { kind: 'query-server', definitions: [
    { name: 'SERVER_A', hlAddress: '9.115.35.6', llAddress: '1501', line: 6 },
    { name: 'SERVER_B', hlAddress: '9.115.45.24', llAddress: '1500', line: 7 },
    { name: 'ASTRO', hlAddress: '9.115.32.21', llAddress: '1500', line: 8 },
  ] });
  const banner = ['IBM Storage Protect', 'Command Line Administrative Interface - Version 8, Release 1, Level 22.0', '', 'ANS8000I Server command: \'q server\'', '', table, '', 'ANS8002I Highest return code was 0.'].join('\n');
  assert.equal((parseDsmadmc('q.txt', banner) as { definitions: unknown[] }).definitions.length, 3, 'the table after a banner, without the message lines');
  const detailed = 'Server Name: SERVER_A\nComm. Method: TCPIP\nTransfer Method: TCPIP\nHigh-level Address: 9.115.4.15\nLow-level Address: 1500\nDescription:\nAllow Replacement: No\nNode Name:\nSSL: No\n';
  assert.deepEqual(parseDsmadmc('anything.txt', detailed), { kind: 'query-server', definitions: [{ name: 'SERVER_A', hlAddress: '9.115.4.15', llAddress: '1500', ssl: false, line: 1 }] });
  assert.deepEqual(parseDsmadmc('query-server.csv', 'SERVER_A,TCPIP,TCPIP,9.115.4.15,1500,,No,,07/09/2013 09:00:00\n'), {
    kind: 'query-server', definitions: [{ name: 'SERVER_A', hlAddress: '9.115.4.15', llAddress: '1500', line: 1 }],
  });
  assert.equal(parseDsmadmc('notes.csv', 'SERVER_A,TCPIP,TCPIP,9.115.4.15,1500\n'), undefined, 'headerless comma output is read only under its own name');
});

test('QUERY MONITORSETTINGS, QUERY OPTION LDAPURL and select SERVER_NAME', () => {
  const mon = [
    '                            Monitor Status: On',
    '         Status Refresh Interval (Minutes): 5',
    '                          Monitoring Admin: ADMIN',
    '                           Monitored Group: MONGROUP',
    '                         Monitored Servers: SERVER2',
    '         At-Risk Interval for Applications: 24',
  ].join('\n');
  assert.deepEqual(parseDsmadmc('m.txt', mon), { kind: 'monitor-settings', settings: { monitorOn: true, group: 'MONGROUP', servers: ['SERVER2'], line: 1 } });
  const opt = 'Server Option         Option Setting\n-----------------     --------------------\nLDAP URL               ldap:\\\\tophoy.tucson.com\\cn=tsmdata\nLDAP URL               ldaps://krypton.ibm.com/ou=tsmdata\n';
  assert.deepEqual(parseDsmadmc('o.txt', opt), { kind: 'ldapurl', urls: [{ url: 'ldap:\\\\tophoy.tucson.com\\cn=tsmdata', line: 3 }, { url: 'ldaps://krypton.ibm.com/ou=tsmdata', line: 4 }] });
  assert.deepEqual(parseDsmadmc('query-option-ldapurl.csv', 'LDAP URL,ldaps://krypton.ibm.com/ou=x\n'), { kind: 'ldapurl', urls: [{ url: 'ldaps://krypton.ibm.com/ou=x', line: 1 }] });
  assert.deepEqual(parseDsmadmc('select-server-name.csv', 'SP1\n'), { kind: 'server-name', name: 'SP1', line: 1 });
  assert.equal(parseDsmadmc('select-server-name.csv', 'ANS1017E Session rejected: TCP/IP connection failure.\n'), undefined);
  assert.deepEqual(parseDsmadmc('select-server-name.txt', 'ANS8000I Server command: \'select SERVER_NAME from status\'\n\nSERVER_NAME\n------------------\nSP1\n\nANS8002I Highest return code was 0.\n'), { kind: 'server-name', name: 'SP1', line: 5 });
});

test('gsk8capicmd listings: -list marks and quoted labels, -details fingerprints', () => {
  const list = 'Certificates found\n* default, - personal, ! trusted, # secret key\n!\tibmwebspeheremqcloud\n!\t"CN=R3,O=Let\'s Encrypt,C=US"\n*-\tmykey\n#\t1708990603_0\n';
  assert.deepEqual(parseGskListing(list), { kind: 'list', entries: [
    { label: 'ibmwebspeheremqcloud', kind: 'trusted', isDefault: false, line: 3 },
    { label: "CN=R3,O=Let's Encrypt,C=US", kind: 'trusted', isDefault: false, line: 4 },
    { label: 'mykey', kind: 'personal', isDefault: true, line: 5 },
    { label: '1708990603_0', kind: 'secret-key', isDefault: false, line: 6 },
  ] });
  const details = 'Label : app1\nKey Size : 2048\nVersion : X509 V1\nSerial : 00a5f7ac503bb6d22f\nIssuer : CN=app1\nSubject : CN=app1\nNot Before : 26 July 2021 16:29:37 GMT+01:00\n\nFingerprint : SHA256 :\n    30 F4 BD 1F\n    AA BB\nTrust Status : Enabled\n';
  assert.deepEqual(parseGskListing(details), { kind: 'details', entries: [{ label: 'app1', issuer: 'CN=app1', subject: 'CN=app1', sha256: '30:F4:BD:1F:AA:BB', trusted: true, line: 1 }] });
  assert.equal(parseGskListing('COMMMETHOD TCPIP\n'), undefined);
});

test('options files written as UTF-16 by Windows tools are read', () => {
  const text = 'NODENAME WIN01\r\nTCPSERVERADDRESS sp1.example.com\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  for (const bytes of [le, be]) assert.equal(decodeText(bytes), text);
  assert.equal(decodeText(Buffer.from([0x41, 0x00, 0x42])), undefined, 'NUL bytes without a byte-order mark: binary');
  assert.equal(decodeText(Buffer.from('\ufeffTCPPORT 1500\n')), 'TCPPORT 1500\n');
});

test('hosts files and device configuration files', () => {
  assert.deepEqual(parseHostsFile('# c\n127.0.0.1 localhost\n10.0.0.5  SP1.example.com sp1 # x\nnot an entry\n'), [
    { ip: '127.0.0.1', names: ['localhost'], line: 2 }, { ip: '10.0.0.5', names: ['sp1.example.com', 'sp1'], line: 3 },
  ]);
  assert.deepEqual(parseDevconfig('set staname STA1\nset stakeydbpw secret\ndefine server storagnt serverpassword=fun4me hladdress=agent.tucson.ibm.com lladdress=1502 ssl=yes\n'), {
    staName: { name: 'STA1', line: 1 }, servers: [{ name: 'storagnt', hlAddress: 'agent.tucson.ibm.com', llAddress: '1502', ssl: true, line: 3 }],
  });
  assert.equal(parseDevconfig('DEFINE DEVCLASS LTO DEVTYPE=LTO\n'), undefined);
});

test('identifiers: any text becomes a name of the spec syntax, never a keyword', () => {
  assert.equal(identifier('Example Corp Root CA', 'CA'), 'Example_Corp_Root_CA');
  assert.equal(identifier('ldap', 'X'), 'ldap_');
  assert.equal(identifier('LDAP', 'X'), 'LDAP');
  assert.equal(identifier('--..', 'X'), 'X');
  assert.equal(identifier('9lives.a..b-', 'X'), 'lives.a_b');
});

test('hostile strings from collected files are escaped on the way to the .sptls and the terminal', () => {
  const dir = scratch('sptls-hostile-');
  const esc = '\u001b[2J\u001b]0;owned\u0007';
  put(dir, 'c/h1/sptls-collect.txt', `sptls-collect 1\nplatform linux\nhost h1\nfqdn sp"1\\${esc}.example.com\n`);
  put(dir, 'c/h1/srv/dsmserv.opt', `TCPPORT 1500\nTCPPORT 15${esc}01\nLDAPURL ldaps://ldap.example.com/cn=${esc}"}\n`);
  put(dir, 'c/h2/sptls-collect.txt', 'sptls-collect 1\nplatform linux\nhost h2\n');
  put(dir, 'c/h2/dsm.sys', `SERVERNAME x${esc}\n TCPSERVERADDRESS nowhere${esc}"\n NODENAME evil"} server X {${esc}\n`);
  const r = sptls(['import', 'c', '--out', 'o.sptls'], dir);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(join(dir, 'o.sptls'), 'utf8');
  for (const out of [text, r.stdout, r.stderr]) assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out), `no control character in ${JSON.stringify(out.slice(0, 80))}`);
  assert.deepEqual(parse(text).errors, [], 'the imported topology parses');
  assert.match(text, /^ {2}address "sp\\"1\\\\\?\[2J\?\]0;owned\?\.example\.com"/m);
  assert.match(r.stderr, /TCPPORT is set twice \(line 1: 1500, line 2: 15\\x1b\[2J\\x1b\]0;owned\\x0701\)/);
  assert.match(text, /^client evil_server_X_2J_0_owned_ \{$/m);
});
