// Every feature of this folder answers on any prefix of a file (what an editor sees
// while the user types) without throwing, and its ranges stay inside the text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Range } from 'vscode-languageserver';
import { foldingRanges } from '../../../server/src/lsp/features/folding.ts';
import { formatDocument } from '../../../server/src/lsp/features/formatting.ts';
import { definition, documentHighlights, prepareRename, references, rename } from '../../../server/src/lsp/features/navigation.ts';
import { selectionRanges } from '../../../server/src/lsp/features/selection.ts';
import { semanticTokens } from '../../../server/src/lsp/features/semantic-tokens.ts';
import { documentSymbols, workspaceSymbols } from '../../../server/src/lsp/features/symbols.ts';
import { analyzeText } from '../helpers.ts';
import { SHARED } from '../spec-example.ts';

const SOURCES = [
  readFileSync(new URL('../fixtures/format/messy.sptls', import.meta.url), 'utf8'),
  readFileSync(new URL('conformance/10-syntax-recovery.sptls', SHARED), 'utf8'),
  'server S { certificate signed-by { san } trusts , -> ; } -> -> A B { purpose } /* open',
];

describe('features on partial input', () => {
  for (const [n, source] of SOURCES.entries()) {
    it(`answer on every prefix of source ${n + 1}`, () => {
      for (let cut = 0; cut <= source.length; cut += 3) {
        const text = source.slice(0, cut);
        const a = analyzeText(text);
        const end = a.lines.position(text.length);
        const within = (r: Range) => assert.ok(r.start.line <= end.line && r.end.line <= end.line, `range inside the text at cut ${cut}`);
        const positions = [0, Math.floor(cut / 2), Math.max(0, cut - 1), cut].map((o) => a.lines.position(o));
        for (const p of positions) {
          definition(a, 'u', p);
          references(a, 'u', p, true).forEach((l) => within(l.range));
          documentHighlights(a, p);
          prepareRename(a, p);
          rename(a, 'u', p, 'Renamed');
        }
        selectionRanges(a, positions).forEach((s) => within(s.range));
        foldingRanges(a).forEach((f) => assert.ok(f.endLine <= end.line));
        semanticTokens(a);
        documentSymbols(a).forEach((s) => within(s.range));
        workspaceSymbols([{ uri: 'u', analysis: a }], 's');
        const edits = formatDocument(a, { tabSize: 2, insertSpaces: true });
        if (a.parse.errors.length > 0) assert.deepEqual(edits, []);
      }
    });
  }
});
