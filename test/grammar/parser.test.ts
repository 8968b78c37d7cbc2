// Parser behaviour: the AST it keeps, the syntax errors it reports (each once, at the
// offending token), and recovery that keeps the statements around an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type Statement } from '../../grammar/src/index.ts';

function summary(s: Statement): string {
  if (s.type === 'connection') return `${s.from.text} -> ${s.to?.text ?? '?'}${s.protocol ? ` ${s.protocol.text}` : ''}`;
  const props = s.block?.properties.map((p) => [p.name, ...p.values.map((v) => v.text)].join(' ') + (p.block ? ` {${p.block.properties.map((q) => [q.name, ...q.values.map((v) => v.text)].join(' ')).join('; ')}}` : ''));
  return `${s.kind} ${s.name?.text ?? '?'}${props ? ` {${props.join('; ')}}` : ''}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

// [input, statements kept, lines of the syntax errors]
const cases: Array<[string, string[], number[]]> = [
  ['server S { port 1500 }\nclient C { trusts S }\nC -> S', ['server S {port 1500}', 'client C {trusts S}', 'C -> S'], []],
  ['A->B tls;;A -> B plain { port 5; purpose repl; }', ['A -> B tls', 'A -> B plain'], []],
  ['\uFEFFca R { subject "CN=R" key rsa 4096 valid 10 years }', ['ca R {subject CN=R; key rsa 4096; valid 10 years}'], []],
  ['server S { certificate signed-by R { san "a", "b" label "x" key ec p384 } }', ['server S {certificate signed-by R {san a b; label x; key ec p384}}'], []],
  ['server lib-mgr_2 { address "sp1.example.com" version 8.1.22 }', ['server lib-mgr_2 {address sp1.example.com; version 8.1.22}'], []],
  ['client C { keydb "C:\\tsm\\dsmcert.kdb" subject "a \\"q\\" \\\\ b" }', ['client C {keydb C:\\tsm\\dsmcert.kdb; subject a "q" \\ b}'], []],
  // errors: each once, at the offending token; what parsed still counts
  ['server S { certificate self-signed\n  port = 1500\n}\nclient C { trusts S }', ['server S {certificate self-signed; port 1500}', 'client C {trusts S}'], [2]],
  ['client D { trusts , S }\nC -> S', ['client D {trusts S}', 'C -> S'], [1]],
  ['server E { port port 1501 }', ['server E {port 1501}'], [1]],
  ['server S { foo bar }\nclient C { }', ['server S {}', 'client C {}'], [1]],
  ['client X { trusts A B C }\nX -> A', ['client X {trusts A}', 'X -> A'], [1]],
  ['server S { port 1\nclient C { trusts S }\nC -> S', ['server S {port 1}', 'client C {trusts S}', 'C -> S'], [2]],
  ['} server S { } ; client C', ['server S {}', 'client C'], [1]],
  ['server S { certificate foo }\nclient C { }', ['server S {}', 'client C {}'], [1]],
  ['server S { key rsa }\nclient C { }', ['server S {}', 'client C {}'], [1]],
  ['server S { san "x" }', ['server S {}'], [1]],
  ['A -> B { trusts S }', ['A -> B'], [1]],
  ['server S { certificate self-signed { port 5 } }', ['server S {certificate self-signed {}}'], [1]],
  // spec §5.1 (v1.1): the connection A -> B counts, one error at the second '->'
  ['A -> B -> C', ['A -> B'], [1]],
  ['A -> B -> C -> D\nE -> F', ['A -> B', 'E -> F'], [1]],
  ['A ->\nB -> C', ['A -> B'], [2]],
  // a misspelt property is one error and does not swallow the next line's
  ['client C { trust Root\nsslport 1543 }', ['client C {}'], [1, 2]],
  ['client C { trust Root\ntrusts S }', ['client C {trusts S}'], [1]],
  ['server S { vaild 5 years port 1 }', ['server S {port 1}'], [1]],
  ['server S { certficate self-signed\nkye rsa 2048\nport 1 }', ['server S {port 1}'], [1, 2]],
  ['server S { address "abc\nport 5 }', ['server S {address abc; port 5}'], [1]],
  ['server S { } /* never closed\nclient C { }', ['server S {}'], [1]],
  ['server S { port 15 }\nclient C {\n  trusts S', ['server S {port 15}', 'client C {trusts S}'], [3]],
  ['server', ['server ?'], [1]],
  ['client C { trusts S } @@@ $$ \u0000\u0001 client D { }', ['client C {trusts S}', 'client D {}'], [1, 1, 1]],
  ['client C { trusts S }\n@#$%^&*\nclient D { }', ['client C {trusts S}', 'client D {}'], [2]],
  // an integer TLS version is an invalid-value later; a product version needs a dot (v1.1)
  ['server S { tls-min 1 version 8 }', ['server S {tls-min 1}'], [1]],
];

for (const [input, statements, errorLines] of cases) {
  test(`parse ${JSON.stringify(input).slice(0, 60)}`, () => {
    const r = parse(input);
    assert.deepEqual(r.ast.statements.map(summary), statements);
    assert.deepEqual(r.errors.map((e) => lineOf(input, e.start)), errorLines, r.errors.map((e) => e.message).join(' | '));
    for (const e of r.errors) {
      assert.ok(Number.isInteger(e.start) && e.start >= 0 && e.end >= e.start && e.end <= input.length, 'a real range');
      assert.ok(lineOf(input, e.end) - lineOf(input, e.start) <= 1, 'never runs to the end of the file');
    }
  });
}

test('every value keeps exact offsets', () => {
  const text = 'server SP1 {\n  address "sp1.example.com"\n  trusts Root, Mid\n}\nNODE1 -> SP1 plain';
  const r = parse(text);
  const decl = r.ast.statements[0]!;
  assert.equal(decl.type, 'declaration');
  if (decl.type !== 'declaration') return;
  assert.equal(text.slice(decl.kindSpan.start, decl.kindSpan.end), 'server');
  assert.equal(text.slice(decl.name!.start, decl.name!.end), 'SP1');
  const [address, trusts] = decl.block!.properties;
  assert.equal(text.slice(address!.values[0]!.start, address!.values[0]!.end), '"sp1.example.com"');
  assert.deepEqual(trusts!.values.map((v) => text.slice(v.start, v.end)), ['Root', 'Mid']);
  assert.equal(text.slice(decl.start, decl.end), text.slice(0, text.indexOf('}') + 1));
  const conn = r.ast.statements[1]!;
  assert.equal(conn.type === 'connection' && text.slice(conn.start, conn.end), 'NODE1 -> SP1 plain');
});

test('an error at the end of the file is anchored at the last token', () => {
  const text = 'server S {\n  port 1500\n\n\n';
  const r = parse(text);
  assert.equal(r.errors.length, 1);
  assert.equal(text.slice(r.errors[0]!.start, r.errors[0]!.end), '1500');
});

test('comments are kept for the formatter and suppression', () => {
  const r = parse('# one\nserver S { } // two\n/* three\n */');
  assert.deepEqual(r.ast.comments.map((c) => c.text), ['# one', '// two', '/* three\n */']);
});

test('lexing a range at a time changes nothing: seams inside comments, strings and `name\\n->`', () => {
  const text = [
    '# header', 'ca R { subject "CN=R" }', 'server S { certificate signed-by R /* a comment',
    'that spans', 'several lines */ address "s.example.com" }', 'client C { trusts R }', 'C', '-> S',
    'C ->', 'S', '-> R',
    'client D { trusts = R }', '/* unterminated at the very end', 'client E { }',
  ].join('\n');
  const whole = parse(text, { charsPerRange: 1 << 30 });
  for (const chars of [1, 2, 5, 17, 40]) {
    const ranged = parse(text, { charsPerRange: chars });
    assert.deepEqual(ranged.ast.statements.map(summary), whole.ast.statements.map(summary), `charsPerRange ${chars}`);
    assert.deepEqual(ranged.errors, whole.errors, `charsPerRange ${chars}`);
    assert.deepEqual(ranged.ast.comments, whole.ast.comments, `charsPerRange ${chars}`);
  }
  assert.deepEqual(whole.ast.statements.map(summary), ['ca R {subject CN=R}', 'server S {certificate signed-by R; address s.example.com}', 'client C {trusts R}', 'C -> S', 'C -> S', 'client D {trusts R}']);
});
