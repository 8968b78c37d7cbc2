// language-configuration.json and the package.json entries that wire the editor
// assets in: word selection, indentation, auto-closing, and files that must exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const readJson = (rel: string): any => JSON.parse(readFileSync(join(root, rel), 'utf8'));
const config = readJson('language-configuration.json');

/** The words VS Code would select in `text`: the wordPattern's matches. */
function words(text: string): string[] {
  return [...text.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
}

const wordCases: Array<[string, string[]]> = [
  ['sp1.example.com', ['sp1.example.com']],
  ['lib-mgr_2', ['lib-mgr_2']],
  ['NODE1', ['NODE1']],
  ['A->B', ['A', 'B']],
  ['storage-agent-2->x.y', ['storage-agent-2', 'x.y']],
  ['version 8.1.22;', ['version', '8.1.22']],
  ['trusts A, B_1', ['trusts', 'A', 'B_1']],
  ['name. next', ['name', 'next']],
];
for (const [text, expected] of wordCases) {
  test(`wordPattern splits ${JSON.stringify(text)} into ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(words(text), expected);
  });
}

const indentCases: Array<[string, boolean]> = [
  ['server SP1 {', true],
  ['  certificate signed-by CA {   # block follows', true],
  ['ca R { subject "x" } server S {', true],
  ['ca X { file "C:\\a}" ', true],
  ['server S { port 1500 }', false],
  ['# a comment {', false],
  ['  address "a{b"', false],
  ['client C // {', false],
];
for (const [line, indents] of indentCases) {
  test(`the line after ${JSON.stringify(line)} is ${indents ? '' : 'not '}indented`, () => {
    assert.equal(new RegExp(config.indentationRules.increaseIndentPattern).test(line), indents);
  });
}

test('a line starting with } is outdented, others are not', () => {
  const outdent = new RegExp(config.indentationRules.decreaseIndentPattern);
  assert.ok(outdent.test('  } '));
  assert.ok(outdent.test('}'));
  assert.ok(!outdent.test('  trusts A }'));
});

test('comments, brackets and pairs match the language', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  assert.deepEqual(config.brackets, [['{', '}']]);
  for (const open of ['{', '"']) {
    const pair = config.autoClosingPairs.find((p: { open: string }) => p.open === open);
    assert.ok(pair, `no auto-closing pair for ${open}`);
    assert.deepEqual([...pair.notIn].sort(), ['comment', 'string'], `${open} must not auto-close inside strings or comments`);
  }
  assert.deepEqual(config.surroundingPairs, [['{', '}'], ['"', '"']]);
});

test('package.json contributes the grammar, configuration and icons, and their files exist', () => {
  const pkg = readJson('package.json');
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'sptls');
  const grammar = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'sptls');
  assert.equal(grammar.scopeName, 'source.sptls');
  assert.equal(readJson(grammar.path).scopeName, grammar.scopeName);
  const paths = [grammar.path, lang.configuration, lang.icon.light, lang.icon.dark, pkg.icon];
  for (const p of paths) assert.ok(existsSync(join(root, p)), `${p} named in package.json does not exist`);
  assert.equal(join(root, lang.configuration), join(root, 'language-configuration.json'));
});

test('the extension icon is a 128×128 PNG', () => {
  const png = readFileSync(join(root, readJson('package.json').icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});
