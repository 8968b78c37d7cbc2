// Every quick fix, applied to its fixture: the text must become exactly `after`, the
// diagnostic must be gone, and no new error may appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver';
import type { Analysis } from '../../server/src/analysis/engine.ts';
import { toLspDiagnostic } from '../../server/src/lsp/convert.ts';
import { codeActions, FIX_ALL_KIND } from '../../server/src/lsp/features/code-actions.ts';
import { analyzeText, applyWorkspaceEdit } from './helpers.ts';

const URI = 'file:///fixture.sptls';

interface Case {
  name: string;
  rule: string;
  /** Picks the action among those offered for the first diagnostic of `rule`. */
  title: RegExp;
  before: string;
  after: string;
}

const CASES: Case[] = [
  {
    name: 'untrusted-responder appends to an existing trusts list',
    rule: 'untrusted-responder', title: /trusts SP2/,
    before: 'server SP2 { certificate self-signed }\nca R\nserver SP1 { certificate signed-by R }\nclient N {\n  trusts R\n}\nN -> SP1\nN -> SP2\n',
    after: 'server SP2 { certificate self-signed }\nca R\nserver SP1 { certificate signed-by R }\nclient N {\n  trusts R, SP2\n}\nN -> SP1\nN -> SP2\n',
  },
  {
    name: 'untrusted-responder adds a trusts property on its own line',
    rule: 'untrusted-responder', title: /trusts R/,
    before: 'ca R\nserver SP1 { certificate signed-by R }\nclient N {\n    version 8.1.22\n}\nN -> SP1\n',
    after: 'ca R\nserver SP1 { certificate signed-by R }\nclient N {\n    version 8.1.22\n    trusts R\n}\nN -> SP1\n',
  },
  {
    name: 'untrusted-responder adds a trusts property to a one-line block',
    rule: 'untrusted-responder', title: /trusts R/,
    before: 'ca R\nserver SP1 { certificate signed-by R }\nclient N { version 8.1.22 }\nN -> SP1\n',
    after: 'ca R\nserver SP1 { certificate signed-by R }\nclient N { version 8.1.22 trusts R }\nN -> SP1\n',
  },
  {
    name: 'untrusted-responder creates a block',
    rule: 'untrusted-responder', title: /trusts R/,
    before: 'ca R\nserver SP1 { certificate signed-by R }\nclient N\nN -> SP1\n',
    after: 'ca R\nserver SP1 { certificate signed-by R }\nclient N { trusts R }\nN -> SP1\n',
  },
  {
    name: 'untrusted-responder with CRLF line ends',
    rule: 'untrusted-responder', title: /trusts R/,
    before: 'ca R\r\nserver SP1 { certificate signed-by R }\r\nclient N {\r\n  version 8.1.22\r\n}\r\nN -> SP1\r\n',
    after: 'ca R\r\nserver SP1 { certificate signed-by R }\r\nclient N {\r\n  version 8.1.22\r\n  trusts R\r\n}\r\nN -> SP1\r\n',
  },
  {
    name: 'tls-to-db2 inserts plain',
    rule: 'tls-to-db2', title: /plain/,
    before: 'server SP1\ndb2 DB\nSP1 -> DB   # the database\n',
    after: 'server SP1\ndb2 DB\nSP1 -> DB plain   # the database\n',
  },
  {
    name: 'tls-to-db2 replaces an explicit tls',
    rule: 'tls-to-db2', title: /plain/,
    before: 'server SP1\ndb2 DB\nSP1 -> DB tls { port 51500 }\n',
    after: 'server SP1\ndb2 DB\nSP1 -> DB plain { port 51500 }\n',
  },
  {
    name: 'ldap-requires-tls removes plain',
    rule: 'ldap-requires-tls', title: /Remove 'plain'/,
    before: 'ca R\nserver SP1 { trusts R }\nldap L { certificate signed-by R }\nSP1 -> L plain { port 636 }\n',
    after: 'ca R\nserver SP1 { trusts R }\nldap L { certificate signed-by R }\nSP1 -> L { port 636 }\n',
  },
  {
    name: 'missing-certificate: signed by a CA of the file',
    rule: 'missing-certificate', title: /signed by R/,
    before: 'ca R\nserver SP1 {\n  port 1500\n}\nclient N { trusts R }\nN -> SP1\n',
    after: 'ca R\nserver SP1 {\n  port 1500\n  certificate signed-by R\n}\nclient N { trusts R }\nN -> SP1\n',
  },
  {
    name: 'missing-certificate: self-signed',
    rule: 'missing-certificate', title: /self-signed/,
    before: 'server SP1\nclient N { trusts SP1 }\nN -> SP1\n',
    after: 'server SP1 { certificate self-signed }\nclient N { trusts SP1 }\nN -> SP1\n',
  },
  {
    name: 'unknown-reference takes the suggestion',
    rule: 'unknown-reference', title: /Change to 'CorpRoot'/,
    before: 'ca CorpRoot\nserver SP1 { certificate signed-by CorpRot }\nclient N { trusts CorpRoot }\nN -> SP1\n',
    after: 'ca CorpRoot\nserver SP1 { certificate signed-by CorpRoot }\nclient N { trusts CorpRoot }\nN -> SP1\n',
  },
  {
    name: 'keydb-format: .kdb on a Java component, backslashes kept as written',
    rule: 'keydb-format', title: /gui\.p12/,
    before: 'operations-center OC { keydb "C:\\oc\\gui.kdb" }\n',
    after: 'operations-center OC { keydb "C:\\oc\\gui.p12" }\n',
  },
  {
    name: 'keydb-format: .jks on a GSKit component',
    rule: 'keydb-format', title: /\.kdb/,
    before: 'client N { keydb "/opt/tivoli/dsmcert.JKS" }\n',
    after: 'client N { keydb "/opt/tivoli/dsmcert.kdb" }\n',
  },
  {
    name: 'unused-trust: the only entry removes the property line',
    rule: 'unused-trust', title: /Remove/,
    before: 'ca R\nclient N {\n  version 8.1.22\n  trusts R\n}\nserver SP { certificate signed-by R }\n',
    after: 'ca R\nclient N {\n  version 8.1.22\n}\nserver SP { certificate signed-by R }\n',
  },
  {
    name: 'unused-trust: the only entry inline',
    rule: 'unused-trust', title: /Remove/,
    before: 'ca R\nclient N { version 8.1.22 trusts R }\nserver SP { certificate signed-by R }\n',
    after: 'ca R\nclient N { version 8.1.22 }\nserver SP { certificate signed-by R }\n',
  },
  {
    name: 'unused-trust: first of two entries',
    rule: 'unused-trust', title: /Remove the unused trust 'A'/,
    before: 'ca A\nca B\nserver SP { certificate signed-by B }\nclient N { trusts A, B }\nN -> SP\nserver S2 { certificate signed-by A }\n',
    after: 'ca A\nca B\nserver SP { certificate signed-by B }\nclient N { trusts B }\nN -> SP\nserver S2 { certificate signed-by A }\n',
  },
  {
    name: 'unused-trust: last of two entries',
    rule: 'unused-trust', title: /Remove the unused trust 'B'/,
    before: 'ca A\nca B\nserver SP { certificate signed-by A }\nclient N { trusts A, B }\nN -> SP\nserver S2 { certificate signed-by B }\n',
    after: 'ca A\nca B\nserver SP { certificate signed-by A }\nclient N { trusts A }\nN -> SP\nserver S2 { certificate signed-by B }\n',
  },
  {
    name: 'hub-spoke adds the hub -> spoke connection after the last connection',
    rule: 'hub-spoke', title: /HUB -> SP2/,
    before: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R trusts R }\nclient N { trusts R }\nN -> HUB   # backups\n\n# end\n',
    after: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R trusts R }\nclient N { trusts R }\nN -> HUB   # backups\nHUB -> SP2\n\n# end\n',
  },
  {
    name: 'hub-spoke adds the connection at the end when there is none',
    rule: 'hub-spoke', title: /HUB -> SP2/,
    before: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R }',
    after: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R }\nHUB -> SP2\n',
  },
  {
    // Adding a second HUB -> SP2 would be a duplicate-connection: the plain one becomes TLS.
    name: 'hub-spoke removes plain from an existing hub -> spoke connection',
    rule: 'hub-spoke', title: /Remove 'plain'/,
    before: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R }\nHUB -> SP2 plain\n',
    after: 'ca R\nserver HUB { hub trusts R certificate signed-by R }\nserver SP2 { spoke-of HUB certificate signed-by R }\nHUB -> SP2\n',
  },
  {
    name: 'lan-free-needs-server removes plain from the client -> server connection',
    rule: 'lan-free-needs-server', title: /Remove 'plain'/,
    before: 'ca R\nserver S { certificate signed-by R }\nstorage-agent STA { certificate signed-by R trusts R }\nclient C { trusts R }\nC -> STA\nSTA -> S\nC -> S plain\n',
    after: 'ca R\nserver S { certificate signed-by R }\nstorage-agent STA { certificate signed-by R trusts R }\nclient C { trusts R }\nC -> STA\nSTA -> S\nC -> S\n',
  },
  {
    name: 'connection-not-supported reverses a connection whose other direction is in Table 1',
    rule: 'connection-not-supported', title: /Reverse/,
    before: 'ca R\nserver S { certificate signed-by R }\nclient C { trusts R }\nS -> C\n',
    after: 'ca R\nserver S { certificate signed-by R }\nclient C { trusts R }\nC -> S\n',
  },
  {
    name: 'validity-exceeds-issuer shortens a declared valid to the issuer\'s lifetime',
    rule: 'validity-exceeds-issuer', title: /valid 2 years/,
    before: 'ca R { valid 2 years }\nca I { signed-by R valid 5 years }\nserver S { certificate signed-by I { valid 400 days } }\n',
    after: 'ca R { valid 2 years }\nca I { signed-by R valid 2 years }\nserver S { certificate signed-by I { valid 400 days } }\n',
  },
  {
    name: 'ssl-port-required uses the responder\'s SSL port',
    rule: 'ssl-port-required', title: /1543/,
    before: 'ca R\nserver OLD { version 8.1.1 port 1500 ssl-port 1543 certificate signed-by R }\nclient C { trusts R }\nC -> OLD { port 1500 }\n',
    after: 'ca R\nserver OLD { version 8.1.1 port 1500 ssl-port 1543 certificate signed-by R }\nclient C { trusts R }\nC -> OLD { port 1543 }\n',
  },
];

