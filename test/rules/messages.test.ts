// Messages an administrator can follow (spec §5: name the components, the key database
// and the fix). Each test pins the words that make the fix actionable, and the words a
// wrong fix would use are asserted absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';

const cases = new URL('./cases/', import.meta.url).pathname;

function message(text: string, code: string): string {
  const a = analyze(text, { certificateFiles: new DiskCertificateFiles(cases), now: new Date('2026-06-01') });
  const d = a.diagnostics.find((x) => x.code === code);
  assert.ok(d, `${code} expected; got ${a.diagnostics.map((x) => `${x.code}: ${x.message}`).join('\n')}`);
  return d.message;
}

function messages(text: string): string[] {
  return analyze(text, { certificateFiles: new DiskCertificateFiles(cases), now: new Date('2026-06-01') }).diagnostics.map((d) => `${d.code}: ${d.message}`);
}

test('lan-free-needs-server with a plain client -> server connection says to remove plain, not to add one', () => {
  const m = message('ca R\nserver S { certificate signed-by R }\nstorage-agent STA { certificate signed-by R trusts R }\nclient C { trusts R }\nC -> STA\nSTA -> S\nC -> S plain', 'lan-free-needs-server');
  assert.match(m, /Remove 'plain' from 'C -> S'/);
  assert.doesNotMatch(m, /Add 'C -> S'/);
});

test('hub-spoke with a plain hub -> spoke connection says to remove plain', () => {
  const m = message('ca R\nserver HUB { hub certificate signed-by R trusts R }\nserver SP { spoke-of HUB certificate signed-by R }\nHUB -> SP plain', 'hub-spoke');
  assert.match(m, /'HUB -> SP' is plain\. Remove 'plain'/);
  assert.doesNotMatch(m, /Add 'HUB -> SP'/);
});

test('hostname-mismatch on a file certificate says to reissue it or correct the address, never san', () => {
  const file = message('server W { address "other.example.com" certificate file "certs/self-2048.pem" }', 'hostname-mismatch');
  assert.match(file, /Reissue "certs\/self-2048\.pem" with "other\.example\.com" among its SANs, or correct the address/);
  assert.doesNotMatch(file, /san "/);
  const declared = message('server W { address "other.example.com" certificate self-signed { san "w.example.com" } }', 'hostname-mismatch');
  assert.match(declared, /Add san "other\.example\.com"/);
});

test('no-common-tls-version names the cause (a level below 8.1.11 caps at 1.2) and both fixes', () => {
  const m = message('server OLD { version 8.1.5 certificate self-signed }\nclient C { version 8.1.22 tls-min 1.3 trusts OLD }\nC -> OLD', 'no-common-tls-version');
  assert.match(m, /OLD is at 8\.1\.5: a level below 8\.1\.11 caps TLS at 1\.2/);
  assert.match(m, /upgrade OLD to 8\.1\.11 or later/);
  assert.match(m, /lower C's tls-min to 1\.2/);
});

test('an empty TLS range names the cause and the fixes', () => {
  const m = message('server OLD { version 8.1.5 tls-min 1.3 }', 'invalid-value');
  assert.match(m, /tls-min 1\.3 is above tls-max 1\.2/);
  assert.match(m, /below 8\.1\.11 caps TLS at 1\.2/);
  assert.match(m, /lower tls-min to 1\.2, or upgrade OLD to 8\.1\.11/);
});

test('shared-certificate names the label and the CA, or the file', () => {
  const labelled = message('ca R\nserver A { certificate signed-by R { label "sp" } }\nserver B { certificate signed-by R { label "sp" } }', 'shared-certificate');
  assert.match(labelled, /label "sp" issued by R/);
  const files = message('ca Root { file "certs/root.pem" }\nserver A { address "good.example.com" certificate file "certs/expiring.pem" }\nserver B { address "good.example.com" certificate file "certs/expiring.pem" }', 'shared-certificate');
  assert.match(files, /"certs\/expiring\.pem"/);
});

test('connection-not-supported names both components and the supported reverse direction', () => {
  const m = message('server S { certificate self-signed }\nclient C\nS -> C', 'connection-not-supported');
  assert.match(m, /^S -> C \(a server to a client\)/);
  assert.match(m, /write 'C -> S'/);
  const none = message('ca R\nldap L { certificate signed-by R }\nclient C\nC -> L', 'connection-not-supported');
  assert.match(none, /\(a client to an ldap\)/);
  assert.doesNotMatch(none, /a ldap/);
  assert.doesNotMatch(none, /write 'L -> C'/);
});

test('syntax errors say which keyword was meant, and one typo does not hide the next line', () => {
  const all = messages('ca Root\nclient C { trust Root\nsslport 1543 }\nstorage-agnet STA4 { }');
  assert.ok(all.some((m) => /'trust' is not a property: did you mean 'trusts'\?/.test(m)), all.join('\n'));
  assert.ok(all.some((m) => /'sslport' is not a property: did you mean 'ssl-port'\?/.test(m)), all.join('\n'));
  assert.ok(all.some((m) => /unexpected 'storage-agnet': did you mean 'storage-agent'\?/.test(m)), all.join('\n'));
  // A one-letter stray name is no misspelt 'ca': no guess.
  assert.ok(messages('X { }').every((m) => !/did you mean/.test(m)));
});

test('"expected a name" never names a name as what it did not find', () => {
  // The name after '->' used to be lexed as the start of the next connection.
  const chain = messages('client C1\nstorage-agent STA4 { certificate self-signed }\nserver SP1\nC1 -> STA4 -> SP1');
  assert.ok(!chain.some((m) => /expected a name .*found 'STA4'$/.test(m)), chain.join('\n'));
  assert.ok(chain.some((m) => /syntax: unexpected '->': a connection has two ends/.test(m)), chain.join('\n'));
  // Where a name is missing before a connection, the message says the name starts that connection.
  const list = messages('client C { trusts R,\nSTA4 -> SP1');
  assert.ok(list.some((m) => /expected a name after ',', found 'STA4', which starts the connection 'STA4 -> …'/.test(m)), list.join('\n'));
});

test('a name after a trusts list asks for the missing comma; a misspelt property after it is still a typo', () => {
  const comma = messages('ca A\nca B\nclient X { trusts A B }');
  assert.ok(comma.some((m) => /expected ',' before 'B': the names of a trusts list are separated by commas \(trusts A, B\)/.test(m)), comma.join('\n'));
  const typo = messages('ca A\nclient X { trusts A\nkeydbb "x.kdb" }');
  assert.ok(typo.some((m) => /'keydbb' is not a property: did you mean 'keydb'\?/.test(m)), typo.join('\n'));
});
