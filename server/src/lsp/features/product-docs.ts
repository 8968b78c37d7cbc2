// Markdown for the product facts of product.ts, shared by hover and completion so a
// keyword reads the same wherever the editor shows it.
import type { Kind } from '../../../../grammar/src/index.ts';
import { CERTIFICATE_PROPERTY_FACTS, CONNECTION_PROPERTY_FACTS, KINDS, PROPERTIES, SUPPORTED_PAIRS } from '../../analysis/product.ts';

export type BlockType = 'declaration' | 'certificate' | 'connection';

/** What a kind is in the product: its role, the sessions it opens and answers, its key database. */
export function kindMarkdown(kind: Kind): string {
  return [`**${kind}** — ${KINDS[kind].title}`, '', ...kindRole(kind), '', `Key database: ${KINDS[kind].keydbNote}`].join('\n');
}

/** The kind's role and its rows of the product's table of SSL clients and servers, as paragraphs. */
export function kindRole(kind: Kind): string[] {
  const opens = SUPPORTED_PAIRS.filter((p) => p.from === kind).map((p) => (p.to === 'db2' ? '`db2` (plain, never TLS)' : `\`${p.to}\``));
  const answers = SUPPORTED_PAIRS.filter((p) => p.to === kind).map((p) => `\`${p.from}\``);
  const lines = [KINDS[kind].role];
  if (opens.length) lines.push('', `Opens sessions to (and verifies): ${opens.join(', ')}`);
  if (answers.length) lines.push('', `Answers sessions from (presenting its certificate): ${answers.join(', ')}`);
  return lines;
}

/** A property keyword: what it means, the product option, range, default and level. Null for unknown words. */
export function propertyMarkdown(name: string, block: BlockType): string | null {
  if (block === 'certificate') {
    const text = CERTIFICATE_PROPERTY_FACTS[name];
    return text ? `**${name}** (certificate) — ${text}` : null;
  }
  if (block === 'connection') {
    const text = CONNECTION_PROPERTY_FACTS[name];
    return text ? `**${name}** (connection) — ${text}` : null;
  }
  const p = PROPERTIES[name];
  if (!p) return null;
  const head = p.option ? `**${name}** — \`${p.option}\`` : `**${name}**`;
  const facts = [
    p.range ? `range ${p.range[0]}–${p.range[1]}` : null,
    p.default ? `default ${p.default}` : null,
    p.since ? p.since : null,
  ].filter((x): x is string => x !== null);
  return [head, '', p.summary, ...(facts.length ? ['', facts.join(' · ')] : []), '', `For: ${p.kinds.join(', ')}`].join('\n');
}
