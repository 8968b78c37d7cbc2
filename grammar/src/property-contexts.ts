// Which properties the grammar allows in which block (spec §3): a CertProperty or
// ConnProperty outside its own block is a syntax error.
import { closestName } from './names.ts';

export type BlockContext = 'declaration' | 'certificate' | 'connection';

export const DECLARATION_PROPERTIES = [
  'address', 'port', 'admin-port', 'ssl-port', 'ssl-admin-port', 'version', 'tls-min', 'tls-max', 'fips',
  'certificate', 'keydb', 'trusts', 'hub', 'spoke-of', 'instance', 'subject', 'key', 'valid', 'signed-by', 'file',
] as const;
export const CERTIFICATE_PROPERTIES = ['key', 'valid', 'san', 'label', 'subject'] as const;
export const CONNECTION_PROPERTIES = ['port', 'purpose'] as const;

const allowed: Record<BlockContext, ReadonlySet<string>> = {
  declaration: new Set(DECLARATION_PROPERTIES),
  certificate: new Set(CERTIFICATE_PROPERTIES),
  connection: new Set(CONNECTION_PROPERTIES),
};

const where: Record<BlockContext, string> = {
  declaration: 'a component or CA block',
  certificate: "a certificate's { } block",
  connection: "a connection's { } block",
};

/** Null when `name` may stand in a block of this context, else the syntax error's message. */
export function propertyContextError(name: string, context: BlockContext): string | null {
  if (allowed[context].has(name)) return null;
  const homes = (Object.keys(allowed) as BlockContext[]).filter((c) => allowed[c].has(name)).map((c) => where[c]);
  return `'${name}' cannot stand in ${where[context]}` + (homes.length ? `; it belongs in ${homes.join(' or ')}` : '');
}

/** The property keyword of this block that `name` is probably a misspelling of. */
export function closestKeyword(name: string, context: BlockContext): string | undefined {
  // A name of one or two characters is within reach of too many keywords to guess.
  return name.length < 3 ? undefined : closestName(name, [...allowed[context]]);
}

/** The syntax error for a name standing where a property keyword belongs (`trust Root`). */
export function unknownPropertyMessage(name: string, context: BlockContext): string {
  const meant = closestKeyword(name, context);
  if (meant) return `'${name}' is not a property: did you mean '${meant}'?`;
  return `'${name}' is not a property of ${where[context]}: it holds ${[...allowed[context]].join(', ')}`;
}
