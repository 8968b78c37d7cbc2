// Completion context comes from the real grammar (grammar/src/parser.ts rulesOpenAtEnd),
// not from a second hand-written walk of the tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rulesOpenAtEnd } from '../../grammar/src/parser.ts';
import { tokenize } from '../../grammar/src/tokens.ts';
import { completion } from '../../server/src/lsp/features/completion.ts';
import { withCursor } from '../support/markers.ts';
import { analyzeText } from './helpers.ts';

const open = (text: string): string[] | null => rulesOpenAtEnd(tokenize(text).tokens);

test('the grammar says which rules are open where the input runs out', () => {
  assert.deepEqual(open('server A'), []);
  assert.deepEqual(open('server'), ['file', 'declaration']);
  assert.deepEqual(open('A ->'), ['file', 'connection']);
  assert.deepEqual(open('server A {'), ['file', 'declaration', 'block']);
  assert.deepEqual(open('server A { keydb'), ['file', 'declaration', 'block', 'property']);
  assert.deepEqual(open('server A { certificate self-signed {'), ['file', 'declaration', 'block', 'property', 'block']);
  assert.deepEqual(open('A -> B {'), ['file', 'connection', 'block']);
  // A failure before the end says nothing about the end.
  assert.equal(open('server A { port "x" }'), null);
});

const labelsAt = (marked: string): string[] => {
  const { text, offset } = withCursor(marked);
  const a = analyzeText(text);
  return completion(a, a.lines.position(offset)).map((i) => i.label);
};

test('a comma after a misspelt property is not a trusts list, even after a trusts line', () => {
  // The hand-written walker remembered `trusts` as the last property and offered names here.
  const text = 'ca Root\nca Other\nserver X {\n  trusts Root\n  trsts Root, |';
  assert.ok(!labelsAt(text).includes('Other'));
  assert.ok(labelsAt('ca Root\nca Mid\nserver X {\n  trusts Root, |').includes('Mid'));
});

test('the grammar recovers from an error earlier in the block', () => {
  assert.deepEqual(open('server X { port "x" hub'), ['file', 'declaration', 'block']);
  const labels = labelsAt('server X {\n  port "x"\n  hub\n  |');
  assert.ok(labels.includes('address') && !labels.includes('hub'), labels.join(', '));
});
