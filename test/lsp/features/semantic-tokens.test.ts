import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semanticTokens, semanticTokensLegend } from '../../../server/src/lsp/features/semantic-tokens.ts';
import { analyzeText } from '../helpers.ts';

const TEXT = `/* two
   lines */ ca Root { key rsa 4096 }
server S { address "s.example.com" version 8.1.22 certificate signed-by Root trusts Root, Ghost }
client C { trusts S } # trailing
C -> S plain { purpose backup }
`;

interface Decoded {
  line: number;
  character: number;
  text: string;
  type: string;
  modifiers: string[];
}

/** Undoes the relative encoding: absolute positions, names for types and modifiers. */
function decode(text: string, data: number[]): Decoded[] {
  const lines = text.split('\n');
  const out: Decoded[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, length, type, bits] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dLine;
    character = dLine === 0 ? character + dChar : dChar;
    out.push({
      line, character,
      text: lines[line]!.slice(character, character + length),
      type: semanticTokensLegend.tokenTypes[type]!,
      modifiers: semanticTokensLegend.tokenModifiers.filter((_, b) => bits & (1 << b)),
    });
  }
  return out;
}

describe('semanticTokens', () => {
  const tokens = decode(TEXT, semanticTokens(analyzeText(TEXT)).data);
  const find = (line: number, text: string) => {
    const t = tokens.find((x) => x.line === line && x.text === text);
    assert.ok(t, `a token ${text} on line ${line}`);
    return [t.type, t.modifiers];
  };

  it('uses only standard token types and modifiers', () => {
    const standardTypes = ['keyword', 'class', 'type', 'variable', 'string', 'number', 'comment', 'operator', 'enumMember', 'property'];
    assert.ok(semanticTokensLegend.tokenTypes.every((t) => standardTypes.includes(t)));
    assert.deepEqual(semanticTokensLegend.tokenModifiers, ['declaration', 'readonly']);
  });

  const cases: Array<[number, string, string, string[]]> = [
    [1, 'ca', 'keyword', []],
    [1, 'Root', 'class', ['declaration', 'readonly']],
    [1, 'key', 'keyword', []],
    [1, 'rsa', 'keyword', []],
    [1, '4096', 'number', []],
    [2, 'S', 'class', ['declaration']],
    [2, '"s.example.com"', 'string', []],
    [2, '8.1.22', 'number', []],
    [2, 'signed-by', 'keyword', []],
    [2, 'Root', 'variable', ['readonly']],
    [2, 'Ghost', 'variable', []],
    [3, 'S', 'variable', []],
    [3, '# trailing', 'comment', []],
    [4, 'C', 'variable', []],
    [4, '->', 'operator', []],
    [4, 'plain', 'keyword', []],
    [4, 'purpose', 'keyword', []],
    [4, 'backup', 'enumMember', []],
  ];
  for (const [line, text, type, modifiers] of cases) {
    it(`${text} on line ${line + 1} is ${[...modifiers, type].join(' ')}`, () => {
      assert.deepEqual(find(line, text), [type, modifiers]);
    });
  }

  it('splits a multi-line block comment into one token per line', () => {
    assert.deepEqual(tokens.filter((t) => t.type === 'comment' && t.line < 2).map((t) => [t.line, t.character, t.text]), [
      [0, 0, '/* two'],
      [1, 0, '   lines */'],
    ]);
  });

  it('covers every word of the text once, in order, without overlap', () => {
    for (let i = 1; i < tokens.length; i++) {
      const [a, b] = [tokens[i - 1]!, tokens[i]!];
      assert.ok(b.line > a.line || b.character >= a.character + a.text.length, `${a.text} before ${b.text}`);
    }
    const words = TEXT.replace(/\/\*[\s\S]*?\*\/|#.*$/gm, ' ').match(/"[^"]*"|->|[A-Za-z0-9_.-]+/g)!;
    assert.deepEqual(tokens.filter((t) => t.type !== 'comment').map((t) => t.text), words);
  });

  it('gives tokens for a file with syntax errors without failing', () => {
    const broken = decode('client C { trusts Nope port = }\n', semanticTokens(analyzeText('client C { trusts Nope port = }\n')).data);
    assert.ok(broken.some((t) => t.text === 'Nope' && t.type === 'variable'));
  });
});
