// Semantic highlighting from the AST: it knows what the TextMate grammar cannot —
// which names are declared here, which are references, and which name a CA.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Span } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { statementLeaves, type Leaf } from './at-position.ts';

const TOKEN_TYPES = ['keyword', 'class', 'variable', 'string', 'number', 'comment', 'operator', 'enumMember'] as const;
const TOKEN_MODIFIERS = ['declaration', 'readonly'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

function classify(leaf: Leaf): Omit<Token, 'start' | 'end'> {
  switch (leaf.kind) {
    case 'kind-keyword':
    case 'property-keyword':
      return { type: 'keyword', modifiers: [] };
    case 'declaration-name':
      return { type: 'class', modifiers: leaf.entity.kind === 'ca' ? ['declaration', 'readonly'] : ['declaration'] };
    case 'reference':
      return { type: 'variable', modifiers: leaf.target?.kind === 'ca' ? ['readonly'] : [] };
    case 'arrow':
      return { type: 'operator', modifiers: [] };
    case 'value': {
      const kind = leaf.span.kind;
      const type: TokenType = kind === 'string' ? 'string' : kind === 'integer' || kind === 'version' ? 'number' : kind === 'keyword' ? 'keyword' : 'enumMember';
      return { type, modifiers: [] };
    }
  }
}

/** One token per line of `span`: tokens may not cross line ends. */
function perLine(analysis: Analysis, span: Span): Span[] {
  const out: Span[] = [];
  const { lines, text } = analysis;
  for (let line = lines.lineOf(span.start); line < lines.lineCount; line++) {
    const start = Math.max(span.start, lines.lineStart(line));
    const nextLine = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
    let end = Math.min(span.end, nextLine);
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    if (end > start) out.push({ start, end });
    if (span.end <= nextLine) break;
  }
  return out;
}

export function semanticTokens(analysis: Analysis): SemanticTokens {
  const tokens: Token[] = [];
  for (const st of analysis.parse.ast.statements) {
    for (const leaf of statementLeaves(analysis, st)) tokens.push({ start: leaf.span.start, end: leaf.span.end, ...classify(leaf) });
  }
  for (const c of analysis.parse.ast.comments) {
    for (const part of perLine(analysis, c)) tokens.push({ ...part, type: 'comment', modifiers: [] });
  }
  tokens.sort((a, b) => a.start - b.start);

  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of tokens) {
    const { line, character } = analysis.lines.position(t.start);
    const modifiers = t.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    data.push(line - prevLine, line === prevLine ? character - prevChar : character, t.end - t.start, TOKEN_TYPES.indexOf(t.type), modifiers);
    prevLine = line;
    prevChar = character;
  }
  return { data };
}
