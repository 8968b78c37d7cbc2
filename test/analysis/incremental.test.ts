// The incremental layer must give exactly what a fresh analysis gives. Thousands of seeded
// random edits (typing and deleting, breaking and repairing syntax, renaming declarations,
// cutting and pasting blocks, edits in comments and strings, connections, trusts and
// certificate files) are applied to the rule-test topologies and the examples; after every step the spliced
// parse (statements, comments, errors) and the diagnostics are compared with
// `parse`/`analyze` of the same text. A failure names the seed and the step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index.ts';
import { analyze } from '../../server/src/analysis/engine.ts';
import { IncrementalDocument, type TextEdit } from '../../server/src/analysis/incremental.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { certificateFilesFor, DocumentStore } from '../../server/src/lsp/documents.ts';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { rng } from '../support/random.ts';

const casesDir = join(import.meta.dirname, '..', 'rules', 'cases');
const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
/**
 * Components crowded on three addresses and four ports, hubs and spokes, LAN-free paths:
 * edits here change what the model-only rules (whose diagnostics the incremental layer
 * reuses) say about statements other than the edited one.
 */
const crowded = [
  'ca Root { }',
  ...Array.from({ length: 12 }, (_, i) => `server SP${i} { address "10.0.0.${i % 3}" port ${1500 + (i % 4)} ssl-port ${1600 + (i % 2)}${i === 0 ? ' hub' : ` spoke-of SP${i % 4 === 3 ? 1 : 0}`} trusts Root }`),
  ...Array.from({ length: 6 }, (_, i) => `storage-agent A${i} { address "10.0.0.${i % 3}" port ${1500 + (i % 4)} }\nA${i} -> SP${i}`),
  ...Array.from({ length: 6 }, (_, i) => `client C${i} { trusts Root }\nC${i} -> A${i}\nC${i} -> SP${(i + 1) % 12}${i % 2 ? ' plain' : ''}`),
  ...Array.from({ length: 11 }, (_, i) => `SP0 -> SP${i + 1}${i % 5 ? '' : ' plain'}`),
].join('\n') + '\n';
/** The starting documents: the rule-test topologies, the examples and the crowded one. */
const corpus = [casesDir, examplesDir].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.sptls')).sort().map((f) => readFileSync(join(dir, f), 'utf8'))).concat(crowded);
const options = { certificateFiles: new DiskCertificateFiles(casesDir), now: new Date('2026-06-01T00:00:00Z') };

const SNIPPETS = [
  ' ', '\n', '{', '}', '"', '/*', '*/', '# ', '// ', '->', ';', ',', 'x', '1', '.',
  'client NEW { trusts Root }\n', 'server SPX {\n  port 1500\n}\n', 'ca CAX { }\n', 'NEW -> SP1\n', 'NEW -> SP1 plain\n',
  ' trusts Root', ' trusts Issuing, Root', ' certificate file "certs/good.pem"', ' certificate file "certs/expiring.pem"',
  ' certificate signed-by Root', ' certificate self-signed { san "a.example.com" }', ' port 1500', ' ssl-port 1543',
  ' address "x.example.com"', ' version 8.1.22', ' tls-min 1.3', ' key rsa 1024', ' hub', ' spoke-of SP1',
  '# sptls-ignore untrusted-responder\n', 'storage-agent STA { port 1502 }\n', 'db2 DB { port 51500 }\n',
  'ldap DIR { port 636 }\n', 'operations-center OC { trusts Root }\n', '"unterminated', '/* open comment',
  'A -> B -> C\n', 'server', 'client', 'ca', ' -> ', '\uFEFF',
];

