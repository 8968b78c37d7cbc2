// Completion at `|`: the labels offered must include every `has` and none of `not`.
// Most fixtures are mid-edit text the parser has to recover from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../server/src/lsp/features/completion.ts';
import { withCursor } from '../support/markers.ts';
import { analyzeText } from './helpers.ts';

const BASE = `ca Root
ca Mid { signed-by Root }
server SP1 { certificate signed-by Mid hub }
server SP2 { spoke-of SP1 }
storage-agent STA { certificate self-signed }
client N1
db2 DB
ldap L
operations-center OC
`;

interface Case { at: string; has: string[]; not?: string[]; exact?: boolean }

const CASES: Case[] = [
  { at: '|', has: ['server', 'client', 'storage-agent', 'operations-center', 'reporting-agent', 'ldap', 'db2', 'ca'], exact: true },
  { at: `${BASE}|`, has: ['server', 'ca', 'SP1', 'N1', 'STA', 'OC'], not: ['DB', 'L', 'Root'] },
  { at: `${BASE}N1 -> |`, has: ['SP1', 'SP2', 'STA'], exact: true },
  { at: `${BASE}SP1 -> |`, has: ['SP2', 'DB', 'L'], exact: true },
  { at: `${BASE}OC -> S|`, has: ['SP1', 'SP2'], exact: true },
  { at: `${BASE}UNDECLARED -> |`, has: ['SP1', 'N1', 'DB', 'L'], not: ['Root', 'UNDECLARED'] },
  { at: `${BASE}SP1 -> DB |`, has: ['plain', 'tls', 'server'] },
  { at: `${BASE}server X { |`, has: ['address', 'port', 'admin-port', 'ssl-port', 'version', 'tls-min', 'fips', 'certificate', 'keydb', 'trusts', 'hub', 'spoke-of'], not: ['instance', 'subject', 'san', 'purpose', 'server'] },
  { at: `${BASE}client X { version 8.1.22 |`, has: ['trusts', 'certificate', 'keydb'], not: ['port', 'hub', 'version'] },
  { at: `${BASE}db2 X { |`, has: ['address', 'port', 'instance'], exact: true },
  { at: `${BASE}ca X { |`, has: ['subject', 'key', 'valid', 'signed-by', 'file'], exact: true },
  { at: `${BASE}server X { trusts |`, has: ['Root', 'Mid', 'SP1', 'STA'], not: ['SP2', 'N1', 'DB', 'X'] },
  { at: `${BASE}server X { trusts Root, |}`, has: ['Mid', 'SP1'], not: ['Root'] },
  { at: `${BASE}client X { certificate |`, has: ['self-signed', 'signed-by', 'file'], exact: true },
  { at: `${BASE}client X { certificate signed-by |`, has: ['Root', 'Mid'], exact: true },
  { at: `${BASE}ca X { signed-by M| }`, has: ['Root', 'Mid'], exact: true },
  { at: `${BASE}server X { certificate signed-by Mid { |`, has: ['key', 'valid', 'san', 'label', 'subject'], exact: true },
  { at: `${BASE}server X { certificate self-signed { key |`, has: ['rsa', 'ec'], exact: true },
  { at: `${BASE}ca X { key ec |`, has: ['p256', 'p384'], exact: true },
  { at: `${BASE}ca X { valid 10 |`, has: ['years', 'days'], exact: true },
  { at: `${BASE}server X { spoke-of |`, has: ['SP1', 'SP2'], not: ['X', 'N1'] },
  { at: `${BASE}operations-center X { keydb |`, has: ['"gui-truststore.p12"'], exact: true },
  { at: `${BASE}client X { keydb |`, has: ['"dsmcert.kdb"'], exact: true },
  { at: `${BASE}server X { fips |`, has: ['yes', 'no'], exact: true },
  { at: `${BASE}server X { tls-max |`, has: ['1.2', '1.3'], exact: true },
  { at: `${BASE}SP1 -> SP2 { |`, has: ['port', 'purpose'], exact: true },
  { at: `${BASE}SP1 -> SP2 { purpose |`, has: ['replication', 'library-sharing'] },
  { at: `${BASE}server X { port |`, has: [], exact: true },
  { at: `${BASE}server X { address "sp|`, has: [], exact: true },
  { at: `${BASE}# a comment |`, has: [], exact: true },
  { at: `${BASE}/* trusts |`, has: [], exact: true },
  { at: `${BASE}server |`, has: [], exact: true },
  { at: `${BASE}server X {\n  port 1500\n  |\n}\nN1 -> SP1\n`, has: ['address', 'trusts'], not: ['port'] },
  { at: `${BASE}server X {\n  port 1500\n  trusts Root\n}\n|\nN1 -> SP1\n`, has: ['server', 'N1'], not: ['address'] },
  { at: `${BASE}server X { port 1500\nclient Y { |`, has: ['trusts', 'certificate'], not: ['port', 'hub'] },
  { at: `${BASE}server X { certificate signed-by Mid { key rsa 2048 } |`, has: ['trusts', 'address'], not: ['certificate', 'san'] },
];

