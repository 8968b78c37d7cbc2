import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentSymbol, Range } from 'vscode-languageserver';
import { documentSymbols, workspaceSymbols } from '../../../server/src/lsp/features/symbols.ts';
import { analyzeText } from '../helpers.ts';
import { specExample } from '../spec-example.ts';

const inside = (inner: Range, outer: Range) =>
  (inner.start.line > outer.start.line || (inner.start.line === outer.start.line && inner.start.character >= outer.start.character))
  && (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));

describe('documentSymbols', () => {
  const analysis = analyzeText(specExample());
  const outline = documentSymbols(analysis);

  it('groups the spec example by kind, connections last', () => {
    assert.deepEqual(outline.map((g) => [g.name, g.children!.map((c) => c.name)]), [
      ['Certificate authorities', ['CorpRoot', 'CorpIssuing']],
      ['Servers', ['SP1', 'SP2']],
      ['Clients', ['NODE1']],
      ['Storage agents', ['STA1']],
      ['Operations Centers', ['OC']],
      ['LDAP directories', ['DIR']],
      ['Db2 instances', ['SP1DB']],
      ['Connections', ['NODE1 -> SP1', 'NODE1 -> STA1', 'STA1 -> SP1', 'SP1 -> SP2', 'SP1 -> DIR', 'OC -> SP1', 'SP1 -> SP1DB']],
    ]);
  });

  it('describes each symbol in its detail', () => {
    const detail = (group: string, name: string) => outline.find((g) => g.name === group)!.children!.find((c) => c.name === name)!.detail;
    assert.equal(detail('Servers', 'SP1'), 'hub · signed-by CorpIssuing');
    assert.equal(detail('Servers', 'SP2'), 'spoke of SP1 · self-signed');
    assert.equal(detail('Certificate authorities', 'CorpRoot'), 'root');
    assert.equal(detail('Certificate authorities', 'CorpIssuing'), 'signed-by CorpRoot');
    assert.equal(detail('Connections', 'SP1 -> SP2'), 'tls · replication');
    assert.equal(detail('Connections', 'SP1 -> SP1DB'), 'plain');
    assert.equal(detail('Connections', 'NODE1 -> SP1'), 'tls');
  });

  it('points each symbol at its text, the name inside the whole statement, children inside groups', () => {
    const text = analysis.text;
    const slice = (r: Range) => text.slice(analysis.lines.offset(r.start), analysis.lines.offset(r.end));
    const check = (s: DocumentSymbol) => assert.ok(inside(s.selectionRange, s.range), s.name);
    for (const group of outline) {
      check(group);
      for (const child of group.children!) {
        check(child);
        assert.ok(inside(child.range, group.range), `${child.name} inside ${group.name}`);
      }
    }
    const sp1 = outline[1]!.children![0]!;
    assert.equal(slice(sp1.selectionRange), 'SP1');
    assert.match(slice(sp1.range), /^server SP1 \{[\s\S]*hub\n\}$/);
    const conn = outline[7]!.children![3]!;
    assert.equal(slice(conn.selectionRange), 'SP1 -> SP2');
    assert.equal(slice(conn.range), 'SP1 -> SP2 { purpose replication }');
  });

  it('lists a partial file without failing and leaves out empty groups', () => {
    const symbols = documentSymbols(analyzeText('client A {\n  trusts\nA -> \nserver'));
    assert.deepEqual(symbols.map((s) => s.name), ['Clients', 'Connections']);
    assert.equal(symbols[1]!.children![0]!.name, 'A -> ?');
    assert.deepEqual(documentSymbols(analyzeText('')), []);
  });
});

describe('workspaceSymbols', () => {
  const docs = [
    { uri: 'file:///a.sptls', analysis: analyzeText(specExample()) },
    { uri: 'file:///b.sptls', analysis: analyzeText('server sp1b\nclient Other') },
  ];
  const names = (query: string) => workspaceSymbols(docs, query).map((s) => s.name);

  it('matches case-insensitively, best matches first', () => {
    assert.deepEqual(names('sp1'), ['SP1', 'SP1DB', 'SP1 -> SP2', 'SP1 -> DIR', 'SP1 -> SP1DB', 'sp1b', 'NODE1 -> SP1', 'STA1 -> SP1', 'OC -> SP1']);
  });

  it('matches a subsequence', () => {
    assert.deepEqual(names('cpi'), ['CorpIssuing']);
    assert.deepEqual(names('nd1'), ['NODE1', 'NODE1 -> SP1', 'NODE1 -> STA1']);
  });

  it('says where each symbol is and what it is', () => {
    const [other] = workspaceSymbols(docs, 'Other');
    assert.equal(other!.location.uri, 'file:///b.sptls');
    assert.deepEqual(other!.location.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } });
    assert.equal(other!.containerName, 'Clients');
  });

  it('lists everything for an empty query and nothing for a query that matches nothing', () => {
    assert.equal(names('').length, 9 + 7 + 2, 'declarations and connections of both files');
    assert.deepEqual(names('zzz'), []);
  });
});
