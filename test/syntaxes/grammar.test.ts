// The TextMate grammar: its unit and snapshot cases through the real vscode-tmgrammar
// tools (which load it through package.json's `contributes.grammars`, so a broken
// contribution fails here too), and its keyword lists against the lexer's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYWORDS, KIND_KEYWORDS } from '../../grammar/src/tokens.ts';

const root = join(import.meta.dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'sptls.tmLanguage.json');

/** Scopes that mark a keyword; the regex group they cover lists keywords only. */
const KEYWORD_SCOPES = new Set(['storage.type.kind.sptls', 'keyword.other.property.sptls', 'constant.language.sptls']);

function runTool(tool: string, glob: string): string {
  const bin = join(root, 'node_modules', '.bin', tool);
  const r = spawnSync(process.execPath, [bin, glob], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, `${tool} ${glob} exited ${r.status ?? r.signal}:\n${output}`);
  return output;
}

function casesIn(dir: string): string[] {
  return readdirSync(join(root, dir)).filter((f) => f.endsWith('.sptls')).sort();
}

test('unit cases pass under vscode-tmgrammar-test', () => {
  const cases = casesIn('test/syntaxes/unit');
  assert.ok(cases.length > 0, 'no unit cases in test/syntaxes/unit');
  const output = runTool('vscode-tmgrammar-test', 'test/syntaxes/unit/*.sptls');
  for (const c of cases) assert.match(output, new RegExp(`✓ test/syntaxes/unit/${c.replace(/\./g, '\\.')} `), `${c} did not run`);
});

test('snapshots match under vscode-tmgrammar-snap', () => {
  const cases = casesIn('test/syntaxes/snap');
  assert.ok(cases.length > 0, 'no snapshot cases in test/syntaxes/snap');
  // Without its .snap the tool writes a fresh one and passes: a missing snapshot must fail instead.
  for (const c of cases) assert.ok(existsSync(join(root, 'test/syntaxes/snap', `${c}.snap`)), `${c}.snap is missing: run vscode-tmgrammar-snap -u and commit it`);
  runTool('vscode-tmgrammar-snap', 'test/syntaxes/snap/*.sptls');
});

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
}

/** The text of capturing group `index` (1-based) of a regex source, or undefined. */
function captureGroup(source: string, index: number): string | undefined {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') { inClass = true; continue; }
    if (ch !== '(' || source[i + 1] === '?') continue;
    if (++count < index) continue;
    let depth = 0;
    for (let j = i; j < source.length; j++) {
      const c = source[j];
      if (c === '\\') { j++; continue; }
      if (inClass) { if (c === ']') inClass = false; continue; }
      if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return source.slice(i + 1, j);
    }
    return undefined;
  }
  return undefined;
}

interface KeywordGroup { scope: string; words: string[] }

/** Every keyword alternation in the grammar, with the scope it is given. */
function keywordGroups(grammar: unknown): KeywordGroup[] {
  const groups: KeywordGroup[] = [];
  const take = (source: string | undefined, index: number, scope: string, where: string) => {
    assert.ok(source !== undefined, `${where}: a ${scope} rule without a regex`);
    const group = captureGroup(source, index);
    assert.ok(group !== undefined, `${where}: ${scope} names group ${index}, which ${source} lacks`);
    const words = group.split('|');
    for (const w of words) assert.match(w, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${where}: ${scope} group holds ${JSON.stringify(w)}, not a literal keyword`);
    groups.push({ scope, words });
  };
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) { node.forEach((n, i) => visit(n, `${where}[${i}]`)); return; }
    if (node === null || typeof node !== 'object') return;
    const rule = node as Rule;
    if (rule.name !== undefined && KEYWORD_SCOPES.has(rule.name) && rule.match !== undefined) take(rule.match, 1, rule.name, where);
    for (const [source, caps] of [[rule.match, rule.captures], [rule.begin, rule.beginCaptures]] as const) {
      for (const [index, cap] of Object.entries(caps ?? {})) {
        if (cap.name !== undefined && KEYWORD_SCOPES.has(cap.name)) take(source, Number(index), cap.name, `${where}.${index}`);
      }
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${where}.${key}`);
  };
  visit(grammar, '$');
  return groups;
}

test('the grammar highlights exactly the lexer keywords', () => {
  const groups = keywordGroups(JSON.parse(readFileSync(grammarPath, 'utf8')));
  const highlighted = new Set(groups.flatMap((g) => g.words));
  const lexer = new Set<string>(KEYWORDS);
  assert.deepEqual([...lexer].filter((k) => !highlighted.has(k)), [], 'keywords of grammar/src/tokens.ts the TM grammar does not highlight');
  assert.deepEqual([...highlighted].filter((k) => !lexer.has(k)), [], 'TM grammar keywords that grammar/src/tokens.ts does not have');
  const kinds = new Set(groups.filter((g) => g.scope === 'storage.type.kind.sptls').flatMap((g) => g.words));
  assert.deepEqual([...kinds].sort(), [...KIND_KEYWORDS].sort(), 'kind keywords differ from KIND_KEYWORDS');
});

test('captureGroup finds groups past classes, escapes and non-capturing groups', () => {
  const source = '(?:x)[(]\\((a|b(?:c))(d)';
  assert.equal(captureGroup(source, 1), 'a|b(?:c)');
  assert.equal(captureGroup(source, 2), 'd');
  assert.equal(captureGroup(source, 3), undefined);
});
