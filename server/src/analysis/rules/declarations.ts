// duplicate-name, duplicate-property, property-not-applicable.
import { keywordSpan } from '../../../../grammar/src/index.ts';
import { repeatedProperties } from '../model.ts';
import { PROPERTIES } from '../product.ts';
import { article, type RuleContext } from './context.ts';
import { reads } from './reads.ts';

/** What checkDeclarations reads: kinds, names and property names, no values. */
export const declarationsReads = reads([]);

export function checkDeclarations({ model, report }: RuleContext): void {
  for (const e of model.entities) {
    if (!e.isFirst) {
      const first = model.byName.get(e.name)!;
      report('duplicate-name', e.decl.name!, `'${e.name}' is already declared as a ${first.kind}; references go to that first declaration. Rename this ${e.kind} or remove it.`);
    }
    for (const { property, reason } of e.ignored) {
      if (reason === 'duplicate') {
        report('duplicate-property', keywordSpan(property), `'${property.name}' is given twice for ${e.name}; the first one counts. Remove this one.`);
      } else {
        const kinds = PROPERTIES[property.name]?.kinds ?? [];
        report('property-not-applicable', keywordSpan(property), `'${property.name}' means nothing for ${article(e.kind)} ${e.kind} and is ignored; it applies to ${kinds.join(', ')}. Remove it from ${e.name}.`);
      }
    }
    for (const p of repeatedProperties(e.certificate?.property.block)) {
      report('duplicate-property', keywordSpan(p), `'${p.name}' is given twice in the certificate of ${e.name}; the first one counts. Remove this one.`);
    }
  }
  for (const l of model.links) {
    for (const p of repeatedProperties(l.connection.block)) {
      report('duplicate-property', keywordSpan(p), `'${p.name}' is given twice for the connection ${l.connection.from.text} -> ${l.connection.to?.text ?? '?'}; the first one counts. Remove this one.`);
    }
  }
}
