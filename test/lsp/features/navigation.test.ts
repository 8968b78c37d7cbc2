import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definition, documentHighlights, prepareRename, references, rename } from '../../../server/src/lsp/features/navigation.ts';
import { marked } from '../../support/markers.ts';
import { analyzeText, applyTextEdits } from '../helpers.ts';

const URI = 'file:///topology.sptls';

/** A fixture's one cursor as an LSP position, and its `<<…>>` ranges as offsets. */
function fixture(source: string) {
  const m = marked(source);
  assert.equal(m.cursors.length, 1, 'one | per fixture');
  const analysis = analyzeText(m.text);
  return { analysis, position: analysis.lines.position(m.cursors[0]!), ranges: m.ranges, text: m.text };
}

function offsets(analysis: ReturnType<typeof analyzeText>, range: { start: { line: number; character: number }; end: { line: number; character: number } }) {
  return { start: analysis.lines.offset(range.start), end: analysis.lines.offset(range.end) };
}

// Each fixture: `|` the cursor, `<<…>>` the expected definition (none: no definition).
const definitions: Array<[string, string]> = [
  ['certificate signed-by', 'ca <<Issuing>> { signed-by Root }\nca Root\nserver S { certificate signed-by Iss|uing }'],
  ['ca signed-by', 'ca Issuing { signed-by Ro|ot }\nca <<Root>>'],
  ['trusts list, second entry', 'server <<SP2>> { certificate self-signed }\nca R\nclient N { trusts R, SP|2 }'],
  ['spoke-of', 'server <<HUB>> { hub }\nserver S { spoke-of HUB| }'],
  ['connection start, cursor before the name', 'client <<N>>\nserver S\n|N -> S'],
  ['connection end, cursor after the name', 'client N\nserver <<S>>\nN -> S|'],
  ['names touching the arrow', 'client N\nserver <<S>>\nN->|S'],
  ['the declaration itself', 'client <<N|ODE>>'],
  ['a duplicate declaration goes to the first', 'client <<A>>\nclient A|'],
  ['an undeclared name', 'client N { trusts Nope| }'],
  ['a keyword', 'client N { tru|sts R }\nca R'],
  ['a string that spells a name', 'ca R\nserver S { address "R|" }'],
  ['a comment that spells a name', 'ca R # R| is the root'],
  ['whitespace', 'ca R  |  \nclient N'],
  ['a number', 'server S { port 15|00 }'],
];

describe('definition', () => {
  for (const [what, source] of definitions) {
    it(what, () => {
      const { analysis, position, ranges } = fixture(source);
      const found = definition(analysis, URI, position);
      if (ranges.length === 0) { assert.equal(found, null); return; }
      assert.ok(found, 'a definition');
      assert.equal(found.uri, URI);
      assert.deepEqual(offsets(analysis, found.range), ranges[0]);
    });
  }
});

const TOPOLOGY = `ca <<Root>> { subject "CN=Root" }
ca Issuing { signed-by <<Root>> }
server SP1 { address "Root.example.com" certificate signed-by Issuing trusts <<Root>> hub }  # Root only
client N { trusts <<Root>>, SP1 }
N -> SP1`;

// [what, fixture with | and <<…>> around every expected location, includeDeclaration]
const referenceCases: Array<[string, string, boolean]> = [
  ['from a reference, with the declaration', TOPOLOGY.replace('trusts <<Root>>,', 'trusts <<Ro|ot>>,'), true],
  ['from the declaration, without it', TOPOLOGY.replace('ca <<Root>>', 'ca |Root'), false],
  ['connection ends count', 'client <<N>>\nserver S { certificate self-signed }\n<<N>> -> S\nS -> S\n<<N|>> -> S plain', true],
  ['duplicate declarations are all declarations', 'client <<A>>\nclient <<A>>\nserver S { trusts <<A|>> }', true],
  ['an undeclared name finds its other uses', 'client N { trusts <<Gh|ost>> }\nclient M { trusts <<Ghost>> }', true],
  ['nothing from a keyword', 'client N { |trusts R }\nca R', true],
];

describe('references', () => {
  for (const [what, source, includeDeclaration] of referenceCases) {
    it(what, () => {
      const { analysis, position, ranges } = fixture(source);
      const found = references(analysis, URI, position, includeDeclaration);
      assert.ok(found.every((l) => l.uri === URI));
      assert.deepEqual(found.map((l) => offsets(analysis, l.range)), ranges);
    });
  }
});

describe('documentHighlights', () => {
  it('marks declarations as writes and references as reads, in order', () => {
    const { analysis, position, ranges } = fixture('client <<N>>\nserver S { certificate self-signed }\n<<N|>> -> S\nclient M { trusts S }');
    const found = documentHighlights(analysis, position);
    assert.deepEqual(found.map((h) => [offsets(analysis, h.range), h.kind]), [[ranges[0], 3], [ranges[1], 2]]);
    assert.deepEqual(documentHighlights(analysis, analysis.lines.position(0)), [], 'nothing on a keyword');
  });
});