/** The names declared in a text, for renames. */
function declaredNames(text: string): string[] {
  return [...text.matchAll(/\b(?:server|client|ca|storage-agent|db2|ldap|operations-center)\s+([A-Za-z_][\w.-]*)/g)].map((m) => m[1]!);
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** One random step: one or two edits (cut-and-paste is two), each in offsets of the text it applies to. */
function randomStep(text: string, rnd: () => number): TextEdit[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = () => Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.35) {
    const p = at();
    return [{ start: p, end: p, text: pick(SNIPPETS) }];
  }
  if (r < 0.5) {
    // Delete: mostly a character or a few, now and then a run of lines.
    const p = at();
    const n = rnd() < 0.8 ? 1 + Math.floor(rnd() * 4) : Math.floor(rnd() * 300);
    return [{ start: p, end: Math.min(text.length, p + n), text: '' }];
  }
  if (r < 0.65) {
    // Retype one character, as the benchmark does with the port number.
    const p = Math.floor(rnd() * text.length);
    return [{ start: p, end: p + 1, text: pick(['0', '1', '9', 'a', 'Z', ' ', '{', '}', '"', '-', '>', '\n']) }];
  }
  if (r < 0.8) {
    // Rename a declaration (or one occurrence of its name), now and then to another declared name.
    const names = declaredNames(text);
    if (names.length === 0) return [{ start: 0, end: 0, text: 'server SP1 { port 1500 }\n' }];
    // Half the time, point a reference (trusts, spoke-of, signed-by, a connection's end) at another declaration.
    const refs = [...text.matchAll(/(?:trusts|spoke-of|signed-by|->)\s+([A-Za-z_][\w.-]*)/g)];
    if (refs.length > 0 && rnd() < 0.5) {
      const ref = pick(refs);
      const at = ref.index + ref[0].length - ref[1]!.length;
      return [{ start: at, end: at + ref[1]!.length, text: pick(names) }];
    }
    const name = pick(names);
    const hits: number[] = [];
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) hits.push(i);
    const hit = pick(hits);
    return [{ start: hit, end: hit + name.length, text: pick([`${name}2`, name.slice(1) || 'Y', 'Root', 'SP1', 'client', pick(names), pick(names)]) }];
  }
  if (r < 0.92) {
    // Cut a run of lines and paste it elsewhere.
    const starts = lineStarts(text);
    const a = Math.floor(rnd() * starts.length);
    const b = Math.min(starts.length, a + 1 + Math.floor(rnd() * 4));
    const from = starts[a]!;
    const to = b < starts.length ? starts[b]! : text.length;
    const block = text.slice(from, to);
    const rest = text.length - block.length;
    const target = pick(lineStarts(text.slice(0, from) + text.slice(to)).filter((s) => s <= rest));
    return [{ start: from, end: to, text: '' }, { start: target, end: target, text: block }];
  }
  if (r < 0.96) {
    // Paste one string of the text over another (an address copied from another component).
    const strings = [...text.matchAll(/"[^"\n]*"/g)];
    if (strings.length > 1) {
      const target = pick(strings);
      return [{ start: target.index, end: target.index + target[0].length, text: pick(strings)[0] }];
    }
  }
  // Replace a word with another word of the language.
  const p = at();
  const word = /[A-Za-z-]+/g;
  word.lastIndex = p;
  const m = word.exec(text);
  if (!m) return [{ start: p, end: p, text: pick(SNIPPETS) }];
  return [{ start: m.index, end: m.index + m[0].length, text: pick(['server', 'client', 'ca', 'trusts', 'port', 'certificate', 'plain', 'NODE', 'Root', 'file', '']) }];
}

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

