import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeAt, type NodeAt } from '../../../server/src/lsp/features/at-position.ts';
import { withCursor } from '../../support/markers.ts';
import { analyzeText } from '../helpers.ts';

const BASE = `ca Root
server S { port 1500 certificate signed-by Root { san "s" } trusts Root spoke-of H }
server H { hub }
client C { trusts S } # comment
C -> S plain { purpose backup }
`;

/** A short description of a node, to compare against the table. */
function describeNode(n: NodeAt): string {
  switch (n.kind) {
    case 'declaration-name': return `declaration-name ${n.span.text} (${n.entity.kind})`;
    case 'reference': return `reference ${n.span.text} ${n.reference.role} in ${n.reference.owner?.name ?? 'connection'} → ${n.target?.kind ?? 'nothing'}`;
    case 'kind-keyword': return `kind-keyword ${n.declaration.kind}`;
    case 'property-keyword': return `property-keyword ${n.property.name} (${n.context}${n.parent ? ` of ${n.parent.name}` : ''})`;
    case 'value': return `value ${n.span.kind} ${n.span.text}${n.property ? ` of ${n.property.name}` : ''}`;
    case 'arrow': return `arrow ${n.connection.from.text}`;
    case 'comment': return `comment ${n.span.text}`;
    case 'nothing': return `nothing${n.statement ? ' in statement' : ''}${n.block ? ' in block' : ''}`;
  }
}

// [the base text's unique snippet with | at the cursor, what stands there]
const cases: Array<[string, string]> = [
  ['|ca Root', 'kind-keyword ca'],
  ['ca Ro|ot', 'declaration-name Root (ca)'],
  ['ca Root|', 'declaration-name Root (ca)'],
  ['{ po|rt 1500', 'property-keyword port (declaration)'],
  ['port 15|00', 'value integer 1500 of port'],
  ['certificate sig|ned-by', 'value keyword signed-by of certificate'],
  ['signed-by R|oot {', 'reference Root certificate-signed-by in S → ca'],
  ['{ s|an "s"', 'property-keyword san (certificate of certificate)'],
  ['san "|s"', 'value string s of san'],
  ['trusts Root spoke-of |H', 'reference H spoke-of in S → server'],
  ['client C { trusts |S', 'reference S trusts in C → server'],
  ['# comm|ent', 'comment # comment'],
  ['|C -> S', 'reference C connection-end in connection → client'],
  ['C -|> S', 'arrow C'],
  ['C -> S pl|ain', 'value keyword plain'],
  ['purpose back|up', 'value name backup of purpose'],
  ['{ hub }|', 'nothing in statement'],
  ['server H {| hub', 'nothing in statement in block'],
  ['port 1500 certificate signed-by Root { san "s" }| trusts', 'nothing in statement in block'],
];

describe('nodeAt', () => {
  for (const [snippet, want] of cases) {
    it(`${snippet} → ${want}`, () => {
      const plain = snippet.replace('|', '');
      const at = BASE.indexOf(plain);
      assert.ok(at >= 0 && BASE.indexOf(plain, at + 1) < 0, `snippet ${plain} is unique in the base text`);
      const analysis = analyzeText(BASE);
      assert.equal(describeNode(nodeAt(analysis, at + snippet.indexOf('|'))), want);
    });
  }

  it('finds nothing outside every statement', () => {
    const { text, offset } = withCursor('ca R\n\n|\nca S');
    assert.equal(describeNode(nodeAt(analyzeText(text), offset)), 'nothing');
  });

  it('names an undeclared reference with no target', () => {
    const { text, offset } = withCursor('client C { trusts Gh|ost }');
    assert.equal(describeNode(nodeAt(analyzeText(text), offset)), 'reference Ghost trusts in C → nothing');
  });
});