function errorKeys(a: Analysis): string[] {
  return a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

function actionsForFirst(a: Analysis, rule: string): CodeAction[] {
  const d = a.diagnostics.find((x) => x.code === rule);
  assert.ok(d, `fixture must produce ${rule}; got ${a.diagnostics.map((x) => x.code).join(', ')}`);
  const lsp = toLspDiagnostic(d, a.lines);
  return codeActions(a, URI, lsp.range, [lsp]);
}

for (const c of CASES) {
  test(`quick fix: ${c.name}`, () => {
    const before = analyzeText(c.before);
    const actions = actionsForFirst(before, c.rule);
    const chosen = actions.find((x) => c.title.test(x.title));
    assert.ok(chosen, `no action matching ${c.title}; offered: ${actions.map((x) => x.title).join(' | ')}`);
    assert.equal(chosen.kind, 'quickfix');
    assert.equal((chosen.diagnostics?.[0]?.code), c.rule);
    const text = applyWorkspaceEdit(c.before, URI, chosen.edit);
    assert.equal(text, c.after);
    const after = analyzeText(text);
    assert.equal(after.diagnostics.filter((d) => d.code === c.rule).length, before.diagnostics.filter((d) => d.code === c.rule).length - 1, `${c.rule} fixed`);
    const old = new Set(errorKeys(before));
    assert.deepEqual(errorKeys(after).filter((k) => !old.has(k)), [], 'no new error');
  });
}

test('a stale client diagnostic (moved text) gets no action', () => {
  const a = analyzeText('server SP1\ndb2 DB\nSP1 -> DB\n');
  const lsp = toLspDiagnostic(a.diagnostics.find((d) => d.code === 'tls-to-db2')!, a.lines);
  const moved = { ...lsp, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } };
  assert.deepEqual(codeActions(a, URI, moved.range, [moved], ['quickfix']), []);
});

