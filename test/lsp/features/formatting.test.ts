import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, type Block } from '../../../grammar/src/index.ts';
import { LineComment, tokenize } from '../../../grammar/src/tokens.ts';
import { format } from '../../../server/src/format/format.ts';
import { formatDocument } from '../../../server/src/lsp/features/formatting.ts';
import { analyzeText, applyTextEdits } from '../helpers.ts';
import { SHARED, specExample } from '../spec-example.ts';

const FIXTURES = new URL('../fixtures/format/', import.meta.url);
const CONFORMANCE = new URL('conformance/', SHARED);
const read = (url: URL) => readFileSync(url, 'utf8');

/** Everything but whitespace and `;`, which are all a formatter may add or drop. */
const content = (text: string) => text.replace(/[\s;]+/g, '');

/** Diagnostics by rule id and the text they cover: layout must not change what the file means. */
const meaning = (text: string) => {
  const a = analyzeText(text);
  return a.diagnostics.map((d) => `${d.code} ${text.slice(d.start, d.end)}`).sort();
};

function assertFormatsSafely(text: string): string {
  const once = format(text);
  assert.equal(once.refused, undefined);
  assert.equal(content(once.text), content(text), 'only whitespace and ; may change');
  assert.deepEqual(parse(once.text).errors, []);
  assert.deepEqual(meaning(once.text), meaning(text));
  const twice = format(once.text);
  assert.equal(twice.text, once.text, 'format(format(x)) == format(x)');
  assert.equal(twice.changed, false);
  return once.text;
}

describe('format: whole files', () => {
  it('keeps the spec §1 example as written (it is already in canonical form)', () => {
    const example = specExample();
    const result = format(example);
    assert.equal(result.text, example);
    assert.equal(result.changed, false);
  });

  const conformance = readdirSync(CONFORMANCE).filter((f) => f.endsWith('.sptls')).sort();
  const clean = conformance.filter((f) => parse(read(new URL(f, CONFORMANCE))).errors.length === 0);
  it('finds conformance cases without syntax errors to format', () => assert.ok(clean.length >= 10, `${clean.length} clean cases`));
  for (const file of clean) {
    it(`formats conformance ${file} idempotently without changing its content or meaning`, () => {
      assertFormatsSafely(read(new URL(file, CONFORMANCE)));
    });
  }

  it('lays out a messy file with comments as the expected fixture', () => {
    const input = read(new URL('messy.sptls', FIXTURES));
    const expected = read(new URL('messy.formatted.sptls', FIXTURES));
    assert.equal(assertFormatsSafely(input), expected);
    assert.equal(format(expected).changed, false);
  });

  for (const file of conformance.filter((f) => !clean.includes(f))) {
    it(`refuses ${file}, which has syntax errors, and returns it untouched`, () => {
      const text = read(new URL(file, CONFORMANCE));
      const result = format(text);
      assert.equal(result.text, text);
      assert.equal(result.changed, false);
      assert.deepEqual(result.refused, parse(text).errors[0]);
    });
  }
});

// [what, input, expected]
const cases: Array<[string, string, string]> = [
  ['drops ; and spaces ->', 'client A;;\nA->B;', 'client A\nA -> B\n'],
  ['one statement per line', 'client A client B A -> B plain', 'client A\nclient B\nA -> B plain\n'],
  ['collapses blank lines and strips them at the ends', '\n\nclient A\n\n\n\nclient B\n\n\n', 'client A\n\nclient B\n'],
  ['keeps a one-line block on one line', 'client   N  {trusts R,S}', 'client N { trusts R, S }\n'],
  ['expands a block written over several lines', 'client N {\ntrusts R }', 'client N {\n  trusts R\n}\n'],
  ['writes an empty block as {}', 'db2 X {\n\n}', 'db2 X {}\n'],
  ['expands a one-line block that would pass 100 columns',
    `server S { address "${'a'.repeat(70)}.example.com" port 1500 }`,
    `server S {\n  address "${'a'.repeat(70)}.example.com"\n  port 1500\n}\n`],
  ['expands a block holding a comment', 'client N { trusts R /* why */ }', 'client N {\n  trusts R /* why */\n}\n'],
  ['expands a one-line block holding a multi-line block', 'server S { certificate self-signed {\nkey rsa 2048 } }',
    'server S {\n  certificate self-signed {\n    key rsa 2048\n  }\n}\n'],
  ['nests certificate blocks', 'server S {\n  port 1500 certificate signed-by C {\n key rsa 2048\n valid 1 year } }',
    'server S {\n  port 1500\n  certificate signed-by C {\n    key rsa 2048\n    valid 1 year\n  }\n}\n'],
  ['keeps strings exactly as written', 'ca C { subject "CN=a\\"b\\\\c,  O=x" file "C:\\tsm\\ca.arm" }',
    'ca C { subject "CN=a\\"b\\\\c,  O=x" file "C:\\tsm\\ca.arm" }\n'],
  ['aligns trailing comments of consecutive lines', 'A -> B # one\nLONGER -> B plain # two\nC -> D\nE -> F   # three',
    'A -> B            # one\nLONGER -> B plain # two\nC -> D\nE -> F            # three\n'],
  ['keeps a comment on its own line, indented with the block', 'client N {\n# first\n  trusts R\n    # last\n}',
    'client N {\n  # first\n  trusts R\n  # last\n}\n'],
  ['continues a statement cut by a line comment one level deeper', 'client N { trusts R, # r\nS }',
    'client N {\n  trusts R, # r\n    S\n}\n'],
  ['keeps CRLF line ends', 'client A {\r\ntrusts B }\r\n', 'client A {\r\n  trusts B\r\n}\r\n'],
  ['keeps a byte-order mark', '\ufeffclient A;', '\ufeffclient A\n'],
  ['formats an empty file to nothing', ' \n\n ;; \n', ''],
  ['keeps a suppression comment right before its statement', '# sptls-ignore unused-ca\n\n\nca X\n# sptls-ignore unused-ca -- kept\nca Y',
    '# sptls-ignore unused-ca\n\nca X\n# sptls-ignore unused-ca -- kept\nca Y\n'],
];