describe('prepareRename', () => {
  const cases: Array<[string, string | null]> = [
    ['ca R|oot', 'Root'],
    ['ca Root\nclient N { trusts Roo|t }', 'Root'],
    ['client N\nserver S\nN -> |S', 'S'],
    ['client N { trusts Nope| }', 'Nope'],
    ['|ca Root', null],
    ['ca Root { subject "CN=R|oot" }', null],
    ['server S { port 1|500 }', null],
    ['server S { version 8.|1.22 }', null],
    ['server S { certificate self-si|gned }', null],
    ['ca Root # Ro|ot', null],
    ['ca Root  |  \n', null],
  ];
  for (const [source, placeholder] of cases) {
    it(`${JSON.stringify(source)} → ${placeholder ?? 'null'}`, () => {
      const { analysis, position, text } = fixture(source);
      const found = prepareRename(analysis, position);
      if (placeholder === null) { assert.equal(found, null); return; }
      assert.ok(found);
      assert.equal(found.placeholder, placeholder);
      const span = offsets(analysis, found.range);
      assert.equal(text.slice(span.start, span.end), placeholder);
    });
  }
});

const BEFORE = `# Root signs everything; "Root" in comments stays.
ca Root { subject "CN=Root" }
ca Issuing { signed-by Root }
server SP1 { address "root.example.com" certificate signed-by Root { label "Root" } trusts Root hub }
server SP2 { certificate self-signed trusts Root spoke-of SP1 }
client N { trusts Root, SP1 }
N -> SP1
SP1 -> SP2 { purpose replication }
`;

describe('rename', () => {
  const cases: Array<[string, string, string, (text: string) => string]> = [
    ['a CA from its declaration', 'ca R|oot {', 'CorpRoot', (t) => t.replace(/(ca |signed-by |trusts )Root\b/g, '$1CorpRoot')],
    ['a server from a connection end', 'SP1 -> S|P2', 'sp2.dr-site', (t) => t.replace(/\bSP2\b/g, 'sp2.dr-site')],
    ['a server from spoke-of', 'spoke-of SP|1', 'HUB_1', (t) => t.replace(/\bSP1\b/g, 'HUB_1')],
    ['a client from a connection start', '\n|N -> SP1', 'NODE1', (t) => t.replace(/\bN\b/g, 'NODE1')],
  ];
  for (const [what, cursorAt, newName, expect] of cases) {
    it(`renames ${what}, touching no string or comment`, () => {
      const source = BEFORE.replace(cursorAt.replace('|', ''), cursorAt);
      const { analysis, position, text } = fixture(source);
      const result = rename(analysis, URI, position, newName);
      assert.ok('edit' in result, JSON.stringify(result));
      const after = applyTextEdits(text, result.edit.changes![URI]!);
      assert.equal(after, expect(text));
      assert.ok(after.includes('"CN=Root"') && after.includes('# Root signs') && after.includes('"root.example.com"'));
      const codes = (t: string) => analyzeText(t).diagnostics.map((d) => d.code).sort();
      assert.deepEqual(codes(after), codes(text), 'the rename adds or removes no diagnostic');
    });
  }

  const refusals: Array<[string, string, RegExp]> = [
    ['a keyword', 'server', /keyword/],
    ['another keyword', 'signed-by', /keyword/],
    ['a name with a space', 'SP 1', /not a valid name/],
    ['a name ending in -', 'SP1-', /not a valid name/],
    ['a name starting with a digit', '1SP', /not a valid name/],
    ['an empty name', '', /not a valid name/],
    ['a name with ->', 'A->B', /not a valid name/],
    ['a declared name', 'Issuing', /already declared/],
  ];
  for (const [what, newName, message] of refusals) {
    it(`refuses ${what}`, () => {
      const { analysis, position } = fixture(BEFORE.replace('ca Root {', 'ca Ro|ot {'));
      const result = rename(analysis, URI, position, newName);
      assert.ok('error' in result);
      assert.match(result.error, message);
    });
  }

  it('refuses where there is no name', () => {
    const { analysis, position } = fixture(BEFORE.replace('hub }', 'h|ub }'));
    assert.ok('error' in rename(analysis, URI, position, 'X'));
  });

  it('renaming to the same name is an empty edit', () => {
    const { analysis, position } = fixture(BEFORE.replace('ca Root {', 'ca Ro|ot {'));
    assert.deepEqual(rename(analysis, URI, position, 'Root'), { edit: { changes: { [URI]: [] } } });
  });

  it('marks every edit at a name', () => {
    const { analysis, position, text } = fixture(BEFORE.replace('trusts Root, SP1', 'trusts Root, S|P1'));
    const result = rename(analysis, URI, position, 'X');
    assert.ok('edit' in result);
    const edits = result.edit.changes![URI]!;
    assert.equal(edits.length, 5, 'declaration, spoke-of, trusts, two connection ends');
    for (const e of edits) {
      const span = offsets(analysis, e.range);
      assert.equal(text.slice(span.start, span.end), 'SP1');
    }
  });
});