function run(seed: number, steps: number, start = corpus[seed % corpus.length]!): { spliced: number; full: number; reused: number; run: number } {
  const rnd = rng(seed);
  let text = start;
  const doc = new IncrementalDocument(text);
  for (let step = 1; step <= steps; step++) {
    // Keep the document small enough to stay quick, and now and then start afresh from another case.
    if (text.length > 8000 || rnd() < 0.005) {
      text = corpus[Math.floor(rnd() * corpus.length)]!;
      doc.reset(text);
    }
    const edits = randomStep(text, rnd);
    for (const e of edits) {
      text = apply(text, e);
      doc.edit(e);
    }
    const where = `seed ${seed}, step ${step}, edits ${JSON.stringify(edits)}`;
    assert.equal(doc.text, text, where);
    const fresh = parse(text);
    assert.deepEqual(doc.parse.errors, fresh.errors, `parse errors differ at ${where}`);
    assert.deepEqual(doc.parse.ast, fresh.ast, `syntax tree differs at ${where}`);
    assert.deepEqual(doc.analyze(options).diagnostics, analyze(text, options).diagnostics, `diagnostics differ at ${where}`);
  }
  return { ...doc.counts, ...doc.ruleCounts };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const STEPS = 500;

for (const seed of SEEDS) {
  test(`incremental = fresh analysis over ${STEPS} random edits (seed ${seed})`, () => {
    const counts = run(seed, STEPS);
    // The cheap path must be the one mostly taken, or the comparison proves nothing about it.
    assert.ok(counts.spliced > STEPS / 2, `only ${counts.spliced} of ${STEPS} steps were spliced (${counts.full} full parses)`);
    // Likewise the rule memo: kept diagnostics must be what most memoised rules give.
    assert.ok(counts.reused * 2 > counts.run, `rule diagnostics were reused ${counts.reused} times and recomputed ${counts.run} times`);
  });
}

for (const seed of [11, 12, 13, 14]) {
  test(`incremental = fresh analysis over ${STEPS} random edits of the crowded topology (seed ${seed})`, () => {
    const counts = run(seed, STEPS, crowded);
    assert.ok(counts.reused * 2 > counts.run, `rule diagnostics were reused ${counts.reused} times and recomputed ${counts.run} times`);
  });
}

test('an edit in a large document re-parses only the statements around it', () => {
  const lines = ['ca Root { subject "CN=Root" }'];
  for (let n = 0; n < 2000; n++) lines.push(`client NODE${n} { trusts Root }`, `NODE${n} -> SP`);
  lines.push('server SP { port 1500 }');
  const text = `${lines.join('\n')}\n`;
  const doc = new IncrementalDocument(text);
  const before = doc.parse.ast.statements;
  const at = text.indexOf('NODE1000 {') + 'NODE1000 { '.length;
  doc.edit({ start: at, end: at, text: 'port 1501 ' });
  const after = doc.parse.ast.statements;
  assert.equal(doc.counts.spliced, 1);
  // Statements before the edit are the very same objects; those after it too, shifted.
  assert.equal(after[0], before[0]);
  assert.equal(after[after.length - 1], before[before.length - 1]);
  assert.deepEqual(doc.parse, parse(doc.text));
});

test('opening a block comment that runs past the next declaration falls back to a full parse', () => {
  const text = 'client A { trusts Root }\nclient B { trusts Root }\nca Root { }\n';
  const doc = new IncrementalDocument(text);
  doc.edit({ start: 0, end: 0, text: '/* ' });
  assert.equal(doc.counts.spliced, 0);
  assert.deepEqual(doc.parse, parse(doc.text));
  doc.edit({ start: 0, end: 3, text: '' });
  assert.deepEqual(doc.parse, parse(doc.text));
});

test('the document store applies a notification of several changes, each in the text before it, incrementally', () => {
  const uri = 'untitled:incremental.sptls';
  const text = readFileSync(join(casesDir, 'trust.sptls'), 'utf8');
  const store = new DocumentStore({ expiryWarningDays: 30, maxDocumentSize: 4 * 1024 * 1024 });
  store.open(uri, 1, text);
  store.analysis(uri);
  const changes = [
    // Delete the first line, then type into what is now line 2, then a reversed range.
    { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'client TYPED { trusts Nowhere }\n' },
    { range: { start: { line: 4, character: 3 }, end: { line: 3, character: 1 } }, text: 'X' },
  ];
  assert.ok(store.change(uri, 2, changes));
  let expected = TextDocument.create(uri, 'sptls', 1, text);
  expected = TextDocument.update(expected, changes, 2);
  const analysis = store.analysis(uri)!;
  assert.equal(analysis.text, expected.getText());
  const fresh = analyze(expected.getText(), { certificateFiles: certificateFilesFor(uri), now: new Date(), expiryWarningDays: 30 });
  // trust.sptls reads no certificate files: the instant each analysis took does not matter.
  assert.deepEqual(analysis.diagnostics, fresh.diagnostics);
  assert.ok(analysis.diagnostics.some((d) => d.code === 'unknown-reference'));
});