describe('format: layout rules', () => {
  for (const [what, input, expected] of cases) {
    it(what, () => {
      assert.equal(format(input).text, expected);
      assert.equal(format(expected).text, expected, 'idempotent');
    });
  }

  it('refuses an unterminated string or block comment instead of losing text', () => {
    for (const text of ['client A { trusts B }\nca X { subject "CN=x }', 'client A /* open', 'client A { trusts B', 'client A = 1']) {
      const result = format(text);
      assert.equal(result.text, text);
      assert.equal(result.changed, false);
      assert.ok(result.refused, text);
    }
  });
});

/** Offsets of the tokens a `;` may stand before: statements, properties and closing braces. */
function semicolonSpots(text: string): Set<number> {
  const spots = new Set<number>();
  const visit = (block: Block | null | undefined): void => {
    if (!block) return;
    spots.add(block.end - 1);
    for (const p of block.properties) { spots.add(p.start); visit(p.block); }
  };
  for (const st of parse(text).ast.statements) { spots.add(st.start); visit(st.block); }
  return spots;
}

/** The same tokens and comments with random whitespace, line ends and (where allowed) `;` between them. */
function reshuffled(text: string, seed: number): string {
  let state = seed;
  const random = (n: number) => { state = (state * 1103515245 + 12345) % 2147483648; return Math.floor((state / 2147483648) * n); };
  const gaps = [' ', '\n', '\n\n\n', '\t', '\r\n'];
  const spots = semicolonSpots(text);
  const lexed = tokenize(text);
  const pieces = [...lexed.tokens, ...lexed.comments].filter((t) => t.image !== ';').sort((a, b) => a.startOffset - b.startOffset);
  return pieces.map((t, i) => {
    let gap = gaps[random(gaps.length)]!;
    if (t.tokenType === LineComment && !gap.includes('\n')) gap += '\n';
    const next = pieces[i + 1];
    if (next && spots.has(next.startOffset) && random(3) === 0) gap += ';';
    return t.image + gap;
  }).join('');
}

describe('format: any layout of the same tokens', () => {
  const files = ['01-clean.sptls', '07-hubspoke.sptls', '13-files.sptls'].map((f) => read(new URL(f, CONFORMANCE)));
  files.push(read(new URL('messy.sptls', FIXTURES)));
  for (const [i, text] of files.entries()) {
    it(`keeps content and meaning of 25 random layouts of file ${i + 1}`, () => {
      for (let seed = 1; seed <= 25; seed++) assertFormatsSafely(reshuffled(text, seed * 7919 + i));
    });
  }
});

describe('formatDocument', () => {
  it('returns one whole-document edit that yields the formatted text', () => {
    const text = read(new URL('messy.sptls', FIXTURES));
    const edits = formatDocument(analyzeText(text), { tabSize: 4, insertSpaces: true });
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0]!.range.start, { line: 0, character: 0 });
    assert.equal(applyTextEdits(text, edits), read(new URL('messy.formatted.sptls', FIXTURES)));
  });

  it('returns no edit for formatted text or text with syntax errors', () => {
    assert.deepEqual(formatDocument(analyzeText(specExample()), { tabSize: 2, insertSpaces: true }), []);
    assert.deepEqual(formatDocument(analyzeText('client A {\n  port = 1\n}'), { tabSize: 2, insertSpaces: true }), []);
  });
});