test('a client that sends no diagnostics gets fixes for the range', () => {
  const a = analyzeText('server SP1\ndb2 DB\nSP1 -> DB\n');
  const titles = codeActions(a, URI, { start: { line: 2, character: 1 }, end: { line: 2, character: 1 } }, []).map((x) => x.title);
  assert.ok(titles.some((t) => /plain/.test(t)), titles.join(' | '));
});

const MANY = [
  'ca Root',
  'server SP1 { certificate signed-by Root }',
  'server SP2 { certificate self-signed trusts Root }',
  'client N1 { version 8.1.22 }',
  'client N2',
  'db2 DB1',
  'db2 DB2',
  'N1 -> SP1',
  'N1 -> SP2',
  'N2 -> SP1',
  'SP1 -> DB1',
  'SP2 -> DB2',
  'SP2 -> SP1',
  'N1 -> SPI',
  '',
].join('\n');

test('fix all of one kind, and source.fixAll for every safe kind', () => {
  const a = analyzeText(MANY);
  const db2 = a.diagnostics.find((d) => d.code === 'tls-to-db2')!;
  const lsp = toLspDiagnostic(db2, a.lines);
  const fixAllDb2 = codeActions(a, URI, lsp.range, [lsp]).find((x) => /Fix all tls-to-db2/.test(x.title));
  assert.ok(fixAllDb2);
  const onlyDb2 = analyzeText(applyWorkspaceEdit(MANY, URI, fixAllDb2.edit));
  assert.equal(onlyDb2.diagnostics.filter((d) => d.code === 'tls-to-db2').length, 0);
  assert.equal(onlyDb2.diagnostics.filter((d) => d.code === 'untrusted-responder').length, 3);

  const source = codeActions(a, URI, lsp.range, [], [FIX_ALL_KIND]);
  assert.equal(source.length, 1);
  assert.equal(source[0]!.kind, FIX_ALL_KIND);
  const fixed = applyWorkspaceEdit(MANY, URI, source[0]!.edit);
  const after = analyzeText(fixed);
  assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), []);
  assert.match(fixed, /client N1 \{ version 8\.1\.22 trusts Root, SP2 \}/);
  assert.match(fixed, /client N2 \{ trusts Root \}/);
  assert.match(fixed, /N1 -> SP1\n/);
  assert.match(fixed, /N1 -> SP1\n[^]*N1 -> SP1\n/, 'SPI was renamed to SP1');
});

test('only=[quickfix] leaves out the source action, only=[source.fixAll] leaves out quick fixes', () => {
  const a = analyzeText(MANY);
  const lsp = toLspDiagnostic(a.diagnostics.find((d) => d.code === 'tls-to-db2')!, a.lines);
  assert.ok(codeActions(a, URI, lsp.range, [lsp], ['quickfix']).every((x) => x.kind === 'quickfix'));
  assert.ok(codeActions(a, URI, lsp.range, [lsp], ['source.fixAll']).every((x) => x.kind === FIX_ALL_KIND));
});