for (const c of CASES) {
  test(`completion at ${JSON.stringify(c.at.slice(Math.max(0, c.at.indexOf('|') - 40)))}`, () => {
    const { text, offset } = withCursor(c.at);
    const a = analyzeText(text);
    const labels = completion(a, a.lines.position(offset)).map((i) => i.label);
    for (const h of c.has) assert.ok(labels.includes(h), `expected ${h} in [${labels.join(', ')}]`);
    for (const n of c.not ?? []) assert.ok(!labels.includes(n), `did not expect ${n} in [${labels.join(', ')}]`);
    if (c.exact) assert.deepEqual([...labels].sort(), [...c.has].sort());
  });
}

test('completion replaces the partly typed word, hyphens included', () => {
  const { text, offset } = withCursor(`${BASE}server X { ssl-ad| }`);
  const a = analyzeText(text);
  const item = completion(a, a.lines.position(offset)).find((i) => i.label === 'ssl-admin-port');
  assert.ok(item?.textEdit && 'range' in item.textEdit);
  const line = a.lines.lineOf(offset);
  assert.deepEqual(item.textEdit.range, { start: { line, character: 11 }, end: { line, character: 17 } });
});

test('property items carry the product documentation', () => {
  const { text, offset } = withCursor(`${BASE}server X { |`);
  const a = analyzeText(text);
  const ssl = completion(a, a.lines.position(offset)).find((i) => i.label === 'ssl-port');
  const doc = ssl?.documentation;
  assert.ok(doc && typeof doc === 'object');
  assert.match(doc.value, /SSLTCPPORT/);
  assert.match(doc.value, /1024–32767/);
});

test('declaration snippets only for clients that expand them', () => {
  const a = analyzeText('');
  const withSnippets = completion(a, { line: 0, character: 0 }).find((i) => i.label === 'server');
  assert.equal(withSnippets?.insertTextFormat, 2);
  assert.match(withSnippets?.textEdit?.newText ?? '', /\$\{1:NAME\}/);
  const plain = completion(a, { line: 0, character: 0 }, { snippets: false }).find((i) => i.label === 'server');
  assert.equal(plain?.insertTextFormat, undefined);
  assert.equal(plain?.textEdit?.newText, 'server ');
});

test('completion never throws on garbage and on positions past the end', () => {
  const texts = ['{{{{ -> -> "', '}}}} server { { {', 'A -> -> B { port { purpose', '\u0000\uffff server\u2028X', '"unterminated\nserver X { trusts '];
  for (const t of texts) {
    const a = analyzeText(t);
    for (let o = 0; o <= t.length; o++) completion(a, a.lines.position(o));
    completion(a, { line: 999, character: 999 });
  }
});
