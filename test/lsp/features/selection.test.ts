import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SelectionRange } from 'vscode-languageserver';
import { selectionRanges } from '../../../server/src/lsp/features/selection.ts';
import { marked } from '../../support/markers.ts';
import { analyzeText } from '../helpers.ts';

const FILE = `ca CA
server S {
  certificate signed-by C|A { key rsa 20|48 }
  trusts CA, S|2 # why
  |
}
S| -> S2 { purpose |replication }
`;

const BLOCK = `{
  certificate signed-by CA { key rsa 2048 }
  trusts CA, S2 # why
  
}`;
const SERVER = `server S ${BLOCK}`;

// The expected texts of each cursor's selection chain, innermost first (the whole file last).
const expected: string[][] = [
  ['CA', 'certificate signed-by CA { key rsa 2048 }', BLOCK, SERVER],
  ['2048', 'key rsa 2048', '{ key rsa 2048 }', 'certificate signed-by CA { key rsa 2048 }', BLOCK, SERVER],
  ['S2', 'trusts CA, S2', BLOCK, SERVER],
  [BLOCK, SERVER],
  ['S', 'S -> S2 { purpose replication }'],
  ['replication', 'purpose replication', '{ purpose replication }', 'S -> S2 { purpose replication }'],
];

function chain(text: string, lines: ReturnType<typeof analyzeText>['lines'], range: SelectionRange | undefined): string[] {
  const out: string[] = [];
  for (let r = range; r; r = r.parent) out.push(text.slice(lines.offset(r.range.start), lines.offset(r.range.end)));
  return out;
}

describe('selectionRanges', () => {
  const { text, cursors } = marked(FILE);
  const analysis = analyzeText(text);
  const result = selectionRanges(analysis, cursors.map((c) => analysis.lines.position(c)));

  it('answers every position', () => assert.equal(result.length, cursors.length));
  for (const [i, want] of expected.entries()) {
    it(`grows from ${JSON.stringify(want[0]!.slice(0, 20))} to the whole file`, () => {
      assert.deepEqual(chain(text, analysis.lines, result[i]), [...want, text]);
    });
  }

  it('selects a comment, then outward', () => {
    const { text: t, cursors: [c] } = marked('ca R\nclient N { trusts R # wh|y\n}\n');
    const a = analyzeText(t);
    assert.deepEqual(chain(t, a.lines, selectionRanges(a, [a.lines.position(c!)])[0]), ['# why', '{ trusts R # why\n}', 'client N { trusts R # why\n}', t]);
  });

  it('selects the whole file from between statements', () => {
    const { text: t, cursors: [c] } = marked('ca R\n|\nca S\n');
    const a = analyzeText(t);
    assert.deepEqual(chain(t, a.lines, selectionRanges(a, [a.lines.position(c!)])[0]), [t]);
  });
});
