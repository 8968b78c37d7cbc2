import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldingRanges } from '../../../server/src/lsp/features/folding.ts';
import { analyzeText } from '../helpers.ts';

const TEXT = [
  '# header one', //             0
  '# header two', //             1
  'ca Root {', //                2
  '  subject "CN=Root"', //      3
  '}', //                        4
  'server S {', //               5
  '  certificate self-signed {', // 6
  '    key rsa 2048', //         7
  '  }', //                      8
  '  port 1500 # trailing', //   9
  '  # own line', //             10
  '}', //                        11
  '/* block', //                 12
  '   comment */', //            13
  'client C { trusts Root }', // 14
  'A -> S { purpose x', //       15
  '  port 2 }', //               16
  '# single', //                 17
  'A -> S # a', //               18
  'S -> A # b', //               19
  '  # indented run', //         20
  '  // of two', //              21
  'client D {', //               22
].join('\n');

describe('foldingRanges', () => {
  it('folds multi-line blocks, block comments and runs of own-line comments', () => {
    const ranges = foldingRanges(analyzeText(TEXT)).map((r) => [r.startLine, r.endLine, r.kind ?? 'region']);
    assert.deepEqual(ranges, [
      [0, 1, 'comment'],
      [2, 3, 'region'], // up to the line before a `}` that stands alone
      [5, 10, 'region'],
      [6, 7, 'region'],
      [12, 13, 'comment'],
      [15, 16, 'region'], // the `}` ends a line of code: that line folds too
      [20, 21, 'comment'], // trailing comments on lines 18–19 are no run
    ]);
  });

  it('folds nothing in a file of one-line statements', () => {
    assert.deepEqual(foldingRanges(analyzeText('ca R\nclient C { trusts R } # x\n# y\n')), []);
  });

  it('folds an unclosed block to its last line', () => {
    assert.deepEqual(foldingRanges(analyzeText('client C {\n  trusts R\n  port 1\n')).map((r) => [r.startLine, r.endLine]), [[0, 2]]);
  });
});
