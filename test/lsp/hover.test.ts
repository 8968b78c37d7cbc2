// Hover at `|`: the Markdown must match every pattern in `has` and none in `not`,
// and its range must cover the hovered word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/lsp/features/hover.ts';
import { withCursor } from '../support/markers.ts';
import { analyzeText } from './helpers.ts';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';

const BASE = `ca Root { subject "CN=Corp Root,O=Corp" }
ca Mid { signed-by Root }
server SP1 { certificate signed-by Mid trusts Root version 8.1.9 }
server SP2 { certificate self-signed trusts Root }
client N1 { trusts Root }
operations-center OC { trusts Root hub }
db2 DB
ldap L
`;

interface Case { at: string; word: string; has: RegExp[]; not?: RegExp[] }

const CASES: Case[] = [
  { at: `${BASE}N1 -> S|P1`, word: 'SP1', has: [/\*\*N1 -> SP1\*\*/, /client → server/, /N1\*\* opens the session and verifies/, /dsmcert\.kdb/, /✅ Trusted: N1 trusts `Root`/, /SP1 1\.2–1\.2/, /negotiates TLS 1\.2/] },
  { at: `${BASE}N1 -|> SP2`, word: '->', has: [/❌ Not trusted: SP2 presents a self-signed certificate/, /SP2's own certificate/, /negotiates TLS 1\.3/] },
  { at: `${BASE}SP2 -> SP1 { purpose replication }\nSP1 -> SP2|`, word: 'SP2', has: [/server → server/, /❌ Not trusted/], not: [/✅/] },
  { at: `${BASE}SP1 -> D|B`, word: 'DB', has: [/server → db2/, /mark it `plain`/] },
  { at: `${BASE}SP1 -> DB pl|ain`, word: 'plain', has: [/as the product requires/] },
  { at: `${BASE}SP1 -> L pl|ain`, word: 'plain', has: [/requires TLS/] },
  { at: `${BASE}N1 -> D|B`, word: 'DB', has: [/client → db2 is not in the product's table/, /opens sessions to: server, storage-agent/] },
  { at: `${BASE}N1 -> N|OPE`, word: 'NOPE', has: [/`NOPE` not declared/] },
  { at: `${BASE}N1 -> SP1\nSP2 -> SP1\nOC -> SP1\n|SP1 -> SP2`, word: 'SP1', has: [/server → server/] },
  { at: `${BASE}N1 -> SP1\nOC -> SP1\nSP2 -> SP1\nser|ver X`, word: 'server', has: [/\*\*server X\*\*/, /cert\.kdb/, /Certificate: none declared/] },
  { at: `${BASE.replace('server SP1', 'server S|P1')}N1 -> SP1\nSP1 -> SP2\n`, word: 'SP1', has: [/Spectrum Protect server/, /signed by `Mid`; chain SP1 → Mid → Root; root `Root`/, /Trusts: `Root`/, /Opens sessions to: `SP2`/, /Answers sessions from: `N1`/, /cert\.kdb/] },
  { at: `${BASE.replace('server SP2', 'server S|P2')}`, word: 'SP2', has: [/self-signed/, /initiators trust `SP2` itself/] },
  { at: `${BASE.replace('ca Mid', 'ca M|id')}`, word: 'Mid', has: [/certificate authority/, /Chain: Mid → Root \(root `Root`\)/, /Signs: `SP1`/] },
  { at: `${BASE.replace('ca Root', 'ca R|oot')}`, word: 'Root', has: [/Subject: `CN=Corp Root,O=Corp`/, /Root CA/, /Signs: `Mid`/, /Trusted by: `SP1`, `SP2`, `N1`, `OC`/] },
  { at: `${BASE.replace('client N1', 'cli|ent N1')}`, word: 'client', has: [/backup-archive client/, /Opens sessions to \(and verifies\): `server`, `storage-agent`/, /dsmcert\.kdb/] },
  { at: `${BASE.replace('operations-center OC', 'operations-center O|C')}`, word: 'OC', has: [/Java truststore/, /gui-truststore\.p12/] },
  { at: `${BASE}server X { certificate signed-by M|id }`, word: 'Mid', has: [/\*\*ca Mid\*\*/] },
  { at: `${BASE}client X { trusts Ro|o }`, word: 'Roo', has: [/`Roo` is not declared/] },
  { at: `${BASE}server X { ssl-p|ort 1543 }`, word: 'ssl-port', has: [/`SSLTCPPORT`/, /range 1024–32767/] },
  { at: `${BASE}server X { port 15|00 }`, word: '1500', has: [/`TCPPORT`/, /range 1–65535/] },
  { at: `${BASE}server X { fi|ps yes }`, word: 'fips', has: [/`SSLFIPSMODE`/, /default no/] },
  { at: `${BASE}server X { version 8.1.9 tls-m|ax 1.3 }`, word: 'tls-max', has: [/TLS 1\.3 from 8\.1\.11/, /X accepts TLS 1\.2–1\.3/] },
  { at: `${BASE}server X { version 8.1.|9 }`, word: '8.1.9', has: [/Below 8\.1\.11: TLS 1\.3 cannot be enabled/] },
  { at: `${BASE}server X { version 8.1.2|2 }`, word: '8.1.22', has: [/TLS 1\.3 can be enabled/] },
  { at: `${BASE.replace('trusts Root hub', 'trusts Root h|ub')}`, word: 'hub', has: [/means nothing for a operations-center|means nothing for an? operations-center/] },
  { at: `${BASE}server X { certificate self-signed { s|an "x" } }`, word: 'san', has: [/\(certificate\)/, /Subject alternative names/] },
  { at: `${BASE}SP1 -> SP2 { purp|ose replication }`, word: 'purpose', has: [/\(connection\)/] },
];

for (const c of CASES) {
  test(`hover on ${c.word} in …${JSON.stringify(c.at.slice(Math.max(0, c.at.indexOf('|') - 30), c.at.indexOf('|') + 10))}`, () => {
    const { text, offset } = withCursor(c.at);
    const a = analyzeText(text);
    const h = hover(a, a.lines.position(offset));
    assert.ok(h, 'a hover');
    const md = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    for (const r of c.has) assert.match(md, r);
    for (const r of c.not ?? []) assert.doesNotMatch(md, r);
    assert.ok(h.range);
    const start = a.lines.offset(h.range.start);
    assert.equal(text.slice(start, a.lines.offset(h.range.end)), c.word);
  });
}

test('no hover on whitespace, comments and past the end', () => {
  const text = `${BASE}# a comment\n\n`;
  const a = analyzeText(text);
  assert.equal(hover(a, { line: 8, character: 4 }), null);
  assert.equal(hover(a, { line: 9, character: 0 }), null);
  assert.equal(hover(a, { line: 500, character: 3 }), null);
});

test('hover never throws on garbage', () => {
  for (const t of ['{{{{ -> -> "', 'A -> -> B { port { purpose', 'server X { certificate signed-by }', 'ca A { signed-by A }\nserver S { certificate signed-by A }\nclient C\nC -> S']) {
    const a = analyzeText(t);
    for (let o = 0; o <= t.length; o++) hover(a, a.lines.position(o));
  }
});

test('hover on a CA read from a file tells what its file says: intermediate or root, and its real issuer (spec v1.1)', () => {
  const certs = join(import.meta.dirname, '..', 'rules', 'cases');
  const hoverAt = (source: string) => {
    const { text, offset } = withCursor(source);
    const a = analyze(text, { certificateFiles: new DiskCertificateFiles(certs), now: new Date('2026-06-15') });
    const h = hover(a, a.lines.position(offset))!;
    return typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  const base = 'ca LakeRoot { file "certs/v11/lake-root.pem" }\nca LakeIssuing { file "certs/v11/lake-issuing.pem" }\nca HillIssuing { file "certs/v11/hill-issuing.pem" }\n';
  const issuing = hoverAt(base.replace('ca LakeIssuing', 'ca Lake|Issuing'));
  assert.match(issuing, /Subject: `[^`]*CN=Lake Issuing CA[^`]*`/);
  assert.match(issuing, /Chain: LakeIssuing → LakeRoot \(root `LakeRoot`\)/);
  assert.doesNotMatch(issuing, /Root CA$/m);
  assert.match(hoverAt(base.replace('ca LakeRoot', 'ca Lake|Root')), /Root CA/);
  assert.match(hoverAt(base.replace('ca LakeRoot', 'ca Lake|Root')), /Signs: `LakeIssuing`/);
  assert.match(hoverAt(base.replace('ca HillIssuing', 'ca Hill|Issuing')), /root unknown: no ca of this file issued it/);
});
