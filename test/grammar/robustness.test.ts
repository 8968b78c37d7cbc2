// A seeded generator feeds thousands of random and mutated inputs to parse + analysis.
// Each must come back with diagnostics and no exception. The whole run must finish
// within RUN_BOUND_MS on the 2-core CI machine (it takes a fraction of that).
// The parser runs with rethrowInternalErrors: its catch-all would otherwise turn a crash
// into an "internal parser error" diagnostic this test could not tell from a normal one.
// SPTLS_FUZZ_SEED=N replays a run; a failure prints its seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis/engine.ts';
import { KEYWORDS, parse } from '../../grammar/src/index.ts';
import { fuzzSeed, rng } from '../support/random.ts';

const RUN_BOUND_MS = 120_000;
const SEED = fuzzSeed(20261126);
const INPUTS = 5_000;
const noFiles = { read: () => ({ ok: false as const, reason: 'no files in the fuzz test' }) };

const root = join(import.meta.dirname, '..', '..');
const corpus = [
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.sptls')).map((f) => readFileSync(join(root, 'examples', f), 'utf8')),
  ...readdirSync(join(root, 'test', 'rules', 'cases')).filter((f) => f.endsWith('.sptls')).map((f) => readFileSync(join(root, 'test', 'rules', 'cases', f), 'utf8')),
];
const fragments = [...KEYWORDS, '{', '}', '->', ',', ';', '"', '"x', '/*', '*/', '#', '//', '\\', '\u0000', '\uFEFF', '1.2', '8.1.22', '99999999999999999999', 'A', 'SP1', '\n', ' ', '\r\n', 'é', '🔒', '\uD800'];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = () => Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 6)) {
    case 0: return text.slice(0, at()); // truncation
    case 1: { const i = at(); return text.slice(0, i) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(i); } // garbage byte
    case 2: { const i = at(); return text.slice(0, i) + pick(fragments) + text.slice(i); }
    case 3: { const i = at(); const j = at(); return text.slice(0, Math.min(i, j)) + text.slice(Math.max(i, j)); } // deletion
    case 4: { const i = at(); return text.slice(0, i) + '\u0000'.repeat(1 + Math.floor(r() * 8)) + text.slice(i); }
    default: return Array.from({ length: 1 + Math.floor(r() * 60) }, () => pick(fragments)).join(r() < 0.5 ? ' ' : ''); // random tokens
  }
}

function mustAnalyze(text: string, what: string): void {
  let result;
  try {
    result = analyze(text, { certificateFiles: noFiles, now: new Date('2026-01-01T00:00:00Z'), parse: { rethrowInternalErrors: true } });
  } catch (e) {
    assert.fail(`${what} (SPTLS_FUZZ_SEED=${SEED}): threw ${(e as Error).stack}\ninput (first 300 chars): ${JSON.stringify(text.slice(0, 300))}`);
  }
  const internal = result.diagnostics.find((d) => /internal/i.test(d.message));
  assert.equal(internal, undefined, `${what} (SPTLS_FUZZ_SEED=${SEED}): ${internal?.message}`);
  for (const d of result.diagnostics) {
    assert.ok(Number.isInteger(d.start) && d.start >= 0 && d.end >= d.start && d.end <= text.length, `${what}: ${d.code} has a real range`);
  }
}

test(`${INPUTS} random and mutated inputs never throw (bound ${RUN_BOUND_MS} ms)`, () => {
  const started = performance.now();
  const r = rng(SEED);
  for (let i = 0; i < INPUTS; i++) {
    let text = corpus[i % corpus.length]!;
    const rounds = 1 + Math.floor(r() * 4);
    for (let k = 0; k < rounds; k++) text = mutate(text, r);
    mustAnalyze(text, `input #${i}`);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < RUN_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
});

test('pathological inputs return diagnostics without an exception', () => {
  const started = performance.now();
  const cases: Record<string, string> = {
    'a 1 MB single line': `client C { trusts ${'A, '.repeat(330_000)}B }`,
    'a 1 MB string': `client C { keydb "${'x'.repeat(1_000_000)}" }`,
    '10,000 nested braces': `server S ${'{'.repeat(10_000)}${'}'.repeat(10_000)}`,
    '10,000 nested certificate blocks': `server S { ${'certificate self-signed { '.repeat(10_000)}${'}'.repeat(10_000)} }`,
    'an unterminated string': 'server S { address "sp1.example.com\n port 1500 }\nclient C { trusts S }\nC -> S',
    'an unterminated comment': 'server S { } /* and then nothing closes\nclient C { }',
    '1 MB of NUL': '\u0000'.repeat(1_000_000),
    'only a byte-order mark': '\uFEFF',
    'lone surrogates': 'server \uD800 { address "\uDC00" }',
    'CRLF everywhere': 'server S {\r\n  port 1500\r\n}\r\nclient C { trusts S }\r\nC -> S\r\n',
    '20,000 errors in one block': `server S { ${'port = '.repeat(20_000)} }`,
  };
  for (const [what, text] of Object.entries(cases)) mustAnalyze(text, what);
  assert.ok(performance.now() - started < RUN_BOUND_MS);
});

test('a parser crash is a diagnostic for the editor and an exception for the fuzz tests', () => {
  // Not a string: the lexer fails on it inside the parser's catch-all.
  const broken = { length: 3, charCodeAt: () => 65 } as unknown as string;
  const quiet = parse(broken);
  assert.match(quiet.errors[0]?.message ?? '', /^internal parser error: /);
  assert.throws(() => parse(broken, { rethrowInternalErrors: true }), (e: unknown) => e instanceof Error && !/internal parser error/.test(e.message));
});
